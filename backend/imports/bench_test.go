package imports

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hearth/backend/audit"
	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/exports"
	"hearth/backend/members"
	"hearth/backend/store"
)

// BenchmarkImportExport100k measures, each in its own process so that peak memory is the
// operation's own, side by side with a baseline in the same run:
//   - importing a 100,000-row CSV with Hearth (reading, validating, deduplicating, sealing and
//     indexing) against sqlite3's raw `.import` of the same file;
//   - exporting those 100,000 members to XLSX with Hearth against a bare excelize stream-writer
//     loop writing the same rows read straight from the same CSV (bareExcelize: no Hearth code,
//     so the baseline does not share the costs it is there to show).
//
// Run it with `make bench` (-benchtime 1x).
func BenchmarkImportExport100k(b *testing.B) {
	n := 100_000
	if s := os.Getenv("HEARTH_BENCH_ROWS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	if _, err := exec.LookPath("sqlite3"); err != nil {
		b.Fatal("sqlite3 is needed for the baseline (apt-get install sqlite3)")
	}
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		csvPath := filepath.Join(dir, "members.csv")
		if err := writeBenchCSV(csvPath, n); err != nil {
			b.Fatal(err)
		}
		ws := filepath.Join(dir, "ws")
		hearthImport := child(b, "import", ws, csvPath)
		sqliteImport := measure(b, exec.Command("sqlite3", filepath.Join(dir, "baseline.db"), "-cmd", ".mode csv", ".import "+csvPath+" members"))
		hearthExport := child(b, "export", ws, filepath.Join(dir, "hearth.xlsx"))
		plainExport := child(b, "excelize", csvPath, filepath.Join(dir, "plain.xlsx"))

		b.ReportMetric(hearthImport.secs, "import-s")
		b.ReportMetric(hearthImport.mib, "import-peak-MiB")
		b.ReportMetric(sqliteImport.secs, "sqlite-import-s")
		b.ReportMetric(sqliteImport.mib, "sqlite-import-peak-MiB")
		b.ReportMetric(hearthImport.secs/sqliteImport.secs, "import-ratio")
		b.ReportMetric(hearthExport.secs, "export-s")
		b.ReportMetric(hearthExport.mib, "export-peak-MiB")
		b.ReportMetric(plainExport.secs, "excelize-export-s")
		b.ReportMetric(plainExport.mib, "excelize-export-peak-MiB")
		b.ReportMetric(hearthExport.secs/plainExport.secs, "export-ratio")
	}
}

type run struct{ secs, mib float64 }

func child(b *testing.B, mode, ws, path string) run {
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
	cmd.Env = append(os.Environ(), "HEARTH_BENCH_CHILD="+mode, "HEARTH_BENCH_WS="+ws, "HEARTH_BENCH_PATH="+path)
	return measure(b, cmd)
}

