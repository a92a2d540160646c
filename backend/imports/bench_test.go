package imports

import (
	"bufio"
	"context"
	"fmt"
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
//   - exporting those 100,000 members to XLSX with Hearth against a plain excelize stream-writer
//     loop writing the same rows.
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
		plainExport := child(b, "excelize", ws, filepath.Join(dir, "plain.xlsx"))

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
	case "excelize":
		return plainExcelize(ctx, ms, path)
	}
	return fmt.Errorf("unknown mode %q", mode)
}

// plainExcelize is the baseline: the same rows through excelize's stream writer with nothing
// else (no custom-field pass, no styles, no table).
func plainExcelize(ctx context.Context, ms *members.Service, path string) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	row := 1
	_ = sw.SetRow("A1", []any{"ID", "Name", "E-mail", "Tags", "Created", "Updated"})
	for offset := 0; ; offset += members.MaxLimit {
		p, err := ms.List(ctx, members.ListQuery{Offset: offset, Limit: members.MaxLimit})
		if err != nil {
			return err
		}
		for _, m := range p.Items {
			row++
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if err := sw.SetRow(cell, []any{m.ID, m.Name, m.Emails[0], strings.Join(m.Tags, "; "), m.CreatedAt, m.UpdatedAt}); err != nil {
				return err
			}
		}
		if offset+members.MaxLimit >= p.Total {
			break
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
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
