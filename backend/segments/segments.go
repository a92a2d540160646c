// Package segments is Hearth's live segments: saved, named expressions over members (tags,
// custom fields, platform, level, join date, activity, consent, newsletters received; syntax in
// docs/SEGMENTS.md) whose members are worked out whenever they are asked for, never stored.
//
// A segment record holds a name and an expression, nothing about anybody: it travels in team
// bundles and merges as the newest write (its name is unique, folded: two copies that saved the
// same name keep the record with the smaller id, as for any unique value), and no erasure
// concerns it.
//
// Counting reads a projection of the members kept in memory (tags, custom fields, platforms
// and join dates, folded once): built at the first count from the member records, then brought
// up to date at each count from the members written since (nothing when the store wrote nothing;
// those a Watch saw change, or else those edited since the last count; an erased person leaves
// it, tags and field names only they had included, at the next count). Facts from elsewhere (levels, consent, activity, deliveries) are read once per
// count for the conditions that need them and kept while the store writes nothing.
package segments

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/hlc"
	"hearth/backend/members"
	"hearth/backend/store"
)

// Segment is the stored record of one saved segment.
type Segment struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Where     string    `json:"where"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Input saves a segment.
type Input struct {
	Name  string `json:"name" validate:"required,max=100"`
	Where string `json:"where" validate:"required,max=4000"`
}

// Collection is the name segments are stored under.
const Collection = "segment"

var collection = &store.Collection[Segment]{
	Name: Collection,
	Indexes: []store.Index[Segment]{
		{Name: "name", Unique: true, Values: func(s Segment) []string { return []string{fieldKey(s.Name)} }},
	},
}

// Service saves segments and counts their members. Safe for concurrent use.
type Service struct {
	st    *store.Store
	clock clock.Clock
	mems  *members.Service
	src   Sources
	zone  *time.Location

	mu    sync.Mutex
	watch *members.Changes // nil: members updated since the last count are found by their edit time
	proj  projection
	facts *facts
	stamp hlc.Timestamp // the store's clock when facts were read
}

type projection struct {
	people    []person
	at        map[string]int
	syms      symbols
	refreshed bool
	stamp     hlc.Timestamp
	seen      time.Time
}

// NewService returns a segment service; src answers the conditions beyond the member records.
func NewService(st *store.Store, m *members.Service, src Sources, c clock.Clock) *Service {
	store.Declare(st, collection)
	zone := src.Zone
	if zone == nil {
		zone = time.Local
	}
	return &Service{st: st, clock: c, mems: m, src: src, zone: zone}
}

// invalid wraps a syntax error as a field error on "where" carrying its position, its code
// and the text found there (the CLI and the window say them from their catalogs; see
// SyntaxError).
func invalid(err error) error {
	var se *SyntaxError
	if !errors.As(err, &se) {
		return err
	}
	return &errs.Error{Kind: errs.Invalid, Code: "invalid_input", Msg: se.Error(),
		Fields: []errs.FieldError{errs.Field("where", "invalid", "pos", strconv.Itoa(se.Pos), "syntax", se.Code, "found", se.Found)},
		Err:    se}
}

// Create saves a new segment after checking its expression.
func (s *Service) Create(ctx context.Context, in Input) (Segment, error) {
	in.Where = strings.TrimSpace(in.Where)
	name, err := checkName(in.Name)
	if err != nil {
		return Segment{}, err
	}
	in.Name = name
	if _, err := Parse(in.Where); err != nil {
		return Segment{}, invalid(err)
	}
	now := s.clock.Now().UTC()
	seg := Segment{ID: s.st.NewID(), Name: in.Name, Where: in.Where, CreatedAt: now, UpdatedAt: now}
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		_, err := store.Put(tx, collection, seg.ID, seg)
		var ue *store.UniqueError
		if errors.As(err, &ue) {
			return errs.Fields("segments: name taken", errs.Field("name", "unique"))
		}
		return err
	})
	return seg, err
}

// Patch changes a saved segment: only what is set (a new name, a new expression).
type Patch struct {
	Name  *string `json:"name,omitempty"`
	Where *string `json:"where,omitempty"`
}

// checkName trims a segment's name and says why it cannot be saved.
func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return name, errs.Fields("segments: invalid segment", errs.Field("name", "required"))
	}
	if len(name) > 100 {
		return name, errs.Fields("segments: invalid segment", errs.Field("name", "max", "max", "100"))
	}
	return name, nil
}

// Update renames a segment (by id or name) or changes its expression, after checking what
// changes: the new name must be free (folded, as Create checks it; the segment's own name
// spelled another way is free) and the new expression must parse.
func (s *Service) Update(ctx context.Context, idOrName string, p Patch) (Segment, error) {
	if p.Name != nil {
		name, err := checkName(*p.Name)
		if err != nil {
			return Segment{}, err
		}
		p.Name = &name
	}
	if p.Where != nil {
		where := strings.TrimSpace(*p.Where)
		if _, err := Parse(where); err != nil {
			return Segment{}, invalid(err)
		}
		p.Where = &where
	}
	seg, err := s.Get(ctx, idOrName)
	if err != nil {
		return seg, err
	}
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		cur, _, err := store.Get(tx, collection, seg.ID)
		if errors.Is(err, errs.NotFound) {
			return errs.New(errs.NotFound, "not_found", "segments: no segment "+idOrName)
		}
		if err != nil {
			return err
		}
		changed := false
		if p.Name != nil && *p.Name != cur.Name {
			cur.Name, changed = *p.Name, true
		}
		if p.Where != nil && *p.Where != cur.Where {
			cur.Where, changed = *p.Where, true
		}
		seg = cur
		if !changed {
			return nil
		}
		cur.UpdatedAt = s.clock.Now().UTC()
		_, err = store.Put(tx, collection, cur.ID, cur)
		var ue *store.UniqueError
		if errors.As(err, &ue) {
			return errs.Fields("segments: name taken", errs.Field("name", "unique"))
		}
		seg = cur
		return err
	})
	return seg, err
}

// List returns every saved segment by name.
func (s *Service) List(context.Context) ([]Segment, error) {
	out := []Segment{}
	err := s.st.View(func(tx *store.Tx) error {
		return store.Scan(tx, collection, func(_ string, seg Segment, _ store.Meta) error {
			out = append(out, seg)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b Segment) int { return strings.Compare(fieldKey(a.Name), fieldKey(b.Name)) })
	return out, err
}

// Get finds a segment by id or by name (folded).
func (s *Service) Get(_ context.Context, idOrName string) (Segment, error) {
	var seg Segment
	err := s.st.View(func(tx *store.Tx) error {
		id, err := store.Lookup(tx, collection, "name", fieldKey(idOrName))
		if errors.Is(err, errs.NotFound) {
			id, err = strings.TrimSpace(idOrName), nil
		}
		if err != nil {
			return err
		}
		seg, _, err = store.Get(tx, collection, id)
		return err
	})
	if errors.Is(err, errs.NotFound) {
		return seg, errs.New(errs.NotFound, "not_found", "segments: no segment "+idOrName)
	}
	return seg, err
}

// Delete removes a segment (a tombstone stays, so the deletion travels to teammates).
func (s *Service) Delete(ctx context.Context, idOrName string) (Segment, error) {
	seg, err := s.Get(ctx, idOrName)
	if err != nil {
		return seg, err
	}
	return seg, s.st.Update(ctx, func(tx *store.Tx) error {
		_, err := store.Delete(tx, collection, seg.ID)
		return err
	})
}

// Stamp is the store's clock now: it moves at every write to the workspace, so that what was
// worked out from segments and members at one stamp still holds while it has not moved.
func (s *Service) Stamp() hlc.Timestamp { return s.st.Clock().Last() }

// Count is how many members match the expression now.
func (s *Service) Count(ctx context.Context, where string) (int, error) {
	n := 0
	err := s.eval(ctx, where, func(*person) { n++ })
	return n, err
}

// IDs returns the ids of the members matching the expression now, in id order (the order
// members were created).
func (s *Service) IDs(ctx context.Context, where string) ([]string, error) {
	ids := []string{}
	err := s.eval(ctx, where, func(p *person) { ids = append(ids, p.id) })
	slices.Sort(ids)
	return ids, err
}

// SegmentIDs returns the ids of the members of a saved segment (by id or name) now.
func (s *Service) SegmentIDs(ctx context.Context, idOrName string) ([]string, error) {
	seg, err := s.Get(ctx, idOrName)
	if err != nil {
		return nil, err
	}
	return s.IDs(ctx, seg.Where)
}

func (s *Service) eval(ctx context.Context, where string, fn func(*person)) error {
	e, err := Parse(where)
	if err != nil {
		return invalid(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	stamp := s.st.Clock().Last()
	if err := s.refresh(ctx, stamp); err != nil {
		return err
	}
	now := s.clock.Now()
	today := dayOf(now, s.zone)
	if s.facts == nil || s.stamp != stamp || s.facts.today != today {
		s.facts, s.stamp = &facts{now: now, today: today}, stamp
	}
	if err := s.gather(ctx, e, s.facts); err != nil {
		return err
	}
	m := compile(e, s.facts, &s.proj.syms)
	for i := range s.proj.people {
		if p := &s.proj.people[i]; p.id != "" && m(p) {
			fn(p)
		}
	}
	return nil
}

// refresh brings the projection up to date (see the package comment). The caller holds mu.
func (s *Service) refresh(ctx context.Context, stamp hlc.Timestamp) error {
	x := &s.proj
	// A change is heard after its commit: one committed before this count but heard after it
	// is still pending at the next, whatever the stamp says.
	if x.refreshed && stamp == x.stamp && (s.watch == nil || !s.watch.Pending()) {
		return nil
	}
	total, err := s.mems.Count(ctx)
	if err != nil {
		return err
	}
	var seen time.Time
	if s.watch == nil { // the newest edit time, from which the next count reads
		head, err := s.mems.List(ctx, members.ListQuery{Sort: members.SortUpdated, Desc: true, Limit: 1})
		if err != nil {
			return err
		}
		if len(head.Items) == 1 {
			seen = head.Items[0].UpdatedAt
		}
	}
	if x.refreshed && s.watch != nil {
		if err := s.readChanged(ctx, s.watch.Take()); err != nil {
			return err
		}
	} else if x.refreshed {
		if err := s.readUpdated(ctx); err != nil {
			return err
		}
	} else if s.watch != nil {
		s.watch.Take() // readAll below reads them all
	}
	if !x.refreshed || len(x.at) != total {
		if err := s.readAll(ctx); err != nil {
			return err
		}
	}
	x.refreshed, x.seen, x.stamp = true, seen, stamp
	return nil
}

func (s *Service) note(m members.Member) {
	x := &s.proj
	p := newPerson(m, s.zone, &s.proj.syms)
	if i, ok := x.at[m.ID]; ok {
		x.people[i] = p
		return
	}
	x.at[m.ID] = len(x.people)
	x.people = append(x.people, p)
}

func (s *Service) readUpdated(ctx context.Context) error {
	limit := 64
	for offset := 0; ; offset += limit {
		page, err := s.mems.List(ctx, members.ListQuery{Sort: members.SortUpdated, Desc: true, Offset: offset, Limit: limit})
		if err != nil {
			return err
		}
		for _, m := range page.Items {
			if m.UpdatedAt.Before(s.proj.seen) {
				return nil
			}
			s.note(m)
		}
		if len(page.Items) < limit {
			return nil
		}
		limit = members.MaxLimit
	}
}

// readChanged reads the members the watch saw change; those gone (deleted, erased, merged into
// another) leave the projection, their entry wiped.
func (s *Service) readChanged(ctx context.Context, ids []string) error {
	gone := false
	for _, id := range ids {
		m, err := s.mems.Get(ctx, id)
		if errors.Is(err, errs.NotFound) {
			if i, ok := s.proj.at[id]; ok {
				s.proj.people[i] = person{}
				delete(s.proj.at, id)
				gone = true
			}
			continue
		}
		if err != nil {
			return err
		}
		s.note(m)
	}
	if gone {
		s.compact()
	}
	return nil
}

// compact rebuilds the projection without the entries of members gone, and its symbols
// without the tags and field names only they had: nothing of a deleted or erased person stays.
func (s *Service) compact() {
	x := &s.proj
	var sy symbols
	people := make([]person, 0, len(x.at))
	at := make(map[string]int, len(x.at))
	for _, p := range x.people {
		if p.id == "" {
			continue
		}
		tags := make([]uint32, len(p.tags))
		for i, t := range p.tags {
			tags[i] = sy.of(x.syms.names[t])
		}
		fields := make([]named, len(p.fields))
		for i, f := range p.fields {
			fields[i] = named{sy.of(x.syms.names[f.name]), f.field}
		}
		p.tags, p.fields = tags, fields
		at[p.id] = len(people)
		people = append(people, p)
	}
	x.people, x.at, x.syms = people, at, sy
}

// readAll reads every member again, forgetting the projection first (so that no deleted or
// erased person stays in it).
func (s *Service) readAll(ctx context.Context) error {
	// fresh arrays: nothing of an erased person lingers (tags and field names included)
	s.proj.people, s.proj.at, s.proj.syms = nil, map[string]int{}, symbols{}
	// Both ends at once, on two cores: each half with symbols of its own, joined after.
	var newest []person
	var newSyms symbols
	err := s.mems.EachFromBothEnds(ctx, members.ListQuery{}, func(m members.Member) error {
		s.note(m)
		return nil
	}, func(m members.Member) error {
		newest = append(newest, newPerson(m, s.zone, &newSyms))
		return nil
	})
	if err != nil {
		return err
	}
	x := &s.proj
	for i := len(newest) - 1; i >= 0; i-- { // oldest first, as the first half
		p := newest[i]
		if _, dup := x.at[p.id]; dup { // read by both walks where they met
			continue
		}
		for j, t := range p.tags {
			p.tags[j] = x.syms.of(newSyms.names[t])
		}
		for j := range p.fields {
			p.fields[j].name = x.syms.of(newSyms.names[p.fields[j].name])
		}
		x.at[p.id] = len(x.people)
		x.people = append(x.people, p)
	}
	return nil
}
