package importer

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"hearth/backend/textfold"
)

// rowBuilder turns the cells of one record into a Row according to the columns.
type rowBuilder struct {
	cols       []Column
	order      DateOrder
	identities bool // build only e-mails and handles (Options.IdentitiesOnly)
}

// isBlank reports whether every cell is empty once trimmed: such lines are skipped.
func isBlank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// consentCells collects the Mailchimp-style consent cells of a row.
type consentCells struct {
	optinAt, confirmAt time.Time
	optinIP, confirmIP string
	withdrawn          bool
}

// identityField reports whether a field names a person: an e-mail or a platform handle.
func identityField(f string) bool {
	_, email := emailIndex(f)
	return email || strings.HasPrefix(f, HandlePrefix)
}

func (b *rowBuilder) build(line int, cells []string) Row {
	row := Row{Line: line, Raw: cells}
	var (
		first, last, name string
		emails            [][2]string // field, address: sorted by email index below
		consent           consentCells
		notes             []string
		joined            time.Time
		joinedDateOnly    bool
	)
	for i, raw := range cells {
		v := strings.TrimSpace(raw)
		if v == "" {
			continue
		}
		if i >= len(b.cols) {
			row.Problems = append(row.Problems, Problem{Column: strconv.Itoa(i + 1), Code: "extra_cell", Value: v})
			continue
		}
		col := b.cols[i]
		f := col.Field
		if b.identities && !identityField(f) {
			continue
		}
		if dateFields[f] {
			t, dateOnly, ok := parseDateIn(v, b.order)
			if !ok {
				row.Problems = append(row.Problems, Problem{Column: col.Header, Code: "date", Value: v})
				switch {
				case strings.HasPrefix(f, "consent:"):
					continue
				case f == FieldJoinDate || f == CustomPrefix+JoinDateKey:
					row.setCustom(col.Header, v) // kept as written, out of the analytics' way
					continue
				}
			} else {
				switch f {
				case FieldJoinDate, CustomPrefix + JoinDateKey:
					if joined.IsZero() || t.Before(joined) {
						joined, joinedDateOnly = t, dateOnly
					}
					continue
				case FieldOptinTime:
					consent.optinAt = t
					continue
				case FieldConfirmTime:
					consent.confirmAt = t
					continue
				case fieldUnsubscribed, fieldCleaned:
					consent.withdrawn = true
				}
				v = formatDate(t, dateOnly)
			}
		}
		if f != FieldNotes && !strings.HasPrefix(f, CustomPrefix) {
			v = oneLine(v)
		}
		switch {
		case f == FieldIgnore:
		case f == FieldFirstName:
			first = joinNonEmpty(" ", first, v)
		case f == FieldLastName:
			last = joinNonEmpty(" ", last, v)
		case f == FieldName:
			if name == "" {
				name = v
			} else {
				row.setCustom(col.Header, v)
			}
		case f == FieldTags:
			row.Tags = appendTags(row.Tags, v)
		case f == FieldNotes:
			notes = append(notes, v)
		case f == FieldOptinIP, f == FieldConfirmIP:
			ip, err := netip.ParseAddr(v)
			if err != nil {
				row.Problems = append(row.Problems, Problem{Column: col.Header, Code: "ip", Value: v})
				continue
			}
			if f == FieldOptinIP {
				consent.optinIP = ip.String()
			} else {
				consent.confirmIP = ip.String()
			}
		case strings.HasPrefix(f, HandlePrefix):
			row.Handles = append(row.Handles, Handle{Platform: strings.TrimPrefix(f, HandlePrefix), Handle: v})
		case strings.HasPrefix(f, CustomPrefix):
			row.setCustom(strings.TrimPrefix(f, CustomPrefix), v)
		case f == FieldPhone, f == FieldCity:
			row.setCustom(f, v)
		default:
			if _, ok := emailIndex(f); ok {
				for _, e := range splitEmails(v) {
					emails = append(emails, [2]string{f, e})
				}
			}
		}
	}
	if first != "" || last != "" {
		row.Name = joinNonEmpty(" ", first, last)
		if name != "" && name != row.Name {
			row.setCustom(FieldName, name)
		}
	} else {
		row.Name = name
	}
	if joined.IsZero() {
		joined, joinedDateOnly = consent.earliest(), false
	}
	if !joined.IsZero() {
		if row.Custom == nil {
			row.Custom = make(map[string]string, 1)
		}
		row.Custom[JoinDateKey] = formatDate(joined, joinedDateOnly)
	}
	row.Emails = orderEmails(emails)
	row.Notes = strings.Join(notes, "\n")
	if ev, ok := consent.evidence(); ok {
		row.Consent = []Evidence{ev}
	}
	return row
}

