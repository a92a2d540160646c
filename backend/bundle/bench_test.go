package bundle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"testing"

	"filippo.io/age"

	"hearth/backend/hlc"
	"hearth/backend/store"
)

// benchRecords is a workspace's worth of member-sized records (about 500 bytes of JSON each).
func benchRecords(n int) []store.Record {
	out := make([]store.Record, n)
	for i := range out {
		data, _ := json.Marshal(map[string]any{
			"name": fmt.Sprintf("Member %d", i), "emails": []string{fmt.Sprintf("member%d@example.org", i)},
			"tags": []string{"volunteer", "newsletter"}, "notes": "Met at the spring meetup; wants to help with the calendar and the newsletter.",
			"custom":  map[string]string{"city": "Lyon", "joined": "2024-03-01", "company": "Example SARL"},
			"handles": []map[string]string{{"platform": "discourse", "handle": fmt.Sprintf("member%d", i)}},
		})
		out[i] = store.Record{Collection: "member", ID: fmt.Sprintf("01JMEMBER%016d", i), HLC: hlc.Make(1765135800000, uint16(i)),
			Replica: "01JREPLICAA", Subject: fmt.Sprintf("01JMEMBER%016d", i), Sealed: true, Data: data}
	}
	return out
}

// BenchmarkBundle writes and reads bundles of 100,000 member-sized records encrypted to a key:
// the time and size per record say what an export and a merge spend in the bundle itself.
func BenchmarkBundle(b *testing.B) {
	id, _ := age.GenerateX25519Identity()
	enc := Encrypt{Recipients: []string{id.Recipient().String()}}
	records := benchRecords(100_000)
	var bundle bytes.Buffer
	b.Run("write", func(b *testing.B) {
		for b.Loop() {
			bundle.Reset()
			w, err := NewWriter(&bundle, enc, testManifest())
			if err != nil {
				b.Fatal(err)
			}
			for _, r := range records {
				if err := w.Record(r); err != nil {
					b.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(bundle.Len())/float64(len(records)), "bytes/record")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(records)), "ns/record")
	})
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			r, err := Open(bytes.NewReader(bundle.Bytes()), Decrypt{Identities: []age.Identity{id}})
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for {
				_, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != len(records) {
				b.Fatalf("%d records read", n)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(records)), "ns/record")
	})
}
