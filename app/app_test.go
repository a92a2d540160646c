package app

import (
	"encoding/json"
	"errors"
	"testing"

	"hearth/backend/errs"
)

func TestFormatErrorSendsTheClassifiedErrorAsJSONText(t *testing.T) {
	in := errs.Fields("members: invalid member", errs.Field("emails[0]", "email"))
	s, ok := FormatError(in).(string)
	if !ok {
		t.Fatalf("FormatError returned %T, want a JSON string the Wails runtime can carry", FormatError(in))
	}
	var got errs.Error
	if err := json.Unmarshal([]byte(s), &got); err != nil {
		t.Fatal(err)
	}
	if got.Kind != errs.Invalid || got.Code != "invalid_input" || got.Fields[0].Field != "emails[0]" || got.Fields[0].Code != "email" {
		t.Fatalf("got %+v", got)
	}
}

func TestFormatErrorClassifiesUnknownErrorsAsInternal(t *testing.T) {
	var got errs.Error
	_ = json.Unmarshal([]byte(FormatError(errors.New("disk on fire")).(string)), &got)
	if got.Kind != errs.Internal || got.Msg != "disk on fire" {
		t.Fatalf("got %+v", got)
	}
}
