package app

import (
	"errors"
	"strconv"
	"strings"
	"sync"

	"hearth/backend/errs"
	"hearth/backend/hlc"
	"hearth/backend/members"
	"hearth/backend/segments"
)

// SegmentsService is the Members screen's door to live segments: the saved segments with how
// many members each holds now, a live count (and the first members) of an expression as the
// manager builds it, saving, renaming and deleting, and the members of a segment for the table.
type SegmentsService struct {
	calls
	segments *segments.Service
	members  *members.Service

	mu     sync.Mutex
	listed segmentList // the last segment's members in a table's order, for its next pages
}

// segmentList is the ids of a segment's members matching a table's query, in its order, as
// they were at a store stamp.
type segmentList struct {
	key   string
	stamp hlc.Timestamp
	ids   []string
}

// NewSegmentsService binds sg, and m for the members of a segment, for the window.
func NewSegmentsService(sg *segments.Service, m *members.Service) *SegmentsService {
	return &SegmentsService{segments: sg, members: m}
}

// SavedSegment is a saved segment and how many members it holds now.
type SavedSegment struct {
	Segment segments.Segment `json:"segment"`
	Count   int              `json:"count"`
}

// SegmentPreviewSize is how many of the matching members a count shows.
const SegmentPreviewSize = 20

// SegmentCount is what a count of an expression answers: how many members match now and the
// first of them (in the order they joined), or, for an expression that does not parse, where
// and why (Error; the window says it from its catalogs).
type SegmentCount struct {
	Count   int                   `json:"count"`
	Members []SegmentMember       `json:"members"`
	Error   *segments.SyntaxError `json:"error"`
}

// SegmentMember is one member of a count's preview.
type SegmentMember struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// List returns every saved segment by name, each with its count now.
func (s *SegmentsService) List() ([]SavedSegment, error) {
	ctx := s.ctx()
	list, err := s.segments.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]SavedSegment, 0, len(list))
	for _, seg := range list {
		n, err := s.segments.Count(ctx, seg.Where)
		if err != nil {
			return nil, err
		}
		out = append(out, SavedSegment{Segment: seg, Count: n})
	}
	return out, nil
}

// Create saves a segment; a broken expression is refused with a field error on "where" that
// carries its position (params pos, syntax, found), a name taken with one on "name".
func (s *SegmentsService) Create(in segments.Input) (segments.Segment, error) {
	return s.segments.Create(s.ctx(), in)
}

// Update renames a segment (id or name) or changes its expression, refused as Create refuses.
func (s *SegmentsService) Update(id string, p segments.Patch) (segments.Segment, error) {
	return s.segments.Update(s.ctx(), id, p)
}

// Delete removes a segment (id or name) and returns it.
func (s *SegmentsService) Delete(id string) (segments.Segment, error) {
	return s.segments.Delete(s.ctx(), id)
}

// Count counts the members an expression matches now, with the first SegmentPreviewSize of
// them; an expression that does not parse answers its syntax error, not a rejection, so that
// the builder shows it under the field as the manager types.
func (s *SegmentsService) Count(where string) (SegmentCount, error) {
	ctx := s.ctx()
	out := SegmentCount{Members: []SegmentMember{}}
	ids, err := s.segments.IDs(ctx, where)
	var se *segments.SyntaxError
	if errors.As(err, &se) {
		out.Error = se
		return out, nil
	}
	if err != nil {
		return out, err
	}
	out.Count = len(ids)
	for _, id := range ids {
		if len(out.Members) == SegmentPreviewSize {
			break
		}
		m, err := s.members.Get(ctx, id)
		if errors.Is(err, errs.NotFound) { // gone since the count
			continue
		}
		if err != nil {
			return out, err
		}
		out.Members = append(out.Members, SegmentMember{ID: m.ID, Name: m.Name, Email: firstEmail(m)})
	}
	return out, nil
}

func firstEmail(m members.Member) string {
	if len(m.Emails) == 0 {
		return ""
	}
	return m.Emails[0]
}

// Members returns a page of the members of a saved segment (id or name) now that also match
// q (search, tag), in q's order: the Members screen's table filtered by a segment. The whole
// ordered list is worked out once (the member list read through, keeping the segment's) and
// kept until the workspace next changes, so that the table's later pages cost their own members
// only.
func (s *SegmentsService) Members(segment string, q members.ListQuery) (members.Page, error) {
	ctx := s.ctx()
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	if limit > members.MaxLimit {
		limit = members.MaxLimit
	}
	if q.Offset < 0 {
		q.Offset = 0
	}
	ids, err := s.orderedMembers(segment, q)
	if err != nil {
		return members.Page{}, err
	}
	page := members.Page{Items: []members.Member{}, Total: len(ids), Offset: q.Offset}
	for _, id := range ids[min(q.Offset, len(ids)):min(q.Offset+limit, len(ids))] {
		m, err := s.members.Get(ctx, id)
		if errors.Is(err, errs.NotFound) { // gone since the list was worked out
			continue
		}
		if err != nil {
			return members.Page{}, err
		}
		page.Items = append(page.Items, m)
	}
	return page, nil
}

// orderedMembers is the ids of the segment's members matching q's search and tag, in q's
// order, from the last answer while the store has not changed since.
func (s *SegmentsService) orderedMembers(segment string, q members.ListQuery) ([]string, error) {
	ctx := s.ctx()
	key := strings.Join([]string{segment, q.Search, q.Tag, string(q.Sort), strconv.FormatBool(q.Desc)}, "\x00")
	stamp := s.segments.Stamp()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listed.key == key && s.listed.stamp == stamp && s.listed.ids != nil {
		return s.listed.ids, nil
	}
	ids, err := s.segments.SegmentIDs(ctx, segment)
	if err != nil {
		return nil, err
	}
	in := make(map[string]bool, len(ids))
	for _, id := range ids {
		in[id] = true
	}
	// The members list in q's order, a long page at a time, keeping the segment's members:
	// the same order and filters as the unfiltered table.
	out := make([]string, 0, len(ids))
	walk := q
	walk.Offset, walk.Limit = 0, members.MaxLimit
	for {
		got, err := s.members.List(ctx, walk)
		if err != nil {
			return nil, err
		}
		for _, m := range got.Items {
			if in[m.ID] {
				out = append(out, m.ID)
			}
		}
		walk.Offset += len(got.Items)
		if len(got.Items) == 0 || walk.Offset >= got.Total || len(out) == len(ids) {
			break
		}
	}
	s.listed = segmentList{key: key, stamp: stamp, ids: out}
	return out, nil
}
