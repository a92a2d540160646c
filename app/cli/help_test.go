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

func TestAOneLineFileSaysItsLineIsTooLongInBothLanguages(t *testing.T) {
	src := writeTemp(t, "line.csv", strings.Repeat("x,", 5<<20))
	for lang, want := range map[string]string{
		"en": "Line 1 of the file is too long (over 8 MB)",
		"fr": "La ligne 1 du fichier est trop longue (plus de 8 Mo)",
	} {
		r := hearth(t, t.TempDir(), lang, "members", "import", src)
		if r.code != ExitError || !strings.Contains(r.stderr, want) {
			t.Errorf("%s: %+v", lang, r)
		}
	}
}

func TestAMillionColumnFileSaysSo(t *testing.T) {
	src := writeTemp(t, "wide.csv", "email"+strings.Repeat(",c", 999_999)+"\na@example.org"+strings.Repeat(",x", 999_999)+"\n")
	r := hearth(t, t.TempDir(), "en", "members", "import", src)
	if r.code != ExitError || !strings.Contains(r.stderr, "more than 1000 columns") {
		t.Errorf("%+v", r)
	}
}
