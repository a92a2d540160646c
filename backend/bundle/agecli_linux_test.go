//go:build linux

package bundle

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The age command reads a passphrase from its terminal only (/dev/tty), never from a pipe or
// an option. To drive it without a person, atTerminal gives it a pseudo-terminal of its own as
// its controlling terminal, watches what it prints there, and types the passphrase after
// each prompt that asks for one (age -p asks twice: "Enter passphrase…:", "Confirm passphrase:").
// Its files come and go through -o and arguments, never through the terminal.
func atTerminal(t *testing.T, dir, passphrase string, args ...string) {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal("no pseudo-terminal: ", err)
	}
	defer ptmx.Close()
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal("unlock the pseudo-terminal: ", err)
	}
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal("name the pseudo-terminal: ", err)
	}
	tty, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, ageCommand(t), args...)
	cmd.Dir = dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	// A session of its own whose controlling terminal is the pseudo-terminal (its fd 0).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		tty.Close()
		t.Fatal(err)
	}
	tty.Close() // the child holds it now; the last close makes reads of ptmx fail with EIO

	var mu sync.Mutex
	var screen strings.Builder
	done := make(chan struct{})
	go func() {
		defer close(done)
		var pending []byte
		buf := make([]byte, 1024)
		for {
			n, err := ptmx.Read(buf)
			mu.Lock()
			screen.Write(buf[:n])
			mu.Unlock()
			pending = append(pending, buf[:n]...)
			if prompt := strings.TrimRight(string(pending), " \r\n"); strings.Contains(strings.ToLower(prompt), "passphrase") && strings.HasSuffix(prompt, ":") {
				pending = pending[:0]
				waitForNoEcho(int(ptmx.Fd()))
				if _, err := ptmx.Write([]byte(passphrase + "\n")); err != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	werr := cmd.Wait()
	// The reader stops at EIO once age is gone; a grandchild holding the terminal must not
	// keep the test waiting.
	_ = ptmx.SetReadDeadline(time.Now().Add(5 * time.Second))
	<-done
	mu.Lock()
	defer mu.Unlock()
	if werr != nil {
		var exit *exec.ExitError
		if errors.As(werr, &exit) || ctx.Err() != nil {
			t.Fatalf("age %s: %v; its terminal showed:\n%s", strings.Join(args, " "), werr, screen.String())
		}
		t.Fatal(werr)
	}
}

func TestTheAgeCommandDecryptsABundleWithAPassphraseTypedAtItsTerminal(t *testing.T) {
	dir := t.TempDir()
	const pass = "un gâteau aux noix, 3 œufs"
	data := writeBundle(t, Encrypt{Passphrase: pass, workFactor: testWorkFactor}, testManifest(), testEntries())
	if err := os.WriteFile(filepath.Join(dir, "F.hearth"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	atTerminal(t, dir, pass, "-d", "-o", "F.gz", "F.hearth")
	checkLines(t, run(t, dir, "gunzip -c F.gz"), testEntries())
}

func TestABundleTheAgeCommandEncryptedWithAPassphraseOpens(t *testing.T) {
	dir := t.TempDir()
	const pass = "la clé est sous le paillasson"
	if err := os.WriteFile(filepath.Join(dir, "lines.jsonl"), []byte(handBundle), 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, dir, "gzip -k lines.jsonl")
	// age -p works as hard as it always does (scrypt 2^18): about a second to open.
	atTerminal(t, dir, pass, "-p", "-o", "F.hearth", "lines.jsonl.gz")
	data, err := os.ReadFile(filepath.Join(dir, "F.hearth"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte(ageIntro)) {
		t.Fatalf("age wrote %q", data[:min(len(data), 40)])
	}
	m, entries, err := readBundle(data, Decrypt{Passphrase: pass})
	if err != nil {
		t.Fatal(err)
	}
	checkHandBundle(t, m, entries)
	if _, _, err := readBundle(data, Decrypt{Passphrase: "la clé est sous le pot de fleurs"}); codeOf(err) != "bundle_wrong_passphrase" {
		t.Errorf("a wrong passphrase: %v, want bundle_wrong_passphrase", err)
	}
}

// waitForNoEcho waits (a few seconds at most) until the terminal stops echoing, which is how
// age shows it is reading a passphrase: typed earlier, it would be echoed on the screen.
func waitForNoEcho(fd int) {
	for range 500 {
		tio, err := unix.IoctlGetTermios(fd, unix.TCGETS)
		if err != nil || tio.Lflag&unix.ECHO == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}
