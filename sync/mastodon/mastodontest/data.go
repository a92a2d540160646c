package mastodontest

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Id ranges: each kind of id has its own, so that a client using one for another finds nothing.
const (
	accountBase      = 109_000_000_000
	followBase       = 5_000
	statusBase       = 111_000_000_000_000
	generatedStatus  = 222_000_000_000_000 // statuses made up on the fly for generated notifications
	notificationBase = 70_000
	scheduledBase    = 3_000
)

// genEpoch is when generated notifications start, one a minute.
var genEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// noStatus and genStatus are notif.status values other than an index into statuses.
const (
	noStatus  = -1
	genStatus = -2
)

// typeNames are Mastodon's notification types, stored as their index.
var typeNames = []string{"mention", "favourite", "reblog", "follow", "status", "poll", "update", "follow_request",
	"admin.sign_up", "admin.report", "severed_relationships", "moderation_warning"}

type acct struct {
	username, domain, display string // domain "" for local accounts
	created                   int64
}

type follow struct {
	id      int64
	account int32
}

type notif struct {
	id      int64
	at      int64 // unix seconds
	account int32
	status  int32 // index into statuses, noStatus or genStatus
	typ     uint8
}

type stat struct {
	id         int64
	account    int32
	text       string
	visibility string
	spoiler    string
	at         time.Time
	deleted    bool
}

type sched struct {
	id         int64
	at         time.Time
	text       string
	visibility string
	spoiler    string
	deleted    bool
}

// data is the instance's content, in compact form.
type data struct {
	domain    string
	accounts  []acct
	byAcct    map[string]int32
	followers []follow // ascending follow id
	notifs    []notif  // ascending id
	statuses  []stat   // ascending id
	scheduled []sched  // ascending id
	nextID    int64
}

func (d *data) init(username, domain string, now time.Time) {
	d.domain = domain
	d.byAcct = map[string]int32{}
	d.addAccount(username, "", "Hearth", now)
}

func (d *data) addAccount(username, domain, display string, at time.Time) int32 {
	key := username
	if domain != "" {
		key += "@" + domain
	}
	if i, ok := d.byAcct[key]; ok {
		return i
	}
	i := int32(len(d.accounts))
	d.accounts = append(d.accounts, acct{username: username, domain: domain, display: display,
		created: at.Truncate(24 * time.Hour).Unix()})
	d.byAcct[key] = i
	return i
}

func (d *data) accountID(i int32) string { return strconv.FormatInt(accountBase+int64(i), 10) }

func (d *data) next() int64 { d.nextID++; return d.nextID }

// splitAcct reads "user" or "user@domain"; the instance's own domain means local.
func (d *data) splitAcct(a string) (string, string) {
	user, domain, _ := strings.Cut(strings.TrimPrefix(a, "@"), "@")
	if domain == d.domain {
		domain = ""
	}
	return user, domain
}

// AddFollower adds an account following the token's account and returns the account's id.
// acct is "user" (local) or "user@other.example".
func (s *Server) AddFollower(acct, displayName string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	user, domain := s.db.splitAcct(acct)
	i := s.db.addAccount(user, domain, displayName, s.opts.Now())
	s.db.followers = append(s.db.followers, follow{id: followBase + s.db.next(), account: i})
	return s.db.accountID(i)
}

// AddNotification adds a notification of type typ ("mention", "favourite", "reblog", "follow",
// "status", or any other Mastodon type) from acct at the given time, with a status of this text
// (the mentioning status, or the account's own status that was favourited or reblogged); it
// returns the notification's id.
func (s *Server) AddNotification(typ, acct, text string, at time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	user, domain := s.db.splitAcct(acct)
	from := s.db.addAccount(user, domain, user, at)
	t := -1
	for i, n := range typeNames {
		if n == typ {
			t = i
		}
	}
	if t < 0 {
		panic("mastodontest: unknown notification type " + typ)
	}
	st := int32(noStatus)
	if typ != "follow" && typ != "follow_request" {
		author := from
		if typ == "favourite" || typ == "reblog" || typ == "poll" {
			author = 0
		}
		st = int32(len(s.db.statuses))
		s.db.statuses = append(s.db.statuses, stat{id: statusBase + s.db.next(), account: author, text: text,
			visibility: "public", at: at})
	}
	n := notif{id: notificationBase + s.db.next(), at: at.Unix(), account: from, status: st, typ: uint8(t)}
	s.db.notifs = append(s.db.notifs, n)
	return strconv.FormatInt(n.id, 10)
}

