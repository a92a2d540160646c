package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/errs"
)

type note struct {
	Title string   `json:"title"`
	Owner string   `json:"owner"`
	Tags  []string `json:"tags"`
}

var notes = &Collection[note]{
	Name: "note",
	Indexes: []Index[note]{
		{Name: "owner", Unique: true, Values: func(n note) []string { return []string{strings.ToLower(n.Owner)} }},
		{Name: "tag", Values: func(n note) []string { return n.Tags }},
	},
}

// newTestStore opens a real on-disk Badger in a temporary directory, closed at test end.
func newTestStore(t *testing.T) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir, Clock: clock.NewManual(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, dir
}

func putNote(t *testing.T, s *Store, id string, n note) Meta {
	t.Helper()
	var m Meta
	err := s.Update(context.Background(), func(tx *Tx) (err error) {
		m, err = Put(tx, notes, id, n)
		return err
	})
	if err != nil {
		t.Fatalf("put %s: %v", id, err)
	}
	return m
}

func tagIDs(t *testing.T, s *Store, tag string) []string {
	t.Helper()
	var ids []string
	if err := s.View(func(tx *Tx) (err error) { ids, err = IDsByIndex(tx, notes, "tag", tag); return err }); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestPutThenGetReturnsTheRecordWithItsReplicaAndStamp(t *testing.T) {
	s, _ := newTestStore(t)
	m := putNote(t, s, "a", note{Title: "hello", Owner: "Ann"})
	var got note
	var meta Meta
	if err := s.View(func(tx *Tx) (err error) { got, meta, err = Get(tx, notes, "a"); return err }); err != nil {
		t.Fatal(err)
	}
	if got.Title != "hello" || meta != m || meta.Replica != s.Replica() || meta.HLC == 0 {
		t.Fatalf("got %+v %+v, want hello with meta %+v", got, meta, m)
	}
}

func TestEveryWriteGetsALaterStamp(t *testing.T) {
	s, _ := newTestStore(t)
	a := putNote(t, s, "a", note{Owner: "a"})
	b := putNote(t, s, "a", note{Owner: "a", Title: "again"})
	if b.HLC <= a.HLC {
		t.Fatalf("second write stamped %v, not after %v", b.HLC, a.HLC)
	}
}

func TestUniqueIndexRefusesASecondOwnerAndWritesNothing(t *testing.T) {
	s, _ := newTestStore(t)
	putNote(t, s, "a", note{Owner: "Ann", Tags: []string{"x"}})
	err := s.Update(context.Background(), func(tx *Tx) error {
		_, err := Put(tx, notes, "b", note{Owner: "ANN", Tags: []string{"y"}})
		return err
	})
	var ue *UniqueError
	if !errors.Is(err, errs.Conflict) || !errors.As(err, &ue) || ue.Owner != "a" || ue.Value != "ann" {
		t.Fatalf("got %v, want a conflict naming owner a", err)
	}
	if ids := tagIDs(t, s, "y"); len(ids) != 0 {
		t.Fatalf("refused write left index entries %v", ids)
	}
}

func TestChangingARecordMovesItsIndexEntries(t *testing.T) {
	s, _ := newTestStore(t)
	putNote(t, s, "a", note{Owner: "Ann", Tags: []string{"x", "y"}})
	putNote(t, s, "a", note{Owner: "Bob", Tags: []string{"y", "z"}})
	if got := tagIDs(t, s, "x"); len(got) != 0 {
		t.Fatalf("stale tag entry: %v", got)
	}
	if got := tagIDs(t, s, "z"); len(got) != 1 {
		t.Fatalf("missing tag entry: %v", got)
	}
	// The old unique value is free again.
	putNote(t, s, "b", note{Owner: "ann"})
}

func TestDeleteLeavesATombstoneAndFreesIndexes(t *testing.T) {
	s, _ := newTestStore(t)
	live := putNote(t, s, "a", note{Owner: "Ann", Tags: []string{"x"}})
	err := s.Update(context.Background(), func(tx *Tx) error { _, err := Delete(tx, notes, "a"); return err })
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(func(tx *Tx) error {
		if _, _, err := Get(tx, notes, "a"); !errors.Is(err, errs.NotFound) {
			return fmt.Errorf("get after delete: %v, want not found", err)
		}
		m, dead, err := Tombstone(tx, notes, "a")
		if err != nil || !dead || m.HLC <= live.HLC || m.Replica != s.Replica() {
			return fmt.Errorf("tombstone = %+v %v %v, want a later stamped tombstone", m, dead, err)
		}
		n := 0
		if err := Scan(tx, notes, func(string, note, Meta) error { n++; return nil }); err != nil || n != 0 {
			return fmt.Errorf("scan saw %d deleted records (%v)", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if ids := tagIDs(t, s, "x"); len(ids) != 0 {
		t.Fatalf("deleted record still indexed: %v", ids)
	}
	putNote(t, s, "b", note{Owner: "ann"})
}

func TestDeletingAMissingRecordIsNotFound(t *testing.T) {
	s, _ := newTestStore(t)
	err := s.Update(context.Background(), func(tx *Tx) error { _, err := Delete(tx, notes, "nope"); return err })
	if !errors.Is(err, errs.NotFound) {
		t.Fatalf("got %v, want not found", err)
	}
}

func TestReplicaAndClockSurviveReopen(t *testing.T) {
	dir := t.TempDir()
	wall := clock.NewManual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	s, err := Open(Options{Dir: dir, Clock: wall, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	replica := s.Replica()
	last := putNote(t, s, "a", note{Owner: "a"}).HLC
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	wall.Set(wall.Now().Add(-24 * time.Hour)) // the laptop's clock went back a day
	s, err = Open(Options{Dir: dir, Clock: wall, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Replica() != replica {
		t.Fatalf("replica changed across reopen: %s -> %s", replica, s.Replica())
	}
	if next := putNote(t, s, "b", note{Owner: "b"}).HLC; next <= last {
		t.Fatalf("stamp after reopen %v not after %v", next, last)
	}
}

func TestTwoWorkspacesHaveDifferentReplicas(t *testing.T) {
	a, _ := newTestStore(t)
	b, _ := newTestStore(t)
	if a.Replica() == b.Replica() || a.Replica() == "" {
		t.Fatalf("replicas %q and %q", a.Replica(), b.Replica())
	}
}

func TestIDsAreUniqueAndTimeOrdered(t *testing.T) {
	s, _ := newTestStore(t)
	prev := ""
	for i := 0; i < 1000; i++ {
		id := s.NewID()
		if id <= prev {
			t.Fatalf("id %s not after %s", id, prev)
		}
		prev = id
	}
}

func TestConcurrentUpdatesOfOneRecordAllLand(t *testing.T) {
	s, _ := newTestStore(t)
	putNote(t, s, "counter", note{Owner: "c", Title: ""})
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.Update(context.Background(), func(tx *Tx) error {
				n, _, err := Get(tx, notes, "counter")
				if err != nil {
					return err
				}
				n.Title += "x"
				_, err = Put(tx, notes, "counter", n)
				return err
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	var n note
	_ = s.View(func(tx *Tx) (err error) { n, _, err = Get(tx, notes, "counter"); return err })
	if len(n.Title) != 20 {
		t.Fatalf("got %d increments, want 20 (lost updates)", len(n.Title))
	}
}

func TestBulkWritesEverythingInChunksAndReportsProgress(t *testing.T) {
	s, _ := newTestStore(t)
	const n = 1000
	var seen []int
	err := s.Bulk(context.Background(), n, func(tx *Tx, i int) error {
		_, err := Put(tx, notes, fmt.Sprintf("n%04d", i), note{Owner: fmt.Sprint(i), Tags: []string{"bulk"}})
		return err
	}, func(done int) { seen = append(seen, done) })
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 2 || seen[len(seen)-1] != n {
		t.Fatalf("progress %v, want several reports ending at %d", seen, n)
	}
	if ids := tagIDs(t, s, "bulk"); len(ids) != n {
		t.Fatalf("indexed %d, want %d", len(ids), n)
	}
}

func TestBulkStopsWhenCancelled(t *testing.T) {
	s, _ := newTestStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	err := s.Bulk(ctx, 10_000, func(tx *Tx, i int) error {
		_, err := Put(tx, notes, fmt.Sprintf("n%05d", i), note{Owner: fmt.Sprint(i)})
		return err
	}, func(done int) {
		if done >= 512 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want cancelled", err)
	}
}

func TestCloseTwiceIsHarmlessAndWritesAfterCloseAreUnavailable(t *testing.T) {
	s, _ := newTestStore(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	err := s.Update(context.Background(), func(tx *Tx) error { _, err := Put(tx, notes, "a", note{}); return err })
	if err == nil {
		t.Fatal("write after close succeeded")
	}
}

func TestASecondOpenOfTheSameDirectoryIsRefusedClearly(t *testing.T) {
	_, dir := newTestStore(t)
	_, err := Open(Options{Dir: dir, GCInterval: -1})
	if !errors.Is(err, errs.Unavailable) || errs.From(err).Code != "workspace_locked" {
		t.Fatalf("got %v, want workspace_locked", err)
	}
}

func TestEnvelopeRoundTripsAndRejectsGarbage(t *testing.T) {
	m := Meta{HLC: 12345, Replica: "01ABC", Deleted: true, Subject: "01SUBJ"}
	got, sealed, payload, err := decodeEnvelope(encodeEnvelope(m, true, []byte(`{"x":1}`)))
	if err != nil || got != m || !sealed || string(payload) != `{"x":1}` {
		t.Fatalf("round trip: %+v %v %q %v", got, sealed, payload, err)
	}
	// Version 1 envelopes (no subject) written by the first release still read.
	v1 := append([]byte{envelopeV1, 0, 0, 0, 0, 0, 0, 0, 0, 7, 1, 'r'}, `{}`...)
	got, sealed, payload, err = decodeEnvelope(v1)
	if err != nil || got.HLC != 7 || got.Replica != "r" || sealed || string(payload) != "{}" {
		t.Fatalf("v1: %+v %v %q %v", got, sealed, payload, err)
	}
	for _, bad := range [][]byte{nil, {9}, {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200}, {2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9}} {
		if _, _, _, err := decodeEnvelope(bad); err == nil {
			t.Errorf("decodeEnvelope(%v) accepted garbage", bad)
		}
	}
}

func FuzzDecodeEnvelopeNeverPanics(f *testing.F) {
	f.Add(encodeEnvelope(Meta{HLC: 1, Replica: "r", Subject: "s"}, true, []byte("{}")))
	f.Add([]byte{1, 1})
	f.Fuzz(func(t *testing.T, b []byte) { _, _, _, _ = decodeEnvelope(b) })
}
