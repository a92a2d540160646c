package gdpr

import (
	"context"

	"hearth/backend/audit"
	"hearth/backend/store"
)

// SetBefore makes Erase and Anonymise call fn once before they erase anyone, and give up if
// it fails: the wiring takes a backup there.
func (s *Service) SetBefore(fn func(ctx context.Context) error) { s.before = fn }

func (s *Service) runBefore(ctx context.Context) error {
	if s.before == nil {
		return nil
	}
	return s.before(ctx)
}

// ForgetErased runs every forgetter for people erased after a backup was taken, in st, a
// database restored from that backup whose sealed records about them are already tombstones
// (store.Reconcile), and writes their erasure in its audit log again (the entry the erasure
// wrote is newer than the backup). One durable transaction per person.
func (s *Service) ForgetErased(ctx context.Context, st *store.Store, memberIDs []string) error {
	for _, id := range memberIDs {
		err := st.UpdateDurable(ctx, func(tx *store.Tx) error {
			if err := s.forgetAll(tx, id); err != nil {
				return err
			}
			return audit.Write(ctx, tx, s.clock.Now(), audit.MemberErased, id, "")
		})
		if err != nil {
			return err
		}
	}
	return nil
}
