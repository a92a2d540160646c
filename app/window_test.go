package app

import (
	"testing"
	"time"

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

func TestWorkAfterTheFirstPaintRunsOnceAtThatPaintOrAfterTheLimitAndNotOnceClosed(t *testing.T) {
	ran := make(chan string, 4)
	painted := &Window{}
	painted.AfterFirstPaint(time.Hour, func() { ran <- "painted" })
	painted.painted("members")
	painted.painted("dashboard")
	if got := <-ran; got != "painted" {
		t.Fatal(got)
	}

	never := &Window{}
	never.AfterFirstPaint(10*time.Millisecond, func() { ran <- "limit" })
	if got := <-ran; got != "limit" {
		t.Fatal(got)
	}
	never.painted("members")

	closed := &Window{}
	closed.AfterFirstPaint(10*time.Millisecond, func() { ran <- "closed" })
	closed.Close()
	closed.painted("members")
	time.Sleep(50 * time.Millisecond)
	if len(ran) != 0 {
		t.Fatalf("ran again: %q", <-ran)
	}
}
