// Package exports is the one writer of members to spreadsheets, and the one door through which
// a file of members' personal data leaves Hearth.
//
// Members are written as XLSX (bold frozen header repeated on every printed page, autofilter,
// real date cells in the workspace's zone, numbers as numbers, one column per custom field,
// A4 landscape fitted to the page's width) or CSV (UTF-8 with a byte-order mark so that Excel
// reads accents right). The same sheets make up the member list of the KPI workbook
// (backend/reports writes them with WriteSheets). Members are listed oldest first and each is
// read once (rows.go says how the custom fields' columns are known before the first row);
// memory stays flat whatever the number of members, and a list longer than one sheet can hold
// continues on "Members (2)"…
//
// Service.Save is where every export of members is audited: it writes the file with
// privatefile (its owner's only, whole or not at all) and records one audit entry, so that no
// adapter has to remember to.
package exports

import (
	"context"
	"errors"
	"io"
	"iter"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"hearth/backend/audit"
	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/internal/leanheap"
	"hearth/backend/members"
	"hearth/backend/privatefile"
)

// Request is what the window asks to export: the members list's filter and the format.
type Request struct {
	Format string `json:"format"` // "xlsx" or "csv"
	Tag    string `json:"tag"`
	Search string `json:"search"`
	// Segment, when set, keeps only the members of that saved segment now (its id or name).
	Segment string `json:"segment,omitempty"`
	// Lang is the language of the header row: "fr" or "en" (the workspace's when empty).
	Lang string `json:"lang"`
}

// Query is the member list's query the request selects.
func (r Request) Query() members.ListQuery { return members.ListQuery{Tag: r.Tag, Search: r.Search} }

// Options say how members are written.
type Options struct {
	// Format is "xlsx" or "csv".
	Format string
	// Lang is the language of sheet names and headers: "fr" (also "fr-FR", "fr_FR.UTF-8"…)
	// or "en" (the default).
	Lang string
	// Zone is the time zone dates are shown in. Service fills it with the workspace's.
	Zone *time.Location
	// Level, when set, names a member's engagement level for a Level column ("" when
	// unknown); without it the column is left out. Members are read on two goroutines at
	// once: it must be safe for concurrent use.
	Level func(memberID string) string
	// Progress, when set, is called with the number of members written so far, every
	// ProgressEvery members and once at the end.
	Progress func(done int)
}

// ProgressEvery is how many member rows are written between two Progress calls.
const ProgressEvery = 5000

// Lang reads a language tag as "fr" or "en".
func Lang(tag string) string {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(tag)), "fr") {
		return "fr"
	}
	return "en"
}

func (o Options) zone() *time.Location {
	if o.Zone == nil {
		return time.UTC
	}
	return o.Zone
}

// MemberSeq is the members a spreadsheet lists, as MembersOf, MemberSlice or Seq give them.
// A writer reads them once.
type MemberSeq struct {
	// read calls oldest with the first members, in order, and newest with the others, last
	// first, possibly at the same time on another goroutine; an error stops it.
	read func(oldest, newest func(m members.Member) error) error
}

// Source is what MembersOf reads members from: the member service.
type Source interface {
	EachFromBothEnds(ctx context.Context, q members.ListQuery, oldest, newest func(m members.Member) error) error
}

var _ Source = (*members.Service)(nil)

// MembersOf is every member of src matching q's Search and Tag (its Sort, Offset and Limit
// ignored), oldest first, each read once, from both ends at once on two cores.
func MembersOf(ctx context.Context, src Source, q members.ListQuery) MemberSeq {
	return MemberSeq{read: func(oldest, newest func(members.Member) error) error {
		return src.EachFromBothEnds(ctx, q, oldest, newest)
	}}
}

// Where is the members of s that keep accepts (a segment's), in the same order, read as s is.
func (s MemberSeq) Where(keep func(members.Member) bool) MemberSeq {
	filter := func(fn func(members.Member) error) func(members.Member) error {
		return func(m members.Member) error {
			if !keep(m) {
				return nil
			}
			return fn(m)
		}
	}
	return MemberSeq{read: func(oldest, newest func(members.Member) error) error {
		return s.read(filter(oldest), filter(newest))
	}}
}

