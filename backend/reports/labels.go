package reports

import (
	"fmt"
	"slices"
	"strings"

	"hearth/backend/locale"
)

// words is one language's words of the KPI workbook, from backend/locale's catalog
// ("workbook.kpi.…"): sheet names, headers, labels, kinds, levels and reasons.
type words map[string]string

const wordsPrefix = "workbook.kpi."

func wordsFor(lang string) words {
	p := locale.For(lang)
	w := words{}
	for _, k := range locale.Keys(p.Lang(), wordsPrefix) {
		w[strings.TrimPrefix(k, wordsPrefix)] = p.Text(k)
	}
	return w
}

func (w words) get(key string) string {
	if s, ok := w[key]; ok {
		return s
	}
	return locale.For("en").Text(wordsPrefix + key)
}

// kind names an activity kind; kinds the package does not know (user-defined ones) show as
// they are.
func (w words) kind(k string) string {
	if s, ok := w["kind_"+k]; ok {
		return s
	}
	return k
}

// level names a level by its number, falling back on the name analytics gave it.
func (w words) level(n int, name string) string {
	if s, ok := w[fmt.Sprintf("level_%d", n)]; ok {
		return s
	}
	return name
}

// channel names a channel; the empty channel is "(none)".
func (w words) channel(c string) string {
	if c == "" {
		return w.get("none")
	}
	return c
}

// why is a super user's reason, most frequent kind first: "posted 42 times, answered 17 times
// in 30 days".
func (w words) why(counts map[string]int, days int) string {
	kinds := make([]string, 0, len(counts))
	for k, n := range counts {
		if n > 0 {
			kinds = append(kinds, k)
		}
	}
	slices.SortFunc(kinds, func(a, b string) int {
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, 0, len(kinds))
	for _, k := range kinds {
		f, ok := w["why_"+k]
		switch {
		case !ok:
			parts = append(parts, fmt.Sprintf(w.get("why_other"), counts[k], w.kind(k)))
		case strings.Contains(f, "%d"):
			parts = append(parts, fmt.Sprintf(f, counts[k]))
		default:
			parts = append(parts, f)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, w.get("why_sep"))
	if days > 0 {
		s += " " + fmt.Sprintf(w.get("why_days"), days)
	}
	return s
}
