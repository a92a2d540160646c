package exports

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"hearth/backend/members"
)

// people are n members with a custom field each ("n"), and one more ("late") only on the
// last: the header must name it though it is met last.
func people(n int) []members.Member {
	ms := make([]members.Member, n)
	for i := range ms {
		ms[i] = members.Member{ID: fmt.Sprintf("01M%023d", i), Name: fmt.Sprintf("Personne secrète %d", i),
			Emails: []string{fmt.Sprintf("p%d@example.org", i)}, Notes: strings.Repeat("n", 100),
			CustomFields: map[string]string{"n": fmt.Sprint(i)}, CreatedAt: created, UpdatedAt: created}
	}
	ms[n-1].CustomFields["late"] = "dernier"
	return ms
}

func TestRowsPastTheMemoryChunkAreSealedInAFileThatIsGoneAfterwards(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ms := people(3 * rowChunk / 150)
	rs, err := readRows(context.Background(), MemberSlice(ms), fixedColumns(Options{}))
	if err != nil {
		t.Fatal(err)
	}
	if rs.file == nil || rs.sealed < 2 {
		t.Fatalf("%d chunks sealed", rs.sealed)
	}
	size, err := rs.file.Seek(0, io.SeekEnd)
	if err != nil {
		t.Fatal(err)
	}
	sealed := make([]byte, size)
	if _, err := rs.file.ReadAt(sealed, 0); err != nil {
		t.Fatal(err)
	}
	for _, clear := range []string{"secrète", "example.org", "dernier"} {
		if bytes.Contains(sealed, []byte(clear)) {
			t.Fatalf("%q readable in the rows' file", clear)
		}
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("the rows' file has a name: %v", entries)
	}
	rs.close()

	var buf bytes.Buffer
	n, err := Write(context.Background(), &buf, MemberSlice(ms), Options{Format: "csv"})
	if err != nil || n != len(ms) {
		t.Fatalf("wrote %d of %d, %v", n, len(ms), err)
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := recs[0]
	if got := strings.Join(head[len(head)-2:], ","); got != "late,n" {
		t.Fatalf("custom headers %q", got)
	}
	for i, rec := range recs[1:] {
		if rec[0] != ms[i].Name || rec[len(rec)-1] != fmt.Sprint(i) || rec[5] != "2026-04-01T08:30:00Z" {
			t.Fatalf("row %d: %q", i, rec)
		}
		if late := rec[len(rec)-2]; (late == "dernier") != (i == len(ms)-1) {
			t.Fatalf("row %d: late %q", i, late)
		}
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestAWorkbookLongerThanTheMemoryChunkHasEveryRowAndItsCustomFieldsInPlace(t *testing.T) {
	ms := people(2 * rowChunk / 150)
	var buf bytes.Buffer
	n, err := Write(context.Background(), &buf, MemberSlice(ms), Options{Format: "xlsx", Zone: paris})
	if err != nil || n != len(ms) {
		t.Fatalf("wrote %d of %d, %v", n, len(ms), err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Members")
	if err != nil || len(rows) != len(ms)+1 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	late, num := cellOf(t, rows[0], "late", len(ms)+1), cellOf(t, rows[0], "n", len(ms)+1)
	if v, _ := f.GetCellValue("Members", late); v != "dernier" {
		t.Fatalf("%s: %q", late, v)
	}
	if v, _ := f.GetCellValue("Members", num); v != fmt.Sprint(len(ms)-1) {
		t.Fatalf("%s: %q", num, v)
	}
	if typ, _ := f.GetCellType("Members", num); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Fatalf("%s is %v, not a number", num, typ)
	}
	if v, _ := f.GetCellValue("Members", cellOf(t, rows[0], "late", 2)); v != "" {
		t.Fatalf("late on the first row: %q", v)
	}
	if rows[len(ms)][0] != ms[len(ms)-1].Name {
		t.Fatalf("last row %q", rows[len(ms)])
	}
}
