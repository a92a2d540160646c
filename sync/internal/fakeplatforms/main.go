// Command fakeplatforms serves the platform fakes (Discourse, Discord, Mastodon, Mailchimp,
// RSS) on loopback with a little community in each, and prints how to connect Hearth to them:
// the end-to-end tests use it, and so can anyone trying the Sync screen without real accounts.
//
// Each community has a generated history (questions in English and French answered by other
// members, see the fakes' Generate) and, on Discourse, Discord and Mastodon, the same few
// conversations of the last four weeks (recent.go): questions answered after minutes to a day,
// and two left unanswered, so that analytics has questions answered and response times to show.
//
//	go run ./sync/internal/fakeplatforms -out fakes.json
//
// It serves until interrupted. The credentials it prints are the fakes' test credentials.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"hearth/sync/discord/discordtest"
	"hearth/sync/mailchimp/mailchimptest"
	"hearth/sync/rss/rsstest"
)

// platform is one served fake and what `hearth connector add` needs to reach it.
type platform struct {
	URL      string            `json:"url"`
	Settings map[string]string `json:"settings"`
	Secret   string            `json:"secret,omitempty"`
}

func main() {
	out := flag.String("out", "", "also write the platforms' addresses and credentials to this JSON file")
	people := flag.Int("people", 40, "people generated on each platform")
	messages := flag.Int("messages", 200, "messages generated on each platform")
	flag.Parse()

	var servers []*http.Server
	serve := func(h http.Handler) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			log.Fatal(err)
		}
		s := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, s)
		go func() { _ = s.Serve(ln) }()
		return "http://" + ln.Addr().String()
	}

	discourse, discord, mastodon := communities(*people, *messages, time.Now())
	mailchimp := mailchimptest.New(mailchimptest.Options{NoRecord: true})
	mailchimp.Generate(*people, 0)
	feed := rsstest.New(rsstest.Options{NoRecord: true})

	discourseURL, discordURL := serve(discourse), serve(discord)
	mastodonURL, mailchimpURL, feedURL := serve(mastodon), serve(mailchimp), serve(feed)
	platforms := map[string]platform{
		"discourse": {URL: discourseURL, Settings: map[string]string{"username": "system"}, Secret: "test-api-key"},
		"discord": {URL: discordURL + "/api/v10", Secret: discordtest.DefaultToken,
			Settings: map[string]string{"channel": discordtest.DefaultChannelID, "guild": discordtest.DefaultGuildID}},
		"mastodon":  {URL: mastodonURL, Secret: "mastodon-test-token"},
		"mailchimp": {URL: mailchimpURL + "/3.0", Secret: mailchimptest.DefaultKey, Settings: map[string]string{"listId": mailchimptest.DefaultList}},
		"rss":       {URL: feedURL + "/rss.xml"},
	}
	b, err := json.MarshalIndent(platforms, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	if *out != "" {
		if err := os.WriteFile(*out, b, 0o600); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println(string(b))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	for _, s := range servers {
		_ = s.Close()
	}
}
