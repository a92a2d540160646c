package discourse

import (
	"context"
	"encoding/json"
	"html"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"

	"hearth/backend/activity"
	"hearth/sync/connector"
)

// Page sizes Discourse uses (AdminUserIndexQuery, LatestPostsQuery::PAGE_SIZE).
const (
	usersPerPage = 100
	postsPerPage = 50
	maxText      = 500
)

// cursor is where a Pull got to, stored as JSON by the engine.
//
// Users are read oldest first: Page is the next page to read, and At/ID the newest member
// already reported. A pull starts one page before Page (members deleted meanwhile shift the
// list back) and skips anyone not newer than At/ID.
//
// Posts are read newest first, walking back: Done is the newest post id of the last finished
// walk. A walk in progress keeps Top (the newest id it started from) and Before (where to go on);
// an interrupted pull finishes that walk, then starts a new one down to Done.
type cursor struct {
	Users struct {
		Page int       `json:"page,omitempty"`
		At   time.Time `json:"at,omitzero"`
		ID   int       `json:"id,omitempty"`
	} `json:"users"`
	Posts struct {
		Done   int `json:"done,omitempty"`
		Top    int `json:"top,omitempty"`
		Before int `json:"before,omitempty"`
	} `json:"posts"`
}

// parseCursor reads a stored cursor; one it cannot read means starting over, which ingest
// tolerates (it is unique by remote id).
func parseCursor(s string) cursor {
	var c cursor
	if s == "" || json.Unmarshal([]byte(s), &c) != nil {
		return cursor{}
	}
	if c.Users.Page < 0 || c.Posts.Done < 0 || c.Posts.Top < 0 || c.Posts.Before < 0 {
		return cursor{}
	}
	if c.Posts.Top > 0 && c.Posts.Before <= 0 {
		c.Posts.Top = 0 // a walk without a place to go on: start a new one
	}
	return c
}

func (c cursor) String() string {
	b, _ := json.Marshal(c)
	return string(b)
}

// userJSON is a member in /admin/users/list.
type userJSON struct {
	ID             int       `json:"id"`
	Username       string    `json:"username"`
	Name           string    `json:"name"`
	Email          string    `json:"email"`
	CreatedAt      time.Time `json:"created_at"`
	Staged         bool      `json:"staged"`
	TrustLevel     int       `json:"trust_level"`
	PostCount      int       `json:"post_count"`
	DaysVisited    int       `json:"days_visited"`
	PostsReadCount int       `json:"posts_read_count"`
	TopicsEntered  int       `json:"topics_entered"`
	TimeRead       int       `json:"time_read"`
}

// postJSON is a post in /posts.json's latest_posts.
type postJSON struct {
	ID         int       `json:"id"`
	Name       string    `json:"name"`
	Username   string    `json:"username"`
	UserID     int       `json:"user_id"`
	CreatedAt  time.Time `json:"created_at"`
	Cooked     string    `json:"cooked"`
	PostNumber int       `json:"post_number"`
	TopicID    int       `json:"topic_id"`
	TopicSlug  string    `json:"topic_slug"`
	TopicTitle string    `json:"topic_title"`
	CategoryID int       `json:"category_id"`
}

type latestPosts struct {
	LatestPosts *[]postJSON `json:"latest_posts"`
}

// Pull reports new members, then new posts (see the package comment and cursor).
func (c *Client) Pull(ctx context.Context, cur string, sink connector.Sink) (string, error) {
	st := parseCursor(cur)
	rec := &recorder{Sink: sink, last: cur}
	if err := c.pullUsers(ctx, &st, rec); err != nil {
		return rec.last, err
	}
	if err := c.pullPosts(ctx, &st, rec); err != nil {
		return rec.last, err
	}
	return st.String(), nil
}

// recorder remembers the last cursor the sink accepted: what a failed Pull returns.
type recorder struct {
	connector.Sink
	last string
}

func (r *recorder) Cursor(ctx context.Context, cur string) error {
	if err := r.Sink.Cursor(ctx, cur); err != nil {
		return err
	}
	r.last = cur
	return nil
}

func (c *Client) pullUsers(ctx context.Context, st *cursor, sink connector.Sink) error {
	page := max(st.Users.Page-1, 1)
	for {
		var users []userJSON
		q := url.Values{"order": {"created"}, "asc": {"true"}, "page": {strconv.Itoa(page)},
			"show_emails": {"true"}, "stats": {"true"}}
		if _, err := c.http.Do(ctx, connector.Request{Path: "/admin/users/list/active.json", Query: q}, &users); err != nil {
			return err
		}
		var people []activity.Person
		var joins []activity.Incoming
		for _, u := range users {
			// Negative ids are Discourse's own bots (system, discobot); staged users are
			// e-mail correspondents, not members.
			if u.ID <= 0 || u.Staged || u.Username == "" || !newer(u, st) {
				continue
			}
			p := person(u)
			people = append(people, p)
			author := p
			joins = append(joins, activity.Incoming{RemoteID: "join:" + p.RemoteID, Kind: activity.Join,
				At: u.CreatedAt, Link: c.base + "/u/" + url.PathEscape(u.Username), Author: &author})
			st.Users.At, st.Users.ID = u.CreatedAt, u.ID
		}
		if len(people) > 0 {
			if err := sink.People(ctx, people); err != nil {
				return err
			}
			if err := sink.Activities(ctx, joins); err != nil {
				return err
			}
		}
		full := len(users) >= usersPerPage
		if full {
			st.Users.Page = page + 1
		} else {
			st.Users.Page = page // the last page: new members will join it
		}
		if err := sink.Cursor(ctx, st.String()); err != nil {
			return err
		}
		if !full {
			return nil
		}
		page++
	}
}

