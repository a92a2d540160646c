package workspace

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// The damage matrix (issue #12): every part of a workspace truncated, deleted or overwritten
// must end in a named refusal with every file left as it was, or in an open that reads every
// record: never in a workspace that opens with fewer members than it has.

type person struct {
	Email string `json:"email"`
	Notes string `json:"notes"`
}

var people = &store.Collection[person]{
	Name:    "person",
	Subject: func(p person) string { return p.Email },
	Indexes: []store.Index[person]{{Name: "email", Unique: true, Hashed: true,
		Values: func(p person) []string { return []string{p.Email} }}},
}

const damagePeople = 3000

// damageFixture builds a closed workspace of damagePeople sealed records, a few with values
// big enough for the value log, and returns its directory (a fresh copy per call).
func damageFixture(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ws")
	ws := openWS(t, dir, 1)
	ctx := context.Background()
	err := ws.Store.Bulk(ctx, damagePeople, func(tx *store.Tx, i int) error {
		p := person{Email: fmt.Sprintf("p%05d@example.org", i)}
		if i%500 == 0 {
			p.Notes = strings.Repeat("value log ", 800) // over the 4 KiB value threshold
		}
		_, err := store.Put(tx, people, fmt.Sprintf("id%05d", i), p)
		return err
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	// Opened and closed once more, as a workspace in use is: its tables are verified once.
	ws = openWS(t, dir, 1)
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// fingerprint is the SHA-256 of every file of the workspace, by path (the lock file aside).
func fingerprint(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "hearth.lock" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		rel, _ := filepath.Rel(dir, path)
		out[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func tableFiles(t *testing.T, dir string) []string {
	names, _ := filepath.Glob(filepath.Join(dir, "db", "*.sst"))
	if len(names) == 0 {
		t.Fatal("the fixture has no table")
	}
	slices.Sort(names)
	return names
}

func lastVlog(t *testing.T, dir string) string {
	names, _ := filepath.Glob(filepath.Join(dir, "db", "*.vlog"))
	slices.Sort(names)
	for i := len(names) - 1; i >= 0; i-- {
		if st, _ := os.Stat(names[i]); st.Size() > 20 {
			return names[i]
		}
	}
	t.Fatal("the fixture has no value log with values")
	return ""
}

func truncate(t *testing.T, path string, size int64) {
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, path string) {
	if err := os.RemoveAll(path); err != nil {
		t.Fatal(err)
	}
}

// scribble writes 64 random bytes at the middle of path.
func scribble(t *testing.T, path string) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	junk := make([]byte, 64)
	r := rand.NewChaCha8([32]byte{1})
	_, _ = r.Read(junk)
	if _, err := f.WriteAt(junk, st.Size()/2); err != nil {
		t.Fatal(err)
	}
}

func TestTheDamageMatrixEndsInANamedRefusalOrACorrectOpen(t *testing.T) {
	base := damageFixture(t)
	cases := []struct {
		name   string
		damage func(t *testing.T, dir string)
		code   string // the refusal expected; "" for an open that reads every record
	}{
		{"MANIFEST truncated to 10 bytes", func(t *testing.T, d string) { truncate(t, filepath.Join(d, "db", "MANIFEST"), 10) }, store.CodeIndexDamaged},
		{"MANIFEST truncated by one byte", func(t *testing.T, d string) {
			st, _ := os.Stat(filepath.Join(d, "db", "MANIFEST"))
			truncate(t, filepath.Join(d, "db", "MANIFEST"), st.Size()-1)
		}, store.CodeIndexDamaged},
		{"MANIFEST deleted", func(t *testing.T, d string) { remove(t, filepath.Join(d, "db", "MANIFEST")) }, store.CodeIndexDamaged},
		{"MANIFEST overwritten", func(t *testing.T, d string) { scribble(t, filepath.Join(d, "db", "MANIFEST")) }, store.CodeIndexDamaged},
		{"db emptied", func(t *testing.T, d string) {
			entries, _ := os.ReadDir(filepath.Join(d, "db"))
			for _, e := range entries {
				remove(t, filepath.Join(d, "db", e.Name()))
			}
		}, store.CodeDatabaseGone},
		{"db deleted", func(t *testing.T, d string) { remove(t, filepath.Join(d, "db")) }, store.CodeDatabaseGone},
		{"table deleted", func(t *testing.T, d string) { remove(t, tableFiles(t, d)[0]) }, store.CodeTableDamaged},
		{"table truncated", func(t *testing.T, d string) {
			p := tableFiles(t, d)[0]
			st, _ := os.Stat(p)
			truncate(t, p, st.Size()/2)
		}, store.CodeTableDamaged},
		{"table overwritten with 64 random bytes", func(t *testing.T, d string) { scribble(t, tableFiles(t, d)[0]) }, store.CodeTableDamaged},
		{"table overwritten, its modification time set back", func(t *testing.T, d string) {
			p := tableFiles(t, d)[0]
			st, _ := os.Stat(p)
			scribble(t, p)
			if err := os.Chtimes(p, st.ModTime(), st.ModTime()); err != nil {
				t.Fatal(err)
			}
		}, store.CodeTableDamaged},
		{"value log truncated", func(t *testing.T, d string) {
			p := lastVlog(t, d)
			st, _ := os.Stat(p)
			truncate(t, p, st.Size()-100)
		}, store.CodeLogDamaged},
		{"value log overwritten with 64 random bytes", func(t *testing.T, d string) { scribble(t, lastVlog(t, d)) }, store.CodeLogDamaged},
		// A deleted value log is not seen at open (garbage collection deletes value logs too):
		// the values it held fail by name when read.
		{"value log deleted", func(t *testing.T, d string) { remove(t, lastVlog(t, d)) }, "read"},
		{"keyring truncated", func(t *testing.T, d string) {
			st, _ := os.Stat(filepath.Join(d, KeyringFile))
			truncate(t, filepath.Join(d, KeyringFile), st.Size()/2)
		}, store.CodeKeyringDamaged},
		{"keyring deleted", func(t *testing.T, d string) { remove(t, filepath.Join(d, KeyringFile)) }, store.CodeKeyringDamaged},
		{"keyring emptied", func(t *testing.T, d string) { truncate(t, filepath.Join(d, KeyringFile), 0) }, store.CodeKeyringDamaged},
		{"keyring overwritten with 64 random bytes", func(t *testing.T, d string) { scribble(t, filepath.Join(d, KeyringFile)) }, store.CodeKeyringDamaged},
		{"keyring with a torn last entry (a crash mid-append)", func(t *testing.T, d string) {
			f, err := os.OpenFile(filepath.Join(d, KeyringFile), os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = f.Write([]byte("\x0aabc"))
			_ = f.Close()
		}, ""},
		{"hearth.json truncated", func(t *testing.T, d string) { truncate(t, filepath.Join(d, ManifestFile), 10) }, "workspace_corrupt"},
		{"hearth.json overwritten", func(t *testing.T, d string) { scribble(t, filepath.Join(d, ManifestFile)) }, "workspace_corrupt"},
		{"hearth.json deleted", func(t *testing.T, d string) { remove(t, filepath.Join(d, ManifestFile)) }, "workspace_manifest_missing"},
		{"snapshots deleted", func(t *testing.T, d string) { remove(t, filepath.Join(d, SnapshotDir)) }, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "ws")
			if err := os.CopyFS(dir, os.DirFS(base)); err != nil {
				t.Fatal(err)
			}
			c.damage(t, dir)
			before := fingerprint(t, dir)
			ws, err := Open(context.Background(), dir, Options{Migrations: migrations(1), GCInterval: -1})
			if c.code != "" && c.code != "read" {
				if err == nil {
					_ = ws.Close()
					t.Fatalf("opened; want the refusal %s", c.code)
				}
				if got := errs.From(err); got.Code != c.code || got.Kind != errs.Unavailable && got.Kind != errs.Invalid {
					t.Fatalf("got %v (code %s), want %s", err, got.Code, c.code)
				}
				if after := fingerprint(t, dir); !mapsEqual(before, after) {
					t.Fatalf("a refused workspace changed:\nbefore %v\nafter  %v", before, after)
				}
				return
			}
			if err != nil {
				t.Fatalf("a workspace that can be read was refused: %v", err)
			}
			defer ws.Close()
			n, readErr := countPeople(ws.Store)
			switch {
			case c.code == "read":
				t.Logf("read %d people: %v", n, readErr)
				if readErr == nil || !store.IsDamage(readErr) {
					t.Fatalf("read %d people, err %v; want a damage error", n, readErr)
				}
			case readErr != nil || n != damagePeople:
				t.Fatalf("read %d of %d people, err %v", n, damagePeople, readErr)
			}
		})
	}
}

func countPeople(st *store.Store) (int, error) {
	n := 0
	err := st.View(func(tx *store.Tx) error {
		return store.Scan(tx, people, func(string, person, store.Meta) error { n++; return nil })
	})
	return n, err
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// crashImage copies a workspace while it is open, right after a durable write: the files a
// process killed at that moment leaves, with write-ahead logs Badger replays at the next open.
func crashImage(t *testing.T) string {
	t.Helper()
	dir := damageFixture(t)
	ws := openWS(t, dir, 1)
	defer ws.Close()
	err := ws.Store.UpdateDurable(context.Background(), func(tx *store.Tx) error {
		for i := damagePeople; i < damagePeople+100; i++ {
			if _, err := store.Put(tx, people, fmt.Sprintf("id%05d", i), person{Email: fmt.Sprintf("p%05d@example.org", i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	image := filepath.Join(t.TempDir(), "crashed")
	if err := os.CopyFS(image, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	return image
}

func TestAWorkspaceKilledAfterAWriteOpensWithEveryRecord(t *testing.T) {
	dir := crashImage(t)
	ws, err := Open(context.Background(), dir, Options{Migrations: migrations(1), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if n, err := countPeople(ws.Store); err != nil || n != damagePeople+100 {
		t.Fatalf("read %d of %d people, err %v", n, damagePeople+100, err)
	}
}

func TestADamagedWriteAheadLogIsRefusedNotCut(t *testing.T) {
	dir := crashImage(t)
	wals, _ := filepath.Glob(filepath.Join(dir, "db", "*.mem"))
	if len(wals) == 0 {
		t.Fatal("the crash image has no write-ahead log")
	}
	// The entries of the last write sit at the start of the log; 64 bytes at its start damage
	// them, and the entries after them must not be cut away.
	f, err := os.OpenFile(wals[0], os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(make([]byte, 64), 200); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	before := fingerprint(t, dir)
	_, err = Open(context.Background(), dir, Options{Migrations: migrations(1), GCInterval: -1})
	if errs.From(err).Code != store.CodeLogDamaged {
		t.Fatalf("got %v, want %s", err, store.CodeLogDamaged)
	}
	if after := fingerprint(t, dir); !mapsEqual(before, after) {
		t.Fatal("a refused workspace changed")
	}
}
