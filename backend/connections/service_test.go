package connections

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hearth/backend/audit"
	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/internal/storetest"
	"hearth/backend/notify"
	"hearth/backend/store"
)

// memSecrets is an in-memory SecretStore that can be told to fail.
type memSecrets struct {
	mu   sync.Mutex
	m    map[string]string
	fail error
}

var _ SecretStore = (*memSecrets)(nil)

func (f *memSecrets) Get(ref string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.m[ref]
	if !ok {
		return "", errs.New(errs.NotFound, "credential_not_found", "fake: no "+ref)
	}
	return v, nil
}

func (f *memSecrets) Set(ref, secret string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	f.m[ref] = secret
	return nil
}

func (f *memSecrets) Delete(ref string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	delete(f.m, ref)
	return nil
}

type fixture struct {
	svc     *Service
	st      *store.Store
	dir     string
	secrets *memSecrets
	rec     *notify.Recorder
}

func newTestService(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir(), secrets: &memSecrets{m: map[string]string{}}, rec: &notify.Recorder{}}
	c := clock.NewManual(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC))
	f.st = storetest.Open(t, f.dir, c)
	f.svc = NewService(f.st, f.secrets, "ws1", c, f.rec)
	return f
}

const token = "sekret-token-9d1f0b2c77"

var ctx = context.Background()

func forum() AddInput {
	return AddInput{Name: "Forum", Platform: Discourse, Secret: token,
		Settings: Settings{URL: "https://forum.example.org/", Username: "system", Keywords: []string{"stray"}}}
}

func fieldsOf(err error) []string {
	var out []string
	for _, f := range errs.From(err).Fields {
		out = append(out, f.Field+":"+f.Code)
	}
	slices.Sort(out)
	return out
}

