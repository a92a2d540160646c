package cli

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/backend/analytics"
)

func TestStatsRangeCoversWholeLocalDaysWithToIncluded(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 4, 20, 15, 0, 0, 0, paris)
	en := translator("en")
	cases := []struct {
		name, from, to   string
		wantFrom, wantTo time.Time
	}{
		// March 29 is 23 hours long in Paris: the range still ends at a local midnight.
		{"both given", "2026-03-01", "2026-03-31", time.Date(2026, 3, 1, 0, 0, 0, 0, paris), time.Date(2026, 4, 1, 0, 0, 0, 0, paris)},
		{"one day", "2026-03-29", "2026-03-29", time.Date(2026, 3, 29, 0, 0, 0, 0, paris), time.Date(2026, 3, 30, 0, 0, 0, 0, paris)},
		{"default: the last 30 days", "", "", time.Date(2026, 3, 22, 0, 0, 0, 0, paris), time.Date(2026, 4, 21, 0, 0, 0, 0, paris)},
		{"only --to: 30 days ending then", "", "2026-02-28", time.Date(2026, 1, 30, 0, 0, 0, 0, paris), time.Date(2026, 3, 1, 0, 0, 0, 0, paris)},
		{"only --from: up to today", "2026-04-01", "", time.Date(2026, 4, 1, 0, 0, 0, 0, paris), time.Date(2026, 4, 21, 0, 0, 0, 0, paris)},
	}
	for _, c := range cases {
		r, err := statsRange(c.from, c.to, now, paris, en)
		if err != nil || !r.From.Equal(c.wantFrom) || !r.To.Equal(c.wantTo) {
			t.Errorf("%s: %v → %v, %v", c.name, r.From, r.To, err)
		}
	}
	for _, bad := range [][2]string{{"2026-13-01", ""}, {"", "31/03/2026"}, {"2026-04-02", "2026-04-01"}} {
		var ue usageError
		if _, err := statsRange(bad[0], bad[1], now, paris, en); err == nil || !asUsage(err, &ue) {
			t.Errorf("%v: %v", bad, err)
		}
	}
}

func asUsage(err error, ue *usageError) bool {
	u, ok := err.(usageError)
	*ue = u
	return ok
}

func sampleKPIs() analytics.KPIs {
	from := time.Date(2026, 4, 1, 0, 0, 0, 0, time.Local)
	to := time.Date(2026, 5, 1, 0, 0, 0, 0, time.Local)
	prev := &analytics.KPIs{From: time.Date(2026, 3, 2, 0, 0, 0, 0, time.Local), To: from,
		MembersTotal: 1180, MembersNew: 62, MembersChurned: 10, MembersActive: 300, EngagementRate: 0.254, Stickiness: 0.17, Activities: 4000}
	return analytics.KPIs{From: from, To: to, MembersTotal: 1234, MembersNew: 56, MembersChurned: 10, MembersActive: 321,
		DAU: 40.25, WAU: 150, MAU: 300, Stickiness: 0.1342, GrowthRate: 0.0475, EngagementRate: 0.26, Activities: 4321,
		Levels: []analytics.LevelCount{{Level: 1, Name: "ambassadors", Members: 12, Promoted: 3, Demoted: 1}, {Level: 4, Name: "observers", Members: 982}},
		SuperUsers: []analytics.SuperUser{{MemberID: "01A", Name: "Ann Smith", Score: 160, Level: 1,
			Counts: map[string]int{"post": 42, "reply": 17, "reaction": 3, "message": 1}}},
		GoneQuiet: []analytics.SuperUser{{MemberID: "01B", Name: "Léo", Level: 2, Counts: map[string]int{"post": 1},
			LastActive: time.Date(2026, 4, 10, 12, 0, 0, 0, time.Local)}},
		Cohorts:  []analytics.Cohort{{Month: "2026-04", Size: 56, Retention: []float64{1}}},
		Previous: prev,
	}
}

