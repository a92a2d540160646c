package bundle

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"hearth/backend/errs"
	"hearth/backend/hlc"
	"hearth/backend/store"
)

// testWorkFactor keeps scrypt quick in tests (age's default takes about a second per bundle).
const testWorkFactor = 10

func testManifest() Manifest {
	return Manifest{
		Schema:    7,
		Workspace: "01JWORKSPACE",
		HashKey:   bytes.Repeat([]byte{0xA5}, HashKeySize),
		Replica:   "01JREPLICAA",
		Teammate:  "Camille",
		CreatedAt: time.Date(2026, 12, 7, 19, 30, 0, 0, time.UTC),
		Clock:     map[string]hlc.Timestamp{"01JREPLICAA": hlc.Make(1765135800000, 3), "01JREPLICAB": hlc.Make(1765135700000, 0)},
	}
}

func testEntries() []Entry {
	return []Entry{
		{Erasure: &store.Erasure{Subject: "01JMEMBERGONE", HLC: hlc.Make(1765135000000, 1)}},
		{Erasure: &store.Erasure{Subject: "task:01JTASK", HLC: hlc.Make(1765135000001, 0)}},
		{Suppression: &store.Suppression{Kind: "email", Hash: "0f1e2d3c4b5a69788796a5b4c3d2e1f0"}},
		{Record: &store.Record{Collection: "member", ID: "01JMEMBER1", HLC: hlc.Make(1765135800000, 2), Replica: "01JREPLICAA",
			Subject: "01JMEMBER1", Sealed: true, Data: json.RawMessage(`{"name":"Hélène <hb@example.org>","tags":["a","b"]}`)}},
		{Record: &store.Record{Collection: "member", ID: "01JMEMBER2", HLC: hlc.Make(1765135800000, 3), Replica: "01JREPLICAB", Deleted: true}},
		{Record: &store.Record{Collection: "outbox", ID: "01JITEM@2026-12-07T10:00:00Z/x", HLC: hlc.Make(1765135700000, 0), Replica: "01JREPLICAB",
			Data: json.RawMessage(`{"key":"01JITEM@2026-12-07T10:00:00Z"}`)}},
	}
}

// writeBundle writes m and entries to a bundle encrypted as enc.
func writeBundle(t *testing.T, enc Encrypt, m Manifest, entries []Entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, enc, m)
	if err != nil {
		t.Fatal(err)
	}
	writeEntries(t, w, entries)
	return buf.Bytes()
}

func writeEntries(t *testing.T, w *Writer, entries []Entry) {
	t.Helper()
	for _, e := range entries {
		var err error
		switch {
		case e.Erasure != nil:
			err = w.Erasure(*e.Erasure)
		case e.Suppression != nil:
			err = w.Suppression(*e.Suppression)
		case e.Record != nil:
			err = w.Record(*e.Record)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// readBundle opens data and reads every entry; it stops at the first refusal.
func readBundle(data []byte, dec Decrypt) (Manifest, []Entry, error) {
	r, err := Open(bytes.NewReader(data), dec)
	if err != nil {
		return Manifest{}, nil, err
	}
	return drain(r)
}

func drain(r *Reader) (Manifest, []Entry, error) {
	var entries []Entry
	for {
		e, err := r.Next()
		if err == io.EOF {
			return r.Manifest(), entries, nil
		}
		if err != nil {
			return r.Manifest(), entries, err
		}
		entries = append(entries, e)
	}
}

func codeOf(err error) string {
	var e *errs.Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return "no error"
	}
	return "unclassified: " + err.Error()
}

func newIdentity(t *testing.T) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func sameEntries(t *testing.T, got, want []Entry) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d entries came back, want %d", len(got), len(want))
	}
	for i := range want {
		g, _ := json.Marshal(got[i])
		w, _ := json.Marshal(want[i])
		if !bytes.Equal(g, w) {
			t.Errorf("entry %d:\n got %s\nwant %s", i, g, w)
		}
	}
}

