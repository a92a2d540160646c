package mastodon

import (
	"html"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
)

// maxExcerpt is the longest Text kept for an activity, in characters.
const maxExcerpt = 500

var (
	mdImage   = regexp.MustCompile(`!\[([^\]]*)\]\(\s*(\S+?)(?:\s+"[^"]*")?\s*\)`)
	mdLink    = regexp.MustCompile(`\[([^\]]+)\]\(\s*(\S+?)(?:\s+"[^"]*")?\s*\)`)
	mdHeading = regexp.MustCompile(`(?m)^[ \t]{0,3}#{1,6}[ \t]+`)
	mdBold    = regexp.MustCompile(`(\*\*|__)(\S(?:.*?\S)?)(\*\*|__)`)
	mdItalic  = regexp.MustCompile(`(^|[^\w*])\*(\S(?:[^*\n]*?\S)?)\*`)
	mdCode    = regexp.MustCompile("`([^`\n]+)`")
)

// statusText is what Publish posts: the title, a blank line, then the body as plain text.
func statusText(title, body string) string {
	title, body = strings.TrimSpace(title), strings.TrimSpace(plainMarkdown(body))
	switch {
	case title == "":
		return body
	case body == "":
		return title
	}
	return title + "\n\n" + body
}

// plainMarkdown turns the Markdown a person writes into the plain text a status is: Mastodon
// links URLs itself, so a link keeps its text and shows its address; emphasis marks go.
func plainMarkdown(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = mdImage.ReplaceAllString(s, "$2")
	s = mdLink.ReplaceAllStringFunc(s, func(m string) string {
		sub := mdLink.FindStringSubmatch(m)
		if strings.TrimSpace(sub[1]) == sub[2] {
			return sub[2]
		}
		return sub[1] + " (" + sub[2] + ")"
	})
	s = mdHeading.ReplaceAllString(s, "")
	s = mdBold.ReplaceAllStringFunc(s, func(m string) string {
		sub := mdBold.FindStringSubmatch(m)
		if sub[1] != sub[3] {
			return m
		}
		return sub[2]
	})
	s = mdItalic.ReplaceAllString(s, "$1$2")
	s = mdCode.ReplaceAllString(s, "$1")
	return s
}

// blockEnd marks the HTML that separates words visually but holds no text.
var blockEnd = regexp.MustCompile(`(?i)<br\s*/?>|</(p|div|li|h[1-6]|blockquote|pre|tr)>`)

var strict = bluemonday.StrictPolicy()

// excerpt is a status's HTML as one line of plain text of at most maxExcerpt characters.
func excerpt(htmlText string) string {
	s := blockEnd.ReplaceAllString(htmlText, " ")
	s = html.UnescapeString(strict.Sanitize(s))
	s = strings.Join(strings.Fields(s), " ")
	return truncate(s, maxExcerpt)
}

// truncate cuts s to at most n characters, ending with "…" when it cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
