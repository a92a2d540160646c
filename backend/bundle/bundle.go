// Package bundle reads and writes team bundles: the one file a teammate's copy of a workspace
// travels in (see docs/BUNDLE.md for the format and backend/team for what is done with it).
//
// A bundle is age(gzip(JSON lines)): encrypted with filippo.io/age to a passphrase or to
// teammates' public keys, so the standard age command opens it; compressed with gzip; inside,
// one JSON object per line, each with a "t" field naming its type, in a fixed order: one
// manifest, the erasures, the suppression entries, the records, and an end line that counts
// them. A Writer refuses to write out of that order; a Reader refuses a bundle that breaks it.
//
// Both sides stream: memory stays bounded whatever the bundle's size (one line at a time, and a
// line longer than MaxLine is refused as damaged). A Reader returns io.EOF only after the end
// line, with its counts checked, the gzip checksum verified and age's last chunk authenticated;
// until then every entry it hands out is authenticated by age but the bundle as a whole may
// still turn out truncated, so callers apply entries in a way they can roll back.
//
// Every refusal is an *errs.Error with a code the window and the CLI translate:
// bundle_wrong_passphrase and bundle_wrong_key (nothing given opens it), bundle_damaged
// (tampered with or damaged), bundle_truncated (ends early), bundle_not_hearth (not age, or
// not a Hearth bundle), bundle_newer_version (made by a newer Hearth; its "version" parameter
// says which format), bundle_unreadable (the file itself could not be read).
package bundle

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"hearth/backend/errs"
	"hearth/backend/hlc"
	"hearth/backend/store"
)

// Format is the manifest's "format": what says a decrypted file is a Hearth bundle.
const Format = "hearth-bundle"

// Version is the format version this package writes, and the newest it reads. Version 1 is the
// first. A later Hearth that writes version N+1 keeps reading every earlier version (converting
// it as it reads, as schema migrations do); a bundle of a newer version than this is refused
// with bundle_newer_version, never half-read.
const Version = 1

// MaxLine is the longest line a bundle may hold, newline excluded. A Writer refuses an entry
// whose line would be longer; a Reader refuses such a line as damaged without holding it.
const MaxLine = 16 << 20

// HashKeySize is the length of the workspace's hashing secret (Manifest.HashKey).
const HashKeySize = 32

// Limits on identifiers, far above what Hearth makes, so that a hostile bundle cannot make a
// copy write huge keys.
const (
	maxCollection = 128
	maxID         = 4096
)

// Manifest is a bundle's first line: what workspace it is a copy of, who sent it, and what it
// holds.
type Manifest struct {
	// Format is always Format.
	Format string `json:"format"`
	// Version is the bundle format's version (see Version).
	Version int `json:"version"`
	// Schema is the sender's store schema version. The bundle package does not judge it: the
	// merge compares it with its own.
	Schema int `json:"schema"`
	// Workspace is the id shared by every copy of the workspace.
	Workspace string `json:"workspace"`
	// HashKey is the workspace's hashing secret (HashKeySize bytes, base64 in JSON), which copies
	// share so that a hashed index value or suppression entry means the same on every copy.
	HashKey []byte `json:"hashKey"`
	// Replica is the id of the sender's copy.
	Replica string `json:"replica"`
	// Teammate is the sender's name, as they set it (may be empty).
	Teammate string `json:"teammate"`
	// CreatedAt is when the bundle was written.
	CreatedAt time.Time `json:"createdAt"`
	// Clock is the sender's version vector: for each replica, the highest stamp of its writes
	// the sender holds.
	Clock map[string]hlc.Timestamp `json:"clock"`
	// Since, in a bundle of changes only, is the version vector the bundle was cut from: it
	// holds every record written after it (and every erasure and suppression entry), not the
	// records a copy holding Since holds already. Absent from a whole bundle.
	Since map[string]hlc.Timestamp `json:"since,omitempty"`
}

// Entry is one entry of a bundle after its manifest: exactly one field is set.
type Entry struct {
	Erasure     *store.Erasure
	Suppression *store.Suppression
	Record      *store.Record
}

// Line types (the "t" field).
const (
	typeManifest    = "manifest"
	typeErasure     = "erasure"
	typeSuppression = "suppression"
	typeRecord      = "record"
	typeEnd         = "end"
)

