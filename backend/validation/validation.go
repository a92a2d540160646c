// Package validation checks request structs with go-playground/validator and reports failures
// as errs.FieldError values named by JSON path ("emails[0]", "handles[1].platform"), so every
// adapter (window, CLI) can tell the person which field is wrong and why in their language.
package validation

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/go-playground/validator/v10"

	"hearth/backend/errs"
)

// Validator validates structs; safe for concurrent use.
type Validator struct {
	v *validator.Validate
}

var slug = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// Rule is a custom validation tag a domain adds.
type Rule struct {
	Tag string
	Fn  validator.Func
}

// New builds a Validator that names fields by their json tag and knows Hearth's own rules
// ("slug": lower-case letters, digits, - and _) plus the given ones.
func New(rules ...Rule) *Validator {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			return f.Name
		}
		return name
	})
	_ = v.RegisterValidation("slug", func(fl validator.FieldLevel) bool {
		return slug.MatchString(fl.Field().String())
	})
	for _, r := range rules {
		if err := v.RegisterValidation(r.Tag, r.Fn); err != nil {
			panic(fmt.Sprintf("validation: rule %q: %v", r.Tag, err)) // a programming error
		}
	}
	return &Validator{v: v}
}

// codes maps validator tags to Hearth's message codes (the rest keep their tag name).
var codes = map[string]string{
	"email": "email", "required": "required", "max": "max", "min": "min", "lte": "max", "gte": "min",
	"oneof": "oneof", "slug": "slug", "len": "len",
}

// Struct validates s and returns an errs.Invalid error with one FieldError per failure, or nil.
func (v *Validator) Struct(msg string, s any) error {
	err := v.v.Struct(s)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return errs.Wrap(errs.Internal, "internal", err, msg)
	}
	fields := make([]errs.FieldError, 0, len(ves))
	for _, fe := range ves {
		fields = append(fields, toFieldError(fe))
	}
	return errs.Fields(msg, fields...)
}

func toFieldError(fe validator.FieldError) errs.FieldError {
	path := fe.Namespace()
	if _, rest, ok := strings.Cut(path, "."); ok {
		path = rest // drop the struct's own type name
	}
	code, ok := codes[fe.Tag()]
	if !ok {
		code = fe.Tag()
	}
	if fe.Param() == "" {
		return errs.Field(path, code)
	}
	param := "value"
	switch code {
	case "max", "min", "len":
		param = code
	}
	return errs.Field(path, code, param, fe.Param())
}
