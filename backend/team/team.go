// Package team lets a small team share one workspace without a server: each teammate keeps a
// copy, exports it as an encrypted bundle (backend/bundle), and merges the bundles teammates
// send. Copies edited apart converge to the same content whatever order bundles are exchanged
// in, because every merge rule is deterministic, commutative, associative and idempotent:
//
//   - a record: the version with the larger hybrid-clock stamp wins, then the larger replica id,
//     then a tombstone over a write at the same stamp (store.Tx.Merge); the winner keeps its own
//     stamp, so merging the same bundle twice changes nothing;
//   - an erasure wins over everything: a person erased on any copy is erased on every copy the
//     news reaches (their key destroyed, their records deleted, the suppression entries kept),
//     and no record about them is ever taken again;
//   - records that claim one unique value (the same e-mail created on two copies, the same
//     platform message pulled by both) are one: the record with the smaller id keeps it, the
//     other is deleted the same way on every copy;
//   - append-only records (consent evidence, deliveries, published occurrences, activity) have
//     ids of their own and are never edited, so they merge as a union.
//
// Derived data (analytics counters, the member directory, per-connection counts) never travels:
// each copy keeps its own in step with the records a merge brings (members and activity merge
// through their services). Per-copy state (the scheduler's jobs, sync status, the SMTP sender
// and its password) stays on each copy, and so do secrets, which live in each person's
// keychain.
package team

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"filippo.io/age"

	"hearth/backend/activity"
	"hearth/backend/bundle"
	"hearth/backend/clock"
	"hearth/backend/connections"
	"hearth/backend/errs"
	"hearth/backend/gdpr"
	"hearth/backend/hlc"
	"hearth/backend/members"
	"hearth/backend/store"
)

// localOnly are the collections that never travel: data derived from records that each copy
// keeps in step itself, and state that belongs to one copy (its scheduler, its sync cursors'
// status, its SMTP sender with its password).
var localOnly = map[string]bool{
	"analytics_day":          true,
	"analytics_member":       true,
	"analytics_active":       true,
	"analytics_member_words": true,
	"analytics_words":        true,
	"analytics_thread":       true,
	"analytics_question":     true,
	"analytics_thread_state": true,
	"analytics_goal_tags":    true,
	"analytics_state":        true,
	"activity_count":         true,
	"sync_status":            true,
	"scheduler_job":          true,
	"automation_cursor":      true,
	"report_schedule":        true,
	"smtp_settings":          true,
	"imap_settings":          true, // this copy's reply mailbox, whose password is in its keychain
	"team_share":             true, // the shared folder's path is one machine's (share.go)
	"team_peer":              true, // what this copy last merged from each teammate
	"sync_delivery":          true, // per connection, made by the copy that sends the entry
}

// Travels reports whether records of a collection go into bundles.
func Travels(collection string) bool { return !localOnly[collection] }

// identityRef is where the person's age identity is kept in the credentials store: one per
// person on this machine (like an SSH key), so that a teammate can send a bundle to them before
// their copy of the workspace exists.
const identityRef = "team"

// Service exports and merges bundles. Safe for concurrent use; merges run one at a time.
type Service struct {
	st       *store.Store
	members  *members.Service
	activity *activity.Service
	gdpr     *gdpr.Service
	secrets  connections.SecretStore
	clock    clock.Clock
	before   func(ctx context.Context) error // SetBefore
	journal  string                          // SetJournal: the folder of the merge journal
	mu       sync.Mutex                      // one merge at a time
}

// NewService returns the team service of a workspace; secrets keeps the person's age identity.
func NewService(st *store.Store, m *members.Service, a *activity.Service, g *gdpr.Service, secrets connections.SecretStore, c clock.Clock) *Service {
	store.Declare(st, teammates)
	if c == nil {
		c = clock.System{}
	}
	return &Service{st: st, members: m, activity: a, gdpr: g, secrets: secrets, clock: c}
}

