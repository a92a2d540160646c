package textfold

import "testing"

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
