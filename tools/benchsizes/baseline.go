package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The baseline's work, in sqlite3's own terms: the same rows in one table, e-mail addresses
// unique ignoring case, as Hearth keeps them.
const sqliteSchema = `CREATE TABLE members(name TEXT NOT NULL, email TEXT NOT NULL, tags TEXT NOT NULL);
CREATE UNIQUE INDEX members_email ON members(email COLLATE NOCASE);
`

// sqliteImport is sqlite3's import of the CSV into an empty database: the table, its unique
// index, then .import (one transaction) of every row but the header.
func sqliteImport(csvPath string) string {
	return sqliteSchema + fmt.Sprintf(".import --csv --skip 1 '%s' members\n", csvPath)
}

// sqliteNameIndex is added after the measured import, untimed: the sorted pages below read it,
// as Hearth's pages read its own sort order.
const sqliteNameIndex = "CREATE INDEX members_name ON members(name);\n"

// searchWhere is a search in sqlite3: the word anywhere in the name, the e-mail or the tags
// (LIKE ignores ASCII case).
func searchWhere(word string) string {
	like := "'%" + strings.ReplaceAll(word, "'", "''") + "%'"
	return fmt.Sprintf("name LIKE %[1]s OR email LIKE %[1]s OR tags LIKE %[1]s", like)
}

// sqliteSearch answers what `members list --search WORD --limit 50` shows: how many match, and
// the first 50 by name.
func sqliteSearch(word string) string {
	w := searchWhere(word)
	return fmt.Sprintf("SELECT count(*) FROM members WHERE %s;\nSELECT rowid, name, email, tags FROM members WHERE %s ORDER BY name LIMIT 50;\n", w, w)
}

// sqliteGet is `members get EMAIL`: one row through the unique case-insensitive index.
func sqliteGet(email string) string {
	return fmt.Sprintf("SELECT rowid, name, email, tags FROM members WHERE email = '%s' COLLATE NOCASE;\n", strings.ReplaceAll(email, "'", "''"))
}

// sqliteFirstPage is `members list --limit 50`: how many members, and the first 50 by name.
const sqliteFirstPage = "SELECT count(*) FROM members;\nSELECT rowid, name, email, tags FROM members ORDER BY name LIMIT 50;\n"

// sqliteExportQuery reads every member by name, in the columns Hearth's export writes (name,
// e-mail, other e-mails, handles, tags, created, id, updated, notes); it is piped into
// writeXLSX.
const sqliteExportQuery = "SELECT name, email, '', '', tags, datetime('now'), rowid, datetime('now'), '' FROM members ORDER BY name;"

// exportHeader is the baseline workbook's header row.
var exportHeader = []any{"Name", "E-mail", "Other e-mails", "Handles", "Tags", "Created", "ID", "Updated", "Notes"}

// writeXLSX is the export's baseline ("benchsizes xlsx OUT"): CSV rows from in, written to one
// sheet of OUT through excelize's stream writer and nothing else (no styles, no table, no
// second pass). It answers how many rows it wrote.
func writeXLSX(in io.Reader, out string) (int, error) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return 0, err
	}
	if err := sw.SetRow("A1", exportHeader); err != nil {
		return 0, err
	}
	r := csv.NewReader(bufio.NewReaderSize(in, 1<<20))
	r.ReuseRecord = true
	r.FieldsPerRecord = -1 // short rows get empty cells
	row := make([]any, len(exportHeader))
	n := 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return n, err
		}
		for i := range row {
			row[i] = ""
			if i < len(rec) {
				row[i] = rec[i]
			}
		}
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n+1)
		if err := sw.SetRow(cell, row); err != nil {
			return n, err
		}
	}
	if err := sw.Flush(); err != nil {
		return n, err
	}
	return n, f.SaveAs(out)
}

// xlsxMain is the "xlsx" mode, run as its own process so that its memory is its own.
func xlsxMain(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: benchsizes xlsx OUT.xlsx < rows.csv")
		return 2
	}
	n, err := writeXLSX(os.Stdin, args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchsizes xlsx:", err)
		return 1
	}
	fmt.Println(n)
	return 0
}
