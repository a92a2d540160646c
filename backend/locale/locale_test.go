package locale

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// verbs are a message's fmt verbs and {name} placeholders, in a canonical order: a translation
// may reorder them (with explicit indexes), never drop or add one.
var verb = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?[vTtbcdoOqxXUeEfFgGsp]|\{[a-z_]+\}`)

func placeholders(m string) []string {
	m = strings.ReplaceAll(m, "%%", "")
	got := verb.FindAllString(m, -1)
	for i, v := range got {
		// %[2]d and %d are the same placeholder once reordered; %q and %s both take a string
		// (French quotes it « %s » itself).
		got[i] = strings.Replace(regexp.MustCompile(`\[\d+\]`).ReplaceAllString(v, ""), "%q", "%s", 1)
	}
	slices.Sort(got)
	return got
}

func TestEveryLanguageHasEveryKeyWithTheSamePlaceholders(t *testing.T) {
	all := map[string]map[string]string{}
	for _, lang := range Langs {
		msgs, err := Messages(lang)
		if err != nil {
			t.Fatal(err)
		}
		all[lang] = msgs
	}
	for _, lang := range Langs {
		for _, other := range Langs {
			for k, m := range all[lang] {
				o, ok := all[other][k]
				if !ok {
					t.Errorf("%s.json has %q, %s.json lacks it", lang, k, other)
					continue
				}
				if strings.TrimSpace(m) == "" {
					t.Errorf("%s.json: %q is empty", lang, k)
				}
				// A language's "one" form may spell the number out ("posted once").
				if strings.HasSuffix(k, "_one") {
					continue
				}
				if a, b := placeholders(m), placeholders(o); !slices.Equal(a, b) {
					t.Errorf("%q: %s has placeholders %v, %s has %v", k, lang, a, other, b)
				}
			}
		}
	}
}

func TestFrenchPrintsNumbersTheFrenchWay(t *testing.T) {
	if got := For("fr").Number(3142); got != "3\u00a0142" {
		t.Errorf("French 3142 = %q, want 3 142 with a no-break space", got)
	}
	if got := For("en").Number(3142); got != "3,142" {
		t.Errorf("English 3142 = %q", got)
	}
}

func TestAnUnknownLanguageSpeaksEnglish(t *testing.T) {
	p := For("de")
	if got := p.Sprintf("cli.bad_limit", "500"); p.Lang() != "en" || got != "--limit must be between 1 and 500" {
		t.Errorf("got %s %q", p.Lang(), got)
	}
	if got := For("fr").Sprintf("cli.bad_limit", "500"); got != "--limit doit être compris entre 1 et 500" {
		t.Errorf("French: %q", got)
	}
}
