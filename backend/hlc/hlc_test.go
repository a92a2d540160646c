package hlc

import (
	"testing"
	"time"

	"hearth/backend/clock"
)

func TestNowIncreasesEvenWhenTheWallClockStepsBack(t *testing.T) {
	wall := clock.NewManual(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	c := New(wall, 0)
	a := c.Now()
	wall.Set(wall.Now().Add(-time.Hour))
	b := c.Now()
	if b <= a {
		t.Fatalf("after the clock stepped back, got %v after %v", b, a)
	}
	if b.WallMillis() != a.WallMillis() || b.Counter() != a.Counter()+1 {
		t.Fatalf("want same millisecond, next counter; got %v then %v", a, b)
	}
}

func TestNowFollowsTheWallClockForward(t *testing.T) {
	wall := clock.NewManual(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	c := New(wall, 0)
	c.Now()
	wall.Advance(5 * time.Millisecond)
	got := c.Now()
	if !got.Time().Equal(wall.Now()) || got.Counter() != 0 {
		t.Fatalf("got %v (%v), want wall time %v with counter 0", got, got.Time(), wall.Now())
	}
}

func TestCounterOverflowBorrowsTheNextMillisecond(t *testing.T) {
	wall := clock.NewManual(time.UnixMilli(1000))
	c := New(wall, Make(1000, 1<<16-1))
	got := c.Now()
	if got != Make(1001, 0) {
		t.Fatalf("got %d/%d, want 1001/0", got.WallMillis(), got.Counter())
	}
}

func TestObserveOrdersLaterStampsAfterARemoteOne(t *testing.T) {
	wall := clock.NewManual(time.UnixMilli(1000))
	c := New(wall, 0)
	remote := Make(5000, 7)
	c.Observe(remote)
	if got := c.Now(); got <= remote {
		t.Fatalf("got %v, want after %v", got, remote)
	}
}

func TestFloorFromAPreviousRunIsNeverUndercut(t *testing.T) {
	floor := Make(9_000_000, 3)
	c := New(clock.NewManual(time.UnixMilli(1)), floor)
	if got := c.Now(); got <= floor {
		t.Fatalf("got %v, want above floor %v", got, floor)
	}
}

func TestStringSortsLikeTheTimestampAndParsesBack(t *testing.T) {
	a, b := Make(1, 2), Make(300, 0)
	if !(a.String() < b.String()) {
		t.Fatalf("%s should sort before %s", a, b)
	}
	back, err := Parse(b.String())
	if err != nil || back != b {
		t.Fatalf("Parse(%s) = %v, %v", b, back, err)
	}
}
