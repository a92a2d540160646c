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

// wordRecord holds one day's keyword counts (KeywordsOf): how many records of the day hold
// each word. Its id is the day, YYYY-MM-DD.
type wordRecord struct {
	Day   string         `json:"day"`
	Words map[string]int `json:"words"`
}

var wordCounters = &store.Collection[wordRecord]{Name: "analytics_words"}

// wordDeltas are keyword count changes by day.
type wordDeltas map[int32]map[string]int

func (w wordDeltas) add(day int32, r activity.Record, n int) {
	for _, k := range KeywordsOf(r.Title, r.Text) {
		if w[day] == nil {
			w[day] = map[string]int{}
		}
		w[day][k] += n
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

// addWords adds keyword deltas to the stored day records.
func addWords(tx *store.Tx, w wordDeltas) error {
	for day, ws := range w {
		if err := addDayWords(tx, day, ws); err != nil {
			return err
		}
	}
	return nil
}

func addDayWords(tx *store.Tx, day int32, ws map[string]int) error {
	id := dayString(day)
	rec, _, err := store.Get(tx, wordCounters, id)
	if err != nil && !errors.Is(err, errs.NotFound) {
		return err
	}
	rec.Day = id
	if rec.Words == nil {
		rec.Words = map[string]int{}
	}
	for k, n := range ws {
		if rec.Words[k] += n; rec.Words[k] <= 0 {
			delete(rec.Words, k)
		}
	}
	return putOrDelete(tx, wordCounters, id, rec, len(rec.Words) == 0)
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
