package bundle

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"hearth/backend/errs"
)

// FuzzOpen feeds the reader's plain layer (what age decrypts to) with arbitrary content: age
// itself refuses a changed ciphertext before any of it reaches the parser, so fuzzing the
// ciphertext would test age, not Hearth. Each input is read twice: gzipped (so the JSON lines
// parser sees it) and as it is (so the gzip layer does). Whatever it is, reading must end in
// io.EOF or a bundle refusal, never a panic or an unclassified error; and what is accepted
// must write back and read again the same. The seed corpus is testdata/fuzz/FuzzOpen.
func FuzzOpen(f *testing.F) {
	f.Add([]byte(handBundle))
	f.Fuzz(func(t *testing.T, content []byte) {
		for _, in := range [][]byte{gzipped(content), content} {
			m, entries, err := readPlain(in)
			if err != nil {
				if e := errs.From(err); e.Kind != errs.Invalid || !strings.HasPrefix(e.Code, "bundle_") {
					t.Fatalf("not a bundle refusal: %#v", err)
				}
				continue
			}
			// Accepted: the writer takes it all, and reading its bundle gives the same again.
			var buf bytes.Buffer
			w, err := newPlainWriter(&buf, m)
			if err != nil {
				t.Fatalf("the writer refuses an accepted manifest: %v", err)
			}
			writeEntries(t, w, entries)
			m2, entries2, err := readPlain(buf.Bytes())
			if err != nil {
				t.Fatalf("a rewritten bundle is refused: %v", err)
			}
			sameManifest(t, m2, m)
			sameEntries(t, entries2, entries)
		}
	})
}

func readPlain(in []byte) (Manifest, []Entry, error) {
	r, err := openPlain(&recorder{r: bytes.NewReader(in)}, nil)
	if err != nil {
		return Manifest{}, nil, err
	}
	return drain(r)
}

// The fuzz target's own check that its seed corpus is what it is meant to be: the hand-made
// bundle reads whole, and the plain layer of a written one too.
func TestThePlainLayerOfABundleReadsBackWhole(t *testing.T) {
	m, entries, err := readPlain(gzipped([]byte(handBundle)))
	if err != nil {
		t.Fatal(err)
	}
	checkHandBundle(t, m, entries)

	var buf bytes.Buffer
	w, err := newPlainWriter(&buf, testManifest())
	if err != nil {
		t.Fatal(err)
	}
	writeEntries(t, w, testEntries())
	m, entries, err = readPlain(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	sameManifest(t, m, testManifest())
	sameEntries(t, entries, testEntries())
	if _, err := json.Marshal(entries); err != nil {
		t.Fatal(err)
	}
	if _, _, err := readPlain(buf.Bytes()[:buf.Len()-3]); codeOf(err) != "bundle_truncated" {
		t.Errorf("gzip cut short: %v, want bundle_truncated", err)
	}
	if _, _, err := readPlain(nil); err == nil || err == io.EOF {
		t.Errorf("nothing: %v", err)
	}
}