func TestStatsSummaryShowsChangesAndSuperUsersInTheUsersLanguage(t *testing.T) {
	var out bytes.Buffer
	if err := translator("en").printStats(&out, sampleKPIs()); err != nil {
		t.Fatal(err)
	}
	en := out.String()
	for _, want := range []string{
		"Statistics, 2026-04-01 → 2026-04-30 (30 days)", "compared with 2026-03-02 → 2026-03-31 (30 days)",
		"1,234", "↑ +54 (+4.6%)", "→ 0\n", "↓ -6 (-9.7%)", "26.0%", "↑ +0.6 pt", "13.4%", "↓ -3.6 pt",
		"Ambassadors 12 (promoted: 3, demoted: 1) · Observers 982",
		"Ann Smith", "posted 42 times, replied 17 times, reacted 3 times in 30 days",
		"Léo", "last active 2026-04-10", "posted once in 30 days", "2026-04  56 members  100.0%",
	} {
		if !strings.Contains(en, want) {
			t.Errorf("en: no %q in\n%s", want, en)
		}
	}
	out.Reset()
	if err := translator("fr").printStats(&out, sampleKPIs()); err != nil {
		t.Fatal(err)
	}
	fr := out.String()
	for _, want := range []string{
		"Statistiques, 2026-04-01 → 2026-04-30 (30 jours)", "1\u00a0234", "26,0\u00a0%", "↑ +0,6 pt", "Taux d'engagement",
		"Ambassadeurs 12 (promus : 3, rétrogradés : 1)", "a publié 42 fois, a répondu 17 fois, a réagi 3 fois en 30 jours",
		"a publié 1 fois en 30 jours", "dernière activité le 2026-04-10",
	} {
		if !strings.Contains(fr, want) {
			t.Errorf("fr: no %q in\n%s", want, fr)
		}
	}
}

func TestStatsJSONPrintsEveryDocumentedKeyForTheLastThirtyDays(t *testing.T) {
	dir := t.TempDir()
	hearth(t, dir, "en", "members", "add", "--email", "ann@example.org", "--name", "Ann")
	hearth(t, dir, "en", "members", "add", "--email", "leo@example.org", "--name", "Léo", "--tag", "Lyon")
	at := time.Now().Add(-2 * time.Hour).Format(time.RFC3339)
	if r := hearth(t, dir, "en", "activity", "add", "--member", "ann@example.org", "--kind", "post", "--at", at); r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	r := hearth(t, dir, "en", "stats", "--json")
	var k map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &k); err != nil || r.code != ExitOK {
		t.Fatalf("%+v %v", r, err)
	}
	for _, key := range []string{"from", "to", "members_total", "members_new", "members_active", "engagement_rate",
		"stickiness", "cohorts", "levels", "super_users", "previous"} {
		if _, ok := k[key]; !ok {
			t.Errorf("no %s in %s", key, r.stdout)
		}
	}
	if k["members_total"] != 2.0 || k["members_new"] != 2.0 || k["members_active"] != 1.0 || k["engagement_rate"] != 0.5 {
		t.Errorf("%s", r.stdout)
	}
	prev, _ := k["previous"].(map[string]any)
	if prev == nil || prev["members_total"] != 0.0 || prev["to"] != k["from"] {
		t.Errorf("previous %v", prev)
	}
	r = hearth(t, dir, "fr", "stats", "--from", "2026-04-01", "--to", "2026-04-30")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Statistiques, 2026-04-01 → 2026-04-30 (30 jours)") {
		t.Fatalf("fr: %+v", r)
	}
	if r := hearth(t, dir, "en", "stats", "--from", "tomorrow"); r.code != ExitUsage {
		t.Fatalf("bad date: %+v", r)
	}
}

