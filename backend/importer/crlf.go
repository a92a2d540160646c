package importer

import (
	"strings"

	"golang.org/x/text/transform"
)

// crMark stands for a carriage return kept inside a quoted field. encoding/csv turns every
// "\r\n" into "\n", including the line breaks of a quoted field (csv-spectrum newlines_crlf),
// so keepQuotedCR hides those CRs from it and restoreCR puts them back. 0xFF never occurs in
// the UTF-8 text the decoders produce, so the mark cannot be mistaken for data.
const crMark = '\xff'

// Quote states of keepQuotedCR, following encoding/csv with LazyQuotes: a field is quoted only
// when a quote is its first byte; inside, a quote followed by anything but a quote, the
// delimiter or the end of the line is a literal quote.
const (
	atFieldStart = iota
	inUnquoted
	inQuoted
	afterQuote // a quote seen inside a quoted field: closing, doubled or literal
)

// keepQuotedCR replaces the CR of each "\r\n" inside a quoted field with crMark.
type keepQuotedCR struct {
	delim byte
	state int
}

func (k *keepQuotedCR) Reset() { k.state = atFieldStart }

func (k *keepQuotedCR) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		if nDst >= len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		b := src[nSrc]
		if b == '\r' && (k.state == inQuoted || k.state == afterQuote) {
			if nSrc+1 == len(src) && !atEOF {
				return nDst, nSrc, transform.ErrShortSrc // is a "\n" next?
			}
			crlf := nSrc+1 < len(src) && src[nSrc+1] == '\n'
			switch {
			case k.state == inQuoted && crlf:
				b = crMark
			case k.state == afterQuote && crlf:
				k.state = atFieldStart // the record ends; the "\n" changes nothing more
			case k.state == afterQuote:
				k.state = inQuoted // lazy: the quote was literal
			}
			dst[nDst] = b
			nDst++
			nSrc++
			continue
		}
		switch k.state {
		case atFieldStart:
			switch b {
			case '"':
				k.state = inQuoted
			case k.delim, '\n':
			default:
				k.state = inUnquoted
			}
		case inUnquoted:
			if b == k.delim || b == '\n' {
				k.state = atFieldStart
			}
		case inQuoted:
			if b == '"' {
				k.state = afterQuote
			}
		case afterQuote:
			switch b {
			case k.delim, '\n':
				k.state = atFieldStart
			default: // a doubled quote, or a literal one
				k.state = inQuoted
			}
		}
		dst[nDst] = b
		nDst++
		nSrc++
	}
	return nDst, nSrc, nil
}

// restoreCR turns the marks keepQuotedCR left back into carriage returns.
func restoreCR(rec []string) {
	for i, f := range rec {
		if strings.IndexByte(f, crMark) >= 0 {
			rec[i] = strings.ReplaceAll(f, string([]byte{crMark}), "\r")
		}
	}
}