// measure runs cmd and returns its wall time and peak resident memory.
func measure(b *testing.B, cmd *exec.Cmd) run {
	cmd.Stderr = os.Stderr
	start := time.Now()
	out, err := cmd.Output()
	secs := time.Since(start).Seconds()
	if err != nil {
		b.Fatalf("%v: %v\n%s", cmd.Args, err, out)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return run{secs: secs, mib: float64(ru.Maxrss) / 1024}
}

func benchChild(mode string) int {
	ws, path := os.Getenv("HEARTH_BENCH_WS"), os.Getenv("HEARTH_BENCH_PATH")
	if prof := os.Getenv("HEARTH_BENCH_CPUPROFILE"); prof != "" { // for looking into a slow step
		if f, err := os.Create(prof); err == nil {
			_ = pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	if err := doBenchChild(mode, ws, path); err != nil {
		fmt.Fprintln(os.Stderr, mode+":", err)
		return 1
	}
	return 0
}

func doBenchChild(mode, ws, path string) error {
	if mode == "excelize" { // the baseline opens no workspace: ws is the source CSV
		return bareExcelize(ws, path)
	}
	ctx := context.Background()
	st, err := store.Open(store.Options{Dir: filepath.Join(ws, "db"), KeyringPath: filepath.Join(ws, "keyring"), GCInterval: -1})
	if err != nil {
		return err
	}
	defer st.Close()
	ms := members.NewService(st, clock.System{}, nil)
	switch mode {
	case "import":
		sum, err := NewService(st, ms, consent.NewService(st, clock.System{}, nil), clock.System{}).Run(ctx, Request{Path: path}, nil, nil)
		if err == nil && sum.Rejected > 0 {
			err = fmt.Errorf("%d rows rejected: %+v", sum.Rejected, sum.Errors[0])
		}
		return err
	case "export":
		_, err := exports.NewService(audit.NewLog(st), clock.System{}, time.Local).ToFile(ctx, path, exports.MembersOf(ctx, ms, members.ListQuery{}), exports.Options{Format: "xlsx"})
		return err
	}
	return fmt.Errorf("unknown mode %q", mode)
}

// bareExcelize is the export's baseline: the rows Hearth's export writes (name, e-mail, the
// empty e-mail and handle columns, tags, created, an id, updated, notes, then the file's other
// columns), read straight from the source CSV with encoding/csv and written through excelize's
// stream writer, with nothing else (no styles, no table, no typed cells). It shares no code with
// what it is the baseline of: no store, no members, no exports.
func bareExcelize(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	r := csv.NewReader(bufio.NewReader(in))
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return err
	}
	first, last, email, tags := -1, -1, -1, -1
	var others []int
	for i, h := range head {
		switch strings.ToLower(strings.TrimPrefix(h, "\uFEFF")) {
		case "prénom", "first name":
			first = i
		case "nom", "last name":
			last = i
		case "courriel", "email", "e-mail":
			email = i
		case "étiquettes", "tags":
			tags = i
		default:
			others = append(others, i)
		}
	}
	at := func(rec []string, i int) string {
		if i < 0 {
			return ""
		}
		return rec[i]
	}
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	header := []any{"Name", "E-mail", "Other e-mails", "Handles", "Tags", "Created", "ID", "Updated", "Notes"}
	for _, i := range others {
		header = append(header, head[i])
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	now := time.Now().UTC()
	row := make([]any, len(header))
	for n := 2; ; n++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		row[0] = strings.TrimSpace(at(rec, first) + " " + at(rec, last))
		row[1] = at(rec, email)
		row[4] = strings.Join(strings.Split(at(rec, tags), ","), "; ")
		row[5], row[6], row[7] = now, fmt.Sprintf("01BENCH%019d", n), now
		for j, i := range others {
			row[9+j] = rec[i]
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(dst)
}

// writeBenchCSV writes n realistic rows: French names with accents, tags, a city and a phone.
func writeBenchCSV(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	first := []string{"Hélène", "Marc", "Zoë", "François", "Amélie", "Jérôme", "Chloé", "Noël", "Inès", "Léa"}
	last := []string{"Dupont", "Lefèvre", "Martin", "Bernard", "Durand", "Moreau", "Garnier", "Faure", "Rousseau", "Blanc"}
	tags := []string{"bénévole", "paris", "lyon", "ambassadeur", "nouveau", "donateur"}
	cities := []string{"Paris", "Lyon", "Nantes", "Lille", "Rennes", "Marseille"}
	r := rand.New(rand.NewPCG(3, 4))
	fmt.Fprintln(w, "Prénom,Nom,Courriel,Étiquettes,Ville,Téléphone")
	for i := 0; i < n; i++ {
		fmt.Fprintf(w, "%s,%s,membre%d@exemple.fr,\"%s, %s\",%s,06%08d\n", first[r.IntN(10)], last[r.IntN(10)], i,
			tags[r.IntN(6)], tags[r.IntN(6)], cities[r.IntN(6)], r.IntN(100_000_000))
	}
	return errorsJoin(w.Flush(), f.Close())
}

func errorsJoin(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
