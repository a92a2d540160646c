package app

import (
	"encoding/json"
	"testing"
	"time"

	"hearth/backend/members"
	"hearth/backend/segments"
	"hearth/backend/wiring"
)

// segmentsWorld is the quiet recorded workspace where some members say their city (Hélène,
// Chloé and Léa live in Lyon, Bruno in Paris) and one segment is saved: "Lyonnais",
// city = "Lyon".
type segmentsWorld struct {
	backend *wiring.Backend
	svc     *SegmentsService
	ids     []idName
	by      map[string]string // recorded name -> id
}

// segmentCities are the cities the world's members give, by recorded member.
var segmentCities = map[string]string{"member-01": "Lyon", "member-03": "Paris", "member-04": "lyon", "member-11": "Lyon"}

func newSegmentsWorld(t *testing.T) *segmentsWorld {
	t.Helper()
	ctx := windowCtx()
	b, ids := seedRecordedWorkspace(t, false)
	w := &segmentsWorld{backend: b, svc: NewSegmentsService(b.Segments, b.Members), ids: ids, by: map[string]string{}}
	for _, id := range ids {
		w.by[id.name] = id.id
	}
	for name, city := range segmentCities {
		if _, err := b.Members.Update(ctx, w.by[name], members.Patch{CustomFields: &map[string]string{"city": city}}); err != nil {
			t.Fatal(err)
		}
	}
	seg, err := b.Segments.Create(ctx, segments.Input{Name: "Lyonnais", Where: `city = "Lyon"`})
	if err != nil {
		t.Fatal(err)
	}
	w.ids = append(w.ids, idName{seg.ID, "segment-lyonnais"})
	w.by["segment-lyonnais"] = seg.ID
	return w
}

// segmentCounts are the expressions the builder's tests and demo type, as they count them.
var segmentCounts = []string{
	`city = "Lyon"`,
	`city = "Paris"`,
	`city = `,
	`city = "Lyon" OR city = "Paris"`,
	`tag = "fr"`,
	`tag = "fr" AND platform = discourse`,
	`(tag = "fr" OR tag = "en") AND NOT tag = "team"`,
	`tag = "fr" AND (level = ambassador`,
	`consent.newsletter = granted`,
}

// segmentMembersQuery is the first page the Members table asks for, by name.
const segmentMembersQuery = `{"search":"","tag":"","sort":"name","desc":false,"offset":0,"limit":200}`

// TestRecordAnswersForTheWindowFakeSegments records the Members screen's segments as
// scenarios: a segment built, saved, renamed and deleted; the saved one given a new
// expression; a name already taken and a broken expression refused; the saved one deleted.
// At each state, what the screen reads: the list with counts, the live counts of the
// expressions the builder is given, and each saved segment's members in the table.
func TestRecordAnswersForTheWindowFakeSegments(t *testing.T) {
	saved := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = saved })

	type step func(t *testing.T, s *scenario, w *segmentsWorld)
	var created string // the id of the scenario's last created segment
	create := func(name, js string) step {
		return func(t *testing.T, s *scenario, w *segmentsWorld) {
			in, raw := argsAs[segments.Input](t, js)
			v, err := w.svc.Create(in)
			s.step("", "create", []any{raw}, v, err)
			if err == nil {
				created = v.ID
				s.named = append(s.named, idName{v.ID, name})
			}
		}
	}
	update := func(which, js string) step {
		return func(t *testing.T, s *scenario, w *segmentsWorld) {
			id := w.by[which]
			if which == "" {
				id = created
			}
			p, raw := argsAs[segments.Patch](t, js)
			v, err := w.svc.Update(id, p)
			s.step("", "update", []any{id, raw}, v, err)
		}
	}
	remove := func(which string) step {
		return func(t *testing.T, s *scenario, w *segmentsWorld) {
			id := w.by[which]
			if which == "" {
				id = created
			}
			v, err := w.svc.Delete(id)
			s.step("", "delete", []any{id}, v, err)
		}
	}
	scenarios := [][]step{
		{create("segment-parisiens", `{"name":"Parisiens","where":"city = \"Paris\""}`),
			update("", `{"name":"Parisiens et Parisiennes"}`), remove("")},
		{update("segment-lyonnais", `{"where":"city = \"Lyon\" OR city = \"Paris\""}`)},
		{create("", `{"name":"LYONNAIS","where":"tag = \"fr\""}`), create("", `{"name":"Cassé","where":"city = "}`)},
		{remove("segment-lyonnais")},
	}
	all := map[string]json.RawMessage{}
	for _, sc := range scenarios {
		w := newSegmentsWorld(t)
		s := newScenario(t)
		readSegments(t, s, w.svc)
		for _, st := range sc {
			st(t, s, w)
			readSegments(t, s, w.svc)
		}
		scenarioAnswers(t, all, w.ids, s)
	}
	holdRecording(t, "segments", all)
}

