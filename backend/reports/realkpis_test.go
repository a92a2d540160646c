package reports

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/analytics"
	"hearth/backend/clock"
	"hearth/backend/exports"
	"hearth/backend/internal/storetest"
	"hearth/backend/members"
)

func TestAWorkbookOfKPIsFromTheAnalyticsServiceReadsBackWhole(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(time.Date(2026, 1, 10, 9, 0, 0, 0, paris))
	st := storetest.Open(t, t.TempDir(), c)
	ms := members.NewService(st, c, nil)
	acts := activity.NewService(st, ms, c, nil)
	an := analytics.NewService(st, ms, acts, analytics.Options{Zone: paris})
	ins := make([]members.CreateInput, 12)
	for i := range ins {
		ins[i] = members.CreateInput{Name: fmt.Sprintf("Membre %02d", i), Emails: []string{fmt.Sprintf("m%d@example.org", i)}}
	}
	if _, err := ms.CreateMany(ctx, ins, nil); err != nil {
		t.Fatal(err)
	}
	var entries []activity.ManualInput
	for i := range 40 {
		kind := []activity.Kind{activity.Post, activity.Reply, activity.Reaction}[i%3]
		entries = append(entries, activity.ManualInput{Member: fmt.Sprintf("m%d@example.org", i%5), Kind: kind,
			At: time.Date(2026, 2, 1+i%27, 10, 0, 0, 0, paris), Channel: []string{"forum", "chat"}[i%2]})
	}
	if _, err := acts.AddManual(ctx, entries); err != nil {
		t.Fatal(err)
	}
	k, err := an.KPIs(ctx, analytics.Range{From: time.Date(2026, 2, 1, 0, 0, 0, 0, paris), To: time.Date(2026, 3, 1, 0, 0, 0, 0, paris)})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := WriteKPIWorkbook(ctx, &buf, k, exports.MembersOf(ctx, ms, members.ListQuery{}), Options{Lang: "en", Zone: paris})
	if err != nil || n != 12 {
		t.Fatalf("%d, %v", n, err)
	}
	x := readXLSX(t, buf.Bytes())
	x.wellFormed()
	s := x.sheet("Summary")
	if s.cells["B7"].num != float64(k.MembersTotal) || s.cells["B10"].num != float64(k.MembersActive) || k.MembersActive != 5 {
		t.Fatalf("summary %+v %+v for %+v", s.cells["B7"], s.cells["B10"], k)
	}
	if got := x.sheet("Members").rows; got != 13 {
		t.Fatalf("members sheet has %d rows", got)
	}
	if got := x.sheet("Levels").rows; got != len(k.Levels)+1 {
		t.Fatalf("levels sheet has %d rows for %d levels", got, len(k.Levels))
	}
}
