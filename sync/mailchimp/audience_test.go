package mailchimp

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/sync/connector"
	"hearth/sync/mailchimp/mailchimptest"
)

func writes(fake *mailchimptest.Server) (puts []map[string]any, tags []string) {
	for _, r := range fake.Requests() {
		switch {
		case r.Method == "PUT":
			var b map[string]any
			_ = json.Unmarshal([]byte(r.Body), &b)
			puts = append(puts, b)
		case r.Method == "POST" && strings.HasSuffix(r.Path, "/tags"):
			tags = append(tags, r.Body)
		}
	}
	return puts, tags
}

func TestSyncAudienceWritesHearthsConsentState(t *testing.T) {
	fake, c := start(t, mailchimptest.Options{})
	fake.AddMember(mailchimptest.Member{Email: "left@example.org", Status: "subscribed"})
	fake.AddMember(mailchimptest.Member{Email: "erased@example.org", Status: "subscribed", FirstName: "Old"})
	fake.AddMember(mailchimptest.Member{Email: "same@example.org", FirstName: "Sam", LastName: "Same", Tags: []string{"bénévole"}})
	fake.AddMember(mailchimptest.Member{Email: "bounced@example.org", Status: "cleaned"})
	members := []connector.AudienceMember{
		{Email: "New@Example.org", Name: "Ana Lima Costa", Subscribed: true, Tags: []string{"atelier", "Atelier"}},
		{Email: "left@example.org", Subscribed: false},
		{Email: "erased@example.org", Name: "Erased Person", Subscribed: true, Suppressed: true, Tags: []string{"x"}},
		{Email: "same@example.org", Name: "Sam Same", Subscribed: true, Tags: []string{"BÉNÉVOLE"}},
		{Email: "never@example.org", Subscribed: false},
		{Email: "gone@example.org", Subscribed: true, Suppressed: true},
		{Email: "bounced@example.org", Subscribed: true},
	}
	res, err := c.SyncAudience(context.Background(), members)
	if err != nil {
		t.Fatalf("SyncAudience: %v", err)
	}
	if res.Upserted != 3 || res.Failed != 1 || len(res.Errors) != 1 || !strings.HasPrefix(res.Errors[0], "bounced@example.org: cleaned") {
		t.Fatalf("result %+v", res)
	}
	if m, _ := fake.Member("new@example.org"); m.Status != "subscribed" || m.FirstName != "Ana" ||
		m.LastName != "Lima Costa" || !slices.Equal(m.Tags, []string{"atelier"}) {
		t.Fatalf("new member %+v", m)
	}
	if m, _ := fake.Member("left@example.org"); m.Status != "unsubscribed" {
		t.Fatalf("left member %+v", m)
	}
	if m, _ := fake.Member("erased@example.org"); m.Status != "unsubscribed" || m.FirstName != "Old" || len(m.Tags) != 0 {
		t.Fatalf("erased member %+v: unsubscribed, nothing else sent", m)
	}
	for _, e := range []string{"never@example.org", "gone@example.org"} {
		if _, ok := fake.Member(e); ok {
			t.Fatalf("%s was added to the audience", e)
		}
	}
	if m, _ := fake.Member("bounced@example.org"); m.Status != "cleaned" {
		t.Fatalf("bounced member %+v", m)
	}
	puts, tags := writes(fake)
	if len(puts) != 3 || len(tags) != 1 {
		t.Fatalf("puts %v, tags %v", puts, tags)
	}
	for _, p := range puts {
		if p["email_address"] == "erased@example.org" && (p["merge_fields"] != nil || p["status"] != "unsubscribed") {
			t.Fatalf("erased put %v", p)
		}
	}
	if !strings.Contains(tags[0], `{"name":"atelier","status":"active"}`) {
		t.Fatalf("tags body %s", tags[0])
	}

	// Pushing the same state again changes nothing.
	before := len(fake.Requests())
	res, err = c.SyncAudience(context.Background(), members)
	if err != nil || res.Upserted != 0 {
		t.Fatalf("second push %+v %v", res, err)
	}
	for _, r := range fake.Requests()[before:] {
		if r.Method != "GET" {
			t.Fatalf("second push wrote %s %s", r.Method, r.Path)
		}
	}
}

