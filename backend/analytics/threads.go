package analytics

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"

	"hearth/backend/activity"
	"hearth/backend/errs"
	"hearth/backend/store"
	"hearth/backend/textfold"
)

// Questions and answers. A thread is a conversation of one connection (activity.Record.Thread):
// its first record is its earliest post or message, its replies answer in it. What the KPIs
// need is kept at write time in two collections, in the activity write's transaction:
//
//   - analytics_thread: one small record per post, message or reply in a thread (its thread,
//     member, time, and whether it is a reply or asks something), id = the activity record's
//     id, sealed under the member, indexed by thread (a thread's records are one index prefix)
//     and by member (erasure);
//   - analytics_question: one record per thread whose first record is a question (asker, time,
//     each answerer's first reply), id = the thread, sealed under the asker, kept right whenever
//     one of the thread's records arrives or goes, whatever their order;
//   - analytics_thread_state: one record per thread, what its question is computed from (its
//     first record and each replier's first reply), id = the thread, sealed under the first
//     record's member (or the first replier), so that new records are folded in without
//     rereading the thread: a thread of 100,000 replies costs the same per write as a new one.
//     A record that goes, an erasure, or a state missing (shredded with its member, or from an
//     older Hearth) recomputes the thread from its records.

// threadPost is what analytics keeps of one activity record in a thread.
type threadPost struct {
	Thread string    `json:"t"`
	Member string    `json:"m"`
	At     time.Time `json:"at"`
	// Reply is set for a reply; else the record is a post or message that may start the thread,
	// and Question says whether it asks something (IsQuestion).
	Reply    bool `json:"r,omitempty"`
	Question bool `json:"q,omitempty"`
}

// questionRecord is a thread whose first record asks something.
type questionRecord struct {
	Thread  string    `json:"thread"`
	Asker   string    `json:"asker"`
	AskedAt time.Time `json:"asked_at"`
	// Answers hold each member other than the asker who replied, with their first reply, by
	// time then member.
	Answers []answerRecord `json:"answers,omitempty"`
}

// answerRecord is one answerer's first reply in a thread.
type answerRecord struct {
	Member string    `json:"m"`
	At     time.Time `json:"at"`
}

var (
	threadPosts = &store.Collection[threadPost]{
		Name:    "analytics_thread",
		Subject: func(p threadPost) string { return p.Member },
		Indexes: []store.Index[threadPost]{
			{Name: "thread", Values: func(p threadPost) []string { return []string{p.Thread} }},
			{Name: "member", Values: func(p threadPost) []string { return []string{p.Member} }},
		},
	}
	questions = &store.Collection[questionRecord]{
		Name:    "analytics_question",
		Subject: func(q questionRecord) string { return q.Asker },
	}
	threadStates = &store.Collection[threadState]{
		Name:    "analytics_thread_state",
		Subject: threadState.subject,
	}
)

// threadState is a thread summed up (threadAcc) as stored. The replies are kept only while they
// may count: not once the thread's first record is known and asks nothing, which is most
// threads, so that a long conversation's state stays small. Should an earlier record that asks
// something arrive then, the thread is recomputed from its records.
type threadState struct {
	FirstID string               `json:"fi,omitempty"`
	First   threadPost           `json:"f"`
	Replies map[string]time.Time `json:"r,omitempty"`
}

// subject is the member whose key seals the state: the first record's, else the first replier's
// by id. Erasing them shreds it, and the thread is then recomputed from its records.
func (st threadState) subject() string {
	if st.FirstID != "" {
		return st.First.Member
	}
	first := ""
	for m := range st.Replies {
		if first == "" || m < first {
			first = m
		}
	}
	return first
}

func (a *threadAcc) state() threadState {
	st := threadState{FirstID: a.firstID, First: a.first, Replies: a.replies}
	if !st.tracksReplies() {
		st.Replies = nil
	}
	return st
}

