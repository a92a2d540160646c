package app

import (
	"bytes"
	"encoding/json"
	"regexp"
	"testing"

	"hearth/backend/errs"
)

func TestAWindowWhoseWorkspaceDidNotOpenSaysWhy(t *testing.T) {
	damaged := errs.New(errs.Unavailable, "workspace_index_damaged", "store: db/MANIFEST is damaged; nothing was changed").
		With("file", "db/MANIFEST").With("dir", "/home/camille/hearth")
	var startup *StartupService
	for _, s := range FailedServices(damaged) {
		if st, ok := s.(*StartupService); ok {
			startup = st
		}
	}
	if startup == nil {
		t.Fatal("no startup service among the services of a window that could not open its workspace")
	}
	err := startup.Check()
	if err == nil {
		t.Fatal("Check says the workspace opened")
	}
	var shape struct {
		Kind, Code string
		Params     map[string]string
	}
	if jerr := json.Unmarshal([]byte(FormatError(err).(string)), &shape); jerr != nil {
		t.Fatal(jerr)
	}
	if shape.Kind != "unavailable" || shape.Code != "workspace_index_damaged" || shape.Params["file"] != "db/MANIFEST" {
		t.Fatalf("the window gets %+v", shape)
	}
	if NewStartupService(nil).Check() != nil {
		t.Fatal("Check reports a failure for a workspace that opened")
	}
}

func TestTheWindowSaysWhenItPaintedOnlyWhenAsked(t *testing.T) {
	win := &Window{}
	startup := NewStartupService(nil)
	startup.attach(win)
	startup.Painted("members") // no writer: nothing happens

	var out bytes.Buffer
	win.ReportPaints(&out)
	startup.Painted("members")
	if !regexp.MustCompile(`^hearth: painted "members" at \d{13}\n$`).MatchString(out.String()) {
		t.Fatalf("the window benchmark reads %q", out.String())
	}
}
