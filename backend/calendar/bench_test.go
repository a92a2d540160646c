package calendar

import (
	"testing"
	"time"
)

// BenchmarkExpandYear500Series expands a year of 500 recurring items (daily, weekly on chosen
// days, monthly by day and by "2nd Tuesday"), the work List does for a year view.
func BenchmarkExpandYear500Series(b *testing.B) {
	rules := []Recurrence{
		{Freq: Daily},
		{Freq: Weekly, Weekdays: []string{"MO", "WE", "FR"}},
		{Freq: Weekly, Interval: 2, Weekdays: []string{"TU"}},
		{Freq: Monthly, MonthDay: 15},
		{Freq: Monthly, Week: 2, Weekdays: []string{"TU"}},
	}
	type item struct {
		start time.Time
		rule  *Recurrence
	}
	items := make([]item, 500)
	for i := range items {
		r := rules[i%len(rules)]
		items[i] = item{start: time.Date(2026, 1, 1+i%28, 8+i%10, (i*7)%60, 0, 0, paris), rule: &r}
	}
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, paris)
	to := from.AddDate(1, 0, 0)
	b.ReportAllocs()
	total := 0
	for b.Loop() {
		for _, it := range items {
			ser, err := newSeries(it.start, it.rule)
			if err != nil {
				b.Fatal(err)
			}
			total += len(ser.between(from, to))
		}
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "occurrences/s")
	b.ReportMetric(float64(total)/float64(b.N), "occurrences/op")
}
