package imports

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/store"
)

// openWithDisk is open with the free space the test says.
func openWithDisk(t *testing.T, free *atomic.Uint64) *fixture {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(store.Options{Dir: filepath.Join(dir, "db"), KeyringPath: filepath.Join(dir, "keyring"),
		GCInterval: -1, FreeSpace: func(string) (uint64, error) { return free.Load(), nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	c := clock.NewManual(time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC))
	f := &fixture{dir: dir, st: st, members: members.NewService(st, c, nil), clock: c}
	f.consent = consent.NewService(st, c, nil, consent.WithMemberCheck(members.Exists))
	f.imports = NewService(st, f.members, f.consent, c)
	return f
}

func people(n int) string {
	var b strings.Builder
	b.WriteString("email,name\n")
	for i := range n {
		fmt.Fprintf(&b, "p%d@example.org,Person %d\n", i, i)
	}
	return b.String()
}

func TestAnImportOnAFullDiskStopsWithDiskFullAndCountsTheBatchesWritten(t *testing.T) {
	var free atomic.Uint64
	free.Store(1 << 40)
	f := openWithDisk(t, &free)
	path := file(t, "people.csv", people(1000))
	// The disk fills up once two batches are in.
	progress := func(p Progress) {
		if p.Rows >= 2*batchSize {
			free.Store(1 << 20)
		}
	}
	sum, err := f.imports.Run(context.Background(), Request{Path: path}, progress, nil)
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != "disk_full" || e.Params["mb"] == "" {
		t.Fatalf("want disk_full with the MB needed, got %v", err)
	}
	if sum.Created != 2*batchSize {
		t.Fatalf("the summary counts the batches written: created %d, want %d", sum.Created, 2*batchSize)
	}

	free.Store(1 << 40) // room again: the members written are listed, and running the import again completes it
	if n, _ := f.members.Count(context.Background()); n != sum.Created {
		t.Fatalf("the workspace holds %d members, the summary says %d", n, sum.Created)
	}
	sum, err = f.imports.Run(context.Background(), Request{Path: path}, nil, nil)
	if err != nil || sum.Created != 1000-2*batchSize || sum.Unchanged != 2*batchSize {
		t.Fatalf("second run: %v %+v", err, sum)
	}
}

func TestADiskFillingUpStopsAnImportWithEveryMemberWrittenListed(t *testing.T) {
	var free atomic.Uint64
	free.Store(1 << 40)
	f := openWithDisk(t, &free)
	path := file(t, "people.csv", people(2000))
	// The disk fills up little by little: room for a few batches more, then none.
	progress := func(p Progress) {
		switch {
		case p.Rows >= 4*batchSize:
			free.Store(1 << 20)
		case p.Rows >= 2*batchSize:
			free.Store(100 << 20)
		}
	}
	sum, err := f.imports.Run(context.Background(), Request{Path: path}, progress, nil)
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != "disk_full" || sum.Created != 4*batchSize {
		t.Fatalf("want disk_full after 4 batches, got %v, %+v", err, sum)
	}
	// Still full: what was written is listed all the same.
	p, err := f.members.List(context.Background(), members.ListQuery{Search: "person", Limit: 1})
	if err != nil || p.Total != sum.Created {
		t.Fatalf("the workspace lists %d members (%v), the summary says %d", p.Total, err, sum.Created)
	}
}

func TestAnImportAsksForRoomBeforeWritingAnything(t *testing.T) {
	var free atomic.Uint64
	free.Store(1 << 40)
	f := openWithDisk(t, &free)
	path := file(t, "people.csv", people(10))
	free.Store(30 << 20) // under what Badger keeps in reserve
	sum, err := f.imports.Run(context.Background(), Request{Path: path}, nil, nil)
	if errs.From(err).Code != "disk_full" || sum.Created != 0 {
		t.Fatalf("want disk_full before any write, got %v %+v", err, sum)
	}
	if _, err := f.imports.Run(context.Background(), Request{Path: path, DryRun: true}, nil, nil); err != nil {
		t.Fatalf("a dry run writes nothing and needs no room: %v", err)
	}
	if n, _ := f.members.Count(context.Background()); n != 0 {
		t.Fatalf("nothing was to be written, found %d members", n)
	}
}

func TestTheRoomAnImportNeedsGrowsWithTheFile(t *testing.T) {
	small := fileScan{rows: 10, bytes: 300}
	big := fileScan{rows: 100000, bytes: 30 << 20}
	if big.storedSize() < 90<<20 || small.storedSize() > 1<<20 {
		t.Fatalf("estimates: small %d, big %d", small.storedSize(), big.storedSize())
	}
}
