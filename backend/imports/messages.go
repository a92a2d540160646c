package imports

import (
	"strings"
)

// messages are the words the rejected-rows file uses to say why a row was left out, per
// language: a field's label ("field.<member field>") and a reason ("reason.<code>"), whose
// {name} placeholders take the error's params.
var messages = map[string]map[string]string{
	"en": {
		"field.emails":       "E-mail",
		"field.name":         "Name",
		"field.tags":         "Tags",
		"field.handles":      "Handle",
		"field.customFields": "Custom field",
		"field.notes":        "Notes",
		"colon":              ": ",
		"reason.email":       "not a valid address",
		"reason.required":    "no e-mail address and no handle",
		"reason.max":         "too long (at most {max})",
		"reason.min":         "too short (at least {min})",
		"reason.unique":      "already used by another member",
		"reason.duplicate":   "given twice",
		"reason.platform":    "unknown platform",
		"reason.oneof":       "not one of the allowed values",
		"reason.suppressed":  "this person asked to be erased: never imported again",
		"reason.conflict":    "the e-mail and the handle belong to two different members",
		"reason.invalid":     "not valid",
	},
	"fr": {
		"field.emails":       "E-mail",
		"field.name":         "Nom",
		"field.tags":         "Étiquettes",
		"field.handles":      "Identifiant",
		"field.customFields": "Champ personnalisé",
		"field.notes":        "Notes",
		"colon":              "\u00a0: ",
		"reason.email":       "adresse non valide",
		"reason.required":    "ni adresse e-mail ni identifiant",
		"reason.max":         "trop long (au plus {max})",
		"reason.min":         "trop court (au moins {min})",
		"reason.unique":      "déjà utilisé par un autre membre",
		"reason.duplicate":   "saisi deux fois",
		"reason.platform":    "plateforme inconnue",
		"reason.oneof":       "valeur non autorisée",
		"reason.suppressed":  "cette personne a demandé l’effacement : elle n’est plus jamais importée",
		"reason.conflict":    "l’e-mail et l’identifiant appartiennent à deux membres différents",
		"reason.invalid":     "non valide",
	},
}

// text returns the message of key in lang (English when lang is not French).
func text(lang, key string) string {
	if m, ok := messages[lang][key]; ok {
		return m
	}
	return messages["en"][key]
}

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
