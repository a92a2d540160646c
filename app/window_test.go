package app

import (
	"testing"

	"hearth/backend/audit"
)

func TestClosingTheWindowCancelsTheCallsStillRunning(t *testing.T) {
	w := &Window{}
	var s calls
	s.attach(w)
	ctx := s.ctx()
	if ctx.Err() != nil || audit.Actor(ctx) != "window" {
		t.Fatalf("before Close: err %v, actor %q", ctx.Err(), audit.Actor(ctx))
	}
	w.Close()
	if ctx.Err() == nil {
		t.Fatal("a call's context outlives the window")
	}
}
