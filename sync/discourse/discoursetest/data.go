package discoursetest

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"
)

// User is a forum member as a seed helper adds it.
type User struct {
	ID               int
	Username, Name   string
	Email            string
	Admin, Moderator bool
	Inactive         bool
	TrustLevel       int
	CreatedAt        time.Time // the fake's clock (kept increasing) when zero
	LastSeenAt       time.Time
	PostCount        int
	DaysVisited      int
	PostsRead        int
	TopicsEntered    int
	TimeRead         int // seconds
}

// Category is a forum category.
type Category struct {
	ID   int
	Name string
	Slug string
}

type topic struct {
	id, categoryID, userID int
	title, slug            string
	externalID             string
	createdAt              time.Time
	postsCount             int
}

type post struct {
	id, topicID, postNumber, userID int
	raw, cooked                     string
	createdAt                       time.Time
}

// userSeg is a run of users in id order: generated ones (computed from their index) or a list.
type userSeg struct {
	gen     bool
	first   int // first id (generated)
	n       int
	offset  int // index of the first generated user among all generated users
	startAt time.Time
	list    []*User
}

func (g userSeg) len() int {
	if g.gen {
		return g.n
	}
	return len(g.list)
}

// postSeg is a run of posts in id order: generated ones or a list.
type postSeg struct {
	gen                bool
	first, n           int
	topicFirst         int
	authorFirst, users int // authors are users authorFirst .. authorFirst+users-1
	categories         []int
	startAt            time.Time
	list               []*post
}

// postsPerGeneratedTopic is how many generated posts share a topic.
const postsPerGeneratedTopic = 10

type data struct {
	categories []Category
	users      []userSeg
	posts      []postSeg
	topics     map[int]*topic
	external   map[string]int // lower-cased external_id → topic id
	created    []string

	nextUser, nextPost, nextTopic, nextCategory int
	generatedUsers                              int
	lastUserAt, lastPostAt                      time.Time
}

func (d *data) init(now time.Time) {
	d.topics = map[int]*topic{}
	d.external = map[string]int{}
	d.nextUser, d.nextPost, d.nextTopic, d.nextCategory = 1, 1, 1, 1
	// The forum is older than anything seeded: the API user joined five years ago.
	d.lastUserAt = now.AddDate(-5, 0, 0).Truncate(time.Second)
	d.lastPostAt = d.lastUserAt
}

// AddCategory adds a category and returns its id.
func (s *Server) AddCategory(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextCategory
	s.nextCategory++
	s.categories = append(s.categories, Category{ID: id, Name: name, Slug: slugify(name)})
	return id
}

// AddUser adds a member (active unless Inactive) and returns its id; ids and creation times
// only grow, as on a real forum.
func (s *Server) AddUser(u User) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addUser(u)
}

func (s *Server) addUser(u User) int {
	u.ID = s.nextUser
	s.nextUser++
	if u.CreatedAt.IsZero() {
		u.CreatedAt = s.now()
		if !u.CreatedAt.After(s.lastUserAt) {
			u.CreatedAt = s.lastUserAt.Add(time.Second)
		}
	}
	if u.CreatedAt.After(s.lastUserAt) {
		s.lastUserAt = u.CreatedAt
	}
	if u.LastSeenAt.IsZero() {
		u.LastSeenAt = u.CreatedAt
	}
	if n := len(s.users); n > 0 && !s.users[n-1].gen {
		s.users[n-1].list = append(s.users[n-1].list, &u)
	} else {
		s.users = append(s.users, userSeg{list: []*User{&u}})
	}
	return u.ID
}

// AddTopic adds a topic with its first post by username (who must exist) in categoryID and
// returns the topic and post ids.
func (s *Server) AddTopic(username string, categoryID int, title, raw string) (topicID, postID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userByName(username)
	if u == nil {
		panic("discoursetest: AddTopic by unknown user " + username)
	}
	t, p := s.addTopic(u.ID, categoryID, title, raw, "")
	return t.id, p.id
}

// AddReply adds a reply by username to a topic and returns the post id.
func (s *Server) AddReply(topicID int, username, raw string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userByName(username)
	t := s.topics[topicID]
	if u == nil || t == nil {
		panic("discoursetest: AddReply to an unknown topic or by an unknown user")
	}
	return s.addPost(t, u.ID, raw).id
}

