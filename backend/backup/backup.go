// Package backup keeps a workspace's automatic backups and restores them.
//
// A backup is one file, <workspace>/backups/<id>.hbk (0600), id = "<UTC time>-<reason>": the
// magic "HBK1", the length of a small JSON header (Backup: time, reason, members, schema
// version) as a big-endian uint32, the header, then Badger's backup stream of the whole
// database, read at one timestamp while the workspace stays open (store.Backup). The keyring is
// never in a backup: a sealed record in a backup opens only with the key the live keyring still
// holds, so a person erased after the backup is unreadable in it.
//
// Backups are taken every day (the backup.daily job) and before an import, an erasure, a
// migration and a restore. Retention keeps the 10 newest backups of the last 24 hours, the newest
// of each of the 7 most recent days and of the 4 most recent weeks that have one, and deletes the
// rest.
//
// Restoring happens in two steps. Prepare (workspace open, its lock held) takes a backup of the
// live database, loads the chosen backup into <workspace>/db.restoring, makes it keep every
// erasure made since (store.Reconcile: the live suppression list copied in, the records of
// people whose keys are gone turned into tombstones; then the domains' forgetters), and renames
// it db.restored. The next open of the workspace (Finish, called by workspace.Open before the
// database is opened) swaps it in for db/ and deletes cache/. A crash at any point leaves either
// the old database or the restored one, never a mix.
package backup

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/privatefile"
	"hearth/backend/store"
)

// Dir is the backups' folder inside a workspace.
const Dir = "backups"

const (
	ext       = ".hbk"
	magic     = "HBK1"
	maxHeader = 1 << 16

	restoringDir = "db.restoring" // being prepared; deleted if found at open
	restoredDir  = "db.restored"  // prepared whole; swapped in at the next open
	replacedDir  = "db.replaced"  // the database a restore replaced, while swapping
	memberColl   = "member"
	cacheDir     = "cache" // workspace.SnapshotDir (workspace imports this package)
)

// Reason says why a backup was taken.
type Reason string

// Reasons.
const (
	ReasonDaily     Reason = "daily"
	ReasonManual    Reason = "manual"
	ReasonImport    Reason = "import"
	ReasonErasure   Reason = "erasure"
	ReasonMigration Reason = "migration"
	ReasonMerge     Reason = "merge"
	// ReasonRestore is the database a restore replaced.
	ReasonRestore Reason = "restore"
)

var reasons = []Reason{ReasonDaily, ReasonManual, ReasonImport, ReasonErasure, ReasonMigration, ReasonMerge, ReasonRestore}

// Backup describes one backup: what it holds, as shown before restoring it.
type Backup struct {
	// ID names the backup: "<UTC time>-<reason>" ("20261207T084500Z-daily").
	ID     string    `json:"id"`
	At     time.Time `json:"at"`
	Reason Reason    `json:"reason"`
	// Members is how many members the workspace held when the backup was taken.
	Members int `json:"members"`
	// SchemaVersion is the database's schema version in the backup.
	SchemaVersion int `json:"schemaVersion"`
	// Size is the file's size in bytes.
	Size int64 `json:"size"`

	written time.Time // the file's modification time
}

// header is what the file's JSON header holds.
type header struct {
	At            time.Time `json:"at"`
	Reason        Reason    `json:"reason"`
	Members       int       `json:"members"`
	SchemaVersion int       `json:"schemaVersion"`
}

