package exports

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"hearth/backend/locale"
	"hearth/backend/members"
)

// word is a member spreadsheet's word in lang, from backend/locale's catalog
// ("workbook.members.…").
func word(lang, key string) string { return locale.For(Lang(lang)).Text("workbook.members." + key) }

// SheetName is the name of the first members sheet in lang ("Members", "Membres").
func SheetName(lang string) string { return word(lang, "sheet") }

// Number formats of dates, by language: what a person of that language reads without thinking.
var dateFormats = map[string][2]string{
	"en": {"yyyy-mm-dd", "yyyy-mm-dd hh:mm"},
	"fr": {"dd/mm/yyyy", "dd/mm/yyyy hh:mm"},
}

// DateFormats are the number formats of a day and of a moment in lang.
func DateFormats(lang string) (day, moment string) {
	f := dateFormats[Lang(lang)]
	return f[0], f[1]
}

// column is one column of a member spreadsheet.
type column struct {
	header string
	width  float64
	value  func(m members.Member) any
}

// kind of a cell value, for its style: text and numbers need none.
type day time.Time    // a calendar day, as a spreadsheet date
type moment time.Time // a moment, shown as the zone's wall clock

// columns are the member spreadsheet's columns for o: who the member is and when they came
// first (the columns the KPI workbook always had, in its order), then the rest, then one per
// custom field of keys, with unique headers as spreadsheet tables need.
func columns(o Options, keys []string) []column {
	lang, zone := Lang(o.Lang), o.zone()
	at := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return moment(t)
	}
	cols := []column{
		{word(lang, "name"), 26, func(m members.Member) any { return text(m.Name) }},
		{word(lang, "email"), 30, func(m members.Member) any {
			if len(m.Emails) == 0 {
				return nil
			}
			return text(m.Emails[0])
		}},
		{word(lang, "other_emails"), 30, func(m members.Member) any {
			if len(m.Emails) < 2 {
				return nil
			}
			return text(strings.Join(m.Emails[1:], "; "))
		}},
		{word(lang, "handles"), 28, func(m members.Member) any {
			hs := make([]string, 0, len(m.Handles))
			for _, h := range m.Handles {
				hs = append(hs, h.Platform+": "+h.Handle)
			}
			return text(strings.Join(hs, "; "))
		}},
		{word(lang, "tags"), 24, func(m members.Member) any { return text(strings.Join(m.Tags, "; ")) }},
		{word(lang, "created"), 17, func(m members.Member) any { return at(m.CreatedAt) }},
	}
	if o.Level != nil {
		cols = append(cols, column{word(lang, "level"), 16, func(m members.Member) any { return text(o.Level(m.ID)) }})
	}
	cols = append(cols,
		column{word(lang, "id"), 28, func(m members.Member) any { return text(m.ID) }},
		column{word(lang, "updated"), 17, func(m members.Member) any { return at(m.UpdatedAt) }},
		column{word(lang, "notes"), 30, func(m members.Member) any { return text(m.Notes) }})
	taken := make([]string, 0, len(cols)+len(keys))
	for _, c := range cols {
		taken = append(taken, c.header)
	}
	for _, k := range keys {
		h := k
		for slices.Contains(taken, h) {
			h += " (+)"
		}
		taken = append(taken, h)
		cols = append(cols, column{h, 18, func(m members.Member) any { return typed(m.CustomFields[k], zone) }})
	}
	return cols
}

// text is s, or nothing (no cell at all) when s is empty.
func text(s string) any {
	if s == "" {
		return nil
	}
	return s
}

var (
	decimalComma = regexp.MustCompile(`^-?(0|[1-9][0-9]*),[0-9]+$`)
	plainNumber  = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?$`)
)

// typed turns a custom field's text into a number or a date when it plainly is one, so that
// spreadsheets can sort and sum it: "42", "12.5" and "12,50" are numbers; "2026-03-01",
// "01/03/2026" (day first, as in France) are days; RFC 3339 times are moments in zone. Leading
// zeros (postcodes, phone numbers) and plus signs keep text as text; empty is no cell at all.
func typed(s string, zone *time.Location) any {
	if s == "" {
		return nil
	}
	if plainNumber.MatchString(s) {
		if n, err := strconv.ParseFloat(s, 64); err == nil {
			return n
		}
	}
	if decimalComma.MatchString(s) {
		if n, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64); err == nil {
			return n
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return moment(t)
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04:05", s, zone); err == nil {
		return moment(t)
	}
	for _, layout := range []string{"2006-01-02", "02/01/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return day(t)
		}
	}
	return s
}

// wall is a moment as the zone's wall clock, read as UTC: that is how excelize turns times
// into spreadsheet serial numbers, which have no zone.
func wall(t time.Time, zone *time.Location) time.Time {
	t = t.In(zone)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

// customKeys lists the custom field names of ms, sorted.
func customKeys(ms MemberSeq) ([]string, error) {
	seen := map[string]bool{}
	for m, err := range ms {
		if err != nil {
			return nil, err
		}
		for k := range m.CustomFields {
			seen[k] = true
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys, nil
}
