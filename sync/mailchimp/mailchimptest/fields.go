package mailchimptest

import (
	"encoding/json"
	"strings"
)

// selectFields applies Mailchimp's fields and exclude_fields parameters (comma-separated
// dot-paths such as "members.email_address,total_items") to a JSON document.
// v is marshalled as it is when it holds only maps, slices and scalars (generic), else
// through a JSON round trip.
func selectFields(v any, fields, exclude string) ([]byte, error) {
	if fields == "" && exclude == "" {
		return json.Marshal(v)
	}
	doc := v
	if _, generic := v.(map[string]any); !generic {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			return nil, err
		}
	}
	if fields != "" {
		doc = keep(doc, "", paths(fields))
	}
	if exclude != "" {
		doc = drop(doc, "", paths(exclude))
	}
	return json.Marshal(doc)
}

// paths maps each listed path to true and each proper prefix of one ("members" of
// "members.email_address") to false.
func paths(list string) map[string]bool {
	set := map[string]bool{}
	for _, p := range strings.Split(list, ",") {
		if p = strings.TrimSpace(p); p != "" {
			set[p] = true
			for i := strings.IndexByte(p, '.'); i >= 0; i = next(p, i) {
				if _, listed := set[p[:i]]; !listed {
					set[p[:i]] = false
				}
			}
		}
	}
	return set
}

func next(p string, i int) int {
	j := strings.IndexByte(p[i+1:], '.')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// keep keeps the keys named by a path in set, or on the way to one.
func keep(v any, prefix string, set map[string]bool) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, child := range v {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			if set[p] {
				out[k] = child
			} else if under(set, p) {
				out[k] = keep(child, p, set)
			}
		}
		return out
	case []any:
		for i := range v {
			v[i] = keep(v[i], prefix, set)
		}
		return v
	case []map[string]any:
		for i := range v {
			v[i] = keep(v[i], prefix, set).(map[string]any)
		}
		return v
	}
	return v
}

func drop(v any, prefix string, set map[string]bool) any {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			if set[p] {
				delete(v, k)
			} else if under(set, p) {
				v[k] = drop(child, p, set)
			}
		}
	case []any:
		for i := range v {
			v[i] = drop(v[i], prefix, set)
		}
	case []map[string]any:
		for i := range v {
			drop(v[i], prefix, set)
		}
	}
	return v
}

// under says whether p leads to a listed path.
func under(set map[string]bool, p string) bool {
	listed, ok := set[p]
	return ok && !listed
}