// SetJournal makes merges keep their journal in dir (the workspace's cache folder): a copy of
// the bundle being merged, encrypted to the person's own key, written before the first record is
// and deleted after the last. A merge cut short (a kill, a power cut, a full disk) is completed
// from it the next time the workspace opens (Resume), so that a merge is all or, until that
// open, whole batches of it, never a half that stays.
func (s *Service) SetJournal(dir string) { s.journal = dir }

// journalFile is the merge journal's name in the journal folder.
const journalFile = "merge-journal.hearth"

// SetBefore makes every merge call fn first (a backup, so a merge can be undone).
func (s *Service) SetBefore(fn func(ctx context.Context) error) { s.before = fn }

// PublicKey is the person's age public key ("age1…"), which teammates give to `workspace
// export --recipient` to send them a bundle only they can open.
func (s *Service) PublicKey() (string, error) { return PublicKeyOf(s.secrets) }

// PublicKeyOf is the public key of the person whose credentials store secrets is, made on first
// use: it needs no workspace, so a new teammate can give it before their copy exists.
func PublicKeyOf(secrets connections.SecretStore) (string, error) {
	id, err := identityOf(secrets)
	if err != nil {
		return "", err
	}
	return id.Recipient().String(), nil
}

func (s *Service) identity() (*age.X25519Identity, error) { return identityOf(s.secrets) }

func identityOf(secrets connections.SecretStore) (*age.X25519Identity, error) {
	if secrets == nil {
		return nil, errs.New(errs.Unavailable, "credentials_unavailable", "team: no credentials store")
	}
	return bundle.Identity(secrets, identityRef)
}

// ExportSummary is what an export wrote.
type ExportSummary struct {
	Records      int `json:"records"`
	Erasures     int `json:"erasures"`
	Suppressions int `json:"suppressions"`
}

// Export writes the whole workspace as a bundle to w, encrypted as enc says: every record of the
// collections that travel (live ones in clear inside the encryption, tombstones), the erasures
// and the suppression list, with this copy's version vector. It streams: memory stays bounded
// whatever the workspace's size.
func (s *Service) Export(ctx context.Context, w io.Writer, enc bundle.Encrypt) (ExportSummary, error) {
	return s.export(ctx, w, enc, nil)
}

// ExportFor writes a bundle of what changed since this copy last merged a bundle of the teammate
// named by replica or name (their copy holds everything their bundle held): a few records after
// a day's work, where a whole bundle holds the workspace. Erasures and the suppression list are
// always whole. Without such a merge yet it writes the whole workspace.
func (s *Service) ExportFor(ctx context.Context, w io.Writer, enc bundle.Encrypt, teammate string) (ExportSummary, error) {
	since, err := s.peerClock(ctx, teammate)
	if err != nil {
		return ExportSummary{}, err
	}
	return s.export(ctx, w, enc, since)
}

func (s *Service) export(ctx context.Context, w io.Writer, enc bundle.Encrypt, since map[string]hlc.Timestamp) (ExportSummary, error) {
	var sum ExportSummary
	m, err := s.manifest(ctx)
	if err != nil {
		return sum, err
	}
	m.Since = since
	bw, err := bundle.NewWriter(w, enc, m)
	if err != nil {
		return sum, err
	}
	err = s.st.ExportErasures(func(e store.Erasure) error {
		sum.Erasures++
		return bw.Erasure(e)
	})
	if err == nil {
		err = s.st.ExportSuppressions(func(x store.Suppression) error {
			sum.Suppressions++
			return bw.Suppression(x)
		})
	}
	if err == nil {
		err = s.st.ExportChanges(Travels, since, func(r store.Record) error {
			if sum.Records%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			sum.Records++
			return bw.Record(r)
		})
	}
	if err != nil {
		bw.Abandon()
		return sum, err
	}
	return sum, bw.Close()
}