// tracksReplies says whether the state keeps the replies: unless its first record is known
// and asks nothing.
func (st threadState) tracksReplies() bool { return st.FirstID == "" || st.First.Question }

func (a *threadAcc) empty() bool { return a.firstID == "" && len(a.replies) == 0 }

// accOf is the accumulator a stored state continues; it does not share the state's map, which
// is compared with the result to know whether to write.
func accOf(st threadState) threadAcc {
	return threadAcc{first: st.First, firstID: st.FirstID, replies: maps.Clone(st.Replies)}
}

func sameState(a, b threadState) bool {
	return a.FirstID == b.FirstID && a.First == b.First && maps.EqualFunc(a.Replies, b.Replies, time.Time.Equal)
}

// threadOf names a record's thread across connections ("" when it is in none, or cannot ask
// or answer: no member, or a kind other than post, message and reply). Connection ids hold no
// "/".
func threadOf(r activity.Record) string {
	if r.Thread == "" || r.MemberID == "" || r.ID == "" {
		return ""
	}
	switch r.Kind {
	case activity.Post, activity.Message, activity.Reply:
		return r.Connection + "/" + r.Thread
	}
	return ""
}

// postOf is the thread record of an activity record in a thread.
func postOf(r activity.Record, thread string) threadPost {
	p := threadPost{Thread: thread, Member: r.MemberID, At: r.At.UTC(), Reply: r.Kind == activity.Reply}
	p.Question = !p.Reply && IsQuestion(r.Title, r.Text)
	return p
}

// threadAcc sums up a thread from its records, in any order.
type threadAcc struct {
	first   threadPost
	firstID string // "" until a post or message is seen
	replies map[string]time.Time
}

func (a *threadAcc) add(id string, p threadPost) {
	if p.Reply {
		if a.replies == nil {
			a.replies = map[string]time.Time{}
		}
		if t, ok := a.replies[p.Member]; !ok || p.At.Before(t) {
			a.replies[p.Member] = p.At
		}
		return
	}
	if a.firstID == "" || p.At.Before(a.first.At) || (p.At.Equal(a.first.At) && id < a.firstID) {
		a.first, a.firstID = p, id
	}
}

// question is the thread's question; ok is false when its first record is missing or does
// not ask anything.
func (a *threadAcc) question(thread string) (q questionRecord, ok bool) {
	if a.firstID == "" || !a.first.Question {
		return q, false
	}
	q = questionRecord{Thread: thread, Asker: a.first.Member, AskedAt: a.first.At}
	for m, at := range a.replies {
		if m != q.Asker {
			q.Answers = append(q.Answers, answerRecord{Member: m, At: at})
		}
	}
	slices.SortFunc(q.Answers, func(x, y answerRecord) int { return cmp.Or(x.At.Compare(y.At), cmp.Compare(x.Member, y.Member)) })
	return q, true
}

func sameQuestion(a, b questionRecord) bool {
	return a.Thread == b.Thread && a.Asker == b.Asker && a.AskedAt.Equal(b.AskedAt) &&
		slices.EqualFunc(a.Answers, b.Answers, func(x, y answerRecord) bool { return x.Member == y.Member && x.At.Equal(y.At) })
}

