package leanheap

import (
	"runtime/debug"
	"testing"
)

func TestJobsRunningAtOnceRestoreTheCollectorsSettingWhenTheLastEnds(t *testing.T) {
	own := debug.SetGCPercent(77)
	defer debug.SetGCPercent(own)
	first := Begin()
	second := Begin()
	first()
	first() // twice is once
	if got := debug.SetGCPercent(GCPercent); got != GCPercent {
		t.Fatalf("%d while a job runs", got)
	}
	second()
	if got := debug.SetGCPercent(77); got != 77 {
		t.Fatalf("%d after the jobs, want the process's 77", got)
	}
	debug.SetGCPercent(10)
	Begin()()
	if got := debug.SetGCPercent(10); got != 10 {
		t.Fatalf("a leaner setting of the process's own became %d", got)
	}
}
