package activity

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	"hearth/backend/clock"
	"hearth/backend/connections"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/notify"
	"hearth/backend/store"
)

// EventChanged is emitted with a ChangedEvent after an ingest call stored new activity.
const EventChanged = "activity:changed"

// ChangedEvent says how much one ingest call brought in.
type ChangedEvent struct {
	Connection string `json:"connection"`
	// Activity is the number of records the call stored, Created the members it created.
	Activity int `json:"activity"`
	Created  int `json:"created"`
}

// Kinds lists every kind of activity.
var Kinds = []Kind{Post, Reply, Message, Reaction, Join, Follow, Mention, Article, Event, Goal}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Record is one stored activity.
type Record struct {
	ID         string               `json:"id"`
	Connection string               `json:"connection"`
	Platform   connections.Platform `json:"platform"`
	RemoteID   string               `json:"remoteId"`
	Kind       Kind                 `json:"kind"`
	// MemberID is who did it; empty for feed articles and anonymous platform events.
	MemberID string    `json:"memberId,omitempty"`
	At       time.Time `json:"at"`
	Channel  string    `json:"channel,omitempty"`
	// Link is an absolute http(s) URL, or empty.
	Link  string `json:"link,omitempty"`
	Title string `json:"title,omitempty"`
	Text  string `json:"text,omitempty"`
	// Thread is the conversation the record belongs to (Incoming.Thread), or empty.
	Thread    string    `json:"thread,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
}

// Limits on what a record keeps; longer values are cut (remote ids are refused).
const (
	MaxText     = 1000 // characters
	MaxTitle    = 300
	MaxChannel  = 200
	MaxLink     = 2048 // bytes
	MaxRemoteID = 512  // bytes
	MaxThread   = 512  // bytes; longer thread ids are dropped
)

// connectionSubject seals records that are about nobody (feed articles) under a key of their
// connection: the store seals every record of a collection with a subject.
const connectionSubject = "connection:"

// records holds activity. Records about a member are sealed with the member's data key, so
// erasing the member shreds them; the unique index keeps one record per remote item.
var records = &store.Collection[Record]{
	Name: "activity",
	Subject: func(r Record) string {
		if r.MemberID == "" {
			return connectionSubject + r.Connection
		}
		return r.MemberID
	},
	Indexes: []store.Index[Record]{
		{Name: "remote", Unique: true, Hashed: true, Values: func(r Record) []string { return []string{remoteKey(r.Connection, r.RemoteID)} }},
		{Name: "member", Values: func(r Record) []string { return []string{r.MemberID} }},
	},
}

// tally counts a connection's live records, so that Count need not read them all.
type tally struct {
	Connection string `json:"connection"`
	Records    int    `json:"records"`
}

var tallies = &store.Collection[tally]{Name: "activity_count"}

func remoteKey(connection, remoteID string) string { return connection + "\x00" + remoteID }

// Service stores and reads activity. Safe for concurrent use.
type Service struct {
	st       *store.Store
	members  *members.Service
	clock    clock.Clock
	notifier notify.Notifier
	hook     Hook // told of every record written (SetHook); nil for none
}

// NewService returns an activity service over st, linking people through m.
func NewService(st *store.Store, m *members.Service, c clock.Clock, n notify.Notifier) *Service {
	// hearth workspace check verifies, and repair rebuilds, these collections' indexes.
	store.Declare(st, records)
	if n == nil {
		n = notify.Discard{}
	}
	if c == nil {
		c = clock.System{}
	}
	return &Service{st: st, members: m, clock: c, notifier: n}
}

// maxForget bounds how many records ForgetMember deletes inside the erasure transaction, which
// must fit in one Badger transaction (about 8,000 such deletes at our memtable size) whatever
// else the erasure writes.
const maxForget = 2000

// ForgetMember deletes, inside an erasure transaction, a member's activity records with their
// index entries, newest first. The erasure then destroys the member's data key, which shreds
// every copy of every record about them: records beyond the first 2,000 (a very talkative
// member) are left to that shredding alone. They read as absent from then on, their index
// entries keep a later pull from storing the same items again, and they are counted out at once.
func ForgetMember(tx *store.Tx, memberID string) error {
	if memberID == "" {
		return nil
	}
	ids, err := store.IDsByIndex(tx, records, "member", memberID)
	if err != nil {
		return err
	}
	gone := map[string]int{}
	for i, id := range slices.Backward(ids) {
		var r Record
		if len(ids)-i <= maxForget {
			r, err = store.Delete(tx, records, id)
		} else {
			r, _, err = store.Get(tx, records, id)
		}
		if errors.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return err
		}
		gone[r.Connection]++
	}
	for conn, n := range gone {
		if err := addTally(tx, conn, -n); err != nil {
			return err
		}
	}
	return nil
}

// addTally adds n to a connection's record count inside tx.
func addTally(tx *store.Tx, connection string, n int) error {
	t, _, err := store.Get(tx, tallies, connection)
	if err != nil && !errors.Is(err, errs.NotFound) {
		return err
	}
	t.Connection = connection
	t.Records = max(0, t.Records+n)
	_, err = store.Put(tx, tallies, connection, t)
	return err
}

// newRecord cleans what a connector reported into a record, or says why it cannot be kept.
func newRecord(conn connections.Connection, in Incoming, now time.Time) (Record, bool) {
	remote := strings.TrimSpace(in.RemoteID)
	if remote == "" || len(remote) > MaxRemoteID || strings.IndexByte(remote, 0) >= 0 || !in.Kind.Valid() {
		return Record{}, false
	}
	at := in.At.UTC()
	if in.At.IsZero() {
		at = now
	}
	return Record{
		Connection: conn.ID, Platform: conn.Platform, RemoteID: remote, Kind: in.Kind, At: at,
		Channel: clip(in.Channel, MaxChannel, false), Link: CleanLink(in.Link),
		Title: clip(in.Title, MaxTitle, false), Text: clip(in.Text, MaxText, true), Thread: cleanThread(in.Thread),
		CreatedAt: now,
	}, true
}

// cleanThread trims a thread id, and drops one that is too long or holds a NUL byte (it could
// not be indexed): the record is kept, outside any thread.
func cleanThread(thread string) string {
	thread = strings.TrimSpace(thread)
	if len(thread) > MaxThread || strings.IndexByte(thread, 0) >= 0 {
		return ""
	}
	return thread
}

// CleanLink returns raw if it is an absolute http or https URL with a host and no user
// credentials (normalised), and "" for anything else: javascript:, data:, relative paths.
func CleanLink(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > MaxLink {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	return u.String()
}

// clip makes s valid UTF-8 without control characters (newlines kept when multiline), trims
// it and cuts it to n characters, ending with "…" when cut.
func clip(s string, n int, multiline bool) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r == '\n' && multiline {
			return r
		}
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) <= n { // bytes >= runes: short enough
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// Count returns how many activity records the workspace holds.
func (s *Service) Count(ctx context.Context) (int, error) {
	byConn, err := s.CountByConnection(ctx)
	n := 0
	for _, c := range byConn {
		n += c
	}
	return n, err
}

// CountByConnection returns how many activity records each connection brought in (by
// connection id; connections with none are left out).
func (s *Service) CountByConnection(context.Context) (map[string]int, error) {
	out := map[string]int{}
	err := s.st.View(func(tx *store.Tx) error {
		return store.Scan(tx, tallies, func(id string, t tally, _ store.Meta) error {
			if t.Records > 0 {
				out[id] = t.Records
			}
			return nil
		})
	})
	return out, err
}
