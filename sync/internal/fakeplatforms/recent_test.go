package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/connections"
	"hearth/sync/connector"
	"hearth/sync/discord"
	"hearth/sync/discord/discordtest"
	"hearth/sync/discourse"
	"hearth/sync/mastodon"
)

type sink struct{ items []activity.Incoming }

func (s *sink) People(context.Context, []activity.Person) error { return nil }
func (s *sink) Activities(_ context.Context, a []activity.Incoming) error {
	s.items = append(s.items, a...)
	return nil
}
func (s *sink) Cursor(context.Context, string) error { return nil }

func TestEveryPlatformBringsTheRecentQuestionsWithTheirAnswersInTheirThreads(t *testing.T) {
	now := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	forum, chat, social := communities(10, 60, now)
	serve := func(h http.Handler) string {
		s := httptest.NewServer(h)
		t.Cleanup(s.Close)
		return s.URL
	}
	pull := func(t *testing.T, platform connections.Platform, st connections.Settings, secret string,
		build func(connector.Config) (connector.Connector, error)) []activity.Incoming {
		t.Helper()
		c, err := build(connector.Config{Connection: connections.Connection{Name: string(platform), Platform: platform, Settings: st},
			Secret: secret, HTTP: &http.Client{Timeout: 5 * time.Second}, NoLimit: true, Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		s := &sink{}
		if _, err := c.Pull(context.Background(), "", s); err != nil {
			t.Fatal(err)
		}
		return s.items
	}
	platforms := map[string]func(t *testing.T) []activity.Incoming{
		"discourse": func(t *testing.T) []activity.Incoming {
			return pull(t, connections.Discourse, connections.Settings{URL: serve(forum), Username: "system"}, "test-api-key", discourse.New)
		},
		"discord": func(t *testing.T) []activity.Incoming {
			return pull(t, connections.Discord, connections.Settings{APIURL: serve(chat) + "/api/v10",
				Channel: discordtest.DefaultChannelID, Guild: discordtest.DefaultGuildID}, discordtest.DefaultToken, discord.New)
		},
		"mastodon": func(t *testing.T) []activity.Incoming {
			return pull(t, connections.Mastodon, connections.Settings{URL: serve(social)}, "mastodon-test-token", mastodon.New)
		},
	}
	for name, items := range platforms {
		t.Run(name, func(t *testing.T) {
			got := items(t)
			for _, c := range recent {
				var question *activity.Incoming
				for i, it := range got {
					if it.Kind != activity.Reply && strings.HasSuffix(it.Text, c.question) {
						question = &got[i]
					}
				}
				if question == nil || question.Thread == "" {
					t.Fatalf("question %q: %+v", c.question, question)
				}
				var delays []time.Duration
				for _, it := range got {
					if it.Kind == activity.Reply && it.Thread == question.Thread {
						delays = append(delays, it.At.Sub(question.At).Round(time.Minute))
					}
				}
				slices.Sort(delays) // some platforms come newest first
				if len(delays) != len(c.answers) {
					t.Fatalf("question %q: %d replies, want %d", c.question, len(delays), len(c.answers))
				}
				for i, a := range c.answers {
					if delays[i] != a.after {
						t.Errorf("question %q: answer %d after %s, want %s", c.question, i, delays[i], a.after)
					}
				}
			}
		})
	}
}
