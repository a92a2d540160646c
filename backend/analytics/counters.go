package analytics

import (
	"context"
	"errors"
	"slices"
	"time"

	"hearth/backend/activity"
	"hearth/backend/errs"
	"hearth/backend/store"
)

// counterVersion changes whenever the counters' meaning or layout does: a workspace whose
// counters were written by another version is rebuilt at the next load.
// 5: every thread has a state (analytics_thread_state), which writes rely on.
// 6: the active rollup (analytics_active), built from the member counters of version 5
// (upgradable) without reading the activity again.
// 7: the active rollup in 64 records a day instead of 32 (built again from the counters).
// 8: the active rollup's transactions write deltas, folded into the buckets every foldAfter
// (active.go); version 7's records are version 8's without deltas, kept as they are.
const counterVersion = 8

// compatibleVersions are the counter versions this service reads and writes as its own: the
// first write marks them counterVersion, so that an older Hearth, which would misread what it
// adds, rebuilds them instead.
var compatibleVersions = []int{7}

// upgradableVersions are the counter versions whose counters are complete but for the
// active rollup: writes keep them as before, and the next load builds the rollup from them.
var upgradableVersions = []int{5, 6}

// dayCount is one (channel, kind, mood) count of a day.
type dayCount struct {
	Channel string `json:"c"`
	Kind    string `json:"k"`
	Mood    Mood   `json:"s,omitempty"`
	N       int    `json:"n"`
}

// dayRecord holds one day's counts of one channel by kind; its id is "<YYYY-MM-DD>/<channel>",
// so that a transaction rewrites small records whatever the number of channels.
type dayRecord struct {
	Day     string     `json:"day"`
	Channel string     `json:"channel"`
	Counts  []dayCount `json:"counts"`
}

// memberCount is one (day, channel, kind, mood) count of a member; Day is the day number.
type memberCount struct {
	Day     int32  `json:"d"`
	Channel string `json:"c"`
	Kind    string `json:"k"`
	Mood    Mood   `json:"s,omitempty"`
	N       int    `json:"n"`
}

// memberRecord holds one member's counts of one month; its id is "<member id>/<YYYY-MM>".
// The channel is kept so that forgetting a member can take their counts out of the day
// records.
type memberRecord struct {
	Member string        `json:"member"`
	Month  string        `json:"month"`
	Counts []memberCount `json:"counts"`
}

// counterState says how the counters were made: the zone their days are in, the counter
// version, and an epoch bumped by every change made outside the hook (forgetting a member,
// a rebuild), which tells a process to reload its in-memory index.
type counterState struct {
	Zone    string `json:"zone"`
	Version int    `json:"version"`
	Epoch   uint64 `json:"epoch"`
}

var (
	dayCounters = &store.Collection[dayRecord]{Name: "analytics_day"}
	// memberCounters are sealed with the member's key: erasing the member shreds them.
	memberCounters = &store.Collection[memberRecord]{
		Name:    "analytics_member",
		Subject: func(r memberRecord) string { return r.Member },
		Indexes: []store.Index[memberRecord]{{Name: "member", Values: func(r memberRecord) []string { return []string{r.Member} }}},
	}
	states = &store.Collection[counterState]{Name: "analytics_state"}
)

const stateID = "state"

// channelOf is the channel a record is counted under: where it happened, else its platform.
func channelOf(r activity.Record) string {
	if r.Channel != "" {
		return r.Channel
	}
	return string(r.Platform)
}

// readState returns the counters' state; found is false when there are no counters yet.
func readState(tx *store.Tx) (st counterState, found bool, err error) {
	st, _, err = store.Get(tx, states, stateID)
	if errors.Is(err, errs.NotFound) {
		return counterState{}, false, nil
	}
	return st, err == nil, err
}

// current says whether counters in state st were made the way this service makes them.
func (s *Service) current(st counterState, found bool) bool {
	return found && st.Zone == s.o.Zone.String() && (st.Version == counterVersion || slices.Contains(compatibleVersions, st.Version))
}

// upgradable says whether counters in state st are current but for the active rollup.
func (s *Service) upgradable(st counterState, found bool) bool {
	return found && st.Zone == s.o.Zone.String() && slices.Contains(upgradableVersions, st.Version)
}

