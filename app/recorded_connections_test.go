package app

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"

	"hearth/backend/activity"
	"hearth/backend/calendar"
	"hearth/backend/clock"
	"hearth/backend/connections"
	"hearth/backend/credentials"
	"hearth/backend/notify"
	"hearth/backend/syncstate"
	"hearth/backend/wiring"
	"hearth/sync/discord/discordtest"
	"hearth/sync/discourse/discoursetest"
	"hearth/sync/engine"
	"hearth/sync/mailchimp/mailchimptest"
	"hearth/sync/mastodon/mastodontest"
	"hearth/sync/platforms"
	"hearth/sync/rss/rsstest"
)

// The recorded platforms: the repo's platform fakes, reached under the addresses a person types
// (platformHosts sends https://forum.example.org to the Discourse fake, …); offline.example is
// not served (connection refused). The secrets they accept are the ones below.
const (
	forumURL     = "https://forum.example.org"
	forumUser    = "hearth"
	forumKey     = "s3cret-key"
	mastodonURL  = "https://mastodon.example"
	mastodonKey  = "mastodon-token"
	offlineURL   = "https://offline.example"
	feedURL      = "https://blog.example.net/rss.xml"
	discordToken = discordtest.DefaultToken
	discordChan  = discordtest.DefaultChannelID
	mailchimpKey = mailchimptest.DefaultKey
	// refusedKey is a Mailchimp key of the right shape that the fake refuses.
	refusedKey = "ffffffffffffffffffffffffffffffff-us21"
)

// webhookURL is the Discord fake's webhook, as Discord gives it.
var webhookURL = "https://discord.com/api/webhooks/" + discordtest.DefaultWebhookID + "/" + discordtest.DefaultWebhookToken

// recordedSecrets are every secret the recordings send; none may appear in a recording.
var recordedSecrets = []string{forumKey, mastodonKey, discordToken, mailchimpKey, refusedKey, discordtest.DefaultWebhookToken, "wrong-key"}

