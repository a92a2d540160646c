package app

import (
	"context"
	"path/filepath"
	"slices"
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

	mu      sync.Mutex
	jobs    map[string]*importJob
	started int
}

type importJob struct {
	cancel context.CancelFunc
	header []string
	file   importer.RejectedFile // how to write the rejected rows: like the source file
	// rejected holds the rows the import did not take on disk until the person saves them
	// (two million bad rows must not be held in memory); nil when it could not be created.
	rejected *importer.RejectedSpool
	seq      int // order of start
	done     bool
}

// keptSpools is how many finished jobs keep their rejected rows for SaveRejected: each holds
// a temporary file open.
const keptSpools = 8

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
	job.rejected, _ = importer.NewRejectedSpool() // without one, SaveRejected says so
	s.mu.Lock()
	s.started++
	job.seq = s.started
	if _, taken := s.jobs[id]; taken {
		s.mu.Unlock()
		cancel()
		if job.rejected != nil {
			_ = job.rejected.Close()
		}
		return "", errs.New(errs.Conflict, "job_exists", "app: import job "+id+" exists already")
	}
	s.jobs[id] = job
	s.dropOldSpoolsLocked()
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
		var keep func(importer.Rejected)
		if job.rejected != nil {
			keep = job.rejected.Add
		}
		sum, err := s.imports.Run(ctx, req, progress, keep)
		sum.JobID = id
		if err != nil {
			// The batches written are in the summary; the reason it stopped comes last.
			e := errs.From(err)
			sum.Errors = append(sum.Errors, imports.RowError{Reason: e.Code, Message: e.Error(), Params: e.Params})
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
	s.mu.Unlock()
	if !ok || job.rejected == nil {
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
	if err := job.rejected.Save(path, job.file, job.header); err != nil {
		return "", err
	}
	return path, nil
}

// dropOldSpoolsLocked discards the rejected rows of the oldest finished jobs beyond
// keptSpools. s.mu is held.
func (s *ImportService) dropOldSpoolsLocked() {
	var done []string
	for id, j := range s.jobs {
		if j.done && j.rejected != nil {
			done = append(done, id)
		}
	}
	if len(done) <= keptSpools {
		return
	}
	slices.SortFunc(done, func(a, b string) int { return s.jobs[a].seq - s.jobs[b].seq })
	for _, id := range done[:len(done)-keptSpools] {
		_ = s.jobs[id].rejected.Close()
		delete(s.jobs, id)
	}
}