// Write takes a backup of st, the open database of the workspace in wsDir, now. It neither
// prunes nor locks: Service.Create does both; workspace.Open calls Write before a migration.
func Write(ctx context.Context, wsDir string, st *store.Store, reason Reason, now time.Time) (Backup, error) {
	if err := ctx.Err(); err != nil {
		return Backup{}, errs.Wrap(errs.Unavailable, "cancelled", err, "backup: cancelled")
	}
	h := header{At: now.UTC().Truncate(time.Second), Reason: reason}
	var err error
	if h.Members, err = st.CountLive(memberColl); err != nil {
		return Backup{}, err
	}
	if h.SchemaVersion, err = st.SchemaVersion(); err != nil {
		return Backup{}, err
	}
	// A backup holds at most what the database does: room for it is asked before writing, so
	// that a backup never fills the disk Badger needs (it is taken before imports, and at times
	// nobody chose).
	if err := st.EnsureFree(st.Size()); err != nil {
		return Backup{}, err
	}
	dir := filepath.Join(wsDir, Dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Backup{}, errs.Wrap(errs.Unavailable, "backup_failed", err, "backup: create "+dir)
	}
	id := h.At.Format("20060102T150405Z") + "-" + string(reason)
	path := filepath.Join(dir, id+ext)
	if _, err := os.Stat(path); err == nil { // two backups for the same reason within a second
		for i := 2; err == nil; i++ {
			id = fmt.Sprintf("%s-%s-%d", h.At.Format("20060102T150405Z"), reason, i)
			path = filepath.Join(dir, id+ext)
			_, err = os.Stat(path)
		}
	}
	err = privatefile.Write(path, func(w io.Writer) error {
		hb, err := json.Marshal(h)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(w, magic); err != nil {
			return err
		}
		if err := binary.Write(w, binary.BigEndian, uint32(len(hb))); err != nil {
			return err
		}
		if _, err := w.Write(hb); err != nil {
			return err
		}
		_, err = st.Backup(w)
		return err
	})
	if err != nil {
		if e := errs.NoRoomFor(path, err); e != nil {
			return Backup{}, e
		}
		var e *errs.Error
		if errors.As(err, &e) {
			return Backup{}, err
		}
		return Backup{}, errs.Wrap(errs.Unavailable, "backup_failed", err, "backup: write "+path)
	}
	return describe(dir, id)
}

var idPattern = regexp.MustCompile(`^\d{8}T\d{6}Z-[a-z]+(-\d+)?$`)

// describe reads a backup's header.
func describe(dir, id string) (Backup, error) {
	if !idPattern.MatchString(id) {
		return Backup{}, notFound(id)
	}
	f, err := os.Open(filepath.Join(dir, id+ext))
	if errors.Is(err, fs.ErrNotExist) {
		return Backup{}, notFound(id)
	}
	if err != nil {
		return Backup{}, errs.Wrap(errs.Unavailable, "backup_unreadable", err, "backup: open "+id).With("id", id)
	}
	defer f.Close()
	h, err := readHeader(bufio.NewReader(f))
	if err != nil {
		return Backup{}, errs.Wrap(errs.Invalid, "backup_corrupt", err, "backup: "+id+" is not a Hearth backup").With("id", id)
	}
	st, err := f.Stat()
	if err != nil {
		return Backup{}, errs.Wrap(errs.Unavailable, "backup_unreadable", err, "backup: stat "+id).With("id", id)
	}
	return Backup{ID: id, At: h.At, Reason: h.Reason, Members: h.Members, SchemaVersion: h.SchemaVersion, Size: st.Size(),
		written: st.ModTime()}, nil
}

func readHeader(r io.Reader) (header, error) {
	var h header
	m := make([]byte, len(magic))
	if _, err := io.ReadFull(r, m); err != nil || string(m) != magic {
		return h, fmt.Errorf("backup: bad magic")
	}
	var n uint32
	if err := binary.Read(r, binary.BigEndian, &n); err != nil || n > maxHeader {
		return h, fmt.Errorf("backup: bad header length")
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return h, err
	}
	return h, json.Unmarshal(b, &h)
}

func notFound(id string) error {
	return errs.New(errs.NotFound, "backup_not_found", "backup: no backup "+id).With("id", id)
}

// Forget runs the domains' erasure forgetters for people erased after a backup, in a restored
// database (st), so that nothing derived from them (counters, tasks...) comes back either.
type Forget func(ctx context.Context, st *store.Store, memberIDs []string) error

// Service takes, lists, prunes and restores the backups of one open workspace.
type Service struct {
	wsDir  string
	st     *store.Store
	clock  clock.Clock
	forget Forget
	mu     sync.Mutex // one backup or restore at a time
}

// NewService serves the backups of the workspace in wsDir, whose open database is st.
// forget may be nil (no forgetters: only sealed records are cleared on restore).
func NewService(wsDir string, st *store.Store, clk clock.Clock, forget Forget) *Service {
	return &Service{wsDir: wsDir, st: st, clock: clk, forget: forget}
}

// Dir is the folder holding the backups.
func (s *Service) Dir() string { return filepath.Join(s.wsDir, Dir) }

// Create takes a backup now, then prunes old ones (Retention).
func (s *Service) Create(ctx context.Context, reason Reason) (Backup, error) {
	if !slices.Contains(reasons, reason) {
		return Backup{}, errs.Fields("backup: unknown reason", errs.Field("reason", "oneof"))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := Write(ctx, s.wsDir, s.st, reason, s.clock.Now())
	if err != nil {
		return Backup{}, err
	}
	if _, err := s.prune(); err != nil {
		return b, err
	}
	return b, nil
}

// Before is Create for a backup taken before an operation (an import, an erasure): a hook for
// the services that run them.
func (s *Service) Before(reason Reason) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		_, err := s.Create(ctx, reason)
		return err
	}
}

