package segments

import (
	"context"
	"slices"
	"strings"
	"time"

	"hearth/backend/importer"
	"hearth/backend/members"
	"hearth/backend/textfold"
)

// person is what the projection keeps of one member: only what segments test, folded once.
type person struct {
	id        string
	tags      []uint32 // folded tag keys, as symbols
	fields    []named  // custom fields, by folded name as a symbol
	platforms []string
	joined    int32 // day number (days since 1970-01-01 in the zone)
}

// symbols numbers the folded tags and field names the projection holds, so that a count
// compares small integers, not strings.
type symbols struct {
	ids   map[string]uint32
	names []string
}

func (sy *symbols) of(s string) uint32 {
	if id, ok := sy.ids[s]; ok {
		return id
	}
	if sy.ids == nil {
		sy.ids = map[string]uint32{}
	}
	id := uint32(len(sy.names))
	sy.ids[s] = id
	sy.names = append(sy.names, s)
	return id
}

// lookup is the symbol of s, or false when no member has it.
func (sy *symbols) lookup(s string) (uint32, bool) {
	id, ok := sy.ids[s]
	return id, ok
}

type named struct {
	name uint32
	field
}

// field is one custom field's value, read every way a condition may compare it, once.
type field struct {
	fold  string // folded, trimmed; "" for a blank value
	num   float64
	isNum bool
	day   int32
	isDay bool
}

func newField(v string) field {
	f := field{fold: textfold.Fold(strings.TrimSpace(v))}
	f.num, f.isNum = number(v)
	f.day, f.isDay = joinField(v, time.UTC)
	return f
}

func newPerson(m members.Member, zone *time.Location, sy *symbols) person {
	p := person{id: m.ID, joined: dayOf(m.CreatedAt, zone)}
	for _, t := range m.Tags {
		p.tags = append(p.tags, sy.of(tagKey(t)))
	}
	for k, v := range m.CustomFields {
		name := sy.of(fieldKey(k))
		if i := slices.IndexFunc(p.fields, func(n named) bool { return n.name == name }); i >= 0 {
			p.fields[i] = named{name, newField(v)} // two spellings of one name: one wins
			continue
		}
		p.fields = append(p.fields, named{name, newField(v)})
	}
	for _, h := range m.Handles {
		p.platforms = append(p.platforms, h.Platform)
	}
	if d, ok := joinField(m.CustomFields[importer.JoinDateKey], zone); ok && d < p.joined {
		p.joined = d
	}
	return p
}

func tagKey(t string) string { return textfold.Fold(strings.Join(strings.Fields(t), " ")) }

// joinField reads the join date an import recorded: a date, or a date and time.
func joinField(v string, zone *time.Location) (int32, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if d, err := parseDay(v); err == nil {
		return d, true
	}
	for _, l := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(l, v); err == nil {
			return dayOf(t, zone), true
		}
	}
	return 0, false
}

// dayOf is the day number of t's calendar date in zone.
func dayOf(t time.Time, zone *time.Location) int32 {
	y, m, d := t.In(zone).Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func parseDay(s string) (int32, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, err
	}
	return int32(t.Unix() / 86400), nil
}

// facts are the answers a count needs beyond the projection, read once per count (and kept
// while the store writes nothing): each is filled only if the expression needs it.
type facts struct {
	now         time.Time
	today       int32
	levels      map[string]int
	consent     map[string]map[string]string // purpose -> member -> state
	activities  map[actKey]map[string]int    // (kind, days) -> member -> count
	lastAct     map[string]int32             // member -> day of last activity
	newsletters map[int]map[string]int       // days -> member -> newsletters delivered
	received    map[string]map[string]bool   // folded value -> member -> delivered
}

type actKey struct {
	kind string
	days int
}

// needs walks e and asks src for every fact it uses.
func (s *Service) gather(ctx context.Context, e Expr, f *facts) error {
	switch e := e.(type) {
	case *And:
		if err := s.gather(ctx, e.L, f); err != nil {
			return err
		}
		return s.gather(ctx, e.R, f)
	case *Or:
		if err := s.gather(ctx, e.L, f); err != nil {
			return err
		}
		return s.gather(ctx, e.R, f)
	case *Not:
		return s.gather(ctx, e.X, f)
	case *Cond:
		return s.src.need(ctx, e, f)
	}
	return nil
}

// match is a compiled expression.
type match func(p *person) bool

