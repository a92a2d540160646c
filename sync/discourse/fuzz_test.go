package discourse

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"hearth/sync/connector"
)

// FuzzClassify feeds error responses from the network to the classifier: it never panics,
// always gives a kind, never a negative wait, and never repeats the key.
func FuzzClassify(f *testing.F) {
	f.Add(429, "30", "admin_api_key_rate_limit", []byte(`{"errors":["You’ve performed this action too many times. Please wait 30 seconds before trying again."],"error_type":"rate_limit","extras":{"wait_seconds":30,"time_left":"30 seconds"}}`))
	f.Add(403, "", "", []byte(`{"errors":["The API username or key is invalid."],"error_type":"invalid_access"}`))
	f.Add(422, "", "", []byte(`{"action":"create_post","errors":["External has already been taken"]}`))
	f.Add(502, "", "", []byte(`<html><body>Bad Gateway</body></html>`))
	f.Add(429, "", "", []byte(`{"errors":[],"extras":{"wait_seconds":1e300}}`))
	f.Fuzz(func(t *testing.T, status int, retryAfter, code string, body []byte) {
		if status < 100 || status > 599 || status/100 == 2 {
			return
		}
		h := http.Header{}
		h.Set("Retry-After", retryAfter)
		h.Set("Discourse-Rate-Limit-Error-Code", code+testKey)
		e := classify(status, h, append(body, []byte(testKey)...), time.Unix(1_700_000_000, 0), testKey)
		if e == nil || e.Kind == "" || e.RetryAfter < 0 {
			t.Fatalf("classify(%d) = %+v", status, e)
		}
		if (status == 429) != (e.Kind == connector.RateLimited) {
			t.Fatalf("status %d gave %s", status, e.Kind)
		}
		if strings.Contains(e.Error(), testKey) || strings.Contains(e.Code, testKey) {
			t.Fatalf("the key leaked: %q %q", e.Error(), e.Code)
		}
	})
}

// FuzzPlainText strips cooked HTML from the network: never panics, never over the limit.
func FuzzPlainText(f *testing.F) {
	f.Add(`<p>Bonjour <strong>à tous</strong> &amp; bienvenue</p>`)
	f.Add(`<aside class="quote"><blockquote><p>cité</p></blockquote></aside><p>réponse</p>`)
	f.Add("<p>\xff\xfe broken utf-8</p>")
	f.Fuzz(func(t *testing.T, cooked string) {
		got := plainText(cooked, 50)
		if utf8.RuneCountInString(got) > 50 {
			t.Fatalf("%d characters", utf8.RuneCountInString(got))
		}
		if strings.ContainsAny(got, "\n\t") {
			t.Fatalf("unfolded whitespace in %q", got)
		}
	})
}
