// Package timeline tells a member's whole story, newest first: what they did on every platform
// (the questions they asked and those of others they answered told apart), the consent they gave
// and withdrew, the newsletters and e-mails sent to them, the tasks and
// automation steps about them, the merges of other records of them into theirs (and their
// undoing), and what the log recorded (edits, imports), beside where
// they stand today (level, score, first and last activity). It composes the services that own
// those records; it stores nothing of its own.
package timeline

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"hearth/backend/activity"
	"hearth/backend/analytics"
	"hearth/backend/audit"
	"hearth/backend/automations"
	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/newsletter"
	"hearth/backend/tasks"
)

// Kind says where an entry comes from.
type Kind string

const (
	Activity Kind = "activity" // a platform activity (What: post, reply, message…)
	// Question is an activity that asks a question (What: post or message), as the KPIs count
	// questions; Answer a reply to a question someone else asked (What: reply).
	Question   Kind = "question"
	Answer     Kind = "answer"
	Consent    Kind = "consent"    // a consent event (What: granted, withdrawn; Title: the purpose)
	Mail       Kind = "mail"       // a newsletter or automation e-mail (What: its delivery status)
	Task       Kind = "task"       // a task about the member (What: created, done)
	Automation Kind = "automation" // an automation step (What: the step's kind; Title: the automation)
	// Merge is a merge of another record of the person into the member's, or its undoing (What:
	// merged, unmerged; Params "other": the other member's id, "name": their name).
	Merge Kind = "merge"
	Log   Kind = "log" // an audit log entry about the member (What: the action)
)

// Kinds are every kind, in the order the filters show them.
var Kinds = []Kind{Activity, Question, Answer, Consent, Mail, Task, Automation, Merge, Log}

// onPlatform are the kinds a platform filter keeps: what the member did there.
var onPlatform = []Kind{Activity, Question, Answer}

// Entry is one moment of a member's story.
type Entry struct {
	At   time.Time `json:"at"`
	Kind Kind      `json:"kind"`
	// What is the entry's own kind of thing: an activity's kind, a consent event's kind, a
	// delivery's status, "created" or "done" for a task, a step's kind, a log entry's action.
	What     string `json:"what"`
	Platform string `json:"platform,omitempty"`
	Channel  string `json:"channel,omitempty"`
	// Title is an activity's title, a consent's purpose, a newsletter's subject, a task's
	// title, an automation's name.
	Title string `json:"title,omitempty"`
	// Text is an activity's text or a step's outcome; Link an activity's http(s) address.
	Text string `json:"text,omitempty"`
	Link string `json:"link,omitempty"`
	// ID is the record's id (unique within its kind).
	ID string `json:"id"`
	// Params are a log entry's facts (audit.Entry.Params), for the window to word.
	Params map[string]string `json:"params,omitempty"`
}

// Query selects and pages a story.
type Query struct {
	// Kinds keeps only entries of these kinds (every kind when empty).
	Kinds []Kind `json:"kinds,omitempty"`
	// Platform keeps only the activity on that platform, questions and answers included (and no
	// other kind of entry).
	Platform string `json:"platform,omitempty"`
	// After is the Next of the page before: the page starts after it.
	After string `json:"after,omitempty"`
	// Limit is the page's size: 50 when not positive, at most MaxLimit.
	Limit int `json:"limit,omitempty"`
}

// MaxLimit bounds a page.
const MaxLimit = 500

// Page is one page of a story, with where the member stands.
type Page struct {
	MemberID string  `json:"memberId"`
	Entries  []Entry `json:"entries"`
	// Next continues the story (Query.After); empty on the last page.
	Next string `json:"next,omitempty"`
	// Total counts the entries the query selects, on every page.
	Total   int     `json:"total"`
	Summary Summary `json:"summary"`
}

// Summary is where the member stands, whatever the query.
type Summary struct {
	analytics.Standing
	// Activities counts the member's activity, by platform in ByPlatform.
	Activities int            `json:"activities"`
	ByPlatform map[string]int `json:"byPlatform"`
	// FirstActivity and LastActivity are their first and latest activity (nil without any).
	FirstActivity *time.Time `json:"firstActivity,omitempty"`
	LastActivity  *time.Time `json:"lastActivity,omitempty"`
}

// Sources are the services a story is read from (backend/wiring passes them).
type Sources struct {
	Activity    *activity.Service
	Consent     *consent.Service
	Newsletters *newsletter.Service
	Tasks       *tasks.Service
	Automations *automations.Service
	Audit       *audit.Log
	Analytics   *analytics.Service
	// Members names the other member of a merge.
	Members *members.Service
}

// Service reads members' stories.
type Service struct {
	src   Sources
	clock clock.Clock
}

