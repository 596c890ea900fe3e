package sim

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/application"
	"github.com/osisim/osisim/layers/presentation"
	"github.com/osisim/osisim/layers/session"
	"github.com/osisim/osisim/layers/transport"
)

// POP3ServerConfig configures a POP3 server on a host.
type POP3ServerConfig struct {
	Port     uint16
	Hostname string
	Users    []application.User
	Mails    []presentation.Mail
	Encoding presentation.Options
	// Profile is the stack profile above TCP (default internet); Compress
	// turns on the presentation layer's DEFLATE step (osi profile only).
	Profile  Profile
	Compress bool
	// TLS, if set, makes the server offer STLS, or run POP3S (pop3_tls.go).
	TLS *TLSServer
}

// POP3Server is a POP3 service (RFC 1939) listening on a host's TCP port,
// serving one maildrop.
type POP3Server struct {
	h        *Host
	cfg      POP3ServerConfig
	md       *application.Maildrop
	hashes   [][32]byte // the stored messages' hashes, by original number
	sessions int
	early    string        // set if the maildrop shrank before an UPDATE state
	updateAt time.Duration // when an UPDATE state committed deletions
	tlsEnds  []*presentation.TLSEndpoint
}

// StartPOP3Server starts a POP3 server on h.
func (h *Host) StartPOP3Server(cfg POP3ServerConfig) (*POP3Server, error) {
	s := &POP3Server{h: h, cfg: cfg, md: application.NewMaildrop(cfg.Encoding, cfg.Mails...)}
	for _, m := range cfg.Mails {
		s.hashes = append(s.hashes, presentation.Hash(m))
	}
	if err := h.tcp.Listen(cfg.Port, s.accept); err != nil {
		return nil, fmt.Errorf("%s: POP3 server: %w", h.name, err)
	}
	return s, nil
}

// Addr returns the server's address.
func (s *POP3Server) Addr() netip.Addr { return s.h.Addr() }

// StoredHash returns the hash of message n as stored before the run.
func (s *POP3Server) StoredHash(n int) ([32]byte, bool) {
	if n < 1 || n > len(s.hashes) {
		return [32]byte{}, false
	}
	return s.hashes[n-1], true
}

// Remaining returns the original numbers of the messages still in the
// maildrop.
func (s *POP3Server) Remaining() []int {
	var out []int
	used := make([]bool, len(s.hashes))
	for i := range s.md.Len() {
		h, err := s.md.Hash(i + 1)
		if err != nil {
			continue
		}
		for k, want := range s.hashes {
			if !used[k] && want == h {
				used[k] = true
				out = append(out, k+1)
				break
			}
		}
	}
	return out
}

// DeletedBeforeQuit describes a deletion that happened outside the UPDATE
// state, or returns "".
func (s *POP3Server) DeletedBeforeQuit() string { return s.early }

// UpdateAt returns when the last UPDATE state committed.
func (s *POP3Server) UpdateAt() time.Duration { return s.updateAt }

// Maildrop returns the server's maildrop.
func (s *POP3Server) Maildrop() *application.Maildrop { return s.md }

// accept starts a POP3 session on a connection that completed its
// handshake.
func (s *POP3Server) accept(c *transport.Conn) {
	s.sessions++
	a := newAppConn(s.h, c, s.sessions, session.Responder)
	a.setProfile(s.cfg.Profile, s.cfg.Compress)
	// The APOP timestamp banner is made from the session number and the
	// simulated clock, as a real server uses its process id and clock.
	srv := application.NewServer(s.md, s.cfg.Users, s.cfg.Hostname+" POP3 server ready",
		append(s.tlsOptions(), application.WithTimestamp(uint64(s.sessions), uint64(s.h.sim.now.Microseconds())))...)
	srv.Host = s.cfg.Hostname
	sc := &pop3ServerConn{s: s, a: a, srv: srv}
	a.onPiece = sc.piece
	c.SetHandler(a.handler(nil, sc.closed))
	if err := a.sess.Open(); err != nil {
		a.protocolError(err)
		return
	}
	if err := a.sess.Expect(session.Line); err != nil {
		a.protocolError(err)
		return
	}
	if !sc.implicitTLS() { // POP3S greets once TLS is up (pop3_tls.go)
		sc.reply(srv.Greeting(), application.Message{})
	}
	a.readable()
}

type pop3ServerConn struct {
	s   *POP3Server
	a   *appConn
	srv *application.Server
}

