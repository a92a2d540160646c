package team_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/childtest"
	"hearth/backend/clock"
	"hearth/backend/credentials"
	"hearth/backend/members"
	"hearth/backend/wiring"
)

// mergeChildEnv marks the process that TestAKillDuringAMergeLeavesAWorkspaceThatOpensAndAMergeThatCompletes
// kills: "workspace dir|credentials dir|bundle file".
const mergeChildEnv = "HEARTH_TEAM_MERGE_CHILD"

func TestMain(m *testing.M) {
	os.Exit(childtest.Run(m, map[string]string{"TestMergeChild": mergeChildEnv}))
}

// TestMergeChild is the child half of the kill test: it merges a bundle into a workspace and
// says when it starts.
func TestMergeChild(t *testing.T) {
	parts := strings.Split(os.Getenv(mergeChildEnv), "|")
	secrets, err := credentials.Open(credentials.Options{Dir: parts[1], Keychain: credentials.KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	b, err := wiring.Open(context.Background(), wiring.Options{Dir: parts[0], Secrets: secrets, Zone: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("merging")
	if _, err := b.Team.Merge(context.Background(), f, ""); err != nil {
		t.Fatal(err)
	}
	fmt.Println("merged")
	_ = b.Close()
}

// TestAKillDuringAMergeLeavesAWorkspaceThatOpensAndAMergeThatCompletes kills a process at
// several points while it merges a bundle of 1,500 members and 6,000 activities: each time the
// next open finds the workspace as before the merge or, completed from the merge's journal, as
// after it, never half, and its check finds every record with its index entries; merging the
// same bundle again then changes nothing.
func TestAKillDuringAMergeLeavesAWorkspaceThatOpensAndAMergeThatCompletes(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	// The copy the merge is killed in, and a reference copy that merges undisturbed: both join
	// Camille's workspace while it is still empty, then merge the bundle of her work.
	victimDir, victimCred := t.TempDir(), t.TempDir()
	victim := openAt(t, victimDir, victimCred)
	ref := openAt(t, t.TempDir(), t.TempDir())
	for _, c := range []*teamCopy{victim, ref} {
		key, err := c.b.Team.PublicKey()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key)
	}
	a := openCopy(t, "Camille", start)
	first := bundleOf(t, a)
	for _, c := range []*teamCopy{victim, ref} {
		if _, err := c.b.Team.Join(ctx, strings.NewReader(string(first)), ""); err != nil {
			t.Fatal(err)
		}
	}
	before := dump(t, victim)
	if err := victim.b.Close(); err != nil {
		t.Fatal(err)
	}

	var ins []members.CreateInput
	for i := range 1500 {
		ins = append(ins, members.CreateInput{Name: fmt.Sprintf("Membre %d", i), Emails: []string{fmt.Sprintf("m%d@example.org", i)}, Tags: []string{"lyon"}})
	}
	if _, err := a.b.Members.CreateMany(ctx, ins, nil); err != nil {
		t.Fatal(err)
	}
	var acts []activity.ManualInput
	for i := range 6000 {
		acts = append(acts, activity.ManualInput{Member: fmt.Sprintf("m%d@example.org", i%1500), Kind: activity.Post,
			At: start.Add(time.Duration(i) * time.Minute), Channel: "forum", ID: fmt.Sprint("p", i), Text: "Bonjour à tous"})
	}
	if _, err := a.b.Activity.AddManual(ctx, acts); err != nil {
		t.Fatal(err)
	}
	work := bundleOf(t, a)
	file := filepath.Join(t.TempDir(), "camille.hearth")
	if err := os.WriteFile(file, work, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ref.b.Team.Merge(ctx, strings.NewReader(string(work)), ""); err != nil {
		t.Fatal(err)
	}

	after := dump(t, ref)
	cut, completed := 0, 0
	for _, wait := range []time.Duration{30 * time.Millisecond, 150 * time.Millisecond, 400 * time.Millisecond, 900 * time.Millisecond} {
		if !killMerge(t, victimDir, victimCred, file, wait) {
			cut++
		}
		// The next open completes a merge cut short from its journal: the workspace is as
		// before the merge (killed before its journal was written) or as after, never half.
		b := reopen(t, victimDir, victimCred)
		rep, err := b.Workspace.Store.Check(ctx)
		if err != nil || !rep.OK {
			t.Fatalf("after a kill %v into the merge, the workspace check: %+v %v", wait, rep.Findings, err)
		}
		switch got := dump(t, &teamCopy{name: "victim", b: b}); got {
		case before:
		case after:
			completed++
		default:
			t.Fatalf("after a kill %v into the merge and an open, the copy is neither as before nor as after the merge", wait)
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d kills cut the merge short; %d opens found it whole", cut, completed)
	if cut < 2 {
		t.Fatalf("only %d of the kills came before the merge ended: the test proves nothing", cut)
	}
	b := reopen(t, victimDir, victimCred)
	defer b.Close()
	if _, err := b.Team.Merge(ctx, strings.NewReader(string(work)), ""); err != nil {
		t.Fatal(err)
	}
	got := dump(t, &teamCopy{name: "victim", b: b})
	if want := dump(t, ref); got != want {
		t.Fatalf("after the kills and a merge again, the copy differs from one merged undisturbed (%d vs %d bytes)", len(got), len(want))
	}
	if p, err := b.Members.List(ctx, members.ListQuery{Tag: "lyon", Limit: 1}); err != nil || p.Total != 1500 {
		t.Fatalf("members tagged lyon after the merge: %+v %v", p.Total, err)
	}
}

// openAt opens a workspace in dir with the credentials store in credDir.
func openAt(t *testing.T, dir, credDir string) *teamCopy {
	t.Helper()
	b := reopen(t, dir, credDir)
	t.Cleanup(func() { _ = b.Close() })
	return &teamCopy{name: filepath.Base(dir), b: b, clk: clock.NewManual(time.Now())}
}

func reopen(t *testing.T, dir, credDir string) *wiring.Backend {
	t.Helper()
	secrets, err := credentials.Open(credentials.Options{Dir: credDir, Keychain: credentials.KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	b, err := wiring.Open(context.Background(), wiring.Options{Dir: dir, Secrets: secrets, Zone: time.UTC})
	if err != nil {
		t.Fatalf("the workspace does not open: %v", err)
	}
	return b
}

// killMerge starts the child merging file into dir and kills it wait after it starts merging;
// it reports whether the merge had ended by then.
func killMerge(t *testing.T, dir, credDir, file string, wait time.Duration) (ended bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestMergeChild$", "-test.v")
	cmd.Env = append(os.Environ(), mergeChildEnv+"="+dir+"|"+credDir+"|"+file)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	for lines.Scan() && !strings.Contains(lines.Text(), "merging") {
	}
	time.Sleep(wait)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	for lines.Scan() {
		ended = ended || strings.Contains(lines.Text(), "merged")
	}
	_ = cmd.Wait()
	return ended
}
