package newsletter

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"time"
)

// replyKind is what a message in the reply mailbox is, for Hearth.
type replyKind string

const (
	replyUnsubscribe replyKind = "unsubscribe" // carries a genuine token, written by a person
	replyBounce      replyKind = "bounce"      // an RFC 3464 report of a permanent failure
	replyAutoReply   replyKind = "auto_reply"  // out of office and other automatic answers
	replyIgnored     replyKind = "ignored"     // anything else: a person's reply, a soft bounce
	replyMalformed   replyKind = "malformed"   // cannot be read as an e-mail
)

// reply is a classified message.
type reply struct {
	kind replyKind
	// id is the message's Message-ID, or a hash of its bytes when it has none: what the local
	// record of processed messages is keyed by.
	id      string
	from    string    // the sender's address
	to      string    // the To header, as written
	subject string    // decoded
	date    time.Time // zero when absent or unreadable
	token   tokenRef  // replyUnsubscribe
	bounced []string  // replyBounce: the addresses that failed permanently
	status  string    // replyBounce: the first permanent failure's status (5.1.1)
	// original is the Message-ID of the message a delivery report is about, from the headers
	// it returns ("" when it returns none).
	original string
}

// maxDepth bounds how deep classify walks nested MIME parts: a message nesting parts without
// end is malformed, not a stack to exhaust.
const maxDepth = 12

var errTooDeep = errors.New("newsletter: mime parts nested too deep")

// classify reads one raw message. It never panics and never fails: what it cannot read is
// replyMalformed. Order matters: a delivery report is a bounce even though it is automatic; an
// automatic answer quoting the newsletter (its unsubscribe address included) changes nothing.
func classify(raw []byte, key []byte) reply {
	r := reply{kind: replyMalformed, id: rawID(raw)}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return r
	}
	h := msg.Header
	if id := strings.TrimSpace(h.Get("Message-Id")); id != "" {
		r.id = strings.ToLower(id)
	}
	dec := new(mime.WordDecoder)
	r.subject = h.Get("Subject")
	if s, err := dec.DecodeHeader(r.subject); err == nil {
		r.subject = s
	}
	r.to = h.Get("To")
	if from, err := mail.ParseAddress(h.Get("From")); err == nil {
		r.from = strings.ToLower(from.Address)
	} else if h.Get("From") != "" {
		// A DSN's From is usually a readable MAILER-DAEMON; a person's reply must name its sender.
		r.from = strings.TrimSpace(h.Get("From"))
	}
	if d, err := h.Date(); err == nil {
		r.date = d.UTC()
	}
	ctype := h.Get("Content-Type")
	media, params := "text/plain", map[string]string{}
	if ctype != "" {
		if media, params, err = mime.ParseMediaType(ctype); err != nil {
			return r
		}
	}
	if media == "multipart/report" && strings.EqualFold(params["report-type"], "delivery-status") {
		failed, status, original, ok := deliveryFailures(msg.Body, params["boundary"])
		if !ok {
			return r
		}
		r.status, r.original = status, original
		r.kind = replyIgnored // a delay, a soft (4.x.x) failure, a success notice
		if len(failed) > 0 {
			r.kind, r.bounced = replyBounce, failed
		}
		return r
	}
	if automatic(h, r.subject) {
		r.kind = replyAutoReply
		return r
	}
	var texts []string
	if err := collectText(msg.Body, media, params, h.Get("Content-Transfer-Encoding"), 0, &texts); err != nil {
		return r
	}
	if r.from == "" {
		return r // a reply nobody sent cannot prove anything
	}
	r.kind = replyIgnored
	// The token is looked for where a mail client puts what the List-Unsubscribe address or the
	// footer's link carried: the recipient address and the subject. In the body it counts only
	// when the person says they want to leave (subject, or a line of their own): every reply
	// quotes the footer, and "Thanks for the news!" must not unsubscribe anyone.
	where := []string{h.Get("To"), h.Get("Cc"), h.Get("Delivered-To"), h.Get("X-Original-To"), r.subject}
	if asksToLeave(r.subject) || slices.ContainsFunc(texts, ownLinesAskToLeave) {
		where = append(where, texts...)
	}
	for _, w := range where {
		if ref, ok := findToken(key, w); ok {
			r.kind, r.token = replyUnsubscribe, ref
			break
		}
	}
	return r
}

// leaveWords say "take me off the list", in English and French, lower-case.
var leaveWords = []string{"unsubscribe", "désinscri", "desinscri", "désabonn", "desabonn", "opt out", "opt-out", "stop", "remove me", "retirez-moi"}

func asksToLeave(s string) bool {
	s = strings.ToLower(s)
	for _, w := range leaveWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// ownLinesAskToLeave reports whether a text part has a line the sender wrote (not quoted, not
// the footer's address) asking to leave.
func ownLinesAskToLeave(text string) bool {
	if strings.Contains(text, "<") && strings.Contains(text, ">") && strings.Contains(strings.ToLower(text), "<html") {
		return false // HTML: what is quoted cannot be told from what was written
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, ">") || strings.Contains(strings.ToLower(line), "mailto:") {
			continue
		}
		if asksToLeave(line) {
			return true
		}
	}
	return false
}

