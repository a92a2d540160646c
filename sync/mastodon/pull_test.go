package mastodon_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/sync/connector"
	"hearth/sync/mastodon"
	"hearth/sync/mastodon/mastodontest"
)

func addFollowers(s setup, from, n int) {
	for i := from; i < from+n; i++ {
		acct := fmt.Sprintf("membre%d", i)
		if i%5 == 4 {
			acct += "@autre.example"
		}
		s.fake.AddFollower(acct, fmt.Sprintf("Membre %d", i))
	}
}

func handles(people []activity.Person) map[string]activity.Person {
	out := map[string]activity.Person{}
	for _, p := range people {
		out[p.Handle] = p
	}
	return out
}

func followerRequests(s setup) []url.Values {
	var out []url.Values
	for _, r := range s.fake.Requests() {
		if strings.HasSuffix(r.Path, "/followers") {
			q, _ := url.ParseQuery(r.Query)
			out = append(out, q)
		}
	}
	return out
}

func TestPullWalksEveryFollowerPageThroughLinksThenOnlyBringsWhatIsNew(t *testing.T) {
	s := start(t, mastodontest.Options{})
	addFollowers(s, 0, 170) // three pages of 80
	at := s.clock.Now().Add(-time.Hour)
	s.fake.AddNotification("mention", "alice@autre.example", "Salut & bienvenue\n\nDeuxième ligne", at)
	s.fake.AddNotification("favourite", "membre1", "Notre annonce", at.Add(time.Minute))
	s.fake.AddNotification("reblog", "membre2", "Notre annonce", at.Add(2*time.Minute))
	s.fake.AddNotification("follow", "membre3", "", at.Add(3*time.Minute))
	s.fake.AddNotification("status", "membre4@autre.example", "Nouveau billet", at.Add(4*time.Minute))
	s.fake.AddNotification("poll", "membre5", "Sondage", at.Add(5*time.Minute))
	s.fake.AddNotification("admin.sign_up", "membre6", "", at.Add(6*time.Minute))
	c := s.client(t, token)

	first := &sink{}
	cur, err := c.Pull(ctx, "", first)
	if err != nil {
		t.Fatal(err)
	}
	got := handles(first.people)
	if len(first.people) != 170 || len(got) != 170 {
		t.Fatalf("%d people (%d distinct), want 170", len(first.people), len(got))
	}
	if p := got["membre0@mastodon.example"]; p.Name != "Membre 0" || p.RemoteID == "" {
		t.Errorf("local follower %+v", p)
	}
	if _, ok := got["membre4@autre.example"]; !ok {
		t.Errorf("remote follower missing: %v", first.people[:3])
	}
	reqs := followerRequests(s)
	if len(reqs) != 3 || reqs[0].Get("max_id") != "" || reqs[0].Get("limit") != "80" {
		t.Fatalf("follower requests %v", reqs)
	}
	for _, q := range reqs[1:] {
		// Follow ids from the Link header, not account ids.
		if id, _ := strconv.ParseInt(q.Get("max_id"), 10, 64); id == 0 || id >= 109_000_000_000 {
			t.Errorf("next page asked with max_id %q", q.Get("max_id"))
		}
	}

	byKind := map[activity.Kind][]activity.Incoming{}
	for _, in := range first.items {
		byKind[in.Kind] = append(byKind[in.Kind], in)
		if in.Channel != "notifications" || !strings.HasPrefix(in.Link, "https://") || in.At.IsZero() || in.Author == nil {
			t.Errorf("activity %+v", in)
		}
	}
	if len(first.items) != 5 || len(byKind[activity.Reaction]) != 2 {
		t.Fatalf("activities %+v", first.items)
	}
	m := byKind[activity.Mention][0]
	if m.Text != "Salut & bienvenue Deuxième ligne" || m.Author.Handle != "alice@autre.example" || !m.At.Equal(at) ||
		!strings.HasPrefix(m.Link, "https://autre.example/@alice/") {
		t.Errorf("mention %+v", m)
	}
	if f := byKind[activity.Follow][0]; f.Link != "https://mastodon.example/@membre3" || f.Author.Handle != "membre3@mastodon.example" {
		t.Errorf("follow %+v", f)
	}
	if len(byKind[activity.Post]) != 1 {
		t.Errorf("status notification missing")
	}
	if cur != first.last() {
		t.Errorf("returned cursor differs from the last one saved")
	}

	// Later: three new followers and two notifications.
	addFollowers(s, 170, 3)
	s.fake.AddNotification("mention", "bob", "Encore moi", s.clock.Now())
	s.fake.AddNotification("favourite", "bob", "Notre annonce", s.clock.Now())
	second := &sink{}
	cur, err = c.Pull(ctx, cur, second)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.people) != 3 || len(second.items) != 2 {
		t.Fatalf("second pull: %d people, %d activities; want 3 and 2", len(second.people), len(second.items))
	}
	for _, p := range second.people {
		if n, _ := strconv.Atoi(strings.TrimPrefix(strings.Split(p.Handle, "@")[0], "membre")); n < 170 {
			t.Errorf("old follower %s brought again", p.Handle)
		}
	}

	third := &sink{}
	if _, err := c.Pull(ctx, cur, third); err != nil || len(third.people)+len(third.items) != 0 {
		t.Errorf("nothing new, yet %d people, %d activities (%v)", len(third.people), len(third.items), err)
	}
}

