package sim

import (
	"time"

	"github.com/osisim/osisim/layers/transport"
)

// Retrieval is one RETR as the client saw it: from the command leaving the
// client to the last octet of the reply arriving.
type Retrieval struct {
	Message    int
	OK         bool          // the message arrived and decoded
	Octets     int64         // the message's octets in its transfer syntax (RFC 1939's size), if OK
	Sent, Done time.Duration // when RETR was sent, when the reply was complete (0 if never)
}

// Duration is the retrieval's transfer time.
func (r Retrieval) Duration() time.Duration {
	if r.Done < r.Sent {
		return 0
	}
	return r.Done - r.Sent
}

// Goodput is the message's octets delivered per second of transfer time,
// in bits per second: what the application got, retransmissions, headers
// and acknowledgments not counted. It is 0 when the retrieval failed or
// took no time.
func (r Retrieval) Goodput() float64 {
	d := r.Duration()
	if !r.OK || d <= 0 {
		return 0
	}
	return float64(8*r.Octets) / d.Seconds()
}

// ClientReport is how a POP3 client's run went.
type ClientReport struct {
	Node       string
	Quit       bool          // QUIT was answered
	Err        error         // why the client stopped short, if it did
	Finished   bool          // the client is done: QUIT answered or the connection failed
	FinishedAt time.Duration // when it finished (not when TIME-WAIT ended)
	Retrievals []Retrieval
	TCP        transport.ConnStats // the client's connection (zero if it never opened one)
}

// Report returns how the client's run went so far.
func (c *POP3Client) Report() ClientReport {
	r := ClientReport{Node: c.h.name, Err: c.Err(), Finished: c.finished, FinishedAt: c.finishedAt,
		Retrievals: append([]Retrieval(nil), c.retr...)}
	if res := c.Results(); len(res) > 0 {
		last := res[len(res)-1]
		r.Quit = last.Command.Keyword == "QUIT" && last.Reply.OK
	}
	if c.a != nil {
		r.TCP = c.a.conn.Stats()
	}
	return r
}