// applyThreads writes the thread records of changes and brings the questions of the threads
// they touch up to date: records added are folded into the thread's stored state; a record
// that goes, or a thread without a state, is recomputed from all its records.
func applyThreads(tx *store.Tx, changes []activity.Change) error {
	type added struct {
		id string
		p  threadPost
	}
	adds := map[string][]added{}
	recompute := map[string]bool{}
	for _, c := range changes {
		thread := threadOf(c.Record)
		if thread == "" {
			continue
		}
		var err error
		if c.Delta > 0 {
			p := postOf(c.Record, thread)
			_, err = store.Put(tx, threadPosts, c.Record.ID, p)
			adds[thread] = append(adds[thread], added{c.Record.ID, p})
		} else {
			err = putOrDelete(tx, threadPosts, c.Record.ID, threadPost{}, true)
			recompute[thread] = true
		}
		if err != nil {
			return err
		}
	}
	for _, thread := range sortedKeys(recompute) {
		if _, err := recomputeThread(tx, thread, ""); err != nil {
			return err
		}
	}
	for _, thread := range slices.Sorted(maps.Keys(adds)) {
		if recompute[thread] {
			continue
		}
		st, _, err := store.Get(tx, threadStates, thread)
		if errors.Is(err, errs.NotFound) {
			// Every thread has had a state since counters version 5 (a rebuild writes them). A
			// state shredded with its member is rebuilt from the thread's records; none, or a
			// deleted one, is a new thread or one whose records all went: it starts empty.
			shredded, serr := store.Shredded(tx, threadStates, thread)
			if serr != nil {
				return serr
			}
			if shredded {
				if _, err := recomputeThread(tx, thread, ""); err != nil {
					return err
				}
				continue
			}
			st, err = threadState{}, nil
		}
		if err != nil {
			return err
		}
		acc := accOf(st)
		for _, a := range adds[thread] {
			acc.add(a.id, a.p)
		}
		if acc.firstID != "" && acc.first.Question && !st.tracksReplies() {
			// A question now starts a thread whose replies were not kept.
			if _, err := recomputeThread(tx, thread, ""); err != nil {
				return err
			}
			continue
		}
		if _, err := writeThread(tx, thread, &acc, &st); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// recomputeThread rewrites a thread's question from its records, leaving out those of the
// member except (being forgotten). It returns the size of what it wrote, roughly, in bytes.
func recomputeThread(tx *store.Tx, thread, except string) (int, error) {
	ids, err := store.IDsByIndex(tx, threadPosts, "thread", thread)
	if err != nil {
		return 0, err
	}
	var acc threadAcc
	for _, id := range ids {
		p, _, err := store.Get(tx, threadPosts, id)
		if errors.Is(err, errs.NotFound) { // shredded by an erasure
			continue
		}
		if err != nil {
			return 0, err
		}
		if p.Member != except {
			acc.add(id, p)
		}
	}
	return writeThread(tx, thread, &acc, nil)
}

// writeThread stores a thread's state (before is the stored one, nil when not read) and its
// question, each only when it changed. It returns the size of what it wrote, roughly, in bytes.
func writeThread(tx *store.Tx, thread string, acc *threadAcc, before *threadState) (int, error) {
	written := 0
	if st := acc.state(); before == nil || !sameState(*before, st) {
		if err := putOrDelete(tx, threadStates, thread, st, acc.empty()); err != nil {
			return 0, err
		}
		written += 100 + 40*len(st.Replies)
	}
	q, ok := acc.question(thread)
	old, _, err := store.Get(tx, questions, thread)
	if err != nil && !errors.Is(err, errs.NotFound) {
		return 0, err
	}
	if found := err == nil; found == ok && (!ok || sameQuestion(old, q)) {
		return written, nil
	}
	return written + 200 + len(thread) + 80*len(q.Answers), putOrDelete(tx, questions, thread, q, !ok)
}

// An erasure must fit in one transaction with everything else it deletes: it deletes the
// newest maxForgetPosts thread records of the member (older ones are shredded with the
// member's key, and read as absent) and recomputes the questions of the newest threads they
// touched within maxForgetThreads and about maxForgetBytes written. Questions left aside keep
// the erased member's id under a key that may be shredded; the index leaves erased members
// out (they are not alive) and a rebuild rewrites them.
const (
	maxForgetPosts   = 1000
	maxForgetThreads = 500
	maxForgetBytes   = 512 << 10
)

// forgetThreads deletes a member's thread records inside an erasure and recomputes the
// questions of the threads they touched without them. changed says whether it did anything.
func forgetThreads(tx *store.Tx, member string) (changed bool, err error) {
	ids, err := store.IDsByIndex(tx, threadPosts, "member", member)
	if err != nil || len(ids) == 0 {
		return false, err
	}
	var order []string
	seen := map[string]bool{}
	for n, id := range slices.Backward(ids) { // newest first
		deleting := len(ids)-n <= maxForgetPosts
		if !deleting && len(order) >= maxForgetThreads {
			break
		}
		var p threadPost
		if deleting {
			p, err = store.Delete(tx, threadPosts, id)
		} else {
			p, _, err = store.Get(tx, threadPosts, id)
		}
		if errors.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return false, err
		}
		if p.Thread != "" && !seen[p.Thread] && len(order) < maxForgetThreads {
			seen[p.Thread] = true
			order = append(order, p.Thread)
		}
	}
	written := 0
	for _, thread := range order {
		if written > maxForgetBytes {
			break
		}
		n, err := recomputeThread(tx, thread, member)
		if err != nil {
			return false, err
		}
		written += n
	}
	return true, nil
}

// threadRebuild recomputes the thread records and questions from every activity record, as
// Rebuild scans them.
type threadRebuild struct {
	threads map[string]*threadAcc
	ids     []string
	posts   []threadPost
}

func newThreadRebuild() *threadRebuild { return &threadRebuild{threads: map[string]*threadAcc{}} }

// add takes one activity record; it writes the pending thread records when they are many.
func (b *threadRebuild) add(ctx context.Context, st *store.Store, r activity.Record) error {
	thread := threadOf(r)
	if thread == "" {
		return nil
	}
	p := postOf(r, thread)
	acc := b.threads[thread]
	if acc == nil {
		acc = &threadAcc{}
		b.threads[thread] = acc
	}
	acc.add(r.ID, p)
	b.ids, b.posts = append(b.ids, r.ID), append(b.posts, p)
	if len(b.ids) < maxPending {
		return nil
	}
	return b.flush(ctx, st)
}

func (b *threadRebuild) flush(ctx context.Context, st *store.Store) error {
	err := st.Bulk(ctx, len(b.ids), func(tx *store.Tx, i int) error {
		_, err := store.Put(tx, threadPosts, b.ids[i], b.posts[i])
		return err
	}, nil)
	b.ids, b.posts = b.ids[:0], b.posts[:0]
	return err
}

// finish writes the pending thread records and the questions.
func (b *threadRebuild) finish(ctx context.Context, st *store.Store) error {
	if err := b.flush(ctx, st); err != nil {
		return err
	}
	var qs []questionRecord
	threads := make([]string, 0, len(b.threads))
	for thread, acc := range b.threads {
		threads = append(threads, thread)
		if q, ok := acc.question(thread); ok {
			qs = append(qs, q)
		}
	}
	err := st.Bulk(ctx, len(threads), func(tx *store.Tx, i int) error {
		_, err := store.Put(tx, threadStates, threads[i], b.threads[threads[i]].state())
		return err
	}, nil)
	if err != nil {
		return err
	}
	return st.Bulk(ctx, len(qs), func(tx *store.Tx, i int) error {
		_, err := store.Put(tx, questions, qs[i].Thread, qs[i])
		return err
	}, nil)
}

// IsQuestion says whether a record's title or text asks something: one of them holds a
// question mark ending a sentence (not one inside a link), or starts with an interrogative
// word in French or English ("comment", "pourquoi", "quelqu'un", "est-ce que", "peut-on",
// "how", "why", "anyone", "can"...), ignoring case, accents and a leading @mention.
func IsQuestion(title, text string) bool {
	return asks(title) || asks(text)
}

func asks(s string) bool {
	for i, r := range s {
		if r != '?' && r != '？' {
			continue
		}
		rest := s[i+len(string(r)):]
		next, _ := firstRune(rest)
		if rest == "" || unicode.IsSpace(next) || unicode.IsPunct(next) {
			return true
		}
	}
	w := firstWord(s)
	if w == "" {
		return false
	}
	if w == "où" { // "ou", without its accent, is "or"
		return true
	}
	w = textfold.Fold(w)
	if interrogatives[w] || interrogatives[strings.TrimSuffix(w, "'s")] {
		return true
	}
	// French inversion: "faut-il", "peut-on", "puis-je", "existe-t-il".
	for _, suffix := range []string{"-il", "-ils", "-elle", "-elles", "-on", "-tu", "-je"} {
		if len(w) > len(suffix) && strings.HasSuffix(w, suffix) {
			return true
		}
	}
	return false
}

func firstRune(s string) (rune, bool) {
	for _, r := range s {
		return r, true
	}
	return 0, false
}

// firstWord is the first word of s, lower case with straight apostrophes, skipping
// @mentions and what is not a letter around it (inner apostrophes and hyphens kept).
func firstWord(s string) string {
	for _, f := range strings.Fields(s) {
		if strings.HasPrefix(f, "@") {
			continue
		}
		f = strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) })
		if f != "" {
			return strings.ReplaceAll(strings.ToLower(f), "’", "'")
		}
	}
	return ""
}

