package mastodontest

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Scheduled is a pending scheduled status.
type Scheduled struct {
	ID   string
	At   time.Time
	Text string
}

// Status returns the text of a status (created or seeded) and whether it exists.
func (s *Server) Status(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.findStatus(id)
	if !ok {
		return "", false
	}
	return s.db.statuses[i].text, true
}

// DeleteStatus deletes a status as its author would on the instance.
func (s *Server) DeleteStatus(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.findStatus(id)
	if ok {
		s.db.statuses[i].deleted = true
	}
	return ok
}

// Scheduled returns the scheduled statuses not yet published or cancelled.
func (s *Server) Scheduled() []Scheduled {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.publishDue(s.opts.Now())
	var out []Scheduled
	for _, sc := range s.db.scheduled {
		if !sc.deleted {
			out = append(out, Scheduled{ID: strconv.FormatInt(sc.id, 10), At: sc.at, Text: sc.text})
		}
	}
	return out
}

func (s *Server) findStatus(id string) (int, bool) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return 0, false
	}
	st := s.db.statuses
	i := sort.Search(len(st), func(i int) bool { return st[i].id >= n })
	if i == len(st) || st[i].id != n || st[i].deleted {
		return 0, false
	}
	return i, true
}

func (s *Server) findScheduled(id string) (int, bool) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return 0, false
	}
	sc := s.db.scheduled
	i := sort.Search(len(sc), func(i int) bool { return sc[i].id >= n })
	if i == len(sc) || sc[i].id != n || sc[i].deleted {
		return 0, false
	}
	return i, true
}

// params reads a request's parameters: a JSON body, or a form, with the query string.
func params(r *http.Request, body []byte) (url.Values, error) {
	out := url.Values{}
	for k, v := range r.URL.Query() {
		out[k] = v
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, err
		}
		for k, v := range m {
			switch v := v.(type) {
			case nil:
			case string:
				out.Set(k, v)
			default:
				out.Set(k, fmt.Sprint(v))
			}
		}
	case "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, err
		}
		for k, v := range form {
			out[k] = v
		}
	}
	return out, nil
}

// urlPattern finds the links Mastodon counts as 23 characters each.
var urlPattern = regexp.MustCompile(`https?://\S+`)

// charCount counts a status's length the way Mastodon's validator does.
func charCount(text string) int {
	return utf8.RuneCountInString(urlPattern.ReplaceAllString(text, strings.Repeat("x", 23)))
}

// postStatus serves POST /api/v1/statuses (s.mu held), like PostStatusService: a known
// Idempotency-Key returns the original first, before any validation.
func (s *Server) postStatus(w http.ResponseWriter, r *http.Request, body []byte, now time.Time) {
	p, err := params(r, body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "Error occurred while parsing request parameters")
		return
	}
	key := r.Header.Get("Idempotency-Key")
	idemKey := s.db.accountID(0) + ":" + key
	if key != "" {
		if e, ok := s.idem[idemKey]; ok && now.Sub(e.at) < s.opts.IdempotencyTTL {
			if s.writeOriginal(w, e) {
				return
			}
		}
	}
	text, spoiler := p.Get("status"), p.Get("spoiler_text")
	visibility := p.Get("visibility")
	if visibility == "" {
		visibility = "public"
	}
	switch visibility {
	case "public", "unlisted", "private", "direct":
	default:
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: Visibility is not included in the list")
		return
	}
	if strings.TrimSpace(text) == "" {
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: Text can't be blank")
		return
	}
	if charCount(text)+utf8.RuneCountInString(spoiler) > s.opts.MaxChars {
		writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("Validation failed: Text character limit of %d exceeded", s.opts.MaxChars))
		return
	}
	if v := p.Get("scheduled_at"); v != "" {
		at, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			writeError(w, http.StatusUnprocessableEntity, "Validation failed: Scheduled at is invalid")
			return
		}
		// A time already past posts now, like Mastodon's scheduled_in_the_past?.
		if at.After(now) {
			s.schedule(w, at, text, visibility, spoiler, key, idemKey, now)
			return
		}
	}
	st := stat{id: statusBase + s.db.next(), account: 0, text: text, visibility: visibility, spoiler: spoiler, at: now}
	s.db.statuses = append(s.db.statuses, st)
	s.created = append(s.created, text)
	if key != "" {
		s.idem[idemKey] = idemEntry{id: st.id, at: now}
	}
	writeJSON(w, http.StatusOK, s.db.statusJSON(st))
}

