package app

import (
	"encoding/json"
	"testing"
	"time"

	"hearth/backend/backup"
	"hearth/backend/clock"
)

// TestRecordAnswersForTheWindowFakeBackups records Settings > Backups as a scenario over the
// quiet recorded workspace: two backups taken before (a daily one this morning, one before an
// import the day before), then "Back up now" and restoring each.
func TestRecordAnswersForTheWindowFakeBackups(t *testing.T) {
	saved := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = saved })

	all := map[string]json.RawMessage{}
	for _, sc := range []string{"", "create", "restore-daily", "restore-missing"} {
		b, ids := seedRecordedWorkspace(t, false)
		clk := b.Clock.(*clock.Manual)
		clk.Set(recordedNow.Add(-30 * time.Hour))
		if _, err := b.Backups.Create(windowCtx(), backup.ReasonImport); err != nil {
			t.Fatal(err)
		}
		clk.Set(recordedNow.Add(-9 * time.Hour))
		daily, err := b.Backups.Create(windowCtx(), backup.ReasonDaily)
		if err != nil {
			t.Fatal(err)
		}
		clk.Set(recordedNow)
		bs := NewBackupsService(b.Backups, func() {})
		s := newScenario(t)
		read := func() {
			list, err := bs.List()
			for i := range list {
				list[i] = recordedSize(list[i])
			}
			s.read("", "list", []any{}, list, err)
		}
		read()
		switch sc {
		case "create":
			v, err := bs.Create()
			s.step("", "create", []any{}, recordedSize(v), err)
			read()
		case "restore-daily":
			v, err := bs.Restore(daily.ID)
			v.Backup, v.Replaced = recordedSize(v.Backup), recordedSize(v.Replaced)
			s.step("", "restore", []any{daily.ID}, v, err)
		case "restore-missing":
			v, err := bs.Restore("20260101T000000Z-daily")
			s.step("", "restore", []any{"20260101T000000Z-daily"}, v, err)
		}
		scenarioAnswers(t, all, ids, s)
	}
	holdRecording(t, "backups", all)
}

// recordedSize is b with the size every recorded backup has: a backup's size varies by a few
// bytes from one run to the next (Badger writes its versions as varints), which would make the
// recording differ every time.
func recordedSize(b backup.Backup) backup.Backup {
	if b.ID != "" {
		b.Size = 18 << 10
	}
	return b
}