// interrogatives are the words that start a question, folded (lower case, no accents).
var interrogatives = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`comment pourquoi quand quel quelle quels quelles lequel laquelle
		lesquels lesquelles qui quoi combien est-ce qu'est-ce quelqu'un avez-vous pouvez-vous
		savez-vous connaissez-vous auriez-vous pourriez-vous sauriez-vous etes-vous voulez-vous
		how why what when where which who whom whose can could does did is are should anyone anybody`) {
		m[w] = true
	}
	return m
}()

// AnsweredCount is the SuperUser.Counts key of the questions of others a member answered in
// the range: the distinct questions whose thread holds their first reply in it.
const AnsweredCount = "answered"

// questionSet holds the questions in the index, by thread.
type questionSet struct {
	slot map[string]int32 // thread -> index in qs
	qs   []question
}

// question is a question as the index keeps it: members by number (index.byID), times in
// Unix nanoseconds.
type question struct {
	thread  string
	asker   int32
	asked   int64
	day     int32
	answers []answer // by time
}

// answer is one answerer's first reply to a question.
type answer struct {
	m   int32
	at  int64
	day int32
}

// setQuestion puts a thread's question into the index, or takes it out when ok is false.
func (x *index) setQuestion(thread string, q questionRecord, ok bool, z *time.Location) {
	x.rev++
	set := &x.questions
	i, found := set.slot[thread]
	if !ok {
		if found { // the last one takes its place
			last := len(set.qs) - 1
			set.qs[i] = set.qs[last]
			set.slot[set.qs[i].thread] = i
			set.qs = set.qs[:last]
			delete(set.slot, thread)
		}
		return
	}
	iq := question{thread: thread, asker: x.number(q.Asker), asked: q.AskedAt.UnixNano(), day: dayOf(q.AskedAt, z),
		answers: make([]answer, len(q.Answers))}
	for k, a := range q.Answers {
		iq.answers[k] = answer{m: x.number(a.Member), at: a.At.UnixNano(), day: dayOf(a.At, z)}
	}
	if found {
		set.qs[i] = iq
		return
	}
	if set.slot == nil {
		set.slot = map[string]int32{}
	}
	set.slot[thread] = int32(len(set.qs))
	set.qs = append(set.qs, iq)
}

