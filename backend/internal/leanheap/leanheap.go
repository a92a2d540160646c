// Package leanheap tightens the garbage collector while bulk work runs: imports and exports,
// whose live data is small and garbage large (every row or member decoded once).
package leanheap

import (
	"runtime/debug"
	"sync"
)

// GCPercent is the garbage collector's target while bulk work runs: the heap may grow 30 %
// over what is live before a collection, rather than Go's default 100 %. An export's live data
// is small (excelize's sheet buffer, the rows in memory, the store's), its garbage large (every
// member decoded once), so collecting sooner costs little and keeps a 100,000-member export's
// peak about 40 MB lower; an import's is Badger's buffers and the keys it created.
const GCPercent = 30

var lean struct {
	sync.Mutex
	running int // bulk jobs running
	was     int // the process's own setting, restored when the last one ends
}

// Begin sets the collector's target for a bulk job until the returned func is called. Jobs
// running at once share the setting; the last to end restores the process's own (a setting of
// its own that collects sooner, or never, is kept).
func Begin() (restore func()) {
	lean.Lock()
	defer lean.Unlock()
	if lean.running == 0 {
		if lean.was = debug.SetGCPercent(GCPercent); lean.was < GCPercent {
			debug.SetGCPercent(lean.was)
		}
	}
	lean.running++
	var once sync.Once
	return func() {
		once.Do(func() {
			lean.Lock()
			defer lean.Unlock()
			if lean.running--; lean.running == 0 {
				debug.SetGCPercent(lean.was)
			}
		})
	}
}
