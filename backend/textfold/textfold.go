// Package textfold folds text for matching the way people expect in French and English:
// case-insensitive and accent-insensitive, so "helene" finds "Hélène" and "coeur" finds "Cœur".
package textfold

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// ligatures are letters that decomposition does not split but readers treat as two.
var ligatures = strings.NewReplacer("œ", "oe", "æ", "ae", "ß", "ss", "ø", "o", "ł", "l", "đ", "d")

// folders reuses transformer chains: building one per call dominated loading 100,000 members.
var folders = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// Fold returns s lower-cased, without diacritics and with ligatures spelled out.
func Fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	t := folders.Get().(transform.Transformer)
	defer folders.Put(t)
	t.Reset()
	out, _, err := transform.String(t, strings.ToLower(s))
	if err != nil {
		out = strings.ToLower(s)
	}
	// Ligatures last: some letters only become one once their accent is gone ("ǽ" -> "æ").
	return ligatures.Replace(out)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
