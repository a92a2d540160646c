package reports

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"hearth/backend/analytics"
	"hearth/backend/members"
)

// cohorts writes one row per joining month: its size and the share of it active in each month
// after, coloured from red (low) through yellow to green (high).
func (b *book) cohorts(cs []analytics.Cohort) error {
	name := b.w.get("sheet_cohorts")
	if err := b.sheet(name); err != nil {
		return err
	}
	width := 0
	for _, c := range cs {
		width = max(width, len(c.Retention))
	}
	head := []string{b.w.get("h_cohort"), b.w.get("h_size")}
	for i := range width {
		head = append(head, fmt.Sprintf(b.w.get("h_offset"), i))
	}
	if err := b.header(name, 1, head...); err != nil {
		return err
	}
	ws := []float64{16, 18}
	for range width {
		ws = append(ws, 10)
	}
	if err := b.widths(name, ws...); err != nil {
		return err
	}
	for i, c := range cs {
		row := 2 + i
		var month any = c.Month
		monthStyle := 0
		if t, ok := parseDay(c.Month); ok {
			month, monthStyle = t, b.st.date
		}
		if err := b.set(name, 1, row, month, monthStyle); err != nil {
			return err
		}
		if err := b.set(name, 2, row, c.Size, b.st.integer); err != nil {
			return err
		}
		for j, r := range c.Retention {
			if err := b.set(name, 3+j, row, r, b.st.percent); err != nil {
				return err
			}
		}
	}
	if err := b.freeze(name, 1, 1); err != nil {
		return internal(err, "freeze")
	}
	if len(cs) == 0 || width == 0 {
		return nil
	}
	area := cell(3, 2) + ":" + cell(2+width, 1+len(cs))
	err := b.f.SetConditionalFormat(name, area, []excelize.ConditionalFormatOptions{{
		Type: "3_color_scale", Criteria: "=",
		MinType: "num", MinValue: "0", MinColor: "#F8696B",
		MidType: "percentile", MidValue: "50", MidColor: "#FFEB84",
		MaxType: "max", MaxColor: "#63BE7B",
	}})
	if err != nil {
		return internal(err, "conditional format")
	}
	// The month cells show only the month.
	if len(cs) > 0 {
		code := "yyyy-mm"
		if b.o.lang() == "fr" {
			code = "mm/yyyy"
		}
		st, err := b.f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		if err == nil {
			err = b.f.SetCellStyle(name, "A2", cell(1, 1+len(cs)), st)
		}
		if err != nil {
			return internal(err, "style")
		}
	}
	return nil
}

// levels writes the members per level with the period's promotions and demotions.
func (b *book) levels(ls []analytics.LevelCount) error {
	name := b.w.get("sheet_levels")
	if err := b.sheet(name); err != nil {
		return err
	}
	if err := b.widths(name, 10, 22, 14, 14, 14); err != nil {
		return err
	}
	if err := b.header(name, 1, b.w.get("h_level"), b.w.get("h_name"), b.w.get("h_members"),
		b.w.get("h_promoted"), b.w.get("h_demoted")); err != nil {
		return err
	}
	for i, l := range ls {
		for c, v := range []any{l.Level, b.w.level(l.Level, l.Name), l.Members, l.Promoted, l.Demoted} {
			st := b.st.integer
			if c == 1 {
				st = 0
			}
			if err := b.set(name, 1+c, 2+i, v, st); err != nil {
				return err
			}
		}
	}
	return b.freeze(name, 0, 1)
}

// people writes ranked members (super users, or gone quiet when silentAt is set: then a
// column says for how many days they have been silent at silentAt). days is the period's
// length, for the reason ("… in 30 days"); 0 leaves it out.
func (b *book) people(name string, us []analytics.SuperUser, days int, silentAt time.Time) error {
	if err := b.sheet(name); err != nil {
		return err
	}
	total := map[string]int{}
	for _, u := range us {
		for k, n := range u.Counts {
			total[k] += n
		}
	}
	kinds := slices.Sorted(maps.Keys(total))
	slices.SortStableFunc(kinds, func(a, c string) int { return total[c] - total[a] })

	head := []string{b.w.get("h_rank"), b.w.get("h_name"), b.w.get("h_score"), b.w.get("h_level"), b.w.get("h_last_active")}
	ws := []float64{8, 28, 10, 14, 20}
	if !silentAt.IsZero() {
		head, ws = append(head, b.w.get("h_silent")), append(ws, 14)
	}
	for _, k := range kinds {
		head, ws = append(head, b.w.kind(k)), append(ws, 12)
	}
	head, ws = append(head, b.w.get("h_why"), b.w.get("h_id")), append(ws, 60, 28)
	if err := b.widths(name, ws...); err != nil {
		return err
	}
	if err := b.header(name, 1, head...); err != nil {
		return err
	}
	zone := b.o.zone()
	for i, u := range us {
		row := 2 + i
		level := any(u.Level)
		if u.Level == 0 {
			level = ""
		}
		last := val{"", 0}
		if !u.LastActive.IsZero() {
			last = val{wall(u.LastActive, zone), b.st.dateTime}
		}
		cells := []val{{i + 1, b.st.integer}, {u.Name, 0}, {u.Score, b.st.decimal}, {level, b.st.integer}, last}
		if !silentAt.IsZero() {
			var silent any = ""
			if !u.LastActive.IsZero() {
				silent = int(silentAt.Sub(u.LastActive) / (24 * time.Hour))
			}
			cells = append(cells, val{silent, b.st.integer})
		}
		for _, k := range kinds {
			cells = append(cells, val{u.Counts[k], b.st.integer})
		}
		cells = append(cells, val{b.w.why(u.Counts, days), 0}, val{u.MemberID, 0})
		for c, x := range cells {
			if err := b.set(name, 1+c, row, x.v, x.st); err != nil {
				return err
			}
		}
	}
	return b.freeze(name, 2, 1)
}

