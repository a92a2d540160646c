package members

// Merge suggestions: members who look like one person, grouped so that a person seen on three
// platforms is one proposal, with a reason and a confidence.

import (
	"cmp"
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	"hearth/backend/errs"
	"hearth/backend/store"
	"hearth/backend/textfold"
)

// The reasons a merge is suggested for, from the strongest.
const (
	// ReasonSameEmail: two members carry the same e-mail (one of them in a custom field, or
	// both, ignoring case and spaces).
	ReasonSameEmail = "same_email"
	// ReasonProfileEmail: an e-mail a member's profile carries (a custom field) is another
	// member's e-mail.
	ReasonProfileEmail = "profile_email"
	// ReasonSameHandle: the same handle on several platforms (discourse:camille,
	// discord:camille, camille@instance on Mastodon).
	ReasonSameHandle = "same_handle"
	// ReasonProfileURL: a profile address a member carries (a custom field) names another
	// member's handle.
	ReasonProfileURL = "profile_url"
	// ReasonSameNameHandle: the same full name, and handles that match it.
	ReasonSameNameHandle = "same_name_handle"
)

// Candidate is one member proposed to be merged into a suggestion's kept member.
type Candidate struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Reason string `json:"reason"`
	// Detail is what the two share: the e-mail, the handle, the name.
	Detail string `json:"detail"`
	// Platforms are, for the same handle (ReasonSameHandle), the platforms it is seen on
	// (Platforms' order); empty otherwise.
	Platforms []string `json:"platforms"`
	Score     float64  `json:"score"`
}

