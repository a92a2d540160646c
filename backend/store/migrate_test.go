package store

import (
	"context"
	"errors"
	"testing"

	"hearth/backend/errs"
)

func recordingMigrations(ran *[]int, n int) []Migration {
	ms := make([]Migration, n)
	for i := range ms {
		v := i + 1
		ms[i] = Migration{Version: v, Name: "m", Up: func(ctx context.Context, s *Store) error {
			*ran = append(*ran, v)
			return s.Update(ctx, func(tx *Tx) error {
				_, err := Put(tx, notes, "m", note{Owner: "m", Title: string(rune('0' + v))})
				return err
			})
		}}
	}
	return ms
}

func TestMigrateRunsPendingMigrationsInOrderOnce(t *testing.T) {
	s, _ := newTestStore(t)
	var ran []int
	applied, err := s.Migrate(context.Background(), recordingMigrations(&ran, 2))
	if err != nil || len(applied) != 2 || ran[0] != 1 || ran[1] != 2 {
		t.Fatalf("applied %v ran %v err %v", applied, ran, err)
	}
	ran = nil
	applied, err = s.Migrate(context.Background(), recordingMigrations(&ran, 3))
	if err != nil || len(ran) != 1 || ran[0] != 3 || len(applied) != 1 {
		t.Fatalf("second run applied %v ran %v err %v, want only 3", applied, ran, err)
	}
	if v, _ := s.SchemaVersion(); v != 3 {
		t.Fatalf("schema version %d, want 3", v)
	}
}

func TestMigrateRefusesAWorkspaceFromANewerHearth(t *testing.T) {
	s, _ := newTestStore(t)
	var ran []int
	if _, err := s.Migrate(context.Background(), recordingMigrations(&ran, 3)); err != nil {
		t.Fatal(err)
	}
	_, err := s.Migrate(context.Background(), recordingMigrations(&ran, 2))
	if !errors.Is(err, errs.Unavailable) || errs.From(err).Code != "workspace_too_new" {
		t.Fatalf("got %v, want workspace_too_new", err)
	}
}

func TestAFailedMigrationKeepsTheOldVersionAndRunsAgainNextTime(t *testing.T) {
	s, _ := newTestStore(t)
	boom := errors.New("disk full")
	failing := []Migration{{Version: 1, Name: "breaks", Up: func(context.Context, *Store) error { return boom }}}
	if _, err := s.Migrate(context.Background(), failing); !errors.Is(err, boom) {
		t.Fatalf("got %v, want the migration's error", err)
	}
	if v, _ := s.SchemaVersion(); v != 0 {
		t.Fatalf("version %d after a failed migration, want 0", v)
	}
	var ran []int
	if _, err := s.Migrate(context.Background(), recordingMigrations(&ran, 1)); err != nil || len(ran) != 1 {
		t.Fatalf("retry ran %v, err %v", ran, err)
	}
}

func TestMigrationsMustBeNumberedFromOne(t *testing.T) {
	s, _ := newTestStore(t)
	_, err := s.Migrate(context.Background(), []Migration{{Version: 2, Name: "gap", Up: func(context.Context, *Store) error { return nil }}})
	if err == nil {
		t.Fatal("a gap in migration versions was accepted")
	}
}
