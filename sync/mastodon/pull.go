package mastodon

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hearth/backend/activity"
	"hearth/sync/connector"
)

// pullCursor is how far Pull got; it is passed around as JSON.
type pullCursor struct {
	// Account is the account the cursor is about: a token for another account starts over.
	Account       string      `json:"account,omitempty"`
	Followers     followState `json:"followers"`
	Notifications notifState  `json:"notifications"`
}

type followState struct {
	// Prev is the rel="prev" link of the newest page of the last finished walk (since_id: its
	// newest follow): a later walk starts there and stops at that follow.
	Prev string `json:"prev,omitempty"`
	// Next continues the walk under way (a link the instance gave); NewPrev is that walk's
	// newest page's prev link, which becomes Prev when it ends.
	Next    string `json:"next,omitempty"`
	NewPrev string `json:"newPrev,omitempty"`
}

type notifState struct {
	// Last is the newest notification id brought in (min_id of the next pull).
	Last string `json:"last,omitempty"`
	// Next continues the first pull's walk into the past; Pages counts its pages.
	Next  string `json:"next,omitempty"`
	Pages int    `json:"pages,omitempty"`
}

// notification is the part of a Mastodon Notification the connector reads.
type notification struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	CreatedAt time.Time `json:"created_at"`
	Account   account   `json:"account"`
	Status    *status   `json:"status"`
}

// kinds maps the notification types Hearth keeps to activity kinds.
var kinds = map[string]activity.Kind{
	"mention":   activity.Mention,
	"favourite": activity.Reaction,
	"reblog":    activity.Reaction,
	"follow":    activity.Follow,
	"status":    activity.Post,
}

// notificationTypes is the types[] filter sent with every notifications request.
var notificationTypes = []string{"mention", "favourite", "reblog", "follow", "status"}

// Pull brings in followers and notifications since cursor (see the package comment).
func (c *Client) Pull(ctx context.Context, cursor string, sink connector.Sink) (string, error) {
	var cur pullCursor
	if cursor != "" && json.Unmarshal([]byte(cursor), &cur) != nil {
		cur = pullCursor{} // unreadable: start over, the activity store dedupes
	}
	me, err := c.me(ctx)
	if err != nil {
		return cursor, err
	}
	if cur.Account != me.ID {
		cur = pullCursor{Account: me.ID}
	}
	save := func() (string, error) {
		b, err := json.Marshal(cur)
		if err != nil {
			return cursor, err
		}
		cursor = string(b)
		return cursor, sink.Cursor(ctx, cursor)
	}
	if err := c.pullFollowers(ctx, me.ID, &cur.Followers, sink, save); err != nil {
		return cursor, err
	}
	if err := c.pullNotifications(ctx, &cur.Notifications, sink, save); err != nil {
		return cursor, err
	}
	return save()
}

// pullFollowers walks the followers list from the newest follow down, only through the links
// the instance gives: the first time from the top to the end, later from the previous walk's
// prev link (the follows since then) down to the newest follow seen before.
func (c *Client) pullFollowers(ctx context.Context, me string, st *followState, sink connector.Sink, save func() (string, error)) error {
	seen := linkParam(st.Prev, "since_id", "min_id")
	for {
		first := st.Next == ""
		req := connector.Request{Path: st.Next}
		switch {
		case first && st.Prev != "":
			req = connector.Request{Path: st.Prev}
		case first:
			req = connector.Request{Path: "/api/v1/accounts/" + url.PathEscape(me) + "/followers",
				Query: url.Values{"limit": {strconv.Itoa(pageLimit)}}}
		}
		var page []account
		resp, err := c.http.Do(ctx, req, &page)
		if err != nil {
			return err
		}
		links := parseLink(resp.Header.Get("Link"))
		if first && len(page) > 0 {
			if st.NewPrev, err = c.sameHost(links["prev"]); err != nil {
				return err
			}
		}
		if len(page) > 0 {
			people := make([]activity.Person, 0, len(page))
			for _, a := range page {
				if p, ok := c.person(a); ok {
					people = append(people, p)
				}
			}
			if err := sink.People(ctx, people); err != nil {
				return err
			}
		}
		next, err := c.sameHost(links["next"])
		if err != nil {
			return err
		}
		// Below the newest follow seen before, everything was brought in already.
		if len(page) == 0 || next == "" || (seen != "" && !idLess(seen, linkParam(next, "max_id"))) {
			if st.NewPrev != "" {
				st.Prev = st.NewPrev
			}
			st.Next, st.NewPrev = "", ""
			_, err := save()
			return err
		}
		st.Next = next
		if _, err := save(); err != nil {
			return err
		}
	}
}

