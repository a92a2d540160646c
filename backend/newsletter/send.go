package newsletter

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"time"

	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/store"
)

// Message is one e-mail ready for the wire.
type Message struct {
	// From is the envelope sender (MAIL FROM); To the one envelope recipient (RCPT TO).
	From, To string
	// Data is the RFC 5322 message, CRLF line endings.
	Data []byte
}

// Sender delivers messages, reusing its connection between them when it can. Send returns a
// *SendError for a refusal or a failure to reach the server.
type Sender interface {
	Send(ctx context.Context, m Message) error
	Close() error
}

// Dialer makes a Sender for the configured server. It must not connect yet: the Sender connects
// on its first message.
type Dialer interface {
	Open(t Transport) (Sender, error)
}

// Stage is the step of the SMTP exchange a failure happened at.
type Stage string

// The stages. Only refusals at StageRcpt are about the recipient's address; failures before it
// concern the server or the account, after it the message.
const (
	StageConnect Stage = "connect" // dialling, TLS, greeting
	StageAuth    Stage = "auth"
	StageMail    Stage = "mail"
	StageRcpt    Stage = "rcpt"
	StageData    Stage = "data"
)

// SendError is a classified delivery failure.
type SendError struct {
	// Temporary is true for 4xx replies and network failures: trying later may work.
	Temporary bool
	Stage     Stage
	// Code is the server's reply code (0 when there was no reply).
	Code int
	// Reply is the server's reply text, or the network error.
	Reply string
	// Uncertain is true when the connection failed after the message's final dot was sent and
	// before the server answered: the server may have taken it.
	Uncertain bool
	Err       error
}

func (e *SendError) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("smtp %s: %d %s", e.Stage, e.Code, e.Reply)
	}
	return fmt.Sprintf("smtp %s: %s", e.Stage, e.Reply)
}

// Unwrap exposes the cause.
func (e *SendError) Unwrap() error { return e.Err }

// recipient is one member of the audience.
type recipient struct {
	member members.Member
	email  string
}

// audience selects the newsletter's recipients and counts the exclusions.
func (s *Service) audience(ctx context.Context, n Newsletter) ([]recipient, Plan, error) {
	plan := Plan{NewsletterID: n.ID, Sample: []Recipient{}}
	p, err := s.consent.Purpose(ctx, Purpose)
	if err != nil {
		return nil, plan, err
	}
	plan.Expired = consent.NewLapsed(p)
	seen := map[string]bool{}
	var matched []members.Member
	tags := n.Tags
	if len(tags) == 0 {
		tags = []string{""}
	}
	for _, tag := range tags {
		for offset := 0; ; {
			page, err := s.members.List(ctx, members.ListQuery{Tag: tag, Search: n.Search, Sort: members.SortCreated,
				Offset: offset, Limit: members.MaxLimit})
			if err != nil {
				return nil, plan, err
			}
			for _, m := range page.Items {
				if !seen[m.ID] {
					seen[m.ID] = true
					matched = append(matched, m)
				}
			}
			offset += members.MaxLimit
			if offset >= page.Total {
				break
			}
		}
	}
	if matched, err = s.inSegment(ctx, n, matched); err != nil {
		return nil, plan, err
	}
	now := s.now()
	var out []recipient
	for _, m := range matched {
		if err := ctx.Err(); err != nil {
			return nil, plan, errs.Wrap(errs.Unavailable, "cancelled", err, "newsletter: cancelled")
		}
		if len(m.Emails) == 0 {
			plan.ExcludedNoEmail++
			continue
		}
		st, err := s.consent.State(ctx, m.ID, Purpose, now)
		if err != nil {
			return nil, plan, err
		}
		if st.State != consent.StateGranted {
			plan.ExcludedNoConsent++
			switch st.State {
			case consent.StateWithdrawn:
				plan.ExcludedWithdrawn++
			case consent.StateExpired:
				plan.Expired.Add(st.ExpiresAt)
			default:
				plan.ExcludedNotAsked++
			}
			continue
		}
		email := m.Emails[0]
		var suppressed bool
		err = s.st.View(func(tx *store.Tx) (err error) {
			suppressed, err = store.Suppressed(tx, SuppressionKind, strings.ToLower(email))
			return err
		})
		if err != nil {
			return nil, plan, err
		}
		if suppressed {
			plan.ExcludedSuppressed++
			continue
		}
		out = append(out, recipient{member: m, email: email})
		if len(plan.Sample) < 5 {
			plan.Sample = append(plan.Sample, Recipient{MemberID: m.ID, Name: m.Name, Email: email})
		}
	}
	plan.Recipients = len(out)
	return out, plan, nil
}

