// Package rss watches an RSS or Atom feed for competitive watch: Pull brings in the feed's new
// items as articles (activity.Article, no author), keeping only those whose title or text
// contains one of the connection's keywords, ignoring case and accents (backend/textfold); no
// keywords keeps every item. A feed connection only reads: Publish refuses.
//
// Settings: URL, the feed's address (required); Keywords (optional). There is no secret.
//
// The feed is fetched with a conditional GET (If-None-Match with the stored ETag,
// If-Modified-Since with the stored Last-Modified): 304 means nothing new and leaves the cursor
// as it was. The body (at most connector.MaxBody) is parsed with github.com/mmcdole/gofeed. An
// item's remote id is its GUID (Atom id), else its link. The cursor (JSON) keeps the validators
// and short hashes of the ids of the last items seen (at least 200), so that items already
// brought in are not sent again; the activity store dedupes as well. Changing the keywords
// starts over, since items seen but skipped may now match.
package rss

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"hearth/backend/activity"
	"hearth/backend/textfold"
	"hearth/sync/connector"
)

// keepSeen is how many item ids the cursor remembers at least.
const keepSeen = 200

// maxSeen bounds the cursor for feeds of thousands of items.
const maxSeen = 2000

// accept is what a feed reader asks for.
const accept = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"

// userAgent names Hearth as a feed reader (the shared one is shaped for Discord).
const userAgent = "Hearth/1.0 (feed reader; +https://github.com/hearth-community/hearth)"

// notModified marks a 304 between classify and Pull; it never leaves the package.
const notModified = "not_modified"

// Client watches one feed.
type Client struct {
	http     *connector.Client
	feed     *url.URL
	keywords []string // folded
	now      func() time.Time
}

var _ connector.Connector = (*Client)(nil)

// New returns a client for cfg: Settings.URL is the feed, Settings.Keywords the optional filter.
// Config.Secret is not used.
func New(cfg connector.Config) (connector.Connector, error) {
	raw := strings.TrimSpace(cfg.Connection.Settings.URL)
	if raw == "" {
		return nil, connector.Errorf(connector.Invalid, "rss: the feed address (settings.url) is missing")
	}
	feed, err := url.Parse(raw)
	if err != nil || (feed.Scheme != "https" && feed.Scheme != "http") || feed.Host == "" {
		return nil, connector.Errorf(connector.Invalid, "rss: the feed address (settings.url) must be an http(s) address such as https://example.org/feed.xml")
	}
	feed.Fragment = ""
	c := &Client{feed: feed, now: cfg.Now}
	if c.now == nil {
		c.now = time.Now
	}
	for _, k := range cfg.Connection.Settings.Keywords {
		if k = strings.TrimSpace(textfold.Fold(k)); k != "" {
			c.keywords = append(c.keywords, k)
		}
	}
	hc := cfg.HTTP
	if hc == nil {
		hc = connector.DefaultHTTP()
	}
	perSecond := 1.0 // one feed, one request a pull: pacing only guards against loops
	if cfg.NoLimit {
		perSecond = 0
	}
	c.http = &connector.Client{
		Base: feed.String(),
		HTTP: hc,
		// No credentials: the hook only makes the request a feed reader's.
		Auth: func(r *http.Request) {
			r.Header.Set("Accept", accept)
			r.Header.Set("User-Agent", userAgent)
		},
		Gate:     connector.NewGate(perSecond, 1, nil, c.now),
		Classify: classify,
	}
	return c, nil
}

// Check fetches the feed and makes sure it is one.
func (c *Client) Check(ctx context.Context) error {
	resp, err := c.http.Do(ctx, connector.Request{Path: c.feed.String()}, nil)
	if err != nil {
		return err
	}
	_, err = parse(resp.Body)
	return err
}

// Publish refuses: a feed connection only reads.
func (c *Client) Publish(context.Context, connector.Post, connector.Checkpoint) (connector.Published, error) {
	return connector.Published{}, &connector.Error{Kind: connector.Invalid,
		Message: "rss: a feed connection only reads; it cannot publish", Err: connector.ErrCannotPublish}
}

