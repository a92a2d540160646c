package automations

import (
	"context"
	"errors"
	"strings"
	"time"

	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/store"
	"hearth/backend/tasks"
	"hearth/backend/textfold"
)

const (
	// maxAttempts is how many times a failing step is tried before its enrolment is marked
	// failed (about two days with the backoff below).
	maxAttempts = 12
	firstRetry  = 5 * time.Minute
	maxRetry    = 6 * time.Hour
)

// TickReport says what one Tick did.
type TickReport struct {
	// Enrolled counts members who entered an automation.
	Enrolled int `json:"enrolled"`
	// Steps counts steps completed (done or skipped).
	Steps int `json:"steps"`
	// Failures counts step attempts that failed and will be retried (or gave up).
	Failures int `json:"failures"`
}

// errMemberGone says the enrolled member was deleted: the enrolment is cancelled.
var errMemberGone = errors.New("automations: member gone")

// Tick enrols the members whose trigger fired since the last tick and runs every step that is
// due at now, one step at a time per enrolment, each recorded as started before it acts and as
// done after. The scheduler calls it every minute; calls are serialised.
func (s *Service) Tick(ctx context.Context, now time.Time) (TickReport, error) {
	s.tickMu.Lock()
	defer s.tickMu.Unlock()
	var rep TickReport
	list, err := s.List(ctx)
	if err != nil {
		return rep, err
	}
	autos := make(map[string]Automation, len(list))
	var problems []error
	for _, a := range list {
		autos[a.ID] = a
		if !a.Enabled || !s.st.Mine(a.Runner) {
			continue
		}
		n, err := s.detect(ctx, a, now)
		rep.Enrolled += n
		if err != nil {
			problems = append(problems, err)
		}
	}
	var ids []string
	err = s.st.View(func(tx *store.Tx) (err error) {
		ids, err = store.IDsByIndex(tx, enrolments, "active", "1")
		return err
	})
	if err != nil {
		return rep, err
	}
	moved := map[string]bool{}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			problems = append(problems, errs.Wrap(errs.Unavailable, "cancelled", err, "automations: tick cancelled"))
			break
		}
		aid, err := s.advance(ctx, id, autos, now, &rep)
		if aid != "" {
			moved[aid] = true
		}
		if err != nil {
			problems = append(problems, err)
		}
	}
	if len(moved) > 0 || rep.Enrolled > 0 {
		ev := ChangedEvent{IDs: []string{}}
		for id := range moved {
			ev.IDs = append(ev.IDs, id)
		}
		s.notifier.Emit(EventProgress, ev)
	}
	return rep, errors.Join(problems...)
}

// advance runs the enrolment's due steps in order until one is not due, and returns the
// automation id when something moved. Store errors are returned; a step's own failure is
// recorded on the enrolment (LastError, retry later) and counted in rep.
func (s *Service) advance(ctx context.Context, id string, autos map[string]Automation, now time.Time, rep *TickReport) (string, error) {
	moved := ""
	for range maxSteps + 1 {
		var e Enrolment
		err := s.st.View(func(tx *store.Tx) (err error) {
			e, _, err = store.Get(tx, enrolments, id)
			return err
		})
		if errors.Is(err, errs.NotFound) {
			return moved, nil // erased meanwhile
		}
		if err != nil {
			return moved, err
		}
		a, ok := autos[e.AutomationID]
		if e.Status != StatusActive || e.NextAt.After(now) || !ok || !a.Enabled || !s.st.Mine(a.Runner) {
			return moved, nil // not due, or run by the teammate's copy that enabled the automation
		}
		moved = a.ID
		if e.Step >= len(a.Steps) { // steps were removed by an edit
			return moved, s.update(ctx, id, func(e *Enrolment) { e.Status = StatusCompleted })
		}
		step := a.Steps[e.Step]
		key := e.ID + "/" + step.ID
		// Started: from here on a crash replays the step under the same key.
		err = s.update(ctx, id, func(e *Enrolment) {
			if n := len(e.History); n > 0 && e.History[n-1].Key == key && e.History[n-1].DoneAt.IsZero() {
				return // started before a crash or a failure: same run, same key
			}
			e.History = append(e.History, StepRun{Step: e.Step, StepID: step.ID, Kind: step.Kind, Key: key, StartedAt: now.UTC()})
		})
		if err != nil {
			return moved, err
		}
		outcome, actErr := s.act(ctx, a, e, step, key, now)
		if actErr != nil {
			rep.Failures++
			return moved, s.update(ctx, id, func(e *Enrolment) { failed(e, actErr, now) })
		}
		rep.Steps++
		err = s.update(ctx, id, func(e *Enrolment) {
			if n := len(e.History); n > 0 && e.History[n-1].Key == key {
				e.History[n-1].DoneAt, e.History[n-1].Outcome = now.UTC(), outcome
			}
			e.Step++
			e.Attempts, e.LastError = 0, ""
			e.NextAt = now.UTC()
			if step.Kind == StepWait {
				e.NextAt = now.UTC().AddDate(0, 0, step.Days)
			}
			if e.Step >= len(a.Steps) {
				e.Status = StatusCompleted
			}
		})
		if err != nil {
			return moved, err
		}
	}
	return moved, nil
}