// number is the member number of id, adding the member when unknown.
func (x *index) number(id string) int32 {
	x.member(id)
	return x.byID[id]
}

// loadQuestions reads the stored questions into x.
func (s *Service) loadQuestions(tx *store.Tx, x *index) error {
	return store.Scan(tx, questions, func(id string, q questionRecord, _ store.Meta) error {
		x.setQuestion(id, q, true, s.o.Zone)
		return nil
	})
}

// staleEpoch marks an index that missed a change: the next read reloads it.
const staleEpoch = ^uint64(0)

// refreshQuestions reads again the questions of the threads committed changes touched. The
// caller holds mu: two writes to one thread cannot leave the older state in the index.
func (s *Service) refreshQuestions(committed []activity.Change) {
	touched := map[string]bool{}
	for _, c := range committed {
		if t := threadOf(c.Record); t != "" {
			touched[t] = true
		}
	}
	if len(touched) == 0 {
		return
	}
	err := s.st.View(func(tx *store.Tx) error {
		for t := range touched {
			q, _, err := store.Get(tx, questions, t)
			if err != nil && !errors.Is(err, errs.NotFound) {
				return err
			}
			s.idx.setQuestion(t, q, err == nil, s.o.Zone)
		}
		return nil
	})
	if err != nil {
		s.idx.epoch = staleEpoch
	}
}