// secretMark is how a recording's key names a secret the window sent: its FNV-1a hash, never
// the secret itself (the fake, frontend/src/api/fake/connections.ts, writes it alike).
func secretMark(s string) string {
	if s == "" {
		return ""
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return fmt.Sprintf("secret:%08x", h.Sum32())
}

// platformHosts sends a request for a host the recordings name to the platform fake serving it.
type platformHosts struct {
	to map[string]*url.URL
	// failPosts are the hosts whose every POST meets a 502 Bad Gateway on the way (reads pass).
	failPosts map[string]bool
}

func (h *platformHosts) RoundTrip(r *http.Request) (*http.Response, error) {
	to, ok := h.to[r.URL.Host]
	if !ok {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	}
	if r.Method == http.MethodPost && h.failPosts[r.URL.Host] {
		return &http.Response{StatusCode: http.StatusBadGateway, Status: "502 Bad Gateway", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Content-Type": {"text/html"}}, Body: io.NopCloser(strings.NewReader("<html><body><h1>502 Bad Gateway</h1></body></html>")),
			Request: r}, nil
	}
	out := r.Clone(r.Context())
	out.URL.Scheme, out.URL.Host, out.Host = to.Scheme, to.Host, r.URL.Host
	return http.DefaultTransport.RoundTrip(out)
}

// startRecordedPlatforms starts a fake of each platform with fixed data on a fixed clock and
// returns the client that reaches them under the recordings' addresses.
func startRecordedPlatforms(t *testing.T) (*http.Client, *platformHosts) {
	t.Helper()
	now := func() time.Time { return recordedNow }
	hosts := &platformHosts{to: map[string]*url.URL{}, failPosts: map[string]bool{}}
	add := func(host, root string) {
		u, err := url.Parse(root)
		if err != nil {
			t.Fatal(err)
		}
		hosts.to[host] = u
	}
	forum, root := discoursetest.Start(t, discoursetest.Options{APIKey: forumKey, Username: forumUser, Now: now})
	forum.Generate(2, 6)
	add("forum.example.org", root)
	dc, root := discordtest.Start(t, discordtest.Options{Now: now})
	dc.Generate(2, 3)
	add("discord.com", root)
	masto, root := mastodontest.Start(t, mastodontest.Options{Token: mastodonKey, Now: now})
	masto.Generate(2, 3)
	add("mastodon.example", root)
	_, root = mailchimptest.Start(t, mailchimptest.Options{Now: now})
	add("us21.api.mailchimp.com", root)
	_, root = rsstest.Start(t, rsstest.Options{Now: now})
	add("blog.example.net", root)
	return &http.Client{Transport: hosts, Timeout: 20 * time.Second}, hosts
}

// recordedSyncEngine is the sync engine main.go wires (sync/platforms), over the recorded
// workspace's clock and the platform fakes.
func recordedSyncEngine(b *wiring.Backend, client *http.Client) *engine.Engine {
	factories := make(map[connections.Platform]engine.Factory)
	for p, f := range platforms.Factories() {
		factories[p] = f
	}
	return engine.New(engine.Options{
		Store: b.Workspace.Store, Outbox: b.Outbox, State: b.SyncState, Connections: b.Connections,
		Factories: factories,
		Ingest:    func(c connections.Connection) engine.Ingester { return b.Activity.Ingest(c) },
		Audience:  engine.MemberAudience(b.Workspace.Store, b.Members, b.Consent, nil),
		HTTP:      client, Clock: b.Clock, NoLimit: true, Dir: b.Workspace.Dir, PullEvery: platforms.PullEvery,
		// A failed post is tried again after a random delay (full jitter); a millisecond at most
		// here, and deliveries' nextAt is recorded to the second, so that the recordings are
		// the same on every run.
		BackoffBase: time.Millisecond, BackoffMax: time.Millisecond,
	})
}

// connStart is a recorded starting workspace of the Connections and Sync screens.
type connStart string

const (
	// startEmpty: the recorded members, no connection.
	startEmpty connStart = "empty"
	// startConnected: a connection on each platform (the forum, a Discord bot, a Mastodon
	// account on an instance that cannot be reached, a Mailchimp audience whose key is refused,
	// a blog's feed), and calendar posts due for the forum, Discord, Mastodon, the newsletter
	// and an old forum no connection is named; never synced.
	startConnected connStart = "connected"
	// startFailing: the forum alone, with a post due, and every new topic sent to the forum
	// meeting a 502 Bad Gateway (reading it works).
	startFailing connStart = "failing"
)

// connWorld is one scenario's workspace and the services the screens call.
type connWorld struct {
	t     *testing.T
	b     *wiring.Backend
	conns *ConnectionsService
	sync  *SyncService
	eng   *engine.Engine
	clk   *clock.Manual
	heard *notify.Recorder  // what the services emitted, for the window
	names map[string]string // connection ids by their recorded names
	s     *scenario
}

// TestRecordAnswersForTheWindowFakeConnections records Settings > Connections and the Sync
// screen as scenarios (see recorded_scenario_test.go) over the quiet recorded workspace with
// Go's sync engine talking to the platform fakes: adding a connection on each platform (and
// Go's field rejections), testing, editing, pausing and removing one, syncing (what was pulled,
// published, kept for later or parked after 8 failed attempts), retrying a parked post and
// stopping a run, each step with the events it emitted. Each scenario's first step is
// `seed["<start>"]`, the starting workspace the fake is asked for. The workspace is reopened
// on a manual clock at recordedNow with a notifier, so that the events are recorded too.
func TestRecordAnswersForTheWindowFakeConnections(t *testing.T) {
	saved := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = saved })

	add := func(js string) connStep { return connCall("connections.add", js) }
	forum := `{"name":"forum","platform":"discourse","settings":{"url":"` + forumURL + `","username":"` + forumUser + `"},"secret":"` + forumKey + `"}`
	veille := `{"name":"veille","platform":"rss","settings":{"url":"` + feedURL + `"},"secret":""}`
	rejected := []connStep{
		add(`{"name":"","platform":"discourse","settings":{},"secret":""}`),
		add(`{"name":"forum","platform":"discourse","settings":{"url":"forum.example.org","username":"hearth"},"secret":"` + forumKey + `"}`),
		add(`{"name":"x","platform":"discord","settings":{},"secret":""}`),
		add(`{"name":"x","platform":"discord","settings":{"webhook":true},"secret":"not a url"}`),
		add(`{"name":"x","platform":"mailchimp","settings":{"apiUrl":"ftp://x"},"secret":""}`),
		add(`{"name":"x","platform":"mailchimp","settings":{"listId":"` + mailchimptest.DefaultList + `"},"secret":"no-data-centre"}`),
		add(`{"name":"x","platform":"mastodon","settings":{"url":"https://m.example"},"secret":""}`),
		add(`{"name":"x","platform":"rss","settings":{},"secret":""}`),
		add(`{"name":"` + strings.Repeat("n", connections.MaxName+1) + `","platform":"rss","settings":{"url":"` + feedURL + `"},"secret":""}`),
		add(`{"name":"a\u0007b","platform":"rss","settings":{"url":"` + feedURL + `"},"secret":""}`),
		add(`{"name":"x","platform":"smtp","settings":{},"secret":""}`),
	}
	everyPlatform := []connStep{
		add(forum),
		connCall("connections.test", `"forum"`),
		add(`{"name":"Forum","platform":"rss","settings":{"url":"` + feedURL + `"},"secret":""}`), // the name is taken
		add(`{"name":"discord","platform":"discord","settings":{"channel":"` + discordChan + `"},"secret":"` + discordToken + `"}`),
		connCall("connections.test", `"discord"`),
		add(`{"name":"annonces","platform":"discord","settings":{"webhook":true},"secret":"` + webhookURL + `"}`),
		connCall("connections.test", `"annonces"`),
		add(`{"name":"mastodon","platform":"mastodon","settings":{"url":"` + mastodonURL + `"},"secret":"` + mastodonKey + `"}`),
		connCall("connections.test", `"mastodon"`),
		add(`{"name":"newsletter","platform":"mailchimp","settings":{"listId":"` + mailchimptest.DefaultList + `"},"secret":"` + mailchimpKey + `"}`),
		connCall("connections.test", `"newsletter"`),
		add(veille),
		connCall("connections.test", `"veille"`),
		connCall("sync.runNow"),
	}
	scenarios := []struct {
		start connStart
		steps []connStep
	}{
		{startEmpty, append(slices.Clone(rejected), add(forum))},
		{startEmpty, everyPlatform},
		{startEmpty, []connStep{
			add(forum),
			connCall("connections.update", `"forum"`, `{"name":"forum","settings":{"url":"`+forumURL+`","username":"`+forumUser+`","category":"7"}}`),
		}},
		{startEmpty, []connStep{
			add(forum),
			connCall("connections.update", `"forum"`, `{"paused":true}`),
			connCall("connections.update", `"forum"`, `{"paused":false}`),
			connCall("connections.remove", `"forum"`),
		}},
		{startEmpty, []connStep{
			add(`{"name":"forum","platform":"discourse","settings":{"url":"` + forumURL + `","username":"` + forumUser + `"},"secret":"wrong-key"}`),
			connCall("connections.test", `"forum"`),
			connCall("connections.update", `"forum"`, `{"name":"forum","settings":{"url":"`+forumURL+`","username":"`+forumUser+`"},"secret":"`+forumKey+`"}`),
			connCall("connections.test", `"forum"`),
		}},
		{startEmpty, []connStep{add(veille), connCall("sync.runNow")}},
		{startConnected, []connStep{connCall("connections.test", `"forum"`), connCall("connections.test", `"newsletter"`),
			connCall("connections.test", `"mastodon"`)}},
		{startFailing, append(slices.Repeat([]connStep{twoHoursLater(connCall("sync.runNow"))}, 8),
			retryDelivery(syncstate.Parked, syncstate.ReasonTooManyFailures), twoHoursLater(connCall("sync.runNow")))},
		// Editing each platform's connection: Go's rejections, fixing what fails, removing.
		{startConnected, []connStep{
			connCall("connections.update", `"mastodon"`, `{"name":"mastodon","settings":{}}`),
			connCall("connections.update", `"discord"`, `{"name":"Forum","settings":{"channel":"`+discordChan+`"}}`),
			connCall("connections.update", `"discord"`, `{"name":"discord","settings":{"webhook":true}}`),
			connCall("connections.update", `"mastodon"`, `{"name":"mastodon","settings":{"url":"`+mastodonURL+`"}}`),
			connCall("connections.test", `"mastodon"`),
			connCall("connections.update", `"newsletter"`, `{"name":"newsletter","settings":{"listId":"`+mailchimptest.DefaultList+`"},"secret":"`+mailchimpKey+`"}`),
			connCall("connections.test", `"newsletter"`),
			connCall("connections.update", `"discord"`, `{"name":"discord","settings":{"webhook":true},"secret":"`+webhookURL+`"}`),
			connCall("connections.test", `"discord"`),
			connCall("connections.update", `"veille"`, `{"name":"veille","settings":{"url":"`+feedURL+`","keywords":["Bénévoles"," quartier "]}}`),
			connCall("connections.remove", `"forum"`),
			connCall("sync.runNow"),
		}},
		// Demo mode starts after one run: Sync now again, and each connection's Test.
		{startConnected, []connStep{connCall("sync.runNow"), twoHoursLater(connCall("sync.runNow"))}},
		{startConnected, []connStep{connCall("sync.runNow"), connCall("connections.test", `"forum"`),
			connCall("connections.test", `"discord"`), connCall("connections.test", `"mastodon"`),
			connCall("connections.test", `"newsletter"`), connCall("connections.test", `"veille"`)}},
		{startConnected, []connStep{connCall("sync.runNow"), retryDelivery(syncstate.Queued, ""),
			retryDelivery(syncstate.Parked, syncstate.ReasonNoConnection), connCall("sync.runNow")}},
	}

	all := map[string]json.RawMessage{}
	for _, sc := range scenarios {
		w, ids := openConnWorld(t, sc.start)
		w.s.step("", "seed", []any{string(sc.start)}, nil, nil)
		w.read()
		for _, st := range sc.steps {
			st(w)
			w.read()
		}
		scenarioAnswers(t, all, ids, w.s)
	}
	// A run stopped (Sync screen's Stop) before it did anything: its error, in the states a
	// person can press Stop in (the fake plays it when Stop comes during its run).
	for _, before := range [][]connStep{nil, {connCall("sync.runNow")}} {
		w, ids := openConnWorld(t, startConnected)
		w.s.step("", "seed", []any{string(startConnected)}, nil, nil)
		for _, st := range before {
			st(w)
		}
		w.stoppedRun()
		scenarioAnswers(t, all, ids, w.s)
	}
	sortEvents(t, all)
	b, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range recordedSecrets {
		if strings.Contains(string(b), secret) {
			t.Fatalf("a recording holds the secret %q", secret)
		}
	}
	holdRecording(t, "connections", all)
}

