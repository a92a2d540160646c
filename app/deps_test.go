package app

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestAppDoesNotImportSync keeps the data flow one way (app -> backend <- sync, wired in
// main.go): the adapters reach the platforms and SMTP only through what main.go passes in.
func TestAppDoesNotImportSync(t *testing.T) {
	for _, pkg := range []string{"hearth/app", "hearth/app/cli"} {
		out, err := exec.Command("go", "list", "-deps", "-tags", "webkit2_41", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			if dep == "hearth/sync" || strings.HasPrefix(dep, "hearth/sync/") {
				t.Errorf("%s imports %s: pass what it needs in from main.go (wiring.Options)", pkg, dep)
			}
		}
	}
}

// notServices are the backend functions named New… or Open… that make a value, not a service:
// adapters may call them.
var notServices = map[string]bool{
	"hearth/backend/errs.New":      true, // an error
	"hearth/backend/importer.Open": true, // a file to import, read row by row
	// a temporary file holding an import's rejected rows
	"hearth/backend/importer.NewRejectedSpool": true,
}

// TestAppDoesNotBuildBackendServices keeps the assembly in one place: backend/wiring builds the
// services (main.go calls it; the CLI gets it through cli.Env.Open), and the window's services
// are given the few they use. No non-test file of app/ or app/cli calls a backend constructor
// (NewService, NewLog, New…) or opener (wiring.Open, workspace.Open, store.Open…).
func TestAppDoesNotBuildBackendServices(t *testing.T) {
	for _, dir := range []string{".", "cli"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			imports := map[string]string{} // local name -> path
			for _, im := range f.Imports {
				path, _ := strconv.Unquote(im.Path.Value)
				local := filepath.Base(path)
				if im.Name != nil {
					local = im.Name.Name
				}
				imports[local] = path
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				pkg, ok := sel.X.(*ast.Ident)
				if !ok {
					return true
				}
				path, fn := imports[pkg.Name], sel.Sel.Name
				if !strings.HasPrefix(path, "hearth/backend/") || notServices[path+"."+fn] {
					return true
				}
				if strings.HasPrefix(fn, "New") || strings.HasPrefix(fn, "Open") {
					t.Errorf("%s: %s.%s: app/ adapts the services backend/wiring builds, it does not build them",
						fset.Position(call.Pos()), pkg.Name, fn)
				}
				return true
			})
		}
	}
}
