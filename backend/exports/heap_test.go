package exports

import (
	"runtime/debug"
	"testing"
)

func TestExportsRunningAtOnceRestoreTheCollectorsSettingWhenTheLastEnds(t *testing.T) {
	own := debug.SetGCPercent(77)
	defer debug.SetGCPercent(own)
	first := leanHeap()
	second := leanHeap()
	first()
	first() // twice is once
	if got := debug.SetGCPercent(leanGCPercent); got != leanGCPercent {
		t.Fatalf("%d while an export runs", got)
	}
	second()
	if got := debug.SetGCPercent(77); got != 77 {
		t.Fatalf("%d after the exports, want the process's 77", got)
	}
	debug.SetGCPercent(10)
	leanHeap()()
	if got := debug.SetGCPercent(10); got != 10 {
		t.Fatalf("a leaner setting of the process's own became %d", got)
	}
}
