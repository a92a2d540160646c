package wiring

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/automations"
	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/internal/bytescan"
	"hearth/backend/members"
	"hearth/backend/newsletter"
	"hearth/backend/tasks"
	"hearth/backend/workspace"

	"github.com/xuri/excelize/v2"
)

// story is everything the workspace holds about one member, as a person would look at it.
type story struct {
	Member      members.Member
	Consent     []consent.Event
	Activity    []activity.Record
	Tasks       []tasks.Task
	Enrolments  int
	Deliveries  []newsletter.Delivery
	AuditCount  int
	LevelExists bool
	// GoalReached is when the member's goal conversion was counted (zero if never), and
	// Checkpointed the automations whose tag checkpoint counts them as already tagged.
	GoalReached  time.Time
	Checkpointed []string
}

func storyOf(t *testing.T, ctx context.Context, b *Backend, id string) story {
	t.Helper()
	var s story
	var err error
	if s.Member, err = b.Members.Get(ctx, id); err != nil {
		t.Fatal(err)
	}
	if s.Consent, err = b.Consent.History(ctx, id); err != nil {
		t.Fatal(err)
	}
	if s.Activity, err = b.Activity.ForMember(ctx, id, 100_000); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(s.Activity, func(a, b activity.Record) int { return cmpString(a.ID, b.ID) })
	if s.Tasks, err = b.Tasks.ForMember(ctx, id); err != nil {
		t.Fatal(err)
	}
	es, err := b.Automations.ForMember(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	s.Enrolments = len(es)
	if s.Deliveries, err = b.Newsletters.MemberDeliveries(ctx, id); err != nil {
		t.Fatal(err)
	}
	entries, err := b.Audit.List(ctx, id, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	s.AuditCount = len(entries)
	if s.GoalReached, _, err = b.Analytics.GoalReached(ctx, id); err != nil {
		t.Fatal(err)
	}
	if s.Checkpointed, err = b.Automations.Checkpointed(ctx, id); err != nil {
		t.Fatal(err)
	}
	return s
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestMergeThenUnmergeRestoresEveryFieldAndRecordOfRandomMembers is the property test: random
// members with random e-mails, handles, tags, custom fields, consent events, activities and
// tasks, some carrying the goal tag (a goal conversion counted) or the tag of an automation
// (its checkpoint counts them, and they are enrolled), are merged two by two, then unmerged;
// each member and every record about it is back as before (audit entries: as before, plus the
// merge's and the unmerge's own).
func TestMergeThenUnmergeRestoresEveryFieldAndRecordOfRandomMembers(t *testing.T) {
	ctx := context.Background()
	w := seedEveryKind(t, ctx, t.TempDir())
	b, clk := w.b, w.clk
	r := rand.New(rand.NewPCG(15, 15))
	base := clk.Now()
	lv, err := b.Analytics.LevelSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lv.GoalTags = []string{"client"}
	if _, err := b.Analytics.SaveLevelSettings(ctx, lv); err != nil {
		t.Fatal(err)
	}
	goals, checkpoints := 0, 0
	newMember := func(i int) members.Member {
		in := members.CreateInput{Name: []string{"", "Camille Martin", "Zoë Lefèvre"}[r.IntN(3)], CustomFields: map[string]string{}}
		for j := range 1 + r.IntN(2) {
			in.Emails = append(in.Emails, fmt.Sprintf("r%d.%d@example.org", i, j))
		}
		for j, p := range []string{"discourse", "discord", "mastodon"} {
			if r.IntN(2) == 0 {
				in.Handles = append(in.Handles, members.Handle{Platform: p, Handle: fmt.Sprintf("r%d_%d", i, j)})
			}
		}
		for range r.IntN(4) {
			in.Tags = append(in.Tags, []string{"bénévole", "Lyon", "ambassadeur", "paris", "client", "vip"}[r.IntN(6)])
		}
		for range r.IntN(4) {
			in.CustomFields[[]string{"city", "job", "since"}[r.IntN(3)]] = fmt.Sprintf("v%d", r.IntN(3))
		}
		m, err := b.Members.Create(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		for range r.IntN(4) {
			ci := consent.Input{MemberID: m.ID, Purpose: newsletter.Purpose, By: "test", Method: consent.MethodManual,
				At: base.Add(-time.Duration(1+r.IntN(1000)) * time.Hour)}
			if r.IntN(2) == 0 {
				_, err = b.Consent.Grant(ctx, ci)
			} else {
				_, err = b.Consent.Withdraw(ctx, ci)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		var acts []activity.ManualInput
		for j := range r.IntN(5) {
			acts = append(acts, activity.ManualInput{Member: m.ID, Kind: activity.Post, At: base.Add(-time.Duration(j+1) * time.Hour),
				Channel: "forum", Text: fmt.Sprintf("post %d of %d", j, i)})
		}
		if len(acts) > 0 {
			if _, err := b.Activity.AddManual(ctx, acts); err != nil {
				t.Fatal(err)
			}
		}
		if r.IntN(2) == 0 {
			if _, err := b.Tasks.Create(ctx, tasks.Input{Title: fmt.Sprintf("call %d", i), MemberID: m.ID}); err != nil {
				t.Fatal(err)
			}
		}
		// The goal tag counted as a conversion, the automation's tag seen by its checkpoint.
		if _, err := b.Analytics.KPIs(ctx, analyticsRange(clk.Now())); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Automations.Tick(ctx, clk.Now()); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
		return m
	}
	for round := range 12 {
		a, o := newMember(2*round), newMember(2*round+1)
		keep, other := a.ID, o.ID
		if round == 0 { // the member with every kind of record, merged into a random one
			other = w.m.ID
		}
		before := map[string]story{keep: storyOf(t, ctx, b, keep), other: storyOf(t, ctx, b, other)}
		if !before[other].GoalReached.IsZero() {
			goals++
		}
		if len(before[other].Checkpointed) > 0 {
			checkpoints++
		}
		clk.Advance(time.Hour)
		rec, err := b.Members.MergePeople(ctx, keep, other, members.PeopleMergeOptions{})
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		merged := storyOf(t, ctx, b, keep)
		if len(merged.Consent) != len(before[keep].Consent)+len(before[other].Consent) ||
			len(merged.Activity) != len(before[keep].Activity)+len(before[other].Activity) ||
			len(merged.Tasks) != len(before[keep].Tasks)+len(before[other].Tasks) ||
			merged.Enrolments != before[keep].Enrolments+before[other].Enrolments ||
			len(merged.Deliveries) != len(before[keep].Deliveries)+len(before[other].Deliveries) {
			t.Fatalf("round %d: the kept member's records are not the union: %+v", round, merged)
		}
		if !before[other].GoalReached.IsZero() && !merged.GoalReached.Equal(before[other].GoalReached) && before[keep].GoalReached.IsZero() {
			t.Fatalf("round %d: the other's goal conversion did not move to the kept member: %v", round, merged.GoalReached)
		}
		if len(before[other].Checkpointed) > 0 && len(merged.Checkpointed) == 0 {
			t.Fatalf("round %d: the automation's checkpoint does not count the kept member as tagged", round)
		}
		if round == 0 && (len(merged.Activity) < 4 || len(merged.Consent) < 1 || len(merged.Tasks) < 3 || merged.Enrolments < 1 || len(merged.Deliveries) < 1) {
			t.Fatalf("the member with every kind of record did not bring them: %+v", merged)
		}
		clk.Advance(time.Hour)
		ref := rec.ID
		if round%2 == 1 {
			ref = keep
		}
		if _, err := b.Members.UnmergePeople(ctx, ref); err != nil {
			t.Fatalf("round %d: unmerge: %v", round, err)
		}
		for _, id := range []string{keep, other} {
			got, want := storyOf(t, ctx, b, id), before[id]
			if got.AuditCount < want.AuditCount {
				t.Fatalf("round %d: %s lost audit entries: %d, had %d", round, id, got.AuditCount, want.AuditCount)
			}
			got.AuditCount, want.AuditCount = 0, 0
			if !sameJSON(t, got, want) {
				gj, _ := json.Marshal(got)
				wj, _ := json.Marshal(want)
				t.Fatalf("round %d: %s after unmerge\n got %s\nwant %s", round, id, gj, wj)
			}
		}
	}
	if goals == 0 || checkpoints == 0 {
		t.Fatalf("no merged member had a goal conversion (%d) or an automation checkpoint (%d)", goals, checkpoints)
	}
	mustBeSound(t, ctx, b, "after merges and unmerges")
}

// sameJSON compares two values as they would be written: records read back from the store
// compare equal whatever their in-memory form (nil or empty lists).
func sameJSON(t *testing.T, a, b any) bool {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(ja, jb)
}

// TestMergingConsentNeverTurnsAWithdrawalIntoAGrant: random ledgers on two members; after the
// merge, the kept member's state for the purpose is the latest event of either, so a withdrawal
// later than every grant of both stays a withdrawal, and so does one of the same instant as the
// latest grant.
func TestMergingConsentNeverTurnsAWithdrawalIntoAGrant(t *testing.T) {
	ctx := context.Background()
	w := seedEveryKind(t, ctx, t.TempDir())
	b := w.b
	r := rand.New(rand.NewPCG(3, 4))
	now := w.clk.Now()
	for round := range 30 {
		var ids [2]string
		latest, latestKind := time.Time{}, ""
		for k := range ids {
			m, err := b.Members.Create(ctx, members.CreateInput{Emails: []string{fmt.Sprintf("c%d.%d@example.org", round, k)}})
			if err != nil {
				t.Fatal(err)
			}
			ids[k] = m.ID
			for range 1 + r.IntN(4) {
				// A few whole days: two ledgers often hold events of the same instant (imports
				// dated by the day), where a withdrawal must still win.
				at := now.Add(-time.Duration(1+r.IntN(6)) * 24 * time.Hour)
				in := consent.Input{MemberID: m.ID, Purpose: newsletter.Purpose, By: "test", Method: consent.MethodManual, At: at}
				kind := "grant"
				if r.IntN(2) == 0 {
					kind = "withdraw"
					_, err = b.Consent.Withdraw(ctx, in)
				} else {
					_, err = b.Consent.Grant(ctx, in)
				}
				if err != nil {
					t.Fatal(err)
				}
				if at.After(latest) || (at.Equal(latest) && kind == "withdraw") {
					latest, latestKind = at, kind
				}
			}
		}
		if _, err := b.Members.MergePeople(ctx, ids[0], ids[1], members.PeopleMergeOptions{}); err != nil {
			t.Fatal(err)
		}
		st, err := b.Consent.State(ctx, ids[0], newsletter.Purpose, now)
		if err != nil {
			t.Fatal(err)
		}
		if latestKind == "withdraw" && st.State != consent.StateWithdrawn {
			t.Fatalf("round %d: the latest event is a withdrawal, the merged member is %s", round, st.State)
		}
		if latestKind == "grant" && st.State != consent.StateGranted {
			t.Fatalf("round %d: the latest event is a grant, the merged member is %s", round, st.State)
		}
	}
}

// TestErasingTheKeptMemberLeavesNothingOfEitherPerson: the member about whom every kind of
// record exists is merged into another record of the same person, who is then erased: no byte
// of the workspace holds anything of either, and neither has a key left.
func TestErasingTheKeptMemberLeavesNothingOfEitherPerson(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w := seedEveryKind(t, ctx, dir)
	b := w.b
	twin, err := b.Members.Create(ctx, members.CreateInput{Name: "Maëlenn Q.", Emails: []string{"maelenn.bis@example.org"},
		Notes: "Kerlouan-notes-du-jumeau", CustomFields: map[string]string{"ville": "Kerlouan-ville"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Consent.Grant(ctx, consent.Input{MemberID: twin.ID, Purpose: newsletter.Purpose, By: "test",
		Method: consent.MethodForm, Source: "formulaire de Brocéliande-jumeau"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Activity.AddManual(ctx, []activity.ManualInput{{Member: twin.ID, Kind: activity.Post, At: w.clk.Now(), Channel: "forum", Text: "Quimperlé-jumeau"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Members.MergePeople(ctx, twin.ID, w.m.ID, members.PeopleMergeOptions{}); err != nil {
		t.Fatal(err)
	}
	// Before the erasure, the kept person's access export lists the merge, with who was merged.
	d, err := b.GDPR.Dossier(ctx, twin.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Merges) != 1 || d.Merges[0].OtherBefore.Name != person.name || !slices.Contains(d.Merges[0].OtherBefore.Emails, person.email) ||
		len(d.Activity) != 5 || len(d.Tasks) != 3 || len(d.Deliveries) != 2 {
		t.Fatalf("dossier after the merge: %d merges %+v, %d activity, %d tasks, %d deliveries", len(d.Merges), d.Merges, len(d.Activity), len(d.Tasks), len(d.Deliveries))
	}
	files, err := b.GDPR.Export(ctx, twin.ID, t.TempDir(), "fr")
	if err != nil {
		t.Fatal(err)
	}
	book := slices.IndexFunc(files, func(f string) bool { return strings.HasSuffix(f, ".xlsx") })
	if book < 0 {
		t.Fatalf("no workbook in %v", files)
	}
	wb, err := excelize.OpenFile(files[book])
	if err != nil {
		t.Fatal(err)
	}
	rows, err := wb.GetRows("Membres fusionnés")
	_ = wb.Close()
	if err != nil || len(rows) != 2 || !slices.Contains(rows[1], person.name) || !slices.ContainsFunc(rows[1], func(c string) bool { return strings.Contains(c, person.email) }) {
		t.Fatalf("the workbook's merges sheet: %v %v", rows, err)
	}
	if err := b.GDPR.Erase(ctx, twin.ID, "maelenn.bis@example.org"); err != nil {
		t.Fatal(err)
	}
	needles := []string{person.name, "Quillivic", person.email, person.email2, person.handle, "maelennq", person.notes,
		person.title, "Landerneau", person.custom, person.consentSource, person.ip, "Zorglubian", "xylophonique", "Kerfeunteun",
		person.taskTitle, "parapluie", person.taskNotes, person.earlyNotes, "Pont-Aven",
		"maelenn.bis@example.org", "Kerlouan-notes-du-jumeau", "Kerlouan-ville", "Brocéliande-jumeau", "Quimperlé-jumeau"}
	for _, needle := range needles {
		if hits := bytescan.FilesContaining(t, dir, needle); len(hits) > 0 {
			t.Errorf("%q still readable in %v", needle, hits)
		}
	}
	keyring, err := os.ReadFile(filepath.Join(dir, workspace.KeyringFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, subject := range []string{twin.ID, w.m.ID} {
		if bytes.Contains(keyring, []byte(subject)) {
			t.Errorf("the keyring still holds a key of %q", subject)
		}
	}
	for _, id := range []string{twin.ID, w.m.ID} {
		if _, err := b.Members.Get(ctx, id); errs.KindOf(err) != errs.NotFound {
			t.Errorf("member %s: %v", id, err)
		}
	}
	if _, err := b.Members.UnmergePeople(ctx, twin.ID); err == nil {
		t.Error("an erased person's merge could be undone")
	}
	mustBeSound(t, ctx, b, "after erasing a merged person")
}

// TestAMergeOnOneCopyGivesTheSameResultOnATeammatesCopy: a teammate's copy joined before the
// merge; after merging the bundle made after it, the teammate's copy has the kept member with
// everything of both, the other gone, and the same records about the person.
func TestAMergeOnOneCopyGivesTheSameResultOnATeammatesCopy(t *testing.T) {
	ctx := context.Background()
	w := seedEveryKind(t, ctx, t.TempDir())
	teammate := openTeammate(t, ctx, t.TempDir(), w)
	twin, err := w.b.Members.Create(ctx, members.CreateInput{Name: "Maëlenn Q.", Emails: []string{"maelenn.bis@example.org"}, Tags: []string{"jumelle"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.b.Activity.AddManual(ctx, []activity.ManualInput{{Member: twin.ID, Kind: activity.Post, At: w.clk.Now(), Channel: "chat"},
		{Member: twin.ID, Kind: activity.Reply, At: w.clk.Now().Add(time.Minute), Channel: "chat"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := teammate.Team.Join(ctx, bytes.NewReader(bundleFor(t, ctx, w.b, teammate)), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := w.b.Members.MergePeople(ctx, w.m.ID, twin.ID, members.PeopleMergeOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := teammate.Team.Merge(ctx, bytes.NewReader(bundleFor(t, ctx, w.b, teammate)), ""); err != nil {
		t.Fatal(err)
	}
	here, there := storyOf(t, ctx, w.b, w.m.ID), storyOf(t, ctx, teammate, w.m.ID)
	if len(here.Activity) != 6 || len(here.Member.Emails) != 3 || !slices.Contains(here.Member.Tags, "jumelle") {
		t.Fatalf("the kept member after the merge: %+v", here)
	}
	here.AuditCount, there.AuditCount = 0, 0 // each copy logs its own merges of bundles
	// Each copy keeps its own goal marks and automation checkpoints (they do not travel).
	here.GoalReached, there.GoalReached, here.Checkpointed, there.Checkpointed = time.Time{}, time.Time{}, nil, nil
	if !sameJSON(t, here, there) {
		hj, _ := json.Marshal(here)
		tj, _ := json.Marshal(there)
		t.Fatalf("the copies differ:\n here %s\nthere %s", hj, tj)
	}
	if _, err := teammate.Members.Get(ctx, twin.ID); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("the merged member is still on the teammate's copy: %v", err)
	}
	if id, err := teammate.Members.FindID(ctx, "maelenn.bis@example.org"); err != nil || id != w.m.ID {
		t.Fatalf("the twin's e-mail finds %q %v on the teammate's copy", id, err)
	}
	mustBeSound(t, ctx, teammate, "the teammate's copy after a merged merge")
	// Both copies count the person once, under the kept member.
	rng := analyticsRange(w.clk.Now())
	for _, b := range []*Backend{w.b, teammate} {
		levels, err := b.Analytics.MemberLevels(ctx, rng)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := levels[twin.ID]; ok {
			t.Errorf("a copy still gives the merged member a level: %v", levels)
		}
	}
	kh, err1 := w.b.Analytics.KPIs(ctx, rng)
	kt, err2 := teammate.Analytics.KPIs(ctx, rng)
	if err1 != nil || err2 != nil || kh.MembersActive != kt.MembersActive || kh.MembersTotal != kt.MembersTotal {
		t.Errorf("KPIs differ: here %d active of %d, there %d of %d (%v %v)", kh.MembersActive, kh.MembersTotal, kt.MembersActive, kt.MembersTotal, err1, err2)
	}
	// The merge's history travelled too: the teammate can undo it, and the first copy learns it.
	if _, err := teammate.Members.UnmergePeople(ctx, w.m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.b.Team.Merge(ctx, bytes.NewReader(bundleFor(t, ctx, teammate, w.b)), ""); err != nil {
		t.Fatal(err)
	}
	for _, b := range []*Backend{w.b, teammate} {
		if got, err := b.Members.Get(ctx, twin.ID); err != nil || !slices.Contains(got.Tags, "jumelle") {
			t.Fatalf("the twin after the unmerge: %+v %v", got, err)
		}
		if id, err := b.Members.FindID(ctx, "maelenn.bis@example.org"); err != nil || id != twin.ID {
			t.Fatalf("the twin's e-mail finds %q %v after the unmerge", id, err)
		}
	}
}

// TestKPIsCountAPersonOnceAfterAMerge: two records of one person both active; after the merge
// the levels and the super users know only the kept member, with the activity of both.
func TestKPIsCountAPersonOnceAfterAMerge(t *testing.T) {
	ctx := context.Background()
	w := seedEveryKind(t, ctx, t.TempDir())
	b := w.b
	twin, err := b.Members.Create(ctx, members.CreateInput{Name: "Maëlenn Q.", Emails: []string{"maelenn.bis@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	var acts []activity.ManualInput
	for i := range 6 {
		acts = append(acts, activity.ManualInput{Member: twin.ID, Kind: activity.Post, At: w.clk.Now().Add(time.Duration(i) * time.Minute), Channel: "chat"})
	}
	if _, err := b.Activity.AddManual(ctx, acts); err != nil {
		t.Fatal(err)
	}
	rng := analyticsRange(w.clk.Now())
	before, err := b.Analytics.KPIs(ctx, rng)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Members.MergePeople(ctx, w.m.ID, twin.ID, members.PeopleMergeOptions{}); err != nil {
		t.Fatal(err)
	}
	after, err := b.Analytics.KPIs(ctx, rng)
	if err != nil {
		t.Fatal(err)
	}
	if after.MembersActive != before.MembersActive-1 {
		t.Errorf("active members %d after the merge, %d before: the person must count once", after.MembersActive, before.MembersActive)
	}
	for _, s := range after.SuperUsers {
		if s.MemberID == twin.ID {
			t.Errorf("the merged member is still a super user: %+v", after.SuperUsers)
		}
	}
	levels, err := b.Analytics.MemberLevels(ctx, rng)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := levels[twin.ID]; ok {
		t.Errorf("the merged member still has a level: %v", levels)
	}
	if _, ok := levels[w.m.ID]; !ok {
		t.Errorf("the kept member has no level: %v", levels)
	}
	// Unmerged, the twin is counted again.
	if _, err := b.Members.UnmergePeople(ctx, w.m.ID); err != nil {
		t.Fatal(err)
	}
	again, err := b.Analytics.KPIs(ctx, rng)
	if err != nil || again.MembersActive != before.MembersActive {
		t.Errorf("active members after the unmerge %d, want %d (%v)", again.MembersActive, before.MembersActive, err)
	}
}

// TestAMergedPersonIsNotEnrolledAgainInAnAutomationTheyWentThrough: the member with every kind
// of record went through the "vip" automation; merged into another record of theirs, which
// thus gains the tag, the automation does not enrol the person again nor write to them twice.
func TestAMergedPersonIsNotEnrolledAgainInAnAutomationTheyWentThrough(t *testing.T) {
	ctx := context.Background()
	w := seedEveryKind(t, ctx, t.TempDir())
	b, clk := w.b, w.clk
	twin, err := b.Members.Create(ctx, members.CreateInput{Name: "Maëlenn Q.", Emails: []string{"maelenn.bis@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		clk.Advance(time.Minute)
		if _, err := b.Automations.Tick(ctx, clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	sent := len(w.mail.Sent)
	if _, err := b.Members.MergePeople(ctx, twin.ID, w.m.ID, members.PeopleMergeOptions{}); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		clk.Advance(time.Minute)
		if _, err := b.Automations.Tick(ctx, clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	es, err := b.Automations.ForMember(ctx, twin.ID)
	if err != nil || len(es) != 1 {
		t.Fatalf("enrolments of the kept member: %+v %v", es, err)
	}
	if len(w.mail.Sent) != sent {
		t.Fatalf("%d messages sent after the merge", len(w.mail.Sent)-sent)
	}
}

// TestMergingAPersonTaggedBeforeAnAutomationNeitherEnrolsNorConvertsThemAgain: a member who
// carried the goal tag and an automation's tag before the automation was enabled (so it never
// enrolled them) is merged into another record of the same person, who gains both tags. The
// person is not enrolled for it, and their goal is counted once; after the unmerge the other
// record is as it was and the kept one never reached the goal.
func TestMergingAPersonTaggedBeforeAnAutomationNeitherEnrolsNorConvertsThemAgain(t *testing.T) {
	ctx := context.Background()
	w := seedEveryKind(t, ctx, t.TempDir())
	b, clk := w.b, w.clk
	lv, err := b.Analytics.LevelSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lv.GoalTags = []string{"client"}
	if _, err := b.Analytics.SaveLevelSettings(ctx, lv); err != nil {
		t.Fatal(err)
	}
	keep, err := b.Members.Create(ctx, members.CreateInput{Name: "Camille Martin", Emails: []string{"camille@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	other, err := b.Members.Create(ctx, members.CreateInput{Name: "Camille", Emails: []string{"cm@perso.example"}, Tags: []string{"ambassadeur", "client"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Analytics.KPIs(ctx, analyticsRange(clk.Now())); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	a, err := b.Automations.Save(ctx, automations.Input{Name: "Ambassadeurs", Trigger: automations.Trigger{Kind: automations.TriggerTagAdded, Tag: "ambassadeur"},
		Steps: []automations.Step{{Kind: automations.StepCreateTask, TaskTitle: "Remercier {{name}}"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Automations.SetEnabled(ctx, a.ID, true); err != nil {
		t.Fatal(err)
	}
	tick := func() {
		t.Helper()
		clk.Advance(time.Minute)
		if _, err := b.Automations.Tick(ctx, clk.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Analytics.KPIs(ctx, analyticsRange(clk.Now())); err != nil {
			t.Fatal(err)
		}
	}
	tick() // the automation's first checkpoint: the other record already carries its tag
	goalsOf := func(id string) int {
		t.Helper()
		acts, err := b.Activity.ForMember(ctx, id, 1000)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range acts {
			if r.Kind == activity.Goal {
				n++
			}
		}
		return n
	}
	enrolled := func(id string) int {
		t.Helper()
		es, err := b.Automations.ForMember(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	if goalsOf(other.ID) != 1 || enrolled(other.ID) != 0 {
		t.Fatalf("before the merge: %d goals, %d enrolments", goalsOf(other.ID), enrolled(other.ID))
	}
	if _, err := b.Members.MergePeople(ctx, keep.ID, other.ID, members.PeopleMergeOptions{}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		tick()
	}
	if g, e := goalsOf(keep.ID), enrolled(keep.ID); g != 1 || e != 0 {
		t.Fatalf("after the merge the person has %d goal conversions and %d enrolments, want 1 and 0", g, e)
	}
	if _, err := b.Members.UnmergePeople(ctx, keep.ID); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		tick()
	}
	if g, e := goalsOf(keep.ID), enrolled(keep.ID); g != 0 || e != 0 {
		t.Fatalf("after the unmerge the kept record has %d goal conversions and %d enrolments, want none", g, e)
	}
	if g, e := goalsOf(other.ID), enrolled(other.ID); g != 1 || e != 0 {
		t.Fatalf("after the unmerge the other record has %d goal conversions and %d enrolments, want 1 and 0", g, e)
	}
}
