package store

// Create writes v under id, an id that names no record yet (a new ULID), with a fresh HLC stamp
// and its index entries: Put without reading the old version, which a bulk write of new records
// (an import creating a million members) would look up in vain for each. Unique indexes are
// checked as Put checks them. Writing over an existing record with Create would leave its old
// index entries behind: use Put for that.
func Create[T any](tx *Tx, c *Collection[T], id string, v T) (Meta, error) {
	return put(tx, c, id, v, nil, Meta{})
}
