package consent

import (
	"strings"
	"unicode"

	"github.com/go-playground/validator/v10"

	"hearth/backend/validation"
)

// newValidator knows the "label" rule (text on one line, no control characters: a version label
// or a purpose name ends up in index keys and in one-line CLI output) on top of the shared ones.
func newValidator() *validation.Validator {
	return validation.New(validation.Rule{
		Tag: "label",
		Fn: func(fl validator.FieldLevel) bool {
			return !strings.ContainsFunc(fl.Field().String(), unicode.IsControl)
		},
	})
}
