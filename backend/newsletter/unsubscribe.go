package newsletter

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"net/url"
	"regexp"
	"strings"
)

// An unsubscribe token names one newsletter and one member and is authenticated, so that a
// reply carrying it withdraws that member's consent and nobody else's, and nobody can make one
// for someone else: "hu-<newsletter id>-<member id>-<mac>", where the ids are the 26-letter
// ULIDs the store makes and mac is the first 80 bits of HMAC-SHA256(key, newsletter/member),
// in base32. key is derived from the workspace's secret (store.Workspace), which every copy of
// a team's workspace shares: a teammate's copy reading the replies recognises the tokens of
// newsletters sent from another copy. 73 characters: it fits a subject, and an address's local
// part (64) would not hold it, so it travels in the subject of the List-Unsubscribe address.
const tokenPrefix = "hu-"

// tokenPattern finds a token in a subject, an address or a body, in any case (some mail
// clients change the case of a subject's words; ULIDs and base32 do not care).
var tokenPattern = regexp.MustCompile(`(?i)hu-([0-9a-z]{26})-([0-9a-z]{26})-([a-z2-7]{16})`)

// tokenEncoding is base32 without padding: letters and digits 2-7 only.
var tokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// unsubscribeKey derives the tokens' key from the workspace secret, so the secret itself is
// never used for anything but what the store uses it for.
func unsubscribeKey(workspaceSecret []byte) []byte {
	m := hmac.New(sha256.New, workspaceSecret)
	m.Write([]byte("hearth/newsletter/unsubscribe/v1"))
	return m.Sum(nil)
}

func tokenMAC(key []byte, newsletterID, memberID string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(newsletterID + "/" + memberID))
	return tokenEncoding.EncodeToString(m.Sum(nil)[:10])
}

// unsubscribeToken is the token of one member for one newsletter; "" when either id is not a
// store id (a test send, a preview for nobody, an automation's one-off e-mail).
func unsubscribeToken(key []byte, newsletterID, memberID string) string {
	if len(key) == 0 || !isULID(newsletterID) || !isULID(memberID) {
		return ""
	}
	return tokenPrefix + newsletterID + "-" + memberID + "-" + tokenMAC(key, newsletterID, memberID)
}

func isULID(s string) bool {
	if len(s) != 26 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// tokenRef is what a genuine token names.
type tokenRef struct{ NewsletterID, MemberID string }

// findToken returns the first genuine token in s (forged or damaged ones are passed over) and
// whether any token-looking text was seen at all.
func findToken(key []byte, s string) (tokenRef, bool) {
	for _, m := range tokenPattern.FindAllStringSubmatch(s, -1) {
		nl, mem, mac := strings.ToUpper(m[1]), strings.ToUpper(m[2]), strings.ToUpper(m[3])
		if hmac.Equal([]byte(mac), []byte(tokenMAC(key, nl, mem))) {
			return tokenRef{NewsletterID: nl, MemberID: mem}, true
		}
	}
	return tokenRef{}, false
}

// unsubscribeURL is the mailto: address to write to to unsubscribe: the sending address, with
// the member's token in the subject when there is one.
func unsubscribeURL(from, token string) string {
	subject := "unsubscribe"
	if token != "" {
		subject += " " + token
	}
	return "mailto:" + from + "?subject=" + url.PathEscape(subject)
}

// unsubscribeKey is the key of this workspace's unsubscribe tokens.
func (s *Service) unsubscribeKey() ([]byte, error) {
	_, secret, err := s.st.Workspace()
	if err != nil {
		return nil, err
	}
	return unsubscribeKey(secret), nil
}
