package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// generateEvents lists the exported string constants named Event… in the packages under dirs.
// "members:changed" becomes MEMBERS_CHANGED; a name ending in ':' is a job's events, which
// carry its id: "import:progress:" becomes importProgressEvent(id).
func generateEvents(src *sources, dirs []string) (string, error) {
	byValue := map[string]string{} // value -> where it is declared
	for _, d := range dirs {
		pkgs, err := src.tree(d)
		if err != nil {
			return "", err
		}
		for _, rel := range pkgs {
			p, err := src.dir(rel)
			if err != nil {
				return "", err
			}
			for _, c := range p.consts {
				if !strings.HasPrefix(c.name, "Event") || c.typ != "" && c.typ != "string" {
					continue
				}
				if !c.ok {
					return "", fmt.Errorf("%s.%s: an event name must be a string literal", rel, c.name)
				}
				if prev, dup := byValue[c.value]; dup {
					return "", fmt.Errorf("event %q is declared twice (%s and %s.%s)", c.value, prev, rel, c.name)
				}
				byValue[c.value] = rel + "." + c.name
			}
		}
	}
	values := make([]string, 0, len(byValue))
	for v := range byValue {
		values = append(values, v)
	}
	sort.Strings(values)
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("// The names of the events the Go side emits (runtime.EventsEmit).\n")
	for _, v := range values {
		b.WriteString("\n")
		fmt.Fprintf(&b, "/** %s */\n", byValue[v])
		if prefix, ok := strings.CutSuffix(v, ":"); ok {
			fmt.Fprintf(&b, "export const %sEvent = (id: string) => `%s:${id}`;\n", camel(prefix), prefix)
		} else {
			fmt.Fprintf(&b, "export const %s = %s;\n", upperSnake(v), strconv.Quote(v))
		}
	}
	return b.String(), nil
}

// generateErrors lists the error kinds of backend/errs.
func generateErrors(src *sources) (string, error) {
	p, err := src.dir("backend/errs")
	if err != nil {
		return "", err
	}
	kinds := p.enumValues("Kind")
	if len(kinds) == 0 {
		return "", fmt.Errorf("backend/errs: no Kind constants")
	}
	quoted := make([]string, len(kinds))
	for i, k := range kinds {
		quoted[i] = strconv.Quote(k)
	}
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("\n/** The kinds of failure a rejected call carries (backend/errs.Kind). */\n")
	fmt.Fprintf(&b, "export const ERROR_KINDS = [%s] as const;\n", strings.Join(quoted, ", "))
	return b.String(), nil
}

func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func upperSnake(s string) string { return strings.ToUpper(strings.Join(words(s), "_")) }

func camel(s string) string {
	ws := words(s)
	for i := 1; i < len(ws); i++ {
		ws[i] = strings.ToUpper(ws[i][:1]) + ws[i][1:]
	}
	return strings.Join(ws, "")
}
