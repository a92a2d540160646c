// Package errs is Hearth's small, fixed vocabulary of failures.
//
// Every error that reaches a person (in the window or the CLI) is an *Error with one of five
// kinds, a stable message code the UI translates, and, for invalid input, the fields at fault.
// Callers test kinds with errors.Is(err, errs.NotFound) and read details with errors.As.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies a failure by what the caller can do about it.
type Kind string

// The kinds. A Kind is itself an error so that errors.Is(err, errs.NotFound) reads naturally.
const (
	NotFound    Kind = "not_found"
	Invalid     Kind = "invalid"
	Conflict    Kind = "conflict"
	Unavailable Kind = "unavailable"
	Internal    Kind = "internal"
)

// Error implements error so a Kind can be the target of errors.Is.
func (k Kind) Error() string { return string(k) }

// FieldError says which input field is wrong and why, as a message code plus parameters
// (for example Code "max" with Params{"max": "200"}), never as prose: the UI translates it.
type FieldError struct {
	Field  string            `json:"field"`
	Code   string            `json:"code"`
	Params map[string]string `json:"params,omitempty"`
}

// Error is a classified failure.
type Error struct {
	Kind Kind   `json:"kind"`
	Code string `json:"code"`
	Msg  string `json:"message"`
	// Params fill the translated message (for example "dir" for workspace_locked).
	Params map[string]string `json:"params,omitempty"`
	Fields []FieldError      `json:"fields,omitempty"`
	Err    error             `json:"-"`
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Msg)
	const shown = 10 // a bulk import can fail on thousands of rows; the message stays readable
	for i, f := range e.Fields {
		if i == shown {
			fmt.Fprintf(&b, " and %d more", len(e.Fields)-shown)
			break
		}
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(f.Field + " " + f.Code)
		if len(f.Params) > 0 {
			b.WriteString(fmt.Sprint(f.Params))
		}
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap exposes the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is matches the error's kind.
func (e *Error) Is(target error) bool {
	k, ok := target.(Kind)
	return ok && k == e.Kind
}

// New builds an error of the given kind with a message code and an English message
// (lower-case, prefixed by the package, as Go errors are).
func New(kind Kind, code, msg string) *Error {
	return &Error{Kind: kind, Code: code, Msg: msg}
}

// Wrap classifies cause.
func Wrap(kind Kind, code string, cause error, msg string) *Error {
	return &Error{Kind: kind, Code: code, Msg: msg, Err: cause}
}

// With returns e with message parameters added (key, value, key, value...).
func (e *Error) With(kv ...string) *Error {
	if e.Params == nil {
		e.Params = make(map[string]string, len(kv)/2)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		e.Params[kv[i]] = kv[i+1]
	}
	return e
}

// Fields builds an Invalid error listing the fields at fault.
func Fields(msg string, fields ...FieldError) *Error {
	return &Error{Kind: Invalid, Code: "invalid_input", Msg: msg, Fields: fields}
}

// Field is shorthand for a FieldError with optional key/value parameters.
func Field(field, code string, kv ...string) FieldError {
	fe := FieldError{Field: field, Code: code}
	if len(kv) > 0 {
		fe.Params = make(map[string]string, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			fe.Params[kv[i]] = kv[i+1]
		}
	}
	return fe
}

// Prefixed names the fields of item i of a batch of n ("[3].emails[0]"); a batch of one keeps
// plain names, so a single create reads like a form.
func Prefixed(i, n int, fields []FieldError) []FieldError {
	if n == 1 {
		return fields
	}
	out := make([]FieldError, len(fields))
	for k, f := range fields {
		f.Field = fmt.Sprintf("[%d].%s", i, f.Field)
		out[k] = f
	}
	return out
}

// From returns err as an *Error, classifying anything unknown as Internal.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: Internal, Code: "internal", Msg: err.Error(), Err: err}
}

// KindOf reports the kind of err (Internal for unclassified errors, "" for no error), so
// `errs.KindOf(err) == errs.NotFound` is safe to ask of a nil error.
func KindOf(err error) Kind {
	if err == nil {
		return ""
	}
	return From(err).Kind
}
