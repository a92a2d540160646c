package automations

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"hearth/backend/errs"
)

// Limits on what an automation may hold.
const (
	maxName    = 200
	maxSteps   = 50
	maxDays    = 365
	maxSubject = 200
	maxBody    = 50000
	maxTag     = 64
	maxTitle   = 200
)

func (in Input) normalize() Input {
	in.ID = strings.TrimSpace(in.ID)
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	in.Trigger.Tag = strings.Join(strings.Fields(in.Trigger.Tag), " ")
	in.Trigger.Purpose = strings.TrimSpace(in.Trigger.Purpose)
	in.Trigger.Field = strings.TrimSpace(in.Trigger.Field)
	in.Trigger.Segment = strings.TrimSpace(in.Trigger.Segment)
	steps := make([]Step, len(in.Steps))
	for i, st := range in.Steps {
		st.Subject = strings.TrimSpace(st.Subject)
		st.BodyMarkdown = strings.TrimSpace(st.BodyMarkdown)
		st.Purpose = strings.TrimSpace(st.Purpose)
		st.Tag = strings.Join(strings.Fields(st.Tag), " ")
		st.TaskTitle = strings.Join(strings.Fields(st.TaskTitle), " ")
		// Fields that do not belong to the step's kind are dropped, so what is stored is what runs.
		switch st.Kind {
		case StepWait:
			st = Step{ID: st.ID, Kind: st.Kind, Days: st.Days}
		case StepSendEmail:
			st = Step{ID: st.ID, Kind: st.Kind, Subject: st.Subject, BodyMarkdown: st.BodyMarkdown, Purpose: st.Purpose}
		case StepAddTag, StepRemoveTag:
			st = Step{ID: st.ID, Kind: st.Kind, Tag: st.Tag}
		case StepCreateTask:
			st = Step{ID: st.ID, Kind: st.Kind, TaskTitle: st.TaskTitle, TaskDueDays: st.TaskDueDays}
		}
		steps[i] = st
	}
	in.Steps = steps
	return in
}

// validate reports every problem at once, each naming its JSON field path
// ("trigger.tag", "steps[2].subject").
func validate(in Input) error {
	var fields []errs.FieldError
	add := func(field, code string, kv ...string) { fields = append(fields, errs.Field(field, code, kv...)) }
	tooLong := func(field, v string, max int) {
		if utf8.RuneCountInString(v) > max {
			add(field, "max", "max", strconv.Itoa(max))
		}
	}
	requiredText := func(field, v string, max int) {
		if v == "" {
			add(field, "required")
		}
		tooLong(field, v, max)
	}
	days := func(field string, v, lo, hi int) {
		if v < lo {
			add(field, "min", "min", strconv.Itoa(lo))
		} else if v > hi {
			add(field, "max", "max", strconv.Itoa(hi))
		}
	}
	requiredText("name", in.Name, maxName)
	switch in.Trigger.Kind {
	case TriggerMemberCreated:
	case TriggerTagAdded:
		requiredText("trigger.tag", in.Trigger.Tag, maxTag)
	case TriggerConsentGranted:
		requiredText("trigger.purpose", in.Trigger.Purpose, maxTag)
	case TriggerDateAnniversary:
		requiredText("trigger.field", in.Trigger.Field, maxTag)
		days("trigger.days", in.Trigger.Days, -maxDays, maxDays)
	case TriggerSegmentEntered, TriggerSegmentLeft:
		requiredText("trigger.segment", in.Trigger.Segment, maxTag)
	case "":
		add("trigger.kind", "required")
	default:
		add("trigger.kind", "oneof", "value", "member_created tag_added consent_granted date_anniversary segment_entered segment_left")
	}
	if len(in.Steps) == 0 {
		add("steps", "required")
	}
	if len(in.Steps) > maxSteps {
		add("steps", "max", "max", strconv.Itoa(maxSteps))
	}
	seen := map[string]bool{}
	for i, st := range in.Steps {
		f := func(name string) string { return fmt.Sprintf("steps[%d].%s", i, name) }
		if st.ID != "" {
			if seen[st.ID] {
				add(f("id"), "duplicate")
			}
			seen[st.ID] = true
			tooLong(f("id"), st.ID, maxTag)
		}
		switch st.Kind {
		case StepWait:
			days(f("days"), st.Days, 1, maxDays)
		case StepSendEmail:
			requiredText(f("subject"), st.Subject, maxSubject)
			requiredText(f("bodyMarkdown"), st.BodyMarkdown, maxBody)
			tooLong(f("purpose"), st.Purpose, maxTag)
		case StepAddTag, StepRemoveTag:
			requiredText(f("tag"), st.Tag, maxTag)
		case StepCreateTask:
			requiredText(f("taskTitle"), st.TaskTitle, maxTitle)
			days(f("taskDueDays"), st.TaskDueDays, 0, maxDays)
		case "":
			add(f("kind"), "required")
		default:
			add(f("kind"), "oneof", "value", "wait send_email add_tag remove_tag create_task")
		}
	}
	if len(fields) > 0 {
		return errs.Fields("automations: invalid automation", fields...)
	}
	return nil
}
