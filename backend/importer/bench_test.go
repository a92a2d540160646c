package importer

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkCSVRead100k reads a 100,000-row Mailchimp-like export from disk.
func BenchmarkCSVRead100k(b *testing.B) {
	const rows = 100_000
	path := filepath.Join(b.TempDir(), "members.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "Email Address,First Name,Last Name,Phone Number,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LEID,EUID,TAGS,Ville")
	for i := range rows {
		fmt.Fprintf(w, "member%d@example.org,Hélène,Dupont-%d,+33 6 12 34 %02d %02d,2024-03-05 14:22:11,203.0.113.%d,2024-03-05 14:25:40,198.51.100.%d,%d,e%d,\"\"\"Volunteers\"\",\"\"Board\"\"\",Lyon\n",
			i, i, i%100, i/100%100, i%256, i%256, i, i)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0 // rows are counted, not kept: the reader's cost is what is measured
		for {
			if _, err := r.Next(); err != nil {
				if !errors.Is(err, io.EOF) {
					b.Fatal(err)
				}
				break
			}
			n++
		}
		r.Close()
		if n != rows {
			b.Fatalf("%d rows", n)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
