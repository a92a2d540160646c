package analytics

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/members"
	"hearth/backend/store"
)

func TestIsQuestionReadsQuestionMarksAndInterrogativeWordsInFrenchAndEnglish(t *testing.T) {
	for _, c := range []struct {
		title, text string
		want        bool
	}{
		{"Comment exporter les membres ?", "", true},
		{"", "Does the export keep the tags?", true},
		{"Export", "Ça marche?!", true},
		{"Pourquoi l'export plante", "", true},
		{"QUAND a lieu le prochain atelier", "", true},
		{"Où trouver le guide", "", true},
		{"Ou bien on attend", "", false}, // "ou" is "or"
		{"Quelqu’un a testé la v2", "", true},
		{"Est-ce que l'API est ouverte", "", true},
		{"Peut-on changer de formule", "", true},
		{"Existe-t-il un export", "", true},
		{"Avez-vous un modèle", "", true},
		{"Rendez-vous jeudi", "", false},
		{"Inscrivez-vous ici", "", false},
		{"", "@kim how do I reset my password", true},
		{"", "Anyone tried the new theme", true},
		{"**What's** new in 2.0", "", true},
		{"Can't wait for the meetup!", "", false},
		{"Release notes", "See https://example.org/notes?v=2&lang=fr for details.", false},
		{"Bienvenue à tous", "Merci d'être là.", false},
		{"", "", false},
	} {
		if got := IsQuestion(c.title, c.text); got != c.want {
			t.Errorf("IsQuestion(%q, %q) = %v, want %v", c.title, c.text, got, c.want)
		}
	}
}

// say stores manual entries, each of which must be new.
func (f *fixture) say(t *testing.T, ins ...activity.ManualInput) {
	t.Helper()
	res, err := f.activity.AddManual(context.Background(), ins)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Outcome != activity.ManualStored {
			t.Fatalf("entry %d: %+v", i, r)
		}
	}
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// forum is a small forum in Paris with answers worked out by hand:
//
//	q0 eve    2026-03-31 23:30 "Où est le guide ?"          ann 04-01 01:00       (asked in March)
//	q1 ann    2026-04-01 00:30 "Comment exporter… ?"        ann 00:40 (her own), bob 02:30 (+2 h), cat 03:00
//	q2 bob    2026-04-10 10:00 "How do I reset…" (no "?")   dan 10:15 (+15 min, a teammate), cat 10:45;
//	                                                         both replies stored before the question
//	q3 cat    2026-04-20 12:00 "Pourquoi l'export plante"   ann 11:59 (before the question: 0)
//	q4 eve    2026-04-25 09:00 "Quelqu'un a testé… ?"       eve only: unanswered
//	q5 ann    2026-04-30 23:00 "Which plan should we pick?" bob 05-01 00:30, after April
//	q6 eve    2026-05-01 00:10 "Une question ?"             in May in Paris (still April in UTC)
//	w1 dan    2026-04-02 09:00 "Bienvenue à tous"           ann, bob: not a question
//	   bob    2026-04-03 a reply in a thread whose first message never came
type forum struct {
	ann, bob, cat, dan, eve members.Member
}

