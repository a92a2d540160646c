package imports

import (
	"context"
	"fmt"
	"hearth/backend/audit"
	"hearth/backend/childtest"
	"hearth/backend/internal/storetest"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/importer"
	"hearth/backend/members"
	"hearth/backend/store"
)

type fixture struct {
	dir     string
	st      *store.Store
	members *members.Service
	consent *consent.Service
	imports *Service
	clock   *clock.Manual
}

func open(t *testing.T, dir string) *fixture {
	t.Helper()
	st := storetest.Open(t, dir, nil)
	c := clock.NewManual(time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC))
	f := &fixture{dir: dir, st: st, members: members.NewService(st, c, nil), clock: c}
	f.consent = consent.NewService(st, c, nil, consent.WithMemberCheck(members.Exists))
	f.imports = NewService(st, f.members, f.consent, c)
	return f
}

func file(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// messy is a French spreadsheet export: semicolons, a bad e-mail, a person on two rows, a row with
// nobody to contact, a quoted note with a line break, a blank line.
const messy = "Prénom;Nom;Courriel;Étiquettes;Ville;Remarques\n" +
	"Hélène;Dupont;helene@example.org;bénévole, paris;Paris;\n" +
	"Marc;Lefèvre;marc.lefevre@example;;Lyon;\n" +
	"Zoë;Martin;zoe@example.org;nouveau;Nantes;\"Rencontrée au salon,\nà recontacter\"\n" +
	"\n" +
	"Hélène;D.;HELENE@example.org;;;doublon\n" +
	"Sans;Contact;;;Lille;\n" +
	"Amélie;Rousseau;amelie@example.org;bénévole;Rennes;\n"

func TestAMessyFileImportsWithExactCountsAndEveryBadRowExplained(t *testing.T) {
	f := open(t, t.TempDir())
	var rejected []importer.Rejected
	sum, err := f.imports.Run(context.Background(), Request{Path: file(t, "adherents.csv", messy)}, nil,
		func(r importer.Rejected) { rejected = append(rejected, r) })
	if err != nil {
		t.Fatal(err)
	}
	if sum.Created != 3 || sum.Updated != 0 || sum.Unchanged != 0 || sum.Rejected != 2 || sum.Merged != 1 || len(sum.Errors) != 2 {
		t.Fatalf("summary %+v", sum)
	}
	want := map[int]string{3: "email", 8: "required"}
	for _, e := range sum.Errors {
		if want[e.Line] != e.Reason {
			t.Errorf("line %d: reason %q (%s), want %q", e.Line, e.Reason, e.Message, want[e.Line])
		}
		if e.Line == 3 && e.Column != "Courriel" {
			t.Errorf("line 3 blamed column %q", e.Column)
		}
	}
	if len(rejected) != 2 || !slices.ContainsFunc(rejected, func(r importer.Rejected) bool { return r.Line == 3 && r.Raw[2] == "marc.lefevre@example" }) {
		t.Fatalf("rejected rows %+v", rejected)
	}
	m, err := f.members.Find(context.Background(), "zoe@example.org")
	if err != nil || m.Name != "Zoë Martin" || !strings.Contains(m.Notes, "\n") || m.CustomFields["city"] == "" && m.CustomFields["Ville"] == "" {
		t.Fatalf("zoë: %+v %v", m, err)
	}
}

func TestReimportingTheSameFileChangesNothing(t *testing.T) {
	f := open(t, t.TempDir())
	path := file(t, "adherents.csv", messy)
	if _, err := f.imports.Run(context.Background(), Request{Path: path}, nil, nil); err != nil {
		t.Fatal(err)
	}
	sum, err := f.imports.Run(context.Background(), Request{Path: path}, nil, nil)
	if err != nil || sum.Created != 0 || sum.Updated != 0 || sum.Unchanged != 3 || sum.Rejected != 2 || sum.Merged != 1 {
		t.Fatalf("second run %+v %v", sum, err)
	}
}

func TestADryRunCountsButWritesNothing(t *testing.T) {
	f := open(t, t.TempDir())
	sum, err := f.imports.Run(context.Background(), Request{Path: file(t, "a.csv", messy), DryRun: true}, nil, nil)
	if err != nil || sum.Created != 3 || sum.Rejected != 2 || sum.Merged != 1 {
		t.Fatalf("%+v %v", sum, err)
	}
	if n, _ := f.members.Count(context.Background()); n != 0 {
		t.Fatalf("dry run wrote %d members", n)
	}
}

const mailchimp = "Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS\n" +
	"ann@example.org,Ann,Smith,3,2024-03-05 14:22:11,198.51.100.7,2024-03-05 14:25:40,198.51.100.8,,,,,,,,2024-03-05 14:25:40,123,abc,,\"\"\"vip\"\",\"\"paris\"\"\"\n" +
	"bob@example.org,Bob,Jones,2,2024-04-01 09:00:00,198.51.100.9,,,,,,,,,,2024-04-01 09:00:00,124,abd,,\n"

func TestMailchimpOptInsBecomeNewsletterConsentEvidenceOnce(t *testing.T) {
	f := open(t, t.TempDir())
	path := file(t, "audience.csv", mailchimp)
	for run := 0; run < 2; run++ {
		if _, err := f.imports.Run(context.Background(), Request{Path: path}, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	ann, err := f.members.Find(context.Background(), "ann@example.org")
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.consent.State(context.Background(), ann.ID, "newsletter", time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || st.State != consent.StateGranted || st.Method != consent.MethodImport ||
		!st.Since.Equal(time.Date(2024, 3, 5, 14, 25, 40, 0, time.UTC)) {
		t.Fatalf("ann's newsletter consent in June 2024 %+v %v", st, err)
	}
	// Two years on it still holds: consent expires only when its purpose sets an expiry.
	if st, _ := f.consent.State(context.Background(), ann.ID, "newsletter", time.Time{}); st.State != consent.StateGranted {
		t.Fatalf("ann's newsletter consent now %+v", st)
	}
	hist, _ := f.consent.History(context.Background(), ann.ID)
	if len(hist) != 1 || hist[0].Proof.IP != "198.51.100.8" || hist[0].Proof.File != "audience.csv" || hist[0].Proof.Row != 2 {
		t.Fatalf("evidence %+v (want exactly one, with IP, file and row)", hist)
	}
}

func TestAnErasedPersonIsNotBroughtBackByAnImport(t *testing.T) {
	f := open(t, t.TempDir())
	path := file(t, "adherents.csv", messy)
	if _, err := f.imports.Run(context.Background(), Request{Path: path}, nil, nil); err != nil {
		t.Fatal(err)
	}
	h, _ := f.members.Find(context.Background(), "helene@example.org")
	if _, err := f.members.Erase(context.Background(), h.ID, members.EraseOptions{Suppress: true}); err != nil {
		t.Fatal(err)
	}
	sum, err := f.imports.Run(context.Background(), Request{Path: path}, nil, nil)
	if err != nil || sum.Created != 0 || sum.Rejected != 4 {
		t.Fatalf("%+v %v", sum, err)
	}
	if sum.Errors[0].Line != 2 || sum.Errors[0].Reason != "suppressed" {
		t.Fatalf("first error %+v", sum.Errors[0])
	}
}

func TestCancellingStopsBetweenBatches(t *testing.T) {
	f := open(t, t.TempDir())
	var b strings.Builder
	b.WriteString("email,name\n")
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&b, "p%d@example.org,Person %d\n", i, i)
	}
	ctx, cancel := context.WithCancel(context.Background())
	sum, err := f.imports.Run(ctx, Request{Path: file(t, "big.csv", b.String())}, func(p Progress) {
		if p.Rows >= 512 {
			cancel()
		}
	}, nil)
	if err != nil || !sum.Cancelled || sum.Created == 0 || sum.Created >= 2000 {
		t.Fatalf("%+v %v", sum, err)
	}
}

// TestMain lets the test binary be the child that the kill test interrupts mid-import.
// badRowsEnv names the file a TestManyBadRowsChild process imports (hostile_test.go).
const badRowsEnv = "HEARTH_BAD_ROWS_FILE"

func TestMain(m *testing.M) {
	if mode := os.Getenv("HEARTH_BENCH_CHILD"); mode != "" {
		os.Exit(benchChild(mode))
	}
	if dir, path := os.Getenv("HEARTH_IMPORT_CHILD_DIR"), os.Getenv("HEARTH_IMPORT_CHILD_FILE"); dir != "" {
		st, err := store.Open(store.Options{Dir: filepath.Join(dir, "db"), KeyringPath: filepath.Join(dir, "keyring"), GCInterval: -1})
		if err != nil {
			os.Exit(3)
		}
		ms := members.NewService(st, clock.System{}, nil)
		svc := NewService(st, ms, consent.NewService(st, clock.System{}, nil), clock.System{})
		_, _ = svc.Run(context.Background(), Request{Path: path}, func(p Progress) { fmt.Println("progress", p.Rows) }, nil)
		fmt.Println("finished")
		os.Exit(0)
	}
	os.Exit(childtest.Run(m, map[string]string{"TestManyBadRowsChild": badRowsEnv}))
}

func TestAnImportKilledHalfwayCompletesWhenRunAgain(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("email,name,tags\n")
	const n = 20000
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "k%d@example.org,Kill Test %d,crash\n", i, i)
	}
	path := file(t, "big.csv", b.String())
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "HEARTH_IMPORT_CHILD_DIR="+dir, "HEARTH_IMPORT_CHILD_FILE="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	got := ""
	for !strings.Contains(got, "progress 2") { // wait until some batches are committed
		k, err := out.Read(buf)
		if err != nil {
			t.Fatalf("child ended early: %q", got)
		}
		got += string(buf[:k])
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()

	f := open(t, dir)
	// Workspace check first, as a new process: the members the killed import wrote are all
	// listed, though it died before writing their directory entries (the directory's tail).
	if rep, err := f.st.Check(context.Background()); err != nil || !rep.OK {
		t.Fatalf("workspace check after the kill: %v %+v", err, rep.Findings)
	}
	before, _ := f.members.Count(context.Background())
	if before == 0 || before >= n {
		t.Fatalf("%d members after the kill: the test did not interrupt an import", before)
	}
	sum, err := f.imports.Run(context.Background(), Request{Path: path}, nil, nil)
	if err != nil || sum.Created+sum.Unchanged != n || sum.Unchanged != before || sum.Rejected != 0 {
		t.Fatalf("rerun %+v %v (had %d)", sum, err, before)
	}
	p, err := f.members.List(context.Background(), members.ListQuery{Tag: "crash", Limit: 1})
	if err != nil || p.Total != n {
		t.Fatalf("total %d %v", p.Total, err)
	}
	if rep, err := f.st.Check(context.Background()); err != nil || !rep.OK {
		t.Fatalf("workspace check after the rerun: %v %+v", err, rep.Findings)
	}
}

func TestAnImportIsAuditedWithItsCountsForTheReaderToWordInTheirLanguage(t *testing.T) {
	f := open(t, t.TempDir())
	if _, err := f.imports.Run(context.Background(), Request{Path: file(t, "adherents.csv", messy)}, nil, nil); err != nil {
		t.Fatal(err)
	}
	entries, err := audit.NewLog(f.st).List(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(entries, func(e audit.Entry) bool { return e.Action == audit.MembersImported })
	if i < 0 {
		t.Fatalf("no import in the audit log: %+v", entries)
	}
	want := map[string]string{"file": "adherents.csv", "created": "3", "updated": "0", "unchanged": "0", "rejected": "2"}
	if e := entries[i]; !maps.Equal(e.Params, want) || e.Details != "" {
		t.Errorf("import entry %+v, want params %v and no English text", e, want)
	}
}
