package importer

import (
	"math"
	"strconv"
	"strings"
	"time"

	"hearth/backend/textfold"
)

// DateOrder says how numeric dates such as 03/04/2024 are read.
type DateOrder string

// The date orders.
const (
	// DateOrderAuto reads each date day first unless only the month-first reading is possible
	// (03/25/2024).
	DateOrderAuto DateOrder = ""
	// DayFirst reads 03/04/2024 as 3 April (French and most of the world).
	DayFirst DateOrder = "dmy"
	// MonthFirst reads 03/04/2024 as 4 March (United States).
	MonthFirst DateOrder = "mdy"
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
	return parseDateIn(v, DateOrderAuto)
}

// parseDateIn reads a date cell, numeric dates in the given order (a date impossible in that
// order, such as 25/03/2024 read month first, is not a date).
func parseDateIn(v string, order DateOrder) (t time.Time, dateOnly bool, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 64 {
		return time.Time{}, false, false
	}
	if dayOrMonthFirst(v) { // 25/03/2024: no layout below reads it, and each failed try costs
		if t, dateOnly, ok := parseNumericDate(v, order); ok {
			return t, dateOnly, true
		}
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
	if t, ok := parseWordDate(v); ok {
		return t, true, true
	}
	if t, dateOnly, ok := parseNumericDate(v, order); ok {
		return t, dateOnly, true
	}
	return parseSerial(v)
}

// dayOrMonthFirst reports whether v is one or two digits, a separator (/ . -), one or two digits,
// the same separator and two to four digits: a numeric date that starts with its day or month,
// which only parseNumericDate reads.
func dayOrMonthFirst(v string) bool {
	digits := func(s string, lo, hi int) (rest string, ok bool) {
		n := 0
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		return s[n:], n >= lo && n <= hi
	}
	rest, ok := digits(v, 1, 2)
	if !ok || rest == "" || !strings.ContainsRune("/.-", rune(rest[0])) {
		return false
	}
	sep := rest[0]
	if rest, ok = digits(rest[1:], 1, 2); !ok || rest == "" || rest[0] != sep {
		return false
	}
	rest, ok = digits(rest[1:], 2, 4)
	return ok && rest == ""
}

// months names the months in English and French, in full and abbreviated, folded (no
// accents, lower case, no dot).
var months = func() map[string]time.Month {
	m := map[string]time.Month{}
	names := [][]string{
		{"january", "jan", "janvier", "janv"},
		{"february", "feb", "fevrier", "fevr", "fev"},
		{"march", "mar", "mars"},
		{"april", "apr", "avril", "avr"},
		{"may", "mai"},
		{"june", "jun", "juin"},
		{"july", "jul", "juillet", "juil"},
		{"august", "aug", "aout"},
		{"september", "sep", "sept", "septembre"},
		{"october", "oct", "octobre"},
		{"november", "nov", "novembre"},
		{"december", "dec", "decembre"},
	}
	for i, ns := range names {
		for _, n := range ns {
			m[n] = time.Month(i + 1)
		}
	}
	return m
}()

// parseWordDate reads a day, a month name and a year, as French spreadsheets and people write
// them: "1 janv. 2024", "1er janvier 2024", "15 févr. 2023", "3 March 2022", "3-mars-22".
func parseWordDate(v string) (time.Time, bool) {
	f := strings.FieldsFunc(textfold.Fold(v), func(r rune) bool { return r == ' ' || r == '.' || r == '-' || r == '/' || r == ',' })
	if len(f) != 3 {
		return time.Time{}, false
	}
	month, ok := months[f[1]]
	if !ok {
		return time.Time{}, false
	}
	day, err := strconv.Atoi(strings.TrimSuffix(f[0], "er"))
	if err != nil || day < 1 || day > 31 {
		return time.Time{}, false
	}
	year, err := strconv.Atoi(f[2])
	switch {
	case err != nil || year < 0 || len(f[2]) > 4 || len(f[2]) == 3 || len(f[2]) == 1:
		return time.Time{}, false
	case len(f[2]) == 2:
		year = pivotYear(year)
	}
	t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day {
		return time.Time{}, false
	}
	return t, true
}

// pivotYear reads a two-digit year like POSIX strptime: 69 -> 2069, 70 -> 1970.
func pivotYear(y int) int {
	y += 2000
	if y >= 2070 {
		y -= 100
	}
	return y
}

// DateEvidence collects, over the date cells of a file, how its numeric dates are written:
// a first number above 12 (25/03/2024) proves day first, a second one (03/25/2024) month first.
type DateEvidence struct {
	dayFirst, monthFirst bool
}

// Add looks at one date cell.
func (e *DateEvidence) Add(cell string) {
	datePart, _, _ := strings.Cut(strings.TrimSpace(cell), " ")
	sep := strings.IndexAny(datePart, "/.-")
	if sep < 0 {
		return
	}
	parts := strings.Split(datePart, datePart[sep:sep+1])
	if len(parts) != 3 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return // year first (2024-03-05), or not a numeric date
	}
	a, err1 := strconv.Atoi(parts[0])
	b, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return
	}
	switch {
	case a > 12 && a <= 31 && b >= 1 && b <= 12:
		e.dayFirst = true
	case b > 12 && b <= 31 && a >= 1 && a <= 12:
		e.monthFirst = true
	}
}

// Order is the order the evidence proves; when it proves nothing (every date could be read
// both ways) or contradicts itself, French files and readers (lang "fr") read day first and
// others each date on its own (DateOrderAuto, day first unless impossible).
func (e DateEvidence) Order(lang string) DateOrder {
	switch {
	case e.dayFirst && !e.monthFirst:
		return DayFirst
	case e.monthFirst && !e.dayFirst:
		return MonthFirst
	case !e.dayFirst && !e.monthFirst && lang == "fr":
		return DayFirst
	}
	return DateOrderAuto
}

// parseNumericDate reads d/m/y (or m/d/y when the day is obviously second) with "/", "." or
// "-" separators, a 2- or 4-digit year and an optional "15:04[:05]" time.
func parseNumericDate(v string, order DateOrder) (time.Time, bool, bool) {
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
	case len(parts[2]) == 2:
		year = pivotYear(year)
	case len(parts[2]) != 4:
		return time.Time{}, false, false
	}
	if len(parts[0]) != 4 {
		switch order {
		case MonthFirst:
			day, month = month, day
		case DateOrderAuto:
			if month > 12 && day <= 12 {
				day, month = month, day
			}
		}
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