// piece takes one framed command line.
func (sc *pop3ServerConn) piece(p session.Piece) {
	a := sc.a
	if a.h.sim.tracing {
		sp := session.SPDU{Session: a.sess.ID(), Speaker: session.Initiator, Unit: p.Unit, Len: len(p.Data), End: p.End}
		id5 := a.recordSPDU(layers.Up, sp, 0, tell("l5.spdu.up.client", "%s: the client's turn ends, the server's begins", spduSummary(sp)))
		a.recordPPDU(layers.Up, presentation.LinePPDU(len(p.Data)), id5, tell("l6.line.up", "US-ASCII line: nothing to convert"))
	}
	if err := a.sess.Received(session.Line, true); err != nil {
		a.protocolError(err)
		return
	}
	cmd, err := application.ParseCommand(p.Data)
	var r application.Reply
	if err != nil {
		// The server counts bad lines and enforces the line limits.
		r = sc.srv.HandleMalformed(p.Data, err)
	} else {
		before := sc.s.md.Len()
		if a.h.sim.tracing {
			a.record(layers.Event{Layer: layers.Application, Dir: layers.Up, PDU: messagePDU(cmd, p.Data)}.Say(
				"l7.pop3.server.got", "POP3 server (%v state) got %q", sc.srv.State(), cmd.String()))
		}
		r = sc.srv.Handle(cmd)
		if sc.s.md.Len() < before && sc.srv.State() != application.Update && sc.s.early == "" {
			sc.s.early = fmt.Sprintf("the maildrop shrank from %d to %d messages in the %v state", before, sc.s.md.Len(), sc.srv.State())
		}
		if sc.srv.State() == application.Update && sc.s.md.Len() < before {
			sc.s.updateAt = a.h.sim.now
		}
	}
	sc.reply(r, cmd)
	if err := a.sess.Expect(session.Line); err != nil && !r.Close {
		a.protocolError(err)
	}
}

// reply sends the server's reply line and, for a multi-line reply, its body.
func (sc *pop3ServerConn) reply(r application.Reply, cmd application.Message) {
	a := sc.a
	var text layers.Event
	if a.h.sim.tracing {
		if r.Note != "" {
			a.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.Say("l7.pop3.server.note", "POP3 server: %v", replyNote(r)))
		}
		text = tell("l7.pop3.server.replies", "POP3 server replies %q (%d B with CRLF)", r.Line.String(), r.Line.Len())
	}
	hasBody := r.Body != nil && r.Line.OK
	a.sendLine(r.Line, !hasBody, text)
	if hasBody {
		a.sendBody(r.Body, 0, nil)
	}
	if r.StartTLS { // once "+OK" is in TCP (pop3_tls.go)
		a.endPlaintext()
		a.out = append(a.out, outItem{after: sc.startTLS})
		a.pump()
	}
	if r.Close {
		a.release()
		a.closeWhenSent = true
		a.pump()
	}
}

func (sc *pop3ServerConn) closed(err error) {
	if sc.srv.State() != application.Update {
		sc.a.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.Say("l7.pop3.server.note", "POP3 server: %v", sc.srv.LostNote()))
	}
}

// messagePDU describes a POP3 line for the trace.
func messagePDU(m application.Message, line []byte) *layers.PDU {
	return &layers.PDU{Kind: "pop3", Len: len(line), HeaderLen: m.HeaderLen(), Summary: m.Summary(), Fields: m.Fields(), Bytes: line}
}

// POP3ClientConfig configures a scripted POP3 client.
type POP3ClientConfig struct {
	Server   netip.AddrPort
	User     string
	Pass     string
	Commands []string
	// Resume makes the client reconnect after a connection lost before
	// QUIT was answered, and go on from its last checkpoint in a new
	// session: messages already retrieved are not fetched again.
	Resume bool
	// IdleTimeout aborts a connection on which nothing arrived for that
	// long while the client waits for a reply (0: DefaultIdleTimeout when
	// Resume is set, never otherwise), as mail clients do.
	IdleTimeout time.Duration
	// Profile and Compress as in POP3ServerConfig; both ends must agree.
	Profile  Profile
	Compress bool
	// TLS, if set, makes the client use STLS or POP3S (pop3_tls.go).
	TLS *TLSClient
}