func newForum(t *testing.T, f *fixture) forum {
	t.Helper()
	fo := forum{
		ann: f.member(t, members.CreateInput{Name: "Ann", Emails: []string{"ann@example.org"}}),
		bob: f.member(t, members.CreateInput{Name: "Bob", Emails: []string{"bob@example.org"}}),
		cat: f.member(t, members.CreateInput{Name: "Cat", Emails: []string{"cat@example.org"}}),
		dan: f.member(t, members.CreateInput{Name: "Dan", Emails: []string{"dan@example.org"}, Tags: []string{"Équipe"}}),
		eve: f.member(t, members.CreateInput{Name: "Eve", Emails: []string{"eve@example.org"}}),
	}
	if err := f.svc.Warm(context.Background()); err != nil { // counters kept by the hook from here on
		t.Fatal(err)
	}
	post := func(who, id, when, title string) activity.ManualInput {
		return activity.ManualInput{Member: who, Kind: activity.Post, At: at(when), Channel: "forum", ID: id, Title: title}
	}
	reply := func(who, thread, when string) activity.ManualInput {
		return activity.ManualInput{Member: who, Kind: activity.Reply, At: at(when), Channel: "forum", Thread: thread, Text: "Voilà."}
	}
	// Replies first, in any order: their questions come later.
	f.say(t, reply("cat@example.org", "q2", "2026-04-10T10:45:00+02:00"), reply("dan@example.org", "q2", "2026-04-10T10:15:00+02:00"),
		reply("bob@example.org", "lost", "2026-04-03T10:00:00+02:00"))
	f.say(t,
		post("eve@example.org", "q0", "2026-03-31T23:30:00+02:00", "Où est le guide ?"),
		reply("ann@example.org", "q0", "2026-04-01T01:00:00+02:00"),
		reply("cat@example.org", "q1", "2026-04-01T03:00:00+02:00"),
		post("ann@example.org", "q1", "2026-04-01T00:30:00+02:00", "Comment exporter les membres ?"),
		reply("ann@example.org", "q1", "2026-04-01T00:40:00+02:00"),
		reply("bob@example.org", "q1", "2026-04-01T02:30:00+02:00"),
		post("bob@example.org", "q2", "2026-04-10T10:00:00+02:00", "How do I reset my password"),
		activity.ManualInput{Member: "cat@example.org", Kind: activity.Message, At: at("2026-04-20T12:00:00+02:00"), Channel: "chat", ID: "q3",
			Text: "Pourquoi l'export plante"},
		reply("ann@example.org", "q3", "2026-04-20T11:59:00+02:00"),
		post("eve@example.org", "q4", "2026-04-25T09:00:00+02:00", "Quelqu'un a testé la v2 ?"),
		reply("eve@example.org", "q4", "2026-04-25T10:00:00+02:00"),
		post("ann@example.org", "q5", "2026-04-30T23:00:00+02:00", "Which plan should we pick?"),
		reply("bob@example.org", "q5", "2026-05-01T00:30:00+02:00"),
		post("eve@example.org", "q6", "2026-05-01T00:10:00+02:00", "Une question ?"),
		post("dan@example.org", "w1", "2026-04-02T09:00:00+02:00", "Bienvenue à tous"),
		reply("ann@example.org", "w1", "2026-04-02T10:00:00+02:00"),
		reply("bob@example.org", "w1", "2026-04-02T11:00:00+02:00"),
	)
	return fo
}

var (
	april      = Range{From: time.Date(2026, 4, 1, 0, 0, 0, 0, paris), To: time.Date(2026, 5, 1, 0, 0, 0, 0, paris)}
	firstHalf  = Range{From: time.Date(2026, 4, 1, 0, 0, 0, 0, paris), To: time.Date(2026, 4, 16, 0, 0, 0, 0, paris)}
	aprilToMay = Range{From: time.Date(2026, 4, 1, 0, 0, 0, 0, paris), To: time.Date(2026, 5, 2, 0, 0, 0, 0, paris)}
)

// questionNumbers are the question fields of KPIs.
type questionNumbers struct {
	Questions, Answered int
	Rate, Median, P90   float64
}

func numbersOf(k KPIs) questionNumbers {
	return questionNumbers{k.Questions, k.QuestionsAnswered, k.AnswerRate, k.MedianResponseSeconds, k.ResponseTimeP90Seconds}
}

func (f *fixture) numbers(t *testing.T, r Range) questionNumbers {
	t.Helper()
	return numbersOf(f.kpis(t, r.From, r.To))
}

func mustNumbers(t *testing.T, what string, got, want questionNumbers) {
	t.Helper()
	if got.Questions != want.Questions || got.Answered != want.Answered || !near(got.Rate, want.Rate) ||
		!near(got.Median, want.Median) || !near(got.P90, want.P90) {
		t.Errorf("%s: %+v, want %+v", what, got, want)
	}
}

