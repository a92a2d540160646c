package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"hearth/backend/wiring"
)

// hearthBin is the real hearth program, built once for these tests.
var hearthBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hearth-bin")
	if err != nil {
		panic(err)
	}
	hearthBin = filepath.Join(dir, "hearth")
	args := []string{"build", "-o", hearthBin}
	if runtime.GOOS == "linux" {
		args = append(args, "-tags", "webkit2_41")
	}
	if out, err := exec.Command("go", append(args, ".")...).CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func hearth(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(hearthBin, args...)
	cmd.Env = append(os.Environ(), "DISPLAY=", "WAYLAND_DISPLAY=")
	cmd.Env = append(cmd.Env, env...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

func TestTheBinaryAddsAndFindsMembersWithNoDisplay(t *testing.T) {
	ws := t.TempDir()
	if _, errOut, code := hearth(t, nil, "--workspace", ws, "members", "add", "--email", "helene@example.org", "--name", "Hélène Dupont"); code != 0 {
		t.Fatalf("add exited %d: %s", code, errOut)
	}
	out, errOut, code := hearth(t, nil, "--workspace", ws, "members", "list", "--search", "helene", "--json")
	var got []struct {
		ID     string   `json:"id"`
		Name   string   `json:"name"`
		Emails []string `json:"emails"`
		Tags   []string `json:"tags"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || len(got) != 1 || got[0].Name != "Hélène Dupont" || got[0].Tags == nil {
		t.Fatalf("list exited %d: %q %q", code, out, errOut)
	}
}

func TestTheDefaultWorkspaceIsCreatedInTheUserDataDirectory(t *testing.T) {
	data := t.TempDir()
	if _, errOut, code := hearth(t, []string{"XDG_DATA_HOME=" + data}, "members", "add", "--email", "a@example.org"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(data, "hearth", "default", "hearth.json")); err != nil {
		t.Fatalf("no default workspace manifest: %v", err)
	}
}

func TestASecondProcessOnAnOpenWorkspaceGetsOneClearLine(t *testing.T) {
	ws := t.TempDir()
	b, err := wiring.Open(context.Background(), wiring.Options{Dir: ws})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	_, errOut, code := hearth(t, []string{"LANG=fr_FR.UTF-8", "LC_ALL="}, "--workspace", ws, "members", "list")
	if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, ws) || !strings.Contains(errOut, "déjà ouvert") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	if _, errOut, code := hearth(t, nil, "--no-such-flag"); code != 2 || !strings.Contains(errOut, "Usage") {
		t.Fatalf("exit %d: %q", code, errOut)
	}
}
