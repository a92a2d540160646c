package newsletter

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// DefaultMailbox is the folder replies are read from when none is set.
const DefaultMailbox = "INBOX"

// IMAPSettings are the settings of the mailbox Hearth reads replies and bounces from (the
// sending account's, usually), as shown to people: never the password.
type IMAPSettings struct {
	Host     string  `json:"host"`
	Port     int     `json:"port"`
	TLS      TLSMode `json:"tls"`
	Username string  `json:"username"`
	// PasswordSet says a password is stored; the password itself is never shown.
	PasswordSet bool `json:"passwordSet"`
	// Mailbox is the folder read (INBOX by default).
	Mailbox string `json:"mailbox"`
	// Configured says replies can be read: a host and a username are set.
	Configured bool `json:"configured"`
	// UpdatedAt is when they were last saved; absent before.
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
}

// IMAPInput replaces the reply mailbox settings. An empty Host turns reading replies off.
type IMAPInput struct {
	Host     string  `json:"host" validate:"max=253"`
	Port     int     `json:"port" validate:"min=0,max=65535"`
	TLS      TLSMode `json:"tls" validate:"omitempty,oneof=starttls implicit none"`
	Username string  `json:"username" validate:"max=254"`
	// Password: nil keeps the stored one, "" removes it.
	Password *string `json:"password" validate:"omitnil,max=1024"`
	Mailbox  string  `json:"mailbox" validate:"max=200"`
}

// MailboxTransport is what a MailboxDialer needs to reach the mailbox: the settings with the
// password, which never prints (Secret).
type MailboxTransport struct {
	Host     string
	Port     int
	TLS      TLSMode
	Username string
	Password Secret
	Mailbox  string
}

// Addr is host:port.
func (t MailboxTransport) Addr() string { return net.JoinHostPort(t.Host, fmt.Sprint(t.Port)) }

