package segments

import (
	"errors"
	"testing"
)

func TestParseReadsTheIssueExample(t *testing.T) {
	src := `tag = "bénévole" AND city = "Lyon" AND (level = ambassador OR activities(30d) >= 3) AND consent.newsletter = granted AND NOT tag = "équipe"`
	e, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	// AND binds tighter than OR, NOT tighter than AND: ((((tag AND city) AND (level OR act)) AND consent) AND NOT tag)
	top, ok := e.(*And)
	if !ok {
		t.Fatalf("top = %T, want *And", e)
	}
	if n, ok := top.R.(*Not); !ok || n.X.(*Cond).Value.Fold != "equipe" {
		t.Fatalf("right of the top AND = %#v, want NOT tag = equipe", top.R)
	}
	inner := top.L.(*And).L.(*And).R
	or, ok := inner.(*Or)
	if !ok {
		t.Fatalf("parenthesised part = %T, want *Or", inner)
	}
	act := or.R.(*Cond)
	if act.Field != FieldActivities || act.Days != 30 || act.Op != ">=" || act.Value.Num != 3 {
		t.Fatalf("activities condition = %+v", act)
	}
	if lv := or.L.(*Cond); lv.Value.Level != 1 {
		t.Fatalf("level ambassador read as %d", lv.Value.Level)
	}
}

func TestParseGivesAndPrecedenceOverOr(t *testing.T) {
	e, err := Parse(`a = 1 OR b = 2 AND c = 3`)
	if err != nil {
		t.Fatal(err)
	}
	or, ok := e.(*Or)
	if !ok {
		t.Fatalf("top = %T, want *Or", e)
	}
	if _, ok := or.R.(*And); !ok {
		t.Fatalf("right of OR = %T, want *And", or.R)
	}
	e, _ = Parse(`NOT a = 1 AND b = 2`)
	if _, ok := e.(*And).L.(*Not); !ok {
		t.Fatalf("NOT should bind to the first condition only: %#v", e)
	}
}

func TestParseFoldsFieldNamesForCaseAndAccents(t *testing.T) {
	for _, src := range []string{`Ville = Lyon`, `VILLE = "lyon"`, `ville = LYON`} {
		e, err := Parse(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		c := e.(*Cond)
		if c.Field != FieldCustom || c.Name != "ville" || c.Value.Fold != "lyon" {
			t.Fatalf("%s read as %+v", src, c)
		}
	}
	e, _ := Parse(`Catégorie_Âge = "Adulte"`)
	if c := e.(*Cond); c.Name != "categorie_age" {
		t.Fatalf("field name folded to %q", c.Name)
	}
	e, _ = Parse(`"Code postal" = 69001`)
	if c := e.(*Cond); c.Name != "code_postal" || !c.Value.IsNum {
		t.Fatalf("quoted field read as %+v", c)
	}
	e, _ = Parse(`TAG = Bénévole and not Platform = Discord`)
	if a := e.(*And); a.L.(*Cond).Field != FieldTag || a.R.(*Not).X.(*Cond).Value.Fold != "discord" {
		t.Fatalf("keywords and names in any case: %#v", e)
	}
}

func TestParseReadsDatesDurationsAndStates(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want func(c *Cond) bool
	}{
		{`joined >= 2024-01-31`, func(c *Cond) bool { return c.Field == FieldJoined && c.Value.Date == "2024-01-31" }},
		{`last_activity < 90d`, func(c *Cond) bool { return c.Field == FieldLastActivity && c.Value.IsAgo && c.Value.Ago == 90 }},
		{`activities(reply, 7d) > 0`, func(c *Cond) bool { return c.Name == "reply" && c.Days == 7 }},
		{`newsletters(90d) >= 1`, func(c *Cond) bool { return c.Field == FieldNewsletters && c.Days == 90 }},
		{`received = "Lettre de mars"`, func(c *Cond) bool { return c.Field == FieldReceived && c.Value.Fold == "lettre de mars" }},
		{`consent.newsletter != withdrawn`, func(c *Cond) bool { return c.Name == "newsletter" && c.Value.Fold == "withdrawn" && c.Op == "!=" }},
		{`consent.newsletter = accordé`, func(c *Cond) bool { return c.Value.Fold == "granted" }},
		{`level >= contributeurs`, func(c *Cond) bool { return c.Value.Level == 2 }},
		{`tag contains "bén"`, func(c *Cond) bool { return c.Op == "contains" && c.Value.Fold == "ben" }},
		{`age == 30`, func(c *Cond) bool { return c.Op == "=" && c.Value.Num == 30 }},
		{`note = "dit \"bonjour\""`, func(c *Cond) bool { return c.Value.Raw == `dit "bonjour"` }},
	} {
		e, err := Parse(tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		if !tc.want(e.(*Cond)) {
			t.Fatalf("%s read as %+v", tc.src, e)
		}
	}
}

func TestParseErrorsNameThePositionAndWhatWasExpected(t *testing.T) {
	for _, tc := range []struct {
		src   string
		pos   int
		code  string
		found string
	}{
		{``, 1, ErrEmpty, ""},
		{`   `, 4, ErrEmpty, ""},
		{`tag = `, 7, ErrValue, ""},
		{`tag "x"`, 5, ErrOperator, "x"},
		{`tag = x AND`, 12, ErrField, ""},
		{`tag = x y = z`, 9, ErrAndOr, "y"},
		{`(tag = x`, 9, ErrClose, ""},
		{`tag = x)`, 8, ErrAndOr, ")"},
		{`tag = "bénévole`, 7, ErrUnclosed, `"bénévole`},
		{`ville = Lyon AND étage # 2`, 24, ErrChar, "#"},
		{`platform < discord`, 10, ErrOpForField, "<"},
		{`level = chef`, 9, ErrLevel, "chef"},
		{`consent.newsletter = peut-être`, 22, ErrState, "peut-être"},
		{`activities(dance, 30d) > 1`, 12, ErrKind, "dance"},
		{`activities(30) > 1`, 12, ErrDuration, "30"},
		{`activities(30d) > beaucoup`, 19, ErrNumber, "beaucoup"},
		{`joined > hier`, 10, ErrDate, "hier"},
		{`event = "AG 2025"`, 1, ErrEvents, "event"},
		{`consent = granted`, 1, ErrConsentMissed, "consent"},
		{`ville(3) = x`, 6, ErrUnknownCall, "("},
		{`NOT`, 4, ErrField, ""},
		{`tag = a OR OR tag = b`, 12, ErrField, "OR"},
	} {
		_, err := Parse(tc.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("%q: error %v, want a *SyntaxError", tc.src, err)
		}
		if se.Pos != tc.pos || se.Code != tc.code || se.Found != tc.found {
			t.Errorf("%q: got at %d %s found %q, want at %d %s found %q", tc.src, se.Pos, se.Code, se.Found, tc.pos, tc.code, tc.found)
		}
	}
}
