package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hearth/backend/consent"
	"hearth/backend/imports"
	"hearth/backend/members"
	"hearth/backend/wiring"
)

// The import wizard's files, by the name its file dialog answers with (under recordedDocuments):
// the Mailchimp export of app/testdata (a bad e-mail, one person on two rows, a French join-date
// column, markup in cells, a member the workspace has already), a list too long for one batch
// (to cancel between batches) and a workbook of two sheets.
const (
	importMailchimp = "mailchimp-subscribed.csv"
	importLong      = "long-list.csv"
	importWorkbook  = "list.xlsx"
	// importLongRows is over one batch of the importer (256 rows), so that a cancel can land
	// between two.
	importLongRows = 300
	// importJobID is the job id the recordings are made with; the fake answers under the id the
	// window chose (a random one).
	importJobID = "job"
)

// TestRecordAnswersForTheWindowFakeImport records the import wizard as scenarios over the quiet
// recorded workspace whose newsletter consent lasts 24 months (so that old opt-ins arrive
// expired): see recorded_scenario_test.go. The calls are keyed by what the window sends, the
// file by the path its dialog answered; each Start's job is recorded as `run` with the same
// request: the events Go emitted in order (`import:progress:job`, `import:done:job`), the
// members the job created or changed as Go lists them afterwards, and the consent events it
// recorded.
func TestRecordAnswersForTheWindowFakeImport(t *testing.T) {
	saved := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = saved })

	files := importFiles(t)
	preview := func(file, sheet string) importStep {
		return func(t *testing.T, s *scenario, w *importWindow) {
			js := fmt.Sprintf(`{"path":%q,"sheet":%q,"mapping":{},"dryRun":true}`, recordedDocuments+"/"+file, sheet)
			req, args := argsAs[imports.Request](t, js)
			req.Path = files[file]
			v, err := w.service().Preview(req)
			s.read("", "preview", []any{args}, v, err)
		}
	}
	// start sends what the wizard sends after a preview of file with mapping changed by
	// changes (header: field), then records the job; cancel, when set, cancels it as soon as
	// its first progress event is out (between its first batch and the next).
	start := func(file string, dryRun, enrol bool, lang string, changes map[string]string, cancel bool) importStep {
		return func(t *testing.T, s *scenario, w *importWindow) {
			p, err := w.service().Preview(imports.Request{Path: files[file]})
			if err != nil {
				t.Fatal(err)
			}
			mapping := map[string]string{}
			for _, c := range p.Columns {
				mapping[c.Header] = c.Field
			}
			for h, f := range changes {
				mapping[h] = f
			}
			m, _ := json.Marshal(mapping)
			js := fmt.Sprintf(`{"path":%q,"sheet":%q,"mapping":%s,"dryRun":%t,"enrol":%t,"lang":%q,"jobId":%q}`,
				recordedDocuments+"/"+file, p.Sheet, m, dryRun, enrol, lang, importJobID)
			req, args := argsAs[imports.Request](t, js)
			req.Path = files[file]
			w.run(t, s, req, args, cancel)
		}
	}
	saveRejected := func(t *testing.T, s *scenario, w *importWindow) {
		v, err := w.service().SaveRejected(importJobID)
		s.read("", "saveRejected", []any{importJobID}, strings.Replace(v, w.dir, recordedDocuments, 1), err)
	}
	// Each import the wizard can send (the automatic mapping or the tests' change, English or
	// French, entering automations or not) after its dry run, then cancelled once its first
	// batch is written (after its last, for a short file: Go finishes it anyway).
	// erase is the personal-data screen erasing the recorded Hélène Dupont (member-01), whose
	// address the Mailchimp export holds: the fake's importer is told the erased addresses.
	erase := func(t *testing.T, s *scenario, w *importWindow) {
		g := NewGdprService(w.b.GDPR, w.b.Audit, savePicker{filepath.Join(w.dir, "unused")}, "en")
		page, err := w.b.Members.List(windowCtx(), members.ListQuery{Search: "helene@example.org", Limit: 1})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("Hélène: %v %v", page.Items, err)
		}
		err = g.Erase(page.Items[0].ID, "helene@example.org")
		s.step("", "erase", []any{page.Items[0].Emails}, nil, err)
	}
	var scenarios [][]importStep
	for _, changes := range []map[string]string{nil, {"Favourite language": "notes"}} {
		for _, lang := range []string{"en", "fr"} {
			for _, enrol := range []bool{false, true} {
				dry := start(importMailchimp, true, false, lang, changes, false)
				scenarios = append(scenarios,
					[]importStep{dry, start(importMailchimp, false, enrol, lang, changes, false), saveRejected,
						// The same file again: nothing new.
						dry, start(importMailchimp, false, enrol, lang, changes, false)},
					[]importStep{dry, start(importMailchimp, false, enrol, lang, changes, true), saveRejected})
			}
		}
	}
	scenarios = append(scenarios,
		[]importStep{preview(importMailchimp, "")},
		[]importStep{erase, start(importMailchimp, true, false, "en", nil, false), start(importMailchimp, false, false, "en", nil, false)},
		[]importStep{erase, start(importMailchimp, true, false, "fr", nil, false), start(importMailchimp, false, false, "fr", nil, false)},
		[]importStep{preview(importLong, ""), start(importLong, true, false, "en", nil, false), start(importLong, false, false, "en", nil, false)},
		[]importStep{start(importLong, true, false, "en", nil, false), start(importLong, false, false, "en", nil, true)},
		[]importStep{preview(importWorkbook, ""), preview(importWorkbook, "Subscribed"), preview(importWorkbook, "Unsubscribed"), preview(importWorkbook, "Deleted")},
	)
	all := map[string]json.RawMessage{}
	for _, sc := range scenarios {
		b, ids := seedRecordedWorkspace(t, false)
		expiry := 24
		if _, err := b.Consent.SavePurpose(windowCtx(), consent.PurposeInput{ID: "newsletter", Name: "Newsletter", ExpiryMonths: &expiry}); err != nil {
			t.Fatal(err)
		}
		w := &importWindow{b: b, dir: t.TempDir()}
		s := newScenario(t)
		for _, st := range sc {
			st(t, s, w)
		}
		scenarioAnswers(t, all, ids, s)
	}
	holdRecording(t, "import", all)
}

