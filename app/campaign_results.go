package app

import (
	"context"
	"time"

	"hearth/backend/analytics"
)

// CampaignResults returns what each newsletter sent in r achieved (analytics.CampaignResults
// over the sends newsletter.SentBetween lists), with totals. The window's dashboard card and
// `hearth stats --json` both call it.
func CampaignResults(ctx context.Context, b *Backend, r analytics.Range) (analytics.CampaignReport, error) {
	sent, err := b.Newsletters.SentBetween(ctx, r.From, r.To)
	if err != nil {
		return analytics.CampaignReport{}, err
	}
	sends := make([]analytics.CampaignSend, len(sent))
	for i, s := range sent {
		n := s.Newsletter
		sends[i] = analytics.CampaignSend{ID: n.ID, Subject: n.Subject, SentAt: *n.SentAt, Recipients: n.Counts.Recipients,
			Delivered: n.Counts.Sent, Bounced: n.Counts.FailedPerm, FailedTemp: n.Counts.FailedTemp, Members: s.Delivered}
	}
	return b.Analytics.CampaignResults(ctx, r, sends)
}

// Campaigns returns what each newsletter sent in the days from..to (YYYY-MM-DD, both included,
// in the local zone) achieved. Slower than Stats: it reads deliveries and consent.
func (s *DashboardService) Campaigns(from, to string) (analytics.CampaignReport, error) {
	r, err := analytics.DayRange(from, to, s.b.Clock.Now(), time.Local)
	if err != nil {
		return analytics.CampaignReport{}, err
	}
	return CampaignResults(s.ctx(), s.b, r)
}
