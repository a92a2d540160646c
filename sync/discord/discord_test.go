package discord_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"hearth/backend/connections"
	"hearth/sync/connector"
	"hearth/sync/discord"
	"hearth/sync/discord/discordtest"
)

var ctx = context.Background()

func TestCheckSendsTheBotTokenAndDiscordsUserAgentToTheVersionedAPI(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	if err := e.c.Check(ctx); err != nil {
		t.Fatal(err)
	}
	reqs := e.srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("requests = %+v, want one", reqs)
	}
	r := reqs[0]
	if r.Method != "GET" || r.Path != "/api/v10/channels/"+discordtest.DefaultChannelID || !r.Auth {
		t.Errorf("request = %+v", r)
	}
	if !strings.HasPrefix(r.UserAgent, "DiscordBot (") {
		t.Errorf("User-Agent = %q", r.UserAgent)
	}
}

func TestAWrongBotTokenIsAnAuthErrorThatNeverShowsTheToken(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	const wrong = "wrong-token-XYZ"
	c := e.bot(t, wrong, true)
	err := c.Check(ctx)
	ce := kindOf(t, err, connector.Auth)
	if ce.Status != 401 || !strings.Contains(ce.Message, "bot token") {
		t.Errorf("error = %+v", ce)
	}
	noSecret(t, err, wrong)
	_, err = c.Pull(ctx, "", &sink{})
	kindOf(t, err, connector.Auth)
	noSecret(t, err, wrong)
}

