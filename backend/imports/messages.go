package imports

import (
	"strings"

	"hearth/backend/locale"
)

// text returns the rejected-rows file's words for key in lang (English when lang is not
// French), from backend/locale's catalogs (imports.field.*, imports.reason.*, imports.colon);
// "" when there is none.
func text(lang, key string) string { return locale.For(lang).Text("imports." + key) }

// Describe says in lang ("en" or "fr") why a row was rejected, as the rejected-rows file
// writes it: "E-mail: not a valid address", "E-mail : adresse non valide".
func Describe(lang string, e RowError) string {
	reason := text(lang, "reason."+e.Reason)
	if reason == "" {
		reason = text(lang, "reason.invalid")
	}
	for k, v := range e.Params {
		reason = strings.ReplaceAll(reason, "{"+k+"}", v)
	}
	field := e.Field
	if i := strings.IndexAny(field, "[."); i >= 0 {
		field = field[:i]
	}
	label := text(lang, "field."+field)
	if label == "" || e.Reason == "required" || e.Reason == "conflict" || e.Reason == "suppressed" {
		return reason // about the whole row
	}
	return label + text(lang, "colon") + reason
}
