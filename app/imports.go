package app

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"hearth/backend/errs"
	"hearth/backend/importer"
	"hearth/backend/imports"
	"hearth/backend/notify"
)

// ImportService runs imports for the window as background jobs: Start returns a job id at once,
// progress arrives as "import:progress:<id>" events (at most every 100 ms), the summary as
// "import:done:<id>", and Cancel stops the job between batches.
type ImportService struct {
	calls
	imports *imports.Service
	newID   func() string
	events  notify.Notifier
	dialogs Dialogs

	mu   sync.Mutex
	jobs map[string]*importJob
}

type importJob struct {
	cancel   context.CancelFunc
	header   []string
	file     importer.RejectedFile // how to write the rejected rows: like the source file
	rejected []importer.Rejected
	done     bool
}

// NewImportService binds imports for the window; newID names a job the window did not name
// (the store's NewID).
func NewImportService(im *imports.Service, newID func() string, win *Window) *ImportService {
	return &ImportService{imports: im, newID: newID, events: win, dialogs: win, jobs: map[string]*importJob{}}
}

// ChooseFile asks for the file to import; "" when the person cancels.
func (s *ImportService) ChooseFile() (string, error) {
	return s.dialogs.OpenFile("Import", FileFilter{Name: "CSV, Excel", Pattern: "*.csv;*.tsv;*.txt;*.xlsx"})
}

// Preview shows how the file will be read.
func (s *ImportService) Preview(req imports.Request) (imports.Preview, error) {
	return s.imports.Preview(req)
}

// Start begins importing (or, with DryRun, counting) in the background and returns the job id.
func (s *ImportService) Start(req imports.Request) (string, error) {
	p, err := s.imports.Preview(req) // fails fast on an unreadable file or a bad mapping
	if err != nil {
		return "", err
	}
	id := req.JobID
	if id == "" || len(id) > 64 {
		id = s.newID()
	}
	ctx, cancel := context.WithCancel(s.ctx())
	job := &importJob{cancel: cancel, header: p.Header, file: p.RejectedFile(req.Lang)}
	s.mu.Lock()
	if _, taken := s.jobs[id]; taken {
		s.mu.Unlock()
		cancel()
		return "", errs.New(errs.Conflict, "job_exists", "app: import job "+id+" exists already")
	}
	s.jobs[id] = job
	s.mu.Unlock()
	go func() {
		defer cancel()
		var last time.Time
		progress := func(pr imports.Progress) {
			if time.Since(last) >= 100*time.Millisecond || pr.Fraction >= 1 {
				last = time.Now()
				s.events.Emit(EventImportProgress+id, pr)
			}
		}
		keep := func(r importer.Rejected) {
			s.mu.Lock()
			job.rejected = append(job.rejected, r)
			s.mu.Unlock()
		}
		sum, err := s.imports.Run(ctx, req, progress, keep)
		sum.JobID = id
		if err != nil {
			e := errs.From(err)
			sum.Errors = append(sum.Errors, imports.RowError{Reason: e.Code, Message: e.Error()})
		}
		s.mu.Lock()
		job.done = true
		s.mu.Unlock()
		s.events.Emit(EventImportDone+id, sum)
	}()
	return id, nil
}

// Cancel stops a running import between batches; what was written stays written (and a later
// run of the same file completes it).
func (s *ImportService) Cancel(jobID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	job, ok := s.jobs[jobID]
	if !ok {
		return errs.New(errs.NotFound, "job_not_found", "app: no import job "+jobID)
	}
	job.cancel()
	return nil
}

// SaveRejected asks where to save the job's rejected rows (with a last column saying why, in
// the language of the import's request), in the source file's format, delimiter and encoding,
// readable by its owner only, so they can be fixed and imported again; it returns the path, or
// "" when the person cancels.
func (s *ImportService) SaveRejected(jobID string) (string, error) {
	s.mu.Lock()
	job, ok := s.jobs[jobID]
	var rows []importer.Rejected
	if ok {
		rows = append(rows, job.rejected...)
	}
	s.mu.Unlock()
	if !ok {
		return "", errs.New(errs.NotFound, "job_not_found", "app: no import job "+jobID)
	}
	format := job.file.Format
	path, err := s.dialogs.SaveFile("Rejected rows", "rejected."+format, FileFilter{Name: strings.ToUpper(format), Pattern: "*." + format})
	if err != nil || path == "" {
		return "", err
	}
	if filepath.Ext(path) == "" {
		path += "." + format
	}
	if err := importer.SaveRejected(path, job.file, job.header, rows); err != nil {
		return "", err
	}
	return path, nil
}
