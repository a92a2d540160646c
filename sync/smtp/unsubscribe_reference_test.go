package smtp_test

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"hearth/backend/newsletter"
	"hearth/backend/newsletter/newslettertest"
	"hearth/sync/smtp/smtptest"
)

// python is Debian's interpreter (installed by .ci/deps); its e-mail package is the reference.
const python = "/usr/bin/python3"

// TestPythonsEmailParserFindsEachRecipientsUnsubscribeAddressAndLink sends a newsletter over a
// loopback SMTP server and hands each message, as the server received it, to Python's e-mail
// package (testdata/check_unsubscribe.py, email.policy.default), a reader Hearth did not write:
// one List-Unsubscribe header holding one mailto: URI to the sending address whose subject names
// the recipient and the newsletter, no one-click List-Unsubscribe-Post (it needs an https URI,
// and Hearth has no web server), and the same address as the visible link of the HTML part and
// in the text part's footer.
func TestPythonsEmailParserFindsEachRecipientsUnsubscribeAddressAndLink(t *testing.T) {
	if out, err := exec.Command(python, "-c", "import email.policy").CombinedOutput(); err != nil {
		t.Fatalf("%s is needed to check the messages with Python's e-mail package (apt-get install python3, or .ci/deps): %v\n%s", python, err, out)
	}
	srv := smtptest.New(t, smtptest.Options{User: user, Pass: password, Record: true})
	e := newslettertest.New(t, dialer(srv), fast())
	people := e.Add(t,
		newslettertest.Person{Name: "Zoé Durand", Email: "zoe@example.org", Consent: true},
		newslettertest.Person{Name: "Bob", Email: "bob@example.org", Consent: true},
	)
	e.Configure(t, "127.0.0.1", srv.Port, newsletter.TLSStartTLS, user, password, 0)
	for _, lang := range []string{"fr", "en"} {
		n := e.Draft(t, newsletter.Input{Subject: "Nouvelles — " + lang, Lang: lang, BodyMarkdown: "Bonjour {{first_name|à tous}}"})
		if got, err := e.News.Send(ctx, n.ID, nil); err != nil || got.Counts.Sent != 2 {
			t.Fatalf("send %s: %+v %v", lang, got.Counts, err)
		}
	}
	msgs := srv.Received()
	if len(msgs) != 4 {
		t.Fatalf("%d messages received, want 4", len(msgs))
	}
	tokens := map[string]bool{}
	for _, m := range msgs {
		cmd := exec.Command(python, "testdata/check_unsubscribe.py")
		cmd.Stdin = bytes.NewReader(m.Data)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("Python could not read the message to %s: %v\n%s\n%s", m.To[0], err, stderr.String(), m.Data)
		}
		var got struct {
			URIs      []string `json:"uris"`
			Post      *string  `json:"post"`
			Mailto    string   `json:"mailto"`
			Subject   string   `json:"subject"`
			From      string   `json:"from"`
			HTMLLinks []string `json:"htmlLinks"`
			TextLinks []string `json:"textLinks"`
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%s: %v", out, err)
		}
		if len(got.URIs) != 1 || got.Mailto != "news@hearth.example" || got.From != got.Mailto {
			t.Errorf("to %s: List-Unsubscribe %v, mailto %q, From %q: want one mailto: to the sending address", m.To[0], got.URIs, got.Mailto, got.From)
			continue
		}
		if got.Post != nil {
			t.Errorf("to %s: List-Unsubscribe-Post %q with a mailto: URI (RFC 8058 asks for https)", m.To[0], *got.Post)
		}
		member := people[0].ID
		if m.To[0] == "bob@example.org" {
			member = people[1].ID
		}
		token, ok := strings.CutPrefix(got.Subject, "unsubscribe hu-")
		if !ok || !strings.Contains(token, "-"+member+"-") {
			t.Errorf("to %s: unsubscribe subject %q does not name the member %s", m.To[0], got.Subject, member)
		}
		tokens[token] = true
		if len(got.HTMLLinks) != 1 || got.HTMLLinks[0] != got.URIs[0] {
			t.Errorf("to %s: the HTML part's unsubscribe links %v, want the header's %s", m.To[0], got.HTMLLinks, got.URIs[0])
		}
		if len(got.TextLinks) != 1 || got.TextLinks[0] != got.URIs[0] {
			t.Errorf("to %s: the text part's unsubscribe addresses %v, want the header's %s", m.To[0], got.TextLinks, got.URIs[0])
		}
	}
	if len(tokens) != 4 {
		t.Errorf("%d different unsubscribe tokens for 2 people and 2 newsletters, want 4: each names its newsletter", len(tokens))
	}
}
