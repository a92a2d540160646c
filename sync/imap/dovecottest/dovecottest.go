// Package dovecottest runs a real IMAP server for tests: Debian's Dovecot (package
// dovecot-imapd, installed by .ci/deps), started as a child process with its own configuration
// in a temporary directory (passwd-file authentication with a plain-text test password, maildir
// storage, 127.0.0.1 on a free port, no TLS), stopped when the test ends. It runs as root (CI)
// and as an ordinary user. A test that needs it fails, never skips, when Dovecot is missing.
package dovecottest

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	goimap "github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"
)

// Server is a running Dovecot with one account.
type Server struct {
	Host     string
	Port     int
	User     string
	Password string
	dir      string
}

func dovecotPath(t testing.TB) string {
	if p, err := exec.LookPath("dovecot"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/dovecot", "/usr/local/sbin/dovecot"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Fatalf("dovecot is not installed: run .ci/deps (it installs Debian's dovecot-imapd), then test again")
	return ""
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Start starts Dovecot with the account test@hearth.example and stops it at the test's end.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := dovecotPath(t)
	// Our own directory rather than t.TempDir(): Dovecot's unprivileged processes (running as
	// "dovecot" and "dovenull" when the test is root) must be able to pass through it.
	dir, err := os.MkdirTemp("", "hearth-dovecot-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o711); err != nil {
		t.Fatal(err)
	}
	s := &Server{Host: "127.0.0.1", User: "test@hearth.example", Password: "pw-" + strconv.FormatInt(time.Now().UnixNano(), 36), dir: dir}
	for _, d := range []string{"run", "state", "mail", "home"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	uid, gid := me.Uid, me.Gid
	users := ""
	if os.Geteuid() == 0 {
		// Dovecot never gives a mailbox to root: mail is kept as nobody.
		uid, gid = "65534", "65534"
		for _, d := range []string{"mail", "home"} {
			if err := os.Chown(filepath.Join(dir, d), 65534, 65534); err != nil {
				t.Fatal(err)
			}
		}
	} else {
		g, err := user.LookupGroupId(me.Gid)
		if err != nil {
			t.Fatal(err)
		}
		// Unprivileged: every Dovecot process runs as the person running the test.
		users = fmt.Sprintf("default_internal_user = %s\ndefault_internal_group = %s\ndefault_login_user = %s\n",
			me.Username, g.Name, me.Username) +
			// Only root may chroot: the login and anvil processes stay where they are.
			"service anvil {\n  chroot =\n}\nservice imap-login {\n  chroot =\n}\n"
	}
	passwd := filepath.Join(dir, "passwd")
	if err := os.WriteFile(passwd, []byte(s.User+":{PLAIN}"+s.Password+"::::::\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.Port = freePort(t)
	conf := fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/state
instance_name = hearth-test-%[2]d
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:%[1]s/mail/%%u
log_path = %[1]s/dovecot.log
%[3]s
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[1]s/passwd
}
userdb {
  driver = static
  args = uid=%[4]s gid=%[5]s home=%[1]s/home/%%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = %[6]d
  }
  inet_listener imaps {
    port = 0
  }
}
`, dir, s.Port, users, uid, gid, s.Port)
	confPath := filepath.Join(dir, "dovecot.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd := exec.Command(bin, "-F", "-c", confPath)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("dovecot: %v (run .ci/deps)", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("dovecot stopped at start (%v): %s\n%s", err, out.String(), s.Log())
		default:
		}
		c, err := net.DialTimeout("tcp", net.JoinHostPort(s.Host, strconv.Itoa(s.Port)), time.Second)
		if err == nil {
			_ = c.SetDeadline(time.Now().Add(5 * time.Second))
			greeting := make([]byte, 4)
			_, err = c.Read(greeting)
			_ = c.Close()
			if err == nil && string(greeting) == "* OK" {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("dovecot did not answer on port %d: %v\n%s\n%s", s.Port, err, out.String(), s.Log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Log is Dovecot's log so far.
func (s *Server) Log() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "dovecot.log"))
	return string(b)
}

func (s *Server) login(t testing.TB) *client.Client {
	t.Helper()
	c, err := client.Dial(net.JoinHostPort(s.Host, strconv.Itoa(s.Port)))
	if err != nil {
		t.Fatal(err)
	}
	c.Timeout = 30 * time.Second
	c.ErrorLog = log.New(io.Discard, "", 0)
	if err := c.Login(s.User, s.Password); err != nil {
		t.Fatalf("login: %v\n%s", err, s.Log())
	}
	return c
}

// Append puts messages into INBOX (IMAP APPEND), as delivery would; CRLF line endings are
// made from LF ones.
func (s *Server) Append(t testing.TB, messages ...string) {
	t.Helper()
	c := s.login(t)
	defer c.Logout()
	for _, m := range messages {
		m = strings.ReplaceAll(strings.ReplaceAll(m, "\r\n", "\n"), "\n", "\r\n")
		if err := c.Append("INBOX", nil, time.Now(), bytes.NewBufferString(m)); err != nil {
			t.Fatal(err)
		}
	}
}

// Flags returns every INBOX message's flags, by UID.
func (s *Server) Flags(t testing.TB) map[uint32][]string {
	t.Helper()
	c := s.login(t)
	defer c.Logout()
	mb, err := c.Select("INBOX", true)
	if err != nil {
		t.Fatal(err)
	}
	out := map[uint32][]string{}
	if mb.Messages == 0 {
		return out
	}
	set := new(goimap.SeqSet)
	set.AddRange(1, mb.Messages)
	ch := make(chan *goimap.Message, 16)
	done := make(chan error, 1)
	go func() { done <- c.Fetch(set, []goimap.FetchItem{goimap.FetchUid, goimap.FetchFlags}, ch) }()
	for m := range ch {
		out[m.Uid] = m.Flags
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return out
}

// RemoveKeyword takes a keyword off every INBOX message, as a mail client or a server move
// that loses keywords would.
func (s *Server) RemoveKeyword(t testing.TB, keyword string) {
	t.Helper()
	c := s.login(t)
	defer c.Logout()
	mb, err := c.Select("INBOX", false)
	if err != nil {
		t.Fatal(err)
	}
	if mb.Messages == 0 {
		return
	}
	set := new(goimap.SeqSet)
	set.AddRange(1, mb.Messages)
	if err := c.Store(set, goimap.FormatFlagsOp(goimap.RemoveFlags, true), []interface{}{keyword}, nil); err != nil {
		t.Fatal(err)
	}
}
