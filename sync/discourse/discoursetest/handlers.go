package discoursetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yuin/goldmark"
)

// usersPerPage is AdminUserIndexQuery's page size.
const usersPerPage = 100

// postsPerPage is LatestPostsQuery::PAGE_SIZE.
const postsPerPage = 50

// maxExternalID is Topic::EXTERNAL_ID_MAX_LENGTH.
const maxExternalID = 50

var externalIDFormat = regexp.MustCompile(`\A[\w-]+\z`)

const timeFormat = "2006-01-02T15:04:05.000Z"

func stamp(t time.Time) string { return t.UTC().Format(timeFormat) }

type userJSON struct {
	ID             int     `json:"id"`
	Username       string  `json:"username"`
	Name           string  `json:"name"`
	AvatarTemplate string  `json:"avatar_template"`
	Email          string  `json:"email,omitempty"`
	Active         bool    `json:"active"`
	Admin          bool    `json:"admin"`
	Moderator      bool    `json:"moderator"`
	LastSeenAt     string  `json:"last_seen_at"`
	LastEmailedAt  *string `json:"last_emailed_at"`
	CreatedAt      string  `json:"created_at"`
	TrustLevel     int     `json:"trust_level"`
	Title          *string `json:"title"`
	Staged         bool    `json:"staged"`
	*statsJSON
}

type statsJSON struct {
	TimeRead       int `json:"time_read"`
	DaysVisited    int `json:"days_visited"`
	PostsReadCount int `json:"posts_read_count"`
	TopicsEntered  int `json:"topics_entered"`
	PostCount      int `json:"post_count"`
}

// userFlags are the lists /admin/users/list/{flag} accepts.
var userFlags = map[string]bool{"active": true, "new": true, "staff": true, "suspended": true,
	"blocked": true, "suspect": true}

func (s *Server) listUsers(flag string, q url.Values) (int, http.Header, []byte) {
	if !userFlags[flag] {
		return notFound()
	}
	var segs []userSeg
	total := 0
	for _, g := range s.users {
		if g.gen {
			if flag == "active" {
				segs, total = append(segs, g), total+g.n
			}
			continue
		}
		var list []*User
		for _, u := range g.list {
			if (flag == "active" && !u.Inactive) || (flag == "staff" && (u.Admin || u.Moderator)) ||
				(flag == "new" && u.TrustLevel == 0) {
				list = append(list, u)
			}
		}
		if len(list) > 0 {
			segs, total = append(segs, userSeg{list: list}), total+len(list)
		}
	}
	// The fake sorts by id, which is creation order; Discourse's default for "active" is the
	// last visit, newest first, modelled here as newest first.
	asc := strings.EqualFold(q.Get("order"), "created") && q.Get("asc") != "" && q.Get("asc") != "false"
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	emails, stats := q.Get("show_emails") == "true", q.Get("stats") != "false" && q.Get("stats") != ""
	out := []userJSON{}
	for pos := (page - 1) * usersPerPage; pos < min(page*usersPerPage, total); pos++ {
		i := pos
		if !asc {
			i = total - 1 - pos
		}
		out = append(out, userAt(segs, i).json(emails, stats))
	}
	return marshal(out)
}

func userAt(segs []userSeg, i int) *User {
	for _, g := range segs {
		if i < g.len() {
			return g.user(i)
		}
		i -= g.len()
	}
	return nil
}

func (u *User) json(emails, stats bool) userJSON {
	j := userJSON{ID: u.ID, Username: u.Username, Name: u.Name,
		AvatarTemplate: "/letter_avatar_proxy/v4/letter/" + strings.ToLower(u.Username[:1]) + "/8797f3/{size}.png",
		Active:         !u.Inactive, Admin: u.Admin, Moderator: u.Moderator, LastSeenAt: stamp(u.LastSeenAt),
		CreatedAt: stamp(u.CreatedAt), TrustLevel: u.TrustLevel}
	if emails {
		j.Email = u.Email
	}
	if stats {
		j.statsJSON = &statsJSON{TimeRead: u.TimeRead, DaysVisited: u.DaysVisited, PostsReadCount: u.PostsRead,
			TopicsEntered: u.TopicsEntered, PostCount: u.PostCount}
	}
	return j
}

