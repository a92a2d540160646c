package analytics

import (
	"cmp"
	"errors"
	"slices"
	"time"

	"hearth/backend/activity"
	"hearth/backend/errs"
	"hearth/backend/store"
)

// wordRecord holds the keyword counts (KeywordsOf) of one author's records of one month: for
// each day, how many of their records hold each word. Its id is "<owner>/<YYYY-MM>".
//
// The words are what people wrote, so they are kept per author and sealed with the author's
// data key, like the records they come from: erasing a member deletes their word records
// (ForgetMember) and destroys the key, so no version of a count of their words can be read
// back from the workspace files. The per-day totals the rising topics are read from exist
// only in memory (and in the sealed snapshot of the index, dropped by every erasure). Words of
// records about nobody (feed articles) are kept under unattributedWords.
type wordRecord struct {
	// Owner is the member id of the records' author, or "" for records about nobody.
	Owner string                   `json:"owner,omitempty"`
	Month string                   `json:"month"`
	Days  map[int32]map[string]int `json:"days"`
}

// unattributedWords is the owner segment of the id, and the sealing subject, of the word
// counts of records about nobody.
const unattributedWords = "analytics:words"

var wordCounters = &store.Collection[wordRecord]{
	Name: "analytics_member_words",
	Subject: func(r wordRecord) string {
		if r.Owner == "" {
			return unattributedWords
		}
		return r.Owner
	},
	Indexes: []store.Index[wordRecord]{{Name: "member", Values: func(r wordRecord) []string { return []string{r.Owner} }}},
}

// legacyWordCounters names the collection where counter version 3 kept one day's counts of
// everybody's words, in clear. A rebuild (any workspace with older counters gets one) drops it
// from the table files (store.DropCollection).
const legacyWordCounters = "analytics_words"

// wordDeltas are keyword count changes by author ("" for nobody), then day.
type wordDeltas map[string]map[int32]map[string]int

func (w wordDeltas) add(day int32, r activity.Record, n int) {
	for _, k := range KeywordsOf(r.Title, r.Text) {
		byDay := w[r.MemberID]
		if byDay == nil {
			byDay = map[int32]map[string]int{}
			w[r.MemberID] = byDay
		}
		if byDay[day] == nil {
			byDay[day] = map[string]int{}
		}
		byDay[day][k] += n
	}
}

// wordDeltasOf returns the keyword changes of activity changes.
func wordDeltasOf(changes []activity.Change, z *time.Location) wordDeltas {
	w := wordDeltas{}
	for _, c := range changes {
		w.add(dayOf(c.Record.At, z), c.Record, c.Delta)
	}
	return w
}

// addWords adds keyword deltas to the stored records.
func addWords(tx *store.Tx, w wordDeltas) error {
	for owner, byDay := range w {
		if err := addOwnerWords(tx, owner, byDay); err != nil {
			return err
		}
	}
	return nil
}

// wordRecordID is the id of owner's word record of month mi.
func wordRecordID(owner string, mi int) string {
	if owner == "" {
		owner = unattributedWords
	}
	return owner + "/" + monthString(mi)
}

// addOwnerWords adds one author's keyword deltas, by day, to their month records.
func addOwnerWords(tx *store.Tx, owner string, byDay map[int32]map[string]int) error {
	byMonth := map[int][]int32{}
	for day := range byDay {
		byMonth[month(day)] = append(byMonth[month(day)], day)
	}
	for mi, days := range byMonth {
		id := wordRecordID(owner, mi)
		rec, _, err := store.Get(tx, wordCounters, id)
		if err != nil && !errors.Is(err, errs.NotFound) {
			return err
		}
		rec.Owner, rec.Month = owner, monthString(mi)
		if rec.Days == nil {
			rec.Days = map[int32]map[string]int{}
		}
		for _, day := range days {
			ws := rec.Days[day]
			if ws == nil {
				ws = map[string]int{}
				rec.Days[day] = ws
			}
			for k, n := range byDay[day] {
				if ws[k] += n; ws[k] <= 0 {
					delete(ws, k)
				}
			}
			if len(ws) == 0 {
				delete(rec.Days, day)
			}
		}
		if err := putOrDelete(tx, wordCounters, id, rec, len(rec.Days) == 0); err != nil {
			return err
		}
	}
	return nil
}

// forgetWords deletes a member's word records inside tx and says whether there were any.
func forgetWords(tx *store.Tx, memberID string) (bool, error) {
	ids, err := store.IDsByIndex(tx, wordCounters, "member", memberID)
	if err != nil {
		return false, err
	}
	for _, id := range ids {
		if _, err := store.Delete(tx, wordCounters, id); err != nil && !errors.Is(err, errs.NotFound) {
			return false, err
		}
	}
	return len(ids) > 0, nil
}

// loadWords adds a stored word record to the index.
func (x *index) loadWords(r wordRecord) {
	for day, ws := range r.Days {
		for w, n := range ws {
			x.addWord(day, w, n)
		}
	}
}

// addWord adds n to one day's count of a word in the index.
func (x *index) addWord(day int32, word string, n int) {
	ws := x.words[day]
	if ws == nil {
		ws = map[string]int32{}
		x.words[day] = ws
	}
	if ws[word] += int32(n); ws[word] <= 0 {
		delete(ws, word)
	}
}

// Rising topics: a word rises when it is in at least risingMin records of the range and in
// more than in the previous period; they are ranked by Change, then count, then word.
const (
	risingMin   = 3
	risingCount = 10
)

// risingTopics returns the rising topics of days [d0, d1) against the as many days before.
func (x *index) risingTopics(d0, d1 int32) []RisingTopic {
	n := d1 - d0
	cur, prev := map[string]int{}, map[string]int{}
	for d := d0 - n; d < d1; d++ {
		into := cur
		if d < d0 {
			into = prev
		}
		for w, c := range x.words[d] {
			into[w] += int(c)
		}
	}
	out := []RisingTopic{}
	for w, c := range cur {
		p := prev[w]
		if c < risingMin || c <= p {
			continue
		}
		out = append(out, RisingTopic{Word: w, Count: c, Previous: p, Change: float64(c-p) / float64(max(p, 1))})
	}
	slices.SortFunc(out, func(a, b RisingTopic) int {
		return cmp.Or(cmp.Compare(b.Change, a.Change), cmp.Compare(b.Count, a.Count), cmp.Compare(a.Word, b.Word))
	})
	if len(out) > risingCount {
		out = out[:risingCount]
	}
	return out
}

// sentiment returns the sentiment of days [d0, d1).
func (x *index) sentiment(d0, d1 int32) Sentiment {
	s := Sentiment{Daily: make([]SentimentDay, 0, d1-d0)}
	for d := d0; d < d1; d++ {
		m := x.moods[d]
		s.Daily = append(s.Daily, SentimentDay{Day: dayString(d), Positive: int(m[Positive]), Negative: int(m[Negative]), Neutral: int(m[Neutral])})
		s.Positive += int(m[Positive])
		s.Negative += int(m[Negative])
		s.Neutral += int(m[Neutral])
	}
	if s.Positive+s.Negative > 0 {
		s.Score = float64(s.Positive-s.Negative) / float64(s.Positive+s.Negative)
	}
	return s
}