// readSegments records what the Members screen reads of segments in the current state.
func readSegments(t *testing.T, s *scenario, svc *SegmentsService) {
	t.Helper()
	list, err := svc.List()
	s.read("", "list", []any{}, list, err)
	for _, where := range segmentCounts {
		v, err := svc.Count(where)
		s.read("", "count", []any{where}, v, err)
	}
	q, raw := argsAs[members.ListQuery](t, segmentMembersQuery)
	for _, seg := range list {
		v, err := svc.Members(seg.Segment.ID, q)
		s.read("", "members", []any{seg.Segment.ID, raw}, v, err)
	}
}

// TestSegmentsServiceCountsAsYouTypeAndPagesASegmentsMembers: a count answers the number and
// the first members, or where a broken expression stops; a segment's members come in the
// table's order, filtered by its search, paged.
func TestSegmentsServiceCountsAsYouTypeAndPagesASegmentsMembers(t *testing.T) {
	w := newSegmentsWorld(t)
	got, err := w.svc.Count(`city = "Lyon"`)
	if err != nil || got.Count != 3 || got.Error != nil || len(got.Members) != 3 {
		t.Fatalf("count of Lyon: %+v, %v", got, err)
	}
	if got.Members[0].Name != "Hélène Dupont" || got.Members[0].Email != "helene@example.org" {
		t.Fatalf("the preview starts with the first to join: %+v", got.Members)
	}
	got, err = w.svc.Count(`city = "Lyon" AND (level = ambassador`)
	if err != nil || got.Error == nil || got.Error.Pos != 38 || got.Error.Code != segments.ErrClose || got.Count != 0 || got.Members == nil {
		t.Fatalf("a broken expression: %+v, %v; want expected_close at 38 and an empty list", got, err)
	}
	all, err := w.svc.Count(`city != "nowhere" OR NOT city != "nowhere"`)
	if err != nil || all.Count != 12 || len(all.Members) != 12 {
		t.Fatalf("everyone: %+v, %v", all, err)
	}

	page, err := w.svc.Members("lyonnais", members.ListQuery{Sort: members.SortName})
	if err != nil || page.Total != 3 || len(page.Items) != 3 {
		t.Fatalf("the segment's members: %+v, %v", page, err)
	}
	names := []string{page.Items[0].Name, page.Items[1].Name, page.Items[2].Name}
	if names[0] != "Chloé Martin" || names[1] != "Hélène Dupont" || names[2] != "Léa Bernard" {
		t.Fatalf("by name: %v", names)
	}
	page, err = w.svc.Members(w.by["segment-lyonnais"], members.ListQuery{Sort: members.SortName, Desc: true, Offset: 1, Limit: 1})
	if err != nil || page.Total != 3 || len(page.Items) != 1 || page.Items[0].Name != "Hélène Dupont" || page.Offset != 1 {
		t.Fatalf("second of three, by name backwards: %+v, %v", page, err)
	}
	page, err = w.svc.Members("Lyonnais", members.ListQuery{Search: "léa"})
	if err != nil || page.Total != 1 || page.Items[0].Name != "Léa Bernard" {
		t.Fatalf("searched within the segment: %+v, %v", page, err)
	}
	// A member changed since: the next page is worked out again, Bruno now among them.
	if _, err := w.backend.Members.Update(windowCtx(), w.by["member-03"], members.Patch{CustomFields: &map[string]string{"city": "Lyon"}}); err != nil {
		t.Fatal(err)
	}
	page, err = w.svc.Members("lyonnais", members.ListQuery{Sort: members.SortName})
	if err != nil || page.Total != 4 || page.Items[0].Name != "Bruno Petit" {
		t.Fatalf("after Bruno moved to Lyon: %+v, %v", page, err)
	}
	if _, err := w.svc.Members("nobody", members.ListQuery{}); err == nil {
		t.Fatal("the members of a segment that does not exist")
	}
	list, err := w.svc.List()
	if err != nil || len(list) != 1 || list[0].Count != 4 || list[0].Segment.Name != "Lyonnais" {
		t.Fatalf("list: %+v, %v", list, err)
	}
}
