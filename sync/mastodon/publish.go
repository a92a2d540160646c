package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"hearth/sync/connector"
)

// scheduledPrefix marks the remote id of a scheduled status (its id is not a status id).
const scheduledPrefix = "scheduled:"

// status is the part of a Mastodon Status the connector reads.
type status struct {
	ID          string    `json:"id"`
	URL         string    `json:"url"`
	URI         string    `json:"uri"`
	CreatedAt   time.Time `json:"created_at"`
	Content     string    `json:"content"`
	SpoilerText string    `json:"spoiler_text"`
	Account     account   `json:"account"`
	// InReplyToID is the status this one answers (null, read as "", when none).
	InReplyToID string `json:"in_reply_to_id"`
}

// created is the answer to POST /api/v1/statuses: a Status, or a ScheduledStatus when the post
// was scheduled (it has scheduled_at and params instead of a url).
type created struct {
	ID          string          `json:"id"`
	URL         string          `json:"url"`
	ScheduledAt *time.Time      `json:"scheduled_at"`
	Params      json.RawMessage `json:"params"`
}

// newStatus is the body of POST /api/v1/statuses.
type newStatus struct {
	Status      string `json:"status"`
	Visibility  string `json:"visibility"`
	ScheduledAt string `json:"scheduled_at,omitempty"`
}

// Publish posts p as a public status exactly once (see the package comment).
func (c *Client) Publish(ctx context.Context, p connector.Post, save connector.Checkpoint) (connector.Published, error) {
	if p.RemoteID != "" {
		pub, found, err := c.reconcile(ctx, p.RemoteID)
		if err != nil || found {
			return pub, err
		}
	}
	text := statusText(p.Title, p.Body)
	if text == "" {
		return connector.Published{}, connector.Errorf(connector.Invalid, "mastodon: the post has neither title nor text")
	}
	body := newStatus{Status: text, Visibility: "public"}
	if !p.ScheduledAt.IsZero() && p.ScheduledAt.Sub(c.now()) >= MinSchedule {
		body.ScheduledAt = p.ScheduledAt.UTC().Format(time.RFC3339)
	}
	if p.RemoteID == "" && !p.TriedAt.IsZero() && c.now().Sub(p.TriedAt) >= KeyWindow {
		// The instance has forgotten the key of the attempt that may have posted: look for
		// what it created before posting again.
		pub, found, err := c.find(ctx, text, p.TriedAt)
		if err != nil {
			return connector.Published{}, err
		}
		if found {
			if save != nil {
				if err := save(pub.RemoteID); err != nil {
					return connector.Published{}, err
				}
			}
			return pub, nil
		}
	}
	var out created
	_, err := c.http.Do(ctx, connector.Request{
		Method: http.MethodPost,
		Path:   "/api/v1/statuses",
		Header: http.Header{"Idempotency-Key": {p.Key}},
		JSON:   body,
	}, &out)
	if err != nil {
		return connector.Published{}, err
	}
	if out.ID == "" {
		return connector.Published{}, malformed("the new status has no id")
	}
	pub := connector.Published{RemoteID: out.ID, URL: httpsOnly(out.URL)}
	if out.ScheduledAt != nil || len(out.Params) > 0 {
		pub = connector.Published{RemoteID: scheduledPrefix + out.ID}
	}
	if save != nil {
		if err := save(pub.RemoteID); err != nil {
			return connector.Published{}, err
		}
	}
	return pub, nil
}

// KeyWindow is how long after an attempt its Idempotency-Key is trusted to return the original
// status: the instance keeps it an hour; the margin covers the two clocks disagreeing and a
// request that took long to arrive.
const KeyWindow = 50 * time.Minute

// Bounds of the look-up after the key is forgotten.
const (
	// findSkew is how long before the attempt's start a status it created may be dated (the
	// instance's clock behind ours).
	findSkew = 10 * time.Minute
	// findPages bounds the pages of the account's statuses read (40 each): an account that
	// posted more since the attempt is not searched further.
	findPages = 10
)

