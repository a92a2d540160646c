package analytics

import (
	"cmp"
	"context"
	"slices"
	"time"

	"hearth/backend/activity"
	"hearth/backend/consent"
)

// The windows of CampaignResults.
const (
	// EngagedDays is how many days after (and, for the baseline, before) a send engagement is
	// looked for.
	EngagedDays = 7
	// ConversionDays is how many days after a send a goal counts as a conversion.
	ConversionDays = 30
	// UnsubscribeWindow is how long after a send a withdrawal counts as an unsubscribe.
	UnsubscribeWindow = 7 * 24 * time.Hour
)

// CampaignSend is one newsletter send whose results CampaignResults computes, as the
// newsletter service recorded it.
type CampaignSend struct {
	ID      string
	Subject string
	SentAt  time.Time
	// Recipients is how many members the send was to reach; Delivered, Bounced (refused
	// permanently) and FailedTemp (still refused temporarily after every attempt) split them.
	Recipients, Delivered, Bounced, FailedTemp int
	// Members are the ids of the members it was delivered to (each once).
	Members []string
}

// CampaignCounts are what a newsletter (or the newsletters of a range, added up) achieved.
// Rates are over Delivered (0 when nothing was delivered).
type CampaignCounts struct {
	Recipients int `json:"recipients"`
	Delivered  int `json:"delivered"`
	Bounced    int `json:"bounced"`
	FailedTemp int `json:"failedTemp"`
	// Unsubscribed withdrew their newsletter consent within 7 days of the send.
	Unsubscribed int `json:"unsubscribed"`
	// Engaged were active in the 7 days from the send's day; EngagedRate is Engaged / Delivered.
	Engaged     int     `json:"engaged"`
	EngagedRate float64 `json:"engagedRate"`
	// BaselineEngaged were active in the 7 days before the send's day: the lift is EngagedRate
	// − BaselineEngagedRate (BaselineEngaged / Delivered).
	BaselineEngaged     int     `json:"baselineEngaged"`
	BaselineEngagedRate float64 `json:"baselineEngagedRate"`
	// Conversions reached the goal (a "goal" activity) in the 30 days from the send's day.
	Conversions int `json:"conversions"`
}

// add adds o's counts to c (rates are left to withRates).
func (c *CampaignCounts) add(o CampaignCounts) {
	c.Recipients += o.Recipients
	c.Delivered += o.Delivered
	c.Bounced += o.Bounced
	c.FailedTemp += o.FailedTemp
	c.Unsubscribed += o.Unsubscribed
	c.Engaged += o.Engaged
	c.BaselineEngaged += o.BaselineEngaged
	c.Conversions += o.Conversions
}

// withRates sets the rates from the counts.
func (c *CampaignCounts) withRates() {
	c.EngagedRate = ratio(c.Engaged, c.Delivered)
	c.BaselineEngagedRate = ratio(c.BaselineEngaged, c.Delivered)
}

// CampaignResult is what one newsletter achieved.
type CampaignResult struct {
	ID      string    `json:"id"`
	Subject string    `json:"subject"`
	SentAt  time.Time `json:"sentAt"`
	CampaignCounts
}

// CampaignTotals add up the newsletters of a range: a member reached by two newsletters
// counts twice. The rates are the sums' ratios.
type CampaignTotals struct {
	Newsletters int `json:"newsletters"`
	CampaignCounts
}

// CampaignReport is the results of the newsletters sent in a range, the oldest first.
type CampaignReport struct {
	From        time.Time        `json:"from"`
	To          time.Time        `json:"to"`
	Newsletters []CampaignResult `json:"newsletters"`
	Totals      CampaignTotals   `json:"totals"`
}

