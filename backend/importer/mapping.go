package importer

import (
	"strconv"
	"strings"
	"unicode"

	"hearth/backend/errs"
	"hearth/backend/textfold"
)

// The fields a column can feed. Extra e-mail columns are "email2", "email3"...; custom fields
// are "custom:<key>".
const (
	FieldEmail           = "email"
	FieldName            = "name"
	FieldFirstName       = "first_name"
	FieldLastName        = "last_name"
	FieldTags            = "tags"
	FieldNotes           = "notes"
	FieldPhone           = "phone"
	FieldCity            = "city"
	FieldJoinDate        = "join_date"
	FieldIgnore          = "ignore"
	FieldOptinTime       = "consent:optin_time"
	FieldOptinIP         = "consent:optin_ip"
	FieldConfirmTime     = "consent:confirm_time"
	FieldConfirmIP       = "consent:confirm_ip"
	HandlePrefix         = "handle:"
	CustomPrefix         = "custom:"
	fieldHandleDiscourse = HandlePrefix + "discourse"
	fieldHandleOther     = HandlePrefix + "other"
	// JoinDateKey is the custom field a join date is kept in, which the analytics read to tell
	// new members from migrated ones.
	JoinDateKey = "member_since"
	// Internal fields for platform columns that need their own treatment.
	fieldUnsubscribed = CustomPrefix + "unsubscribed_at"
	fieldCleaned      = CustomPrefix + "cleaned_at"
)

// handlePlatforms are the platforms a "handle:" field may name.
var handlePlatforms = []string{"discourse", "discord", "mastodon", "other"}

// Fields lists the target fields a mapping may use, for UIs. "custom:" stands for
// "custom:<any key>"; "email2" and "email3" stand for any "emailN" with N >= 2.
func Fields() []string {
	return []string{
		FieldEmail, "email2", "email3", FieldName, FieldFirstName, FieldLastName, FieldTags,
		FieldNotes, FieldPhone, FieldCity, FieldJoinDate,
		"handle:discourse", "handle:discord", "handle:mastodon", "handle:other",
		CustomPrefix, FieldIgnore,
		FieldOptinTime, FieldOptinIP, FieldConfirmTime, FieldConfirmIP,
	}
}

// ValidField reports whether field may be the target of a mapping.
func ValidField(field string) bool {
	switch field {
	case FieldEmail, FieldName, FieldFirstName, FieldLastName, FieldTags, FieldNotes, FieldPhone,
		FieldCity, FieldJoinDate, FieldIgnore, FieldOptinTime, FieldOptinIP, FieldConfirmTime, FieldConfirmIP:
		return true
	}
	if n, ok := emailIndex(field); ok {
		return n >= 1
	}
	if p, ok := strings.CutPrefix(field, HandlePrefix); ok {
		for _, q := range handlePlatforms {
			if p == q {
				return true
			}
		}
		return false
	}
	if k, ok := strings.CutPrefix(field, CustomPrefix); ok {
		return strings.TrimSpace(k) != ""
	}
	return false
}

