package connections

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"hearth/backend/audit"
	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/notify"
	"hearth/backend/store"
	"hearth/backend/validation"
)

// EventChanged is emitted with a ChangedEvent after connections are added, edited or removed.
const EventChanged = "connections:changed"

// ChangedEvent names the connections that changed.
type ChangedEvent struct {
	IDs []string `json:"ids"`
}

// Audit actions of connection changes. Their details name the platform, the connection and
// what changed, never a secret.
const (
	AuditAdded   = "connection_added"
	AuditUpdated = "connection_updated"
	AuditRemoved = "connection_removed"
)

// collection holds connection records; names are unique regardless of case.
var collection = &store.Collection[Connection]{
	Name:    "connection",
	Indexes: []store.Index[Connection]{{Name: "name", Unique: true, Values: func(c Connection) []string { return []string{nameKey(c.Name)} }}},
}

func nameKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// Service keeps the workspace's connections and, through a SecretStore, their secrets. Safe for
// concurrent use.
type Service struct {
	st        *store.Store
	secrets   SecretStore
	workspace string
	clock     clock.Clock
	notifier  notify.Notifier
	v         *validation.Validator
	onRemove  []func(ctx context.Context, id string) error

	mu sync.Mutex // one change at a time, so a record and its secret change together
}

// Option configures a Service.
type Option func(*Service)

// OnRemove runs fn after a connection is removed, for what other domains keep about it (the
// sync state parks what was still queued for it, so nothing waits for a connection that is
// gone). Remove returns fn's error; the connection stays removed.
func OnRemove(fn func(ctx context.Context, id string) error) Option {
	return func(s *Service) { s.onRemove = append(s.onRemove, fn) }
}

// NewService returns the connections of the workspace whose stable id is workspaceID (the
// first half of every secret reference) over st, with secrets kept by secrets.
func NewService(st *store.Store, secrets SecretStore, workspaceID string, c clock.Clock, n notify.Notifier, opts ...Option) *Service {
	// hearth workspace check verifies, and repair rebuilds, these collections' indexes.
	store.Declare(st, collection)
	if c == nil {
		c = clock.System{}
	}
	if n == nil {
		n = notify.Discard{}
	}
	s := &Service{st: st, secrets: secrets, workspace: workspaceID, clock: c, notifier: n, v: newValidator()}
	for _, o := range opts {
		o(s)
	}
	return s
}

// SecretBackend says where secrets are kept ("keychain" or "file", see backend/credentials), or
// "" when the secret store does not say.
func (s *Service) SecretBackend() string {
	if b, ok := s.secrets.(interface{ Backend() string }); ok {
		return b.Backend()
	}
	return ""
}

// SecretRef is the reference under which the secret of connection id is kept.
func (s *Service) SecretRef(id string) string { return s.workspace + "/" + id }

func notFound(err error, what string) error {
	if errors.Is(err, errs.NotFound) {
		return errs.New(errs.NotFound, "connection_not_found", "connections: no connection "+what).With("name", what)
	}
	return err
}

func noSecretStore() error {
	return errs.New(errs.Unavailable, "credentials_unavailable", "connections: no secret store")
}

// hasSecret asks the secret store; a store that cannot answer counts as "no secret", which the
// window shows as a secret to enter again.
func (s *Service) hasSecret(id string) bool {
	if s.secrets == nil {
		return false
	}
	v, err := s.secrets.Get(s.SecretRef(id))
	return err == nil && v != ""
}

func (s *Service) withSecret(c Connection) Connection {
	c.HasSecret = s.hasSecret(c.ID)
	return c
}

