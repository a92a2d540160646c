// Package imap reads the newsletter reply mailbox over IMAP with github.com/emersion/go-imap
// (v1, its client package): implicit TLS, STARTTLS, or no TLS to a server on this machine;
// LOGIN with the settings' username and password; timeouts on every command; messages fetched
// with BODY.PEEK[] so that reading replies never marks them read for the person who also reads
// that mailbox. It implements newsletter.MailboxDialer; what the messages mean is the
// newsletter service's business.
//
// The password is read from the MailboxTransport only to log in; it never appears in an error,
// and no protocol trace is kept.
package imap

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"slices"
	"time"

	goimap "github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"

	"hearth/backend/errs"
	"hearth/backend/newsletter"
)

// Dialer opens mailboxes. The zero value verifies servers against the system's roots and
// waits 30 s for a connection and 2 min for any command.
type Dialer struct {
	// TLSConfig, when set, is cloned for every connection (tests trust their own certificate).
	TLSConfig *tls.Config
	// Timeout bounds the connection and each command (default 30 s, 2 min for a command).
	Timeout time.Duration
}

var _ newsletter.MailboxDialer = Dialer{}

// Mailbox is one open, selected mailbox. Not safe for concurrent use.
type Mailbox struct {
	c *client.Client
	// keywords says the server keeps the processed keyword on this mailbox.
	keywords bool
	stop     func() bool
}

var _ newsletter.Mailbox = (*Mailbox)(nil)

func unavailable(err error, what string) error {
	return errs.Wrap(errs.Unavailable, "imap_unavailable", err, "imap: "+what).With("reply", err.Error())
}

// OpenMailbox connects, logs in and selects the mailbox (read-write, to set the keyword).
func (d Dialer) OpenMailbox(ctx context.Context, t newsletter.MailboxTransport) (newsletter.Mailbox, error) {
	if t.TLS == newsletter.TLSNone && !newsletter.IsLoopback(t.Host) {
		return nil, errs.New(errs.Invalid, "imap_unavailable", "imap: refusing to log in without TLS to a server that is not on this machine").
			With("reply", "no TLS")
	}
	connect := d.Timeout
	if connect <= 0 {
		connect = 30 * time.Second
	}
	command := d.Timeout
	if command <= 0 {
		command = 2 * time.Minute
	}
	nd := &net.Dialer{Timeout: connect}
	conn, err := nd.DialContext(ctx, "tcp", t.Addr())
	if err != nil {
		return nil, unavailable(err, "connect")
	}
	cfg := &tls.Config{}
	if d.TLSConfig != nil {
		cfg = d.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = t.Host
	}
	if t.TLS == newsletter.TLSImplicit {
		tc := tls.Client(conn, cfg)
		_ = tc.SetDeadline(time.Now().Add(connect))
		if err := tc.HandshakeContext(ctx); err != nil {
			_ = conn.Close()
			return nil, unavailable(err, "tls")
		}
		_ = tc.SetDeadline(time.Time{})
		conn = tc
	}
	_ = conn.SetDeadline(time.Now().Add(connect))
	c, err := client.New(conn)
	if err != nil {
		_ = conn.Close()
		return nil, unavailable(err, "greeting")
	}
	_ = conn.SetDeadline(time.Time{})
	c.Timeout = command
	c.ErrorLog = log.New(io.Discard, "", 0) // the connection closing after LOGOUT is no news
	// A cancelled context closes the connection: go-imap v1's commands take no context.
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	fail := func(err error) (newsletter.Mailbox, error) {
		stop()
		_ = c.Terminate()
		return nil, err
	}
	if t.TLS == newsletter.TLSStartTLS {
		if err := c.StartTLS(cfg); err != nil {
			return fail(unavailable(err, "starttls"))
		}
	}
	if err := c.Login(t.Username, t.Password.Reveal()); err != nil {
		if ctx.Err() != nil {
			return fail(unavailable(ctx.Err(), "login"))
		}
		return fail(errs.Wrap(errs.Unavailable, "imap_auth_failed", err, "imap: login refused").With("reply", err.Error()))
	}
	st, err := c.Select(t.Mailbox, false)
	if err != nil {
		return fail(errs.Wrap(errs.Invalid, "imap_mailbox_missing", err, "imap: cannot open the mailbox").
			With("mailbox", t.Mailbox, "reply", err.Error()))
	}
	keywords := slices.Contains(st.PermanentFlags, `\*`) || slices.Contains(st.PermanentFlags, newsletter.ProcessedKeyword)
	return &Mailbox{c: c, keywords: keywords, stop: stop}, nil
}

