// Package importer turns a member list exported from a spreadsheet, a Mailchimp audience or a
// Discourse admin user list into a stream of normalised rows.
//
// It is a pure parsing library: it knows nothing of the store or of members, never drops a row
// (cell-level trouble such as a bad date is reported as a Problem on the row), and reads any
// file in bounded memory. CSV files are decoded from UTF-8 (with or without BOM), UTF-16 (BOM)
// or Windows-1252, and their delimiter (, ; tab |) is detected; XLSX sheets are read with
// excelize's streaming row iterator. Headers are mapped to member fields case- and
// accent-insensitively in English and French; Options.Mapping overrides the guess per header.
//
// Platform exports are recognised from their headers and mapped with platform knowledge:
//
//   - Mailchimp audience: OPTIN_TIME/OPTIN_IP/CONFIRM_TIME/CONFIRM_IP become newsletter consent
//     Evidence (times are UTC), TAGS become tags, MEMBER_RATING is kept as custom
//     "member_rating". Geolocation and bookkeeping columns (LEID, EUID, LATITUDE, LONGITUDE,
//     GMTOFF, DSTOFF, TIMEZONE, CC, REGION, LAST_CHANGED, unsubscribe/clean campaign columns)
//     are dropped. A row of an unsubscribed or cleaned export carries no consent Evidence; its
//     UNSUB_TIME/CLEAN_TIME are kept as custom "unsubscribed_at"/"cleaned_at".
//   - Discourse user list: username becomes a discourse handle, secondary_emails extra e-mails,
//     group_names tags, created_at the join date; trust_level, last_seen_at (as
//     "last_seen"), location and website are kept as custom fields. Every other column Discourse
//     itself writes (ids, counters, flags, and ip_address, registration_ip_address: an IP from a
//     forum is never kept) is dropped; site-specific user fields are kept as custom fields.
package importer

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"hearth/backend/errs"
)

// Options tune how a file is read.
type Options struct {
	// Sheet is the XLSX sheet to read; "" reads the first sheet.
	Sheet string
	// Mapping maps a header (as written, or folded like the automatic mapping) to a field from
	// Fields, overriding the automatic mapping; "ignore" skips the column.
	Mapping map[string]string
	// DateOrder is how numeric dates are read; DateEvidence.Order finds it from the file.
	DateOrder DateOrder
	// IdentitiesOnly builds only each row's e-mails and handles (Raw holds every cell): for a
	// first reading that finds the rows naming the same person, at a fraction of the cost.
	IdentitiesOnly bool
}

// Source is the kind of export a file was recognised as.
type Source string

// The recognised sources.
const (
	SourceGeneric   Source = "generic"
	SourceMailchimp Source = "mailchimp"
	SourceDiscourse Source = "discourse"
)

// Column says which field one column of the file feeds.
type Column struct {
	Index  int    `json:"index"`
	Header string `json:"header"`
	Field  string `json:"field"`
	// Auto is true when Field was guessed from the header rather than set by Options.Mapping.
	Auto bool `json:"auto"`
}

// Handle is a person's name on a platform ("discourse", "discord", "mastodon" or "other").
type Handle struct {
	Platform string `json:"platform"`
	Handle   string `json:"handle"`
}

// Evidence is consent evidence found in the file (a Mailchimp opt-in and its confirmation).
type Evidence struct {
	Purpose string `json:"purpose"` // "newsletter"
	// At is the confirmation time if present, else the opt-in time.
	At time.Time `json:"at"`
	// IP is the confirmation IP if present, else the opt-in IP.
	IP      string    `json:"ip"`
	OptinAt time.Time `json:"optinAt"`
	OptinIP string    `json:"optinIp"`
}

// Problem is a cell-level problem found while parsing, for example
// {Column: "OPTIN_TIME", Code: "date", Value: "yesterday"}. Codes: "date" (not a date),
// "ip" (not an IP address, dropped), "extra_cell" (a cell beyond the header, whose Column is
// then the 1-based column position).
type Problem struct {
	Column string `json:"column"`
	Code   string `json:"code"`
	Value  string `json:"value"`
}

