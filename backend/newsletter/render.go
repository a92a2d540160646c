package newsletter

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"hearth/backend/errs"
	"hearth/backend/locale"
	"hearth/backend/members"
)

// mergeField matches {{ name }} and {{ name | fallback }}.
var mergeField = regexp.MustCompile(`\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[^|{}\s]+)?)\s*(?:\|([^{}]*))?\}\}`)

// MergeFields are the fields a newsletter can use, besides custom.<name> for custom fields.
var MergeFields = []string{"first_name", "last_name", "name", "email"}

func knownField(name string) bool {
	switch name {
	case "first_name", "last_name", "name", "email":
		return true
	}
	return strings.HasPrefix(name, "custom.") && len(name) > len("custom.")
}

// unknownFields returns the merge fields of s that do not exist, in order, without repeats.
func unknownFields(s string) []string {
	var out []string
	for _, m := range mergeField.FindAllStringSubmatch(s, -1) {
		if !knownField(m[1]) && !contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// fieldValue is a member's value for a merge field ("" when the member has none).
func fieldValue(name string, m members.Member, email string) string {
	first, last, _ := strings.Cut(strings.TrimSpace(m.Name), " ")
	switch name {
	case "first_name":
		return first
	case "last_name":
		return strings.TrimSpace(last)
	case "name":
		return strings.TrimSpace(m.Name)
	case "email":
		return email
	}
	if key, ok := strings.CutPrefix(name, "custom."); ok {
		return m.CustomFields[key]
	}
	return ""
}

// merge replaces the merge fields of s with the member's values (or their fallbacks), passed
// through esc.
func merge(s string, m members.Member, email string, esc func(string) string) string {
	return mergeField.ReplaceAllStringFunc(s, func(tok string) string {
		sub := mergeField.FindStringSubmatch(tok)
		v := fieldValue(sub[1], m, email)
		if v == "" {
			v = strings.TrimSpace(sub[2])
		}
		return esc(v)
	})
}

func identity(s string) string { return s }

// template is a newsletter prepared once per send: the Markdown body is rendered and sanitised
// with placeholders where merge fields go, so each message only substitutes escaped values.
// Each message's body is then sanitised again, for links (linkPolicy): a member's value may be
// a link's whole address ("[page]({{custom.Url}})") or its end, and only the address as it
// reads after substitution tells whether it is http, https or mailto.
type template struct {
	subject string
	lang    string
	body    string // sanitised HTML body, with placeholder tokens
	text    string // text part: the Markdown source with placeholder and link tokens
	fields  []field
	links   []textLink // the text part's links, spelled out by render
	from    string     // the sending address, where unsubscribe requests go
	// id and key make each member's unsubscribe token (unsubscribe.go); without a key the
	// address carries no token (a test send, an automation's e-mail).
	id  string
	key []byte
}

// withTokens makes render give each member their own unsubscribe token for newsletter id.
func (t *template) withTokens(id string, key []byte) *template {
	t.id, t.key = id, key
	return t
}

// unsub is the member's mailto: unsubscribe URL.
func (t *template) unsub(m members.Member) string {
	return unsubscribeURL(t.from, unsubscribeToken(t.key, t.id, m.ID))
}

type field struct{ token, name, fallback string }

// textLink is a link of the text part; its label and address may hold placeholders.
type textLink struct{ token, label, url string }

var (
	markdown = goldmark.New(goldmark.WithExtensions(extension.GFM))
	// sanitiser keeps what user-generated content may hold; goldmark already drops raw HTML.
	// It lets relative addresses through: a placeholder is one.
	sanitiser = bluemonday.UGCPolicy()
	// linkPolicy sanitises each message's body once its merge fields are filled: the same
	// elements, and addresses (href, src) that are http, https or mailto only, so no member's
	// value makes a javascript:, data:, vbscript: or relative link, however it is spelled.
	linkPolicy = bluemonday.UGCPolicy().AllowRelativeURLs(false)
)

// allowedLink says whether a link's address, as it reads after merge fields are filled, may be
// kept in the text part: http, https or mailto, in any case, once the spaces and control
// characters a mail client or browser would skip are taken out.
func allowedLink(u string) bool {
	s := strings.ToLower(strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, u))
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "mailto:")
}

// placeholder is a token Markdown leaves alone and no one types.
func placeholder(i int) string { return "HEARTHMERGE" + strconv.Itoa(i) + "Z" }

