package newsletter

import (
	"context"
	"testing"

	"hearth/backend/store"
)

// DeliveredChunk exposes deliveredChunk to the tests.
const DeliveredChunk = deliveredChunk

// PutSentForTest stores a sent newsletter and its deliveries directly (as Send leaves them),
// for tests and benchmarks of sends too big to go through a Sender; it returns the id.
func PutSentForTest(t testing.TB, st *store.Store, n Newsletter, ds []Delivery) string {
	t.Helper()
	ctx := context.Background()
	err := st.Update(ctx, func(tx *store.Tx) error {
		n.ID = tx.NewID()
		_, err := store.Put(tx, collection, n.ID, n)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Bulk(ctx, len(ds), func(tx *store.Tx, i int) error {
		d := ds[i]
		d.NewsletterID = n.ID
		_, err := store.Put(tx, deliveries, deliveryID(n.ID, d.MemberID), d)
		return err
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return n.ID
}
