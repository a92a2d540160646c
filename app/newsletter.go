package app

import (
	"context"
	"sync"
	"time"

	"hearth/backend/errs"
	"hearth/backend/newsletter"
	"hearth/backend/notify"
	"hearth/backend/scheduler"
	"hearth/backend/wiring"
)

// NewsletterService is the newsletter screens' door to the backend. Send runs in the background:
// it returns the newsletter id at once, progress arrives as "newsletter:progress:<id>" events
// (at most every 100 ms, and after the last message), the final Progress as
// "newsletter:done:<id>" (followed by "newsletter:changed"), and Cancel stops it between
// messages; sending again resumes without resending.
type NewsletterService struct {
	calls
	news   *newsletter.Service
	sched  *scheduler.Scheduler
	events notify.Notifier

	mu   sync.Mutex
	jobs map[string]context.CancelFunc
}

// NewNewsletterService binds news for the window; sched is the scheduler that reads the reply
// mailbox by itself.
func NewNewsletterService(news *newsletter.Service, sched *scheduler.Scheduler, win *Window) *NewsletterService {
	return &NewsletterService{news: news, sched: sched, events: win, jobs: map[string]context.CancelFunc{}}
}

// List returns every newsletter, newest first.
func (s *NewsletterService) List() ([]newsletter.Newsletter, error) {
	return s.news.List(s.ctx())
}

// Get returns one newsletter.
func (s *NewsletterService) Get(id string) (newsletter.Newsletter, error) {
	return s.news.Get(s.ctx(), id)
}

// Save creates (empty id) or edits a draft.
func (s *NewsletterService) Save(in newsletter.Input) (newsletter.Newsletter, error) {
	return s.news.Save(s.ctx(), in)
}

// Delete removes a draft.
func (s *NewsletterService) Delete(id string) error { return s.news.Delete(s.ctx(), id) }

// Preview renders the newsletter as the member would receive it ("" = nobody in particular:
// fallbacks shown). The HTML is sanitised.
func (s *NewsletterService) Preview(id, memberID string) (newsletter.Rendered, error) {
	return s.news.Preview(s.ctx(), id, memberID)
}

// Plan says who a send would reach and who is excluded (no consent, suppressed, no e-mail).
func (s *NewsletterService) Plan(id string) (newsletter.Plan, error) {
	return s.news.Plan(s.ctx(), id)
}

// Send starts sending in the background and returns the newsletter id (the job id). Recipients
// an interrupted send left uncertain are not sent again (ResendUncertain does).
func (s *NewsletterService) Send(id string) (string, error) {
	return s.start(id, newsletter.SendOptions{})
}

// ResendUncertain starts a send, like Send, that also sends again to the recipients an
// interrupted send left uncertain (counts.uncertain), once the manager has confirmed it: some of
// them may get the newsletter twice. It works on a sent newsletter that has uncertain recipients.
func (s *NewsletterService) ResendUncertain(id string) (string, error) {
	return s.start(id, newsletter.SendOptions{ResendUncertain: true})
}

