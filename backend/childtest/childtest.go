// Package childtest runs a package's tests with the tests that are a child process's half of
// another test (a killed send, a hostile file read under a memory watch) left out, unless the
// process is that child. A parent starts its child as `os.Args[0] -test.run=^TestXChild$` with
// an environment variable set; in the ordinary run the child test is not run at all (rather than
// run and skipped).
package childtest

import (
	"flag"
	"os"
	"testing"
)

// Run is TestMain's body: children maps each child test's name to the environment variable
// that marks a process as that child.
func Run(m *testing.M, children map[string]string) int {
	flag.Parse()
	skip := flag.Lookup("test.skip").Value.String()
	for name, env := range children {
		if os.Getenv(env) != "" {
			continue
		}
		if skip != "" {
			skip += "|"
		}
		skip += "^" + name + "$"
	}
	if err := flag.Set("test.skip", skip); err != nil {
		panic(err)
	}
	return m.Run()
}
