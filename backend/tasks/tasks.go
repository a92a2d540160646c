// Package tasks keeps the community manager's to-do list: reminders to follow up with a member,
// to prepare an event, each with an optional due date.
//
// The contract: a task names a member by id only (MemberID), never copies their data, and is
// sealed with that member's data key; erasing a member deletes the tasks about them
// (ForgetMember, inside the erasure's transaction) and shreds every older version. Automations
// create tasks through CreateOnce with an idempotency key, so a step replayed after a crash never
// makes a second task. Notify hands out each due task once, ever: the moment it was announced is
// stored with the task, so a restart does not announce it again. Every change emits
// EventChanged; Notify emits EventDue with the tasks that just became due.
package tasks

import (
	"context"
	"strings"
	"time"

	"hearth/backend/store"
)

// Events emitted through the notifier.
const (
	// EventChanged is emitted with a ChangedEvent after tasks are created, edited, completed
	// or deleted.
	EventChanged = "tasks:changed"
	// EventDue is emitted with the []Task that just became due, for desktop notifications.
	EventDue = "tasks:due"
)

// ChangedEvent names the tasks that changed.
type ChangedEvent struct {
	IDs []string `json:"ids"`
}

// Source values: who created a task.
const (
	SourceManual = "manual"
	// SourceAutomationPrefix is followed by the automation's id ("automation:welcome").
	SourceAutomationPrefix = "automation:"
)

// Task is one reminder of the manager's.
type Task struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Notes string `json:"notes"`
	// MemberID is the member the task is about, if any.
	MemberID string `json:"memberId"`
	// DueAt is when the task is due; zero for "someday".
	DueAt     time.Time `json:"dueAt,omitzero"`
	Done      bool      `json:"done"`
	DoneAt    time.Time `json:"doneAt,omitzero"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
	// Source is "manual" or "automation:<id>".
	Source string `json:"source"`
	// Key is the idempotency key of a task made by CreateOnce ("" for manual tasks).
	Key string `json:"key,omitempty"`
	// NotifiedAt is when Notify announced the task as due; zero until then.
	NotifiedAt time.Time `json:"notifiedAt,omitzero"`
}

// Input is what a caller sends to create or edit a task.
type Input struct {
	Title    string    `json:"title" validate:"required,max=200"`
	Notes    string    `json:"notes" validate:"max=20000"`
	MemberID string    `json:"memberId" validate:"max=64"`
	DueAt    time.Time `json:"dueAt"`
}

func (in Input) normalize() Input {
	in.Title = strings.Join(strings.Fields(in.Title), " ")
	in.Notes = strings.TrimSpace(in.Notes)
	in.MemberID = strings.TrimSpace(in.MemberID)
	if !in.DueAt.IsZero() {
		in.DueAt = in.DueAt.UTC()
	}
	return in
}

// Filter selects tasks in List.
type Filter string

// The filters.
const (
	// FilterOpen keeps tasks not done yet (the default).
	FilterOpen Filter = "open"
	// FilterDue keeps open tasks due by the end of the current day, overdue ones included:
	// what the dashboard shows.
	FilterDue Filter = "due"
	// FilterOverdue keeps open tasks whose due time has passed.
	FilterOverdue Filter = "overdue"
	// FilterDone keeps completed tasks, most recently completed first.
	FilterDone Filter = "done"
	// FilterAll keeps every task.
	FilterAll Filter = "all"
)

// ownSubject is the sealing subject of a task about nobody: a key of its own, so that when the
// task comes to name a member, erasing the member can shred the versions written before
// (ForgetMember, store.Tx.ShredSubject).
func ownSubject(id string) string { return "task:" + id }

// collection holds tasks. A task about a member is sealed with the member's data key, since its
// title and notes may describe the person; a task about nobody with a key of its own. Erasing
// the member deletes the task (ForgetMember) and destroys both keys, which shreds every version
// of it still in the workspace files. Migration 3 (Rewrite) sealed the tasks of workspaces made
// before.
var collection = &store.Collection[Task]{
	Name: "task",
	Subject: func(t Task) string {
		if t.MemberID == "" {
			return ownSubject(t.ID)
		}
		return t.MemberID
	},
	Indexes: []store.Index[Task]{
		{Name: "member", Values: func(t Task) []string { return []string{t.MemberID} }},
		{Name: "key", Unique: true, Values: func(t Task) []string { return []string{t.Key} }},
	},
}

// Rewrite seals every stored task with the data key of the member it is about, for schema
// migration 3. Safe to rerun.
func Rewrite(ctx context.Context, s *store.Store) error { return store.Rewrite(ctx, s, collection) }