type postJSON struct {
	ID                int     `json:"id"`
	Name              string  `json:"name"`
	Username          string  `json:"username"`
	AvatarTemplate    string  `json:"avatar_template"`
	CreatedAt         string  `json:"created_at"`
	Cooked            string  `json:"cooked"`
	PostNumber        int     `json:"post_number"`
	PostType          int     `json:"post_type"`
	UpdatedAt         string  `json:"updated_at"`
	ReplyCount        int     `json:"reply_count"`
	ReplyToPostNumber *int    `json:"reply_to_post_number"`
	QuoteCount        int     `json:"quote_count"`
	IncomingLinkCount int     `json:"incoming_link_count"`
	Reads             int     `json:"reads"`
	Score             float64 `json:"score"`
	Yours             bool    `json:"yours"`
	TopicID           int     `json:"topic_id"`
	TopicSlug         string  `json:"topic_slug"`
	TopicTitle        string  `json:"topic_title,omitempty"`
	TopicHTMLTitle    string  `json:"topic_html_title,omitempty"`
	CategoryID        int     `json:"category_id"`
	DisplayUsername   string  `json:"display_username"`
	Version           int     `json:"version"`
	UserID            int     `json:"user_id"`
	Raw               string  `json:"raw"`
	Excerpt           string  `json:"excerpt,omitempty"`
}

func (s *Server) postJSON(p *post, t *topic, latest bool) postJSON {
	u := s.userByID(p.userID)
	if u == nil {
		u = &User{ID: p.userID, Username: "deleted"}
	}
	j := postJSON{ID: p.id, Name: u.Name, Username: u.Username,
		AvatarTemplate: "/user_avatar/forum/" + strings.ToLower(u.Username) + "/{size}/1_2.png",
		CreatedAt:      stamp(p.createdAt), Cooked: p.cooked, PostNumber: p.postNumber, PostType: 1,
		UpdatedAt: stamp(p.createdAt), Reads: 1, TopicID: t.id, TopicSlug: t.slug, CategoryID: t.categoryID,
		DisplayUsername: u.Name, Version: 1, UserID: u.ID, Raw: p.raw}
	if latest {
		j.TopicTitle, j.TopicHTMLTitle = t.title, t.title
		j.Excerpt = excerpt(p.raw)
	}
	return j
}

func excerpt(raw string) string {
	if utf8.RuneCountInString(raw) <= 300 {
		return raw
	}
	return string([]rune(raw)[:300]) + "&hellip;"
}

func (s *Server) latestPosts(before string) (int, http.Header, []byte) {
	b, _ := strconv.Atoi(before)
	ps, ts := s.postsBefore(b, postsPerPage)
	out := make([]postJSON, len(ps))
	for i := range ps {
		out[i] = s.postJSON(ps[i], ts[i], true)
	}
	return marshal(map[string]any{"latest_posts": out})
}

func (s *Server) site() (int, http.Header, []byte) {
	type cat struct {
		ID        int    `json:"id"`
		Name      string `json:"name"`
		Slug      string `json:"slug"`
		Color     string `json:"color"`
		TextColor string `json:"text_color"`
		Position  int    `json:"position"`
	}
	cats := make([]cat, len(s.categories))
	for i, c := range s.categories {
		cats[i] = cat{ID: c.ID, Name: c.Name, Slug: c.Slug, Color: "0088CC", TextColor: "FFFFFF", Position: i}
	}
	return marshal(map[string]any{"default_archetype": "regular", "categories": cats})
}

func (s *Server) showTopic(idStr string) (int, http.Header, []byte) {
	id, err := strconv.Atoi(idStr)
	t := s.topicByID(id)
	if err != nil || t == nil {
		return notFound()
	}
	return marshal(map[string]any{"id": t.id, "title": t.title, "fancy_title": t.title, "slug": t.slug,
		"posts_count": t.postsCount, "created_at": stamp(t.createdAt), "category_id": t.categoryID,
		"archetype": "regular", "visible": true, "closed": false, "archived": false, "user_id": t.userID})
}