func (s *Service) manifest(ctx context.Context) (bundle.Manifest, error) {
	if err := s.ensureKey(ctx); err != nil {
		return bundle.Manifest{}, err
	}
	id, key, err := s.st.Workspace()
	if err != nil {
		return bundle.Manifest{}, err
	}
	schema, err := s.st.SchemaVersion()
	if err != nil {
		return bundle.Manifest{}, err
	}
	vv, err := s.st.Versions()
	if err != nil {
		return bundle.Manifest{}, err
	}
	me, err := s.Whoami(ctx)
	if err != nil {
		return bundle.Manifest{}, err
	}
	return bundle.Manifest{Format: bundle.Format, Version: bundle.Version, Schema: schema, Workspace: id, HashKey: key,
		Replica: s.st.Replica(), Teammate: me.Name, CreatedAt: s.clock.Now().UTC(), Clock: vv}, nil
}

// decrypt is what opens a bundle: the passphrase it was written with, if any; the person's own
// age identity is always tried.
func (s *Service) decrypt(passphrase string) (bundle.Decrypt, error) {
	d := bundle.Decrypt{Passphrase: passphrase}
	if passphrase == "" {
		id, err := s.identity()
		if err != nil {
			return d, err
		}
		d.Identities = []age.Identity{id}
	}
	return d, nil
}

// Report is what a merge did.
type Report struct {
	// From names the copy the bundle came from: its teammate's name and replica id.
	From        string `json:"from"`
	FromReplica string `json:"fromReplica"`
	// Records that were new here, replaced an older version, deleted a record, or changed
	// nothing (the same version, or this copy's was newer).
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Deleted   int `json:"deleted"`
	Unchanged int `json:"unchanged"`
	// Erased counts the people erased here because the teammate's copy erased them, and the
	// records about erased people the bundle held that were refused.
	Erased int `json:"erased"`
	// Duplicates counts records deleted because another record holds the same unique value (the
	// same e-mail created on both copies, the same message pulled by both).
	Duplicates int `json:"duplicates"`
	// Conflicts are the fields both copies changed since they last met: the newer value won.
	// The first maxConflicts are listed; ConflictsLeftOut counts the others.
	Conflicts        []Conflict `json:"conflicts"`
	ConflictsLeftOut int        `json:"conflictsLeftOut"`
}

// maxConflicts bounds the conflicts a report lists, so that a report stays small whatever the
// bundle (a merge after months apart).
const maxConflicts = 1000

// Conflict is one field of one record that both copies changed since they last met.
type Conflict struct {
	Collection string `json:"collection"`
	ID         string `json:"id"`
	Field      string `json:"field"`
	// Kept is the value the workspace holds now (the newer write), Other the value that lost.
	Kept  json.RawMessage `json:"kept"`
	Other json.RawMessage `json:"other"`
	// KeptBy and OtherBy name the teammates who wrote them; KeptAt and OtherAt say when.
	KeptBy  string    `json:"keptBy"`
	OtherBy string    `json:"otherBy"`
	KeptAt  time.Time `json:"keptAt"`
	OtherAt time.Time `json:"otherAt"`
	// Here says the kept value is this copy's own (the bundle's lost).
	Here bool `json:"here"`
}

// Merge merges a teammate's bundle into the workspace (see the package comment for the rules)
// and reports what changed. A bundle that does not open (a wrong passphrase or key), is damaged,
// truncated, from another workspace or a newer Hearth is refused before anything is written.
func (s *Service) Merge(ctx context.Context, r io.ReadSeeker, passphrase string) (Report, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	br, spool, err := s.open(ctx, r, passphrase)
	if err != nil {
		return Report{}, err
	}
	defer spool.discard()
	m := br.Manifest()
	id, _, err := s.st.Workspace()
	if err != nil {
		return Report{}, err
	}
	if m.Workspace != id {
		return Report{}, errs.New(errs.Conflict, "bundle_other_workspace", "team: the bundle is of another workspace")
	}
	if err := s.checkSince(m); err != nil {
		return Report{}, err
	}
	// A backup before merging, so that a merge can be undone (the hook decides how often: see
	// backend/wiring).
	if s.before != nil {
		if err := s.before(ctx); err != nil {
			return Report{}, err
		}
	}
	if err := spool.commit(); err != nil {
		return Report{}, err
	}
	return s.finish(ctx, br, spool)
}

