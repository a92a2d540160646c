package exports

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"slices"
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

// smallChunks lowers the rows kept in memory for the test, so that a few hundred members
// go to the file.
func smallChunks(t *testing.T) {
	old := rowChunk
	rowChunk = 16 << 10
	t.Cleanup(func() { rowChunk = old })
}

func TestRowsPastTheMemoryChunkAreSealedInAFileThatIsGoneAfterwards(t *testing.T) {
	smallChunks(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ms := people(3 * rowChunk / 150)
	rs, err := readRows(context.Background(), MemberSlice(ms), fixedColumns(Options{}))
	if err != nil {
		t.Fatal(err)
	}
	if rs.front.file == nil || rs.front.sealed < 2 {
		t.Fatalf("%d chunks sealed", rs.front.sealed)
	}
	size, err := rs.front.file.Seek(0, io.SeekEnd)
	if err != nil {
		t.Fatal(err)
	}
	sealed := make([]byte, size)
	if _, err := rs.front.file.ReadAt(sealed, 0); err != nil {
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
		if late := rec[len(rec)-2]; (late == "dernier") != (i == len(ms)-1) || (late != "dernier" && late != "") {
			t.Fatalf("row %d: late %q", i, late)
		}
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestAWorkbookLongerThanTheMemoryChunkHasEveryRowAndItsCustomFieldsInPlace(t *testing.T) {
	smallChunks(t)
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

// halves serves ms as the member service does from both ends: the first half to oldest, in
// order, the rest to newest, last first, on another goroutine.
type halves []members.Member

func (h halves) EachFromBothEnds(_ context.Context, _ members.ListQuery, oldest, newest func(members.Member) error) error {
	half := len(h) / 3
	done := make(chan error)
	go func() {
		for i := len(h) - 1; i >= half; i-- {
			if err := newest(h[i]); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for _, m := range h[:half] {
		if err := oldest(m); err != nil {
			<-done
			return err
		}
	}
	return <-done
}

func TestMembersReadFromBothEndsAreWrittenInOrderWithTheLastOnesCustomFields(t *testing.T) {
	smallChunks(t)
	t.Setenv("TMPDIR", t.TempDir())
	ms := people(6 * rowChunk / 150) // both halves past the memory chunk
	ms[0].CustomFields["early"] = "premier"
	ctx := context.Background()
	for _, format := range []string{"csv", "xlsx"} {
		var buf bytes.Buffer
		n, err := Write(ctx, &buf, MembersOf(ctx, halves(ms), members.ListQuery{}), Options{Format: format, Zone: paris})
		if err != nil || n != len(ms) {
			t.Fatalf("%s: wrote %d of %d, %v", format, n, len(ms), err)
		}
		var recs [][]string
		if format == "csv" {
			recs, err = csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
		} else {
			f, ferr := excelize.OpenReader(&buf)
			if ferr != nil {
				t.Fatal(ferr)
			}
			recs, err = f.GetRows("Members")
			f.Close()
		}
		if err != nil || len(recs) != len(ms)+1 {
			t.Fatalf("%s: %d rows, %v", format, len(recs), err)
		}
		head := recs[0]
		if got := strings.Join(head[len(head)-3:], ","); got != "early,late,n" {
			t.Fatalf("%s: custom headers %q", format, got)
		}
		for i, rec := range recs[1:] {
			rec = append(rec, make([]string, len(head)-len(rec))...) // GetRows drops trailing empty cells
			want := []string{"", "", fmt.Sprint(i)}
			if i == 0 {
				want[0] = "premier"
			}
			if i == len(ms)-1 {
				want[1] = "dernier"
			}
			if rec[0] != ms[i].Name || !slices.Equal(rec[len(rec)-3:], want) {
				t.Fatalf("%s: row %d: %q", format, i, rec)
			}
		}
	}
}

func TestTheFirstMembersSheetIsTheActiveOne(t *testing.T) {
	old := RowsPerSheet
	RowsPerSheet = 2
	t.Cleanup(func() { RowsPerSheet = old })
	var buf bytes.Buffer
	if _, err := Write(context.Background(), &buf, MemberSlice(people(5)), Options{Format: "xlsx", Lang: "fr"}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) != 3 || f.GetActiveSheetIndex() != 0 || sheets[0] != "Membres" {
		t.Fatalf("active %d of %q", f.GetActiveSheetIndex(), sheets)
	}
}
