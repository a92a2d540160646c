package mailchimptest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Member is an audience member as a test seeds or reads it.
type Member struct {
	Email string
	// Status is subscribed (default when seeding), unsubscribed, cleaned, pending,
	// transactional or archived.
	Status    string
	FirstName string
	LastName  string
	Tags      []string
	// LastChanged defaults to the fake's clock when seeding.
	LastChanged time.Time
	OptIn       time.Time
	OpenRate    float64
	ClickRate   float64
}

// member is the compact stored form (Generate may hold hundreds of thousands).
type member struct {
	email, status, fname, lname string
	tags                        []string
	lastChanged, optIn          int64
	openRate, clickRate         float32
}

var statuses = map[string]bool{"subscribed": true, "unsubscribed": true, "cleaned": true,
	"pending": true, "transactional": true, "archived": true}

// AddMember adds or replaces a member, as if it had been changed at m.LastChanged.
func (s *Server) AddMember(m Member) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m.Status == "" {
		m.Status = "subscribed"
	}
	if m.LastChanged.IsZero() {
		m.LastChanged = s.now()
	}
	s.store(member{email: m.Email, status: m.Status, fname: m.FirstName, lname: m.LastName,
		tags: slices.Clone(m.Tags), lastChanged: m.LastChanged.Unix(), optIn: unix(m.OptIn),
		openRate: float32(m.OpenRate), clickRate: float32(m.ClickRate)})
}

// Member returns the member with this address as the audience holds it now.
func (s *Server) Member(email string) (Member, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.byHash[Hash(email)]
	if !ok {
		return Member{}, false
	}
	m := s.members[i]
	return Member{Email: m.email, Status: m.status, FirstName: m.fname, LastName: m.lname,
		Tags: slices.Clone(m.tags), LastChanged: time.Unix(m.lastChanged, 0).UTC(),
		OptIn: fromUnix(m.optIn), OpenRate: float64(m.openRate), ClickRate: float64(m.clickRate)}, true
}

// Generate adds people deterministic subscribed members (member0000000@example.org…), changed
// one second apart from 2024-01-01. Mailchimp has no messages to pull, so messages is ignored.
func (s *Server) Generate(people, messages int) {
	_ = messages
	s.mu.Lock()
	defer s.mu.Unlock()
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	start := len(s.members)
	s.members = slices.Grow(s.members, people)
	for i := start; i < start+people; i++ {
		status := "subscribed"
		if i%10 == 9 {
			status = "unsubscribed"
		}
		s.store(member{email: fmt.Sprintf("member%07d@example.org", i), status: status,
			fname: "Member", lname: strconv.Itoa(i), lastChanged: base + int64(i), optIn: base + int64(i),
			openRate: float32(i%100) / 100})
	}
}