// Plan says who a send would reach now and who is excluded, without sending anything.
func (s *Service) Plan(ctx context.Context, id string) (Plan, error) {
	n, err := s.Get(ctx, id)
	if err != nil {
		return Plan{}, err
	}
	rs, plan, err := s.audience(ctx, n)
	if err != nil {
		return Plan{}, err
	}
	err = s.st.View(func(tx *store.Tx) error {
		for _, r := range rs {
			d, _, err := store.Get(tx, deliveries, deliveryID(id, r.member.ID))
			if err == nil && (d.Status == DeliverySent || d.Status == DeliveryFailedPerm) {
				plan.AlreadySent++
			} else if err == nil && (d.Status == DeliverySending || d.Status == DeliveryUncertain) {
				plan.Uncertain++
			} else if err != nil && !errors.Is(err, errs.NotFound) {
				return err
			}
		}
		return nil
	})
	return plan, err
}

// Send sends the newsletter to its audience (see the package contract for resumption, retries
// and throttling) and returns it with its final counts. progress, when not nil, is called after
// every message. Cancelling ctx stops between messages; Send again resumes. Recipients left
// uncertain by an earlier run are not sent again (SendWith can).
func (s *Service) Send(ctx context.Context, id string, progress func(Progress)) (Newsletter, error) {
	return s.SendWith(ctx, id, SendOptions{}, progress)
}