// counterDelta is a change of one counter.
type counterDelta struct {
	day     int32
	channel string
	kind    string
	mood    Mood
	n       int
}

// writeDeltas adds deltas (of one member, or of nobody when member is "") to the stored
// counters inside tx: the day records always, the member's records when member is set.
func writeDeltas(tx *store.Tx, member string, deltas []counterDelta) error {
	if err := addDays(tx, deltas); err != nil {
		return err
	}
	return addMember(tx, member, deltas)
}

// addDays adds deltas to the day records.
func addDays(tx *store.Tx, deltas []counterDelta) error {
	type dayChannel struct {
		day     int32
		channel string
	}
	byDay := map[dayChannel][]counterDelta{}
	for _, d := range deltas {
		k := dayChannel{d.day, d.channel}
		byDay[k] = append(byDay[k], d)
	}
	for k, ds := range byDay {
		rec := dayRecord{Day: dayString(k.day), Channel: k.channel}
		id := rec.Day + "/" + rec.Channel
		old, _, err := store.Get(tx, dayCounters, id)
		if err != nil && !errors.Is(err, errs.NotFound) {
			return err
		}
		rec.Counts = old.Counts
		for _, d := range ds {
			i := slices.IndexFunc(rec.Counts, func(c dayCount) bool { return c.Channel == d.channel && c.Kind == d.kind && c.Mood == d.mood })
			if i < 0 {
				rec.Counts = append(rec.Counts, dayCount{Channel: d.channel, Kind: d.kind, Mood: d.mood})
				i = len(rec.Counts) - 1
			}
			rec.Counts[i].N += d.n
		}
		rec.Counts = slices.DeleteFunc(rec.Counts, func(c dayCount) bool { return c.N <= 0 })
		if err := putOrDelete(tx, dayCounters, id, rec, len(rec.Counts) == 0); err != nil {
			return err
		}
	}
	return nil
}

// addMember adds deltas to a member's records (nothing when member is "").
func addMember(tx *store.Tx, member string, deltas []counterDelta) error {
	if member == "" {
		return nil
	}
	byMonth := map[int][]counterDelta{}
	for _, d := range deltas {
		byMonth[month(d.day)] = append(byMonth[month(d.day)], d)
	}
	for mi, ds := range byMonth {
		id := member + "/" + monthString(mi)
		rec, _, err := store.Get(tx, memberCounters, id)
		if err != nil && !errors.Is(err, errs.NotFound) {
			return err
		}
		rec.Member, rec.Month = member, monthString(mi)
		for _, d := range ds {
			i := slices.IndexFunc(rec.Counts, func(c memberCount) bool {
				return c.Day == d.day && c.Channel == d.channel && c.Kind == d.kind && c.Mood == d.mood
			})
			if i < 0 {
				rec.Counts = append(rec.Counts, memberCount{Day: d.day, Channel: d.channel, Kind: d.kind, Mood: d.mood})
				i = len(rec.Counts) - 1
			}
			rec.Counts[i].N += d.n
		}
		rec.Counts = slices.DeleteFunc(rec.Counts, func(c memberCount) bool { return c.N <= 0 })
		if err := putOrDelete(tx, memberCounters, id, rec, len(rec.Counts) == 0); err != nil {
			return err
		}
	}
	return nil
}

func putOrDelete[T any](tx *store.Tx, c *store.Collection[T], id string, v T, empty bool) error {
	if !empty {
		_, err := store.Put(tx, c, id, v)
		return err
	}
	_, err := store.Delete(tx, c, id)
	if errors.Is(err, errs.NotFound) {
		return nil
	}
	return err
}

// deltasOf groups changes into counter deltas by member.
func deltasOf(changes []activity.Change, z *time.Location) map[string][]counterDelta {
	out := map[string][]counterDelta{}
	for _, c := range changes {
		r := c.Record
		out[r.MemberID] = append(out[r.MemberID], counterDelta{day: dayOf(r.At, z), channel: channelOf(r), kind: string(r.Kind), mood: MoodOf(r.Title, r.Text), n: c.Delta})
	}
	return out
}

// Begin is part of activity.Hook: writes of activity wait while the index reloads.
func (s *Service) Begin() { s.writers.RLock() }

