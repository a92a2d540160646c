package reports

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/xuri/excelize/v2"

	"hearth/backend/analytics"
	"hearth/backend/exports"
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
	if err := b.layout(name, 1); err != nil {
		return err
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
	if err := b.layout(name, 1); err != nil {
		return err
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
	if err := b.layout(name, 1); err != nil {
		return err
	}
	return b.freeze(name, 2, 1)
}

// val is a cell's value and style.
type val struct {
	v  any
	st int
}

// members lists ms on the member sheets, as backend/exports writes them.
func (b *book) members(ctx context.Context, ms exports.MemberSeq) (int, error) {
	return exports.WriteSheets(ctx, b.f, ms, exports.Options{Lang: b.o.lang(), Zone: b.o.zone(),
		Level: b.o.levelNames(b.w), Progress: b.o.Progress}, exports.Sheets{New: b.sheet, Header: b.st.header})
}