func sameManifest(t *testing.T, got, want Manifest) {
	t.Helper()
	want.Format, want.Version = Format, Version
	if !got.CreatedAt.Equal(want.CreatedAt) {
		t.Errorf("createdAt %v, want %v", got.CreatedAt, want.CreatedAt)
	}
	got.CreatedAt, want.CreatedAt = time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("manifest:\n got %+v\nwant %+v", got, want)
	}
}

func TestABundleWithAPassphraseComesBackEqualAndInOrder(t *testing.T) {
	data := writeBundle(t, Encrypt{Passphrase: "correct horse battery staple", workFactor: testWorkFactor}, testManifest(), testEntries())
	m, entries, err := readBundle(data, Decrypt{Passphrase: "correct horse battery staple"})
	if err != nil {
		t.Fatal(err)
	}
	sameManifest(t, m, testManifest())
	sameEntries(t, entries, testEntries())
}

func TestABundleForTwoRecipientsOpensWithEitherIdentityAndComesBackEqual(t *testing.T) {
	camille, sacha := newIdentity(t), newIdentity(t)
	data := writeBundle(t, Encrypt{Recipients: []string{camille.Recipient().String(), " " + sacha.Recipient().String() + "\n"}}, testManifest(), testEntries())
	for name, id := range map[string]*age.X25519Identity{"camille": camille, "sacha": sacha} {
		m, entries, err := readBundle(data, Decrypt{Identities: []age.Identity{newIdentity(t), id}})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sameManifest(t, m, testManifest())
		sameEntries(t, entries, testEntries())
	}
}

func TestAnEmptyBundleHoldsItsManifestAndNothingElse(t *testing.T) {
	id := newIdentity(t)
	m := testManifest()
	m.Clock = nil
	data := writeBundle(t, Encrypt{Recipients: []string{id.Recipient().String()}}, m, nil)
	got, entries, err := readBundle(data, Decrypt{Identities: []age.Identity{id}})
	if err != nil || len(entries) != 0 {
		t.Fatalf("%d entries, %v", len(entries), err)
	}
	if got.Clock == nil || len(got.Clock) != 0 {
		t.Errorf("clock %v, want an empty map", got.Clock)
	}
}