// answeredCounts are the super users' Counts["answered"] by name.
func answeredCounts(k KPIs) map[string]int {
	out := map[string]int{}
	for _, u := range k.SuperUsers {
		if n, ok := u.Counts[AnsweredCount]; ok {
			out[u.Name] = n
		}
	}
	return out
}

func TestQuestionsAnsweredAndResponseTimesMatchAHandComputedForum(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	newForum(t, f)
	k := f.kpis(t, april.From, april.To)
	// q1..q5; answered in April: q1 (2 h), q2 (15 min), q3 (0); median 900 s, p90 the 3rd of 3.
	mustNumbers(t, "April", numbersOf(k), questionNumbers{5, 3, 0.6, 900, 7200})
	// March 2-31: q0, answered only on 1 April, after that period's end.
	mustNumbers(t, "previous period", numbersOf(*k.Previous), questionNumbers{1, 0, 0, 0, 0})
	// 1-15 April: q1 and q2, an even count: the mean of 900 and 7,200.
	mustNumbers(t, "first half of April", f.numbers(t, firstHalf), questionNumbers{2, 2, 1, 4050, 7200})
	// 1 April - 1 May: q5 answered by then (1 h 30), and q6 asked.
	mustNumbers(t, "April to 1 May", f.numbers(t, aprilToMay), questionNumbers{6, 4, 4.0 / 6, (900 + 5400) / 2.0, 7200})
	// Ann answered q0 (on 1 April) and q3, Cat q1 and q2, Bob q1 (his q5 answer is in May);
	// Dan, a teammate, is no super user; Eve answered nobody but herself.
	mustEqual(t, "answered in April", answeredCounts(k), map[string]int{"Ann": 2, "Cat": 2, "Bob": 1})
	checkQuestions(t, f, "the forum")
}

func TestTheMembersBehindQuestionsAnsweredAreWhoAnsweredMostAnswersFirst(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	fo := newForum(t, f)
	got, err := f.svc.MembersBehind(context.Background(), april, "answerers", 0)
	if err != nil {
		t.Fatal(err)
	}
	// Ann and Cat answered two questions of others each, Bob and Dan (a teammate: he still
	// answered) one; Eve only herself. Ties in id order.
	want := append(sorted(fo.ann.ID, fo.cat.ID), sorted(fo.bob.ID, fo.dan.ID)...)
	mustEqual(t, "answerers in April", got, want)
	if got, _ := f.svc.MembersBehind(context.Background(), april, "answerers", 1); len(got) != 1 || got[0] != want[0] {
		t.Errorf("limit 1: %v", got)
	}
}

func TestErasingAnAskerRemovesTheirQuestionAndAFirstAnswererGivesWayToTheNext(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	fo := newForum(t, f)
	// Bob asked q2 and answered q1 first: q2 goes, q1's first answer is now Cat's at 03:00.
	if err := f.gdpr.Erase(context.Background(), fo.bob.ID, "bob@example.org"); err != nil {
		t.Fatal(err)
	}
	mustNumbers(t, "April without Bob", f.numbers(t, april), questionNumbers{4, 2, 0.5, (0 + 9000) / 2.0, 9000})
	checkQuestions(t, f, "after erasing Bob")
	// Ann asked q1 and q5 and answered q0 and q3 first.
	if err := f.gdpr.Erase(context.Background(), fo.ann.ID, "ann@example.org"); err != nil {
		t.Fatal(err)
	}
	mustNumbers(t, "April without Bob and Ann", f.numbers(t, april), questionNumbers{2, 0, 0, 0, 0})
	checkQuestions(t, f, "after erasing Ann")
	f.reopen(t)
	mustNumbers(t, "April after reopening", f.numbers(t, april), questionNumbers{2, 0, 0, 0, 0})
}

