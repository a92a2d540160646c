// Command benchsizes measures how Hearth's cost grows with the number of members (issue #13).
// At each size it writes a CSV of generated members, then runs the real CLI binary, each command
// in a new process, beside sqlite3 doing the same work on the same rows in the same run:
//
//   - import the CSV into an empty workspace (sqlite3: `.import` into a table with a unique
//     case-insensitive e-mail index);
//   - search a common surname, first page of 50 (sqlite3: LIKE over name, e-mail and tags, the
//     count and the first 50 by name);
//   - get one member by e-mail (sqlite3: the unique index);
//   - the first page of the list (sqlite3: the count and the first 50 by name);
//   - export every member to XLSX (sqlite3 reading its table, piped into a bare excelize
//     stream-writer loop).
//
// It writes a Markdown table per measure, one row per size: times (medians of three runs, or
// one run when Hearth's first is slow), peak memory (each process's maximum resident set, from
// wait4) and the ratio. The baselines share no code with Hearth: sqlite3 is the distribution's
// CLI, and the XLSX writer is this command's own "xlsx" mode, which imports nothing of Hearth;
// nor does the rest of this command, which only runs processes.
//
// The workspace that is searched is the one Hearth's first measured import wrote: the CLI's
// bulk import path is how the bench generates it.
//
// Two more sections run when asked: activity (activity.go, -activities) and team bundles
// (team.go, -team MEMBERS:ACTIVITIES: export, join and merge of one workspace, and the merge of
// 1,000 changes, beside sqlite3, gzip and age).
//
// Usage (`make bench` runs it from .ci/bench):
//
//	benchsizes -hearth BIN -sizes "10000 100000 1000000" -work DIR -out FILE.md
//	benchsizes -hearth BIN -sizes "" -team 100000:1000000 -work DIR -out FILE.md
//	benchsizes xlsx OUT.xlsx < rows.csv
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

func main() {
	os.Exit(mainCode(os.Args[1:]))
}

func mainCode(args []string) int {
	if len(args) > 0 && args[0] == "xlsx" {
		return xlsxMain(args[1:])
	}
	flags := flag.NewFlagSet("benchsizes", flag.ContinueOnError)
	hearth := flags.String("hearth", "", "the Hearth binary (go build -tags webkit2_41)")
	sizes := flags.String("sizes", "10000 100000 1000000", "numbers of members, separated by spaces")
	work := flags.String("work", "", "a directory for the files, workspaces and databases of each size")
	out := flags.String("out", "", "the Markdown file to write (rewritten after every measure)")
	activities := flags.Int("activities", 0, "activities of the activity section (0: not run)")
	activityMembers := flags.Int("activity-members", 100_000, "members of the activity section")
	team := flags.String("team", "", "members and activities of the team section, MEMBERS:ACTIVITIES (\"\": not run)")
	teamKeep := flags.Bool("team-keep", false, "keep the team section's directory, and use again a workspace A built before for the same sizes")
	once := flags.Duration("once-over", 20*time.Second, "measure once, not three times, when Hearth's first run takes longer")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	teamMembers, teamActivities, err := parseTeamSizes(*team)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchsizes:", err)
		return 2
	}
	b := &bench{hearth: *hearth, work: *work, out: *out, once: *once}
	err = b.run(*sizes)
	if err == nil && *activities > 0 {
		err = b.runActivity(*activityMembers, *activities)
	}
	if err == nil && teamMembers > 0 {
		err = b.runTeam(teamMembers, teamActivities, *teamKeep)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchsizes:", err)
		return 1
	}
	return 0
}

// bench is one run of the benchmark over every size.
type bench struct {
	hearth, self, work, out string
	once                    time.Duration
	sqlite                  string // sqlite3's version
	sizes                   []*size
	activity                *activityRun // the activity section, when run (activity.go)
	team                    *teamRun     // the team section, when run (team.go)
}