// writeOriginal answers a repeated Idempotency-Key with what the first request created; false
// when that no longer exists (deleted), so the request goes through as new.
func (s *Server) writeOriginal(w http.ResponseWriter, e idemEntry) bool {
	id := strconv.FormatInt(e.id, 10)
	if e.scheduled {
		if i, ok := s.findScheduled(id); ok {
			writeJSON(w, http.StatusOK, scheduledJSON(s.db.scheduled[i]))
			return true
		}
		return false
	}
	if i, ok := s.findStatus(id); ok {
		writeJSON(w, http.StatusOK, s.db.statusJSON(s.db.statuses[i]))
		return true
	}
	return false
}

// schedule creates a ScheduledStatus, within ScheduledStatusValidator's rules (s.mu held).
func (s *Server) schedule(w http.ResponseWriter, at time.Time, text, visibility, spoiler, key, idemKey string, now time.Time) {
	if at.Before(now.Add(5 * time.Minute)) {
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: Scheduled at The scheduled date must be in the future")
		return
	}
	total, daily := 0, 0
	day := at.UTC().Truncate(24 * time.Hour)
	for _, sc := range s.db.scheduled {
		if sc.deleted {
			continue
		}
		total++
		if sc.at.UTC().Truncate(24 * time.Hour).Equal(day) {
			daily++
		}
	}
	if total >= s.opts.ScheduledTotal {
		writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("Validation failed: Scheduled at You have exceeded the limit of %d scheduled posts", s.opts.ScheduledTotal))
		return
	}
	if daily >= s.opts.ScheduledDaily {
		writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("Validation failed: Scheduled at You have exceeded the limit of %d scheduled posts for today", s.opts.ScheduledDaily))
		return
	}
	sc := sched{id: scheduledBase + s.db.next(), at: at, text: text, visibility: visibility, spoiler: spoiler}
	s.db.scheduled = append(s.db.scheduled, sc)
	s.created = append(s.created, text)
	if key != "" {
		s.idem[idemKey] = idemEntry{id: sc.id, scheduled: true, at: now}
	}
	writeJSON(w, http.StatusOK, scheduledJSON(sc))
}

func scheduledJSON(sc sched) map[string]any {
	return map[string]any{
		"id": strconv.FormatInt(sc.id, 10), "scheduled_at": sc.at.UTC().Format("2006-01-02T15:04:05.000Z"),
		"params": map[string]any{
			"text": sc.text, "visibility": sc.visibility, "spoiler_text": sc.spoiler, "poll": nil,
			"media_ids": nil, "sensitive": nil, "idempotency": nil, "scheduled_at": nil,
			"in_reply_to_id": nil, "application_id": 1,
		},
		"media_attachments": []any{},
	}
}

// publishDue turns scheduled statuses whose time has come into statuses, as the instance's
// worker does (s.mu held). They were counted in Created when scheduled.
func (s *Server) publishDue(now time.Time) {
	for i := range s.db.scheduled {
		sc := &s.db.scheduled[i]
		if sc.deleted || sc.at.After(now) {
			continue
		}
		sc.deleted = true
		s.db.statuses = append(s.db.statuses, stat{id: statusBase + s.db.next(), text: sc.text,
			visibility: sc.visibility, spoiler: sc.spoiler, at: sc.at})
	}
}

