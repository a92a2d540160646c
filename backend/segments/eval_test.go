package segments

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/analytics"
	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/internal/storetest"
	"hearth/backend/members"
	"hearth/backend/textfold"
)

var paris = func() *time.Location {
	z, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return z
}()

type fixture struct {
	clock    *clock.Manual
	members  *members.Service
	activity *activity.Service
	consent  *consent.Service
	svc      *Service
}

var start = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// newFixture wires segments as the app does: the member service's notifier is a Watch.
func newFixture(t testing.TB) *fixture { return newFixtureWith(t, true) }

// newFixtureWith, without a watch, finds changed members by their edit time.
func newFixtureWith(t testing.TB, watch bool) *fixture {
	t.Helper()
	f := &fixture{clock: clock.NewManual(start)}
	st := storetest.Open(t, t.TempDir(), f.clock)
	w := members.NewWatch(nil)
	f.members = members.NewService(st, f.clock, w)
	f.activity = activity.NewService(st, f.members, f.clock, nil)
	f.consent = consent.NewService(st, f.clock, nil, consent.WithMemberCheck(members.Exists))
	f.svc = NewService(st, f.members, Sources{Activity: f.activity, Consent: f.consent, Zone: paris}, f.clock)
	if watch {
		f.svc.Follow(w.Follow())
	}
	return f
}

