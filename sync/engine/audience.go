package engine

import (
	"context"
	"strings"

	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/members"
	"hearth/backend/newsletter"
	"hearth/backend/store"
	"hearth/sync/connector"
)

// MemberAudience returns the default Options.Audience: every member with an e-mail address
// (their primary one), subscribed when their newsletter consent is granted now, suppressed when
// the address is on the newsletter suppression list (hard bounce, unsubscribe).
func MemberAudience(st *store.Store, ms *members.Service, cs *consent.Service, c clock.Clock) func(ctx context.Context) ([]connector.AudienceMember, error) {
	if c == nil {
		c = clock.System{}
	}
	return func(ctx context.Context) ([]connector.AudienceMember, error) {
		var out []connector.AudienceMember
		now := c.Now()
		for offset := 0; ; offset += members.MaxLimit {
			page, err := ms.List(ctx, members.ListQuery{Sort: members.SortCreated, Offset: offset, Limit: members.MaxLimit})
			if err != nil {
				return nil, err
			}
			for _, m := range page.Items {
				if len(m.Emails) == 0 {
					continue
				}
				email := strings.ToLower(strings.TrimSpace(m.Emails[0]))
				subscribed, err := cs.Allowed(ctx, m.ID, newsletter.Purpose, now)
				if err != nil {
					return nil, err
				}
				var suppressed bool
				err = st.View(func(tx *store.Tx) (err error) {
					suppressed, err = store.Suppressed(tx, newsletter.SuppressionKind, email)
					return err
				})
				if err != nil {
					return nil, err
				}
				out = append(out, connector.AudienceMember{Email: email, Name: m.Name,
					Subscribed: subscribed && !suppressed, Suppressed: suppressed, Tags: m.Tags})
			}
			if offset+members.MaxLimit >= page.Total {
				return out, nil
			}
		}
	}
}
