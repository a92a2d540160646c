package analytics

import (
	"context"
	"errors"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"hearth/backend/activity"
	"hearth/backend/errs"
	"hearth/backend/store"
)

// Funnel is the conversion funnel of a range: members, then newsletter subscribers, then
// event attendees, then members who reached the goal.
type Funnel struct {
	// Members exist at To (as KPIs.MembersTotal).
	Members int `json:"members"`
	// Subscribers are the members whose consent to the subscriber purpose (newsletter) is
	// granted at To (not withdrawn, not expired).
	Subscribers int `json:"subscribers"`
	// Attendees are the members with at least one "event" activity in the range.
	Attendees int `json:"attendees"`
	// Goal are the members with at least one "goal" activity in the range: entered by hand
	// or imported, or recorded when Hearth first saw the member carry a goal tag
	// (LevelSettings.GoalTags), dated at the member's last edit then.
	Goal int `json:"goal"`
	// SubscriberRate is Subscribers / Members, AttendeeRate Attendees / Subscribers, GoalRate
	// Goal / Attendees, and ConversionRate Goal / Members (each 0 when its base is 0).
	SubscriberRate float64 `json:"subscriberRate"`
	AttendeeRate   float64 `json:"attendeeRate"`
	GoalRate       float64 `json:"goalRate"`
	ConversionRate float64 `json:"conversionRate"`
}

// ROISettings are what the user enters to compute ROI: what the community costs each month
// and what one conversion (a member reaching the goal) is worth, in Currency.
type ROISettings struct {
	CostPerMonth       float64 `json:"costPerMonth"`
	ValuePerConversion float64 `json:"valuePerConversion"`
	Currency           string  `json:"currency"` // ISO 4217 code, "EUR" by default
}

// ROI is the return of a range: Cost is CostPerMonth × the range's days / 30.44, Conversions
// the funnel's Goal, Value Conversions × ValuePerConversion, and ROI (Value − Cost) / Cost
// (null when Cost is 0).
type ROI struct {
	Currency    string   `json:"currency"`
	Cost        float64  `json:"cost"`
	Conversions int      `json:"conversions"`
	Value       float64  `json:"value"`
	ROI         *float64 `json:"roi"`
}

// DaysPerMonth is the mean length of a month, which prorates the monthly cost.
const DaysPerMonth = 30.44

// DefaultCurrency is the currency of ROI settings never saved.
const DefaultCurrency = "EUR"

var roiSettings = &store.Collection[roiRecord]{Name: "analytics_roi"}

// roiRecord is ROISettings as the workspace stores them, under the
// snake_case JSON names of the first release.
type roiRecord struct {
	CostPerMonth       float64 `json:"cost_per_month"`
	ValuePerConversion float64 `json:"value_per_conversion"`
	Currency           string  `json:"currency"`
}

const roiID = "roi"

// Funnel computes the conversion funnel of range r. Unlike KPIs it reads the consent ledger
// (once per member), so it is kept off the dashboard's fast path.
func (s *Service) Funnel(ctx context.Context, r Range) (Funnel, error) {
	if err := s.check(r); err != nil {
		return Funnel{}, err
	}
	d0, d1 := rangeDays(r, s.o.Zone)
	if err := s.ensureFrom(ctx, dayNeed(d0)); err != nil {
		return Funnel{}, err
	}
	event, goal := kindIndex[activity.Event], kindIndex[activity.Goal]
	var f Funnel
	var ids []string
	s.mu.RLock()
	fl := s.flat
	for slot, since := range fl.since {
		if since >= d1 {
			continue
		}
		f.Members++
		ids = append(ids, fl.mems[slot].id)
		es := fl.ents[fl.off[slot]:fl.off[slot+1]]
		attended, reached := false, false
		for i := lowerBound(es, d0); i < len(es) && es[i].day < d1; i++ {
			attended = attended || es[i].kind == event
			reached = reached || es[i].kind == goal
		}
		if attended {
			f.Attendees++
		}
		if reached {
			f.Goal++
		}
	}
	s.mu.RUnlock()
	n, err := s.subscribers(ctx, ids, r)
	if err != nil {
		return Funnel{}, err
	}
	f.Subscribers = n
	f.SubscriberRate = ratio(f.Subscribers, f.Members)
	f.AttendeeRate = ratio(f.Attendees, f.Subscribers)
	f.GoalRate = ratio(f.Goal, f.Attendees)
	f.ConversionRate = ratio(f.Goal, f.Members)
	return f, nil
}