func (s *Server) store(m member) {
	h := Hash(m.email)
	if i, ok := s.byHash[h]; ok {
		s.members[i] = m
	} else {
		s.byHash[h] = int32(len(s.members))
		s.members = append(s.members, m)
	}
	s.dirty = true
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func fromUnix(u int64) time.Time {
	if u == 0 {
		return time.Time{}
	}
	return time.Unix(u, 0).UTC()
}

// memberJSON is a member as Mailchimp shows it (generic, so that fields can trim it cheaply).
func (s *Server) memberJSON(m *member) map[string]any {
	h := Hash(m.email)
	tags := make([]any, len(m.tags))
	for i, t := range m.tags {
		tags[i] = map[string]any{"id": 1000 + i, "name": t}
	}
	return map[string]any{
		"id": h, "email_address": m.email, "unique_email_id": h[:10], "contact_id": h,
		"full_name": strings.TrimSpace(m.fname + " " + m.lname), "email_type": "html", "status": m.status,
		"merge_fields":     map[string]any{"FNAME": m.fname, "LNAME": m.lname, "ADDRESS": "", "PHONE": ""},
		"stats":            map[string]any{"avg_open_rate": float64(m.openRate), "avg_click_rate": float64(m.clickRate)},
		"timestamp_signup": "", "timestamp_opt": stamp(fromUnix(m.optIn)), "member_rating": 2,
		"last_changed": stamp(fromUnix(m.lastChanged)), "language": "", "vip": false,
		"source": "API - Generic", "tags_count": len(tags), "tags": tags, "list_id": s.opts.ListID,
		"_links": []any{},
	}
}

func (s *Server) getList(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	counts := map[string]int{}
	for i := range s.members {
		counts[s.members[i].status]++
	}
	s.mu.Unlock()
	s.writeJSON(w, r, http.StatusOK, map[string]any{
		"id": s.opts.ListID, "web_id": 1, "name": "Hearth community",
		"campaign_defaults": map[string]any{"from_name": "Hearth community",
			"from_email": "news@example.org", "subject": "", "language": "en"},
		"stats": map[string]any{"member_count": counts["subscribed"],
			"unsubscribe_count": counts["unsubscribed"], "cleaned_count": counts["cleaned"]},
		"_links": []any{},
	})
}

// intParam reads a non-negative integer query parameter.
func intParam(r *http.Request, name string, def int) (int, bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 0
}

func (s *Server) listMembers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	count, ok1 := intParam(r, "count", 10)
	offset, ok2 := intParam(r, "offset", 0)
	if !ok1 || !ok2 {
		invalid(w, FieldError{Field: "count", Message: "count and offset must be non-negative integers"})
		return
	}
	count = min(count, 1000)
	var since int64 = -1 << 62
	if v := q.Get("since_last_changed"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			invalid(w, FieldError{Field: "since_last_changed", Message: "Please enter a valid ISO 8601 date."})
			return
		}
		since = t.Unix()
	}
	status := q.Get("status")
	if status != "" && !statuses[status] {
		invalid(w, FieldError{Field: "status", Message: "Invalid status."})
		return
	}
	sortField, desc := q.Get("sort_field"), strings.EqualFold(q.Get("sort_dir"), "DESC")
	switch sortField {
	case "", "last_changed", "timestamp_opt", "timestamp_signup":
	default:
		invalid(w, FieldError{Field: "sort_field", Message: "Invalid sort field."})
		return
	}

	s.mu.Lock()
	idx := s.sorted(sortField)
	match := make([]int32, 0, min(len(idx), 4096))
	for k := range idx {
		i := idx[k]
		if desc {
			i = idx[len(idx)-1-k]
		}
		m := &s.members[i]
		if m.lastChanged > since && (status == "" || m.status == status) {
			match = append(match, i)
		}
	}
	page := []any{}
	for k := offset; k < len(match) && k < offset+count; k++ {
		page = append(page, s.memberJSON(&s.members[match[k]]))
	}
	s.mu.Unlock()
	s.writeJSON(w, r, http.StatusOK, map[string]any{"members": page, "list_id": s.opts.ListID,
		"total_items": len(match), "_links": []any{}})
}

// sorted returns member indexes in ascending order of the sort field (insertion order for "").
func (s *Server) sorted(field string) []int32 {
	if field == "" {
		idx := make([]int32, len(s.members))
		for i := range idx {
			idx[i] = int32(i)
		}
		return idx
	}
	if s.dirty || len(s.order) != len(s.members) {
		s.order = s.order[:0]
		for i := range s.members {
			s.order = append(s.order, int32(i))
		}
		slices.SortStableFunc(s.order, func(a, b int32) int {
			return int(s.members[a].lastChanged - s.members[b].lastChanged)
		})
		s.dirty = false
	}
	// timestamp_opt / timestamp_signup are rarely used by tests: sort a copy.
	if field != "last_changed" {
		idx := slices.Clone(s.order)
		slices.SortStableFunc(idx, func(a, b int32) int { return int(s.members[a].optIn - s.members[b].optIn) })
		return idx
	}
	return s.order
}

