package discord

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxWait bounds any wait read from Discord (the gate caps pauses at an hour too).
const maxWait = time.Hour

// rateLimit is what a response says about its rate-limit bucket.
type rateLimit struct {
	// Remaining requests in the bucket; -1 when the header is absent or unreadable.
	Remaining int
	// Reset is when the bucket refills (X-RateLimit-Reset, epoch seconds with decimals);
	// zero when absent or unreadable.
	Reset time.Time
	// ResetAfter is X-RateLimit-Reset-After (float seconds); zero when absent or unreadable.
	ResetAfter time.Duration
	Bucket     string
	// Global is X-RateLimit-Global: true; Scope is X-RateLimit-Scope (user, global, shared).
	Global bool
	Scope  string
}

// parseRateLimit reads Discord's X-RateLimit-* headers.
func parseRateLimit(h http.Header) rateLimit {
	rl := rateLimit{Remaining: -1}
	if v := strings.TrimSpace(h.Get("X-RateLimit-Remaining")); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			rl.Remaining = n
		}
	}
	if f, ok := parseFloat(h.Get("X-RateLimit-Reset")); ok && f > 0 && f < 1e11 {
		sec, frac := math.Modf(f)
		rl.Reset = time.Unix(int64(sec), int64(frac*1e9))
	}
	if f, ok := parseFloat(h.Get("X-RateLimit-Reset-After")); ok {
		if d, ok := seconds(f); ok {
			rl.ResetAfter = d
		}
	}
	rl.Bucket = clip(strings.TrimSpace(h.Get("X-RateLimit-Bucket")), 64)
	rl.Global = strings.EqualFold(strings.TrimSpace(h.Get("X-RateLimit-Global")), "true")
	rl.Scope = clip(strings.TrimSpace(h.Get("X-RateLimit-Scope")), 16)
	return rl
}

func parseFloat(v string) (float64, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// signals is the gate's reader of Discord's headers: once a bucket's quota is spent
// (X-RateLimit-Remaining: 0), requests wait Reset-After (immune to clock skew), else until
// Reset.
func signals(_ int, h http.Header, now time.Time) time.Time {
	rl := parseRateLimit(h)
	if rl.Remaining != 0 {
		return time.Time{}
	}
	if rl.ResetAfter > 0 {
		return now.Add(rl.ResetAfter)
	}
	if rl.Reset.After(now) {
		return rl.Reset
	}
	return time.Time{}
}