// find looks for a status (or scheduled status) that attempts since triedAt (when the first one
// began) created with text, once the instance may no longer remember its Idempotency-Key: the
// pending scheduled statuses whose text is text, then the account's own statuses dated from
// triedAt (less findSkew) on,
// newest first, whose source text (GET /api/v1/statuses/:id/source) is text. found is false
// when none is, and when the account posted more than findPages pages since. Any failure is
// returned: posting while unsure could post twice.
func (c *Client) find(ctx context.Context, text string, triedAt time.Time) (pub connector.Published, found bool, err error) {
	same := func(a string) bool { return strings.TrimSpace(a) == strings.TrimSpace(text) }
	req := connector.Request{Path: "/api/v1/scheduled_statuses", Query: url.Values{"limit": {"40"}}}
	for range findPages {
		var page []struct {
			ID     string `json:"id"`
			Params struct {
				Text string `json:"text"`
			} `json:"params"`
		}
		resp, err := c.http.Do(ctx, req, &page)
		if err != nil {
			return pub, false, err
		}
		for _, sc := range page {
			if sc.ID != "" && same(sc.Params.Text) {
				return connector.Published{RemoteID: scheduledPrefix + sc.ID}, true, nil
			}
		}
		next, err := c.sameHost(parseLink(resp.Header.Get("Link"))["next"])
		if err != nil {
			return pub, false, err
		}
		if len(page) == 0 || next == "" {
			break
		}
		req = connector.Request{Path: next}
	}

	me, err := c.me(ctx)
	if err != nil {
		return pub, false, err
	}
	since := triedAt.Add(-findSkew)
	req = connector.Request{Path: "/api/v1/accounts/" + url.PathEscape(me.ID) + "/statuses",
		Query: url.Values{"limit": {"40"}, "exclude_replies": {"true"}, "exclude_reblogs": {"true"}}}
	for range findPages {
		var page []status
		resp, err := c.http.Do(ctx, req, &page)
		if err != nil {
			return pub, false, err
		}
		for _, st := range page {
			if st.CreatedAt.Before(since) {
				return pub, false, nil // older than the attempt, and so is everything after
			}
			if st.ID == "" || st.InReplyToID != "" {
				continue
			}
			var src struct {
				Text string `json:"text"`
			}
			if _, err := c.http.Do(ctx, connector.Request{Path: "/api/v1/statuses/" + url.PathEscape(st.ID) + "/source"}, &src); err != nil {
				if isGone(err) {
					continue
				}
				return pub, false, err
			}
			if same(src.Text) {
				return connector.Published{RemoteID: st.ID, URL: httpsOnly(st.URL)}, true, nil
			}
		}
		next, err := c.sameHost(parseLink(resp.Header.Get("Link"))["next"])
		if err != nil {
			return pub, false, err
		}
		if len(page) == 0 || next == "" {
			break
		}
		req = connector.Request{Path: next}
	}
	return pub, false, nil
}

// reconcile looks up what an earlier attempt created. found is false only when it is certain
// the earlier status no longer exists, so that creating it again is right; any other failure is
// returned, since creating while unsure could post twice.
func (c *Client) reconcile(ctx context.Context, remoteID string) (pub connector.Published, found bool, err error) {
	if id, ok := strings.CutPrefix(remoteID, scheduledPrefix); ok {
		var s created
		_, err := c.http.Do(ctx, connector.Request{Path: "/api/v1/scheduled_statuses/" + url.PathEscape(id)}, &s)
		if err != nil && !isGone(err) {
			return pub, false, err
		}
		// Still waiting, or already published by the instance (a scheduled status disappears
		// when it goes out), or cancelled by the person on the instance: either way it took
		// effect once and must not be created again.
		return connector.Published{RemoteID: remoteID}, true, nil
	}
	var s status
	_, err = c.http.Do(ctx, connector.Request{Path: "/api/v1/statuses/" + url.PathEscape(remoteID)}, &s)
	switch {
	case isGone(err):
		return pub, false, nil
	case err != nil:
		return pub, false, err
	case s.ID == "":
		return pub, false, malformed("the status has no id")
	}
	return connector.Published{RemoteID: s.ID, URL: httpsOnly(s.URL)}, true, nil
}

func isGone(err error) bool {
	var ce *connector.Error
	return errors.As(err, &ce) && ce.Kind == connector.Gone
}

// httpsOnly keeps a link only when it is an absolute https URL.
func httpsOnly(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return ""
	}
	return s
}
