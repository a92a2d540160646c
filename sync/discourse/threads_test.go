package discourse

import (
	"context"
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/sync/discourse/discoursetest"
)

func TestAQuestionAndItsRepliesOnTwoPagesShareTheirTopicAsThread(t *testing.T) {
	clk := newClock()
	fake, base := startFake(t, discoursetest.Options{Now: clk.Now})
	fake.Generate(5, 4)
	tid, first := fake.AddTopic("member1", 0, "Comment adhérer ?", "Comment adhérer à l'association ?")
	fake.Generate(0, 50) // pushes the question onto the second page of the walk
	clk.Advance(time.Hour)
	fake.AddReply(tid, "member2", "Par le formulaire en ligne.")
	fake.AddReply(tid, "member3", "Ou à la permanence du samedi.")

	s := &sink{}
	if _, err := newClient(t, base).Pull(context.Background(), "", s); err != nil {
		t.Fatal(err)
	}
	pages := 0
	for _, r := range fake.Requests() {
		if r.Path == "/posts.json" {
			pages++
		}
	}
	if pages != 2 {
		t.Fatalf("%d pages of posts, want 2", pages)
	}
	var question activity.Incoming
	var replies []activity.Incoming
	for _, it := range s.items {
		if it.Thread != itoa(tid) {
			continue
		}
		switch it.Kind {
		case activity.Post:
			question = it
		case activity.Reply:
			replies = append(replies, it)
		default:
			t.Errorf("activity %+v in the topic", it)
		}
	}
	if question.RemoteID != "post:"+itoa(first) || !strings.HasSuffix(question.Text, "?") {
		t.Fatalf("question %+v", question)
	}
	if len(replies) != 2 {
		t.Fatalf("%d replies in the topic, want 2", len(replies))
	}
	for _, r := range replies {
		if !r.At.After(question.At) || r.Author.Handle == question.Author.Handle {
			t.Errorf("reply %+v to %+v", r, question)
		}
	}
}

func TestAReplyToATopicPulledBeforeStillNamesItsTopic(t *testing.T) {
	clk := newClock()
	fake, base := startFake(t, discoursetest.Options{Now: clk.Now})
	fake.Generate(5, 0)
	tid, _ := fake.AddTopic("member1", 0, "How do I renew?", "How do I renew my membership?")
	fake.AddReply(tid, "member2", "From your profile page.")
	fake.Generate(0, 60) // the walk of the second pull stops long before the topic
	c := newClient(t, base)
	first := &sink{}
	cur, err := c.Pull(context.Background(), "", first)
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)
	reply := fake.AddReply(tid, "member4", "And by post?")
	second := &sink{}
	if _, err := c.Pull(context.Background(), cur, second); err != nil {
		t.Fatal(err)
	}
	if len(second.items) != 1 {
		t.Fatalf("second pull %+v", second.items)
	}
	if it := second.items[0]; it.RemoteID != "post:"+itoa(reply) || it.Kind != activity.Reply || it.Thread != itoa(tid) ||
		!strings.HasSuffix(it.Link, "/"+itoa(tid)+"/3") {
		t.Fatalf("late reply %+v", it)
	}
}

func TestGeneratedTopicsAreQuestionsInTwoLanguagesAnsweredLaterByOthers(t *testing.T) {
	fake, base := startFake(t, discoursetest.Options{})
	fake.Generate(30, 120)
	s := &sink{}
	if _, err := newClient(t, base).Pull(context.Background(), "", s); err != nil {
		t.Fatal(err)
	}
	type conversation struct {
		first   *activity.Incoming
		replies []activity.Incoming
	}
	threads := map[string]*conversation{}
	for i, it := range s.items {
		if it.Kind == activity.Join {
			continue
		}
		if it.Thread == "" {
			t.Fatalf("post without a thread: %+v", it)
		}
		c := threads[it.Thread]
		if c == nil {
			c = &conversation{}
			threads[it.Thread] = c
		}
		if it.Kind == activity.Post {
			if c.first != nil {
				t.Fatalf("two first posts in topic %s", it.Thread)
			}
			c.first = &s.items[i]
		} else {
			c.replies = append(c.replies, it)
		}
	}
	if len(threads) != 12 {
		t.Fatalf("%d topics, want 12", len(threads))
	}
	english, french := 0, 0
	for id, c := range threads {
		if c.first == nil || len(c.replies) != 9 {
			t.Fatalf("topic %s: first %v, %d replies", id, c.first, len(c.replies))
		}
		if strings.HasSuffix(c.first.Text, " ?") {
			french++
		} else if strings.HasSuffix(c.first.Text, "?") {
			english++
		}
		for _, r := range c.replies {
			if !r.At.After(c.first.At) || r.Author.RemoteID == c.first.Author.RemoteID {
				t.Errorf("topic %s: reply %+v to %+v", id, r, *c.first)
			}
		}
	}
	if english != 4 || french != 4 {
		t.Errorf("%d English and %d French questions, want 4 and 4", english, french)
	}
}
