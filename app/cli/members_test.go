package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"hearth/backend/members"
	"hearth/backend/wiring"
	"hearth/sync/smtp"
)

// seedMembers stores n members named Member 0000 … in a workspace in dir.
func seedMembers(t *testing.T, dir string, n int) {
	t.Helper()
	b, err := wiring.Open(context.Background(), wiring.Options{Dir: dir, Dialer: smtp.Dialer{}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Close() }()
	ins := make([]members.CreateInput, n)
	for i := range ins {
		ins[i] = members.CreateInput{Name: fmt.Sprintf("Member %04d", i), Emails: []string{fmt.Sprintf("m%04d@example.org", i)}}
	}
	if _, err := b.Members.CreateMany(context.Background(), ins, nil); err != nil {
		t.Fatal(err)
	}
}

func TestMembersListAllWritesEveryMemberOnceAsOneJSONArray(t *testing.T) {
	dir := t.TempDir()
	seedMembers(t, dir, 1200)
	r := hearth(t, dir, "en", "members", "list", "--all", "--json")
	var got []listed
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != ExitOK {
		t.Fatalf("list --all --json: %v %+v", err, r.stderr)
	}
	if len(got) != 1200 {
		t.Fatalf("%d members listed, want 1200", len(got))
	}
	seen := map[string]bool{}
	for _, m := range got {
		if seen[m.Emails[0]] {
			t.Fatalf("%s listed twice", m.Emails[0])
		}
		seen[m.Emails[0]] = true
	}
	for i := range 1200 {
		if e := fmt.Sprintf("m%04d@example.org", i); !seen[e] {
			t.Fatalf("%s missing", e)
		}
	}
	// The same shape as --json: a page of it parses the same way.
	one := hearth(t, dir, "en", "members", "list", "--search", "m0007@example.org", "--json")
	if !strings.Contains(r.stdout, strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(one.stdout), "[\n"), "\n]")) {
		t.Errorf("--all --json does not write members as --json does:\n%s", one.stdout)
	}
}

func TestMembersListAllAsATableCountsEveryMatch(t *testing.T) {
	dir := t.TempDir()
	seedMembers(t, dir, 1200)
	r := hearth(t, dir, "fr", "members", "list", "--all")
	if r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	// A header, 1,200 rows and the count.
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 1202 || !strings.HasPrefix(lines[0], "ID") || !strings.Contains(lines[1201], "affichés sur") {
		t.Fatalf("%d lines, last %q", len(lines), lines[len(lines)-1])
	}
	if n := strings.Count(r.stdout, "@example.org"); n != 1200 {
		t.Fatalf("%d rows", n)
	}
	empty := hearth(t, t.TempDir(), "en", "members", "list", "--all", "--json")
	if empty.code != ExitOK || strings.TrimSpace(empty.stdout) != "[]" {
		t.Fatalf("empty: %+v", empty)
	}
}

func TestMembersListAllRefusesALimit(t *testing.T) {
	r := hearth(t, t.TempDir(), "en", "members", "list", "--all", "--limit", "10")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "--all lists every member") {
		t.Fatalf("%+v", r)
	}
}
