// Package hlc implements a hybrid logical clock (Kulkarni et al.).
//
// A Timestamp packs wall-clock milliseconds in its high 48 bits and a logical counter in its low
// 16 bits, so timestamps compare as integers, stay close to real time, and strictly increase on
// one replica even if the wall clock steps backwards. Two workspace copies merge by keeping, for
// each record, the write with the larger (Timestamp, replica id) pair.
package hlc

import (
	"fmt"
	"strconv"
	"sync"
	"time"

	"hearth/backend/clock"
)

// Timestamp is a hybrid logical clock reading.
type Timestamp uint64

const counterBits = 16

// Make builds a timestamp from wall milliseconds and a counter.
func Make(wallMillis int64, counter uint16) Timestamp {
	return Timestamp(uint64(wallMillis)<<counterBits | uint64(counter))
}

// WallMillis is the physical part, in Unix milliseconds.
func (t Timestamp) WallMillis() int64 { return int64(uint64(t) >> counterBits) }

// Counter is the logical part.
func (t Timestamp) Counter() uint16 { return uint16(uint64(t) & (1<<counterBits - 1)) }

// Time is the physical part as a time.
func (t Timestamp) Time() time.Time { return time.UnixMilli(t.WallMillis()).UTC() }

// String renders the timestamp as 16 hex digits, which sort like the timestamps.
func (t Timestamp) String() string { return fmt.Sprintf("%016x", uint64(t)) }

// Parse reads a timestamp written by String.
func Parse(s string) (Timestamp, error) {
	v, err := strconv.ParseUint(s, 16, 64)
	if err != nil {
		return 0, fmt.Errorf("hlc: parse %q: %w", s, err)
	}
	return Timestamp(v), nil
}

// Clock hands out strictly increasing timestamps; safe for concurrent use.
type Clock struct {
	mu   sync.Mutex
	wall clock.Clock
	last Timestamp
}

// New returns a clock that reads physical time from wall and never goes below floor
// (the highest timestamp this replica persisted before).
func New(wall clock.Clock, floor Timestamp) *Clock {
	return &Clock{wall: wall, last: floor}
}

// Now returns a timestamp greater than every one returned or observed before.
func (c *Clock) Now() Timestamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.last = next(c.last, c.wall.Now().UnixMilli())
	return c.last
}

// Observe folds in a timestamp seen from another replica, so later local stamps order after it.
func (c *Clock) Observe(remote Timestamp) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if remote > c.last {
		c.last = remote
	}
}

// Last returns the highest timestamp handed out or observed.
func (c *Clock) Last() Timestamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

func next(last Timestamp, wallMillis int64) Timestamp {
	if wallMillis > last.WallMillis() {
		return Make(wallMillis, 0)
	}
	if last.Counter() == 1<<counterBits-1 {
		// Counter exhausted within one millisecond: borrow the next millisecond.
		return Make(last.WallMillis()+1, 0)
	}
	return last + 1
}