// openConnWorld seeds the quiet recorded workspace, starts the platform fakes and the sync
// engine, and sets the start up.
func openConnWorld(t *testing.T, start connStart) (*connWorld, []idName) {
	t.Helper()
	seeded, ids := seedRecordedWorkspace(t, false)
	// Reopened with a notifier, so that the recordings hold the events the window hears.
	dir := seeded.Workspace.Dir
	if err := seeded.Close(); err != nil {
		t.Fatal(err)
	}
	secrets, err := credentials.Open(credentials.Options{Dir: t.TempDir(), Keychain: credentials.KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	heard, clk := &notify.Recorder{}, clock.NewManual(recordedNow)
	b, err := wiring.Open(context.Background(), wiring.Options{Dir: dir, Secrets: secrets, Clock: clk, Notifier: heard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	client, hosts := startRecordedPlatforms(t)
	eng := recordedSyncEngine(b, client)
	w := &connWorld{t: t, b: b, eng: eng, clk: clk, heard: heard, names: map[string]string{}, s: newScenario(t),
		conns: NewConnectionsService(b.Connections, eng, b.Clock),
		sync:  NewSyncService(SyncDeps{Connections: b.Connections, State: b.SyncState, Activity: b.Activity, Engine: eng})}
	if start == startEmpty {
		return w, ids
	}
	ctx := windowCtx()
	if start == startFailing {
		c, err := b.Connections.Add(ctx, connections.AddInput{Name: "forum", Platform: connections.Discourse,
			Settings: connections.Settings{URL: forumURL, Username: forumUser}, Secret: forumKey})
		if err != nil {
			t.Fatal(err)
		}
		w.name(c.ID, c.Name)
		w.due("Call for speakers", "forum")
		hosts.failPosts["forum.example.org"] = true
		return w, ids
	}
	for _, in := range []connections.AddInput{
		{Name: "forum", Platform: connections.Discourse, Settings: connections.Settings{URL: forumURL, Username: forumUser}, Secret: forumKey},
		{Name: "discord", Platform: connections.Discord, Settings: connections.Settings{Channel: discordChan}, Secret: discordToken},
		{Name: "mastodon", Platform: connections.Mastodon, Settings: connections.Settings{URL: offlineURL}, Secret: mastodonKey},
		{Name: "newsletter", Platform: connections.Mailchimp, Settings: connections.Settings{ListID: mailchimptest.DefaultList}, Secret: refusedKey},
		{Name: "veille", Platform: connections.RSS, Settings: connections.Settings{URL: feedURL}},
	} {
		c, err := b.Connections.Add(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		w.name(c.ID, c.Name)
	}
	for _, p := range []struct{ title, channel string }{
		{"Welcome, new members!", "forum"},
		{"Meetup on Thursday", "mastodon"},
		{"Call for speakers", "old-forum"},
		{"Server rules updated", "discord"},
		{"Spring newsletter", "newsletter"},
	} {
		w.due(p.title, p.channel)
	}
	return w, ids
}

// due schedules a calendar post for channel an hour ago and hands it to the outbox.
func (w *connWorld) due(title, channel string) {
	ctx := windowCtx()
	_, err := w.b.Calendar.Create(ctx, calendar.CreateInput{Title: title, Body: title + " — see you there.",
		Channels: []string{channel}, Status: calendar.Scheduled, TimeZone: "UTC", At: recordedNow.Add(-time.Hour)})
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.b.Calendar.PublishDue(ctx, recordedNow); err != nil {
		w.t.Fatal(err)
	}
}

// twoHoursLater lets two hours pass before step: each run of the failing forum at its own time.
func twoHoursLater(step connStep) connStep {
	return func(w *connWorld) {
		w.clk.Advance(2 * time.Hour)
		step(w)
	}
}

// name gives connection id its recorded name (conn-<name>).
func (w *connWorld) name(id, name string) {
	w.names[name] = id
	w.s.named = append(w.s.named, idName{id, "conn-" + name})
}

// nameOnce names a record the screens show (a delivery, an activity, a person a sync added)
// by what it is, so that every scenario names it alike; seeded members keep their names.
func (w *connWorld) nameOnce(id, name string) {
	if id == "" || slices.ContainsFunc(w.s.named, func(n idName) bool { return n.id == id }) {
		return
	}
	w.s.named = append(w.s.named, idName{id, name})
}

// nameSlug is s in lower case with runs of other characters than letters and digits as "-".
func nameSlug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// connStep is one thing a person does on the two screens.
type connStep func(w *connWorld)

// connCall sends what the screen sends (connections by their names; secrets as the window
// types them, keyed by their secretMark) and records the answer as a step.
func connCall(method string, args ...string) connStep {
	return func(w *connWorld) {
		t := w.t
		real := make([]string, len(args))
		for i, a := range args {
			real[i] = a
			if strings.HasPrefix(a, `"`) {
				var n string
				if err := json.Unmarshal([]byte(a), &n); err == nil {
					if id, ok := w.names[n]; ok {
						real[i] = `"` + id + `"`
					}
				}
			}
		}
		sent := []any{}
		for _, a := range real {
			var g any
			if err := json.Unmarshal([]byte(a), &g); err != nil {
				t.Fatalf("%s: %v", a, err)
			}
			if m, ok := g.(map[string]any); ok {
				if s, ok := m["secret"].(string); ok {
					m["secret"] = secretMark(s)
				}
			}
			sent = append(sent, g)
		}
		str := func(i int) string { return sent[i].(string) }
		var v any
		var err error
		defer w.events(method, sent)()
		switch method {
		case "connections.add":
			in, _ := argsAs[connections.AddInput](t, real[0])
			var c connections.Connection
			c, err = w.conns.Add(in)
			v = c
			if err == nil {
				w.s.step("", method, sent, v, err)
				w.name(c.ID, c.Name)
				return
			}
		case "connections.update":
			p, _ := argsAs[connections.Patch](t, real[1])
			v, err = w.conns.Update(str(0), p)
		case "connections.remove":
			err = w.conns.Remove(str(0))
		case "connections.test":
			v, err = w.conns.Test(str(0))
		case "sync.runNow":
			v, err = w.sync.RunNow()
		case "sync.retry":
			v, err = w.sync.Retry(str(0))
		default:
			t.Fatalf("no step %s", method)
		}
		w.s.step("", method, sent, v, err)
	}
}

// retryDelivery retries the delivery in state for reason ("": any), as a parked row's button
// does.
func retryDelivery(state syncstate.DeliveryState, reason string) connStep {
	return func(w *connWorld) {
		listed, err := w.sync.Deliveries(syncstate.DeliveryQuery{State: state, Limit: 200})
		if err != nil {
			w.t.Fatal(err)
		}
		for _, d := range listed {
			if reason == "" || d.ReasonCode == reason {
				heard := w.events("sync.retry", []any{d.ID})
				v, err := w.sync.Retry(d.ID)
				heard()
				w.s.step("", "sync.retry", []any{d.ID}, v, err)
				return
			}
		}
		all, _ := w.sync.Deliveries(syncstate.DeliveryQuery{Limit: 200})
		ov, _ := w.sync.Overview()
		w.t.Fatalf("nothing %s for %q: %+v\n%+v\n%+v", state, reason, listed, all, ov)
	}
}

// events starts listening to what a step emits; the function it returns records, under the
// step's key as `events:<method>` in the state before the step, each event the step emitted
// once (a run emits sync:changed as often as the wall clock lets it); sortEvents orders them.
func (w *connWorld) events(method string, args []any) func() {
	prefix, from := w.s.prefix(""), len(w.heard.Events())
	return func() {
		seen := map[string]bool{}
		out := []map[string]any{}
		for _, e := range w.heard.Events()[from:] {
			ev := map[string]any{"event": e.Name, "payload": e.Payload}
			if k := canonical(w.t, ev); !seen[k] {
				seen[k] = true
				out = append(out, ev)
			}
		}
		w.s.r.call(prefix+"events:"+method, args, out, nil)
	}
}

// sortEvents puts each step's events in the order of their JSON once ids are named: a run pulls
// its connections at once, so their events come in any order.
func sortEvents(t *testing.T, all map[string]json.RawMessage) {
	for k, v := range all {
		if !strings.Contains(k, "|events:") {
			continue
		}
		var a struct {
			OK []json.RawMessage `json:"ok"`
		}
		if err := json.Unmarshal(v, &a); err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(a.OK, func(x, y json.RawMessage) int { return strings.Compare(string(x), string(y)) })
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		all[k] = b
	}
}

// stoppedRun records the error of a run stopped at once, and checks it changed nothing.
func (w *connWorld) stoppedRun() {
	state := func() string {
		ov, err := w.sync.Overview()
		if err != nil {
			w.t.Fatal(err)
		}
		ov.Running, ov.LastRunAt = false, time.Time{}
		ds, err := w.sync.Deliveries(syncstate.DeliveryQuery{Limit: 200})
		if err != nil {
			w.t.Fatal(err)
		}
		return canonical(w.t, []any{ov, ds})
	}
	before := state()
	ctx, cancel := context.WithCancel(windowCtx())
	cancel()
	_, err := w.eng.RunOnce(ctx)
	if err == nil {
		w.t.Fatal("a stopped run did not say so")
	}
	if after := state(); after != before {
		w.t.Fatalf("a run stopped before it started changed the sync state:\n%s\n%s", before, after)
	}
	w.s.read("", "sync.runNow:stopped", []any{}, nil, err)
}

// read records what the two screens and the status bar read in the current state.
func (w *connWorld) read() {
	s := w.s
	list, err := w.conns.List()
	s.read("", "connections.list", []any{}, list, err)
	s.read("", "connections.secretBackend", []any{}, w.conns.SecretBackend(), nil)
	ov, err := w.sync.Overview()
	s.read("", "sync.overview", []any{}, ov, err)
	for _, state := range []syncstate.DeliveryState{syncstate.Queued, syncstate.Sending, syncstate.Parked} {
		q := syncstate.DeliveryQuery{State: state, Limit: 200}
		ds, err := w.sync.Deliveries(q)
		for i, d := range ds {
			ds[i].NextAt = d.NextAt.Truncate(time.Second)
			w.nameOnce(d.ID, "delivery-"+nameSlug(d.Channel))
			w.nameOnce(d.EntryID, "entry-"+nameSlug(d.Channel))
			if id, _, ok := strings.Cut(d.EntryKey, "@"); ok {
				w.nameOnce(id, "item-"+nameSlug(d.Channel))
			}
		}
		s.read("", "sync.deliveries", []any{map[string]any{"state": state, "limit": 200}}, ds, err)
	}
	feed := func(q activity.FeedQuery, key map[string]any) activity.FeedPage {
		page, err := w.sync.Feed(q)
		if page.Next == "" {
			// One run pulls the connections at once, so items stored in the same instant by
			// two connections come in either order; each connection's own order is kept.
			sort.SliceStable(page.Items, func(i, j int) bool { return page.Items[i].Connection < page.Items[j].Connection })
		}
		for _, it := range page.Items {
			w.nameOnce(it.ID, "act-"+string(it.Platform)+"-"+nameSlug(it.RemoteID))
			if it.MemberID != "" {
				w.nameOnce(it.MemberID, "person-"+string(it.Platform)+"-"+nameSlug(it.MemberName))
			}
		}
		s.read("", "sync.feed", []any{key}, page, err)
		return page
	}
	page := feed(activity.FeedQuery{Limit: 50}, map[string]any{"limit": 50})
	if page.Next != "" {
		feed(activity.FeedQuery{Limit: 50, Before: page.Next}, map[string]any{"limit": 50, "before": page.Next})
	}
	for _, c := range list {
		feed(activity.FeedQuery{Limit: 50, Connection: c.ID}, map[string]any{"limit": 50, "connection": c.ID})
		if c.Platform == connections.Discord && !c.Settings.Webhook {
			feed(activity.FeedQuery{Limit: 20, Connection: c.ID}, map[string]any{"limit": 20, "connection": c.ID})
		}
	}
}
