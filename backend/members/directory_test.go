package members

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"hearth/backend/store"
	"hearth/backend/textfold"
)

// reference answers a list query the plain way, from every member read back with Get: what a
// person expects the list to show, computed without the directory.
func reference(t *testing.T, f *fixture, live []string, q ListQuery) (ids []string, total int) {
	t.Helper()
	words := strings.Fields(textfold.Fold(q.Search))
	tag := textfold.Fold(strings.TrimSpace(q.Tag))
	type row struct {
		id, key string
		num     int64
	}
	var rows []row
	for _, id := range live {
		m, err := f.svc.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		texts := []string{m.Name}
		texts = append(texts, m.Emails...)
		for _, h := range m.Handles {
			texts = append(texts, h.Handle)
		}
		texts = append(texts, m.Tags...)
		for _, v := range m.CustomFields { // the first 200 bytes of each, folded
			v = textfold.Fold(v)
			n := min(len(v), 200)
			for n < len(v) && !utf8.RuneStart(v[n]) {
				n--
			}
			texts = append(texts, v[:n])
		}
		ok := tag == "" || slices.ContainsFunc(m.Tags, func(t string) bool { return textfold.Fold(t) == tag })
		for _, w := range words {
			ok = ok && slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(textfold.Fold(s), w) })
		}
		if !ok {
			continue
		}
		email := ""
		if len(m.Emails) > 0 {
			email = textfold.Fold(m.Emails[0])
		}
		r := row{id: id}
		switch q.Sort {
		case SortEmail:
			r.key = email
		case SortCreated:
			r.num = m.CreatedAt.UnixMilli()
		case SortUpdated:
			r.num = m.UpdatedAt.UnixMilli()
		default:
			r.key = cmp.Or(textfold.Fold(m.Name), email)
		}
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b row) int {
		c := cmp.Or(strings.Compare(a.key, b.key), cmp.Compare(a.num, b.num), strings.Compare(a.id, b.id))
		if q.Desc {
			return -c
		}
		return c
	})
	for i := q.Offset; i < len(rows) && i < q.Offset+q.Limit; i++ {
		ids = append(ids, rows[i].id)
	}
	return ids, len(rows)
}

var directoryQueries = []ListQuery{
	{Sort: SortName, Limit: 20}, {Sort: SortName, Desc: true, Limit: 20, Offset: 7}, {Sort: SortEmail, Limit: 50, Offset: 300},
	{Sort: SortCreated, Desc: true, Limit: 20}, {Sort: SortUpdated, Limit: 20}, {Sort: SortUpdated, Desc: true, Limit: 500, Offset: 500},
	{Search: "helene", Limit: 50}, {Search: "DUPONT", Limit: 50, Offset: 50}, {Tag: "bénévole", Limit: 50},
	{Search: "camille lyon", Limit: 50}, {Search: "exemple.fr", Sort: SortEmail, Desc: true, Limit: 10, Offset: 990},
	{Search: "zzz", Limit: 50}, {Search: "villeurbanne", Limit: 50}, {Search: "Lyon", Limit: 50, Offset: 10},
	{Search: "bénévole depuis", Limit: 50}, {Search: "fin du champ", Limit: 50},
}

