package exports

import (
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

// fixedColumns are the member spreadsheet's columns before the custom fields: who the member
// is and when they came first (the columns the KPI workbook always had, in its order), then
// the rest.
func fixedColumns(o Options) []column {
	lang := Lang(o.Lang)
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
			if len(m.Handles) == 0 {
				return nil
			}
			var b strings.Builder
			for i, h := range m.Handles {
				if i > 0 {
					b.WriteString("; ")
				}
				b.WriteString(h.Platform)
				b.WriteString(": ")
				b.WriteString(h.Handle)
			}
			return text(b.String())
		}},
		{word(lang, "tags"), 24, func(m members.Member) any { return text(strings.Join(m.Tags, "; ")) }},
		{word(lang, "created"), 17, func(m members.Member) any { return at(m.CreatedAt) }},
	}
	if o.Level != nil {
		cols = append(cols, column{word(lang, "level"), 16, func(m members.Member) any { return text(o.Level(m.ID)) }})
	}
	return append(cols,
		column{word(lang, "id"), 28, func(m members.Member) any { return text(m.ID) }},
		column{word(lang, "updated"), 17, func(m members.Member) any { return at(m.UpdatedAt) }},
		column{word(lang, "notes"), 30, func(m members.Member) any { return text(m.Notes) }})
}

// customWidth is the width of a custom field's column.
const customWidth = 18

// headers are the spreadsheet's headers: the fixed columns', then one per custom field of
// keys, made unique as spreadsheet tables need.
func headers(fixed []column, keys []string) []string {
	out := make([]string, 0, len(fixed)+len(keys))
	for _, c := range fixed {
		out = append(out, c.header)
	}
	for _, k := range keys {
		h := k
		for slices.Contains(out, h) {
			h += " (+)"
		}
		out = append(out, h)
	}
	return out
}

// text is s, or nothing (no cell at all) when s is empty.
func text(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// typed turns a custom field's text into a number or a date when it plainly is one, so that
// spreadsheets can sort and sum it: "42", "12.5" and "12,50" are numbers; "2026-03-01",
// "01/03/2026" (day first, as in France) are days; RFC 3339 times are moments in zone. Leading
// zeros (postcodes, phone numbers) and plus signs keep text as text; empty is no cell at all.
// Each kind is tried only on text of its shape: most custom fields are plain text, and it
// is met once per member.
func typed(s string, zone *time.Location) any {
	if s == "" {
		return nil
	}
	if numeric(s, '.') {
		if n, err := strconv.ParseFloat(s, 64); err == nil {
			return n
		}
	}
	if numeric(s, ',') {
		if n, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64); err == nil {
			return n
		}
	}
	dash := len(s) >= 10 && s[4] == '-' && s[7] == '-'
	if dash && len(s) >= 20 && s[10] == 'T' {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return moment(t)
		}
	}
	if dash && len(s) >= 19 && s[10] == ' ' {
		if t, err := time.ParseInLocation("2006-01-02 15:04:05", s, zone); err == nil {
			return moment(t)
		}
	}
	if dash && len(s) == 10 {
		if t, err := time.Parse("2006-01-02", s); err == nil {
			return day(t)
		}
	}
	if len(s) == 10 && s[2] == '/' && s[5] == '/' {
		if t, err := time.Parse("02/01/2006", s); err == nil {
			return day(t)
		}
	}
	return s
}

// numeric reports whether s is a number with point as its decimal separator: an optional
// minus, an integer without leading zeros, then (with '.' optionally, with ',' necessarily)
// point and digits.
func numeric(s string, point byte) bool {
	s = strings.TrimPrefix(s, "-")
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	if i == 0 || (s[0] == '0' && i > 1) {
		return false
	}
	if i == len(s) {
		return point == '.'
	}
	if s[i] != point || i+1 == len(s) {
		return false
	}
	for _, c := range []byte(s[i+1:]) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// wall is a moment as the zone's wall clock, read as UTC: that is how excelize turns times
// into spreadsheet serial numbers, which have no zone.
func wall(t time.Time, zone *time.Location) time.Time {
	t = t.In(zone)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}
