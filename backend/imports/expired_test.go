package imports

import (
	"context"
	"slices"
	"testing"
	"time"

	"hearth/backend/consent"
)

func TestTheSummarySaysHowManyImportedConsentsAreAlreadyExpiredUnderTheRuleAndWhen(t *testing.T) {
	f := open(t, t.TempDir()) // November 2026
	path := file(t, "audience.csv", mailchimp)
	sum, err := f.imports.Run(context.Background(), Request{Path: path, DryRun: true}, nil, nil)
	if err != nil || sum.ExpiredConsents == nil || len(sum.ExpiredConsents) != 0 {
		t.Fatalf("without expiry: %+v %v", sum.ExpiredConsents, err)
	}
	twoYears := 24
	if _, err := f.consent.SavePurpose(context.Background(), consent.PurposeInput{ID: "newsletter", ExpiryMonths: &twoYears}); err != nil {
		t.Fatal(err)
	}
	want := []consent.Lapsed{{Purpose: "newsletter", ExpiryMonths: 24, Count: 2,
		First: time.Date(2026, 3, 5, 14, 25, 40, 0, time.UTC), Last: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)}}
	for _, dry := range []bool{true, false} {
		sum, err = f.imports.Run(context.Background(), Request{Path: path, DryRun: dry}, nil, nil)
		if err != nil || !slices.Equal(sum.ExpiredConsents, want) {
			t.Fatalf("24 months, dry run %v:\n got %+v %v\nwant %+v", dry, sum.ExpiredConsents, err, want)
		}
	}
}

// An old opt-in in the file is not reported as expired for a member whose newer consent still
// stands: they lose nothing by it (a re-import of last year's audience would otherwise alarm).
func TestAnExpiredOptInIsNotReportedForAMemberWhoseNewerConsentStands(t *testing.T) {
	ctx := context.Background()
	f := open(t, t.TempDir()) // November 2026
	twoYears := 24
	if _, err := f.consent.SavePurpose(ctx, consent.PurposeInput{ID: "newsletter", ExpiryMonths: &twoYears}); err != nil {
		t.Fatal(err)
	}
	path := file(t, "audience.csv", mailchimp)
	if _, err := f.imports.Run(ctx, Request{Path: path}, nil, nil); err != nil {
		t.Fatal(err)
	}
	ann, err := f.members.Find(ctx, "ann@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.consent.Grant(ctx, consent.Input{MemberID: ann.ID, Purpose: "newsletter", By: "test", Method: consent.MethodForm,
		At: time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	want := []consent.Lapsed{{Purpose: "newsletter", ExpiryMonths: 24, Count: 1,
		First: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC), Last: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)}} // Bob's only
	for _, dry := range []bool{true, false} {
		sum, err := f.imports.Run(ctx, Request{Path: path, DryRun: dry}, nil, nil)
		if err != nil || !slices.Equal(sum.ExpiredConsents, want) {
			t.Fatalf("dry run %v:\n got %+v %v\nwant %+v", dry, sum.ExpiredConsents, err, want)
		}
	}
}
