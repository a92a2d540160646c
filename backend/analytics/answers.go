package analytics

import (
	"context"
	"errors"

	"hearth/backend/activity"
	"hearth/backend/errs"
	"hearth/backend/store"
)

// AsksQuestion says whether a member's activity record asks a question, as the KPIs count
// questions: a post or message (not a reply) whose title or text asks something (IsQuestion).
func AsksQuestion(r activity.Record) bool {
	return (r.Kind == activity.Post || r.Kind == activity.Message) && IsQuestion(r.Title, r.Text)
}

// Answers returns the ids of the records among recs, a member's, that answer someone else's
// question: replies in a thread whose first record is a question another member asked (the
// questions the KPIs count as answered).
func (s *Service) Answers(_ context.Context, memberID string, recs []activity.Record) (map[string]bool, error) {
	out := map[string]bool{}
	asker := map[string]string{} // per thread, who asked its question ("" when it is none)
	err := s.st.View(func(tx *store.Tx) error {
		for _, r := range recs {
			if r.Kind != activity.Reply {
				continue
			}
			thread := threadOf(r)
			if thread == "" {
				continue
			}
			who, known := asker[thread]
			if !known {
				q, _, err := store.Get(tx, questions, thread)
				if err != nil && !errors.Is(err, errs.NotFound) {
					return err
				}
				who, asker[thread] = q.Asker, q.Asker
			}
			if who != "" && who != memberID {
				out[r.ID] = true
			}
		}
		return nil
	})
	return out, err
}
