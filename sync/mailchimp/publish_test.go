package mailchimp

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hearth/sync/connector"
	"hearth/sync/internal/synctest"
	"hearth/sync/mailchimp/mailchimptest"
)

// startLossy serves a fake behind wrap (synctest.LoseFirst or RepeatFirst) and returns it with
// a client of it.
func startLossy(t *testing.T, opts mailchimptest.Options, wrap func(http.Handler, func(*http.Request) bool) http.Handler,
	drop func(*http.Request) bool) (*mailchimptest.Server, *Client) {
	t.Helper()
	fake := mailchimptest.New(opts)
	ts := httptest.NewServer(wrap(fake, drop))
	t.Cleanup(ts.Close)
	return fake, newClient(t, ts.URL+"/3.0", key, 5*time.Second)
}

// checkpoints records what Publish checkpointed.
type checkpoints struct{ ids []string }

func (c *checkpoints) save(id string) error {
	c.ids = append(c.ids, id)
	return nil
}

var post = connector.Post{Key: "entry-01J:mailchimp", Kind: "newsletter", Title: "Rencontre de mars",
	Body: "Bonjour **à tous**,\n\n<script>alert(1)</script>\n\n- atelier\n- repas\n"}

const wantPlain = "Bonjour **à tous**,\n\n<script>alert(1)</script>\n\n- atelier\n- repas\n\n--\n" + unsubscribe + ": *|UNSUB|*\n"

func TestPublishSendsOneCampaignToTheAudience(t *testing.T) {
	fake, c := start(t, mailchimptest.Options{})
	var cp checkpoints
	got, err := c.Publish(context.Background(), post, cp.save)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	camps := fake.Campaigns()
	if len(camps) != 1 || got.RemoteID != camps[0].ID || len(cp.ids) != 1 || cp.ids[0] != got.RemoteID {
		t.Fatalf("published %+v, checkpoints %v, campaigns %+v", got, cp.ids, camps)
	}
	k := camps[0]
	if k.Status != "sent" || k.Title != "Hearth "+post.Key || k.Subject != post.Title || k.ListID != mailchimptest.DefaultList {
		t.Fatalf("campaign %+v", k)
	}
	if !strings.Contains(k.HTML, "<strong>à tous</strong>") || strings.Contains(k.HTML, "<script>") ||
		!strings.Contains(k.HTML, "<li>atelier</li>") || !strings.Contains(k.HTML, `href="*|UNSUB|*"`) {
		t.Fatalf("html %q", k.HTML)
	}
	if created := fake.Created(); len(created) != 1 || created[0] != post.Title+"\n"+wantPlain {
		t.Fatalf("created %q", created)
	}
	if !strings.HasPrefix(got.URL, "https://") {
		t.Fatalf("url %q", got.URL)
	}
	var seq []string
	for _, r := range fake.Requests() {
		seq = append(seq, r.Method+" "+strings.Replace(r.Path, k.ID, "{id}", 1))
	}
	want := "GET /3.0/campaigns,POST /3.0/campaigns,PUT /3.0/campaigns/{id}/content,GET /3.0/campaigns/{id},POST /3.0/campaigns/{id}/actions/send"
	if strings.Join(seq, ",") != want {
		t.Fatalf("requests %v", seq)
	}
}

func TestPublishRetriedAfterALostResponseTakesEffectOnce(t *testing.T) {
	cases := []struct {
		name string
		drop func(r *http.Request) bool
	}{
		{"create", func(r *http.Request) bool { return r.Method == "POST" && r.URL.Path == "/3.0/campaigns" }},
		{"content", func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/content") }},
		{"send", func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/actions/send") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake, c := startLossy(t, mailchimptest.Options{SendDelay: time.Hour}, synctest.LoseFirst, tc.drop)
			var cp checkpoints
			p := post
			_, err := c.Publish(context.Background(), p, cp.save)
			kindOf(t, err, connector.Unreachable)
			if len(cp.ids) > 0 {
				p.RemoteID = cp.ids[len(cp.ids)-1] // what the engine stored
			}
			got, err := c.Publish(context.Background(), p, cp.save)
			if err != nil {
				t.Fatalf("retry: %v", err)
			}
			camps := fake.Campaigns()
			if len(camps) != 1 || len(fake.Created()) != 1 || got.RemoteID != camps[0].ID {
				t.Fatalf("campaigns %+v, created %d, got %+v", camps, len(fake.Created()), got)
			}
			if cp.ids[len(cp.ids)-1] != camps[0].ID {
				t.Fatalf("checkpoints %v", cp.ids)
			}
			sends := 0
			for _, r := range fake.Requests() {
				if strings.HasSuffix(r.Path, "/actions/send") {
					sends++
				}
			}
			if sends != 1 {
				t.Fatalf("%d sends", sends)
			}
		})
	}
}

