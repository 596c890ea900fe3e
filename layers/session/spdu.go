package session

import (
	"fmt"
	"strconv"

	"github.com/osisim/osisim/layers"
)

// SPDU describes one session protocol data unit of the TCP/IP profile: a
// framed unit (or one piece of a long unit) of the application's octets.
// It has no header: the session functions live in the application protocol,
// so the SPDU's octets are exactly its user data.
type SPDU struct {
	Session int
	Speaker Role
	Unit    Unit
	Len     int  // octets of this piece
	End     bool // the piece completes its unit (always true for a line)
}

// Summary returns one line for the trace, such as
// "SPDU session 1: line of 8 B from the initiator (no session header)".
func (p SPDU) Summary() string {
	what := p.Unit.String()
	if p.Unit == DotTerminated {
		if p.End {
			what = "end of a dot-terminated block"
		} else {
			what = "piece of a dot-terminated block"
		}
	}
	return fmt.Sprintf("SPDU session %d: %s of %s B from the %v (no session header)", p.Session, what, layers.Thousands(int64(p.Len)), p.Speaker)
}

// Fields returns the SPDU's logical fields; none of them is on the wire.
func (p SPDU) Fields() []layers.Field {
	return []layers.Field{
		{Name: "Session", Value: strconv.Itoa(p.Session)},
		{Name: "Speaker", Value: p.Speaker.String()},
		{Name: "Unit", Value: p.Unit.String()},
		{Name: "Length", Value: strconv.Itoa(p.Len)},
		{Name: "End of unit", Value: strconv.FormatBool(p.End)},
		{Name: "Header", Value: "none (TCP/IP profile)"},
	}
}

// HeaderLen returns 0: the TCP/IP profile adds no session header.
func (p SPDU) HeaderLen() int { return 0 }
