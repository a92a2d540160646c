package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHelpShowsCalendarAddBodyInBothLanguages(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		r := hearth(t, t.TempDir(), lang, "help")
		var line string
		for _, l := range strings.Split(r.stdout, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "calendar add ") {
				line = l
			}
		}
		if r.code != ExitOK || !strings.Contains(line, "--body") || !strings.Contains(r.stdout, "Discourse") {
			t.Errorf("%s: calendar add must show --body (a Discourse post needs one): %q", lang, line)
		}
	}
}

func TestImportListsTheFirstErrorsAndWritesEveryRejectedRow(t *testing.T) {
	var b strings.Builder
	b.WriteString("email,name\n")
	for i := range 1500 {
		b.WriteString("bad-" + strings.Repeat("x", i%7) + ",Person\n")
	}
	src := writeTemp(t, "bad.csv", b.String())
	fix := writeTemp(t, "fix.csv", "")
	r := hearth(t, t.TempDir(), "en", "members", "import", src, "--rejected", fix)
	if r.code != ExitOK || !strings.Contains(r.stdout, "1500 rejected") || !strings.Contains(r.stdout, "500 more rejected rows") {
		t.Fatalf("%+v", r)
	}
	if got := strings.Count(readFile(t, fix), "\n"); got != 1501 {
		t.Fatalf("the rejected-rows file holds every row and its header: %d lines", got)
	}
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
