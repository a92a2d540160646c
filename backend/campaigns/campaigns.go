// Package campaigns says what each newsletter campaign achieved: the sends backend/newsletter
// recorded (subject, when, counts, the members each delivery reached), measured by
// backend/analytics (activity after the send against the week before, goals, withdrawals). It
// joins the two so that neither imports the other; the window's dashboard and `hearth stats`
// both ask it.
package campaigns

import (
	"context"

	"hearth/backend/analytics"
	"hearth/backend/newsletter"
)

// Service reports campaign results.
type Service struct {
	news      *newsletter.Service
	analytics *analytics.Service
}

// NewService reports on the sends of news, measured by a.
func NewService(news *newsletter.Service, a *analytics.Service) *Service {
	return &Service{news: news, analytics: a}
}

// Results returns what each newsletter sent in r achieved (analytics.CampaignResults over the
// sends newsletter.SentBetween lists), with totals; a period without sends has an empty list.
func (s *Service) Results(ctx context.Context, r analytics.Range) (analytics.CampaignReport, error) {
	sent, err := s.news.SentBetween(ctx, r.From, r.To)
	if err != nil {
		return analytics.CampaignReport{}, err
	}
	return s.analytics.CampaignResults(ctx, r, sends(sent))
}

// sends are the newsletter sends as analytics measures them: delivered is what the server
// accepted, bounced what it refused for good.
func sends(sent []newsletter.Sent) []analytics.CampaignSend {
	out := make([]analytics.CampaignSend, len(sent))
	for i, s := range sent {
		n := s.Newsletter
		out[i] = analytics.CampaignSend{ID: n.ID, Subject: n.Subject, SentAt: *n.SentAt, Recipients: n.Counts.Recipients,
			Delivered: n.Counts.Sent, Bounced: n.Counts.FailedPerm, FailedTemp: n.Counts.FailedTemp, Members: s.Delivered}
	}
	return out
}