// setCustom keeps the first non-empty value of a custom key.
func (r *Row) setCustom(key, v string) {
	if r.Custom == nil {
		r.Custom = make(map[string]string, 4)
	}
	if _, ok := r.Custom[key]; !ok {
		r.Custom[key] = v
	}
}

// earliest is the first of the opt-in and confirmation times: when the person joined the list.
func (c consentCells) earliest() time.Time {
	switch {
	case c.optinAt.IsZero():
		return c.confirmAt
	case c.confirmAt.IsZero() || c.optinAt.Before(c.confirmAt):
		return c.optinAt
	}
	return c.confirmAt
}

// evidence is the newsletter consent the cells prove: none without a valid time, and none
// for a person who has since unsubscribed or been cleaned.
func (c consentCells) evidence() (Evidence, bool) {
	if c.withdrawn || (c.optinAt.IsZero() && c.confirmAt.IsZero()) {
		return Evidence{}, false
	}
	ev := Evidence{Purpose: "newsletter", At: c.optinAt, IP: c.optinIP, OptinAt: c.optinAt, OptinIP: c.optinIP}
	if !c.confirmAt.IsZero() {
		ev.At = c.confirmAt
	}
	if c.confirmIP != "" {
		ev.IP = c.confirmIP
	}
	return ev, true
}

// orderEmails puts "email" addresses first, then "email2", "email3"... keeping file order
// within a field and dropping repeats (compared without regard to case).
func orderEmails(in [][2]string) []string {
	if len(in) == 0 {
		return nil
	}
	slices.SortStableFunc(in, func(a, b [2]string) int {
		na, _ := emailIndex(a[0])
		nb, _ := emailIndex(b[0])
		return cmp.Compare(na, nb)
	})
	out := make([]string, 0, len(in))
	for _, fe := range in {
		if !slices.ContainsFunc(out, func(e string) bool { return strings.EqualFold(e, fe[1]) }) {
			out = append(out, fe[1])
		}
	}
	return out
}

// splitEmails splits a cell that may hold several addresses ("a@x.org; b@y.org").
func splitEmails(v string) []string {
	parts := strings.FieldsFunc(v, func(r rune) bool {
		return r == ';' || r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	out := parts[:0]
	for _, p := range parts {
		p = strings.Trim(p, "<>\"'")
		if len(p) > 7 && strings.EqualFold(p[:7], "mailto:") {
			p = p[7:]
		}
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// appendTags splits a tags cell on "," and ";" and adds the tags not seen yet. Quoted tags
// (Mailchimp writes "\"a\",\"b\"") keep their separators.
func appendTags(tags []string, v string) []string {
	var cur strings.Builder
	quoted := false
	flush := func() {
		t := strings.TrimSpace(cur.String())
		cur.Reset()
		t = strings.TrimSpace(strings.Trim(t, "\""))
		if t == "" {
			return
		}
		ft := textfold.Fold(t)
		for _, old := range tags {
			if textfold.Fold(old) == ft {
				return
			}
		}
		tags = append(tags, t)
	}
	for _, r := range v {
		switch {
		case r == '"':
			quoted = !quoted
		case (r == ',' || r == ';') && !quoted:
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return tags
}

func joinNonEmpty(sep, a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + sep + b
}

// oneLine collapses the line breaks and runs of spaces of a single-line field (a name typed in
// a spreadsheet cell with Alt+Enter).
func oneLine(v string) string {
	if !strings.ContainsAny(v, "\n\r\t") && !strings.Contains(v, "  ") {
		return v
	}
	return strings.Join(strings.Fields(v), " ")
}
