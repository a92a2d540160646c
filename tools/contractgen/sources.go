package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// modulePath is the Go module whose packages are read from source for their comments and
// constants.
const modulePath = "hearth"

// sources reads the module's packages (non-test files) for what reflection does not show:
// doc comments and constants.
type sources struct {
	root string
	pkgs map[string]*pkgSource // by directory relative to root
}

// pkgSource is what one package's files declare.
type pkgSource struct {
	files []*ast.File
	// types are the type declarations by name, with the doc comment of the declaration.
	types map[string]typeDecl
	// consts are the exported constants with a string literal value, in source order.
	consts []constDecl
}

type typeDecl struct {
	spec *ast.TypeSpec
	doc  string
}

type constDecl struct {
	name  string
	typ   string // the declared type's name, "" when untyped
	value string
	ok    bool // value is a plain string literal
}

func newSources(root string) *sources { return &sources{root: root, pkgs: map[string]*pkgSource{}} }

// pkg reads the package at the import path (nil outside the module).
func (s *sources) pkg(importPath string) (*pkgSource, error) {
	rel, ok := strings.CutPrefix(importPath, modulePath+"/")
	if !ok {
		return nil, nil
	}
	return s.dir(rel)
}

func (s *sources) dir(rel string) (*pkgSource, error) {
	if p, ok := s.pkgs[rel]; ok {
		return p, nil
	}
	fset := token.NewFileSet()
	entries, err := os.ReadDir(filepath.Join(s.root, rel))
	if err != nil {
		return nil, err
	}
	p := &pkgSource{types: map[string]typeDecl{}}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(s.root, rel, name), nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		p.files = append(p.files, f)
	}
	sort.Slice(p.files, func(i, j int) bool { return fset.File(p.files[i].Pos()).Name() < fset.File(p.files[j].Pos()).Name() })
	for _, f := range p.files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok {
				continue
			}
			switch g.Tok {
			case token.TYPE:
				for _, sp := range g.Specs {
					ts := sp.(*ast.TypeSpec)
					doc := ts.Doc
					if doc == nil && len(g.Specs) == 1 {
						doc = g.Doc
					}
					p.types[ts.Name.Name] = typeDecl{spec: ts, doc: doc.Text()}
				}
			case token.CONST:
				for _, sp := range g.Specs {
					vs := sp.(*ast.ValueSpec)
					typ := ""
					if id, ok := vs.Type.(*ast.Ident); ok {
						typ = id.Name
					}
					for i, n := range vs.Names {
						if !n.IsExported() {
							continue
						}
						c := constDecl{name: n.Name, typ: typ}
						if i < len(vs.Values) {
							if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
								if v, err := strconv.Unquote(lit.Value); err == nil {
									c.value, c.ok = v, true
								}
							}
						}
						p.consts = append(p.consts, c)
					}
				}
			}
		}
	}
	s.pkgs[rel] = p
	return p, nil
}

// tree lists the package directories under rel (itself included), skipping testdata.
func (s *sources) tree(rel string) ([]string, error) {
	var dirs []string
	err := filepath.WalkDir(filepath.Join(s.root, rel), func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		matches, _ := filepath.Glob(filepath.Join(path, "*.go"))
		if len(matches) > 0 {
			r, err := filepath.Rel(s.root, path)
			if err != nil {
				return err
			}
			dirs = append(dirs, filepath.ToSlash(r))
		}
		return nil
	})
	return dirs, err
}

// fieldDocs are the doc comments of a struct type's fields, by Go field name.
func fieldDocs(d typeDecl) map[string]string {
	out := map[string]string{}
	st, ok := d.spec.Type.(*ast.StructType)
	if !ok {
		return out
	}
	for _, f := range st.Fields.List {
		text := f.Doc.Text()
		if text == "" {
			text = f.Comment.Text()
		}
		for _, n := range f.Names {
			out[n.Name] = text
		}
	}
	return out
}

// enumValues are the values of a string type's constants, or nil when a constant of the type
// is not a plain literal (the union would then be incomplete).
func (p *pkgSource) enumValues(typeName string) []string {
	var vals []string
	seen := map[string]bool{}
	for _, c := range p.consts {
		if c.typ != typeName {
			continue
		}
		if !c.ok {
			return nil
		}
		if !seen[c.value] {
			seen[c.value] = true
			vals = append(vals, c.value)
		}
	}
	return vals
}