func TestStatsOfAPastMonthMatchTheActivityImported(t *testing.T) {
	dir := t.TempDir()
	hearth(t, dir, "en", "members", "add", "--email", "ann@example.org", "--name", "Ann")
	hearth(t, dir, "en", "members", "add", "--email", "leo@example.org", "--name", "Léo", "--tag", "Lyon")
	p := filepath.Join(t.TempDir(), "activity.csv")
	rows := "member,kind,at,channel\n" +
		"ann@example.org,join," + localAt("2026-03-05 10:00") + ",forum\n" +
		"ann@example.org,post," + localAt("2026-04-01 00:00") + ",forum\n" + // the first instant of the range
		"ann@example.org,post," + localAt("2026-04-15 12:00") + ",forum\n" +
		"ann@example.org,post," + localAt("2026-04-30 23:59") + ",forum\n" + // its last minute
		"ann@example.org,reply," + localAt("2026-04-16 09:00") + ",forum\n" +
		"ann@example.org,reply," + localAt("2026-04-17 09:00") + ",chat\n" +
		"leo@example.org,join," + localAt("2026-04-10 08:00") + ",forum\n" +
		"leo@example.org,post," + localAt("2026-04-12 08:00") + ",chat\n" +
		"leo@example.org,post," + localAt("2026-05-01 00:00") + ",chat\n" // the day after: out of range
	if err := os.WriteFile(p, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := hearth(t, dir, "en", "activity", "import", p); r.code != ExitOK || !strings.Contains(r.stdout, "9 stored") {
		t.Fatalf("import: %+v", r)
	}
	r := hearth(t, dir, "en", "stats", "--from", "2026-04-01", "--to", "2026-04-30", "--json")
	var k statsOutput
	if err := json.Unmarshal([]byte(r.stdout), &k); err != nil || r.code != ExitOK {
		t.Fatalf("%+v %v", r, err)
	}
	if k.MembersTotal != 2 || k.MembersNew != 1 || k.MembersActive != 2 || k.EngagementRate != 1 || k.GrowthRate != 1 ||
		k.Activities != 7 || k.ActivitiesByKind["post"] != 4 || k.ActivitiesByChannel["chat"] != 2 || len(k.Daily) != 30 {
		t.Fatalf("kpis %s", r.stdout)
	}
	if len(k.SuperUsers) != 2 || k.SuperUsers[0].Name != "Ann" || k.SuperUsers[0].Counts["post"] != 3 || k.SuperUsers[0].Counts["reply"] != 2 {
		t.Fatalf("super users %+v", k.SuperUsers)
	}
	if k.Previous == nil || k.Previous.MembersTotal != 1 || k.Previous.MembersNew != 1 || k.Previous.Activities != 1 ||
		!k.Previous.To.Equal(k.From) || !k.Previous.From.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, time.Local)) {
		t.Fatalf("previous %+v", k.Previous)
	}
	r = hearth(t, dir, "fr", "stats", "--from", "2026-04-01", "--to", "2026-04-30")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Ann") || !strings.Contains(r.stdout, "a publié 3 fois, a répondu 2 fois en 30 jours") ||
		!strings.Contains(r.stdout, "Taux d'engagement") || !strings.Contains(r.stdout, "100,0\u00a0%") {
		t.Fatalf("fr: %+v", r)
	}

	// The same month for a segment holding Léo only: his numbers, the rest named as left out.
	if r := hearth(t, dir, "en", "segment", "create", "--name", "Léo seul", "--where", `tag = lyon`); r.code != ExitOK {
		t.Fatalf("segment: %+v", r)
	}
	r = hearth(t, dir, "en", "stats", "--from", "2026-04-01", "--to", "2026-04-30", "--segment", "leo seul", "--json")
	var s statsOutput
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil || r.code != ExitOK {
		t.Fatalf("%+v %v", r, err)
	}
	if s.Segment == nil || s.Segment.Name != "Léo seul" || s.Segment.Members != 1 || s.MembersTotal != 1 || s.MembersNew != 1 ||
		s.Activities != 2 || s.ActivitiesByKind["join"] != 1 || s.ActivitiesByKind["post"] != 1 || len(s.ActivitiesByChannel) != 0 ||
		len(s.SuperUsers) != 1 || s.SuperUsers[0].Name != "Léo" || s.Funnel != nil || s.Campaigns != nil || len(s.Unfiltered) != 6 {
		t.Fatalf("segment kpis %s", r.stdout)
	}
	r = hearth(t, dir, "fr", "stats", "--from", "2026-04-01", "--to", "2026-04-30", "--segment", "Léo seul")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Segment « Léo seul » : 1 membre") || strings.Contains(r.stdout, "Ann") ||
		!strings.Contains(r.stdout, "pas par segment") {
		t.Fatalf("fr segment: %+v", r)
	}
	if r = hearth(t, dir, "en", "stats", "--segment", "nobody"); r.code != ExitError {
		t.Fatalf("an unknown segment: %+v", r)
	}
}

func TestStatsSummaryShowsTheSentimentTrendAndRisingTopicsInBothLanguages(t *testing.T) {
	k := sampleKPIs()
	k.Sentiment = analytics.Sentiment{Positive: 62, Negative: 23, Neutral: 15, Score: 39.0 / 85}
	k.Previous.Sentiment = analytics.Sentiment{Positive: 6, Negative: 4, Score: 0.2}
	k.RisingTopics = []analytics.RisingTopic{{Word: "export", Count: 12, Previous: 3, Change: 3}, {Word: "webinar", Count: 4, Change: 4}}
	for lang, want := range map[string][]string{
		"en": {"Sentiment: 62% positive, 23% negative, 15% neutral, score +0.46 (trend ↑)", "Rising topics: export (12, before 3), webinar (4, before 0)"},
		"fr": {"Sentiment : 62\u00a0% positif, 23\u00a0% négatif, 15\u00a0% neutre, score +0,46 (tendance ↑)", "Sujets en hausse : export (12, avant 3)"},
	} {
		var out bytes.Buffer
		if err := translator(lang).printStats(&out, k); err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%s: no %q in\n%s", lang, w, out.String())
			}
		}
	}
}

