package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestTheCommittedContractFollowsTheGoCode fails when a Go type, event or error kind the
// window sees changed without `make generate`: the frontend would be built against a stale
// contract. (make lint also checks Wails' binding functions.)
func TestTheCommittedContractFollowsTheGoCode(t *testing.T) {
	root := filepath.Join("..", "..")
	files, err := generate(root)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range files {
		got, err := os.ReadFile(filepath.Join(root, path))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%s is not what the Go code gives: run make generate and commit it", path)
		}
	}
}