// NewService returns a Service reading from src.
func NewService(src Sources, clk clock.Clock) *Service { return &Service{src: src, clock: clk} }

// maxActivity bounds the activity records one story reads (the newest), as the access dossier
// does.
const maxActivity = 100_000

// maxLog bounds the log entries one story reads (the newest).
const maxLog = 10_000

// Of returns a page of m's story.
func (s *Service) Of(ctx context.Context, m members.Member, q Query) (Page, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	q.Limit = min(q.Limit, MaxLimit)
	after, err := parseCursor(q.After)
	if err != nil {
		return Page{}, err
	}
	for _, k := range q.Kinds {
		if !slices.Contains(Kinds, k) {
			return Page{}, errs.New(errs.Invalid, "timeline_bad_kind", fmt.Sprintf("timeline: unknown kind %q", k)).With("kind", string(k))
		}
	}
	recs, err := s.src.Activity.ForMember(ctx, m.ID, maxActivity)
	if err != nil {
		return Page{}, err
	}
	sum, err := s.summary(ctx, m, recs)
	if err != nil {
		return Page{}, err
	}
	all, err := s.entries(ctx, m.ID, recs, q)
	if err != nil {
		return Page{}, err
	}
	slices.SortFunc(all, compare)
	from := 0
	if after != nil {
		from, _ = slices.BinarySearchFunc(all, *after, func(e, c Entry) int {
			if compare(e, c) <= 0 {
				return -1
			}
			return 1
		})
	}
	page := Page{MemberID: m.ID, Entries: all[from:min(from+q.Limit, len(all))], Total: len(all), Summary: sum}
	if from+q.Limit < len(all) {
		page.Next = cursorOf(page.Entries[len(page.Entries)-1])
	}
	return page, nil
}

// compare orders a story: newest first, then by kind and id, so that pages never overlap.
func compare(a, b Entry) int {
	return cmp.Or(b.At.Compare(a.At), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
}

func (s *Service) summary(ctx context.Context, m members.Member, recs []activity.Record) (Summary, error) {
	sum := Summary{Activities: len(recs), ByPlatform: map[string]int{}}
	acts := make([]analytics.Act, len(recs))
	for i, r := range recs {
		acts[i] = analytics.Act{At: r.At, Kind: r.Kind}
		sum.ByPlatform[string(r.Platform)]++
		if sum.FirstActivity == nil || r.At.Before(*sum.FirstActivity) {
			sum.FirstActivity = &recs[i].At
		}
		if sum.LastActivity == nil || r.At.After(*sum.LastActivity) {
			sum.LastActivity = &recs[i].At
		}
	}
	st, err := s.src.Analytics.StandingOf(ctx, m.Tags, acts, s.clock.Now())
	sum.Standing = st
	return sum, err
}

// entries gathers every entry of the story q selects.
func (s *Service) entries(ctx context.Context, memberID string, recs []activity.Record, q Query) ([]Entry, error) {
	want := func(k Kind) bool {
		return (len(q.Kinds) == 0 || slices.Contains(q.Kinds, k)) && (q.Platform == "" || slices.Contains(onPlatform, k))
	}
	var out []Entry
	if want(Activity) || want(Question) || want(Answer) {
		var answers map[string]bool
		if want(Answer) || want(Activity) {
			var err error
			if answers, err = s.src.Analytics.Answers(ctx, memberID, recs); err != nil {
				return nil, err
			}
		}
		for _, r := range recs {
			if q.Platform != "" && string(r.Platform) != q.Platform {
				continue
			}
			k := Activity
			switch {
			case analytics.AsksQuestion(r):
				k = Question
			case answers[r.ID]:
				k = Answer
			}
			if want(k) {
				out = append(out, Entry{At: r.At, Kind: k, What: string(r.Kind), Platform: string(r.Platform), Channel: r.Channel,
					Title: r.Title, Text: r.Text, Link: r.Link, ID: r.ID})
			}
		}
	}
	if want(Consent) {
		evs, err := s.src.Consent.History(ctx, memberID)
		if err != nil {
			return nil, err
		}
		for _, e := range evs {
			out = append(out, Entry{At: e.At, Kind: Consent, What: string(e.Kind), Title: e.Purpose, Text: e.Source, ID: e.ID})
		}
	}
	if want(Mail) {
		mails, err := s.mails(ctx, memberID)
		if err != nil {
			return nil, err
		}
		out = append(out, mails...)
	}
	if want(Task) {
		ts, err := s.src.Tasks.ForMember(ctx, memberID)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			out = append(out, Entry{At: t.CreatedAt, Kind: Task, What: "created", Title: t.Title, ID: t.ID})
			if t.Done && !t.DoneAt.IsZero() {
				out = append(out, Entry{At: t.DoneAt, Kind: Task, What: "done", Title: t.Title, ID: t.ID + "/done"})
			}
		}
	}
	if want(Automation) {
		steps, err := s.steps(ctx, memberID)
		if err != nil {
			return nil, err
		}
		out = append(out, steps...)
	}
	if want(Log) || want(Merge) {
		log, err := s.src.Audit.List(ctx, memberID, maxLog)
		if err != nil {
			return nil, err
		}
		names := s.mergeNames(ctx, memberID)
		for _, e := range log {
			if what, other := mergeOf(e); what != "" {
				if want(Merge) {
					out = append(out, Entry{At: e.At, Kind: Merge, What: what, ID: e.ID,
						Params: map[string]string{"other": other, "name": names(other, e.Params["merge"])}})
				}
				continue
			}
			if want(Log) {
				out = append(out, Entry{At: e.At, Kind: Log, What: e.Action, Text: e.Details, ID: e.ID, Params: e.Params})
			}
		}
	}
	return out, nil
}