// finish merges an opened bundle, records its sender's clock, then deletes the journal.
func (s *Service) finish(ctx context.Context, br *bundle.Reader, spool *journal) (Report, error) {
	rep, err := s.apply(ctx, br)
	if err == nil {
		err = s.savePeer(ctx, br.Manifest())
	}
	if err == nil {
		err = spool.done()
	}
	return rep, err
}

// Resume completes a merge cut short, from its journal (SetJournal), and reports it; ok is
// false when no merge was cut short. The journal stays when it cannot be completed (the person's
// key is unreadable, say), for a later open.
func (s *Service) Resume(ctx context.Context) (rep Report, ok bool, err error) {
	if s.journal == "" {
		return Report{}, false, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	path := filepath.Join(s.journal, journalFile)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Report{}, false, nil
	}
	if err != nil {
		return Report{}, true, errs.Wrap(errs.Unavailable, "bundle_unreadable", err, "team: read the merge journal")
	}
	defer f.Close()
	id, err := s.identity()
	if err != nil {
		return Report{}, true, err
	}
	br, err := bundle.Open(f, bundle.Decrypt{Identities: []age.Identity{id}})
	if err != nil {
		return Report{}, true, err
	}
	rep, err = s.finish(ctx, br, &journal{path: path, committed: true})
	return rep, true, err
}

// checkSince refuses a bundle of changes cut from a version vector this copy does not reach (it
// was restored from a backup since, say): merging it would leave out records it needs.
func (s *Service) checkSince(m bundle.Manifest) error {
	if len(m.Since) == 0 {
		return nil
	}
	have, err := s.st.Versions()
	if err != nil {
		return err
	}
	for replica, ts := range m.Since {
		if have[replica] < ts {
			return errs.New(errs.Conflict, "bundle_needs_whole", "team: the bundle holds changes since a state this copy does not hold")
		}
	}
	return nil
}

// Join makes this new, empty copy a copy of the bundle's workspace: it takes the workspace's id
// and hashing secret, then merges everything the bundle holds. The copy keeps its own replica id.
func (s *Service) Join(ctx context.Context, r io.ReadSeeker, passphrase string) (Report, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	br, spool, err := s.open(ctx, r, passphrase)
	if err != nil {
		return Report{}, err
	}
	defer spool.discard()
	m := br.Manifest()
	if len(m.Since) > 0 {
		return Report{}, errs.New(errs.Conflict, "bundle_needs_whole", "team: a copy is joined from a whole bundle")
	}
	if err := s.st.AdoptWorkspace(m.Workspace, m.HashKey); err != nil {
		return Report{}, err
	}
	if err := spool.commit(); err != nil {
		return Report{}, err
	}
	return s.finish(ctx, br, spool)
}

// open reads a bundle through once, to the end, before anything of it is merged: a damaged,
// truncated or wrongly keyed bundle is refused having changed nothing (age authenticates each
// 64 KiB chunk as it comes, so a stream would only find damage after merging what came before
// it). Then it opens the bundle again from the start for the merge.
//
// While reading it through, it writes the merge journal's copy of it (see SetJournal), not
// committed yet: the caller commits it once its checks pass, before the first record is merged.
func (s *Service) open(ctx context.Context, r io.ReadSeeker, passphrase string) (*bundle.Reader, *journal, error) {
	dec, err := s.decrypt(passphrase)
	if err != nil {
		return nil, nil, err
	}
	br, err := bundle.Open(r, dec)
	if err != nil {
		return nil, nil, err
	}
	if err := s.checkSchema(br.Manifest()); err != nil {
		return nil, nil, err
	}
	spool, err := s.startJournal(br.Manifest())
	if err != nil {
		return nil, nil, err
	}
	fail := func(err error) (*bundle.Reader, *journal, error) {
		spool.discard()
		return nil, nil, err
	}
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return fail(err)
			}
		}
		e, err := br.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(err)
		}
		if err := spool.write(e); err != nil {
			return fail(err)
		}
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return fail(errs.Wrap(errs.Invalid, "bundle_unreadable", err, "team: read the bundle again"))
	}
	br, err = bundle.Open(r, dec)
	if err != nil {
		return fail(err)
	}
	return br, spool, nil
}