// Suggestion proposes to merge members who look like one person: A is the member to keep, B
// the likeliest other, Others every member to merge into A (B first), each with its reason.
// Reason, Detail and Score are the suggestion's as a whole: the strongest reason, and the
// lowest confidence of its members (the group is right only if each of them is).
type Suggestion struct {
	A      string `json:"a"`
	AName  string `json:"aName"`
	B      string `json:"b"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
	// Platforms are, for the same handle, every platform of the group it is seen on.
	Platforms []string    `json:"platforms"`
	Score     float64     `json:"score"`
	Others    []Candidate `json:"others"`
}

// Limits that keep suggestions meaningful: a handle or a name shared by more members than
// maxShared is a common word ("admin", "Marie Martin"), not a person; a group larger than
// maxGroup is a chain of coincidences.
const (
	maxShared = 6
	maxGroup  = 10
)

// scores of the reasons.
var reasonScore = map[string]float64{
	ReasonSameEmail:      0.99,
	ReasonProfileEmail:   0.95,
	ReasonProfileURL:     0.85,
	ReasonSameHandle:     0.9, // names agree; less otherwise (handleScore)
	ReasonSameNameHandle: 0.75,
}

// reasonRank orders reasons from the strongest, to name a group by.
var reasonRank = []string{ReasonSameEmail, ReasonProfileEmail, ReasonSameHandle, ReasonProfileURL, ReasonSameNameHandle}

// entry kinds: where a key came from.
const (
	fromEmail   uint8 = iota // the member's own e-mail
	fromProfile              // an e-mail in a custom field
	fromHandle               // a platform handle
	fromURL                  // a profile address in a custom field
	fromName                 // the full name
)

type keyEntry struct {
	m        int32
	kind     uint8
	platform uint8
}

type suggestMember struct {
	id, name, folded string
	created          int64
	hasEmail         bool
	nameHandles      []string // handle stems compared with names (same_name_handle)
}

type pairEdge struct {
	reason, detail string
	score          float64
	platforms      uint8 // a bit per platform (1 << its index in Platforms), for the same handle
}

// SuggestMerges lists the members that look like one person, strongest first. It reads every
// member once and indexes them by folded e-mail, handle and name, so it grows with the number of
// members, not its square. Erased people are not members any more and are never proposed; a
// pair the manager dismissed (DismissMerge) is not proposed again.
func (s *Service) SuggestMerges(ctx context.Context) ([]Suggestion, error) {
	return s.SuggestMergesWith(ctx, nil)
}

// SuggestProgress is how far a search for merge suggestions is: members examined of Total.
type SuggestProgress struct {
	Examined int `json:"examined"`
	Total    int `json:"total"`
}

// suggestProgressEvery is how many members are read between two progress reports.
const suggestProgressEvery = 4096

// SuggestMergesWith is SuggestMerges reporting its progress to progress (nil: not reported),
// every few thousand members and once at the end. It stops, with ctx's error, when ctx is done.
func (s *Service) SuggestMergesWith(ctx context.Context, progress func(SuggestProgress)) ([]Suggestion, error) {
	if err := s.ensureDirectory(ctx); err != nil {
		return nil, err
	}
	total := 0
	if progress != nil {
		n, err := s.Count(ctx)
		if err != nil {
			return nil, err
		}
		total = n
	}
	report := func(examined int) {
		if progress != nil {
			progress(SuggestProgress{Examined: examined, Total: max(total, examined)})
		}
	}
	var ms []suggestMember
	buckets := map[string][]keyEntry{}
	dismissed := map[string]bool{}
	err := s.st.View(func(tx *store.Tx) error {
		if err := store.Scan(tx, dismissals, func(id string, _ dismissal, _ store.Meta) error {
			dismissed[id] = true
			return nil
		}); err != nil {
			return err
		}
		return store.Scan(tx, collection, func(_ string, m Member, _ store.Meta) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			i := int32(len(ms))
			ms = append(ms, suggestKeys(m, i, buckets))
			if len(ms)%suggestProgressEvery == 0 {
				report(len(ms))
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	out := group(ms, buckets, dismissed)
	report(len(ms))
	return out, nil
}

// suggestKeys adds m's keys to buckets and returns what grouping needs of it.
func suggestKeys(m Member, i int32, buckets map[string][]keyEntry) suggestMember {
	sm := suggestMember{id: m.ID, name: displayName(m), folded: foldName(m.Name), created: m.CreatedAt.UnixNano(), hasEmail: len(m.Emails) > 0}
	add := func(key string, kind uint8, platform uint8) {
		b := buckets[key]
		if len(b) > 0 && b[len(b)-1].m == i && b[len(b)-1].kind == kind {
			return
		}
		buckets[key] = append(b, keyEntry{m: i, kind: kind, platform: platform})
	}
	for _, e := range m.Emails {
		add("e:"+emailKey(e), fromEmail, 0)
	}
	for _, h := range m.Handles {
		stem := handleStem(h.Handle)
		if stem == "" {
			continue
		}
		add("h:"+stem, fromHandle, uint8(slices.Index(Platforms, h.Platform)+1))
		sm.nameHandles = append(sm.nameHandles, letters(stem))
	}
	for _, v := range m.CustomFields {
		v = strings.TrimSpace(v)
		switch {
		case strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://"):
			if stem := urlStem(v); stem != "" {
				add("h:"+stem, fromURL, 0)
			}
		case looksLikeEmail(v):
			add("e:"+emailKey(v), fromProfile, 0)
		}
	}
	if sm.folded != "" && strings.Contains(sm.folded, " ") {
		add("n:"+sm.folded, fromName, 0)
	}
	return sm
}

// foldName folds a full name for comparison: case, accents and spaces ignored.
func foldName(name string) string { return textfold.Fold(strings.Join(strings.Fields(name), " ")) }

// handleStem is a handle as compared across platforms: folded, without a leading @, a
// Mastodon instance (camille@instance) or a Discord discriminator (camille#1234).
func handleStem(h string) string {
	h = strings.TrimPrefix(strings.TrimSpace(h), "@")
	if i := strings.IndexAny(h, "@#"); i >= 0 {
		h = h[:i]
	}
	return textfold.Fold(h)
}

// urlStem is the handle a profile address names: its last path segment (https://forum/u/camille,
// https://instance/@camille), or "".
func urlStem(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	parts := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
	if len(parts) == 0 {
		return ""
	}
	return handleStem(parts[len(parts)-1])
}

// looksLikeEmail says whether a custom field's value is an e-mail address.
func looksLikeEmail(v string) bool {
	at := strings.IndexByte(v, '@')
	return at > 0 && at < len(v)-3 && !strings.ContainsAny(v, " <>,;") && strings.Contains(v[at:], ".")
}

// letters keeps a string's letters and digits.
func letters(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// handleMatchesName says whether a handle stem (letters only) is made from a folded full name:
// the whole name, the first name, the last name, or an initial and a name (cmartin, camillem).
func handleMatchesName(stem, folded string) bool {
	return len(stem) >= 3 && slices.Contains(nameStems(folded), stem)
}

// nameStems are the handles (letters only) a folded full name makes: the whole name, the first
// name, the last name, an initial and a name; none for a name of one word.
func nameStems(folded string) []string {
	words := strings.Fields(folded)
	if len(words) < 2 {
		return nil
	}
	first, last := letters(words[0]), letters(words[len(words)-1])
	var out []string
	for _, c := range []string{letters(folded), first, last, first[:min(1, len(first))] + last, first + last[:min(1, len(last))], last + first} {
		if c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// group turns the buckets into edges between members and the edges into suggestions.
func group(ms []suggestMember, buckets map[string][]keyEntry, dismissed map[string]bool) []Suggestion {
	edges := map[[2]int32]pairEdge{}
	link := func(a, b int32, e pairEdge) {
		if a == b {
			return
		}
		if a > b {
			a, b = b, a
		}
		if dismissed[pairID(ms[a].id, ms[b].id)] {
			return
		}
		if old, ok := edges[[2]int32{a, b}]; !ok || e.score > old.score {
			edges[[2]int32{a, b}] = e
		}
	}
	for key, b := range buckets {
		if len(b) < 2 {
			continue
		}
		detail := key[2:]
		switch key[0] {
		case 'e':
			// Own e-mails are unique: a shared one is at most one member's own.
			for i := 1; i < len(b); i++ {
				reason := ReasonSameEmail
				if b[0].kind == fromEmail || b[i].kind == fromEmail {
					reason = ReasonProfileEmail
				}
				link(b[0].m, b[i].m, pairEdge{reason: reason, detail: detail, score: reasonScore[reason]})
			}
		case 'h':
			if len(b) > maxShared {
				continue
			}
			for i := range b {
				for j := i + 1; j < len(b); j++ {
					x, y := b[i], b[j]
					if x.kind == fromURL && y.kind == fromURL {
						continue
					}
					if x.kind == fromURL || y.kind == fromURL {
						link(x.m, y.m, pairEdge{reason: ReasonProfileURL, detail: detail, score: reasonScore[ReasonProfileURL]})
						continue
					}
					if x.platform == y.platform {
						continue // two accounts on one platform are two people
					}
					if score := handleScore(ms[x.m], ms[y.m]); score > 0 {
						link(x.m, y.m, pairEdge{reason: ReasonSameHandle, detail: detail, score: score, platforms: platformBit(x.platform) | platformBit(y.platform)})
					}
				}
			}
		case 'n':
			if len(b) > maxShared {
				continue
			}
			for i := range b {
				for j := i + 1; j < len(b); j++ {
					x, y := ms[b[i].m], ms[b[j].m]
					if nameHandleMatch(x) && nameHandleMatch(y) {
						link(b[i].m, b[j].m, pairEdge{reason: ReasonSameNameHandle, detail: x.name, score: reasonScore[ReasonSameNameHandle]})
					}
				}
			}
		}
	}
	return suggestions(ms, edges, dismissed)
}

// handleScore is the confidence of the same handle on two platforms: high when the names agree,
// a little less when one name is part of the other or one of them says nothing, low when they
// only share a word, nothing when they share none.
func handleScore(a, b suggestMember) float64 {
	switch {
	case a.folded == "" || b.folded == "":
		return 0.7
	case a.folded == b.folded:
		return reasonScore[ReasonSameHandle]
	}
	aw, bw := strings.Fields(a.folded), strings.Fields(b.folded)
	if len(aw) > len(bw) {
		aw, bw = bw, aw
	}
	shared := 0
	for _, w := range aw {
		if slices.Contains(bw, w) {
			shared++
		}
	}
	switch {
	case shared == len(aw): // "Camille" and "Camille Martin": one says less, not otherwise
		return 0.8
	case shared > 0:
		return 0.6
	}
	return 0
}

func nameHandleMatch(m suggestMember) bool {
	for _, h := range m.nameHandles {
		if handleMatchesName(h, m.folded) {
			return true
		}
	}
	return false
}

// suggestions groups members linked by edges (union-find) and words each group.
func suggestions(ms []suggestMember, edges map[[2]int32]pairEdge, dismissed map[string]bool) []Suggestion {
	parent := map[int32]int32{}
	for e := range edges {
		for _, x := range e {
			parent[x] = x
		}
	}
	var find func(int32) int32
	find = func(x int32) int32 {
		if parent[x] == x {
			return x
		}
		r := find(parent[x])
		parent[x] = r
		return r
	}
	for e := range edges {
		ra, rb := find(e[0]), find(e[1])
		if ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	groups := map[int32][]int32{}
	for x := range parent {
		groups[find(x)] = append(groups[find(x)], x)
	}
	out := []Suggestion{}
	for _, g := range groups {
		if len(g) < 2 || len(g) > maxGroup {
			continue
		}
		// Keep the member with an e-mail, then the oldest: the record the manager made first.
		slices.SortFunc(g, func(a, b int32) int {
			x, y := ms[a], ms[b]
			if x.hasEmail != y.hasEmail {
				if x.hasEmail {
					return -1
				}
				return 1
			}
			return cmp.Or(cmp.Compare(x.created, y.created), cmp.Compare(x.id, y.id))
		})
		keep := g[0]
		sg := Suggestion{A: ms[keep].id, AName: ms[keep].name, Score: 1, Platforms: []string{}}
		seenOn := map[string]uint8{} // per handle, the platforms the group shows it on
		for _, o := range g[1:] {
			if dismissed[pairID(ms[keep].id, ms[o].id)] {
				continue
			}
			best, ok := pairEdge{}, false
			for _, p := range g { // the other's strongest tie within the group, to keep first
				if p == o {
					continue
				}
				e, found := edges[[2]int32{min(o, p), max(o, p)}]
				if found && (!ok || e.score > best.score || (e.score == best.score && p == keep)) {
					best, ok = e, true
				}
			}
			sg.Others = append(sg.Others, Candidate{ID: ms[o].id, Name: ms[o].name, Reason: best.reason, Detail: best.detail,
				Platforms: platformNames(best.platforms), Score: best.score})
			seenOn[best.detail] |= best.platforms
		}
		if len(sg.Others) == 0 {
			continue
		}
		slices.SortStableFunc(sg.Others, func(a, b Candidate) int { return cmp.Compare(b.Score, a.Score) })
		sg.B = sg.Others[0].ID
		rank := len(reasonRank)
		for _, c := range sg.Others {
			sg.Score = min(sg.Score, c.Score)
			if r := slices.Index(reasonRank, c.Reason); r < rank {
				rank, sg.Reason, sg.Detail = r, c.Reason, c.Detail
			}
		}
		if sg.Reason == ReasonSameHandle {
			sg.Platforms = platformNames(seenOn[sg.Detail])
		}
		out = append(out, sg)
	}
	slices.SortFunc(out, func(a, b Suggestion) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.A, b.A)) })
	return out
}

// dismissal records that the manager said two members are not one person.
type dismissal struct {
	A  string    `json:"a"`
	B  string    `json:"b"`
	At time.Time `json:"at"`
}

// dismissals are kept by pair (pairID); they name members by id only. Teammates' copies merge
// them as any record (the newest write wins; a dismissal is never edited).
var dismissals = &store.Collection[dismissal]{
	Name:    "member_merge_dismissal",
	Indexes: []store.Index[dismissal]{{Name: "member", Values: func(d dismissal) []string { return []string{d.A, d.B} }}},
}

// pairID names a pair of members whatever their order.
func pairID(a, b string) string {
	if a > b {
		a, b = b, a
	}
	return a + "|" + b
}

// DismissMerge records that members a and b (ids or e-mails) are not one person: SuggestMerges
// does not propose them together again.
func (s *Service) DismissMerge(ctx context.Context, a, b string) error {
	return s.st.Update(ctx, func(tx *store.Tx) error {
		ida, err := idByRef(tx, a)
		if err != nil {
			return err
		}
		idb, err := idByRef(tx, b)
		if err != nil {
			return err
		}
		if ida == idb {
			return errs.Fields("members: a member is always itself", errs.Field("other", "duplicate"))
		}
		for _, id := range []string{ida, idb} {
			if err := Exists(tx, id); err != nil {
				return err
			}
		}
		x, y := min(ida, idb), max(ida, idb)
		_, err = store.Put(tx, dismissals, pairID(x, y), dismissal{A: x, B: y, At: s.clock.Now().UTC()})
		return err
	})
}

// forgetDismissals deletes an erased member's dismissed suggestions.
func forgetDismissals(tx *store.Tx, memberID string) error {
	ids, err := store.IDsByIndex(tx, dismissals, "member", memberID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := store.Delete(tx, dismissals, id); err != nil && !errors.Is(err, errs.NotFound) {
			return err
		}
	}
	return nil
}

// platformBit is the bit of a keyEntry's platform (its index in Platforms, plus one; 0 for none).
func platformBit(p uint8) uint8 {
	if p == 0 {
		return 0
	}
	return 1 << (p - 1)
}

// platformNames lists the platforms of a set of platform bits, in Platforms' order.
func platformNames(bits uint8) []string {
	out := []string{}
	for i, p := range Platforms {
		if bits&(1<<i) != 0 {
			out = append(out, p)
		}
	}
	return out
}
