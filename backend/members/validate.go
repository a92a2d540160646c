package members

import (
	"fmt"
	"slices"

	"github.com/go-playground/validator/v10"

	"hearth/backend/errs"
	"hearth/backend/validation"
)

// newValidator knows the "platform" rule on top of the shared ones.
func newValidator() *validation.Validator {
	return validation.New(validation.Rule{
		Tag: "platform",
		Fn:  func(fl validator.FieldLevel) bool { return slices.Contains(Platforms, fl.Field().String()) },
	})
}

// validate checks a normalized input. It reports every problem at once, each naming its field.
func (s *Service) validate(in CreateInput) error {
	var fields []errs.FieldError
	if err := s.v.Struct("members: invalid member", in); err != nil {
		fields = append(fields, errs.From(err).Fields...)
	}
	if len(in.Emails) == 0 && len(in.Handles) == 0 {
		fields = append(fields, errs.Field("emails", "required"))
	}
	seen := make(map[string]int, len(in.Emails))
	for i, e := range in.Emails {
		k := emailKey(e)
		if first, dup := seen[k]; dup && k != "" {
			fields = append(fields, errs.Field(fmt.Sprintf("emails[%d]", i), "duplicate", "of", fmt.Sprintf("emails[%d]", first)))
			continue
		}
		seen[k] = i
	}
	if len(fields) > 0 {
		return errs.Fields("members: invalid member", fields...)
	}
	return nil
}