func TestAddKeepsTheSecretOutOfTheWorkspaceAndInTheSecretStore(t *testing.T) {
	f := newTestService(t)
	c, err := f.svc.Add(ctx, forum())
	if err != nil {
		t.Fatal(err)
	}
	if !c.HasSecret || c.Settings.URL != "https://forum.example.org" || c.Settings.Keywords != nil {
		t.Fatalf("added %+v", c)
	}
	if f.secrets.m["ws1/"+c.ID] != token {
		t.Fatalf("secret store holds %v", f.secrets.m)
	}
	if got, err := f.svc.Secret(ctx, c.ID); err != nil || got != token {
		t.Fatalf("Secret: %q %v", got, err)
	}
	if ev := f.rec.Events(); len(ev) != 1 || ev[0].Name != EventChanged {
		t.Fatalf("events %+v", ev)
	}
	entries, err := audit.NewLog(f.st).List(ctx, "", 0)
	if err != nil || len(entries) != 1 || entries[0].Action != AuditAdded || strings.Contains(fmt.Sprint(entries[0].Details, entries[0].Params), token) {
		t.Fatalf("audit %+v %v", entries, err)
	}
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(f.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && bytes.Contains(b, []byte(token)) {
			t.Errorf("%s holds the secret", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestEachPlatformNeedsItsOwnSettings(t *testing.T) {
	cases := []struct {
		name string
		in   AddInput
		want []string
	}{
		{"discourse without anything", AddInput{Name: "f", Platform: Discourse},
			[]string{"secret:required", "settings.url:required", "settings.username:required"}},
		{"discourse with a relative url", AddInput{Name: "f", Platform: Discourse, Secret: "k",
			Settings: Settings{URL: "forum.example.org", Username: "u"}}, []string{"settings.url:url"}},
		{"mastodon with an ftp url", AddInput{Name: "m", Platform: Mastodon, Secret: "k", Settings: Settings{URL: "ftp://x.org"}},
			[]string{"settings.url:url"}},
		{"discord bot without channel", AddInput{Name: "d", Platform: Discord, Secret: "bot"}, []string{"settings.channel:required"}},
		{"discord webhook that is not one", AddInput{Name: "d", Platform: Discord, Secret: "https://example.org/hook",
			Settings: Settings{Webhook: true}}, []string{"secret:webhook_url"}},
		{"discord webhook over plain http elsewhere", AddInput{Name: "d", Platform: Discord, Secret: "http://discord.com/api/webhooks/1/t",
			Settings: Settings{Webhook: true}}, []string{"secret:webhook_url"}},
		{"discord bad api url", AddInput{Name: "d", Platform: Discord, Secret: "bot", Settings: Settings{Channel: "1", APIURL: "nope"}},
			[]string{"settings.apiUrl:url"}},
		{"mailchimp key without data centre", AddInput{Name: "mc", Platform: Mailchimp, Secret: "abc", Settings: Settings{ListID: "l1"}},
			[]string{"secret:mailchimp_key"}},
		{"mailchimp without list", AddInput{Name: "mc", Platform: Mailchimp, Secret: "abc-us14"}, []string{"settings.listId:required"}},
		{"rss without url", AddInput{Name: "r", Platform: RSS}, []string{"settings.url:required"}},
		{"rss with a long keyword", AddInput{Name: "r", Platform: RSS, Settings: Settings{URL: "https://a.example/feed",
			Keywords: []string{"ok", strings.Repeat("k", 101)}}}, []string{"settings.keywords[1]:max"}},
		{"unknown platform", AddInput{Name: "x", Platform: "myspace"}, []string{"platform:platform"}},
		{"no name", AddInput{Platform: RSS, Settings: Settings{URL: "https://a.example/feed"}}, []string{"name:required"}},
		{"control character in name", AddInput{Name: "a\tb", Platform: RSS, Settings: Settings{URL: "https://a.example/feed"}},
			[]string{"name:label"}},
	}
	f := newTestService(t)
	for _, c := range cases {
		_, err := f.svc.Add(ctx, c.in)
		if !errors.Is(err, errs.Invalid) || !slices.Equal(fieldsOf(err), c.want) {
			t.Errorf("%s: got %v %v, want %v", c.name, err, fieldsOf(err), c.want)
		}
	}
	tooMany := make([]string, 51)
	for i := range tooMany {
		tooMany[i] = strings.Repeat("k", i+1)
	}
	if _, err := f.svc.Add(ctx, AddInput{Name: "r", Platform: RSS, Settings: Settings{URL: "https://a.example/feed", Keywords: tooMany}}); !slices.Equal(fieldsOf(err), []string{"settings.keywords:max"}) {
		t.Errorf("51 keywords: %v", err)
	}
	if list, _ := f.svc.List(ctx); len(list) != 0 {
		t.Fatalf("refused inputs were stored: %+v", list)
	}
}

func TestValidConnectionsOfEveryPlatformAreAccepted(t *testing.T) {
	f := newTestService(t)
	for _, in := range []AddInput{
		{Name: "Discord bot", Platform: Discord, Secret: "bot", Settings: Settings{Channel: "111", Guild: "222"}},
		{Name: "discord-hook", Platform: Discord, Secret: "https://discord.com/api/webhooks/1/abc", Settings: Settings{Webhook: true, Channel: "ignored"}},
		{Name: "local hook", Platform: Discord, Secret: "http://127.0.0.1:8080/api/webhooks/1/abc", Settings: Settings{Webhook: true}},
		{Name: "masto", Platform: Mastodon, Secret: "t", Settings: Settings{URL: "https://social.example"}},
		{Name: "mc", Platform: Mailchimp, Secret: "abc-us14", Settings: Settings{ListID: "l1"}},
		{Name: "mc local", Platform: Mailchimp, Secret: "nodc", Settings: Settings{ListID: "l1", APIURL: "http://127.0.0.1:9/3.0"}},
		{Name: "veille", Platform: RSS, Secret: "ignored", Settings: Settings{URL: "https://a.example/feed", Keywords: []string{" fête ", "FÊTE", "jardin"}}},
	} {
		c, err := f.svc.Add(ctx, in)
		if err != nil {
			t.Fatalf("%s: %v", in.Name, err)
		}
		switch c.Name {
		case "discord-hook":
			if c.Settings.Channel != "" {
				t.Errorf("webhook kept a channel: %+v", c.Settings)
			}
		case "veille":
			if c.HasSecret || !slices.Equal(c.Settings.Keywords, []string{"fête", "jardin"}) {
				t.Errorf("rss: %+v", c)
			}
		}
	}
	list, err := f.svc.List(ctx)
	if err != nil || len(list) != 7 || list[0].Name != "Discord bot" || list[6].Name != "veille" {
		t.Fatalf("list: %v %+v", err, list)
	}
}

func TestNamesAreUniqueWhateverTheirCaseAndFoundByName(t *testing.T) {
	f := newTestService(t)
	c, err := f.svc.Add(ctx, forum())
	if err != nil {
		t.Fatal(err)
	}
	in := forum()
	in.Name = " FORUM "
	_, err = f.svc.Add(ctx, in)
	if !errors.Is(err, errs.Conflict) || errs.From(err).Code != "connection_name_taken" || !slices.Equal(fieldsOf(err), []string{"name:name_taken"}) {
		t.Fatalf("duplicate: %v", err)
	}
	got, err := f.svc.ByName(ctx, "forum")
	if err != nil || got.ID != c.ID || !got.HasSecret {
		t.Fatalf("by name: %+v %v", got, err)
	}
	if _, err := f.svc.ByName(ctx, "nope"); !errors.Is(err, errs.NotFound) || errs.From(err).Code != "connection_not_found" {
		t.Fatalf("missing: %v", err)
	}
	if len(f.secrets.m) != 1 {
		t.Fatalf("the refused duplicate left a secret: %v", f.secrets.m)
	}
}

func TestAFailingSecretStoreLeavesNoHalfAddedConnection(t *testing.T) {
	f := newTestService(t)
	f.secrets.fail = errs.New(errs.Unavailable, "credentials_unavailable", "fake: keychain locked")
	if _, err := f.svc.Add(ctx, forum()); !errors.Is(err, errs.Unavailable) {
		t.Fatalf("add: %v", err)
	}
	if list, _ := f.svc.List(ctx); len(list) != 0 {
		t.Fatalf("left %+v", list)
	}
	f.secrets.fail = nil
	if _, err := f.svc.Add(ctx, forum()); err != nil {
		t.Fatalf("the name stayed taken: %v", err)
	}
}

func TestUpdateReplacesSettingsAndSecretAndChecksThemAgainstEachOther(t *testing.T) {
	f := newTestService(t)
	c, err := f.svc.Add(ctx, AddInput{Name: "d", Platform: Discord, Secret: "bot-token", Settings: Settings{Channel: "1"}})
	if err != nil {
		t.Fatal(err)
	}
	// Switching to a webhook while the stored secret is a bot token is refused.
	_, err = f.svc.Update(ctx, c.ID, Patch{Settings: &Settings{Webhook: true}})
	if !slices.Equal(fieldsOf(err), []string{"secret:webhook_url"}) {
		t.Fatalf("webhook without its url: %v", err)
	}
	hook := "https://discord.com/api/webhooks/9/tok"
	up, err := f.svc.Update(ctx, c.ID, Patch{Settings: &Settings{Webhook: true}, Secret: &hook})
	if err != nil || !up.Settings.Webhook || !up.HasSecret {
		t.Fatalf("update: %+v %v", up, err)
	}
	if got, _ := f.svc.Secret(ctx, c.ID); got != hook {
		t.Fatalf("secret %q", got)
	}
	paused, name := true, "Discord annonces"
	up, err = f.svc.Update(ctx, c.ID, Patch{Paused: &paused, Name: &name})
	if err != nil || !up.Paused || up.Name != name || !up.Settings.Webhook {
		t.Fatalf("pause: %+v %v", up, err)
	}
	entries, _ := audit.NewLog(f.st).List(ctx, "", 0)
	for _, e := range entries {
		if strings.Contains(fmt.Sprint(e.Details, e.Params), hook) || strings.Contains(fmt.Sprint(e.Details, e.Params), "bot-token") {
			t.Fatalf("audit holds a secret: %+v", e)
		}
	}
	if len(entries) != 3 || entries[0].Action != AuditUpdated {
		t.Fatalf("audit %+v", entries)
	}
}

func TestPausingAConnectionWhoseSecretIsMissingStillWorks(t *testing.T) {
	f := newTestService(t)
	c, err := f.svc.Add(ctx, forum())
	if err != nil {
		t.Fatal(err)
	}
	delete(f.secrets.m, f.svc.SecretRef(c.ID)) // as on another computer
	paused := true
	if up, err := f.svc.Update(ctx, c.ID, Patch{Paused: &paused}); err != nil || up.HasSecret {
		t.Fatalf("pause: %+v %v", up, err)
	}
	if _, err := f.svc.Secret(ctx, c.ID); !errors.Is(err, errs.NotFound) || errs.From(err).Code != "connection_secret_missing" {
		t.Fatalf("secret: %v", err)
	}
}

func TestRemoveDeletesTheSecretAndLeavesATombstone(t *testing.T) {
	f := newTestService(t)
	c, err := f.svc.Add(ctx, forum())
	if err != nil {
		t.Fatal(err)
	}
	f.secrets.fail = errors.New("keychain locked")
	if err := f.svc.Remove(ctx, c.ID); err == nil {
		t.Fatal("remove succeeded without deleting the secret")
	}
	if _, err := f.svc.Get(ctx, c.ID); err != nil {
		t.Fatalf("a failed remove removed the record: %v", err)
	}
	f.secrets.fail = nil
	if err := f.svc.Remove(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if len(f.secrets.m) != 0 {
		t.Fatalf("secret left: %v", f.secrets.m)
	}
	if _, err := f.svc.Get(ctx, c.ID); !errors.Is(err, errs.NotFound) {
		t.Fatalf("get after remove: %v", err)
	}
	err = f.st.View(func(tx *store.Tx) error {
		_, dead, err := store.Tombstone(tx, collection, c.ID)
		if !dead {
			t.Error("no tombstone")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Add(ctx, forum()); err != nil {
		t.Fatalf("the name of a removed connection is still taken: %v", err)
	}
	if err := f.svc.Remove(ctx, c.ID); !errors.Is(err, errs.NotFound) {
		t.Fatalf("second remove: %v", err)
	}
}

func TestOnRemoveRunsAfterAConnectionIsRemovedAndNotWhenRemoveFails(t *testing.T) {
	f := newTestService(t)
	var removed []string
	f.svc = NewService(f.st, f.secrets, "ws1", clock.System{}, f.rec, OnRemove(func(_ context.Context, id string) error {
		if _, err := f.svc.Get(ctx, id); !errors.Is(err, errs.NotFound) {
			t.Errorf("the hook ran before the connection was removed: %v", err)
		}
		removed = append(removed, id)
		return nil
	}))
	c, err := f.svc.Add(ctx, forum())
	if err != nil {
		t.Fatal(err)
	}
	f.secrets.fail = errors.New("keychain locked")
	if err := f.svc.Remove(ctx, c.ID); err == nil || len(removed) != 0 {
		t.Fatalf("a failed remove: %v, hook ran for %v", err, removed)
	}
	f.secrets.fail = nil
	if err := f.svc.Remove(ctx, c.ID); err != nil || len(removed) != 1 || removed[0] != c.ID {
		t.Fatalf("remove: %v, hook ran for %v", err, removed)
	}
}