func TestADeletedMemberAsksAndAnswersNothingUntilRestored(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	fo := newForum(t, f)
	ctx := context.Background()
	deleted, err := f.members.Delete(ctx, fo.bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustNumbers(t, "April with Bob deleted", f.numbers(t, april), questionNumbers{4, 2, 0.5, 4500, 9000})
	if _, err := f.members.Restore(ctx, deleted); err != nil {
		t.Fatal(err)
	}
	mustNumbers(t, "April with Bob restored", f.numbers(t, april), questionNumbers{5, 3, 0.6, 900, 7200})
}

func TestADeletedFirstAnswerIsReplacedByTheNext(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	fo := newForum(t, f)
	var bobs activity.Record
	err := f.activity.Scan(context.Background(), time.Time{}, func(r activity.Record) error {
		if r.MemberID == fo.bob.ID && r.Thread == "q1" {
			bobs = r
		}
		return nil
	})
	if err != nil || bobs.ID == "" {
		t.Fatalf("bob's reply: %+v %v", bobs, err)
	}
	// The hook as a deletion would call it.
	gone := []activity.Change{{Record: bobs, Delta: -1}}
	f.svc.Begin()
	err = f.st.Update(context.Background(), func(tx *store.Tx) error { return f.svc.Apply(tx, gone) })
	f.svc.End(gone)
	if err != nil {
		t.Fatal(err)
	}
	mustNumbers(t, "April without Bob's reply", f.numbers(t, april), questionNumbers{5, 3, 0.6, 900, 9000})
}

func TestQuestionsEqualAFullRecomputationAfterRandomInsertsAndErasures(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(6, 2))
	var people []members.Member
	for i := range 8 {
		in := members.CreateInput{Name: fmt.Sprint("P", i), Emails: []string{fmt.Sprintf("p%d@example.org", i)}}
		if i == 0 {
			in.Tags = []string{"team"}
		}
		people = append(people, f.member(t, in))
	}
	if err := f.svc.Warm(ctx); err != nil {
		t.Fatal(err)
	}
	titles := []string{"Comment faire ?", "Hello", "Why is it slow", "Merci", "", "Anyone here"}
	kinds := []activity.Kind{activity.Post, activity.Message, activity.Reply, activity.Reply, activity.Reply, activity.Reaction}
	// Thread i starts about i/2 days after 25 March, across the DST change and the month's
	// end; its records come within an hour before to three days after.
	start := time.Date(2026, 3, 25, 0, 0, 0, 0, time.UTC)
	r := Range{From: time.Date(2026, 3, 28, 0, 0, 0, 0, paris), To: time.Date(2026, 4, 6, 0, 0, 0, 0, paris)}
	for round := range 9 {
		var ins []activity.ManualInput
		for range 30 + rng.IntN(30) {
			thread := rng.IntN(30)
			base := start.Add(time.Duration(thread) * 12 * time.Hour)
			in := activity.ManualInput{Member: people[rng.IntN(len(people))].ID, Kind: kinds[rng.IntN(len(kinds))],
				At: base.Add(time.Duration(rng.IntN(73*60)-60) * time.Minute), Title: titles[rng.IntN(len(titles))]}
			if rng.IntN(8) > 0 {
				in.Thread = fmt.Sprint("T", thread)
			}
			ins = append(ins, in)
		}
		if _, err := f.activity.AddManual(ctx, ins); err != nil {
			t.Fatal(err)
		}
		if round%3 == 2 {
			i := 1 + rng.IntN(len(people)-1)
			if err := f.gdpr.Erase(ctx, people[i].ID, people[i].Emails[0]); err != nil {
				t.Fatal(err)
			}
			people = slices.Delete(people, i, i+1)
		}
		checkQuestions(t, f, fmt.Sprint("round ", round))
		mustNumbers(t, fmt.Sprint("round ", round), f.numbers(t, r), expectedNumbers(t, f, r))
	}
	// The super users' answered counts: others' questions they first replied to in the range.
	answered := map[string]int{}
	for _, q := range expectedQuestions(t, f) {
		for _, a := range q.Answers {
			if !a.At.Before(r.From) && a.At.Before(r.To) {
				answered[a.Member]++
			}
		}
	}
	k := f.kpis(t, r.From, r.To)
	if len(k.SuperUsers) < 3 {
		t.Fatalf("super users %+v", k.SuperUsers)
	}
	for _, u := range k.SuperUsers {
		mustEqual(t, "answered by "+u.Name, u.Counts[AnsweredCount], answered[u.MemberID])
	}
	f.reopen(t)
	checkQuestions(t, f, "after reopening")
	if err := f.svc.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	checkQuestions(t, f, "after a rebuild")
	want := expectedNumbers(t, f, r)
	mustNumbers(t, "after a rebuild", f.numbers(t, r), want)
	if want.Questions < 5 || want.Answered < 3 || want.Median == 0 {
		t.Fatalf("the random forum is too small to test anything: %+v", want)
	}
}

