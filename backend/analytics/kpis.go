package analytics

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"hearth/backend/activity"
	"hearth/backend/errs"
)

// KPIs computes the numbers of range r, with Previous holding those of the period of as many
// days just before it.
func (s *Service) KPIs(ctx context.Context, r Range) (KPIs, error) { return s.KPIsOf(ctx, r, nil) }

// Only restricts the numbers to some members (those of a segment), by id; nil is everyone.
type Only map[string]struct{}

// OnlyOf makes an Only of ids.
func OnlyOf(ids []string) Only {
	o := make(Only, len(ids))
	for _, id := range ids {
		o[id] = struct{}{}
	}
	return o
}

// Unfiltered names the parts of KPIs that are counted for everyone even when only some members
// are asked for: they come from day counters of records, not from members, and are left empty
// (KPIs.Unfiltered lists them) rather than shown for everyone.
var Unfiltered = []string{"activitiesByChannel", "sentiment", "risingTopics"}

// KPIsOf is KPIs over the members of only (everyone when nil): the members, activities by
// kind and per day, levels, super users, questions and answers are theirs; the parts listed in
// Unfiltered are left empty.
func (s *Service) KPIsOf(ctx context.Context, r Range, only Only) (KPIs, error) {
	if err := s.check(r); err != nil {
		return KPIs{}, err
	}
	d0, d1 := rangeDays(r, s.o.Zone)
	if err := s.ensureFrom(ctx, kpiNeed(d0, d1)); err != nil {
		return KPIs{}, err
	}
	n := d1 - d0
	s.mu.RLock()
	defer s.mu.RUnlock()
	var prev KPIs
	var wg sync.WaitGroup
	wg.Go(func() { prev, _ = s.compute(s.idx, d0-n, d0, "", only) })
	cur, _ := s.compute(s.idx, d0, d1, "", only)
	wg.Wait()
	cur.From, cur.To = r.From, r.To
	prev.From, prev.To = dayStart(d0-n, s.o.Zone), dayStart(d0, s.o.Zone)
	cur.Previous = &prev
	return cur, nil
}

// Metrics are the names MembersBehind knows.
var Metrics = []string{"new", "active", "churned", "level:1", "level:2", "level:3", "level:4", "gone_quiet", "super_users", "answerers"}

// MembersBehind returns the ids of the members behind one number of KPIs(r): at most limit
// (every one when limit <= 0), best first for super_users and gone_quiet (ranked by score)
// and answerers (the live members who answered questions of others in r, most answers
// first), else in id order. metric is one of Metrics.
func (s *Service) MembersBehind(ctx context.Context, r Range, metric string, limit int) ([]string, error) {
	return s.MembersBehindOf(ctx, r, metric, limit, nil)
}

// MembersBehindOf is MembersBehind among the members of only (everyone when nil).
func (s *Service) MembersBehindOf(ctx context.Context, r Range, metric string, limit int, only Only) ([]string, error) {
	if err := s.check(r); err != nil {
		return nil, err
	}
	if !slices.Contains(Metrics, metric) {
		return nil, errs.Fields("analytics: unknown metric", errs.Field("metric", "oneof", "value", strings.Join(Metrics, " ")))
	}
	d0, d1 := rangeDays(r, s.o.Zone)
	if err := s.ensureFrom(ctx, kpiNeed(d0, d1)); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var ids []string
	if metric == "answerers" {
		ids = s.answerers(d0, d1, only)
	} else {
		_, ids = s.compute(s.idx, d0, d1, metric, only)
	}
	if limit > 0 && len(ids) > limit {
		ids = ids[:limit]
	}
	return ids, nil
}

// answerers are the live members who answered questions of others in days [d0, d1), the
// most answers first (then by id). The caller holds mu.
func (s *Service) answerers(d0, d1 int32, only Only) []string {
	type answerer struct {
		id string
		n  int
	}
	var as []answerer
	for _, m := range s.flat.mems {
		if n := s.flat.answeredIn(m, d0, d1); n > 0 && m.alive && only.has(m.id) {
			as = append(as, answerer{m.id, n})
		}
	}
	slices.SortFunc(as, func(a, b answerer) int { return cmp.Or(b.n-a.n, strings.Compare(a.id, b.id)) })
	ids := make([]string, len(as))
	for i, a := range as {
		ids[i] = a.id
	}
	return ids
}

