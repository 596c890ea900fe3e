package presentation

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"
)

// Line lengths of the header (RFC 5322 section 2.1.1: lines SHOULD be at most
// 78 characters; RFC 2047 section 2: a line holding an encoded-word is at
// most 76 characters, and an encoded-word at most 75).
const (
	headerLineMax  = 78
	encodedLineMax = 76
	encodedWordMax = 75
)

// The fields that describe the transfer syntax (RFC 2045 sections 4 to 6):
// Encode writes them, and the canonical form of a mail leaves them out.
func isMIMEField(name string) bool {
	return strings.EqualFold(name, "MIME-Version") ||
		strings.EqualFold(name, "Content-Type") ||
		strings.EqualFold(name, "Content-Transfer-Encoding")
}

// cleanName returns a usable field name: RFC 5322 section 2.2 allows the
// printable US-ASCII characters except ":"; any other octet becomes "-".
func cleanName(n string) string {
	ok := n != ""
	for i := 0; i < len(n) && ok; i++ {
		ok = n[i] >= 33 && n[i] <= 126 && n[i] != ':'
	}
	if ok {
		return n
	}
	if n == "" {
		return "X-Empty"
	}
	b := []byte(n)
	for i, c := range b {
		if c < 33 || c > 126 || c == ':' {
			b[i] = '-'
		}
	}
	return string(b)
}

// cleanValue returns a field value in the form both sides agree on: valid
// UTF-8, no CR or LF (a field body holds them only to fold, RFC 5322
// section 2.2), and no leading or trailing white space.
func cleanValue(v string) string {
	if !utf8.ValidString(v) {
		v = strings.ToValidUTF8(v, "\uFFFD")
	}
	if strings.ContainsAny(v, "\r\n") {
		v = strings.Map(func(r rune) rune {
			if r == '\r' || r == '\n' {
				return ' '
			}
			return r
		}, v)
	}
	return strings.Trim(v, " \t")
}

// needsEncoding reports whether a word of a field value must travel as an
// RFC 2047 encoded-word: it holds something other than printable US-ASCII,
// looks like an encoded-word itself, or is too long to fit a folded line.
func needsEncoding(w string) bool {
	if len(w) > headerLineMax-1 || strings.Contains(w, "=?") {
		return true
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 0x21 || w[i] > 0x7e {
			return true
		}
	}
	return false
}

// fieldEncoder writes header fields, folding them and encoding the words
// that need it.
type fieldEncoder struct {
	dst    []byte
	line   int // characters on the current line
	limit  int
	folded bool // a fold was just written, with its space
}

// appendField appends "Name: value" CRLF, folded, to dst, and returns it
// with the encoded-words used (if any). The value is written in words
// separated by single spaces; runs of words that need encoding become
// encoded-words ("=?UTF-8?B?...?=", RFC 2047 section 4.1, as
// mime.BEncoding writes them) that hold whole characters only (section 5)
// and are split to fit the lines. The white space between two adjacent
// encoded-words is not part of the text (section 6.2), so a run of words is
// encoded with the spaces inside it.
func appendField(dst []byte, name, value string) ([]byte, []string) {
	words := strings.Split(value, " ")
	type atom struct {
		text    string
		encoded bool
	}
	var atoms []atom
	if value != "" {
		for i := 0; i < len(words); {
			if !needsEncoding(words[i]) {
				atoms = append(atoms, atom{words[i], false})
				i++
				continue
			}
			// Extend the run over empty words (double spaces) as long as
			// another word needing encoding follows.
			j := i + 1
			for k := j; k < len(words); k++ {
				if words[k] == "" {
					continue
				}
				if needsEncoding(words[k]) {
					j = k + 1
					continue
				}
				break
			}
			atoms = append(atoms, atom{strings.Join(words[i:j], " "), true})
			i = j
		}
	}
	e := fieldEncoder{dst: dst, line: len(name) + 1, limit: headerLineMax}
	for _, a := range atoms {
		if a.encoded {
			e.limit = encodedLineMax
		}
	}
	e.dst = append(append(e.dst, name...), ':')
	var used []string
	for _, a := range atoms {
		if !a.encoded {
			e.put(a.text)
			continue
		}
		for rest := a.text; rest != ""; {
			avail := e.limit - e.line
			if !e.folded {
				avail-- // the space before the word
			}
			if avail < 12+8 { // room for one 4-octet character
				e.fold()
				avail = e.limit - e.line
			}
			avail = min(avail, encodedWordMax)
			maxBytes := 3 * ((avail - 12) / 4)
			n := 0
			for n < len(rest) {
				_, size := utf8.DecodeRuneInString(rest[n:])
				if n > 0 && n+size > maxBytes {
					break
				}
				n += size
			}
			w := "=?UTF-8?B?" + base64.StdEncoding.EncodeToString([]byte(rest[:n])) + "?="
			used = append(used, w)
			e.put(w)
			rest = rest[n:]
		}
	}
	return append(e.dst, '\r', '\n'), used
}

// put writes one word, after a space, folding first if the line would get
// too long.
func (e *fieldEncoder) put(w string) {
	switch {
	case e.folded:
	case e.line+1+len(w) > e.limit:
		e.fold()
	default:
		e.dst = append(e.dst, ' ')
		e.line++
	}
	e.folded = false
	e.dst = append(e.dst, w...)
	e.line += len(w)
}

// fold starts a continuation line: CRLF then the space that separates the
// words (RFC 5322 section 2.2.3).
func (e *fieldEncoder) fold() {
	e.dst = append(e.dst, "\r\n "...)
	e.line = 1
	e.folded = true
}
