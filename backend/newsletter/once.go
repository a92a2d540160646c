package newsletter

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/store"
)

// onceRecord remembers a one-off e-mail (an automation step) sent under an idempotency key.
// Personal data: sealed with the member's key.
type onceRecord = Delivery

var onceMails = &store.Collection[onceRecord]{
	Name:    "mail_once",
	Subject: func(d onceRecord) string { return d.MemberID },
	Indexes: []store.Index[onceRecord]{
		{Name: "member", Values: func(d onceRecord) []string { return []string{d.MemberID} }},
	},
}

// ErrUncertain is the code SendOnce answers with when an earlier attempt under the same key was
// cut off (a crash, a broken connection after the message's final dot) while the message was
// going out: the server may have taken it, so it is not sent again.
const ErrUncertain = "mail_uncertain"

// SendOnce sends one e-mail (subject and Markdown body, merge fields allowed) to a member under
// an idempotency key: a key already sent (or refused permanently, or whose address is suppressed)
// returns nil without sending again. It implements automations.Mailer. A temporary failure
// returns an errs.Unavailable error (try again later); a permanent refusal returns an
// errs.Invalid "mail_refused" error once and nil afterwards.
//
// As for newsletters, the record is marked "sending" on disk before the SMTP transaction starts.
// A later call that finds it so knows the earlier one was cut off and may have been delivered:
// it marks it uncertain and answers an errs.Conflict ErrUncertain error, then and every time
// after, without sending. So a crash never sends an automation's e-mail twice; at worst it is
// reported as perhaps not received.
func (s *Service) SendOnce(ctx context.Context, key string, to members.Member, subject, bodyMarkdown string) error {
	if len(to.Emails) == 0 {
		return errs.New(errs.Invalid, "no_email", "newsletter: member "+to.ID+" has no e-mail address")
	}
	email := to.Emails[0]
	var rec onceRecord
	var suppressed bool
	err := s.st.View(func(tx *store.Tx) error {
		r, _, err := store.Get(tx, onceMails, key)
		if err == nil {
			rec = r
		} else if !errors.Is(err, errs.NotFound) {
			return err
		}
		suppressed, err = store.Suppressed(tx, SuppressionKind, strings.ToLower(email))
		return err
	})
	if err != nil {
		return err
	}
	switch {
	case rec.Status == DeliverySent || rec.Status == DeliveryFailedPerm || suppressed:
		return nil
	case rec.Status == DeliverySending:
		rec.Status, rec.UpdatedAt = DeliveryUncertain, s.now()
		if err := s.putOnce(ctx, rec, false); err != nil {
			return err
		}
		return errUncertain(rec)
	case rec.Status == DeliveryUncertain:
		return errUncertain(rec)
	}
	tr, _, err := s.transport()
	if err != nil {
		return err
	}
	// Each key has its own Message-ID, the same at every attempt: two automation e-mails to one
	// member are two messages, and a retried one is recognisably the same.
	sum := sha256.Sum256([]byte(key))
	n := Newsletter{ID: "once-" + hex.EncodeToString(sum[:12]), Subject: subject, BodyMarkdown: bodyMarkdown, Lang: "en"}
	tmpl, err := prepare(n, tr.From)
	if err != nil {
		return err
	}
	msg, err := compose(n, tmpl, tr, recipient{member: to, email: email}, s.now())
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
	// The mark is on disk before the server hears of the message: whatever happens to this
	// process from here, a later call knows the member may have got it.
	rec = onceRecord{NewsletterID: key, MemberID: to.ID, Email: email, Status: DeliverySending, Attempts: rec.Attempts + 1, UpdatedAt: s.now()}
	if err := s.putOnce(ctx, rec, false); err != nil {
		return err
	}
	sendErr := sender.Send(ctx, msg)
	rec.UpdatedAt = s.now()
	ctx = context.WithoutCancel(ctx)
	var se *SendError
	isSendErr := errors.As(sendErr, &se)
	switch {
	case sendErr == nil:
		at := rec.UpdatedAt
		rec.Status, rec.SentAt, rec.LastError = DeliverySent, &at, ""
		return s.putOnce(ctx, rec, false)
	case !isSendErr || se.Uncertain:
		// Cut off after the final dot (or by something that is not the server's answer): the
		// server may have taken it.
		rec.Status, rec.LastError = DeliveryUncertain, sendErr.Error()
		if err := s.putOnce(ctx, rec, false); err != nil {
			return err
		}
		return errUncertain(rec)
	case !se.Temporary && (se.Stage == StageRcpt || se.Stage == StageData):
		rec.Status, rec.LastError = DeliveryFailedPerm, se.Error()
		if err := s.putOnce(ctx, rec, se.Stage == StageRcpt); err != nil {
			return err
		}
		return errs.Wrap(errs.Invalid, "mail_refused", se, "newsletter: the server refused the message").With("reply", se.Error())
	default:
		// The server answered before taking the message: nothing went out, try again later.
		rec.Status, rec.LastError = DeliveryFailedTemp, se.Error()
		if err := s.putOnce(ctx, rec, false); err != nil {
			return err
		}
		return smtpFailure(sendErr)
	}
}

func errUncertain(rec onceRecord) error {
	return errs.New(errs.Conflict, ErrUncertain, "newsletter: an earlier attempt to send this e-mail was cut off; it may have arrived, so it is not sent again").
		With("since", rec.UpdatedAt.Format(time.RFC3339))
}

func (s *Service) putOnce(ctx context.Context, rec onceRecord, suppress bool) error {
	return s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
		if _, err := store.Put(tx, onceMails, rec.NewsletterID, rec); err != nil {
			return err
		}
		if suppress {
			return store.Suppress(tx, SuppressionKind, strings.ToLower(rec.Email))
		}
		return nil
	})
}

// MemberMails returns the one-off e-mails (automation steps) sent or being sent to a member,
// for their access dossier.
func (s *Service) MemberMails(_ context.Context, memberID string) ([]Delivery, error) {
	out := []Delivery{}
	err := s.st.View(func(tx *store.Tx) error {
		ids, err := store.IDsByIndex(tx, onceMails, "member", memberID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			d, _, err := store.Get(tx, onceMails, id)
			if errors.Is(err, errs.NotFound) {
				continue // its member was erased
			}
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}
