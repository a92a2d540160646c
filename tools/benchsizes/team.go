package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The team section (issue #14, part 10): one workspace A of -team members and activities, kept
// by Camille, shared with a teammate Dominique through bundles, each command in a new process
// with the person's own HEARTH_CONFIG_DIR (a laptop each) and X25519 recipients:
//
//   - A exports a full bundle for Dominique (baseline: `sqlite3 db .dump | gzip -1 | age -r KEY`
//     on a database holding the same rows);
//   - Dominique joins it into a new directory B (baseline: `age -d -i KEY | gunzip | sqlite3`
//     into a new database);
//   - B merges the same full bundle again: nothing is new, the cost of reading a whole bundle
//     (no baseline);
//   - untimed: B sends A a full bundle, which A merges, so that A knows what B holds; then
//     1,000 members of A change (a new tag, through `members import` of their e-mails);
//   - A exports what changed for Dominique (`--for Dominique`), and B merges it: the report
//     must say 1,000 updated (baseline: sqlite3 applying 1,000 UPDATEs in one transaction).
//
// Workspace A and the baseline's database are built untimed through the CLI's bulk imports
// from the activity section's CSVs (writeActivityCSVs).

// teamChanges is how many members change between the full bundle and the bundle of changes.
const teamChanges = 1000

// teamMeasures are the team section's rows, in order.
var teamMeasures = []struct{ key, hearth, baseline string }{
	{"team-export", "A's full bundle for Dominique: `hearth --workspace A workspace export --out full.hearth --recipient age1…`",
		"`sqlite3 db .dump | gzip -1 | age -r age1… > dump.sql.gz.age` (wall time of the pipeline, CPU and peak memory: its three processes')"},
	{"team-join", "Dominique joins it into a new directory: `hearth --workspace B workspace join full.hearth`",
		"`age -d -i key.txt dump.sql.gz.age | gunzip | sqlite3 new.db`"},
	{"team-merge-full", "B merges the same full bundle again (nothing new): `hearth --workspace B workspace merge full.hearth`",
		"none"},
	{"team-export-changes", "after 1,000 members of A changed, A's bundle of what changed for Dominique: `workspace export --for Dominique`",
		"none"},
	{"team-merge-changes", "B merges that bundle (into a copy of B made and opened once untimed before each run): `workspace merge changes.hearth`",
		"sqlite3 applying the same 1,000 `UPDATE members SET tags = … WHERE email = …` in one transaction (it decrypts and compares nothing)"},
}

// teamRun is what the team section measured.
type teamRun struct {
	members, activities   int
	genSecs, setupSecs    float64
	reused                bool // A and the database were kept from a run before (-team-keep)
	results               map[string]measured
	records               int // records in the full bundle
	changeRecords         int // records in the bundle of changes
	full, changes, dump   int64
	workspaceA, joinedB   int64
	sqliteDB              int64
	mergeFull, mergeDelta mergeReport
}

// mergeReport is what `workspace merge --json` and `workspace join --json` answer.
type mergeReport struct {
	Added, Updated, Deleted, Unchanged, Erased, Duplicates int
	Conflicts                                              []json.RawMessage
}

// exportReport is what `workspace export --json` answers.
type exportReport struct {
	Records, Erasures, Suppressions int
}

// parseTeamSizes reads -team: "MEMBERS:ACTIVITIES", "" or "off" for none.
func parseTeamSizes(s string) (members, activities int, err error) {
	if s == "" || s == "off" {
		return 0, 0, nil
	}
	m, a, ok := strings.Cut(s, ":")
	members, err1 := strconv.Atoi(strings.TrimSpace(m))
	activities, err2 := strconv.Atoi(strings.TrimSpace(a))
	if !ok || err1 != nil || err2 != nil || members < teamChanges || activities < 0 {
		return 0, 0, fmt.Errorf("bad -team %q: MEMBERS:ACTIVITIES, at least %d members", s, teamChanges)
	}
	return members, activities, nil
}

// writeChangesCSV writes `email,tags`: changes members of the activity CSV's, spread evenly over
// them, each given tag (a member import adds a tag to an existing member's).
func writeChangesCSV(path string, members, changes int, tag string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "email,tags")
	for i := range changes {
		fmt.Fprintf(w, "%s,%s\n", activityEmail(i*members/changes), tag)
	}
	return errors.Join(w.Flush(), f.Close())
}