func compile(e Expr, f *facts, sy *symbols) match {
	switch e := e.(type) {
	case *And:
		l, r := compile(e.L, f, sy), compile(e.R, f, sy)
		return func(p *person) bool { return l(p) && r(p) }
	case *Or:
		l, r := compile(e.L, f, sy), compile(e.R, f, sy)
		return func(p *person) bool { return l(p) || r(p) }
	case *Not:
		x := compile(e.X, f, sy)
		return func(p *person) bool { return !x(p) }
	case *Cond:
		if e.Op == "!=" {
			eq := *e
			eq.Op = "="
			x := compileCond(&eq, f, sy)
			return func(p *person) bool { return !x(p) }
		}
		return compileCond(e, f, sy)
	}
	return func(*person) bool { return false }
}

func compileCond(c *Cond, f *facts, sy *symbols) match {
	v := c.Value
	switch c.Field {
	case FieldTag:
		if c.Op != "=" {
			hit := make([]bool, len(sy.names)) // which symbols are tags that match
			for id, name := range sy.names {
				if c.Op == "contains" {
					hit[id] = strings.Contains(name, v.Fold)
				} else {
					hit[id] = compareFolded(name, v.Fold, c.Op)
				}
			}
			return func(p *person) bool {
				for _, t := range p.tags {
					if hit[t] {
						return true
					}
				}
				return false
			}
		}
		want, ok := sy.lookup(tagKey(v.Raw))
		if !ok {
			return func(*person) bool { return false }
		}
		return func(p *person) bool {
			for _, t := range p.tags {
				if t == want {
					return true
				}
			}
			return false
		}
	case FieldPlatform:
		return func(p *person) bool {
			for _, pl := range p.platforms {
				if pl == v.Fold {
					return true
				}
			}
			return false
		}
	case FieldCustom:
		name, known := sy.lookup(c.Name)
		return func(p *person) bool {
			var val field
			ok := false
			for i := range p.fields {
				if known && p.fields[i].name == name {
					val, ok = p.fields[i].field, true
					break
				}
			}
			if !ok || val.fold == "" {
				return c.Op == "=" && v.Fold == ""
			}
			if v.IsAgo && c.Op != "contains" { // a date field against a relative date
				return val.isDay && compareNum(float64(val.day), float64(f.today-int32(v.Ago)), c.Op)
			}
			return compareField(val, v, c.Op)
		}
	case FieldLevel:
		lv := f.levels
		return func(p *person) bool {
			l := lv[p.id]
			// engagement: ambassadors (1) rank above observers (4)
			return l != 0 && compareNum(float64(-l), float64(-v.Level), c.Op)
		}
	case FieldJoined:
		want := wantDay(v, f.today)
		return func(p *person) bool { return compareNum(float64(p.joined), float64(want), c.Op) }
	case FieldLastActivity:
		want, last := wantDay(v, f.today), f.lastAct
		return func(p *person) bool {
			d, ok := last[p.id]
			return ok && compareNum(float64(d), float64(want), c.Op)
		}
	case FieldActivities:
		counts := f.activities[actKey{c.Name, c.Days}]
		return func(p *person) bool { return compareNum(float64(counts[p.id]), v.Num, c.Op) }
	case FieldNewsletters:
		counts := f.newsletters[c.Days]
		return func(p *person) bool { return compareNum(float64(counts[p.id]), v.Num, c.Op) }
	case FieldReceived:
		got := f.received[v.Fold]
		return func(p *person) bool { return got[p.id] }
	case FieldConsent:
		states := f.consent[c.Name]
		return func(p *person) bool {
			st, ok := states[p.id]
			if !ok {
				st = "none"
			}
			return st == v.Fold
		}
	}
	return func(*person) bool { return false }
}

func wantDay(v Value, today int32) int32 {
	if v.IsAgo {
		return today - int32(v.Ago)
	}
	d, _ := parseDay(v.Date)
	return d
}

// compareField is compareText over a value read once.
func compareField(have field, v Value, op string) bool {
	if op == "contains" {
		return strings.Contains(have.fold, v.Fold)
	}
	if v.IsNum && have.isNum {
		return compareNum(have.num, v.Num, op)
	}
	return compareFolded(have.fold, v.Fold, op)
}

func compareFolded(h, want string, op string) bool {
	if op == "=" {
		return h == want
	}
	switch c := strings.Compare(h, want); op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return false
}

func compareNum(a, b float64, op string) bool {
	switch op {
	case "=":
		return a == b
	case "!=":
		return a != b
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case ">=":
		return a >= b
	}
	return false
}
