package csvcell

import (
	"bytes"
	"testing"

	"hearth/backend/csvcell/csvcelltest"
)

func TestEveryFormulaPayloadIsWrittenAsText(t *testing.T) {
	for _, p := range csvcelltest.Payloads {
		if got := Neutralise(p); got != "'"+p {
			t.Errorf("Neutralise(%q) = %q, want it quoted", p, got)
		}
	}
}

func TestNumbersAndOrdinaryTextAreLeftAlone(t *testing.T) {
	for _, s := range []string{"", "-12", "+33612345678", "-3.5", "-1,5", "1e-3", "+.5", "Ann", "a=b", "mail@example.org", " =1+1"} {
		if got := Neutralise(s); got != s {
			t.Errorf("Neutralise(%q) = %q, want it unchanged", s, got)
		}
	}
	for _, s := range []string{"-", "+", "-Inf", "-0x10", "-1-1", "@ann", "-1e5+cmd"} {
		if got := Neutralise(s); got != "'"+s {
			t.Errorf("Neutralise(%q) = %q, want it quoted", s, got)
		}
	}
}

func TestTheWriterNeutralisesEveryCellAndKeepsTheCallersRecord(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	w.Comma = ';'
	rec := []string{"=1+1", "ok", "-4"}
	if err := w.WriteAll([][]string{rec}); err != nil {
		t.Fatal(err)
	}
	if rec[0] != "=1+1" {
		t.Fatalf("the caller's record was changed: %q", rec)
	}
	if buf.String() != "'=1+1;ok;-4\n" {
		t.Fatalf("wrote %q", buf.String())
	}
}