func TestTheWriterRefusesEntriesOutOfOrderAndInvalidOnes(t *testing.T) {
	id := newIdentity(t)
	w, err := NewWriter(io.Discard, Encrypt{Recipients: []string{id.Recipient().String()}}, testManifest())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Record(*testEntries()[3].Record); err != nil {
		t.Fatal(err)
	}
	if err := w.Erasure(store.Erasure{Subject: "x"}); err == nil {
		t.Error("an erasure after a record was written")
	}
	if err := w.Suppression(store.Suppression{Kind: "email", Hash: "ab"}); err == nil {
		t.Error("a suppression entry after a record was written")
	}
	bad := []store.Record{
		{Collection: "mem/ber", ID: "1", HLC: 1, Replica: "r", Data: json.RawMessage(`{}`)},
		{Collection: "member", ID: "", HLC: 1, Replica: "r", Data: json.RawMessage(`{}`)},
		{Collection: "member", ID: "1", HLC: 0, Replica: "r", Data: json.RawMessage(`{}`)},
		{Collection: "member", ID: "1", HLC: 1, Replica: "", Data: json.RawMessage(`{}`)},
		{Collection: "member", ID: "a\x00b", HLC: 1, Replica: "r", Data: json.RawMessage(`{}`)},
		{Collection: "member", ID: "1", HLC: 1, Replica: "r", Sealed: true, Data: json.RawMessage(`{}`)},
		{Collection: "member", ID: "1", HLC: 1, Replica: "r", Deleted: true, Data: json.RawMessage(`{}`)},
		{Collection: "member", ID: "1", HLC: 1, Replica: "r"},
	}
	for _, r := range bad {
		if err := w.Record(r); err == nil {
			t.Errorf("%+v was written", r)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Record(*testEntries()[3].Record); err == nil {
		t.Error("a record was written after Close")
	}
}

func TestEncryptTakesAPassphraseOrRecipientsButNotBothNorNeither(t *testing.T) {
	id := newIdentity(t)
	cases := map[string]Encrypt{
		"neither":    {},
		"both":       {Passphrase: "p", Recipients: []string{id.Recipient().String()}},
		"a bad key":  {Recipients: []string{id.Recipient().String(), "age1notakey"}},
		"a secret":   {Recipients: []string{id.String()}},
		"pq and not": {Recipients: []string{id.Recipient().String(), "age1pq1notreally"}},
	}
	for name, enc := range cases {
		_, err := NewWriter(io.Discard, enc, testManifest())
		if errs.KindOf(err) != errs.Invalid {
			t.Errorf("%s: %v, want an invalid input", name, err)
		}
	}
	_, err := NewWriter(io.Discard, cases["a bad key"], testManifest())
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "recipients[1]" || e.Fields[0].Code != "age_recipient" {
		t.Errorf("a bad recipient: %#v, want the field recipients[1] named", err)
	}
}

func TestTheWriterRefusesABadManifest(t *testing.T) {
	for name, change := range map[string]func(*Manifest){
		"no workspace":     func(m *Manifest) { m.Workspace = "" },
		"a short hash key": func(m *Manifest) { m.HashKey = m.HashKey[:16] },
		"no replica":       func(m *Manifest) { m.Replica = "" },
		"no schema":        func(m *Manifest) { m.Schema = 0 },
		"no date":          func(m *Manifest) { m.CreatedAt = time.Time{} },
	} {
		m := testManifest()
		change(&m)
		if _, err := NewWriter(io.Discard, Encrypt{Passphrase: "p", workFactor: testWorkFactor}, m); err == nil {
			t.Errorf("%s: written", name)
		}
	}
}

// sealPlain encrypts plain (a gzip stream, or anything) to id with age, as a hand-made bundle.
func sealPlain(t *testing.T, id *age.X25519Identity, plain []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(plain); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

// handLines is a bundle's content written by hand: the manifest, then lines.
func handLines(manifest string, lines ...string) []byte {
	if manifest == "" {
		manifest = `{"t":"manifest","format":"hearth-bundle","version":1,"schema":7,"workspace":"W","hashKey":"` +
			strings.Repeat("A", 43) + `=","replica":"R","teammate":"","createdAt":"2026-12-07T19:30:00Z","clock":{"R":5}}`
	}
	return []byte(manifest + "\n" + strings.Join(lines, "\n") + "\n")
}

// payloadStart is the offset of a bundle's first encrypted chunk: after the header and the
// 16-byte nonce.
func payloadStart(t *testing.T, data []byte) int {
	t.Helper()
	i := bytes.Index(data, []byte("\n--- "))
	if i < 0 {
		t.Fatal("no age header end")
	}
	return i + 1 + bytes.IndexByte(data[i+1:], '\n') + 1 + 16
}

func TestRefusedBundlesSayWhyAndNeverPanic(t *testing.T) {
	id := newIdentity(t)
	keyed := Encrypt{Recipients: []string{id.Recipient().String()}}
	opens := Decrypt{Identities: []age.Identity{id}}

	small := writeBundle(t, keyed, testManifest(), testEntries())
	// A bundle of several age chunks (64 KiB each): records that do not compress.
	var big []Entry
	for i := range 40 {
		noise := make([]byte, 6000)
		_, _ = rand.Read(noise)
		data, _ := json.Marshal(map[string][]byte{"noise": noise})
		big = append(big, Entry{Record: &store.Record{Collection: "activity", ID: strings.Repeat("x", i+1), HLC: 1, Replica: "R", Data: data}})
	}
	large := writeBundle(t, keyed, testManifest(), big)
	const chunk = 64<<10 + 16
	start := payloadStart(t, large)
	if len(large) < start+2*chunk {
		t.Fatalf("the large bundle is %d bytes: not several chunks", len(large))
	}
	passworded := writeBundle(t, Encrypt{Passphrase: "right", workFactor: testWorkFactor}, testManifest(), testEntries())

	flipped := bytes.Clone(large)
	flipped[len(flipped)/2] ^= 0x01
	// A changed stanza only reads as meant for another key; a changed MAC is damage.
	headerFlipped := bytes.Clone(small)
	headerFlipped[bytes.Index(small, []byte("\n--- "))+8] ^= 0x01
	random := make([]byte, 4096)
	_, _ = rand.Read(random)
	flipLast := func(b []byte) []byte {
		b = bytes.Clone(b)
		b[len(b)-20] ^= 0x01
		return b
	}

	rec := `{"t":"record","c":"member","id":"1","hlc":9,"replica":"R","data":{"a":1}}`
	cases := []struct {
		name string
		data []byte
		dec  Decrypt
		code string
	}{
		{"a wrong passphrase", passworded, Decrypt{Passphrase: "wrong"}, "bundle_wrong_passphrase"},
		{"a passphrase bundle given only a key", passworded, opens, "bundle_wrong_passphrase"},
		{"another identity", small, Decrypt{Identities: []age.Identity{newIdentity(t)}}, "bundle_wrong_key"},
		{"a key bundle given a passphrase", small, Decrypt{Passphrase: "right"}, "bundle_wrong_key"},
		{"an empty file", nil, opens, "bundle_truncated"},
		{"the start of the age intro", []byte("age-encr"), opens, "bundle_truncated"},
		{"truncated in the age header", small[:40], opens, "bundle_truncated"},
		{"truncated in the nonce", small[:payloadStart(t, small)-5], opens, "bundle_truncated"},
		{"truncated after the nonce", small[:payloadStart(t, small)], opens, "bundle_truncated"},
		{"truncated in the first chunk", large[:start+1000], opens, "bundle_truncated"},
		{"truncated exactly at the first chunk boundary", large[:start+chunk], opens, "bundle_truncated"},
		{"truncated exactly at the second chunk boundary", large[:start+2*chunk], opens, "bundle_truncated"},
		{"truncated one byte short", large[:len(large)-1], opens, "bundle_truncated"},
		{"truncated one byte short of a small one", small[:len(small)-1], opens, "bundle_truncated"},
		{"no end line, age intact", sealPlain(t, id, gzipped(handLines("", rec))), opens, "bundle_truncated"},
		{"an end line that counts more", sealPlain(t, id, gzipped(handLines("", rec, `{"t":"end","erasures":0,"suppressions":0,"records":2}`))), opens, "bundle_truncated"},
		{"gzip cut short, age intact", sealPlain(t, id, gzipped(handLines("", rec, `{"t":"end","erasures":0,"suppressions":0,"records":1}`))[:60]), opens, "bundle_truncated"},
		{"one byte flipped in the middle", flipped, opens, "bundle_damaged"},
		{"one byte flipped in the header", headerFlipped, opens, "bundle_damaged"},
		// Within the last chunk, a change cannot be told from a cut (see Reader.streamFailed).
		{"one byte flipped in the last chunk", flipLast(small), opens, "bundle_truncated"},
		{"a chunk's worth of bytes after the end", append(bytes.Clone(small), bytes.Repeat(random, 17)[:chunk]...), opens, "bundle_damaged"},
		{"a line after the end line", sealPlain(t, id, gzipped(handLines("", rec, `{"t":"end","erasures":0,"suppressions":0,"records":1}`, rec))), opens, "bundle_damaged"},
		{"a record before an erasure", sealPlain(t, id, gzipped(handLines("", rec, `{"t":"erasure","subject":"x","hlc":1}`, `{"t":"end","erasures":1,"suppressions":0,"records":1}`))), opens, "bundle_damaged"},
		{"an unknown line type", sealPlain(t, id, gzipped(handLines("", `{"t":"secret","x":1}`, `{"t":"end","erasures":0,"suppressions":0,"records":0}`))), opens, "bundle_damaged"},
		{"a line that is not JSON", sealPlain(t, id, gzipped(handLines("", `{"t":"record",`, `{"t":"end","erasures":0,"suppressions":0,"records":1}`))), opens, "bundle_damaged"},
		{"a collection with a slash", sealPlain(t, id, gzipped(handLines("", strings.Replace(rec, `"member"`, `"mem/ber"`, 1), `{"t":"end","erasures":0,"suppressions":0,"records":1}`))), opens, "bundle_damaged"},
		{"a line of two types", sealPlain(t, id, gzipped(handLines("", `{"t":"record","t":"erasure","subject":"x"}`, `{"t":"end","erasures":1,"suppressions":0,"records":0}`))), opens, "bundle_damaged"},
		{"gzip broken after its start", sealPlain(t, id, append(gzipped(handLines(""))[:20], bytes.Repeat([]byte{0xff}, 200)...)), opens, "bundle_damaged"},
		{"a newer version", sealPlain(t, id, gzipped(handLines(strings.Replace(string(handLines(""))[:len(handLines(""))-1], `"version":1`, `"version":2`, 1)))), opens, "bundle_newer_version"},
		{"version 0", sealPlain(t, id, gzipped(handLines(strings.Replace(string(handLines(""))[:len(handLines(""))-1], `"version":1`, `"version":0`, 1)))), opens, "bundle_not_hearth"},
		{"a manifest with a short hash key", sealPlain(t, id, gzipped(handLines(strings.Replace(string(handLines(""))[:len(handLines(""))-1], strings.Repeat("A", 43)+"=", "AAAA", 1)))), opens, "bundle_damaged"},
		{"random bytes", random, opens, "bundle_not_hearth"},
		{"a text file", []byte("hello\nworld\n"), opens, "bundle_not_hearth"},
		{"age holding no gzip", sealPlain(t, id, []byte("just text, no gzip\n")), opens, "bundle_not_hearth"},
		{"age holding nothing", sealPlain(t, id, nil), opens, "bundle_truncated"},
		{"gzip of something else", sealPlain(t, id, gzipped([]byte(`{"hello":"world"}`+"\n"))), opens, "bundle_not_hearth"},
		{"another format", sealPlain(t, id, gzipped(handLines(strings.Replace(string(handLines(""))[:len(handLines(""))-1], "hearth-bundle", "other", 1)))), opens, "bundle_not_hearth"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := readBundle(c.data, c.dec)
			if got := codeOf(err); got != c.code {
				t.Fatalf("%s (%v), want %s", got, err, c.code)
			}
			if errs.KindOf(err) != errs.Invalid {
				t.Errorf("kind %s, want invalid", errs.KindOf(err))
			}
		})
	}
}

func TestANewerVersionIsNamedInTheRefusalWhateverElseChanged(t *testing.T) {
	id := newIdentity(t)
	for _, m := range []string{
		strings.Replace(string(handLines(""))[:len(handLines(""))-1], `"version":1`, `"version":12`, 1),
		`{"t":"manifest","format":"hearth-bundle","version":12,"schema":"v12","clock":[1,2]}`,
	} {
		_, _, err := readBundle(sealPlain(t, id, gzipped(handLines(m))), Decrypt{Identities: []age.Identity{id}})
		var e *errs.Error
		if !errors.As(err, &e) || e.Code != "bundle_newer_version" || e.Params["version"] != "12" {
			t.Fatalf("%#v, want bundle_newer_version with version 12", err)
		}
	}
}

func TestARefusalStaysAndEveryEntryBeforeItWasWhole(t *testing.T) {
	id := newIdentity(t)
	rec := `{"t":"record","c":"member","id":"1","hlc":9,"replica":"R","data":{"a":1}}`
	r, err := Open(bytes.NewReader(sealPlain(t, id, gzipped(handLines("", rec)))), Decrypt{Identities: []age.Identity{id}})
	if err != nil {
		t.Fatal(err)
	}
	e, err := r.Next()
	if err != nil || e.Record == nil || string(e.Record.Data) != `{"a":1}` {
		t.Fatalf("%+v, %v", e, err)
	}
	for range 2 {
		if _, err := r.Next(); codeOf(err) != "bundle_truncated" {
			t.Fatalf("%v, want bundle_truncated every time", err)
		}
	}
}

func TestOpenNeedsSomethingToOpenWith(t *testing.T) {
	if _, err := Open(bytes.NewReader(nil), Decrypt{}); errs.KindOf(err) != errs.Invalid {
		t.Errorf("%v, want invalid input", err)
	}
}

func TestAnArmoredBundleOpens(t *testing.T) {
	id := newIdentity(t)
	data := writeBundle(t, Encrypt{Recipients: []string{id.Recipient().String()}}, testManifest(), testEntries())
	// The armour is age's: its header line, base64 at 64 columns, its footer.
	var armored bytes.Buffer
	armored.WriteString("-----BEGIN AGE ENCRYPTED FILE-----\n")
	b64 := base64Std(data)
	for len(b64) > 64 {
		armored.WriteString(b64[:64] + "\n")
		b64 = b64[64:]
	}
	armored.WriteString(b64 + "\n-----END AGE ENCRYPTED FILE-----\n")
	_, entries, err := readBundle(armored.Bytes(), Decrypt{Identities: []age.Identity{id}})
	if err != nil {
		t.Fatal(err)
	}
	sameEntries(t, entries, testEntries())
}

type failingReader struct{ r io.Reader }

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errors.New("disk on fire")
	}
	return n, err
}

