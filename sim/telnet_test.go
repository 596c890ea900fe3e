package sim_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/application"
	"github.com/osisim/osisim/layers/transport"
	"github.com/osisim/osisim/sim"
)

// The lesson ping-vs-telnet: with the POP3 service stopped, ping to the
// server is answered (the network layer works) while telnet to port 110 is
// refused with RST (nothing listens); once the service starts, telnet
// connects and shows the greeting.
func TestPingVersusTelnet(t *testing.T) {
	lab := newLab(t, 1, 1)
	pop3 := netip.AddrPortFrom(lab.server.Addr(), 110)
	p := lab.client.StartPing(0, lab.server.Addr(), 2, time.Second)
	refused := lab.client.StartTelnet(3*time.Second, pop3)
	lab.s.At(5*time.Second, func() {
		if _, err := lab.server.StartPOP3Server(sim.POP3ServerConfig{Port: 110, Hostname: "server",
			Users: []application.User{{Name: "alice", Pass: "secret"}}}); err != nil {
			t.Error(err)
		}
	})
	open := lab.client.StartTelnet(6*time.Second, pop3)
	lab.s.Run(time.Minute)

	if st := p.Stats(); st.Received != 2 {
		t.Errorf("ping: %+v, want 2 replies", st)
	}
	if !refused.Done() || !refused.Refused() || refused.Connected() || !errors.Is(refused.Err(), transport.ErrRefused) {
		t.Errorf("telnet before the service: done %v, refused %v, connected %v, err %v",
			refused.Done(), refused.Refused(), refused.Connected(), refused.Err())
	}
	if !open.Connected() || open.Refused() || !strings.HasPrefix(open.Received(), "+OK ") || !strings.HasSuffix(open.Received(), "\r\n") {
		t.Errorf("telnet after the service started: connected %v, refused %v, received %q",
			open.Connected(), open.Refused(), open.Received())
	}
	got := lab.rec.texts("client", layers.Application)
	for _, want := range []string{
		"telnet: Trying 10.0.1.10... port 110 (pop3), a well-known port (0-1023): TCP asks with a SYN whether a process listens there",
		"telnet: Unable to connect to remote host: Connection refused: port 110 is closed (RST): no process listens on it",
		"telnet: the service answered; closing the connection (telnet> quit): TCP sends FIN",
	} {
		if !contains(got, want) {
			t.Errorf("no line %q in\n%s", want, strings.Join(got, "\n"))
		}
	}
	if !hasPrefix(got, "telnet: Connected to 10.0.1.10. Port 110 is open: the three-way handshake completed (from local port ") ||
		!hasPrefix(got, `telnet: the service on port 110 says "+OK `) {
		t.Errorf("no connection or greeting lines in\n%s", strings.Join(got, "\n"))
	}
	// The refusal is the server's TCP answering the SYN with RST while
	// nothing listens.
	if !lab.rec.has(func(e *layers.Event) bool {
		return e.Node == "server" && e.Layer == layers.Transport && e.Dir == layers.Down && e.PDU != nil &&
			strings.Contains(e.PDU.Summary, "RST") && e.Time < 5*time.Second
	}) {
		t.Error("no RST sent by the server before the service started")
	}
	// The greeting travelled up the client's layers as a telnet PDU.
	if !lab.rec.has(func(e *layers.Event) bool {
		return e.Node == "client" && e.Layer == layers.Application && e.Dir == layers.Up && e.PDU != nil &&
			e.PDU.Kind == "telnet" && strings.Contains(e.PDU.Summary, "+OK")
	}) {
		t.Error("no telnet PDU with the greeting")
	}
}

// A SYN to an address that never answers times out; telnet says so.
func TestTelnetTimeout(t *testing.T) {
	lab := newLab(t, 1, 1)
	// The router answers nothing on TCP: a router runs no service.
	tn := lab.client.StartTelnet(0, netip.MustParseAddrPort("10.0.0.254:23"))
	lab.s.Run(10 * time.Minute)
	if !tn.Done() || !errors.Is(tn.Err(), transport.ErrTimeout) || tn.Connected() {
		t.Fatalf("done %v, err %v, connected %v", tn.Done(), tn.Err(), tn.Connected())
	}
	want := "telnet: Unable to connect to remote host: Connection timed out: no answer to the SYNs sent to 10.0.0.254:23"
	if got := lab.rec.texts("client", layers.Application); !contains(got, want) {
		t.Errorf("no line %q in\n%s", want, strings.Join(got, "\n"))
	}
	if !hasPrefix(lab.rec.texts("client", layers.Application), "telnet: Trying 10.0.0.254... port 23 (telnet), a well-known port (0-1023)") {
		t.Error("no Trying line")
	}
}