// List returns every connection, sorted by name.
func (s *Service) List(_ context.Context) ([]Connection, error) {
	out := []Connection{}
	err := s.st.View(func(tx *store.Tx) error {
		return store.Scan(tx, collection, func(_ string, c Connection, _ store.Meta) error {
			out = append(out, c)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i] = s.withSecret(out[i])
	}
	slices.SortFunc(out, func(a, b Connection) int {
		return cmp.Or(cmp.Compare(nameKey(a.Name), nameKey(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// Get returns one connection.
func (s *Service) Get(_ context.Context, id string) (Connection, error) {
	var c Connection
	err := s.st.View(func(tx *store.Tx) error {
		var err error
		c, _, err = store.Get(tx, collection, id)
		return notFound(err, id)
	})
	if err != nil {
		return Connection{}, err
	}
	return s.withSecret(c), nil
}

// ByName returns the connection named name, whatever its case (a calendar channel names one).
func (s *Service) ByName(_ context.Context, name string) (Connection, error) {
	var c Connection
	err := s.st.View(func(tx *store.Tx) error {
		id, err := store.Lookup(tx, collection, "name", nameKey(name))
		if err != nil {
			return notFound(err, name)
		}
		c, _, err = store.Get(tx, collection, id)
		return notFound(err, name)
	})
	if err != nil {
		return Connection{}, err
	}
	return s.withSecret(c), nil
}

// Secret returns the secret of connection id, for the sync engine. A connection without one (a
// workspace copied from another computer, an RSS feed) gives an errs.NotFound error with code
// connection_secret_missing.
func (s *Service) Secret(ctx context.Context, id string) (string, error) {
	c, err := s.Get(ctx, id)
	if err != nil {
		return "", err
	}
	if s.secrets == nil {
		return "", noSecretStore()
	}
	v, err := s.secrets.Get(s.SecretRef(id))
	if errors.Is(err, errs.NotFound) || (err == nil && v == "") {
		return "", errs.New(errs.NotFound, "connection_secret_missing", "connections: no secret saved for "+c.Name).With("name", c.Name)
	}
	return v, err
}

// Add creates a connection and saves its secret. The record is written first, then the secret;
// if the secret cannot be saved, the record is removed again, so nothing is half-added.
func (s *Service) Add(ctx context.Context, in AddInput) (Connection, error) {
	c := normalize(Connection{Name: in.Name, Platform: in.Platform, Settings: in.Settings})
	secret := strings.TrimSpace(in.Secret)
	if c.Platform == RSS {
		secret = "" // feeds are public; nothing to keep
	}
	if err := s.validate(c, secret); err != nil {
		return Connection{}, err
	}
	if secret != "" && s.secrets == nil {
		return Connection{}, noSecretStore()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now().UTC()
	c.ID, c.CreatedAt, c.UpdatedAt = s.st.NewID(), now, now
	err := s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
		if err := s.put(tx, c); err != nil {
			return err
		}
		return audit.WriteParams(ctx, tx, now, AuditAdded, "", map[string]string{"platform": string(c.Platform), "name": c.Name})
	})
	if err != nil {
		return Connection{}, err
	}
	if secret != "" {
		if err := s.secrets.Set(s.SecretRef(c.ID), secret); err != nil {
			rerr := s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
				if _, err := store.Delete(tx, collection, c.ID); err != nil {
					return err
				}
				return audit.WriteParams(ctx, tx, now, AuditRemoved, "", map[string]string{"platform": string(c.Platform), "name": c.Name, "outcome": "secret_not_saved"})
			})
			return Connection{}, errors.Join(err, rerr)
		}
		c.HasSecret = true
	}
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: []string{c.ID}})
	return c, nil
}

// put writes c (never its HasSecret, which the secret store answers), turning a name already
// taken into a field error on "name".
func (s *Service) put(tx *store.Tx, c Connection) error {
	c.HasSecret = false
	_, err := store.Put(tx, collection, c.ID, c)
	var ue *store.UniqueError
	if errors.As(err, &ue) {
		return &errs.Error{Kind: errs.Conflict, Code: "connection_name_taken", Msg: "connections: name already used by another connection",
			Fields: []errs.FieldError{errs.Field("name", "name_taken", "name", c.Name)}, Err: err}
	}
	return err
}

// Update edits a connection. Settings are replaced as a whole; a non-empty Secret replaces the
// stored one. When only the name or Paused change, the settings and secret are not re-checked.
func (s *Service) Update(ctx context.Context, id string, p Patch) (Connection, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var old Connection
	err := s.st.View(func(tx *store.Tx) error {
		var err error
		old, _, err = store.Get(tx, collection, id)
		return notFound(err, id)
	})
	if err != nil {
		return Connection{}, err
	}
	c := old
	var changed []string
	if p.Name != nil {
		c.Name = *p.Name
		changed = append(changed, "name")
	}
	if p.Settings != nil {
		c.Settings = *p.Settings
		changed = append(changed, "settings")
	}
	if p.Paused != nil {
		c.Paused = *p.Paused
		changed = append(changed, "paused")
	}
	c = normalize(c)
	var secret string
	if p.Secret != nil && c.Platform != RSS {
		secret = strings.TrimSpace(*p.Secret)
	}
	if secret != "" {
		changed = append(changed, "secret")
	}
	if err := s.validateUpdate(c, secret, p.Settings != nil); err != nil {
		return Connection{}, err
	}
	if secret != "" && s.secrets == nil {
		return Connection{}, noSecretStore()
	}
	now := s.clock.Now().UTC()
	c.UpdatedAt = now
	params := map[string]string{"platform": string(c.Platform), "name": c.Name, "fields": strings.Join(changed, ", ")}
	err = s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
		if err := s.put(tx, c); err != nil {
			return err
		}
		return audit.WriteParams(ctx, tx, now, AuditUpdated, "", params)
	})
	if err != nil {
		return Connection{}, err
	}
	if secret != "" {
		if err := s.secrets.Set(s.SecretRef(id), secret); err != nil {
			rerr := s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
				if err := s.put(tx, old); err != nil {
					return err
				}
				return audit.WriteParams(ctx, tx, now, AuditUpdated, "", map[string]string{"platform": string(old.Platform), "name": old.Name, "outcome": "undone_secret_not_saved"})
			})
			return Connection{}, errors.Join(err, rerr)
		}
	}
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: []string{id}})
	return s.withSecret(c), nil
}

