package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hearth/backend/exports"
)

// TestTheWindowExportsTheMembersOfASegmentOnly: the Members screen's export of a table filtered
// by a saved segment writes that segment's members now, and no one else.
func TestTheWindowExportsTheMembersOfASegmentOnly(t *testing.T) {
	w := newSegmentsWorld(t)
	b := w.backend
	path := filepath.Join(t.TempDir(), "lyon.csv")
	svc := NewExportService(b.Reports.Exports(), b.Members, b.Segments, savePicker{path}, "en")
	if _, err := svc.Export(exports.Request{Format: "csv", Segment: w.by["segment-lyonnais"]}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"helene@example.org", "chloe@example.org", "lea@example.org"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("the export of Lyonnais misses %s:\n%s", want, got)
		}
	}
	if n := strings.Count(strings.TrimSpace(string(got)), "\n"); n != 3 {
		t.Errorf("the export of Lyonnais has %d rows, want 3 (and a header):\n%s", n, got)
	}
	if strings.Contains(string(got), "bruno@example.org") {
		t.Errorf("Bruno, in Paris, is in the export of Lyonnais:\n%s", got)
	}
	if _, err := svc.Export(exports.Request{Format: "csv", Segment: "nobody"}); err == nil {
		t.Error("an export of a segment that does not exist was written")
	}
}
