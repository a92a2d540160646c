package consent

import (
	"context"
	"time"

	"hearth/backend/store"
)

// Lapsed counts grants that expired under one purpose's rule, and when: what a send check or an
// import summary tells the manager ("8 consents expired between 12 March and 3 May 2025, rule:
// 24 months for Newsletter").
type Lapsed struct {
	Purpose string `json:"purpose"`
	// PurposeName is empty for a built-in purpose that was never renamed: the UI translates it by id.
	PurposeName string `json:"purposeName"`
	// ExpiryMonths is the rule that was applied (0 = never).
	ExpiryMonths int `json:"expiryMonths"`
	Count        int `json:"count"`
	// First and Last are the earliest and latest expiry instants counted (absent when Count is 0).
	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`
}

// NewLapsed starts an empty tally under p's rule.
func NewLapsed(p Purpose) Lapsed {
	return Lapsed{Purpose: p.ID, PurposeName: p.Name, ExpiryMonths: p.Expiry()}
}

// Add counts one grant that expired at expiredAt.
func (l *Lapsed) Add(expiredAt time.Time) {
	expiredAt = expiredAt.UTC()
	if l.Count == 0 || expiredAt.Before(l.First) {
		l.First = expiredAt
	}
	if l.Count == 0 || expiredAt.After(l.Last) {
		l.Last = expiredAt
	}
	l.Count++
}

// Merge adds another tally of the same purpose to l.
func (l *Lapsed) Merge(o Lapsed) {
	if o.Count == 0 {
		return
	}
	if l.Count == 0 || o.First.Before(l.First) {
		l.First = o.First
	}
	if l.Count == 0 || o.Last.After(l.Last) {
		l.Last = o.Last
	}
	l.Count += o.Count
}

// ExpiryCheck checks grants against each purpose's rule at one time, and tallies the expired
// ones by purpose. Not safe for concurrent use.
type ExpiryCheck struct {
	at       time.Time
	purposes []Purpose
	lapsed   map[string]*Lapsed
}

// ExpiryCheck reads every purpose's rule once, to check grants against it at time at (zero = now).
func (s *Service) ExpiryCheck(ctx context.Context, at time.Time) (*ExpiryCheck, error) {
	c := &ExpiryCheck{at: s.at(at), lapsed: map[string]*Lapsed{}}
	err := s.view(ctx, func(tx *store.Tx) (err error) {
		c.purposes, err = readPurposes(tx)
		return err
	})
	return c, err
}

// Grant reports whether a grant of purpose given at granted has expired by the check's time, and
// counts it if so. A purpose the workspace does not know never expires (the ledger refuses its
// grants anyway).
func (c *ExpiryCheck) Grant(purpose string, granted time.Time) bool {
	p, end, expired := c.expired(purpose, granted)
	if expired {
		l := c.lapsed[p.ID]
		if l == nil {
			t := NewLapsed(p)
			l = &t
			c.lapsed[p.ID] = l
		}
		l.Add(end)
	}
	return expired
}

// Expired reports whether a grant of purpose given at granted has expired by the check's time,
// without counting it.
func (c *ExpiryCheck) Expired(purpose string, granted time.Time) bool {
	_, _, expired := c.expired(purpose, granted)
	return expired
}

func (c *ExpiryCheck) expired(purpose string, granted time.Time) (Purpose, time.Time, bool) {
	for _, p := range c.purposes {
		if p.ID == purpose {
			end := p.ExpiresAt(granted)
			return p, end, !end.IsZero() && !c.at.Before(end)
		}
	}
	return Purpose{}, time.Time{}, false
}

// Lapsed lists the tallies of the purposes with at least one expired grant, in the order
// Purposes lists them; never nil.
func (c *ExpiryCheck) Lapsed() []Lapsed {
	out := []Lapsed{}
	for _, p := range c.purposes {
		if l := c.lapsed[p.ID]; l != nil {
			out = append(out, *l)
		}
	}
	return out
}
