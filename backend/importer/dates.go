package importer

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// dateTimeLayouts are the date-and-time spellings met in exports: Mailchimp
// ("2024-03-05 14:22:11", UTC), Discourse ("2024-03-05 14:22:11 UTC"), ISO 8601, and what
// spreadsheets write (excelize renders built-in date formats as "2006-01-02 15:04", see xlsx.go).
// Times without a zone are UTC.
var dateTimeLayouts = []string{
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -0700 MST",
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006/01/02 15:04:05",
	"2006/01/02 15:04",
	time.RFC1123Z,
	time.RFC1123,
	"Jan 2, 2006 3:04 PM",
	"January 2, 2006 3:04 PM",
}

// dateLayouts are date-only spellings.
var dateLayouts = []string{
	"2006-01-02",
	"2006/01/02",
	"20060102",
	"Jan 2, 2006",
	"January 2, 2006",
	"2 Jan 2006",
	"2 January 2006",
	"02-Jan-2006",
	"02-Jan-06",
}

// parseDate reads a date cell. Numeric dates like 05/03/2024 are read day first (as in French
// and most of the world) unless only the day-first reading is impossible: 03/25/2024 is read
// month first. dateOnly says no time was written.
func parseDate(v string) (t time.Time, dateOnly bool, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 64 {
		return time.Time{}, false, false
	}
	for _, l := range dateTimeLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC(), false, true
		}
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC(), true, true
		}
	}
	if t, dateOnly, ok := parseNumericDate(v); ok {
		return t, dateOnly, true
	}
	return parseSerial(v)
}

// parseNumericDate reads d/m/y (or m/d/y when the day is obviously second) with "/", "." or
// "-" separators, a 2- or 4-digit year and an optional "15:04[:05]" time.
func parseNumericDate(v string) (time.Time, bool, bool) {
	datePart, timePart, _ := strings.Cut(v, " ")
	timePart = strings.TrimSpace(timePart)
	sep := strings.IndexAny(datePart, "/.-")
	if sep < 0 {
		return time.Time{}, false, false
	}
	parts := strings.Split(datePart, datePart[sep:sep+1])
	if len(parts) != 3 {
		return time.Time{}, false, false
	}
	var n [3]int
	for i, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil || x < 0 || len(p) > 4 {
			return time.Time{}, false, false
		}
		n[i] = x
	}
	day, month, year := n[0], n[1], n[2]
	switch {
	case len(parts[0]) == 4: // 2024-3-5
		year, month, day = n[0], n[1], n[2]
	case len(parts[2]) == 2: // two-digit years pivot like POSIX strptime: 69 -> 2069, 70 -> 1970
		year += 2000
		if year >= 2070 {
			year -= 100
		}
	case len(parts[2]) != 4:
		return time.Time{}, false, false
	}
	if len(parts[0]) != 4 && month > 12 && day <= 12 {
		day, month = month, day
	}
	var h, m, s int
	if timePart != "" {
		tp := strings.Split(timePart, ":")
		if len(tp) < 2 || len(tp) > 3 {
			return time.Time{}, false, false
		}
		var hms [3]int
		for i, p := range tp {
			x, err := strconv.Atoi(p)
			if err != nil || x < 0 || x > 59 || (i == 0 && x > 23) {
				return time.Time{}, false, false
			}
			hms[i] = x
		}
		h, m, s = hms[0], hms[1], hms[2]
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, false, false
	}
	t := time.Date(year, time.Month(month), day, h, m, s, 0, time.UTC)
	if t.Day() != day { // 31/02 rolled over
		return time.Time{}, false, false
	}
	return t, timePart == "", true
}

// parseSerial reads a spreadsheet serial date (days since 1899-12-30, which a date column
// shows when its cell has no date format) or a Unix time in seconds.
func parseSerial(v string) (time.Time, bool, bool) {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return time.Time{}, false, false
	}
	switch {
	case x >= 1e9 && x < 1e11 && x == math.Trunc(x):
		return time.Unix(int64(x), 0).UTC(), false, true
	case x >= 1 && x < 2958466: // up to 9999-12-31
		epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
		days := math.Trunc(x)
		t := epoch.AddDate(0, 0, int(days)).Add(time.Duration(math.Round((x-days)*86400)) * time.Second)
		return t, x == days, true
	}
	return time.Time{}, false, false
}

// formatDate writes a parsed date for a custom field: "2006-01-02" or RFC 3339 in UTC.
func formatDate(t time.Time, dateOnly bool) string {
	if dateOnly {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339)
}