// Seq is the members of seq, in its order; its error stops the writer.
func Seq(seq iter.Seq2[members.Member, error]) MemberSeq {
	return MemberSeq{read: func(oldest, _ func(members.Member) error) error {
		for m, err := range seq {
			if err == nil {
				err = oldest(m)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}}
}

// MemberSlice is the members of ms, in order, for tests and small lists.
func MemberSlice(ms []members.Member) MemberSeq {
	return MemberSeq{read: func(oldest, _ func(members.Member) error) error {
		for _, m := range ms {
			if err := oldest(m); err != nil {
				return err
			}
		}
		return nil
	}}
}

// Write writes the members of ms to w as o.Format and returns how many it wrote.
func Write(ctx context.Context, w io.Writer, ms MemberSeq, o Options) (int, error) {
	defer leanheap.Begin()()
	switch o.Format {
	case "csv":
		return writeCSV(ctx, w, ms, o)
	case "xlsx":
		return writeXLSX(ctx, w, ms, o)
	}
	return 0, errs.Fields("exports: unknown format", errs.Field("format", "oneof", "value", "xlsx csv"))
}

// Members writes the members src lists that match req to w, dates in UTC: a member list
// handed to a program (a test, a pipe), not saved, so not audited; files go through Service.
func Members(ctx context.Context, src Source, w io.Writer, req Request) (int, error) {
	return Write(ctx, w, MembersOf(ctx, src, req.Query()), Options{Format: req.Format, Lang: req.Lang})
}

// Recorder is the audit log, as exports record in it.
type Recorder interface {
	Record(ctx context.Context, at time.Time, action, memberID string, params map[string]string) error
}

var _ Recorder = (*audit.Log)(nil)

// Service writes files of members' personal data and audits each one.
type Service struct {
	log   Recorder
	clock clock.Clock
	zone  *time.Location
}

// NewService writes exports whose dates are shown in zone (the workspace's), recorded in log
// at the time clk tells.
func NewService(log Recorder, clk clock.Clock, zone *time.Location) *Service {
	if clk == nil {
		clk = clock.System{}
	}
	if zone == nil {
		zone = time.UTC
	}
	return &Service{log: log, clock: clk, zone: zone}
}

// Zone is the time zone the service's files show dates in.
func (s *Service) Zone() *time.Location { return s.zone }

// Save writes a file of members' personal data to path with privatefile (its owner's only,
// whole or not at all), then records one "members_exported" entry in the audit log with the
// number of members write reports and the file's base name. Every export of members, whatever
// the file (a member list, a KPI workbook), goes through here.
func (s *Service) Save(ctx context.Context, path string, write func(w io.Writer) (int, error)) (int, error) {
	var n int
	err := privatefile.Write(path, func(w io.Writer) (err error) {
		n, err = write(w)
		return err
	})
	if e := errs.NoRoomFor(path, err); e != nil {
		return n, e
	}
	if fe := (*privatefile.Error)(nil); errors.As(err, &fe) {
		return n, errs.Wrap(errs.Unavailable, "export_write", err, "exports: write "+path).With("path", path)
	}
	if err != nil {
		return n, err
	}
	return n, s.log.Record(ctx, s.clock.Now(), audit.MembersExported, "",
		map[string]string{"count": strconv.Itoa(n), "file": filepath.Base(path)})
}

// ToFile writes the members of ms to path as o.Format (dates in the service's zone) and
// audits the export.
func (s *Service) ToFile(ctx context.Context, path string, ms MemberSeq, o Options) (int, error) {
	if o.Format != "xlsx" && o.Format != "csv" {
		return 0, errs.Fields("exports: unknown format", errs.Field("format", "oneof", "value", "xlsx csv"))
	}
	o.Zone = s.zone
	return s.Save(ctx, path, func(w io.Writer) (int, error) { return Write(ctx, w, ms, o) })
}
