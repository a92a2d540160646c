//go:build smoke

package main

// The window smoke test: the real build/bin/hearth (from `make build`) in a real X server (Xvfb,
// started by .ci/smoke), checked the way a person would: a window titled "Hearth — Members"
// appears, its screenshot is not blank, and it closes cleanly on SIGTERM.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"hearth/backend/members"
	"hearth/backend/wiring"
	"hearth/backend/workspace"
)

func TestTheWindowOpensOnTheMembersScreenAndClosesCleanly(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("no DISPLAY: run this through .ci/smoke, which starts Xvfb")
	}
	ws := t.TempDir()
	cmd, logs, exited := startHearth(t, ws)
	waitForWindow(t, "Hearth — Members", logs, exited)
	time.Sleep(2 * time.Second) // let the first paint of the member table settle

	img := screenshot(t)
	if colours := distinctColours(img); colours < 16 {
		t.Fatalf("the screen shows %d colours: blank window", colours)
	}
	if err := os.MkdirAll("build/smoke", 0o755); err == nil {
		f, err := os.Create(filepath.Join("build", "smoke", "window.png"))
		if err == nil {
			_ = png.Encode(f, img)
			_ = f.Close()
		}
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("still running 20 s after SIGTERM\n%s", logs.String())
	}
	// The window saved its in-memory views at close (the member directory is on disk already),
	// and the next process can start from them.
	for _, view := range []string{"analytics-index"} {
		if _, err := os.Stat(filepath.Join(ws, workspace.SnapshotDir, view+".snap")); err != nil {
			t.Errorf("the window did not save its %s at close: %v", view, err)
		}
	}
	b, err := wiring.Open(context.Background(), wiring.Options{Dir: ws})
	if err != nil {
		t.Fatalf("workspace not reusable after the window closed: %v", err)
	}
	defer b.Close()
	if _, ok := b.Workspace.Store.LoadSnapshot("analytics-index"); !ok {
		t.Error("the analytics index the window saved is not usable by the next process")
	}
}

// startHearth starts build/bin/hearth on the workspace ws in English; the process is killed at
// the end of the test if it is still running. exited receives cmd.Wait's result.
func startHearth(t *testing.T, ws string) (cmd *exec.Cmd, logs *bytes.Buffer, exited chan error) {
	t.Helper()
	cmd = exec.Command("build/bin/hearth", "--workspace", ws)
	cmd.Env = append(os.Environ(), "LANG=en_US.UTF-8", "LC_ALL=", "WEBKIT_DISABLE_COMPOSITING_MODE=1")
	logs = &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited = make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	})
	return cmd, logs, exited
}

// waitForWindow waits up to 90 s for a window titled title, failing if hearth exits first.
func waitForWindow(t *testing.T, title string, logs *bytes.Buffer, exited chan error) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !windowTitled(t, title) {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("hearth exited before showing a window titled %q (%v):\n%s", title, err, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			out, _ := exec.Command("xwininfo", "-root", "-tree").CombinedOutput()
			t.Fatalf("no window titled %q after 90 s; windows:\n%s\nlogs:\n%s", title, out, logs.String())
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func windowTitled(t *testing.T, title string) bool {
	out, err := exec.Command("xwininfo", "-root", "-tree").CombinedOutput()
	if err != nil {
		t.Fatalf("xwininfo: %v: %s", err, out)
	}
	return strings.Contains(string(out), `"`+title+`"`)
}

// screenshot grabs the whole X screen with xwd and decodes its ZPixmap format.
func screenshot(t *testing.T) image.Image {
	raw, err := exec.Command("xwd", "-root", "-silent").Output()
	if err != nil {
		t.Fatalf("xwd: %v", err)
	}
	img, err := decodeXWD(raw)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func decodeXWD(b []byte) (image.Image, error) {
	if len(b) < 100 {
		return nil, fmt.Errorf("xwd: short header")
	}
	h := make([]uint32, 25)
	for i := range h {
		h[i] = binary.BigEndian.Uint32(b[i*4:])
	}
	headerSize, format, width, height := h[0], h[2], int(h[4]), int(h[5])
	byteOrder, bpp, stride, ncolors := h[7], h[11], int(h[12]), h[19]
	if format != 2 || (bpp != 24 && bpp != 32) {
		return nil, fmt.Errorf("xwd: format %d with %d bits per pixel not supported", format, bpp)
	}
	size := int(bpp / 8)
	data := b[int(headerSize)+int(ncolors)*12:]
	if len(data) < stride*height {
		return nil, fmt.Errorf("xwd: short pixel data")
	}
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	for y := 0; y < height; y++ {
		for x := 0; x < width; x++ {
			p := data[y*stride+x*size:]
			var v uint32
			for i := 0; i < size; i++ {
				if byteOrder == 0 { // least significant byte first
					v |= uint32(p[i]) << (8 * i)
				} else {
					v = v<<8 | uint32(p[i])
				}
			}
			img.Set(x, y, color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255})
		}
	}
	return img, nil
}

func distinctColours(img image.Image) int {
	seen := map[color.Color]bool{}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 3 {
		for x := r.Min.X; x < r.Max.X; x += 3 {
			seen[img.At(x, y)] = true
		}
	}
	return len(seen)
}

// TestTheWindowSaysWhyADamagedWorkspaceCannotOpenAndLeavesItUntouched: Hearth started (as from a menu) on a
// workspace whose index file is damaged shows a window saying so, changes no byte of it, and
// exits 1 once closed.
func TestTheWindowSaysWhyADamagedWorkspaceCannotOpenAndLeavesItUntouched(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("no DISPLAY: run this through .ci/smoke, which starts Xvfb")
	}
	ws := t.TempDir()
	b, err := wiring.Open(context.Background(), wiring.Options{Dir: ws})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Members.Create(context.Background(), membersInput()); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(filepath.Join(ws, "db", "MANIFEST"), 10); err != nil {
		t.Fatal(err)
	}
	before := filesOf(t, ws)

	cmd, logs, exited := startHearth(t, ws)
	waitForWindow(t, "Hearth — workspace not opened", logs, exited)
	if !strings.Contains(logs.String(), "index file") {
		t.Errorf("stderr does not say what is damaged:\n%s", logs.String())
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Fatalf("exit after closing: %v, want exit status 1\n%s", err, logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("still running 20 s after SIGTERM\n%s", logs.String())
	}
	if after := filesOf(t, ws); !maps.Equal(before, after) {
		t.Fatalf("the damaged workspace was changed:\nbefore %v\nafter  %v", before, after)
	}
}

func membersInput() members.CreateInput {
	return members.CreateInput{Name: "Camille Martin", Emails: []string{"camille@exemple.fr"}}
}

// filesOf is every file of dir with a hash of its bytes, but the lock (which names the process
// holding the workspace).
func filesOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "hearth.lock" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[p] = fmt.Sprintf("%x", sha256.Sum256(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
