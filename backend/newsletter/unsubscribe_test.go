package newsletter_test

import (
	"strings"
	"testing"

	"hearth/backend/newsletter"
	"hearth/backend/newsletter/newslettertest"
)

func TestEachRecipientGetsTheirOwnUnsubscribeAddressAndAPreviewNone(t *testing.T) {
	fake := &newslettertest.FakeSender{}
	e := newslettertest.New(t, fake, fastOptions())
	ms := e.Add(t,
		newslettertest.Person{Name: "Ann", Email: "ann@example.org", Consent: true},
		newslettertest.Person{Name: "Bo", Email: "bo@example.org", Consent: true})
	e.Configure(t, "127.0.0.1", 25, newsletter.TLSNone, "", "", 0)
	n := e.Draft(t, newsletter.Input{Subject: "News", BodyMarkdown: "Hello", Lang: "fr"})
	// A preview is not a message: its link, followed by the manager, must not unsubscribe Ann.
	p, err := e.News.Preview(ctx, n.ID, ms[0].ID)
	if err != nil || strings.Contains(p.Text+p.HTML, "hu-") || !strings.Contains(p.Text, "mailto:news@hearth.example?subject=unsubscribe\n") {
		t.Fatalf("preview %v:\n%s", err, p.Text)
	}
	if _, err := e.News.Send(ctx, n.ID, nil); err != nil || len(fake.Sent) != 2 {
		t.Fatalf("send: %v", err)
	}
	seen := map[string]bool{}
	for i, m := range fake.Sent {
		data := string(m.Data)
		want := "subject=unsubscribe%20hu-" + n.ID + "-" + ms[i].ID + "-"
		// The header, and the footer of the text and HTML parts (quoted-printable: = is =3D).
		if strings.Count(strings.ReplaceAll(strings.ReplaceAll(data, "=\r\n", ""), "=3D", "="), want) != 3 ||
			!strings.Contains(data, "List-Unsubscribe: <mailto:news@hearth.example?"+want) {
			t.Errorf("%s's message does not carry their unsubscribe address 3 times:\n%s", m.To, data)
		}
		seen[want] = true
	}
	if len(seen) != 2 {
		t.Errorf("Ann and Bo got the same unsubscribe address")
	}
}
