package newsletter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// TLSMode is how the connection to the SMTP server is protected.
type TLSMode string

// The TLS modes. None is accepted only for a server on this machine (a local relay).
const (
	TLSStartTLS TLSMode = "starttls"
	TLSImplicit TLSMode = "implicit"
	TLSNone     TLSMode = "none"
)

// DefaultRate is the sending rate, in messages per second, of new settings.
const DefaultRate = 10

// SMTPSettings are the outgoing mail settings as shown to people: never the password.
type SMTPSettings struct {
	Host     string  `json:"host"`
	Port     int     `json:"port"`
	TLS      TLSMode `json:"tls"`
	Username string  `json:"username"`
	// PasswordSet says a password is stored; the password itself is never shown.
	PasswordSet bool   `json:"passwordSet"`
	FromAddress string `json:"fromAddress"`
	FromName    string `json:"fromName"`
	// RatePerSecond throttles sending (0 = as fast as the server accepts).
	RatePerSecond float64 `json:"ratePerSecond"`
	// UpdatedAt is when they were last saved; absent before.
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
}

// SMTPInput replaces the outgoing mail settings.
type SMTPInput struct {
	Host     string  `json:"host" validate:"required,max=253"`
	Port     int     `json:"port" validate:"required,min=1,max=65535"`
	TLS      TLSMode `json:"tls" validate:"omitempty,oneof=starttls implicit none"`
	Username string  `json:"username" validate:"max=254"`
	// Password: nil keeps the stored one, "" removes it.
	Password      *string `json:"password" validate:"omitnil,max=1024"`
	FromAddress   string  `json:"fromAddress" validate:"required,max=254,email"`
	FromName      string  `json:"fromName" validate:"max=100"`
	RatePerSecond float64 `json:"ratePerSecond" validate:"min=0,max=1000"`
}

// Secret is a password that does not print: fmt, slog and encoding/json all see "[redacted]".
// Reveal returns the value, for the one place that sends it to the server.
type Secret string

// Reveal returns the secret's value.
func (s Secret) Reveal() string { return string(s) }

// String hides the value.
func (s Secret) String() string { return "[redacted]" }

// GoString hides the value from %#v.
func (s Secret) GoString() string { return `"[redacted]"` }

// Format hides the value from every fmt verb.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte("[redacted]")) }

// LogValue hides the value from slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// MarshalJSON hides the value from encoding/json.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"[redacted]"`), nil }

// Transport is what a Dialer needs to reach the server: the settings with the password.
type Transport struct {
	Host     string
	Port     int
	TLS      TLSMode
	Username string
	Password Secret
	// From is the envelope sender (MAIL FROM) and the From header's address.
	From     string
	FromName string
}

// Addr is host:port.
func (t Transport) Addr() string { return net.JoinHostPort(t.Host, fmt.Sprint(t.Port)) }

// IsLoopback reports whether host names this machine.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// smtpRecord is the stored form; it is sealed with its own key. With a secret store the
// password lives there (PasswordRef names it) and Password is empty; without one (tests, or a
// workspace from before secret stores) it is kept here.
type smtpRecord struct {
	Host          string    `json:"host"`
	Port          int       `json:"port"`
	TLS           TLSMode   `json:"tls"`
	Username      string    `json:"username"`
	Password      string    `json:"password"`
	PasswordRef   string    `json:"passwordRef,omitempty"`
	FromAddress   string    `json:"fromAddress"`
	FromName      string    `json:"fromName"`
	RatePerSecond float64   `json:"ratePerSecond"`
	UpdatedAt     time.Time `json:"updatedAt"`
}

const settingsID = "smtp"

// settingsCollection holds one record. Its subject is fixed, so the store seals it with a data
// key of its own: the password is never written into Badger's files in clear.
var settingsCollection = &store.Collection[smtpRecord]{
	Name:    "smtp_settings",
	Subject: func(smtpRecord) string { return "smtp-settings" },
}

func (r smtpRecord) view() SMTPSettings {
	return SMTPSettings{
		Host: r.Host, Port: r.Port, TLS: r.TLS, Username: r.Username, PasswordSet: r.Password != "" || r.PasswordRef != "",
		FromAddress: r.FromAddress, FromName: r.FromName, RatePerSecond: r.RatePerSecond, UpdatedAt: r.UpdatedAt,
	}
}

func (r smtpRecord) transport() Transport {
	return Transport{Host: r.Host, Port: r.Port, TLS: r.TLS, Username: r.Username, Password: Secret(r.Password),
		From: r.FromAddress, FromName: r.FromName}
}

func readSettings(tx *store.Tx) (smtpRecord, bool, error) {
	r, _, err := store.Get(tx, settingsCollection, settingsID)
	if errors.Is(err, errs.NotFound) {
		return smtpRecord{}, false, nil
	}
	return r, err == nil, err
}

// Settings returns the outgoing mail settings (zero values when never configured).
func (s *Service) Settings(context.Context) (SMTPSettings, error) {
	var out SMTPSettings
	err := s.st.View(func(tx *store.Tx) error {
		r, ok, err := readSettings(tx)
		if ok {
			out = r.view()
		} else if err == nil {
			out = SMTPSettings{Port: 587, TLS: TLSStartTLS, RatePerSecond: DefaultRate}
		}
		return err
	})
	return out, err
}

