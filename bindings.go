//go:build bindings

package main

// bindingsOnly is true in the binary `wails build`/`wails generate module` runs to write the
// frontend's bindings.
const bindingsOnly = true