// DefaultIdleTimeout is a resuming client's idle timeout: longer than TCP
// takes to give up retransmitting, so that a server whose connection died
// has released the maildrop by the time the client comes back.
const DefaultIdleTimeout = 5 * time.Minute

// MaxResumes is how many times a resuming client reconnects.
const MaxResumes = 3

// resumeDelay is how long a client waits before it reconnects.
const resumeDelay = time.Second

// POP3Client is a scripted POP3 client on a host: it connects, logs in,
// runs its commands one at a time and checks what it retrieves.
type POP3Client struct {
	h       *Host
	cfg     POP3ClientConfig
	cl      *application.Client
	a       *appConn
	last    application.Message // the command awaiting its reply
	greeted bool
	group   string // the chapter the last command opened

	// the multi-line body being received
	unstuff *presentation.Unstuffer
	dec     *presentation.Decoder
	listing *strings.Builder
	octets  int64
	err     error

	// what the run report needs
	retr       []Retrieval
	cur        int // index in retr of the retrieval under way, or -1
	finished   bool
	finishedAt time.Duration

	// resuming after a lost connection
	prev      []application.Exchange // the results of earlier sessions
	completed map[int]bool           // messages retrieved intact (checkpointed)
	resumes   int
	idle      layers.Timer
	tlsEnds   []*presentation.TLSEndpoint
}

// StartPOP3Client starts a client on h at time at.
func (h *Host) StartPOP3Client(at time.Duration, cfg POP3ClientConfig) *POP3Client {
	if cfg.Resume && cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	cfg.Commands = tlsScript(cfg) // pop3_tls.go
	c := &POP3Client{h: h, cfg: cfg, cl: application.NewClient(cfg.User, cfg.Pass, cfg.Commands),
		cur: -1, completed: map[int]bool{}}
	h.sim.At(at, c.start)
	return c
}

// Server returns the address the client talks to.
func (c *POP3Client) Server() netip.AddrPort { return c.cfg.Server }

// Err returns why the client failed, or nil.
func (c *POP3Client) Err() error {
	if c.err != nil {
		return c.err
	}
	return c.cl.Err()
}

// Done reports whether the client finished its script with QUIT answered.
func (c *POP3Client) Done() bool { return c.cl.Done() }

// Results returns every command and its reply, those of earlier sessions
// first when the client resumed.
func (c *POP3Client) Results() []application.Exchange {
	return append(append([]application.Exchange(nil), c.prev...), c.cl.Results()...)
}

// Retrieved returns the decoded message n, if a RETR n succeeded.
func (c *POP3Client) Retrieved(n int) (presentation.Result, bool) {
	want := fmt.Sprint(n)
	for _, x := range c.Results() {
		if x.Command.Keyword == "RETR" && len(x.Command.Args) == 1 && x.Command.Args[0] == want && x.Mail != nil {
			return *x.Mail, true
		}
	}
	return presentation.Result{}, false
}

func (c *POP3Client) start() {
	h := c.h
	h.record(layers.Event{Layer: layers.Application, Dir: layers.Note, Walk: true}.
		Title("chapter.pop3.connect", "%s opens a TCP connection to %s port %d", h.name, c.cfg.Server.Addr(), c.cfg.Server.Port()).
		Say("l7.pop3.client.connect", "POP3 client: connect to %s (%s)", c.cfg.Server, transport.Port(c.cfg.Server.Port())))
	c.dial(1)
}

// dial opens the TCP connection of session id.
func (c *POP3Client) dial(id int) {
	h := c.h
	src, err := h.ip.SourceFor(c.cfg.Server.Addr())
	if err != nil {
		c.err = fmt.Errorf("no route to %s: %w", c.cfg.Server.Addr(), err)
		h.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.Say("l7.pop3.client.noroute", "POP3 client: no route to %s: %v", c.cfg.Server.Addr(), err))
		c.finish()
		return
	}
	conn, err := h.tcp.Dial(src, c.cfg.Server, transport.Handler{})
	if err != nil {
		c.err = err
		h.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.Say("l7.pop3.client.err", "POP3 client: %v", err))
		c.finish()
		return
	}
	a := newAppConn(h, conn, id, session.Initiator)
	a.setProfile(c.cfg.Profile, c.cfg.Compress)
	a.onPiece = c.piece
	c.a = a
	conn.SetHandler(a.handler(c.established, c.closed))
	c.armIdle()
}

