package newsletter

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/store"
)

// ProcessedKeyword is the IMAP keyword Hearth sets on the messages it has read, where the
// server keeps keywords. It is a convenience (the next run asks only for messages without it):
// the local record by Message-ID is what makes sure nothing is processed twice.
const ProcessedKeyword = "$Hearth-Processed"

// MailboxDialer opens the reply mailbox (sync/imap in the app: the package does not speak
// IMAP).
type MailboxDialer interface {
	OpenMailbox(ctx context.Context, t MailboxTransport) (Mailbox, error)
}

// Mailbox is an open reply mailbox. Errors are errs errors (imap_unavailable,
// imap_auth_failed...), never carrying the password.
type Mailbox interface {
	// Unprocessed lists the messages without ProcessedKeyword (every message when the server
	// does not keep keywords), oldest first.
	Unprocessed(ctx context.Context) ([]MailboxMessage, error)
	// Fetch returns a message as it was received, without marking it read.
	Fetch(ctx context.Context, uid uint32) ([]byte, error)
	// MarkProcessed sets ProcessedKeyword on the messages; nothing where keywords cannot be kept.
	MarkProcessed(ctx context.Context, uids []uint32) error
	Close() error
}

// MailboxMessage is one message of the mailbox as listed.
type MailboxMessage struct {
	UID uint32
	// MessageID is the Message-ID header ("" when the message has none).
	MessageID string
	Size      int64
}

// maxReplySize is the largest message read: a reply, a bounce or an out-of-office is small; a
// bigger one is not for Hearth and is counted as ignored without being downloaded.
const maxReplySize = 10 << 20

// replySeenKind is the store suppression kind of the Message-IDs already processed. The store
// keeps only a keyed hash of each, merged as a set union, so a teammate's copy reading the same
// mailbox does not process a message again either, and no one's message id is kept in clear.
const replySeenKind = "newsletter_reply"

// ReplySummary counts what one reading of the reply mailbox did.
type ReplySummary struct {
	// Read is how many new messages were looked at.
	Read int `json:"read"`
	// Unsubscribed counts unsubscribe requests honoured (the member's newsletter consent is
	// withdrawn, with the message as proof).
	Unsubscribed int `json:"unsubscribed"`
	// Bounced counts addresses suppressed after a permanent delivery failure.
	Bounced int `json:"bounced"`
	// AutoReplies counts automatic answers (out of office...), which change nothing.
	AutoReplies int `json:"autoReplies"`
	// Ignored counts the rest: people's replies, temporary failures, forged tokens.
	Ignored int `json:"ignored"`
	// Malformed counts messages that cannot be read as e-mail; they are skipped.
	Malformed int `json:"malformed"`
	// AlreadyProcessed counts messages processed by an earlier run whose mark was lost.
	AlreadyProcessed int `json:"alreadyProcessed"`
}

// ProcessReplies reads the reply mailbox once: an unsubscribe request (a reply carrying a
// genuine token) withdraws that member's newsletter consent with the message as proof; a hard
// bounce suppresses the address for newsletters; an automatic answer changes nothing; a
// malformed message is counted and skipped. Each message is processed once: its Message-ID is
// recorded, and the message marked with ProcessedKeyword, after what it asked for is done.
func (s *Service) ProcessReplies(ctx context.Context) (ReplySummary, error) {
	var sum ReplySummary
	tr, err := s.mailboxTransport()
	if err != nil {
		return sum, err
	}
	if s.opts.Mailboxes == nil {
		return sum, errs.New(errs.Unavailable, "imap_unavailable", "newsletter: this build cannot read e-mail")
	}
	key, err := s.unsubscribeKey()
	if err != nil {
		return sum, err
	}
	mb, err := s.opts.Mailboxes.OpenMailbox(ctx, tr)
	if err != nil {
		return sum, err
	}
	defer mb.Close()
	list, err := mb.Unprocessed(ctx)
	if err != nil {
		return sum, err
	}
	var done []uint32
	mark := func() error {
		if len(done) == 0 {
			return nil
		}
		err := mb.MarkProcessed(ctx, done)
		done = done[:0]
		return err
	}
	for _, m := range list {
		if err := ctx.Err(); err != nil {
			return sum, errs.Wrap(errs.Unavailable, "cancelled", errors.Join(err, mark()), "newsletter: reading replies stopped")
		}
		if m.MessageID != "" {
			seen, err := s.replySeen(strings.ToLower(strings.TrimSpace(m.MessageID)))
			if err != nil {
				return sum, err
			}
			if seen {
				sum.AlreadyProcessed++
				done = append(done, m.UID)
				continue
			}
		}
		sum.Read++
		if m.Size > maxReplySize {
			sum.Ignored++
			done = append(done, m.UID)
			continue
		}
		raw, err := mb.Fetch(ctx, m.UID)
		if err != nil {
			return sum, errors.Join(err, mark())
		}
		r := classify(raw, key)
		if seen, err := s.replySeen(r.id); err != nil {
			return sum, err
		} else if seen {
			sum.Read--
			sum.AlreadyProcessed++
			done = append(done, m.UID)
			continue
		}
		if err := s.act(ctx, r, &sum); err != nil {
			return sum, errors.Join(err, mark())
		}
		if err := s.st.UpdateDurable(ctx, func(tx *store.Tx) error { return store.Suppress(tx, replySeenKind, r.id) }); err != nil {
			return sum, err
		}
		done = append(done, m.UID)
		if len(done) >= 100 {
			if err := mark(); err != nil {
				return sum, err
			}
		}
	}
	return sum, mark()
}

