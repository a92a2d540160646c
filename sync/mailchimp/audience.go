package mailchimp

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"hearth/sync/connector"
)

// maxErrors is how many per-address failures AudienceResult keeps as text.
const maxErrors = 10

// current is what the audience holds for one address.
type current struct {
	status       string
	fname, lname string
	tags         []string
}

// change is what one address needs: a PUT body (nil: none) and tags to add.
type change struct {
	email string
	hash  string
	put   map[string]any
	tags  []string
	// refuse explains why Hearth will not make a change the member list asks for.
	refuse string
}

// SyncAudience makes the audience hold Hearth's consent state. It first reads the whole
// audience (1,000 members a request) and then writes only the members that differ, 10 at a
// time:
//
//   - subscribed in Hearth: PUT status "subscribed" (status_if_new "subscribed"), with FNAME
//     and LNAME from Name (first word, the rest) when Name is set; a member Mailchimp holds as
//     pending is left to confirm; one it holds as unsubscribed or cleaned is not re-subscribed
//     (they unsubscribed there, or bounced): it is reported as a failure to resolve;
//   - not subscribed, or Suppressed: PUT status "unsubscribed" if Mailchimp holds them as
//     subscribed, pending or transactional; never added when absent (that would add an erased
//     or non-consenting address to the audience), and a Suppressed member's name and tags are
//     never sent;
//   - tags: those Hearth has and Mailchimp lacks are added (POST …/tags, status "active");
//     tags Mailchimp has and Hearth lacks are kept, as they may have been set in Mailchimp.
//
// A per-address failure (invalid address, 5xx) is counted and does not stop the push; a
// refused key, a missing audience, an unreachable platform or a 429 that persists stops it
// with the error.
// Upserted counts the members written; members already as wanted are not written again.
func (c *Client) SyncAudience(ctx context.Context, members []connector.AudienceMember) (connector.AudienceResult, error) {
	var res connector.AudienceResult
	have, err := c.audience(ctx)
	if err != nil {
		return res, err
	}
	// One entry per address, in first-seen order; the same address twice: the stricter wins.
	var order []string
	wanted := map[string]connector.AudienceMember{}
	for _, m := range members {
		m.Email = strings.TrimSpace(m.Email)
		key := strings.ToLower(m.Email)
		if key == "" {
			continue
		}
		if prev, dup := wanted[key]; dup {
			m.Suppressed = m.Suppressed || prev.Suppressed
			m.Subscribed = m.Subscribed && prev.Subscribed
		} else {
			order = append(order, key)
		}
		wanted[key] = m
	}
	var changes []change
	for _, key := range order {
		m := wanted[key]
		cur, exists := have[key]
		ch := diff(m.Email, m, cur, exists)
		if ch.put != nil || len(ch.tags) > 0 || ch.refuse != "" {
			ch.hash = subscriberHash(m.Email)
			changes = append(changes, ch)
		}
	}
	return c.apply(ctx, changes)
}

// diff says what one address needs.
func diff(email string, m connector.AudienceMember, cur current, exists bool) change {
	ch := change{email: email}
	want := "subscribed"
	if m.Suppressed || !m.Subscribed {
		want = "unsubscribed"
	}
	if !exists {
		if want != "subscribed" {
			return ch
		}
		ch.put = map[string]any{"email_address": email, "status_if_new": "subscribed", "status": "subscribed"}
		if f, l := splitName(m.Name); m.Name != "" {
			ch.put["merge_fields"] = map[string]any{"FNAME": f, "LNAME": l}
		}
		ch.tags = dedupeFold(m.Tags)
		return ch
	}
	body := map[string]any{"email_address": email, "status_if_new": want}
	switch {
	case want == "unsubscribed":
		switch cur.status {
		case "subscribed", "pending", "transactional":
			body["status"] = "unsubscribed"
		}
	case cur.status == "unsubscribed" || cur.status == "cleaned":
		ch.refuse = cur.status + " in Mailchimp: Hearth does not re-subscribe an address that " +
			"unsubscribed or bounced there; record the withdrawal in Hearth, or have them sign up again"
	case cur.status != "subscribed" && cur.status != "pending":
		body["status"] = "subscribed"
	}
	if !m.Suppressed {
		if f, l := splitName(m.Name); m.Name != "" && (f != cur.fname || l != cur.lname) {
			body["merge_fields"] = map[string]any{"FNAME": f, "LNAME": l}
		}
		for _, t := range dedupeFold(m.Tags) {
			if !slices.ContainsFunc(cur.tags, func(x string) bool { return strings.EqualFold(x, t) }) {
				ch.tags = append(ch.tags, t)
			}
		}
	}
	if len(body) > 2 {
		ch.put = body
	}
	return ch
}

