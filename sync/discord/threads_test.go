package discord_test

import (
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/sync/discord/discordtest"
)

func TestAQuestionAndItsRepliesOnTwoPagesShareTheQuestionAsThread(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	e.srv.Generate(3, 99) // the question is the hundredth message: the end of the first page
	alice := e.srv.AddMember(discordtest.Member{Username: "alice"})
	bob := e.srv.AddMember(discordtest.Member{Username: "bob"})
	carole := e.srv.AddMember(discordtest.Member{Username: "carole"})
	q := e.srv.AddMessage(discordtest.Message{AuthorID: alice.ID, Content: "Qui vient samedi ?", At: t0.Add(-time.Hour)})
	r1 := e.srv.AddMessage(discordtest.Message{AuthorID: bob.ID, Content: "Moi !", At: t0.Add(-50 * time.Minute), ReplyTo: q.ID})
	r2 := e.srv.AddMessage(discordtest.Message{AuthorID: carole.ID, Content: "Pas moi", At: t0.Add(-40 * time.Minute), ReplyTo: q.ID})

	s := &sink{}
	if _, err := e.bot(t, discordtest.DefaultToken, false).Pull(ctx, "", s); err != nil {
		t.Fatal(err)
	}
	pages := 0
	for _, r := range e.srv.Requests() {
		if strings.HasSuffix(r.Path, "/messages") {
			pages++
		}
	}
	if pages != 2 || len(s.acts) != 102 {
		t.Fatalf("%d activities in %d pages, want 102 in 2", len(s.acts), pages)
	}
	got := map[string]activity.Incoming{}
	for _, a := range s.acts {
		got[a.RemoteID] = a
	}
	if a := got[q.ID]; a.Kind != activity.Message || a.Thread != q.ID {
		t.Errorf("question %+v", a)
	}
	for _, r := range []discordtest.Message{r1, r2} {
		if a := got[r.ID]; a.Kind != activity.Reply || a.Thread != q.ID {
			t.Errorf("reply %+v", a)
		}
	}
}

func TestAReplyToAMessageOutsideThePullStillNamesIt(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	alice := e.srv.AddMember(discordtest.Member{Username: "alice"})
	bob := e.srv.AddMember(discordtest.Member{Username: "bob"})
	q := e.srv.AddMessage(discordtest.Message{AuthorID: alice.ID, Content: "How do I join?", At: t0.Add(-time.Hour)})
	s := &sink{}
	cur, err := e.c.Pull(ctx, "", s)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour)
	r := e.srv.AddMessage(discordtest.Message{AuthorID: bob.ID, Content: "Through the website.", ReplyTo: q.ID})
	chained := e.srv.AddMessage(discordtest.Message{AuthorID: alice.ID, Content: "Thanks!", ReplyTo: r.ID})
	lost := e.srv.AddMessage(discordtest.Message{AuthorID: alice.ID, Content: "Still true?", ReplyTo: "1100000000000009999"})
	fwd := e.srv.AddMessage(discordtest.Message{AuthorID: bob.ID, ReplyTo: q.ID, Forward: true})

	s2 := &sink{}
	if _, err := e.c.Pull(ctx, cur, s2); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id, thread string
		kind       activity.Kind
	}{
		{r.ID, q.ID, activity.Reply},
		{chained.ID, r.ID, activity.Reply}, // chains are not followed
		{lost.ID, "1100000000000009999", activity.Reply},
		{fwd.ID, fwd.ID, activity.Message}, // a forward answers nothing
	}
	var msgs []activity.Incoming
	for _, a := range s2.acts {
		if a.Kind != activity.Join { // members who joined lately are reported again
			msgs = append(msgs, a)
		}
	}
	if len(msgs) != len(want) {
		t.Fatalf("second pull %+v", msgs)
	}
	for i, w := range want {
		if a := msgs[i]; a.RemoteID != w.id || a.Thread != w.thread || a.Kind != w.kind {
			t.Errorf("activity %d = %+v, want %s in thread %s", i, a, w.kind, w.thread)
		}
	}
}

func TestGeneratedMessagesHoldQuestionsInTwoLanguagesAnsweredLaterByOthers(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	e.srv.Generate(4, 120)
	s := &sink{}
	if _, err := e.bot(t, discordtest.DefaultToken, false).Pull(ctx, "", s); err != nil {
		t.Fatal(err)
	}
	byID := map[string]activity.Incoming{}
	for _, a := range s.acts {
		byID[a.RemoteID] = a
	}
	questions, answered, english, french := 0, 0, 0, 0
	answers := map[string]int{}
	for _, a := range s.acts {
		if a.Kind != activity.Reply {
			if a.Thread != a.RemoteID {
				t.Errorf("message %+v is not its own thread", a)
			}
			continue
		}
		parent, ok := byID[a.Thread]
		if !ok || !a.At.After(parent.At) || a.Author.RemoteID == parent.Author.RemoteID {
			t.Errorf("reply %+v to %+v", a, parent)
		}
		answers[a.Thread]++
	}
	for _, a := range s.acts {
		if !strings.HasSuffix(a.Text, "?") || a.Kind == activity.Reply {
			continue
		}
		questions++
		if strings.HasSuffix(a.Text, " ?") {
			french++
		} else {
			english++
		}
		if answers[a.RemoteID] > 0 {
			answered++
		}
	}
	// 24 groups of five: 16 open with a question, 4 of which (groups 3, 7, 15, 19) go unanswered.
	if questions != 16 || english != 8 || french != 8 || answered != 12 {
		t.Errorf("%d questions (%d English, %d French), %d answered; want 16 (8, 8), 12",
			questions, english, french, answered)
	}
}
