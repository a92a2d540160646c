package analytics

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/internal/bytescan"
	"hearth/backend/members"
	"hearth/backend/store"
)

func TestMoodOfReadsFrenchAndEnglishWithNegations(t *testing.T) {
	cases := []struct {
		title, text string
		want        Mood
	}{
		{"", "Super atelier, merci à tous !", Positive},                // super +1, merci +1
		{"", "Ce n'est pas bien du tout.", Negative},                   // "pas" turns "bien" around: -1
		{"", "Pas mal du tout, ce Meetup", Positive},                   // "pas mal": +1
		{"", "This is not good: the export crashed again.", Negative},  // not good -1, crashed -1
		{"Not bad", "", Positive},                                      // not bad: +1
		{"", "Great meetup but the wifi was awful and slow", Negative}, // great +1, awful -1, slow -1
		{"", "Question sur l'export CSV", Neutral},                     // no lexicon word
		{"GÉNIAL", "Très déçu par le problème", Negative},              // génial +1, déçu -1, problème -1
		{"", "I love it, thanks! Never had a problem.", Positive},      // love +1, thanks +1, never problem +1
		{"", "", Neutral},
	}
	for _, c := range cases {
		if got := MoodOf(c.title, c.text); got != c.want {
			t.Errorf("MoodOf(%q, %q) = %d, want %d", c.title, c.text, got, c.want)
		}
	}
}

func TestKeywordsOfKeepsDistinctSignificantFoldedWords(t *testing.T) {
	got := KeywordsOf("Export CSV cassé", "L'export des événements ne marche pas, the export is broken in 2026")
	want := []string{"export", "csv", "casse", "evenements", "marche", "broken"}
	if !slices.Equal(got, want) {
		t.Fatalf("KeywordsOf = %q, want %q", got, want)
	}
}

// textEvent is an activity with text.
type textEvent struct {
	who, at, text string
}

func (f *fixture) addText(t *testing.T, evs ...textEvent) {
	t.Helper()
	ins := make([]activity.ManualInput, len(evs))
	for i, e := range evs {
		at, err := time.Parse(time.RFC3339, e.at)
		if err != nil {
			t.Fatal(err)
		}
		ins[i] = activity.ManualInput{Member: e.who, Kind: activity.Post, At: at, Channel: "forum", Text: e.text}
	}
	if _, err := f.activity.AddManual(context.Background(), ins); err != nil {
		t.Fatal(err)
	}
}

func TestSentimentAndRisingTopicsOfARange(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	f.member(t, members.CreateInput{Name: "Ana", Emails: []string{"ana@example.org"}})
	f.member(t, members.CreateInput{Name: "Bob", Emails: []string{"bob@example.org"}})
	if err := f.svc.ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.addText(t,
		// The previous period, 2026-03-01 to 03-07: "webinar" twice, "export" once.
		textEvent{"ana@example.org", "2026-03-02T10:00:00+01:00", "Webinar export"},
		textEvent{"bob@example.org", "2026-03-03T10:00:00+01:00", "Webinar replay"},
		// The range, 2026-03-08 to 03-14.
		textEvent{"ana@example.org", "2026-03-08T10:00:00+01:00", "Super webinar, merci"},        // positive
		textEvent{"bob@example.org", "2026-03-08T23:30:00+01:00", "L'export ne marche pas, nul"}, // negative
		textEvent{"ana@example.org", "2026-03-09T10:00:00+01:00", "Export bug again, not good"},  // negative
		textEvent{"bob@example.org", "2026-03-10T10:00:00+01:00", "Export question"},             // neutral
		textEvent{"ana@example.org", "2026-03-11T10:00:00+01:00", "Great webinar about export"},  // positive
		textEvent{"bob@example.org", "2026-03-12T10:00:00+01:00", "Thanks, webinar was perfect"}, // positive
		textEvent{"ana@example.org", "2026-03-13T10:00:00+01:00", "Webinar"},                     // neutral
	)
	k := f.kpis(t, time.Date(2026, 3, 8, 0, 0, 0, 0, paris), time.Date(2026, 3, 15, 0, 0, 0, 0, paris))
	s := k.Sentiment
	if s.Positive != 3 || s.Negative != 2 || s.Neutral != 2 || !near(s.Score, 0.2) {
		t.Fatalf("sentiment = %+v, want 3 positive, 2 negative, 2 neutral, score 0.2", s)
	}
	if len(s.Daily) != 7 || s.Daily[0] != (SentimentDay{Day: "2026-03-08", Positive: 1, Negative: 1}) {
		t.Fatalf("daily sentiment = %+v", s.Daily)
	}
	// export: 4 now, 1 before: +300%; webinar: 4 now, 2 before: +100%; "marche", "bug"…: under 3.
	want := []RisingTopic{{Word: "export", Count: 4, Previous: 1, Change: 3}, {Word: "webinar", Count: 4, Previous: 2, Change: 1}}
	if !reflect.DeepEqual(k.RisingTopics, want) {
		t.Fatalf("rising topics = %+v, want %+v", k.RisingTopics, want)
	}
	if p := k.Previous; p.Sentiment.Neutral != 2 || len(p.RisingTopics) != 0 {
		t.Fatalf("previous sentiment = %+v, rising %+v", p.Sentiment, p.RisingTopics)
	}
}

