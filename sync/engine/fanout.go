package engine

import (
	"context"
	"errors"
	"strings"
	"time"

	"hearth/backend/connections"
	"hearth/backend/errs"
	"hearth/backend/outbox"
	"hearth/backend/syncstate"
)

// planChunk is how many entries one planning transaction covers.
const planChunk = 256

// maxPending bounds how many pending entries one run reads from the outbox. outbox.Pending
// hands out the oldest first and entries waiting on a backoff stay pending, so a run reads
// them all: a small page would let old waiting entries starve newer ones.
const maxPending = 1 << 20

// fanOut turns every pending outbox entry into deliveries, one per connection its channels
// name, and settles entries whose deliveries are all done (sent, or one parked). It returns
// the pending entries by id, for their content.
func (e *Engine) fanOut(ctx context.Context, conns []connections.Connection) (map[string]outbox.Entry, error) {
	pending, err := e.o.Outbox.Pending(ctx, maxPending)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]string, len(conns))
	for _, c := range conns {
		byName[lowerName(c.Name)] = c.ID
	}
	entries := make(map[string]outbox.Entry, len(pending))
	for start := 0; start < len(pending); start += planChunk {
		chunk := pending[start:min(start+planChunk, len(pending))]
		plans := make([]syncstate.EntryPlan, len(chunk))
		for i, en := range chunk {
			entries[en.ID] = en
			plans[i] = syncstate.EntryPlan{EntryID: en.ID, EntryKey: en.Key, Title: en.Title, DueAt: en.OccurrenceAt}
			for _, ch := range en.Channels {
				if strings.TrimSpace(ch) == "" {
					continue
				}
				plans[i].Targets = append(plans[i].Targets, syncstate.Target{Connection: byName[lowerName(ch)], Channel: ch})
			}
		}
		planned, err := e.o.State.Plan(ctx, plans)
		if err != nil {
			return nil, err
		}
		for i, ds := range planned {
			if err := e.settle(ctx, chunk[i], ds); err != nil {
				return nil, err
			}
		}
	}
	return entries, nil
}

// settle reports an entry's outcome to the outbox once its deliveries say it: sent when every
// delivery was sent, failed as soon as one is parked (the calendar shows it; a retry rearms it).
func (e *Engine) settle(ctx context.Context, en outbox.Entry, ds []syncstate.Delivery) error {
	if en.Status == outbox.Sent {
		return nil
	}
	if len(ds) == 0 {
		_, err := e.o.Outbox.MarkFailed(ctx, en.ID, "no channel to publish to", time.Time{})
		return err
	}
	var remote []string
	for _, d := range ds {
		switch d.State {
		case syncstate.Parked:
			if en.Status == outbox.Failed && en.RetryAt.IsZero() {
				return nil
			}
			return ignoreSent(e.o.Outbox.MarkFailed(ctx, en.ID, d.Reason, time.Time{}))
		case syncstate.Sent:
			remote = append(remote, d.RemoteID)
		}
	}
	if len(remote) < len(ds) {
		return nil
	}
	_, err := e.o.Outbox.MarkSent(ctx, en.ID, strings.Join(remote, ","))
	return err
}

// ignoreSent drops the conflict of failing an entry another delivery path already marked sent.
func ignoreSent(_ outbox.Entry, err error) error {
	if errors.Is(err, errs.Conflict) {
		return nil
	}
	return err
}
