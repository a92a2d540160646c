package cli

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"hearth/backend/errs"
	"hearth/backend/locale"
)

// LangFromEnv picks the CLI's language from the POSIX locale variables: French when the first
// one set says so, English otherwise.
func LangFromEnv(getenv func(string) string) string {
	if getenv == nil {
		getenv = os.Getenv
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
		if v := getenv(k); v != "" && v != "C" && v != "POSIX" {
			if strings.HasPrefix(strings.ToLower(v), "fr") {
				return "fr"
			}
			return "en"
		}
	}
	return "en"
}

type tr struct {
	lang    string
	catalog map[string]string
	printer *message.Printer
}

func translator(lang string) tr {
	if lang == "fr" {
		return tr{lang: "fr", catalog: catalogs()["fr"], printer: message.NewPrinter(language.French)}
	}
	return tr{lang: "en", catalog: catalogs()["en"], printer: message.NewPrinter(language.English)}
}

// catalogs are the CLI's messages, the "cli" part of the Go catalogs (backend/locale's en.json
// and fr.json, which translators edit), keyed without the prefix; read once. importMessages
// are added while that command's words still live in import.go.
var catalogs = sync.OnceValue(func() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, lang := range locale.Langs {
		msgs := map[string]string{}
		p := locale.For(lang)
		for _, k := range locale.Keys(lang, "cli.") {
			msgs[strings.TrimPrefix(k, "cli.")] = p.Text(k)
		}
		out[lang] = msgs
	}
	return out
})

func (t tr) msg(key string) string {
	if s, ok := t.catalog[key]; ok {
		return s
	}
	return catalogs()["en"][key]
}

func (t tr) msgf(key string, args ...any) string { return fmt.Sprintf(t.msg(key), args...) }

// count renders "shown of total" with localised numbers.
func (t tr) count(key string, shown, total int) string {
	return fmt.Sprintf(t.msg(key), t.printer.Sprint(shown), t.printer.Sprint(total))
}

// explain renders an error as one line: the reason, then each field at fault.
func (t tr) explain(err error) string {
	e := errs.From(err)
	head := t.msg("err_" + e.Code)
	if head == "" {
		head = t.msg("err_" + string(e.Kind))
	}
	for k, v := range e.Params {
		head = strings.ReplaceAll(head, "{"+k+"}", v)
	}
	if len(e.Fields) == 0 {
		return head
	}
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		parts = append(parts, t.field(f))
	}
	return head + " " + strings.Join(parts, "; ")
}

var fieldPath = regexp.MustCompile(`^(?:\[(\d+)\]\.)?([A-Za-z]+)(?:\[([^\]]*)\])?(?:\.([A-Za-z]+))?`)

// keyedFields are the fields that are maps: "customFields[2024]" names the field 2024, not the
// 2025th item.
var keyedFields = map[string]bool{"customFields": true}

// field renders "E-mail 2: not a valid address (“x”)", and a map entry by its key ("Custom
// field city: too long").
func (t tr) field(f errs.FieldError) string {
	label := f.Field
	if m := fieldPath.FindStringSubmatch(f.Field); m != nil {
		label = t.msg("field_" + m[2])
		if label == "" {
			label = m[2]
		}
		if m[4] != "" {
			label += " (" + t.msg("field_"+m[4]) + ")"
		}
		if n, err := strconv.Atoi(m[3]); err == nil && !keyedFields[m[2]] {
			label += " " + strconv.Itoa(n+1)
		} else if m[3] != "" {
			label += " " + m[3]
		}
		if m[1] != "" {
			n, _ := strconv.Atoi(m[1])
			label = fmt.Sprintf(t.msg("row"), n+1) + " " + label
		}
	}
	reason := t.msg("code_" + f.Code)
	if reason == "" {
		reason = f.Code
	}
	for k, v := range f.Params {
		reason = strings.ReplaceAll(reason, "{"+k+"}", v)
	}
	return label + t.msg("colon") + reason
}
