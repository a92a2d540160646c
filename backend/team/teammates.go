package team

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"

	"hearth/backend/bundle"
	"hearth/backend/errs"
	"hearth/backend/hlc"
	"hearth/backend/members"
	"hearth/backend/store"
)

// Teammate is one copy of the workspace and the person who keeps it. The records travel with
// bundles (newest write wins), so every copy can name who did what instead of a replica id.
type Teammate struct {
	Replica string `json:"replica"`
	Name    string `json:"name"`
	// PublicKey is the age public key of the person who keeps the copy ("age1…"), so that
	// bundles for the team (a shared folder's) can be encrypted to every teammate.
	PublicKey string `json:"publicKey,omitempty"`
}

// MaxName bounds a teammate's name (characters).
const MaxName = 80

// teammates holds one record per copy, id = replica id; a teammate's name is not a member's
// personal data and is kept in clear.
var teammates = &store.Collection[Teammate]{Name: "teammate"}

// Whoami returns this copy's teammate (Name empty until set).
func (s *Service) Whoami(context.Context) (Teammate, error) {
	me := Teammate{Replica: s.st.Replica()}
	err := s.st.View(func(tx *store.Tx) error {
		t, _, err := store.Get(tx, teammates, me.Replica)
		if errors.Is(err, errs.NotFound) {
			return nil
		}
		me.Name, me.PublicKey = t.Name, t.PublicKey
		return err
	})
	return me, err
}

// SetName names the person who keeps this copy.
func (s *Service) SetName(ctx context.Context, name string) (Teammate, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Teammate{}, errs.Fields("team: empty name", errs.Field("name", "required"))
	}
	if utf8.RuneCountInString(name) > MaxName || strings.ContainsAny(name, "\x00\r\n") {
		return Teammate{}, errs.Fields("team: name too long", errs.Field("name", "max", "max", "80"))
	}
	me := Teammate{Replica: s.st.Replica(), Name: name}
	me.PublicKey, _ = s.PublicKey() // none without a credentials store: bundles then need a passphrase
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		_, err := store.Put(tx, teammates, me.Replica, me)
		return err
	})
	return me, err
}

// ensureKey records this copy's public key in its teammate record, once, so that teammates learn
// it with the next bundle.
func (s *Service) ensureKey(ctx context.Context) error {
	key, err := s.PublicKey()
	if err != nil {
		return nil // no credentials store: passphrases only
	}
	me, err := s.Whoami(ctx)
	if err != nil || me.PublicKey == key {
		return err
	}
	me.PublicKey = key
	return s.st.Update(ctx, func(tx *store.Tx) error {
		_, err := store.Put(tx, teammates, me.Replica, me)
		return err
	})
}

// Teammates lists every copy this one knows of, with its teammate's name.
func (s *Service) Teammates(context.Context) ([]Teammate, error) {
	out := []Teammate{}
	err := s.st.View(func(tx *store.Tx) error {
		return store.Scan(tx, teammates, func(id string, t Teammate, _ store.Meta) error {
			t.Replica = id
			out = append(out, t)
			return nil
		})
	})
	return out, err
}

// Names maps replica ids to teammates' names (for the audit log's entries).
func (s *Service) Names(ctx context.Context) (map[string]string, error) { return s.names(ctx) }

// names maps replica ids to teammates' names.
func (s *Service) names(ctx context.Context) (map[string]string, error) {
	list, err := s.Teammates(ctx)
	out := map[string]string{}
	for _, t := range list {
		out[t.Replica] = t.Name
	}
	return out, err
}

// TakeOther makes the value that lost a conflict of a merge the record's value again, as a new
// write of this copy (which travels with its next bundle): the one click of the merge report.
// Members' names, notes and custom fields can be taken back; other fields are refused.
func (s *Service) TakeOther(ctx context.Context, c Conflict) error {
	if c.Collection != members.Collection {
		return errs.New(errs.Invalid, "conflict_not_editable", "team: only members' conflicts can be taken back")
	}
	var e members.Edit
	switch field, key, _ := strings.Cut(c.Field, "."); field {
	case "name", "notes":
		var v string
		if err := json.Unmarshal(c.Other, &v); err != nil {
			return errs.New(errs.Invalid, "conflict_not_editable", "team: the other value is not text")
		}
		if field == "name" {
			e.Name = &v
		} else {
			e.Notes = &v
		}
	case "customFields":
		var v *string
		if err := json.Unmarshal(c.Other, &v); err != nil || key == "" {
			return errs.New(errs.Invalid, "conflict_not_editable", "team: the other value is not text")
		}
		if v == nil {
			e.RemoveFields = []string{key}
		} else {
			e.SetFields = map[string]string{key: *v}
		}
	default:
		return errs.New(errs.Invalid, "conflict_not_editable", "team: this field cannot be taken back")
	}
	_, err := s.members.Edit(ctx, c.ID, e)
	return err
}

// peer is what this copy last merged from a teammate's copy: the version vector of their bundle,
// from which a bundle of changes for them is cut (ExportFor). Local to this copy.
type peer struct {
	Replica string                   `json:"replica"`
	Clock   map[string]hlc.Timestamp `json:"clock"`
}

var peers = &store.Collection[peer]{Name: "team_peer"}

// savePeer records the clock of a bundle just merged, raised entry by entry.
func (s *Service) savePeer(ctx context.Context, m bundle.Manifest) error {
	if m.Replica == "" || m.Replica == s.st.Replica() {
		return nil
	}
	return s.st.Update(ctx, func(tx *store.Tx) error {
		p, _, err := store.Get(tx, peers, m.Replica)
		if err != nil && !errors.Is(err, errs.NotFound) {
			return err
		}
		if p.Clock == nil {
			p.Clock = map[string]hlc.Timestamp{}
		}
		p.Replica = m.Replica
		for r, ts := range m.Clock {
			p.Clock[r] = max(p.Clock[r], ts)
		}
		_, err = store.Put(tx, peers, m.Replica, p)
		return err
	})
}

// peerClock is the clock of the teammate's last bundle merged here (by replica id or name),
// nil when none was.
func (s *Service) peerClock(ctx context.Context, teammate string) (map[string]hlc.Timestamp, error) {
	replica := teammate
	list, err := s.Teammates(ctx)
	if err != nil {
		return nil, err
	}
	found := false
	for _, t := range list {
		if t.Replica == teammate || strings.EqualFold(t.Name, teammate) {
			replica, found = t.Replica, true
			break
		}
	}
	if !found {
		return nil, errs.New(errs.NotFound, "teammate_not_found", "team: no such teammate").With("name", teammate)
	}
	var clock map[string]hlc.Timestamp
	err = s.st.View(func(tx *store.Tx) error {
		p, _, err := store.Get(tx, peers, replica)
		if errors.Is(err, errs.NotFound) {
			return nil
		}
		clock = p.Clock
		return err
	})
	return clock, err
}
