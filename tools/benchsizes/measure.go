package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

// sample is one run of a command in a new process: its wall time, its CPU time (user and
// system), its peak resident memory and what it wrote. For a pipeline, CPU and peak memory are
// the sums of its processes' (they run together).
type sample struct {
	secs, cpu, mib float64
	out            string
}

// commandTimeout bounds every command, so that a hung one fails the bench instead of holding it.
const commandTimeout = time.Hour

// run runs cmd to its end and measures it. Its standard error goes to ours; a failure is an
// error that quotes it.
func run(cmd *exec.Cmd) (sample, error) {
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	start := time.Now()
	err := cmd.Start()
	if err == nil {
		err = wait(cmd)
	}
	secs := time.Since(start).Seconds()
	if err != nil {
		return sample{}, fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, tail(out.String()))
	}
	return sample{secs: secs, cpu: cpuSecs(cmd), mib: peakMiB(cmd), out: out.String()}, nil
}

// pipe runs from | to, both to their end, and measures them together.
func pipe(from, to *exec.Cmd) (sample, error) {
	return pipeline(from, to)
}

// pipeline runs cmds[0] | cmds[1] | ..., all to their end, and measures them together: the wall
// time of the whole, the sums of their CPU times and of their peaks. The last one's standard
// output is the sample's, unless it was given one.
func pipeline(cmds ...*exec.Cmd) (sample, error) {
	var out bytes.Buffer
	last := cmds[len(cmds)-1]
	if last.Stdout == nil {
		last.Stdout = &out
	}
	var ends []*os.File // every pipe end, closed here once the children hold them
	closeAll := func() {
		for _, f := range ends {
			f.Close()
		}
	}
	for i, cmd := range cmds[:len(cmds)-1] {
		r, w, err := os.Pipe()
		if err != nil {
			closeAll()
			return sample{}, err
		}
		ends = append(ends, r, w)
		cmd.Stdout, cmds[i+1].Stdin = w, r
	}
	for _, cmd := range cmds {
		cmd.Stderr = os.Stderr
	}
	start := time.Now()
	for i, cmd := range cmds {
		if err := cmd.Start(); err != nil {
			closeAll()
			for _, started := range cmds[:i] {
				_ = started.Wait()
			}
			return sample{}, err
		}
	}
	// Only the children hold the pipes now, so each sees the others' ends close.
	closeAll()
	errs := make([]error, len(cmds))
	for i, cmd := range cmds {
		errs[i] = wait(cmd)
	}
	secs := time.Since(start).Seconds()
	s := sample{secs: secs, out: out.String()}
	for i, cmd := range cmds {
		if errs[i] != nil {
			return sample{}, fmt.Errorf("%s: %w", strings.Join(cmd.Args, " "), errs[i])
		}
		s.cpu += cpuSecs(cmd)
		s.mib += peakMiB(cmd)
	}
	return s, nil
}

// peakMiB is a finished process's maximum resident set, from wait4's rusage (KiB on Linux).
func peakMiB(cmd *exec.Cmd) float64 {
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return float64(ru.Maxrss) / 1024
	}
	return 0
}

// wait waits for a started command, killing it when it outlives commandTimeout.
func wait(cmd *exec.Cmd) error {
	t := time.AfterFunc(commandTimeout, func() { _ = cmd.Process.Kill() })
	defer t.Stop()
	return cmd.Wait()
}

// cpuSecs is a finished process's user and system CPU time.
func cpuSecs(cmd *exec.Cmd) float64 {
	return (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
}

// command makes a command whose language is English, so that what Hearth prints can be read
// back.
func command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	env := []string{"LANG=C.UTF-8"}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k != "LANG" && k != "LANGUAGE" && k != "LC_ALL" && k != "LC_MESSAGES" {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	return cmd
}

// measured is one measure at one size: Hearth's runs and the baseline's, in the order they ran
// (alternately, so that the machine's load weighs on both alike).
type measured struct {
	hearth, base []sample
}

// side runs one side of a measure once: run number i.
type side func(i int) (sample, error)

// measure runs Hearth's side and the baseline's alternately: three times each, or once when
// Hearth's first run took longer than once (a slow command's median is not worth minutes).
func measure(hearth, base side, once time.Duration) (measured, error) {
	var m measured
	for i := range 3 {
		h, err := hearth(i)
		if err != nil {
			return m, err
		}
		b, err := base(i)
		if err != nil {
			return m, err
		}
		m.hearth, m.base = append(m.hearth, h), append(m.base, b)
		if i == 0 && h.secs > once.Seconds() {
			break
		}
	}
	return m, nil
}

// stat is what the report shows of a side: the median wall and CPU times, and the highest
// peak memory of its runs.
type stat struct{ secs, cpu, mib float64 }

func summarize(runs []sample) stat {
	var s stat
	var secs, cpu []float64
	for _, r := range runs {
		secs, cpu = append(secs, r.secs), append(cpu, r.cpu)
		s.mib = max(s.mib, r.mib)
	}
	s.secs, s.cpu = median(secs), median(cpu)
	return s
}

func median(xs []float64) float64 {
	slices.Sort(xs)
	return xs[len(xs)/2]
}

// tail is the end of a command's output, for an error message.
func tail(s string) string {
	if len(s) > 2000 {
		return "…" + s[len(s)-2000:]
	}
	return s
}
