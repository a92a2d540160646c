//go:build unix

package workspace

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"hearth/backend/errs"
)

// LockFile is the lock file's name inside a workspace directory.
const LockFile = "hearth.lock"

// dirLock is an advisory flock on the workspace's lock file; the kernel drops it if the process
// dies, so a crash never leaves a workspace locked.
type dirLock struct{ f *os.File }

func lockDir(dir string) (*dirLock, error) {
	f, err := os.OpenFile(filepath.Join(dir, LockFile), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, errs.Wrap(errs.Unavailable, "workspace_unavailable", err, "workspace: open lock in "+dir)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, errs.Wrap(errs.Unavailable, "workspace_locked", err,
				fmt.Sprintf("workspace: %s is already open in another Hearth window or command", dir)).With("dir", dir)
		}
		return nil, errs.Wrap(errs.Unavailable, "workspace_unavailable", err, "workspace: lock "+dir)
	}
	_ = f.Truncate(0)
	_, _ = fmt.Fprintf(f, "%d\n", os.Getpid())
	return &dirLock{f: f}, nil
}

func (l *dirLock) release() {
	if l == nil || l.f == nil {
		return
	}
	_ = unix.Flock(int(l.f.Fd()), unix.LOCK_UN)
	_ = l.f.Close()
	l.f = nil
}
