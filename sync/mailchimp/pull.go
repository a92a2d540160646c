package mailchimp

import (
	"context"
	"encoding/json"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hearth/backend/activity"
	"hearth/sync/connector"
)

// PageSize is how many members one request asks for (Mailchimp's maximum).
const PageSize = 1000

// stampLayout is how Mailchimp writes times ("2015-09-15T14:40:36+00:00").
const stampLayout = "2006-01-02T15:04:05-07:00"

// cursor is how far a pull got: members changed after Since, Offset of them already taken
// (newest first), and the Newest change seen, which becomes the next pull's Since.
type cursor struct {
	Since  string `json:"since,omitempty"`
	Offset int    `json:"offset,omitempty"`
	Newest string `json:"newest,omitempty"`
}

// member is what Pull and SyncAudience read of an audience member.
type member struct {
	ID           string         `json:"id"`
	EmailAddress string         `json:"email_address"`
	Status       string         `json:"status"`
	MergeFields  map[string]any `json:"merge_fields"`
	Stats        *struct {
		AvgOpenRate  float64 `json:"avg_open_rate"`
		AvgClickRate float64 `json:"avg_click_rate"`
	} `json:"stats"`
	MemberRating    int    `json:"member_rating"`
	TimestampOpt    string `json:"timestamp_opt"`
	TimestampSignup string `json:"timestamp_signup"`
	LastChanged     string `json:"last_changed"`
	Tags            []struct {
		Name string `json:"name"`
	} `json:"tags"`
}

type memberPage struct {
	Members    []member `json:"members"`
	TotalItems *int     `json:"total_items"`
}

const pullFields = "total_items,members.id,members.email_address,members.merge_fields,members.stats," +
	"members.member_rating,members.timestamp_opt,members.timestamp_signup,members.last_changed"

// Pull brings in the audience's members changed since the cursor, as people.
//
// Pages are read newest change first: a member changing during the pull moves to the front,
// so the offsets that follow see some members twice (harmless) but skip none, and that member's
// new change is after Newest, so the next pull brings it.
func (c *Client) Pull(ctx context.Context, raw string, sink connector.Sink) (string, error) {
	var cur cursor
	if raw != "" && json.Unmarshal([]byte(raw), &cur) != nil {
		cur = cursor{} // an unreadable cursor: take everything again (people are idempotent)
	}
	newest, _ := time.Parse(time.RFC3339, cur.Newest)
	for {
		q := url.Values{"count": {strconv.Itoa(PageSize)}, "offset": {strconv.Itoa(cur.Offset)},
			"sort_field": {"last_changed"}, "sort_dir": {"DESC"}, "fields": {pullFields}}
		if cur.Since != "" {
			q.Set("since_last_changed", cur.Since)
		}
		var page memberPage
		if _, err := c.do(ctx, connector.Request{Path: "/lists/" + url.PathEscape(c.list) + "/members", Query: q}, &page); err != nil {
			return raw, err
		}
		if page.TotalItems == nil {
			return raw, malformed("member list without total_items")
		}
		people := make([]activity.Person, 0, len(page.Members))
		for _, m := range page.Members {
			if m.EmailAddress == "" {
				continue
			}
			people = append(people, person(m))
			if t, err := time.Parse(time.RFC3339, m.LastChanged); err == nil && t.After(newest) {
				newest = t
			}
		}
		if len(people) > 0 {
			if err := sink.People(ctx, people); err != nil {
				return raw, err
			}
		}
		cur.Offset += len(page.Members)
		if !newest.IsZero() {
			cur.Newest = newest.UTC().Format(stampLayout)
		}
		if len(page.Members) == 0 || cur.Offset >= *page.TotalItems {
			since := cur.Since
			if cur.Newest != "" {
				since = cur.Newest
			}
			cur = cursor{Since: since}
		}
		b, _ := json.Marshal(cur)
		if err := sink.Cursor(ctx, string(b)); err != nil {
			return raw, err
		}
		raw = string(b)
		if cur.Offset == 0 {
			return raw, nil
		}
	}
}

// person maps a member to an activity.Person: no handle (Mailchimp has none), the e-mail, the
// name from FNAME and LNAME, and the open and click rates as percentages.
func person(m member) activity.Person {
	p := activity.Person{RemoteID: m.ID, Email: m.EmailAddress, Name: fullName(m.MergeFields)}
	if p.RemoteID == "" {
		p.RemoteID = subscriberHash(m.EmailAddress)
	}
	for _, s := range []string{m.TimestampOpt, m.TimestampSignup} {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			p.JoinedAt = t.UTC()
			break
		}
	}
	if m.Stats != nil {
		p.Stats = map[string]int{
			"avg_open_rate_pct":  int(math.Round(m.Stats.AvgOpenRate * 100)),
			"avg_click_rate_pct": int(math.Round(m.Stats.AvgClickRate * 100)),
		}
		if m.MemberRating > 0 {
			p.Stats["member_rating"] = m.MemberRating
		}
	}
	return p
}

func mergeString(f map[string]any, k string) string {
	s, _ := f[k].(string)
	return strings.TrimSpace(s)
}

func fullName(f map[string]any) string {
	return strings.TrimSpace(mergeString(f, "FNAME") + " " + mergeString(f, "LNAME"))
}
