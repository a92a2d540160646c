package cli

import (
	"fmt"
	"io"

	"hearth/backend/analytics"
)

// printCampaigns writes the results of the newsletters sent in the period, one line each.
func (t tr) printCampaigns(w io.Writer, c analytics.CampaignReport) {
	fmt.Fprintln(w)
	if len(c.Newsletters) == 0 {
		fmt.Fprintln(w, t.msg("stats_campaigns_none"))
		return
	}
	fmt.Fprintln(w, t.msg("stats_campaigns"))
	for _, n := range c.Newsletters {
		fmt.Fprintln(w, "  "+t.msgf("stats_campaign", n.SentAt.Local().Format("2006-01-02"), n.Subject,
			t.num(n.Delivered), t.num(n.Bounced), t.num(n.Unsubscribed),
			t.pct(n.EngagedRate), t.pct(n.BaselineEngagedRate), t.num(n.Conversions)))
	}
}