// CampaignResults computes the results of the sends whose SentAt is in r (others are left
// out), oldest first, from the activity counters and the consent ledger: no activity record is
// read. Hearth has no open or click tracking (no server, private by design), so results are
// what the members a newsletter reached did in the community afterwards.
//
// For a send on day D (the calendar day of its SentAt in the workspace's zone; the counters
// keep days, not instants, so the send's whole day counts as after it):
//   - Engaged: delivered recipients with at least one activity on days D to D+6 (EngagedDays);
//   - BaselineEngaged: the same recipients with at least one activity on days D-7 to D-1, for
//     comparison (the lift is EngagedRate − BaselineEngagedRate);
//   - Conversions: delivered recipients with a "goal" activity on days D to D+29
//     (ConversionDays);
//   - Unsubscribed: delivered recipients whose consent to the subscriber purpose (newsletter)
//     was granted at SentAt and withdrawn in (SentAt, SentAt + 7×24 h] (UnsubscribeWindow).
//
// Rates are over the delivered count (0 when nothing was delivered); members erased since
// count as delivered, never as engaged. A recent send's windows are not over: its numbers
// still grow.
func (s *Service) CampaignResults(ctx context.Context, r Range, sends []CampaignSend) (CampaignReport, error) {
	if err := s.check(r); err != nil {
		return CampaignReport{}, err
	}
	out := CampaignReport{From: r.From, To: r.To, Newsletters: []CampaignResult{}}
	var kept []CampaignSend
	for _, c := range sends {
		if !c.SentAt.Before(r.From) && c.SentAt.Before(r.To) {
			kept = append(kept, c)
		}
	}
	slices.SortStableFunc(kept, func(a, b CampaignSend) int {
		return cmp.Or(a.SentAt.Compare(b.SentAt), cmp.Compare(a.ID, b.ID))
	})
	if len(kept) == 0 {
		return out, nil
	}
	if err := s.ensureFrom(ctx, dayNeed(dayOf(kept[0].SentAt, s.o.Zone)-EngagedDays)); err != nil {
		return CampaignReport{}, err
	}
	out.Newsletters = make([]CampaignResult, len(kept))
	s.mu.RLock()
	for i, c := range kept {
		out.Newsletters[i] = s.campaignActivity(c)
	}
	s.mu.RUnlock()
	for i, c := range kept {
		n, err := s.unsubscribed(ctx, c)
		if err != nil {
			return CampaignReport{}, err
		}
		res := &out.Newsletters[i]
		res.Unsubscribed = n
		out.Totals.Newsletters++
		out.Totals.add(res.CampaignCounts)
	}
	out.Totals.withRates()
	return out, nil
}

// campaignActivity fills a send's result but Unsubscribed, from the members' entries. The
// caller holds mu for reading.
func (s *Service) campaignActivity(c CampaignSend) CampaignResult {
	res := CampaignResult{ID: c.ID, Subject: c.Subject, SentAt: c.SentAt, CampaignCounts: CampaignCounts{Recipients: c.Recipients,
		Delivered: max(c.Delivered, len(c.Members)), Bounced: c.Bounced, FailedTemp: c.FailedTemp}}
	d := dayOf(c.SentAt, s.o.Zone)
	goal := kindIndex[activity.Goal]
	x := s.idx
	for _, id := range c.Members {
		i, ok := x.byID[id]
		if !ok {
			continue
		}
		es := x.members[i].entries
		lo := lowerBound(es, d-EngagedDays)
		if lo < len(es) && es[lo].day < d {
			res.BaselineEngaged++
		}
		at := lowerBound(es, d)
		if at < len(es) && es[at].day < d+EngagedDays {
			res.Engaged++
		}
		for ; at < len(es) && es[at].day < d+ConversionDays; at++ {
			if es[at].kind == goal {
				res.Conversions++
				break
			}
		}
	}
	res.withRates()
	return res
}

// consentHistory is the ledger's list of a member's events (consent.Service has it): one read
// per member instead of two, and a withdrawal re-granted within the window still counts.
// Without it, an unsubscribe is a consent granted at the send and no longer granted
// UnsubscribeWindow after it.
type consentHistory interface {
	History(ctx context.Context, memberID string) ([]consent.Event, error)
}

// unsubscribed counts the send's members who withdrew their subscriber consent within
// UnsubscribeWindow after it, asking the ledger from a few goroutines at once.
func (s *Service) unsubscribed(ctx context.Context, c CampaignSend) (int, error) {
	cr := s.o.Consent
	if cr == nil || len(c.Members) == 0 {
		return 0, nil
	}
	purpose, sent, end := s.o.SubscriberPurpose, c.SentAt, c.SentAt.Add(UnsubscribeWindow)
	history, rich := cr.(consentHistory)
	withdrew := func(id string) (bool, error) {
		if rich {
			evs, err := history.History(ctx, id)
			if err != nil || !slices.ContainsFunc(evs, func(e consent.Event) bool {
				return e.Purpose == purpose && e.Kind == consent.Withdrawn && e.At.After(sent) && !e.At.After(end)
			}) {
				return false, err
			}
		} else if still, err := cr.Allowed(ctx, id, purpose, end); err != nil || still {
			return false, err
		}
		return cr.Allowed(ctx, id, purpose, sent)
	}
	return countParallel(ctx, len(c.Members), func(i int) (bool, error) { return withdrew(c.Members[i]) })
}
