package bundle

import (
	"filippo.io/age"

	"hearth/backend/connections"
	"hearth/backend/errs"
)

// IdentityRef is the credentials-store reference of a workspace copy's age identity, followed
// by the copy's replica id.
const IdentityRef = "workspace-identity:"

// Identity returns the age identity of the workspace copy replica, kept in secrets (the
// person's keychain or credentials file, never the workspace, so that a copied workspace, a
// backup or a bundle never carries it). On first use it makes one and saves it. Its public key
// (Recipient().String(), "age1…") is what teammates encrypt bundles to.
//
// A saved identity that cannot be read is reported (bundle_identity_unreadable), never
// replaced: bundles already sent to its public key would no longer open.
func Identity(secrets connections.SecretStore, replica string) (*age.X25519Identity, error) {
	if secrets == nil {
		return nil, errs.New(errs.Unavailable, "credentials_unavailable", "bundle: no secret store")
	}
	if replica == "" {
		return nil, errs.New(errs.Internal, "internal", "bundle: identity: no replica id")
	}
	ref := IdentityRef + replica
	saved, err := secrets.Get(ref)
	if err == nil {
		return parseIdentity(saved, ref)
	}
	if errs.KindOf(err) != errs.NotFound {
		return nil, err
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, errs.Wrap(errs.Internal, "internal", err, "bundle: make the workspace identity")
	}
	if err := secrets.Set(ref, id.String()); err != nil {
		return nil, err
	}
	// Another process (the window and a CLI command) may have made one at the same moment:
	// the one saved last is the identity, and both answer with it.
	saved, err = secrets.Get(ref)
	if err != nil {
		return nil, err
	}
	return parseIdentity(saved, ref)
}

func parseIdentity(s, ref string) (*age.X25519Identity, error) {
	id, err := age.ParseX25519Identity(s)
	if err != nil {
		// age's error does not repeat the key; neither does this one.
		return nil, errs.Wrap(errs.Internal, "bundle_identity_unreadable", err, "bundle: the saved workspace identity "+ref+" cannot be read")
	}
	return id, nil
}
