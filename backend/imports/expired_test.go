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
