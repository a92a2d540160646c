package newsletter_test

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"hearth/backend/newsletter"
	"hearth/backend/newsletter/newslettertest"
)

var urlAttr = regexp.MustCompile(`(?i)\b(href|src)\s*=\s*"([^"]*)"`)

// linkAllowed is what a mail client would follow, decoded and with the spaces and control
// characters browsers skip taken out.
func linkAllowed(u string) bool {
	s := strings.ToLower(strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, html.UnescapeString(u)))
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "mailto:")
}

func TestAMergeFieldInALinksAddressMakesOnlyHttpHttpsOrMailtoLinks(t *testing.T) {
	hostile := []string{
		"javascript:alert(1)",
		"JaVaScRiPt:alert(1)",
		" javascript:alert(1)",
		"java\tscript:alert(1)",
		"java\nscript:alert(1)",
		"\x01javascript:alert(1)",
		"&#106;avascript:alert(1)",
		"&#x6A;avascript&#x3A;alert(1)",
		"javascript&colon;alert(1)",
		"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
		"DATA:image/svg+xml,<svg onload=alert(1)>",
		"vbscript:msgbox(1)",
		"VBScript:msgbox(1)",
		"//evil.example/x",
		"evil.html",
	}
	e := newslettertest.New(t, &newslettertest.FakeSender{}, fastOptions())
	var people []newslettertest.Person
	for i, u := range hostile {
		people = append(people, newslettertest.Person{Email: "p" + string(rune('a'+i)) + "@example.org",
			Custom: map[string]string{"Url": u, "Rest": strings.TrimPrefix(u, "java")}})
	}
	people = append(people, newslettertest.Person{Email: "ok@example.org",
		Custom: map[string]string{"Url": "https://ok.example/?a=1&b=2", "Rest": "https://ok.example/"}},
		newslettertest.Person{Email: "mail@example.org", Custom: map[string]string{"Url": "MAILTO:ann@example.org", "Rest": "mailto:ann@example.org"}})
	ms := e.Add(t, people...)
	n := e.Draft(t, newsletter.Input{Subject: "Links", Lang: "en",
		BodyMarkdown: "[page]({{custom.Url}}) and [more](java{{custom.Rest}}) and ![pic]({{custom.Url}})\n\n<{{custom.Url}}>"})
	for i, m := range ms {
		r, err := e.News.Preview(ctx, n.ID, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range urlAttr.FindAllStringSubmatch(r.HTML, -1) {
			if !linkAllowed(a[2]) {
				t.Errorf("%q: the HTML has %s=%q", people[i].Custom["Url"], a[1], a[2])
			}
		}
		if !strings.Contains(r.HTML, "page") || !strings.Contains(r.Text, "page") {
			t.Errorf("%q: the link's words are gone:\n%s\n%s", people[i].Custom["Url"], r.HTML, r.Text)
		}
		if i < len(hostile) {
			flat := strings.ToLower(strings.Map(func(r rune) rune {
				if r <= ' ' {
					return -1
				}
				return r
			}, r.Text))
			for _, bad := range []string{"script", "data:", "evil"} {
				if strings.Contains(flat, bad) {
					t.Errorf("%q: the text part holds %q:\n%s", people[i].Custom["Url"], bad, r.Text)
				}
			}
		}
	}
	ok, err := e.News.Preview(ctx, n.ID, ms[len(hostile)].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ok.HTML, `href="https://ok.example/?a=1&amp;b=2"`) || !strings.Contains(ok.Text, "page (https://ok.example/?a=1&b=2)") {
		t.Errorf("an https link was lost:\n%s\n%s", ok.HTML, ok.Text)
	}
	mail, err := e.News.Preview(ctx, n.ID, ms[len(hostile)+1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ToLower(mail.HTML), `href="mailto:ann@example.org"`) || !strings.Contains(mail.Text, "page (MAILTO:ann@example.org)") {
		t.Errorf("a mailto link was lost:\n%s\n%s", mail.HTML, mail.Text)
	}
}
