package mastodontest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/sync/internal/synctest"
	"hearth/sync/mastodon/mastodontest"
)

type api struct {
	t     *testing.T
	base  string
	token string
}

func (a api) do(method, path string, form url.Values, header ...string) (int, http.Header, string) {
	a.t.Helper()
	body, ctype, auth := "", "", ""
	if form != nil {
		body, ctype = form.Encode(), "application/x-www-form-urlencoded"
	}
	if a.token != "" {
		auth = "Bearer " + a.token
	}
	status, h, b := synctest.Call(a.t, method, a.base+path, body, append([]string{"Content-Type", ctype, "Authorization", auth}, header...)...)
	return status, h, string(b)
}

func newFake(t *testing.T, o mastodontest.Options) (*mastodontest.Server, api, *clock.Manual) {
	c := clock.NewManual(time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC))
	o.Now = c.Now
	s, u := mastodontest.Start(t, o)
	return s, api{t: t, base: u, token: s.Token()}, c
}

func TestMissingOrWrongTokensGetMastodons401(t *testing.T) {
	_, a, _ := newFake(t, mastodontest.Options{})
	for _, tok := range []string{"", "nope"} {
		a.token = tok
		code, h, body := a.do("GET", "/api/v1/accounts/verify_credentials", nil)
		if code != 401 || body != `{"error":"The access token is invalid"}` || !strings.Contains(h.Get("WWW-Authenticate"), "invalid_token") {
			t.Errorf("token %q: %d %s", tok, code, body)
		}
	}
}

func TestAnIdempotencyKeyReturnsTheOriginalForAnHourWithoutComparingBodies(t *testing.T) {
	s, a, c := newFake(t, mastodontest.Options{})
	_, _, first := a.do("POST", "/api/v1/statuses", url.Values{"status": {"un"}}, "Idempotency-Key", "k1")
	c.Advance(59 * time.Minute)
	code, _, again := a.do("POST", "/api/v1/statuses", url.Values{"status": {"autre texte"}}, "Idempotency-Key", "k1")
	if code != 200 || again != first {
		t.Fatalf("repeat gave %d %s, want the original %s", code, again, first)
	}
	c.Advance(2 * time.Minute)
	_, _, later := a.do("POST", "/api/v1/statuses", url.Values{"status": {"un"}}, "Idempotency-Key", "k1")
	if later == first {
		t.Errorf("the key outlived its hour")
	}
	a.do("POST", "/api/v1/statuses", url.Values{"status": {"sans clé"}})
	a.do("POST", "/api/v1/statuses", url.Values{"status": {"sans clé"}})
	if got := s.Created(); fmt.Sprint(got) != "[un un sans clé sans clé]" {
		t.Errorf("created %q", got)
	}
}

func TestValidationAndSchedulingRulesMatchMastodon(t *testing.T) {
	s, a, c := newFake(t, mastodontest.Options{ScheduledDaily: 2, MaxChars: 40})
	now := c.Now()
	cases := []struct {
		form url.Values
		code int
		want string
	}{
		{url.Values{"status": {" "}}, 422, "Text can't be blank"},
		{url.Values{"status": {strings.Repeat("a", 41)}}, 422, "character limit of 40"},
		{url.Values{"status": {"https://example.org/" + strings.Repeat("a", 60) + " ok"}}, 200, `"content":"\u003cp\u003ehttps`},
		{url.Values{"status": {"x"}, "visibility": {"everyone"}}, 422, "Visibility"},
		{url.Values{"status": {"tôt"}, "scheduled_at": {now.Add(4 * time.Minute).Format(time.RFC3339)}}, 422, "must be in the future"},
		{url.Values{"status": {"passé"}, "scheduled_at": {now.Add(-time.Minute).Format(time.RFC3339)}}, 200, `"url":"https://mastodon.example/@hearth/`},
		{url.Values{"status": {"s1"}, "scheduled_at": {now.Add(time.Hour).Format(time.RFC3339)}}, 200, `"params":{`},
		{url.Values{"status": {"s2"}, "scheduled_at": {now.Add(2 * time.Hour).Format(time.RFC3339)}}, 200, `"scheduled_at":"2025-06-01T12:00:00.000Z"`},
		{url.Values{"status": {"s3"}, "scheduled_at": {now.Add(3 * time.Hour).Format(time.RFC3339)}}, 422, "limit of 2 scheduled posts for today"},
	}
	for _, k := range cases {
		code, _, body := a.do("POST", "/api/v1/statuses", k.form)
		if code != k.code || !strings.Contains(body, k.want) {
			t.Errorf("%v: %d %s", k.form, code, body)
		}
	}
	code, h, body := a.do("GET", "/api/v1/scheduled_statuses?limit=1", nil)
	if code != 200 || !strings.Contains(body, `"text":"s2"`) || !strings.Contains(h.Get("Link"), `rel="next"`) {
		t.Errorf("scheduled list: %d %s %s", code, h.Get("Link"), body)
	}
	sc := s.Scheduled()
	if code, _, _ := a.do("DELETE", "/api/v1/scheduled_statuses/"+sc[0].ID, nil); code != 200 || len(s.Scheduled()) != 1 {
		t.Errorf("delete %d, left %v", code, s.Scheduled())
	}
	c.Advance(3 * time.Hour)
	if len(s.Scheduled()) != 0 {
		t.Errorf("due status not published")
	}
	if got := s.Created(); len(got) != 4 { // the URL one, "passé", s1, s2
		t.Errorf("created %q", got)
	}
}