// imapRecord is the stored form, sealed with its own key; with a secret store the password
// lives there (PasswordRef names it), as the SMTP password does.
type imapRecord struct {
	Host        string    `json:"host"`
	Port        int       `json:"port"`
	TLS         TLSMode   `json:"tls"`
	Username    string    `json:"username"`
	Password    string    `json:"password"`
	PasswordRef string    `json:"passwordRef,omitempty"`
	Mailbox     string    `json:"mailbox"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

const imapSettingsID = "imap"

// imapSettingsCollection holds one record, sealed with a data key of its own (fixed subject).
// Like the SMTP settings it belongs to this copy and never travels in team bundles
// (team.localOnly).
var imapSettingsCollection = &store.Collection[imapRecord]{
	Name:    "imap_settings",
	Subject: func(imapRecord) string { return "imap-settings" },
}

func (r imapRecord) view() IMAPSettings {
	return IMAPSettings{Host: r.Host, Port: r.Port, TLS: r.TLS, Username: r.Username,
		PasswordSet: r.Password != "" || r.PasswordRef != "", Mailbox: r.Mailbox,
		Configured: r.Host != "" && r.Username != "", UpdatedAt: r.UpdatedAt}
}

func readIMAPSettings(tx *store.Tx) (imapRecord, bool, error) {
	r, _, err := store.Get(tx, imapSettingsCollection, imapSettingsID)
	if errors.Is(err, errs.NotFound) {
		return imapRecord{}, false, nil
	}
	return r, err == nil, err
}

func (s *Service) imapSecretRef() string {
	if s.opts.IMAPSecretRef != "" {
		return s.opts.IMAPSecretRef
	}
	return s.opts.SecretRef + "/imap"
}

// IMAPSettings returns the reply mailbox settings (defaults when never configured).
func (s *Service) IMAPSettings(context.Context) (IMAPSettings, error) {
	var out IMAPSettings
	err := s.st.View(func(tx *store.Tx) error {
		r, ok, err := readIMAPSettings(tx)
		if ok {
			out = r.view()
		} else if err == nil {
			out = IMAPSettings{Port: 993, TLS: TLSImplicit, Mailbox: DefaultMailbox}
		}
		return err
	})
	return out, err
}

// SaveIMAPSettings replaces the reply mailbox settings. As for SMTP, an unencrypted connection
// is accepted only to a server on this machine. An empty host turns reading replies off (and
// removes the password).
func (s *Service) SaveIMAPSettings(ctx context.Context, in IMAPInput) (IMAPSettings, error) {
	in.Host = strings.TrimSpace(in.Host)
	in.Username = strings.TrimSpace(in.Username)
	in.Mailbox = strings.TrimSpace(in.Mailbox)
	if in.TLS == "" {
		in.TLS = TLSImplicit
	}
	if in.Mailbox == "" {
		in.Mailbox = DefaultMailbox
	}
	if in.Port == 0 {
		in.Port = 993
		if in.TLS != TLSImplicit {
			in.Port = 143
		}
	}
	var fields []errs.FieldError
	if err := s.v.Struct("newsletter: invalid imap settings", in); err != nil {
		fields = append(fields, errs.From(err).Fields...)
	}
	if in.Host != "" && in.Username == "" {
		fields = append(fields, errs.Field("username", "required"))
	}
	if in.TLS == TLSNone && in.Host != "" && !IsLoopback(in.Host) {
		fields = append(fields, errs.Field("tls", "tls_required"))
	}
	if strings.ContainsAny(in.Mailbox, "\r\n\"") {
		fields = append(fields, errs.Field("mailbox", "label"))
	}
	if len(fields) > 0 {
		return IMAPSettings{}, errs.Fields("newsletter: invalid imap settings", fields...)
	}
	if in.Host == "" || in.Username == "" {
		empty := ""
		in.Password = &empty
	}
	ref := s.imapSecretRef()
	external := s.opts.Secrets != nil
	if external && in.Password != nil {
		var err error
		if *in.Password == "" {
			err = s.opts.Secrets.Delete(ref)
			if errors.Is(err, errs.NotFound) {
				err = nil
			}
		} else {
			err = s.opts.Secrets.Set(ref, *in.Password)
		}
		if err != nil {
			return IMAPSettings{}, errs.Wrap(errs.Unavailable, "credentials_unavailable", err, "newsletter: cannot store the imap password")
		}
	}
	var out IMAPSettings
	err := s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
		old, _, err := readIMAPSettings(tx)
		if err != nil {
			return err
		}
		r := imapRecord{Host: in.Host, Port: in.Port, TLS: in.TLS, Username: in.Username, Password: old.Password,
			PasswordRef: old.PasswordRef, Mailbox: in.Mailbox, UpdatedAt: s.now()}
		switch {
		case in.Password == nil:
		case !external:
			r.Password, r.PasswordRef = *in.Password, ""
		case *in.Password == "":
			r.Password, r.PasswordRef = "", ""
		default:
			r.Password, r.PasswordRef = "", ref
		}
		if _, err := store.Put(tx, imapSettingsCollection, imapSettingsID, r); err != nil {
			return err
		}
		out = r.view()
		return nil
	})
	return out, err
}

// mailboxTransport reads the settings for a run; errs.Invalid "imap_not_configured" when there
// are none.
func (s *Service) mailboxTransport() (MailboxTransport, error) {
	var r imapRecord
	err := s.st.View(func(tx *store.Tx) (err error) {
		r, _, err = readIMAPSettings(tx)
		return err
	})
	if err != nil {
		return MailboxTransport{}, err
	}
	if !r.view().Configured {
		return MailboxTransport{}, errs.New(errs.Invalid, "imap_not_configured", "newsletter: the reply mailbox (imap) is not configured")
	}
	if r.PasswordRef != "" {
		missing := errs.New(errs.Invalid, "imap_password_missing", "newsletter: the imap password is not on this computer")
		if s.opts.Secrets == nil {
			return MailboxTransport{}, missing
		}
		pw, err := s.opts.Secrets.Get(r.PasswordRef)
		if errors.Is(err, errs.NotFound) {
			return MailboxTransport{}, missing
		}
		if err != nil {
			return MailboxTransport{}, errs.Wrap(errs.Unavailable, "credentials_unavailable", err, "newsletter: cannot read the imap password")
		}
		r.Password = pw
	}
	return MailboxTransport{Host: r.Host, Port: r.Port, TLS: r.TLS, Username: r.Username, Password: Secret(r.Password),
		Mailbox: r.Mailbox}, nil
}

// IMAPConfigured reports whether replies can be read (the background job runs only then).
func (s *Service) IMAPConfigured(ctx context.Context) (bool, error) {
	st, err := s.IMAPSettings(ctx)
	return st.Configured, err
}
