package imports

import (
	"hash/maphash"
	"slices"
	"strings"
	"time"

	"hearth/backend/importer"
	"hearth/backend/textfold"
)

// Rows of one file that name the same person (a shared e-mail, compared without regard to
// case, or a shared platform handle) are one member: they merge into the group's first row,
// which is imported once the group's last row has been read. The first reading of the file
// (scanFile) finds the groups, so the main reading holds in memory only the rows of groups
// still open.

// groups finds the rows of a file that name the same person, with a union-find over lines. It
// holds a 128-bit hash of each identity (not the identity itself) and parents only for rows in
// a group of several: a file of a million rows is remembered in a few tens of megabytes.
type groups struct {
	key    map[identity]int // hash of an e-mail or handle key -> first line naming it
	parent map[int]int      // line of a group of several -> a line of the same group (itself at a group's root)
	seeds  [2]maphash.Seed
}

// identity is a hash of a row key, wide enough that two people never share one.
type identity [2]uint64

func newGroups() *groups {
	return &groups{key: map[identity]int{}, parent: map[int]int{}, seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
}

func (g *groups) identity(key string) identity {
	return identity{maphash.String(g.seeds[0], key), maphash.String(g.seeds[1], key)}
}

// rowKeys are the identities a row names.
func rowKeys(row importer.Row) []string {
	keys := make([]string, 0, len(row.Emails)+len(row.Handles))
	for _, e := range row.Emails {
		keys = append(keys, "e:"+strings.ToLower(strings.TrimSpace(e)))
	}
	for _, h := range row.Handles {
		keys = append(keys, "h:"+h.Platform+":"+textfold.Fold(strings.TrimSpace(h.Handle)))
	}
	return keys
}

// root is the first line of line's group (line itself when it is alone).
func (g *groups) root(line int) int {
	for {
		p, ok := g.parent[line]
		if !ok || p == line {
			return line
		}
		if gp, ok := g.parent[p]; ok {
			g.parent[line] = gp
		}
		line = p
	}
}

// add puts a row in the group of every earlier row sharing one of its keys.
func (g *groups) add(row importer.Row) {
	for _, k := range rowKeys(row) {
		id := g.identity(k)
		first, ok := g.key[id]
		if !ok {
			g.key[id] = row.Line
			continue
		}
		a, b := g.root(first), g.root(row.Line)
		if a == b {
			continue
		}
		if a > b {
			a, b = b, a
		}
		g.parent[b] = a // the earliest line is the root
		if _, ok := g.parent[a]; !ok {
			g.parent[a] = a
		}
	}
}

// plan is what the main reading needs: for each line of a group of several rows, the group's
// first line, and for each first line, the group's last line.
type plan struct {
	first map[int]int
	last  map[int]int
}

func (g *groups) plan() plan {
	p := plan{first: map[int]int{}, last: map[int]int{}}
	size := map[int]int{}
	for line := range g.parent {
		size[g.root(line)]++
	}
	for line := range g.parent {
		r := g.root(line)
		if size[r] < 2 {
			continue
		}
		p.first[line] = r
		p.last[r] = max(p.last[r], line)
	}
	return p
}

// pending is a group being gathered: the merged row, and the other rows' lines and cells for
// the rejected-rows file should the merged row be rejected.
type pending struct {
	row    importer.Row
	others []importer.Rejected
}

// mergeRows folds a later row of the same person into the group's row: e-mails, handles, tags,
// phones and consent evidence add up; single values keep the first non-empty one (a later row
// fills blanks); notes that differ are kept one after the other; the join date is the earliest.
func mergeRows(into, from importer.Row) importer.Row {
	if into.Name == "" {
		into.Name = from.Name
	}
	for _, e := range from.Emails {
		if !slices.ContainsFunc(into.Emails, func(x string) bool { return strings.EqualFold(x, e) }) {
			into.Emails = append(into.Emails, e)
		}
	}
	for _, h := range from.Handles {
		if !slices.ContainsFunc(into.Handles, func(x importer.Handle) bool {
			return x.Platform == h.Platform && textfold.Fold(x.Handle) == textfold.Fold(h.Handle)
		}) {
			into.Handles = append(into.Handles, h)
		}
	}
	for _, t := range from.Tags {
		if !slices.ContainsFunc(into.Tags, func(x string) bool { return textfold.Fold(x) == textfold.Fold(t) }) {
			into.Tags = append(into.Tags, t)
		}
	}
	if from.Notes != "" && !strings.Contains(into.Notes, from.Notes) {
		into.Notes = strings.TrimSpace(into.Notes + "\n" + from.Notes)
	}
	for k, v := range from.Custom {
		if into.Custom == nil {
			into.Custom = map[string]string{}
		}
		old := into.Custom[k]
		switch {
		case old == "":
			into.Custom[k] = v
		case k == "phone":
			into.Custom[k] = addPhone(old, v)
		case k == importer.JoinDateKey && earlier(v, old):
			into.Custom[k] = v
		}
	}
	for _, ev := range from.Consent {
		if !slices.ContainsFunc(into.Consent, func(x importer.Evidence) bool { return x.Purpose == ev.Purpose && x.At.Equal(ev.At) }) {
			into.Consent = append(into.Consent, ev)
		}
	}
	into.Problems = append(into.Problems, from.Problems...)
	return into
}

// addPhone adds a phone number to a list of them ("06 12 34 56 78, +33 6 98 76 54 32") unless
// it is there already, written another way.
func addPhone(list, phone string) string {
	digits := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
	}
	d := digits(phone)
	for _, p := range strings.Split(list, ",") {
		if digits(p) == d {
			return list
		}
	}
	return list + ", " + phone
}

// earlier reports whether join date a (as the importer writes them) comes before b.
func earlier(a, b string) bool {
	parse := func(s string) time.Time {
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return t
		}
		t, _ := time.Parse(time.RFC3339, s)
		return t
	}
	ta, tb := parse(a), parse(b)
	return !ta.IsZero() && (tb.IsZero() || ta.Before(tb))
}
