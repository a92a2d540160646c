// Package members is Hearth's community CRM: the people of a community, with their e-mails
// (the first one is the primary; each e-mail belongs to one member at most, compared without
// regard to case), platform handles, tags, custom fields and notes.
//
// Lists are served from the directory, a view on disk of folded search text and sort keys
// written with the records (directory.go), and the first pages of each order from its head
// (heads.go): nothing of it is read when a workspace opens, and only the requested page of
// records is read from the store.
package members

import (
	"slices"
	"strings"
	"time"

	"hearth/backend/textfold"
)

// Member is the stored record of one person.
type Member struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Emails lists the member's addresses; Emails[0] is the primary one.
	Emails       []string          `json:"emails"`
	Handles      []Handle          `json:"handles"`
	Tags         []string          `json:"tags"`
	CustomFields map[string]string `json:"customFields"`
	Notes        string            `json:"notes"`
	CreatedAt    time.Time         `json:"createdAt"`
	UpdatedAt    time.Time         `json:"updatedAt"`
	// NoAutoEnrol marks a member an import created without being asked to enrol its new
	// members in automations (an import is not a sign-up): automations do not enrol them for
	// having been created, nor for the tags they arrived with. Set only at creation.
	NoAutoEnrol bool `json:"noAutoEnrol,omitempty"`
}

// Handle is the member's name on one platform.
type Handle struct {
	Platform string `json:"platform" validate:"required,platform"`
	Handle   string `json:"handle" validate:"required,max=100"`
}

// Platforms are the values Handle.Platform accepts.
var Platforms = []string{"discourse", "discord", "mastodon", "mailchimp", "other"}

// CreateInput is what a caller sends to create a member. A member needs at least one e-mail or
// one platform handle: people met on Discord often have no known address.
type CreateInput struct {
	Name         string            `json:"name" validate:"max=200"`
	Emails       []string          `json:"emails" validate:"max=20,dive,required,max=254,email"`
	Handles      []Handle          `json:"handles" validate:"max=20,dive"`
	Tags         []string          `json:"tags" validate:"max=50,dive,required,max=64"`
	CustomFields map[string]string `json:"customFields" validate:"max=50,dive,keys,required,max=64,endkeys,max=2000"`
	Notes        string            `json:"notes" validate:"max=20000"`
}

// Patch changes some fields of a member; a nil field is left as it is.
type Patch struct {
	Name         *string            `json:"name,omitempty"`
	Emails       *[]string          `json:"emails,omitempty"`
	Handles      *[]Handle          `json:"handles,omitempty"`
	Tags         *[]string          `json:"tags,omitempty"`
	CustomFields *map[string]string `json:"customFields,omitempty"`
	Notes        *string            `json:"notes,omitempty"`
}

// Edit changes a member by naming only what changes, for callers that do not hold the whole
// member (the CLI's members update): Patch replaces whole values, then tags and custom fields
// are added and removed one by one on the member as stored when the edit is written, so that a
// tag or field changed meanwhile by someone else is kept. The zero Edit changes no field.
type Edit struct {
	Patch
	// AddTags are added after the member's tags, unless it has them already (ignoring case
	// and accents).
	AddTags []string
	// RemoveTags are taken off, compared ignoring case, accents and extra spaces; one the
	// member does not carry is no error (removing is idempotent).
	RemoveTags []string
	// SetFields sets custom fields by name, replacing a field's value if it has one.
	SetFields map[string]string
	// RemoveFields takes custom fields off by name (spaces around it ignored); one the member
	// does not have is no error.
	RemoveFields []string
}

// apply returns the input that results from applying e to m: the patch first, then the
// removals, then the additions.
func (e Edit) apply(m Member) CreateInput {
	in := e.Patch.apply(m)
	if len(e.RemoveTags) > 0 || len(e.AddTags) > 0 {
		gone := make(map[string]bool, len(e.RemoveTags))
		for _, t := range e.RemoveTags {
			gone[tagKey(t)] = true
		}
		tags := make([]string, 0, len(in.Tags)+len(e.AddTags))
		for _, t := range in.Tags {
			if !gone[tagKey(t)] {
				tags = append(tags, t)
			}
		}
		in.Tags = append(tags, e.AddTags...) // normalize drops those already there
	}
	if len(e.RemoveFields) > 0 || len(e.SetFields) > 0 {
		fields := make(map[string]string, len(in.CustomFields)+len(e.SetFields))
		for k, v := range in.CustomFields {
			fields[strings.TrimSpace(k)] = v
		}
		for _, k := range e.RemoveFields {
			delete(fields, strings.TrimSpace(k))
		}
		for k, v := range e.SetFields {
			fields[strings.TrimSpace(k)] = v
		}
		in.CustomFields = fields
	}
	return in
}

