package store

import (
	"path/filepath"
	"time"
)

// Badger maps its files (tables, memtable logs, value logs) and writes them through the mapping,
// and the keyring and its index are mapped too (mapFile). Every page of those files that this
// process has written or read stays in its resident set until the file is closed, so a
// million-member import ended with 700 MB of file pages counted as Hearth's memory, and a window
// left open on a big workspace kept every page it ever read. Those pages are the kernel's page
// cache, which it keeps (or drops) whether or not Hearth maps them, the way it keeps the pages
// sqlite3 reads with read(2): the trimmer hands them back to it. Twice a second it reads how
// many file pages the process holds (cheap: /proc/self/statm), and when they pass
// residentFileBudget it asks the kernel to reclaim the pages of the workspace's mappings
// (madvise MADV_PAGEOUT, Linux 5.4 and later; older kernels refuse it and nothing happens). That
// never changes what a mapping reads: a dirty page is written back before it is dropped, and the
// next read maps it again from the cache or the disk. MADV_DONTNEED would be quicker but is not
// safe here: between reading /proc/self/maps and advising, Badger may unmap a file (a table
// deleted by a compaction) and the runtime map private memory at the same address, whose pages
// DONTNEED would zero; PAGEOUT on such memory only asks for it to be swapped. Only shared
// mappings and read-only private ones of files in the workspace are trimmed.

// residentFileBudget it advises the kernel that the workspace's mappings are not needed
// (madvise MADV_DONTNEED). For a shared file mapping that only unmaps the pages from the process:
// the data stays in the page cache, written-to pages stay dirty and are written back as usual,
// and the next read maps them again from the cache. Only shared mappings and read-only private
// ones of files in the workspace are trimmed; a private writable mapping would lose its writes.

// residentFileBudget is how many bytes of mapped workspace files the process may hold before
// they are trimmed.
const residentFileBudget = 64 << 20

// trimEvery is how often the trimmer looks.
const trimEvery = 500 * time.Millisecond

// startTrimmer trims the mappings of files under dirs until stop is closed; done is closed when
// it has stopped. Where the platform cannot (not Linux), it does nothing.
func startTrimmer(dirs []string, stop <-chan struct{}) (done <-chan struct{}) {
	d := make(chan struct{})
	var roots []string
	for _, dir := range dirs {
		if dir == "" {
			continue
		}
		if abs, err := filepath.Abs(dir); err == nil {
			dir = abs
		}
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			dir = real // /proc/self/maps names files by their real path
		}
		roots = append(roots, dir+string(filepath.Separator))
	}
	if !canTrim || len(roots) == 0 {
		close(d)
		return d
	}
	go func() {
		defer close(d)
		t := time.NewTicker(trimEvery)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if residentFileBytes() > residentFileBudget {
					trimMappings(roots)
				}
			}
		}
	}()
	return d
}
