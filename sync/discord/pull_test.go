package discord_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/sync/discord/discordtest"
)

func TestPullWalksEveryPageAndTheSecondPullBringsOnlyNewThings(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	e.srv.Generate(2300, 250)
	alice := e.srv.AddMember(discordtest.Member{Username: "alice", GlobalName: "Alice Martin", JoinedAt: t0.Add(-time.Hour)})
	e.srv.AddMember(discordtest.Member{Username: "otherbot", Bot: true, JoinedAt: t0.Add(-time.Hour)})
	e.srv.AddMember(discordtest.Member{Username: "carole", Nick: "Caro", JoinedAt: t0.Add(-time.Hour)})
	e.srv.AddMessage(discordtest.Message{AuthorID: alice.ID, Content: "Bonjour   à\ntous", At: t0.Add(-time.Minute)})

	s := &sink{}
	cur, err := e.c.Pull(ctx, "", s)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.people) != 2302 || s.count(activity.Join) != 2302 {
		t.Fatalf("people = %d, joins = %d, want 2302 (bots skipped)", len(s.people), s.count(activity.Join))
	}
	if n := s.count(activity.Message) + s.count(activity.Reply); n != 251 || s.count(activity.Reply) != 50 {
		t.Fatalf("messages = %d (replies %d), want 251 (50)", n, s.count(activity.Reply))
	}
	pages := map[string][]string{}
	for _, r := range e.srv.Requests() {
		pages[r.Path] = append(pages[r.Path], r.Query.Get("limit")+"/"+r.Query.Get("after"))
	}
	if m := pages["/api/v10/guilds/"+discordtest.DefaultGuildID+"/members"]; len(m) != 3 || !strings.HasPrefix(m[0], "1000/0") {
		t.Errorf("member pages = %q, want 3 of 1000 from 0", m)
	}
	if m := pages["/api/v10/channels/"+discordtest.DefaultChannelID+"/messages"]; len(m) != 3 || m[0] != "100/0" {
		t.Errorf("message pages = %q, want 3 of 100 from 0", m)
	}
	byHandle := map[string]activity.Person{}
	for _, p := range s.people {
		byHandle[p.Handle] = p
	}
	if p := byHandle["alice"]; p.RemoteID != alice.ID || p.Name != "Alice Martin" || !p.JoinedAt.Equal(t0.Add(-time.Hour)) {
		t.Errorf("alice = %+v", p)
	}
	if p := byHandle["carole"]; p.Name != "Caro" {
		t.Errorf("carole = %+v, want her nickname as name", p)
	}
	// The activity names the channel as people know it (the channel object's name); the link
	// keeps the id.
	last := s.acts[len(s.acts)-1]
	wantLink := "https://discord.com/channels/" + discordtest.DefaultGuildID + "/" + discordtest.DefaultChannelID + "/" + last.RemoteID
	if last.Text != "Bonjour à tous" || last.Link != wantLink || last.Channel != "general" ||
		last.Author == nil || last.Author.Handle != "alice" || !last.At.Equal(t0.Add(-time.Minute)) {
		t.Errorf("last activity = %+v", last)
	}
	for i := 1; i < len(s.acts); i++ {
		if a, b := s.acts[i-1], s.acts[i]; a.Kind != activity.Join && b.Kind != activity.Join && b.At.Before(a.At) {
			t.Fatalf("messages out of order: %s before %s", a.At, b.At)
		}
	}

	// Later: one member joins, they post, the bot posts; only theirs comes in.
	e.clock.Advance(time.Minute)
	bob := e.srv.AddMember(discordtest.Member{Username: "bob"})
	e.srv.AddMessage(discordtest.Message{AuthorID: bob.ID, Content: "salut"})
	if _, err := e.c.Publish(ctx, post("own"), (&saves{}).save); err != nil {
		t.Fatal(err)
	}
	s2 := &sink{}
	cur2, err := e.c.Pull(ctx, cur, s2)
	if err != nil {
		t.Fatal(err)
	}
	if len(s2.people) != 1 || s2.people[0].Handle != "bob" {
		t.Errorf("second pull people = %+v, want bob", s2.people)
	}
	if len(s2.acts) != 2 || s2.acts[0].RemoteID != "join:"+bob.ID || s2.acts[1].Text != "salut" || s2.acts[1].Kind != activity.Message {
		t.Errorf("second pull activities = %+v", s2.acts)
	}
	if len(s2.cursors) == 0 || s2.cursors[len(s2.cursors)-1] != cur2 {
		t.Errorf("the final cursor %q was not reported (%q)", cur2, s2.cursors)
	}
}

