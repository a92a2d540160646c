package bundle

import (
	"bytes"
	"errors"
	"testing"

	"filippo.io/age"

	"hearth/backend/connections"
	"hearth/backend/errs"
)

// secrets is an in-memory SecretStore that answers like backend/credentials.
type secrets struct {
	m      map[string]string
	getErr error
	sets   int
}

var _ connections.SecretStore = (*secrets)(nil)

func (s *secrets) Get(ref string) (string, error) {
	if s.getErr != nil {
		return "", s.getErr
	}
	v, ok := s.m[ref]
	if !ok {
		return "", errs.New(errs.NotFound, "credential_not_found", "credentials: no secret for "+ref)
	}
	return v, nil
}

func (s *secrets) Set(ref, secret string) error {
	s.sets++
	s.m[ref] = secret
	return nil
}

func (s *secrets) Delete(ref string) error {
	delete(s.m, ref)
	return nil
}

func TestAWorkspaceIdentityIsMadeOnFirstUseKeptInTheSecretStoreAndReused(t *testing.T) {
	store := &secrets{m: map[string]string{}}
	first, err := Identity(store, "01JREPLICAA")
	if err != nil {
		t.Fatal(err)
	}
	if saved := store.m["workspace-identity:01JREPLICAA"]; saved != first.String() {
		t.Fatalf("saved %q under workspace-identity:01JREPLICAA", saved)
	}
	again, err := Identity(store, "01JREPLICAA")
	if err != nil || again.String() != first.String() || store.sets != 1 {
		t.Fatalf("second use: %v, %v, %d saves", again, err, store.sets)
	}
	other, err := Identity(store, "01JREPLICAB")
	if err != nil || other.String() == first.String() {
		t.Fatalf("another copy: %v, %v", other, err)
	}
	// A bundle sent to the public key opens with the identity.
	data := writeBundle(t, Encrypt{Recipients: []string{first.Recipient().String()}}, testManifest(), testEntries())
	if _, _, err := readBundle(data, Decrypt{Identities: []age.Identity{again}}); err != nil {
		t.Fatal(err)
	}
}

func TestAnUnreadableSavedIdentityIsReportedNeverReplaced(t *testing.T) {
	store := &secrets{m: map[string]string{"workspace-identity:R": "AGE-SECRET-KEY-1NOTREALLY"}}
	_, err := Identity(store, "R")
	if codeOf(err) != "bundle_identity_unreadable" {
		t.Fatalf("%v, want bundle_identity_unreadable", err)
	}
	if bytes.Contains([]byte(err.Error()), []byte("NOTREALLY")) {
		t.Error("the error repeats the secret")
	}
	if store.m["workspace-identity:R"] != "AGE-SECRET-KEY-1NOTREALLY" || store.sets != 0 {
		t.Error("the saved identity was replaced")
	}
}

func TestASecretStoreThatDoesNotAnswerIsReportedAndNothingIsMade(t *testing.T) {
	down := errs.New(errs.Unavailable, "credentials_unavailable", "credentials: the keychain did not answer")
	store := &secrets{m: map[string]string{}, getErr: down}
	if _, err := Identity(store, "R"); !errors.Is(err, errs.Unavailable) || store.sets != 0 {
		t.Fatalf("%v, %d saves", err, store.sets)
	}
	if _, err := Identity(nil, "R"); !errors.Is(err, errs.Unavailable) {
		t.Fatalf("no store: %v", err)
	}
}