// validateUpdate checks c against the secret it will have: the new one, else the stored one.
func (s *Service) validateUpdate(c Connection, secret string, settingsChanged bool) error {
	if secret == "" && settingsChanged && s.secrets != nil {
		stored, err := s.secrets.Get(s.SecretRef(c.ID))
		if err != nil && !errors.Is(err, errs.NotFound) {
			return err
		}
		secret = stored
	}
	err := s.validate(c, secret)
	if err == nil || secret != "" || settingsChanged {
		return err
	}
	// Only the name or Paused changed: report only what they can get wrong.
	var keep []errs.FieldError
	for _, f := range errs.From(err).Fields {
		if f.Field == "name" {
			keep = append(keep, f)
		}
	}
	if len(keep) == 0 {
		return nil
	}
	return errs.Fields("connections: invalid connection", keep...)
}

// Remove deletes a connection's secret, then its record (leaving a tombstone). If the secret
// cannot be deleted, nothing changes: no credential is left behind without its connection.
func (s *Service) Remove(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var c Connection
	err := s.st.View(func(tx *store.Tx) error {
		var err error
		c, _, err = store.Get(tx, collection, id)
		return notFound(err, id)
	})
	if err != nil {
		return err
	}
	if s.secrets != nil {
		if err := s.secrets.Delete(s.SecretRef(id)); err != nil && !errors.Is(err, errs.NotFound) {
			return err
		}
	}
	now := s.clock.Now().UTC()
	err = s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
		if _, err := store.Delete(tx, collection, id); err != nil {
			return notFound(err, id)
		}
		return audit.WriteParams(ctx, tx, now, AuditRemoved, "", map[string]string{"platform": string(c.Platform), "name": c.Name})
	})
	if err != nil {
		return err
	}
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: []string{id}})
	for _, fn := range s.onRemove {
		if err := fn(ctx, id); err != nil {
			return err
		}
	}
	return nil
}
