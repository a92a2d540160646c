package app

import (
	"context"
	"errors"

	"hearth/backend/analytics"
	"hearth/backend/campaigns"
	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/segments"
)

// DashboardService is the dashboard's door to the analytics.
type DashboardService struct {
	calls
	analytics *analytics.Service
	members   *members.Service
	campaigns *campaigns.Service
	segments  *segments.Service
	clock     clock.Clock
}

// NewDashboardService binds the analytics for the window: the members behind a number are
// read from ms, the newsletters' results from cs, a segment's members from seg; clk says what
// "today" is.
func NewDashboardService(a *analytics.Service, ms *members.Service, cs *campaigns.Service, seg *segments.Service, clk clock.Clock) *DashboardService {
	return &DashboardService{analytics: a, members: ms, campaigns: cs, segments: seg, clock: clk}
}

// only is the members of the saved segment (id or name) the numbers are restricted to, nil for
// everyone ("").
func (s *DashboardService) only(ctx context.Context, segment string) (analytics.Only, error) {
	if segment == "" {
		return nil, nil
	}
	ids, err := s.segments.SegmentIDs(ctx, segment)
	if err != nil {
		return nil, err
	}
	return analytics.OnlyOf(ids), nil
}

// days turns calendar days from..to (YYYY-MM-DD, both included) into a range in the
// workspace's zone.
func (s *DashboardService) days(from, to string) (analytics.Range, error) {
	return analytics.DayRange(from, to, s.clock.Now(), s.analytics.Zone())
}

// Stats returns the KPIs of the days from..to (YYYY-MM-DD, both included, in the workspace's
// zone), compared with the period of equal length just before; of the members of the saved
// segment named by its id when segment is not "" (KPIs.Unfiltered then names what stays empty).
func (s *DashboardService) Stats(from, to, segment string) (analytics.KPIs, error) {
	r, err := s.days(from, to)
	if err != nil {
		return analytics.KPIs{}, err
	}
	ctx := s.ctx()
	only, err := s.only(ctx, segment)
	if err != nil {
		return analytics.KPIs{}, err
	}
	return s.analytics.KPIsOf(ctx, r, only)
}

// MembersBehind lists (up to limit) the members behind one dashboard number, among the members
// of the saved segment when segment is not "".
func (s *DashboardService) MembersBehind(from, to, metric, segment string, limit int) ([]members.Member, error) {
	r, err := s.days(from, to)
	if err != nil {
		return nil, err
	}
	ctx := s.ctx()
	only, err := s.only(ctx, segment)
	if err != nil {
		return nil, err
	}
	ids, err := s.analytics.MembersBehindOf(ctx, r, metric, limit, only)
	if err != nil {
		return nil, err
	}
	return membersByID(ctx, s.members, ids)
}

// membersByID reads members in the given order, skipping any deleted meanwhile.
func membersByID(ctx context.Context, ms *members.Service, ids []string) ([]members.Member, error) {
	out := make([]members.Member, 0, len(ids))
	for _, id := range ids {
		m, err := ms.Get(ctx, id)
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
// the workspace's zone) and its ROI under the saved settings. Slower than Stats: it reads
// consent.
func (s *DashboardService) Funnel(from, to string) (FunnelResult, error) {
	r, err := s.days(from, to)
	if err != nil {
		return FunnelResult{}, err
	}
	f, roi, err := s.analytics.ROI(s.ctx(), r)
	if err != nil {
		return FunnelResult{}, err
	}
	return FunnelResult{Funnel: f, ROI: roi}, nil
}

// Campaigns returns what each newsletter sent in the days from..to (YYYY-MM-DD, both
// included, in the workspace's zone) achieved. Slower than Stats: it reads deliveries and
// consent.
func (s *DashboardService) Campaigns(from, to string) (analytics.CampaignReport, error) {
	r, err := s.days(from, to)
	if err != nil {
		return analytics.CampaignReport{}, err
	}
	return s.campaigns.Results(s.ctx(), r)
}

// FunnelResult is a period's funnel and ROI, for the window.
type FunnelResult struct {
	Funnel analytics.Funnel `json:"funnel"`
	ROI    analytics.ROI    `json:"roi"`
}

// ROISettings returns the saved ROI settings.
func (s *DashboardService) ROISettings() (analytics.ROISettings, error) {
	return s.analytics.ROISettings(s.ctx())
}

// SaveROISettings validates and saves the ROI settings (field errors name costPerMonth,
// valuePerConversion and currency).
func (s *DashboardService) SaveROISettings(in analytics.ROISettings) (analytics.ROISettings, error) {
	return s.analytics.SaveROISettings(s.ctx(), in)
}
