package importer

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func TestRejectedRowsAreWrittenInTheDialectOfTheirSourceFile(t *testing.T) {
	win1252, _ := charmap.Windows1252.NewEncoder().String("Prénom;Courriel\nHélène;helene@\n")
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String("Prénom\tCourriel\nHélène\thelene@\n")
	tests := []struct {
		name, source, encoding, delimiter string
	}{
		{"a French Excel CSV: semicolons, Windows-1252", win1252, EncodingWindows1252, ";"},
		{"Excel's Unicode text: tabs, UTF-16 with a BOM", utf16, EncodingUTF16LE, "\t"},
		{"a UTF-8 file without a BOM stays without one", "Prénom|Courriel\nHélène|helene@\n", EncodingUTF8, "|"},
		{"a UTF-8 file with a BOM keeps it", "\uFEFFPrénom,Courriel\nHélène,helene@\n", EncodingUTF8BOM, ","},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := NewCSVReader(strings.NewReader(tt.source), Options{})
			if err != nil {
				t.Fatal(err)
			}
			rows := readAll(t, src)
			info := src.Info()
			var b bytes.Buffer
			reason := "E-mail\u00a0: adresse non valide"
			err = WriteRejected(&b, info.ForRejected("fr"), info.Header, []Rejected{{Line: 2, Raw: rows[0].Raw, Reason: reason}})
			if err != nil {
				t.Fatal(err)
			}
			back, err := NewCSVReader(&b, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := readAll(t, back)
			bi := back.Info()
			if bi.Encoding != tt.encoding || bi.Delimiter != tt.delimiter {
				t.Errorf("written as %s %q, want %s %q", bi.Encoding, bi.Delimiter, tt.encoding, tt.delimiter)
			}
			if strings.Join(bi.Header, "|") != "Prénom|Courriel|Erreur" || len(got) != 1 || got[0].Raw[0] != "Hélène" || got[0].Raw[2] != reason {
				t.Errorf("read back %q %+v", bi.Header, got)
			}
			if c := bi.Columns[2]; c.Field != FieldIgnore {
				t.Errorf("the reason column is imported again as %q", c.Field)
			}
		})
	}
}
