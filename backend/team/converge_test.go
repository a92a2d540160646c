package team_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/backend/bundle"
	"hearth/backend/calendar"
	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/credentials"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/store"
	"hearth/backend/team"
	"hearth/backend/wiring"
)

// teamCopy is one teammate's copy of a workspace.
type teamCopy struct {
	name string
	b    *wiring.Backend
	clk  *clock.Manual
}

// openCopy opens a workspace in a directory of its own, with its own credentials store.
func openCopy(t *testing.T, name string, at time.Time) *teamCopy {
	t.Helper()
	secrets, err := credentials.Open(credentials.Options{Dir: t.TempDir(), Keychain: credentials.KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewManual(at)
	b, err := wiring.Open(context.Background(), wiring.Options{Dir: t.TempDir(), Secrets: secrets, Clock: clk, Zone: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	if _, err := b.Team.SetName(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	key, err := b.Team.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	keys = append(keys, key)
	return &teamCopy{name: name, b: b, clk: clk}
}

// keys are the public keys of every copy a test opened: bundles are encrypted to all of them
// (age's X25519 recipients; a passphrase costs a second of scrypt at each end).
var keys []string

// bundleOf exports a copy, encrypted to every copy's key.
func bundleOf(t *testing.T, c *teamCopy) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := c.b.Team.Export(context.Background(), &buf, bundle.Encrypt{Recipients: keys}); err != nil {
		t.Fatalf("export %s: %v", c.name, err)
	}
	return buf.Bytes()
}

// join makes a new copy from a bundle of from.
func join(t *testing.T, from *teamCopy, name string) *teamCopy {
	t.Helper()
	c := openCopy(t, name, from.clk.Now())
	if _, err := c.b.Team.Join(context.Background(), bytes.NewReader(bundleOf(t, from)), ""); err != nil {
		t.Fatalf("join %s: %v", name, err)
	}
	return c
}

// merge merges a bundle of from into to.
func merge(t *testing.T, from, to *teamCopy) team.Report {
	t.Helper()
	rep, err := to.b.Team.Merge(context.Background(), bytes.NewReader(bundleOf(t, from)), "")
	if err != nil {
		t.Fatalf("merge %s into %s: %v", from.name, to.name, err)
	}
	return rep
}

// dump is a copy's content in a canonical form: every live record of the collections that
// travel (collection, id, payload), the suppression list and the erased subjects, sorted.
func dump(t *testing.T, c *teamCopy) string {
	t.Helper()
	var lines []string
	st := c.b.Workspace.Store
	err := st.ExportRecords(team.Travels, func(r store.Record) error {
		if r.Deleted || r.Collection == "teammate" {
			return nil
		}
		var v any
		if err := json.Unmarshal(r.Data, &v); err != nil {
			return err
		}
		b, _ := json.Marshal(v) // keys sorted
		lines = append(lines, "record "+r.Collection+"/"+r.ID+" "+string(b))
		return nil
	})
	if err == nil {
		err = st.ExportSuppressions(func(s store.Suppression) error {
			lines = append(lines, "suppressed "+s.Kind+"/"+s.Hash)
			return nil
		})
	}
	if err == nil {
		err = st.ExportErasures(func(e store.Erasure) error {
			lines = append(lines, "erased "+e.Subject)
			return nil
		})
	}
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// sim plays random teammates' work on three copies and random exchanges between them.
type sim struct {
	t      *testing.T
	rng    *rand.Rand
	copies []*teamCopy
	erased map[string]bool // member ids erased somewhere
	log    []string
}

var pool = []string{"ann", "bob", "cy", "dee", "eve", "fox", "gus", "hal"}

func (s *sim) step() {
	ctx := context.Background()
	c := s.copies[s.rng.IntN(len(s.copies))]
	c.clk.Advance(time.Duration(1+s.rng.IntN(90)) * time.Second)
	list, err := c.b.Members.List(ctx, members.ListQuery{Limit: members.MaxLimit})
	if err != nil {
		s.t.Fatal(err)
	}
	pick := func() (members.Member, bool) {
		if len(list.Items) == 0 {
			return members.Member{}, false
		}
		return list.Items[s.rng.IntN(len(list.Items))], true
	}
	word := func() string { return pool[s.rng.IntN(len(pool))] }
	var what string
	switch op := s.rng.IntN(12); {
	case op < 3:
		n := word()
		what = "create " + n
		_, err = c.b.Members.Create(ctx, members.CreateInput{Name: strings.ToUpper(n[:1]) + n[1:], Emails: []string{n + "@example.org"}, Tags: []string{word()}})
	case op < 5:
		m, ok := pick()
		if !ok {
			return
		}
		name := m.Name + "+"
		what = "rename " + m.ID
		_, err = c.b.Members.Edit(ctx, m.ID, members.Edit{Patch: members.Patch{Name: &name}})
	case op < 7:
		m, ok := pick()
		if !ok {
			return
		}
		tag := word()
		if s.rng.IntN(2) == 0 {
			what = "tag " + m.ID + " +" + tag
			_, err = c.b.Members.Edit(ctx, m.ID, members.Edit{AddTags: []string{tag}})
		} else {
			what = "tag " + m.ID + " -" + tag
			_, err = c.b.Members.Edit(ctx, m.ID, members.Edit{RemoveTags: []string{tag}})
		}
	case op < 8:
		m, ok := pick()
		if !ok {
			return
		}
		what = "field " + m.ID
		_, err = c.b.Members.Edit(ctx, m.ID, members.Edit{SetFields: map[string]string{"city": word()}, Patch: members.Patch{Notes: ptr(word())}})
	case op < 9:
		m, ok := pick()
		if !ok {
			return
		}
		what = "delete " + m.ID
		_, err = c.b.Members.Delete(ctx, m.ID)
	case op < 10:
		m, ok := pick()
		if !ok || s.rng.IntN(3) != 0 {
			return
		}
		what = "erase " + m.ID
		err = c.b.GDPR.Erase(ctx, m.ID, m.Emails[0])
		if err == nil {
			s.erased[m.ID] = true
		}
	case op < 11:
		m, ok := pick()
		if !ok {
			return
		}
		in := consent.Input{MemberID: m.ID, Purpose: "newsletter", At: c.clk.Now(), Method: consent.MethodManual, By: c.name}
		if s.rng.IntN(2) == 0 {
			what = "grant " + m.ID
			_, err = c.b.Consent.Grant(ctx, in)
		} else {
			what = "withdraw " + m.ID
			_, err = c.b.Consent.Withdraw(ctx, in)
		}
	default:
		what = "calendar"
		_, err = c.b.Calendar.Create(ctx, calendar.CreateInput{Title: "Apéro " + word(), At: c.clk.Now().Add(48 * time.Hour), TimeZone: "Europe/Paris"})
	}
	s.log = append(s.log, c.name+": "+what)
	// Refusals a person would see (an e-mail used by another member, a suppressed address, a
	// member deleted meanwhile) are part of the game; anything else is a bug.
	if err != nil && errs.KindOf(err) != errs.Conflict && errs.KindOf(err) != errs.NotFound && errs.KindOf(err) != errs.Invalid {
		s.t.Fatalf("%s: %v", what, err)
	}
}

func (s *sim) exchange() {
	i, j := s.rng.IntN(len(s.copies)), s.rng.IntN(len(s.copies))
	if i == j {
		return
	}
	s.log = append(s.log, s.copies[i].name+" -> "+s.copies[j].name)
	merge(s.t, s.copies[i], s.copies[j])
}

func ptr[T any](v T) *T { return &v }

// TestCopiesEditedApartConvergeWhateverTheOrderOfExchanges plays random work on three copies
// (members created, renamed, tagged and untagged, given fields and notes, deleted, erased;
// consent granted and withdrawn; calendar items added) with random exchanges of bundles between
// them, then lets every copy meet every other: all copies end with the same content, and no
// erased person is live on any of them.
func TestCopiesEditedApartConvergeWhateverTheOrderOfExchanges(t *testing.T) {
	for seed := range uint64(6) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			start := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
			a := openCopy(t, "Camille", start)
			s := &sim{t: t, rng: rand.New(rand.NewPCG(seed, 42)), erased: map[string]bool{}}
			s.copies = []*teamCopy{a}
			for range 6 {
				s.copies[0].clk.Advance(time.Second)
				s.step()
			}
			s.copies = append(s.copies, join(t, a, "Dominique"), join(t, a, "Élise"))
			for range 90 {
				if s.rng.IntN(4) == 0 {
					s.exchange()
				} else {
					s.step()
				}
			}
			// Everyone meets everyone, in a random order, twice over: then nothing is left to learn.
			for range 2 {
				for _, i := range s.rng.Perm(3) {
					for _, j := range s.rng.Perm(3) {
						if i != j {
							merge(t, s.copies[i], s.copies[j])
						}
					}
				}
			}
			want := dump(t, s.copies[0])
			t.Logf("%d steps and exchanges; %d members erased; %d lines of content alike", len(s.log), len(s.erased), strings.Count(want, "\n")+1)
			for _, c := range s.copies[1:] {
				if got := dump(t, c); got != want {
					t.Fatalf("%s and %s differ after meeting:\n%s\n--- vs ---\n%s\nlog:\n%s", s.copies[0].name, c.name, want, got, strings.Join(s.log, "\n"))
				}
			}
			for _, c := range s.copies {
				// Every index entry points to its record and back, on every copy (issue #13 part 5).
				if rep, err := c.b.Workspace.Store.Check(context.Background()); err != nil || !rep.OK {
					t.Fatalf("%s: workspace check after the merges: %+v %v", c.name, rep.Findings, err)
				}
				for id := range s.erased {
					if _, err := c.b.Members.Get(context.Background(), id); errs.KindOf(err) != errs.NotFound {
						t.Fatalf("%s still has erased member %s (err %v)", c.name, id, err)
					}
				}
				// Merging again changes nothing.
				rep := merge(t, s.copies[0], c)
				if rep.Added+rep.Updated+rep.Deleted+rep.Erased+rep.Duplicates != 0 && c != s.copies[0] {
					t.Fatalf("a second merge into %s changed things: %+v", c.name, rep)
				}
			}
		})
	}
}
