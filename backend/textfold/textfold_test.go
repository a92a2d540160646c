package textfold

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestFoldIgnoresCaseAccentsAndLigatures(t *testing.T) {
	cases := map[string]string{
		"Hélène Dupont":     "helene dupont",
		"FRANÇOIS":          "francois",
		"Cœur de Bœuf":      "coeur de boeuf",
		"Straße":            "strasse",
		"already plain":     "already plain",
		"Ångström naïveté":  "angstrom naivete",
		"e\u0301le\u0300ve": "eleve", // decomposed input
	}
	for in, want := range cases {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzFoldNeverPanicsAndIsIdempotent(f *testing.F) {
	for _, s := range []string{"Hélène", "Œuvre", "\xff\xfe", "ǅ", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := Fold(s)
		if twice := Fold(once); twice != once {
			t.Fatalf("Fold not idempotent: %q -> %q -> %q", s, once, twice)
		}
	})
}

// TestTheLetterByLetterFoldAgreesWithTheFullOne compares the table of Latin letters with the
// transformer chain, letter by letter and over random names mixing them with ASCII.
func TestTheLetterByLetterFoldAgreesWithTheFullOne(t *testing.T) {
	var letters []rune
	for r := rune(0); r < latinHigh; r++ {
		if r < 0x80 || r >= latinLow {
			letters = append(letters, r)
		}
	}
	for _, r := range letters {
		got, ok := foldLatin(string(r))
		if want := foldFull(string(r)); !ok || got != want {
			t.Errorf("%U: letter by letter %q (%v), full %q", r, got, ok, want)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteRune(letters[rng.IntN(len(letters))])
		}
		s := b.String()
		got, ok := foldLatin(s)
		if want := foldFull(s); !ok || got != want {
			t.Fatalf("%q: letter by letter %q (%v), full %q", s, got, ok, want)
		}
	}
	for _, s := range []string{"e\u0301le\u0300ve", "Ἀθῆναι", "\xff\xfe", "naïve Привет"} {
		if _, ok := foldLatin(s); ok {
			t.Errorf("%q: folded letter by letter, but holds more than Latin letters", s)
		}
	}
}
