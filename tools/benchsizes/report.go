package main

import (
	"fmt"
	"os"
	"strings"
)

// measures are the report's tables, in order: what Hearth runs, what sqlite3 runs for it, and
// whether the cost should be read per member (work over every row) or as a whole (an answer
// of one page, which should not grow with the workspace).
var measures = []struct {
	key, hearth, baseline string
	perRow                bool
}{
	{"import", "import the CSV into an empty workspace: `hearth members import members.csv`",
		"sqlite3: the table, a unique `COLLATE NOCASE` index on e-mail, then `.import --csv`", true},
	{"search", "search a common surname in a new process: `hearth members list --search " + commonSurname + " --limit 50`",
		"sqlite3: `count(*)` and the first 50 by name `WHERE name LIKE '%" + commonSurname + "%' OR email LIKE … OR tags LIKE …`", false},
	{"get", "one member by e-mail in a new process: `hearth members get EMAIL`",
		"sqlite3: `WHERE email = … COLLATE NOCASE`, through the unique index", false},
	{"page", "the first page in a new process: `hearth members list --limit 50`",
		"sqlite3: `count(*)` and the first 50 by name, through the index on name", false},
	{"export", "export every member to XLSX: `hearth members export members.xlsx`",
		"sqlite3 reading every member by name, piped into a bare excelize stream-writer loop (CPU and peak memory: both processes')", true},
}

// write rewrites the report with what has been measured so far, so that a run stopped half-way
// leaves the sizes and measures it finished.
func (b *bench) write() error {
	return os.WriteFile(b.out, []byte(b.markdown()), 0o644)
}

func (b *bench) markdown() string {
	if len(b.sizes) == 0 {
		return b.activityMarkdown() + b.teamMarkdown() // the other sections alone (-sizes "")
	}
	var w strings.Builder
	var gen []string
	for _, s := range b.sizes {
		gen = append(gen, fmt.Sprintf("%s rows in %s", thousands(s.n), seconds(s.genSecs)))
	}
	fmt.Fprintf(&w, `Cost by size (issue #13): the real CLI (`+"`go build -tags webkit2_41`"+`), each command in a new
process, beside sqlite3 %s doing the same work on the same rows, alternately in the same run.
Times (wall, and CPU: user and system) are medians of 3 runs, or of 1 where Hearth's first run
took over %s (see runs); the ratio is of wall times; peak memory is the highest maximum resident
set of the runs (wait4's rusage). The rows are a generated CSV, `+"`name,email,tags`"+` (French
names with accents, unique e-mail addresses, one or two tags; one member in 20 is a Dupont).
Hearth's workspace is the one its first measured import wrote: the CLI's bulk import path is the
generator. sqlite3's table is the one its first `+"`.import`"+` wrote, given an index on name
afterwards (untimed) for the sorted pages. The baselines share no code with Hearth. Writing the
CSV (`+"`tools/benchsizes`"+`): %s.
`, b.sqlite, seconds(b.once.Seconds()), strings.Join(gen, ", "))

	for _, m := range measures {
		var rows []string
		var prev float64
		for _, s := range b.sizes {
			r, ok := s.results[m.key]
			if !ok {
				continue
			}
			h, base := summarize(r.hearth), summarize(r.base)
			growth := "" // the time per 1,000 members, or against the size before
			switch {
			case m.perRow:
				growth = seconds(h.secs / float64(s.n) * 1000)
			case prev > 0:
				growth = fmt.Sprintf("×%.1f", h.secs/prev)
			}
			prev = h.secs
			row := fmt.Sprintf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |", thousands(s.n), seconds(h.secs), seconds(h.cpu),
				mebibytes(h.mib), seconds(base.secs), seconds(base.cpu), mebibytes(base.mib), ratio(h.secs, base.secs), growth)
			if m.key == "search" {
				row += fmt.Sprintf(" %s / %s |", thousands(s.hearthMatches), thousands(s.sqliteMatches))
			}
			rows = append(rows, row+fmt.Sprintf(" %d |", len(r.hearth)))
		}
		if len(rows) == 0 {
			continue
		}
		fmt.Fprintf(&w, "\n%s; baseline: %s.\n\n", upperFirst(m.hearth), m.baseline)
		growth := "Hearth against the size before"
		if m.perRow {
			growth = "Hearth per 1,000 members"
		}
		head := "| members | Hearth | Hearth CPU | Hearth peak memory | baseline | baseline CPU | baseline peak memory | ratio | " + growth + " |"
		rule := "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
		if m.key == "search" {
			head += " found (Hearth / sqlite3) |"
			rule += " ---: |"
		}
		fmt.Fprintf(&w, "%s runs |\n%s ---: |\n%s\n", head, rule, strings.Join(rows, "\n"))
	}

	var disk []string
	for _, s := range b.sizes {
		if s.hearthDisk > 0 {
			disk = append(disk, fmt.Sprintf("| %s | %s | %s | %s |", thousands(s.n), mebibytes(float64(s.hearthDisk)/(1<<20)),
				mebibytes(float64(s.sqliteDisk)/(1<<20)), ratio(float64(s.hearthDisk), float64(s.sqliteDisk))))
		}
	}
	if len(disk) > 0 {
		fmt.Fprintf(&w, "\nOn disk after the import: Hearth's workspace directory; sqlite3's database with its two indexes.\n\n")
		fmt.Fprintf(&w, "| members | Hearth | sqlite3 | ratio |\n| ---: | ---: | ---: | ---: |\n%s\n", strings.Join(disk, "\n"))
	}
	return w.String() + b.activityMarkdown() + b.teamMarkdown()
}

// seconds writes a duration in seconds with three significant figures, in ms under a second.
func seconds(s float64) string {
	switch {
	case s < 0.01:
		return fmt.Sprintf("%.1f ms", s*1000)
	case s < 1:
		return fmt.Sprintf("%.0f ms", s*1000)
	case s < 10:
		return fmt.Sprintf("%.2f s", s)
	case s < 100:
		return fmt.Sprintf("%.1f s", s)
	}
	return fmt.Sprintf("%.0f s", s)
}

func mebibytes(m float64) string {
	if m < 10 {
		return fmt.Sprintf("%.1f MiB", m)
	}
	return fmt.Sprintf("%.0f MiB", m)
}

// ratio is how many times a is b: Hearth against its baseline.
func ratio(a, b float64) string {
	switch {
	case b <= 0:
		return ""
	case a/b < 10:
		return fmt.Sprintf("%.1f×", a/b)
	}
	return fmt.Sprintf("%.0f×", a/b)
}

// thousands writes n with thousands separated by commas, "?" if it was not read.
func thousands(n int) string {
	if n < 0 {
		return "?"
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func upperFirst(s string) string {
	return strings.ToUpper(s[:1]) + s[1:]
}