// expectedQuestions works the questions out from the raw activity, without the thread
// records, as the definitions say.
func expectedQuestions(t *testing.T, f *fixture) map[string]questionRecord {
	t.Helper()
	type rec struct {
		id, member string
		at         time.Time
		kind       activity.Kind
		asks       bool
	}
	byThread := map[string][]rec{}
	err := f.activity.Scan(context.Background(), time.Time{}, func(r activity.Record) error {
		if r.Thread != "" && r.MemberID != "" && (r.Kind == activity.Post || r.Kind == activity.Message || r.Kind == activity.Reply) {
			k := r.Connection + "/" + r.Thread
			byThread[k] = append(byThread[k], rec{r.ID, r.MemberID, r.At, r.Kind, IsQuestion(r.Title, r.Text)})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]questionRecord{}
	for thread, rs := range byThread {
		slices.SortFunc(rs, func(a, b rec) int { return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.id, b.id)) })
		first := slices.IndexFunc(rs, func(r rec) bool { return r.kind != activity.Reply })
		if first < 0 || !rs[first].asks {
			continue
		}
		q := questionRecord{Thread: thread, Asker: rs[first].member, AskedAt: rs[first].at}
		seen := map[string]bool{q.Asker: true}
		for _, r := range rs {
			if r.kind == activity.Reply && !seen[r.member] {
				seen[r.member] = true
				q.Answers = append(q.Answers, answerRecord{Member: r.member, At: r.at})
			}
		}
		slices.SortStableFunc(q.Answers, func(a, b answerRecord) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Member, b.Member)) })
		out[thread] = q
	}
	return out
}

func describe(q questionRecord) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s at %s;", q.Thread, q.Asker, q.AskedAt.UTC().Format(time.RFC3339Nano))
	for _, a := range q.Answers {
		fmt.Fprintf(&b, " %s at %s", a.Member, a.At.UTC().Format(time.RFC3339Nano))
	}
	return b.String()
}

