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

// statsCampaignMessages are the campaign results' messages, merged into the en and fr catalogs.
var statsCampaignMessages = map[string]map[string]string{
	"en": {
		"stats_campaigns_none": "Newsletters: none sent in this period.",
		"stats_campaigns":      "Newsletters sent (what recipients did afterwards; Hearth does not track opens):",
		"stats_campaign":       "%s  %q: delivered %s, bounced %s, unsubscribed %s; active in the week after %s (the week before %s); reached the goal within 30 days %s",
	},
	"fr": {
		"stats_campaigns_none": "Lettres d'information : aucune envoyée sur cette période.",
		"stats_campaigns":      "Lettres d'information envoyées (ce que les destinataires ont fait ensuite ; Hearth ne suit pas les ouvertures) :",
		"stats_campaign":       "%s  « %s » : remises %s, rejetées %s, désabonnements %s ; actifs la semaine suivante %s (la semaine d'avant %s) ; objectif atteint sous 30 jours %s",
	},
}
