package wiring

import (
	"context"
	"testing"

	"hearth/backend/scheduler"
)

func TestTheAppsJobsAreRegisteredAndRunDueRunsThemOnce(t *testing.T) {
	ctx := context.Background()
	b, err := Open(ctx, Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	states, err := b.Scheduler.Jobs(ctx)
	if err != nil || len(states) != len(Jobs(b)) || states[0].Name != "calendar.publish" || !states[0].Due {
		t.Fatalf("%+v %v", states, err)
	}
	res, err := b.Scheduler.RunDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if !r.Ran || !r.OK {
			t.Fatalf("first run: %+v", r)
		}
	}
	res, _ = b.Scheduler.RunDue(ctx)
	for _, r := range res {
		if r.Ran || r.Skipped != scheduler.SkippedNotDue {
			t.Fatalf("second run, a moment later: %+v", r)
		}
	}
}