// size is what was measured at one number of members.
type size struct {
	n       int
	genSecs float64 // writing the CSV
	results map[string]measured
	// matches are how many members the search found: Hearth's total and sqlite3's count.
	hearthMatches, sqliteMatches int
	hearthDisk, sqliteDisk       int64
}

func (b *bench) run(sizes string) error {
	if b.hearth == "" || b.work == "" || b.out == "" {
		return errors.New("-hearth, -work and -out are needed")
	}
	var ns []int
	for _, f := range strings.Fields(sizes) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 2 {
			return fmt.Errorf("bad size %q", f)
		}
		ns = append(ns, n)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	b.self = self
	v, err := exec.Command("sqlite3", "-version").Output()
	if err != nil {
		return fmt.Errorf("sqlite3 is needed for the baseline (apt-get install sqlite3): %w", err)
	}
	b.sqlite = strings.Fields(string(v))[0]
	for _, n := range ns {
		fmt.Fprintf(os.Stderr, "benchsizes: %d members\n", n)
		if err := b.runSize(n); err != nil {
			return fmt.Errorf("%d members: %w", n, err)
		}
	}
	return nil
}

// runSize measures one size, writing the report after every measure, then removes its files.
func (b *bench) runSize(n int) error {
	dir := filepath.Join(b.work, strconv.Itoa(n))
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	s := &size{n: n, results: map[string]measured{}}
	b.sizes = append(b.sizes, s)

	csvPath := filepath.Join(dir, "members.csv")
	start := time.Now()
	probe, err := writeCSV(csvPath, n)
	if err != nil {
		return err
	}
	s.genSecs = time.Since(start).Seconds()
	ws, db := filepath.Join(dir, "ws"), filepath.Join(dir, "baseline.db")
	// nth is the target of run i: the kept workspace or database first, then throwaway ones.
	nth := func(path string, i int) string {
		if i == 0 {
			return path
		}
		return path + "-" + strconv.Itoa(i)
	}
	hearth := func(args ...string) (sample, error) {
		return run(command(b.hearth, append([]string{"--workspace", ws}, args...)...))
	}

	steps := []struct {
		key          string
		hearth, base side
	}{
		{"import", func(i int) (sample, error) {
			target := nth(ws, i)
			r, err := run(command(b.hearth, "--workspace", target, "members", "import", csvPath))
			if err != nil {
				return r, err
			}
			if created, rejected := countOf(r.out, "created"), countOf(r.out, "rejected"); created != n || rejected != 0 {
				return r, fmt.Errorf("hearth import: %d created, %d rejected of %d rows:\n%s", created, rejected, n, tail(r.out))
			}
			if i > 0 {
				return r, os.RemoveAll(target)
			}
			return r, nil
		}, func(i int) (sample, error) {
			target := nth(db, i)
			r, err := sqlite(target, sqliteImport(csvPath))
			if err != nil {
				return r, err
			}
			if got, err := sqliteCount(target, "SELECT count(*) FROM members;"); err != nil || got != n {
				return r, fmt.Errorf("sqlite3 import: %d rows of %d (%v)", got, n, err)
			}
			if i > 0 {
				return r, os.Remove(target)
			}
			return r, nil
		}},
		{"search", func(int) (sample, error) {
			r, err := hearth("members", "list", "--search", commonSurname, "--limit", "50")
			s.hearthMatches = lastNumber(r.out)
			return r, err
		}, func(int) (sample, error) {
			r, err := sqlite(db, sqliteSearch(commonSurname))
			s.sqliteMatches = firstNumber(r.out)
			return r, err
		}},
		{"get", func(int) (sample, error) {
			r, err := hearth("members", "get", probe)
			if err == nil && !strings.Contains(r.out, probe) {
				err = fmt.Errorf("hearth members get %s: not in its answer:\n%s", probe, r.out)
			}
			return r, err
		}, func(int) (sample, error) {
			r, err := sqlite(db, sqliteGet(probe))
			if err == nil && !strings.Contains(r.out, probe) {
				err = fmt.Errorf("sqlite3 get %s: not in its answer:\n%s", probe, r.out)
			}
			return r, err
		}},
		{"page", func(int) (sample, error) {
			r, err := hearth("members", "list", "--limit", "50")
			if total := lastNumber(r.out); err == nil && total != n {
				err = fmt.Errorf("hearth members list: %d members of %d:\n%s", total, n, tail(r.out))
			}
			return r, err
		}, func(int) (sample, error) {
			r, err := sqlite(db, sqliteFirstPage)
			if total := firstNumber(r.out); err == nil && total != n {
				err = fmt.Errorf("sqlite3 first page: %d members of %d", total, n)
			}
			return r, err
		}},
		{"export", func(i int) (sample, error) {
			path := filepath.Join(dir, fmt.Sprintf("hearth-%d.xlsx", i))
			r, err := hearth("members", "export", path)
			if got := firstNumber(r.out); err == nil && got != n {
				err = fmt.Errorf("hearth members export: %d members of %d:\n%s", got, n, tail(r.out))
			}
			return r, errors.Join(err, os.Remove(path))
		}, func(i int) (sample, error) {
			path := filepath.Join(dir, fmt.Sprintf("baseline-%d.xlsx", i))
			r, err := pipe(command("sqlite3", "-batch", "-csv", db, sqliteExportQuery), command(b.self, "xlsx", path))
			if got := firstNumber(r.out); err == nil && got != n {
				err = fmt.Errorf("baseline export: %d rows of %d", got, n)
			}
			return r, errors.Join(err, os.Remove(path))
		}},
	}
	for _, step := range steps {
		fmt.Fprintf(os.Stderr, "benchsizes: %d members: %s\n", n, step.key)
		m, err := measure(step.hearth, step.base, b.once)
		if err != nil {
			return fmt.Errorf("%s: %w", step.key, err)
		}
		s.results[step.key] = m
		if step.key == "import" {
			// The sorted pages of sqlite3 read an index on name, as Hearth's read its sort order;
			// it is built once, untimed, and counted in the database's size.
			if _, err := sqlite(db, sqliteNameIndex); err != nil {
				return err
			}
			if s.hearthDisk, err = dirSize(ws); err != nil {
				return err
			}
			if s.sqliteDisk, err = dirSize(db); err != nil {
				return err
			}
		}
		if err := b.write(); err != nil {
			return err
		}
	}
	return nil
}

