package schema

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/members"
	"hearth/backend/store"
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
	if err != nil || len(applied) != 1 || applied[0] != 2 {
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