// checkAgainstReference lists with every query and compares with the reference.
func checkAgainstReference(t *testing.T, f *fixture, live []string, when string) {
	t.Helper()
	for _, q := range directoryQueries {
		p, err := f.svc.List(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		got := make([]string, len(p.Items))
		for i, m := range p.Items {
			got[i] = m.ID
		}
		want, total := reference(t, f, live, q)
		if p.Total != total || !slices.Equal(got, want) {
			t.Fatalf("%s, %+v: got %d %v, want %d %v", when, q, p.Total, got, total, want)
		}
	}
	n, err := f.svc.Count(context.Background())
	if err != nil || n != len(live) {
		t.Fatalf("%s: count %d (%v), want %d", when, n, err, len(live))
	}
}

// TestTheDirectoryOnDiskAnswersLikeTheRecords writes a thousand members over several directory
// pages, then edits, deletes, restores (putting ids back in the middle of full pages), erases
// and imports, checking every kind of list against the records after each step and after a
// reopen.
func TestTheDirectoryOnDiskAnswersLikeTheRecords(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 13))
	names := []string{"Hélène Dupont", "Camille Martin", "Léa Girard", "Émile Dupont", "camille durand", "", "Zoé Lefèvre"}
	var ins []CreateInput
	for i := range 1000 {
		in := CreateInput{Name: names[i%len(names)], Emails: []string{fmt.Sprintf("p%03d@exemple.fr", rng.IntN(1000)*1000+i)}}
		switch i % 5 {
		case 0:
			in.Tags = []string{"Bénévole", "lyon"}
		case 1:
			in.Tags = []string{"benevole"}
		}
		switch i % 7 { // custom fields: search finds their values too, but only their first 200 bytes
		case 0:
			in.CustomFields = map[string]string{"Ville": "Lyon"}
		case 1:
			in.CustomFields = map[string]string{"ville": "Villeurbanne", "Parcours": "Bénévole depuis 2019"}
		case 2:
			in.CustomFields = map[string]string{"Notes longues": strings.Repeat("é", 150) + " fin du champ"}
		}
		ins = append(ins, in)
	}
	created, err := f.svc.CreateMany(ctx, ins, nil)
	if err != nil {
		t.Fatal(err)
	}
	var live []string
	for _, m := range created {
		live = append(live, m.ID)
	}
	checkAgainstReference(t, f, live, "after the bulk add")

	var deleted []Member
	for i := range 40 {
		f.clock.Advance(time.Minute)
		id := live[rng.IntN(len(live))]
		switch i % 4 {
		case 0, 1:
			name := fmt.Sprintf("Camille Lyon %d", i)
			fields := map[string]string{"ville": "Paris"} // no longer found by "villeurbanne"
			if _, err := f.svc.Update(ctx, id, Patch{Name: &name, Tags: &[]string{"lyon"}, CustomFields: &fields}); err != nil {
				t.Fatal(err)
			}
		case 2:
			m, err := f.svc.Delete(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			deleted = append(deleted, m)
			live = slices.DeleteFunc(live, func(x string) bool { return x == id })
		case 3:
			if _, err := f.svc.Erase(ctx, id, EraseOptions{}); err != nil {
				t.Fatal(err)
			}
			live = slices.DeleteFunc(live, func(x string) bool { return x == id })
		}
	}
	// Fill the pages, then put the deleted back: their ids land in the middle of full pages.
	more, err := f.svc.CreateMany(ctx, ins[:300:300], nil)
	if err == nil || len(more) != 0 {
		t.Fatalf("the same e-mails again should be refused: %v", err)
	}
	for _, m := range deleted {
		if _, err := f.svc.Restore(ctx, m); err != nil {
			t.Fatal(err)
		}
		live = append(live, m.ID)
	}
	merged, err := f.svc.Merge(ctx, []CreateInput{{Name: "Hélène Importée", Emails: []string{"importee@exemple.fr"}, Tags: []string{"lyon"}},
		{Name: "Helene Dupont-Renommée", Emails: []string{ins[3].Emails[0]}}}, MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if merged[0].Outcome == Created {
		live = append(live, merged[0].MemberID)
	}
	checkAgainstReference(t, f, live, "after edits, deletes, erasures, restores and an import")

	f.reopen(t)
	checkAgainstReference(t, f, live, "after reopening")
	rep, err := f.st.Check(ctx)
	if err != nil || !rep.OK {
		t.Fatalf("workspace check: %v %+v", err, rep.Findings)
	}
}

// TestAWorkspaceWithoutADirectoryGetsOneFromItsRecords is a workspace from before the directory
// was on disk, or one whose directory build was cut short: the first list builds it.
func TestAWorkspaceWithoutADirectoryGetsOneFromItsRecords(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	var live []string
	for i := range 600 {
		live = append(live, f.add(t, fmt.Sprintf("Hélène Dupont %d", i), fmt.Sprintf("h%d@exemple.fr", i), "lyon").ID)
	}
	// Take the root away (what a build killed before its end leaves), and one page.
	err := f.st.Update(ctx, func(tx *store.Tx) error {
		return errorsJoin(tx.DeleteView(dirView, dirRoot), tx.DeleteView(dirView, pageName(1)))
	})
	if err != nil {
		t.Fatal(err)
	}
	f.reopen(t)
	checkAgainstReference(t, f, live, "after the build")
}

// TestCheckFindsADirectoryThatDiffersFromTheRecordsAndRepairRebuildsIt damages the directory the
// way a bug would (a page that lost a member, a stale entry) and expects workspace check to say
// so and repair to bring back right answers.
func TestCheckFindsADirectoryThatDiffersFromTheRecordsAndRepairRebuildsIt(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	var live []string
	for i := range 300 {
		live = append(live, f.add(t, fmt.Sprintf("Camille Martin %d", i), fmt.Sprintf("c%d@exemple.fr", i), "bénévole").ID)
	}
	err := f.st.Update(ctx, func(tx *store.Tx) error {
		r, _, err := readRoot(tx)
		if err != nil {
			return err
		}
		es, err := readPage(tx, r.pages[0])
		if err != nil {
			return err
		}
		es[3].name = "quelqu'un d'autre"
		es = slices.Delete(es, 10, 11)
		return tx.PutView(dirView, pageName(r.pages[0].no), r.pages[0].subject, encodePage(es))
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := f.st.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var stale int
	for _, fd := range rep.Findings {
		if fd.Code == "view_stale" {
			stale++
		}
	}
	if rep.OK || stale < 2 {
		t.Fatalf("check did not see the damaged directory: %+v", rep)
	}
	if _, err := f.st.Repair(ctx); err != nil {
		t.Fatal(err)
	}
	if rep, err := f.st.Check(ctx); err != nil || !rep.OK {
		t.Fatalf("after repair: %v %+v", err, rep.Findings)
	}
	checkAgainstReference(t, f, live, "after repair")
}

// TestErasureMakesEveryPageVersionThatHeldThePersonUnreadable follows each page key that ever
// sealed a page holding the person (their page, and the page they lived in before a split) and
// expects none to survive the erasure; pages about other people stay readable.
func TestErasureMakesEveryPageVersionThatHeldThePersonUnreadable(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	held := map[string]map[string]bool{} // page subject -> ids it sealed
	note := func() {
		t.Helper()
		err := f.st.View(func(tx *store.Tx) error {
			r, _, err := readRoot(tx)
			if err != nil {
				return err
			}
			for _, p := range r.pages {
				if p.subject == "" {
					continue
				}
				es, err := readPage(tx, p)
				if err != nil {
					return err
				}
				if held[p.subject] == nil {
					held[p.subject] = map[string]bool{}
				}
				for _, e := range es {
					held[p.subject][e.id] = true
				}
			}
			refs, err := readHeads(tx)
			if err != nil {
				return err
			}
			for _, ref := range refs {
				h, err := readHead(tx, ref)
				if err != nil {
					return err
				}
				if held[ref.subject] == nil {
					held[ref.subject] = map[string]bool{}
				}
				for _, k := range h.keys {
					held[ref.subject][k.id] = true
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The first page of two orders: their heads are kept, and hold the person too.
	firstPages := func() {
		t.Helper()
		for _, desc := range []bool{false, true} {
			if _, err := f.svc.List(ctx, ListQuery{Sort: SortName, Desc: desc, Limit: 50}); err != nil {
				t.Fatal(err)
			}
		}
	}
	var ms []Member
	n := pageMax - 6
	for i := range n {
		ms = append(ms, f.add(t, fmt.Sprintf("Gwendoline Kerjean %d", i), fmt.Sprintf("g%d@exemple.fr", i)))
	}
	firstPages()
	note()
	target := ms[n*4/5]
	// Delete a few early members, fill the page past full (it splits at its end), then restore
	// them: the first page grows past full in the middle of the directory, splits in halves, and
	// the target moves to a new page.
	for _, m := range ms[:10] {
		if _, err := f.svc.Delete(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
	}
	note()
	for i := range 20 {
		f.add(t, fmt.Sprintf("Later %d", i), fmt.Sprintf("later%d@exemple.fr", i))
	}
	for _, m := range ms[:10] {
		if _, err := f.svc.Restore(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	note()
	name := "Gwendoline Renommée"
	if _, err := f.svc.Update(ctx, target.ID, Patch{Name: &name}); err != nil {
		t.Fatal(err)
	}
	note()
	// A rebuild (what repair does) writes every page under new keys: the old ones must go too.
	f.svc.writeMu.Lock()
	err := f.svc.buildDirectory(ctx)
	f.svc.writeMu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	firstPages()
	note()
	if _, err := f.svc.Erase(ctx, target.ID, EraseOptions{Suppress: true}); err != nil {
		t.Fatal(err)
	}
	var holders int
	err = f.st.View(func(tx *store.Tx) error {
		for subject, ids := range held {
			if ids[target.ID] {
				holders++
				if tx.HasKey(subject) {
					t.Errorf("page key %s sealed a page holding the erased person and still exists", subject)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if holders < 7 {
		t.Fatalf("the person was in %d page and head versions: the test did not move them between pages, heads and rebuilds", holders)
	}
	// Everyone else is still listed.
	p, err := f.svc.List(ctx, ListQuery{Search: "gwendoline", Limit: 500})
	if err != nil || p.Total != n-1 {
		t.Fatalf("after the erasure: %d (%v)", p.Total, err)
	}
}

func errorsJoin(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// TestTheFirstPageComesFromItsHeadAndTheHeadStaysExact lists the first page of every order of
// 700 members (more than a head holds), changes them in every way a person can (names that move
// to the top or the end, deletions of the first, an erasure, restores, a merge), and expects after
// each step the first pages to match the records, each head to be exactly the first members of
// its order and long enough to answer those pages.
func TestTheFirstPageComesFromItsHeadAndTheHeadStaysExact(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	var live []string
	for i := range 700 {
		live = append(live, f.add(t, fmt.Sprintf("Martin %03d", (i*37)%700), fmt.Sprintf("m%03d@exemple.fr", i)).ID)
	}
	orders := []ListQuery{{Sort: SortName, Limit: 200}, {Sort: SortName, Desc: true, Limit: 200},
		{Sort: SortEmail, Limit: 50}, {Sort: SortCreated, Desc: true, Limit: 50}, {Sort: SortUpdated, Limit: 50, Offset: 200}}
	step := func(when string) {
		t.Helper()
		f.svc.lists.changed() // no list kept in memory: the answers come from disk
		for _, q := range orders {
			p, err := f.svc.List(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			want, total := reference(t, f, live, q)
			got := make([]string, len(p.Items))
			for i, m := range p.Items {
				got[i] = m.ID
			}
			if p.Total != total || !slices.Equal(got, want) {
				t.Fatalf("%s, %+v: got %d %v, want %d %v", when, q, p.Total, got, total, want)
			}
		}
		rep, err := f.st.Check(ctx)
		if err != nil || !rep.OK {
			t.Fatalf("%s: workspace check: %v %+v", when, err, rep.Findings)
		}
		// Each of those first pages is one its order's head holds: the next list of it reads the
		// head, not the directory's pages.
		err = f.st.View(func(tx *store.Tx) error {
			for _, q := range orders {
				h, ok, err := headFor(tx, orderCode(q.Sort, q.Desc))
				if err != nil || !ok || len(h.keys) < q.Offset+q.Limit {
					return fmt.Errorf("%+v: no head for it (%v), or a short one", q, err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
	}
	// The order lists open with has its head from the first member on, before any list.
	err := f.st.View(func(tx *store.Tx) error {
		h, ok, err := headFor(tx, orderCode(SortName, false))
		if err == nil && (!ok || len(h.keys) != headSize || h.complete) {
			err = fmt.Errorf("the head by name is missing or not full: found %v, %d keys, complete %v", ok, len(h.keys), h.complete)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	step("after adding")
	top := "Aaron Premier"
	if _, err := f.svc.Update(ctx, live[500], Patch{Name: &top}); err != nil {
		t.Fatal(err)
	}
	last := "Zoé Dernière"
	if _, err := f.svc.Update(ctx, live[3], Patch{Name: &last}); err != nil {
		t.Fatal(err)
	}
	step("after renaming members to the top and the end")
	var deleted []Member
	for _, id := range live[:40] {
		m, err := f.svc.Delete(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		deleted = append(deleted, m)
	}
	live = live[40:]
	if _, err := f.svc.Erase(ctx, live[0], EraseOptions{}); err != nil {
		t.Fatal(err)
	}
	live = live[1:]
	step("after deleting the oldest and an erasure")
	for _, m := range deleted[:20] {
		if _, err := f.svc.Restore(ctx, m); err != nil {
			t.Fatal(err)
		}
		live = append(live, m.ID)
	}
	merged, err := f.svc.Merge(ctx, []CreateInput{{Name: "Abel Importé", Emails: []string{"abel@exemple.fr"}}}, MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	live = append(live, merged[0].MemberID)
	step("after restores and an import")
	f.reopen(t)
	step("after reopening")
}