// status serves GET and DELETE /api/v1/statuses/:id (s.mu held).
func (s *Server) status(w http.ResponseWriter, method, id string) {
	i, ok := s.findStatus(id)
	if !ok {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	st := s.db.statuses[i]
	out := s.db.statusJSON(st)
	if method == http.MethodDelete {
		if st.account != 0 {
			writeError(w, http.StatusForbidden, "This action is not allowed")
			return
		}
		s.db.statuses[i].deleted = true
		out["text"] = st.text
	}
	writeJSON(w, http.StatusOK, out)
}

// scheduledList serves GET /api/v1/scheduled_statuses (s.mu held).
func (s *Server) scheduledList(w http.ResponseWriter, r *http.Request, base string) {
	q := r.URL.Query()
	win := readWindow(q, 20, 40)
	sc := s.db.scheduled
	idx := win.pick(len(sc), func(i int) int64 { return sc[i].id }, func(i int) bool { return !sc[i].deleted })
	page := make([]map[string]any, 0, len(idx))
	for _, i := range idx {
		page = append(page, scheduledJSON(sc[i]))
	}
	keep := url.Values{}
	if q.Has("limit") {
		keep.Set("limit", q.Get("limit"))
	}
	var next, prev string
	if len(idx) > 0 {
		prev = strconv.FormatInt(sc[idx[0]].id, 10)
		if len(idx) == win.limit {
			next = strconv.FormatInt(sc[idx[len(idx)-1]].id, 10)
		}
	}
	link(w, base, r.URL.Path, keep, next, prev, "min_id")
	writeJSON(w, http.StatusOK, page)
}

// scheduledOne serves GET and DELETE /api/v1/scheduled_statuses/:id (s.mu held).
func (s *Server) scheduledOne(w http.ResponseWriter, method, id string) {
	i, ok := s.findScheduled(id)
	if !ok {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	if method == http.MethodDelete {
		s.db.scheduled[i].deleted = true
		writeJSON(w, http.StatusOK, map[string]any{})
		return
	}
	writeJSON(w, http.StatusOK, scheduledJSON(s.db.scheduled[i]))
}

// accountStatuses serves GET /api/v1/accounts/:id/statuses (s.mu held): the account's
// statuses newest first (limit 20, at most 40), paged by max_id/since_id/min_id with a Link
// header (next with max_id when the page is full, prev with min_id), exclude_replies honoured
// (the fake has no reblogs, so exclude_reblogs changes nothing).
func (s *Server) accountStatuses(w http.ResponseWriter, r *http.Request, base, id string) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n < accountBase || n-accountBase >= int64(len(s.db.accounts)) {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	who := int32(n - accountBase)
	q := r.URL.Query()
	noReplies := q.Get("exclude_replies") == "true" || q.Get("exclude_replies") == "1"
	win := readWindow(q, 20, 40)
	st := s.db.statuses
	idx := win.pick(len(st), func(i int) int64 { return st[i].id }, func(i int) bool {
		return st[i].account == who && !st[i].deleted && (!noReplies || st[i].inReplyTo == 0)
	})
	page := make([]map[string]any, 0, len(idx))
	for _, i := range idx {
		page = append(page, s.db.statusJSON(st[i]))
	}
	keep := url.Values{}
	for _, k := range []string{"limit", "exclude_replies", "exclude_reblogs"} {
		if q.Has(k) {
			keep.Set(k, q.Get(k))
		}
	}
	var next, prev string
	if len(idx) > 0 {
		prev = strconv.FormatInt(st[idx[0]].id, 10)
		if len(idx) == win.limit {
			next = strconv.FormatInt(st[idx[len(idx)-1]].id, 10)
		}
	}
	link(w, base, r.URL.Path, keep, next, prev, "min_id")
	writeJSON(w, http.StatusOK, page)
}

// statusSource serves GET /api/v1/statuses/:id/source (s.mu held): the plain text a status
// was written with, as Mastodon 3.5+ gives it for editing.
func (s *Server) statusSource(w http.ResponseWriter, id string) {
	i, ok := s.findStatus(id)
	if !ok {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	st := s.db.statuses[i]
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "text": st.text, "spoiler_text": st.spoiler})
}
