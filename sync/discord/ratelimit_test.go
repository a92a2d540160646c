package discord

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"hearth/sync/connector"
)

var now = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

func headers(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func TestRateLimitHeadersAreReadInDiscordsFormat(t *testing.T) {
	reset := float64(now.Add(2*time.Second).UnixMilli()) / 1000
	h := headers("X-RateLimit-Limit", "5", "X-RateLimit-Remaining", "0",
		"X-RateLimit-Reset", strconv.FormatFloat(reset, 'f', 3, 64),
		"X-RateLimit-Reset-After", "1.250", "X-RateLimit-Bucket", "abcd1234", "X-RateLimit-Scope", "user")
	rl := parseRateLimit(h)
	if rl.Remaining != 0 || rl.ResetAfter != 1250*time.Millisecond || rl.Bucket != "abcd1234" || rl.Scope != "user" ||
		rl.Reset.Sub(now).Round(time.Millisecond) != 2*time.Second {
		t.Errorf("parsed %+v", rl)
	}
	if got := signals(200, h, now); !got.Equal(now.Add(1250 * time.Millisecond)) {
		t.Errorf("pause until %s, want Reset-After from now", got)
	}
	delete(h, "X-Ratelimit-Reset-After")
	if got := signals(200, h, now); got.Sub(now).Round(time.Millisecond) != 2*time.Second {
		t.Errorf("pause until %s, want Reset", got)
	}
	if got := signals(200, headers("X-RateLimit-Remaining", "3", "X-RateLimit-Reset-After", "9"), now); !got.IsZero() {
		t.Errorf("paused with quota left: %s", got)
	}
	if got := signals(200, http.Header{}, now); !got.IsZero() {
		t.Errorf("paused without headers: %s", got)
	}
}

func TestA429ReadsTheBodysRetryAfterFirst(t *testing.T) {
	body := []byte(`{"message":"You are being rate limited.","retry_after":64.57,"global":false}`)
	ce := classify(429, headers("Retry-After", "65", "X-RateLimit-Scope", "shared"), body)
	if ce.Kind != connector.RateLimited || ce.RetryAfter != 64570*time.Millisecond || !strings.Contains(ce.Message, "shared") {
		t.Errorf("error = %+v", ce)
	}
	ce = classify(429, headers("Retry-After", "3", "X-RateLimit-Global", "true"), []byte("<html>"))
	if ce.RetryAfter != 3*time.Second || !strings.Contains(ce.Message, "global") {
		t.Errorf("error = %+v", ce)
	}
}

func TestInvalidFormBodyNamesTheFields(t *testing.T) {
	body := []byte(`{"code":50035,"message":"Invalid Form Body","errors":{"content":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH","message":"Must be 2000 or fewer in length."}]},"embeds":{"0":{"title":{"_errors":[{"code":"BASE_TYPE_REQUIRED","message":"This field is required"}]}}}}}`)
	ce := classify(400, http.Header{}, body)
	want := "Discord refused the request (Invalid Form Body: content: Must be 2000 or fewer in length.; embeds.0.title: This field is required)"
	if ce.Kind != connector.Invalid || ce.Code != "50035" || ce.Message != want {
		t.Errorf("error = %+v", ce)
	}
}

func TestMissingAccessAndPermissionsAreAuthAndSaySo(t *testing.T) {
	for code, want := range map[string]string{"50001": "missing access", "50013": "missing a permission"} {
		ce := classify(403, http.Header{}, []byte(`{"message":"Missing","code":`+code+`}`))
		if ce.Kind != connector.Auth || !strings.Contains(ce.Message, want) {
			t.Errorf("%s: error = %+v", code, ce)
		}
	}
	if ce := classify(401, http.Header{}, []byte(`{"message":"401: Unauthorized","code":0}`)); ce.Kind != connector.Auth || ce.Code != "" {
		t.Errorf("401: error = %+v", ce)
	}
	if ce := classify(502, http.Header{}, []byte(`<html>bad gateway</html>`)); ce.Kind != connector.Temporary {
		t.Errorf("502: error = %+v", ce)
	}
}

func FuzzParseRateLimit(f *testing.F) {
	f.Add("0", "1741944602.123", "1.5", "65", `{"retry_after":1.5}`)
	f.Add("", "", "", "", "")
	f.Add("-1", "NaN", "+Inf", "Wed, 21 Oct 2015 07:28:00 GMT", `{"retry_after":1e400}`)
	f.Add("0", "1e300", "-3", "abc", `{"retry_after":-1}`)
	f.Add("99999999999999999999", "0x1p10", "1e-9", "0.001", `{"message":"x","retry_after":"1"}`)
	f.Fuzz(func(t *testing.T, remaining, reset, resetAfter, retry, body string) {
		h := headers("X-RateLimit-Remaining", remaining, "X-RateLimit-Reset", reset, "X-RateLimit-Reset-After", resetAfter,
			"Retry-After", retry, "X-RateLimit-Bucket", body, "X-RateLimit-Scope", body)
		rl := parseRateLimit(h)
		if rl.Remaining < -1 || rl.ResetAfter < 0 || rl.ResetAfter > maxWait || len(rl.Bucket) > 64*4+3 {
			t.Fatalf("parsed %+v", rl)
		}
		if at := signals(200, h, now); !at.IsZero() && at.Before(now) {
			t.Fatalf("pause until %s, before now", at)
		}
		ce := classify(429, h, []byte(body))
		if ce.Kind != connector.RateLimited || ce.RetryAfter < 0 || ce.RetryAfter > maxWait {
			t.Fatalf("429 classified %+v", ce)
		}
	})
}
