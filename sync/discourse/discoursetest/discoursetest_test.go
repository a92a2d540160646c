package discoursetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"testing"

	"hearth/sync/internal/synctest"
)

func call(t *testing.T, method, url, key, body string) (int, http.Header, string) {
	t.Helper()
	user, ctype := "", ""
	if key != "" {
		user = "system"
	}
	if body != "" {
		ctype = "application/json"
	}
	status, h, b := synctest.Call(t, method, url, body, "Api-Key", key, "Api-Username", user, "Content-Type", ctype)
	return status, h, string(b)
}

func TestTheFakeRefusesMissingAndWrongCredentialsLikeDiscourse(t *testing.T) {
	_, base := Start(t, Options{APIKey: "good"})
	cases := []struct {
		name, method, path, key string
		status                  int
		body                    string
	}{
		{"a wrong key", "GET", "/posts.json", "bad", 403, `{"error_type":"invalid_access","errors":["The API username or key is invalid."]}`},
		{"no key on an admin route", "GET", "/admin/users/list/active.json", "", 404, `{"error_type":"not_found","errors":["The requested URL or resource could not be found."]}`},
		{"no key to create", "POST", "/posts.json", "", 403, `{"error_type":"not_logged_in","errors":["You need to be logged in to do that."]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := call(t, tc.method, base+tc.path, tc.key, `{"raw":"x"}`)
			if status != tc.status || body != tc.body {
				t.Fatalf("got %d %s", status, body)
			}
		})
	}
	if status, _, _ := call(t, "GET", base+"/posts.json", "", ""); status != 200 {
		t.Fatalf("public read refused anonymously: %d", status)
	}
}

func TestExternalIDLookupRedirectsToTheTopic(t *testing.T) {
	s, base := Start(t, Options{APIKey: "good"})
	status, _, body := call(t, "POST", base+"/posts.json", "good", `{"title":"Bonjour le forum","raw":"Premier message","external_id":"hearth-abc"}`)
	if status != 200 {
		t.Fatalf("create: %d %s", status, body)
	}
	var p struct {
		TopicID   int    `json:"topic_id"`
		TopicSlug string `json:"topic_slug"`
	}
	_ = json.Unmarshal([]byte(body), &p)
	status, h, _ := call(t, "GET", base+"/t/external_id/HEARTH-ABC.json", "good", "")
	if want := fmt.Sprintf("/t/%s/%d.json", p.TopicSlug, p.TopicID); status != 301 || h.Get("Location") != want {
		t.Fatalf("lookup: %d %s, want 301 %s", status, h.Get("Location"), want)
	}
	if status, _, _ := call(t, "GET", base+"/t/external_id/nothing.json", "good", ""); status != 404 {
		t.Fatalf("unknown external id: %d", status)
	}
	if got := s.Created(); len(got) != 1 || got[0] != "Bonjour le forum\nPremier message" {
		t.Fatalf("created %q", got)
	}
}

func TestPagesHaveDiscoursesSizes(t *testing.T) {
	s, base := Start(t, Options{APIKey: "good"})
	s.Generate(149, 75)
	_, _, body := call(t, "GET", base+"/admin/users/list/active.json?page=2&order=created&asc=true&show_emails=true&stats=true", "good", "")
	var users []map[string]any
	if err := json.Unmarshal([]byte(body), &users); err != nil || len(users) != 50 || users[0]["email"] == nil || users[0]["post_count"] == nil {
		t.Fatalf("page 2: %d users (%v)", len(users), err)
	}
	_, _, body = call(t, "GET", base+"/admin/users/list/active.json?page=0", "good", "")
	var first []map[string]any
	_ = json.Unmarshal([]byte(body), &first)
	if len(first) != 100 || first[0]["email"] != nil {
		t.Fatalf("page 0 is the first page without e-mails: %d", len(first))
	}
	var latest struct {
		LatestPosts []struct{ ID int } `json:"latest_posts"`
	}
	_, _, body = call(t, "GET", base+"/posts.json", "good", "")
	_ = json.Unmarshal([]byte(body), &latest)
	if len(latest.LatestPosts) != 50 || latest.LatestPosts[0].ID != 75 || latest.LatestPosts[49].ID != 26 {
		t.Fatalf("first page %v", latest.LatestPosts)
	}
	_, _, body = call(t, "GET", base+"/posts.json?before=26", "good", "")
	_ = json.Unmarshal([]byte(body), &latest)
	if len(latest.LatestPosts) != 25 || latest.LatestPosts[0].ID != 25 {
		t.Fatalf("second page %v", latest.LatestPosts)
	}
}

func TestConcurrentCreatesAreAllKeptOnce(t *testing.T) {
	s, base := Start(t, Options{APIKey: "good"})
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"title":"Sujet %d","raw":"Texte","external_id":"e%d"}`, i%20, i%20)
			call(t, "POST", base+"/posts.json", "good", body)
		}()
	}
	wg.Wait()
	if n := len(s.Created()); n != 20 {
		t.Fatalf("%d topics for 20 external ids", n)
	}
}

func TestAMillionGeneratedPostsTakeLittleMemory(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := New(Options{NoRecord: true})
	s.Generate(100_000, 1_000_000)
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 1<<20 {
		t.Fatalf("the fake holds %d bytes", grew)
	}
	ps, _ := s.postsBefore(500_000, 50)
	if len(ps) != 50 || ps[0].id != 499_999 || s.userByID(ps[0].userID) == nil {
		t.Fatalf("posts before 500000: %d", len(ps))
	}
}
