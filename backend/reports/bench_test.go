package reports

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"hearth/backend/analytics"
	"hearth/backend/exports"
	"hearth/backend/internal/storetest"
)

// BenchmarkKPIWorkbook100k writes the KPI workbook of a year (365 daily points, cohorts,
// levels, super users) with a Members sheet of HEARTH_BENCH_MEMBERS members (100,000 by
// default), streamed: the time a manager waits for the Excel report, and the process's peak
// resident memory.
func BenchmarkKPIWorkbook100k(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("HEARTH_BENCH_MEMBERS")); err == nil && v > 0 {
		n = v
	}
	k := fixture()
	k.To = k.From.AddDate(1, 0, 0)
	k.Daily = k.Daily[:0]
	for d := k.From; d.Before(k.To); d = d.AddDate(0, 0, 1) {
		k.Daily = append(k.Daily, dayPoint(d))
	}
	ms := people(n)
	path := filepath.Join(b.TempDir(), "kpi.xlsx")
	svc := NewService(storetest.Open(b, b.TempDir(), nil), nil, ScheduleOptions{Zone: paris})
	var total time.Duration
	for range b.N {
		start := time.Now()
		rows, err := svc.SaveKPIWorkbook(context.Background(), path, k, exports.MemberSlice(ms), Options{Lang: "fr"})
		total += time.Since(start)
		if err != nil || rows != n {
			b.Fatalf("%d rows, %v", rows, err)
		}
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "workbook-s")
	b.ReportMetric(peakRSSMiB(), "peak-rss-MiB")
}

func dayPoint(d time.Time) analytics.DayPoint {
	i := d.YearDay()
	return analytics.DayPoint{Day: d.Format(time.DateOnly), Activities: 2000 + i%300, ActiveMembers: 900 + i%200,
		NewMembers: 20 + i%15, MembersTotal: 90_000 + 27*i}
}

// peakRSSMiB is the process's peak resident memory (VmHWM).
func peakRSSMiB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
