// Package locale holds every word Hearth's Go side shows a person (the CLI, workbooks,
// e-mails), one catalog per language in files a translator edits: en.json and fr.json beside
// this file, nested objects whose keys join with dots ("cli.bad_limit"). A message is a Go
// format string (fmt verbs, with explicit argument indexes where a language reorders them);
// numbers given to Sprintf are printed the language's way (3 142 in French, 3,142 in English).
// A key missing in French falls back to English; a key missing in both prints the key, which
// the catalogs' test forbids for every key used.
package locale

import (
	"embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

//go:embed en.json fr.json
var files embed.FS

// Langs are the languages Hearth speaks, the first being the fallback.
var Langs = []string{"en", "fr"}

var tags = map[string]language.Tag{"en": language.English, "fr": language.French}

// Lang returns lang when Hearth speaks it, else English.
func Lang(lang string) string {
	if _, ok := tags[lang]; ok {
		return lang
	}
	return "en"
}

type loaded struct {
	msgs     map[string]map[string]string // lang -> key -> message
	printers map[string]Printer           // lang -> its printer, built once (safe to share)
}

var load = sync.OnceValue(func() loaded {
	l := loaded{msgs: map[string]map[string]string{}, printers: map[string]Printer{}}
	cat := catalog.NewBuilder(catalog.Fallback(language.English))
	for _, lang := range Langs {
		msgs, err := Messages(lang)
		if err != nil {
			panic(err) // the catalogs are embedded: the catalogs' test catches this first
		}
		l.msgs[lang] = msgs
		for k, m := range msgs {
			if err := cat.SetString(tags[lang], k, m); err != nil {
				panic(fmt.Errorf("locale: %s %s: %w", lang, k, err))
			}
		}
	}
	for _, lang := range Langs {
		l.printers[lang] = Printer{lang: lang, p: message.NewPrinter(tags[lang], message.Catalog(cat))}
	}
	return l
})

// Messages reads one language's catalog file, flattened to dotted keys.
func Messages(lang string) (map[string]string, error) {
	raw, err := files.ReadFile(lang + ".json")
	if err != nil {
		return nil, fmt.Errorf("locale: no catalog for %q: %w", lang, err)
	}
	var tree map[string]any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, fmt.Errorf("locale: %s.json: %w", lang, err)
	}
	out := map[string]string{}
	if err := flatten("", tree, out); err != nil {
		return nil, fmt.Errorf("locale: %s.json: %w", lang, err)
	}
	return out, nil
}

func flatten(prefix string, tree map[string]any, out map[string]string) error {
	for k, v := range tree {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		switch v := v.(type) {
		case string:
			out[key] = v
		case map[string]any:
			if err := flatten(key, v, out); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: a message must be a string or an object, not %T", key, v)
		}
	}
	return nil
}

// Printer speaks one language.
type Printer struct {
	lang string
	p    *message.Printer
}

// For returns the printer of lang (English when Hearth does not speak lang). Printers are
// built once and shared: a newsletter asks for its footer's words once per message.
func For(lang string) Printer { return load().printers[Lang(lang)] }

// Lang is the printer's language.
func (p Printer) Lang() string { return p.lang }

// Text returns the message of key unformatted (in English when the language lacks it), or ""
// when no catalog has it. For messages with {name} placeholders filled by the caller.
func (p Printer) Text(key string) string {
	if m, ok := load().msgs[p.lang][key]; ok {
		return m
	}
	return load().msgs["en"][key]
}

// Has reports whether a catalog has key.
func (p Printer) Has(key string) bool { return p.Text(key) != "" }

// Sprintf formats the message of key with args, numbers the language's way.
func (p Printer) Sprintf(key string, args ...any) string { return p.p.Sprintf(key, args...) }

// Number prints n the language's way (3 142 or 3,142).
func (p Printer) Number(n any) string { return p.p.Sprint(n) }

// Keys lists the keys of a language's catalog under prefix (all when prefix is ""), sorted.
func Keys(lang, prefix string) []string {
	msgs := load().msgs[Lang(lang)]
	keys := slices.Collect(maps.Keys(msgs))
	out := keys[:0]
	for _, k := range keys {
		if prefix == "" || len(k) > len(prefix) && k[:len(prefix)] == prefix {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