// BeforeUnlessRecent is Before that takes no backup when one was taken, for any reason, within
// the last period: for operations that come often (a shared folder's merges every few minutes),
// where a backup at most that old is enough to go back to, and one per run would fill the disk.
func (s *Service) BeforeUnlessRecent(reason Reason, period time.Duration) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		list, err := s.List()
		if err != nil {
			return err
		}
		now := s.clock.Now()
		for _, b := range list {
			if age := now.Sub(b.At); age >= 0 && age < period {
				return nil
			}
		}
		_, err = s.Create(ctx, reason)
		return err
	}
}

// Daily takes the day's backup if the newest daily backup is older than a day (a missed day,
// the laptop asleep, is caught up at the next run): the backup.daily job.
func (s *Service) Daily(ctx context.Context, now time.Time) (bool, error) {
	list, err := s.List()
	if err != nil {
		return false, err
	}
	for _, b := range list {
		if b.Reason == ReasonDaily && now.Sub(b.At) < 23*time.Hour {
			return false, nil
		}
	}
	_, err = s.Create(ctx, ReasonDaily)
	return err == nil, err
}

// List returns the backups, newest first. Files that are not backups are left out.
func (s *Service) List() ([]Backup, error) {
	entries, err := os.ReadDir(s.Dir())
	if errors.Is(err, fs.ErrNotExist) {
		return []Backup{}, nil
	}
	if err != nil {
		return nil, errs.Wrap(errs.Unavailable, "backup_unreadable", err, "backup: read "+s.Dir())
	}
	out := []Backup{}
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ext)
		if !ok || e.IsDir() || !idPattern.MatchString(id) {
			continue
		}
		b, err := describe(s.Dir(), id)
		if err != nil {
			continue // a damaged file is not offered for restoring
		}
		out = append(out, b)
	}
	// Newest first; two taken within the same second in the order they were written.
	slices.SortFunc(out, func(a, b Backup) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		if c := b.written.Compare(a.written); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out, nil
}

// Get describes one backup.
func (s *Service) Get(id string) (Backup, error) { return describe(s.Dir(), id) }

// Retention: how many backups pruning keeps.
const (
	// KeepRecent bounds the backups of the last 24 hours kept (the newest): a day of many
	// imports or erasures does not fill the disk with copies of the workspace.
	KeepRecent = 10
	KeepDaily  = 7
	KeepWeekly = 4
)

// Keep returns the ids of the backups retention keeps at now: the KeepRecent newest of the
// last 24 hours, the newest of each of the KeepDaily most recent days (UTC) that have one, and
// the newest of each of the KeepWeekly most recent ISO weeks that have one.
func Keep(list []Backup, now time.Time) map[string]bool {
	sorted := slices.Clone(list)
	slices.SortFunc(sorted, func(a, b Backup) int { return b.At.Compare(a.At) })
	keep := map[string]bool{}
	days, weeks := map[string]bool{}, map[string]bool{}
	recent := 0
	for _, b := range sorted {
		if now.Sub(b.At) < 24*time.Hour && recent < KeepRecent {
			keep[b.ID] = true
			recent++
		}
		day := b.At.UTC().Format(time.DateOnly)
		if !days[day] && len(days) < KeepDaily {
			days[day] = true
			keep[b.ID] = true
		}
		y, w := b.At.UTC().ISOWeek()
		week := fmt.Sprintf("%d-%d", y, w)
		if !weeks[week] && len(weeks) < KeepWeekly {
			weeks[week] = true
			keep[b.ID] = true
		}
	}
	return keep
}

// Prune deletes the backups retention does not keep and returns their ids.
func (s *Service) Prune() ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.prune()
}

func (s *Service) prune() ([]string, error) {
	list, err := s.List()
	if err != nil {
		return nil, err
	}
	keep := Keep(list, s.clock.Now())
	var gone []string
	for _, b := range list {
		if keep[b.ID] {
			continue
		}
		if err := os.Remove(filepath.Join(s.Dir(), b.ID+ext)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return gone, errs.Wrap(errs.Unavailable, "backup_failed", err, "backup: delete "+b.ID)
		}
		gone = append(gone, b.ID)
	}
	return gone, nil
}
