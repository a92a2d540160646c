package errs

import (
	"errors"
	"fmt"
	"testing"
)

func TestKindOfANilErrorIsNoKindAndDoesNotPanic(t *testing.T) {
	if k := KindOf(nil); k != "" {
		t.Errorf("KindOf(nil) = %q, want no kind", k)
	}
	if KindOf(nil) == NotFound {
		t.Error("a nil error must not read as not found")
	}
}

func TestKindOfSeesThroughWrapping(t *testing.T) {
	wrapped := fmt.Errorf("members: get: %w", &Error{Kind: NotFound, Code: "not_found"})
	if k := KindOf(wrapped); k != NotFound {
		t.Errorf("KindOf(wrapped not found) = %q", k)
	}
	if k := KindOf(errors.New("disk on fire")); k != Internal {
		t.Errorf("an unclassified error is %q, want internal", k)
	}
}
