package app

import (
	"errors"

	"hearth/backend/errs"
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
// q (search, tag), in q's order: the Members screen's table filtered by a segment.
func (s *SegmentsService) Members(segment string, q members.ListQuery) (members.Page, error) {
	ctx := s.ctx()
	ids, err := s.segments.SegmentIDs(ctx, segment)
	if err != nil {
		return members.Page{}, err
	}
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
	in := make(map[string]bool, len(ids))
	for _, id := range ids {
		in[id] = true
	}
	page := members.Page{Items: []members.Member{}, Offset: q.Offset}
	// The members list in q's order, a long page at a time, keeping the segment's members:
	// the same order and filters as the unfiltered table.
	walk := q
	walk.Offset, walk.Limit = 0, members.MaxLimit
	for {
		got, err := s.members.List(ctx, walk)
		if err != nil {
			return members.Page{}, err
		}
		for _, m := range got.Items {
			if !in[m.ID] {
				continue
			}
			if page.Total >= q.Offset && len(page.Items) < limit {
				page.Items = append(page.Items, m)
			}
			page.Total++
		}
		walk.Offset += len(got.Items)
		if len(got.Items) == 0 || walk.Offset >= got.Total || page.Total == len(ids) {
			return page, nil
		}
	}
}
