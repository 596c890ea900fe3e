package application

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/osisim/osisim/layers"
)

// MaxCapability is the longest capability line, CRLF included (RFC 2449
// section 5: "512 octets maximum").
const MaxCapability = 512

// Capabilities is the body of a CAPA reply (RFC 2449 section 5): one
// capability per line, a tag and its parameters separated by single spaces,
// such as "TOP" or "IMPLEMENTATION osisim".
type Capabilities []string

// Append appends "TOP" CRLF "UIDL" CRLF ... to dst (before byte-stuffing).
func (c Capabilities) Append(dst []byte) []byte {
	for _, l := range c {
		dst = append(append(dst, l...), '\r', '\n')
	}
	return dst
}

// Size returns the listing's octets.
func (c Capabilities) Size() int64 {
	var n int64
	for _, l := range c {
		n += int64(len(l)) + 2
	}
	return n
}

// Reader returns the listing's octets.
func (c Capabilities) Reader() io.Reader { return bytes.NewReader(c.Append(nil)) }

// Summary returns "capability list of 6 lines (61 B)".
func (c Capabilities) Summary() string {
	return fmt.Sprintf("capability list of %s (%d B)", layers.Plural(len(c), "line"), c.Size())
}

// Has reports whether the list holds the capability tag, compared without
// case (RFC 2449 section 5: "case-insensitive").
func (c Capabilities) Has(tag string) bool {
	for _, l := range c {
		t, _, _ := strings.Cut(l, " ")
		if strings.EqualFold(t, tag) {
			return true
		}
	}
	return false
}

// ParseCapabilities parses the body of a CAPA reply, after un-stuffing.
// Per RFC 2449 section 5 each line is
//
//	capability = capa-tag *(SP param) CRLF   ; 512 octets maximum
//	capa-tag   = 1*cchar                     ; printable US-ASCII but "."
//	param      = 1*pchar                     ; printable US-ASCII
func ParseCapabilities(b []byte) (Capabilities, error) {
	var c Capabilities
	for len(b) > 0 {
		i := bytes.Index(b, []byte("\r\n"))
		if i < 0 {
			return nil, fmt.Errorf("%w: capability line %q does not end with CRLF", ErrSyntax, clip(b))
		}
		line := b[:i]
		b = b[i+2:]
		if i+2 > MaxCapability {
			return nil, fmt.Errorf("%w: capability line of %d octets, at most %d with CRLF", ErrSyntax, i+2, MaxCapability)
		}
		for k, w := range bytes.Split(line, []byte{' '}) {
			if len(w) == 0 {
				return nil, fmt.Errorf("%w: capability line %q: a tag and its parameters are separated by single spaces", ErrSyntax, clip(line))
			}
			for _, ch := range w {
				if ch < 0x21 || ch > 0x7f || (k == 0 && ch == '.') {
					return nil, fmt.Errorf("%w: capability line %q has the octet 0x%02x in its %s", ErrSyntax, clip(line), ch, tagOrParam(k))
				}
			}
		}
		c = append(c, string(line))
	}
	return c, nil
}

func tagOrParam(k int) string {
	if k == 0 {
		return "tag"
	}
	return "parameters"
}