func TestMoreNewFollowersThanAPageAreAllBroughtIn(t *testing.T) {
	s := start(t, mastodontest.Options{})
	addFollowers(s, 0, 10)
	c := s.client(t, token)
	first := &sink{}
	cur, err := c.Pull(ctx, "", first)
	if err != nil {
		t.Fatal(err)
	}
	addFollowers(s, 10, 200)
	second := &sink{}
	if _, err := c.Pull(ctx, cur, second); err != nil {
		t.Fatal(err)
	}
	got := handles(second.people)
	for i := 10; i < 210; i++ {
		h := fmt.Sprintf("membre%d@mastodon.example", i)
		if i%5 == 4 {
			h = fmt.Sprintf("membre%d@autre.example", i)
		}
		if _, ok := got[h]; !ok {
			t.Fatalf("new follower %s missed (%d brought)", h, len(got))
		}
	}
	if len(second.people) > 200+80 {
		t.Errorf("%d people brought for 200 new ones", len(second.people))
	}
}

func TestAPullKilledMidwayResumesFromItsCursor(t *testing.T) {
	s := start(t, mastodontest.Options{})
	addFollowers(s, 0, 250) // pages of 80, 80, 80, 10
	c := s.client(t, token)
	killed := &sink{failAfter: 2}
	if _, err := c.Pull(ctx, "", killed); err != errKilled {
		t.Fatalf("pull error %v", err)
	}
	// The failed Cursor call did not persist: resume from the one before.
	resumed := &sink{}
	if _, err := c.Pull(ctx, killed.cursors[0], resumed); err != nil {
		t.Fatal(err)
	}
	all := handles(append(killed.people, resumed.people...))
	if len(all) != 250 {
		t.Fatalf("%d distinct people after resuming, want 250", len(all))
	}
	tops := 0
	for _, q := range followerRequests(s) {
		if q.Get("max_id") == "" {
			tops++
		}
	}
	if tops != 1 || len(resumed.people) != 250-80 {
		t.Errorf("the resumed pull started over: %d first pages, %d people", tops, len(resumed.people))
	}
}

func TestTheFirstPullWalksBackABoundedNumberOfNotificationPagesThenGoesForward(t *testing.T) {
	s := start(t, mastodontest.Options{})
	s.fake.Generate(20, 1000)
	c := s.client(t, token)
	first := &sink{}
	cur, err := c.Pull(ctx, "", first)
	if err != nil {
		t.Fatal(err)
	}
	want := mastodon.FirstPullPages * 80
	if len(first.items) != want || s.fake.Count(http.MethodGet, "/api/v1/notifications") != mastodon.FirstPullPages {
		t.Fatalf("%d activities in %d requests, want %d in %d", len(first.items), s.fake.Count(http.MethodGet, "/api/v1/notifications"), want, mastodon.FirstPullPages)
	}
	ids := map[string]bool{}
	for _, in := range first.items {
		ids[in.RemoteID] = true
	}
	if len(ids) != want {
		t.Errorf("duplicate remote ids")
	}
	for i := range 5 {
		s.fake.AddNotification("mention", "carol@autre.example", fmt.Sprintf("nouveau %d", i), s.clock.Now())
	}
	second := &sink{}
	if _, err := c.Pull(ctx, cur, second); err != nil {
		t.Fatal(err)
	}
	if len(second.items) != 5 || second.items[0].Text == "" {
		t.Fatalf("second pull brought %d activities", len(second.items))
	}
	var last mastodontest.Recorded
	for _, r := range s.fake.Requests() {
		if r.Path == "/api/v1/notifications" {
			last = r
		}
	}
	q, _ := url.ParseQuery(last.Query)
	if q.Get("min_id") == "" || len(q["types[]"]) != 5 {
		t.Errorf("incremental request %q", last.Query)
	}
}

func TestPullReportsTheCursorAfterEveryPage(t *testing.T) {
	s := start(t, mastodontest.Options{})
	addFollowers(s, 0, 170)
	out := &sink{}
	if _, err := s.client(t, token).Pull(ctx, "", out); err != nil {
		t.Fatal(err)
	}
	if len(out.cursors) < 4 { // three follower pages, one notification page
		t.Fatalf("%d cursors", len(out.cursors))
	}
	for _, c := range out.cursors {
		if !json.Valid([]byte(c)) || strings.Contains(c, token) {
			t.Errorf("cursor %q", c)
		}
	}
}

func TestAPaginationLinkToAnotherHostIsNotFollowed(t *testing.T) {
	var leaked []string
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked = append(leaked, r.Header.Get("Authorization"))
	}))
	t.Cleanup(evil.Close)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/verify_credentials"):
			_, _ = w.Write([]byte(`{"id":"1","username":"me","acct":"me"}`))
		default:
			w.Header().Set("Link", "<"+evil.URL+"/api/v1/accounts/1/followers?max_id=1>; rel=\"next\"")
			_, _ = w.Write([]byte(`[{"id":"2","username":"a","acct":"a"}]`))
		}
	}))
	t.Cleanup(hs.Close)
	s := setup{url: hs.URL, clock: newClock()}
	_, err := s.client(t, token).Pull(ctx, "", &sink{})
	kindOf(t, err, connector.Temporary)
	if len(leaked) != 0 {
		t.Errorf("the token went to another host")
	}
}

func TestAnUnreadableCursorStartsOver(t *testing.T) {
	s := start(t, mastodontest.Options{})
	addFollowers(s, 0, 3)
	out := &sink{}
	if _, err := s.client(t, token).Pull(ctx, "{not json", out); err != nil || len(out.people) != 3 {
		t.Fatalf("%d people, %v", len(out.people), err)
	}
}