func TestASendRefusedAsAlreadySentIsDone(t *testing.T) {
	fake, c := startLossy(t, mailchimptest.Options{}, synctest.RepeatFirst,
		func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/actions/send") })
	var cp checkpoints
	got, err := c.Publish(context.Background(), post, cp.save)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(fake.Created()) != 1 || got.RemoteID == "" {
		t.Fatalf("created %d, got %+v", len(fake.Created()), got)
	}
}

func TestAPublishedCampaignIsNotSentAgain(t *testing.T) {
	fake, c := start(t, mailchimptest.Options{})
	var cp checkpoints
	first, err := c.Publish(context.Background(), post, cp.save)
	if err != nil {
		t.Fatal(err)
	}
	p := post
	p.RemoteID = first.RemoteID
	again, err := c.Publish(context.Background(), p, cp.save)
	if err != nil || again.RemoteID != first.RemoteID || len(fake.Created()) != 1 || len(fake.Campaigns()) != 1 {
		t.Fatalf("again %+v %v, created %d", again, err, len(fake.Created()))
	}
}

func TestADraftDeletedInMailchimpIsCreatedAgain(t *testing.T) {
	fake, c := start(t, mailchimptest.Options{})
	p := post
	p.RemoteID = "0000dead00"
	var cp checkpoints
	got, err := c.Publish(context.Background(), p, cp.save)
	if err != nil || len(fake.Created()) != 1 || got.RemoteID == p.RemoteID || len(cp.ids) != 1 {
		t.Fatalf("got %+v %v, created %d, checkpoints %v", got, err, len(fake.Created()), cp.ids)
	}
}

func TestAFailedCheckpointStopsPublish(t *testing.T) {
	fake, c := start(t, mailchimptest.Options{})
	boom := errors.New("disk full")
	_, err := c.Publish(context.Background(), post, func(string) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	if len(fake.Created()) != 0 || fake.Campaigns()[0].HTML != "" {
		t.Fatal("publish went on after the checkpoint failed")
	}
	// The next attempt finds the draft by its title instead of creating another.
	var cp checkpoints
	if _, err := c.Publish(context.Background(), post, cp.save); err != nil {
		t.Fatal(err)
	}
	if len(fake.Campaigns()) != 1 || len(fake.Created()) != 1 {
		t.Fatalf("campaigns %d, created %d", len(fake.Campaigns()), len(fake.Created()))
	}
}

func TestPublishRefusesAnEmptyTitleAndNamesRefusedFields(t *testing.T) {
	fake, c := start(t, mailchimptest.Options{})
	p := post
	p.Title = " "
	kindOf(t, func() error { _, err := c.Publish(context.Background(), p, (&checkpoints{}).save); return err }(), connector.Invalid)
	if len(fake.Requests()) != 0 {
		t.Fatal("requests were made for an empty title")
	}

	_, url := mailchimptest.Start(t, mailchimptest.Options{ListID: "another"})
	other := newClient(t, url, key, 5*time.Second) // its audience does not exist there
	_, err := other.Publish(context.Background(), post, (&checkpoints{}).save)
	if ce := kindOf(t, err, connector.Invalid); !strings.Contains(ce.Message, "recipients.list_id") {
		t.Fatalf("message %q", ce.Message)
	}
}

func TestALongTitleIsCutToMailchimpsSubjectLimit(t *testing.T) {
	fake, c := start(t, mailchimptest.Options{})
	p := post
	p.Title = strings.Repeat("é", 200)
	if _, err := c.Publish(context.Background(), p, (&checkpoints{}).save); err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(fake.Campaigns()[0].Subject)); n != maxSubject {
		t.Fatalf("subject of %d characters", n)
	}
}