func (s *Service) replySeen(id string) (bool, error) {
	var seen bool
	err := s.st.View(func(tx *store.Tx) (err error) {
		seen, err = store.Suppressed(tx, replySeenKind, id)
		return err
	})
	return seen, err
}

// act does what a classified message asks for and counts it.
func (s *Service) act(ctx context.Context, r reply, sum *ReplySummary) error {
	switch r.kind {
	case replyMalformed:
		sum.Malformed++
	case replyAutoReply:
		sum.AutoReplies++
	case replyBounce:
		for _, a := range r.bounced {
			if err := s.Suppress(ctx, a); err != nil {
				return err
			}
		}
		if err := s.bounceDelivery(ctx, r); err != nil {
			return err
		}
		sum.Bounced += len(r.bounced)
	case replyUnsubscribe:
		ok, err := s.unsubscribe(ctx, r)
		if err != nil {
			return err
		}
		if ok {
			sum.Unsubscribed++
		} else {
			sum.Ignored++
		}
	default:
		sum.Ignored++
	}
	return nil
}

// unsubscribe withdraws the token's member's newsletter consent, with the message as proof.
// false when the member is no longer there (erased): nothing to withdraw.
func (s *Service) unsubscribe(ctx context.Context, r reply) (bool, error) {
	if _, err := s.members.Get(ctx, r.token.MemberID); errors.Is(err, errs.NotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	now := s.now()
	st, err := s.consent.State(ctx, r.token.MemberID, Purpose, now)
	if err != nil {
		return false, err
	}
	if st.State == consent.StateWithdrawn {
		return true, nil // asked twice: the first request is the evidence
	}
	// The withdrawal is dated when the person wrote (a grant they gave later, say on a form
	// before Hearth read the reply, still wins), but never before their newsletter left: a
	// sender's clock running late must not date it before the grant it answers.
	at := r.date
	if at.IsZero() || at.After(now) {
		at = now
	}
	if sent, err := s.deliveredAt(r.token); err != nil {
		return false, err
	} else if at.Before(sent) {
		at = sent
	}
	proof := map[string]string{"messageId": r.id, "from": r.from, "subject": r.subject, "to": r.to,
		"newsletterId": r.token.NewsletterID}
	if !r.date.IsZero() {
		proof["date"] = r.date.Format(time.RFC3339)
	}
	for k, v := range proof {
		if len(v) > 5000 {
			proof[k] = v[:5000]
		}
	}
	_, err = s.consent.Withdraw(ctx, consent.Input{MemberID: r.token.MemberID, Purpose: Purpose, At: at,
		Method: consent.MethodEmailUnsubscribe, By: "imap", Source: "unsubscribe e-mail, newsletter " + r.token.NewsletterID,
		Proof: consent.Proof{FormData: proof}})
	if errors.Is(err, errs.NotFound) {
		return false, nil
	}
	return err == nil, err
}

// deliveredAt is when the newsletter was sent to the member (zero when unknown).
func (s *Service) deliveredAt(t tokenRef) (time.Time, error) {
	var at time.Time
	err := s.st.View(func(tx *store.Tx) error {
		d, _, err := store.Get(tx, deliveries, deliveryID(t.NewsletterID, t.MemberID))
		if errors.Is(err, errs.NotFound) {
			return nil
		}
		if err == nil && d.SentAt != nil {
			at = *d.SentAt
		}
		return err
	})
	return at, err
}

// bounceDelivery turns the delivery a report returns (its Message-ID, as compose makes it:
// <newsletter id>.<member id>@domain) from sent into failed for good, and the newsletter's
// counts with it, so that its results count the bounce. Nothing else changes: a failed
// delivery is never sent again, as a sent one was not.
func (s *Service) bounceDelivery(ctx context.Context, r reply) error {
	local, _, _ := strings.Cut(strings.Trim(r.original, "<>"), "@")
	nl, mem, _ := strings.Cut(strings.ToUpper(local), ".")
	if !isULID(nl) || !isULID(mem) {
		return nil
	}
	unlock, err := s.lock(nl)
	if err != nil {
		return nil // being sent right now: its send owns its records; the address is suppressed
	}
	defer unlock()
	changed := false
	err = s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
		d, _, err := store.Get(tx, deliveries, deliveryID(nl, mem))
		if errors.Is(err, errs.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if d.Status != DeliverySent || !slices.Contains(r.bounced, strings.ToLower(d.Email)) {
			return nil
		}
		n, err := get(tx, nl)
		if err != nil {
			return err
		}
		now := s.now()
		d.Status, d.LastError, d.UpdatedAt = DeliveryFailedPerm, "bounce "+r.status, now
		if _, err := store.Put(tx, deliveries, deliveryID(nl, mem), d); err != nil {
			return err
		}
		if n.Counts.Sent > 0 {
			n.Counts.Sent--
		}
		n.Counts.FailedPerm++
		n.UpdatedAt = now
		_, err = store.Put(tx, collection, n.ID, n)
		changed = err == nil
		return err
	})
	if changed {
		s.notifier.Emit(EventChanged, ChangedEvent{ID: nl})
	}
	return err
}
