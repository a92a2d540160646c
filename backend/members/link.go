package members

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"hearth/backend/audit"
	"hearth/backend/errs"
	"hearth/backend/store"
)

// Identity is a person as a platform reports them, for Link: their handle there, and their
// e-mail and display name when the platform shares them.
type Identity struct {
	Handle string `json:"handle"`
	Email  string `json:"email,omitempty"`
	Name   string `json:"name,omitempty"`
}

// LinkOutcome is what Link did with one identity.
type LinkOutcome string

// The link outcomes.
const (
	// LinkMatched: an existing member, possibly given the handle or e-mail it lacked.
	LinkMatched LinkOutcome = "matched"
	// LinkCreated: nobody matched; a new member was created with the handle.
	LinkCreated LinkOutcome = "created"
	// LinkSuppressed: the e-mail or handle belongs to an erased person; nothing was written.
	LinkSuppressed LinkOutcome = "suppressed"
	// LinkConflict: the handle and the e-mail belong to two different members; nothing was
	// written, and MemberID is the handle's owner (the platform's own idea of who it is).
	LinkConflict LinkOutcome = "conflict"
	// LinkInvalid: the identity cannot be a member (no handle nor e-mail, handle too long...).
	LinkInvalid LinkOutcome = "invalid"
)

// LinkResult is the outcome of linking one identity.
type LinkResult struct {
	Outcome  LinkOutcome `json:"outcome"`
	MemberID string      `json:"memberId,omitempty"`
	// Changed says a matched member was given a handle, an e-mail or a name it lacked.
	Changed bool `json:"changed,omitempty"`
}

// linkChunk is how many identities Link writes per transaction.
const linkChunk = 256

// Link matches people pulled from a platform to members, the way Merge does for imports but
// for a sync: an identity whose handle (on platform) or e-mail (ignoring case) matches one
// member links to it, and that member gains the handle or e-mail it lacked and a name only if
// it had none (a sync never overwrites what the manager typed, and never removes anything);
// an identity matching nobody becomes a new member; an erased person's e-mail or handle is
// never brought back. Identities must name a platform in Platforms. Results are in the order
// of people. Every 256 identities are written in one transaction; the members' change event is
// emitted once per call. Running the same identities again changes nothing. When the
// workspace merges automatically (MergeSettings.Auto), the members linked are then merged
// with those they surely are, and each result names the member kept.
func (s *Service) Link(ctx context.Context, platform string, people []Identity) ([]LinkResult, error) {
	out, err := s.link(ctx, platform, people)
	if err != nil {
		return out, err
	}
	return s.linkThenMerge(ctx, out) // when the workspace merges automatically (automerge.go)
}

func (s *Service) link(ctx context.Context, platform string, people []Identity) ([]LinkResult, error) {
	platform = strings.ToLower(strings.TrimSpace(platform))
	if !slices.Contains(Platforms, platform) {
		return nil, errs.Fields("members: invalid platform", errs.Field("platform", "platform"))
	}
	if err := s.ensureDirectory(ctx); err != nil {
		return nil, err
	}
	out := make([]LinkResult, len(people))
	ins := make([]CreateInput, len(people))
	valid := make([]bool, len(people))
	for i, p := range people {
		ins[i], valid[i] = s.identityInput(platform, p)
		if !valid[i] {
			out[i] = LinkResult{Outcome: LinkInvalid}
		}
	}

	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.flushTail(ctx); err != nil {
		return nil, err
	}
	var all []string
	defer func() {
		if len(all) > 0 {
			s.notifier.Emit(EventChanged, ChangedEvent{IDs: all})
		}
	}()
	for start := 0; start < len(people); start += linkChunk {
		end := min(start+linkChunk, len(people))
		now := s.clock.Now().UTC()
		var changed []Member
		err := s.st.Update(ctx, func(tx *store.Tx) error {
			changed = changed[:0]
			for i := start; i < end; i++ {
				if !valid[i] {
					continue
				}
				m, res, write, err := s.linkOne(tx, ins[i], now)
				if err != nil {
					return err
				}
				out[i] = res
				if !write {
					continue
				}
				if _, err := store.Put(tx, collection, m.ID, m); err != nil {
					var ue *store.UniqueError
					if errors.As(err, &ue) { // cannot happen after linkOne's checks, but never fail the page for it
						out[i] = LinkResult{Outcome: LinkConflict}
						continue
					}
					return err
				}
				action := audit.MemberUpdated
				if res.Outcome == LinkCreated {
					action = audit.MemberCreated
				}
				if err := audit.WriteParams(ctx, tx, now, action, m.ID, map[string]string{"platform": platform}); err != nil {
					return err
				}
				changed = append(changed, m)
			}
			if len(changed) == 0 {
				return nil
			}
			return updateDirectory(tx, false, func(w *dirWrite) error { return w.put(changed...) })
		})
		s.lists.changed()
		if err != nil {
			return nil, err
		}
		all = append(all, ids(changed)...)
	}
	return out, nil
}

