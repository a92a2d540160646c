package importer

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"hearth/backend/errs"
)

// The encodings Info.Encoding reports.
const (
	EncodingUTF8        = "utf-8"
	EncodingUTF8BOM     = "utf-8-bom"
	EncodingUTF16LE     = "utf-16le"
	EncodingUTF16BE     = "utf-16be"
	EncodingWindows1252 = "windows-1252"
)

// decode detects the encoding of the text in raw from its first bytes (head) and returns a
// reader of the same text in UTF-8.
//
// Excel writes UTF-16 with a BOM ("Unicode text"), UTF-8 with a BOM ("CSV UTF-8") or the
// Windows code page (plain "CSV" on a French or English Windows: Windows-1252). A file whose
// sample is valid UTF-8 is read as UTF-8, but a stray invalid byte further on is still read as
// Windows-1252 rather than lost: the sample cannot see the whole file.
func decode(raw *bufio.Reader, head []byte) (string, io.Reader, error) {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = raw.Discard(3)
		return EncodingUTF8BOM, transform.NewReader(raw, utf8Fallback{}), nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return EncodingUTF16LE, transform.NewReader(raw, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return EncodingUTF16BE, transform.NewReader(raw, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()), nil
	}
	if e, ok := utf16WithoutBOM(head); ok {
		order := unicode.LittleEndian
		if e == EncodingUTF16BE {
			order = unicode.BigEndian
		}
		return e, transform.NewReader(raw, unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder()), nil
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return "", nil, errs.New(errs.Invalid, "import_unreadable", "importer: the file is not text (binary data)")
	}
	sample := head
	if len(head) == sampleSize { // the sample may end in the middle of a rune
		for i := len(head) - 1; i >= 0 && i >= len(head)-utf8.UTFMax; i-- {
			if utf8.RuneStart(head[i]) {
				if !utf8.FullRune(head[i:]) {
					sample = head[:i]
				}
				break
			}
		}
	}
	if utf8.Valid(sample) {
		return EncodingUTF8, transform.NewReader(raw, utf8Fallback{}), nil
	}
	return EncodingWindows1252, transform.NewReader(raw, charmap.Windows1252.NewDecoder()), nil
}

// utf16WithoutBOM recognises UTF-16 text without a BOM from its zero bytes: mostly-ASCII text
// has a zero in every other byte.
func utf16WithoutBOM(head []byte) (string, bool) {
	n := min(len(head), 1024) &^ 1
	if n < 4 {
		return "", false
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd*10 >= pairs*4 && even*20 < pairs:
		return EncodingUTF16LE, true
	case even*10 >= pairs*4 && odd*20 < pairs:
		return EncodingUTF16BE, true
	}
	return "", false
}

// utf8Fallback passes valid UTF-8 through and reads each invalid byte as Windows-1252.
type utf8Fallback struct{ transform.NopResetter }

func (utf8Fallback) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		b := src[nSrc]
		if b < utf8.RuneSelf {
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = b
			nDst++
			nSrc++
			continue
		}
		r, size := utf8.DecodeRune(src[nSrc:])
		if r == utf8.RuneError && size == 1 {
			if !atEOF && !utf8.FullRune(src[nSrc:]) {
				return nDst, nSrc, transform.ErrShortSrc
			}
			r = charmap.Windows1252.DecodeByte(b)
		}
		if nDst+utf8.RuneLen(r) > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += utf8.EncodeRune(dst[nDst:], r)
		nSrc += size
	}
	return nDst, nSrc, nil
}
