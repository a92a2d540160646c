package mastodon

import (
	"strings"
)

// parseLink reads an RFC 8288 Link header ("<https://…?max_id=7>; rel="next", <…>; rel="prev"")
// into the target of each relation type; the first link of a type wins. Anything it cannot
// read is skipped, never guessed.
func parseLink(h string) map[string]string {
	links := map[string]string{}
	for {
		start := strings.IndexByte(h, '<')
		if start < 0 {
			return links
		}
		end := strings.IndexByte(h[start:], '>')
		if end < 0 {
			return links
		}
		target := h[start+1 : start+end]
		if i := strings.LastIndexByte(target, '<'); i >= 0 {
			target = target[i+1:] // "<<a>" or a stray "<": the link is the innermost one
		}
		target = strings.TrimSpace(target)
		h = h[start+end+1:]
		// The parameters run to the next comma outside a quoted string.
		params, rest := splitParams(h)
		h = rest
		for _, p := range params {
			name, value, ok := strings.Cut(p, "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(name), "rel") {
				continue
			}
			value = strings.Trim(strings.TrimSpace(value), `"`)
			for _, rel := range strings.Fields(value) {
				rel = strings.ToLower(rel)
				if _, seen := links[rel]; !seen && target != "" {
					links[rel] = target
				}
			}
		}
	}
}

// splitParams splits "; rel="next"; title="a, b", <…>" into its ";"-separated parameters and
// what follows the comma that ends them.
func splitParams(s string) (params []string, rest string) {
	quoted := false
	from := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			quoted = !quoted
		case c == '\\' && quoted && i+1 < len(s):
			i++
		case c == ';' && !quoted:
			params = append(params, s[from:i])
			from = i + 1
		case c == ',' && !quoted:
			return append(params, s[from:i]), s[i+1:]
		}
	}
	return append(params, s[from:]), ""
}
