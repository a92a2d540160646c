package segments

import (
	"context"
	"time"

	"hearth/backend/activity"
	"hearth/backend/analytics"
	"hearth/backend/consent"
	"hearth/backend/newsletter"
	"hearth/backend/textfold"
)

// Sources are the services that answer conditions beyond the member records. A nil one makes
// its conditions match nobody.
type Sources struct {
	Activity    *activity.Service
	Analytics   *analytics.Service
	Consent     *consent.Service
	Newsletters *newsletter.Service
	// Zone is the time zone days are counted in (time.Local when nil).
	Zone *time.Location
}

// need reads into f what condition c needs and f does not hold yet.
func (src Sources) need(ctx context.Context, c *Cond, f *facts) error {
	now := f.now
	switch c.Field {
	case FieldLevel:
		if f.levels != nil || src.Analytics == nil {
			return nil
		}
		lv, err := src.Analytics.MemberLevels(ctx, src.Analytics.Today(now))
		f.levels = lv
		return err
	case FieldConsent:
		if f.consent == nil {
			f.consent = map[string]map[string]string{}
		}
		if _, ok := f.consent[c.Name]; ok || src.Consent == nil {
			return nil
		}
		st, err := src.Consent.States(ctx, c.Name, time.Time{})
		if err != nil {
			return err
		}
		m := make(map[string]string, len(st))
		for id, s := range st {
			m[id] = string(s)
		}
		f.consent[c.Name] = m
	case FieldActivities, FieldLastActivity:
		if f.activities == nil {
			f.activities = map[actKey]map[string]int{}
		}
		k := actKey{c.Name, c.Days}
		if _, ok := f.activities[k]; ok && c.Field == FieldActivities || f.lastAct != nil && c.Field == FieldLastActivity || src.Activity == nil {
			return nil
		}
		var since time.Time
		if c.Field == FieldActivities {
			// the last N days: today and the N-1 days before it, whole days in the zone
			y, m, d := time.Unix(int64(f.today)*86400, 0).UTC().Date()
			since = time.Date(y, m, d-c.Days+1, 0, 0, 0, 0, src.zone())
		}
		counts, last := map[string]int{}, map[string]int32{}
		err := src.Activity.Scan(ctx, since, func(r activity.Record) error {
			if r.MemberID == "" {
				return nil
			}
			if c.Field == FieldLastActivity {
				if d := dayOf(r.At, src.zone()); d > last[r.MemberID] {
					last[r.MemberID] = d
				}
			} else if c.Name == "" || string(r.Kind) == c.Name {
				counts[r.MemberID]++
			}
			return nil
		})
		if err != nil {
			return err
		}
		if c.Field == FieldLastActivity {
			f.lastAct = last
		} else {
			f.activities[k] = counts
		}
	case FieldNewsletters, FieldReceived:
		if src.Newsletters == nil {
			return nil
		}
		if f.newsletters == nil {
			f.newsletters, f.received = map[int]map[string]int{}, map[string]map[string]bool{}
		}
		if _, ok := f.newsletters[c.Days]; ok && c.Field == FieldNewsletters {
			return nil
		}
		if _, ok := f.received[c.Value.Fold]; ok && c.Field == FieldReceived {
			return nil
		}
		var from time.Time
		if c.Field == FieldNewsletters {
			y, m, d := time.Unix(int64(f.today)*86400, 0).UTC().Date()
			from = time.Date(y, m, d-c.Days+1, 0, 0, 0, 0, src.zone())
		}
		sent, err := src.Newsletters.SentBetween(ctx, from, now.Add(24*time.Hour))
		if err != nil {
			return err
		}
		counts, got := map[string]int{}, map[string]bool{}
		for _, s := range sent {
			if c.Field == FieldReceived && s.Newsletter.ID != c.Value.Raw && textfold.Fold(s.Newsletter.Subject) != c.Value.Fold {
				continue
			}
			for _, id := range s.Delivered {
				counts[id]++
				got[id] = true
			}
		}
		if c.Field == FieldNewsletters {
			f.newsletters[c.Days] = counts
		} else {
			f.received[c.Value.Fold] = got
		}
	}
	return nil
}

func (src Sources) zone() *time.Location {
	if src.Zone == nil {
		return time.Local
	}
	return src.Zone
}