// SaveSettings replaces the outgoing mail settings. An unencrypted connection is accepted only
// to a server on this machine: the password and the members' addresses would cross the network
// in clear otherwise.
func (s *Service) SaveSettings(ctx context.Context, in SMTPInput) (SMTPSettings, error) {
	in.Host = strings.TrimSpace(in.Host)
	in.Username = strings.TrimSpace(in.Username)
	in.FromAddress = strings.TrimSpace(in.FromAddress)
	in.FromName = strings.TrimSpace(in.FromName)
	if in.TLS == "" {
		in.TLS = TLSStartTLS
	}
	var fields []errs.FieldError
	if err := s.v.Struct("newsletter: invalid smtp settings", in); err != nil {
		fields = append(fields, errs.From(err).Fields...)
	}
	if in.TLS == TLSNone && in.Host != "" && !IsLoopback(in.Host) {
		fields = append(fields, errs.Field("tls", "tls_required"))
	}
	if strings.ContainsAny(in.FromName, "\r\n") {
		fields = append(fields, errs.Field("fromName", "label"))
	}
	if len(fields) > 0 {
		return SMTPSettings{}, errs.Fields("newsletter: invalid smtp settings", fields...)
	}
	if in.Username == "" {
		empty := "" // no account, nothing to log in with
		in.Password = &empty
	}
	// The secret store is written first: if it fails nothing changes; if the workspace write
	// then fails, the store holds a password the settings do not point to yet, which the next
	// save replaces.
	external := s.opts.Secrets != nil
	if external && in.Password != nil {
		var err error
		if *in.Password == "" {
			err = s.opts.Secrets.Delete(s.opts.SecretRef)
		} else {
			err = s.opts.Secrets.Set(s.opts.SecretRef, *in.Password)
		}
		if err != nil {
			return SMTPSettings{}, errs.Wrap(errs.Unavailable, "credentials_unavailable", err, "newsletter: cannot store the smtp password")
		}
	}
	var out SMTPSettings
	err := s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
		old, _, err := readSettings(tx)
		if err != nil {
			return err
		}
		r := smtpRecord{Host: in.Host, Port: in.Port, TLS: in.TLS, Username: in.Username, Password: old.Password,
			PasswordRef: old.PasswordRef, FromAddress: in.FromAddress, FromName: in.FromName,
			RatePerSecond: in.RatePerSecond, UpdatedAt: s.now()}
		switch {
		case in.Password == nil:
		case !external:
			r.Password, r.PasswordRef = *in.Password, ""
		case *in.Password == "":
			r.Password, r.PasswordRef = "", ""
		default:
			r.Password, r.PasswordRef = "", s.opts.SecretRef
		}
		if _, err := store.Put(tx, settingsCollection, settingsID, r); err != nil {
			return err
		}
		out = r.view()
		return nil
	})
	return out, err
}

// MovePasswordOut moves a password kept in the workspace (settings saved before there was a
// secret store) to the secret store. It does nothing without a secret store or such a password.
func (s *Service) MovePasswordOut(ctx context.Context) error {
	if s.opts.Secrets == nil {
		return nil
	}
	var r smtpRecord
	err := s.st.View(func(tx *store.Tx) (err error) {
		r, _, err = readSettings(tx)
		return err
	})
	if err != nil || r.Password == "" {
		return err
	}
	if err := s.opts.Secrets.Set(s.opts.SecretRef, r.Password); err != nil {
		return errs.Wrap(errs.Unavailable, "credentials_unavailable", err, "newsletter: cannot store the smtp password")
	}
	return s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
		r, ok, err := readSettings(tx)
		if err != nil || !ok || r.Password == "" {
			return err
		}
		r.Password, r.PasswordRef = "", s.opts.SecretRef
		_, err = store.Put(tx, settingsCollection, settingsID, r)
		return err
	})
}

// transport reads the settings for a send; errs.Invalid "smtp_not_configured" when there are none.
func (s *Service) transport() (Transport, float64, error) {
	var r smtpRecord
	var ok bool
	err := s.st.View(func(tx *store.Tx) (err error) {
		r, ok, err = readSettings(tx)
		return err
	})
	if err != nil {
		return Transport{}, 0, err
	}
	if !ok || r.Host == "" || r.FromAddress == "" {
		return Transport{}, 0, errs.New(errs.Invalid, "smtp_not_configured", "newsletter: outgoing mail (smtp) is not configured")
	}
	if r.PasswordRef != "" {
		if s.opts.Secrets == nil {
			return Transport{}, 0, errs.New(errs.Invalid, "smtp_password_missing", "newsletter: the smtp password is not on this computer")
		}
		pw, err := s.opts.Secrets.Get(r.PasswordRef)
		if errors.Is(err, errs.NotFound) {
			// A workspace copied from another computer: its password stayed there.
			return Transport{}, 0, errs.New(errs.Invalid, "smtp_password_missing", "newsletter: the smtp password is not on this computer")
		}
		if err != nil {
			return Transport{}, 0, errs.Wrap(errs.Unavailable, "credentials_unavailable", err, "newsletter: cannot read the smtp password")
		}
		r.Password = pw
	}
	return r.transport(), r.RatePerSecond, nil
}