func splitName(name string) (first, last string) {
	f := strings.Fields(name)
	if len(f) == 0 {
		return "", ""
	}
	return f[0], strings.Join(f[1:], " ")
}

func dedupeFold(tags []string) []string {
	var out []string
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t != "" && !slices.ContainsFunc(out, func(x string) bool { return strings.EqualFold(x, t) }) {
			out = append(out, t)
		}
	}
	return out
}

func subscriberHash(email string) string {
	sum := md5.Sum([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(sum[:])
}

// audience reads every member's address, status, name and tags, keyed by lowercased address.
func (c *Client) audience(ctx context.Context) (map[string]current, error) {
	have := map[string]current{}
	path := "/lists/" + url.PathEscape(c.list) + "/members"
	for offset := 0; ; {
		q := url.Values{"count": {strconv.Itoa(PageSize)}, "offset": {strconv.Itoa(offset)},
			"fields": {"total_items,members.email_address,members.status,members.merge_fields,members.tags"}}
		var page memberPage
		if _, err := c.do(ctx, connector.Request{Path: path, Query: q}, &page); err != nil {
			return nil, err
		}
		if page.TotalItems == nil {
			return nil, malformed("member list without total_items")
		}
		for _, m := range page.Members {
			cur := current{status: m.Status, fname: mergeString(m.MergeFields, "FNAME"),
				lname: mergeString(m.MergeFields, "LNAME")}
			for _, t := range m.Tags {
				cur.tags = append(cur.tags, t.Name)
			}
			have[strings.ToLower(m.EmailAddress)] = cur
		}
		offset += len(page.Members)
		if len(page.Members) == 0 || offset >= *page.TotalItems {
			return have, nil
		}
	}
}

// apply writes the changes with MaxConcurrent workers.
func (c *Client) apply(ctx context.Context, changes []change) (connector.AudienceResult, error) {
	var (
		res   connector.AudienceResult
		mu    sync.Mutex
		fatal error
		wg    sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	fail := func(email, msg string) {
		mu.Lock()
		defer mu.Unlock()
		res.Failed++
		if len(res.Errors) < maxErrors {
			res.Errors = append(res.Errors, email+": "+msg)
		}
	}
	work := make(chan change)
	for range min(MaxConcurrent, max(len(changes), 1)) {
		wg.Go(func() {
			for ch := range work {
				if ch.refuse != "" {
					fail(ch.email, ch.refuse)
					continue
				}
				err := c.write(ctx, ch)
				switch {
				case err == nil:
					mu.Lock()
					res.Upserted++
					mu.Unlock()
				case perAddress(err):
					var ce *connector.Error
					errors.As(err, &ce)
					fail(ch.email, ce.Message)
				default:
					mu.Lock()
					if fatal == nil {
						fatal = err
					}
					mu.Unlock()
					cancel()
				}
			}
		})
	}
feed:
	for _, ch := range changes {
		select {
		case work <- ch:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if fatal == nil && ctx.Err() != nil {
		fatal = context.Cause(ctx)
	}
	return res, fatal
}

// perAddress says whether a failure concerns only the address at hand.
func perAddress(err error) bool {
	var ce *connector.Error
	if !errors.As(err, &ce) {
		return false
	}
	return ce.Kind == connector.Invalid || ce.Kind == connector.Temporary
}

// write makes one address's change, retrying a 429 twice after the gate's pause.
func (c *Client) write(ctx context.Context, ch change) error {
	path := "/lists/" + url.PathEscape(c.list) + "/members/" + ch.hash
	var err error
	for range 3 {
		err = c.writeOnce(ctx, path, ch)
		if connector.KindOf(err) != connector.RateLimited {
			return err
		}
	}
	return err
}

func (c *Client) writeOnce(ctx context.Context, path string, ch change) error {
	if ch.put != nil {
		if _, err := c.do(ctx, connector.Request{Method: "PUT", Path: path, JSON: ch.put}, nil); err != nil {
			return err
		}
	}
	if len(ch.tags) > 0 {
		tags := make([]map[string]string, len(ch.tags))
		for i, t := range ch.tags {
			tags[i] = map[string]string{"name": t, "status": "active"}
		}
		if _, err := c.do(ctx, connector.Request{Method: "POST", Path: path + "/tags",
			JSON: map[string]any{"tags": tags}}, nil); err != nil {
			return err
		}
	}
	return nil
}