func TestTheAPIURLIsAlwaysVersioned(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	for _, api := range []string{e.url, e.url + "/", e.url + "/api", e.url + "/api/v10"} {
		c, err := discord.New(connector.Config{Connection: connections.Connection{Settings: connections.Settings{
			Channel: discordtest.DefaultChannelID, APIURL: api}}, Secret: discordtest.DefaultToken, NoLimit: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Check(ctx); err != nil {
			t.Errorf("api %q: %v", api, err)
		}
	}
	for _, r := range e.srv.Requests() {
		if !strings.HasPrefix(r.Path, "/api/v10/") {
			t.Errorf("path %q is not versioned", r.Path)
		}
	}
}

func TestNewNamesTheMissingOrMalformedSetting(t *testing.T) {
	const hook = "https://discord.com/api/webhooks/123/secret-webhook-token"
	cases := []struct {
		name     string
		settings connections.Settings
		secret   string
		field    string
	}{
		{"no bot token", connections.Settings{Channel: "1"}, "", "secret"},
		{"a token with Bot in front", connections.Settings{Channel: "1"}, "Bot abc", "secret"},
		{"no channel", connections.Settings{}, "tok", "channel"},
		{"a channel that is not a snowflake", connections.Settings{Channel: "général"}, "tok", "channel"},
		{"a guild that is not a snowflake", connections.Settings{Channel: "1", Guild: "x"}, "tok", "guild"},
		{"an API URL without https", connections.Settings{Channel: "1", APIURL: "http://example.org"}, "tok", "apiUrl"},
		{"an API URL that is not a URL", connections.Settings{Channel: "1", APIURL: "discord"}, "tok", "apiUrl"},
		{"no webhook URL", connections.Settings{Webhook: true}, "", "secret"},
		{"a webhook URL that is not a webhook", connections.Settings{Webhook: true}, "https://discord.com/channels/1/2?secret-webhook-token", "secret"},
		{"a webhook URL without https", connections.Settings{Webhook: true}, strings.Replace(hook, "https", "http", 1), "secret"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := discord.New(connector.Config{Connection: connections.Connection{Settings: tc.settings}, Secret: tc.secret})
			ce := kindOf(t, err, connector.Invalid)
			if ce.Code != "setting_"+tc.field || !strings.Contains(ce.Message, tc.field+":") {
				t.Errorf("error = %+v, want it to name %s", ce, tc.field)
			}
			noSecret(t, err, "secret-webhook-token")
		})
	}
	if _, err := discord.New(connector.Config{Connection: connections.Connection{Settings: connections.Settings{Webhook: true}}, Secret: hook}); err != nil {
		t.Errorf("a Discord webhook URL was refused: %v", err)
	}
}

func TestPublishPostsTitleAndBodyWithANonceThatDiscordEnforces(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	var sv saves
	p := post("entry-01HZX:discord")
	got, err := e.c.Publish(ctx, p, sv.save)
	if err != nil {
		t.Fatal(err)
	}
	want := "**Soirée jeux**\n\nVenez *nombreux* jeudi à 19 h."
	if c := e.srv.Created(); len(c) != 1 || c[0] != want {
		t.Fatalf("created = %q, want [%q]", c, want)
	}
	reqs := e.srv.Requests()
	last := reqs[len(reqs)-1]
	var body struct {
		Content      string `json:"content"`
		Nonce        string `json:"nonce"`
		EnforceNonce bool   `json:"enforce_nonce"`
	}
	if err := json.Unmarshal([]byte(last.Body), &body); err != nil {
		t.Fatal(err)
	}
	if last.Method != "POST" || last.Path != "/api/v10/channels/"+discordtest.DefaultChannelID+"/messages" || !last.Auth {
		t.Errorf("request = %+v", last)
	}
	if body.Content != want || body.Nonce != connector.ShortKey(p.Key, 25) || len(body.Nonce) != 25 || !body.EnforceNonce {
		t.Errorf("body = %+v", body)
	}
	if len(sv.ids) != 2 || !strings.HasPrefix(sv.ids[0], "pending:") || sv.ids[1] != got.RemoteID {
		t.Errorf("checkpoints = %q, want a pending marker then %s", sv.ids, got.RemoteID)
	}
	wantURL := "https://discord.com/channels/" + discordtest.DefaultGuildID + "/" + discordtest.DefaultChannelID + "/" + got.RemoteID
	if got.URL != wantURL {
		t.Errorf("url = %q, want %q", got.URL, wantURL)
	}
}

func TestPublishEscapesMarkdownInTheTitle(t *testing.T) {
	if got := discord.Content("  5 * 3 _jeux_  ", ""); got != `**5 \* 3 \_jeux\_**` {
		t.Errorf("content = %q", got)
	}
	if got := discord.Content("", " corps "); got != "corps" {
		t.Errorf("content = %q", got)
	}
}

func TestPublishRefusesAMessageOver2000CharactersBeforeAnyRequest(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	p := post("long")
	p.Body = strings.Repeat("é", 2000)
	_, err := e.c.Publish(ctx, p, (&saves{}).save)
	ce := kindOf(t, err, connector.Invalid)
	if !strings.Contains(ce.Message, "2000") || ce.Code != "content_too_long" {
		t.Errorf("error = %+v", ce)
	}
	if n := len(e.srv.Requests()); n != 0 {
		t.Errorf("%d requests were sent", n)
	}
}

func TestPublishRetriedAfterALostResponseCreatesOneMessage(t *testing.T) {
	cases := []struct {
		name string
		// later is how long after the lost attempt the retry comes; keepMarker passes the
		// checkpointed marker back, as the engine does.
		later      time.Duration
		keepMarker bool
	}{
		{"soon, without the marker: the nonce dedupes", time.Minute, false},
		{"soon, with the marker", time.Minute, true},
		{"after the nonce window, with the marker: the channel scan finds it", time.Hour, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, discordtest.Options{})
			seed := e.srv.AddMember(discordtest.Member{Username: "alice", JoinedAt: t0.Add(-time.Hour)})
			e.srv.AddMessage(discordtest.Message{AuthorID: seed.ID, Content: "**Soirée jeux**\n\nVenez *nombreux* jeudi à 19 h."})
			var sv saves
			p := post("entry-lost")
			e.srv.FailNext(1, discordtest.Fault{Kind: discordtest.DropResponse})
			_, err := e.c.Publish(ctx, p, sv.save)
			kindOf(t, err, connector.Unreachable)
			if len(e.srv.Created()) != 1 {
				t.Fatalf("the fake did not create the message")
			}
			e.clock.Advance(tc.later)
			if tc.keepMarker {
				p.RemoteID = sv.last()
			}
			got, err := e.c.Publish(ctx, p, sv.save)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(e.srv.Created()); n != 1 {
				t.Fatalf("%d messages created, want 1", n)
			}
			if got.RemoteID == "" || sv.last() != got.RemoteID {
				t.Errorf("published %+v, checkpoints %q", got, sv.ids)
			}
			// Someone else's message with the same text was not taken for ours.
			if got.RemoteID == seed.ID {
				t.Error("reconciled to another author's message")
			}
		})
	}
}

