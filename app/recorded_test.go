package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/analytics"
	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/credentials"
	"hearth/backend/members"
	"hearth/backend/newsletter"
	"hearth/backend/segments"
	"hearth/backend/wiring"
	"hearth/sync/imap"
	"hearth/sync/smtp"
	"hearth/sync/smtp/smtptest"
)

// recordedDir is where the window's fake (frontend/src/api/fake) reads the answers it replays.
const recordedDir = "../frontend/src/api/fake/recorded"

// recordedNow is the moment of the recordings: the fake's screen tests set their clock to it.
var recordedNow = time.Date(2026, 3, 16, 12, 0, 0, 0, time.UTC)

// recorder keeps the answers of one service, keyed as the fake asks: the method name then its
// arguments as a JSON array with sorted object keys (`stats["2026-02-15","2026-03-16"]`).
type recorder struct {
	t       *testing.T
	answers map[string]json.RawMessage
}

// call records what a bound method answered: {"ok": value} or {"error": FormatError's JSON}.
func (r *recorder) call(method string, args []any, v any, err error) {
	r.t.Helper()
	key := method + canonical(r.t, args)
	var out any
	if err != nil {
		out = map[string]json.RawMessage{"error": json.RawMessage(FormatError(err).(string))}
	} else {
		out = map[string]any{"ok": v}
	}
	b, jerr := json.Marshal(out)
	if jerr != nil {
		r.t.Fatalf("%s: %v", key, jerr)
	}
	r.answers[key] = b
}

// canonical is v as JSON with object keys sorted, as the fake's key function writes it.
func canonical(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var generic any
	if err := json.Unmarshal(b, &generic); err != nil {
		t.Fatal(err)
	}
	b, err = json.Marshal(generic) // maps marshal with sorted keys
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRecordAnswersForTheWindowFake calls the window's services over a seeded workspace and
// holds their answers to the files the fake replays (frontend/src/api/fake/recorded). With
// HEARTH_RECORD=1 it rewrites the files (make generate does); otherwise a Go change that alters
// an answer fails here until the recordings are refreshed, so a screen test can only pass on
// what Go really answers.
func TestRecordAnswersForTheWindowFake(t *testing.T) {
	saved := time.Local
	time.Local = time.UTC // the days of the recordings are the fake's whatever the machine's zone
	t.Cleanup(func() { time.Local = saved })

	b, ids := seedRecordedWorkspace(t, true)
	quiet, quietIDs := seedRecordedWorkspace(t, false)
	files := map[string]map[string]json.RawMessage{
		"dashboard":       recordDashboard(t, b, true),
		"members":         recordMembers(t, b),
		"dashboard-quiet": recordDashboard(t, quiet, false),
	}
	for name, answers := range files {
		ids := ids
		if name == "dashboard-quiet" {
			ids = quietIDs
		}
		got := normaliseIDs(t, ids, mustIndent(t, map[string]any{"now": recordedNow, "answers": answers}))
		path := filepath.Join(recordedDir, name+".json")
		if os.Getenv("HEARTH_RECORD") == "1" {
			if err := os.MkdirAll(recordedDir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (record with HEARTH_RECORD=1 or make generate)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: Go answers differently from the recording the fake replays; re-record with "+
				"`HEARTH_RECORD=1 go test -tags webkit2_41 ./app/ -run TestRecordAnswersForTheWindowFake` "+
				"(or make generate) and update the screen tests that disagree.\n%s", path, firstDiff(got, want))
		}
	}
}

func mustIndent(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

var ulidRE = regexp.MustCompile(`\b[0-9A-HJKMNP-TV-Z]{26}\b`)

// normaliseIDs puts fixed names in place of the workspace's random ids: known records by the
// order they were seeded, any other id by its first appearance.
func normaliseIDs(t *testing.T, ids []idName, b []byte) []byte {
	t.Helper()
	s := string(b)
	for _, id := range ids {
		s = strings.ReplaceAll(s, id.id, id.name)
	}
	seen := map[string]string{}
	return []byte(ulidRE.ReplaceAllStringFunc(s, func(u string) string {
		if n, ok := seen[u]; ok {
			return n
		}
		seen[u] = fmt.Sprintf("id-%02d", len(seen)+1)
		return seen[u]
	}))
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n  go:       %s\n  recorded: %s", i+1, gl, wl)
		}
	}
	return ""
}

type idName struct{ id, name string }

