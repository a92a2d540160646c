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
	// parent is, for a generated status, 1 + the index in notifs of the notification whose
	// generated status it answers (0: not a reply).
	parent int32
	typ    uint8
	// conv is, for a generated status, 1 + the index in conversations of the question it asks
	// or answers (0: neither).
	conv uint8
}

type stat struct {
	id         int64
	account    int32
	text       string
	visibility string
	spoiler    string
	language   string // "en" when empty
	at         time.Time
	deleted    bool
	// inReplyTo is the status answered (0: none), by account inReplyToAccount.
	inReplyTo        int64
	inReplyToAccount int32
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
	id, _ := s.addNotification(typ, acct, text, at, 0)
	return strconv.FormatInt(id, 10)
}

// AddReply adds a notification of type typ ("mention" or "status") from acct whose status, of
// this text, answers status inReplyTo (in_reply_to_id): any status id, one the instance holds
// (a notification's status, a generated one, the account's own) or not; in_reply_to_account_id
// is the answered status's author, the token's account when the instance does not know it. It
// returns the notification's and the new status's ids.
func (s *Server) AddReply(typ, acct, text, inReplyTo string, at time.Time) (notificationID, statusID string) {
	if typ != "mention" && typ != "status" {
		panic("mastodontest: AddReply of type " + typ)
	}
	parent, err := strconv.ParseInt(inReplyTo, 10, 64)
	if err != nil || parent <= 0 {
		panic("mastodontest: AddReply to " + inReplyTo)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, st := s.addNotification(typ, acct, text, at, parent)
	return strconv.FormatInt(id, 10), strconv.FormatInt(s.db.statuses[st].id, 10)
}

// StatusID is the id of notification id's status ("" when it has none or is unknown).
func (s *Server) StatusID(id string) string {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ns := s.db.notifs
	i := sort.Search(len(ns), func(i int) bool { return ns[i].id >= n })
	switch {
	case i == len(ns) || ns[i].id != n:
		return ""
	case ns[i].status >= 0:
		return strconv.FormatInt(s.db.statuses[ns[i].status].id, 10)
	case ns[i].status == genStatus:
		return strconv.FormatInt(generatedStatus+n, 10)
	}
	return ""
}

// addNotification adds a notification and its status (answering status parent when not 0);
// it returns the notification's id and its status's index (noStatus for a follow).
func (s *Server) addNotification(typ, acct, text string, at time.Time, parent int64) (int64, int32) {
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
		status := stat{id: statusBase + s.db.next(), account: author, text: text, visibility: "public", at: at}
		if parent != 0 {
			status.inReplyTo, status.inReplyToAccount = parent, s.author(parent)
		}
		s.db.statuses = append(s.db.statuses, status)
	}
	n := notif{id: notificationBase + s.db.next(), at: at.Unix(), account: from, status: st, typ: uint8(t)}
	s.db.notifs = append(s.db.notifs, n)
	return n.id, st
}

// author is the account that wrote status id: a seeded one, a generated one, or else the
// token's account (s.mu held).
func (s *Server) author(id int64) int32 {
	if i, ok := s.findStatus(strconv.FormatInt(id, 10)); ok {
		return s.db.statuses[i].account
	}
	ns := s.db.notifs
	nid := id - generatedStatus
	i := sort.Search(len(ns), func(i int) bool { return ns[i].id >= nid })
	if i < len(ns) && ns[i].id == nid && ns[i].status == genStatus {
		return s.db.genStatus(ns[i]).account
	}
	return 0
}

// Generate adds people followers (local accounts "member<n>", every third one on another
// instance) and messages notifications (mentions, favourites, reblogs, follows and statuses
// from those people, one a minute from 2024-01-01), deterministically and compactly. The
// mentions hold conversations: see conversations.go.
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
	for i := range messages {
		d.notifs = append(d.notifs, generated(i, first, int32(people), len(d.notifs), d.next))
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
func (d *data) statusJSON(st stat) map[string]any {
	a := d.accounts[st.account]
	host := d.domain
	if a.domain != "" {
		host = a.domain
	}
	sid := strconv.FormatInt(st.id, 10)
	lang := st.language
	if lang == "" {
		lang = "en"
	}
	var replyTo, replyToAccount any
	if st.inReplyTo != 0 {
		replyTo, replyToAccount = strconv.FormatInt(st.inReplyTo, 10), d.accountID(st.inReplyToAccount)
	}
	return map[string]any{
		"id": sid, "created_at": st.at.UTC().Format("2006-01-02T15:04:05.000Z"),
		"in_reply_to_id": replyTo, "in_reply_to_account_id": replyToAccount, "sensitive": st.spoiler != "",
		"spoiler_text": st.spoiler, "visibility": st.visibility, "language": lang,
		"uri":           "https://" + host + "/users/" + a.username + "/statuses/" + sid,
		"url":           "https://" + host + "/@" + a.username + "/" + sid,
		"replies_count": 0, "reblogs_count": 0, "favourites_count": 0,
		"content": contentHTML(st.text), "reblog": nil, "account": d.accountJSON(st.account),
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
		out["status"] = d.statusJSON(d.statuses[n.status])
	case n.status == genStatus:
		out["status"] = d.statusJSON(d.genStatus(n))
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
