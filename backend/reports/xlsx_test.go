package reports

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// This file is an independent reader of the saved workbooks: archive/zip and encoding/xml
// only, never excelize, so the tests check what Excel and LibreOffice will read.

type xlsx struct {
	t      *testing.T
	parts  map[string][]byte
	sheets []sheetRef // in workbook order
	shared []string
	fmts   map[int]string // numFmtId → format code
	xfs    []int          // cellXfs index → numFmtId
}

type sheetRef struct{ name, path string }

type relationships struct {
	Rel []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

func readXLSX(t *testing.T, b []byte) *xlsx {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	x := &xlsx{t: t, parts: map[string][]byte{}, fmts: map[int]string{
		0: "General", 1: "0", 3: "#,##0", 9: "0%", 10: "0.00%", 14: "mm-dd-yy", 22: "m/d/yy h:mm"}}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		x.parts[f.Name] = data
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	x.decode("xl/workbook.xml", &wb)
	rels := x.rels("xl/workbook.xml")
	for _, s := range wb.Sheets {
		x.sheets = append(x.sheets, sheetRef{s.Name, rels[s.RID]})
	}
	if _, ok := x.parts["xl/sharedStrings.xml"]; ok {
		var sst struct {
			SI []struct {
				T string `xml:"t"`
				R []struct {
					T string `xml:"t"`
				} `xml:"r"`
			} `xml:"si"`
		}
		x.decode("xl/sharedStrings.xml", &sst)
		for _, si := range sst.SI {
			s := si.T
			for _, r := range si.R {
				s += r.T
			}
			x.shared = append(x.shared, s)
		}
	}
	var styles struct {
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmtID int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	x.decode("xl/styles.xml", &styles)
	for _, f := range styles.NumFmts {
		x.fmts[f.ID] = f.Code
	}
	for _, xf := range styles.Xfs {
		x.xfs = append(x.xfs, xf.NumFmtID)
	}
	return x
}

func (x *xlsx) decode(name string, v any) {
	x.t.Helper()
	b, ok := x.parts[name]
	if !ok {
		x.t.Fatalf("no part %s", name)
	}
	if err := xml.Unmarshal(b, v); err != nil {
		x.t.Fatalf("%s: %v", name, err)
	}
}

// rels maps the relationship ids of a part to the parts they point at (zip paths).
func (x *xlsx) rels(part string) map[string]string {
	x.t.Helper()
	name := path.Join(path.Dir(part), "_rels", path.Base(part)+".rels")
	out := map[string]string{}
	if _, ok := x.parts[name]; !ok {
		return out
	}
	var r relationships
	x.decode(name, &r)
	for _, rel := range r.Rel {
		out[rel.ID] = resolve(part, rel.Target)
	}
	return out
}

func resolve(from, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(target, "/")
	}
	return path.Join(path.Dir(from), target)
}

// wellFormed decodes every XML part to its end.
func (x *xlsx) wellFormed() {
	x.t.Helper()
	for name, b := range x.parts {
		if !strings.HasSuffix(name, ".xml") && !strings.HasSuffix(name, ".rels") {
			continue
		}
		d := xml.NewDecoder(bytes.NewReader(b))
		for {
			_, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				x.t.Fatalf("%s is not well-formed: %v", name, err)
			}
		}
	}
}

func (x *xlsx) sheetPath(name string) string {
	x.t.Helper()
	for _, s := range x.sheets {
		if s.name == name {
			return s.path
		}
	}
	x.t.Fatalf("no sheet %q in %v", name, x.sheets)
	return ""
}

