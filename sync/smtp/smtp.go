// Package smtp sends newsletters over SMTP with github.com/emersion/go-smtp: STARTTLS, implicit
// TLS, or no TLS to a server on this machine; AUTH PLAIN with github.com/emersion/go-sasl when a
// username is set; timeouts on every step; one connection reused across messages, re-opened
// after a failure. Replies are classified for the newsletter service: 4xx and network failures
// are temporary, 5xx permanent, each tagged with the stage it happened at.
//
// The password is read from the Transport only to build the AUTH exchange; it never appears in
// an error, and no protocol trace is kept.
package smtp

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"

	"hearth/backend/newsletter"
)

// Dialer opens Senders. The zero value verifies servers against the system's roots and waits
// 30 s for a connection and 2 min for any reply.
type Dialer struct {
	// TLSConfig, when set, is cloned for every connection (tests trust their own certificate).
	TLSConfig *tls.Config
	// Timeout bounds the connection and each command (default 30 s, 2 min for a command).
	Timeout time.Duration
	// LocalName is the name said in EHLO (default "localhost").
	LocalName string
}

var _ newsletter.Dialer = Dialer{}

// Open returns a Sender for t; it connects on the first message.
func (d Dialer) Open(t newsletter.Transport) (newsletter.Sender, error) {
	if t.TLS == newsletter.TLSNone && !newsletter.IsLoopback(t.Host) {
		return nil, &newsletter.SendError{Stage: newsletter.StageConnect,
			Reply: "refusing to send without TLS to a server that is not on this machine"}
	}
	return &Sender{d: d, t: t}, nil
}

// Sender is one (lazily opened, reused) connection to the server. Not safe for concurrent use.
type Sender struct {
	d Dialer
	t newsletter.Transport
	c *gosmtp.Client
}

var _ newsletter.Sender = (*Sender)(nil)

func (d Dialer) connectTimeout() time.Duration {
	if d.Timeout > 0 {
		return d.Timeout
	}
	return 30 * time.Second
}

func (d Dialer) commandTimeout() time.Duration {
	if d.Timeout > 0 {
		return d.Timeout
	}
	return 2 * time.Minute
}

// connect dials, protects and authenticates a new connection.
func (s *Sender) connect(ctx context.Context) error {
	dctx, cancel := context.WithTimeout(ctx, s.d.connectTimeout())
	defer cancel()
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.d.TLSConfig != nil {
		cfg = s.d.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = s.t.Host
	}
	conn, err := (&net.Dialer{}).DialContext(dctx, "tcp", s.t.Addr())
	if err != nil {
		return netFailure(newsletter.StageConnect, err)
	}
	// Bound the greeting, TLS and login as a whole; the client's own timeouts cover commands.
	stop := context.AfterFunc(dctx, func() { conn.Close() })
	defer stop()
	var c *gosmtp.Client
	switch s.t.TLS {
	case newsletter.TLSImplicit:
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(dctx); err != nil {
			conn.Close()
			return netFailure(newsletter.StageConnect, err)
		}
		c = gosmtp.NewClient(tc)
	case newsletter.TLSNone:
		c = gosmtp.NewClient(conn)
	default:
		if c, err = gosmtp.NewClientStartTLS(conn, cfg); err != nil {
			return classify(newsletter.StageConnect, err)
		}
	}
	c.CommandTimeout = s.d.commandTimeout()
	c.SubmissionTimeout = 2 * s.d.commandTimeout()
	name := s.d.LocalName
	if name == "" {
		name = "localhost"
	}
	if err := c.Hello(name); err != nil {
		c.Close()
		return classify(newsletter.StageConnect, err)
	}
	if s.t.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			c.Close()
			return &newsletter.SendError{Stage: newsletter.StageAuth, Reply: "the server does not offer AUTH"}
		}
		if err := c.Auth(sasl.NewPlainClient("", s.t.Username, s.t.Password.Reveal())); err != nil {
			c.Close()
			return classify(newsletter.StageAuth, err)
		}
	}
	s.c = c
	return nil
}

// Send delivers one message, connecting first if needed. A network failure while ending DATA
// (the final dot sent, no reply read) is Uncertain: the server may have taken the message. After a refusal the connection is
// reset and kept; after a network failure it is dropped and the next message reconnects.
func (s *Sender) Send(ctx context.Context, m newsletter.Message) error {
	if s.c == nil {
		if err := s.connect(ctx); err != nil {
			return err
		}
	}
	c := s.c
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	err := s.transaction(m)
	if err == nil {
		return nil
	}
	var se *newsletter.SendError
	if errors.As(err, &se) && se.Code != 0 && ctx.Err() == nil {
		if rerr := c.Reset(); rerr == nil {
			return err
		}
	}
	s.drop()
	return err
}

func (s *Sender) transaction(m newsletter.Message) error {
	if err := s.c.Mail(m.From, nil); err != nil {
		return classify(newsletter.StageMail, err)
	}
	if err := s.c.Rcpt(m.To, nil); err != nil {
		return classify(newsletter.StageRcpt, err)
	}
	w, err := s.c.Data()
	if err != nil {
		return classify(newsletter.StageData, err)
	}
	if _, err := w.Write(m.Data); err != nil {
		w.Close()
		return classify(newsletter.StageData, err)
	}
	if err := w.Close(); err != nil {
		err = classify(newsletter.StageData, err)
		if se := err.(*newsletter.SendError); se.Code == 0 {
			// The final dot may have reached the server and only its reply been lost.
			se.Uncertain = true
		}
		return err
	}
	return nil
}

func (s *Sender) drop() {
	if s.c != nil {
		s.c.Close()
		s.c = nil
	}
}

// Close says QUIT and closes the connection.
func (s *Sender) Close() error {
	if s.c == nil {
		return nil
	}
	err := s.c.Quit()
	s.drop()
	return err
}

// classify turns a go-smtp error into a *newsletter.SendError: a reply keeps its code (4xx
// temporary, 5xx permanent); anything else is a network failure, temporary.
func classify(stage newsletter.Stage, err error) error {
	var se *gosmtp.SMTPError
	if errors.As(err, &se) {
		return &newsletter.SendError{Temporary: se.Code/100 == 4, Stage: stage, Code: se.Code,
			Reply: strings.TrimSpace(se.Message), Err: err}
	}
	return netFailure(stage, err)
}

// netFailure is a failure without a reply: temporary, except a certificate that does not
// verify, which waiting will not fix.
func netFailure(stage newsletter.Stage, err error) error {
	var cv *tls.CertificateVerificationError
	return &newsletter.SendError{Temporary: !errors.As(err, &cv), Stage: stage, Reply: err.Error(), Err: err}
}