// SendWith is Send with the manager's options: with ResendUncertain, the recipients an earlier
// run left uncertain are sent again too, also once the newsletter is sent.
func (s *Service) SendWith(ctx context.Context, id string, opts SendOptions, progress func(Progress)) (Newsletter, error) {
	unlock, err := s.lock(id)
	if err != nil {
		return Newsletter{}, err
	}
	defer unlock()
	n, err := s.Get(ctx, id)
	if err != nil {
		return Newsletter{}, err
	}
	wasSent := n.Status == StatusSent
	if wasSent && !(opts.ResendUncertain && n.Counts.Uncertain > 0) {
		return n, errs.New(errs.Conflict, "newsletter_already_sent", "newsletter: "+id+" was sent already")
	}
	tr, rate, err := s.transport()
	if err != nil {
		return n, err
	}
	tmpl, err := prepare(n, tr.From)
	if err != nil {
		return n, err
	}
	key, err := s.unsubscribeKey()
	if err != nil {
		return n, err
	}
	tmpl.withTokens(n.ID, key)
	rs, plan, err := s.audience(ctx, n)
	if err != nil {
		return n, err
	}

	// Every recipient gets a delivery record before the first message leaves; the status change
	// to "sending" is a durable commit, which syncs those records to disk too.
	states, err := s.deliveryStates(ctx, id, len(rs))
	if err != nil {
		return n, err
	}
	// A delivery still marked sending was cut off by a crash (this process holds the send's lock,
	// and a run that returns never leaves one): the server may have taken its message.
	var fresh []Delivery
	now := s.now()
	for _, d := range states {
		if d.Status == DeliverySending {
			d.Status, d.LastError, d.UpdatedAt = DeliveryUncertain, "", now
			states[d.MemberID] = d
			fresh = append(fresh, d)
		}
	}
	if wasSent {
		// Only the uncertain recipients still in the audience: nobody new joins a sent newsletter.
		rs = slices.DeleteFunc(rs, func(r recipient) bool { return states[r.member.ID].Status != DeliveryUncertain })
	}
	for _, r := range rs {
		if _, ok := states[r.member.ID]; !ok {
			d := Delivery{NewsletterID: id, MemberID: r.member.ID, Email: r.email, Status: DeliveryPending, UpdatedAt: now}
			states[r.member.ID] = d
			fresh = append(fresh, d)
		}
	}
	err = s.st.Bulk(ctx, len(fresh), func(tx *store.Tx, i int) error {
		_, err := store.Put(tx, deliveries, deliveryID(id, fresh[i].MemberID), fresh[i])
		return err
	}, nil)
	if err != nil {
		return n, err
	}
	if !wasSent {
		n.Status = StatusSending
		n.Counts = Counts{Recipients: len(rs), ExcludedNoConsent: plan.ExcludedNoConsent,
			ExcludedSuppressed: plan.ExcludedSuppressed, ExcludedNoEmail: plan.ExcludedNoEmail}
	}
	if err := s.putNewsletter(ctx, n, true); err != nil {
		return n, err
	}

	var queue []recipient
	for _, r := range rs {
		switch states[r.member.ID].Status {
		case DeliveryPending, DeliveryFailedTemp:
			queue = append(queue, r)
		case DeliveryUncertain:
			if opts.ResendUncertain {
				queue = append(queue, r)
			}
		}
	}
	runErr := s.deliver(ctx, n, tmpl, tr, rate, queue, states, progress)

	if wasSent {
		// The counts of the first send stay; the uncertain ones resent move to their outcome.
		var sent, failedTemp, failedPerm, uncertain int
		for _, d := range states {
			switch d.Status {
			case DeliverySent:
				sent++
			case DeliveryFailedTemp:
				failedTemp++
			case DeliveryFailedPerm:
				failedPerm++
			case DeliverySending, DeliveryUncertain:
				uncertain++
			}
		}
		n.Counts.Sent, n.Counts.FailedTemp, n.Counts.FailedPerm, n.Counts.Uncertain = sent, failedTemp, failedPerm, uncertain
	} else {
		counts := n.Counts
		counts.Sent, counts.FailedTemp, counts.FailedPerm, counts.Pending, counts.Uncertain = 0, 0, 0, 0, 0
		for _, r := range rs {
			d, ok := states[r.member.ID]
			if !ok { // merged into another recipient during the send: one person, counted once
				counts.Recipients--
				continue
			}
			switch d.Status {
			case DeliverySent:
				counts.Sent++
			case DeliveryFailedTemp:
				counts.FailedTemp++
			case DeliveryFailedPerm:
				counts.FailedPerm++
			case DeliverySending, DeliveryUncertain:
				counts.Uncertain++
			default:
				counts.Pending++
			}
		}
		n.Counts = counts
	}
	if runErr == nil && !wasSent {
		n.Status = StatusSent
		at := s.now()
		n.SentAt = &at
	}
	if err := s.putNewsletter(context.WithoutCancel(ctx), n, true); err != nil {
		return n, errors.Join(runErr, err)
	}
	return n, runErr
}

func (s *Service) putNewsletter(ctx context.Context, n Newsletter, durable bool) error {
	n.UpdatedAt = s.now()
	update := s.st.Update
	if durable {
		update = s.st.UpdateDurable
	}
	err := update(ctx, func(tx *store.Tx) error {
		_, err := store.Put(tx, collection, n.ID, n)
		return err
	})
	if err == nil {
		s.notifier.Emit(EventChanged, ChangedEvent{ID: n.ID})
	}
	return err
}