func (s *Server) getMember(w http.ResponseWriter, r *http.Request, hash string) {
	s.mu.Lock()
	i, ok := s.byHash[strings.ToLower(hash)]
	if !ok {
		i, ok = s.byHash[Hash(hash)] // the raw address is accepted too
	}
	var out map[string]any
	if ok {
		out = s.memberJSON(&s.members[i])
	}
	s.mu.Unlock()
	if !ok {
		notFound(w)
		return
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

type putBody struct {
	EmailAddress *string        `json:"email_address"`
	StatusIfNew  *string        `json:"status_if_new"`
	Status       *string        `json:"status"`
	MergeFields  map[string]any `json:"merge_fields"`
}

func validEmail(e string) bool {
	at := strings.LastIndexByte(e, '@')
	return at > 0 && strings.Contains(e[at+1:], ".") && !strings.ContainsAny(e, " \t\r\n,;<>")
}

func (s *Server) putMember(w http.ResponseWriter, r *http.Request, hash string, body []byte) {
	var b putBody
	if err := json.Unmarshal(body, &b); err != nil {
		badRequest(w, "We encountered an unspecified JSON parsing error.")
		return
	}
	if b.EmailAddress == nil || *b.EmailAddress == "" {
		invalid(w, FieldError{Field: "email_address", Message: "This value should not be blank."})
		return
	}
	email := *b.EmailAddress
	if !validEmail(email) {
		invalid(w, FieldError{Field: "email_address",
			Message: email + " looks fake or invalid, please enter a real email address."})
		return
	}
	h := Hash(email)
	if !strings.EqualFold(hash, h) && !strings.EqualFold(hash, email) {
		badRequest(w, "The email address in the request body does not match the subscriber hash.")
		return
	}
	if b.Status != nil && !statuses[*b.Status] {
		invalid(w, FieldError{Field: "status", Message: "Invalid status."})
		return
	}
	s.mu.Lock()
	i, exists := s.byHash[h]
	if !exists {
		if b.StatusIfNew == nil || !statuses[*b.StatusIfNew] {
			s.mu.Unlock()
			invalid(w, FieldError{Field: "status_if_new", Message: "This value should be one of the allowed statuses."})
			return
		}
		s.members = append(s.members, member{email: email, status: *b.StatusIfNew,
			lastChanged: s.now().Unix(), optIn: s.now().Unix()})
		i = int32(len(s.members) - 1)
		s.byHash[h] = i
	}
	m := s.members[i]
	if exists && b.Status != nil {
		m.status = *b.Status
	}
	if v, ok := b.MergeFields["FNAME"].(string); ok {
		m.fname = v
	}
	if v, ok := b.MergeFields["LNAME"].(string); ok {
		m.lname = v
	}
	if old := s.members[i]; m.status != old.status || m.fname != old.fname || m.lname != old.lname {
		m.lastChanged = s.now().Unix()
	}
	s.members[i] = m
	s.dirty = true
	out := s.memberJSON(&s.members[i])
	s.mu.Unlock()
	s.writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) postTags(w http.ResponseWriter, hash string, body []byte) {
	var b struct {
		Tags []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
		} `json:"tags"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		badRequest(w, "We encountered an unspecified JSON parsing error.")
		return
	}
	for _, t := range b.Tags {
		if t.Name == "" || (t.Status != "active" && t.Status != "inactive") {
			invalid(w, FieldError{Field: "tags", Message: "Each tag needs a name and a status of active or inactive."})
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.byHash[strings.ToLower(hash)]
	if !ok {
		notFound(w)
		return
	}
	m := &s.members[i]
	changed := false
	for _, t := range b.Tags {
		has := slices.Contains(m.tags, t.Name)
		switch {
		case t.Status == "active" && !has:
			m.tags = append(m.tags, t.Name)
			changed = true
		case t.Status == "inactive" && has:
			m.tags = slices.DeleteFunc(m.tags, func(x string) bool { return x == t.Name })
			changed = true
		}
	}
	if changed {
		m.lastChanged = s.now().Unix()
		s.dirty = true
	}
	w.WriteHeader(http.StatusNoContent)
}