// armIdle (re)starts the idle timer: the client waits for the server.
func (c *POP3Client) armIdle() {
	if c.cfg.IdleTimeout <= 0 {
		return
	}
	if c.idle != nil {
		c.idle.Stop()
	}
	a := c.a
	c.idle = c.h.env.After(c.cfg.IdleTimeout, func() {
		if c.a != a || c.cl.Done() {
			return
		}
		c.h.record(layers.Event{Layer: layers.Application, Dir: layers.Timeout}.Say("l7.pop3.client.idle",
			"POP3 client: nothing from the server for %s: the connection is given up", c.cfg.IdleTimeout))
		a.conn.Abort()
	})
}

func (c *POP3Client) finish() {
	if !c.finished {
		c.finished, c.finishedAt = true, c.h.sim.now
	}
}

func (c *POP3Client) established() {
	a := c.a
	if err := a.sess.Open(); err != nil {
		a.protocolError(err)
		return
	}
	if err := a.sess.Expect(session.Line); err != nil {
		a.protocolError(err)
	}
	c.implicitTLS() // pop3_tls.go
}

func (c *POP3Client) closed(err error) {
	if c.idle != nil {
		c.idle.Stop()
	}
	if c.cl.Done() {
		c.finish()
		return
	}
	c.cl.Lost()
	if err != nil && c.err == nil {
		c.err = err
	}
	if c.cur >= 0 { // the retrieval under way failed
		c.retr[c.cur].Done = c.h.sim.now
		c.cur = -1
	}
	c.h.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.Say("l7.pop3.client.lost",
		"POP3 client: the connection ended before QUIT was answered: %v", c.Err()))
	if !c.cfg.Resume || c.resumes >= MaxResumes {
		c.finish()
		return
	}
	c.resumes++
	c.prev = append(c.prev, c.cl.Results()...)
	c.h.sim.After(resumeDelay, c.resume)
}

// resume reconnects in a new session that goes on from the last
// checkpoint: the messages retrieved intact are not fetched again, while
// the deletions are marked again, because a POP3 server forgets the marks
// of a session that ended without QUIT (RFC 1939 section 6).
func (c *POP3Client) resume() {
	old := c.a.sess
	id := old.ID() + 1
	script := resumeScript(c.cfg.Commands, c.completed)
	e := layers.Event{Layer: layers.Session, Dir: layers.Note}.Title("chapter.pop3.resume",
		"the connection was lost: %s reconnects and resumes (attempt %d of %d)", c.h.name, c.resumes, MaxResumes)
	if cps := old.Checkpoints(); len(cps) > 0 {
		last := cps[len(cps)-1]
		e = e.Say("l5.resume", "session %d resumes session %d from checkpoint %d (%v, %s B); script now %s",
			id, old.ID(), last.N, last.Label, Thousands(last.Octets), strings.Join(script, ", "))
	} else {
		e = e.Say("l5.resume.start", "session %d resumes session %d from the start: it reached no checkpoint; script now %s",
			id, old.ID(), strings.Join(script, ", "))
	}
	c.h.record(e)
	c.err = nil
	c.cl = application.NewClient(c.cfg.User, c.cfg.Pass, script)
	c.greeted, c.group, c.last = false, "", application.Message{}
	c.dial(id)
}

// resumeScript is the script that goes on from where a lost session
// stopped: RETR and TOP of messages already retrieved intact are left out.
func resumeScript(script []string, completed map[int]bool) []string {
	var out []string
	for _, cmd := range script {
		f := strings.Fields(strings.ToUpper(cmd))
		if len(f) >= 2 && f[0] == "RETR" {
			if n, err := strconv.Atoi(f[1]); err == nil && completed[n] {
				continue
			}
		}
		out = append(out, cmd)
	}
	return out
}

