package imports

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"hearth/backend/importer"
)

func TestARowWithTooManyColumnsNamesTheFirstColumnThatDoesNotFit(t *testing.T) {
	f := open(t, t.TempDir())
	var b strings.Builder
	b.WriteString("email")
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&b, ",extra %d", i)
	}
	b.WriteString("\nann@example.org")
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&b, ",v%d", i)
	}
	b.WriteString("\n")
	sum, err := f.imports.Run(context.Background(), Request{Path: file(t, "wide.csv", b.String())}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != 1 || len(sum.Errors) != 1 {
		t.Fatalf("want one rejected row, got %+v", sum)
	}
	e := sum.Errors[0]
	if e.Column != "extra 51" || e.Reason != "too_many_columns" {
		t.Fatalf("the rejection names the 51st extra column: %+v", e)
	}
	for _, lang := range []string{"en", "fr"} {
		if d := Describe(lang, e); !strings.Contains(d, "50") || strings.Contains(d, "{") {
			t.Errorf("%s: %q", lang, d)
		}
	}
}

func TestASummaryListsTheFirstThousandErrorsAndCountsThemAll(t *testing.T) {
	f := open(t, t.TempDir())
	const bad = 3000
	var b strings.Builder
	b.WriteString("email,name\n")
	for i := range bad {
		fmt.Fprintf(&b, "not-an-address-%d,Person %d\n", i, i)
	}
	rejected := 0
	sum, err := f.imports.Run(context.Background(), Request{Path: file(t, "bad.csv", b.String())}, nil,
		func(importer.Rejected) { rejected++ })
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != bad || rejected != bad {
		t.Fatalf("every bad row is counted and given to the rejected-rows file: %d, %d", sum.Rejected, rejected)
	}
	if len(sum.Errors) != maxErrorsKept || sum.Errors[0].Line != 2 || sum.Errors[maxErrorsKept-1].Line != maxErrorsKept+1 {
		t.Fatalf("the summary lists the first %d errors, got %d (first line %d)", maxErrorsKept, len(sum.Errors), sum.Errors[0].Line)
	}
}
