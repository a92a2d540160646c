package newsletter

import (
	"context"

	"hearth/backend/errs"
	"hearth/backend/members"
)

// Segments resolves a saved segment to its members now (backend/segments.Service).
type Segments interface {
	SegmentIDs(ctx context.Context, idOrName string) ([]string, error)
}

// SetSegments lets newsletters be addressed to a segment; wiring sets it once segments exist.
func (s *Service) SetSegments(sg Segments) { s.segments = sg }

// inSegment keeps of matched the members of n's segment, when it has one.
func (s *Service) inSegment(ctx context.Context, n Newsletter, matched []members.Member) ([]members.Member, error) {
	if n.Segment == "" {
		return matched, nil
	}
	if s.segments == nil {
		return nil, errs.New(errs.Unavailable, "unavailable", "newsletter: segments are not available")
	}
	ids, err := s.segments.SegmentIDs(ctx, n.Segment)
	if err != nil {
		return nil, err
	}
	in := make(map[string]bool, len(ids))
	for _, id := range ids {
		in[id] = true
	}
	out := matched[:0]
	for _, m := range matched {
		if in[m.ID] {
			out = append(out, m)
		}
	}
	return out, nil
}