func prepare(n Newsletter, from string) (*template, error) {
	t := &template{subject: n.Subject, lang: n.Lang, from: from}
	body := mergeField.ReplaceAllStringFunc(n.BodyMarkdown, func(tok string) string {
		sub := mergeField.FindStringSubmatch(tok)
		f := field{token: placeholder(len(t.fields)), name: sub[1], fallback: strings.TrimSpace(sub[2])}
		t.fields = append(t.fields, f)
		return f.token
	})
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(body), &buf); err != nil {
		return nil, errs.Wrap(errs.Invalid, "invalid_markdown", err, "newsletter: render markdown")
	}
	t.body = sanitiser.Sanitize(buf.String())
	// The text part's links are found in the source before any member's value is in, so that
	// no value can make one; render checks each address once filled.
	t.text = spellLinks(body, func(label, url string) string {
		l := textLink{token: "HEARTHLINK" + strconv.Itoa(len(t.links)) + "Z", label: label, url: url}
		t.links = append(t.links, l)
		return l.token
	})
	if len(t.fields) == 0 {
		t.body = linkPolicy.Sanitize(t.body) // as render does when it fills fields
	}
	return t, nil
}

// render renders the template for one member. Links are filtered after the member's values are
// in: in the HTML by linkPolicy, in the text part by allowedLink (linkText).
func (t *template) render(m members.Member, email string) Rendered {
	subject := merge(t.subject, m, email, identity)
	escaped := make([]string, 0, 2*len(t.fields))
	raw := make([]string, 0, 2*len(t.fields)+2*len(t.links))
	for _, f := range t.fields {
		v := fieldValue(f.name, m, email)
		if v == "" {
			v = f.fallback
		}
		escaped = append(escaped, f.token, html.EscapeString(v))
		raw = append(raw, f.token, v)
	}
	body := t.body
	if len(escaped) > 0 {
		body = linkPolicy.Sanitize(strings.NewReplacer(escaped...).Replace(t.body))
	}
	fill := strings.NewReplacer(raw...)
	for _, l := range t.links {
		raw = append(raw, l.token, linkText(fill.Replace(l.label), fill.Replace(l.url)))
	}
	text := strings.TrimSpace(strings.NewReplacer(raw...).Replace(t.text))
	unsub := t.unsub(m)
	return Rendered{
		Subject: subject,
		HTML:    htmlDocument(t.lang, subject, body, unsub),
		Text:    text + "\n\n-- \n" + footerText(t.lang) + " " + unsub + "\n",
	}
}

// linkText spells a link out for the text part: "words (address)", the address alone when it
// is its own words, and the words alone (nothing for an autolink) when the address is not
// http, https or mailto.
func linkText(label, url string) string {
	switch {
	case !allowedLink(url) && label == url:
		return ""
	case !allowedLink(url):
		return label
	case label == url:
		return url
	}
	return fmt.Sprintf("%s (%s)", label, url)
}

// htmlDocument wraps a sanitised body in a page mail clients display well on phones and
// desktops: one centred column at most 600 px wide, styles inline; title is the subject.
func htmlDocument(lang, title, body, unsub string) string {
	if lang == "" {
		lang = "en"
	}
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html lang="` + lang + `">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + html.EscapeString(title) + `</title>
<style>img{max-width:100%;height:auto}a{color:#b45309}@media (max-width:620px){.hearth-body{padding:16px !important}}</style>
</head>
<body style="margin:0;padding:0;background:#f4f4f5;">
<div style="max-width:600px;margin:0 auto;background:#ffffff;">
<div class="hearth-body" style="padding:24px 32px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f2937;">
`)
	b.WriteString(body)
	b.WriteString(`</div>
<p style="margin:0;padding:16px 32px 24px;font-family:Helvetica,Arial,sans-serif;font-size:12px;line-height:1.4;color:#6b7280;">`)
	b.WriteString(html.EscapeString(footerText(lang)))
	b.WriteString(` <a href="` + html.EscapeString(unsub) + `" style="color:#6b7280;">` + html.EscapeString(unsubscribeLabel(lang)) + `</a></p>
</div>
</body>
</html>
`)
	return b.String()
}

// footerText and unsubscribeLabel are the footer's words in lang (backend/locale's catalogs).
func footerText(lang string) string { return locale.For(lang).Text("newsletter.footer") }

func unsubscribeLabel(lang string) string { return locale.For(lang).Text("newsletter.unsubscribe") }

var (
	mdImage = regexp.MustCompile(`!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	mdLink  = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	// mdAutolink is <address>: one with a scheme, or with a merge field's placeholder.
	mdAutolink = regexp.MustCompile(`<([^<>\s]*(?::|HEARTHMERGE\d+Z)[^<>\s]*)>`)
)

// spellLinks turns Markdown into the text alternative, which reads well as it is once links and
// images are spelled out: images keep their words in brackets, each link and autolink becomes
// link(words, address).
func spellLinks(md string, link func(label, url string) string) string {
	md = strings.ReplaceAll(md, "\r\n", "\n")
	md = mdImage.ReplaceAllString(md, "[$1]")
	md = mdLink.ReplaceAllStringFunc(md, func(s string) string {
		sub := mdLink.FindStringSubmatch(s)
		return link(sub[1], sub[2])
	})
	md = mdAutolink.ReplaceAllStringFunc(md, func(s string) string {
		u := s[1 : len(s)-1]
		return link(u, u)
	})
	return strings.TrimSpace(md)
}
