package presentation

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"strings"
	"unicode/utf8"
)

// Hash returns the SHA-256 of the mail's canonical form, which the Decoder's
// Result.Hash equals when the mail arrives intact, whatever transfer
// encoding it travelled in.
//
// The canonical form is, in UTF-8:
//
//  1. for each header field in order, except MIME-Version, Content-Type and
//     Content-Transfer-Encoding (which describe the transfer syntax, not the
//     mail): the field name in lower case, ":", the value, "\n". The value
//     is the Unicode text (after RFC 2047 decoding and unfolding), with
//     invalid UTF-8 replaced by U+FFFD, CR and LF replaced by a space, and
//     leading and trailing spaces and tabs removed; a field name's octets
//     outside printable US-ASCII (and ":") are replaced by "-";
//  2. "\n", ending the header;
//  3. the body, with every line break (CRLF, or a lone CR or LF) written as
//     "\n", and a final "\n" added if the body is not empty and does not end
//     with one (RFC 2046 section 4.1.1: in text, a line break is CRLF; a
//     missing final one carries no meaning).
func Hash(m Mail) [32]byte {
	h := sha256.New()
	writeCanonicalHeader(h, m.Header)
	s := newTextSink(h)
	r := m.Body.Reader()
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		s.write(buf[:n])
		if err != nil {
			break
		}
	}
	s.finish()
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// writeCanonicalHeader writes parts 1 and 2 of the canonical form.
func writeCanonicalHeader(w io.Writer, fields []HeaderField) {
	var b []byte
	for _, f := range fields {
		if isMIMEField(f.Name) {
			continue
		}
		b = append(b, strings.ToLower(cleanName(f.Name))...)
		b = append(b, ':')
		b = append(b, cleanValue(f.Value)...)
		b = append(b, '\n')
	}
	b = append(b, '\n')
	w.Write(b)
}

// sampleMax is how many octets of a body's start are kept as a sample.
const sampleMax = 96

var lf = []byte{'\n'}

// textSink takes a body's text in chunks, writes its canonical form (part 3
// above) to a hash, and counts octets, characters and lines, checks that it
// is UTF-8 and keeps its first octets as a sample.
type textSink struct {
	h       hash.Hash
	cr      bool // the last octet was a CR, already written as "\n"
	octets  int64
	breaks  int64
	chars   int64
	last    byte
	pend    [utf8.UTFMax]byte // an incomplete UTF-8 sequence at the end of a chunk
	npend   int
	bad     int64 // octet offset of the first invalid UTF-8, or -1
	sample  []byte
	flushed bool
	buf     []byte
}

func newTextSink(h hash.Hash) *textSink {
	return &textSink{h: h, bad: -1, sample: make([]byte, 0, sampleMax)}
}

// write takes the next chunk of text.
func (s *textSink) write(p []byte) {
	if len(p) == 0 {
		return
	}
	if s.cr && p[0] == '\n' {
		p = p[1:]
	}
	s.cr = false
	i := bytes.IndexByte(p, '\r')
	if i < 0 {
		s.emit(p)
		return
	}
	// Write CRLF and a lone CR as LF, in a copy.
	b := append(s.buf[:0], p[:i]...)
	for p = p[i:]; len(p) > 0; {
		// p starts with CR.
		b = append(b, '\n')
		p = p[1:]
		if len(p) == 0 {
			s.cr = true
			break
		}
		if p[0] == '\n' {
			p = p[1:]
		}
		i = bytes.IndexByte(p, '\r')
		if i < 0 {
			i = len(p)
		}
		b = append(b, p[:i]...)
		p = p[i:]
	}
	s.buf = b
	s.emit(b)
}

// emit takes canonical text.
func (s *textSink) emit(p []byte) {
	if len(p) == 0 {
		return
	}
	s.h.Write(p)
	if len(s.sample) < sampleMax {
		s.sample = append(s.sample, p[:min(len(p), sampleMax-len(s.sample))]...)
	}
	s.breaks += int64(bytes.Count(p, lf))
	s.validate(p)
	s.octets += int64(len(p))
	s.last = p[len(p)-1]
}

// validate checks that p, which continues the earlier text, is UTF-8,
// carrying a sequence cut by a chunk boundary over to the next call, and
// counts its characters.
func (s *textSink) validate(p []byte) {
	s.chars += countLeads(p)
	off := s.octets
	if s.npend > 0 {
		need := 2
		switch c := s.pend[0]; {
		case c >= 0xF0:
			need = 4
		case c >= 0xE0:
			need = 3
		}
		k := min(need-s.npend, len(p))
		copy(s.pend[s.npend:], p[:k])
		s.npend += k
		p = p[k:]
		off += int64(k)
		if s.npend < need {
			return
		}
		if r, _ := utf8.DecodeRune(s.pend[:need]); r == utf8.RuneError {
			s.invalid(off - int64(need))
		}
		s.npend = 0
	}
	// Hold back an incomplete sequence at the end of p.
	cut := len(p)
	for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax; i-- {
		if c := p[i]; c < 0x80 {
			break
		} else if c >= 0xC0 {
			if !utf8.FullRune(p[i:]) {
				cut = i
			}
			break
		}
	}
	if body := p[:cut]; !utf8.Valid(body) {
		for i := 0; i < len(body); {
			r, size := utf8.DecodeRune(body[i:])
			if r == utf8.RuneError && size <= 1 {
				s.invalid(off + int64(i))
				break
			}
			i += size
		}
	}
	s.npend = copy(s.pend[:], p[cut:])
}

// countLeads counts the octets of p that start a character: in valid UTF-8,
// its characters, however the text is cut into chunks.
func countLeads(p []byte) int64 {
	var n int64
	for _, c := range p {
		if c&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

func (s *textSink) invalid(at int64) {
	if s.bad < 0 {
		s.bad = at
	}
}

// finish ends the text: it adds the final line break of the canonical form
// and reports invalid UTF-8.
func (s *textSink) finish() error {
	if !s.flushed {
		s.flushed = true
		if s.npend > 0 {
			s.invalid(s.octets - int64(s.npend))
			s.npend = 0
		}
		if s.octets > 0 && s.last != '\n' {
			s.emit(lf)
		}
	}
	if s.bad >= 0 {
		return fmt.Errorf("presentation: body is not valid UTF-8 at octet %d of the decoded text", s.bad)
	}
	return nil
}

// sampleText returns the sample cut at a character boundary.
func (s *textSink) sampleText() string {
	b := s.sample
	for len(b) > 0 && !utf8.Valid(b) {
		b = b[:len(b)-1]
	}
	return string(b)
}
