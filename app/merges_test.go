package app

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"hearth/backend/members"
)

// jobEvents is the window's side of a background job: the events it was sent, and done closed
// at the first event whose name starts with doneEvent. block, when set, is called by Emit on
// each progress event before it returns, as a slow window would.
type jobEvents struct {
	mu        sync.Mutex
	events    []recordedEvent
	doneEvent string
	done      chan struct{}
	block     func(event string)
}

func newJobEvents(doneEvent string) *jobEvents {
	return &jobEvents{doneEvent: doneEvent, done: make(chan struct{})}
}

func (j *jobEvents) Emit(event string, payload any) {
	if j.block != nil && !strings.HasPrefix(event, j.doneEvent) {
		j.block(event)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.events = append(j.events, recordedEvent{event, payload})
	if strings.HasPrefix(event, j.doneEvent) && len(j.events) == j.firstDone() {
		close(j.done)
	}
}

// firstDone is the number of events up to and with the first done one.
func (j *jobEvents) firstDone() int {
	for i, e := range j.events {
		if strings.HasPrefix(e.Event, j.doneEvent) {
			return i + 1
		}
	}
	return 0
}

// wait returns the events once the job is done.
func (j *jobEvents) wait(t *testing.T) []recordedEvent {
	t.Helper()
	select {
	case <-j.done:
	case <-time.After(30 * time.Second):
		t.Fatal("the job never said it was done")
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]recordedEvent(nil), j.events...)
}

func TestMergesServiceFindsDuplicatesInTheBackgroundWithItsProgress(t *testing.T) {
	w := newMergesWorld(t)
	events := newJobEvents(EventMergesDone)
	w.svc.events = events
	want, err := w.svc.Suggestions()
	if err != nil || len(want) != 2 {
		t.Fatalf("suggestions %+v, %v", want, err)
	}
	id, err := w.svc.Find()
	if err != nil || id == "" {
		t.Fatalf("find: %q, %v", id, err)
	}
	got := events.wait(t)
	total := len(w.ids)
	last := got[len(got)-2]
	if last.Event != EventMergesProgress+id || last.Payload != (members.SuggestProgress{Examined: total, Total: total}) {
		t.Fatalf("last progress %+v, want %d of %d members examined", last, total, total)
	}
	done, ok := got[len(got)-1].Payload.(MergesFound)
	if got[len(got)-1].Event != EventMergesDone+id || !ok || done.Cancelled || done.Error != nil ||
		!reflect.DeepEqual(done.Suggestions, want) || done.Examined != total {
		t.Fatalf("done %+v, want the suggestions %+v", got[len(got)-1], want)
	}
	// Once done, Cancel finds nothing to stop and Find starts another search.
	if err := w.svc.Cancel(id); err == nil {
		t.Fatal("a finished search was cancelled")
	}
	again, err := w.svc.Find()
	if err != nil || again == id {
		t.Fatalf("a second search: %q, %v; want a new job", again, err)
	}
	for range 1000 { // let it end before the workspace closes
		if w.svc.Cancel(again) != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestMergesServiceCancelStopsTheSearchAndSaysSo(t *testing.T) {
	w := newMergesWorld(t)
	ctx := windowCtx()
	// Enough members for the search to report before it has read them all.
	for i := range 4200 {
		if _, err := w.svc.members.Create(ctx, members.CreateInput{Name: fmt.Sprintf("Membre %d", i),
			Emails: []string{fmt.Sprintf("membre%d@example.org", i)}}); err != nil {
			t.Fatal(err)
		}
	}
	events := newJobEvents(EventMergesDone)
	w.svc.events = events
	// The window cancels on the first progress it hears, while the search waits for it.
	var once sync.Once
	started, release := make(chan struct{}), make(chan struct{})
	events.block = func(string) {
		once.Do(func() {
			close(started)
			<-release
		})
	}
	id, err := w.svc.Find()
	if err != nil {
		t.Fatal(err)
	}
	<-started
	if err := w.svc.Cancel(id); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	close(release)
	got := events.wait(t)
	done := got[len(got)-1].Payload.(MergesFound)
	if !done.Cancelled || done.Error != nil || len(done.Suggestions) != 0 || done.Examined >= done.Total {
		t.Fatalf("done %+v: want cancelled before every member was examined, nothing found", done)
	}
}

func TestMergesServiceSuggestionsForOneMemberAreTheFullSearchs(t *testing.T) {
	w := newMergesWorld(t)
	all, err := w.svc.Suggestions()
	if err != nil {
		t.Fatal(err)
	}
	var camille members.Suggestion
	for _, s := range all {
		if s.A == w.by["member-camille-discourse"] {
			camille = s
		}
	}
	got, err := w.svc.SuggestionsFor(w.by["member-camille-mastodon"])
	if err != nil || !reflect.DeepEqual(got, []members.Suggestion{camille}) {
		t.Fatalf("Mastodon Camille's suggestions %+v, %v; want %+v", got, err, camille)
	}
	got, err = w.svc.SuggestionsFor(w.ids[0].id)
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("%s, seen once: %#v, %v; want an empty list", w.ids[0].name, got, err)
	}
	if _, err := w.svc.SuggestionsFor("nobody"); err == nil {
		t.Fatal("an unknown member's suggestions were answered")
	}
}

func TestMergesServiceSettingsTurnAutomaticMergingOnAndOff(t *testing.T) {
	w := newMergesWorld(t)
	got, err := w.svc.Settings()
	if err != nil || got.Auto {
		t.Fatalf("a new workspace's settings %+v, %v; want automatic merging off", got, err)
	}
	for _, auto := range []bool{true, false} {
		saved, err := w.svc.SaveSettings(members.MergeSettings{Auto: auto})
		if err != nil || saved.Auto != auto {
			t.Fatalf("save auto=%v: %+v, %v", auto, saved, err)
		}
		if got, err := w.svc.Settings(); err != nil || got.Auto != auto {
			t.Fatalf("read back auto=%v: %+v, %v", auto, got, err)
		}
	}
}