// pullCursor is what Pull remembers between runs, as JSON.
type pullCursor struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"lastModified,omitempty"`
	// Seen are short hashes of the ids of the items seen last, newest feed first.
	Seen []string `json:"seen,omitempty"`
	// Keywords is a hash of the keywords the items were filtered with.
	Keywords string `json:"keywords,omitempty"`
}

// Pull fetches the feed if it changed and sends the items not seen before that match the
// keywords.
func (c *Client) Pull(ctx context.Context, cursor string, sink connector.Sink) (string, error) {
	var cur pullCursor
	if cursor != "" && json.Unmarshal([]byte(cursor), &cur) != nil {
		cur = pullCursor{} // unreadable: fetch everything again, the activity store dedupes
	}
	if kw := c.keywordsHash(); cur.Keywords != kw {
		cur = pullCursor{Keywords: kw}
	}
	h := http.Header{}
	if cur.ETag != "" {
		h.Set("If-None-Match", cur.ETag)
	}
	if cur.LastModified != "" {
		h.Set("If-Modified-Since", cur.LastModified)
	}
	resp, err := c.http.Do(ctx, connector.Request{Path: c.feed.String(), Header: h}, nil)
	var ce *connector.Error
	if errors.As(err, &ce) && ce.Code == notModified {
		return cursor, nil
	}
	if err != nil {
		return cursor, err
	}
	if len(resp.Body) >= connector.MaxBody {
		return cursor, &connector.Error{Kind: connector.Invalid, Status: resp.Status,
			Message: fmt.Sprintf("rss: the feed is larger than %d MB", connector.MaxBody>>20)}
	}
	feed, err := parse(resp.Body)
	if err != nil {
		return cursor, err
	}
	seen := make(map[string]bool, len(cur.Seen))
	for _, s := range cur.Seen {
		seen[s] = true
	}
	channel := clean(feed.Title, 200)
	if channel == "" {
		channel = c.feed.Hostname()
	}
	var items []activity.Incoming
	var ids []string
	inFeed := map[string]bool{}
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		link := c.resolve(feed, it.Link)
		id := remoteID(it, link)
		short := connector.ShortKey(id, 16)
		if inFeed[short] {
			continue // the same item twice in one feed
		}
		inFeed[short] = true
		ids = append(ids, short)
		if seen[short] {
			continue
		}
		in, text := c.article(it, id, link, channel)
		if c.matches(in.Title, text) {
			items = append(items, in)
		}
	}
	if len(items) > 0 {
		if err := sink.Activities(ctx, items); err != nil {
			return cursor, err
		}
	}
	cur.ETag = resp.Header.Get("ETag")
	cur.LastModified = resp.Header.Get("Last-Modified")
	cur.Seen = remember(ids, cur.Seen)
	b, err := json.Marshal(cur)
	if err != nil {
		return cursor, err
	}
	if err := sink.Cursor(ctx, string(b)); err != nil {
		return cursor, err
	}
	return string(b), nil
}

// parse reads a feed body; anything gofeed cannot read is a readable Temporary error (a feed
// that is broken now may be fixed later).
func parse(body []byte) (*gofeed.Feed, error) {
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err == nil {
		return feed, nil
	}
	msg := "rss: the address does not hold a valid RSS or Atom feed"
	if !errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		msg += ": " + connector.Snippet([]byte(err.Error()))
	}
	return nil, &connector.Error{Kind: connector.Temporary, Status: http.StatusOK, Message: msg, Err: err}
}

// article maps a feed item; it also returns the item's whole text, for the keyword match.
func (c *Client) article(it *gofeed.Item, id, link, channel string) (activity.Incoming, string) {
	text := plain(it.Description)
	if text == "" {
		text = plain(it.Content)
	}
	at := c.now().UTC()
	switch {
	case it.PublishedParsed != nil:
		at = *it.PublishedParsed
	case it.UpdatedParsed != nil:
		at = *it.UpdatedParsed
	}
	return activity.Incoming{
		RemoteID: id,
		Kind:     activity.Article,
		At:       at,
		Channel:  channel,
		Link:     link,
		Title:    clean(it.Title, 300),
		Text:     truncate(text, maxExcerpt),
	}, text
}

// remoteID is the item's GUID, else its (absolute) link, else a hash of what it says.
func remoteID(it *gofeed.Item, link string) string {
	if id := strings.TrimSpace(it.GUID); id != "" {
		return id
	}
	if link != "" {
		return link
	}
	return "sha:" + connector.ShortKey(it.Title+"\x00"+it.Published+"\x00"+it.Description, 32)
}

// resolve makes an item's link absolute (against the site's link, else the feed's address).
func (c *Client) resolve(feed *gofeed.Feed, link string) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	if !u.IsAbs() {
		base := c.feed
		if fl, err := url.Parse(feed.Link); err == nil && fl.IsAbs() {
			base = fl
		}
		u = base.ResolveReference(u)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return ""
	}
	return u.String()
}

// matches says whether an item is kept: no keywords keeps all.
func (c *Client) matches(title, text string) bool {
	if len(c.keywords) == 0 {
		return true
	}
	hay := textfold.Fold(title + "\n" + text)
	for _, k := range c.keywords {
		if strings.Contains(hay, k) {
			return true
		}
	}
	return false
}

func (c *Client) keywordsHash() string {
	if len(c.keywords) == 0 {
		return ""
	}
	return connector.ShortKey(strings.Join(c.keywords, "\x00"), 16)
}

// remember keeps the current feed's ids, then the older ones, up to keepSeen (or the feed's
// length, up to maxSeen).
func remember(current, older []string) []string {
	limit := min(max(keepSeen, len(current)), maxSeen)
	out := make([]string, 0, limit)
	in := map[string]bool{}
	for _, list := range [][]string{current, older} {
		for _, s := range list {
			if len(out) == limit {
				return out
			}
			if !in[s] {
				in[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// classify turns an error response into an *Error; a 304 is marked for Pull.
func classify(status int, h http.Header, _ []byte) *connector.Error {
	if status == http.StatusNotModified {
		return &connector.Error{Kind: connector.Temporary, Status: status, Code: notModified, Message: "rss: not modified"}
	}
	e := connector.ClassifyStatus(status, h, "")
	switch e.Kind {
	case connector.Gone:
		e.Message = fmt.Sprintf("rss: the feed is no longer there (HTTP %d %s)", status, http.StatusText(status))
	case connector.Auth:
		e.Message = fmt.Sprintf("rss: the feed refuses to be read without credentials (HTTP %d)", status)
	case connector.RateLimited:
		e.Message = "rss: the site asks to wait before reading the feed again"
	default:
		e.Message = fmt.Sprintf("rss: the feed answered HTTP %d %s", status, http.StatusText(status))
	}
	return e
}
