package reports

import (
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"

	"hearth/backend/analytics"
)

// Summary layout: the title block, the KPI table under a frozen header, then the small tables
// the charts draw from (by channel, by kind, by level, per day), the charts to the right.
const (
	kpiHeaderRow = 6
	tablesCol    = 1
	chartCol     = 6 // F
)

// kpiRow is one line of the KPI table.
type kpiRow struct {
	key   string
	value func(k *analytics.KPIs) float64
	style func(st styles) int
}

var kpiRows = []kpiRow{
	{"members_total", func(k *analytics.KPIs) float64 { return float64(k.MembersTotal) }, intStyle},
	{"members_new", func(k *analytics.KPIs) float64 { return float64(k.MembersNew) }, intStyle},
	{"members_churned", func(k *analytics.KPIs) float64 { return float64(k.MembersChurned) }, intStyle},
	{"members_active", func(k *analytics.KPIs) float64 { return float64(k.MembersActive) }, intStyle},
	{"dau", func(k *analytics.KPIs) float64 { return k.DAU }, decStyle},
	{"wau", func(k *analytics.KPIs) float64 { return k.WAU }, decStyle},
	{"mau", func(k *analytics.KPIs) float64 { return k.MAU }, decStyle},
	{"stickiness", func(k *analytics.KPIs) float64 { return k.Stickiness }, pctStyle},
	{"growth_rate", func(k *analytics.KPIs) float64 { return k.GrowthRate }, pctStyle},
	{"engagement_rate", func(k *analytics.KPIs) float64 { return k.EngagementRate }, pctStyle},
	{"activities", func(k *analytics.KPIs) float64 { return float64(k.Activities) }, intStyle},
}

func intStyle(st styles) int { return st.integer }
func decStyle(st styles) int { return st.decimal }
func pctStyle(st styles) int { return st.percent }

func (b *book) summary(k analytics.KPIs) error {
	name := b.w.get("sheet_summary")
	if err := b.sheet(name); err != nil {
		return err
	}
	if err := b.widths(name, 38, 16, 18, 16, 14); err != nil {
		return err
	}
	if err := b.periodBlock(name, k); err != nil {
		return err
	}
	if err := b.header(name, kpiHeaderRow, b.w.get("h_kpi"), b.w.get("h_value"), b.w.get("h_previous"), b.w.get("h_change")); err != nil {
		return err
	}
	for i, r := range kpiRows {
		row := kpiHeaderRow + 1 + i
		v := r.value(&k)
		if err := b.set(name, 1, row, b.w.get(r.key), 0); err != nil {
			return err
		}
		if err := b.set(name, 2, row, v, r.style(b.st)); err != nil {
			return err
		}
		if k.Previous == nil {
			continue
		}
		p := r.value(k.Previous)
		if err := b.set(name, 3, row, p, r.style(b.st)); err != nil {
			return err
		}
		if p != 0 {
			if err := b.set(name, 4, row, (v-p)/p, b.st.change); err != nil {
				return err
			}
		}
	}
	if err := b.freeze(name, 0, kpiHeaderRow); err != nil {
		return internal(err, "freeze")
	}
	if err := b.layout(name, 0); err != nil {
		return err
	}
	return b.chartTables(name, k, kpiHeaderRow+len(kpiRows)+2)
}

// periodBlock writes the title, the period, the previous period and when it was generated.
// Periods are shown with inclusive end days ([From, To) ends the day before To).
func (b *book) periodBlock(name string, k analytics.KPIs) error {
	zone := b.o.zone()
	title := b.w.get("title")
	if b.o.Segment != "" {
		title = fmt.Sprintf(b.w.get("title_segment"), b.o.Segment)
	}
	if err := b.set(name, 1, 1, title, b.st.title); err != nil {
		return err
	}
	prevFrom, prevTo := k.From.Add(-k.To.Sub(k.From)), k.From
	if k.Previous != nil {
		prevFrom, prevTo = k.Previous.From, k.Previous.To
	}
	for i, p := range []struct {
		label    string
		from, to any
	}{
		{b.w.get("period"), day(k.From, zone), day(k.To.AddDate(0, 0, -1), zone)},
		{b.w.get("previous_period"), day(prevFrom, zone), day(prevTo.AddDate(0, 0, -1), zone)},
	} {
		row := 2 + i
		if err := b.set(name, 1, row, p.label, b.st.section); err != nil {
			return err
		}
		if err := b.set(name, 2, row, p.from, b.st.date); err != nil {
			return err
		}
		if err := b.set(name, 3, row, b.w.get("to"), 0); err != nil {
			return err
		}
		if err := b.set(name, 4, row, p.to, b.st.date); err != nil {
			return err
		}
	}
	now := b.o.Now
	if now.IsZero() {
		now = time.Now()
	}
	if err := b.set(name, 1, 4, b.w.get("generated"), 0); err != nil {
		return err
	}
	return b.set(name, 2, 4, wall(now, zone), b.st.dateTime)
}