func TestPublishWithARecordedMessageIDReturnsItWithoutPostingAgain(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	first, err := e.c.Publish(ctx, post("k"), (&saves{}).save)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(24 * time.Hour)
	p := post("k")
	p.RemoteID = first.RemoteID
	again, err := e.c.Publish(ctx, p, (&saves{}).save)
	if err != nil {
		t.Fatal(err)
	}
	if again.RemoteID != first.RemoteID || len(e.srv.Created()) != 1 {
		t.Errorf("again = %+v, created %d", again, len(e.srv.Created()))
	}
	last := e.srv.Requests()[len(e.srv.Requests())-1]
	if last.Method != "GET" || !strings.HasSuffix(last.Path, "/messages/"+first.RemoteID) {
		t.Errorf("last request = %+v", last)
	}
}

func TestPublishStopsWhenTheCheckpointFails(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	_, err := e.c.Publish(ctx, post("k"), func(string) error { return errSinkDown })
	if err != errSinkDown || len(e.srv.Created()) != 0 {
		t.Errorf("err = %v, created = %d", err, len(e.srv.Created()))
	}
}

func TestWebhookPublishPostsWithWaitAndNoAuthorization(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	c := e.webhook(t, "", 5*time.Second)
	if err := c.Check(ctx); err != nil {
		t.Fatal(err)
	}
	var sv saves
	got, err := c.Publish(ctx, post("hook"), sv.save)
	if err != nil {
		t.Fatal(err)
	}
	if cr := e.srv.Created(); len(cr) != 1 || !strings.HasPrefix(cr[0], "**Soirée jeux**") {
		t.Fatalf("created = %q", cr)
	}
	reqs := e.srv.Requests()
	r := reqs[len(reqs)-1]
	wantPath := "/api/v10/webhooks/" + discordtest.DefaultWebhookID + "/" + discordtest.DefaultWebhookToken
	if r.Method != "POST" || r.Path != wantPath || r.Query.Get("wait") != "true" || r.Auth || strings.Contains(r.Body, "nonce") {
		t.Errorf("request = %+v", r)
	}
	if sv.last() != got.RemoteID || !strings.HasPrefix(got.URL, "https://discord.com/channels/"+discordtest.DefaultGuildID+"/") {
		t.Errorf("published = %+v, checkpoints = %q", got, sv.ids)
	}
	// A retry with the checkpointed id finds the message instead of posting again.
	p := post("hook")
	p.RemoteID = got.RemoteID
	if again, err := c.Publish(ctx, p, sv.save); err != nil || again.RemoteID != got.RemoteID || len(e.srv.Created()) != 1 {
		t.Errorf("retry = %+v, %v; created %d", again, err, len(e.srv.Created()))
	}
	// Pull reads nothing and keeps the cursor.
	if cur, err := c.Pull(ctx, "opaque", &sink{}); err != nil || cur != "opaque" {
		t.Errorf("pull = %q, %v", cur, err)
	}
}

func TestADeletedWebhookIsGone(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	c := e.webhook(t, "", 5*time.Second)
	e.srv.DeleteWebhook()
	_, err := c.Publish(ctx, post("hook"), (&saves{}).save)
	ce := kindOf(t, err, connector.Gone)
	if ce.Code != "10015" || !strings.Contains(ce.Message, "webhook was deleted") {
		t.Errorf("error = %+v", ce)
	}
	noSecret(t, err, discordtest.DefaultWebhookToken)
}

func TestTheWebhookURLAppearsInNoError(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	hook := e.srv.WebhookURL(e.url)
	secrets := []string{hook, discordtest.DefaultWebhookToken}
	wrongToken := strings.Replace(hook, discordtest.DefaultWebhookToken, "not-the-token", 1)
	err := e.webhook(t, wrongToken, 5*time.Second).Check(ctx)
	kindOf(t, err, connector.Auth)
	noSecret(t, err, wrongToken, "not-the-token")

	c := e.webhook(t, "", 300*time.Millisecond)
	faults := []struct {
		f    discordtest.Fault
		kind connector.Kind
	}{
		{discordtest.Fault{Kind: discordtest.ServerError}, connector.Temporary},
		{discordtest.Fault{Kind: discordtest.Malformed}, connector.Temporary},
		{discordtest.Fault{Kind: discordtest.TooManyRequests, RetryAfter: time.Millisecond}, connector.RateLimited},
		{discordtest.Fault{Kind: discordtest.Stall}, connector.Unreachable},
		{discordtest.Fault{Kind: discordtest.DropResponse}, connector.Unreachable},
	}
	for _, f := range faults {
		e.srv.FailNext(1, f.f)
		_, err := c.Publish(ctx, post("hook"), (&saves{}).save)
		kindOf(t, err, f.kind)
		noSecret(t, err, secrets...)
	}
	closed := e.webhook(t, "http://127.0.0.1:1/api/webhooks/1/closed-port-token", time.Second)
	err = closed.Check(ctx)
	kindOf(t, err, connector.Unreachable)
	noSecret(t, err, "closed-port-token")
}

