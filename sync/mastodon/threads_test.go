package mastodon_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/sync/connector"
	"hearth/sync/mastodon/mastodontest"
)

func TestAQuestionAndItsRepliesOnTwoPagesShareTheQuestionAsThread(t *testing.T) {
	s := start(t, mastodontest.Options{})
	s.fake.Generate(5, 70)
	at := s.clock.Now().Add(-time.Hour)
	q := s.fake.AddNotification("mention", "alice@autre.example", "@hearth Qui anime l'atelier samedi ?", at)
	question := s.fake.StatusID(q)
	s.fake.Generate(0, 80) // pushes the question onto the second page
	r1, _ := s.fake.AddReply("mention", "bob", "@alice @hearth Moi !", question, at.Add(10*time.Minute))
	r2, _ := s.fake.AddReply("status", "carol@autre.example", "@alice Claire, je crois.", question, at.Add(20*time.Minute))

	out := &sink{}
	if _, err := s.client(t, token).Pull(ctx, "", out); err != nil {
		t.Fatal(err)
	}
	// The replies and 78 newer notifications fill the first page; the walk's third request finds
	// nothing more.
	if n := s.fake.Count(http.MethodGet, "/api/v1/notifications"); n != 3 {
		t.Fatalf("%d requests for notifications, want 3", n)
	}
	got := map[string]activity.Incoming{}
	for _, in := range out.items {
		got[in.RemoteID] = in
	}
	if in := got["notification:"+q]; in.Kind != activity.Mention || in.Thread != question || !strings.HasSuffix(in.Text, "?") {
		t.Errorf("question %+v", in)
	}
	for _, r := range []string{r1, r2} {
		if in := got["notification:"+r]; in.Kind != activity.Reply || in.Thread != question {
			t.Errorf("reply %+v", in)
		}
	}
}

func TestAReplyToAStatusThePullNeverSawStillNamesIt(t *testing.T) {
	s := start(t, mastodontest.Options{})
	c := s.client(t, token)
	pub, err := c.Publish(ctx, connector.Post{Key: "k1", Title: "Atelier", Body: "Samedi 10 h"}, func(string) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	q := s.fake.AddNotification("mention", "alice", "@hearth Which room?", s.clock.Now())
	first := &sink{}
	cur, err := c.Pull(ctx, "", first)
	if err != nil {
		t.Fatal(err)
	}
	s.clock.Advance(time.Hour)
	onOurs, _ := s.fake.AddReply("mention", "bob", "@hearth J'y serai !", pub.RemoteID, s.clock.Now())
	late, _ := s.fake.AddReply("mention", "carol", "@alice @hearth Room 2.", s.fake.StatusID(q), s.clock.Now())
	lost, _ := s.fake.AddReply("mention", "dave", "@hearth Still on?", "111000000009999", s.clock.Now())
	fav := s.fake.AddNotification("favourite", "bob", "Samedi 10 h", s.clock.Now())

	second := &sink{}
	if _, err := c.Pull(ctx, cur, second); err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		kind   activity.Kind
		thread string
	}{
		"notification:" + onOurs: {activity.Reply, pub.RemoteID},
		"notification:" + late:   {activity.Reply, s.fake.StatusID(q)},
		"notification:" + lost:   {activity.Reply, "111000000009999"},
		"notification:" + fav:    {activity.Reaction, ""},
	}
	if len(second.items) != len(want) {
		t.Fatalf("second pull %+v", second.items)
	}
	for _, in := range second.items {
		if w := want[in.RemoteID]; in.Kind != w.kind || in.Thread != w.thread {
			t.Errorf("%+v, want %s in thread %q", in, w.kind, w.thread)
		}
	}
}

func TestGeneratedMentionsHoldQuestionsInTwoLanguagesAnsweredLaterByOthers(t *testing.T) {
	s := start(t, mastodontest.Options{})
	s.fake.Generate(6, 120)
	out := &sink{}
	if _, err := s.client(t, token).Pull(ctx, "", out); err != nil {
		t.Fatal(err)
	}
	starts := map[string]activity.Incoming{}
	for _, in := range out.items {
		if in.Kind == activity.Mention || in.Kind == activity.Post {
			if in.Thread == "" {
				t.Errorf("%+v has no thread", in)
			}
			starts[in.Thread] = in
		}
	}
	answered := map[string]bool{}
	replies := 0
	for _, in := range out.items {
		if in.Kind != activity.Reply {
			continue
		}
		replies++
		q, ok := starts[in.Thread]
		if !ok || !in.At.After(q.At) || in.Author.RemoteID == q.Author.RemoteID {
			t.Errorf("reply %+v to %+v", in, q)
		}
		answered[in.Thread] = true
	}
	questions, english, french, done := 0, 0, 0, 0
	for id, q := range starts {
		if !strings.HasSuffix(q.Text, "?") {
			continue
		}
		questions++
		if strings.HasSuffix(q.Text, " ?") {
			french++
		} else {
			english++
		}
		if answered[id] {
			done++
		}
	}
	// 20 turns of the cycle: 14 questions (7 and 7), 4 left unanswered; 15 replies, 5 of them
	// to mentions that asked nothing.
	if questions != 14 || english != 7 || french != 7 || done != 10 || replies != 15 {
		t.Errorf("%d questions (%d English, %d French), %d answered, %d replies; want 14 (7, 7), 10, 15",
			questions, english, french, done, replies)
	}
}