// Apply is part of activity.Hook: it adds the transaction's changes to the stored counters.
// A workspace without counters and without activity gets them now, empty, so that they are
// kept from its first activity on (a workspace only ever used from the command line never
// needs a rebuild). Counters not made the way this service makes them (another zone, an old
// version) are left alone: they are rebuilt at the next load; those of the version before
// the active rollup are kept but for it (the next load builds it from them).
func (s *Service) Apply(tx *store.Tx, changes []activity.Change) error {
	st, found, err := readState(tx)
	if err != nil {
		return err
	}
	if !found {
		if found, err = s.startCounters(tx); err != nil || !found {
			return err
		}
		st = counterState{Zone: s.o.Zone.String(), Version: counterVersion}
	}
	upgrading := s.upgradable(st, found)
	if !s.current(st, found) && !upgrading {
		return nil
	}
	if !upgrading && st.Version != counterVersion { // compatible: marked ours before deltas are added
		st.Version = counterVersion
		if _, err := store.Put(tx, states, stateID, st); err != nil {
			return err
		}
	}
	// The active rollup's day records are shared by many members: every member's deltas first,
	// then each record read and written once for the whole transaction (not once per member).
	var active []activeDelta
	for member, ds := range deltasOf(changes, s.o.Zone) {
		if err := writeDeltas(tx, member, ds); err != nil {
			return err
		}
		if !upgrading {
			active = append(active, activeDeltasOf(member, ds)...)
		}
	}
	if err := addActive(tx, active); err != nil {
		return err
	}
	if err := applyThreads(tx, changes); err != nil {
		return err
	}
	return addWords(tx, wordDeltasOf(changes, s.o.Zone))
}

// End is part of activity.Hook: it brings the committed changes into the in-memory index.
func (s *Service) End(committed []activity.Change) {
	defer s.writers.RUnlock()
	if len(committed) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idx != nil {
		s.idx.apply(committed, s.o.Zone)
		s.refreshQuestions(committed)
	}
}

// ForgetMember is the erasure's forgetter (gdpr.Forgetter): inside the erasure transaction it
// deletes the member's counters and takes them out of the day counters, which thus drop every
// activity record of the member, including those activity.ForgetMember leaves to shredding.
// It deletes their thread records too and recomputes the questions they asked or answered
// (forgetThreads), and deletes their keyword counts (forgetWords), which the rising topics
// thus forget at once.
func (s *Service) ForgetMember(tx *store.Tx, memberID string) error {
	if s == nil || memberID == "" {
		return nil
	}
	threads, err := forgetThreads(tx, memberID)
	if err != nil {
		return err
	}
	words, err := forgetWords(tx, memberID)
	if err != nil {
		return err
	}
	threads = threads || words
	ids, err := store.IDsByIndex(tx, memberCounters, "member", memberID)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		if threads {
			return bumpEpoch(tx)
		}
		return nil
	}
	if err := forgetActive(tx, memberID, ids); err != nil {
		return err
	}
	var deltas []counterDelta
	for _, id := range ids {
		rec, err := store.Delete(tx, memberCounters, id)
		if errors.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return err
		}
		for _, c := range rec.Counts {
			deltas = append(deltas, counterDelta{day: c.Day, channel: c.Channel, kind: c.Kind, mood: c.Mood, n: -c.N})
		}
	}
	if err := writeDeltas(tx, "", deltas); err != nil {
		return err
	}
	return bumpEpoch(tx)
}

// startCounters writes the state of empty counters when the workspace holds no activity
// yet (none committed: what tx writes is the first); started says whether it did. The
// activity's tallies say it without reading any record.
func (s *Service) startCounters(tx *store.Tx) (started bool, err error) {
	if s.activity == nil {
		return false, nil
	}
	n, err := s.activity.Count(context.Background())
	if err != nil || n > 0 {
		return false, err
	}
	_, err = store.Put(tx, states, stateID, counterState{Zone: s.o.Zone.String(), Version: counterVersion})
	return err == nil, err
}

// bumpEpoch tells every process to reload its index at its next read.
func bumpEpoch(tx *store.Tx) error {
	st, found, err := readState(tx)
	if err != nil || !found {
		return err
	}
	st.Epoch++
	_, err = store.Put(tx, states, stateID, st)
	return err
}
