package importer

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"hearth/backend/errs"
)

// readAll drains r, failing the test on any error but io.EOF.
func readAll(t testing.TB, r Reader) []Row {
	t.Helper()
	var rows []Row
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatalf("Next after %d rows: %v", len(rows), err)
		}
		rows = append(rows, row)
	}
}

// openFile opens a testdata file and reads it whole.
func openFile(t *testing.T, name string, opts Options) (Info, []Row) {
	t.Helper()
	r, err := Open(filepath.Join("testdata", name), opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", name, err)
	}
	defer r.Close()
	rows := readAll(t, r)
	for i := range rows {
		rows[i].Raw = nil // checked separately
	}
	return r.Info(), rows
}

func utc(s string) time.Time {
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestCSVFilesFromTheWildReadAsPeopleExpect(t *testing.T) {
	tests := []struct {
		name      string
		file      string
		encoding  string
		delimiter string
		source    Source
		rows      []Row
	}{
		{
			name: "a French Excel file is semicolon separated and Windows-1252 encoded",
			file: "fr_semicolon_windows1252.csv", encoding: "windows-1252", delimiter: ";", source: SourceGeneric,
			rows: []Row{
				{Line: 2, Name: "Hélène Dubois", Emails: []string{"helene.dubois@example.fr"}, Tags: []string{"bénévole", "CA"},
					Custom: map[string]string{"city": "Lyon", "phone": "06 12 34 56 78"}, Notes: "Présidente; fondatrice"},
				{Line: 3, Name: "François Lefèvre", Emails: []string{"f.lefevre@example.fr"}, Tags: []string{"bénévole"},
					Custom: map[string]string{"city": "Besançon"}},
				{Line: 5, Name: "Zoé Œuvray", Emails: []string{"zoe@example.fr"}, Custom: map[string]string{"city": "Orléans"}, Notes: "Coût : 12 €"},
			},
		},
		{
			name: "Excel's Unicode text is UTF-16LE with a BOM and tab separated",
			file: "excel_unicode_text.txt", encoding: "utf-16le", delimiter: "\t", source: SourceGeneric,
			rows: []Row{
				{Line: 2, Name: "Zoë Nakamura", Emails: []string{"zoe@example.org"}, Handles: []Handle{{"discord", "zoe#1234"}}, Notes: "日本語 OK"},
				{Line: 3, Name: "Ana López", Emails: []string{"ana@example.org"}, Notes: `Said "hi"`},
			},
		},
		{
			name: "a UTF-8 BOM is not part of the first header and repeated e-mails differ in case only",
			file: "utf8_bom.csv", encoding: "utf-8-bom", delimiter: ",", source: SourceGeneric,
			rows: []Row{
				{Line: 2, Name: "Ada Lovelace", Emails: []string{"ada@example.com"}, Handles: []Handle{{"mastodon", "@ada@mathstodon.xyz"}}, Tags: []string{"math", "poetry"}},
				{Line: 3, Name: "Ada Again", Emails: []string{"ADA@example.com"}},
			},
		},
		{
			name: "quoted fields with newlines advance the line count and names become one line",
			file: "embedded_newlines.csv", encoding: "utf-8", delimiter: ",", source: SourceGeneric,
			rows: []Row{
				{Line: 2, Name: "Alice", Emails: []string{"alice@example.com"}, Notes: "line one\nline two\nline three"},
				{Line: 5, Name: "Bob", Emails: []string{"bob@example.com"}, Notes: "plain"},
				{Line: 6, Name: "Carol Carter", Emails: []string{"carol@example.com"}, Notes: "x"},
				{Line: 8, Name: "Dan", Emails: []string{"dan@example.com"}, Notes: "last"},
			},
		},
		{
			name: "ragged rows keep their cells, extra cells are problems and blank lines still count",
			file: "ragged_blank_lines.csv", encoding: "utf-8", delimiter: ",", source: SourceGeneric,
			rows: []Row{
				{Line: 3, Name: "A", Emails: []string{"a@example.com"}},
				{Line: 5, Name: "B", Emails: []string{"b@example.com"}, Custom: map[string]string{"city": "Paris"},
					Problems: []Problem{{Column: "4", Code: "extra_cell", Value: "extra"}, {Column: "6", Code: "extra_cell", Value: "more"}}},
				{Line: 8, Emails: []string{"c@example.com"}},
			},
		},
		{
			name: "Excel's sep= line names the delimiter and is not the header",
			file: "excel_sep_line.csv", encoding: "utf-8", delimiter: ";", source: SourceGeneric,
			rows: []Row{{Line: 3, Name: "Smith, John", Emails: []string{"x@example.com"}}},
		},
		{
			name: "old Mac files end lines with a lone carriage return",
			file: "mac_cr_only.csv", encoding: "utf-8", delimiter: ",", source: SourceGeneric,
			rows: []Row{
				{Line: 2, Name: "Classic Mac", Emails: []string{"mac@example.com"}},
				{Line: 3, Name: "Old", Emails: []string{"old@example.com"}},
			},
		},
		{
			name: "a Mailchimp audience gives newsletter consent evidence and drops its technical columns",
			file: "mailchimp_subscribed.csv", encoding: "utf-8", delimiter: ",", source: SourceMailchimp,
			rows: []Row{
				{Line: 2, Name: "Marie Curie", Emails: []string{"marie@example.fr"}, Tags: []string{"Volunteers", "Board, 2024"},
					Custom:  map[string]string{"Address": "1 rue Pierre et Marie Curie  Paris  75005 FR", "Birthday": "11/07", "member_rating": "4", "member_since": "2024-03-05T14:22:11Z", "phone": "+33 1 23 45 67 89"},
					Consent: []Evidence{{Purpose: "newsletter", At: utc("2024-03-05 14:25:40"), IP: "198.51.100.23", OptinAt: utc("2024-03-05 14:22:11"), OptinIP: "203.0.113.7"}}},
				{Line: 3, Name: "Pierre", Emails: []string{"pierre@example.fr"}, Tags: []string{"newsletter"}, Notes: "met at the fair",
					Custom:  map[string]string{"member_rating": "2", "member_since": "2023-11-20T08:00:00Z"},
					Consent: []Evidence{{Purpose: "newsletter", At: utc("2023-11-20 08:00:00"), IP: "192.0.2.10", OptinAt: utc("2023-11-20 08:00:00"), OptinIP: "192.0.2.10"}}},
				{Line: 4, Emails: []string{"bad@example.fr"}, Custom: map[string]string{"member_rating": "1"},
					Problems: []Problem{{Column: "OPTIN_TIME", Code: "date", Value: "yesterday"}, {Column: "OPTIN_IP", Code: "ip", Value: "not-an-ip"}}},
			},
		},
		{
			name: "an unsubscribed Mailchimp contact carries no consent evidence",
			file: "mailchimp_unsubscribed.csv", encoding: "utf-8", delimiter: ",", source: SourceMailchimp,
			rows: []Row{
				{Line: 2, Name: "Gone Away", Emails: []string{"gone@example.org"},
					Custom: map[string]string{"member_rating": "2", "member_since": "2022-01-02T03:04:05Z", "unsubscribe_reason": "Too many e-mails", "unsubscribed_at": "2024-02-02T10:00:00Z"}},
			},
		},
		{
			name: "a Discourse user list keeps handles, secondary e-mails and groups but no IP address",
			file: "discourse_user_list.csv", encoding: "utf-8", delimiter: ",", source: SourceDiscourse,
			rows: []Row{
				{Line: 2, Name: "Sam Admin", Emails: []string{"sam@example.net", "sam.alt@example.net", "sam@work.example"},
					Handles: []Handle{{"discourse", "sam"}}, Tags: []string{"staff", "trust_level_4"},
					Custom: map[string]string{"Pronouns": "they/them", "last_seen": "2024-05-01T12:30:00Z", "location": "Montréal",
						"member_since": "2021-06-01T10:00:00Z", "trust_level": "4", "website": "https://sam.example"}},
				{Line: 3, Emails: []string{"newbie@example.net"}, Handles: []Handle{{"discourse", "newbie"}},
					Custom: map[string]string{"member_since": "2024-05-02T08:00:00Z", "trust_level": "0"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, rows := openFile(t, tt.file, Options{})
			if info.Format != "csv" || info.Encoding != tt.encoding || info.Delimiter != tt.delimiter || info.Source != tt.source {
				t.Errorf("info = %s %s %q %s, want csv %s %q %s", info.Format, info.Encoding, info.Delimiter, info.Source, tt.encoding, tt.delimiter, tt.source)
			}
			if len(rows) != len(tt.rows) {
				t.Fatalf("got %d rows, want %d: %+v", len(rows), len(tt.rows), rows)
			}
			for i := range rows {
				if !reflect.DeepEqual(rows[i], tt.rows[i]) {
					t.Errorf("row %d:\n got %+v\nwant %+v", i, rows[i], tt.rows[i])
				}
			}
		})
	}
}

func TestRawKeepsTheCellsAsRead(t *testing.T) {
	r, err := NewCSVReader(strings.NewReader("email;name\n  b@example.com  ; B ;extra\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	if want := []string{"  b@example.com  ", " B ", "extra"}; !reflect.DeepEqual(rows[0].Raw, want) {
		t.Errorf("Raw = %q, want %q", rows[0].Raw, want)
	}
}

func TestTheDelimiterIsTheOneThatSplitsLinesConsistently(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"commas", "a,b,c\n1,2,3\n", ","},
		{"semicolons with commas inside cells", "nom;notes\nA;un, deux, trois\nB;quatre, cinq\n", ";"},
		{"tabs", "a\tb\n1\t2\n", "\t"},
		{"pipes", "a|b|c\n1|2|3\n", "|"},
		{"delimiters inside quotes do not count", "\"a;b;c\",d\n\"1;2;3\",4\n", ","},
		{"a single column", "email\nx@example.com\n", ","},
		{"a header alone", "email;name", ";"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewCSVReader(strings.NewReader(tt.text), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Info().Delimiter; got != tt.want {
				t.Errorf("delimiter = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestInvalidUTF8AfterTheSampleIsReadAsWindows1252(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("email,name\n")
	for b.Len() < 2*sampleSize {
		b.WriteString("x@example.com,Plain ASCII\n")
	}
	b.WriteString("h@example.com,H\xe9l\xe8ne\n") // Windows-1252
	r, err := NewCSVReader(&b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	if got := rows[len(rows)-1].Name; got != "Hélène" {
		t.Errorf("last name = %q, want Hélène", got)
	}
	if r.Info().Encoding != EncodingUTF8 {
		t.Errorf("encoding = %q", r.Info().Encoding)
	}
}

func TestUTF16WithoutBOMIsRecognised(t *testing.T) {
	var b bytes.Buffer
	for _, r := range "email\tname\r\nz@example.com\tZoë\r\n" {
		b.WriteByte(byte(r))
		b.WriteByte(byte(r >> 8))
	}
	r, err := NewCSVReader(&b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	if r.Info().Encoding != EncodingUTF16LE || len(rows) != 1 || rows[0].Name != "Zoë" {
		t.Errorf("encoding %s, rows %+v", r.Info().Encoding, rows)
	}
}

func TestUnreadableFilesAreRefusedWithACode(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name string
		path string
		kind errs.Kind
		code string
	}{
		{"an empty file has no header", write("empty.csv", nil), errs.Invalid, "import_no_header"},
		{"a file of blank lines has no header", write("blank.csv", []byte("\n ; ;\n\r\n")), errs.Invalid, "import_no_header"},
		{"binary data is not a CSV", write("data.csv", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")), errs.Invalid, "import_unreadable"},
		{"an old .xls workbook is not supported", write("old.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}), errs.Invalid, "import_unreadable"},
		{"a .xlsx that is not a zip is refused", write("fake.xlsx", []byte("email\nx@example.com\n")), errs.Invalid, "import_unreadable"},
		{"a truncated zip is refused", write("cut.xlsx", []byte("PK\x03\x04\x14\x00\x00\x00")), errs.Invalid, "import_unreadable"},
		{"an unknown extension is refused", write("notes.pdf", []byte("%PDF-1.7")), errs.Invalid, "import_unreadable"},
		{"a missing file is not found", filepath.Join(dir, "missing.csv"), errs.NotFound, "import_file_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Open(tt.path, Options{})
			if err == nil {
				r.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, tt.kind) || errs.From(err).Code != tt.code {
				t.Errorf("err = %v (%s), want %s %s", err, errs.From(err).Code, tt.kind, tt.code)
			}
		})
	}
}

func TestAQuoteNeverClosedStopsAtTheRecordLimit(t *testing.T) {
	text := "email,notes\na@example.com,\"open quote\n" + strings.Repeat("filler line, still inside the quote\n", maxRecordBytes/32)
	r, err := NewCSVReader(strings.NewReader(text), Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Next()
	if errs.From(err).Code != "import_record_too_large" {
		t.Fatalf("err = %v, want import_record_too_large", err)
	}
	if _, again := r.Next(); again != err {
		t.Errorf("the error is not sticky: %v", again)
	}
}
