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
	if out, ok := foldLatin(s); ok {
		return out
	}
	return foldFull(s)
}

// latinLow and latinHigh bound the letters folded one by one from a table (Latin-1 Supplement,
// Latin Extended-A and B: every accented letter of French and its neighbours).
const latinLow, latinHigh = 0xC0, 0x250

// latin is the full fold of each letter from latinLow to latinHigh, built once.
var latin struct {
	once   sync.Once
	folded [latinHigh - latinLow]string
}

// foldLatin folds s letter by letter when it holds only ASCII and letters of latin: the same
// result as foldFull (lower-casing, decomposing and recomposing and ligatures all work on one
// precomposed letter at a time when no combining mark follows it), at a fraction of the cost of
// the transformer chain. ok is false for any other text (combining marks, other scripts, bytes
// that are not UTF-8).
func foldLatin(s string) (string, bool) {
	latin.once.Do(func() {
		for r := rune(latinLow); r < latinHigh; r++ {
			latin.folded[r-latinLow] = foldFull(string(r))
		}
	})
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
		case latinLow <= r && r < latinHigh:
			b.WriteString(latin.folded[r-latinLow])
		default:
			return "", false
		}
	}
	return b.String(), true
}

// foldFull folds s with the transformer chain: any text.
func foldFull(s string) string {
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
