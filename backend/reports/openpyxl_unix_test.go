//go:build unix

package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"hearth/backend/exports"
	"hearth/backend/members"
)

// python is Debian's interpreter, with python3-openpyxl installed by .ci/deps.
const python = "/usr/bin/python3"

// TestOpenpyxlReadsTheFrenchWorkbooksAsWritten hands the French members export and KPI
// workbook to openpyxl, a reader Hearth did not write (.ci/check-openpyxl.py): headers in
// French, dates as date cells on Paris's wall clock, numbers as numbers, empty custom fields as
// no cell, A4 landscape fitted to the width with the header rows repeated, files 0600.
func TestOpenpyxlReadsTheFrenchWorkbooksAsWritten(t *testing.T) {
	if out, err := exec.Command(python, "-c", "import openpyxl").CombinedOutput(); err != nil {
		t.Fatalf("%s with openpyxl is needed to check the workbooks (apt-get install python3-openpyxl, or .ci/deps): %v\n%s", python, err, out)
	}
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
	s, _, _ := newSchedule(t) // the workspace's zone is Paris
	ctx := context.Background()
	ms := []members.Member{
		{ID: "m1", Name: "Hélène Dupont", Emails: []string{"helene@example.org", "h.dupont@example.org"},
			CreatedAt: time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC), UpdatedAt: time.Date(2026, 3, 5, 9, 15, 0, 0, time.UTC),
			CustomFields: map[string]string{"adhésion": "03/02/2025", "code postal": "07500", "cotisation": "12,50", "ville": "Paris"}},
		{ID: "m2", Name: "Marc", Emails: []string{"marc@example.org"}, Notes: "vient le jeudi",
			CreatedAt: time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC),
			CustomFields: map[string]string{"ville": "Lyon", "cotisation": ""}},
	}
	dir := t.TempDir()
	membersPath, kpiPath := filepath.Join(dir, "membres.xlsx"), filepath.Join(dir, "indicateurs.xlsx")
	if _, err := s.Exports().ToFile(ctx, membersPath, exports.MemberSlice(ms), exports.Options{Format: "xlsx", Lang: "fr"}); err != nil {
		t.Fatal(err)
	}
	_, err := s.SaveKPIWorkbook(ctx, kpiPath, fixture(), exports.MemberSlice(ms),
		Options{Lang: "fr", Now: time.Date(2026, 3, 9, 8, 0, 0, 0, paris), LevelOf: func(string) int { return 2 }})
	if err != nil {
		t.Fatal(err)
	}

	type cells map[string][]any
	str := func(s string) []any { return []any{"str", s} }
	date := func(s string) []any { return []any{"datetime", s} }
	num := func(n float64) []any { return []any{"number", n} }
	none := []any{"none"}
	sheets := []string{"Synthèse", "Cohortes", "Niveaux", "Super-utilisateurs", "Devenus silencieux", "Membres"}
	kpiPrint := map[string]any{}
	for _, name := range sheets {
		kpiPrint[name] = "1:1"
	}
	kpiPrint["Synthèse"] = nil
	spec := map[string]any{"files": []map[string]any{
		{"path": membersPath, "mode": 0o600, "sheets": []string{"Membres"}, "print": map[string]any{"Membres": "1:1"},
			"cells": map[string]cells{"Membres": {
				"A1": str("Nom"), "B1": str("E-mail"), "C1": str("Autres e-mails"), "D1": str("Identifiants"), "E1": str("Étiquettes"),
				"F1": str("Créé le"), "G1": str("ID"), "H1": str("Modifié le"), "I1": str("Notes"),
				"J1": str("adhésion"), "K1": str("code postal"), "L1": str("cotisation"), "M1": str("ville"),
				"A2": str("Hélène Dupont"), "C2": str("h.dupont@example.org"),
				"F2": date("2026-01-01T00:30:00"), "H2": date("2026-03-05T10:15:00"), "I2": none,
				"J2": date("2025-02-03T00:00:00"), "K2": str("07500"), "L2": num(12.5), "M2": str("Paris"),
				"C3": none, "D3": none, "E3": none, "I3": str("vient le jeudi"), "J3": none, "K3": none, "L3": none, "M3": str("Lyon"),
				"F3": date("2026-02-01T13:00:00"),
			}}},
		{"path": kpiPath, "mode": 0o600, "sheets": sheets, "print": kpiPrint,
			"cells": map[string]cells{
				"Synthèse": {"A1": str("Indicateurs de la communauté"), "A6": str("Indicateur"), "D6": str("Évolution"),
					"B2": date("2026-03-02T00:00:00"), "D2": date("2026-03-08T00:00:00"), "B4": date("2026-03-09T08:00:00"),
					"A39": str("Jour"), "A40": str("02/03"), "B40": num(108), "A46": str("08/03")},
				"Super-utilisateurs": {"E1": str("Dernière activité"), "E2": date("2026-03-08T21:30:00"), "B2": str("Hélène Dupont")},
				"Membres": {"A1": str("Nom"), "F1": str("Créé le"), "G1": str("Niveau"), "G2": str("Contributeurs"),
					"F2": date("2026-01-01T00:30:00"), "M1": str("cotisation"), "M2": num(12.5), "M3": none},
			}},
	}}
	b, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "../../.ci/check-openpyxl.py")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl disagrees with the workbooks:\n%s", out)
	}
	t.Logf("%s", out)
}