// maxConnectFailures is how many messages in a row may fail to reach the server before the
// send stops (to resume later) rather than burn every recipient's attempts.
const maxConnectFailures = 3

// deliver sends to queue in rounds: every recipient once, then the temporary failures again
// after a growing wait, at most MaxAttempts times each.
func (s *Service) deliver(ctx context.Context, n Newsletter, tmpl *template, tr Transport, rate float64,
	queue []recipient, states map[string]Delivery, progress func(Progress)) error {
	if len(queue) == 0 {
		return nil
	}
	if s.dialer == nil {
		return errs.New(errs.Unavailable, "smtp_unavailable", "newsletter: this build cannot send e-mail")
	}
	sender, err := s.dialer.Open(tr)
	if err != nil {
		return smtpFailure(err)
	}
	defer sender.Close()

	pr := Progress{NewsletterID: n.ID, Total: len(queue), Round: 1}
	throttle := newThrottle(rate)
	connectFailures := 0
	for round := 1; len(queue) > 0 && round <= s.opts.MaxAttempts; round++ {
		pr.Round = round
		if round > 1 {
			if err := sleep(ctx, s.opts.Backoff<<(round-2)); err != nil {
				return cancelled(err)
			}
		}
		var retry []recipient
		for _, r := range queue {
			if err := throttle.wait(ctx); err != nil {
				return cancelled(err)
			}
			msg, err := compose(n, tmpl, tr, r, s.now())
			if err != nil {
				return err
			}
			// A merge since the send began may have made this recipient someone who got it
			// already, or no member at all (merged into another).
			if skip, err := s.mergedAway(ctx, n.ID, r.member.ID); err != nil {
				return err
			} else if skip {
				delete(states, r.member.ID)
				pr.Done++
				continue
			}
			// The mark is on disk before the server hears of the message: whatever happens to
			// this process from here, a later Send knows this recipient may have got it.
			before := states[r.member.ID]
			d := before
			d.Status, d.LastError = DeliverySending, ""
			d.Attempts++
			d.UpdatedAt = s.now()
			if err := s.putDelivery(ctx, d, false, true); err != nil {
				return err
			}
			states[r.member.ID] = d
			sendErr := sender.Send(ctx, msg)
			d.UpdatedAt = s.now()
			suppress := false
			var se *SendError
			switch {
			case sendErr != nil && ctx.Err() != nil:
				// Stopped mid-message. Unless the message was cut off after its final dot, the
				// server did not take it: the delivery goes back to what it was.
				if errors.As(sendErr, &se) && !se.Uncertain {
					d = before
				} else {
					d.Status = DeliveryUncertain
				}
				if err := s.putDelivery(ctx, d, false, true); err != nil {
					return err
				}
				states[r.member.ID] = d
				return cancelled(ctx.Err())
			case sendErr == nil:
				connectFailures = 0
				d.Status, d.LastError = DeliverySent, ""
				at := d.UpdatedAt
				d.SentAt = &at
				pr.Sent++
			case !errors.As(sendErr, &se):
				d.Status = DeliveryUncertain
				if err := s.putDelivery(ctx, d, false, true); err != nil {
					return err
				}
				states[r.member.ID] = d
				return smtpFailure(sendErr)
			case se.Uncertain:
				// The connection broke after the final dot, before the server's reply.
				connectFailures = 0
				d.Status, d.LastError = DeliveryUncertain, se.Error()
				pr.Uncertain++
			case se.Stage == StageConnect || se.Stage == StageAuth || se.Stage == StageMail:
				// The server or the account, not this recipient.
				if !se.Temporary {
					return s.stopAt(ctx, before, states, se)
				}
				if connectFailures++; connectFailures >= maxConnectFailures {
					return s.stopAt(ctx, before, states, se)
				}
				d.Status, d.LastError = DeliveryFailedTemp, se.Error()
				retry = append(retry, r)
			case se.Temporary:
				connectFailures = 0
				d.Status, d.LastError = DeliveryFailedTemp, se.Error()
				retry = append(retry, r)
			default:
				connectFailures = 0
				d.Status, d.LastError = DeliveryFailedPerm, se.Error()
				suppress = se.Stage == StageRcpt // the address itself was refused
				pr.FailedPerm++
			}
			// Committed, not synced: the next message's mark (or the send's end) syncs it, and a
			// power cut that loses it leaves the record "sending", hence uncertain, never resent.
			if err := s.putDelivery(ctx, d, suppress, false); err != nil {
				return err
			}
			states[r.member.ID] = d
			if err := ctx.Err(); err != nil {
				return cancelled(err)
			}
			if d.Status != DeliveryFailedTemp || round == s.opts.MaxAttempts {
				pr.Done++
			}
			pr.FailedTemp = len(retry)
			if progress != nil {
				progress(pr)
			}
		}
		queue = retry
	}
	return nil
}

