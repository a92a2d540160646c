package store

// The key layout. Every key starts with a one-letter space and a slash; docs/ARCHITECTURE.md
// is the reference and must change with this file.
//
//	s/schema                                  schema version (uint32, big-endian)
//	s/replica                                 this copy's replica id (ULID)
//	s/hlc                                     highest HLC stamp handed out (uint64, big-endian)
//	s/secret                                  32 random bytes keying Hashed index values and suppression hashes
//	s/keyring/<gen><len>                      SHA-256 of the keyring file's first len bytes (keyringcheck.go)
//	r/<collection>/<id>                       record envelope (meta + JSON payload); a tombstone after delete
//	i/<collection>/<index>/<value>\x00<id>    secondary index entry (empty value)
//	u/<collection>/<index>/<value>            unique index entry; value = owning record id
//	x/<kind>/<keyed hash>                     suppression entry (see Suppress); empty value
//	v/<view>/<name>                           a view's value (view.go): data derived from records, plain or sealed
//
// Index values are normalised by the collection (for example case-folded e-mails) and never
// contain \x00, which separates the value from the id. Hashed indexes hold keyed hashes.
var (
	keySchema  = []byte("s/schema")
	keyReplica = []byte("s/replica")
	keyClock   = []byte("s/hlc")
	keySecret  = []byte("s/secret")
)

func suppressionKey(kind, hash string) []byte { return []byte("x/" + kind + "/" + hash) }

func recordPrefix(coll string) []byte { return []byte("r/" + coll + "/") }

func recordKey(coll, id string) []byte { return []byte("r/" + coll + "/" + id) }

func indexPrefix(coll, index, value string) []byte {
	return []byte("i/" + coll + "/" + index + "/" + value + "\x00")
}

func indexKey(coll, index, value, id string) []byte {
	return []byte("i/" + coll + "/" + index + "/" + value + "\x00" + id)
}

func uniqueKey(coll, index, value string) []byte {
	return []byte("u/" + coll + "/" + index + "/" + value)
}