// mergeOf says whether a log entry records a merge ("merged") or its undoing ("unmerged"), and
// names the other member.
func mergeOf(e audit.Entry) (what, other string) {
	switch {
	case e.Params["merged"] != "":
		return "merged", e.Params["merged"]
	case e.Params["unmerged"] != "":
		return "unmerged", e.Params["unmerged"]
	}
	return "", ""
}

// mergeNames returns how to name the other member of a merge: as they were merged (the merge's
// history, while it holds), else as they are (a live member), else nothing.
func (s *Service) mergeNames(ctx context.Context, memberID string) func(other, merge string) string {
	var histories map[string]members.Member
	return func(other, merge string) string {
		if s.src.Members == nil {
			return ""
		}
		if histories == nil {
			histories = map[string]members.Member{}
			if ms, err := s.src.Members.Merges(ctx, memberID); err == nil {
				for _, m := range ms {
					histories[m.ID] = m.OtherBefore
				}
			}
		}
		if m, ok := histories[merge]; ok && m.ID == other {
			return members.DisplayName(m)
		}
		if m, err := s.src.Members.Get(ctx, other); err == nil {
			return members.DisplayName(m)
		}
		return ""
	}
}

// mails are the newsletters and automation e-mails sent (or being sent) to the member.
func (s *Service) mails(ctx context.Context, memberID string) ([]Entry, error) {
	sent, err := s.src.Newsletters.MemberDeliveries(ctx, memberID)
	if err != nil {
		return nil, err
	}
	once, err := s.src.Newsletters.MemberMails(ctx, memberID)
	if err != nil {
		return nil, err
	}
	subjects := map[string]string{}
	var out []Entry
	for i, d := range append(sent, once...) {
		subject, known := subjects[d.NewsletterID]
		if !known && i < len(sent) {
			if n, err := s.src.Newsletters.Get(ctx, d.NewsletterID); err == nil {
				subject = n.Subject
			}
			subjects[d.NewsletterID] = subject
		}
		at := d.UpdatedAt
		if d.SentAt != nil {
			at = *d.SentAt
		}
		out = append(out, Entry{At: at, Kind: Mail, What: string(d.Status), Title: subject, ID: d.NewsletterID})
	}
	return out, nil
}

// steps are the automation steps run for the member.
func (s *Service) steps(ctx context.Context, memberID string) ([]Entry, error) {
	ens, err := s.src.Automations.ForMember(ctx, memberID)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	var out []Entry
	for _, en := range ens {
		name, known := names[en.AutomationID]
		if !known {
			if a, err := s.src.Automations.Get(ctx, en.AutomationID); err == nil {
				name = a.Name
			}
			names[en.AutomationID] = name
		}
		for _, run := range en.History {
			at := run.DoneAt
			if at.IsZero() {
				at = run.StartedAt
			}
			out = append(out, Entry{At: at, Kind: Automation, What: string(run.Kind), Title: name, Text: run.Outcome,
				ID: en.ID + "/" + strconv.Itoa(run.Step)})
		}
	}
	return out, nil
}

// A cursor is the last entry of a page: its time in nanoseconds, kind and id.
func cursorOf(e Entry) string {
	return strconv.FormatInt(e.At.UnixNano(), 10) + "~" + string(e.Kind) + "~" + e.ID
}

func parseCursor(c string) (*Entry, error) {
	if c == "" {
		return nil, nil
	}
	parts := strings.SplitN(c, "~", 3)
	if len(parts) == 3 {
		if ns, err := strconv.ParseInt(parts[0], 10, 64); err == nil {
			return &Entry{At: time.Unix(0, ns), Kind: Kind(parts[1]), ID: parts[2]}, nil
		}
	}
	return nil, errs.New(errs.Invalid, "timeline_bad_cursor", "timeline: the page cursor is damaged; start from the first page")
}
