package newsletter

import (
	"context"
	"errors"
	"strings"

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

// SendOnce sends one e-mail (subject and Markdown body, merge fields allowed) to a member under
// an idempotency key: a key already sent (or refused permanently, or whose address is suppressed)
// returns nil without sending again. It implements automations.Mailer. A temporary failure
// returns an errs.Unavailable error (try again later); a permanent refusal returns an
// errs.Invalid "mail_refused" error once and nil afterwards. The record is written as pending
// before the message leaves, so a crash between the server's acceptance and the update is the
// one case that can send twice.
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
	if rec.Status == DeliverySent || rec.Status == DeliveryFailedPerm || suppressed {
		return nil
	}
	tr, _, err := s.transport()
	if err != nil {
		return err
	}
	n := Newsletter{ID: "once", Subject: subject, BodyMarkdown: bodyMarkdown, Lang: "en"}
	tmpl, err := prepare(n, tr.From)
	if err != nil {
		return err
	}
	msg, err := compose(n, tmpl, tr, recipient{member: to, email: email}, s.now())
	if err != nil {
		return err
	}
	rec = onceRecord{NewsletterID: key, MemberID: to.ID, Email: email, Status: DeliveryPending, Attempts: rec.Attempts, UpdatedAt: s.now()}
	if err := s.putOnce(ctx, rec, false); err != nil {
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
	sendErr := sender.Send(ctx, msg)
	rec.Attempts++
	rec.UpdatedAt = s.now()
	var se *SendError
	switch {
	case sendErr == nil:
		at := rec.UpdatedAt
		rec.Status, rec.SentAt, rec.LastError = DeliverySent, &at, ""
		return s.putOnce(context.WithoutCancel(ctx), rec, false)
	case errors.As(sendErr, &se) && !se.Temporary && (se.Stage == StageRcpt || se.Stage == StageData):
		rec.Status, rec.LastError = DeliveryFailedPerm, se.Error()
		if err := s.putOnce(context.WithoutCancel(ctx), rec, se.Stage == StageRcpt); err != nil {
			return err
		}
		return errs.Wrap(errs.Invalid, "mail_refused", se, "newsletter: the server refused the message").With("reply", se.Error())
	default:
		rec.Status, rec.LastError = DeliveryFailedTemp, sendErr.Error()
		if err := s.putOnce(context.WithoutCancel(ctx), rec, false); err != nil {
			return err
		}
		return smtpFailure(sendErr)
	}
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
