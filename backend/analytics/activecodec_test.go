package analytics

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"hearth/backend/store"
)

// legacyActiveDays reads and writes the active records as JSON objects, as Hearth did before
// the compact layout.
var legacyActiveDays = &store.Collection[legacyActive]{Name: activeDays.Name}

func TestAWorkspaceOfCountersVersion7WithActiveRecordsAsJSONObjectsAnswersAsBeforeWithoutARebuild(t *testing.T) {
	f := newFixture(t, fixtureOptions)
	newCommunity(t, f)
	want := answersOf(t, f)
	ctx := context.Background()
	// Every active record written again as the JSON object an earlier Hearth wrote, and the
	// counters marked as that Hearth marked them (version 7: no deltas).
	rewritten := 0
	err := f.st.Update(ctx, func(tx *store.Tx) error {
		st, _, err := readState(tx)
		if err != nil {
			return err
		}
		st.Version = compatibleVersions[0]
		if _, err := store.Put(tx, states, stateID, st); err != nil {
			return err
		}
		return store.Scan(tx, activeDays, func(id string, r activeRecord, _ store.Meta) error {
			rewritten++
			_, err := store.Put(tx, legacyActiveDays, id, legacyActive(r))
			return err
		})
	})
	if err != nil || rewritten == 0 {
		t.Fatalf("rewriting %d active records as JSON objects: %v", rewritten, err)
	}
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	// A new process without the index's snapshot reads the rollup itself.
	if err := os.RemoveAll(filepath.Join(f.dir, "cache")); err != nil {
		t.Fatal(err)
	}
	f.open(t)
	if got := answersOf(t, f); got != want {
		t.Fatalf("from JSON object records:\n%s\nwant:\n%s", got, want)
	}
	checkCounters(t, f, "reading JSON object records")
	// Writes on top of them keep the counts right, and what they rewrite is compact.
	f.add(t, event{"eve@example.org", "reply", "2026-03-20T10:00:00+01:00", "forum"},
		event{"alice@example.org", "post", "2026-03-03T09:00:00+01:00", "forum"})
	checkCounters(t, f, "after writes on JSON object records")
	if st, _ := f.counterState(t); st.Version != counterVersion || st.Epoch != 0 {
		t.Errorf("counters after the first write: %+v, want version %d and no rebuild (epoch 0)", st, counterVersion)
	}
	if rep, err := f.st.Check(ctx); err != nil || !rep.OK {
		t.Fatalf("check: %+v, %v", rep.Findings, err)
	}
}

func TestActiveRecordsReadBackAsWritten(t *testing.T) {
	for _, r := range []activeRecord{
		{},
		{Members: []activeMember{{ID: "01JDQ6ZP3E5W1V7X9Y0B2C4D6F", Kinds: []string{"post", "reply"}, N: []int32{3, 1}}}},
		{Members: []activeMember{
			{ID: "01JDQ6ZP3E5W1V7X9Y0B2C4D6F", Kinds: []string{"join"}, N: []int32{1}},
			{ID: "01jdq6zp3e5w1v7x9y0b2c4d6g", Kinds: []string{"post"}, N: []int32{2}}, // not canonical: kept as text
			{ID: "imported-42", Kinds: []string{"reply", "post", "unknown-kind"}, N: []int32{1 << 20, 7, 2}},
		}},
	} {
		b, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var got activeRecord
		if err := got.UnmarshalJSON(b); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if len(r.Members) > 0 && !reflect.DeepEqual(got, r) {
			t.Errorf("read back %+v, want %+v", got, r)
		}
		if len(r.Members) == 0 && len(got.Members) != 0 {
			t.Errorf("an empty record read back as %+v", got)
		}
	}
}

func TestDamagedActiveRecordsAreErrorsNotCounts(t *testing.T) {
	r := activeRecord{Members: []activeMember{{ID: "01JDQ6ZP3E5W1V7X9Y0B2C4D6F", Kinds: []string{"post"}, N: []int32{3}}}}
	b, _ := r.MarshalJSON()
	for _, bad := range []string{`"`, `""`, `"AA=="`, string(b[:len(b)-4]) + `"`, strings.Replace(string(b), "A", "/", 1), `[1]`} {
		var got activeRecord
		if err := got.UnmarshalJSON([]byte(bad)); err == nil {
			t.Errorf("%s read as %+v, want an error", bad, got)
		}
	}
}

func FuzzActiveRecordLayout(f *testing.F) {
	r := activeRecord{Members: []activeMember{{ID: "01JDQ6ZP3E5W1V7X9Y0B2C4D6F", Kinds: []string{"post"}, N: []int32{3}}}}
	f.Add(r.appendBinary(nil))
	f.Add([]byte{activeFormat, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		var got activeRecord
		if err := got.decodeBinary(b); err != nil {
			return
		}
		var again activeRecord
		if err := again.decodeBinary(got.appendBinary(nil)); err != nil {
			t.Fatalf("%+v does not read back: %v", got, err)
		}
	})
}