func (s *Service) checkSchema(m bundle.Manifest) error {
	mine, err := s.st.SchemaVersion()
	if err != nil {
		return err
	}
	if m.Schema > mine {
		return errs.New(errs.Invalid, "bundle_newer_schema", "team: the bundle's workspace is of a newer schema").With("version", strconv.Itoa(m.Schema))
	}
	return nil
}

// mergeBatch is how many records one merging transaction holds.
const mergeBatch = 256

// apply merges the entries of an opened bundle. The bundle is read once, as a stream:
// erasures first, then the suppression list, then records grouped by collection.
func (s *Service) apply(ctx context.Context, br *bundle.Reader) (Report, error) {
	m := br.Manifest()
	rep := Report{FromReplica: m.Replica, From: m.Teammate, Conflicts: []Conflict{}}
	local, err := s.st.Versions() // what this copy held before: for telling concurrent writes
	if err != nil {
		return rep, err
	}
	names, err := s.names(ctx)
	if err != nil {
		return rep, err
	}
	if m.Teammate != "" {
		names[m.Replica] = m.Teammate
	}
	var erasures []string
	var sups []store.Suppression
	var batch []store.Record
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := s.mergeRecords(ctx, batch, m, local, names, &rep)
		batch = batch[:0]
		return err
	}
	phase := 0
	for {
		e, err := br.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return rep, err
		}
		switch {
		case e.Erasure != nil:
			erasures = append(erasures, e.Erasure.Subject)
		case e.Suppression != nil:
			sups = append(sups, *e.Suppression)
			if len(sups) >= 4096 {
				if err := s.addSuppressions(ctx, sups); err != nil {
					return rep, err
				}
				sups = sups[:0]
			}
		case e.Record != nil:
			if phase == 0 {
				// Erasures come first in a bundle: carry them out before any record, so that no
				// record about an erased person is taken.
				if err := s.erase(ctx, erasures, &rep); err != nil {
					return rep, err
				}
				if err := s.addSuppressions(ctx, sups); err != nil {
					return rep, err
				}
				erasures, sups, phase = nil, nil, 1
			}
			if !Travels(e.Record.Collection) {
				continue
			}
			if len(batch) > 0 && (batch[0].Collection != e.Record.Collection || len(batch) >= mergeBatch) {
				if err := flush(); err != nil {
					return rep, err
				}
			}
			batch = append(batch, *e.Record)
		}
	}
	if phase == 0 {
		if err := s.erase(ctx, erasures, &rep); err != nil {
			return rep, err
		}
		if err := s.addSuppressions(ctx, sups); err != nil {
			return rep, err
		}
	}
	if err := flush(); err != nil {
		return rep, err
	}
	err = s.st.Update(ctx, func(tx *store.Tx) error { return tx.RaiseVersions(m.Clock) })
	return rep, err
}

// erase carries out the bundle's erasures this copy has not made yet.
func (s *Service) erase(ctx context.Context, subjects []string, rep *Report) error {
	var fresh []string
	err := s.st.View(func(tx *store.Tx) error {
		for _, subject := range subjects {
			done, err := tx.Erased(subject)
			if err != nil {
				return err
			}
			if !done {
				fresh = append(fresh, subject)
			}
		}
		return nil
	})
	if err != nil || len(fresh) == 0 {
		return err
	}
	n, err := s.gdpr.EraseMerged(ctx, fresh)
	rep.Erased += n
	return err
}