// val is a cell's value and style.
type val struct {
	v  any
	st int
}

// members streams ms onto "Members", "Members (2)"…, RowsPerSheet data rows each, every sheet
// with its frozen header.
func (b *book) members(ctx context.Context, ms Members) (int, error) {
	base := b.w.get("sheet_members")
	head := []string{b.w.get("h_name"), b.w.get("h_email"), b.w.get("h_other_emails"), b.w.get("h_handles"),
		b.w.get("h_tags"), b.w.get("h_created")}
	ws := []float64{26, 30, 30, 28, 28, 18}
	if b.o.LevelOf != nil {
		head, ws = append(head, b.w.get("h_level")), append(ws, 16)
	}
	head, ws = append(head, b.w.get("h_id")), append(ws, 28)
	hcells := make([]any, len(head))
	for i, h := range head {
		hcells[i] = excelize.Cell{StyleID: b.st.header, Value: h}
	}
	zone := b.o.zone()

	var sw *excelize.StreamWriter
	sheets, row, n := 0, 0, 0
	next := func() error {
		if sw != nil {
			if err := sw.Flush(); err != nil {
				return internal(err, "flush")
			}
		}
		sheets++
		name := base
		if sheets > 1 {
			name = fmt.Sprintf("%s (%d)", base, sheets)
		}
		if err := b.sheet(name); err != nil {
			return err
		}
		var err error
		if sw, err = b.f.NewStreamWriter(name); err != nil {
			return internal(err, "stream")
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return internal(err, "freeze")
		}
		for i, w := range ws {
			if err := sw.SetColWidth(i+1, i+1, w); err != nil {
				return internal(err, "width")
			}
		}
		row = 1
		if err := sw.SetRow("A1", hcells, excelize.RowOpts{Height: 20}); err != nil {
			return internal(err, "header")
		}
		return nil
	}
	if err := next(); err != nil {
		return 0, err
	}
	for m, err := range ms {
		if err != nil {
			return n, err
		}
		if n%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return n, cancelled(err)
			}
		}
		if row-1 >= RowsPerSheet {
			if err := next(); err != nil {
				return n, err
			}
		}
		row++
		if err := sw.SetRow(cell(1, row), b.memberRow(m, zone)); err != nil {
			return n, internal(err, "row")
		}
		n++
		if b.o.Progress != nil && n%ProgressEvery == 0 {
			b.o.Progress(n)
		}
	}
	if err := sw.Flush(); err != nil {
		return n, internal(err, "flush")
	}
	if b.o.Progress != nil {
		b.o.Progress(n)
	}
	return n, nil
}

func (b *book) memberRow(m members.Member, zone *time.Location) []any {
	var primary, others string
	if len(m.Emails) > 0 {
		primary = m.Emails[0]
		others = strings.Join(m.Emails[1:], "; ")
	}
	handles := make([]string, 0, len(m.Handles))
	for _, h := range m.Handles {
		handles = append(handles, h.Platform+": "+h.Handle)
	}
	var created any = ""
	if !m.CreatedAt.IsZero() {
		created = excelize.Cell{StyleID: b.st.dateTime, Value: wall(m.CreatedAt, zone)}
	}
	row := []any{m.Name, primary, others, strings.Join(handles, "; "), strings.Join(m.Tags, "; "), created}
	if b.o.LevelOf != nil {
		level := "" // teammates, and members unknown to the analytics
		if l := b.o.LevelOf(m.ID); l > 0 && l < len(analytics.LevelNames) {
			level = b.w.level(l, analytics.LevelNames[l])
		}
		row = append(row, level)
	}
	return append(row, m.ID)
}
