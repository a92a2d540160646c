package mailchimptest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"hearth/sync/internal/synctest"
)

func call(t *testing.T, method, url, auth, body string) (int, http.Header, map[string]any) {
	t.Helper()
	status, h, b := synctest.Call(t, method, url, body, "Authorization", auth)
	var doc map[string]any
	_ = json.Unmarshal(b, &doc)
	return status, h, doc
}

func TestTheFakeAcceptsBasicOrBearerAndAnswersProblemsOtherwise(t *testing.T) {
	_, url := Start(t, Options{})
	req, _ := http.NewRequest("GET", url+"/ping", nil)
	req.SetBasicAuth("anyone", DefaultKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("basic: %v %v", resp, err)
	}
	resp.Body.Close()
	if code, _, doc := call(t, "GET", url+"/ping", "Bearer "+DefaultKey, ""); code != 200 || doc["health_status"] != "Everything's Chimpy!" {
		t.Fatalf("bearer: %d %v", code, doc)
	}
	code, h, doc := call(t, "GET", url+"/ping", "", "")
	if code != 401 || doc["title"] != "API Key Missing" || !strings.HasPrefix(h.Get("Content-Type"), "application/problem+json") ||
		h.Get("X-Request-Id") == "" || doc["instance"] != h.Get("X-Request-Id") {
		t.Fatalf("missing: %d %v %v", code, h, doc)
	}
	if code, _, doc := call(t, "GET", url+"/ping", "Bearer nope", ""); code != 401 || doc["title"] != "API Key Invalid" {
		t.Fatalf("wrong: %d %v", code, doc)
	}
}

func TestTheFakeFiltersMembersLikeMailchimp(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	s, url := Start(t, Options{Now: func() time.Time { return now }})
	s.AddMember(Member{Email: "a@example.org", LastChanged: now.Add(-2 * time.Hour), Tags: []string{"x"}})
	s.AddMember(Member{Email: "b@example.org", LastChanged: now.Add(-time.Hour), Status: "unsubscribed"})
	auth := "Bearer " + DefaultKey
	list := url + "/lists/" + DefaultList + "/members"
	code, _, doc := call(t, "GET", list+"?fields=members.email_address,members.tags.name,total_items&sort_field=last_changed&sort_dir=DESC", auth, "")
	ms, _ := doc["members"].([]any)
	if code != 200 || len(ms) != 2 || doc["total_items"] != 2.0 || len(doc) != 2 {
		t.Fatalf("list: %d %v", code, doc)
	}
	first := ms[0].(map[string]any)
	if first["email_address"] != "b@example.org" || len(first) != 2 {
		t.Fatalf("first %v", first)
	}
	second := ms[1].(map[string]any)
	if tag := second["tags"].([]any)[0].(map[string]any); tag["name"] != "x" || len(tag) != 1 {
		t.Fatalf("tags %v", second)
	}
	// since_last_changed is strictly after.
	_, _, doc = call(t, "GET", list+"?since_last_changed="+now.Add(-2*time.Hour).Format(time.RFC3339), auth, "")
	if doc["total_items"] != 1.0 {
		t.Fatalf("since: %v", doc)
	}
	if code, _, doc := call(t, "GET", list+"?since_last_changed=yesterday", auth, ""); code != 400 || doc["errors"] == nil {
		t.Fatalf("bad since: %d %v", code, doc)
	}
	_, _, doc = call(t, "GET", list+"?count=5000&exclude_fields=members", auth, "")
	if _, has := doc["members"]; has || doc["total_items"] != 2.0 {
		t.Fatalf("exclude: %v", doc)
	}
}

func TestTheFakeChecksMemberUpserts(t *testing.T) {
	s, url := Start(t, Options{})
	auth := "Bearer " + DefaultKey
	path := url + "/lists/" + DefaultList + "/members/"
	code, _, doc := call(t, "PUT", path+Hash("c@example.org"), auth, `{"email_address":"C@example.org"}`)
	if code != 400 || !strings.Contains(doc["errors"].([]any)[0].(map[string]any)["field"].(string), "status_if_new") {
		t.Fatalf("without status_if_new: %d %v", code, doc)
	}
	if code, _, _ := call(t, "PUT", path+Hash("d@example.org"), auth, `{"email_address":"c@example.org","status_if_new":"subscribed"}`); code != 400 {
		t.Fatalf("hash mismatch: %d", code)
	}
	code, _, doc = call(t, "PUT", path+Hash("c@example.org"), auth,
		`{"email_address":"C@example.org","status_if_new":"subscribed","merge_fields":{"FNAME":"Cé"}}`)
	if code != 200 || doc["status"] != "subscribed" || doc["id"] != Hash("c@example.org") {
		t.Fatalf("create: %d %v", code, doc)
	}
	if m, ok := s.Member("c@example.org"); !ok || m.FirstName != "Cé" {
		t.Fatalf("member %+v", m)
	}
	if code, _, _ := call(t, "POST", path+Hash("zz@example.org")+"/tags", auth, `{"tags":[{"name":"a","status":"active"}]}`); code != 404 {
		t.Fatalf("tags of an unknown member: %d", code)
	}
}

func TestTheFakeRefusesASecondSendAsConfigured(t *testing.T) {
	s, url := Start(t, Options{AlreadySentStatus: 409, AlreadySentDetail: "déjà"})
	auth := "Bearer " + DefaultKey
	_, _, doc := call(t, "POST", url+"/campaigns", auth, `{"type":"regular","recipients":{"list_id":"`+DefaultList+`"},"settings":{"subject_line":"S"}}`)
	id := doc["id"].(string)
	if code, _, doc := call(t, "POST", url+"/campaigns/"+id+"/actions/send", auth, ""); code != 400 || doc["detail"] != "Your Campaign is not ready to send." {
		t.Fatalf("send without content: %d %v", code, doc)
	}
	call(t, "PUT", url+"/campaigns/"+id+"/content", auth, `{"html":"<p>x</p>"}`)
	if code, _, _ := call(t, "POST", url+"/campaigns/"+id+"/actions/send", auth, ""); code != 204 {
		t.Fatalf("send: %d", code)
	}
	if code, _, doc := call(t, "POST", url+"/campaigns/"+id+"/actions/send", auth, ""); code != 409 || doc["detail"] != "déjà" {
		t.Fatalf("second send: %d %v", code, doc)
	}
	if got := s.Created(); len(got) != 1 || got[0] != "S\n<p>x</p>" {
		t.Fatalf("created %q", got)
	}
	// A draft never sent is not an effect.
	call(t, "POST", url+"/campaigns", auth, `{"type":"regular","settings":{"subject_line":"Draft"}}`)
	if len(s.Created()) != 1 {
		t.Fatal("a draft counted as created")
	}
}

func TestGenerateServesLargeAudiencesInPages(t *testing.T) {
	s, url := Start(t, Options{NoRecord: true})
	s.Generate(3000, 1_000_000)
	_, _, doc := call(t, "GET", url+"/lists/"+DefaultList+"/members?count=1000&offset=2500&fields=members.email_address,total_items",
		"Bearer "+DefaultKey, "")
	if ms := doc["members"].([]any); len(ms) != 500 || doc["total_items"] != 3000.0 {
		t.Fatalf("page of %d, total %v", len(ms), doc["total_items"])
	}
	if len(s.Requests()) != 0 {
		t.Fatal("NoRecord recorded requests")
	}
}
