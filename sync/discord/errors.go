package discord

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"hearth/sync/connector"
)

// Discord's JSON error codes this connector tells apart.
const (
	codeUnknownChannel   = 10003
	codeUnknownGuild     = 10004
	codeUnknownMessage   = 10008
	codeUnknownWebhook   = 10015
	codeInvalidWebhook   = 50027
	codeMissingAccess    = 50001
	codeMissingPerms     = 50013
	codeInvalidFormBody  = 50035
	maxFieldErrorsInText = 3
)

// apiError is Discord's error body, and its 429 body.
type apiError struct {
	Code       int             `json:"code"`
	Message    string          `json:"message"`
	Errors     json.RawMessage `json:"errors"`
	RetryAfter float64         `json:"retry_after"`
	Global     bool            `json:"global"`
}

// classify turns Discord's error responses into *connector.Error; its messages come from
// Discord's body (which never repeats a token) and this package, never from the request URL.
func classify(status int, h http.Header, body []byte) *connector.Error {
	var ae apiError
	jsonErr := json.Unmarshal(body, &ae)
	e := &connector.Error{Status: status}
	if ae.Code != 0 {
		e.Code = strconv.Itoa(ae.Code)
	}
	said := strings.TrimSpace(ae.Message)
	if said == "" && jsonErr != nil {
		said = connector.Snippet(body)
	}
	said = clip(said, 200)
	switch {
	case status == http.StatusTooManyRequests:
		e.Kind = connector.RateLimited
		e.RetryAfter = retryAfter(ae, h)
		scope := h.Get("X-RateLimit-Scope")
		if ae.Global || strings.EqualFold(h.Get("X-RateLimit-Global"), "true") {
			scope = "global"
		}
		if scope == "" {
			scope = "user"
		}
		e.Message = fmt.Sprintf("Discord rate limit reached (%s scope); retry in %s", clip(scope, 20), e.RetryAfter.Round(time.Millisecond))
	case status == http.StatusUnauthorized:
		e.Kind = connector.Auth
		if ae.Code == codeInvalidWebhook {
			e.Message = "Discord refused the webhook token: check the webhook URL (" + said + ")"
		} else {
			e.Message = "Discord refused the bot token (" + said + ")"
		}
	case status == http.StatusForbidden:
		e.Kind = connector.Auth
		switch ae.Code {
		case codeMissingAccess:
			e.Message = "the bot is missing access: invite it to the server, let it see the channel, and turn on the Server Members intent to read members (" + said + ")"
		case codeMissingPerms:
			e.Message = "the bot is missing a permission in this channel (Send Messages, Read Message History) (" + said + ")"
		default:
			e.Message = "Discord refused access (" + said + ")"
		}
	case status == http.StatusNotFound || status == http.StatusGone:
		e.Kind = connector.Gone
		switch ae.Code {
		case codeUnknownChannel:
			e.Message = "the channel does not exist or the bot cannot see it"
		case codeUnknownGuild:
			e.Message = "the server (guild) does not exist or the bot is not in it"
		case codeUnknownMessage:
			e.Message = "the message no longer exists"
		case codeUnknownWebhook:
			e.Message = "the webhook was deleted: make a new one and update the connection"
		default:
			e.Message = "not found on Discord (" + said + ")"
		}
	case status == http.StatusRequestTimeout || status >= 500:
		e.Kind = connector.Temporary
		e.Message = "Discord failed (" + said + ")"
	default:
		e.Kind = connector.Invalid
		e.Message = "Discord refused the request (" + said + ")"
		if fields := fieldErrors(ae.Errors); fields != "" {
			e.Message = "Discord refused the request (" + said + ": " + fields + ")"
		}
	}
	return e
}

// retryAfter is how long a 429 asks to wait: the body's retry_after, else Retry-After, else
// X-RateLimit-Reset-After.
func retryAfter(ae apiError, h http.Header) time.Duration {
	if d, ok := seconds(ae.RetryAfter); ok && d > 0 {
		return d
	}
	if d := connector.RetryAfter(h, time.Now()); d > 0 {
		return min(d, maxWait)
	}
	if rl := parseRateLimit(h); rl.ResetAfter > 0 {
		return rl.ResetAfter
	}
	return 0
}

// fieldErrors flattens Discord's nested form errors ({"content":{"_errors":[{"message"}]}})
// into "content: Must be 2000 or fewer in length.".
func fieldErrors(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var out []string
	var walk func(path string, raw json.RawMessage, depth int)
	walk = func(path string, raw json.RawMessage, depth int) {
		var node map[string]json.RawMessage
		if depth > 8 || json.Unmarshal(raw, &node) != nil {
			return
		}
		if errs, ok := node["_errors"]; ok {
			var list []struct {
				Message string `json:"message"`
			}
			if json.Unmarshal(errs, &list) == nil {
				for _, l := range list {
					out = append(out, clip(strings.TrimPrefix(path, ".")+": "+l.Message, 200))
				}
			}
		}
		keys := make([]string, 0, len(node))
		for k := range node {
			if k != "_errors" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			walk(path+"."+k, node[k], depth+1)
		}
	}
	walk("", raw, 0)
	if len(out) > maxFieldErrorsInText {
		out = append(out[:maxFieldErrorsInText], fmt.Sprintf("and %d more", len(out)-maxFieldErrorsInText))
	}
	return strings.Join(out, "; ")
}

// clip shortens s to at most n runes.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// seconds converts a wait in (fractional) seconds from the platform into a duration, refusing
// what is not a number, negative, or longer than maxWait.
func seconds(f float64) (time.Duration, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return 0, false
	}
	if f > maxWait.Seconds() {
		return maxWait, true
	}
	return time.Duration(math.Round(f*1e6)) * time.Microsecond, true
}
