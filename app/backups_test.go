package app

import (
	"errors"
	"testing"

	"hearth/backend/backup"
	"hearth/backend/errs"
	"hearth/backend/members"
)

func TestRestoringFromTheWindowPreparesTheRestoreThenAsksForARestart(t *testing.T) {
	b := openTestBackend(t)
	win := &Window{}
	s := NewBackupsService(b.Backups, win.Restart)
	if list, err := s.List(); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("%#v %v", list, err)
	}
	if _, err := b.Members.Create(windowCtx(), members.CreateInput{Name: "Ann", Emails: []string{"ann@example.org"}}); err != nil {
		t.Fatal(err)
	}
	bk, err := s.Create()
	if err != nil || bk.Reason != backup.ReasonManual || bk.Members != 1 {
		t.Fatalf("%+v %v", bk, err)
	}
	if _, err := s.Restore("20200101T000000Z-daily"); !errors.Is(err, errs.NotFound) || win.RestartRequested() {
		t.Fatalf("an unknown backup: %v, restart asked: %v", err, win.RestartRequested())
	}
	res, err := s.Restore(bk.ID)
	if err != nil || res.Backup.ID != bk.ID || res.Replaced.Reason != backup.ReasonRestore {
		t.Fatalf("%+v %v", res, err)
	}
	if !win.RestartRequested() || !backup.Pending(b.Workspace.Dir) {
		t.Fatal("the restore is not waiting for the restart")
	}
}