// check validates a range.
func (s *Service) check(r Range) error {
	var fields []errs.FieldError
	if r.From.IsZero() {
		fields = append(fields, errs.Field("from", "required"))
	}
	if r.To.IsZero() {
		fields = append(fields, errs.Field("to", "required"))
	}
	if len(fields) == 0 && !r.To.After(r.From) {
		fields = append(fields, errs.Field("to", "gtfield", "field", "from"))
	}
	if len(fields) == 0 && r.To.Sub(r.From).Hours() > 24*366*20 {
		fields = append(fields, errs.Field("to", "max_range", "years", "20"))
	}
	if len(fields) > 0 {
		return errs.Fields("analytics: invalid range", fields...)
	}
	return nil
}

// scratch holds a computation's per-member buffers, reused across calls.
type scratch struct {
	peaks []float64
	quiet []ranked
	all   []ranked
	seen  []bool
	times []int64 // response times of questions
}

var scratches = sync.Pool{New: func() any { return &scratch{} }}

// compute fills the KPIs of days [d0, d1) (without Previous, From and To) and, when metric
// is set, returns the ids of the members behind it.
func (s *Service) compute(x *index, d0, d1 int32, metric string, only Only) (KPIs, []string) {
	n := int(d1 - d0)
	k := KPIs{
		ActivitiesByKind: map[string]int{}, ActivitiesByChannel: map[string]int{},
		Daily: make([]DayPoint, n), Cohorts: []Cohort{}, SuperUsers: []SuperUser{}, GoneQuiet: []SuperUser{},
	}
	// Activity counts come from the day counters, or from the members' entries when only some
	// members count.
	var byKind [16]int
	byChannel := make([]int, len(x.channels))
	for d := d0; d < d1; d++ {
		p := &k.Daily[d-d0]
		p.Day = dayString(d)
		if only != nil {
			continue
		}
		for i, c := range x.dayCounts(d) {
			if c != 0 {
				byKind[i%nKinds] += int(c)
				byChannel[i/nKinds] += int(c)
				p.Activities += int(c)
			}
		}
		k.Activities += p.Activities
	}
	if only == nil {
		k.Sentiment = x.sentiment(d0, d1)
		k.RisingTopics = x.risingTopics(d0, d1)
	} else {
		k.Sentiment.Daily = make([]SentimentDay, 0)
		k.RisingTopics = []RisingTopic{}
		k.Unfiltered = Unfiltered
	}
	for i, c := range byChannel {
		if c > 0 {
			k.ActivitiesByChannel[x.channels[i]] = c
		}
	}

	// Everything about members comes from one pass over them.
	sc := scratches.Get().(*scratch)
	defer scratches.Put(sc)
	sc.times = s.flat.questionKPIs(&k, d0, d1, dayStart(d1, s.o.Zone).UnixNano(), sc.times, only)
	sc.peaks, sc.quiet, sc.all = sc.peaks[:0], sc.quiet[:0], sc.all[:0]
	dayActive := make([]int, n)
	newByDay := make([]int, n)
	wau := make([]int, n+1)
	mau := make([]int, n+1)
	firstMonth, lastMonth := month(d0), month(d1-1)
	months := lastMonth - firstMonth + 1
	starts := make([]int32, months+1) // first day of each month of the range, and of the next
	for i := range starts {
		starts[i] = monthStart(firstMonth + i)
	}
	cohortSize := make([]int, months)
	cohortActive := make([]int, months*months)
	if cap(sc.seen) < months {
		sc.seen = make([]bool, months)
	}
	seen := sc.seen[:months]
	var levels [Levels + 1]LevelCount
	msTo, msFrom := monthStart(month(d1)), monthStart(month(d0))
	supers := top{n: SuperUserCount}
	atFrom := 0
	quietFrom := d1 - 1 - 28 - int32(s.o.ScoreWindow)
	var ids []string
	wantLevel := -1
	if l, ok := strings.CutPrefix(metric, "level:"); ok {
		wantLevel, _ = strconv.Atoi(l)
	}
	f := s.flat
	for slot, since := range f.since {
		m := f.mems[slot]
		if !only.has(m.id) {
			continue
		}
		if since < d1 {
			if since >= d0 {
				k.MembersNew++
				newByDay[since-d0]++
				if metric == "new" {
					ids = append(ids, m.id)
				}
			} else {
				atFrom++
			}
		}
		es := f.ents[f.off[slot]:f.off[slot+1]]
		if only != nil {
			for i := lowerBound(es, d0); i < len(es) && es[i].day < d1; i++ {
				byKind[es[i].kind] += int(es[i].n)
				k.Daily[es[i].day-d0].Activities += int(es[i].n)
				k.Activities += int(es[i].n)
			}
		}
		lo := lowerBound(es, d0-29)
		active, last := false, noDay
		wEnd, mEnd := d0-1, d0-1
		score := 0.0
		for i := lo; i < len(es) && es[i].day < d1; i++ {
			e := es[i]
			if e.day != last {
				last = e.day
				if e.day >= d0 {
					dayActive[e.day-d0]++
					active = true
				}
				slide(wau, &wEnd, e.day, 7, d0, d1)
				slide(mau, &mEnd, e.day, 30, d0, d1)
			}
			if e.day >= d0 {
				score += s.weights[e.kind] * float64(e.n)
			}
		}
		if active {
			k.MembersActive++
		}
		p := lowerBound(es, d0-int32(n))
		if p < len(es) && es[p].day < d0 && !active {
			k.MembersChurned++
			if metric == "churned" {
				ids = append(ids, m.id)
			}
		}
		if active && metric == "active" {
			ids = append(ids, m.id)
		}
		// Cohorts: members who joined in one of the range's months, active in each month after.
		if since >= starts[0] && since < starts[months] {
			c := sort.Search(months, func(i int) bool { return starts[i+1] > since })
			cohortSize[c]++
			clear(seen)
			at := c
			for i := lowerBound(es, starts[c]); i < len(es) && es[i].day < d1; i++ {
				for es[i].day >= starts[at+1] {
					at++
				}
				if !seen[at] {
					seen[at] = true
					cohortActive[c*months+at-c]++
				}
			}
		}
		if f.team[slot] || since >= d1 {
			continue
		}
		// Levels when the range ends, and the moves since it began.
		lvTo, lvFrom := Levels, Levels
		if q := lowerBound(es, min(msFrom, msTo)-1-int32(s.o.ScoreWindow)); q < len(es) && es[q].day < d1 {
			lvTo = s.levelAt(es, msTo, d1)
			if since < d0 {
				lvFrom = s.levelAt(es, msFrom, d0)
			}
		}
		levels[lvTo].Members++
		switch {
		case lvTo < lvFrom:
			levels[lvTo].Promoted++
		case lvTo > lvFrom:
			levels[lvTo].Demoted++
		}
		if lvTo == wantLevel {
			ids = append(ids, m.id)
		}
		if score > 0 {
			supers.offer(ranked{score: score, m: m})
			if metric == "super_users" {
				sc.all = append(sc.all, ranked{score: score, m: m})
			}
		}
		// Gone quiet: among the most active over the 90 days before their last activity,
		// and silent for 7 to 28 days at the end of the range.
		end := lowerBound(es, d1)
		if end > 0 && es[end-1].day > quietFrom {
			lastDay := es[end-1].day
			peak := s.scoreAt(es, lastDay)
			sc.peaks = append(sc.peaks, peak)
			if silent := d1 - 1 - lastDay; silent >= 7 && silent <= 28 {
				sc.quiet = append(sc.quiet, ranked{score: peak, m: m})
			}
		}
	}

	for i, c := range byKind[:nKinds] {
		if c > 0 {
			k.ActivitiesByKind[string(activity.Kinds[i])] = c
		}
	}
	k.MembersTotal = atFrom + k.MembersNew
	if atFrom > 0 {
		k.GrowthRate = float64(k.MembersNew) / float64(atFrom)
	}
	if k.MembersTotal > 0 {
		k.EngagementRate = float64(k.MembersActive) / float64(k.MembersTotal)
	}
	total := atFrom
	var sumD, sumW, sumM int
	w, mo := 0, 0
	for i := range k.Daily {
		total += newByDay[i]
		w += wau[i]
		mo += mau[i]
		k.Daily[i].ActiveMembers = dayActive[i]
		k.Daily[i].NewMembers = newByDay[i]
		k.Daily[i].MembersTotal = total
		sumD += dayActive[i]
		sumW += w
		sumM += mo
	}
	if n > 0 {
		k.DAU = float64(sumD) / float64(n)
		k.WAU = float64(sumW) / float64(n)
		k.MAU = float64(sumM) / float64(n)
	}
	if k.MAU > 0 {
		k.Stickiness = k.DAU / k.MAU
	}
	for c := range months {
		if cohortSize[c] == 0 {
			continue
		}
		co := Cohort{Month: monthString(firstMonth + c), Size: cohortSize[c], Retention: make([]float64, months-c)}
		for j := range co.Retention {
			co.Retention[j] = float64(cohortActive[c*months+j]) / float64(cohortSize[c])
		}
		k.Cohorts = append(k.Cohorts, co)
	}
	k.Levels = make([]LevelCount, Levels)
	for l := 1; l <= Levels; l++ {
		levels[l].Level, levels[l].Name = l, LevelNames[l]
		k.Levels[l-1] = levels[l]
	}
	for _, r := range supers.best {
		k.SuperUsers = append(k.SuperUsers, s.superUser(r, d0, d1, msTo))
	}
	// The most active are the top tenth of the peaks (at least one member).
	if len(sc.quiet) > 0 {
		threshold := nthLargest(sc.peaks, max(1, (len(sc.peaks)+9)/10))
		sc.quiet = slices.DeleteFunc(sc.quiet, func(r ranked) bool { return r.score < threshold || r.score <= 0 })
		slices.SortFunc(sc.quiet, compareRanked)
		for i, r := range sc.quiet {
			if metric == "gone_quiet" {
				ids = append(ids, r.m.id)
			}
			if i < SuperUserCount {
				k.GoneQuiet = append(k.GoneQuiet, s.superUser(r, d0, d1, msTo))
			}
		}
	}
	switch metric {
	case "super_users":
		slices.SortFunc(sc.all, compareRanked)
		for _, r := range sc.all {
			ids = append(ids, r.m.id)
		}
	case "gone_quiet":
	default:
		slices.Sort(ids)
	}
	if metric != "" && ids == nil {
		ids = []string{}
	}
	return k, ids
}