func TestFollowersPageByFollowIDThroughTheLinkHeaderOnly(t *testing.T) {
	s, a, _ := newFake(t, mastodontest.Options{})
	for i := range 5 {
		s.AddFollower(fmt.Sprintf("p%d", i), "")
	}
	path := "/api/v1/accounts/" + s.AccountID() + "/followers?limit=2"
	var accts []string
	for path != "" {
		code, h, body := a.do("GET", path, nil)
		var page []struct{ Acct string }
		if code != 200 || json.Unmarshal([]byte(body), &page) != nil {
			t.Fatalf("%d %s", code, body)
		}
		for _, p := range page {
			accts = append(accts, p.Acct)
		}
		path = ""
		if m := strings.Split(h.Get("Link"), ">; rel=\"next\""); len(m) == 2 {
			path = strings.TrimPrefix(m[0][strings.LastIndex(m[0], "<")+1:], a.base)
		}
	}
	if fmt.Sprint(accts) != "[p4 p3 p2 p1 p0]" {
		t.Errorf("walked %v", accts)
	}
	if code, _, _ := a.do("GET", "/api/v1/accounts/12345/followers", nil); code != 404 {
		t.Errorf("another account's followers: %d", code)
	}
}

func TestRateLimitHeadersAndRackAttack429(t *testing.T) {
	_, a, _ := newFake(t, mastodontest.Options{RateLimit: 1})
	_, h, _ := a.do("GET", "/api/v1/accounts/verify_credentials", nil)
	if h.Get("X-RateLimit-Remaining") != "0" || h.Get("X-RateLimit-Reset") != "2025-06-01T10:05:00.000000Z" {
		t.Errorf("headers %v", h)
	}
	code, h, body := a.do("GET", "/api/v1/accounts/verify_credentials", nil)
	if code != 429 || body != `{"error":"Too many requests"}` || h.Get("Retry-After") != "" {
		t.Errorf("%d %s %v", code, body, h)
	}
}

func TestGenerateKeepsAMillionNotificationsCompact(t *testing.T) {
	if testing.Short() {
		return
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s, a, _ := newFake(t, mastodontest.Options{NoRecord: true})
	s.Generate(100_000, 1_000_000)
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > 200<<20 {
		t.Errorf("the fake holds %d MB", grown>>20)
	}
	code, _, body := a.do("GET", "/api/v1/notifications?limit=80&max_id=500000", nil)
	if code != 200 || strings.Count(body, `"type"`) != 80 {
		t.Errorf("%d, %d notifications", code, strings.Count(body, `"type"`))
	}
}

func TestAccountStatusesComeNewestFirstInLinkedPagesWithTheirSource(t *testing.T) {
	_, a, c := newFake(t, mastodontest.Options{})
	for i := range 5 {
		a.do("POST", "/api/v1/statuses", url.Values{"status": {fmt.Sprintf("statut %d\n\nligne", i)}})
		c.Advance(time.Minute)
	}
	_, _, me := a.do("GET", "/api/v1/accounts/verify_credentials", nil)
	var acc struct{ ID string }
	if err := json.Unmarshal([]byte(me), &acc); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/accounts/" + acc.ID + "/statuses?limit=2&exclude_replies=true"
	var texts []string
	for pages := 0; path != ""; pages++ {
		if pages > 3 {
			t.Fatal("pagination does not end")
		}
		code, h, body := a.do("GET", path, nil)
		var page []struct{ ID, Content string }
		if err := json.Unmarshal([]byte(body), &page); code != 200 || err != nil {
			t.Fatalf("%d %s", code, body)
		}
		for _, st := range page {
			_, _, src := a.do("GET", "/api/v1/statuses/"+st.ID+"/source", nil)
			var s struct{ ID, Text string }
			if err := json.Unmarshal([]byte(src), &s); err != nil || s.ID != st.ID {
				t.Fatalf("source %s", src)
			}
			texts = append(texts, s.Text)
		}
		path = ""
		for _, l := range strings.Split(h.Get("Link"), ",") {
			if strings.Contains(l, `rel="next"`) {
				u, _ := url.Parse(strings.Trim(strings.TrimSpace(strings.Split(l, ";")[0]), "<>"))
				path = u.RequestURI()
			}
		}
	}
	if fmt.Sprint(texts) != fmt.Sprint([]string{"statut 4\n\nligne", "statut 3\n\nligne", "statut 2\n\nligne", "statut 1\n\nligne", "statut 0\n\nligne"}) {
		t.Errorf("texts %q", texts)
	}
	if code, _, _ := a.do("GET", "/api/v1/accounts/1/statuses", nil); code != 404 {
		t.Errorf("unknown account: %d", code)
	}
}
