package newsletter

import (
	"cmp"
	"context"
	"errors"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// Sent is a newsletter that was sent, with the members its message reached: what campaign
// results are computed from.
type Sent struct {
	Newsletter Newsletter
	// Delivered are the ids of the members whose message the server accepted (delivery status
	// "sent"), in id order. Members erased since are left out: their deliveries are gone.
	Delivered []string
}

// SentBetween returns the newsletters sent (status "sent") at an instant in [from, to), the
// oldest first, each with the members it was delivered to.
func (s *Service) SentBetween(ctx context.Context, from, to time.Time) ([]Sent, error) {
	var out []Sent
	err := s.st.View(func(tx *store.Tx) error {
		return store.Scan(tx, collection, func(_ string, n Newsletter, _ store.Meta) error {
			if n.Status == StatusSent && n.SentAt != nil && !n.SentAt.Before(from) && n.SentAt.Before(to) {
				out = append(out, Sent{Newsletter: n})
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Sent) int {
		return cmp.Or(a.Newsletter.SentAt.Compare(*b.Newsletter.SentAt), cmp.Compare(a.Newsletter.ID, b.Newsletter.ID))
	})
	for i := range out {
		if out[i].Delivered, err = s.delivered(ctx, out[i].Newsletter.ID); err != nil {
			return nil, err
		}
	}
	if out == nil {
		out = []Sent{}
	}
	return out, nil
}

// deliveredChunk is how many deliveries one goroutine unseals per transaction.
const deliveredChunk = 4096

// delivered returns the ids of the members a newsletter reached. Their ids are in the delivery
// keys (<newsletter id>/<member id>), but the status is sealed with each member's key, so every
// record is opened: from a few goroutines at once, each over its own chunks of ids.
func (s *Service) delivered(ctx context.Context, newsletterID string) ([]string, error) {
	var ids []string
	err := s.st.View(func(tx *store.Tx) (err error) {
		ids, err = store.IDsByIndex(tx, deliveries, "newsletter", newsletterID)
		return err
	})
	if err != nil {
		return nil, err
	}
	sent := make([]bool, len(ids))
	chunks := (len(ids) + deliveredChunk - 1) / deliveredChunk
	work := make(chan int, chunks)
	for c := range chunks {
		work <- c
	}
	close(work)
	errc := make(chan error, 1)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), chunks) {
		wg.Go(func() {
			for c := range work {
				if ctx.Err() != nil {
					return
				}
				lo, hi := c*deliveredChunk, min((c+1)*deliveredChunk, len(ids))
				err := s.st.View(func(tx *store.Tx) error {
					for i := lo; i < hi; i++ {
						d, _, err := store.Get(tx, deliveries, ids[i])
						if errors.Is(err, errs.NotFound) {
							continue // its member was erased
						}
						if err != nil {
							return err
						}
						sent[i] = d.Status == DeliverySent
					}
					return nil
				})
				if err != nil {
					select {
					case errc <- err:
					default:
					}
					return
				}
			}
		})
	}
	wg.Wait()
	select {
	case err := <-errc:
		return nil, err
	default:
	}
	if err := ctx.Err(); err != nil {
		return nil, errs.Wrap(errs.Unavailable, "cancelled", err, "newsletter: reading deliveries cancelled")
	}
	out := make([]string, 0, len(ids))
	prefix := newsletterID + "/"
	for i, id := range ids {
		if sent[i] {
			out = append(out, strings.TrimPrefix(id, prefix))
		}
	}
	return out, nil
}
