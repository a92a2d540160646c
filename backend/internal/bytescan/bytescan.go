// Package bytescan is for tests that prove personal data is gone: it reads every byte of every
// file under a directory, as someone recovering data from a copied workspace would.
package bytescan

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FilesContaining lists the files under dir that contain needle as given, lower-cased or
// upper-cased.
func FilesContaining(t testing.TB, dir, needle string) []string {
	t.Helper()
	variants := [][]byte{[]byte(needle), []byte(strings.ToLower(needle)), []byte(strings.ToUpper(needle))}
	var hits []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, v := range variants {
			if bytes.Contains(b, v) {
				hits = append(hits, path)
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hits
}
