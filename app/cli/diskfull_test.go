//go:build linux

package cli

import (
	"context"
	"crypto/sha512"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"hearth/backend/consent"
	"hearth/backend/members"
	"hearth/backend/wiring"
	"hearth/sync/smtp/smtptest"
)

// smallDisk mounts a tmpfs of size bytes for the test and returns its directory. Mounting needs
// root (CI runs as root); otherwise the test runs again in a user and mount namespace of its
// own (unshare), where it is root, and smallDisk returns "" once that run passed. It is never
// skipped: a full disk must be met for real.
func smallDisk(t *testing.T, size int64) string {
	t.Helper()
	dir := t.TempDir()
	err := unix.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d", size))
	if err == nil {
		t.Cleanup(func() { _ = unix.Unmount(dir, unix.MNT_DETACH) })
		return dir
	}
	if os.Getenv("HEARTH_TEST_USERNS") != "" {
		t.Fatalf("cannot mount a tmpfs even in a namespace of our own: %v", err)
	}
	unshare, lookErr := exec.LookPath("unshare")
	if lookErr != nil {
		t.Fatalf("mounting a tmpfs needs root or unshare(1): %v", err)
	}
	cmd := exec.Command(unshare, "--user", "--map-root-user", "--mount", os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "HEARTH_TEST_USERNS=1")
	out, runErr := cmd.CombinedOutput()
	if runErr != nil || !strings.Contains(string(out), "--- PASS") {
		t.Fatalf("mount failed (%v); in a namespace of its own the test says: %v\n%s", err, runErr, out)
	}
	t.Logf("passed in a user and mount namespace of its own:\n%s", out)
	return ""
}

// leaveFree fills the filesystem at dir with a ballast file until about free bytes are left,
// and returns a function that removes it.
func leaveFree(t *testing.T, dir string, free int64) func() {
	t.Helper()
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	if avail := int64(st.Bavail) * int64(st.Bsize); avail <= free {
		t.Fatalf("only %d MB free, wanted to leave %d MB", avail>>20, free>>20)
	}
	undo, err := fill(dir, free)
	if err != nil {
		t.Fatal(err)
	}
	return undo
}

func TestAFullDiskIsAMessageNotACrash(t *testing.T) {
	disk := smallDisk(t, 128<<20)
	if disk == "" {
		return // run in a namespace of its own, and passed
	}
	ws := filepath.Join(disk, "workspace")
	if r := hearth(t, ws, "en", "members", "add", "--email", "ann@example.org", "--name", "Ann"); r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	var b strings.Builder
	b.WriteString("email,name,notes\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "p%d@example.org,Person %d,%s\n", i, i, strings.Repeat("n", 200))
	}
	people := filepath.Join(t.TempDir(), "people.csv") // off the small disk
	if err := os.WriteFile(people, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	// Room to open, not for the import: refused before the first write, with the room needed.
	free := leaveFree(t, disk, 60<<20)
	r := hearth(t, ws, "en", "members", "import", people)
	if r.code != ExitError || !strings.Contains(r.stderr, "The disk is full:") || !strings.Contains(r.stderr, "MB are needed") {
		t.Fatalf("an import on a nearly full disk: %+v", r)
	}
	r = hearth(t, ws, "fr", "members", "import", people)
	if r.code != ExitError || !strings.Contains(r.stderr, "Le disque est plein") {
		t.Fatalf("in French: %+v", r)
	}
	free()

	// Full: the workspace opens read-only; reading works, writing says the disk is full.
	free = leaveFree(t, disk, 20<<20)
	if r := hearth(t, ws, "en", "members", "list"); r.code != ExitOK || !strings.Contains(r.stdout, "ann@example.org") ||
		!strings.Contains(r.stderr, "read-only") {
		t.Fatalf("reading a workspace on a full disk: %+v", r)
	}
	if r := hearth(t, ws, "en", "members", "add", "--email", "bob@example.org"); r.code != ExitError || !strings.Contains(r.stderr, "The disk is full:") {
		t.Fatalf("writing on a full disk: %+v", r)
	}
	free()

	// Room again: everything works.
	if r := hearth(t, ws, "en", "members", "import", people); r.code != ExitOK || !strings.Contains(r.stdout, "20000 created") {
		t.Fatalf("with room again: %+v", r)
	}
}

// fill takes all but about free bytes of the filesystem at dir (a ballast file, removed with
// the returned function); it may run off the test's goroutine (leaveFree is its test helper).
func fill(dir string, free int64) (func(), error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, fmt.Sprintf("ballast-%d", st.Bavail))
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if avail := int64(st.Bavail) * int64(st.Bsize); avail > free {
		if err := unix.Fallocate(int(f.Fd()), 0, 0, avail-free); err != nil {
			return nil, err
		}
	}
	return func() { _ = os.Remove(path) }, nil
}

