package engine

import (
	"strings"

	"hearth/sync/connector"
)

// maxKey is the longest connector.Post.Key.
const maxKey = 80

// PostKey is the stable idempotency key of an outbox entry on a connection: "<entry
// key>@<connection id>" when that is at most 80 characters of [A-Za-z0-9._:@-], else a
// readable prefix of it followed by a hash of the whole, so two entries never share a key.
func PostKey(entryKey, connID string) string {
	raw := entryKey + "@" + connID
	clean := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("._:@-", r):
			return r
		}
		return '-'
	}, raw)
	if clean == raw && len(raw) <= maxKey {
		return raw
	}
	const hashLen = 32
	prefix := clean[:min(len(clean), maxKey-hashLen-1)]
	return prefix + "-" + connector.ShortKey(raw, hashLen)
}
