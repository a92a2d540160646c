package automations

import (
	"context"
	"testing"

	"hearth/backend/errs"
)

func TestTheReadyMadeWelcomeSequenceCannotBeDeleted(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.List(context.Background()); err != nil { // seeds the welcome sequence
		t.Fatal(err)
	}
	err := f.svc.Delete(context.Background(), "welcome")
	if errs.From(err).Code != "automation_builtin" {
		t.Fatalf("got %v, want automation_builtin", err)
	}
	if _, err := f.svc.Get(context.Background(), "welcome"); err != nil {
		t.Fatalf("the refused delete removed it: %v", err)
	}
}
