// Command windowbench times the real window (issue #13): the `wails build` binary
// (build/bin/hearth) started on a workspace of N members, in an X server (.ci/window-bench runs
// it under Xvfb), as a person would see it:
//
//   - first members: from the process's start to the first member rows painted on the Members
//     screen, the screen Hearth opens on;
//   - dashboard cards: from a click on "Dashboard" in the navigation (xdotool) to its KPI cards
//     painted, clicked as soon as the members are shown;
//   - idle memory: once the process and its children have been idle for 3 s, the resident
//     memory of the main process and of its children (WebKit's web and network processes).
//
// "Painted" is what the window itself says: the frontend calls StartupService.Painted once the
// frame showing the first rows (the cards) has been painted, and Hearth started with
// HEARTH_PAINTS=1 writes the wall-clock time of that call on stderr.
//
// At each size it uses DIR/N/ws if it exists (a workspace made beforehand), otherwise it writes
// a CSV of N generated members and imports it with the binary's own CLI (the bulk path). It
// writes a Markdown table (medians of -runs runs, each a new process) to -out.
//
// Usage:
//
//	windowbench -hearth build/bin/hearth -sizes "100000 1000000" -work DIR -out FILE.md [-runs 3]
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	os.Exit(mainCode(os.Args[1:]))
}

func mainCode(args []string) int {
	flags := flag.NewFlagSet("windowbench", flag.ContinueOnError)
	hearth := flags.String("hearth", "build/bin/hearth", "the window binary (make build)")
	sizes := flags.String("sizes", "100000 1000000", "numbers of members, separated by spaces")
	work := flags.String("work", "", "a directory for the CSV and workspace of each size (DIR/N/ws is reused when it exists)")
	out := flags.String("out", "", "the Markdown file to write (rewritten after every size)")
	runs := flags.Int("runs", 3, "window starts per size (the table shows medians)")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if *work == "" || *out == "" || *runs < 1 {
		fmt.Fprintln(os.Stderr, "windowbench: -work and -out are needed")
		return 2
	}
	if os.Getenv("DISPLAY") == "" {
		fmt.Fprintln(os.Stderr, "windowbench: no DISPLAY: run it through .ci/window-bench, which starts Xvfb")
		return 2
	}
	if _, err := exec.LookPath("xdotool"); err != nil {
		fmt.Fprintln(os.Stderr, "windowbench: xdotool is needed to click Dashboard (apt-get install xdotool)")
		return 2
	}
	var rows []string
	for _, f := range strings.Fields(*sizes) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "windowbench: bad size %q\n", f)
			return 2
		}
		row, err := measureSize(*hearth, *work, n, *runs)
		if err != nil {
			fmt.Fprintf(os.Stderr, "windowbench: %d members: %v\n", n, err)
			return 1
		}
		rows = append(rows, row)
		if err := os.WriteFile(*out, []byte(table(rows)), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "windowbench: %v\n", err)
			return 1
		}
	}
	return 0
}

func table(rows []string) string {
	return "| members | first members painted (from the process's start) | dashboard cards (from the click) | idle memory: main + WebKit processes = total |\n" +
		"| --- | --- | --- | --- |\n" + strings.Join(rows, "\n") + "\n"
}

// measureSize starts the window runs times on a workspace of n members and answers the row of
// the table.
func measureSize(hearth, work string, n, runs int) (string, error) {
	ws, err := workspaceOf(hearth, work, n)
	if err != nil {
		return "", err
	}
	var all []result
	for i := range runs {
		r, err := measureRun(hearth, ws)
		if err != nil {
			return "", fmt.Errorf("run %d: %w", i+1, err)
		}
		fmt.Fprintf(os.Stderr, "windowbench: %d members, run %d: members %v, dashboard %v, idle %d + %d MiB\n",
			n, i+1, r.members.Round(time.Millisecond), r.dashboard.Round(time.Millisecond), r.mainRSS>>20, r.childRSS>>20)
		all = append(all, r)
	}
	med := func(f func(result) float64) float64 {
		xs := make([]float64, len(all))
		for i, r := range all {
			xs[i] = f(r)
		}
		slices.Sort(xs)
		return xs[len(xs)/2]
	}
	span := func(f func(result) float64) string {
		if len(all) < 2 {
			return ""
		}
		lo, hi := f(all[0]), f(all[0])
		for _, r := range all[1:] {
			lo, hi = min(lo, f(r)), max(hi, f(r))
		}
		return fmt.Sprintf(" (%.0f–%.0f)", lo, hi)
	}
	ms := func(d func(result) time.Duration) func(result) float64 {
		return func(r result) float64 { return float64(d(r).Milliseconds()) }
	}
	mib := func(b func(result) int64) func(result) float64 {
		return func(r result) float64 { return float64(b(r)) / (1 << 20) }
	}
	first, dash := ms(func(r result) time.Duration { return r.members }), ms(func(r result) time.Duration { return r.dashboard })
	mainM, childM := mib(func(r result) int64 { return r.mainRSS }), mib(func(r result) int64 { return r.childRSS })
	total := mib(func(r result) int64 { return r.mainRSS + r.childRSS })
	return fmt.Sprintf("| %s | %.0f ms%s | %.0f ms%s | %.0f + %.0f = %.0f MiB%s |",
		thousands(n), med(first), span(first), med(dash), span(dash), med(mainM), med(childM), med(total), span(total)), nil
}