// sqliteUpdates is the baseline of the merge of changes: the same members given the same tag,
// one transaction.
func sqliteUpdates(members, changes int, tag string) string {
	var b strings.Builder
	b.WriteString("BEGIN;\n")
	for i := range changes {
		fmt.Fprintf(&b, "UPDATE members SET tags = '%s' WHERE email = '%s' COLLATE NOCASE;\n", tag, activityEmail(i*members/changes))
	}
	b.WriteString("COMMIT;\n")
	return b.String()
}

// person is one simulated laptop: its own configuration directory, hence its own key.
type person struct{ name, config string }

func (p person) command(hearth string, args ...string) *exec.Cmd {
	cmd := command(hearth, args...)
	cmd.Env = append(cmd.Env, "HEARTH_KEYCHAIN=off", "HEARTH_CONFIG_DIR="+p.config)
	return cmd
}

// runJSON runs a Hearth command that answers JSON, and decodes it into v.
func runJSON(cmd *exec.Cmd, v any) (sample, error) {
	r, err := run(cmd)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(r.out), v); err != nil {
		return r, fmt.Errorf("%s: %w:\n%s", strings.Join(cmd.Args, " "), err, tail(r.out))
	}
	return r, nil
}

// runTeam measures the team section, writing the report after every measure. The directory is
// removed at the end unless keep; with keep, a workspace A and a database built before for the
// same sizes are used again (their setup is untimed anyway).
func (b *bench) runTeam(members, activities int, keep bool) error {
	dir := filepath.Join(b.work, "team")
	t := &teamRun{members: members, activities: activities, results: map[string]measured{}}
	b.team = t
	camille := person{"Camille", filepath.Join(dir, "camille")}
	dominique := person{"Dominique", filepath.Join(dir, "dominique")}
	wsA, wsB := filepath.Join(dir, "A"), filepath.Join(dir, "B")
	db, keyFile := filepath.Join(dir, "baseline.db"), filepath.Join(dir, "age-key.txt")
	ready := filepath.Join(dir, "ready")
	want := fmt.Sprintf("%d:%d\n", members, activities)
	if got, err := os.ReadFile(ready); !keep || err != nil || string(got) != want {
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
		if err := b.teamSetup(dir, camille, wsA, db, keyFile); err != nil {
			return fmt.Errorf("team setup: %w", err)
		}
		if err := os.WriteFile(ready, []byte(want), 0o644); err != nil {
			return err
		}
	} else {
		t.reused = true
	}
	if !keep {
		defer os.RemoveAll(dir)
	}
	// Whatever a run before left of B and the bundles.
	for _, p := range []string{wsB, filepath.Join(dir, "out")} {
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(dominique.config, 0o700); err != nil {
		return err
	}
	var err error
	if t.workspaceA, err = workspaceSize(wsA); err != nil {
		return err
	}
	if t.sqliteDB, err = dirSize(db); err != nil {
		return err
	}
	identity := func(p person) (string, error) {
		r, err := run(p.command(b.hearth, "workspace", "identity"))
		return strings.TrimSpace(r.out), err
	}
	keyA, err := identity(camille)
	if err != nil {
		return err
	}
	keyD, err := identity(dominique)
	if err != nil {
		return err
	}
	baseKey, err := exec.Command("age-keygen", "-y", keyFile).Output()
	if err != nil {
		return fmt.Errorf("age-keygen -y %s: %w", keyFile, err)
	}
	nth := func(path string, i int) string {
		if i == 0 {
			return path
		}
		return path + "-" + strconv.Itoa(i)
	}
	full, dump := filepath.Join(out, "full.hearth"), filepath.Join(out, "dump.sql.gz.age")
	changes := filepath.Join(out, "changes.hearth")
	tag := fmt.Sprintf("team-bench-%d", time.Now().Unix()) // new at every run, so that a kept A changes
	onA := func(args ...string) *exec.Cmd {
		return camille.command(b.hearth, append([]string{"--workspace", wsA}, args...)...)
	}
	onB := func(ws string, args ...string) *exec.Cmd {
		return dominique.command(b.hearth, append([]string{"--workspace", ws}, args...)...)
	}
	// between runs untimed work between measures.
	steps := []struct {
		key          string
		hearth, base side
		before       func() error
	}{
		{key: "team-export", hearth: func(i int) (sample, error) {
			var rep exportReport
			r, err := runJSON(onA("workspace", "export", "--out", nth(full, i), "--recipient", keyD, "--json"), &rep)
			if err == nil && rep.Records < members {
				err = fmt.Errorf("hearth workspace export: %d records, fewer than %d members", rep.Records, members)
			}
			if err == nil && i == 0 {
				t.records = rep.Records
				t.full, err = dirSize(full)
			} else if err == nil {
				err = os.Remove(nth(full, i))
			}
			return r, err
		}, base: func(i int) (sample, error) {
			f, err := os.Create(nth(dump, i))
			if err != nil {
				return sample{}, err
			}
			last := command("age", "-r", strings.TrimSpace(string(baseKey)))
			last.Stdout = f
			r, err := pipeline(command("sqlite3", "-batch", db, ".dump"), command("gzip", "-1"), last)
			err = errors.Join(err, f.Close())
			if err == nil && i == 0 {
				t.dump, err = dirSize(dump)
			} else if err == nil {
				err = os.Remove(nth(dump, i))
			}
			return r, err
		}},
		{key: "team-join", hearth: func(i int) (sample, error) {
			var rep mergeReport
			r, err := runJSON(onB(nth(wsB, i), "workspace", "join", full, "--json"), &rep)
			if err == nil && rep.Added != t.records {
				err = fmt.Errorf("hearth workspace join: %d added of %d records", rep.Added, t.records)
			}
			if err == nil && i == 0 {
				t.joinedB, err = workspaceSize(wsB)
			} else if err == nil {
				err = os.RemoveAll(nth(wsB, i))
			}
			return r, err
		}, base: func(i int) (sample, error) {
			target := filepath.Join(out, fmt.Sprintf("joined-%d.db", i))
			r, err := pipeline(command("age", "-d", "-i", keyFile, dump), command("gunzip"), command("sqlite3", "-bail", "-batch", target))
			if err == nil {
				if got, cerr := sqliteCount(target, "SELECT count(*) FROM members;"); cerr != nil || got != members {
					err = fmt.Errorf("baseline join: %d members of %d (%v)", got, members, cerr)
				}
			}
			return r, errors.Join(err, os.Remove(target))
		}},
		{key: "team-merge-full", before: func() error {
			_, err := run(onB(wsB, "workspace", "whoami", "--name", dominique.name))
			return err
		}, hearth: func(i int) (sample, error) {
			r, err := runJSON(onB(wsB, "workspace", "merge", full, "--json"), &t.mergeFull)
			if err == nil && (t.mergeFull.Unchanged != t.records || t.mergeFull.Added+t.mergeFull.Updated+t.mergeFull.Deleted != 0) {
				err = fmt.Errorf("hearth workspace merge of the same bundle: %+v, want %d unchanged", t.mergeFull, t.records)
			}
			return r, err
		}},
		{key: "team-export-changes", before: func() error {
			// A merges a full bundle of B's, so that it knows what B holds; then the changes.
			back := filepath.Join(out, "back.hearth")
			if _, err := run(onB(wsB, "workspace", "export", "--out", back, "--recipient", keyA, "--json")); err != nil {
				return err
			}
			if _, err := run(onA("workspace", "merge", back, "--json")); err != nil {
				return err
			}
			csv := filepath.Join(out, "changes.csv")
			if err := writeChangesCSV(csv, members, teamChanges, tag); err != nil {
				return err
			}
			var rep struct{ Created, Updated, Rejected int }
			if _, err := runJSON(onA("members", "import", csv, "--json"), &rep); err != nil {
				return err
			}
			if rep.Updated != teamChanges || rep.Created+rep.Rejected != 0 {
				return fmt.Errorf("hearth members import of the changes: %+v, want %d updated", rep, teamChanges)
			}
			return nil
		}, hearth: func(i int) (sample, error) {
			var rep exportReport
			r, err := runJSON(onA("workspace", "export", "--out", nth(changes, i), "--recipient", keyD, "--for", dominique.name, "--json"), &rep)
			if err == nil && (rep.Records < teamChanges || rep.Records > 2*teamChanges) {
				err = fmt.Errorf("hearth workspace export --for: %d records, want about %d", rep.Records, teamChanges)
			}
			if err == nil && i == 0 {
				t.changeRecords = rep.Records
				t.changes, err = dirSize(changes)
			} else if err == nil {
				err = os.Remove(nth(changes, i))
			}
			return r, err
		}},
		{key: "team-merge-changes", hearth: func(i int) (sample, error) {
			target := filepath.Join(out, fmt.Sprintf("B-merge-%d", i))
			if err := exec.Command("cp", "-a", wsB, target).Run(); err != nil {
				return sample{}, fmt.Errorf("cp -a %s %s: %w", wsB, target, err)
			}
			// A copied file has a new change time, so opening the copy verifies every table
			// again, as B's own next open would not: a first open, untimed, does it.
			if _, err := run(onB(target, "workspace", "whoami")); err != nil {
				return sample{}, err
			}
			var rep mergeReport
			r, err := runJSON(onB(target, "workspace", "merge", changes, "--json"), &rep)
			if err == nil && rep.Updated != teamChanges {
				err = fmt.Errorf("hearth workspace merge of the changes: %+v, want %d updated", rep, teamChanges)
			}
			t.mergeDelta = rep
			return r, errors.Join(err, os.RemoveAll(target))
		}, base: func(int) (sample, error) {
			r, err := sqlite(db, sqliteUpdates(members, teamChanges, tag))
			if err == nil {
				q := fmt.Sprintf("SELECT count(*) FROM members WHERE tags = '%s';", tag)
				if got, cerr := sqliteCount(db, q); cerr != nil || got != teamChanges {
					err = fmt.Errorf("baseline updates: %d members tagged of %d (%v)", got, teamChanges, cerr)
				}
			}
			return r, err
		}},
	}
	for _, step := range steps {
		if step.before != nil {
			fmt.Fprintf(os.Stderr, "benchsizes: team: before %s (untimed)\n", step.key)
			if err := step.before(); err != nil {
				return fmt.Errorf("%s: %w", step.key, err)
			}
		}
		fmt.Fprintf(os.Stderr, "benchsizes: team: %s\n", step.key)
		base := step.base
		if base == nil {
			base = func(int) (sample, error) { return sample{}, nil }
		}
		m, err := measure(step.hearth, base, b.once)
		if err != nil {
			return fmt.Errorf("%s: %w", step.key, err)
		}
		if step.base == nil {
			m.base = nil
		}
		t.results[step.key] = m
		if err := b.write(); err != nil {
			return err
		}
	}
	return nil
}

// teamSetup writes the CSVs and builds, untimed, workspace A (Camille's) and the baseline's
// database from them, and the baseline's age identity.
func (b *bench) teamSetup(dir string, camille person, wsA, db, keyFile string) error {
	t := b.team
	if err := os.MkdirAll(camille.config, 0o700); err != nil {
		return err
	}
	start := time.Now()
	fmt.Fprintf(os.Stderr, "benchsizes: team: writing %d members and %d activities\n", t.members, t.activities)
	membersCSV, activityCSV, err := writeActivityCSVs(dir, t.members, t.activities)
	if err != nil {
		return err
	}
	t.genSecs = time.Since(start).Seconds()
	start = time.Now()
	fmt.Fprintf(os.Stderr, "benchsizes: team: building workspace A (untimed)\n")
	onA := func(args ...string) *exec.Cmd {
		return camille.command(b.hearth, append([]string{"--workspace", wsA}, args...)...)
	}
	r, err := run(onA("members", "import", membersCSV))
	if err == nil && countOf(r.out, "created") != t.members {
		err = fmt.Errorf("hearth members import: not %d created:\n%s", t.members, tail(r.out))
	}
	if err != nil {
		return err
	}
	if r, err = run(onA("activity", "import", activityCSV, "--json")); err != nil {
		return err
	}
	if compact := strings.Join(strings.Fields(r.out), ""); !strings.Contains(compact, `"rejected":0`) {
		return fmt.Errorf("hearth activity import: rows rejected:\n%s", tail(r.out))
	}
	if _, err := run(onA("workspace", "whoami", "--name", camille.name)); err != nil {
		return err
	}
	t.setupSecs = time.Since(start).Seconds()
	fmt.Fprintf(os.Stderr, "benchsizes: team: building the baseline's database (untimed)\n")
	script := sqliteActivityMembers + fmt.Sprintf(".import --csv --skip 1 '%s' members\n", membersCSV) +
		"ALTER TABLE members ADD COLUMN tags TEXT NOT NULL DEFAULT '';\n" +
		sqliteActivitySchema + fmt.Sprintf(".import --csv --skip 1 '%s' activity\n", activityCSV)
	if _, err := sqlite(db, script); err != nil {
		return err
	}
	if out, err := exec.Command("age-keygen", "-o", keyFile).CombinedOutput(); err != nil {
		return fmt.Errorf("age-keygen (apt-get install age): %w: %s", err, out)
	}
	return errors.Join(os.Remove(membersCSV), os.Remove(activityCSV))
}

// teamMarkdown is the team section of the report ("" when it was not run).
func (b *bench) teamMarkdown() string {
	t := b.team
	if t == nil {
		return ""
	}
	var w strings.Builder
	setup := fmt.Sprintf("CSVs written in %s, A built in %s", seconds(t.genSecs), seconds(t.setupSecs))
	if t.reused {
		setup = "A and the database kept from a run before (`-team-keep`)"
	}
	fmt.Fprintf(&w, `
Team bundles (issue #14): workspace A of %s members and %s activities (the activity section's
generated CSVs, imported untimed through `+"`members import`"+` and `+"`activity import`"+`; %s),
kept by Camille, shared with Dominique; each person has their own `+"`HEARTH_CONFIG_DIR`"+` (own
key), bundles are encrypted to X25519 recipients. The real CLI in new processes, beside a
baseline of standard tools (sqlite3 %s, gzip, age) on a database holding the same rows, built
untimed. Times are medians of 3 runs, or 1 where Hearth's first took over %s.

| work | Hearth | Hearth CPU | Hearth peak memory | first run | baseline | baseline CPU | baseline peak memory | ratio | runs |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
`, thousands(t.members), thousands(t.activities), setup, b.sqlite, seconds(b.once.Seconds()))
	for _, m := range teamMeasures {
		r, ok := t.results[m.key]
		if !ok || len(r.hearth) == 0 {
			continue
		}
		h := summarize(r.hearth)
		base, baseCPU, baseMem, rat := "", "", "", ""
		if len(r.base) > 0 {
			s := summarize(r.base)
			base, baseCPU, baseMem, rat = seconds(s.secs), seconds(s.cpu), mebibytes(s.mib), ratio(h.secs, s.secs)
		}
		fmt.Fprintf(&w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |\n", m.key, seconds(h.secs), seconds(h.cpu), mebibytes(h.mib),
			seconds(r.hearth[0].secs), base, baseCPU, baseMem, rat, len(r.hearth))
	}
	fmt.Fprintln(&w)
	for _, m := range teamMeasures {
		fmt.Fprintf(&w, "- %s: %s; baseline: %s.\n", m.key, m.hearth, m.baseline)
	}
	mib := func(n int64) string { return mebibytes(float64(n) / (1 << 20)) }
	fmt.Fprintf(&w, `
| size | Hearth | baseline |
| --- | ---: | ---: |
| full bundle (%s records) / the baseline's dump, gzip -1, age | %s | %s |
| bundle of the changes (%s records) | %s | |
| workspace A (without its backups) / sqlite3 database | %s | %s |
| workspace B after the join (without its backups) | %s | |
`, thousands(t.records), mib(t.full), mib(t.dump), thousands(t.changeRecords), kibibytes(t.changes), mib(t.workspaceA), mib(t.sqliteDB), mib(t.joinedB))
	if r, ok := t.results["team-merge-changes"]; ok && len(r.hearth) > 0 {
		fmt.Fprintf(&w, "\nThe merge of the changes reported %d added, %d updated, %d unchanged, %d conflicts.\n",
			t.mergeDelta.Added, t.mergeDelta.Updated, t.mergeDelta.Unchanged, len(t.mergeDelta.Conflicts))
	}
	var aims []string
	if r, ok := t.results["team-merge-changes"]; ok && len(r.hearth) > 0 {
		aims = append(aims, aim("merge of 1,000 changes", summarize(r.hearth).secs, 1))
	}
	if r, ok := t.results["team-export"]; ok && len(r.hearth) > 0 {
		aims = append(aims, aim("full export", summarize(r.hearth).secs, 10))
	}
	if len(aims) > 0 {
		fmt.Fprintf(&w, "\nAims: %s.\n", strings.Join(aims, "; "))
	}
	return w.String()
}

// workspaceSize is the size of a workspace directory without its backups (a merge or an import
// takes one as large as the database, and a kept A piles them up).
func workspaceSize(dir string) (int64, error) {
	all, err := dirSize(dir)
	if err != nil {
		return 0, err
	}
	backups, err := dirSize(filepath.Join(dir, "backups"))
	if errors.Is(err, fs.ErrNotExist) {
		return all, nil
	}
	return all - backups, err
}

// aim says whether a time met its aim.
func aim(what string, secs, under float64) string {
	verdict := "met"
	if secs >= under {
		verdict = "missed"
	}
	return fmt.Sprintf("%s under %s: %s (%s)", what, seconds(under), verdict, seconds(secs))
}

func kibibytes(n int64) string {
	if n >= 10<<20 {
		return mebibytes(float64(n) / (1 << 20))
	}
	return fmt.Sprintf("%.0f KiB", float64(n)/1024)
}
