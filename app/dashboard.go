package app

import (
	"context"
	"errors"
	"time"

	"hearth/backend/analytics"
	"hearth/backend/errs"
	"hearth/backend/members"
)

// DashboardService is the dashboard's door to the analytics.
type DashboardService struct {
	calls
	b *Backend
}

// NewDashboardService binds b's analytics for the window.
func NewDashboardService(b *Backend) *DashboardService { return &DashboardService{b: b} }

// Stats returns the KPIs of the days from..to (YYYY-MM-DD, both included, in the local zone),
// compared with the period of equal length just before.
func (s *DashboardService) Stats(from, to string) (analytics.KPIs, error) {
	r, err := analytics.DayRange(from, to, s.b.Clock.Now(), time.Local)
	if err != nil {
		return analytics.KPIs{}, err
	}
	return s.b.Analytics.KPIs(s.ctx(), r)
}

// MembersBehind lists (up to limit) the members behind one dashboard number.
func (s *DashboardService) MembersBehind(from, to, metric string, limit int) ([]members.Member, error) {
	r, err := analytics.DayRange(from, to, s.b.Clock.Now(), time.Local)
	if err != nil {
		return nil, err
	}
	ctx := s.ctx()
	ids, err := s.b.Analytics.MembersBehind(ctx, r, metric, limit)
	if err != nil {
		return nil, err
	}
	return s.b.membersByID(ctx, ids)
}

// membersByID reads members in the given order, skipping any deleted meanwhile.
func (b *Backend) membersByID(ctx context.Context, ids []string) ([]members.Member, error) {
	out := make([]members.Member, 0, len(ids))
	for _, id := range ids {
		m, err := b.Members.Get(ctx, id)
		switch {
		case err == nil:
			out = append(out, m)
		case errors.Is(err, errs.NotFound):
			// Deleted meanwhile. (errs.KindOf would not do: it panics on a nil error.)
		default:
			return nil, err
		}
	}
	return out, nil
}

// Funnel returns the conversion funnel of the days from..to (YYYY-MM-DD, both included, in
// the local zone) and its ROI under the saved settings. Slower than Stats: it reads consent.
func (s *DashboardService) Funnel(from, to string) (FunnelResult, error) {
	r, err := analytics.DayRange(from, to, s.b.Clock.Now(), time.Local)
	if err != nil {
		return FunnelResult{}, err
	}
	f, roi, err := s.b.Analytics.ROI(s.ctx(), r)
	if err != nil {
		return FunnelResult{}, err
	}
	return FunnelResult{Funnel: f, ROI: roi}, nil
}

// FunnelResult is a period's funnel and ROI, for the window.
type FunnelResult struct {
	Funnel analytics.Funnel `json:"funnel"`
	ROI    analytics.ROI    `json:"roi"`
}

// ROISettings returns the saved ROI settings.
func (s *DashboardService) ROISettings() (analytics.ROISettings, error) {
	return s.b.Analytics.ROISettings(s.ctx())
}

// SaveROISettings validates and saves the ROI settings (field errors name costPerMonth,
// valuePerConversion and currency).
func (s *DashboardService) SaveROISettings(in analytics.ROISettings) (analytics.ROISettings, error) {
	return s.b.Analytics.SaveROISettings(s.ctx(), in)
}
