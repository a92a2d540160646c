// Package reports writes the Excel workbooks a community manager hands to their managers: the
// KPI workbook (a summary sheet with the period's numbers compared with the previous period and
// native Excel charts, retention cohorts with a colour scale, engagement levels, super users,
// members gone quiet, and the member list) and the member list alone. It also keeps the
// schedule of the weekly KPI report written to a folder (Service, RunScheduled).
//
// The numbers come from analytics.KPIs; this package computes nothing, it lays them out. Big
// sheets are streamed (excelize's StreamWriter), so memory stays flat whatever the number of
// members, and a list longer than one sheet can hold continues on "Members (2)", "Members (3)"…
// Sheet names, headers and labels are in French or English (Options.Lang). Files are written
// with privatefile: readable by their owner only, and a failed or cancelled report never leaves
// half a workbook where the person expects a whole one.
package reports

import (
	"context"
	"errors"
	"io"
	"iter"
	"time"

	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/privatefile"
)

// RowsPerSheet is the number of data rows one member sheet holds before the list continues on
// the next sheet: Excel's 1,048,576 rows minus the header. A variable so tests can lower it.
var RowsPerSheet = 1_048_575

// Options say how a workbook is written.
type Options struct {
	// Lang is the language of sheet names, headers and labels: "fr" or "en" (the default).
	Lang string
	// Zone is the time zone dates are shown in (the workspace's; time.Local when nil).
	Zone *time.Location
	// LevelOf, when set, gives a member's engagement level (1 to 4; 0 when unknown) for the
	// member sheets' Level column, which shows the level's name in Lang (empty for 0);
	// without it the column is left out.
	LevelOf func(memberID string) int
	// Progress, when set, is called with the number of members written so far, every
	// ProgressEvery members and once at the end.
	Progress func(done int)
	// Now stamps the workbook's "generated" line (time.Now when zero).
	Now time.Time
}

// ProgressEvery is how many member rows are written between two Progress calls.
const ProgressEvery = 5000

func (o Options) zone() *time.Location {
	if o.Zone == nil {
		return time.Local
	}
	return o.Zone
}

func (o Options) lang() string {
	if o.Lang == "fr" {
		return "fr"
	}
	return "en"
}

// Members is the sequence of members a workbook lists; a non-nil error stops the workbook.
type Members = iter.Seq2[members.Member, error]

// Lister is what MembersOf needs from the member service.
type Lister interface {
	List(ctx context.Context, q members.ListQuery) (members.Page, error)
}

// MembersOf pages through every member of src in name order, members.MaxLimit at a time.
func MembersOf(ctx context.Context, src Lister) Members {
	return func(yield func(members.Member, error) bool) {
		const page = members.MaxLimit
		for offset := 0; ; offset += page {
			p, err := src.List(ctx, members.ListQuery{Offset: offset, Limit: page})
			if err != nil {
				yield(members.Member{}, err)
				return
			}
			for _, m := range p.Items {
				if !yield(m, nil) {
					return
				}
			}
			if offset+page >= p.Total || len(p.Items) == 0 {
				return
			}
		}
	}
}

// MemberSlice is a Members over a slice, for tests and small lists.
func MemberSlice(ms []members.Member) Members {
	return func(yield func(members.Member, error) bool) {
		for _, m := range ms {
			if !yield(m, nil) {
				return
			}
		}
	}
}

// toFile writes a workbook to path, readable by its owner only and replaced whole or not at
// all (privatefile).
func toFile(path string, write func(w io.Writer) (int, error)) (int, error) {
	var n int
	err := privatefile.Write(path, func(w io.Writer) (err error) {
		n, err = write(w)
		return err
	})
	var fe *privatefile.Error
	if errors.As(err, &fe) {
		err = writeError(err, path)
	}
	return n, err
}

func writeError(err error, path string) error {
	return errs.Wrap(errs.Unavailable, "report_write", err, "reports: write "+path).With("path", path)
}

func internal(err error, what string) error {
	return errs.Wrap(errs.Internal, "internal", err, "reports: "+what)
}

func cancelled(err error) error {
	return errs.Wrap(errs.Unavailable, "cancelled", err, "reports: cancelled")
}