// piece takes one framed piece: a reply line, or part of a multi-line body.
func (c *POP3Client) piece(p session.Piece) {
	c.armIdle()
	if p.Unit == session.DotTerminated {
		c.bodyPiece(p)
		return
	}
	a := c.a
	line, err := application.ParseReply(p.Data)
	if err != nil {
		a.protocolError(err)
		return
	}
	multi := line.OK && c.greeted && application.ExpectsBody(c.last)
	if a.h.sim.tracing {
		sp := session.SPDU{Session: a.sess.ID(), Speaker: session.Responder, Unit: p.Unit, Len: len(p.Data), End: p.End}
		text := tell("l5.spdu.up.server", "%s: the server's turn ends, the client's begins", spduSummary(sp))
		if multi {
			text = tell("l5.spdu.up.multi", "%s: a multi-line body follows, the server keeps the turn", spduSummary(sp))
		}
		id5 := a.recordSPDU(layers.Up, sp, 0, text)
		a.recordPPDU(layers.Up, presentation.LinePPDU(len(p.Data)), id5, tell("l6.line.up", "US-ASCII line: nothing to convert"))
		a.record(layers.Event{Layer: layers.Application, Dir: layers.Up, PDU: messagePDU(line, p.Data)}.Say(
			"l7.pop3.client.got", "POP3 client got %q", line.String()))
	}
	if err := a.sess.Received(session.Line, !multi); err != nil {
		a.protocolError(err)
		return
	}
	if !c.greeted {
		c.greeted = true
		c.cl.HandleGreeting(line)
	} else {
		c.cl.HandleReply(line)
	}
	if c.cl.AwaitingBody() {
		c.octets = 0
		if c.last.Keyword == "RETR" || c.last.Keyword == "TOP" {
			c.dec = presentation.NewDecoder()
			c.unstuff = presentation.NewUnstuffer(c.dec)
		} else {
			c.listing = &strings.Builder{}
			c.unstuff = presentation.NewUnstuffer(c.listing)
		}
		if err := a.sess.Expect(session.DotTerminated); err != nil {
			a.protocolError(err)
		}
		return
	}
	if err := a.sess.Expect(session.Line); err != nil {
		a.protocolError(err)
		return
	}
	if c.stls(line) { // pop3_tls.go
		return
	}
	c.next()
}

// bodyPiece un-stuffs and decodes a body as it arrives, keeping only what
// the decoder needs: a body of any size streams through.
func (c *POP3Client) bodyPiece(p session.Piece) {
	a := c.a
	c.octets += int64(len(p.Data))
	if _, err := c.unstuff.Write(p.Data); err != nil {
		c.cl.BodyFailed(err)
		a.protocolError(err)
		return
	}
	if !p.End {
		return
	}
	if err := c.unstuff.End(); err != nil {
		c.cl.BodyFailed(err)
		a.protocolError(err)
		return
	}
	if err := a.sess.Received(session.DotTerminated, true); err != nil {
		a.protocolError(err)
		return
	}
	tracing := a.h.sim.tracing
	var id5 uint64
	if tracing {
		sp := session.SPDU{Session: a.sess.ID(), Speaker: session.Responder, Unit: session.DotTerminated, Len: int(c.octets), End: true}
		id5 = a.recordSPDU(layers.Up, sp, 0, tell("l5.block.up", "session %d: dot-terminated block complete, %s B; the turn passes to the client",
			a.sess.ID(), Thousands(c.octets)))
	}
	if c.dec != nil {
		n := 0
		fmt.Sscan(c.last.Args[0], &n)
		res, err := c.dec.Result()
		if err != nil {
			c.cl.BodyFailed(err)
			a.record(layers.Event{Layer: layers.Presentation, Dir: layers.Drop, Reason: layers.ReasonMalformed}.Say(
				"l6.mail.bad", "message could not be decoded: %v", err))
		} else {
			top := c.last.Keyword == "TOP"
			if !top {
				if cp, err := a.sess.Checkpoint(layers.Tell("l5.cp.message", "message %d complete", n), c.octets); err == nil && a.osi {
					a.sendCheckpointOSI(cp)
				}
			}
			if tracing {
				steps := append([]presentation.Step{c.unstuff.Step()}, res.Steps...)
				text := tell("l6.mail.up", "%s\nsubject %q, sha256 %x...", stepList(steps), res.Subject, res.Hash[:8])
				a.recordPPDU(layers.Up, res.PPDU(c.unstuff.Unstuffed()), id5, text)
			}
			if top {
				c.cl.Topped(n, res)
			} else {
				c.cl.Retrieved(n, res)
				c.completed[n] = true
				if c.cur >= 0 {
					c.retr[c.cur].OK, c.retr[c.cur].Octets = true, res.Octets
				}
			}
			if tracing {
				e := layers.Event{Layer: layers.Application, Dir: layers.Up}.Say("l7.pop3.client.message",
					"POP3 client: message %d received: %s octets, subject %q, body %s characters in %s lines",
					n, Thousands(res.Octets), res.Subject, Thousands(res.BodyChars), Thousands(res.BodyLines))
				if top {
					e = e.Say("l7.pop3.client.top",
						"POP3 client: top of message %d received: %s octets, subject %q, body %s characters in %s lines",
						n, Thousands(res.Octets), res.Subject, Thousands(res.BodyChars), Thousands(res.BodyLines))
				}
				a.record(e)
			}
		}
	} else {
		if tracing {
			a.recordPPDU(layers.Up, presentation.BlockPPDU(int64(c.listing.Len()), c.unstuff.Unstuffed()), id5,
				stepEvent(c.unstuff.Step()))
		}
		c.cl.Listed([]byte(c.listing.String()))
		if tracing {
			a.record(layers.Event{Layer: layers.Application, Dir: layers.Up}.Say("l7.pop3.client.listing", "POP3 client: %s listing: %s", c.last.Keyword,
				strings.ReplaceAll(strings.TrimSpace(c.listing.String()), "\r\n", "; ")))
		}
	}
	if c.cur >= 0 && c.last.Keyword == "RETR" {
		c.retr[c.cur].Done = a.h.sim.now
		c.cur = -1
	}
	c.dec, c.unstuff, c.listing = nil, nil, nil
	if err := a.sess.Expect(session.Line); err != nil {
		a.protocolError(err)
		return
	}
	c.next()
}