// Generate adds people followers (local accounts "member<n>", every third one on another
// instance) and messages notifications (mentions, favourites, reblogs, follows and statuses
// from those people, one a minute from 2024-01-01), deterministically and compactly.
func (s *Server) Generate(people, messages int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := &s.db
	first := int32(len(d.accounts))
	d.accounts = append(make([]acct, 0, len(d.accounts)+people), d.accounts...)
	d.followers = append(make([]follow, 0, len(d.followers)+people), d.followers...)
	for i := range people {
		user, domain := fmt.Sprintf("member%d", len(d.accounts)), ""
		if i%3 == 2 {
			domain = "other.example"
		}
		a := d.addAccount(user, domain, fmt.Sprintf("Member %d", i+1), genEpoch)
		d.followers = append(d.followers, follow{id: followBase + d.next(), account: a})
	}
	if people == 0 && messages > 0 {
		first = d.addAccount("someone", "other.example", "Someone", genEpoch)
		people = 1
	}
	d.notifs = append(make([]notif, 0, len(d.notifs)+messages), d.notifs...)
	cycle := []uint8{0, 1, 2, 0, 4, 3} // mention, favourite, reblog, mention, status, follow
	for i := range messages {
		typ := cycle[i%len(cycle)]
		st := int32(genStatus)
		if typeNames[typ] == "follow" {
			st = noStatus
		}
		d.notifs = append(d.notifs, notif{id: notificationBase + d.next(), at: genEpoch.Add(time.Duration(i) * time.Minute).Unix(),
			account: first + int32(i%people), status: st, typ: typ})
	}
}

// accountJSON renders an Account.
func (d *data) accountJSON(i int32) map[string]any {
	a := d.accounts[i]
	acctName, host := a.username, d.domain
	if a.domain != "" {
		acctName, host = a.username+"@"+a.domain, a.domain
	}
	display := a.display
	if i >= 1 && display == "" {
		display = a.username
	}
	return map[string]any{
		"id": d.accountID(i), "username": a.username, "acct": acctName, "display_name": display,
		"locked": false, "bot": false, "discoverable": true, "group": false,
		"created_at": time.Unix(a.created, 0).UTC().Format("2006-01-02T15:04:05.000Z"),
		"note":       "", "url": "https://" + host + "/@" + a.username,
		"avatar":          "https://" + d.domain + "/avatars/original/missing.png",
		"followers_count": 0, "following_count": 0, "statuses_count": 0,
		"last_status_at": nil, "emojis": []any{}, "fields": []any{},
	}
}

// statusJSON renders a Status.
func (d *data) statusJSON(id int64, author int32, text, visibility, spoiler string, at time.Time) map[string]any {
	a := d.accounts[author]
	host := d.domain
	if a.domain != "" {
		host = a.domain
	}
	sid := strconv.FormatInt(id, 10)
	return map[string]any{
		"id": sid, "created_at": at.UTC().Format("2006-01-02T15:04:05.000Z"),
		"in_reply_to_id": nil, "in_reply_to_account_id": nil, "sensitive": spoiler != "",
		"spoiler_text": spoiler, "visibility": visibility, "language": "en",
		"uri":           "https://" + host + "/users/" + a.username + "/statuses/" + sid,
		"url":           "https://" + host + "/@" + a.username + "/" + sid,
		"replies_count": 0, "reblogs_count": 0, "favourites_count": 0,
		"content": contentHTML(text), "reblog": nil, "account": d.accountJSON(author),
		"media_attachments": []any{}, "mentions": []any{}, "tags": []any{}, "emojis": []any{},
	}
}

// contentHTML is how Mastodon renders plain text: escaped, paragraphs, line breaks.
func contentHTML(text string) string {
	var b strings.Builder
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if strings.TrimSpace(p) == "" {
			continue
		}
		b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(p), "\n", "<br />") + "</p>")
	}
	return b.String()
}

func (d *data) notificationJSON(n notif) map[string]any {
	out := map[string]any{
		"id": strconv.FormatInt(n.id, 10), "type": typeNames[n.typ],
		"created_at": time.Unix(n.at, 0).UTC().Format("2006-01-02T15:04:05.000Z"),
		"group_key":  fmt.Sprintf("ungrouped-%d", n.id), "account": d.accountJSON(n.account),
	}
	switch {
	case n.status >= 0:
		st := d.statuses[n.status]
		out["status"] = d.statusJSON(st.id, st.account, st.text, st.visibility, st.spoiler, st.at)
	case n.status == genStatus:
		author, text := n.account, fmt.Sprintf("@%s Message %d", d.accounts[0].username, n.id)
		if name := typeNames[n.typ]; name == "favourite" || name == "reblog" {
			author, text = 0, fmt.Sprintf("Our post %d", n.id)
		}
		out["status"] = d.statusJSON(generatedStatus+n.id, author, text, "public", "", time.Unix(n.at, 0))
	}
	return out
}

// pageWindow is one page of ids, newest first, per Mastodon's paginate_by_id: max_id and since_id
// bound it, min_id asks for the oldest ones after it.
type pageWindow struct {
	limit                 int
	maxID, sinceID, minID int64
	hasMin                bool
}