// sqlite runs a script in sqlite3 on db, in a new process.
func sqlite(db, script string) (sample, error) {
	cmd := command("sqlite3", "-bail", "-batch", db)
	cmd.Stdin = strings.NewReader(script)
	return run(cmd)
}

// sqliteCount answers a count, untimed.
func sqliteCount(db, query string) (int, error) {
	out, err := exec.Command("sqlite3", "-batch", db, query).Output()
	return firstNumber(string(out)), err
}

var number = regexp.MustCompile(`\d[\d,]*`)

func atoi(s string) int {
	n, _ := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	return n
}

// firstNumber is the first number in s (thousands separated by commas or not), -1 if none.
func firstNumber(s string) int {
	if m := number.FindString(s); m != "" {
		return atoi(m)
	}
	return -1
}

// lastNumber is the last number in s, -1 if none: the total in "50 shown of 5,012 matching".
func lastNumber(s string) int {
	if ms := number.FindAllString(s, -1); len(ms) > 0 {
		return atoi(ms[len(ms)-1])
	}
	return -1
}

// countOf is the number just before word in s ("10,000 created"), -1 if none.
func countOf(s, word string) int {
	m := regexp.MustCompile(`(\d[\d,]*) ` + regexp.QuoteMeta(word)).FindStringSubmatch(s)
	if m == nil {
		return -1
	}
	return atoi(m[1])
}

// dirSize is the size of the files under path (a file's own size if it is one).
func dirSize(path string) (int64, error) {
	var total int64
	err := filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		return nil
	})
	return total, err
}
