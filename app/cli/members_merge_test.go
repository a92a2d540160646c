package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hearth/backend/members"
	"hearth/backend/wiring"
	"hearth/sync/smtp"
)

// seedOnePersonThrice stores Camille as three members (Discourse with an e-mail, Discord,
// Mastodon) and returns their ids in that order.
func seedOnePersonThrice(t *testing.T, dir string) []string {
	t.Helper()
	b, err := wiring.Open(context.Background(), wiring.Options{Dir: dir, Dialer: smtp.Dialer{}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Close() }()
	var ids []string
	for _, in := range []members.CreateInput{
		{Name: "Camille Martin", Emails: []string{"camille@example.org"}, Handles: []members.Handle{{Platform: "discourse", Handle: "camille"}}, CustomFields: map[string]string{"city": "Lyon"}},
		{Name: "Camille Martin", Handles: []members.Handle{{Platform: "discord", Handle: "camille"}}, CustomFields: map[string]string{"city": "Paris"}},
		{Name: "Camille", Handles: []members.Handle{{Platform: "mastodon", Handle: "camille@mastodon.social"}}},
	} {
		m, err := b.Members.Create(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	return ids
}

func TestSuggestMergesProposesOnePersonOnceWithItsReasonInFrench(t *testing.T) {
	dir := t.TempDir()
	ids := seedOnePersonThrice(t, dir)
	r := hearth(t, dir, "fr", "members", "suggest-merges", "--json")
	var got []suggested
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != ExitOK {
		t.Fatalf("%v %+v", err, r)
	}
	if len(got) != 1 || got[0].A != ids[0] || len(got[0].Others) != 2 || got[0].Reason != "same_handle" ||
		got[0].ReasonText != "le même pseudo « camille » sur Discourse, Discord et Mastodon" ||
		strings.Join(got[0].Platforms, " ") != "discourse discord mastodon" || got[0].Score <= 0 || got[0].Score > 1 {
		t.Fatalf("suggestions %+v", got)
	}
	table := hearth(t, dir, "en", "members", "suggest-merges")
	if table.code != ExitOK || !strings.Contains(table.stdout, "the same handle “camille” on Discourse, Discord and Mastodon") || !strings.Contains(table.stdout, "Keep "+ids[0]) || !strings.Contains(table.stdout, "1 proposed merge(s).") ||
		!strings.Contains(table.stdout, "hearth members merge "+ids[0]+" ") {
		t.Fatalf("table: %+v", table)
	}
}

func TestMergeShowsTheConflictingFieldAndUnmergeRestoresBoth(t *testing.T) {
	dir := t.TempDir()
	ids := seedOnePersonThrice(t, dir)
	before := hearth(t, dir, "en", "members", "get", ids[1], "--json")
	r := hearth(t, dir, "en", "members", "merge", "camille@example.org", ids[1], ids[2])
	if r.code != ExitOK || strings.Count(r.stdout, "Merged ") != 2 ||
		!strings.Contains(r.stdout, "Custom field city: kept “Lyon”; the other member's “Paris” is kept in the merge's history.") {
		t.Fatalf("merge: %+v", r)
	}
	if s := hearth(t, dir, "en", "members", "suggest-merges", "--json"); strings.TrimSpace(s.stdout) != "[]" {
		t.Fatalf("suggestions after the merge: %+v", s)
	}
	if g := hearth(t, dir, "en", "members", "get", ids[1]); g.code != ExitError {
		t.Fatalf("the merged member is still there: %+v", g)
	}
	// The latest merge of the kept member is undone first.
	for range 2 {
		if u := hearth(t, dir, "fr", "members", "unmerge", ids[0]); u.code != ExitOK || !strings.Contains(u.stdout, "comme avant la fusion") {
			t.Fatalf("unmerge: %+v", u)
		}
	}
	if after := hearth(t, dir, "en", "members", "get", ids[1], "--json"); after.stdout != before.stdout {
		t.Fatalf("after unmerge:\n%s\nbefore:\n%s", after.stdout, before.stdout)
	}
	if u := hearth(t, dir, "en", "members", "unmerge", ids[0]); u.code != ExitError || !strings.Contains(u.stderr, "Not found") {
		t.Fatalf("unmerge of nothing: %+v", u)
	}
}

func TestMergeCommandsExplainTheirUsage(t *testing.T) {
	dir := t.TempDir()
	ids := seedOnePersonThrice(t, dir)
	for _, args := range [][]string{{"merge", ids[0]}, {"unmerge"}, {"dismiss-merge", ids[0]}, {"auto-merge", "maybe"}} {
		if r := hearth(t, dir, "en", append([]string{"members"}, args...)...); r.code != ExitUsage {
			t.Fatalf("%v: %+v", args, r)
		}
	}
	if r := hearth(t, dir, "en", "members", "merge", ids[0], ids[0]); r.code != ExitError {
		t.Fatalf("merge into itself: %+v", r)
	}
}

func TestDismissedAndAutoMergeSettingsAreKept(t *testing.T) {
	dir := t.TempDir()
	ids := seedOnePersonThrice(t, dir)
	if r := hearth(t, dir, "en", "members", "dismiss-merge", ids[0], ids[2]); r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	var got []suggested
	r := hearth(t, dir, "en", "members", "suggest-merges", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got) != 1 || len(got[0].Others) != 1 || got[0].B != ids[1] {
		t.Fatalf("%v %+v", err, got)
	}
	if r := hearth(t, dir, "en", "members", "auto-merge"); !strings.Contains(r.stdout, "Automatic merging is off") {
		t.Fatalf("%+v", r)
	}
	if r := hearth(t, dir, "fr", "members", "auto-merge", "on"); !strings.Contains(r.stdout, "fusion automatique est activée") {
		t.Fatalf("%+v", r)
	}
	if r := hearth(t, dir, "en", "members", "auto-merge", "--json"); !strings.Contains(r.stdout, `"auto": true`) {
		t.Fatalf("%+v", r)
	}
}

func TestAutoMergeJoinsAnImportedPersonToTheMemberTheyAre(t *testing.T) {
	dir := t.TempDir()
	if r := hearth(t, dir, "en", "members", "auto-merge", "on"); r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	write := func(content string) string {
		p := filepath.Join(t.TempDir(), "people.csv")
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	forum := write("Nom,Pseudo,E-mail\nCamille Martin,camille,camille@example.org\n")
	if r := hearth(t, dir, "en", "members", "import", forum, "--map", "Nom=name", "--map", "Pseudo=handle:discourse", "--map", "E-mail=email"); r.code != ExitOK {
		t.Fatalf("import: %+v", r)
	}
	// The same handle on Discord under the same name is the same person; on Mastodon under
	// another name it is not.
	chat := write("Nom,Pseudo Discord,Pseudo Mastodon\nCAMILLE  Martin,camille,\nCamille Dupont,,camille@piaille.example\n")
	r := hearth(t, dir, "en", "members", "import", chat, "--map", "Nom=name", "--map", "Pseudo Discord=handle:discord", "--map", "Pseudo Mastodon=handle:mastodon")
	if r.code != ExitOK {
		t.Fatalf("import: %+v", r)
	}
	var got []struct {
		listed
		Handles []members.Handle `json:"handles"`
	}
	list := hearth(t, dir, "en", "members", "list", "--json")
	if err := json.Unmarshal([]byte(list.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d members, want Camille Martin once and Camille Dupont: %+v", len(got), got)
	}
	for _, m := range got {
		if m.Name == "Camille Martin" && (len(m.Handles) != 2 || len(m.Emails) != 1) {
			t.Fatalf("the kept member: %+v", m)
		}
	}
}

func TestGetOfAMergedAwayMemberSaysWhomTheyWereMergedIntoAndTheirEmailFindsThem(t *testing.T) {
	dir := t.TempDir()
	ids := seedOnePersonThrice(t, dir)
	b, err := wiring.Open(context.Background(), wiring.Options{Dir: dir, Dialer: smtp.Dialer{}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Members.Update(context.Background(), ids[2], members.Patch{Emails: &[]string{"cm@perso.example"}}); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	// Mastodon's record into Discord's, then Discord's into the first: a chain.
	if r := hearth(t, dir, "en", "members", "merge", ids[1], ids[2]); r.code != ExitOK {
		t.Fatalf("merge: %+v", r)
	}
	if r := hearth(t, dir, "en", "members", "merge", ids[0], ids[1]); r.code != ExitOK {
		t.Fatalf("merge: %+v", r)
	}
	for _, id := range []string{ids[1], ids[2]} {
		g := hearth(t, dir, "en", "members", "get", id)
		if g.code != ExitError || !strings.Contains(g.stderr, "This member was merged into Camille Martin ("+ids[0]+")") {
			t.Fatalf("get %s: %+v", id, g)
		}
	}
	if g := hearth(t, dir, "fr", "members", "get", ids[2]); !strings.Contains(g.stderr, "Ce membre a été fusionné avec Camille Martin ("+ids[0]+")") {
		t.Fatalf("get in French: %+v", g)
	}
	g := hearth(t, dir, "en", "members", "get", "CM@perso.example", "--json")
	var m members.Member
	if err := json.Unmarshal([]byte(g.stdout), &m); err != nil || g.code != ExitOK || m.ID != ids[0] {
		t.Fatalf("get by the e-mail of the member merged away: %v %+v", err, g)
	}
	if g := hearth(t, dir, "en", "members", "get", "nobody-at-all"); g.code != ExitError || !strings.Contains(g.stderr, "No such member.") {
		t.Fatalf("get of nobody: %+v", g)
	}
	if u := hearth(t, dir, "en", "members", "unmerge", ids[0]); u.code != ExitOK {
		t.Fatalf("unmerge: %+v", u)
	}
	if g := hearth(t, dir, "en", "members", "get", ids[1]); g.code != ExitOK {
		t.Fatalf("get after the unmerge: %+v", g)
	}
	if g := hearth(t, dir, "en", "members", "get", ids[2]); !strings.Contains(g.stderr, "merged into Camille Martin ("+ids[1]+")") {
		t.Fatalf("get of the member still merged after the unmerge: %+v", g)
	}
}

func TestTimelineTellsAMergeAndItsUndoingAsTheirOwnKind(t *testing.T) {
	dir := t.TempDir()
	ids := seedOnePersonThrice(t, dir)
	if r := hearth(t, dir, "en", "members", "merge", ids[0], ids[2]); r.code != ExitOK {
		t.Fatalf("merge: %+v", r)
	}
	if u := hearth(t, dir, "en", "members", "unmerge", ids[0]); u.code != ExitOK {
		t.Fatalf("unmerge: %+v", u)
	}
	en := hearth(t, dir, "en", "members", "timeline", ids[0], "--kind", "merge")
	lines := strings.Split(strings.TrimSpace(en.stdout), "\n")
	if en.code != ExitOK || !strings.Contains(lines[len(lines)-2], "Merge") || !strings.Contains(lines[len(lines)-2], "Unmerged from Camille") ||
		!strings.Contains(lines[len(lines)-1], "Merged with Camille") {
		t.Fatalf("%+v", en)
	}
	if fr := hearth(t, dir, "fr", "members", "timeline", ids[2], "--kind", "merge"); !strings.Contains(fr.stdout, "Défusionné de Camille Martin") {
		t.Fatalf("%+v", fr)
	}
	if log := hearth(t, dir, "en", "members", "timeline", ids[0], "--kind", "log"); strings.Contains(log.stdout, "Merged") || strings.Contains(log.stdout, "Unmerged") {
		t.Fatalf("the merge is also in the log: %+v", log)
	}
}
