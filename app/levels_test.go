package app

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hearth/backend/activity"
	"hearth/backend/errs"
	"hearth/backend/members"
)

func TestTheSettingsScreenSavesEngagementLevelsAndTheMembersWorkbookNamesEachLevel(t *testing.T) {
	b := openTestBackend(t)
	ctx := windowCtx()
	m, err := b.Members.Create(ctx, members.CreateInput{Name: "Hélène", Emails: []string{"helene@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Activity.AddManual(ctx, []activity.ManualInput{{Member: m.ID, Kind: activity.Post, At: time.Now().Add(-time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	s := dashboardOf(b)

	bad := s.LevelDefaults()
	bad.ScoreWindowDays = 3
	_, err = s.SaveLevelSettings(bad)
	if e := errs.From(err); len(e.Fields) != 1 || e.Fields[0].Field != "scoreWindowDays" {
		t.Fatalf("a 3-day window: %v", err)
	}
	in := s.LevelDefaults()
	in.Milestones[2].MinScore = 5 // one post (3 points) no longer makes a participant
	in.GoalTags = []string{"customer"}
	if _, err := s.SaveLevelSettings(in); err != nil {
		t.Fatal(err)
	}
	got, err := s.LevelSettings()
	if err != nil || got.Milestones[2].MinScore != 5 || len(got.GoalTags) != 1 {
		t.Fatalf("%+v %v", got, err)
	}

	path := filepath.Join(t.TempDir(), "members.xlsx")
	if _, err := reportsOf(b, savePicker{path}, "en").ExportMembers("en"); err != nil {
		t.Fatal(err)
	}
	level := func() string {
		t.Helper()
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = f.Close() }()
		if h, _ := f.GetCellValue("Members", "G1"); h != "Level" {
			t.Fatalf("header G1 = %q", h)
		}
		v, _ := f.GetCellValue("Members", "G2")
		return v
	}
	if got := level(); got != "Observers" {
		t.Fatalf("level with a harder participant milestone = %q", got)
	}
	if _, err := s.ResetLevelSettings(); err != nil {
		t.Fatal(err)
	}
	if _, err := reportsOf(b, savePicker{path}, "en").ExportMembers("en"); err != nil {
		t.Fatal(err)
	}
	if got := level(); got != "Participants" {
		t.Fatalf("level with the defaults = %q", got)
	}
}
