package discourse

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/sync/discourse/discoursetest"
)

func TestPullWalksEveryPageAndTheNextPullOnlyBringsWhatIsNew(t *testing.T) {
	clk := newClock()
	fake, base := startFake(t, discoursetest.Options{Now: clk.Now})
	fake.AddCategory("Général")
	fake.Generate(250, 180)
	c := newClient(t, base)

	first := &sink{}
	cur, err := c.Pull(context.Background(), "", first)
	if err != nil {
		t.Fatalf("first pull: %v", err)
	}
	if len(first.people) != 251 || len(first.ids(activity.Join)) != 251 {
		t.Fatalf("people %d, joins %d, want 251 (250 + the API user)", len(first.people), len(first.ids(activity.Join)))
	}
	posts := first.ids(activity.Post)
	replies := first.ids(activity.Reply)
	if len(posts) != 18 || len(replies) != 162 {
		t.Fatalf("posts %d replies %d", len(posts), len(replies))
	}
	pages := map[string]int{}
	for _, r := range fake.Requests() {
		pages[r.Path]++
		if !r.APIKey || r.APIUsername != "system" {
			t.Fatalf("unauthenticated request %+v", r)
		}
	}
	// Users: 100, 100, 51. Posts: 50, 50, 50, 30. Categories once.
	if pages["/admin/users/list/active.json"] != 3 || pages["/posts.json"] != 4 || pages["/site.json"] != 1 {
		t.Fatalf("requests per path %v", pages)
	}
	if cur != first.last() {
		t.Fatalf("returned cursor %s, last recorded %s", cur, first.last())
	}

	// Something new happens.
	clk.Advance(time.Hour)
	fake.AddUser(discoursetest.User{Username: "Zoé", Name: "Zoé Martin", Email: "zoe@example.org"})
	tid, _ := fake.AddTopic("Zoé", 2, "Première question", "Bonjour <b>à tous</b>")
	fake.AddReply(tid, "member3", "Bienvenue !")

	second := &sink{}
	if _, err := c.Pull(context.Background(), cur, second); err != nil {
		t.Fatalf("second pull: %v", err)
	}
	if len(second.people) != 1 || second.people[0].Handle != "Zoé" || second.people[0].Email != "zoe@example.org" {
		t.Fatalf("second pull people %+v", second.people)
	}
	if len(second.items) != 3 {
		t.Fatalf("second pull items %+v", second.items)
	}
	var topic activity.Incoming
	for _, it := range second.items {
		if it.Kind == activity.Post {
			topic = it
		}
	}
	want := base + "/t/premi-re-question/" + itoa(tid) + "/1"
	if topic.Link != want || topic.Channel != "Général" || topic.Title != "Première question" ||
		topic.Text != "Bonjour à tous" || topic.Author == nil || topic.Author.Handle != "Zoé" {
		t.Fatalf("topic activity %+v (link want %s)", topic, want)
	}

	third := &sink{}
	if _, err := c.Pull(context.Background(), second.last(), third); err != nil {
		t.Fatal(err)
	}
	if len(third.people) != 0 || len(third.items) != 0 {
		t.Fatalf("a pull with nothing new brought %d people, %d items", len(third.people), len(third.items))
	}
}

func TestPeopleCarryTheirEmailStatsAndJoinDate(t *testing.T) {
	_, base := startFake(t, discoursetest.Options{})
	c := newClient(t, base)
	s := &sink{}
	if _, err := c.Pull(context.Background(), "", s); err != nil {
		t.Fatal(err)
	}
	p := s.people[0]
	if p.Handle != "system" || p.Email != "system@example.org" || p.JoinedAt.IsZero() || p.RemoteID != "1" {
		t.Fatalf("person %+v", p)
	}
	for _, k := range []string{"post_count", "days_visited", "posts_read_count", "topics_entered", "time_read", "trust_level"} {
		if _, ok := p.Stats[k]; !ok {
			t.Fatalf("stats %v lack %s", p.Stats, k)
		}
	}
}

func TestAnInterruptedPullResumesFromItsCursor(t *testing.T) {
	for _, killAt := range []int{2, 4, 6} { // within the members, the first posts walk, its end
		t.Run(itoa(killAt), func(t *testing.T) {
			fake, base := startFake(t, discoursetest.Options{})
			fake.Generate(250, 230)
			c := newClient(t, base)
			s := &sink{failCursorAt: killAt}
			if _, err := c.Pull(context.Background(), "", s); !errors.Is(err, errKilled) {
				t.Fatalf("err = %v", err)
			}
			// New posts arrive while the pull is down.
			tid, _ := fake.AddTopic("member1", 1, "Pendant la coupure", "Nouveau")
			fake.AddReply(tid, "member2", "Réponse")
			if _, err := c.Pull(context.Background(), s.last(), s); err != nil {
				t.Fatalf("resumed pull: %v", err)
			}
			people := map[string]bool{}
			for _, p := range s.people {
				people[p.RemoteID] = true
			}
			got := s.ids("")
			posts := 0
			for id := range got {
				if strings.HasPrefix(id, "post:") {
					posts++
				}
			}
			if len(people) != 251 || posts != 232 {
				t.Fatalf("people %d posts %d, want 251 and 232", len(people), posts)
			}
			// At most the page in flight is reported twice.
			if dup := len(s.items) - len(got); dup > 100 {
				t.Fatalf("%d items reported twice", dup)
			}
		})
	}
}

func TestAPullStoppedByA5xxGoesOnFromItsLastCursor(t *testing.T) {
	fake, base := startFake(t, discoursetest.Options{})
	fake.Generate(10, 120)
	c := newClient(t, base)
	// Members, then two pages of posts are recorded; the third page's cursor is lost.
	s := &sink{failCursorAt: 4}
	if _, err := c.Pull(context.Background(), "", s); !errors.Is(err, errKilled) {
		t.Fatalf("err = %v", err)
	}
	fake.FailNext(1, discoursetest.Fault{Kind: discoursetest.ServerError})
	cur, err := c.Pull(context.Background(), s.last(), s)
	if err == nil || cur != s.last() {
		t.Fatalf("a 502: err %v, cursor %s (last recorded %s)", err, cur, s.last())
	}
	if _, err := c.Pull(context.Background(), cur, s); err != nil {
		t.Fatal(err)
	}
	if n := len(s.ids(activity.Reply)) + len(s.ids(activity.Post)); n != 120 {
		t.Fatalf("%d posts", n)
	}
}

func TestPlainTextStripsHTMLAndCuts(t *testing.T) {
	got := plainText(`<p>Un &amp; deux</p><p>trois <a href="x">lien</a><br>quatre</p><script>alert(1)</script>`, 500)
	if got != "Un & deux trois lien quatre" {
		t.Fatalf("got %q", got)
	}
	long := plainText("<p>"+strings.Repeat("é", 600)+"</p>", 500)
	if n := len([]rune(long)); n != 500 {
		t.Fatalf("%d characters", n)
	}
}
