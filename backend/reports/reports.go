// Package reports writes the Excel workbooks a community manager hands to their managers: the
// KPI workbook (a summary sheet with the period's numbers compared with the previous period and
// native Excel charts, retention cohorts with a colour scale, engagement levels, super users,
// members gone quiet, and the member list) and the member list alone. It also keeps the
// schedule of the weekly KPI report written to a folder (Service, RunScheduled).
//
// The numbers come from analytics.KPIs; this package computes nothing, it lays them out. The
// member sheets are backend/exports' (the one writer of members to spreadsheets), and files
// are saved through exports.Service.Save: their owner's only, whole or not at all, and
// audited. Sheet names, headers and labels are in French or English (Options.Lang), dates in
// the workspace's zone, and every sheet prints on A4 landscape, fitted to the page's width.
package reports

import (
	"time"

	"hearth/backend/analytics"
	"hearth/backend/errs"
	"hearth/backend/exports"
)

// Options say how a workbook is written.
type Options struct {
	// Lang is the language of sheet names, headers and labels: "fr" or "en" (the default).
	Lang string
	// Zone is the time zone dates are shown in; the Service sets the workspace's (UTC when nil).
	Zone *time.Location
	// LevelOf, when set, gives a member's engagement level (1 to 4; 0 when unknown) for the
	// member sheets' Level column, which shows the level's name in Lang (empty for 0);
	// without it the column is left out.
	LevelOf func(memberID string) int
	// Progress, when set, is called with the number of members written so far, every
	// exports.ProgressEvery members and once at the end.
	Progress func(done int)
	// Now stamps the workbook's "generated" line (time.Now when zero).
	Now time.Time
	// Segment names the saved segment a KPI workbook's numbers are restricted to
	// (analytics.KPIsOf); the title says so. "" for the whole community.
	Segment string
}

func (o Options) zone() *time.Location {
	if o.Zone == nil {
		return time.UTC
	}
	return o.Zone
}

// levelNames names members' levels in the workbook's language for the member sheets' Level
// column, from o.LevelOf (nil without it).
func (o Options) levelNames(w words) func(memberID string) string {
	if o.LevelOf == nil {
		return nil
	}
	return func(id string) string {
		l := o.LevelOf(id)
		if l <= 0 || l >= len(analytics.LevelNames) {
			return "" // teammates, and members unknown to the analytics
		}
		return w.level(l, analytics.LevelNames[l])
	}
}

func (o Options) lang() string { return exports.Lang(o.Lang) }

func writeError(err error, path string) error {
	if e := errs.NoRoomFor(path, err); e != nil {
		return e
	}
	return errs.Wrap(errs.Unavailable, "report_write", err, "reports: write "+path).With("path", path)
}

func internal(err error, what string) error {
	return errs.Wrap(errs.Internal, "internal", err, "reports: "+what)
}