// next sends the next command of the script, or ends the session after QUIT.
func (c *POP3Client) next() {
	a := c.a
	cmd, _, ok := c.cl.Next()
	if !ok {
		if c.cl.Done() {
			a.release()
			if a.osi || a.tls != nil {
				a.closeWhenSent = true
				a.pump()
			} else {
				a.conn.Close()
			}
			c.finish()
		}
		return
	}
	c.last = cmd
	if cmd.Keyword == "RETR" && len(cmd.Args) == 1 {
		n, _ := strconv.Atoi(cmd.Args[0])
		c.retr = append(c.retr, Retrieval{Message: n, Sent: a.h.sim.now})
		c.cur = len(c.retr) - 1
	}
	e := layers.Event{Layer: layers.Application, Dir: layers.Note}
	if g, title := chapter(cmd, a.tls != nil); g != c.group {
		c.group = g
		e.Chapter, e.ChapterMsg, e.ChapterArgs = title.Chapter, title.ChapterMsg, title.ChapterArgs
		e.Walk = cmd.Keyword == "RETR" || cmd.Keyword == "TOP"
	}
	if e.Chapter != "" {
		e = e.Say("l7.pop3.client.next", "POP3 client (%s): next command %s", c.cfg.User, cmd.String())
		a.record(e)
	}
	var text layers.Event
	if a.h.sim.tracing {
		text = tell("l7.pop3.client.sends", "POP3 client sends %q (%d B with CRLF)", cmd.String(), cmd.Len())
	}
	a.sendLine(cmd, true, text)
}

// chapter groups commands into the chapters of the story.
// The title is an event carrying only the chapter's title (layers.Event.Title).
func chapter(cmd application.Message, tls bool) (group string, title layers.Event) {
	var e layers.Event
	switch cmd.Keyword {
	case "USER", "PASS":
		if tls {
			return "login", e.Title("chapter.pop3.login.tls", "login: USER and PASS in the AUTHORIZATION state (inside TLS: the password crosses the network encrypted)")
		}
		return "login", e.Title("chapter.pop3.login", "login: USER and PASS in the AUTHORIZATION state (POP3 sends the password in clear text)")
	case "APOP":
		return "login", e.Title("chapter.pop3.apop", "login: APOP in the AUTHORIZATION state (an MD5 digest of the greeting's timestamp, not the password)")
	case "CAPA":
		return "capa", e.Title("chapter.pop3.capa", "CAPA: what the server can do")
	case "STAT", "LIST", "UIDL", "NOOP":
		return "list", e.Title("chapter.pop3.list", "%s: what the maildrop holds (TRANSACTION state)", cmd.String())
	case "RETR", "TOP":
		return "retr " + cmd.String(), e.Title("chapter.pop3.retr", "%s: the whole walk, every layer", cmd.String())
	case "DELE", "RSET":
		return "dele", e.Title("chapter.pop3.dele", "%s: marked for deletion, not deleted yet", cmd.String())
	case "QUIT":
		return "quit", e.Title("chapter.pop3.quit", "QUIT: the UPDATE state deletes, then both sides close the connection")
	}
	return "other", e.Title("chapter.pop3.other", "%s", cmd.String())
}
