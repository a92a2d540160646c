package members

// Automatic merging: members linked from a platform or imported are merged, when the
// workspace says so, with the member they surely are.

import (
	"context"
	"errors"
	"slices"
	"strings"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// MergeSettings are the workspace's identity-resolution settings.
type MergeSettings struct {
	// Auto merges members linked from a platform or imported with the member they surely are:
	// the same e-mail (one carried by a profile's custom field), or the same handle on another
	// platform when the full names agree. Off by default: a merge changes who is who.
	Auto bool `json:"auto"`
}

// mergeSettings holds the one settings record; teammates' copies merge it as any record (the
// newest write wins).
var mergeSettings = &store.Collection[MergeSettings]{Name: "member_merge_settings"}

const mergeSettingsID = "workspace"

// MergeSettings returns the identity-resolution settings.
func (s *Service) MergeSettings(context.Context) (MergeSettings, error) {
	var ms MergeSettings
	err := s.st.View(func(tx *store.Tx) (err error) {
		ms, _, err = store.Get(tx, mergeSettings, mergeSettingsID)
		if errors.Is(err, errs.NotFound) {
			err = nil
		}
		return err
	})
	return ms, err
}

// SaveMergeSettings saves the identity-resolution settings.
func (s *Service) SaveMergeSettings(ctx context.Context, ms MergeSettings) (MergeSettings, error) {
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		_, err := store.Put(tx, mergeSettings, mergeSettingsID, ms)
		return err
	})
	return ms, err
}

// AutoMerge merges, when MergeSettings.Auto is on, each of the members ids with the members it
// surely is (surelySame), into the oldest of them, and returns the merges made. The ids' order
// does not matter; ids merged away meanwhile are skipped.
func (s *Service) AutoMerge(ctx context.Context, ids []string) ([]PeopleMerge, error) {
	set, err := s.MergeSettings(ctx)
	if err != nil || !set.Auto || len(ids) == 0 {
		return nil, err
	}
	var out []PeopleMerge
	for _, id := range ids {
		var pairs [][2]string
		var reasons []string
		err := s.st.View(func(tx *store.Tx) error {
			m, _, err := store.Get(tx, collection, id)
			if errors.Is(err, errs.NotFound) {
				return nil // merged away by an earlier id
			}
			if err != nil {
				return err
			}
			pairs, reasons, err = surelySame(tx, m)
			return err
		})
		if err != nil {
			return out, err
		}
		for i, p := range pairs {
			rec, err := s.MergePeople(ctx, p[0], p[1], PeopleMergeOptions{Auto: reasons[i]})
			if errors.Is(err, errs.NotFound) || errors.Is(err, errs.Invalid) || errors.Is(err, errs.Conflict) {
				continue // gone meanwhile, or too much for one member: left to the suggestions
			}
			if err != nil {
				return out, err
			}
			out = append(out, rec)
		}
	}
	return out, nil
}

// surelySame lists the (keep, other) pairs m surely makes with other members, the older kept:
// an e-mail its custom fields carry that is another member's, and its handle on another
// platform held by a member with the same full name.
func surelySame(tx *store.Tx, m Member) (pairs [][2]string, reasons []string, err error) {
	seen := map[string]bool{m.ID: true}
	group := []Member{m}
	add := func(ownerID, reason string) error {
		if seen[ownerID] {
			return nil
		}
		seen[ownerID] = true
		o, _, err := store.Get(tx, collection, ownerID)
		if err != nil {
			return err
		}
		group = append(group, o)
		reasons = append(reasons, reason)
		return nil
	}
	defer func() { // the oldest of the group is kept, the others merged into it
		if err != nil || len(group) < 2 {
			return
		}
		keep := slices.MinFunc(group, func(a, b Member) int {
			if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		// Each pair says why the other belongs: an owner's own tie, m its first one.
		rs := make([]string, 0, len(group)-1)
		for i, o := range group {
			if o.ID != keep.ID {
				pairs = append(pairs, [2]string{keep.ID, o.ID})
				rs = append(rs, reasons[max(i-1, 0)])
			}
		}
		reasons = rs
	}()
	for _, v := range m.CustomFields {
		if v = strings.TrimSpace(v); !looksLikeEmail(v) {
			continue
		}
		owner, err := store.Lookup(tx, collection, "email", emailKey(v))
		if errors.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if err = add(owner, ReasonProfileEmail); err != nil {
			return nil, nil, err
		}
	}
	name := foldName(m.Name)
	if name == "" {
		return pairs, reasons, nil
	}
	for _, h := range m.Handles {
		stem := handleStem(h.Handle)
		for _, p := range Platforms {
			if p == h.Platform || stem == "" {
				continue
			}
			owner, err := store.Lookup(tx, collection, "handle", handleKey(Handle{Platform: p, Handle: stem}))
			if errors.Is(err, errs.NotFound) || owner == m.ID || seen[owner] {
				continue
			}
			if err != nil {
				return nil, nil, err
			}
			o, _, err := store.Get(tx, collection, owner)
			if err != nil {
				return nil, nil, err
			}
			if foldName(o.Name) != name {
				continue
			}
			if err = add(owner, ReasonSameHandle); err != nil {
				return nil, nil, err
			}
		}
	}
	return pairs, reasons, nil
}

// linkThenMerge is Link's automatic merging: the members the identities linked to are merged
// with those they surely are, and each result names the member kept.
func (s *Service) linkThenMerge(ctx context.Context, out []LinkResult) ([]LinkResult, error) {
	var ids []string
	for _, r := range out {
		if r.MemberID != "" && (r.Outcome == LinkCreated || r.Changed) {
			ids = append(ids, r.MemberID)
		}
	}
	merges, err := s.AutoMerge(ctx, slices.Compact(ids))
	kept := keptBy(merges)
	for i := range out {
		out[i].MemberID = kept(out[i].MemberID)
	}
	return out, err
}

// keptBy returns a function naming the member an id was merged into (through a chain of
// merges), or the id itself.
func keptBy(merges []PeopleMerge) func(string) string {
	into := map[string]string{}
	for _, m := range merges {
		into[m.Other] = m.Keep
	}
	return func(id string) string {
		for range len(into) + 1 {
			k, ok := into[id]
			if !ok {
				return id
			}
			id = k
		}
		return id
	}
}

// importThenMerge is an import's automatic merging (MergePrepared): the members created or
// updated are merged with those they surely are, and each result names the member kept.
func (s *Service) importThenMerge(ctx context.Context, out []Merged) ([]Merged, error) {
	var ids []string
	for _, r := range out {
		if r.MemberID != "" && (r.Outcome == Created || r.Outcome == Updated) {
			ids = append(ids, r.MemberID)
		}
	}
	merges, err := s.AutoMerge(ctx, ids)
	kept := keptBy(merges)
	for i := range out {
		out[i].MemberID = kept(out[i].MemberID)
	}
	return out, err
}
