// Package app holds the adapters a person touches: the services bound into the Wails window
// and the headless CLI (app/cli). Adapters decode, call backend/ and return (T, error); the
// rules live in backend/. Nothing here builds a backend service: backend/wiring assembles
// them, and each window service is given the few it uses (Services).
package app

import (
	"encoding/json"

	"hearth/backend/errs"
)

// FormatError is the window's error formatter: a rejected promise carries the classified error
// (kind, code, English message, params, fields) as JSON, which the frontend translates. It is a
// JSON string, not an object, because the Wails runtime wraps rejections in a JavaScript Error
// (new Error(value)), which would turn an object into "[object Object]".
func FormatError(err error) any {
	b, jerr := json.Marshal(errs.From(err))
	if jerr != nil {
		return err.Error()
	}
	return string(b)
}
