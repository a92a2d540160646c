package app

import (
	"context"
	"errors"
	"testing"
	"time"

	"hearth/backend/connections"
	"hearth/backend/credentials"
	"hearth/backend/errs"
	"hearth/backend/syncstate"
	"hearth/backend/wiring"
	"hearth/sync/connector"
)

// fakeChecker answers Check with a fixed status or error.
type fakeChecker struct {
	st  syncstate.Status
	err error
}

var _ ConnectionChecker = fakeChecker{}

func (f fakeChecker) Check(context.Context, string) (syncstate.Status, error) { return f.st, f.err }

func openTestBackend(t *testing.T) *wiring.Backend {
	t.Helper()
	secrets, err := credentials.Open(credentials.Options{Dir: t.TempDir(), Keychain: credentials.KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	b, err := wiring.Open(context.Background(), wiring.Options{Dir: t.TempDir(), Secrets: secrets})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func TestTestingAConnectionReportsWhatTheCheckerFound(t *testing.T) {
	b := openTestBackend(t)
	c, err := b.Connections.Add(context.Background(), connections.AddInput{Name: "masto", Platform: connections.Mastodon,
		Secret: "tok", Settings: connections.Settings{URL: "https://social.example"}})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		checker ConnectionChecker
		want    TestResult
		kind    errs.Kind
	}{
		{"online", fakeChecker{st: syncstate.Status{Online: true, CheckedAt: at}}, TestResult{OK: true, CheckedAt: at}, ""},
		{"refused", fakeChecker{st: syncstate.Status{Online: true, AuthFailed: true, LastError: "token refused", CheckedAt: at}},
			TestResult{Message: "token refused", CheckedAt: at}, ""},
		{"platform error", fakeChecker{err: connector.Errorf(connector.Auth, "the token was refused")}, TestResult{}, ""},
		{"no engine", nil, TestResult{}, errs.Unavailable},
		{"our own error", fakeChecker{err: errs.New(errs.NotFound, "connection_secret_missing", "x")}, TestResult{}, errs.NotFound},
	}
	for _, tc := range cases {
		got, err := connectionsOf(b, tc.checker).Test(c.ID)
		switch {
		case tc.kind != "":
			if !errors.Is(err, tc.kind) {
				t.Errorf("%s: error %v, want %s", tc.name, err, tc.kind)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.name == "platform error":
			if got.OK || got.Message == "" || got.CheckedAt.IsZero() {
				t.Errorf("%s: %+v", tc.name, got)
			}
		case got != tc.want:
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
	if _, err := connectionsOf(b, fakeChecker{}).Test("nope"); !errors.Is(err, errs.NotFound) {
		t.Fatalf("unknown connection: %v", err)
	}
	if got := connectionsOf(b, nil).SecretBackend(); got != credentials.BackendFile {
		t.Fatalf("secret backend %q", got)
	}
}