// newer says whether u joined after the members already reported.
func newer(u userJSON, st *cursor) bool {
	if st.Users.At.IsZero() && st.Users.ID == 0 {
		return true
	}
	return u.CreatedAt.After(st.Users.At) || (u.CreatedAt.Equal(st.Users.At) && u.ID > st.Users.ID)
}

func person(u userJSON) activity.Person {
	return activity.Person{RemoteID: strconv.Itoa(u.ID), Handle: u.Username, Name: u.Name,
		Email: strings.TrimSpace(u.Email), JoinedAt: u.CreatedAt,
		Stats: map[string]int{"post_count": u.PostCount, "days_visited": u.DaysVisited,
			"posts_read_count": u.PostsReadCount, "topics_entered": u.TopicsEntered,
			"time_read": u.TimeRead, "trust_level": u.TrustLevel}}
}

func (c *Client) pullPosts(ctx context.Context, st *cursor, sink connector.Sink) error {
	var categories map[int]string
	resumed := st.Posts.Top > 0
	for {
		q := url.Values{}
		if st.Posts.Top > 0 {
			q.Set("before", strconv.Itoa(st.Posts.Before))
		}
		var page latestPosts
		resp, err := c.http.Do(ctx, connector.Request{Path: "/posts.json", Query: q}, &page)
		if err != nil {
			return err
		}
		if page.LatestPosts == nil {
			return &connector.Error{Kind: connector.Temporary, Status: resp.Status,
				Message: "malformed response: no latest_posts"}
		}
		posts := *page.LatestPosts
		if st.Posts.Top == 0 {
			if len(posts) == 0 || posts[0].ID <= st.Posts.Done {
				return nil // nothing new
			}
			st.Posts.Top = posts[0].ID
		}
		var items []activity.Incoming
		lowest, reachedDone := 0, false
		for _, p := range posts {
			if lowest == 0 || p.ID < lowest {
				lowest = p.ID
			}
			if p.ID <= st.Posts.Done {
				reachedDone = true
				continue
			}
			if p.UserID <= 0 {
				continue // Discourse's own bots (system, discobot) are not the community
			}
			if categories == nil {
				if categories, err = c.categories(ctx); err != nil {
					return err
				}
			}
			items = append(items, c.incoming(p, categories))
		}
		if len(items) > 0 {
			if err := sink.Activities(ctx, items); err != nil {
				return err
			}
		}
		finished := reachedDone || len(posts) < postsPerPage || lowest <= 1
		if finished {
			st.Posts.Done, st.Posts.Top, st.Posts.Before = st.Posts.Top, 0, 0
		} else {
			st.Posts.Before = lowest
		}
		if err := sink.Cursor(ctx, st.String()); err != nil {
			return err
		}
		if finished {
			if !resumed {
				return nil
			}
			resumed = false // the interrupted walk is done: now walk down from the newest
		}
	}
}

// categories maps category ids to names (GET /site.json).
func (c *Client) categories(ctx context.Context) (map[int]string, error) {
	var site struct {
		Categories []struct {
			ID   int    `json:"id"`
			Name string `json:"name"`
		} `json:"categories"`
	}
	if _, err := c.http.Do(ctx, connector.Request{Path: "/site.json"}, &site); err != nil {
		return nil, err
	}
	m := make(map[int]string, len(site.Categories))
	for _, cat := range site.Categories {
		m[cat.ID] = cat.Name
	}
	return m, nil
}

func (c *Client) incoming(p postJSON, categories map[int]string) activity.Incoming {
	kind := activity.Reply
	if p.PostNumber == 1 {
		kind = activity.Post
	}
	channel := categories[p.CategoryID]
	if channel == "" && p.CategoryID != 0 {
		channel = strconv.Itoa(p.CategoryID)
	}
	slug := p.TopicSlug
	if slug == "" {
		slug = "topic"
	}
	author := &activity.Person{RemoteID: strconv.Itoa(p.UserID), Handle: p.Username, Name: p.Name}
	thread := ""
	if p.TopicID > 0 {
		thread = strconv.Itoa(p.TopicID)
	}
	return activity.Incoming{
		RemoteID: "post:" + strconv.Itoa(p.ID),
		Kind:     kind,
		At:       p.CreatedAt,
		Channel:  channel,
		Link:     c.base + "/t/" + url.PathEscape(slug) + "/" + strconv.Itoa(p.TopicID) + "/" + strconv.Itoa(p.PostNumber),
		Title:    p.TopicTitle,
		Text:     plainText(p.Cooked, maxText),
		Author:   author,
		Thread:   thread,
	}
}

var strict = bluemonday.StrictPolicy()

// blockEnds become spaces so that "<p>a</p><p>b</p>" does not read "ab".
var blockEnds = strings.NewReplacer("</p>", " </p>", "<br>", " ", "<br/>", " ", "<br />", " ",
	"</li>", " </li>", "</h1>", " </h1>", "</h2>", " </h2>", "</h3>", " </h3>", "</blockquote>", " </blockquote>",
	"</div>", " </div>", "</td>", " </td>", "</pre>", " </pre>")

// plainText strips HTML (keeping the words of paragraphs apart) and cuts to n characters.
func plainText(cooked string, n int) string {
	cooked = blockEnds.Replace(cooked)
	text := strings.Join(strings.Fields(html.UnescapeString(strict.Sanitize(cooked))), " ")
	if r := []rune(text); len(r) > n {
		text = strings.TrimSpace(string(r[:n-1])) + "…"
	}
	return text
}