// A disk that fills up in the middle of a newsletter's send stops the send with the disk-full
// message before the next message leaves: what was sent is recorded, nothing is lost, and once
// there is room the send resumes without mailing anyone twice.
func TestADiskFillingUpDuringASendStopsItAndMailsNobodyTwice(t *testing.T) {
	disk := smallDisk(t, 128<<20)
	if disk == "" {
		return // run in a namespace of its own, and passed
	}
	const people = 120
	ws := filepath.Join(disk, "workspace")
	ctx := context.Background()
	b, err := wiring.Open(ctx, wiring.Options{Dir: ws})
	if err != nil {
		t.Fatal(err)
	}
	for i := range people {
		m, err := b.Members.Create(ctx, members.CreateInput{Name: fmt.Sprintf("Membre %d", i), Emails: []string{fmt.Sprintf("m%d@example.org", i)}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Consent.Grant(ctx, consent.Input{MemberID: m.ID, Purpose: "newsletter", By: "test", Method: consent.MethodManual}); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	srv := smtptest.New(t, smtptest.Options{NoTLS: true, Record: true})
	if r := hearth(t, ws, "en", "smtp", "set", "--host", "127.0.0.1", "--port", strconv.Itoa(srv.Port), "--tls", "none",
		"--from", "news@hearth.example"); r.code != ExitOK {
		t.Fatalf("smtp set: %+v", r)
	}
	body := filepath.Join(t.TempDir(), "body.md")
	if err := os.WriteFile(body, []byte("Bonjour {{first_name}}"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := hearth(t, ws, "en", "newsletter", "create", "--subject", "Nouvelles", "--body-file", body)
	id := strings.TrimSpace(r.stdout)
	if r.code != ExitOK || id == "" {
		t.Fatalf("create: %+v", r)
	}

	// The disk fills up (another program's download) as the 41st message is about to go.
	var ballast func()
	srv.SetOnMail(func(n int) error {
		if n == 40 && ballast == nil {
			var err error
			if ballast, err = fill(disk, 1<<20); err != nil {
				t.Error(err)
			}
		}
		return nil
	})
	r = hearth(t, ws, "en", "newsletter", "send", id)
	srv.SetOnMail(nil)
	if ballast == nil {
		t.Fatalf("the disk never filled: %+v", r)
	}
	sent := len(srv.Received())
	if r.code != ExitError || !strings.Contains(r.stderr, "The disk is full:") || sent < 40 || sent > 41 {
		t.Fatalf("a send meeting a full disk: %d messages, %+v", sent, r)
	}
	if r := hearth(t, ws, "fr", "newsletter", "send", id); r.code != ExitError || !strings.Contains(r.stderr, "Le disque est plein") ||
		len(srv.Received()) != sent {
		t.Fatalf("sending again while the disk is full (in French): %+v", r)
	}
	ballast()

	r = hearth(t, ws, "en", "newsletter", "send", id, "--json")
	if r.code != ExitOK {
		t.Fatalf("resuming with room again: %+v", r)
	}
	got := map[string]int{}
	for _, m := range srv.Received() {
		got[m.To[0]]++
	}
	uncertain := 0
	for i := range people {
		switch addr := fmt.Sprintf("m%d@example.org", i); got[addr] {
		case 1:
		case 0:
			uncertain++ // may be the one cut off: it is reported, not resent
		default:
			t.Errorf("%s got %d messages", addr, got[addr])
		}
	}
	var rep struct {
		Uncertain int `json:"uncertain"`
		Sent      int `json:"sent"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	if len(got) != people-uncertain || rep.Uncertain > 1 {
		t.Fatalf("%d of %d got it, %d uncertain: %s", len(got), people, rep.Uncertain, r.stdout)
	}
}

// An export to a disk without room says so, in the user's language, and leaves no half-written
// file behind; the workspace is untouched.
func TestAnExportToAFullDiskSaysSoAndLeavesNoHalfFile(t *testing.T) {
	disk := smallDisk(t, 16<<20)
	if disk == "" {
		return // run in a namespace of its own, and passed
	}
	ws := t.TempDir() // the workspace has room; the export's destination (a USB key) has not
	var b strings.Builder
	b.WriteString("email,name,notes\n")
	for i := range 5000 {
		// Notes that do not compress away: the workbook is about as big as the CSV.
		fmt.Fprintf(&b, "p%d@example.org,Person %d,%x\n", i, i, sha512.Sum512([]byte(strconv.Itoa(i))))
	}
	people := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(people, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := hearth(t, ws, "en", "members", "import", people); r.code != ExitOK {
		t.Fatalf("import: %+v", r)
	}
	free := leaveFree(t, disk, 256<<10)
	defer free()
	for _, tc := range []struct{ lang, file, want string }{
		{"en", "members.csv", "The disk is full:"},
		{"fr", "membres.xlsx", "Le disque est plein"},
	} {
		out := filepath.Join(disk, tc.file)
		r := hearth(t, ws, tc.lang, "members", "export", out)
		if r.code != ExitError || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%s: %+v", tc.file, r)
		}
		if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: a half-written export was left behind (%v)", tc.file, err)
		}
	}
	if r := hearth(t, ws, "en", "members", "list", "--json", "--all"); r.code != ExitOK || strings.Count(r.stdout, "@example.org") != 5000 {
		t.Fatalf("the workspace after the failed exports: code %d, %d members", r.code, strings.Count(r.stdout, "@example.org"))
	}
}
