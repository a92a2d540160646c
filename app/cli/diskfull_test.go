//go:build linux

package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
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
	avail := int64(st.Bavail) * int64(st.Bsize)
	if avail <= free {
		t.Fatalf("only %d MB free, wanted to leave %d MB", avail>>20, free>>20)
	}
	path := filepath.Join(dir, "ballast")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := unix.Fallocate(int(f.Fd()), 0, 0, avail-free); err != nil {
		t.Fatal(err)
	}
	return func() { _ = os.Remove(path) }
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
