package discordtest_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/sync/discord/discordtest"
	"hearth/sync/internal/synctest"
)

var t0 = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

// call makes a request with the bot token (unless token is "-") and decodes the answer.
func call(t *testing.T, method, url, token, body string, out any) int {
	t.Helper()
	auth, ctype := "", ""
	if token != "-" {
		auth = "Bot " + token
	}
	if body != "" {
		ctype = "application/json"
	}
	status, _, b := synctest.Call(t, method, url, body, "Authorization", auth, "Content-Type", ctype)
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, url, err, b)
		}
	}
	return status
}

type msg struct {
	ID      string `json:"id"`
	Content string `json:"content"`
	Nonce   string `json:"nonce"`
}

func ids(ms []msg) []uint64 {
	out := make([]uint64, len(ms))
	for i, m := range ms {
		out[i], _ = strconv.ParseUint(m.ID, 10, 64)
	}
	return out
}

func TestBotRoutesRefuseAMissingOrWrongTokenLikeDiscord(t *testing.T) {
	_, url := discordtest.Start(t, discordtest.Options{})
	for _, tok := range []string{"-", "wrong"} {
		var e map[string]any
		if st := call(t, "GET", url+"/api/v10/users/@me", tok, "", &e); st != 401 || e["message"] != "401: Unauthorized" || e["code"] != 0.0 {
			t.Errorf("token %q: %d %v", tok, st, e)
		}
	}
	var me map[string]any
	if st := call(t, "GET", url+"/api/v10/users/@me", discordtest.DefaultToken, "", &me); st != 200 || me["id"] != discordtest.DefaultBotID {
		t.Errorf("@me: %d %v", st, me)
	}
}

func TestMessagesAfterAreTheOldestAboveItNewestFirst(t *testing.T) {
	srv, url := discordtest.Start(t, discordtest.Options{})
	srv.Generate(10, 1000)
	base := url + "/api/v10/channels/" + discordtest.DefaultChannelID + "/messages"
	var first []msg
	call(t, "GET", base+"?limit=100&after=0", discordtest.DefaultToken, "", &first)
	got := ids(first)
	if len(got) != 100 || got[0] <= got[99] {
		t.Fatalf("first page: %d items, newest first %v", len(got), got[0] > got[99])
	}
	var next []msg
	call(t, "GET", base+"?limit=100&after="+first[0].ID, discordtest.DefaultToken, "", &next)
	if n := ids(next); len(n) != 100 || n[99] <= got[0] {
		t.Fatalf("next page does not follow the first")
	}
	var latest []msg
	call(t, "GET", base, discordtest.DefaultToken, "", &latest)
	if len(latest) != 50 || latest[0].Content != "Generated message 999 from member9" {
		t.Errorf("latest: %d, first %q", len(latest), latest[0].Content)
	}
	var before []msg
	call(t, "GET", base+"?limit=2&before="+latest[0].ID, discordtest.DefaultToken, "", &before)
	if len(before) != 2 || before[0].Content != "Generated message 998 from member8" {
		t.Errorf("before: %+v", before)
	}
	var e map[string]any
	if st := call(t, "GET", base+"?limit=101", discordtest.DefaultToken, "", &e); st != 400 || e["code"] != 50035.0 {
		t.Errorf("limit 101: %d %v", st, e)
	}
}

func TestMembersDefaultToOneAPageAndPageByUserID(t *testing.T) {
	srv, url := discordtest.Start(t, discordtest.Options{})
	srv.Generate(1500, 0)
	base := url + "/api/v10/guilds/" + discordtest.DefaultGuildID + "/members"
	var one []map[string]any
	call(t, "GET", base, discordtest.DefaultToken, "", &one)
	if len(one) != 1 {
		t.Errorf("default page = %d members, want 1", len(one))
	}
	var page []struct {
		User struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	call(t, "GET", base+"?limit=1000", discordtest.DefaultToken, "", &page)
	last := page[len(page)-1].User.ID
	var rest []map[string]any
	call(t, "GET", base+"?limit=1000&after="+last, discordtest.DefaultToken, "", &rest)
	if len(page)+len(rest) != 1501 {
		t.Errorf("pages %d + %d, want 1,500 members and the bot", len(page), len(rest))
	}
	var e map[string]any
	if st := call(t, "GET", base+"?limit=1001", discordtest.DefaultToken, "", &e); st != 400 {
		t.Errorf("limit 1001: %d", st)
	}
}

func TestANonceDedupesOnlyWhenEnforcedAndWithinTheWindow(t *testing.T) {
	clk := clock.NewManual(t0)
	srv, url := discordtest.Start(t, discordtest.Options{Now: clk.Now})
	base := url + "/api/v10/channels/" + discordtest.DefaultChannelID + "/messages"
	var a, b, c, d msg
	call(t, "POST", base, discordtest.DefaultToken, `{"content":"hi","nonce":"n1","enforce_nonce":true}`, &a)
	call(t, "POST", base, discordtest.DefaultToken, `{"content":"hi","nonce":"n1","enforce_nonce":true}`, &b)
	if a.ID == "" || a.ID != b.ID || b.Nonce != "n1" || srv.CreatedCount() != 1 {
		t.Fatalf("repeat within the window: %+v %+v, created %d", a, b, srv.CreatedCount())
	}
	call(t, "POST", base, discordtest.DefaultToken, `{"content":"hi","nonce":"n1"}`, &c)
	if c.ID == a.ID || srv.CreatedCount() != 2 {
		t.Errorf("a nonce without enforce_nonce deduplicated")
	}
	clk.Advance(6 * time.Minute)
	call(t, "POST", base, discordtest.DefaultToken, `{"content":"hi","nonce":"n1","enforce_nonce":true}`, &d)
	if d.ID == a.ID || srv.CreatedCount() != 3 {
		t.Errorf("a nonce deduplicated after the window")
	}
	var e map[string]any
	if st := call(t, "POST", base, discordtest.DefaultToken, `{"content":"x","nonce":"12345678901234567890123456"}`, &e); st != 400 || e["code"] != 50035.0 {
		t.Errorf("long nonce: %d %v", st, e)
	}
	if st := call(t, "POST", base, discordtest.DefaultToken, `{"content":"  "}`, &e); st != 400 || e["code"] != 50006.0 {
		t.Errorf("empty message: %d %v", st, e)
	}
}

func TestWebhooksNeedNoAuthAndRefuseAWrongToken(t *testing.T) {
	srv, url := discordtest.Start(t, discordtest.Options{})
	hook := srv.WebhookURL(url)
	if st := call(t, "POST", hook+"?wait=true", "-", `{"content":"hello"}`, &msg{}); st != 200 {
		t.Errorf("execute with wait: %d", st)
	}
	if st := call(t, "POST", hook, "-", `{"content":"again"}`, nil); st != 204 {
		t.Errorf("execute without wait: %d", st)
	}
	var e map[string]any
	if st := call(t, "POST", strings.Replace(hook, discordtest.DefaultWebhookToken, "nope", 1), "-", `{"content":"x"}`, &e); st != 401 || e["code"] != 50027.0 {
		t.Errorf("wrong token: %d %v", st, e)
	}
	if got := srv.Created(); len(got) != 2 || got[1] != "again" {
		t.Errorf("created = %q", got)
	}
}