// tagKey is how two spellings of a tag are found to be the same tag.
func tagKey(t string) string { return textfold.Fold(strings.Join(strings.Fields(t), " ")) }

// Sort orders a member list.
type Sort string

// The sort orders.
const (
	SortName    Sort = "name"
	SortEmail   Sort = "email"
	SortCreated Sort = "created"
	SortUpdated Sort = "updated"
)

// ListQuery selects a page of members.
type ListQuery struct {
	// Search keeps members whose name, e-mails, handles or tags contain every word of it,
	// ignoring case and accents.
	Search string `json:"search"`
	// Tag keeps members carrying this tag (ignoring case and accents).
	Tag    string `json:"tag"`
	Sort   Sort   `json:"sort" validate:"omitempty,oneof=name email created updated"`
	Desc   bool   `json:"desc"`
	Offset int    `json:"offset" validate:"min=0"`
	// Limit is the page size: 50 when zero, at most MaxLimit.
	Limit int `json:"limit" validate:"min=0,max=500"`
}

// MaxLimit is the largest page List returns.
const MaxLimit = 500

// Page is one page of a member list.
type Page struct {
	Items  []Member `json:"items"`
	Total  int      `json:"total"`
	Offset int      `json:"offset"`
}

// TagCount is a tag and how many members carry it.
type TagCount struct {
	Tag   string `json:"tag"`
	Count int    `json:"count"`
}

// normalize trims what people type and drops exact repeats that carry no meaning (the same tag
// twice, the same handle twice). Repeated e-mails are left for validation to report.
func (in CreateInput) normalize() CreateInput {
	out := CreateInput{Name: strings.TrimSpace(in.Name), Notes: strings.TrimSpace(in.Notes)}
	out.Emails = make([]string, 0, len(in.Emails))
	for _, e := range in.Emails {
		out.Emails = append(out.Emails, strings.TrimSpace(e))
	}
	out.Tags = make([]string, 0, len(in.Tags))
	seen := map[string]bool{}
	for _, t := range in.Tags {
		t = strings.Join(strings.Fields(t), " ")
		if k := textfold.Fold(t); !seen[k] || t == "" {
			seen[k] = true
			out.Tags = append(out.Tags, t)
		}
	}
	out.Handles = make([]Handle, 0, len(in.Handles))
	for _, h := range in.Handles {
		h = Handle{Platform: strings.ToLower(strings.TrimSpace(h.Platform)), Handle: strings.TrimSpace(h.Handle)}
		if !slices.Contains(out.Handles, h) || h.Handle == "" {
			out.Handles = append(out.Handles, h)
		}
	}
	out.CustomFields = make(map[string]string, len(in.CustomFields))
	for k, v := range in.CustomFields {
		out.CustomFields[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out
}

// apply returns the input that results from applying p to m.
func (p Patch) apply(m Member) CreateInput {
	in := CreateInput{
		Name: m.Name, Emails: m.Emails, Handles: m.Handles, Tags: m.Tags,
		CustomFields: m.CustomFields, Notes: m.Notes,
	}
	if p.Name != nil {
		in.Name = *p.Name
	}
	if p.Emails != nil {
		in.Emails = *p.Emails
	}
	if p.Handles != nil {
		in.Handles = *p.Handles
	}
	if p.Tags != nil {
		in.Tags = *p.Tags
	}
	if p.CustomFields != nil {
		in.CustomFields = *p.CustomFields
	}
	if p.Notes != nil {
		in.Notes = *p.Notes
	}
	return in
}

func (m Member) input() CreateInput {
	return Patch{}.apply(m)
}

// emailKey is how an e-mail is compared for uniqueness: the whole address, case-folded.
func emailKey(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

func emailKeys(m Member) []string {
	keys := make([]string, 0, len(m.Emails))
	for _, e := range m.Emails {
		keys = append(keys, emailKey(e))
	}
	return keys
}

// handleKey is how a platform handle is compared: platform and folded handle.
func handleKey(h Handle) string { return h.Platform + ":" + textfold.Fold(strings.TrimSpace(h.Handle)) }

func handleKeys(m Member) []string {
	keys := make([]string, 0, len(m.Handles))
	for _, h := range m.Handles {
		keys = append(keys, handleKey(h))
	}
	return keys
}

func tagKeys(m Member) []string {
	keys := make([]string, 0, len(m.Tags))
	for _, t := range m.Tags {
		keys = append(keys, textfold.Fold(t))
	}
	return keys
}
