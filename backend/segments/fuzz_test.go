package segments

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// FuzzParse: whatever a person types, Parse answers an expression or a *SyntaxError whose
// position is inside the text (or just after it), and never panics; what parses compiles.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`tag = "bénévole" AND city = "Lyon" AND (level = ambassador OR activities(30d) >= 3) AND consent.newsletter = granted AND NOT tag = "équipe"`,
		`NOT (a = 1 OR b != "x") AND c contains é`, `joined >= 2024-01-31`, `last_activity < 90d`,
		`activities(reply, 7d) > 0`, `newsletters(90d) >= 1`, `received = "Lettre"`, `event = x`, `"Code postal" < 69000`,
		`((((`, `a = "\`, `a = "\"`, `)`, `a == b`, `a ! b`, `a = b OR`, "a = \xff", `activities(,) = 1`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("%q: %v is not a *SyntaxError", src, err)
			}
			if se.Pos < 1 || se.Pos > utf8.RuneCountInString(src)+1 {
				t.Fatalf("%q: position %d outside the text", src, se.Pos)
			}
			return
		}
		m := compile(e, &facts{}, &symbols{})
		m(&person{})
	})
}
