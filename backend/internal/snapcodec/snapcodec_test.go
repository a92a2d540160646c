package snapcodec

import (
	"slices"
	"testing"
)

func TestValuesRoundTripAndDamageIsReported(t *testing.T) {
	var w Writer
	w.Uint(300)
	w.Int(-7)
	w.Bool(true)
	w.String("Hélène")
	w.Strings([]string{"a", "", "ç"})
	r := NewReader(w.Bytes())
	if r.Uint() != 300 || r.Int() != -7 || !r.Bool() || r.String() != "Hélène" || !slices.Equal(r.Strings(), []string{"a", "", "ç"}) {
		t.Fatal("values did not round-trip")
	}
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
	for cut := range len(w.Bytes()) {
		r := NewReader(w.Bytes()[:cut])
		r.Uint()
		r.Int()
		r.Bool()
		_ = r.String()
		r.Strings()
		if r.Done() == nil {
			t.Errorf("a view cut at %d bytes read without error", cut)
		}
	}
}

func TestAnImpossibleCountIsRefusedWithoutAllocating(t *testing.T) {
	var w Writer
	w.Uint(1 << 40)
	r := NewReader(w.Bytes())
	if n := r.Count(1); n != 0 || r.Err() == nil {
		t.Fatalf("Count = %d, %v", n, r.Err())
	}
}
