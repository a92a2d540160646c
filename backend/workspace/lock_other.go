//go:build !unix

package workspace

// dirLock is a no-op where flock is unavailable: Badger's own directory lock still refuses a
// second process, and store.Open maps that refusal to the same "workspace_locked" error.
type dirLock struct{}

func lockDir(string) (*dirLock, error) { return &dirLock{}, nil }

func (*dirLock) release() {}