func TestSyncAudienceStaysWithinTenConnections(t *testing.T) {
	fake, c := start(t, mailchimptest.Options{Latency: 20 * time.Millisecond})
	var members []connector.AudienceMember
	for i := range 80 {
		members = append(members, connector.AudienceMember{Email: fmt.Sprintf("m%d@example.org", i), Subscribed: true,
			Tags: []string{"t"}})
	}
	res, err := c.SyncAudience(context.Background(), members)
	if err != nil || res.Upserted != 80 || res.Failed != 0 {
		t.Fatalf("result %+v %v", res, err)
	}
	if n := fake.MaxInFlight(); n > MaxConcurrent || n < 2 {
		t.Fatalf("%d requests in flight at most, want 2..10", n)
	}
}

func TestTheFakeRefusesAnEleventhConnection(t *testing.T) {
	fake, url := mailchimptest.Start(t, mailchimptest.Options{Latency: 50 * time.Millisecond})
	errs := make(chan error, 12)
	for range 12 {
		c := newClient(t, url, key, 5*time.Second) // separate clients: no shared semaphore
		go func() { errs <- c.Check(context.Background()) }()
	}
	limited := 0
	for range 12 {
		if err := <-errs; connector.KindOf(err) == connector.RateLimited {
			limited++
		}
	}
	if limited == 0 || fake.MaxInFlight() <= 10 {
		t.Fatalf("%d rate limited with %d in flight", limited, fake.MaxInFlight())
	}
}

func TestPerAddressFailuresAreCountedAndDoNotStopThePush(t *testing.T) {
	fake, c := start(t, mailchimptest.Options{})
	res, err := c.SyncAudience(context.Background(), []connector.AudienceMember{
		{Email: "ok1@example.org", Subscribed: true},
		{Email: "not-an-address", Subscribed: true},
		{Email: "ok2@example.org", Subscribed: true},
	})
	if err != nil || res.Upserted != 2 || res.Failed != 1 || !strings.Contains(res.Errors[0], "email_address") ||
		!strings.HasPrefix(res.Errors[0], "not-an-address: ") {
		t.Fatalf("result %+v %v", res, err)
	}
	if _, ok := fake.Member("ok2@example.org"); !ok {
		t.Fatal("the push stopped at the failure")
	}
}

func TestSyncAudienceStopsOnARefusedKey(t *testing.T) {
	_, url := mailchimptest.Start(t, mailchimptest.Options{})
	c := newClient(t, url, "wrong-key-us21", 5*time.Second)
	_, err := c.SyncAudience(context.Background(), []connector.AudienceMember{{Email: "a@example.org", Subscribed: true}})
	kindOf(t, err, connector.Auth)
}

func TestSyncAudienceReadsEveryPageOfALargeAudience(t *testing.T) {
	fake, c := start(t, mailchimptest.Options{})
	fake.Generate(2100, 0)
	members := []connector.AudienceMember{
		{Email: "member0002050@example.org", Name: "Member 2050", Subscribed: true},
		{Email: "member0000009@example.org", Name: "Member 9", Subscribed: false}, // generated unsubscribed
		{Email: "member0000010@example.org", Name: "Member 10", Subscribed: false},
	}
	res, err := c.SyncAudience(context.Background(), members)
	if err != nil || res.Upserted != 1 {
		t.Fatalf("result %+v %v", res, err)
	}
	puts, _ := writes(fake)
	if len(puts) != 1 || puts[0]["email_address"] != "member0000010@example.org" {
		t.Fatalf("puts %v", puts)
	}
}
