package application

import (
	"bytes"
	"fmt"
	"io"
	"strconv"

	"github.com/osisim/osisim/layers"
)

// MaxUID is the longest unique-id (RFC 1939 section 7, UIDL: "The
// unique-id of a message ... consists of one to 70 characters in the range
// 0x21 to 0x7E").
const MaxUID = 70

// UIDLine is one line of a unique-id listing: a message number and the
// message's unique-id (RFC 1939 section 7, UIDL).
type UIDLine struct {
	N   int
	UID string
}

// UIDListing is the body of a multi-line UIDL reply.
type UIDListing []UIDLine

// Append appends "1 0f2c5e7a9b3d4c1e" CRLF ... to dst (before
// byte-stuffing).
func (l UIDListing) Append(dst []byte) []byte {
	for _, u := range l {
		dst = strconv.AppendInt(dst, int64(u.N), 10)
		dst = append(dst, ' ')
		dst = append(dst, u.UID...)
		dst = append(dst, '\r', '\n')
	}
	return dst
}

// Size returns the listing's octets.
func (l UIDListing) Size() int64 {
	var n int64
	for _, u := range l {
		n += int64(len(strconv.Itoa(u.N))+len(u.UID)) + 3
	}
	return n
}

// Reader returns the listing's octets.
func (l UIDListing) Reader() io.Reader { return bytes.NewReader(l.Append(nil)) }

// Summary returns "unique-id listing of 2 messages (42 B)".
func (l UIDListing) Summary() string {
	return fmt.Sprintf("unique-id listing of %s (%d B)", layers.Plural(len(l), "message"), l.Size())
}

// validUID reports whether u is a unique-id of RFC 1939: 1 to 70
// characters from 0x21 to 0x7E.
func validUID(u []byte) bool {
	if len(u) < 1 || len(u) > MaxUID {
		return false
	}
	for _, c := range u {
		if c < 0x21 || c > 0x7e {
			return false
		}
	}
	return true
}

// ParseUIDLine parses "2 QhdPYR:00WBw1Ph7x7": the text of a "+OK" reply to
// UIDL with an argument, or one line of a listing without its CRLF.
func ParseUIDLine(s []byte) (UIDLine, error) {
	sp := bytes.IndexByte(s, ' ')
	if sp < 1 {
		return UIDLine{}, fmt.Errorf("%w: unique-id line %q is not \"number unique-id\"", ErrSyntax, clip(s))
	}
	n, err := strconv.Atoi(string(s[:sp]))
	if err != nil || n < 1 || s[0] == '+' {
		return UIDLine{}, fmt.Errorf("%w: unique-id line %q has no valid message number", ErrSyntax, clip(s))
	}
	if u := s[sp+1:]; !validUID(u) {
		return UIDLine{}, fmt.Errorf("%w: unique-id line %q: a unique-id is 1 to %d characters from 0x21 to 0x7E", ErrSyntax, clip(s), MaxUID)
	}
	return UIDLine{N: n, UID: string(s[sp+1:])}, nil
}

// ParseUIDListing parses the body of a UIDL reply, after un-stuffing:
// lines of a message number, a space and a unique-id, each ending in CRLF.
func ParseUIDListing(b []byte) (UIDListing, error) {
	var l UIDListing
	for len(b) > 0 {
		i := bytes.Index(b, []byte("\r\n"))
		if i < 0 {
			return nil, fmt.Errorf("%w: unique-id line %q does not end with CRLF", ErrSyntax, clip(b))
		}
		u, err := ParseUIDLine(b[:i])
		if err != nil {
			return nil, err
		}
		b = b[i+2:]
		l = append(l, u)
	}
	return l, nil
}
