package store

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/table"

	"hearth/backend/privatefile"
)

// Tables are checked block by block once: a table file never changes after Badger wrote it, so
// once every block of it matched its checksum, its fingerprint (id, size, modification and
// status change times: any write to the file changes the latter, and no one can set it back)
// is kept in verifiedTablesFile and the next opens only check the tables written since, and any
// whose fingerprint changed (a table overwritten in place). Opening therefore reads what was
// written since the last open, not the whole workspace; `hearth workspace check` reads it all.
// Deleting the file (it lives with the snapshots in cache/) only makes the next open read every
// table once.

const verifiedTablesFile = "tables.verified"

// tableFingerprint names one version of a table file.
func tableFingerprint(id uint64, st os.FileInfo) string {
	return fmt.Sprintf("%d %d %d %d", id, st.Size(), st.ModTime().UnixNano(), changeTime(st))
}

// readVerifiedTables returns the fingerprints of the tables verified so far (none when the file
// is missing or unreadable: they are verified again).
func readVerifiedTables(cacheDir string) map[string]bool {
	out := map[string]bool{}
	if cacheDir == "" {
		return out
	}
	f, err := os.Open(filepath.Join(cacheDir, verifiedTablesFile))
	if err != nil {
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		out[sc.Text()] = true
	}
	return out
}

// writeVerifiedTables records the fingerprints of the tables checked so far.
func writeVerifiedTables(cacheDir string, fingerprints []string) error {
	if cacheDir == "" {
		return nil
	}
	if err := os.MkdirAll(cacheDir, 0o700); err != nil {
		return err
	}
	slices.Sort(fingerprints)
	text := strings.Join(fingerprints, "\n") + "\n"
	path := filepath.Join(cacheDir, verifiedTablesFile)
	if was, err := os.ReadFile(path); err == nil && string(was) == text {
		return nil // the same tables as the last open: nothing to write (and sync)
	}
	return privatefile.Write(path, func(w io.Writer) error {
		_, err := io.WriteString(w, text)
		return err
	})
}

// verifyTable checks every block of a table against its checksum, reading the file into memory
// (one table: at most a few tens of MB) and never writing it.
func verifyTable(path string, id uint64, compression options.CompressionType) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("unreadable table: %v", p)
		}
	}()
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	t, err := table.OpenInMemoryTable(data, id, &table.Options{
		Compression: compression, BlockSize: 4 << 10, ChkMode: options.NoVerification,
	})
	if err != nil {
		return err
	}
	return t.VerifyChecksum()
}

// noteClosedFiles adds to the verified list, at a clean close, the tables and value logs the
// process wrote: Badger checksummed every block as it wrote it, and nothing has written them
// since, so the next open need not read them back (after an import of 1,000,000 members, some
// 700 MB of new tables: most of the next command's time). Every table of dir is listed: those
// there at open were verified by it (see preflight), the others are this process's. The newest
// value log is left out, as at open: it is written to again.
func noteClosedFiles(dir, cacheDir string) error {
	if cacheDir == "" {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var fps []string
	var vlogs []uint64
	stats := map[uint64]os.FileInfo{}
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if ext != ".sst" && ext != ".vlog" {
			continue
		}
		var id uint64
		if _, err := fmt.Sscanf(strings.TrimSuffix(e.Name(), ext), "%d", &id); err != nil {
			continue
		}
		st, err := e.Info()
		if err != nil {
			return err
		}
		if ext == ".sst" {
			fps = append(fps, tableFingerprint(id, st))
		} else {
			vlogs = append(vlogs, id)
			stats[id] = st
		}
	}
	slices.Sort(vlogs)
	for i, id := range vlogs {
		if i < len(vlogs)-1 {
			fps = append(fps, "v"+tableFingerprint(id, stats[id]))
		}
	}
	return writeVerifiedTables(cacheDir, fps)
}
