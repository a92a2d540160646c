package cli

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"hearth/backend/locale"
)

// codesInCode walks the Go code under the module's backend/, sync/ and app/ directories and
// returns every error code (errs.New, errs.Wrap, errs.Error{Code: …}) and every field code
// (errs.Field, errs.FieldError{Code: …}, validate:"…" tags) written as a literal, each with
// where it is used. Codes built at run time are left out; a test below names them.
func codesInCode(t *testing.T) (errCodes, fieldCodes map[string]string) {
	t.Helper()
	errCodes, fieldCodes = map[string]string{}, map[string]string{}
	fset := token.NewFileSet()
	lit := func(e ast.Expr) (string, bool) {
		if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
			s, err := strconv.Unquote(b.Value)
			return s, err == nil
		}
		return "", false
	}
	// validate:"required,max=200,dive,email" tags name field codes (backend/validation).
	tagCode := map[string]string{"lte": "max", "gte": "min"}
	structural := map[string]bool{"dive": true, "keys": true, "endkeys": true, "omitempty": true, "omitnil": true, "required_with": true}
	validateTag := regexp.MustCompile(`validate:"([^"]*)"`)
	for _, root := range []string{"../../backend", "../../sync", "../../app"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			inErrs := f.Name.Name == "errs"
			at := func(n ast.Node) string { return fset.Position(n.Pos()).String() }
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					name := ""
					switch fn := n.Fun.(type) {
					case *ast.SelectorExpr:
						if x, ok := fn.X.(*ast.Ident); ok && x.Name == "errs" {
							name = fn.Sel.Name
						}
					case *ast.Ident:
						if inErrs {
							name = fn.Name
						}
					}
					if len(n.Args) < 2 {
						return true
					}
					switch name {
					case "New", "Wrap":
						if c, ok := lit(n.Args[1]); ok {
							errCodes[c] = at(n)
						}
					case "Field":
						if c, ok := lit(n.Args[1]); ok {
							fieldCodes[c] = at(n)
						}
					}
				case *ast.CompositeLit:
					typ := ""
					switch ty := n.Type.(type) {
					case *ast.SelectorExpr:
						if x, ok := ty.X.(*ast.Ident); ok && x.Name == "errs" {
							typ = ty.Sel.Name
						}
					case *ast.Ident:
						if inErrs {
							typ = ty.Name
						}
					}
					for _, el := range n.Elts {
						kv, ok := el.(*ast.KeyValueExpr)
						if !ok {
							continue
						}
						if k, _ := kv.Key.(*ast.Ident); k == nil || k.Name != "Code" {
							continue
						}
						c, ok := lit(kv.Value)
						if !ok {
							continue
						}
						switch typ {
						case "Error":
							errCodes[c] = at(n)
						case "FieldError":
							fieldCodes[c] = at(n)
						}
					}
				case *ast.Field:
					if n.Tag == nil {
						return true
					}
					m := validateTag.FindStringSubmatch(n.Tag.Value)
					if m == nil {
						return true
					}
					for _, rule := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == '|' }) {
						rule, _, _ = strings.Cut(rule, "=")
						if rule == "" || structural[rule] {
							continue
						}
						if c, ok := tagCode[rule]; ok {
							rule = c
						}
						fieldCodes[rule] = at(n)
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Codes built at run time: a collection's "<record>_not_found" is named by the callers'
	// literals above; the kinds are the fallback of every code.
	for _, k := range []string{"not_found", "invalid", "conflict", "unavailable", "internal"} {
		errCodes[k] = "backend/errs kinds"
	}
	return errCodes, fieldCodes
}

// windowCatalog reads frontend/src/i18n/<lang>.json flattened to dotted keys.
func windowCatalog(t *testing.T, lang string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("../../frontend/src/i18n", lang+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var tree map[string]any
	if err := json.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	var walk func(string, map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			switch v := v.(type) {
			case string:
				out[prefix+k] = v
			case map[string]any:
				walk(prefix+k+".", v)
			}
		}
	}
	walk("", tree)
	return out
}

func TestEveryErrorCodeHasAMessageInBothLanguagesInTheCLIAndTheWindow(t *testing.T) {
	errCodes, fieldCodes := codesInCode(t)
	if len(errCodes) < 50 || len(fieldCodes) < 20 {
		t.Fatalf("the scan found too few codes (%d, %d): is it still reading the code?", len(errCodes), len(fieldCodes))
	}
	for _, lang := range locale.Langs {
		cli, err := locale.Messages(lang)
		if err != nil {
			t.Fatal(err)
		}
		window := windowCatalog(t, lang)
		var missing []string
		for _, c := range slices.Sorted(mapsKeys(errCodes)) {
			if strings.TrimSpace(cli["cli.err_"+c]) == "" {
				missing = append(missing, "backend/locale/"+lang+".json cli.err_"+c+" ("+errCodes[c]+")")
			}
			if strings.TrimSpace(window["errors.code."+c]) == "" {
				missing = append(missing, "frontend/src/i18n/"+lang+".json errors.code."+c+" ("+errCodes[c]+")")
			}
		}
		for _, c := range slices.Sorted(mapsKeys(fieldCodes)) {
			if strings.TrimSpace(cli["cli.code_"+c]) == "" {
				missing = append(missing, "backend/locale/"+lang+".json cli.code_"+c+" ("+fieldCodes[c]+")")
			}
			if strings.TrimSpace(window["errors.field."+c]) == "" {
				missing = append(missing, "frontend/src/i18n/"+lang+".json errors.field."+c+" ("+fieldCodes[c]+")")
			}
		}
		if len(missing) > 0 {
			t.Errorf("%d messages missing in %s:\n%s", len(missing), lang, strings.Join(missing, "\n"))
		}
	}
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
