package sim_test

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/application"
	"github.com/osisim/osisim/layers/network"
	"github.com/osisim/osisim/sim"
)

// TestPOP3Schedule: a server scheduled to start at 2 s and stop at 6 s
// refuses a connection at 1 s, accepts one at 3 s and refuses one at 7 s;
// the session opened at 3 s is not cut by the stop.
func TestPOP3Schedule(t *testing.T) {
	lab := newLab(t, 1, 3)
	srv, err := lab.server.StartPOP3Server(sim.POP3ServerConfig{Port: 110, Hostname: "server",
		Users: []application.User{{Name: "alice", Pass: "secret"}}})
	if err != nil {
		t.Fatal(err)
	}
	ctl := srv.Control()
	if !ctl.Running() {
		t.Fatal("a started server is not running")
	}
	ctl.Schedule(2*time.Second, 6*time.Second)
	pop3 := netip.AddrPortFrom(lab.server.Addr(), 110)
	before := lab.client.StartTelnet(time.Second, pop3)
	during := lab.client.StartTelnet(3*time.Second, pop3)
	after := lab.client.StartTelnet(7*time.Second, pop3)
	lab.s.Run(time.Minute)

	if !before.Refused() || !during.Connected() || during.Refused() || !after.Refused() {
		t.Errorf("refused/connected: before %v/%v, during %v/%v, after %v/%v",
			before.Refused(), before.Connected(), during.Refused(), during.Connected(), after.Refused(), after.Connected())
	}
	if ctl.Running() {
		t.Error("the server still runs after its stop time")
	}
	got := strings.Join(lab.rec.texts("server", layers.Application), "\n")
	for _, want := range []string{
		"the POP3 service is not running yet: it starts at 2s",
		"POP3 server started: it listens on TCP port 110 (pop3)",
		"POP3 server stopped: TCP port 110 (pop3), a well-known port (0-1023) is closed",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no line with %q in\n%s", want, got)
		}
	}
}

// TestAddHostWith: a zero IPOptions is accepted, and a RARP server table is
// checked when the host is added.
func TestAddHostWith(t *testing.T) {
	s := sim.New(1, nil)
	itf := []sim.Interface{{Name: "eth0", MAC: [6]byte{2, 0, 0, 0, 0, 1}, Addr: netip.MustParsePrefix("10.0.0.1/24")}}
	if _, err := s.AddHostWith("a", sim.HostConfig{Interfaces: itf}, sim.IPOptions{}); err != nil {
		t.Fatal(err)
	}
	itf2 := []sim.Interface{{Name: "eth0", MAC: [6]byte{2, 0, 0, 0, 0, 2}, Addr: netip.MustParsePrefix("10.0.0.2/24")}}
	bad := sim.IPOptions{RARPServer: network.RARPServer{{1, 0, 0, 0, 0, 9}: netip.MustParseAddr("10.0.0.9")}}
	if _, err := s.AddHostWith("b", sim.HostConfig{Interfaces: itf2}, bad); err == nil || !strings.Contains(err.Error(), "not a unicast MAC address") {
		t.Errorf("a group MAC address in the RARP table: err %v", err)
	}
}
