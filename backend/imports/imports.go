// Package imports brings members in from spreadsheets: it reads a CSV or XLSX file with
// backend/importer, merges the rows of one person within the file, merges each batch into the workspace
// with members.Service.Merge, records consent evidence found in the file (Mailchimp opt-ins) in
// the consent ledger, and accounts for every row: created, updated, unchanged or rejected with its
// line, column and reason. Nothing is dropped silently; re-running the same file changes nothing;
// a crash mid-import leaves whole batches, and running the import again completes it.
package imports

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"hearth/backend/audit"
	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/importer"
	"hearth/backend/internal/leanheap"
	"hearth/backend/members"
	"hearth/backend/store"
)

// Request says what to import and how.
type Request struct {
	Path    string            `json:"path"`
	Sheet   string            `json:"sheet"`
	Mapping map[string]string `json:"mapping"`
	DryRun  bool              `json:"dryRun"`
	// Enrol lets automations enrol the members the import creates (the welcome sequence...) as
	// if they had signed up. Off by default: an import is not a sign-up.
	Enrol bool `json:"enrol"`
	// Lang is the language of the person importing ("en" or "fr"): numeric dates that the
	// file itself leaves ambiguous (03/04/2024) are read day first in French.
	Lang string `json:"lang"`
	// JobID, for background imports, is chosen by the caller so that it can listen for the
	// job's events before starting it.
	JobID string `json:"jobId"`
}

// RowError is why one row was rejected. Reason is a message code the UI translates; Message is
// the English text.
type RowError struct {
	Line   int    `json:"line"`
	Column string `json:"column"`
	// Field is the member field at fault ("emails[0]", "name", "tags[2]"), "" for the whole row.
	Field   string            `json:"field"`
	Reason  string            `json:"reason"`
	Message string            `json:"message"`
	Params  map[string]string `json:"params,omitempty"`
}