func TestPullResumesFromItsCursorAfterAnInterruption(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	e.srv.Generate(2500, 450)
	s := &sink{failCursor: 5} // members: 3 pages (cursors 1–3); messages: the second page fails
	if _, err := e.c.Pull(ctx, "", s); err != errSinkDown {
		t.Fatalf("pull = %v, want the sink's failure", err)
	}
	saved := s.cursors[len(s.cursors)-1]
	var c struct {
		MessagesAfter string `json:"messagesAfter"`
	}
	if err := json.Unmarshal([]byte(saved), &c); err != nil || c.MessagesAfter == "" {
		t.Fatalf("saved cursor %q", saved)
	}
	before := len(e.srv.Requests())
	s2 := &sink{}
	if _, err := e.c.Pull(ctx, saved, s2); err != nil {
		t.Fatal(err)
	}
	if len(s2.people) != 0 {
		t.Errorf("the resumed pull brought %d people again", len(s2.people))
	}
	if n := s2.count(activity.Message) + s2.count(activity.Reply); n != 350 {
		t.Errorf("the resumed pull brought %d messages, want the 350 after the saved page", n)
	}
	for _, r := range e.srv.Requests()[before:] {
		if strings.HasSuffix(r.Path, "/messages") {
			if r.Query.Get("after") != c.MessagesAfter {
				t.Errorf("resumed from after=%s, want %s", r.Query.Get("after"), c.MessagesAfter)
			}
			break
		}
	}
	seen := map[string]bool{}
	for _, a := range append(s.acts, s2.acts...) {
		seen[a.RemoteID] = true
	}
	if len(seen) != 2500+450 {
		t.Errorf("%d distinct activities, want %d", len(seen), 2500+450)
	}
}

func TestPullResumesAMemberWalkMidway(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	e.srv.Generate(2500, 0)
	s := &sink{failCursor: 2}
	if _, err := e.c.Pull(ctx, "", s); err != errSinkDown {
		t.Fatalf("pull = %v", err)
	}
	before := len(e.srv.Requests())
	s2 := &sink{}
	if _, err := e.c.Pull(ctx, s.cursors[0], s2); err != nil {
		t.Fatal(err)
	}
	first := e.srv.Requests()[before]
	if !strings.HasSuffix(first.Path, "/members") || first.Query.Get("after") == "0" {
		t.Errorf("the resumed walk started with %+v", first)
	}
	if len(s.people) != 2000 || len(s2.people) != 1500 {
		t.Errorf("people = %d then %d, want 2000 then the 1500 after the saved page", len(s.people), len(s2.people))
	}
}

func TestPullWithoutAGuildReadsOnlyTheChannelAndLinksToItsGuild(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	c := e.bot(t, discordtest.DefaultToken, false)
	e.srv.Generate(3, 5)
	s := &sink{}
	if _, err := c.Pull(ctx, "", s); err != nil {
		t.Fatal(err)
	}
	if len(s.people) != 0 || len(s.acts) != 5 {
		t.Fatalf("people %d, activities %d", len(s.people), len(s.acts))
	}
	if !strings.HasPrefix(s.acts[0].Link, "https://discord.com/channels/"+discordtest.DefaultGuildID+"/") {
		t.Errorf("link = %q", s.acts[0].Link)
	}
	for _, r := range e.srv.Requests() {
		if strings.Contains(r.Path, "/guilds/") {
			t.Errorf("pulled members without a guild: %+v", r)
		}
	}
}

func TestAnUnreadableCursorStartsOver(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	e.srv.Generate(1, 3)
	s := &sink{}
	if _, err := e.c.Pull(ctx, "{not json", s); err != nil {
		t.Fatal(err)
	}
	if len(s.acts) != 1+3 {
		t.Errorf("activities = %d", len(s.acts))
	}
}
