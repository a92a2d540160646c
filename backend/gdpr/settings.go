package gdpr

import (
	"context"
	"errors"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// Settings are the workspace's retention rules.
type Settings struct {
	// RetentionMonths is how long a member may stay inactive before Hearth proposes to
	// anonymise them; 0 turns the proposal off.
	RetentionMonths int `json:"retentionMonths" validate:"min=0,max=240"`
}

var settingsCollection = &store.Collection[Settings]{Name: "gdpr_settings"}

const settingsID = "workspace"

// Settings returns the retention settings (36 months until someone changes them: the CNIL's
// usual horizon for keeping data about people who no longer take part).
func (s *Service) Settings(context.Context) (Settings, error) {
	out := Settings{RetentionMonths: 36}
	err := s.st.View(func(tx *store.Tx) error {
		v, _, err := store.Get(tx, settingsCollection, settingsID)
		if errors.Is(err, errs.NotFound) {
			return nil
		}
		out = v
		return err
	})
	return out, err
}

// SaveSettings replaces the retention settings.
func (s *Service) SaveSettings(ctx context.Context, in Settings) (Settings, error) {
	if in.RetentionMonths < 0 || in.RetentionMonths > 240 {
		return Settings{}, errs.Fields("gdpr: invalid settings", errs.Field("retentionMonths", "max", "max", "240"))
	}
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		_, err := store.Put(tx, settingsCollection, settingsID, in)
		return err
	})
	return in, err
}
