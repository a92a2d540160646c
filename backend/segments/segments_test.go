package segments

import (
	"context"
	"errors"
	"testing"
	"time"

	"hearth/backend/errs"
	"hearth/backend/members"
)

func ptr(s string) *string { return &s }

// fieldCode is the code of err's field error on field ("" when it has none).
func fieldCode(err error, field string) (string, map[string]string) {
	var e *errs.Error
	if !errors.As(err, &e) {
		return "", nil
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Code, f.Params
		}
	}
	return "", nil
}

func TestUpdateRenamesASegmentAndChangesWhatItCounts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, in := range []members.CreateInput{
		{Name: "Ana", Emails: []string{"ana@example.org"}, CustomFields: map[string]string{"city": "Lyon"}},
		{Name: "Bob", Emails: []string{"bob@example.org"}, CustomFields: map[string]string{"city": "Paris"}},
		{Name: "Cléo", Emails: []string{"cleo@example.org"}, CustomFields: map[string]string{"City": "lyon"}},
	} {
		if _, err := f.members.Create(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	seg, err := f.svc.Create(ctx, Input{Name: "Lyonnais", Where: `city = "Lyon"`})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Minute)
	got, err := f.svc.Update(ctx, "LYONNAIS", Patch{Name: ptr("  Parisiens "), Where: ptr(` city = "Paris" `)})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != seg.ID || got.Name != "Parisiens" || got.Where != `city = "Paris"` || !got.UpdatedAt.After(seg.UpdatedAt) || !got.CreatedAt.Equal(seg.CreatedAt) {
		t.Fatalf("after the update: %+v (was %+v)", got, seg)
	}
	if _, err := f.svc.Get(ctx, "lyonnais"); !errors.Is(err, errs.NotFound) {
		t.Fatalf("the old name still finds the segment: %v", err)
	}
	ids, err := f.svc.SegmentIDs(ctx, "parisiens")
	if err != nil || len(ids) != 1 {
		t.Fatalf("the renamed segment's members = %v, %v; want Bob", ids, err)
	}
	// Only the expression changes: the name stays.
	got, err = f.svc.Update(ctx, seg.ID, Patch{Where: ptr(`city = lyon`)})
	if err != nil || got.Name != "Parisiens" {
		t.Fatalf("changing only the expression: %+v, %v", got, err)
	}
	if n, err := f.svc.Count(ctx, got.Where); err != nil || n != 2 {
		t.Fatalf("count after the new expression = %d, %v; want 2", n, err)
	}
	if list, _ := f.svc.List(ctx); len(list) != 1 || list[0].Name != "Parisiens" {
		t.Fatalf("list after the updates = %+v", list)
	}
}

func TestUpdateKeepsNamesUniqueFoldedAndRefusesABrokenExpressionWithItsPosition(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a, err := f.svc.Create(ctx, Input{Name: "Bénévoles", Where: `tag = bénévole`})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Create(ctx, Input{Name: "Équipe", Where: `tag = équipe`}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Update(ctx, a.ID, Patch{Name: ptr("EQUIPE")})
	if code, _ := fieldCode(err, "name"); code != "unique" || !errors.Is(err, errs.Invalid) {
		t.Fatalf("renaming to another segment's name, folded: %v (want name unique)", err)
	}
	// Its own name spelled another way is free.
	if got, err := f.svc.Update(ctx, a.ID, Patch{Name: ptr("BENEVOLES")}); err != nil || got.Name != "BENEVOLES" {
		t.Fatalf("renaming to its own name in capitals: %+v, %v", got, err)
	}
	if _, err := f.svc.Update(ctx, a.ID, Patch{Name: ptr("  ")}); err == nil {
		t.Fatal("a blank name was saved")
	}
	_, err = f.svc.Update(ctx, a.ID, Patch{Where: ptr(`tag = x AND (level = ambassador`)})
	code, params := fieldCode(err, "where")
	if code != "invalid" || params["pos"] != "32" || params["syntax"] != ErrClose {
		t.Fatalf("a broken expression: %v (%s %v); want where invalid at 32, expected_close", err, code, params)
	}
	var se *SyntaxError
	if !errors.As(err, &se) || se.Pos != 32 {
		t.Fatalf("the error does not carry the syntax error: %v", err)
	}
	if got, _ := f.svc.Get(ctx, a.ID); got.Where != `tag = bénévole` || got.Name != "BENEVOLES" {
		t.Fatalf("a refused update changed the segment: %+v", got)
	}
	if _, err := f.svc.Update(ctx, "nobody", Patch{Name: ptr("x")}); !errors.Is(err, errs.NotFound) {
		t.Fatalf("updating a segment that does not exist: %v", err)
	}
}