// importStep is one thing a person does in the import wizard.
type importStep func(t *testing.T, s *scenario, w *importWindow)

// importWindow is the window's ImportService over one workspace. Every Start gets a fresh
// service, so that each job can be recorded under importJobID: later calls go to the last.
type importWindow struct {
	b    *wiring.Backend
	dir  string // where the save dialog answers
	last *ImportService
}

func (w *importWindow) service() *ImportService {
	if w.last == nil {
		w.last = w.newService(&importEvents{})
	}
	return w.last
}

func (w *importWindow) newService(events *importEvents) *ImportService {
	return &ImportService{imports: w.b.Imports, newID: w.b.Workspace.Store.NewID, events: events,
		dialogs: savePicker{filepath.Join(w.dir, "rejected.csv")}, jobs: map[string]*importJob{}}
}

// importRun is what the fake replays for a job: the events Go emitted, in order, the members
// the job created or changed as Go lists them afterwards, and the consent events it recorded.
type importRun struct {
	Events  []importEvent    `json:"events"`
	Members []members.Member `json:"members"`
	Consent []consent.Event  `json:"consentEvents"`
}

type importEvent struct {
	Name    string `json:"name"`
	Payload any    `json:"payload"`
}

// importEvents keeps the events of one job; onFirst runs on its first event.
type importEvents struct {
	mu      sync.Mutex
	events  []importEvent
	onFirst func()
}

func (e *importEvents) Emit(name string, payload any) {
	e.mu.Lock()
	e.events = append(e.events, importEvent{name, payload})
	first := len(e.events) == 1
	e.mu.Unlock()
	if first && e.onFirst != nil {
		e.onFirst()
	}
}

