package store

import "context"

// DropCollection deletes every record (live, tombstone and every older version) and every index
// entry of the collection named name, for a collection no release uses any more. Unlike
// deleting its records one by one, it takes them out of Badger's table files at once (Badger's
// DropPrefix flushes the memtables and rewrites the tables that hold the prefix), so a
// collection that kept personal data in clear leaves none behind there; values large enough to
// live in the value log go with its next garbage collection. Writes wait meanwhile.
func (s *Store) DropCollection(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.touch(name)
	return wrapBadger(s.db.DropPrefix(recordPrefix(name), []byte("i/"+name+"/"), []byte("u/"+name+"/")), "store: drop "+name)
}
