package newsletter

import (
	"strings"
	"testing"
)

var testKey = unsubscribeKey([]byte("0123456789abcdef0123456789abcdef"))

const (
	nlID  = "01JAAAAAAAAAAAAAAAAAAAAAAA"
	memID = "01JBBBBBBBBBBBBBBBBBBBBBBB"
)

func TestATokenNamesItsMemberAndNewsletterAndCannotBeForged(t *testing.T) {
	tok := unsubscribeToken(testKey, nlID, memID)
	if len(tok) != 73 || !strings.HasPrefix(tok, "hu-"+nlID+"-"+memID+"-") {
		t.Fatalf("token %q", tok)
	}
	if ref, ok := findToken(testKey, "Re: unsubscribe "+strings.ToLower(tok)); !ok || ref != (tokenRef{nlID, memID}) {
		t.Fatalf("a genuine token (lower-cased by a mail client) was not found: %+v", ref)
	}
	other := unsubscribeToken(testKey, nlID, "01JCCCCCCCCCCCCCCCCCCCCCCC")
	for name, s := range map[string]string{
		"another member's mac":    strings.Replace(other, "01JCCCCCCCCCCCCCCCCCCCCCCC", memID, 1),
		"another workspace's key": unsubscribeToken(unsubscribeKey([]byte("another secret")), nlID, memID),
		"a damaged mac":           tok[:len(tok)-1] + "A",
	} {
		if s == tok {
			t.Fatalf("%s: same token", name)
		}
		if _, ok := findToken(testKey, s); ok {
			t.Errorf("%s was accepted: %s", name, s)
		}
	}
	if unsubscribeToken(testKey, "once-abc", memID) != "" || unsubscribeURL("news@x.example", "") != "mailto:news@x.example?subject=unsubscribe" {
		t.Errorf("a message that is not a newsletter to a member must carry the plain address")
	}
	if u := unsubscribeURL("news@x.example", tok); u != "mailto:news@x.example?subject=unsubscribe%20"+tok {
		t.Errorf("url %q", u)
	}
}

func TestClassifyFindsTheTokenInTheAddressTheSubjectOrTheQuotedBody(t *testing.T) {
	tok := unsubscribeToken(testKey, nlID, memID)
	head := "From: Ann <ann@example.org>\r\nMessage-ID: <m@example.org>\r\nDate: Mon, 04 May 2026 10:00:00 +0000\r\n"
	for name, raw := range map[string]string{
		"subject":       head + "To: news@x.example\r\nSubject: =?utf-8?q?unsubscribe_" + tok + "?=\r\n\r\nbye\r\n",
		"plus address":  head + "To: news+" + tok + "@x.example\r\nSubject: stop\r\n\r\nbye\r\n",
		"quoted footer": head + "To: news@x.example\r\nSubject: Re: May\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nstop please\r\n> mailto:news@x.example?subject=3Dunsubscribe%20" + tok[:40] + "=\r\n" + tok[40:] + "\r\n",
		"html part": head + "To: news@x.example\r\nSubject: Unsubscribe me\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
			b64("<a href=\"mailto:news@x.example?subject=unsubscribe%20"+tok+"\">x</a>") + "\r\n--b--\r\n",
	} {
		r := classify([]byte(raw), testKey)
		if r.kind != replyUnsubscribe || r.token != (tokenRef{nlID, memID}) || r.from != "ann@example.org" || r.id != "<m@example.org>" {
			t.Errorf("%s: %+v", name, r)
		}
	}
}

func TestAReplyQuotingTheFooterDoesNotUnsubscribe(t *testing.T) {
	tok := unsubscribeToken(testKey, nlID, memID)
	footer := "> You receive this newsletter because you agreed to receive it. To unsubscribe: mailto:news@x.example?subject=unsubscribe%20" + tok + "\r\n"
	head := "From: Ann <ann@example.org>\r\nMessage-ID: <m@example.org>\r\nTo: news@x.example\r\n"
	for name, c := range map[string]struct {
		raw  string
		want replyKind
	}{
		"thanks":         {head + "Subject: Re: May news\r\n\r\nThanks, great issue!\r\n\r\n" + footer, replyIgnored},
		"stop, in reply": {head + "Subject: Re: May news\r\n\r\nPlease stop sending me this.\r\n\r\n" + footer, replyUnsubscribe},
		"html only":      {head + "Subject: Re: May news\r\nContent-Type: text/html\r\n\r\n<html><p>Thanks!</p><blockquote>unsubscribe " + tok + "</blockquote></html>\r\n", replyIgnored},
	} {
		if r := classify([]byte(c.raw), testKey); r.kind != c.want {
			t.Errorf("%s: %s, want %s", name, r.kind, c.want)
		}
	}
}

func b64(s string) string {
	const enc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	var b strings.Builder
	in := []byte(s)
	for len(in)%3 != 0 {
		in = append(in, ' ') // trailing spaces do not matter in HTML
	}
	for i := 0; i < len(in); i += 3 {
		n := int(in[i])<<16 | int(in[i+1])<<8 | int(in[i+2])
		b.WriteByte(enc[n>>18&63])
		b.WriteByte(enc[n>>12&63])
		b.WriteByte(enc[n>>6&63])
		b.WriteByte(enc[n&63])
		if (i/3+1)%19 == 0 {
			b.WriteString("\r\n") // base64 bodies are wrapped
		}
	}
	return b.String()
}

// FuzzClassify feeds classify outside input: whatever arrives in the mailbox, it answers, and
// never panics or hangs.
func FuzzClassify(f *testing.F) {
	tok := unsubscribeToken(testKey, nlID, memID)
	for _, seed := range []string{
		"From: a@example.org\r\nSubject: unsubscribe " + tok + "\r\n\r\nx\r\n",
		"From: a@example.org\r\nAuto-Submitted: auto-replied\r\n\r\nx\r\n",
		"From: MAILER-DAEMON@x\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=B\r\n\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\nFinal-Recipient: rfc822; b@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--B--\r\n",
		"From: a@example.org\r\nContent-Type: multipart/mixed; boundary=Z\r\n\r\n--Z\r\nContent-Type: multipart/mixed; boundary=Y\r\n\r\n--Y\r\n\r\nx\r\n--Y--\r\n--Z--\r\n",
		"not an e-mail",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		r := classify(raw, testKey)
		switch r.kind {
		case replyUnsubscribe, replyBounce, replyAutoReply, replyIgnored, replyMalformed:
		default:
			t.Fatalf("kind %q", r.kind)
		}
		if r.id == "" {
			t.Fatal("no id to record the message by")
		}
		if r.kind == replyUnsubscribe && r.token.MemberID == "" {
			t.Fatal("an unsubscribe without its member")
		}
	})
}