func (s *Server) addTopic(userID, categoryID int, title, raw, externalID string) (*topic, *post) {
	if categoryID == 0 {
		categoryID = 1
	}
	t := &topic{id: s.nextTopic, categoryID: categoryID, userID: userID, title: title,
		slug: slugify(title), externalID: externalID, createdAt: s.postTime()}
	s.nextTopic++
	s.topics[t.id] = t
	if externalID != "" {
		s.external[strings.ToLower(externalID)] = t.id
	}
	return t, s.addPost(t, userID, raw)
}

func (s *Server) addPost(t *topic, userID int, raw string) *post {
	t.postsCount++
	p := &post{id: s.nextPost, topicID: t.id, postNumber: t.postsCount, userID: userID, raw: raw,
		cooked: cook(raw), createdAt: s.postTime()}
	s.nextPost++
	if n := len(s.posts); n > 0 && !s.posts[n-1].gen {
		s.posts[n-1].list = append(s.posts[n-1].list, p)
	} else {
		s.posts = append(s.posts, postSeg{list: []*post{p}})
	}
	return p
}

// postTime is the clock, kept increasing after generated posts.
func (s *Server) postTime() time.Time {
	at := s.now()
	if !at.After(s.lastPostAt) {
		at = s.lastPostAt.Add(time.Second)
	}
	s.lastPostAt = at
	return at
}

// Generate adds people members and messages posts (10 per topic, spread over the categories,
// written by the new members), computed from their index when asked for: a million posts take
// a few bytes. Creation times follow what is already there, one second apart. Two topics in
// three open with a question (English and French in turn, ending in "?") answered by the
// topic's next posts, whose authors are never the topic's (when there are two members or more);
// see conversations.go.
func (s *Server) Generate(people, messages int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	authorFirst, authors := 1, 1 // the API user
	if people > 0 {
		seg := userSeg{gen: true, first: s.nextUser, n: people, offset: s.generatedUsers,
			startAt: s.lastUserAt.Add(time.Second)}
		s.users = append(s.users, seg)
		s.nextUser += people
		s.generatedUsers += people
		s.lastUserAt = seg.startAt.Add(time.Duration(people-1) * time.Second)
		authorFirst, authors = seg.first, people
	}
	if messages > 0 {
		cats := make([]int, len(s.categories))
		for i, c := range s.categories {
			cats[i] = c.ID
		}
		seg := postSeg{gen: true, first: s.nextPost, n: messages, topicFirst: s.nextTopic,
			authorFirst: authorFirst, users: authors, categories: cats, startAt: s.lastPostAt.Add(time.Second)}
		s.posts = append(s.posts, seg)
		s.nextPost += messages
		s.nextTopic += (messages + postsPerGeneratedTopic - 1) / postsPerGeneratedTopic
		s.lastPostAt = seg.startAt.Add(time.Duration(messages-1) * time.Second)
	}
}

func (g userSeg) user(i int) *User {
	if !g.gen {
		return g.list[i]
	}
	k := g.offset + i + 1
	at := g.startAt.Add(time.Duration(i) * time.Second)
	return &User{ID: g.first + i, Username: fmt.Sprintf("member%d", k), Name: fmt.Sprintf("Member %d", k),
		Email: fmt.Sprintf("member%d@example.org", k), TrustLevel: k % 4, CreatedAt: at,
		LastSeenAt: at.Add(time.Duration(k%1000) * time.Hour), PostCount: k % 97, DaysVisited: k % 365,
		PostsRead: k % 1013, TopicsEntered: k % 211, TimeRead: k % 86400}
}

func (s *Server) userByID(id int) *User {
	for _, g := range s.users {
		if g.gen {
			if id >= g.first && id < g.first+g.n {
				return g.user(id - g.first)
			}
			continue
		}
		i := sort.Search(len(g.list), func(i int) bool { return g.list[i].ID >= id })
		if i < len(g.list) && g.list[i].ID == id {
			return g.list[i]
		}
	}
	return nil
}