// slide adds to diff the window ends [day, day+w-1] within [d0, d1) not counted yet for this
// member (end is the last one counted).
func slide(diff []int, end *int32, day, w, d0, d1 int32) {
	from, to := max(day, d0, *end+1), min(day+w-1, d1-1)
	if from > to {
		return
	}
	diff[from-d0]++
	diff[to-d0+1]--
	*end = to
}

// superUser describes a ranked member: their counts by kind in the range and last activity.
func (s *Service) superUser(r ranked, d0, d1, msTo int32) SuperUser {
	m := r.m
	u := SuperUser{MemberID: m.id, Name: m.name, Score: r.score, Level: s.levelAt(m.entries, msTo, d1), Counts: map[string]int{}}
	last := noDay
	for _, e := range m.entries {
		if e.day >= d1 {
			break
		}
		last = e.day
		if e.day >= d0 {
			u.Counts[string(activity.Kinds[e.kind])] += int(e.n)
		}
	}
	if last != noDay {
		u.LastActive = dayStart(last, s.o.Zone)
	}
	if n := s.flat.answeredIn(m, d0, d1); n > 0 {
		u.Counts[AnsweredCount] = n
	}
	return u
}

// questionKPIs fills k's question numbers for the questions asked in days [d0, d1) and
// answered before end (Unix nanoseconds). times is a reusable buffer.
func (f *flat) questionKPIs(k *KPIs, d0, d1 int32, end int64, times []int64, only Only) []int64 {
	qs := f.questions
	lo, _ := slices.BinarySearchFunc(qs, d0, func(q asked, d int32) int { return cmp.Compare(q.day, d) })
	times = times[:0]
	for _, q := range qs[lo:] {
		if q.day >= d1 {
			break
		}
		if !only.has(q.asker) {
			continue
		}
		k.Questions++
		if q.first < end {
			times = append(times, max(0, q.first-q.at))
		}
	}
	k.QuestionsAnswered = len(times)
	if k.Questions > 0 {
		k.AnswerRate = float64(k.QuestionsAnswered) / float64(k.Questions)
	}
	if n := len(times); n > 0 {
		m := selectNth(times, n/2)
		median := float64(m)
		if n%2 == 0 {
			median = (float64(slices.Max(times[:n/2])) + median) / 2
		}
		k.MedianResponseSeconds = median / 1e9
		k.ResponseTimeP90Seconds = float64(selectNth(times, (9*n+9)/10-1)) / 1e9
	}
	return times
}

// selectNth returns the k-th smallest of xs (k from 0), reordering xs so that xs[:k] hold
// values no greater and xs[k+1:] values no smaller.
func selectNth[T cmp.Ordered](xs []T, k int) T {
	lo, hi := 0, len(xs)-1
	for lo < hi {
		pivot := xs[int(uint(lo+hi)>>1)]
		i, j := lo, hi
		for i <= j {
			for xs[i] < pivot {
				i++
			}
			for xs[j] > pivot {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return xs[k]
		}
	}
	return xs[k]
}

// has tells whether member id counts: everyone does when o is nil.
func (o Only) has(id string) bool {
	if o == nil {
		return true
	}
	_, ok := o[id]
	return ok
}
