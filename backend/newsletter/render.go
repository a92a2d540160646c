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

// template is a newsletter prepared once per send: the HTML body is rendered and sanitised with
// placeholders where merge fields go, so each message only substitutes escaped values.
type template struct {
	subject string
	html    string // full document, with placeholder tokens
	text    string // Markdown source with merge fields, links spelled out
	fields  []field
	unsub   string // the mailto: unsubscribe URL
}

type field struct{ token, name, fallback string }

var (
	markdown = goldmark.New(goldmark.WithExtensions(extension.GFM))
	// sanitiser keeps what user-generated content may hold; goldmark already drops raw HTML.
	sanitiser = bluemonday.UGCPolicy()
)

// placeholder is a token Markdown leaves alone and no one types.
func placeholder(i int) string { return "HEARTHMERGE" + strconv.Itoa(i) + "Z" }

func prepare(n Newsletter, from string) (*template, error) {
	t := &template{subject: n.Subject, unsub: unsubscribeURL(from)}
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
	t.html = htmlDocument(n.Lang, sanitiser.Sanitize(buf.String()), t.unsub)
	t.text = plainText(n.BodyMarkdown) + "\n\n-- \n" + footerText(n.Lang) + " " + t.unsub + "\n"
	return t, nil
}

// render renders the template for one member; the title tag holds the merged subject.
func (t *template) render(m members.Member, email string) Rendered {
	subject := merge(t.subject, m, email, identity)
	pairs := make([]string, 0, 2*len(t.fields)+2)
	pairs = append(pairs, titleToken, html.EscapeString(subject))
	for _, f := range t.fields {
		v := fieldValue(f.name, m, email)
		if v == "" {
			v = f.fallback
		}
		pairs = append(pairs, f.token, html.EscapeString(v))
	}
	return Rendered{
		Subject: subject,
		HTML:    strings.NewReplacer(pairs...).Replace(t.html),
		Text:    merge(t.text, m, email, identity),
	}
}

const titleToken = "HEARTHTITLEZ"

// htmlDocument wraps a sanitised body in a page mail clients display well on phones and
// desktops: one centred column at most 600 px wide, styles inline.
func htmlDocument(lang, body, unsub string) string {
	if lang == "" {
		lang = "en"
	}
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html lang="` + lang + `">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + titleToken + `</title>
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

func unsubscribeURL(from string) string { return "mailto:" + from + "?subject=unsubscribe" }

var (
	mdImage = regexp.MustCompile(`!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	mdLink  = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
)

// plainText is the text alternative: Markdown reads well as it is once links and images are
// spelled out.
func plainText(md string) string {
	md = strings.ReplaceAll(md, "\r\n", "\n")
	md = mdImage.ReplaceAllString(md, "[$1]")
	md = mdLink.ReplaceAllStringFunc(md, func(s string) string {
		sub := mdLink.FindStringSubmatch(s)
		if sub[1] == sub[2] {
			return sub[2]
		}
		return fmt.Sprintf("%s (%s)", sub[1], sub[2])
	})
	return strings.TrimSpace(md)
}
