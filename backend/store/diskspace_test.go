package store

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/errs"
)

// fakeDisk reports the free space a test sets.
type fakeDisk struct{ free atomic.Uint64 }

func (d *fakeDisk) space(string) (uint64, error) { return d.free.Load(), nil }

func openOn(t *testing.T, dir string, disk *fakeDisk) (*Store, error) {
	t.Helper()
	return Open(Options{Dir: dir, Clock: clock.NewManual(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)),
		GCInterval: -1, FreeSpace: disk.space})
}

func wantDiskFull(t *testing.T, err error) {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != "disk_full" || !errors.Is(err, errs.Unavailable) || e.Params["mb"] == "" {
		t.Fatalf("want a disk_full error with the MB needed, got %#v", err)
	}
}

func TestAFullDiskOpensTheWorkspaceReadOnly(t *testing.T) {
	dir := t.TempDir()
	disk := &fakeDisk{}
	disk.free.Store(1 << 40)
	s, err := openOn(t, dir, disk)
	if err != nil {
		t.Fatal(err)
	}
	putNote(t, s, "n1", note{Title: "kept", Owner: "ann"})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	disk.free.Store(3 << 20)
	s, err = openOn(t, dir, disk)
	if err != nil {
		t.Fatalf("a full disk must still open the workspace for reading: %v", err)
	}
	if !s.ReadOnly() {
		t.Fatal("the store should say it is read-only")
	}
	var got note
	if err := s.View(func(tx *Tx) (err error) { got, _, err = Get(tx, notes, "n1"); return err }); err != nil || got.Title != "kept" {
		t.Fatalf("reading on a full disk: %v %+v", err, got)
	}
	err = s.Update(context.Background(), func(tx *Tx) error { _, err := Put(tx, notes, "n2", note{Owner: "bob"}); return err })
	wantDiskFull(t, err)
	if err := s.Close(); err != nil {
		t.Fatalf("closing a read-only store writes nothing and succeeds: %v", err)
	}

	disk.free.Store(1 << 40) // space freed: back to normal
	s, err = openOn(t, dir, disk)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.ReadOnly() {
		t.Fatal("with room again the store opens read-write")
	}
	putNote(t, s, "n2", note{Owner: "bob"})
}

func TestANewWorkspaceOnAFullDiskIsDiskFull(t *testing.T) {
	disk := &fakeDisk{}
	disk.free.Store(1 << 20)
	_, err := openOn(t, t.TempDir()+"/db", disk)
	wantDiskFull(t, err)
}

func TestWritesStopWithDiskFullBeforeBadgerRunsOutOfRoom(t *testing.T) {
	disk := &fakeDisk{}
	disk.free.Store(1 << 40)
	s, err := openOn(t, t.TempDir(), disk)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	putNote(t, s, "n1", note{Owner: "ann"})
	disk.free.Store(s.disk.reserve - 5<<20)
	err = s.Update(context.Background(), func(tx *Tx) error { _, err := Put(tx, notes, "n2", note{Owner: "bob"}); return err })
	wantDiskFull(t, err)
	if mb := errs.From(err).Params["mb"]; mb != "5" {
		t.Fatalf("the message names the 5 MB to free, got %s", mb)
	}
	disk.free.Store(s.disk.reserve + 10<<20)
	wantDiskFull(t, s.EnsureFree(20<<20))
	if err := s.EnsureFree(5 << 20); err != nil {
		t.Fatal(err)
	}
}
