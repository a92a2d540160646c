// Package smtptest runs a real SMTP server on 127.0.0.1 (emersion/go-smtp's server) for tests:
// it keeps or counts what it receives, checks AUTH PLAIN, offers STARTTLS or implicit TLS with a
// self-signed certificate, and answers RCPT as scripted (4xx, 5xx).
package smtptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"
)

// Server is a real SMTP server on 127.0.0.1 (emersion/go-smtp's server) that keeps what it
// receives and answers as scripted.
type Server struct {
	t   testing.TB
	srv *gosmtp.Server
	// Port is the port the server listens on.
	Port   int
	cert   *x509.Certificate
	user   string
	pass   string
	record bool // keep messages (off in the benchmark: it only counts them)
	delay  time.Duration

	mu       sync.Mutex
	messages []Received
	rcpt     map[string][]int
	attempts map[string]int
	onMail   func(n int) error
	dropped  map[string]bool // recipients whose next message is kept, then the connection closed
	conns    map[string]bool
	// Count is how many messages were accepted.
	Count   atomic.Int64
	authOK  int
	tlsSeen bool
}

// Received is one accepted message.
type Received struct {
	From string
	To   []string
	Data []byte
}

// Options configure New.
type Options struct {
	// ImplicitTLS serves TLS from the first byte (port 465 style); otherwise STARTTLS is offered,
	// unless NoTLS.
	ImplicitTLS bool
	NoTLS       bool
	// User and Pass, when set, are the only AUTH PLAIN credentials accepted, and MAIL needs them.
	User, Pass string
	// Record keeps every message; otherwise they are only counted.
	Record bool
	// DataDelay is how long the server waits, after keeping a message, before its 250 to DATA
	// (a server writing its queue to disk): a client killed meanwhile leaves a message delivered
	// that it never heard was.
	DataDelay time.Duration
}

// New starts a server on 127.0.0.1 until the test ends.
func New(t testing.TB, o Options) *Server {
	t.Helper()
	s := &Server{t: t, user: o.User, pass: o.Pass, record: o.Record, delay: o.DataDelay, rcpt: map[string][]int{}, attempts: map[string]int{},
		conns: map[string]bool{}}
	cert, leaf := selfSigned(t)
	s.cert = leaf
	s.srv = gosmtp.NewServer(s)
	s.srv.Domain = "localhost"
	s.srv.ErrorLog = log.New(io.Discard, "", 0) // clients hanging up on a bad certificate are expected
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.MaxMessageBytes = 1 << 20
	s.srv.MaxRecipients = 10
	s.srv.AllowInsecureAuth = o.NoTLS
	if !o.NoTLS {
		s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if o.ImplicitTLS {
		l = tls.NewListener(l, s.srv.TLSConfig)
	}
	s.Port = l.Addr().(*net.TCPAddr).Port
	go func() { _ = s.srv.Serve(l) }()
	t.Cleanup(func() { _ = s.srv.Close() })
	return s
}

// TLSConfig trusts the server's certificate.
func (s *Server) TLSConfig() *tls.Config {
	pool := x509.NewCertPool()
	pool.AddCert(s.cert)
	return &tls.Config{RootCAs: pool}
}

// ScriptRcpt makes the successive RCPT commands naming addr get these reply codes (0 = accept);
// later ones are accepted.
func (s *Server) ScriptRcpt(addr string, codes ...int) {
	s.mu.Lock()
	s.rcpt[addr] = codes
	s.mu.Unlock()
}

// Received returns the messages accepted so far (with Record).
func (s *Server) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.messages...)
}

// DropReply makes the server keep the next message to addr and then close the connection
// without answering DATA, as when a network cuts out at that moment: the client cannot know
// the message was taken.
func (s *Server) DropReply(addr string) {
	s.mu.Lock()
	if s.dropped == nil {
		s.dropped = map[string]bool{}
	}
	s.dropped[addr] = true
	s.mu.Unlock()
}

// SetOnMail sets a hook run at each MAIL FROM with the number of messages accepted so far; a
// non-nil error is the reply.
func (s *Server) SetOnMail(fn func(n int) error) {
	s.mu.Lock()
	s.onMail = fn
	s.mu.Unlock()
}

// Stats returns how many connections were made, whether TLS was seen and how many logins passed.
func (s *Server) Stats() (conns int, tlsSeen bool, authOK int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns), s.tlsSeen, s.authOK
}

// RcptAttempts returns how many RCPT commands named addr.
func (s *Server) RcptAttempts(addr string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts[addr]
}

// NewSession implements gosmtp.Backend.
func (s *Server) NewSession(c *gosmtp.Conn) (gosmtp.Session, error) {
	s.mu.Lock()
	s.conns[c.Conn().RemoteAddr().String()] = true // STARTTLS starts a new session on the same connection
	s.mu.Unlock()
	return &session{s: s, c: c}, nil
}

type session struct {
	s    *Server
	c    *gosmtp.Conn
	from string
	to   []string
}

var _ gosmtp.AuthSession = (*session)(nil)

// AuthMechanisms offers PLAIN.
func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != ss.s.user || pass != ss.s.pass {
			return &gosmtp.SMTPError{Code: 535, EnhancedCode: gosmtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		ss.s.mu.Lock()
		ss.s.authOK++
		ss.s.mu.Unlock()
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *gosmtp.MailOptions) error {
	if ss.s.user != "" {
		ss.s.mu.Lock()
		ok := ss.s.authOK > 0
		ss.s.mu.Unlock()
		if !ok {
			return &gosmtp.SMTPError{Code: 530, Message: "Authentication required"}
		}
	}
	if _, isTLS := ss.c.TLSConnectionState(); isTLS {
		ss.s.mu.Lock()
		ss.s.tlsSeen = true
		ss.s.mu.Unlock()
	}
	ss.s.mu.Lock()
	onMail := ss.s.onMail
	ss.s.mu.Unlock()
	if onMail != nil {
		if err := onMail(int(ss.s.Count.Load())); err != nil {
			return err
		}
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	ss.s.mu.Lock()
	n := ss.s.attempts[to]
	ss.s.attempts[to]++
	var code int
	if script := ss.s.rcpt[to]; n < len(script) {
		code = script[n]
	}
	ss.s.mu.Unlock()
	switch {
	case code >= 500:
		return &gosmtp.SMTPError{Code: code, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	case code >= 400:
		return &gosmtp.SMTPError{Code: code, EnhancedCode: gosmtp.EnhancedCode{4, 7, 1}, Message: "Greylisted, try again later"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	if !ss.s.record {
		if _, err := io.Copy(io.Discard, r); err != nil {
			return err
		}
		ss.s.Count.Add(1)
		return nil
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	ss.s.messages = append(ss.s.messages, Received{From: ss.from, To: ss.to, Data: b})
	drop := false
	for _, to := range ss.to {
		if ss.s.dropped[to] {
			drop = true
			delete(ss.s.dropped, to)
		}
	}
	ss.s.mu.Unlock()
	ss.s.Count.Add(1)
	if drop {
		_ = ss.c.Conn().Close()
		return nil
	}
	time.Sleep(ss.s.delay)
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and localhost.
func selfSigned(t testing.TB) (tls.Certificate, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "hearth test smtp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, leaf
}