// identityInput turns an identity into a valid member input, or reports it cannot be one. An
// e-mail that is not a valid address is dropped rather than losing the person's handle.
func (s *Service) identityInput(platform string, p Identity) (CreateInput, bool) {
	in := CreateInput{Name: strings.TrimSpace(p.Name)}
	if h := strings.TrimSpace(p.Handle); h != "" {
		in.Handles = []Handle{{Platform: platform, Handle: h}}
	}
	if e := strings.TrimSpace(p.Email); e != "" {
		in.Emails = []string{e}
	}
	if len([]rune(in.Name)) > 200 {
		in.Name = string([]rune(in.Name)[:200])
	}
	in = in.normalize()
	if s.validate(in) == nil {
		return in, true
	}
	if len(in.Emails) > 0 && len(in.Handles) > 0 {
		in.Emails = []string{}
		if s.validate(in) == nil {
			return in, true
		}
	}
	return CreateInput{}, false
}

// linkOne decides what one valid identity does; write says m must be stored.
func (s *Service) linkOne(tx *store.Tx, in CreateInput, now time.Time) (m Member, res LinkResult, write bool, err error) {
	fe, err := conflicts(tx, Member{Emails: in.Emails, Handles: in.Handles})
	if err != nil {
		return Member{}, LinkResult{}, false, err
	}
	var byHandle, byEmail string
	for _, f := range fe {
		if f.Code == "suppressed" {
			return Member{}, LinkResult{Outcome: LinkSuppressed}, false, nil
		}
		if strings.HasPrefix(f.Field, "handles") {
			byHandle = f.Params["member"]
		} else {
			byEmail = f.Params["member"]
		}
	}
	switch {
	case byHandle == "" && byEmail == "":
		m = newMember(s.st.NewID(), in, now)
		return m, LinkResult{Outcome: LinkCreated, MemberID: m.ID}, true, nil
	case byHandle != "" && byEmail != "" && byHandle != byEmail:
		return Member{}, LinkResult{Outcome: LinkConflict, MemberID: byHandle}, false, nil
	}
	id := cmp.Or(byHandle, byEmail)
	old, _, err := store.Get(tx, collection, id)
	if err != nil {
		return Member{}, LinkResult{}, false, err
	}
	m = mergeInto(old, CreateInput{Emails: in.Emails, Handles: in.Handles})
	if m.Name == "" {
		m.Name = in.Name
	}
	res = LinkResult{Outcome: LinkMatched, MemberID: id}
	if equalMembers(old, m) || s.validate(m.input().normalize()) != nil {
		// Unchanged, or the member cannot take one more handle or e-mail (20 of each at most):
		// the person is still this member.
		return old, res, false, nil
	}
	m.UpdatedAt = now
	res.Changed = true
	return m, res, true, nil
}

// Names returns a display name for each of ids that names a live member: the member's name,
// else their first handle, else their primary e-mail. Unknown ids are left out.
func (s *Service) Names(_ context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	err := s.st.View(func(tx *store.Tx) error {
		for _, id := range ids {
			if _, done := out[id]; done || id == "" {
				continue
			}
			m, _, err := store.Get(tx, collection, id)
			if errors.Is(err, errs.NotFound) {
				continue
			}
			if err != nil {
				return err
			}
			out[id] = displayName(m)
		}
		return nil
	})
	return out, err
}

func displayName(m Member) string {
	switch {
	case m.Name != "":
		return m.Name
	case len(m.Handles) > 0:
		return m.Handles[0].Handle
	case len(m.Emails) > 0:
		return m.Emails[0]
	}
	return ""
}

// ByHandle returns the ids of the members holding handle (compared like handles are: folded),
// on platform, or on any platform when platform is empty (then several members may hold it).
// It reads the handle index: no scan.
func (s *Service) ByHandle(_ context.Context, platform, handle string) ([]string, error) {
	platforms := Platforms
	if platform != "" {
		platforms = []string{strings.ToLower(strings.TrimSpace(platform))}
	}
	var ids []string
	err := s.st.View(func(tx *store.Tx) error {
		for _, p := range platforms {
			id, err := store.Lookup(tx, collection, "handle", handleKey(Handle{Platform: p, Handle: handle}))
			if errors.Is(err, errs.NotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		return nil
	})
	return ids, err
}
