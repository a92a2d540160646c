package rss

import (
	"html"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
)

// maxExcerpt is the longest Text kept for an article, in characters.
const maxExcerpt = 500

// blockEnd marks the HTML that separates words visually but holds no text.
var blockEnd = regexp.MustCompile(`(?i)<br\s*/?>|</(p|div|li|h[1-6]|blockquote|pre|tr|td|section|article)>`)

var strict = bluemonday.StrictPolicy()

// plain is HTML (or text) as one line of plain text: tags, scripts and styles dropped,
// entities decoded, spaces collapsed.
func plain(s string) string {
	if s == "" {
		return ""
	}
	s = blockEnd.ReplaceAllString(s, " ")
	s = html.UnescapeString(strict.Sanitize(s))
	return strings.Join(strings.Fields(s), " ")
}

// clean is plain text of at most n characters.
func clean(s string, n int) string { return truncate(plain(s), n) }

// truncate cuts s to at most n characters, ending with "…" when it cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
