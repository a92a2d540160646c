package team_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"hearth/backend/bundle"
	"hearth/backend/calendar"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/store"
	"hearth/backend/tasks"
	"hearth/backend/team"
)

// TestTwoCopiesEditedApartConvergeInEitherOrderWithTheConcurrentEditReported: Camille renames a
// member and tags her "paris" while Dominique, offline, writes a note, tags her "nantes" and
// removes her "lyon" tag, and both set her city. Whichever bundle is merged first, both copies
// end with the name, the note, the tags paris and nantes (lyon stays removed) and the newer
// city; the city is reported as a conflict naming both teammates, and nothing else is.
func TestTwoCopiesEditedApartConvergeInEitherOrderWithTheConcurrentEditReported(t *testing.T) {
	for _, bFirst := range []bool{false, true} {
		t.Run("b merged first "+strconv.FormatBool(bFirst), func(t *testing.T) {
			ctx := context.Background()
			a := openCopy(t, "Camille", time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
			m, err := a.b.Members.Create(ctx, members.CreateInput{Name: "Ann", Emails: []string{"ann@example.org"}, Tags: []string{"lyon"}})
			if err != nil {
				t.Fatal(err)
			}
			b := join(t, a, "Dominique")
			a.clk.Advance(time.Minute)
			name := "Ann Martin"
			if _, err := a.b.Members.Edit(ctx, m.ID, members.Edit{Patch: members.Patch{Name: &name}, AddTags: []string{"paris"}, SetFields: map[string]string{"city": "Lyon"}}); err != nil {
				t.Fatal(err)
			}
			b.clk.Advance(2 * time.Minute)
			notes := "vue à la rencontre de Nantes"
			if _, err := b.b.Members.Edit(ctx, m.ID, members.Edit{Patch: members.Patch{Notes: &notes}, AddTags: []string{"nantes"}, RemoveTags: []string{"lyon"}, SetFields: map[string]string{"city": "Nantes"}}); err != nil {
				t.Fatal(err)
			}
			fromA, fromB := bundleOf(t, a), bundleOf(t, b)
			mergeInto := func(to *teamCopy, data []byte) team.Report {
				rep, err := to.b.Team.Merge(ctx, bytes.NewReader(data), "")
				if err != nil {
					t.Fatal(err)
				}
				return rep
			}
			var repA, repB team.Report
			if bFirst {
				repA = mergeInto(a, fromB)
				repB = mergeInto(b, fromA)
			} else {
				repB = mergeInto(b, fromA)
				repA = mergeInto(a, fromB)
			}
			for _, c := range []*teamCopy{a, b} {
				got, err := c.b.Members.Get(ctx, m.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.Name != name || got.Notes != notes || got.CustomFields["city"] != "Nantes" {
					t.Errorf("%s: member is %+v, want both edits and the newer city", c.name, got)
				}
				if tags := got.Tags; len(tags) != 2 || !contains(tags, "paris") || !contains(tags, "nantes") {
					t.Errorf("%s: tags %v, want paris and nantes (lyon removed on one copy stays removed)", c.name, tags)
				}
			}
			if dump(t, a) != dump(t, b) {
				t.Errorf("the copies differ:\n%s\n---\n%s", dump(t, a), dump(t, b))
			}
			for _, rep := range []team.Report{repA, repB} {
				if len(rep.Conflicts) != 1 {
					t.Fatalf("conflicts %+v, want the city alone", rep.Conflicts)
				}
				c := rep.Conflicts[0]
				if c.Field != "customFields.city" || string(c.Kept) != `"Nantes"` || string(c.Other) != `"Lyon"` || c.KeptBy != "Dominique" || c.OtherBy != "Camille" {
					t.Errorf("conflict %+v, want city: Nantes by Dominique kept over Lyon by Camille", c)
				}
			}
			// One click takes the other value back, and that travels too.
			a.clk.Advance(time.Minute)
			if err := a.b.Team.TakeOther(ctx, repA.Conflicts[0]); err != nil {
				t.Fatal(err)
			}
			merge(t, a, b)
			if got, _ := b.b.Members.Get(ctx, m.ID); got.CustomFields["city"] != "Lyon" {
				t.Errorf("after taking the other value back: city %q on Dominique's copy", got.CustomFields["city"])
			}
			// The member's history names who did what, on either copy.
			entries, err := b.b.Audit.List(ctx, m.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			by := map[string]bool{}
			for _, e := range entries {
				by[e.Teammate] = true
			}
			if !by["Camille"] || !by["Dominique"] {
				t.Errorf("the member's history names %v, want Camille and Dominique", by)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestADamagedBundleIsRefusedAndChangesNothing: a bundle with one flipped byte, one cut short,
// one opened with the wrong passphrase, and one from another workspace are each refused with
// their reason, and the copy is byte-for-byte the same content after.
func TestADamagedBundleIsRefusedAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	a := openCopy(t, "Camille", time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 300 { // a bundle of several 64 KiB chunks: notes gzip cannot shrink
		notes := make([]byte, 600)
		for j := range notes {
			notes[j] = byte('a' + rng.IntN(26))
		}
		if _, err := a.b.Members.Create(ctx, members.CreateInput{Name: "Membre " + strconv.Itoa(i), Emails: []string{"m" + strconv.Itoa(i) + "@example.org"}, Notes: string(notes)}); err != nil {
			t.Fatal(err)
		}
	}
	b := join(t, a, "Dominique")
	a.clk.Advance(time.Minute)
	if _, err := a.b.Members.Create(ctx, members.CreateInput{Name: "Nouvelle", Emails: []string{"new@example.org"}}); err != nil {
		t.Fatal(err)
	}
	good := bundleOf(t, a)
	before := dump(t, b)
	flipped := bytes.Clone(good)
	flipped[len(flipped)/3] ^= 0x20
	var withPass bytes.Buffer
	if _, err := a.b.Team.Export(ctx, &withPass, bundle.Encrypt{Passphrase: "le bon mot de passe"}); err != nil {
		t.Fatal(err)
	}
	other := openCopy(t, "Élise", a.clk.Now())
	cases := []struct {
		name, pass, code string
		data             []byte
	}{
		{"a flipped byte", "", "bundle_damaged", flipped},
		{"cut short", "", "bundle_truncated", good[:len(good)/2]},
		{"the wrong passphrase", "pas le bon", "bundle_wrong_passphrase", withPass.Bytes()},
		{"another workspace", "", "bundle_other_workspace", bundleOf(t, other)},
	}
	for _, c := range cases {
		_, err := b.b.Team.Merge(ctx, bytes.NewReader(c.data), c.pass)
		if e := errs.From(err); err == nil || e.Code != c.code {
			t.Errorf("%s: err %v, want %s", c.name, err, c.code)
		}
		if got := dump(t, b); got != before {
			t.Fatalf("%s changed the copy", c.name)
		}
	}
	if _, err := b.b.Members.Find(ctx, "new@example.org"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("a refused bundle brought a member in: %v", err)
	}
	merge(t, a, b)
	if _, err := b.b.Members.Find(ctx, "new@example.org"); err != nil {
		t.Errorf("the good bundle did not bring the new member: %v", err)
	}
}

// TestABundleFromANewerSchemaIsRefusedNamingTheVersion: a copy upgraded by a newer Hearth makes
// bundles this one cannot read; the refusal names the schema.
func TestABundleFromANewerSchemaIsRefusedNamingTheVersion(t *testing.T) {
	ctx := context.Background()
	a := openCopy(t, "Camille", time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
	b := join(t, a, "Dominique")
	raw := plainBundle(t, a)
	var man map[string]any
	lines := bytes.SplitN(raw, []byte("\n"), 2)
	if err := json.Unmarshal(lines[0], &man); err != nil {
		t.Fatal(err)
	}
	man["schema"] = man["schema"].(float64) + 1
	first, _ := json.Marshal(man)
	newer := sealPlain(t, append(append(first, '\n'), lines[1]...))
	_, err := b.b.Team.Merge(ctx, bytes.NewReader(newer), "")
	e := errs.From(err)
	if err == nil || e.Code != "bundle_newer_schema" || e.Params["version"] == "" {
		t.Fatalf("err %v (%+v), want bundle_newer_schema with the version", err, e)
	}
}

// TestAPostScheduledOnOneCopyIsPublishedOnceWhateverTheCopiesDo: Camille schedules a post;
// Dominique's copy learns it and both copies run their publishing when it is due, before and
// after meeting again. Only Camille's copy queues it; once her copy sent it, Dominique's copy
// shows it published and never queues it.
func TestAPostScheduledOnOneCopyIsPublishedOnceWhateverTheCopiesDo(t *testing.T) {
	ctx := context.Background()
	a := openCopy(t, "Camille", time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
	it, err := a.b.Calendar.Create(ctx, calendar.CreateInput{Title: "Apéro du jeudi", Body: "À jeudi !", Channels: []string{"forum"},
		Status: calendar.Scheduled, At: a.clk.Now().Add(time.Hour), TimeZone: "Europe/Paris"})
	if err != nil {
		t.Fatal(err)
	}
	b := join(t, a, "Dominique")
	for _, c := range []*teamCopy{a, b} {
		c.clk.Advance(2 * time.Hour)
		if _, err := c.b.Calendar.PublishDue(ctx, c.clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	pending := func(c *teamCopy) int {
		list, err := c.b.Outbox.Pending(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	if pending(a) != 1 || pending(b) != 0 {
		t.Fatalf("pending: Camille %d, Dominique %d; want only Camille's copy to queue the post", pending(a), pending(b))
	}
	merge(t, a, b) // Camille's queued entry travels: Dominique's copy still does not send it
	merge(t, b, a)
	if pending(a) != 1 || pending(b) != 0 {
		t.Fatalf("after meeting, pending: Camille %d, Dominique %d", pending(a), pending(b))
	}
	list, _ := a.b.Outbox.Pending(ctx, 0)
	if _, err := a.b.Outbox.MarkSent(ctx, list[0].ID, "remote-1"); err != nil {
		t.Fatal(err)
	}
	merge(t, a, b)
	if _, err := b.b.Calendar.PublishDue(ctx, b.clk.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if pending(b) != 0 {
		t.Fatalf("Dominique's copy queued the post Camille's sent")
	}
	got, err := b.b.Calendar.Get(ctx, it.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Publisher != a.b.Workspace.Store.Replica() {
		t.Errorf("publisher %q, want Camille's copy", got.Publisher)
	}
}

// plainBundle exports c to a key of the test's own and returns the bundle's plain JSON lines.
func plainBundle(t *testing.T, c *teamCopy) []byte {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := c.b.Team.Export(context.Background(), &buf, bundle.Encrypt{Recipients: []string{id.Recipient().String()}}); err != nil {
		t.Fatal(err)
	}
	r, err := age.Decrypt(&buf, id)
	if err != nil {
		t.Fatal(err)
	}
	z, err := gzip.NewReader(r)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	return plain
}

// sealPlain makes a bundle of plain JSON lines, encrypted to every copy's key.
func sealPlain(t *testing.T, plain []byte) []byte {
	t.Helper()
	var rs []age.Recipient
	for _, k := range keys {
		r, err := age.ParseX25519Recipient(k)
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, rs...)
	if err != nil {
		t.Fatal(err)
	}
	z := gzip.NewWriter(w)
	if _, err := z.Write(plain); err != nil {
		t.Fatal(err)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestABundleFromAnOlderSchemaIsMigrated: an older Hearth kept tasks unsealed (before schema 3);
// its bundle says so. Merged here, the task is kept the way this Hearth keeps tasks: sealed
// under the member it is about, so that erasing them shreds it.
func TestABundleFromAnOlderSchemaIsMigrated(t *testing.T) {
	ctx := context.Background()
	a := openCopy(t, "Camille", time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
	b := join(t, a, "Dominique")
	m, err := a.b.Members.Create(ctx, members.CreateInput{Name: "Ann", Emails: []string{"ann@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	task, err := a.b.Tasks.Create(ctx, tasks.Input{Title: "Appeler Ann", MemberID: m.ID})
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for i, line := range bytes.Split(bytes.TrimSpace(plainBundle(t, a)), []byte("\n")) {
		var v map[string]any
		if err := json.Unmarshal(line, &v); err != nil {
			t.Fatal(err)
		}
		switch {
		case i == 0:
			v["schema"] = 2
		case v["c"] == "task":
			delete(v, "sealed")
			delete(v, "subject")
		}
		b, _ := json.Marshal(v)
		out = append(out, b)
	}
	if _, err := b.b.Team.Merge(ctx, bytes.NewReader(sealPlain(t, append(bytes.Join(out, []byte("\n")), '\n'))), ""); err != nil {
		t.Fatal(err)
	}
	found := false
	err = b.b.Workspace.Store.ExportRecords(func(c string) bool { return c == "task" }, func(r store.Record) error {
		if r.ID == task.ID {
			found = true
			if !r.Sealed || r.Subject != m.ID {
				t.Errorf("the merged task is kept sealed %v under %q, want sealed under the member", r.Sealed, r.Subject)
			}
		}
		return nil
	})
	if err != nil || !found {
		t.Fatalf("the task did not arrive: %v", err)
	}
}

// TestABundleForATeammateHoldsOnlyWhatChangedSinceTheirLastBundle: after Camille merged
// Dominique's bundle, her bundle for Dominique holds the members she changed since (and her
// teammate record), not the workspace; merged, it brings Dominique's copy level with hers. A
// new copy cannot be joined from such a bundle.
func TestABundleForATeammateHoldsOnlyWhatChangedSinceTheirLastBundle(t *testing.T) {
	ctx := context.Background()
	a := openCopy(t, "Camille", time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
	var ins []members.CreateInput
	for i := range 200 {
		ins = append(ins, members.CreateInput{Name: "Membre " + strconv.Itoa(i), Emails: []string{"m" + strconv.Itoa(i) + "@example.org"}})
	}
	created, err := a.b.Members.CreateMany(ctx, ins, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := join(t, a, "Dominique")
	merge(t, b, a) // Camille learns what Dominique's copy holds
	a.clk.Advance(time.Minute)
	for _, m := range created[:3] {
		if _, err := a.b.Members.Edit(ctx, m.ID, members.Edit{AddTags: []string{"bénévole"}}); err != nil {
			t.Fatal(err)
		}
	}
	fresh := openCopy(t, "Fabrice", a.clk.Now()) // a copy that holds nothing yet
	var delta bytes.Buffer
	sum, err := a.b.Team.ExportFor(ctx, &delta, bundle.Encrypt{Recipients: keys}, "Dominique")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Records > 10 {
		t.Fatalf("the bundle for Dominique holds %d records, want the 3 members changed and little else", sum.Records)
	}
	rep, err := b.b.Team.Merge(ctx, bytes.NewReader(delta.Bytes()), "")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Updated != 3 {
		t.Errorf("report %+v, want the 3 members updated", rep)
	}
	if dump(t, a) != dump(t, b) {
		da, db := strings.Split(dump(t, a), "\n"), strings.Split(dump(t, b), "\n")
		for i := range min(len(da), len(db)) {
			if da[i] != db[i] {
				t.Fatalf("the bundle of changes did not bring Dominique's copy level:\n%s\n%s", da[i], db[i])
			}
		}
		t.Fatalf("the bundle of changes did not bring Dominique's copy level: %d vs %d lines", len(da), len(db))
	}
	_, err = fresh.b.Team.Join(ctx, bytes.NewReader(delta.Bytes()), "")
	if errs.From(err) == nil || errs.From(err).Code != "bundle_needs_whole" {
		t.Errorf("joining from a bundle of changes: %v, want bundle_needs_whole", err)
	}
}