type worksheet struct {
	Views []struct {
		Pane *struct {
			State       string `xml:"state,attr"`
			XSplit      string `xml:"xSplit,attr"`
			YSplit      string `xml:"ySplit,attr"`
			TopLeftCell string `xml:"topLeftCell,attr"`
		} `xml:"pane"`
	} `xml:"sheetViews>sheetView"`
	Cols []struct {
		Min   int     `xml:"min,attr"`
		Width float64 `xml:"width,attr"`
	} `xml:"cols>col"`
	Rows []struct {
		R     int `xml:"r,attr"`
		Cells []struct {
			R  string `xml:"r,attr"`
			T  string `xml:"t,attr"`
			S  int    `xml:"s,attr"`
			V  string `xml:"v"`
			Is struct {
				T string `xml:"t"`
			} `xml:"is"`
		} `xml:"c"`
	} `xml:"sheetData>row"`
	CF []struct {
		Sqref string `xml:"sqref,attr"`
		Rules []struct {
			Type       string `xml:"type,attr"`
			ColorScale *struct {
				Cfvo []struct {
					Type string `xml:"type,attr"`
				} `xml:"cfvo"`
				Color []struct {
					RGB string `xml:"rgb,attr"`
				} `xml:"color"`
			} `xml:"colorScale"`
		} `xml:"cfRule"`
	} `xml:"conditionalFormatting"`
	Drawing *struct {
		RID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
	} `xml:"drawing"`
}

// cellv is one cell as read: its text (shared and inline strings resolved), raw value and
// number format code.
type cellv struct {
	text, format string
	num          float64
	isNum        bool
}

type sheet struct {
	path  string
	ws    worksheet
	cells map[string]cellv
	rows  int
}

func (x *xlsx) sheet(name string) *sheet {
	x.t.Helper()
	p := x.sheetPath(name)
	s := &sheet{path: p, cells: map[string]cellv{}}
	x.decode(p, &s.ws)
	for _, r := range s.ws.Rows {
		s.rows = max(s.rows, r.R)
		for _, c := range r.Cells {
			v := cellv{format: "General"}
			if c.S > 0 && c.S < len(x.xfs) {
				v.format = x.fmts[x.xfs[c.S]]
			}
			switch c.T {
			case "s":
				i, err := strconv.Atoi(c.V)
				if err != nil || i >= len(x.shared) {
					x.t.Fatalf("%s %s: bad shared string %q", name, c.R, c.V)
				}
				v.text = x.shared[i]
			case "inlineStr":
				v.text = c.Is.T
			case "str":
				v.text = c.V
			default:
				v.text = c.V
				if f, err := strconv.ParseFloat(c.V, 64); err == nil {
					v.num, v.isNum = f, true
				}
			}
			s.cells[c.R] = v
		}
	}
	return s
}

// frozen reports the frozen pane's top-left cell ("" when nothing is frozen).
func (s *sheet) frozen() string {
	for _, v := range s.ws.Views {
		if v.Pane != nil && v.Pane.State == "frozen" {
			return v.Pane.TopLeftCell
		}
	}
	return ""
}

// texts are every text of a sheet, for "contains" checks.
func (s *sheet) texts() map[string]bool {
	out := map[string]bool{}
	for _, c := range s.cells {
		out[c.text] = true
	}
	return out
}

// chart is a chart part as read: its plot types and its series' formulas.
type chart struct {
	kinds    map[string]bool // local names of the plot elements: lineChart, barChart, pieChart
	formulas []string        // c:f of every series (names, categories, values)
	barDir   string
}

func (x *xlsx) chart(part string) chart {
	x.t.Helper()
	c := chart{kinds: map[string]bool{}}
	d := xml.NewDecoder(bytes.NewReader(x.parts[part]))
	var stack []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			x.t.Fatalf("%s: %v", part, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tok.Name.Local)
			if strings.HasSuffix(tok.Name.Local, "Chart") && tok.Name.Local != "plotVisOnly" {
				c.kinds[tok.Name.Local] = true
			}
			if tok.Name.Local == "barDir" {
				for _, a := range tok.Attr {
					if a.Name.Local == "val" {
						c.barDir = a.Value
					}
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 1 && stack[len(stack)-1] == "f" && slices.Contains(stack, "ser") {
				c.formulas = append(c.formulas, string(tok))
			}
		}
	}
	return c
}
