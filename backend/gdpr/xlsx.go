package gdpr

import (
	"io"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"hearth/backend/errs"
	"hearth/backend/exports"
	"hearth/backend/locale"
)

// dossierWords are the dossier workbook's words in lang, from backend/locale's catalog
// ("workbook.dossier.…").
func dossierWords(lang string) map[string]string {
	const prefix = "workbook.dossier."
	p := locale.For(lang)
	w := map[string]string{}
	for _, k := range locale.Keys("en", prefix) {
		w[strings.TrimPrefix(k, prefix)] = p.Text(k)
	}
	return w
}

// writeDossierXLSX writes the dossier as a workbook a person can read: one sheet for the member,
// one for consent now, one for the consent history, one for the audit log, one for their
// platform activity, one for the tasks about them, one for their automations, one for the
// e-mails sent to them and one for the members merged into them. Times are on zone's wall clock.
func writeDossierXLSX(w io.Writer, d Dossier, lang string, zone *time.Location) error {
	l := dossierWords(lang)
	f := excelize.NewFile()
	defer f.Close()
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	_, moment := exports.DateFormats(lang)
	date, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &moment})
	write := func(sheet string, header []string, rows [][]any) error {
		if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
		for i, h := range header {
			cell, _ := excelize.CoordinatesToCellName(i+1, 1)
			_ = f.SetCellValue(sheet, cell, h)
			_ = f.SetCellStyle(sheet, cell, cell, bold)
			_ = f.SetColWidth(sheet, colName(i), colName(i), 24)
		}
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
				if t, ok := v.(time.Time); ok {
					if t.IsZero() {
						continue
					}
					_ = f.SetCellStyle(sheet, cell, cell, date)
					v = wall(t, zone)
				}
				if s, ok := v.(string); ok && s == "" {
					continue // no cell, rather than an empty string
				}
				if err := f.SetCellValue(sheet, cell, v); err != nil {
					return err
				}
			}
		}
		if err := exports.PrintLayout(f, sheet, 1); err != nil {
			return err
		}
		return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	}
	m := d.Member
	handles := make([]string, 0, len(m.Handles))
	for _, h := range m.Handles {
		handles = append(handles, h.Platform+": "+h.Handle)
	}
	memberRows := [][]any{
		{l["id"], m.ID}, {l["name"], m.Name}, {l["emails"], strings.Join(m.Emails, "; ")},
		{l["handles"], strings.Join(handles, "; ")}, {l["tags"], strings.Join(m.Tags, "; ")},
		{l["notes"], m.Notes}, {l["created"], m.CreatedAt}, {l["updated"], m.UpdatedAt}, {l["exported"], d.ExportedAt},
	}
	keys := make([]string, 0, len(m.CustomFields))
	for k := range m.CustomFields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		memberRows = append(memberRows, []any{k, m.CustomFields[k]})
	}
	var consentRows, historyRows, auditRows, activityRows [][]any
	for _, a := range d.Activity {
		activityRows = append(activityRows, []any{a.At, a.Platform, a.Kind, a.Channel, a.Title, a.Text, a.Link})
	}
	for _, c := range d.Consent {
		consentRows = append(consentRows, []any{c.Purpose, string(c.State), c.Since, string(c.Method), c.Source, c.NoticeVersion})
	}
	for _, e := range d.ConsentHistory {
		proof := strings.TrimSpace(strings.Join([]string{e.Proof.IP, e.Proof.File}, " "))
		historyRows = append(historyRows, []any{e.At, e.Purpose, string(e.Kind), string(e.Method), e.By, e.Source, e.NoticeVersion, proof})
	}
	for _, a := range d.Audit {
		auditRows = append(auditRows, []any{a.At, a.Actor, a.Action, a.Details})
	}
	var taskRows, automationRows, deliveryRows [][]any
	for _, t := range d.Tasks {
		taskRows = append(taskRows, []any{t.Title, t.Notes, t.DueAt, t.DoneAt, t.CreatedAt, t.Source})
	}
	for _, e := range d.Automations {
		automationRows = append(automationRows, []any{e.AutomationID, e.Occurrence, string(e.Status), e.Step + 1, e.EnrolledAt, e.NextAt})
	}
	for _, dl := range d.Deliveries {
		var sent time.Time
		if dl.SentAt != nil {
			sent = *dl.SentAt
		}
		deliveryRows = append(deliveryRows, []any{dl.NewsletterID, dl.Email, string(dl.Status), sent, dl.LastError})
	}
	var mergeRows [][]any
	for _, mg := range d.Merges {
		o := mg.OtherBefore
		var conflicts []string
		for _, c := range mg.Conflicts {
			conflicts = append(conflicts, c.Field+": "+c.Kept+" / "+c.Other)
		}
		mergeRows = append(mergeRows, []any{mg.At, o.ID, o.Name, strings.Join(o.Emails, "; "), strings.Join(conflicts, "; ")})
	}
	err := firstErr(
		write(l["member"], []string{l["field"], l["value"]}, memberRows),
		write(l["consent"], []string{l["purpose"], l["state"], l["since"], l["method"], l["source"], l["notice"]}, consentRows),
		write(l["history"], []string{l["at"], l["purpose"], l["kind"], l["method"], l["by"], l["source"], l["notice"], l["proof"]}, historyRows),
		write(l["audit"], []string{l["at"], l["actor"], l["action"], l["details"]}, auditRows),
		write(l["activity"], []string{l["at"], l["platform"], l["kind"], l["channel"], l["title"], l["text"], l["link"]}, activityRows),
		write(l["tasks"], []string{l["title"], l["notes"], l["due"], l["done"], l["created"], l["source"]}, taskRows),
		write(l["automations"], []string{l["automation"], l["occurrence"], l["status"], l["step"], l["enrolled"], l["next"]}, automationRows),
		write(l["deliveries"], []string{l["newsletter"], l["email"], l["status"], l["sent"], l["error"]}, deliveryRows),
		write(l["merges"], []string{l["at"], l["merged_id"], l["merged_name"], l["merged_emails"], l["conflicts"]}, mergeRows),
	)
	if err == nil {
		err = f.DeleteSheet("Sheet1")
	}
	if err == nil {
		_, err = f.WriteTo(w)
	}
	if err != nil {
		return errs.Wrap(errs.Unavailable, "export_write", err, "gdpr: write xlsx")
	}
	return nil
}

// wall is a moment as zone's wall clock, read as UTC: excelize turns a time into a serial
// number from its instant, and serial numbers have no zone (as in backend/exports).
func wall(t time.Time, zone *time.Location) time.Time {
	t = t.In(zone)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

func colName(i int) string {
	n, _ := excelize.ColumnNumberToName(i + 1)
	return n
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
