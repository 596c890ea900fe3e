package sim

import (
	"fmt"
	"time"

	"github.com/osisim/osisim/layers"
)

// A POP3 server can be stopped and started during a run, as an
// administrator stops and starts the service: a stopped server's port is
// closed, so TCP answers a SYN to it with RST (RFC 9293 3.10.7.1) while the
// host still answers ping, which needs no port. Sessions already open go
// on: only new connections are refused.

// POP3Control stops and starts a POP3 server.
type POP3Control struct {
	s       *POP3Server
	stopped bool
}

// Control returns a control for the server, which is running.
func (s *POP3Server) Control() *POP3Control { return &POP3Control{s: s} }

// Running reports whether the server accepts connections.
func (c *POP3Control) Running() bool { return !c.stopped }

// Stop closes the server's port.
func (c *POP3Control) Stop() {
	s := c.s
	if c.stopped {
		return
	}
	c.stopped = true
	s.h.tcp.Unlisten(s.cfg.Port)
	s.h.record(layers.Event{Layer: layers.Application, Dir: layers.State}.Say("l7.pop3.server.stopped",
		"POP3 server stopped: TCP port %s is closed, a SYN to it is answered with RST; sessions already open go on",
		portText(s.cfg.Port)))
}

// Start opens the server's port again.
func (c *POP3Control) Start() error {
	s := c.s
	if !c.stopped {
		return nil
	}
	if err := s.h.tcp.Listen(s.cfg.Port, s.accept); err != nil {
		return fmt.Errorf("%s: POP3 server: %w", s.h.name, err)
	}
	c.stopped = false
	s.h.record(layers.Event{Layer: layers.Application, Dir: layers.State}.Say("l7.pop3.server.started",
		"POP3 server started: it listens on TCP port %s and accepts connections", portText(s.cfg.Port)))
	return nil
}

// Schedule stops the server from the start of the run until start (if
// start is positive) and again at stop (if stop is positive).
func (c *POP3Control) Schedule(start, stop time.Duration) {
	s := c.s
	sim := s.h.sim
	if start > 0 {
		sim.At(0, func() {
			c.Stop()
			s.h.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.Say("l7.pop3.server.later",
				"the POP3 service is not running yet: it starts at %s", start))
		})
		sim.At(start, func() {
			if err := c.Start(); err != nil {
				s.h.record(layers.Event{Layer: layers.Application, Dir: layers.Note, Text: err.Error()})
			}
		})
	}
	if stop > 0 {
		sim.At(stop, c.Stop)
	}
}
