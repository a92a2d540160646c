package app

import (
	"hearth/backend/tasks"
)

// TasksService is the tasks list's and the dashboard's door to the backend.
type TasksService struct {
	calls
	tasks *tasks.Service
}

// NewTasksService binds t for the window.
func NewTasksService(t *tasks.Service) *TasksService { return &TasksService{tasks: t} }

// List returns the tasks a filter selects ("open", "due", "overdue", "done", "all").
func (s *TasksService) List(filter tasks.Filter) ([]tasks.Task, error) {
	return s.tasks.List(s.ctx(), filter)
}

// ForMember returns the tasks about one member.
func (s *TasksService) ForMember(memberID string) ([]tasks.Task, error) {
	return s.tasks.ForMember(s.ctx(), memberID)
}

// Save creates a task (empty id) or edits one.
func (s *TasksService) Save(id string, in tasks.Input) (tasks.Task, error) {
	if id == "" {
		return s.tasks.Create(s.ctx(), in)
	}
	return s.tasks.Update(s.ctx(), id, in)
}

// Create adds a task.
func (s *TasksService) Create(in tasks.Input) (tasks.Task, error) {
	return s.tasks.Create(s.ctx(), in)
}

// Update edits a task.
func (s *TasksService) Update(id string, in tasks.Input) (tasks.Task, error) {
	return s.tasks.Update(s.ctx(), id, in)
}

// Complete marks a task done, or open again with done false (the undo).
func (s *TasksService) Complete(id string, done bool) (tasks.Task, error) {
	return s.tasks.Complete(s.ctx(), id, done)
}

// Delete deletes a task and returns it, for undo.
func (s *TasksService) Delete(id string) (tasks.Task, error) {
	return s.tasks.Delete(s.ctx(), id)
}

// Restore undoes a Delete.
func (s *TasksService) Restore(t tasks.Task) (tasks.Task, error) {
	return s.tasks.Restore(s.ctx(), t)
}
