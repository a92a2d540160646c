package analytics

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"hearth/backend/members"
	"hearth/backend/store"
)

// legacyWordCollection reads and writes word records as the JSON objects Hearth wrote before the
// compact layout, sealed and indexed as they are.
var legacyWordCollection = &store.Collection[legacyWordRecord]{
	Name:    wordCounters.Name,
	Subject: func(r legacyWordRecord) string { return wordCounters.Subject(wordRecord(r)) },
	Indexes: []store.Index[legacyWordRecord]{{Name: "member", Values: func(r legacyWordRecord) []string { return []string{r.Owner} }}},
}

func TestWordRecordsWrittenAsJSONObjectsGiveTheSameRisingTopics(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	ctx := context.Background()
	for i := range 4 {
		f.member(t, members.CreateInput{Name: fmt.Sprint("W", i), Emails: []string{fmt.Sprintf("w%d@example.org", i)}})
	}
	if err := f.svc.ensure(ctx); err != nil {
		t.Fatal(err)
	}
	var evs []event
	for i := range 40 { // sampleTexts by minute: words about the export, the meetup, the workshop
		evs = append(evs, event{fmt.Sprintf("w%d@example.org", i%4), "post", fmt.Sprintf("2026-03-%02dT10:%02d:00+01:00", 1+i%28, i), "forum"})
	}
	f.addLive(t, evs)
	want := answersOf(t, f)
	if k := f.marchKPIs(t); len(k.RisingTopics) == 0 {
		t.Fatal("the fixture has no rising topics: the test wants words")
	}
	rewritten := 0
	err := f.st.Update(ctx, func(tx *store.Tx) error {
		return store.Scan(tx, wordCounters, func(id string, r wordRecord, _ store.Meta) error {
			rewritten++
			// Put reads the version it replaces, which the legacy type cannot: it replaces none.
			if _, err := store.Delete(tx, wordCounters, id); err != nil {
				return err
			}
			_, err := store.Put(tx, legacyWordCollection, id, legacyWordRecord(r))
			return err
		})
	})
	if err != nil || rewritten == 0 {
		t.Fatalf("rewriting %d word records as JSON objects: %v", rewritten, err)
	}
	freshProcess(t, f)
	if got := answersOf(t, f); got != want {
		t.Fatalf("from JSON object word records:\n%s\nwant:\n%s", got, want)
	}
	// Writes on top of them, and what a new process reads of both.
	f.addLive(t, []event{{"w1@example.org", "reply", "2026-03-20T11:07:00+01:00", "forum"}})
	want = answersOf(t, f)
	freshProcess(t, f)
	if got := answersOf(t, f); got != want {
		t.Fatalf("after writes on JSON object word records, a new process:\n%s\nthe writing one:\n%s", got, want)
	}
	if rep, err := f.st.Check(ctx); err != nil || !rep.OK {
		t.Fatalf("check: %+v, %v", rep.Findings, err)
	}
}

func TestWordRecordsReadBackAsWritten(t *testing.T) {
	for _, r := range []wordRecord{
		{Month: "2026-03", Days: map[int32]map[string]int{}},
		{Owner: "01JDQ6ZP3E5W1V7X9Y0B2C4D6F", Month: "2026-03", Days: map[int32]map[string]int{
			civil(2026, 3, 1): {"export": 2, "atelier": 1}, civil(2026, 3, 31): {"événement": -1}, -3: {}}},
	} {
		b, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var got wordRecord
		if err := got.UnmarshalJSON(b); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if !reflect.DeepEqual(got, r) {
			t.Errorf("read back %+v, want %+v", got, r)
		}
	}
}

func FuzzWordRecordLayout(f *testing.F) {
	r := wordRecord{Owner: "x", Month: "2026-03", Days: map[int32]map[string]int{4: {"export": 2}}}
	f.Add(r.appendBinary(nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		var got wordRecord
		if err := got.decodeBinary(b); err != nil {
			return
		}
		var again wordRecord
		if err := again.decodeBinary(got.appendBinary(nil)); err != nil || !reflect.DeepEqual(again, got) {
			t.Fatalf("%+v does not read back: %+v, %v", got, again, err)
		}
	})
}
