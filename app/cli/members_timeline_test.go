package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"hearth/backend/timeline"
)

// `members timeline` tells what a member did and where they stand, in the reader's language,
// a page at a time; --json gives the same page to scripts.
func TestTimelineShowsAMembersStoryAPageAtATimeInBothLanguages(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"members", "add", "--email", "camille@exemple.fr", "--name", "Camille Martin"},
		{"activity", "add", "--member", "camille@exemple.fr", "--kind", "post", "--at", "2026-03-01T10:00:00+01:00", "--channel", "général", "--title", "Bonjour à tous"},
		{"activity", "add", "--member", "camille@exemple.fr", "--kind", "reply", "--at", "2026-03-03T10:00:00+01:00", "--channel", "général", "--text", "Merci pour l'accueil"},
		{"consent", "grant", "camille@exemple.fr", "--purpose", "newsletter", "--source", "formulaire papier", "--at", "2026-03-02T12:00:00+01:00"},
	} {
		if r := hearth(t, dir, "en", args...); r.code != ExitOK {
			t.Fatalf("%v: %+v", args, r)
		}
	}

	fr := hearth(t, dir, "fr", "members", "timeline", "camille@exemple.fr", "--kind", "activity", "--kind", "consent")
	lines := strings.Split(strings.TrimSpace(fr.stdout), "\n")
	if fr.code != ExitOK || len(lines) != 7 {
		t.Fatalf("%+v", fr)
	}
	for i, want := range []string{"Réponse", "Consentement donné : newsletter", "Publication"} { // newest first
		if !strings.Contains(lines[4+i], want) {
			t.Errorf("line %d: %q, want %q in it", 4+i, lines[4+i], want)
		}
	}
	if !strings.Contains(fr.stdout, "Niveau : ") || !strings.Contains(fr.stdout, "Activité : 2 (manual 2)") || !strings.Contains(lines[4], "Merci pour l'accueil") {
		t.Errorf("%s", fr.stdout)
	}

	first := hearth(t, dir, "en", "members", "timeline", "camille@exemple.fr", "--limit", "1", "--kind", "activity")
	if first.code != ExitOK || !strings.Contains(first.stdout, "Reply") || strings.Contains(first.stdout, "Post") || !strings.Contains(first.stdout, "1 more entries: add --after ") {
		t.Fatalf("%+v", first)
	}
	cursor := first.stdout[strings.LastIndex(first.stdout, "--after ")+len("--after "):]
	next := hearth(t, dir, "en", "members", "timeline", "camille@exemple.fr", "--limit", "1", "--kind", "activity", "--after", strings.TrimSpace(cursor), "--json")
	var p timeline.Page
	if err := json.Unmarshal([]byte(next.stdout), &p); err != nil || next.code != ExitOK {
		t.Fatalf("%+v %v", next, err)
	}
	if len(p.Entries) != 1 || p.Entries[0].What != "post" || p.Entries[0].Title != "Bonjour à tous" || p.Next != "" || p.Total != 2 ||
		p.Summary.Activities != 2 || p.Summary.Level != 4 { // March is long past: an observer now
		t.Errorf("second page: %+v", p)
	}

	bad := hearth(t, dir, "fr", "members", "timeline", "camille@exemple.fr", "--kind", "potins")
	if bad.code != ExitError || !strings.Contains(bad.stderr, "« potins »") {
		t.Errorf("%+v", bad)
	}
}
