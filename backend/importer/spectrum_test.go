package importer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestEveryCSVSpectrumCaseReadsAsItsExpectedJSON reads the csv-spectrum acceptance cases
// (github.com/max-mapper/csv-spectrum: each file and the records it must give, as JSON objects
// keyed by header) and compares cell for cell: quotes, commas, line breaks and CRLF inside quoted
// fields, empty fields, UTF-8.
func TestEveryCSVSpectrumCaseReadsAsItsExpectedJSON(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "csv-spectrum", "*.csv"))
	if err != nil || len(files) != 11 {
		t.Fatalf("csv-spectrum cases: %v %v", files, err)
	}
	for _, name := range files {
		t.Run(strings.TrimSuffix(filepath.Base(name), ".csv"), func(t *testing.T) {
			raw, err := os.ReadFile(strings.TrimSuffix(name, ".csv") + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var want []map[string]string
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			r, err := Open(name, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			header := r.Info().Header
			var got []map[string]string
			for _, row := range readAll(t, r) {
				rec := map[string]string{}
				for i, h := range header {
					if i < len(row.Raw) {
						rec[h] = row.Raw[i]
					}
				}
				got = append(got, rec)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("read\n%q\nwant\n%q", got, want)
			}
		})
	}
}
