package main

import (
	"sort"
	"sync/atomic"
	"time"

	"hearth/sync/discord/discordtest"
	"hearth/sync/discourse/discoursetest"
	"hearth/sync/mastodon/mastodontest"
)

// recent are the conversations of the last weeks seeded on each platform, on top of the
// generated history (which is years old and answered within seconds), so that the dashboard's
// default range shows questions asked, answered after minutes to a day, and some left open.
var recent = []struct {
	daysAgo  int
	at       time.Duration // time of day
	question string
	answers  []answer
}{
	{27, 9*time.Hour + 12*time.Minute, "How do I change my e-mail address?", []answer{{25 * time.Minute, "In your profile, under Account."}}},
	{24, 18 * time.Hour, "Quelqu'un a le lien de la visio de jeudi ?", []answer{{8 * time.Minute, "Il est dans l'agenda partagé."}}},
	{20, 11*time.Hour + 30*time.Minute, "Is the workshop on Saturday still on?", []answer{{3*time.Hour + 10*time.Minute, "Yes, 10 am at the library."}}},
	{16, 14 * time.Hour, "Comment devenir bénévole ?", []answer{{45 * time.Minute, "Écris à l'équipe, on t'appelle."}, {26 * time.Hour, "Et passe à la permanence du samedi !"}}},
	{12, 20 * time.Hour, "Any tips for a first meetup?", nil},
	{8, 10 * time.Hour, "Où est le compte rendu de la réunion ?", []answer{{15 * time.Minute, "Dans le dossier partagé, rubrique Réunions."}}},
	{5, 16*time.Hour + 40*time.Minute, "Can I bring a friend to the picnic?", []answer{{5 * time.Minute, "Of course!"}, {20 * time.Minute, "The more the merrier."}}},
	{2, 9 * time.Hour, "Le local est-il accessible en fauteuil ?", nil},
	{1, 19 * time.Hour, "What time does the stream start?", []answer{{90 * time.Minute, "At 8 pm, the link is pinned."}}},
}

type answer struct {
	after time.Duration
	text  string
}

// members ask and answer the recent conversations, the one after the asker answering first.
var members = []struct{ username, name string }{
	{"camille", "Camille Martin"}, {"lucas", "Lucas Bernard"}, {"emma", "Emma Petit"}, {"noah", "Noah Dubois"},
}

// event is a question (n = -1) or its n-th answer, at a time.
type event struct {
	conv, n int
	at      time.Time
}

// timeline is every question and answer of recent, oldest first, dated from now.
func timeline(now time.Time) []event {
	day := now.UTC().Truncate(24 * time.Hour)
	var out []event
	for i, c := range recent {
		asked := day.AddDate(0, 0, -c.daysAgo).Add(c.at)
		out = append(out, event{conv: i, n: -1, at: asked})
		for j, a := range c.answers {
			out = append(out, event{conv: i, n: j, at: asked.Add(a.after)})
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].at.Before(out[b].at) })
	return out
}

// author is who writes event e: the asker, or the people after them in turn.
func (e event) author() int { return (e.conv + e.n + 1) % len(members) }

// seedClock is a fake's clock: the instant set while seeding, the real time otherwise.
type seedClock struct{ at atomic.Int64 }

func (c *seedClock) Now() time.Time {
	if ns := c.at.Load(); ns != 0 {
		return time.Unix(0, ns).UTC()
	}
	return time.Now()
}

func (c *seedClock) set(t time.Time) { c.at.Store(t.UnixNano()) }
func (c *seedClock) reset()          { c.at.Store(0) }

// communities builds the Discourse, Discord and Mastodon fakes: people members and messages
// generated, then the recent conversations dated from now.
func communities(people, messages int, now time.Time) (*discoursetest.Server, *discordtest.Server, *mastodontest.Server) {
	clk := &seedClock{}
	forum := discoursetest.New(discoursetest.Options{NoRecord: true, Now: clk.Now})
	general := forum.AddCategory("Général")
	forum.AddCategory("Entraide")
	forum.Generate(people, messages)
	seedDiscourse(forum, clk, now, general)
	chat := discordtest.New(discordtest.Options{NoRecord: true})
	chat.Generate(people, messages)
	seedDiscord(chat, now)
	social := mastodontest.New(mastodontest.Options{NoRecord: true})
	social.Generate(people, messages)
	seedMastodon(social, now)
	return forum, chat, social
}

// seedDiscourse adds the people and the recent conversations as topics and their replies.
func seedDiscourse(s *discoursetest.Server, clk *seedClock, now time.Time, category int) {
	for _, p := range members {
		s.AddUser(discoursetest.User{Username: p.username, Name: p.name, Email: p.username + "@example.org",
			CreatedAt: now.AddDate(0, 0, -90)})
	}
	topics := map[int]int{}
	for _, e := range timeline(now) {
		clk.set(e.at)
		c := recent[e.conv]
		if e.n < 0 {
			topics[e.conv], _ = s.AddTopic(members[e.author()].username, category, c.question, c.question)
		} else {
			s.AddReply(topics[e.conv], members[e.author()].username, c.answers[e.n].text)
		}
	}
	clk.reset()
}

// seedDiscord adds the people as guild members and the recent conversations as messages and
// replies to them.
func seedDiscord(s *discordtest.Server, now time.Time) {
	ids := make([]string, len(members))
	for i, p := range members {
		ids[i] = s.AddMember(discordtest.Member{Username: p.username, GlobalName: p.name, JoinedAt: now.AddDate(0, 0, -90)}).ID
	}
	questions := map[int]string{}
	for _, e := range timeline(now) {
		c := recent[e.conv]
		if e.n < 0 {
			questions[e.conv] = s.AddMessage(discordtest.Message{AuthorID: ids[e.author()], Content: c.question, At: e.at}).ID
		} else {
			s.AddMessage(discordtest.Message{AuthorID: ids[e.author()], Content: c.answers[e.n].text, At: e.at, ReplyTo: questions[e.conv]})
		}
	}
}

// seedMastodon adds the recent conversations as mentions of the account: questions, and
// replies to them that mention it too.
func seedMastodon(s *mastodontest.Server, now time.Time) {
	acct := func(i int) string { return members[i].username + "@other.example" }
	questions := map[int]string{}
	for _, e := range timeline(now) {
		c := recent[e.conv]
		if e.n < 0 {
			n := s.AddNotification("mention", acct(e.author()), "@hearth "+c.question, e.at)
			questions[e.conv] = s.StatusID(n)
		} else {
			asker := members[event{conv: e.conv, n: -1}.author()].username
			s.AddReply("mention", acct(e.author()), "@"+asker+" @hearth "+c.answers[e.n].text, questions[e.conv], e.at)
		}
	}
}
