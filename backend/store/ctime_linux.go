package store

import (
	"os"
	"syscall"
)

// changeTime is the file's status change time (ctime), which every write sets and nobody can
// set back (unlike the modification time, which `touch` restores).
func changeTime(st os.FileInfo) int64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return s.Ctim.Nano()
	}
	return 0
}
