package members

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/store"
)

// TestMain lets this test binary double as the child that the crash test kills mid-write.
func TestMain(m *testing.M) {
	if dir := os.Getenv("HEARTH_CRASH_CHILD_DIR"); dir != "" {
		writeUntilKilled(dir)
		return
	}
	if dir := os.Getenv("HEARTH_CRASH_BUILD_DIR"); dir != "" {
		buildUntilKilled(dir)
		return
	}
	os.Exit(m.Run())
}

// writeUntilKilled adds members in batches, forever, printing each batch it committed.
func writeUntilKilled(dir string) {
	st, err := store.Open(store.Options{Dir: dir, KeyringPath: dir + "/keyring", GCInterval: -1})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	svc := NewService(st, clock.System{}, nil)
	for batch := 0; ; batch++ {
		ins := make([]CreateInput, 500)
		for i := range ins {
			ins[i] = CreateInput{Name: fmt.Sprintf("Crash %d-%d", batch, i), Emails: []string{fmt.Sprintf("c%d-%d@example.org", batch, i)}, Tags: []string{"crash"}}
		}
		if _, err := svc.CreateMany(context.Background(), ins, nil); err != nil {
			fmt.Println("write:", err)
			os.Exit(3)
		}
		fmt.Println("committed", batch)
	}
}

// buildUntilKilled rebuilds the member directory from the records, forever, as a workspace from
// before the directory does on its first open.
func buildUntilKilled(dir string) {
	st, err := store.Open(store.Options{Dir: dir, KeyringPath: dir + "/keyring", GCInterval: -1})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	svc := NewService(st, clock.System{}, nil)
	for {
		svc.writeMu.Lock()
		err := svc.buildDirectory(context.Background())
		svc.writeMu.Unlock()
		if err != nil {
			fmt.Println("build:", err)
			os.Exit(3)
		}
		fmt.Println("built")
	}
}

// killChild starts this test binary as a child in the mode env names and kills it after wait.
func killChild(t *testing.T, env string, wait time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(wait)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
}

// TestAKillMidDirectoryBuildLeavesAWorkspaceThatListsRight kills a process while it rebuilds
// the member directory from the records (what the first open of an older workspace does), then
// expects the next open to list every member and workspace check to find nothing wrong.
func TestAKillMidDirectoryBuildLeavesAWorkspaceThatListsRight(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(store.Options{Dir: dir, KeyringPath: dir + "/keyring", GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	svc := NewService(st, clock.System{}, nil)
	ins := make([]CreateInput, 3000)
	for i := range ins {
		ins[i] = CreateInput{Name: fmt.Sprintf("Léa Dupont %d", i), Emails: []string{fmt.Sprintf("lea%d@exemple.fr", i)}, Tags: []string{"lyon"}}
	}
	if _, err := svc.CreateMany(context.Background(), ins, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	for _, wait := range []time.Duration{300 * time.Millisecond, 700 * time.Millisecond, 1100 * time.Millisecond} {
		killChild(t, "HEARTH_CRASH_BUILD_DIR="+dir, wait)
	}
	st, err = store.Open(store.Options{Dir: dir, KeyringPath: dir + "/keyring", GCInterval: -1})
	if err != nil {
		t.Fatalf("workspace does not reopen after a kill mid-build: %v", err)
	}
	defer st.Close()
	svc = NewService(st, clock.System{}, nil)
	p, err := svc.List(context.Background(), ListQuery{Search: "dupont 2999", Limit: 10})
	if err != nil || p.Total != 1 || p.Items[0].Name != "Léa Dupont 2999" {
		t.Fatalf("after the kills: %+v %v", p, err)
	}
	if n, err := svc.Count(context.Background()); err != nil || n != len(ins) {
		t.Fatalf("count %d (%v), want %d", n, err, len(ins))
	}
	if rep, err := st.Check(context.Background()); err != nil || !rep.OK {
		t.Fatalf("workspace check after the kills: %v %+v", err, rep.Findings)
	}
}

func TestAKillMidWriteLeavesEveryRecordAndIndexConsistent(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "HEARTH_CRASH_CHILD_DIR="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // a few batches in, and most likely mid-transaction
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	st, err := store.Open(store.Options{Dir: dir, KeyringPath: dir + "/keyring", GCInterval: -1})
	if err != nil {
		t.Fatalf("workspace does not reopen after a kill: %v", err)
	}
	defer st.Close()
	records := 0
	err = st.View(func(tx *store.Tx) error {
		// Every live member owns its e-mail index entry...
		if err := store.Scan(tx, collection, func(id string, m Member, _ store.Meta) error {
			records++
			for _, e := range m.Emails {
				owner, err := store.Lookup(tx, collection, "email", emailKey(e))
				if err != nil || owner != id {
					return fmt.Errorf("member %s: e-mail index for %s points to %q (%v)", id, e, owner, err)
				}
			}
			return nil
		}); err != nil {
			return err
		}
		// ...and every tag index entry points to a live member.
		ids, err := store.IDsByIndex(tx, collection, "tag", "crash")
		if err != nil {
			return err
		}
		for _, id := range ids {
			if _, _, err := store.Get(tx, collection, id); errors.Is(err, errs.NotFound) {
				return fmt.Errorf("tag index names missing member %s", id)
			}
		}
		if len(ids) != records {
			return fmt.Errorf("%d tag entries for %d members", len(ids), records)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if records == 0 {
		t.Fatal("the child committed nothing before it was killed: the test proved nothing")
	}
	// The member directory committed with the records: lists and check agree with them.
	svc := NewService(st, clock.System{}, nil)
	if n, err := svc.Count(context.Background()); err != nil || n != records {
		t.Fatalf("the directory counts %d members (%v), the records %d", n, err, records)
	}
	if rep, err := st.Check(context.Background()); err != nil || !rep.OK {
		t.Fatalf("workspace check after the kill: %v %+v", err, rep.Findings)
	}
	t.Logf("%d members survived the kill, all consistent", records)
}