// createPost is PostsController#create for an API request: parameters, memo, validation.
func (s *Server) createPost(r *http.Request, body []byte, now time.Time) (int, http.Header, []byte) {
	params, ok := postParams(r.Header.Get("Content-Type"), body)
	if !ok {
		return jsonError(http.StatusBadRequest, "invalid_parameters", "The request body could not be read.")
	}
	if strings.TrimSpace(params["raw"]) == "" {
		return jsonError(http.StatusBadRequest, "invalid_parameters", "param is missing or the value is empty: raw")
	}
	key := memoKey(params, r.Header.Get("Api-Username"))
	if e, ok := s.memoized(key, now); ok {
		return e.status, nil, e.body
	}
	status, b := s.performCreate(params)
	s.remember(key, memoEntry{at: now, status: status, body: b})
	return status, nil, b
}

func (s *Server) performCreate(params map[string]string) (int, []byte) {
	fail := func(errs ...string) (int, []byte) {
		b, _ := json.Marshal(map[string]any{"action": "create_post", "errors": errs})
		return http.StatusUnprocessableEntity, b
	}
	user := s.userByName(s.opts.Username)
	raw, title := params["raw"], strings.TrimSpace(params["title"])
	var errs []string
	if n := utf8.RuneCountInString(strings.TrimSpace(raw)); n < s.opts.MinBody {
		errs = append(errs, fmt.Sprintf("Body is too short (minimum is %d characters)", s.opts.MinBody))
	}
	if tid := params["topic_id"]; tid != "" {
		id, _ := strconv.Atoi(tid)
		t := s.topics[id]
		if t == nil {
			t = s.topicByID(id)
			if t != nil {
				return fail("You cannot reply to a generated topic in this fake.")
			}
			return fail("Topic not found")
		}
		if len(errs) > 0 {
			return fail(errs...)
		}
		p := s.addPost(t, user.ID, raw)
		return marshalBody(s.postJSON(p, t, false))
	}
	switch {
	case title == "":
		errs = append(errs, "Title can't be blank")
	case utf8.RuneCountInString(title) < s.opts.MinTitle:
		errs = append(errs, fmt.Sprintf("Title is too short (minimum is %d characters)", s.opts.MinTitle))
	case utf8.RuneCountInString(title) > 255:
		errs = append(errs, "Title is too long (maximum is 255 characters)")
	}
	cat := 0
	if c := params["category"]; c != "" {
		cat, _ = strconv.Atoi(c)
		if s.categoryName(cat) == "" {
			errs = append(errs, "Category can't be blank")
		}
	}
	ext := params["external_id"]
	if ext != "" {
		switch {
		case utf8.RuneCountInString(ext) > maxExternalID:
			errs = append(errs, fmt.Sprintf("External is too long (maximum is %d characters)", maxExternalID))
		case !externalIDFormat.MatchString(ext):
			errs = append(errs, "External is invalid")
		default:
			if _, taken := s.external[strings.ToLower(ext)]; taken {
				errs = append(errs, "External has already been taken")
			}
		}
	}
	if len(errs) > 0 {
		return fail(errs...)
	}
	t, p := s.addTopic(user.ID, cat, title, raw, ext)
	s.created = append(s.created, title+"\n"+raw)
	return marshalBody(s.postJSON(p, t, false))
}

// postParams reads a JSON or form body into flat string parameters, as Rails sees them.
func postParams(ctype string, body []byte) (map[string]string, bool) {
	params := map[string]string{}
	if strings.HasPrefix(ctype, "application/json") {
		var m map[string]any
		d := json.NewDecoder(bytes.NewReader(body))
		d.UseNumber()
		if err := d.Decode(&m); err != nil {
			return nil, false
		}
		for k, v := range m {
			switch v := v.(type) {
			case nil:
			case string:
				params[k] = v
			default:
				params[k] = fmt.Sprint(v)
			}
		}
		return params, true
	}
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, false
	}
	for k := range vals {
		params[k] = vals.Get(k)
	}
	return params, true
}

// cook renders Markdown to HTML, as Discourse does on save.
func cook(raw string) string {
	var b bytes.Buffer
	if err := goldmark.Convert([]byte(raw), &b); err != nil {
		return "<p>" + raw + "</p>"
	}
	return strings.TrimSpace(b.String())
}

func marshal(v any) (int, http.Header, []byte) {
	status, b := marshalBody(v)
	return status, nil, b
}

func marshalBody(v any) (int, []byte) {
	b, err := json.Marshal(v)
	if err != nil {
		return http.StatusInternalServerError, []byte(`{"errors":["internal error"]}`)
	}
	return http.StatusOK, b
}