// seedRecordedWorkspace stores a small bilingual community on a manual clock: members joining
// over six months with tags and handles, and newsletter consent. With active, also a newsletter
// sent over loopback SMTP and activity: questions and answers, words with a mood and topics on
// the rise, a teammate, a member gone quiet and a goal; without, the members have done nothing.
func seedRecordedWorkspace(t *testing.T, active bool) (*wiring.Backend, []idName) {
	t.Helper()
	ctx := windowCtx()
	srv := smtptest.New(t, smtptest.Options{NoTLS: true, Record: true})
	srv.ScriptRcpt("bounce@example.org", 550)
	clk := clock.NewManual(recordedNow.AddDate(0, -6, 0))
	secrets, err := credentials.Open(credentials.Options{Dir: t.TempDir(), Keychain: credentials.KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	b, err := wiring.Open(context.Background(), wiring.Options{Dir: t.TempDir(), Secrets: secrets, Clock: clk, Dialer: smtp.Dialer{},
		Mailboxes: imap.Dialer{Timeout: 10 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })

	people := []struct {
		name, email string
		tags        []string
		handle      string
		joinedAgo   int // days before recordedNow
		consent     bool
	}{
		{"Hélène Dupont", "helene@example.org", []string{"fr", "speaker"}, "helene", 170, true},
		{"Ana Lima", "ana@example.org", []string{"en"}, "ana", 160, true},
		{"Bruno Petit", "bruno@example.org", []string{"fr"}, "", 150, true},
		{"Chloé Martin", "chloe@example.org", []string{"fr", "team"}, "chloe", 140, true},
		{"Dan Roy", "dan@example.org", []string{"en"}, "danroy", 120, true},
		{"Émile Zola", "emile@example.org", []string{"fr", "customer"}, "", 100, true},
		{"Grace Hopper", "grace@example.org", []string{"en", "speaker"}, "grace", 80, false},
		{"Inès Durand", "ines@example.org", []string{"fr"}, "", 60, true},
		{"Jack Smith", "bounce@example.org", []string{"en"}, "", 45, true},
		{"Kim Nguyen", "kim@example.org", []string{"en"}, "kim", 20, false},
		{"Léa Bernard", "lea@example.org", []string{"fr"}, "", 10, true},
		{"Marc Lefèvre", "marc@example.org", []string{"fr"}, "", 3, false},
	}
	var ids []idName
	for i, p := range people {
		clk.Set(recordedNow.AddDate(0, 0, -p.joinedAgo).Add(-2 * time.Hour))
		in := members.CreateInput{Name: p.name, Emails: []string{p.email}, Tags: p.tags}
		if p.handle != "" {
			in.Handles = []members.Handle{{Platform: "discourse", Handle: p.handle}}
		}
		m, err := b.Members.Create(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, idName{m.ID, fmt.Sprintf("member-%02d", i+1)})
		if p.consent {
			if _, err := b.Consent.Grant(ctx, consent.Input{MemberID: m.ID, Purpose: newsletter.Purpose, By: "window"}); err != nil {
				t.Fatal(err)
			}
		}
	}

	if !active {
		clk.Set(recordedNow)
		return b, ids
	}
	// A newsletter two weeks ago.
	sentAt := recordedNow.AddDate(0, 0, -14)
	clk.Set(sentAt.Add(-time.Hour))
	if _, err := b.Newsletters.SaveSettings(ctx, newsletter.SMTPInput{Host: "127.0.0.1", Port: srv.Port, TLS: newsletter.TLSNone,
		FromAddress: "news@hearth.example", FromName: "Hearth"}); err != nil {
		t.Fatal(err)
	}
	n, err := b.Newsletters.Save(ctx, newsletter.Input{Subject: "Des nouvelles de mars", BodyMarkdown: "Bonjour {{first_name}}"})
	if err != nil {
		t.Fatal(err)
	}
	ids = append(ids, idName{n.ID, "newsletter-01"})
	clk.Set(sentAt)
	if _, err := b.Newsletters.Send(ctx, n.ID, nil); err != nil {
		t.Fatal(err)
	}

	// Activity: regulars, occasional posters, someone gone quiet, questions with and without
	// answers, a goal after the newsletter.
	at := func(daysAgo, hour int) time.Time {
		return recordedNow.AddDate(0, 0, -daysAgo).Truncate(24 * time.Hour).Add(time.Duration(hour) * time.Hour)
	}
	var acts []activity.ManualInput
	recent := []string{"Super webinar, merci !", "L'export ne marche pas, nul", "Replay du webinar en ligne", "Export CSV: great, thanks"}
	older := []string{"Compte rendu du meetup", "Photos du meetup", "Newsletter de février", "Bug of the old importer, annoying"}
	for i, d := 0, 1; d < 160; i, d = i+1, d+2 {
		text := older[i%len(older)]
		if d < 30 {
			text = recent[i%len(recent)]
		}
		acts = append(acts, activity.ManualInput{Member: "helene@example.org", Kind: activity.Post, At: at(d, 10), Channel: "forum", Text: text})
	}
	for d := 2; d < 150; d += 5 {
		acts = append(acts, activity.ManualInput{Member: "ana@example.org", Kind: activity.Reply, At: at(d, 15), Channel: "discord"})
	}
	for d := 3; d < 60; d += 9 {
		acts = append(acts, activity.ManualInput{Member: "bruno@example.org", Kind: activity.Reaction, At: at(d, 9)})
	}
	for d := 10; d < 140; d++ { // the most active until he went quiet ten days ago
		acts = append(acts, activity.ManualInput{Member: "dan@example.org", Kind: activity.Post, At: at(d, 18)})
	}
	for i, d := 0, 1; d < 100; i, d = i+1, d+4 {
		text := []string{"Merci, c'est résolu", "Toujours le même bug à l'export"}[i%2]
		acts = append(acts, activity.ManualInput{Member: "chloe@example.org", Kind: activity.Reply, At: at(d, 11), Text: text})
	}
	acts = append(acts,
		activity.ManualInput{Member: "emile@example.org", Kind: activity.Event, At: at(40, 19)},
		activity.ManualInput{Member: "emile@example.org", Kind: activity.Goal, At: at(10, 12)},
		activity.ManualInput{Member: "ines@example.org", Kind: activity.Join, At: at(60, 8)},
		activity.ManualInput{Member: "ines@example.org", Kind: activity.Post, At: at(12, 8), ID: "q-install",
			Title: "Comment installer la version 2 ?", Text: "Comment installer la version 2 ?"},
		activity.ManualInput{Member: "chloe@example.org", Kind: activity.Reply, At: at(12, 10), ID: "a-install", Thread: "q-install", Text: "Avec le paquet Debian."},
		activity.ManualInput{Member: "kim@example.org", Kind: activity.Post, At: at(5, 14), ID: "q-export",
			Title: "How do I export my data?", Text: "How do I export my data?"},
		activity.ManualInput{Member: "ana@example.org", Kind: activity.Reply, At: at(4, 9), ID: "a-export", Thread: "q-export", Text: "Settings, then Export."},
		activity.ManualInput{Member: "lea@example.org", Kind: activity.Post, At: at(2, 16), ID: "q-open",
			Title: "Quelqu'un à Lyon ?", Text: "Quelqu'un à Lyon ?"},
		activity.ManualInput{Member: "marc@example.org", Kind: activity.Join, At: at(3, 10)},
		activity.ManualInput{Member: "grace@example.org", Kind: activity.Mention, At: at(25, 10), Channel: "mastodon"},
	)
	clk.Set(recordedNow)
	if _, err := b.Activity.AddManual(ctx, acts); err != nil {
		t.Fatal(err)
	}
	return b, ids
}

// recordedRanges are the periods the dashboard's presets ask for on recordedNow.
func recordedRanges() [][2]string {
	d := func(y int, m time.Month, day int) string {
		return time.Date(y, m, day, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	y, m, day := recordedNow.Date()
	return [][2]string{
		{d(y, m, day-29), d(y, m, day)}, // last 30 days (the default, and custom's start)
		{d(y, m, day-6), d(y, m, day)},  // last 7 days
		{d(y, m, day-89), d(y, m, day)}, // last 90 days
		{d(y, m, 1), d(y, m, day)},      // this month
		{d(y, m-1, 1), d(y, m, 0)},      // last month
		{d(y, 1, 1), d(y, m, day)},      // this year
	}
}

// recordDashboard records the dashboard's answers for each preset's period and, with settings,
// the ROI and levels forms: saved, rejected, reset.
func recordDashboard(t *testing.T, b *wiring.Backend, settings bool) map[string]json.RawMessage {
	r := &recorder{t: t, answers: map[string]json.RawMessage{}}
	s := dashboardOf(b)
	for _, p := range recordedRanges() {
		from, to := p[0], p[1]
		v, err := s.Stats(from, to, "")
		r.call("stats", []any{from, to, ""}, v, err)
		f, err := s.Funnel(from, to)
		r.call("funnel", []any{from, to}, f, err)
		c, err := s.Campaigns(from, to)
		r.call("campaigns", []any{from, to}, c, err)
		for _, metric := range []string{"new", "active", "churned", "level:1", "level:2", "level:3", "level:4", "gone_quiet", "super_users", "answerers"} {
			ms, err := s.MembersBehind(from, to, metric, "", 20)
			r.call("membersBehind", []any{from, to, metric, "", 20}, ms, err)
		}
	}
	if !settings {
		return r.answers
	}
	// A period that ends before it starts, a day that does not exist, no member asked for.
	_, err := s.Stats("2026-03-16", "2026-03-01", "")
	r.call("stats", []any{"2026-03-16", "2026-03-01", ""}, nil, err)
	_, err = s.Stats("2026-02-30", "2026-03-16", "")
	r.call("stats", []any{"2026-02-30", "2026-03-16", ""}, nil, err)
	last30 := recordedRanges()[0]
	ms, err := s.MembersBehind(last30[0], last30[1], "active", "", 0)
	r.call("membersBehind", []any{last30[0], last30[1], "active", "", 0}, ms, err)

	// A saved segment's numbers (asked by name: the recording holds no id of it), and a
	// segment that does not exist.
	if _, err := b.Segments.Create(windowCtx(), segments.Input{Name: "Francophones", Where: `tag = fr`}); err != nil {
		t.Fatal(err)
	}
	for _, seg := range []string{"Francophones", "nowhere"} {
		v, err := s.Stats(last30[0], last30[1], seg)
		r.call("stats", []any{last30[0], last30[1], seg}, v, err)
	}
	for _, metric := range []string{"active", "super_users"} {
		ms, err := s.MembersBehind(last30[0], last30[1], metric, "Francophones", 20)
		r.call("membersBehind", []any{last30[0], last30[1], metric, "Francophones", 20}, ms, err)
	}

	// ROI: the saved settings, a valid save and a rejected one.
	roi, err := s.ROISettings()
	r.call("roiSettings", []any{}, roi, err)
	for _, in := range []analytics.ROISettings{
		{CostPerMonth: -1, ValuePerConversion: 0, Currency: "EUR"},
		{CostPerMonth: -5, ValuePerConversion: 10, Currency: "EURO"},
		{CostPerMonth: 300, ValuePerConversion: 120.5, Currency: "EUR"}, // saved last: in force below
	} {
		v, err := s.SaveROISettings(in)
		r.call("saveRoiSettings", []any{in}, v, err)
	}
	// The funnel's ROI under the saved settings.
	from, to := recordedRanges()[0][0], recordedRanges()[0][1]
	f, err := s.Funnel(from, to)
	r.call("funnel:afterRoiSaved", []any{from, to}, f, err)

	// Levels: the settings, the defaults, rejected forms, a save and a reset.
	lv, err := s.LevelSettings()
	r.call("levelSettings", []any{}, lv, err)
	r.call("levelDefaults", []any{}, s.LevelDefaults(), nil)
	bads := []func(*analytics.LevelSettings){
		func(l *analytics.LevelSettings) { l.ScoreWindowDays = 3 },
		func(l *analytics.LevelSettings) { l.Milestones[0].MinScore = 1 }, // below level 2's
		func(l *analytics.LevelSettings) { l.Weights["post"] = -1 },
	}
	for _, bad := range bads {
		in := s.LevelDefaults()
		bad(&in)
		v, err := s.SaveLevelSettings(in)
		r.call("saveLevelSettings", []any{in}, v, err)
	}
	good := s.LevelDefaults()
	good.Milestones[2].MinScore = 5
	good.GoalTags = []string{"customer"}
	v, err := s.SaveLevelSettings(good)
	r.call("saveLevelSettings", []any{good}, v, err)
	v, err = s.ResetLevelSettings()
	r.call("resetLevelSettings", []any{}, v, err)
	return r.answers
}

// recordMembers records the seeded members as the list returns them: the fake starts from
// these so that the members behind a number are members it knows. What the Members screen
// lists and the form's rejections are recorded by TestRecordAnswersForTheWindowFakeMembers.
func recordMembers(t *testing.T, b *wiring.Backend) map[string]json.RawMessage {
	r := &recorder{t: t, answers: map[string]json.RawMessage{}}
	page, err := b.Members.List(windowCtx(), members.ListQuery{Limit: 500})
	r.call("seed", []any{}, page.Items, err)
	return r.answers
}