// chartTables writes the tables the charts draw from, starting at row, and adds the charts.
func (b *book) chartTables(name string, k analytics.KPIs, row int) error {
	type table struct {
		title, labelHeader string
		rows               []counted
		first, last        int
	}
	levels := make([]counted, 0, len(k.Levels))
	for _, l := range k.Levels {
		levels = append(levels, counted{b.w.level(l.Level, l.Name), l.Members})
	}
	tables := []*table{
		{title: b.w.get("t_channels"), labelHeader: b.w.get("h_channel"), rows: byCount(k.ActivitiesByChannel, b.w.channel)},
		{title: b.w.get("t_kinds"), labelHeader: b.w.get("h_kind"), rows: byCount(k.ActivitiesByKind, b.w.kind)},
		{title: b.w.get("t_levels"), labelHeader: b.w.get("h_level"), rows: levels},
	}
	for i, t := range tables {
		if len(t.rows) == 0 {
			label := b.w.get("no_data")
			if i == 0 && len(k.Unfiltered) > 0 {
				label = b.w.get("not_per_segment") // channels are counted for everyone only
			}
			t.rows = []counted{{label, 0}} // a chart needs a range of at least one row
		}
		if err := b.set(name, tablesCol, row, t.title, b.st.section); err != nil {
			return err
		}
		count := b.w.get("h_activities")
		if i == 2 {
			count = b.w.get("h_members")
		}
		if err := b.header(name, row+1, t.labelHeader, count); err != nil {
			return err
		}
		t.first = row + 2
		for j, c := range t.rows {
			if err := b.set(name, tablesCol, t.first+j, c.label, 0); err != nil {
				return err
			}
			if err := b.set(name, tablesCol+1, t.first+j, c.n, b.st.integer); err != nil {
				return err
			}
		}
		t.last = t.first + len(t.rows) - 1
		row = t.last + 2
	}

	// Per day: the line chart's data.
	if err := b.set(name, tablesCol, row, b.w.get("t_daily"), b.st.section); err != nil {
		return err
	}
	if err := b.header(name, row+1, b.w.get("h_day"), b.w.get("h_members"), b.w.get("h_active"),
		b.w.get("h_activities"), b.w.get("h_new")); err != nil {
		return err
	}
	dailyHeader, first := row+1, row+2
	daily := k.Daily
	if len(daily) == 0 {
		daily = []analytics.DayPoint{{Day: k.From.In(b.o.zone()).Format("2006-01-02")}}
	}
	// The days are written as text in the workbook's language: charts read their categories
	// as text (excelize writes a string reference), and a date cell would show its serial
	// number on the line chart's axis. Within one year (the period block above says which)
	// they are short, so that a month of them reads under the axis.
	dayLayout := map[string]string{"en": "2006-01-02", "fr": "02/01/2006"}[b.o.lang()]
	if zone := b.o.zone(); k.From.In(zone).Year() == k.To.Add(-time.Nanosecond).In(zone).Year() {
		dayLayout = map[string]string{"en": "Jan 2", "fr": "02/01"}[b.o.lang()]
	}
	for j, p := range daily {
		r := first + j
		d := p.Day
		if t, ok := parseDay(p.Day); ok {
			d = t.Format(dayLayout)
		}
		for c, v := range []any{d, p.MembersTotal, p.ActiveMembers, p.Activities, p.NewMembers} {
			st := b.st.integer
			if c == 0 {
				st = b.st.day
			}
			if err := b.set(name, tablesCol+c, r, v, st); err != nil {
				return err
			}
		}
	}
	last := first + len(daily) - 1

	ch, kd, lv := tables[0], tables[1], tables[2]
	charts := []struct {
		at    int // row
		col   int
		chart *excelize.Chart
	}{
		{1, chartCol, &excelize.Chart{
			Type: excelize.Line,
			Series: []excelize.ChartSeries{
				{Name: ref(name, tablesCol+1, dailyHeader, dailyHeader), Categories: ref(name, tablesCol, first, last),
					Values: ref(name, tablesCol+1, first, last), Marker: excelize.ChartMarker{Symbol: "none"}},
				{Name: ref(name, tablesCol+2, dailyHeader, dailyHeader), Categories: ref(name, tablesCol, first, last),
					Values: ref(name, tablesCol+2, first, last), Marker: excelize.ChartMarker{Symbol: "none"}},
			},
			Title:     chartTitle(b.w.get("c_daily")),
			Legend:    excelize.ChartLegend{Position: "bottom"},
			Dimension: excelize.ChartDimension{Width: 760, Height: 320},
			// At most about eight dates under the axis, so that each is read whole.
			XAxis: excelize.ChartAxis{TickLabelSkip: max(1, (len(daily)+7)/8)},
			YAxis: excelize.ChartAxis{MajorGridLines: true},
		}},
		{19, chartCol, &excelize.Chart{
			Type:      excelize.Bar,
			Series:    []excelize.ChartSeries{{Name: ref(name, tablesCol, ch.first-2, ch.first-2), Categories: ref(name, tablesCol, ch.first, ch.last), Values: ref(name, tablesCol+1, ch.first, ch.last)}},
			Title:     chartTitle(ch.title),
			Legend:    excelize.ChartLegend{Position: "none"},
			Dimension: excelize.ChartDimension{Width: 440, Height: 300},
			XAxis:     excelize.ChartAxis{ReverseOrder: true},
			PlotArea:  excelize.ChartPlotArea{ShowVal: true},
		}},
		{19, chartCol + 7, &excelize.Chart{
			Type:       excelize.Pie,
			Series:     []excelize.ChartSeries{{Name: ref(name, tablesCol, kd.first-2, kd.first-2), Categories: ref(name, tablesCol, kd.first, kd.last), Values: ref(name, tablesCol+1, kd.first, kd.last)}},
			Title:      chartTitle(kd.title),
			Legend:     excelize.ChartLegend{Position: "right"},
			Dimension:  excelize.ChartDimension{Width: 440, Height: 300},
			PlotArea:   excelize.ChartPlotArea{ShowPercent: true},
			VaryColors: ptr(true),
		}},
		{36, chartCol, &excelize.Chart{
			// Levels as a funnel: most engaged on top, bars shrinking towards them.
			Type:      excelize.Bar,
			Series:    []excelize.ChartSeries{{Name: ref(name, tablesCol, lv.first-2, lv.first-2), Categories: ref(name, tablesCol, lv.first, lv.last), Values: ref(name, tablesCol+1, lv.first, lv.last)}},
			Title:     chartTitle(lv.title),
			Legend:    excelize.ChartLegend{Position: "none"},
			Dimension: excelize.ChartDimension{Width: 440, Height: 260},
			XAxis:     excelize.ChartAxis{ReverseOrder: true},
			PlotArea:  excelize.ChartPlotArea{ShowVal: true},
			GapWidth:  ptr(uint(40)),
		}},
	}
	for _, c := range charts {
		c.chart.Format = excelize.GraphicOptions{OffsetX: 10, OffsetY: 4, ScaleX: 1, ScaleY: 1}
		if err := b.f.AddChart(name, cell(c.col, c.at), c.chart); err != nil {
			return internal(err, "chart")
		}
	}
	// The first printed page holds the KPIs and every chart (fitted to the page's width, the
	// charts' rows fit its height); the tables below continue on the next pages, so that no
	// chart is cut across two pages.
	if err := b.f.InsertPageBreak(name, cell(1, chartsEndRow)); err != nil {
		return internal(err, "page break")
	}
	return nil
}

// chartsEndRow is the first row of the summary's second printed page: below the charts (the
// funnel, from row 36, is 260 pixels high: 13 rows of Excel's 20 pixels, 16 of LibreOffice's
// 17) with a margin; fitted to the width, the rows above it fit one A4 landscape page.
const chartsEndRow = 55

func chartTitle(s string) excelize.ChartTitle {
	return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: s}}}
}

func ptr[T any](v T) *T { return &v }
