package app

import (
	"os/exec"
	"strings"
	"testing"
)

// TestAppDoesNotImportSync keeps the data flow one way (app -> backend <- sync, wired in
// main.go): the adapters reach the platforms and SMTP only through what main.go passes in.
func TestAppDoesNotImportSync(t *testing.T) {
	for _, pkg := range []string{"hearth/app", "hearth/app/cli"} {
		out, err := exec.Command("go", "list", "-deps", "-tags", "webkit2_41", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			if dep == "hearth/sync" || strings.HasPrefix(dep, "hearth/sync/") {
				t.Errorf("%s imports %s: pass what it needs in from main.go (BackendOptions)", pkg, dep)
			}
		}
	}
}