// failed records a failed attempt: the member is gone (cancelled), or the step is retried
// later with a growing delay until maxAttempts.
func failed(e *Enrolment, err error, now time.Time) {
	if errors.Is(err, errMemberGone) {
		e.Status, e.LastError = StatusCancelled, "member_not_found"
		return
	}
	e.Attempts++
	e.LastError = errs.From(err).Code
	delay := firstRetry << min(e.Attempts-1, 10)
	e.NextAt = now.UTC().Add(min(delay, maxRetry))
	if e.Attempts >= maxAttempts {
		e.Status = StatusFailed
	}
}

// update reads, changes and writes one enrolment in a transaction.
func (s *Service) update(ctx context.Context, id string, fn func(e *Enrolment)) error {
	return s.st.Update(ctx, func(tx *store.Tx) error {
		e, _, err := store.Get(tx, enrolments, id)
		if err != nil {
			return err
		}
		fn(&e)
		e.UpdatedAt = s.clock.Now().UTC()
		_, err = store.Put(tx, enrolments, id, e)
		return err
	})
}

// act performs one step and returns its outcome.
func (s *Service) act(ctx context.Context, a Automation, e Enrolment, step Step, key string, now time.Time) (string, error) {
	if step.Kind == StepWait {
		return OutcomeDone, nil
	}
	m, err := s.members.Get(ctx, e.MemberID)
	if errors.Is(err, errs.NotFound) {
		return "", errMemberGone
	}
	if err != nil {
		return "", err
	}
	switch step.Kind {
	case StepSendEmail:
		return s.sendEmail(ctx, m, step, key, now)
	case StepAddTag, StepRemoveTag:
		return OutcomeDone, s.retag(ctx, m, step)
	case StepCreateTask:
		if s.tasks == nil {
			return "", errs.New(errs.Unavailable, "tasks_unavailable", "automations: no task service")
		}
		_, _, err := s.tasks.CreateOnce(ctx, key, tasks.SourceAutomationPrefix+a.ID, tasks.Input{
			Title: step.TaskTitle, MemberID: m.ID, DueAt: now.AddDate(0, 0, step.TaskDueDays),
		})
		return OutcomeDone, err
	}
	return "", errs.New(errs.Internal, "internal", "automations: unknown step kind "+string(step.Kind))
}

func (s *Service) sendEmail(ctx context.Context, m members.Member, step Step, key string, now time.Time) (string, error) {
	if len(m.Emails) == 0 {
		return OutcomeSkippedNoEmail, nil
	}
	if step.Purpose != "" {
		if s.consent == nil {
			return "", errs.New(errs.Unavailable, "consent_unavailable", "automations: no consent ledger")
		}
		st, err := s.consent.State(ctx, m.ID, step.Purpose, now)
		if err != nil {
			return "", err
		}
		if st.State != consent.StateGranted {
			return OutcomeSkippedNoConsent, nil
		}
	}
	mailer := s.getMailer()
	if mailer == nil {
		return "", errs.New(errs.Unavailable, "mailer_unavailable", "automations: no e-mail sender configured")
	}
	err := mailer.SendOnce(ctx, key, m, personalise(step.Subject, m), personalise(step.BodyMarkdown, m))
	if err != nil && errs.From(err).Code == MailUncertain {
		// An earlier attempt was cut off while the message was going out: it is not sent again
		// (it may have arrived); the sequence goes on and the history says so.
		return OutcomeUncertain, nil
	}
	if err != nil {
		return "", err
	}
	return OutcomeDone, nil
}

// retag adds or removes the step's tag (compared ignoring case and accents); doing it twice
// changes nothing.
func (s *Service) retag(ctx context.Context, m members.Member, step Step) error {
	want := textfold.Fold(step.Tag)
	tags := make([]string, 0, len(m.Tags)+1)
	has := false
	for _, t := range m.Tags {
		if textfold.Fold(t) == want {
			has = true
			if step.Kind == StepRemoveTag {
				continue
			}
		}
		tags = append(tags, t)
	}
	if has == (step.Kind == StepAddTag) {
		return nil
	}
	if step.Kind == StepAddTag {
		tags = append(tags, step.Tag)
	}
	_, err := s.members.Update(ctx, m.ID, members.Patch{Tags: &tags})
	if errors.Is(err, errs.NotFound) {
		return errMemberGone
	}
	return err
}

// markdownSpecial are the characters escaped in a member's name before it goes into Markdown.
var markdownSpecial = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "#", `\#`, "!", `\!`, "|", `\|`)

// personalise replaces "{{name}}" with the member's name (Markdown-escaped); without a name,
// the placeholder and the space before it go ("Hello {{name}}," becomes "Hello,").
func personalise(text string, m members.Member) string {
	if m.Name == "" {
		return strings.ReplaceAll(strings.ReplaceAll(text, " {{name}}", ""), "{{name}}", "")
	}
	return strings.ReplaceAll(text, "{{name}}", markdownSpecial.Replace(m.Name))
}
