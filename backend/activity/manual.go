package activity

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"hearth/backend/connections"
	"hearth/backend/errs"
	"hearth/backend/internal/leanheap"
	"hearth/backend/members"
	"hearth/backend/store"
	"hearth/backend/textfold"
)

// Manual is the pseudo connection that activity entered by hand or imported from a file is
// stored under: its records have Connection "manual" and Platform "manual".
var Manual = connections.Connection{ID: "manual", Name: "manual", Platform: "manual"}

// ManualKinds are the kinds a manual entry may have: every kind done by a member (feed
// articles are about nobody).
var ManualKinds = []Kind{Post, Reply, Message, Reaction, Join, Follow, Mention, Event, Goal}

// ManualInput is one activity entered by hand or read from a file.
type ManualInput struct {
	// Member names who did it: an e-mail, a member id, a handle on one platform
	// ("discord:kim") or a bare handle looked up on every platform ("kim").
	Member  string    `json:"member"`
	Kind    Kind      `json:"kind"`
	At      time.Time `json:"at"`
	Channel string    `json:"channel,omitempty"`
	Title   string    `json:"title,omitempty"`
	Text    string    `json:"text,omitempty"`
	// ID optionally names the entry (at most MaxRemoteID bytes): it is the record's remote id,
	// so that an entry with the same ID is the same entry, and replies can name their thread by
	// it. Without an ID an entry is named by its member, kind, time and channel.
	ID string `json:"id,omitempty"`
	// Thread is the conversation the entry belongs to: the ID of the conversation's first
	// entry (at most MaxThread bytes). A post or message with an ID and no Thread starts the
	// thread named by its ID; a reply with a Thread answers in it.
	Thread string `json:"thread,omitempty"`
}

// ManualOutcome is what AddManual did with one input.
type ManualOutcome string

// The manual outcomes.
const (
	ManualStored    ManualOutcome = "stored"    // a new record
	ManualUnchanged ManualOutcome = "unchanged" // the same entry was stored before (or earlier in the call)
	ManualRejected  ManualOutcome = "rejected"  // see Errors
)

// ManualResult is the outcome of one input, in the order of the inputs.
type ManualResult struct {
	Outcome ManualOutcome `json:"outcome"`
	// ID is the activity record's id, and MemberID its member (stored or unchanged).
	ID       string `json:"id,omitempty"`
	MemberID string `json:"memberId,omitempty"`
	// Errors name the input's fields at fault ("member", "kind", "at", "id", "thread") with a
	// message code: required; member_not_found or member_ambiguous (Params "value": the
	// reference); kind (not one of ManualKinds, listed in Params "value"); max (an id or thread
	// longer than Params "max" bytes); invalid (an id or thread holding a NUL character).
	Errors []errs.FieldError `json:"errors,omitempty"`
}

// AddManual stores activity entered by hand. Each input is checked on its own: an unknown
// member, kind or a missing time rejects that input only, the others are stored. The same
// entry (the same ID, else member, kind, time to the nanosecond and channel) is stored once,
// however often it is given, so importing a file twice stores nothing new. Records go through
// the ingest write path under the Manual connection, as if a platform had reported them.
func (s *Service) AddManual(ctx context.Context, ins []ManualInput) ([]ManualResult, error) {
	return s.addManual(ctx, ins, map[string]refAnswer{}, true)
}

