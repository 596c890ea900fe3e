package sim

import (
	"strconv"
	"time"

	"github.com/osisim/osisim/layers/session"
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

// ClientWatch follows a POP3 client through its run for the end-of-run
// report: when each RETR went out and came back, and when the client
// finished.
type ClientWatch struct {
	c          *POP3Client
	finished   bool
	finishedAt time.Duration
	retr       []Retrieval
	cur        int // index in retr of the retrieval under way, or -1
	curResult  int // the index its exchange will have in the client's results
}

// StartPOP3ClientWatched is StartPOP3Client with a watch that reports the
// client's retrievals and finishing time after the run.
func (h *Host) StartPOP3ClientWatched(at time.Duration, cfg POP3ClientConfig) (*POP3Client, *ClientWatch) {
	c := h.StartPOP3Client(at, cfg)
	w := &ClientWatch{c: c, cur: -1}
	// Scheduled after the client's start at the same instant, so it sees
	// the connection the start opened.
	h.sim.At(at, w.install)
	return c, w
}

// install wraps the client's piece handler and connection handler.
func (w *ClientWatch) install() {
	c := w.c
	if c.a == nil { // the start failed: no route, no port
		w.finish()
		return
	}
	inner := c.a.onPiece
	c.a.onPiece = func(p session.Piece) {
		before := w.sent()
		inner(p)
		w.after(before)
	}
	c.a.conn.SetHandler(c.a.handler(c.established, func(err error) {
		c.closed(err)
		w.finish()
	}))
}

// sent is how many commands the client has sent: those answered, and one
// awaiting its reply once the greeting is in and until the client is done.
func (w *ClientWatch) sent() int {
	n := len(w.c.cl.Results())
	if w.c.greeted && !w.c.cl.Done() {
		n++
	}
	return n
}

// after looks at the client once it has handled a piece of the server's
// reply: a complete RETR reply, a RETR just sent, the end.
func (w *ClientWatch) after(sentBefore int) {
	c := w.c
	now := c.h.sim.now
	res := c.cl.Results()
	if w.cur >= 0 && len(res) > w.curResult {
		r := &w.retr[w.cur]
		r.Done = now
		if x := res[w.curResult]; x.Mail != nil {
			r.OK, r.Octets = true, x.Mail.Octets
		}
		w.cur = -1
	}
	if w.sent() > sentBefore && c.last.Keyword == "RETR" && len(c.last.Args) == 1 {
		n, _ := strconv.Atoi(c.last.Args[0])
		w.retr = append(w.retr, Retrieval{Message: n, Sent: now})
		w.cur, w.curResult = len(w.retr)-1, len(res)
	}
	if c.cl.Done() {
		w.finish()
	}
}

func (w *ClientWatch) finish() {
	if !w.finished {
		w.finished, w.finishedAt = true, w.c.h.sim.now
	}
}

// Report returns what the client did so far.
func (w *ClientWatch) Report() ClientReport {
	c := w.c
	r := ClientReport{Node: c.h.name, Err: c.Err(), Finished: w.finished, FinishedAt: w.finishedAt,
		Retrievals: append([]Retrieval(nil), w.retr...)}
	if res := c.cl.Results(); len(res) > 0 {
		last := res[len(res)-1]
		r.Quit = last.Command.Keyword == "QUIT" && last.Reply.OK
	}
	if c.a != nil {
		r.TCP = c.a.conn.Stats()
	}
	return r
}