func (s *Server) userByName(name string) *User {
	for _, g := range s.users {
		if g.gen {
			var k int
			if _, err := fmt.Sscanf(name, "member%d", &k); err == nil && k > g.offset && k <= g.offset+g.n {
				return g.user(k - g.offset - 1)
			}
			continue
		}
		for _, u := range g.list {
			if strings.EqualFold(u.Username, name) {
				return u
			}
		}
	}
	return nil
}

func (g postSeg) post(i int) (*post, *topic) {
	ti := i / postsPerGeneratedTopic
	t := g.topic(ti)
	at := g.startAt.Add(time.Duration(i) * time.Second)
	n := i%postsPerGeneratedTopic + 1
	text := generatedText(ti, t.id, n)
	return &post{id: g.first + i, topicID: t.id, postNumber: n, userID: g.author(i), raw: text,
		cooked: "<p>" + html.EscapeString(text) + "</p>", createdAt: at}, t
}

// author is the user id of generated post i: replies are never by the topic's author (when
// there is anyone else), so that a question is answered by someone else.
func (g postSeg) author(i int) int {
	k := (i * 7919) % g.users
	if i%postsPerGeneratedTopic != 0 && g.users > 1 && k == (i-i%postsPerGeneratedTopic)*7919%g.users {
		k = (k + 1) % g.users
	}
	return g.authorFirst + k
}

// topic returns generated topic ti of the segment.
func (g postSeg) topic(ti int) *topic {
	id := g.topicFirst + ti
	title := generatedTitle(ti, id)
	n := min(postsPerGeneratedTopic, g.n-ti*postsPerGeneratedTopic)
	cat := 1
	if len(g.categories) > 0 {
		cat = g.categories[ti%len(g.categories)]
	}
	return &topic{id: id, categoryID: cat, userID: g.author(ti * postsPerGeneratedTopic),
		title: title, slug: slugify(title), createdAt: g.startAt.Add(time.Duration(ti*postsPerGeneratedTopic) * time.Second),
		postsCount: n}
}

func (s *Server) topicByID(id int) *topic {
	if t, ok := s.topics[id]; ok {
		return t
	}
	for _, g := range s.posts {
		if g.gen {
			nt := (g.n + postsPerGeneratedTopic - 1) / postsPerGeneratedTopic
			if id >= g.topicFirst && id < g.topicFirst+nt {
				return g.topic(id - g.topicFirst)
			}
		}
	}
	return nil
}

func (s *Server) topicByExternalID(ext string) (*topic, bool) {
	id, ok := s.external[strings.ToLower(ext)]
	if !ok {
		return nil, false
	}
	return s.topics[id], true
}

func (s *Server) categoryName(id int) string {
	for _, c := range s.categories {
		if c.ID == id {
			return c.Name
		}
	}
	return ""
}

// postsBefore returns up to limit posts with an id below before (all when before ≤ 0), newest
// first, with their topics.
func (s *Server) postsBefore(before, limit int) ([]*post, []*topic) {
	var ps []*post
	var ts []*topic
	for si := len(s.posts) - 1; si >= 0 && len(ps) < limit; si-- {
		g := s.posts[si]
		if g.gen {
			hi := g.n - 1
			if before > 0 {
				hi = min(hi, before-1-g.first)
			}
			for i := hi; i >= 0 && len(ps) < limit; i-- {
				p, t := g.post(i)
				ps, ts = append(ps, p), append(ts, t)
			}
			continue
		}
		hi := len(g.list) - 1
		if before > 0 {
			hi = sort.Search(len(g.list), func(i int) bool { return g.list[i].id >= before }) - 1
		}
		for i := hi; i >= 0 && len(ps) < limit; i-- {
			ps, ts = append(ps, g.list[i]), append(ts, s.topics[g.list[i].topicID])
		}
	}
	return ps, ts
}

var slugJunk = regexp.MustCompile(`[^a-z0-9]+`)

// slugify is Discourse's ASCII slug: lower case, runs of other characters as one dash; "topic"
// when nothing is left.
func slugify(s string) string {
	slug := strings.Trim(slugJunk.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if slug == "" {
		return "topic"
	}
	return slug
}

func readBody(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	return b
}