// addManual is AddManual with the answers to member references already looked up (by
// reference), to which it adds those it looks up. Without withIDs the results carry no record
// id (an import's summary names none: one index lookup a line saved).
func (s *Service) addManual(ctx context.Context, ins []ManualInput, resolved map[string]refAnswer, withIDs bool) ([]ManualResult, error) {
	out := make([]ManualResult, len(ins))
	remotes := make([]string, len(ins))
	kinds := make([]Kind, len(ins))
	threads := make([]string, len(ins))
	for i, in := range ins {
		var fields []errs.FieldError
		kind := Kind(strings.ToLower(strings.TrimSpace(string(in.Kind))))
		switch {
		case kind == "":
			fields = append(fields, errs.Field("kind", "required"))
		case !slices.Contains(ManualKinds, kind):
			fields = append(fields, errs.Field("kind", "kind", "value", kindList()))
		}
		if in.At.IsZero() {
			fields = append(fields, errs.Field("at", "required"))
		}
		id, thread := strings.TrimSpace(in.ID), strings.TrimSpace(in.Thread)
		fields = append(fields, checkName("id", id, MaxRemoteID)...)
		fields = append(fields, checkName("thread", thread, MaxThread)...)
		ref := strings.TrimSpace(in.Member)
		ans, seen := resolved[ref]
		if !seen {
			var err error
			if ans, err = s.resolveMember(ctx, ref); err != nil {
				return nil, err
			}
			resolved[ref] = ans
		}
		switch ans.code {
		case "":
		case "required":
			fields = append(fields, errs.Field("member", ans.code))
		default:
			fields = append(fields, errs.Field("member", ans.code, "value", ref))
		}
		if len(fields) > 0 {
			out[i] = ManualResult{Outcome: ManualRejected, Errors: fields}
			continue
		}
		kinds[i] = kind
		out[i] = ManualResult{MemberID: ans.memberID}
		remotes[i] = manualRemoteID(ans.memberID, kind, in.At, clip(in.Channel, MaxChannel, false))
		if id != "" {
			remotes[i] = "id:" + id
		}
		threads[i] = thread
		if thread == "" && id != "" && (kind == Post || kind == Message) {
			threads[i] = id // a first entry is its own thread
		}
	}

	// Entries stored before, or given twice, are unchanged; the rest are written.
	var pending []int
	err := s.st.View(func(tx *store.Tx) error {
		first := map[string]bool{}
		for i := range ins {
			if out[i].Outcome == ManualRejected {
				continue
			}
			if first[remotes[i]] {
				out[i].Outcome = ManualUnchanged
				continue
			}
			first[remotes[i]] = true
			_, err := store.Lookup(tx, records, "remote", remoteKey(Manual.ID, remotes[i]))
			switch {
			case err == nil:
				out[i].Outcome = ManualUnchanged
			case errors.Is(err, errs.NotFound):
				pending = append(pending, i)
			default:
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Written in time order: the entries of one transaction then share days, so that the
	// counters derived from them (analytics' day and active records) are read and rewritten
	// once per day rather than once per entry when a file is in no order.
	slices.SortStableFunc(pending, func(a, b int) int { return ins[a].At.Compare(ins[b].At) })
	if err := s.writeManual(ctx, ins, manualEntries{kinds, remotes, threads}, pending, out); err != nil {
		return nil, err
	}
	if !withIDs {
		return out, nil
	}
	return out, s.manualIDs(remotes, out)
}

// checkName checks an entry's id or thread: at most max bytes, no NUL (an index cannot hold it).
func checkName(field, v string, max int) []errs.FieldError {
	switch {
	case len(v) > max:
		return []errs.FieldError{errs.Field(field, "max", "max", strconv.Itoa(max))}
	case strings.IndexByte(v, 0) >= 0:
		return []errs.FieldError{errs.Field(field, "invalid")}
	}
	return nil
}

// manualEntries are the checked inputs' kinds, remote ids and threads, by input.
type manualEntries struct {
	kinds   []Kind
	remotes []string
	threads []string
}

// writeManual stores the pending inputs through an Ingest of the Manual connection whose
// authors are already resolved, and settles their outcomes.
func (s *Service) writeManual(ctx context.Context, ins []ManualInput, e manualEntries, pending []int, out []ManualResult) error {
	if len(pending) == 0 {
		return nil
	}
	in := s.Ingest(Manual)
	in.platform = string(Manual.Platform) // authors are members already: never linked again
	in.mu.Lock()
	defer in.mu.Unlock()
	stored := 0
	for start := 0; start < len(pending); start += writeChunk {
		idx := pending[start:min(start+writeChunk, len(pending))]
		items := make([]Incoming, len(idx))
		recs := make([]Record, len(idx))
		keep := make([]bool, len(idx))
		now := s.clock.Now().UTC()
		for k, i := range idx {
			who := Person{Handle: out[i].MemberID}
			in.authors[personKey(who)] = author{memberID: out[i].MemberID}
			items[k] = Incoming{RemoteID: e.remotes[i], Kind: e.kinds[i], At: ins[i].At, Channel: ins[i].Channel,
				Title: ins[i].Title, Text: ins[i].Text, Thread: e.threads[i], Author: &who}
			recs[k], keep[k] = newRecord(Manual, items[k], now)
			if !keep[k] { // cannot happen after the checks above
				out[i] = ManualResult{Outcome: ManualRejected, Errors: []errs.FieldError{errs.Field("kind", "kind", "value", kindList())}}
			}
		}
		n, vanished, _, err := in.write(ctx, items, recs, keep)
		if err != nil {
			_ = in.sync(ctx)
			return err
		}
		stored += n
		for k, i := range idx {
			switch {
			case !keep[k]:
			case vanished[out[i].MemberID]: // deleted or erased since it was looked up
				out[i] = ManualResult{Outcome: ManualRejected, Errors: []errs.FieldError{errs.Field("member", "member_not_found", "value", strings.TrimSpace(ins[i].Member))}}
			default:
				out[i].Outcome = ManualStored
			}
		}
	}
	if err := in.sync(ctx); err != nil {
		return err
	}
	if stored > 0 {
		s.notifier.Emit(EventChanged, ChangedEvent{Connection: Manual.ID, Activity: stored})
	}
	return nil
}

// manualIDs fills in the record ids of stored and unchanged results.
func (s *Service) manualIDs(remotes []string, out []ManualResult) error {
	return s.st.View(func(tx *store.Tx) error {
		for i := range out {
			if out[i].Outcome == ManualRejected {
				continue
			}
			id, err := store.Lookup(tx, records, "remote", remoteKey(Manual.ID, remotes[i]))
			if err != nil && !errors.Is(err, errs.NotFound) {
				return err
			}
			out[i].ID = id
		}
		return nil
	})
}

// manualRemoteID names a manual entry by what it is, so that entering it again finds it.
func manualRemoteID(memberID string, k Kind, at time.Time, channel string) string {
	h := sha256.New()
	for _, part := range []string{memberID, string(k), at.UTC().Format(time.RFC3339Nano), channel} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return "manual:" + hex.EncodeToString(h.Sum(nil)[:16])
}

func kindList() string {
	names := make([]string, len(ManualKinds))
	for i, k := range ManualKinds {
		names[i] = string(k)
	}
	return strings.Join(names, " ")
}

// refAnswer is who a member reference named: a member id, or the code of why it names nobody.
type refAnswer struct {
	memberID string
	code     string
}

// resolveMember finds the member a reference names: "platform:handle" on that platform; an
// e-mail (else, for a Mastodon "user@instance", a handle); a bare handle on any platform
// (else a member id). A handle held on two platforms by two members is ambiguous.
func (s *Service) resolveMember(ctx context.Context, ref string) (refAnswer, error) {
	if ref == "" {
		return refAnswer{code: "required"}, nil
	}
	if p, h, ok := strings.Cut(ref, ":"); ok && slices.Contains(members.Platforms, strings.ToLower(strings.TrimSpace(p))) {
		return s.byHandle(ctx, strings.ToLower(strings.TrimSpace(p)), h)
	}
	find := func() (refAnswer, error) {
		id, err := s.members.FindID(ctx, ref)
		switch {
		case err == nil:
			return refAnswer{memberID: id}, nil
		case errors.Is(err, errs.NotFound):
			return refAnswer{code: "member_not_found"}, nil
		}
		return refAnswer{}, err
	}
	if strings.Contains(ref, "@") {
		if a, err := find(); err != nil || a.code == "" {
			return a, err
		}
		return s.byHandle(ctx, "", ref)
	}
	a, err := s.byHandle(ctx, "", ref)
	if err != nil || a.code != "member_not_found" {
		return a, err
	}
	return find()
}

// byHandle finds the member holding handle on platform (any platform when ""), comparing
// handles as the members index does (trimmed, ignoring case and accents). It searches the
// member directory, which holds every handle, then keeps exact matches.
func (s *Service) byHandle(ctx context.Context, platform, handle string) (refAnswer, error) {
	if textfold.Fold(strings.TrimSpace(handle)) == "" {
		return refAnswer{code: "required"}, nil
	}
	ids, err := s.members.ByHandle(ctx, platform, handle)
	switch {
	case err != nil:
		return refAnswer{}, err
	case len(ids) == 0:
		return refAnswer{code: "member_not_found"}, nil
	case len(ids) > 1:
		return refAnswer{code: "member_ambiguous"}, nil
	}
	return refAnswer{memberID: ids[0]}, nil
}

// ManualRowError is one problem of one line of a manual activity file.
type ManualRowError struct {
	Line int `json:"line"`
	// Column is the file's header of the column at fault; Reason a message code (see
	// ManualResult.Errors, plus "datetime": not an RFC 3339 time).
	Column string            `json:"column"`
	Reason string            `json:"reason"`
	Params map[string]string `json:"params,omitempty"`
}

// ManualSummary accounts for every line of a manual activity file.
type ManualSummary struct {
	Stored    int              `json:"stored"`
	Unchanged int              `json:"unchanged"`
	Rejected  int              `json:"rejected"`
	Errors    []ManualRowError `json:"errors"`
}

// manualColumns are the headers a manual activity file may use for each field, folded.
var manualColumns = map[string][]string{
	"member":  {"member", "membre", "email", "e-mail", "handle"},
	"kind":    {"kind", "type"},
	"at":      {"at", "date", "time", "quand"},
	"channel": {"channel", "canal"},
	"title":   {"title", "titre"},
	"text":    {"text", "texte"},
	"id":      {"id", "ref", "reference"},
	"thread":  {"thread", "fil", "discussion", "fil de discussion"},
}

// MaxManualRows bounds the lines of one manual activity file.
const MaxManualRows = 1_000_000

// importChunk is how many lines of a manual activity file are checked and stored at a time:
// the file is streamed, so that memory does not grow with its length (a chunk is some 20 MB).
// Each chunk is written in time order, 256 entries a transaction: with 65,536 lines of a year's
// file in no order, a transaction covers a day or two, and the analytics records its entries
// share (each day's counts and active members) are rewritten once for many entries (with 4,096
// lines, it spread over three weeks: 200,000 lines, 50 s to 43 s of CPU).
const importChunk = 65536

// maxResolved bounds the member references an import remembers.
const maxResolved = 200_000

// ImportManualCSV stores the activity of a CSV file with a header row naming the columns
// member, kind, at (an RFC 3339 time) and optionally channel, title, text, id and thread (in
// any order, ignoring case; French names accepted): a reply's thread names the id of the
// conversation's first line (see ManualInput). The delimiter is a comma or a semicolon; the text
// is UTF-8, with or without a byte order mark. Lines are checked and stored as AddManual
// does: a bad line is reported with its line number, the others are stored. A file that cannot
// be read at all is an Invalid error coded import_no_header, activity_missing_column (Params
// "column"), activity_csv_syntax (Params "line"), activity_csv_workbook (an .xlsx given),
// activity_csv_too_big (Params "max") or activity_csv_unreadable, and nothing of it is stored.
//
// When r can seek (a file) it is read twice: once to check all of it, then in chunks of
// importChunk lines to store it, holding one chunk at a time. Another reader is read into
// memory first.
func (s *Service) ImportManualCSV(ctx context.Context, r io.Reader) (ManualSummary, error) {
	unreadable := func(err error) (ManualSummary, error) {
		return ManualSummary{}, errs.Wrap(errs.Invalid, "activity_csv_unreadable", err, "activity: read manual file")
	}
	defer leanheap.Begin()() // every line's garbage (records, counters rewritten), little kept
	rs, ok := r.(io.ReadSeeker)
	if !ok {
		raw, err := io.ReadAll(r)
		if err != nil {
			return unreadable(err)
		}
		rs = bytes.NewReader(raw)
	}
	start, err := rs.Seek(0, io.SeekCurrent)
	if err != nil {
		return unreadable(err)
	}
	// First pass: the whole file is checked before anything is stored.
	mr, err := newManualReader(rs)
	if err != nil {
		return ManualSummary{}, err
	}
	for {
		_, err := mr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return ManualSummary{}, err
		}
	}
	if _, err := rs.Seek(start, io.SeekStart); err != nil {
		return unreadable(err)
	}
	if mr, err = newManualReader(rs); err != nil {
		return ManualSummary{}, err
	}
	sum := ManualSummary{Errors: []ManualRowError{}}
	resolved := map[string]refAnswer{} // member references, each looked up once
	var rows []manualRow
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		ins := make([]ManualInput, len(rows))
		for i, row := range rows {
			ins[i] = row.in
		}
		res, err := s.addManual(ctx, ins, resolved, false)
		if err != nil {
			return err
		}
		sum.account(rows, res, mr.header)
		rows = rows[:0]
		if len(resolved) > maxResolved {
			clear(resolved) // a bound on memory for files about very many people
		}
		return nil
	}
	for {
		row, err := mr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return sum, err
		}
		if rows = append(rows, row); len(rows) == importChunk {
			if err := flush(); err != nil {
				return sum, err
			}
		}
	}
	return sum, flush()
}

// account adds the results of a chunk of lines to the summary.
func (sum *ManualSummary) account(rows []manualRow, res []ManualResult, header map[string]string) {
	for i, r := range res {
		switch r.Outcome {
		case ManualStored:
			sum.Stored++
		case ManualUnchanged:
			sum.Unchanged++
		default:
			sum.Rejected++
			for _, fe := range r.Errors {
				e := ManualRowError{Line: rows[i].line, Column: header[fe.Field], Reason: fe.Code, Params: fe.Params}
				if rows[i].badAt != "" && fe.Field == "at" {
					e.Reason, e.Params = "datetime", map[string]string{"value": rows[i].badAt}
				}
				sum.Errors = append(sum.Errors, e)
			}
		}
	}
}

// manualRow is one line of a manual activity file: its input, its line number, and its time
// when that is not RFC 3339 (the input's At is then left zero).
type manualRow struct {
	in    ManualInput
	line  int
	badAt string
}

// manualReader reads a manual activity file line by line; header maps a field to its
// column's header in the file.
type manualReader struct {
	cr     *csv.Reader
	col    map[string]int
	header map[string]string
	rows   int
}

// newManualReader reads the header of a manual activity file.
func newManualReader(r io.Reader) (*manualReader, error) {
	unreadable := func(err error) *errs.Error {
		return errs.Wrap(errs.Invalid, "activity_csv_unreadable", err, "activity: read manual file")
	}
	br := bufio.NewReaderSize(transform.NewReader(r, unicode.BOMOverride(unicode.UTF8.NewDecoder())), 64<<10)
	peek, err := br.Peek(br.Size())
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, unreadable(err)
	}
	if bytes.HasPrefix(peek, []byte("PK\x03\x04")) {
		return nil, errs.New(errs.Invalid, "activity_csv_workbook", "activity: a workbook, not a CSV file")
	}
	first, _, _ := bytes.Cut(peek, []byte("\n"))
	cr := csv.NewReader(br)
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) || (err == nil && len(head) == 1 && strings.TrimSpace(head[0]) == "") {
		return nil, errs.New(errs.Invalid, "import_no_header", "activity: the file has no header row")
	}
	if err != nil {
		return nil, unreadable(err)
	}
	m := &manualReader{cr: cr, col: map[string]int{}, header: map[string]string{}}
	for i, h := range head {
		name := textfold.Fold(strings.TrimSpace(h))
		for field, names := range manualColumns {
			if _, taken := m.col[field]; !taken && slices.Contains(names, name) {
				m.col[field], m.header[field] = i, strings.TrimSpace(h)
			}
		}
	}
	for _, need := range []string{"member", "kind", "at"} {
		if _, ok := m.col[need]; !ok {
			return nil, errs.New(errs.Invalid, "activity_missing_column", "activity: the file has no "+need+" column").With("column", need)
		}
	}
	return m, nil
}