// checkQuestions compares the stored questions and the index's with a recomputation.
func checkQuestions(t *testing.T, f *fixture, when string) {
	t.Helper()
	want := map[string]string{}
	for thread, q := range expectedQuestions(t, f) {
		want[thread] = describe(q)
	}
	got := map[string]string{}
	err := f.st.View(func(tx *store.Tx) error {
		return store.Scan(tx, questions, func(id string, q questionRecord, _ store.Meta) error {
			got[id] = describe(q)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: stored questions differ from a recomputation:\n got %v\nwant %v", when, got, want)
	}
	if err := f.svc.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.svc.mu.RLock()
	mem := map[string]string{}
	x := f.svc.idx
	for thread, i := range x.questions.slot {
		q := x.questions.qs[i]
		r := questionRecord{Thread: q.thread, Asker: x.members[q.asker].id, AskedAt: time.Unix(0, q.asked)}
		for _, a := range q.answers {
			r.Answers = append(r.Answers, answerRecord{Member: x.members[a.m].id, At: time.Unix(0, a.at)})
		}
		mem[thread] = describe(r)
	}
	if len(x.questions.slot) != len(x.questions.qs) {
		t.Fatalf("%s: %d questions by thread, %d in all", when, len(x.questions.slot), len(x.questions.qs))
	}
	f.svc.mu.RUnlock()
	if !reflect.DeepEqual(mem, want) {
		t.Fatalf("%s: the index's questions differ from a recomputation:\n got %v\nwant %v", when, mem, want)
	}
}

// expectedNumbers computes the question KPIs of r from the recomputed questions (every
// member in the test is live: erased ones have no records left).
func expectedNumbers(t *testing.T, f *fixture, r Range) questionNumbers {
	t.Helper()
	var n questionNumbers
	var times []float64
	for _, q := range expectedQuestions(t, f) {
		if q.AskedAt.Before(r.From) || !q.AskedAt.Before(r.To) {
			continue
		}
		n.Questions++
		if len(q.Answers) > 0 && q.Answers[0].At.Before(r.To) {
			times = append(times, max(0, q.Answers[0].At.Sub(q.AskedAt).Seconds()))
		}
	}
	n.Answered = len(times)
	if n.Questions > 0 {
		n.Rate = float64(n.Answered) / float64(n.Questions)
	}
	if len(times) > 0 {
		slices.Sort(times)
		m := len(times) / 2
		n.Median = times[m]
		if len(times)%2 == 0 {
			n.Median = (times[m-1] + times[m]) / 2
		}
		rank := int(float64(len(times))*0.9 + 0.999999)
		n.P90 = times[rank-1]
	}
	return n
}

func TestSelectNthFindsTheKthSmallestAndPartitions(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		xs := make([]int64, 1+rng.IntN(40))
		for i := range xs {
			xs[i] = int64(rng.IntN(10))
		}
		sorted := slices.Sorted(slices.Values(xs))
		k := rng.IntN(len(xs))
		if got := selectNth(xs, k); got != sorted[k] {
			t.Fatalf("selectNth(%v, %d) = %d, want %d", xs, k, got, sorted[k])
		}
		if slices.Max(xs[:k+1]) != sorted[k] || slices.Min(xs[k:]) != sorted[k] {
			t.Fatalf("not partitioned around %d: %v", k, xs)
		}
	}
}

// BenchmarkQuestionKPIs100k measures what questions add to a KPI query over 100,000
// questions (each with 0 to 3 answers, over two years): making the flat copy after a change,
// and the numbers of a 30-day and a 365-day range with their previous periods.
func BenchmarkQuestionKPIs100k(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	x := newIndex()
	for i := range 20_000 {
		x.member(fmt.Sprint("m", i)).alive = true
	}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, paris)
	for i := range 100_000 {
		asked := base.Add(time.Duration(rng.IntN(730*24*3600)) * time.Second)
		q := questionRecord{Asker: fmt.Sprint("m", rng.IntN(20_000)), AskedAt: asked}
		for j := range rng.IntN(4) {
			q.Answers = append(q.Answers, answerRecord{Member: fmt.Sprint("m", rng.IntN(20_000)), At: asked.Add(time.Duration(j+rng.IntN(86400)) * time.Second)})
		}
		x.setQuestion(fmt.Sprint("t", i), q, true, paris)
	}
	b.Run("flatten", func(b *testing.B) {
		for b.Loop() {
			var f flat
			f.flattenQuestions(x)
		}
	})
	var f flat
	f.flattenQuestions(x)
	d1 := dayOf(base, paris) + 700
	var times []int64
	b.Run("kpis", func(b *testing.B) {
		for b.Loop() {
			for _, n := range []int32{30, 365} {
				for _, d := range []int32{d1 - n, d1} {
					var k KPIs
					times = f.questionKPIs(&k, d-n, d, dayStart(d, paris).UnixNano(), times, nil)
				}
			}
		}
	})
}
