package store

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

const canTrim = true

var pageSize = int64(os.Getpagesize())

// residentFileBytes is how many bytes of file-backed (and shared) pages the process holds: the
// third field of /proc/self/statm, in pages. 0 when it cannot be read.
func residentFileBytes() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 3 {
		return 0
	}
	n, err := strconv.ParseInt(string(f[2]), 10, 64)
	if err != nil {
		return 0
	}
	return n * pageSize
}

// trimMappings asks the kernel to reclaim the pages of the process's mappings of files under
// roots (each ending in a separator): see resident.go.
func trimMappings(roots []string) {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		start, end, ok := trimmable(sc.Text(), roots)
		if !ok {
			continue
		}
		_, _, _ = unix.Syscall(unix.SYS_MADVISE, start, end-start, unix.MADV_PAGEOUT)
	}
}

// trimmable reads one line of /proc/self/maps ("start-end perms offset dev inode path") and
// says whether its mapping may be trimmed: a file under one of roots, mapped shared, or private
// and read-only (a private writable mapping holds writes that exist nowhere else).
func trimmable(line string, roots []string) (start, end uintptr, ok bool) {
	fields := strings.Fields(line)
	if len(fields) < 6 {
		return 0, 0, false
	}
	path := strings.Join(fields[5:], " ")
	under := false
	for _, r := range roots {
		if strings.HasPrefix(path, r) {
			under = true
			break
		}
	}
	perms := fields[1]
	if !under || len(perms) < 4 || (perms[3] != 's' && perms[1] == 'w') {
		return 0, 0, false
	}
	lo, hi, found := strings.Cut(fields[0], "-")
	if !found {
		return 0, 0, false
	}
	s, err1 := strconv.ParseUint(lo, 16, 64)
	e, err2 := strconv.ParseUint(hi, 16, 64)
	if err1 != nil || err2 != nil || e <= s {
		return 0, 0, false
	}
	return uintptr(s), uintptr(e), true
}