// Row is one normalised record of the file.
type Row struct {
	// Line is 1-based: the CSV line where the record starts (physical lines, so a quoted
	// field's embedded newlines count) or the XLSX row number.
	Line int `json:"line"`
	// Name is "First Last" when first/last name columns are filled, else the name column.
	Name string `json:"name"`
	// Emails lists the row's addresses, primary first, without duplicates.
	Emails  []string `json:"emails"`
	Handles []Handle `json:"handles"`
	Tags    []string `json:"tags"`
	// Custom holds unknown columns (keyed by header as written) and kept platform extras
	// (phone, city, trust_level, last_seen...). The join date is Custom[JoinDateKey], as
	// "2006-01-02" or RFC 3339: from a join-date column (the earliest when several), else the
	// earliest of a Mailchimp opt-in and confirmation.
	Custom  map[string]string `json:"custom"`
	Notes   string            `json:"notes"`
	Consent []Evidence        `json:"consent"`
	// Raw is the row's cells as read, for the "rejected rows" file.
	Raw      []string  `json:"raw"`
	Problems []Problem `json:"problems"`
}

// Info describes an opened file and how its columns are mapped.
type Info struct {
	Format string `json:"format"` // "csv" or "xlsx"
	Source Source `json:"source"`
	// Encoding is the detected text encoding of a CSV file: "utf-8", "utf-8-bom", "utf-16le",
	// "utf-16be" or "windows-1252".
	Encoding string `json:"encoding"`
	// Delimiter is the detected CSV delimiter: ",", ";", "\t" or "|".
	Delimiter string   `json:"delimiter"`
	Sheets    []string `json:"sheets"`
	Sheet     string   `json:"sheet"`
	Header    []string `json:"header"`
	Columns   []Column `json:"columns"`
}

// Reader streams the rows of a file.
type Reader interface {
	// Info describes the file; it is complete as soon as the Reader is returned.
	Info() Info
	// Next returns the next non-blank row, or io.EOF after the last one.
	Next() (Row, error)
	// Close releases the file.
	Close() error
}

// Magic numbers of the container formats we sniff.
var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1} // .xls, encrypted .xlsx
)

// Open reads the file at path as CSV (.csv, .tsv, .txt) or XLSX (.xlsx, or any file that
// starts like a zip archive: people rename files).
func Open(path string, opts Options) (Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errs.Wrap(errs.NotFound, "import_file_not_found", err, "importer: no such file").With("path", path)
		}
		return nil, unreadable(err, "cannot open the file")
	}
	head := make([]byte, len(oleMagic))
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		f.Close()
		return nil, unreadable(err, "cannot read the file")
	}
	head = head[:n]
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case bytes.HasPrefix(head, zipMagic):
		f.Close()
		return openXLSXFile(path, opts)
	case bytes.HasPrefix(head, oleMagic):
		f.Close()
		return nil, errs.New(errs.Invalid, "import_unreadable", "importer: old .xls or password-protected workbooks are not supported; save it as .xlsx or .csv").With("format", "xls")
	case ext == ".xlsx" || ext == ".xlsm":
		f.Close()
		return nil, errs.New(errs.Invalid, "import_unreadable", "importer: the file is not a valid .xlsx workbook").With("format", "xlsx")
	case ext == ".csv" || ext == ".tsv" || ext == ".txt" || ext == "":
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			f.Close()
			return nil, unreadable(err, "cannot read the file")
		}
		r, err := newCSVReader(f, opts, f)
		if err != nil {
			f.Close()
			return nil, err
		}
		return r, nil
	default:
		f.Close()
		return nil, errs.New(errs.Invalid, "import_unreadable", "importer: unsupported file type "+ext).With("format", strings.TrimPrefix(ext, "."))
	}
}

func unreadable(cause error, msg string) *errs.Error {
	return errs.Wrap(errs.Invalid, "import_unreadable", cause, "importer: "+msg)
}
