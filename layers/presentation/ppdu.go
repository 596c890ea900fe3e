package presentation

import (
	"fmt"
	"strconv"

	"github.com/osisim/osisim/layers"
)

// PPDU describes one presentation protocol data unit of the TCP/IP profile:
// a unit of the application's data in its transfer syntax. It has no header:
// the transfer syntax is announced inside the data (the MIME header of a
// mail), not by the presentation layer.
type PPDU struct {
	Syntax           string // "RFC 5322 + MIME", "US-ASCII line", "US-ASCII lines"
	ContentType      string // "text/plain; charset=UTF-8" for a mail, else ""
	TransferEncoding string // "base64", "quoted-printable", "7bit" for a mail
	Octets           int64  // octets in the transfer syntax, before byte-stuffing
	Stuffed          int64  // lines byte-stuffed, or -1 for a unit that is not a multi-line block
}

// LinePPDU describes a command or reply line of n octets, CRLF included.
func LinePPDU(n int) PPDU {
	return PPDU{Syntax: "US-ASCII line", Octets: int64(n), Stuffed: -1}
}

// BlockPPDU describes a multi-line block of plain lines (a POP3 scan
// listing) of octets octets before stuffing, of which stuffed lines were
// byte-stuffed.
func BlockPPDU(octets, stuffed int64) PPDU {
	return PPDU{Syntax: "US-ASCII lines", Octets: octets, Stuffed: stuffed}
}

// PPDU describes the encoded mail; stuffed is the number of lines
// byte-stuffed (see Stuffer.Stuffed), or -1 if not known yet.
func (e *Encoded) PPDU(stuffed int64) PPDU {
	return PPDU{Syntax: "RFC 5322 + MIME", ContentType: "text/plain; charset=UTF-8",
		TransferEncoding: e.te.String(), Octets: e.size, Stuffed: stuffed}
}

// PPDU describes the decoded mail; stuffed as for Encoded.PPDU.
func (r Result) PPDU(stuffed int64) PPDU {
	ct := r.ContentType
	if r.Charset != "" {
		ct += "; charset=" + r.Charset
	}
	return PPDU{Syntax: "RFC 5322 + MIME", ContentType: ct, TransferEncoding: r.TransferEncoding, Octets: r.Octets, Stuffed: stuffed}
}

// Summary returns one line for the trace, such as "PPDU mail, RFC 5322 +
// MIME: text/plain; charset=UTF-8, base64, 2,941 B (no presentation header)".
func (p PPDU) Summary() string {
	var what string
	switch {
	case p.ContentType != "":
		what = fmt.Sprintf("PPDU mail, %s: %s, %s, %s B", p.Syntax, p.ContentType, p.TransferEncoding, layers.Thousands(p.Octets))
	default:
		what = fmt.Sprintf("PPDU %s, %s B", p.Syntax, layers.Thousands(p.Octets))
	}
	if p.Stuffed > 0 {
		what += fmt.Sprintf(", %s lines byte-stuffed", layers.Thousands(p.Stuffed))
	}
	return what + " (no presentation header)"
}

// Fields returns the PPDU's logical fields; none of them is a header on the
// wire.
func (p PPDU) Fields() []layers.Field {
	f := []layers.Field{{Name: "Transfer syntax", Value: p.Syntax}}
	if p.ContentType != "" {
		f = append(f,
			layers.Field{Name: "Content-Type", Value: p.ContentType},
			layers.Field{Name: "Content-Transfer-Encoding", Value: p.TransferEncoding})
	}
	f = append(f, layers.Field{Name: "Length", Value: strconv.FormatInt(p.Octets, 10)})
	if p.Stuffed >= 0 {
		f = append(f, layers.Field{Name: "Lines byte-stuffed", Value: strconv.FormatInt(p.Stuffed, 10)})
	}
	return append(f, layers.Field{Name: "Header", Value: "none (TCP/IP profile)"})
}

// HeaderLen returns 0: the TCP/IP profile adds no presentation header.
func (p PPDU) HeaderLen() int { return 0 }