func TestStatsCountQuestionsAnsweredFromAnImportedForum(t *testing.T) {
	dir := t.TempDir()
	for _, who := range []string{"ann", "bob", "cat"} {
		hearth(t, dir, "en", "members", "add", "--email", who+"@example.org", "--name", strings.ToUpper(who[:1])+who[1:])
	}
	// Members since March. q1 answered by Bob after 30 min (Ann's own reply does not count), q2
	// by Ann after 2 h 10, q3 never; "hello" asks nothing.
	p := filepath.Join(t.TempDir(), "forum.csv")
	rows := "member,kind,at,channel,id,thread,title\n" +
		"ann@example.org,join," + localAt("2026-03-01 09:00") + ",forum,,,\n" +
		"bob@example.org,join," + localAt("2026-03-01 09:00") + ",forum,,,\n" +
		"cat@example.org,join," + localAt("2026-03-01 09:00") + ",forum,,,\n" +
		"ann@example.org,post," + localAt("2026-04-02 09:00") + ",forum,q1,,Comment exporter les membres ?\n" +
		"ann@example.org,reply," + localAt("2026-04-02 09:10") + ",forum,,q1,\n" +
		"bob@example.org,reply," + localAt("2026-04-02 09:30") + ",forum,,q1,\n" +
		"cat@example.org,post," + localAt("2026-04-03 10:00") + ",forum,q2,,How do I reset my password?\n" +
		"ann@example.org,reply," + localAt("2026-04-03 12:10") + ",forum,,q2,\n" +
		"bob@example.org,post," + localAt("2026-04-04 10:00") + ",forum,q3,,Anyone at the meetup?\n" +
		"cat@example.org,post," + localAt("2026-04-05 10:00") + ",forum,hello,,Hello everyone\n" +
		"bob@example.org,reply," + localAt("2026-04-05 11:00") + ",forum,,hello,\n"
	if err := os.WriteFile(p, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := hearth(t, dir, "en", "activity", "import", p); r.code != ExitOK || !strings.Contains(r.stdout, "11 stored") {
		t.Fatalf("import: %+v", r)
	}
	r := hearth(t, dir, "en", "stats", "--from", "2026-04-01", "--to", "2026-04-30", "--json")
	var k statsOutput
	if err := json.Unmarshal([]byte(r.stdout), &k); err != nil || r.code != ExitOK {
		t.Fatalf("%+v %v", r, err)
	}
	if k.Questions != 3 || k.QuestionsAnswered != 2 || math.Abs(k.AnswerRate-2.0/3) > 1e-9 ||
		k.MedianResponseSeconds != (30*60+130*60)/2 || k.ResponseTimeP90Seconds != 130*60 {
		t.Fatalf("questions %s", r.stdout)
	}
	answered := map[string]int{}
	for _, u := range k.SuperUsers {
		answered[u.Name] = u.Counts["answered"]
	}
	if answered["Ann"] != 1 || answered["Bob"] != 1 || answered["Cat"] != 0 {
		t.Fatalf("answered %v", answered)
	}
	r = hearth(t, dir, "en", "stats", "--from", "2026-04-01", "--to", "2026-04-30")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Questions: 3 asked, 2 answered by another member (66.7%); first answer in 1\u00a0h 20\u00a0min (median), 90% within 2\u00a0h 10\u00a0min.") ||
		!strings.Contains(r.stdout, "answered 1 question") {
		t.Fatalf("en: %+v", r)
	}
	r = hearth(t, dir, "fr", "stats", "--from", "2026-04-01", "--to", "2026-04-30")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Questions : 3 posées, 2 résolues par un autre membre (66,7\u00a0%) ; première réponse en 1\u00a0h 20\u00a0min (médiane)") {
		t.Fatalf("fr: %+v", r)
	}
}

// localAt writes a local "2006-01-02 15:04" as RFC 3339, as an activity file holds it.
func localAt(day string) string {
	d, _ := time.ParseInLocation("2006-01-02 15:04", day, time.Local)
	return d.Format(time.RFC3339)
}