// subscribers counts the members whose subscriber consent is granted just before r.To (the
// range is half-open), asking the ledger from a few goroutines at once.
func (s *Service) subscribers(ctx context.Context, ids []string, r Range) (int, error) {
	c := s.o.Consent
	if c == nil || len(ids) == 0 {
		return 0, nil
	}
	at := r.To.Add(-1)
	if g, ok := c.(grantCounter); ok { // one read of the ledger, not one per member
		n, err := g.GrantedAmong(ctx, ids, s.o.SubscriberPurpose, at)
		if errors.Is(err, errs.NotFound) {
			return 0, nil // the purpose does not exist: nobody consented
		}
		return n, err
	}
	return countParallel(ctx, len(ids), func(i int) (bool, error) {
		return c.Allowed(ctx, ids[i], s.o.SubscriberPurpose, at)
	})
}

// countParallel counts the i in [0, n) for which ok is true, asking from a few goroutines at
// once (each ok reads the consent ledger). An errs.NotFound answer (the purpose does not
// exist: nobody consented) stops the goroutine that got it; another error stops them all and
// is returned, as is the context's.
func countParallel(ctx context.Context, n int, ok func(i int) (bool, error)) (int, error) {
	var next, count atomic.Int64
	var first error
	var once sync.Once
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), 8) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				yes, err := ok(i)
				if errors.Is(err, errs.NotFound) {
					return // the purpose does not exist: nobody consented
				}
				if err != nil {
					once.Do(func() { first = err })
					next.Store(int64(n))
					return
				}
				if yes {
					count.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return int(count.Load()), first
}

// ratio is a / b, 0 when b is 0.
func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// ROISettings returns the saved ROI settings (zero amounts in EUR when never saved).
func (s *Service) ROISettings(ctx context.Context) (ROISettings, error) {
	out := ROISettings{Currency: DefaultCurrency}
	err := s.st.View(func(tx *store.Tx) error {
		v, _, err := store.Get(tx, roiSettings, roiID)
		if errors.Is(err, errs.NotFound) {
			return nil
		}
		if err == nil {
			out = ROISettings(v)
		}
		return err
	})
	return out, err
}

// SaveROISettings validates and saves the ROI settings: amounts finite and at least 0, the
// currency three letters (upper-cased; EUR when empty).
func (s *Service) SaveROISettings(ctx context.Context, in ROISettings) (ROISettings, error) {
	in.Currency = upperASCII(in.Currency)
	if in.Currency == "" {
		in.Currency = DefaultCurrency
	}
	var fields []errs.FieldError
	for _, a := range []struct {
		name string
		v    float64
	}{{"costPerMonth", in.CostPerMonth}, {"valuePerConversion", in.ValuePerConversion}} {
		switch {
		case math.IsNaN(a.v) || math.IsInf(a.v, 0):
			fields = append(fields, errs.Field(a.name, "number"))
		case a.v < 0:
			fields = append(fields, errs.Field(a.name, "min", "min", "0"))
		}
	}
	if !isCurrency(in.Currency) {
		fields = append(fields, errs.Field("currency", "iso4217"))
	}
	if len(fields) > 0 {
		return ROISettings{}, errs.Fields("analytics: invalid ROI settings", fields...)
	}
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		_, err := store.Put(tx, roiSettings, roiID, roiRecord(in))
		return err
	})
	if err != nil {
		return ROISettings{}, err
	}
	return in, nil
}

// ComputeROI is the ROI of range r whose funnel is f, under settings st.
func ComputeROI(r Range, f Funnel, st ROISettings) ROI {
	days := math.Round(r.To.Sub(r.From).Hours() / 24)
	out := ROI{Currency: st.Currency, Conversions: f.Goal}
	out.Cost = st.CostPerMonth * days / DaysPerMonth
	out.Value = float64(f.Goal) * st.ValuePerConversion
	if out.Cost > 0 {
		v := (out.Value - out.Cost) / out.Cost
		out.ROI = &v
	}
	return out
}

// ROI computes the funnel of range r and its ROI under the saved settings.
func (s *Service) ROI(ctx context.Context, r Range) (Funnel, ROI, error) {
	st, err := s.ROISettings(ctx)
	if err != nil {
		return Funnel{}, ROI{}, err
	}
	f, err := s.Funnel(ctx, r)
	if err != nil {
		return Funnel{}, ROI{}, err
	}
	return f, ComputeROI(r, f, st), nil
}

// upperASCII trims s and upper-cases its ASCII letters.
func upperASCII(s string) string {
	b := []byte{}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' {
			continue
		}
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}

// isCurrency reports whether c is three upper-case ASCII letters.
func isCurrency(c string) bool {
	if len(c) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if c[i] < 'A' || c[i] > 'Z' {
			return false
		}
	}
	return true
}