// emailIndex returns N for "emailN" (1 for "email").
func emailIndex(field string) (int, bool) {
	rest, ok := strings.CutPrefix(field, FieldEmail)
	if !ok {
		return 0, false
	}
	if rest == "" {
		return 1, true
	}
	if rest[0] < '1' || rest[0] > '9' {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n >= 2
}

// normHeader folds a header for matching: lower case, no accents, every run of punctuation or
// space turned into one space ("Adresse e-mail" -> "adresse e mail").
func normHeader(h string) string {
	f := textfold.Fold(h)
	var b strings.Builder
	b.Grow(len(f))
	space := false
	for _, r := range f {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}

// synonyms maps folded headers to fields, English and French.
var synonyms = func() map[string]string {
	m := map[string]string{}
	add := func(field string, names ...string) {
		for _, n := range names {
			m[normHeader(n)] = field
		}
	}
	add(FieldEmail, "email", "e-mail", "courriel", "mail", "adresse e-mail", "adresse email",
		"adresse mail", "adresse courriel", "email address", "e-mail address", "primary email",
		"email principal", "mél")
	add("email2", "second email", "secondary email", "second e-mail", "secondary e-mail",
		"email 2", "e-mail 2", "courriel 2", "other email", "autre email", "autre e-mail",
		"autre courriel", "email secondaire", "e-mail secondaire", "secondary emails")
	add(FieldFirstName, "first name", "firstname", "prénom", "given name", "forename", "fname")
	add(FieldLastName, "last name", "lastname", "nom", "nom de famille", "surname", "family name",
		"lname")
	add(FieldName, "name", "full name", "fullname", "nom complet", "display name",
		"nom d'affichage", "nom et prénom", "prénom et nom")
	add(FieldTags, "tags", "tag", "étiquettes", "étiquette", "labels", "label", "groupes",
		"groupe", "groups", "group names")
	add(FieldPhone, "phone", "téléphone", "tel", "tél", "mobile", "phone number",
		"numéro de téléphone", "portable", "cell phone")
	add(FieldCity, "city", "ville", "town")
	add(FieldJoinDate, "membre depuis", "date d'adhésion", "date adhésion",
		"date d'adhesion", "adhérent depuis", "adhérente depuis", "inscrit le", "inscrite le",
		"inscrit(e) le", "date d'inscription", "date d'arrivée", "member since",
		"joined", "joined on", "join date", "date joined", "joining date", "signup date",
		"sign up date", "signed up on", "registration date", "registered on", "date added", "created at", "member_since")
	add(FieldNotes, "notes", "note", "remarques", "remarque", "commentaire", "commentaires",
		"comments", "comment")
	add(fieldHandleOther, "username", "user name", "pseudo", "pseudonyme", "handle", "nickname")
	add("handle:discord", "discord", "discord handle", "discord username", "pseudo discord")
	add("handle:mastodon", "mastodon", "mastodon handle", "fediverse")
	return m
}()

// mailchimpColumns are the columns of a Mailchimp audience export with platform meaning.
var mailchimpColumns = map[string]string{
	"OPTIN_TIME":    FieldOptinTime,
	"OPTIN_IP":      FieldOptinIP,
	"CONFIRM_TIME":  FieldConfirmTime,
	"CONFIRM_IP":    FieldConfirmIP,
	"MEMBER_RATING": CustomPrefix + "member_rating",
	"TAGS":          FieldTags,
	"NOTES":         FieldNotes,
	"UNSUB_TIME":    fieldUnsubscribed,
	"UNSUB_REASON":  CustomPrefix + "unsubscribe_reason",
	"CLEAN_TIME":    fieldCleaned,
	// Geolocation guessed by Mailchimp and bookkeeping ids: not facts about the person.
	"LEID": FieldIgnore, "EUID": FieldIgnore, "LATITUDE": FieldIgnore, "LONGITUDE": FieldIgnore,
	"GMTOFF": FieldIgnore, "DSTOFF": FieldIgnore, "TIMEZONE": FieldIgnore, "CC": FieldIgnore,
	"REGION": FieldIgnore, "LAST_CHANGED": FieldIgnore, "UNSUB_CAMPAIGN_TITLE": FieldIgnore,
	"UNSUB_CAMPAIGN_ID": FieldIgnore, "UNSUB_REASON_OTHER": FieldIgnore,
	"CLEAN_CAMPAIGN_TITLE": FieldIgnore, "CLEAN_CAMPAIGN_ID": FieldIgnore,
	"MEMBER_ID": FieldIgnore,
}

// discourseColumns are the columns Discourse writes in its admin user-list export.
var discourseColumns = map[string]string{
	"name":             FieldName,
	"username":         fieldHandleDiscourse,
	"email":            FieldEmail,
	"secondary_emails": "email2",
	"group_names":      FieldTags,
	"trust_level":      CustomPrefix + "trust_level",
	"created_at":       FieldJoinDate,
	"last_seen_at":     CustomPrefix + "last_seen",
	"location":         CustomPrefix + "location",
	"website":          CustomPrefix + "website",
}

// discourseNoise are Discourse's own columns that say nothing a community manager needs, or
// that must not be kept (IP addresses).
var discourseNoise = strings.Fields(`id title last_posted_at last_emailed_at approved
	suspended_at suspended_till silenced_till active admin moderator ip_address
	registration_ip_address staged topics_entered posts_read_count time_read topic_count
	post_count likes_given likes_received views days_visited external_id external_email
	external_username external_name external_avatar_url primary_group_id flair_group_id
	uploaded_avatar_id locale`)

// dateFields are the fields whose cells are parsed as dates.
var dateFields = map[string]bool{
	FieldOptinTime: true, FieldConfirmTime: true, fieldUnsubscribed: true, fieldCleaned: true,
	CustomPrefix + JoinDateKey: true, CustomPrefix + "last_seen": true, FieldJoinDate: true,
}

// IsDateField reports whether the cells of a column mapped to field are read as dates.
func IsDateField(field string) bool { return dateFields[field] }

// detectSource recognises a platform export from its header.
func detectSource(header []string) Source {
	has := make(map[string]bool, len(header))
	for _, h := range header {
		has[strings.TrimSpace(h)] = true
	}
	if has["Email Address"] {
		n := 0
		for _, k := range []string{"OPTIN_TIME", "CONFIRM_TIME", "LEID", "EUID", "MEMBER_RATING", "LAST_CHANGED"} {
			if has[k] {
				n++
			}
		}
		if n >= 2 {
			return SourceMailchimp
		}
	}
	if has["username"] && has["email"] {
		n := 0
		for _, k := range []string{"trust_level", "last_seen_at", "last_posted_at", "secondary_emails", "group_names", "post_count", "topic_count", "moderator", "ip_address"} {
			if has[k] {
				n++
			}
		}
		if n >= 2 {
			return SourceDiscourse
		}
	}
	return SourceGeneric
}

// autoField guesses the field of one header.
func autoField(src Source, header string, index, width int) string {
	h := strings.TrimSpace(header)
	switch src {
	case SourceMailchimp:
		if f, ok := mailchimpColumns[h]; ok {
			return f
		}
	case SourceDiscourse:
		if f, ok := discourseColumns[h]; ok {
			return f
		}
		for _, n := range discourseNoise {
			if h == n {
				return FieldIgnore
			}
		}
	}
	n := normHeader(h)
	if f, ok := synonyms[n]; ok {
		return f
	}
	// The reason column of a rejected-rows file, when a person imports it again after fixing it.
	if index == width-1 && index > 0 && (n == "error" || n == "erreur") {
		return FieldIgnore
	}
	if h == "" {
		return CustomPrefix + "Column " + strconv.Itoa(index+1)
	}
	return CustomPrefix + h
}

// newColumns maps every header cell to a field, applying opts.Mapping over the guess.
func newColumns(src Source, header []string, mapping map[string]string) ([]Column, error) {
	folded := make(map[string]string, len(mapping))
	for h, f := range mapping {
		f = strings.TrimSpace(f)
		if !ValidField(f) {
			return nil, errs.New(errs.Invalid, "import_unknown_field", "importer: unknown field "+strconv.Quote(f)+" in the mapping").With("field", f, "header", h)
		}
		folded[normHeader(h)] = f
	}
	cols := make([]Column, len(header))
	for i, h := range header {
		c := Column{Index: i, Header: h}
		if f, ok := mapping[h]; ok {
			c.Field = strings.TrimSpace(f)
		} else if f, ok := folded[normHeader(h)]; ok && h != "" {
			c.Field = f
		} else {
			c.Field, c.Auto = autoField(src, h, i, len(header)), true
		}
		cols[i] = c
	}
	return cols, nil
}