// workspaceOf answers DIR/N/ws, importing N generated members into it first when it does not
// exist.
func workspaceOf(hearth, work string, n int) (string, error) {
	dir := filepath.Join(work, strconv.Itoa(n))
	ws := filepath.Join(dir, "ws")
	if _, err := os.Stat(ws); err == nil {
		return ws, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	csv := filepath.Join(dir, "members.csv")
	if err := writeCSV(csv, n); err != nil {
		return "", err
	}
	fmt.Fprintf(os.Stderr, "windowbench: importing %d members into %s\n", n, ws)
	out, err := exec.Command(hearth, "--workspace", ws, "members", "import", csv).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("import: %v\n%s", err, out)
	}
	return ws, os.Remove(csv)
}

// writeCSV writes n generated members (accented French names, unique e-mails, one or two tags).
func writeCSV(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(13, 7))
	firsts := []string{"Hélène", "Marc", "Zoë", "François", "Amélie", "Jérôme", "Chloé", "Noël", "Inès", "Léa"}
	lasts := []string{"Dupont", "Lefèvre", "Martin", "Bernard", "Durand", "Moreau", "Garnier", "Guérin", "Faure", "Blanc"}
	tags := []string{"bénévole", "paris", "lyon", "donateur", "newsletter", "nouveau"}
	fmt.Fprintln(w, "name,email,tags")
	for i := range n {
		t := tags[r.IntN(len(tags))]
		if r.IntN(3) == 0 {
			t += "; " + tags[r.IntN(len(tags))]
		}
		fmt.Fprintf(w, "%s %s,m%d@example.org,%s\n", firsts[r.IntN(len(firsts))], lasts[r.IntN(len(lasts))], i, t)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

type result struct {
	members, dashboard time.Duration
	mainRSS, childRSS  int64
}

var paintedLine = regexp.MustCompile(`^hearth: painted "(\w+)" at (\d+)$`)

type mark struct {
	what string
	at   time.Time
}

// measureRun starts the window once on ws, clicks Dashboard once the members are painted,
// waits for it to be idle, reads its memory and closes it.
func measureRun(hearth, ws string) (result, error) {
	var r result
	cmd := exec.Command(hearth, "--workspace", ws)
	cmd.Env = append(os.Environ(), "HEARTH_PAINTS=1", "LANG=en_US.UTF-8", "LC_ALL=",
		"WEBKIT_DISABLE_COMPOSITING_MODE=1", "NO_AT_BRIDGE=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return r, err
	}
	cmd.Stdout = io.Discard
	marks := make(chan mark, 4)
	var logs strings.Builder
	logDone := make(chan struct{})
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return r, err
	}
	go func() {
		defer close(logDone)
		s := bufio.NewScanner(stderr)
		for s.Scan() {
			if m := paintedLine.FindStringSubmatch(s.Text()); m != nil {
				ms, _ := strconv.ParseInt(m[2], 10, 64)
				marks <- mark{m[1], time.UnixMilli(ms)}
				continue
			}
			if logs.Len() < 1<<16 {
				logs.WriteString(s.Text() + "\n")
			}
		}
	}()
	exited := make(chan error, 1)
	go func() {
		<-logDone
		exited <- cmd.Wait()
	}()
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-exited
		}
	}()
	wait := func(what string, limit time.Duration) (time.Time, error) {
		deadline := time.After(limit)
		for {
			select {
			case m := <-marks:
				if m.what == what {
					return m.at, nil
				}
			case err := <-exited:
				exited <- err
				return time.Time{}, fmt.Errorf("hearth exited (%v) before painting %s:\n%s", err, what, logs.String())
			case <-deadline:
				return time.Time{}, fmt.Errorf("no %s painted after %v:\n%s", what, limit, logs.String())
			}
		}
	}

	at, err := wait("members", 3*time.Minute)
	if err != nil {
		return r, err
	}
	r.members = at.Sub(start)

	win, err := windowNamed("Hearth — Members", 30*time.Second)
	if err != nil {
		return r, err
	}
	// The "Dashboard" link is the navigation's first, below the 56-pixel header.
	click := time.Now()
	if out, err := exec.Command("xdotool", "mousemove", "--window", win, "110", "80", "click", "1").CombinedOutput(); err != nil {
		return r, fmt.Errorf("xdotool: %v: %s", err, out)
	}
	at, err = wait("dashboard", 2*time.Minute)
	if err != nil {
		return r, err
	}
	r.dashboard = at.Sub(click)

	if err := waitIdle(cmd.Process.Pid, 3*time.Second, 3*time.Minute); err != nil {
		return r, err
	}
	r.mainRSS, r.childRSS = rssOf(cmd.Process.Pid)

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return r, err
	}
	select {
	case err := <-exited:
		if err != nil {
			// Said, not fatal: the figures were taken before.
			fmt.Fprintf(os.Stderr, "windowbench: exit after SIGTERM: %v\n%s", err, tail(logs.String()))
		}
	case <-time.After(60 * time.Second):
		return r, errors.New("still running 60 s after SIGTERM")
	}
	return r, nil
}