// asked is a live member's question as KPIs read it: the day and time it was asked, and the
// time of its first answer by another live member (noAnswer when none).
type asked struct {
	day   int32
	at    int64
	first int64
	asker string // the asker's member id
}

const noAnswer = int64(1<<63 - 1)

// flattenQuestions fills f's questions of live askers, by day, and each live member's days of
// their first replies to them (in no order: only super users' are counted).
func (f *flat) flattenQuestions(x *index) {
	alive := make([]bool, len(x.members))
	for i, m := range x.members {
		alive[i] = m.alive
	}
	answers := func(q *question, fn func(a answer)) {
		for _, a := range q.answers {
			if alive[a.m] && a.m != q.asker {
				fn(a)
			}
		}
	}
	qs := make([]asked, 0, len(x.questions.qs))
	f.answeredAt = make([]int32, len(x.members)+1)
	for i := range x.questions.qs {
		q := &x.questions.qs[i]
		if !alive[q.asker] {
			continue
		}
		a := asked{day: q.day, at: q.asked, first: noAnswer, asker: x.members[q.asker].id}
		answers(q, func(an answer) {
			a.first = min(a.first, an.at)
			f.answeredAt[an.m+1]++
		})
		qs = append(qs, a)
	}
	for i := 1; i < len(f.answeredAt); i++ {
		f.answeredAt[i] += f.answeredAt[i-1]
	}
	f.answered = make([]int32, f.answeredAt[len(x.members)])
	next := slices.Clone(f.answeredAt)
	for i := range x.questions.qs {
		q := &x.questions.qs[i]
		if alive[q.asker] {
			answers(q, func(an answer) {
				f.answered[next[an.m]] = an.day
				next[an.m]++
			})
		}
	}
	f.questions = sortByDay(qs)
}

// sortByDay orders questions by day, counting them per day when the days span less than
// about 180 years.
func sortByDay(qs []asked) []asked {
	if len(qs) < 2 {
		return qs
	}
	lo, hi := qs[0].day, qs[0].day
	for _, q := range qs {
		lo, hi = min(lo, q.day), max(hi, q.day)
	}
	if hi-lo > 1<<16 {
		slices.SortFunc(qs, func(a, b asked) int { return cmp.Compare(a.day, b.day) })
		return qs
	}
	at := make([]int32, hi-lo+2)
	for _, q := range qs {
		at[q.day-lo+1]++
	}
	for i := 1; i < len(at); i++ {
		at[i] += at[i-1]
	}
	out := make([]asked, len(qs))
	for _, q := range qs {
		out[at[q.day-lo]] = q
		at[q.day-lo]++
	}
	return out
}

// answeredIn is how many questions of others m answered first in days [d0, d1).
func (f *flat) answeredIn(m *mem, d0, d1 int32) int {
	i, ok := f.x.byID[m.id]
	if !ok || int(i)+1 >= len(f.answeredAt) {
		return 0
	}
	n := 0
	for _, d := range f.answered[f.answeredAt[i]:f.answeredAt[i+1]] {
		if d >= d0 && d < d1 {
			n++
		}
	}
	return n
}