// putDelivery commits one delivery record (and the suppression of its address), synced to disk
// when durable. It is saved even when ctx is cancelled: it is what happened.
func (s *Service) putDelivery(ctx context.Context, d Delivery, suppress, durable bool) error {
	update := s.st.Update
	if durable {
		update = s.st.UpdateDurable
	}
	return update(context.WithoutCancel(ctx), func(tx *store.Tx) error {
		id := deliveryID(d.NewsletterID, d.MemberID)
		// A merge may have moved the record to the member its recipient was merged into while the
		// message was going out: it stays theirs, for their next sends to see.
		if cur, _, err := store.Get(tx, deliveries, id); err == nil {
			d.MemberID = cur.MemberID
		} else if !errors.Is(err, errs.NotFound) {
			return err
		}
		if _, err := store.Put(tx, deliveries, id, d); err != nil {
			return err
		}
		if suppress {
			return store.Suppress(tx, SuppressionKind, strings.ToLower(d.Email))
		}
		return nil
	})
}

// stopAt ends a run on a failure before the message was handed over (connect, login, MAIL
// FROM): the delivery goes back to what it was before its mark, and the next Send tries it.
func (s *Service) stopAt(ctx context.Context, d Delivery, states map[string]Delivery, se *SendError) error {
	if err := s.putDelivery(ctx, d, false, true); err != nil {
		return err
	}
	states[d.MemberID] = d
	return smtpFailure(se)
}

func cancelled(err error) error {
	return errs.Wrap(errs.Unavailable, "cancelled", err, "newsletter: send stopped; send again to resume")
}

// smtpFailure classifies a failure that stops the whole send. The message carries the server's
// reply, never the settings' password.
func smtpFailure(err error) error {
	var se *SendError
	if errors.As(err, &se) {
		code := "smtp_unavailable"
		if !se.Temporary {
			code = "smtp_rejected"
			if se.Stage == StageAuth {
				code = "smtp_auth_failed"
			}
		}
		return errs.Wrap(errs.Unavailable, code, err, "newsletter: send stopped; send again to resume").
			With("stage", string(se.Stage), "reply", se.Error())
	}
	return errs.Wrap(errs.Unavailable, "smtp_unavailable", err, "newsletter: send stopped; send again to resume")
}

// TestSend sends the newsletter once to the given address, with every merge field showing its
// fallback, and a subject starting with "[Test]". Consent and suppression do not apply: the
// address is the sender's own.
func (s *Service) TestSend(ctx context.Context, id, to string) error {
	to = strings.TrimSpace(to)
	if a, err := mail.ParseAddress(to); err != nil || a.Address != to {
		return errs.Fields("newsletter: invalid test address", errs.Field("to", "email"))
	}
	n, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	tr, _, err := s.transport()
	if err != nil {
		return err
	}
	tmpl, err := prepare(n, tr.From)
	if err != nil {
		return err
	}
	tmpl.subject = "[Test] " + tmpl.subject
	msg, err := compose(n, tmpl, tr, recipient{email: to}, s.now())
	if err != nil {
		return err
	}
	if s.dialer == nil {
		return errs.New(errs.Unavailable, "smtp_unavailable", "newsletter: this build cannot send e-mail")
	}
	sender, err := s.dialer.Open(tr)
	if err != nil {
		return smtpFailure(err)
	}
	defer sender.Close()
	if err := sender.Send(ctx, msg); err != nil {
		return smtpFailure(err)
	}
	return nil
}