// recomputeWords counts every record's keywords from scratch.
func recomputeWords(t *testing.T, f *fixture) map[int32]map[string]int32 {
	t.Helper()
	out := map[int32]map[string]int32{}
	err := f.activity.Scan(context.Background(), time.Time{}, func(r activity.Record) error {
		d := dayOf(r.At, f.svc.o.Zone)
		for _, w := range KeywordsOf(r.Title, r.Text) {
			if out[d] == nil {
				out[d] = map[string]int32{}
			}
			out[d][w]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func checkWords(t *testing.T, f *fixture, when string) {
	t.Helper()
	want := recomputeWords(t, f)
	got := map[int32]map[string]int32{}
	err := f.st.View(func(tx *store.Tx) error {
		return store.Scan(tx, wordCounters, func(_ string, r wordRecord, _ store.Meta) error {
			for day, ws := range r.Days {
				if got[day] == nil {
					got[day] = map[string]int32{}
				}
				for w, n := range ws {
					got[day][w] += int32(n)
				}
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: stored keyword counts differ from a recomputation:\n got %v\nwant %v", when, got, want)
	}
	if err := f.svc.ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.svc.mu.RLock()
	mem := maps.Clone(f.svc.idx.words)
	f.svc.mu.RUnlock()
	if !reflect.DeepEqual(mem, want) {
		t.Fatalf("%s: in-memory keyword counts differ from a recomputation:\n got %v\nwant %v", when, mem, want)
	}
}

func TestKeywordCountersEqualARecomputationAfterInsertsReopeningAndRebuild(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	f.member(t, members.CreateInput{Name: "Ana", Emails: []string{"ana@example.org"}})
	if err := f.svc.ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	var evs []event
	for i := range 40 {
		at := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC).Add(time.Duration(i*317) * time.Minute)
		evs = append(evs, event{"ana@example.org", "post", at.Format(time.RFC3339), "forum"})
	}
	f.addLive(t, evs)
	checkWords(t, f, "live")
	f.reopen(t)
	checkWords(t, f, "after reopening")
	if err := f.svc.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	checkWords(t, f, "after a rebuild")
}

func TestErasingAMemberTakesTheirWordsOutOfRisingTopicsAndTheWorkspaceFilesAtOnce(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	ana := f.member(t, members.CreateInput{Name: "Ana", Emails: []string{"ana@example.org"}})
	f.member(t, members.CreateInput{Name: "Bob", Emails: []string{"bob@example.org"}})
	if err := f.svc.ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.addText(t,
		textEvent{"ana@example.org", "2026-03-08T10:00:00+01:00", "Zorglubian webinar"},
		textEvent{"ana@example.org", "2026-03-09T10:00:00+01:00", "Zorglubian webinar again"},
		textEvent{"ana@example.org", "2026-03-10T10:00:00+01:00", "Zorglubian webinar forever"},
		textEvent{"bob@example.org", "2026-03-11T10:00:00+01:00", "Webinar"},
	)
	from, to := time.Date(2026, 3, 8, 0, 0, 0, 0, paris), time.Date(2026, 3, 15, 0, 0, 0, 0, paris)
	if k := f.kpis(t, from, to); len(k.RisingTopics) != 2 {
		t.Fatalf("before erasure: rising topics = %+v", k.RisingTopics)
	}
	if err := f.gdpr.Erase(context.Background(), ana.ID, "ana@example.org"); err != nil {
		t.Fatal(err)
	}
	if k := f.kpis(t, from, to); len(k.RisingTopics) != 0 {
		t.Fatalf("after erasure: rising topics = %+v, want none", k.RisingTopics)
	}
	checkWords(t, f, "after erasure")
	for _, needle := range []string{"zorglubian", "Zorglubian"} {
		if hits := bytescan.FilesContaining(t, f.dir, needle); len(hits) > 0 {
			t.Errorf("%q still readable in %v", needle, hits)
		}
	}
}

// v3WordRecord is how counter version 3 kept keyword counts: one day's, everybody's, in clear.
type v3WordRecord struct {
	Day   string         `json:"day"`
	Words map[string]int `json:"words"`
}

func TestUpgradingCountersDropsTheKeywordCountsVersion3KeptInClear(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	f.member(t, members.CreateInput{Name: "Ana", Emails: []string{"ana@example.org"}})
	if err := f.svc.ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.addText(t, textEvent{"ana@example.org", "2026-03-08T10:00:00+01:00", "Webinar"})
	// What a workspace of counter version 3 holds: the day's words in clear.
	v3 := &store.Collection[v3WordRecord]{Name: "analytics_words"}
	err := f.st.Update(context.Background(), func(tx *store.Tx) error {
		if _, err := store.Put(tx, v3, "2026-03-08", v3WordRecord{Day: "2026-03-08", Words: map[string]int{"quimperlois": 1, "webinar": 1}}); err != nil {
			return err
		}
		st, _, err := readState(tx)
		if err != nil {
			return err
		}
		st.Version = 3
		_, err = store.Put(tx, states, stateID, st)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Closed, the old records lie in Badger's files, not only in its memtable (read while no
	// compaction of a reopened Badger can move them between files).
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	if hits := bytescan.FilesContaining(t, f.dir, "quimperlois"); len(hits) == 0 {
		t.Fatal("the test's version 3 record is not in the files")
	}
	f.open(t)
	if err := f.svc.ensure(context.Background()); err != nil { // counters of another version: rebuilt
		t.Fatal(err)
	}
	if hits := bytescan.FilesContaining(t, f.dir, "quimperlois"); len(hits) > 0 {
		t.Errorf("version 3's keyword counts still in %v", hits)
	}
	checkWords(t, f, "after the upgrade")
}