func rawID(raw []byte) string {
	sum := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// automatic reports an automatic answer (RFC 3834 and the usual vendor headers, and the
// subjects of out-of-office replies that carry none).
func automatic(h mail.Header, subject string) bool {
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" {
		if kw, _, _ := strings.Cut(v, ";"); strings.TrimSpace(kw) != "no" {
			return true
		}
	}
	if h.Get("X-Autoreply") != "" || h.Get("X-Autorespond") != "" || h.Get("X-Autoresponder") != "" {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Precedence"))) {
	case "auto_reply", "bulk", "junk":
		return true
	}
	s := strings.ToLower(strings.TrimSpace(subject))
	for _, p := range []string{"auto:", "autoreply", "auto-reply", "automatic reply", "out of office", "out of the office",
		"réponse automatique", "reponse automatique", "absence", "abwesenheit"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// deliveryFailures reads a multipart/report's message/delivery-status part (RFC 3464) and
// returns the recipients whose delivery failed permanently (Action: failed, Status 5.x.x), the
// first such status, and the Message-ID of the returned message's headers. ok is false when
// the report cannot be read or has no delivery status.
func deliveryFailures(body io.Reader, boundary string) (failed []string, status, original string, ok bool) {
	if boundary == "" {
		return nil, "", "", false
	}
	mr := multipart.NewReader(body, boundary)
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return failed, status, original, ok
		}
		if err != nil {
			return nil, "", "", false
		}
		media, _, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if err == nil && (media == "text/rfc822-headers" || media == "message/rfc822") {
			if m, err := mail.ReadMessage(io.LimitReader(p, maxReplySize)); err == nil {
				original = strings.ToLower(strings.TrimSpace(m.Header.Get("Message-Id")))
			}
			continue
		}
		if err != nil || (media != "message/delivery-status" && media != "message/global-delivery-status") {
			continue
		}
		groups, err := statusGroups(decoded(p, p.Header.Get("Content-Transfer-Encoding")))
		if err != nil || len(groups) < 2 {
			return nil, "", "", false // a per-message group and at least one recipient's are required
		}
		ok = true
		for _, g := range groups[1:] {
			action := strings.ToLower(strings.TrimSpace(g.Get("Action")))
			st := strings.TrimSpace(g.Get("Status"))
			if action != "failed" || !strings.HasPrefix(st, "5.") {
				continue
			}
			if status == "" {
				status, _, _ = strings.Cut(st, " ")
			}
			rcpt := g.Get("Final-Recipient")
			if rcpt == "" {
				rcpt = g.Get("Original-Recipient")
			}
			if _, addr, found := strings.Cut(rcpt, ";"); found {
				if a := strings.ToLower(strings.Trim(strings.TrimSpace(addr), "<>")); strings.Contains(a, "@") {
					failed = append(failed, a)
				}
			}
		}
	}
}

// statusGroups splits a delivery-status body into its groups of fields (blank-line separated).
func statusGroups(r io.Reader) ([]textproto.MIMEHeader, error) {
	tp := textproto.NewReader(bufio.NewReader(io.LimitReader(r, maxReplySize)))
	var out []textproto.MIMEHeader
	for {
		// Groups may be separated by more than one blank line.
		for {
			b, err := tp.R.Peek(1)
			if err == io.EOF || (err == nil && b[0] != '\r' && b[0] != '\n') {
				break
			}
			if err != nil {
				return nil, err
			}
			if _, err := tp.R.ReadByte(); err != nil {
				return nil, err
			}
		}
		if _, err := tp.R.Peek(1); err == io.EOF {
			return out, nil
		}
		h, err := tp.ReadMIMEHeader()
		if len(h) > 0 {
			out = append(out, h)
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if len(out) > 1000 {
			return out, nil
		}
	}
}

// collectText appends the decoded text of every text/plain and text/html part.
func collectText(body io.Reader, media string, params map[string]string, cte string, depth int, out *[]string) error {
	if depth > maxDepth {
		return errTooDeep
	}
	if strings.HasPrefix(media, "multipart/") {
		if params["boundary"] == "" {
			return errors.New("newsletter: multipart without boundary")
		}
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			pm, pp := "text/plain", map[string]string{}
			if ct := p.Header.Get("Content-Type"); ct != "" {
				if pm, pp, err = mime.ParseMediaType(ct); err != nil {
					return err
				}
			}
			if err := collectText(p, pm, pp, p.Header.Get("Content-Transfer-Encoding"), depth+1, out); err != nil {
				return err
			}
		}
	}
	if media != "text/plain" && media != "text/html" {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(decoded(body, cte), maxReplySize))
	if err != nil {
		return err
	}
	*out = append(*out, string(b))
	return nil
}

// decoded undoes a part's transfer encoding (multipart.Reader already does it for
// quoted-printable parts it reads itself).
func decoded(r io.Reader, cte string) io.Reader {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "quoted-printable":
		if _, ok := r.(*multipart.Part); ok {
			return r
		}
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, newlineStripper{r})
	}
	return r
}

// newlineStripper drops the line breaks of a base64 body.
type newlineStripper struct{ r io.Reader }

func (n newlineStripper) Read(p []byte) (int, error) {
	for {
		k, err := n.r.Read(p)
		j := 0
		for _, c := range p[:k] {
			if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}