func (s *Service) addSuppressions(ctx context.Context, sups []store.Suppression) error {
	if len(sups) == 0 {
		return nil
	}
	return s.st.Bulk(ctx, len(sups), func(tx *store.Tx, i int) error { return tx.AddSuppression(sups[i]) }, nil)
}

// mergeRecords merges one batch of records of one collection, through the service that keeps
// the collection's derived data, and adds to the report.
func (s *Service) mergeRecords(ctx context.Context, batch []store.Record, m bundle.Manifest, local map[string]hlc.Timestamp, names map[string]string, rep *Report) error {
	var results []store.MergeResult
	var err error
	switch batch[0].Collection {
	case members.Collection:
		results, err = s.members.MergeRecords(ctx, batch)
	case activity.Collection:
		results, err = s.activity.MergeRecords(ctx, batch)
	default:
		err = s.st.Update(ctx, func(tx *store.Tx) error {
			results = results[:0]
			for _, r := range batch {
				res, err := tx.Merge(r)
				if err != nil {
					return err
				}
				results = append(results, res)
			}
			return nil
		})
	}
	if err != nil {
		return err
	}
	for i, res := range results {
		in := batch[i]
		rep.Duplicates += len(res.Displaced)
		switch res.Action {
		case store.MergeAdded:
			rep.Added++
		case store.MergeUpdated:
			rep.Updated++
		case store.MergeDeleted:
			rep.Deleted++
		case store.MergeErased:
			rep.Unchanged++ // about a person erased here already: nothing to do
		case store.MergeCollided:
			rep.Duplicates++
		default:
			rep.Unchanged++
		}
		// The same version on both sides, or a record refused, cannot be a conflict.
		if res.Old != nil && res.Action != store.MergeErased && res.Action != store.MergeUnchanged {
			for _, c := range s.conflicts(*res.Old, in, local, m.Clock, names) {
				if len(rep.Conflicts) < maxConflicts {
					rep.Conflicts = append(rep.Conflicts, c)
				} else {
					rep.ConflictsLeftOut++
				}
			}
		}
	}
	return nil
}

// conflicts lists the fields two versions of a record wrote apart: the newer write won.
func (s *Service) conflicts(here, there store.Record, ours, theirs map[string]hlc.Timestamp, names map[string]string) []Conflict {
	var out []Conflict
	for _, c := range s.st.Conflicts(here.Collection, here, there, ours, theirs) {
		if c.Field == "updatedAt" {
			continue // every write sets it; not something a person chose
		}
		k := Conflict{Collection: here.Collection, ID: here.ID, Field: c.Field,
			Kept: orNull(c.Here), Other: orNull(c.There), KeptBy: nameOf(names, c.HereStamp.Replica), OtherBy: nameOf(names, c.ThereStamp.Replica),
			KeptAt: c.HereStamp.HLC.Time(), OtherAt: c.ThereStamp.HLC.Time(), Here: true}
		if c.ThereStamp.HLC > c.HereStamp.HLC || (c.ThereStamp.HLC == c.HereStamp.HLC && c.ThereStamp.Replica > c.HereStamp.Replica) {
			k.Kept, k.Other, k.KeptBy, k.OtherBy, k.KeptAt, k.OtherAt, k.Here = k.Other, k.Kept, k.OtherBy, k.KeptBy, k.OtherAt, k.KeptAt, false
		}
		out = append(out, k)
	}
	return out
}

func orNull(b json.RawMessage) json.RawMessage {
	if len(b) == 0 {
		return json.RawMessage("null")
	}
	return b
}

func nameOf(names map[string]string, replica string) string {
	if n := names[replica]; n != "" {
		return n
	}
	return replica
}