// Unprocessed lists the messages without the processed keyword (all of them when the server
// does not keep keywords), by UID, with their Message-ID and size.
func (m *Mailbox) Unprocessed(context.Context) ([]newsletter.MailboxMessage, error) {
	crit := goimap.NewSearchCriteria()
	if m.keywords {
		crit.WithoutFlags = []string{newsletter.ProcessedKeyword}
	}
	uids, err := m.c.UidSearch(crit)
	if err != nil {
		return nil, unavailable(err, "search")
	}
	out := []newsletter.MailboxMessage{}
	if len(uids) == 0 {
		return out, nil
	}
	set := new(goimap.SeqSet)
	set.AddNum(uids...)
	ch := make(chan *goimap.Message, 16)
	done := make(chan error, 1)
	go func() {
		done <- m.c.UidFetch(set, []goimap.FetchItem{goimap.FetchUid, goimap.FetchEnvelope, goimap.FetchRFC822Size}, ch)
	}()
	for msg := range ch {
		mm := newsletter.MailboxMessage{UID: msg.Uid, Size: int64(msg.Size)}
		if msg.Envelope != nil {
			mm.MessageID = msg.Envelope.MessageId
		}
		out = append(out, mm)
	}
	if err := <-done; err != nil {
		return nil, unavailable(err, "fetch")
	}
	slices.SortFunc(out, func(a, b newsletter.MailboxMessage) int { return int(int64(a.UID) - int64(b.UID)) })
	return out, nil
}

// Fetch returns one message's bytes (BODY.PEEK[]: it stays unread).
func (m *Mailbox) Fetch(_ context.Context, uid uint32) ([]byte, error) {
	set := new(goimap.SeqSet)
	set.AddNum(uid)
	section := &goimap.BodySectionName{Peek: true}
	ch := make(chan *goimap.Message, 1)
	done := make(chan error, 1)
	go func() { done <- m.c.UidFetch(set, []goimap.FetchItem{section.FetchItem()}, ch) }()
	var raw []byte
	var readErr error
	for msg := range ch {
		if lit := msg.GetBody(section); lit != nil && raw == nil {
			raw, readErr = io.ReadAll(lit)
		}
	}
	if err := errors.Join(<-done, readErr); err != nil {
		return nil, unavailable(err, "fetch")
	}
	if raw == nil {
		raw = []byte{} // expunged meanwhile: nothing to read, counted as malformed
	}
	return raw, nil
}

// MarkProcessed adds the processed keyword to the messages (nothing when the server does not
// keep keywords: the newsletter service's own record suffices).
func (m *Mailbox) MarkProcessed(_ context.Context, uids []uint32) error {
	if !m.keywords || len(uids) == 0 {
		return nil
	}
	set := new(goimap.SeqSet)
	set.AddNum(uids...)
	item := goimap.FormatFlagsOp(goimap.AddFlags, true)
	if err := m.c.UidStore(set, item, []interface{}{newsletter.ProcessedKeyword}, nil); err != nil {
		return unavailable(err, "store")
	}
	return nil
}

// Close logs out and closes the connection.
func (m *Mailbox) Close() error {
	m.stop()
	err := m.c.Logout()
	if errors.Is(err, client.ErrAlreadyLoggedOut) {
		return nil
	}
	return err
}