// Summary accounts for every row of an import.
type Summary struct {
	JobID     string `json:"jobId"`
	File      string `json:"file"`
	DryRun    bool   `json:"dryRun"`
	Cancelled bool   `json:"cancelled"`
	Created   int    `json:"created"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
	Rejected  int    `json:"rejected"`
	// Merged counts the rows merged into an earlier row of the file naming the same person (by
	// e-mail or handle): rows of one person make one member. Every row of the file is counted
	// once in Created, Updated, Unchanged, Rejected or Merged.
	Merged int `json:"merged"`
	// JoinDates counts the members (created, updated or unchanged) whose row gave a join date.
	JoinDates int `json:"joinDates"`
	// Errors lists the first rejected rows (at most 1,000, by line) and the consent evidence
	// left out; Rejected counts them all, and the rejected-rows file holds them all.
	Errors []RowError `json:"errors"`
	// ExpiredConsents counts, per purpose, the file's consent evidence already expired under the
	// purpose's current rule, with the rule and the expiry dates (dry runs included).
	ExpiredConsents []consent.Lapsed `json:"expiredConsents"`
}

// Progress is reported as rows are processed.
type Progress struct {
	Rows int `json:"rows"`
	// Fraction of the file processed, from 0 to 1 (an estimate for CSV files).
	Fraction float64 `json:"fraction"`
}

// Service runs imports.
type Service struct {
	st      *store.Store
	members *members.Service
	consent *consent.Service
	clock   clock.Clock
	before  func(ctx context.Context) error // SetBefore
}

// NewService wires imports over the member and consent services.
func NewService(st *store.Store, m *members.Service, c *consent.Service, clk clock.Clock) *Service {
	return &Service{st: st, members: m, consent: c, clock: clk}
}

// batchSize rows are merged per transaction.
const batchSize = 256

// reclaimAfter is how many members an import writes before it reclaims the value log's garbage
// at its end (store.Reclaim): each batch rewrote the member directory's last page and root.
const reclaimAfter = 20_000

// Run imports the file synchronously. It returns the summary so far with Cancelled set when ctx
// is cancelled between batches. rejected, when not nil, receives every rejected row's cells.
func (s *Service) Run(ctx context.Context, req Request, progress func(Progress), rejected func(importer.Rejected)) (sum Summary, err error) {
	sum = Summary{File: filepath.Base(req.Path), DryRun: req.DryRun, Errors: []RowError{}, ExpiredConsents: []consent.Lapsed{}}
	defer leanheap.Begin()() // every row's garbage, little kept: collect sooner
	if !req.DryRun {
		// The batches merge in bulk (members.MergeOptions.Bulk): whatever ends the import, the
		// directory entries of the members it created are written before it returns.
		defer func() {
			if ferr := s.members.Flush(context.WithoutCancel(ctx)); ferr != nil && err == nil {
				err = ferr
			}
		}()
	}
	scan, err := scanFile(req)
	if err != nil {
		return sum, err
	}
	if !req.DryRun {
		// Room for the members before the first batch: a disk filling up mid-way stops the
		// import between batches with disk_full (what was written stays, and is counted).
		if err := s.st.EnsureFree(scan.storedSize()); err != nil {
			return sum, err
		}
	}
	if s.before != nil && !req.DryRun {
		if err := s.before(ctx); err != nil {
			return sum, err
		}
	}
	total := scan.rows
	r, err := importer.Open(req.Path, importer.Options{Sheet: req.Sheet, Mapping: req.Mapping, DateOrder: scan.order})
	if err != nil {
		return sum, err
	}
	defer r.Close()
	info := r.Info()
	cols := columnsByField(info)
	by := "import " + sum.File
	reject := func(row importer.Row, e RowError) {
		sum.Rejected++
		sum.addError(e)
		if rejected != nil {
			rejected(importer.Rejected{Line: row.Line, Raw: row.Raw, Reason: Describe(req.Lang, e)})
		}
	}
	// The file is read (and its rows of one person gathered) on a goroutine of its own, a batch
	// ahead of the one being merged: reading and parsing overlap the writing, on two cores.
	batches := make(chan readBatch, 1)
	stop := make(chan struct{})
	go readBatches(r, scan.groups, s.members.Prepare, batches, stop)
	defer func() { // before r.Close: the reader is done with r
		close(stop)
		for range batches {
		}
	}()
	for b := range batches {
		if b.err != nil {
			return sum, b.err
		}
		sum.Merged += b.merged
		if ctx.Err() != nil {
			sum.Cancelled = true
			return sum, nil
		}
		if len(b.items) == 0 {
			continue
		}
		if err := s.mergeBatch(ctx, b.items, b.inputs, req.DryRun, req.Enrol, by, cols, &sum, reject); err != nil {
			return sum, err
		}
		if progress != nil {
			progress(Progress{Rows: b.rows, Fraction: min(1, float64(b.rows)/float64(max(total, 1)))})
		}
	}
	slices.SortStableFunc(sum.Errors, func(a, b RowError) int { return a.Line - b.Line })
	if !req.DryRun {
		if err := s.members.Flush(ctx); err != nil {
			return sum, err
		}
	}
	if !req.DryRun && sum.Created+sum.Updated >= reclaimAfter {
		s.st.Reclaim(64)
	}
	if !req.DryRun {
		params := map[string]string{"file": sum.File, "created": strconv.Itoa(sum.Created), "updated": strconv.Itoa(sum.Updated),
			"unchanged": strconv.Itoa(sum.Unchanged), "rejected": strconv.Itoa(sum.Rejected)}
		err = s.st.Update(ctx, func(tx *store.Tx) error {
			return audit.WriteParams(ctx, tx, s.clock.Now(), audit.MembersImported, "", params)
		})
	}
	return sum, err
}

// readBatch is one batch of rows read from the file, for Run to merge.
type readBatch struct {
	items  []pending
	inputs []members.Prepared // items' rows as members, normalized and validated
	rows   int                // rows read from the start of the file to the end of this batch
	merged int                // rows of this batch folded into an earlier row of the same person
	err    error
}

// readBatches reads r's rows into batches of batchSize, gathering the rows of one person (groups)
// into the first, prepares them as members (prepare), and sends them on out, the last possibly
// shorter (or empty, to carry the rows count), then closes out. It stops early when stop is
// closed.
func readBatches(r importer.Reader, groups plan, prepare func(members.CreateInput) members.Prepared, out chan<- readBatch, stop <-chan struct{}) {
	defer close(out)
	send := func(b readBatch) bool {
		b.inputs = make([]members.Prepared, len(b.items))
		for i, p := range b.items {
			b.inputs[i] = prepare(toInput(p.row))
		}
		select {
		case out <- b:
			return true
		case <-stop:
			return false
		}
	}
	gathering := map[int]*pending{} // groups of rows of one person, by first line, until their last row
	var cur readBatch
	rows := 0
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			cur.rows = rows
			send(cur)
			return
		}
		if err != nil {
			send(readBatch{err: err})
			return
		}
		rows++
		next := pending{row: row}
		if first, ok := groups.first[row.Line]; ok {
			p := gathering[first]
			if p == nil {
				p = &pending{row: row}
				gathering[first] = p
			} else {
				p.row = mergeRows(p.row, row)
				p.others = append(p.others, importer.Rejected{Line: row.Line, Raw: row.Raw})
				cur.merged++
			}
			if row.Line != groups.last[first] {
				continue
			}
			delete(gathering, first)
			next = *p
		}
		cur.items = append(cur.items, next)
		if len(cur.items) == batchSize {
			cur.rows = rows
			if !send(cur) {
				return
			}
			cur = readBatch{}
		}
	}
}

func (s *Service) mergeBatch(ctx context.Context, batch []pending, ins []members.Prepared, dryRun, enrol bool, by string, cols columns,
	sum *Summary, reject func(importer.Row, RowError)) error {
	out, err := s.members.MergePrepared(ctx, ins, members.MergeOptions{DryRun: dryRun, Enrol: enrol, Bulk: true})
	if err != nil {
		return err
	}
	var evidence []consent.Input
	for i, m := range out {
		row := batch[i].row
		switch m.Outcome {
		case members.Created:
			sum.Created++
		case members.Updated:
			sum.Updated++
		case members.Unchanged:
			sum.Unchanged++
		case members.Rejected:
			e := rowError(row, m.Err, cols)
			reject(row, e)
			// The rows merged into this one go with it, so the rejected-rows file has them all.
			for _, o := range batch[i].others {
				sum.Merged--
				e.Line = o.Line
				reject(importer.Row{Line: o.Line, Raw: o.Raw}, e)
			}
			continue
		}
		if row.Custom[importer.JoinDateKey] != "" {
			sum.JoinDates++
		}
		for _, ev := range row.Consent {
			evidence = append(evidence, consent.Input{MemberID: m.MemberID, Purpose: ev.Purpose, At: ev.At,
				Method: consent.MethodImport, By: by, Source: by,
				Proof: consent.Proof{IP: ev.IP, File: strings.TrimPrefix(by, "import "), Row: row.Line}})
		}
	}
	if err := s.tallyExpired(ctx, sum, evidence); err != nil {
		return err
	}
	if dryRun || len(evidence) == 0 {
		return nil
	}
	fresh, err := s.newEvidence(ctx, evidence)
	if err != nil || len(fresh) == 0 {
		return err
	}
	err = s.consent.RecordMany(ctx, consent.Granted, fresh, nil)
	if !errors.Is(err, errs.Invalid) {
		return err
	}
	// Some evidence is unusable (a date in the future, say): keep the rest, one by one, and say
	// which rows' evidence was left out. The members themselves are already imported.
	for _, ev := range fresh {
		if _, err := s.consent.Grant(ctx, ev); err != nil {
			if !errors.Is(err, errs.Invalid) {
				return err
			}
			sum.addError(RowError{Line: ev.Proof.Row, Column: cols.byField["consent:optin_time"],
				Reason: "consent_evidence", Message: "consent evidence not recorded: " + errs.From(err).Error()})
		}
	}
	return nil
}

// newEvidence drops evidence the ledger already holds (same member, purpose, time and method),
// so that importing the same file twice records it once.
func (s *Service) newEvidence(ctx context.Context, in []consent.Input) ([]consent.Input, error) {
	var out []consent.Input
	for _, ev := range in {
		hist, err := s.consent.History(ctx, ev.MemberID)
		if err != nil {
			return nil, err
		}
		known := false
		for _, h := range hist {
			if h.Purpose == ev.Purpose && h.Kind == consent.Granted && h.Method == consent.MethodImport && h.At.Equal(ev.At) {
				known = true
				break
			}
		}
		if !known {
			out = append(out, ev)
		}
	}
	return out, nil
}

func toInput(row importer.Row) members.CreateInput {
	hs := make([]members.Handle, len(row.Handles))
	for i, h := range row.Handles {
		hs[i] = members.Handle{Platform: h.Platform, Handle: h.Handle}
	}
	return members.CreateInput{Name: row.Name, Emails: row.Emails, Handles: hs, Tags: row.Tags, CustomFields: row.Custom, Notes: row.Notes}
}

// columns says which file column each member field came from.
type columns struct {
	byField map[string]string // member field -> the first column feeding it
	custom  []importer.Column // the columns kept as custom fields, in the file's order
}

func columnsByField(info importer.Info) columns {
	out := columns{byField: map[string]string{}}
	for _, c := range info.Columns {
		if _, ok := out.byField[c.Field]; !ok {
			out.byField[c.Field] = c.Header
		}
		if strings.HasPrefix(c.Field, importer.CustomPrefix) {
			out.custom = append(out.custom, c)
		}
	}
	return out
}

// overflow names the first custom column of row that goes beyond the most a member keeps.
func (c columns) overflow(row importer.Row, most int) string {
	n := 0
	for _, col := range c.custom {
		if col.Index < len(row.Raw) && strings.TrimSpace(row.Raw[col.Index]) != "" {
			if n++; n > most {
				return col.Header
			}
		}
	}
	return ""
}

// maxErrorsKept is how many rejected rows a summary lists: it counts them all, and the
// rejected-rows file holds them all, but two million bad rows must not be held in memory.
const maxErrorsKept = 1000

// addError lists e unless the summary lists maxErrorsKept errors already.
func (s *Summary) addError(e RowError) {
	if len(s.Errors) < maxErrorsKept {
		s.Errors = append(s.Errors, e)
	}
}

// rowError explains a rejected row with its first field error, named by the file's column.
func rowError(row importer.Row, e *errs.Error, cols columns) RowError {
	re := RowError{Line: row.Line, Reason: e.Code, Message: e.Msg}
	if len(e.Fields) == 0 {
		return re
	}
	f := e.Fields[0]
	re.Reason, re.Params, re.Field = f.Code, f.Params, f.Field
	re.Message = f.Field + ": " + f.Code
	switch {
	case f.Field == "emails" || f.Field == "emails[0]":
		re.Column = cols.byField["email"]
	case strings.HasPrefix(f.Field, "emails["):
		re.Column = cols.byField["email2"]
	case f.Field == "name":
		re.Column = first(cols.byField["name"], cols.byField["first_name"], cols.byField["last_name"])
	case strings.HasPrefix(f.Field, "tags"):
		re.Column = cols.byField["tags"]
	case strings.HasPrefix(f.Field, "handles"):
		for field, header := range cols.byField {
			if strings.HasPrefix(field, "handle:") {
				re.Column = header
			}
		}
	case f.Field == "customFields" && f.Code == "max":
		// More columns of other details than a member keeps: name the first one that does
		// not fit, not a blank column.
		most, _ := strconv.Atoi(f.Params["max"])
		re.Reason, re.Column = "too_many_columns", cols.overflow(row, most)
		re.Message = "more than " + f.Params["max"] + " custom fields"
	case strings.HasPrefix(f.Field, "customFields["):
		re.Column = strings.TrimSuffix(strings.TrimPrefix(f.Field, "customFields["), "]")
	case f.Field == "notes":
		re.Column = cols.byField["notes"]
	}
	if e.Code == "conflict" {
		re.Reason = "conflict"
	}
	return re
}

func first(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// fileScan is what a first reading of the file tells before importing it.
type fileScan struct {
	rows   int                // for the progress bar
	bytes  int64              // of the rows' cells, to tell how much room the import needs
	order  importer.DateOrder // how its numeric dates are written
	groups plan               // rows of one person
}

// scanFile reads the file once without importing anything (cheap next to merging the rows):
// it counts the rows, finds the rows of one person, and looks at every date cell to tell
// 03/04/2024 read day first from month first.
func scanFile(req Request) (fileScan, error) {
	var out fileScan
	r, err := importer.Open(req.Path, importer.Options{Sheet: req.Sheet, Mapping: req.Mapping, IdentitiesOnly: true})
	if err != nil {
		return out, err
	}
	defer r.Close()
	var dates []int
	for _, c := range r.Info().Columns {
		if importer.IsDateField(c.Field) {
			dates = append(dates, c.Index)
		}
	}
	var ev importer.DateEvidence
	g := newGroups()
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			out.order = ev.Order(req.Lang)
			out.groups = g.plan()
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out.rows++
		for _, c := range row.Raw {
			out.bytes += int64(len(c))
		}
		g.add(row)
		for _, i := range dates {
			if i < len(row.Raw) {
				ev.Add(row.Raw[i])
			}
		}
	}
}

// storedSize estimates the bytes the file's members take in the store: their values written
// as records, then again in the level tables, indexes and change stamps beside them.
func (f fileScan) storedSize() uint64 {
	return uint64(3*f.bytes) + uint64(f.rows)*256
}