func readWindow(q url.Values, def, most int) pageWindow {
	w := pageWindow{limit: def, maxID: 1<<63 - 1}
	if l, err := strconv.Atoi(q.Get("limit")); err == nil && l > 0 {
		w.limit = min(l, most)
	}
	if v, err := strconv.ParseInt(q.Get("max_id"), 10, 64); err == nil {
		w.maxID = v
	}
	if v, err := strconv.ParseInt(q.Get("since_id"), 10, 64); err == nil {
		w.sinceID = v
	}
	if v, err := strconv.ParseInt(q.Get("min_id"), 10, 64); err == nil {
		w.minID, w.hasMin = v, true
	}
	return w
}

// pick returns the indexes (into a list of n items with ascending ids) of the page, newest
// first; keep filters items.
func (w pageWindow) pick(n int, id func(int) int64, keep func(int) bool) []int {
	var out []int
	if w.hasMin {
		i := sort.Search(n, func(i int) bool { return id(i) > max(w.minID, w.sinceID) })
		for ; i < n && len(out) < w.limit && id(i) < w.maxID; i++ {
			if keep(i) {
				out = append(out, i)
			}
		}
		for a, b := 0, len(out)-1; a < b; a, b = a+1, b-1 {
			out[a], out[b] = out[b], out[a]
		}
		return out
	}
	i := sort.Search(n, func(i int) bool { return id(i) >= w.maxID }) - 1
	for ; i >= 0 && len(out) < w.limit && id(i) > w.sinceID; i-- {
		if keep(i) {
			out = append(out, i)
		}
	}
	return out
}

// link writes a Link header with next (max_id) and prev (since_id or min_id) relations.
func link(w http.ResponseWriter, base, path string, keep url.Values, next, prev string, prevParam string) {
	var parts []string
	mk := func(param, id string) string {
		q := url.Values{}
		for k, v := range keep {
			q[k] = v
		}
		q.Set(param, id)
		return "<" + base + path + "?" + q.Encode() + ">"
	}
	if next != "" {
		parts = append(parts, mk("max_id", next)+`; rel="next"`)
	}
	if prev != "" {
		parts = append(parts, mk(prevParam, prev)+`; rel="prev"`)
	}
	if len(parts) > 0 {
		w.Header().Set("Link", strings.Join(parts, ", "))
	}
}

// followers serves GET /api/v1/accounts/:id/followers (s.mu held).
func (s *Server) followers(w http.ResponseWriter, r *http.Request, base, id string) {
	if id != s.db.accountID(0) {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	q := r.URL.Query()
	win := readWindow(q, 40, 80)
	f := s.db.followers
	idx := win.pick(len(f), func(i int) int64 { return f[i].id }, func(int) bool { return true })
	page := make([]map[string]any, 0, len(idx))
	for _, i := range idx {
		page = append(page, s.db.accountJSON(f[i].account))
	}
	keep := url.Values{}
	if q.Has("limit") {
		keep.Set("limit", q.Get("limit"))
	}
	var next, prev string
	if len(idx) > 0 {
		prev = strconv.FormatInt(f[idx[0]].id, 10)
		if len(idx) == win.limit {
			next = strconv.FormatInt(f[idx[len(idx)-1]].id, 10)
		}
	}
	link(w, base, r.URL.Path, keep, next, prev, "since_id")
	writeJSON(w, http.StatusOK, page)
}

// notifications serves GET /api/v1/notifications (s.mu held).
func (s *Server) notifications(w http.ResponseWriter, r *http.Request, base string) {
	q := r.URL.Query()
	win := readWindow(q, 40, 80)
	only, except := set(q["types[]"]), set(q["exclude_types[]"])
	ns := s.db.notifs
	keep := func(i int) bool {
		t := typeNames[ns[i].typ]
		return (len(only) == 0 || only[t]) && !except[t]
	}
	idx := win.pick(len(ns), func(i int) int64 { return ns[i].id }, keep)
	page := make([]map[string]any, 0, len(idx))
	for _, i := range idx {
		page = append(page, s.db.notificationJSON(ns[i]))
	}
	kept := url.Values{}
	for _, k := range []string{"limit", "types[]", "exclude_types[]"} {
		if q.Has(k) {
			kept[k] = q[k]
		}
	}
	var next, prev string
	if len(idx) > 0 {
		prev = strconv.FormatInt(ns[idx[0]].id, 10)
		next = strconv.FormatInt(ns[idx[len(idx)-1]].id, 10)
	}
	link(w, base, r.URL.Path, kept, next, prev, "min_id")
	writeJSON(w, http.StatusOK, page)
}

func set(vs []string) map[string]bool {
	m := map[string]bool{}
	for _, v := range vs {
		m[v] = true
	}
	return m
}