// pullNotifications walks back through past notifications the first time (a bounded number of
// pages), then asks for those after the newest one seen.
func (c *Client) pullNotifications(ctx context.Context, st *notifState, sink connector.Sink, save func() (string, error)) error {
	base := url.Values{"limit": {strconv.Itoa(pageLimit)}, "types[]": notificationTypes}
	backwards := st.Last == "" || st.Next != ""
	for {
		req := connector.Request{Path: "/api/v1/notifications", Query: cloneValues(base)}
		switch {
		case st.Next != "":
			req = connector.Request{Path: st.Next}
		case st.Last != "":
			req.Query.Set("min_id", st.Last)
		}
		var page []notification
		resp, err := c.http.Do(ctx, req, &page)
		if err != nil {
			return err
		}
		before := st.Last
		items := make([]activity.Incoming, 0, len(page))
		for _, n := range page {
			if n.ID == "" {
				return malformed("a notification has no id")
			}
			if idLess(st.Last, n.ID) {
				st.Last = n.ID
			}
			if in, ok := c.incoming(n); ok {
				items = append(items, in)
			}
		}
		if len(items) > 0 {
			if err := sink.Activities(ctx, items); err != nil {
				return err
			}
		}
		done := len(page) == 0
		if backwards {
			next, err := c.sameHost(parseLink(resp.Header.Get("Link"))["next"])
			if err != nil {
				return err
			}
			st.Pages++
			if done || next == "" || st.Pages >= FirstPullPages {
				// The walk is over; what arrived meanwhile is after Last, for the next pull.
				st.Next, st.Pages, done = "", 0, true
			} else {
				st.Next = next
			}
		} else {
			done = done || len(page) < pageLimit || st.Last == before
		}
		if _, err := save(); err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

// person is a follower as Hearth keeps people.
func (c *Client) person(a account) (activity.Person, bool) {
	if a.ID == "" {
		return activity.Person{}, false
	}
	name := strings.TrimSpace(a.DisplayName)
	if name == "" {
		name = a.Username
	}
	return activity.Person{
		RemoteID: a.ID,
		Handle:   c.handle(a),
		Name:     name,
		Stats: map[string]int{
			"followers_count": a.FollowersCount,
			"following_count": a.FollowingCount,
			"statuses_count":  a.StatusesCount,
		},
	}, true
}

// handle is an account's acct made fully qualified: local accounts come as "user" alone, and
// get the instance's domain, from their profile address (the instance's web domain) or else
// from the API address.
func (c *Client) handle(a account) string {
	acct := strings.TrimPrefix(strings.TrimSpace(a.Acct), "@")
	if acct == "" {
		acct = a.Username
	}
	if acct == "" || strings.Contains(acct, "@") {
		return acct
	}
	domain := c.base.Hostname()
	if u, err := url.Parse(a.URL); err == nil && u.Scheme == "https" && u.Hostname() != "" {
		domain = u.Hostname()
	}
	return acct + "@" + strings.ToLower(domain)
}

// incoming maps a notification to an activity; false for types Hearth does not keep.
func (c *Client) incoming(n notification) (activity.Incoming, bool) {
	kind, ok := kinds[n.Type]
	if !ok {
		return activity.Incoming{}, false
	}
	in := activity.Incoming{
		RemoteID: "notification:" + n.ID,
		Kind:     kind,
		At:       n.CreatedAt,
		Channel:  "notifications",
		Link:     httpsOnly(n.Account.URL),
	}
	if kind == activity.Reaction {
		in.Title = n.Type // "favourite" or "reblog": the kind alone does not say which
	}
	if author, ok := c.person(n.Account); ok {
		in.Author = &author
	}
	if s := n.Status; s != nil {
		if link := httpsOnly(s.URL); link != "" {
			in.Link = link
		} else if link := httpsOnly(s.URI); link != "" {
			in.Link = link
		}
		text := excerpt(s.Content)
		if cw := strings.TrimSpace(s.SpoilerText); cw != "" {
			text = truncate(cw+" — "+text, maxExcerpt)
		}
		in.Text = text
		in.Kind, in.Thread = conversation(kind, s)
	}
	return in, true
}

// conversation places a notification's status in its conversation (see the package comment):
// a mention or status answering another status is a Reply in the thread of the status answered;
// one answering nothing may start a conversation, its own id naming it. Reactions are about the
// account's own statuses and take part in no conversation.
func conversation(kind activity.Kind, s *status) (activity.Kind, string) {
	if (kind != activity.Mention && kind != activity.Post) || s.ID == "" {
		return kind, ""
	}
	if s.InReplyToID != "" {
		return activity.Reply, s.InReplyToID
	}
	return kind, s.ID
}

// sameHost checks that a pagination link points at the instance: the token goes with every
// request, so a link elsewhere is refused rather than followed.
func (c *Client) sameHost(link string) (string, error) {
	if link == "" {
		return "", nil
	}
	u, err := url.Parse(link)
	if err != nil || !u.IsAbs() {
		return "", malformed("unreadable pagination link")
	}
	if !strings.EqualFold(u.Host, c.base.Host) || (u.Scheme != c.base.Scheme && u.Scheme != "https") {
		return "", &connector.Error{Kind: connector.Temporary, Status: http.StatusOK,
			Message: "mastodon: a pagination link points to another host (" + u.Hostname() + "); not followed"}
	}
	return link, nil
}

// linkParam is the first of names found in a link's query.
func linkParam(link string, names ...string) string {
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	q := u.Query()
	for _, n := range names {
		if v := q.Get(n); v != "" {
			return v
		}
	}
	return ""
}

// idLess orders Mastodon ids, which are decimal integers in strings; "" is before every id.
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
