package connections

import (
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/go-playground/validator/v10"

	"hearth/backend/errs"
	"hearth/backend/validation"
)

// Limits on what a connection holds.
const (
	MaxName     = 64
	MaxKeywords = 50
	MaxKeyword  = 100
)

// record is what validation sees: the input's fields, with the secret that will be in force.
type record struct {
	Name     string        `json:"name" validate:"required,max=64,label"`
	Platform Platform      `json:"platform" validate:"required,platform"`
	Settings settingsRules `json:"settings"`
	Secret   string        `json:"secret" validate:"max=4096"`
}

// settingsRules carries the tags that apply to every platform; per-platform rules follow.
type settingsRules struct {
	URL      string   `json:"url" validate:"max=2048"`
	Username string   `json:"username" validate:"max=200,label"`
	Category string   `json:"category" validate:"max=64,label"`
	Channel  string   `json:"channel" validate:"max=64,label"`
	Guild    string   `json:"guild" validate:"max=64,label"`
	APIURL   string   `json:"apiUrl" validate:"max=2048"`
	ListID   string   `json:"listId" validate:"max=64,label"`
	Keywords []string `json:"keywords" validate:"max=50,dive,required,max=100,label"`
}

func newValidator() *validation.Validator {
	return validation.New(
		// Like calendar channel labels: any text without control characters.
		validation.Rule{Tag: "label", Fn: func(fl validator.FieldLevel) bool {
			return !strings.ContainsFunc(fl.Field().String(), unicode.IsControl)
		}},
		validation.Rule{Tag: "platform", Fn: func(fl validator.FieldLevel) bool {
			return slices.Contains(Platforms, Platform(fl.Field().String()))
		}},
	)
}

// mailchimpKey is a Mailchimp API key: its suffix after "-" names the data centre ("-us14").
var mailchimpKey = regexp.MustCompile(`-([a-z]+[0-9]+)$`)

// MailchimpDataCenter returns the data centre named by a Mailchimp API key ("us14"), or "".
func MailchimpDataCenter(key string) string {
	if m := mailchimpKey.FindStringSubmatch(key); m != nil {
		return m[1]
	}
	return ""
}

// validate checks a normalized connection and the secret it will have, reporting every problem
// at once, each on its JSON path ("settings.url", "secret").
func (s *Service) validate(c Connection, secret string) error {
	r := record{Name: c.Name, Platform: c.Platform, Secret: secret, Settings: settingsRules{
		URL: c.Settings.URL, Username: c.Settings.Username, Category: c.Settings.Category, Channel: c.Settings.Channel,
		Guild: c.Settings.Guild, APIURL: c.Settings.APIURL, ListID: c.Settings.ListID, Keywords: c.Settings.Keywords,
	}}
	var fields []errs.FieldError
	if err := s.v.Struct("connections: invalid connection", r); err != nil {
		fields = append(fields, errs.From(err).Fields...)
	}
	st := c.Settings
	required := func(field, value string) {
		if value == "" && !slices.ContainsFunc(fields, func(f errs.FieldError) bool { return f.Field == field }) {
			fields = append(fields, errs.Field(field, "required"))
		}
	}
	baseURL := func(field, value string) {
		if value != "" && !isHTTPURL(value) {
			fields = append(fields, errs.Field(field, "url"))
		}
	}
	baseURL("settings.apiUrl", st.APIURL)
	switch c.Platform {
	case Discourse:
		required("settings.url", st.URL)
		baseURL("settings.url", st.URL)
		required("settings.username", st.Username)
		required("secret", secret)
	case Mastodon:
		required("settings.url", st.URL)
		baseURL("settings.url", st.URL)
		required("secret", secret)
	case RSS:
		required("settings.url", st.URL)
		baseURL("settings.url", st.URL)
	case Discord:
		required("secret", secret)
		if st.Webhook {
			if secret != "" && !isWebhookURL(secret) {
				fields = append(fields, errs.Field("secret", "webhook_url"))
			}
		} else {
			required("settings.channel", st.Channel)
		}
	case Mailchimp:
		required("settings.listId", st.ListID)
		required("secret", secret)
		if secret != "" && st.APIURL == "" && MailchimpDataCenter(secret) == "" {
			fields = append(fields, errs.Field("secret", "mailchimp_key"))
		}
	}
	if len(fields) > 0 {
		return errs.Fields("connections: invalid connection", fields...)
	}
	return nil
}

// isHTTPURL reports whether s is an absolute http or https URL with a host.
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// isWebhookURL reports whether s looks like a Discord webhook URL: https (plain http only on
// this machine, for a local test server) with a path under /api/webhooks/.
func isWebhookURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || !strings.Contains(u.Path, "/api/webhooks/") {
		return false
	}
	return u.Scheme == "https" || (u.Scheme == "http" && isLoopback(u.Hostname()))
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// normalize trims what people type and keeps only the settings that apply to the platform, so
// that a record never carries a stray setting of another platform.
func normalize(c Connection) Connection {
	c.Name = strings.TrimSpace(c.Name)
	c.Platform = Platform(strings.ToLower(strings.TrimSpace(string(c.Platform))))
	in := c.Settings
	trim := strings.TrimSpace
	base := func(s string) string { return strings.TrimRight(trim(s), "/") }
	var out Settings
	switch c.Platform {
	case Discourse:
		out = Settings{URL: base(in.URL), Username: trim(in.Username), Category: trim(in.Category)}
	case Discord:
		out = Settings{Webhook: in.Webhook, APIURL: base(in.APIURL)}
		if !in.Webhook {
			out.Channel, out.Guild = trim(in.Channel), trim(in.Guild)
		}
	case Mastodon:
		out = Settings{URL: base(in.URL)}
	case Mailchimp:
		out = Settings{ListID: trim(in.ListID), APIURL: base(in.APIURL)}
	case RSS:
		out = Settings{URL: trim(in.URL)}
		for _, k := range in.Keywords {
			k = trim(k)
			if !slices.ContainsFunc(out.Keywords, func(o string) bool { return strings.EqualFold(o, k) }) || k == "" {
				out.Keywords = append(out.Keywords, k)
			}
		}
	default:
		out = in
	}
	c.Settings = out
	return c
}