// compose builds the MIME message for one recipient: multipart/alternative (text, then HTML),
// quoted-printable, RFC 2047 subject and names, a Message-ID that is the same for every attempt
// at the same recipient (so a receiver can drop a duplicate), List-Unsubscribe and List-Id.
func compose(n Newsletter, t *template, tr Transport, r recipient, now time.Time) (Message, error) {
	rendered := t.render(r.member, r.email)
	domain := tr.From[strings.LastIndexByte(tr.From, '@')+1:]
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := map[string]string{
		"From":             (&mail.Address{Name: tr.FromName, Address: tr.From}).String(),
		"To":               (&mail.Address{Name: oneLine(r.member.Name), Address: r.email}).String(),
		"Subject":          mime.QEncoding.Encode("utf-8", oneLine(rendered.Subject)),
		"Date":             now.Format(time.RFC1123Z),
		"Message-ID":       "<" + n.ID + "." + messageLocal(r, now) + "@" + domain + ">",
		"MIME-Version":     "1.0",
		"List-Unsubscribe": "<" + t.unsub(r.member) + ">",
		"List-Id":          "<newsletter." + domain + ">",
		"Auto-Submitted":   "auto-generated",
		"Content-Type":     `multipart/alternative; boundary="` + mw.Boundary() + `"`,
	}
	var head bytes.Buffer
	for _, k := range slices.Sorted(maps.Keys(h)) {
		head.WriteString(k + ": " + h[k] + "\r\n")
	}
	head.WriteString("\r\n")
	for _, part := range []struct{ ctype, body string }{
		{"text/plain; charset=utf-8", rendered.Text},
		{"text/html; charset=utf-8", rendered.HTML},
	} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.ctype},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return Message{}, errs.Wrap(errs.Internal, "internal", err, "newsletter: compose")
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write([]byte(strings.ReplaceAll(part.body, "\r\n", "\n"))); err != nil {
			return Message{}, errs.Wrap(errs.Internal, "internal", err, "newsletter: compose")
		}
		if err := qp.Close(); err != nil {
			return Message{}, errs.Wrap(errs.Internal, "internal", err, "newsletter: compose")
		}
	}
	if err := mw.Close(); err != nil {
		return Message{}, errs.Wrap(errs.Internal, "internal", err, "newsletter: compose")
	}
	data := append(head.Bytes(), buf.Bytes()...)
	return Message{From: tr.From, To: r.email, Data: data}, nil
}

// messageLocal is the member id, or for a test send a fresh value: each test is a new message.
func messageLocal(r recipient, now time.Time) string {
	if r.member.ID != "" {
		return r.member.ID
	}
	return fmt.Sprintf("test%d", now.UnixNano())
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// throttle spaces messages to at most rate per second (no limit when rate is 0).
type throttle struct {
	interval time.Duration
	next     time.Time
}

func newThrottle(rate float64) *throttle {
	if rate <= 0 {
		return &throttle{}
	}
	return &throttle{interval: time.Duration(float64(time.Second) / rate)}
}

func (t *throttle) wait(ctx context.Context) error {
	if t.interval == 0 {
		return ctx.Err()
	}
	now := time.Now()
	if t.next.After(now) {
		if err := sleep(ctx, t.next.Sub(now)); err != nil {
			return err
		}
		now = t.next
	}
	t.next = now.Add(t.interval)
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
