package members

// One member's merge suggestion, found from that member's keys through the e-mail and handle
// indexes: what the member drawer asks for, in a few index reads whatever the workspace's size.

import (
	"context"
	"errors"
	"slices"
	"strings"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// suggestNeighbourhood bounds the members read around one member: a person has a handful of
// records, and a group larger than maxGroup is not proposed anyway.
const suggestNeighbourhood = 4 * maxGroup

// SuggestMergesFor returns the suggestion member id (an id or an e-mail) is part of, as
// SuggestMerges words it, or none. Instead of reading every member it looks up, through the
// e-mail and handle indexes, the members that the member's keys and those of the members found
// (one step further) point to: the e-mails its custom fields carry, its handle and its profile
// addresses' handles on the other platforms, and the handles its full name makes. What those
// indexes cannot find is left to the full search: a handle kept with its instance
// (camille@instance) or a discriminator, and another member's custom field naming this one.
func (s *Service) SuggestMergesFor(ctx context.Context, id string) ([]Suggestion, error) {
	var out []Suggestion
	err := s.st.View(func(tx *store.Tx) error {
		ref, err := idByRef(tx, id)
		if err != nil {
			return err
		}
		m, _, err := store.Get(tx, collection, ref)
		if errors.Is(err, errs.NotFound) {
			return errs.New(errs.NotFound, "member_not_found", "members: member "+ref+" not found")
		}
		if err != nil {
			return err
		}
		found := []Member{m}
		seen := map[string]bool{m.ID: true}
		// The member's neighbours, then theirs: the members found first are read for more.
		for i, reach := 0, 1; i < reach; i++ {
			ids, err := neighbours(tx, found[i])
			if err != nil {
				return err
			}
			for _, nid := range ids {
				if seen[nid] || len(found) >= suggestNeighbourhood {
					continue
				}
				seen[nid] = true
				n, _, err := store.Get(tx, collection, nid)
				if errors.Is(err, errs.NotFound) {
					continue
				}
				if err != nil {
					return err
				}
				found = append(found, n)
			}
			if i == 0 {
				if len(found) == 1 {
					return nil // nobody points to it: no suggestion
				}
				reach = len(found)
			}
		}
		dismissed := map[string]bool{}
		for _, f := range found {
			pairs, err := store.IDsByIndex(tx, dismissals, "member", f.ID)
			if err != nil {
				return err
			}
			for _, p := range pairs {
				dismissed[p] = true
			}
		}
		ms := make([]suggestMember, len(found))
		buckets := map[string][]keyEntry{}
		for i, f := range found {
			ms[i] = suggestKeys(f, int32(i), buckets)
		}
		for _, sg := range group(ms, buckets, dismissed) {
			if sg.A == m.ID || slices.ContainsFunc(sg.Others, func(c Candidate) bool { return c.ID == m.ID }) {
				out = append(out, sg)
			}
		}
		return nil
	})
	if out == nil && err == nil {
		out = []Suggestion{}
	}
	return out, err
}

// neighbours lists the members m's keys point to through the indexes (m itself left out).
func neighbours(tx *store.Tx, m Member) ([]string, error) {
	var out []string
	lookup := func(index, key string) error {
		owner, err := store.Lookup(tx, collection, index, key)
		if errors.Is(err, errs.NotFound) || owner == m.ID {
			return nil
		}
		if err == nil && !slices.Contains(out, owner) {
			out = append(out, owner)
		}
		return err
	}
	onOtherPlatforms := func(stem, platform string) error {
		for _, p := range Platforms {
			if p == platform || stem == "" {
				continue
			}
			if err := lookup("handle", handleKey(Handle{Platform: p, Handle: stem})); err != nil {
				return err
			}
		}
		return nil
	}
	for _, v := range m.CustomFields {
		v = strings.TrimSpace(v)
		var err error
		switch {
		case strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://"):
			err = onOtherPlatforms(urlStem(v), "")
		case looksLikeEmail(v):
			err = lookup("email", emailKey(v))
		}
		if err != nil {
			return nil, err
		}
	}
	for _, h := range m.Handles {
		if err := onOtherPlatforms(handleStem(h.Handle), h.Platform); err != nil {
			return nil, err
		}
	}
	for _, stem := range nameStems(foldName(m.Name)) {
		if len(stem) < 3 {
			continue
		}
		if err := onOtherPlatforms(stem, ""); err != nil {
			return nil, err
		}
	}
	return out, nil
}