// windowNamed answers the X id of the window titled exactly title (xwininfo reads its UTF-8
// title, which xdotool's search by name does not match).
func windowNamed(title string, limit time.Duration) (string, error) {
	deadline := time.Now().Add(limit)
	quoted := `"` + title + `"`
	for {
		out, err := exec.Command("xwininfo", "-root", "-tree").Output()
		if err != nil {
			return "", fmt.Errorf("xwininfo: %w", err)
		}
		for _, line := range strings.Split(string(out), "\n") {
			if f := strings.Fields(line); len(f) > 1 && strings.Contains(line, quoted+":") {
				if id, err := strconv.ParseInt(f[0], 0, 64); err == nil {
					return strconv.FormatInt(id, 10), nil
				}
			}
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("no window titled %q after %v", title, limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitIdle waits until pid and its descendants used under 2 % of a core for quiet in a row.
func waitIdle(pid int, quiet, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	const step = 500 * time.Millisecond
	calm := time.Duration(0)
	last := cpuTicks(pid)
	for calm < quiet {
		if time.Now().After(deadline) {
			return fmt.Errorf("not idle after %v", limit)
		}
		time.Sleep(step)
		now := cpuTicks(pid)
		// 100 ticks a second: 2 % of a core over half a second is one tick.
		if now-last <= 1 {
			calm += step
		} else {
			calm = 0
		}
		last = now
	}
	return nil
}

// tree answers pid and its descendants.
func tree(pid int) []int {
	parent := map[int]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if f := statFields(p); len(f) > 3 {
			parent[p], _ = strconv.Atoi(f[3])
		}
	}
	out := []int{pid}
	for i := 0; i < len(out); i++ {
		for p, pp := range parent {
			if pp == out[i] {
				out = append(out, p)
			}
		}
	}
	return out
}

// statFields answers /proc/PID/stat split in fields, the command name (which may hold spaces)
// as one.
func statFields(pid int) []string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil
	}
	s := string(b)
	open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || close < open {
		return nil
	}
	return append([]string{s[:open-1], s[open+1 : close]}, strings.Fields(s[close+1:])...)
}

func cpuTicks(pid int) int64 {
	var sum int64
	for _, p := range tree(pid) {
		if f := statFields(p); len(f) > 14 {
			u, _ := strconv.ParseInt(f[13], 10, 64)
			s, _ := strconv.ParseInt(f[14], 10, 64)
			sum += u + s
		}
	}
	return sum
}

// rssOf answers the resident memory of pid and the sum of its descendants'.
func rssOf(pid int) (main, children int64) {
	for _, p := range tree(pid) {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				if p == pid {
					main = kb << 10
				} else {
					children += kb << 10
				}
			}
		}
	}
	return main, children
}

// tail is the end of a log, enough to see why a process ended.
func tail(s string) string {
	if len(s) > 2000 {
		return "…" + s[len(s)-2000:]
	}
	return s
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
