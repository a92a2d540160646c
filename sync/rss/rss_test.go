package rss_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/clock"
	"hearth/backend/connections"
	"hearth/sync/connector"
	"hearth/sync/internal/synctest"
	"hearth/sync/rss"
	"hearth/sync/rss/rsstest"
)

var ctx = context.Background()

type site struct {
	fake  *rsstest.Server
	url   string
	clock *clock.Manual
}

func start(t *testing.T, o rsstest.Options) site {
	t.Helper()
	c := clock.NewManual(time.Date(2025, 3, 6, 8, 0, 0, 0, time.UTC))
	if o.Now == nil {
		o.Now = c.Now
	}
	fake, u := rsstest.Start(t, o)
	return site{fake: fake, url: u, clock: c}
}

func (s site) client(t *testing.T, path string, keywords ...string) connector.Connector {
	t.Helper()
	c, err := rss.New(connector.Config{
		Connection: connections.Connection{Platform: connections.RSS,
			Settings: connections.Settings{URL: s.url + path, Keywords: keywords}},
		Secret:  "ignored-secret",
		HTTP:    &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{}}, // a fresh connection: a reused one is retried by Go on a reset
		NoLimit: true,
		Now:     s.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type sink struct {
	items   []activity.Incoming
	cursors []string
}

func (s *sink) People(context.Context, []activity.Person) error {
	return errors.New("a feed has no people")
}
func (s *sink) Activities(_ context.Context, a []activity.Incoming) error {
	s.items = append(s.items, a...)
	return nil
}
func (s *sink) Cursor(_ context.Context, c string) error {
	s.cursors = append(s.cursors, c)
	return nil
}

func pull(t *testing.T, c connector.Connector, cursor string) (*sink, string) {
	t.Helper()
	out := &sink{}
	cur, err := c.Pull(ctx, cursor, out)
	if err != nil {
		t.Fatal(err)
	}
	return out, cur
}

func kindOf(t *testing.T, err error, want connector.Kind) *connector.Error {
	t.Helper()
	var ce *connector.Error
	if !errors.As(err, &ce) || ce.Kind != want {
		t.Fatalf("error %v, want kind %s", err, want)
	}
	synctest.NoSecret(t, "RSS", err, "ignored-secret")
	return ce
}

func byID(items []activity.Incoming) map[string]activity.Incoming {
	out := map[string]activity.Incoming{}
	for _, in := range items {
		out[in.RemoteID] = in
	}
	return out
}

func TestNewNeedsTheFeedAddress(t *testing.T) {
	for _, u := range []string{"", "  ", "feed.xml", "file:///etc/passwd"} {
		_, err := rss.New(connector.Config{Connection: connections.Connection{Settings: connections.Settings{URL: u}}})
		if ce := kindOf(t, err, connector.Invalid); !strings.Contains(ce.Message, "settings.url") {
			t.Errorf("%q: message %q", u, ce.Message)
		}
	}
}

func TestPublishRefusesBecauseAFeedOnlyReads(t *testing.T) {
	s := start(t, rsstest.Options{})
	_, err := s.client(t, "/rss.xml").Publish(ctx, connector.Post{Key: "k", Title: "x"}, nil)
	kindOf(t, err, connector.Invalid)
	if !errors.Is(err, connector.ErrCannotPublish) {
		t.Errorf("error %v does not wrap ErrCannotPublish", err)
	}
}

func TestPullBringsRSSItemsAsArticlesWithTheirHTMLStripped(t *testing.T) {
	s := start(t, rsstest.Options{})
	out, _ := pull(t, s.client(t, "/rss.xml"), "")
	got := byID(out.items)
	if len(out.items) != 4 || len(got) != 4 {
		t.Fatalf("%d articles: %+v", len(out.items), out.items)
	}
	fete := got["voisin-2025-0042"]
	want := activity.Incoming{RemoteID: "voisin-2025-0042", Kind: activity.Article,
		At: time.Date(2025, 3, 4, 8, 30, 0, 0, time.UTC), Channel: "Le Blog du Voisin & Cie",
		Link: "https://voisin.example/2025/fete-ecologie", Title: "Fête de l'Écologie au parc",
		Text: "Rendez-vous samedi pour la fête. Entrée libre & gratuite."}
	if !fete.At.Equal(want.At) || fete.Kind != want.Kind || fete.Channel != want.Channel || fete.Link != want.Link ||
		fete.Title != want.Title || fete.Text != want.Text || fete.Author != nil {
		t.Errorf("article\n%+v\nwant\n%+v", fete, want)
	}
	for _, in := range out.items {
		for _, bad := range []string{"<", "script", "evil", "alert", "cookie", "color:red"} {
			if strings.Contains(in.Text, bad) || strings.Contains(in.Title, bad) {
				t.Errorf("%q left in %+v", bad, in)
			}
		}
	}
	if velo, ok := got["https://voisin.example/2025/atelier-velo"]; !ok || velo.Link != velo.RemoteID {
		t.Errorf("an item without guid is known by its (resolved) link: %v", got)
	}
	if ag := got["https://voisin.example/2025/ag"]; ag.Text != "Le bureau a été renouvelé." {
		t.Errorf("escaped HTML description: %q", ag.Text)
	}
	if b := got["voisin-2025-0039"]; b.Link != "" || b.Text != "Nous cherchons des bénévoles pour le COEUR du quartier." {
		t.Errorf("item without link %+v", b)
	}
	r := s.fake.Requests()[0]
	if r.Auth || !strings.Contains(r.Accept, "application/rss+xml") || r.IfNoneMatch != "" {
		t.Errorf("first request %+v", r)
	}
}

func TestPullReadsAtomFeeds(t *testing.T) {
	s := start(t, rsstest.Options{})
	out, _ := pull(t, s.client(t, "/atom.xml"), "")
	got := byID(out.items)
	meetup := got["tag:rival.example,2025:posts/spring-meetup"]
	if len(out.items) != 3 || meetup.Title != "Spring meetup announced" || meetup.Channel != "Rival Community News" ||
		meetup.Text != "Join us for the spring meetup at the Café Crème." || !meetup.At.Equal(time.Date(2025, 3, 5, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("atom entries %+v", out.items)
	}
	if v := got["tag:rival.example,2025:posts/volunteers"]; v.Text != "We need volunteers for the garden." ||
		!v.At.Equal(time.Date(2025, 3, 2, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("xhtml content, updated date: %+v", v)
	}
}

func TestAnUnchangedFeedIsNotDownloadedAgain(t *testing.T) {
	for _, o := range []rsstest.Options{{}, {NoETag: true}, {NoLastModified: true}} {
		s := start(t, o)
		c := s.client(t, "/rss.xml")
		_, cur := pull(t, c, "")
		s.clock.Advance(time.Hour)
		out, again := pull(t, c, cur)
		if again != cur || len(out.items) != 0 || len(out.cursors) != 0 {
			t.Errorf("%+v: unchanged feed gave %d items, cursor %q -> %q", o, len(out.items), cur, again)
		}
		reqs := s.fake.Requests()
		last := reqs[len(reqs)-1]
		if last.Status != http.StatusNotModified || (o.NoETag == (last.IfNoneMatch != "")) || (o.NoLastModified == (last.IfModifiedSince != "")) {
			t.Errorf("%+v: conditional request %+v", o, last)
		}
	}
}

func TestOnlyNewItemsAreSentWhenTheFeedChanges(t *testing.T) {
	s := start(t, rsstest.Options{})
	c := s.client(t, "/rss.xml")
	_, cur := pull(t, c, "")
	s.clock.Advance(time.Hour)
	s.fake.AddItem("/rss.xml", "voisin-2025-0050", "Nouvel article", "https://voisin.example/2025/nouveau",
		"<p>Du <b>nouveau</b></p>", s.clock.Now())
	out, cur2 := pull(t, c, cur)
	if len(out.items) != 1 || out.items[0].RemoteID != "voisin-2025-0050" || out.items[0].Text != "Du nouveau" || cur2 == cur {
		t.Fatalf("after a new post: %+v", out.items)
	}
	// The same content served again with new validators: nothing is sent twice.
	s.fake.SetFeed("/rss.xml", append(rsstest.Fixture("rss2.xml"), ' '), "application/rss+xml")
	if out, _ := pull(t, c, cur2); len(out.items) != 0 {
		t.Errorf("seen items sent again: %+v", out.items)
	}
}

func TestKeywordsKeepMatchingItemsIgnoringCaseAndAccents(t *testing.T) {
	s := start(t, rsstest.Options{})
	out, cur := pull(t, s.client(t, "/rss.xml", "ECOLOGIE", " cœur "), "")
	got := byID(out.items)
	if _, ok := got["voisin-2025-0042"]; !ok || len(got) != 2 {
		t.Fatalf("kept %v", got)
	}
	if _, ok := got["voisin-2025-0039"]; !ok {
		t.Errorf("keyword in the text only: not kept")
	}
	// Other keywords: items seen but skipped may match now.
	out, _ = pull(t, s.client(t, "/rss.xml", "velo"), cur)
	if len(out.items) != 1 || out.items[0].Title != "Atelier vélo" {
		t.Errorf("with new keywords: %+v", out.items)
	}
}

func TestAMalformedFeedIsATemporaryErrorWithAReadableMessage(t *testing.T) {
	s := start(t, rsstest.Options{})
	for _, path := range []string{"/malformed.xml", "/page.html"} {
		out := &sink{}
		cur, err := s.client(t, path).Pull(ctx, `{"etag":"\"x\""}`, out)
		ce := kindOf(t, err, connector.Temporary)
		if !strings.Contains(ce.Message, "not hold a valid RSS or Atom feed") || cur != `{"etag":"\"x\""}` || len(out.cursors) != 0 {
			t.Errorf("%s: %q, cursor %q", path, ce.Message, cur)
		}
		if err := s.client(t, path).Check(ctx); connector.KindOf(err) != connector.Temporary {
			t.Errorf("%s: Check gave %v", path, err)
		}
	}
	s.fake.FailNext(rsstest.Malformed, 1)
	_, err := s.client(t, "/rss.xml").Pull(ctx, "", &sink{})
	kindOf(t, err, connector.Temporary)
}

func TestAFeedThatIsGoneIsGone(t *testing.T) {
	s := start(t, rsstest.Options{})
	s.fake.Remove("/atom.xml", http.StatusGone)
	for _, path := range []string{"/nowhere.xml", "/atom.xml"} {
		ce := kindOf(t, s.client(t, path).Check(ctx), connector.Gone)
		if !strings.Contains(ce.Message, "no longer there") {
			t.Errorf("message %q", ce.Message)
		}
	}
}

func TestFailuresAreClassifiedForTheEngine(t *testing.T) {
	s := start(t, rsstest.Options{RetryAfter: 90 * time.Second})
	c := s.client(t, "/rss.xml")
	s.fake.FailNext(rsstest.RateLimited, 1)
	if ce := kindOf(t, c.Check(ctx), connector.RateLimited); ce.RetryAfter != 90*time.Second {
		t.Errorf("RetryAfter %v", ce.RetryAfter)
	}
	s.fake.FailNext(rsstest.Unavailable, 1)
	kindOf(t, s.client(t, "/rss.xml").Check(ctx), connector.Temporary)
	s.fake.FailNext(rsstest.Reset, 1)
	kindOf(t, s.client(t, "/rss.xml").Check(ctx), connector.Unreachable)

	s.fake.FailNext(rsstest.Stall, 1)
	slow, err := rss.New(connector.Config{Connection: connections.Connection{Settings: connections.Settings{URL: s.url + "/rss.xml"}},
		HTTP: &http.Client{Timeout: 150 * time.Millisecond}, NoLimit: true})
	if err != nil {
		t.Fatal(err)
	}
	kindOf(t, slow.Check(ctx), connector.Unreachable)
	if err := s.client(t, "/rss.xml").Check(ctx); err != nil {
		t.Errorf("after the faults: %v", err)
	}
}

func TestABigFeedIsRememberedWhole(t *testing.T) {
	s := start(t, rsstest.Options{})
	s.fake.Generate(0, 300)
	c := s.client(t, "/generated.xml")
	out, cur := pull(t, c, "")
	if len(out.items) != 300 {
		t.Fatalf("%d items", len(out.items))
	}
	s.fake.Generate(0, 301)
	out, _ = pull(t, c, cur)
	if len(out.items) != 1 || out.items[0].RemoteID != "gen-301" {
		t.Errorf("after one more item: %d items", len(out.items))
	}
}

func TestAnUnreadableCursorFetchesEverythingAgain(t *testing.T) {
	s := start(t, rsstest.Options{})
	out, _ := pull(t, s.client(t, "/atom.xml"), "not json")
	if len(out.items) != 3 {
		t.Errorf("%d items", len(out.items))
	}
}