func (s *NewsletterService) start(id string, opts newsletter.SendOptions) (string, error) {
	n, err := s.news.Get(s.ctx(), id)
	if err != nil {
		return "", err
	}
	if n.Status == newsletter.StatusSent && !(opts.ResendUncertain && n.Counts.Uncertain > 0) {
		return "", errs.New(errs.Conflict, "newsletter_already_sent", "app: newsletter "+id+" was sent already")
	}
	ctx, cancel := context.WithCancel(s.ctx())
	s.mu.Lock()
	if _, running := s.jobs[id]; running {
		s.mu.Unlock()
		cancel()
		return "", errs.New(errs.Conflict, "newsletter_sending", "app: newsletter "+id+" is being sent already")
	}
	s.jobs[id] = cancel
	s.mu.Unlock()
	go func() {
		// The job is let go of before the done event: a window that hears "done" and at once
		// sends again, resends the uncertain or cancels must find no send running.
		release := sync.OnceFunc(func() {
			cancel()
			s.mu.Lock()
			delete(s.jobs, id)
			s.mu.Unlock()
		})
		defer release()
		var last time.Time
		var final newsletter.Progress
		progress := func(p newsletter.Progress) {
			final = p
			if time.Since(last) >= 100*time.Millisecond || p.Done == p.Total {
				last = time.Now()
				s.events.Emit(EventNewsletterProgress+id, p)
			}
		}
		n, err := s.news.SendWith(ctx, id, opts, progress)
		final.NewsletterID = id
		final.Sent, final.FailedTemp, final.FailedPerm, final.Uncertain = n.Counts.Sent, n.Counts.FailedTemp,
			n.Counts.FailedPerm, n.Counts.Uncertain
		release()
		s.events.Emit(EventNewsletterDone+id, NewsletterDone{Progress: final, Status: n.Status, Counts: n.Counts, Error: errs.From(err)})
	}()
	return id, nil
}

// Cancel stops a running send between messages; Send resumes it later.
func (s *NewsletterService) Cancel(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cancel, ok := s.jobs[id]
	if !ok {
		return errs.New(errs.NotFound, "job_not_found", "app: no send running for newsletter "+id)
	}
	cancel()
	return nil
}

// TestSend sends the newsletter once to the given address (the person's own).
func (s *NewsletterService) TestSend(id, to string) error {
	return s.news.TestSend(s.ctx(), id, to)
}

// Settings returns the outgoing mail settings: passwordSet, never the password.
func (s *NewsletterService) Settings() (newsletter.SMTPSettings, error) {
	return s.news.Settings(s.ctx())
}

// SaveSettings replaces the outgoing mail settings (a null password keeps the stored one).
func (s *NewsletterService) SaveSettings(in newsletter.SMTPInput) (newsletter.SMTPSettings, error) {
	return s.news.SaveSettings(s.ctx(), in)
}

// MailboxSettings returns the settings of the mailbox replies and bounces are read from:
// passwordSet, never the password.
func (s *NewsletterService) MailboxSettings() (newsletter.IMAPSettings, error) {
	return s.news.IMAPSettings(s.ctx())
}

// SaveMailboxSettings replaces the reply mailbox settings (a null password keeps the stored
// one, "" removes it; an empty host turns reading replies off).
func (s *NewsletterService) SaveMailboxSettings(in newsletter.IMAPInput) (newsletter.IMAPSettings, error) {
	return s.news.SaveIMAPSettings(s.ctx(), in)
}

// CheckMailbox reads the reply mailbox once, as `hearth newsletter replies` and the scheduler
// do: unsubscribe requests withdraw newsletter consent, hard bounces suppress the address,
// automatic answers change nothing. It answers what was done.
func (s *NewsletterService) CheckMailbox() (newsletter.ReplySummary, error) {
	return s.news.ProcessReplies(s.ctx())
}

// MailboxReading is when the scheduler last read the reply mailbox by itself, and the error
// that stopped that reading (absent when it went well).
type MailboxReading struct {
	// At is when the last reading ended; absent before the first.
	At    time.Time   `json:"at,omitzero"`
	Error *errs.Error `json:"error,omitempty"`
}

// MailboxLastCheck says when the reply mailbox was last read by itself (the scheduler does it
// every 15 minutes while the window is open) and how it went.
func (s *NewsletterService) MailboxLastCheck() (MailboxReading, error) {
	jobs, err := s.sched.Jobs(s.ctx())
	if err != nil {
		return MailboxReading{}, err
	}
	for _, j := range jobs {
		if j.Name == wiring.JobNewsletterReplies {
			return MailboxReading{At: j.LastFinishedAt, Error: j.LastError}, nil
		}
	}
	return MailboxReading{}, errs.New(errs.NotFound, "job_not_found", "app: no job "+wiring.JobNewsletterReplies)
}