func (e *importEvents) done() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.events) > 0 && strings.HasPrefix(e.events[len(e.events)-1].Name, EventImportDone)
}

// run starts req on a fresh service, waits for its summary and records Start, the cancel (when
// cancel), and the run.
func (w *importWindow) run(t *testing.T, s *scenario, req imports.Request, args any, cancel bool) {
	t.Helper()
	ctx := windowCtx()
	before := map[string]time.Time{}
	granted := map[string]bool{} // consent events before the job, by id
	page, err := w.b.Members.List(ctx, members.ListQuery{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range page.Items {
		before[m.ID] = m.UpdatedAt
		history, err := w.b.Consent.History(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range history {
			granted[e.ID] = true
		}
	}
	events := &importEvents{}
	w.last = w.newService(events)
	var cancelErr error
	cancelled := make(chan struct{})
	if cancel {
		events.onFirst = func() { cancelErr = w.last.Cancel(importJobID); close(cancelled) }
	}
	id, err := w.last.Start(req)
	step := func(method string, args []any, v any, err error) {
		if req.DryRun {
			s.read("", method, args, v, err)
		} else {
			s.step("", method, args, v, err)
		}
	}
	step("start", []any{args}, id, err)
	if err != nil {
		return
	}
	deadline := time.Now().Add(30 * time.Second)
	for !events.done() {
		if time.Now().After(deadline) {
			t.Fatal("import: no summary after 30s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if cancel {
		<-cancelled
		step("cancel", []any{importJobID}, nil, cancelErr)
	}
	out := importRun{Events: events.events, Members: []members.Member{}, Consent: []consent.Event{}}
	page, err = w.b.Members.List(ctx, members.ListQuery{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range page.Items {
		if at, ok := before[m.ID]; ok && at.Equal(m.UpdatedAt) {
			continue
		}
		out.Members = append(out.Members, m)
		history, err := w.b.Consent.History(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range history {
			if !granted[e.ID] {
				out.Consent = append(out.Consent, e)
			}
		}
	}
	s.read("", "run", []any{args}, out, nil)
}

// importFiles writes the wizard's files to a temporary directory: their paths by name.
func importFiles(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	mailchimp, err := os.ReadFile(filepath.Join("testdata", importMailchimp))
	if err != nil {
		t.Fatal(err)
	}
	var long bytes.Buffer
	long.WriteString("Email Address,First Name,Last Name\n")
	for i := 1; i <= importLongRows; i++ {
		fmt.Fprintf(&long, "reader%03d@example.net,Reader,N°%d\n", i, i)
	}
	out := map[string]string{}
	for name, data := range map[string][]byte{importMailchimp: mailchimp, importLong: long.Bytes(), importWorkbook: importXLSX(t)} {
		out[name] = filepath.Join(dir, name)
		if err := os.WriteFile(out[name], data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// importXLSX is a Mailchimp audience saved as a workbook: its subscribed and unsubscribed people
// on two sheets.
func importXLSX(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	set := func(sheet, cell string, values ...any) {
		if err := f.SetSheetRow(sheet, cell, &values); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetSheetName("Sheet1", "Subscribed"); err != nil {
		t.Fatal(err)
	}
	set("Subscribed", "A1", "Email Address", "First Name", "Last Name", "OPTIN_TIME")
	set("Subscribed", "A2", "amelie.roux@example.org", "Amélie", "Roux", "2024-03-02 10:14:00")
	set("Subscribed", "A3", "kenji.sato@example.net", "Kenji", "Sato", "2024-05-19 18:40:12")
	if _, err := f.NewSheet("Unsubscribed"); err != nil {
		t.Fatal(err)
	}
	set("Unsubscribed", "A1", "Email Address", "First Name", "Last Name", "UNSUB_TIME")
	set("Unsubscribed", "A2", "old.friend@example.com", "Old", "Friend", "2025-06-30 17:00:00")
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