func TestAFileThatCannotBeReadIsSaidSo(t *testing.T) {
	id := newIdentity(t)
	data := writeBundle(t, Encrypt{Recipients: []string{id.Recipient().String()}}, testManifest(), testEntries())
	for _, cut := range []int{0, 30, payloadStart(t, data) + 10, len(data)} {
		r, err := Open(&failingReader{bytes.NewReader(data[:cut])}, Decrypt{Identities: []age.Identity{id}})
		if err == nil {
			_, _, err = drain(r)
		}
		if codeOf(err) != "bundle_unreadable" {
			t.Errorf("cut at %d: %v, want bundle_unreadable", cut, err)
		}
	}
}

// A line far longer than MaxLine is refused as damaged while reading it, not after holding it.
func TestAHundredMegabyteLineIsRefusedAsDamagedWithoutBeingHeld(t *testing.T) {
	id := newIdentity(t)
	pr, pw := io.Pipe()
	go func() {
		aw, err := age.Encrypt(pw, id.Recipient())
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		zw, _ := gzip.NewWriterLevel(aw, gzip.BestSpeed)
		_, _ = zw.Write(handLines(""))
		_, _ = zw.Write([]byte(`{"t":"record","c":"member","id":"1","hlc":9,"replica":"R","data":"`))
		piece := bytes.Repeat([]byte("a"), 1<<20)
		for range 100 {
			if _, err := zw.Write(piece); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		_, _ = zw.Write([]byte("\"}\n"))
		_ = zw.Close()
		_ = aw.Close()
		pw.Close()
	}()
	var before, after runtimeMem
	before.read()
	r, err := Open(pr, Decrypt{Identities: []age.Identity{id}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Next()
	after.read()
	_ = pr.CloseWithError(errors.New("done"))
	if codeOf(err) != "bundle_damaged" {
		t.Fatalf("%v, want bundle_damaged", err)
	}
	// The writer's goroutine allocates too; both stay far below the line's 100 MB.
	if grew := after.totalAlloc - before.totalAlloc; grew > 80<<20 {
		t.Errorf("reading allocated %d MB", grew>>20)
	}
}

func base64Std(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

type runtimeMem struct{ totalAlloc uint64 }

func (m *runtimeMem) read() {
	var s runtime.MemStats
	runtime.ReadMemStats(&s)
	m.totalAlloc = s.TotalAlloc
}

// TestAnAbandonedBundleReadsAsTruncated: a writer stopped part way (the workspace could not be
// read to the end) leaves no end line: the bytes written are refused as truncated, never taken
// for a whole, smaller bundle.
func TestAnAbandonedBundleReadsAsTruncated(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Encrypt{Recipients: []string{id.Recipient().String()}}, testManifest())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range testEntries()[:3] {
		switch {
		case e.Erasure != nil:
			err = w.Erasure(*e.Erasure)
		case e.Suppression != nil:
			err = w.Suppression(*e.Suppression)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	w.Abandon()
	_, _, err = readBundle(buf.Bytes(), Decrypt{Identities: []age.Identity{id}})
	if e := errs.From(err); err == nil || e.Code != "bundle_truncated" {
		t.Fatalf("an abandoned bundle reads as %v, want bundle_truncated", err)
	}
}