// Pools the random members and expressions draw from: spellings that fold together, so that
// folding is what is tested.
var (
	tagPool   = []string{"bénévole", "Bénévole", "BENEVOLE", "équipe", "donateur", "Lyon"}
	cityPool  = []string{"Lyon", "lyon", "LYON", "Paris", "Saint-Étienne", "saint-etienne", "  "}
	agePool   = []string{"7", "12", "30", "30,5", "douze"}
	sincePool = []string{"2021-05-01", "2025-12-31", "2026-03-01T10:00:00Z", "hier"}
	platforms = []string{"discourse", "discord", "mastodon"}
	kindPool  = []activity.Kind{activity.Post, activity.Reply, activity.Reaction}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// randomWorkspace creates n members, some activity and consent events, at varied dates.
func randomWorkspace(t testing.TB, f *fixture, r *rand.Rand, n int) []members.Member {
	ctx := context.Background()
	var out []members.Member
	for i := range n {
		f.clock.Set(start.Add(-time.Duration(r.IntN(400*24)) * time.Hour))
		in := members.CreateInput{Name: fmt.Sprintf("Membre %d", i), Emails: []string{fmt.Sprintf("m%d@example.org", i)}, CustomFields: map[string]string{}}
		for range r.IntN(3) {
			in.Tags = append(in.Tags, pick(r, tagPool))
		}
		if r.IntN(3) > 0 {
			in.CustomFields[pick(r, []string{"city", "City", "ville"})] = pick(r, cityPool)
		}
		if r.IntN(2) == 0 {
			in.CustomFields["age"] = pick(r, agePool)
		}
		if r.IntN(4) == 0 {
			in.CustomFields["member_since"] = pick(r, sincePool)
		}
		for j, p := range platforms {
			if r.IntN(3) == 0 {
				in.Handles = append(in.Handles, members.Handle{Platform: p, Handle: fmt.Sprintf("h%d_%d", i, j)})
			}
		}
		m, err := f.members.Create(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	f.clock.Set(start)
	var acts []activity.ManualInput
	for _, m := range out {
		for range r.IntN(4) {
			acts = append(acts, activity.ManualInput{Member: m.ID, Kind: pick(r, kindPool),
				At: start.Add(-time.Duration(r.IntN(60*24)) * time.Hour), Channel: strconv.Itoa(r.IntN(1000))})
		}
		for range r.IntN(3) {
			in := consent.Input{MemberID: m.ID, Purpose: "newsletter", By: "test", Method: consent.Method("manual"),
				At: start.Add(-time.Duration(1+r.IntN(300)) * time.Hour)}
			var err error
			if r.IntN(2) == 0 {
				_, err = f.consent.Grant(ctx, in)
			} else {
				_, err = f.consent.Withdraw(ctx, in)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(acts) > 0 {
		if _, err := f.activity.AddManual(ctx, acts); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// randomExpr writes a random expression over the fields the workspace has.
func randomExpr(r *rand.Rand, depth int) string {
	if depth > 0 && r.IntN(3) > 0 {
		switch r.IntN(3) {
		case 0:
			return randomExpr(r, depth-1) + " AND " + randomExpr(r, depth-1)
		case 1:
			return "(" + randomExpr(r, depth-1) + " OR " + randomExpr(r, depth-1) + ")"
		default:
			return "NOT " + randomExpr(r, depth-1)
		}
	}
	ops := []string{"=", "!=", "<", "<=", ">", ">="}
	q := func(s string) string { return strconv.Quote(s) }
	switch r.IntN(9) {
	case 0:
		return "tag " + pick(r, []string{"=", "!="}) + " " + q(pick(r, tagPool))
	case 1:
		return "TAG contains " + q(pick(r, []string{"bén", "ÉQ", "x"}))
	case 2:
		return pick(r, []string{"city", "Ville", "CITY"}) + " " + pick(r, append(ops, "contains")) + " " + q(pick(r, append(cityPool, "", "lyo")))
	case 3:
		return "age " + pick(r, ops) + " " + pick(r, []string{"12", "30", "douze", "8"})
	case 4:
		return "platform " + pick(r, []string{"=", "!="}) + " " + pick(r, platforms)
	case 5:
		return "joined " + pick(r, ops) + " " + pick(r, []string{"2025-12-31", "30d", "200d", "2026-03-10"})
	case 6:
		return "consent.newsletter " + pick(r, []string{"=", "!="}) + " " + pick(r, []string{"granted", "withdrawn", "none"})
	case 7:
		kind := pick(r, []string{"", "post, ", "reply, "})
		return "activities(" + kind + pick(r, []string{"7d", "30d", "90d"}) + ") " + pick(r, ops) + " " + strconv.Itoa(r.IntN(3))
	default:
		return "last_activity " + pick(r, ops) + " " + pick(r, []string{"10d", "45d", "2026-02-01"})
	}
}

// brute is the reference: it answers each condition for one member from the record and the
// services' per-member answers, as docs/SEGMENTS.md words the rules, without the projection.
type brute struct {
	f     *fixture
	today time.Time // midnight, Paris
}

func (b brute) day(t time.Time) time.Time {
	y, m, d := t.In(paris).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func (b brute) value(v Value) time.Time {
	if v.IsAgo {
		return b.today.AddDate(0, 0, -v.Ago)
	}
	t, _ := time.Parse(time.DateOnly, v.Date)
	return t
}

func ord(c int, op string) bool {
	switch op {
	case "=":
		return c == 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	panic(op)
}

func (b brute) eval(t *testing.T, e Expr, m members.Member) bool {
	switch e := e.(type) {
	case *And:
		return b.eval(t, e.L, m) && b.eval(t, e.R, m)
	case *Or:
		return b.eval(t, e.L, m) || b.eval(t, e.R, m)
	case *Not:
		return !b.eval(t, e.X, m)
	}
	c := e.(*Cond)
	if c.Op == "!=" {
		eq := *c
		eq.Op = "="
		return !b.eval(t, &eq, m)
	}
	fold := func(s string) string { return textfold.Fold(strings.Join(strings.Fields(s), " ")) }
	ctx := context.Background()
	switch c.Field {
	case FieldTag:
		return slices.ContainsFunc(m.Tags, func(tag string) bool {
			if c.Op == "contains" {
				return strings.Contains(fold(tag), c.Value.Fold)
			}
			return fold(tag) == fold(c.Value.Raw)
		})
	case FieldPlatform:
		return slices.ContainsFunc(m.Handles, func(h members.Handle) bool { return h.Platform == c.Value.Fold })
	case FieldCustom:
		var val string
		for k, v := range m.CustomFields {
			if strings.ReplaceAll(fold(k), " ", "_") == c.Name {
				val = v
			}
		}
		if strings.TrimSpace(val) == "" {
			return c.Op == "=" && c.Value.Fold == ""
		}
		if c.Op == "contains" {
			return strings.Contains(fold(val), c.Value.Fold)
		}
		if c.Value.IsNum {
			if n, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(val), ",", ".", 1), 64); err == nil {
				return ord(cmpF(n, c.Value.Num), c.Op)
			}
		}
		return ord(strings.Compare(fold(val), c.Value.Fold), c.Op)
	case FieldJoined:
		j := b.day(m.CreatedAt)
		if s := m.CustomFields["member_since"]; s != "" {
			if d, err := time.Parse(time.DateOnly, s); err == nil && d.Before(j) {
				j = d
			} else if d, err := time.Parse(time.RFC3339, s); err == nil && b.day(d).Before(j) {
				j = b.day(d)
			}
		}
		return ord(j.Compare(b.value(c.Value)), c.Op)
	case FieldConsent:
		st, err := b.f.consent.State(ctx, m.ID, c.Name, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		return string(st.State) == c.Value.Fold
	case FieldActivities, FieldLastActivity:
		recs, err := b.f.activity.ForMember(ctx, m.ID, 100000)
		if err != nil {
			t.Fatal(err)
		}
		if c.Field == FieldLastActivity {
			if len(recs) == 0 {
				return false
			}
			last := recs[0].At
			for _, r := range recs {
				if r.At.After(last) {
					last = r.At
				}
			}
			return ord(b.day(last).Compare(b.value(c.Value)), c.Op)
		}
		n, from := 0, b.today.AddDate(0, 0, 1-c.Days)
		for _, r := range recs {
			if !b.day(r.At).Before(from) && (c.Name == "" || string(r.Kind) == c.Name) {
				n++
			}
		}
		return ord(cmpF(float64(n), c.Value.Num), c.Op)
	}
	t.Fatalf("the reference does not know %+v", c)
	return false
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestCountsAgreeWithABruteForceEvaluatorOverRandomMembersAndExpressions(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 42, 2026} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 15))
			f := newFixture(t)
			ms := randomWorkspace(t, f, r, 60)
			b := brute{f: f, today: b0(start)}
			ctx := context.Background()
			some := 0 // expressions matching some members but not all: the test is not vacuous
			defer func() {
				if some < 20 {
					t.Errorf("only %d of 60 expressions split the members", some)
				}
			}()
			for range 60 {
				src := randomExpr(r, 3)
				e, err := Parse(src)
				if err != nil {
					t.Fatalf("%s: %v", src, err)
				}
				var want []string
				for _, m := range ms {
					if b.eval(t, e, m) {
						want = append(want, m.ID)
					}
				}
				got, err := f.svc.IDs(ctx, src)
				if err != nil {
					t.Fatalf("%s: %v", src, err)
				}
				slices.Sort(want)
				if len(want) > 0 && len(want) < len(ms) {
					some++
				}
				if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
					t.Fatalf("%s: the segment has %d members, the brute-force evaluator %d", src, len(got), len(want))
				}
			}
		})
	}
}

func b0(t time.Time) time.Time {
	y, m, d := t.In(paris).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func TestCountFollowsEditsDeletionsAndErasuresWithoutReopening(t *testing.T) {
	for _, watch := range []bool{true, false} {
		t.Run(fmt.Sprint("watch=", watch), func(t *testing.T) { countFollows(t, newFixtureWith(t, watch)) })
	}
}

func countFollows(t *testing.T, f *fixture) {
	ctx := context.Background()
	a, err := f.members.Create(ctx, members.CreateInput{Emails: []string{"a@example.org"}, Tags: []string{"Bénévole"}, CustomFields: map[string]string{"Ville": "Lyon"}})
	if err != nil {
		t.Fatal(err)
	}
	expr := `tag = "bénévole" AND ville = lyon`
	count := func(want int) {
		t.Helper()
		n, err := f.svc.Count(ctx, expr)
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Fatalf("count = %d, want %d", n, want)
		}
	}
	count(1)
	f.clock.Advance(time.Second)
	if _, err := f.members.Edit(ctx, a.ID, members.Edit{SetFields: map[string]string{"Ville": "Paris"}}); err != nil {
		t.Fatal(err)
	}
	count(0)
	f.clock.Advance(time.Second)
	b, err := f.members.Create(ctx, members.CreateInput{Emails: []string{"b@example.org"}, Tags: []string{"BÉNÉVOLE"}, CustomFields: map[string]string{"ville": "LYON"}})
	if err != nil {
		t.Fatal(err)
	}
	count(1)
	if _, err := f.members.Delete(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	count(0)
	for _, p := range f.svc.proj.people {
		if p.id == b.ID {
			t.Fatal("a deleted member is still in the projection")
		}
	}
}

func TestSavedSegmentsAreFoundByNameIgnoringCaseAndAccents(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	seg, err := f.svc.Create(ctx, Input{Name: "Bénévoles lyonnais", Where: `tag = bénévole AND ville = Lyon`})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.Get(ctx, "benevoles LYONNAIS")
	if err != nil || got.ID != seg.ID {
		t.Fatalf("Get by folded name = %+v, %v", got, err)
	}
	if _, err := f.svc.Create(ctx, Input{Name: "BÉNÉVOLES lyonnais", Where: `tag = x`}); err == nil {
		t.Fatal("a second segment with the same folded name was saved")
	}
	if _, err := f.svc.Create(ctx, Input{Name: "Cassé", Where: `tag = `}); err == nil {
		t.Fatal("a segment with a broken expression was saved")
	}
	if _, err := f.svc.Delete(ctx, seg.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := f.svc.List(ctx); len(list) != 0 {
		t.Fatalf("after delete, list = %+v", list)
	}
}

func TestAnErasedPersonLeavesNothingInTheProjectionEvenWhenSomeoneJoinedMeanwhile(t *testing.T) {
	for _, watch := range []bool{true, false} {
		t.Run(fmt.Sprint("watch=", watch), func(t *testing.T) { erasedLeavesNothing(t, newFixtureWith(t, watch)) })
	}
}

func erasedLeavesNothing(t *testing.T, f *fixture) {
	ctx := context.Background()
	gone, err := f.members.Create(ctx, members.CreateInput{Emails: []string{"zoe@example.org"}, Tags: []string{"Zoé-unique"},
		CustomFields: map[string]string{"Allergie": "arachide"}})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := f.svc.Count(ctx, `tag = "zoé-unique"`); err != nil || n != 1 {
		t.Fatalf("before: %d, %v", n, err)
	}
	f.clock.Advance(time.Second)
	if _, err := f.members.Erase(ctx, gone.ID, members.EraseOptions{Suppress: true}); err != nil {
		t.Fatal(err)
	}
	// one erased, one created: the count of members is the same as before
	if _, err := f.members.Create(ctx, members.CreateInput{Emails: []string{"new@example.org"}}); err != nil {
		t.Fatal(err)
	}
	if n, err := f.svc.Count(ctx, `tag = "zoé-unique" OR allergie = arachide`); err != nil || n != 0 {
		t.Fatalf("after the erasure: %d, %v", n, err)
	}
	for _, p := range f.svc.proj.people {
		if p.id == gone.ID {
			t.Fatal("the erased person is still in the projection")
		}
	}
	for _, name := range f.svc.proj.syms.names {
		if name == "zoe-unique" || name == "allergie" {
			t.Fatalf("the erased person's tag or field name %q is still in the projection", name)
		}
	}
}

func TestLevelConditionsAgreeWithTheDashboardsLevels(t *testing.T) {
	f := newFixture(t)
	an := analytics.NewService(f.svc.st, f.members, f.activity, analytics.Options{Zone: paris})
	f.svc.src.Analytics = an
	ctx := context.Background()
	r := rand.New(rand.NewPCG(7, 7))
	var acts []activity.ManualInput
	for i := range 40 {
		f.clock.Set(start.AddDate(0, 0, -200))
		m, err := f.members.Create(ctx, members.CreateInput{Emails: []string{fmt.Sprintf("l%d@example.org", i)}})
		if err != nil {
			t.Fatal(err)
		}
		for d := range r.IntN(4) * r.IntN(12) {
			acts = append(acts, activity.ManualInput{Member: m.ID, Kind: activity.Post, At: start.AddDate(0, 0, -d-1), Channel: "c"})
		}
	}
	f.clock.Set(start)
	if _, err := f.activity.AddManual(ctx, acts); err != nil {
		t.Fatal(err)
	}
	lv, err := an.MemberLevels(ctx, an.Today(start))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, tc := range []struct {
		where string
		want  func(l int) bool
	}{
		{`level = ambassadeur`, func(l int) bool { return l == 1 }},
		{`level = contributors`, func(l int) bool { return l == 2 }},
		{`level = participant`, func(l int) bool { return l == 3 }},
		{`level = 4`, func(l int) bool { return l == 4 }},
		{`level >= contributor`, func(l int) bool { return l == 1 || l == 2 }},
		{`level < participant`, func(l int) bool { return l == 4 }},
		{`level != observer`, func(l int) bool { return l != 4 }},
	} {
		var want []string
		for id, l := range lv {
			seen[l] = true
			if tc.want(l) {
				want = append(want, id)
			}
		}
		got, err := f.svc.IDs(ctx, tc.where)
		if err != nil {
			t.Fatal(err)
		}
		if tc.where == `level != observer` { // members without a level are in it too
			got = slices.DeleteFunc(got, func(id string) bool { _, ok := lv[id]; return !ok })
		}
		slices.Sort(want)
		if !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Errorf("%s: %d members, the dashboard's levels say %d", tc.where, len(got), len(want))
		}
	}
	if len(seen) < 2 {
		t.Fatalf("the members reached only levels %v: the test says little", seen)
	}
}

func TestAChangeWithAnOlderEditTimeIsCountedAsSoonAsItIsWritten(t *testing.T) {
	// A member merged from a teammate's bundle keeps the teammate's edit time, which may be
	// older than the newest edit this copy counted: the watch, not the time, says it changed.
	f := newFixture(t)
	ctx := context.Background()
	a, err := f.members.Create(ctx, members.CreateInput{Emails: []string{"a@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)
	if _, err := f.members.Create(ctx, members.CreateInput{Emails: []string{"b@example.org"}}); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.svc.Count(ctx, `tag = fraise`); n != 0 {
		t.Fatalf("before: %d", n)
	}
	f.clock.Advance(-30 * time.Minute)
	if _, err := f.members.Edit(ctx, a.ID, members.Edit{AddTags: []string{"Fraise"}}); err != nil {
		t.Fatal(err)
	}
	if n, err := f.svc.Count(ctx, `tag = fraise`); err != nil || n != 1 {
		t.Fatalf("after an edit older than the newest: %d, %v", n, err)
	}
}