// Sections of a bundle in their order; an entry may not follow one of a later section.
const (
	sectionErasures = iota
	sectionSuppressions
	sectionRecords
	sectionEnd
)

// The lines as they are written: the type first, then the fields of what they carry. The
// embedded store types have no field named "t", so nothing is ambiguous.
type (
	manifestLine struct {
		T string `json:"t"`
		Manifest
	}
	erasureLine struct {
		T string `json:"t"`
		store.Erasure
	}
	suppressionLine struct {
		T string `json:"t"`
		store.Suppression
	}
	recordLine struct {
		T string `json:"t"`
		store.Record
	}
	endLine struct {
		T            string `json:"t"`
		Erasures     int64  `json:"erasures"`
		Suppressions int64  `json:"suppressions"`
		Records      int64  `json:"records"`
	}
)

// checkManifest says what is wrong with a manifest whose format and version are right, or "".
func checkManifest(m *Manifest) string {
	switch {
	case m.Schema < 1:
		return "no schema version"
	case !goodID(m.Workspace, maxID):
		return "bad workspace id"
	case len(m.HashKey) != HashKeySize:
		return "the hashing secret is not 32 bytes"
	case !goodID(m.Replica, maxID):
		return "bad replica id"
	case m.CreatedAt.IsZero():
		return "no creation time"
	}
	for replica := range m.Clock {
		if !goodID(replica, maxID) {
			return "bad replica id in the clock"
		}
	}
	for replica := range m.Since {
		if !goodID(replica, maxID) {
			return "bad replica id in since"
		}
	}
	return ""
}

// checkErasure says what is wrong with an erasure, or "".
func checkErasure(e *store.Erasure) string {
	if !goodID(e.Subject, maxID) {
		return "erasure: bad subject"
	}
	return ""
}

// checkSuppression says what is wrong with a suppression entry, or "".
func checkSuppression(s *store.Suppression) string {
	switch {
	case !goodID(s.Kind, maxCollection) || strings.Contains(s.Kind, "/"):
		return "suppression: bad kind"
	case !goodID(s.Hash, maxCollection) || strings.Contains(s.Hash, "/"):
		return "suppression: bad hash"
	}
	return ""
}

// checkRecord says what is wrong with a record, or "". A collection holds no "/" (the store's
// keys are r/<collection>/<id>); an id may.
func checkRecord(r *store.Record) string {
	switch {
	case !goodID(r.Collection, maxCollection) || strings.Contains(r.Collection, "/"):
		return "record: bad collection"
	case !goodID(r.ID, maxID):
		return "record: bad id"
	case r.HLC == 0:
		return "record " + r.Collection + "/" + r.ID + ": no clock stamp"
	case !goodID(r.Replica, maxID):
		return "record " + r.Collection + "/" + r.ID + ": bad replica id"
	case r.Subject != "" && !goodID(r.Subject, maxID):
		return "record " + r.Collection + "/" + r.ID + ": bad subject"
	case r.Sealed && r.Subject == "":
		return "record " + r.Collection + "/" + r.ID + ": sealed without a subject"
	case r.Deleted && hasData(r.Data):
		return "record " + r.Collection + "/" + r.ID + ": a tombstone with data"
	case !r.Deleted && !hasData(r.Data):
		return "record " + r.Collection + "/" + r.ID + ": no data"
	}
	return ""
}

func hasData(d json.RawMessage) bool {
	d = bytes.TrimSpace(d)
	return len(d) > 0 && !bytes.Equal(d, []byte("null"))
}

// goodID reports whether s can name something in the store: not empty, at most max bytes,
// valid UTF-8, and free of NUL (the separator of index keys) and other control characters.
func goodID(s string, max int) bool {
	if s == "" || len(s) > max || !utf8.ValidString(s) {
		return false
	}
	for _, c := range s {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}

// The refusals. Their codes are written out at each call so that the catalogs' test finds them.

func damaged(cause error, why string) error {
	return errs.Wrap(errs.Invalid, "bundle_damaged", cause, "bundle: tampered with or damaged: "+why)
}

func truncated(cause error, why string) error {
	return errs.Wrap(errs.Invalid, "bundle_truncated", cause, "bundle: truncated: "+why)
}

func notHearth(cause error, why string) error {
	return errs.Wrap(errs.Invalid, "bundle_not_hearth", cause, "bundle: not a Hearth bundle: "+why)
}