// next returns the next line that is not blank, and io.EOF at the end of the file.
func (m *manualReader) next() (manualRow, error) {
	cell := func(rec []string, field string) string {
		if i, ok := m.col[field]; ok && i < len(rec) {
			return strings.Clone(strings.TrimSpace(rec[i])) // the record's memory is reused
		}
		return ""
	}
	for {
		rec, err := m.cr.Read()
		if errors.Is(err, io.EOF) {
			return manualRow{}, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return manualRow{}, errs.Wrap(errs.Invalid, "activity_csv_syntax", err, "activity: read manual file").With("line", strconv.Itoa(pe.StartLine))
			}
			return manualRow{}, errs.Wrap(errs.Invalid, "activity_csv_unreadable", err, "activity: read manual file")
		}
		if slices.IndexFunc(rec, func(v string) bool { return strings.TrimSpace(v) != "" }) < 0 {
			continue // a blank line
		}
		if m.rows >= MaxManualRows {
			return manualRow{}, errs.New(errs.Invalid, "activity_csv_too_big", "activity: too many lines").With("max", strconv.Itoa(MaxManualRows))
		}
		m.rows++
		line, _ := m.cr.FieldPos(0)
		row := manualRow{line: line, in: ManualInput{Member: cell(rec, "member"), Kind: Kind(cell(rec, "kind")), Channel: cell(rec, "channel"),
			Title: cell(rec, "title"), Text: cell(rec, "text"), ID: cell(rec, "id"), Thread: cell(rec, "thread")}}
		if v := cell(rec, "at"); v != "" {
			if row.in.At, err = time.Parse(time.RFC3339, v); err != nil {
				row.badAt = v
			}
		}
		return row, nil
	}
}