func TestFailuresAreClassified(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	fast := e.bot(t, discordtest.DefaultToken, true)
	cases := []struct {
		name  string
		fault discordtest.FaultKind
		want  connector.Kind
	}{
		{"a 500", discordtest.ServerError, connector.Temporary},
		{"a malformed body", discordtest.Malformed, connector.Temporary},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.srv.FailNext(1, discordtest.Fault{Kind: tc.fault})
			err := fast.Check(ctx)
			kindOf(t, err, tc.want)
			noSecret(t, err, discordtest.DefaultToken)
		})
	}
	t.Run("a timeout", func(t *testing.T) {
		s := connections.Settings{Channel: discordtest.DefaultChannelID, APIURL: e.url}
		c, err := discord.New(connector.Config{Connection: connections.Connection{Settings: s}, Secret: discordtest.DefaultToken,
			HTTP: &http.Client{Timeout: 100 * time.Millisecond}})
		if err != nil {
			t.Fatal(err)
		}
		e.srv.FailNext(1, discordtest.Fault{Kind: discordtest.Stall})
		err = c.Check(ctx)
		kindOf(t, err, connector.Unreachable)
		noSecret(t, err, discordtest.DefaultToken)
	})
	t.Run("an unknown channel", func(t *testing.T) {
		s := connections.Settings{Channel: "42", APIURL: e.url}
		c, _ := discord.New(connector.Config{Connection: connections.Connection{Settings: s}, Secret: discordtest.DefaultToken})
		ce := kindOf(t, c.Check(ctx), connector.Gone)
		if ce.Code != "10003" {
			t.Errorf("error = %+v", ce)
		}
	})
	t.Run("members without the intent", func(t *testing.T) {
		e := newEnv(t, discordtest.Options{DenyMembers: true})
		_, err := e.c.Pull(ctx, "", &sink{})
		ce := kindOf(t, err, connector.Auth)
		if ce.Code != "50001" || !strings.Contains(ce.Message, "Server Members intent") {
			t.Errorf("error = %+v", ce)
		}
	})
}

func TestA429GivesRateLimitedWithDiscordsWaitAndPausesTheConnection(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	e.srv.FailNext(1, discordtest.Fault{Kind: discordtest.TooManyRequests, RetryAfter: 2500 * time.Millisecond})
	err := e.c.Check(ctx)
	ce := kindOf(t, err, connector.RateLimited)
	if ce.RetryAfter != 2500*time.Millisecond || ce.Status != 429 {
		t.Errorf("error = %+v", ce)
	}
	sent := len(e.srv.Requests())
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := e.c.Check(short); err == nil {
		t.Fatal("the next request went through during the pause")
	}
	if n := len(e.srv.Requests()); n != sent {
		t.Errorf("%d requests reached Discord during the pause", n-sent)
	}
}

func TestASpentBucketPausesTheConnectionUntilItsReset(t *testing.T) {
	e := newEnv(t, discordtest.Options{RateLimit: 1, RateWindow: time.Hour})
	if err := e.c.Check(ctx); err != nil {
		t.Fatal(err)
	}
	h := e.srv.Requests()
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := e.c.Check(short); err == nil {
		t.Fatal("the next request went through with X-RateLimit-Remaining: 0")
	}
	if len(e.srv.Requests()) != len(h) {
		t.Error("a request reached Discord with the bucket spent")
	}
}

func TestTheFakesOwnRateLimitAnswersDiscords429(t *testing.T) {
	e := newEnv(t, discordtest.Options{GlobalLimit: 1})
	if err := e.c.Check(ctx); err != nil {
		t.Fatal(err)
	}
	err := e.c.Check(ctx)
	ce := kindOf(t, err, connector.RateLimited)
	if ce.RetryAfter != time.Second || !strings.Contains(ce.Message, "global") {
		t.Errorf("error = %+v", ce)
	}
}
