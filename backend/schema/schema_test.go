package schema

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/members"
	"hearth/backend/store"
	"hearth/backend/tasks"
)

// v1Member is how the first release stored members: in clear, e-mails indexed in clear.
type v1Member struct {
	ID      string           `json:"id"`
	Name    string           `json:"name"`
	Emails  []string         `json:"emails"`
	Handles []members.Handle `json:"handles"`
	Tags    []string         `json:"tags"`
}

var v1Collection = &store.Collection[v1Member]{
	Name: "member",
	Indexes: []store.Index[v1Member]{
		{Name: "email", Unique: true, Values: func(m v1Member) []string { return []string{strings.ToLower(m.Emails[0])} }},
		{Name: "tag", Values: func(m v1Member) []string { return m.Tags }},
	},
}

func TestVersion2SealsMembersWrittenByTheFirstRelease(t *testing.T) {
	dir := t.TempDir()
	opts := store.Options{Dir: filepath.Join(dir, "db"), KeyringPath: filepath.Join(dir, "keyring"), GCInterval: -1}
	st, err := store.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(context.Background(), Migrations()[:1]); err != nil {
		t.Fatal(err)
	}
	old := v1Member{ID: "01OLD", Name: "Hélène Dupont", Emails: []string{"Helene@example.org"},
		Handles: []members.Handle{{Platform: "discord", Handle: "helene"}}, Tags: []string{"paris"}}
	err = st.Update(context.Background(), func(tx *store.Tx) error { _, err := store.Put(tx, v1Collection, old.ID, old); return err })
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st, err = store.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	applied, err := st.Migrate(context.Background(), Migrations())
	if err != nil || len(applied) != len(Migrations())-1 || applied[0] != 2 {
		t.Fatalf("applied %v, err %v", applied, err)
	}
	svc := members.NewService(st, clock.NewManual(time.Now()), nil)
	m, err := svc.Find(context.Background(), "HELENE@example.org")
	if err != nil || m.Name != "Hélène Dupont" || m.Tags[0] != "paris" {
		t.Fatalf("after migration: %+v %v", m, err)
	}
	// The new handle index exists: the same Discord handle cannot be given to someone else.
	_, err = svc.Create(context.Background(), members.CreateInput{Name: "Other", Handles: []members.Handle{{Platform: "discord", Handle: "HELENE"}}})
	if err == nil {
		t.Fatal("a second member took an existing Discord handle")
	}
	p, err := svc.List(context.Background(), members.ListQuery{Search: "helene"})
	if err != nil || p.Total != 1 {
		t.Fatalf("search after migration: %+v %v", p, err)
	}
}

// v2Task is how tasks were stored before version 3: in clear.
type v2Task struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Notes    string `json:"notes"`
	MemberID string `json:"memberId"`
	Source   string `json:"source"`
	Key      string `json:"key,omitempty"`
}

var v2Tasks = &store.Collection[v2Task]{
	Name: "task",
	Indexes: []store.Index[v2Task]{
		{Name: "member", Values: func(t v2Task) []string { return []string{t.MemberID} }},
		{Name: "key", Unique: true, Values: func(t v2Task) []string { return []string{t.Key} }},
	},
}

func TestVersion3SealsTasksSoThatErasingTheirMemberShredsThem(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	opts := store.Options{Dir: filepath.Join(dir, "db"), KeyringPath: filepath.Join(dir, "keyring"), GCInterval: -1}
	st, err := store.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(ctx, Migrations()[:2]); err != nil {
		t.Fatal(err)
	}
	clk := clock.NewManual(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	m, err := members.NewService(st, clk, nil).Create(ctx, members.CreateInput{Name: "Odile", Emails: []string{"odile@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		for _, v := range []v2Task{
			{ID: "01TASKA", Title: "Rappeler Odile", Notes: "allergique aux arachides", MemberID: m.ID, Source: "manual"},
			{ID: "01TASKB", Title: "Réserver la salle", Source: "automation:x", Key: "k1"},
		} {
			if _, err := store.Put(tx, v2Tasks, v.ID, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st, err = store.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if applied, err := st.Migrate(ctx, Migrations()); err != nil || !slices.Equal(applied, []int{3}) {
		t.Fatalf("applied %v, err %v", applied, err)
	}
	ts := tasks.NewService(st, clk, nil)
	got, err := ts.ForMember(ctx, m.ID)
	if err != nil || len(got) != 1 || got[0].Notes != "allergique aux arachides" {
		t.Fatalf("the member's tasks after migration: %+v %v", got, err)
	}
	if _, created, err := ts.CreateOnce(ctx, "k1", "automation:x", tasks.Input{Title: "again"}); err != nil || created {
		t.Fatalf("the key index after migration: created %v, %v", created, err)
	}
	// The task now reads with the member's key: once destroyed, it reads as gone.
	err = st.EraseSubjects(ctx, []string{m.ID}, func(*store.Tx) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ts.ForMember(ctx, m.ID); err != nil || len(got) != 0 {
		t.Fatalf("the member's tasks after their key was destroyed: %+v %v", got, err)
	}
	if all, err := ts.List(ctx, tasks.FilterAll); err != nil || len(all) != 1 || all[0].Title != "Réserver la salle" {
		t.Fatalf("tasks about nobody: %+v %v", all, err)
	}
}
