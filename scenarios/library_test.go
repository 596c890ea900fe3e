package scenarios

import (
	"strings"
	"testing"
)

// TestBundledScenarios runs every bundled scenario with its own seed and
// checks that it meets its expectations, with and without a trace, and
// that two traced runs give the same trace byte for byte.
func TestBundledScenarios(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			f, err := LoadBundled(name)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Run(f, Options{Seed: f.Seed})
			if err != nil {
				t.Fatal(err)
			}
			if !res.OK() {
				t.Errorf("untraced run failed its expectations:\n%s", res.Failures())
			}
			if len(res.Checks) == 0 && len(f.Expect) > 0 {
				t.Errorf("%d expectations, no checks", len(f.Expect))
			}
			first, res1 := runJSON(t, name, f.Seed)
			if !res1.OK() {
				t.Errorf("traced run failed its expectations:\n%s", res1.Failures())
			}
			second, _ := runJSON(t, name, f.Seed)
			if !sameTrace(f, first, second) { // tls_test.go: TLS ciphertext varies

				t.Errorf("two runs with seed %d gave different traces (%d and %d bytes)", f.Seed, len(first), len(second))
			}
		})
	}
}

// TestLessonStories checks that each lesson's trace shows, in this order,
// what its lesson page tells students to watch for.
func TestLessonStories(t *testing.T) {
	type step struct{ node, text string }
	tests := []struct {
		name  string
		steps []step
	}{
		{"ping-vs-telnet", []step{
			{"server", "POP3 server stopped"},
			{"server", "answering with an echo reply"},
			{"client", "64 bytes from 10.0.2.110: icmp_seq=1"},
			{"server", "port 110 closed: answered RST"},
			{"client", "Connection refused"},
			{"server", "POP3 server started"},
			{"client", "Connected to 10.0.2.110"},
			{"client", `the service on port 110 says "+OK`},
		}},
		{"arp-and-switch", []step{
			{"pc1", "ARP request: who has 192.168.1.2?"},
			{"sw1", "learned 02:00:00:00:01:01 on port 1"},
			{"sw1", "broadcast: flooded to ports 2, 3"},
			{"pc3", "ARP request for 192.168.1.2, not this interface's address"},
			{"sw1", "known destination 02:00:00:00:01:01 on port 1: forwarded to port 1 only"},
			{"pc1", "64 bytes from 192.168.1.2: icmp_seq=1"},
			{"pc1", "expired"},
			{"pc1", "ARP request: who has 192.168.1.2?"},
		}},
		{"hub-vs-switch", []step{
			{"hub1", "a hub does not read addresses"},
			{"a3", "is not for this NIC"},
			{"sw1", "known destination"},
		}},
		{"traceroute", []step{
			{"r1", "TTL expired in transit"},
			{"r2", "TTL expired in transit"},
			{"r3", "TTL expired in transit"},
			{"server", "ICMP port unreachable is due"},
			{"client", "reached in 4 hops"},
		}},
		{"congestion", []step{
			{"r1", "output queue of eth0 full"},
			{"r1", "sending ICMP source quench to 10.0.2.110"},
			{"server", "ICMP source quench"},
			{"server", "fast retransmit of seq"},
			{"server", "fast recovery ends, cwnd"},
			{"client", "message 1 received"},
		}},
		{"fragmentation", []step{
			{"r1", "fragmented into"},
			{"client1", "no hole left"},
			{"r1", "has Don't Fragment set: dropped"},
			{"r1", "fragmentation needed"},
		}},
		{"pop3-full", []step{
			{"server", "wrong password"},
			{"server", `got "CAPA"`},
			{"server", "APOP for student accepted"},
			{"server", `got "UIDL"`},
			{"server", `got "TOP 2 3"`},
			{"server", `got "HELO"`},
			{"server", `got "DELE 1"`},
			{"server", `got "RSET"`},
			{"server", `got "RETR 2"`},
		}},
		{"dns-then-pop3", []step{
			{"client", "UDP "},
			{"ns", "DNS server answers"},
			{"client", "mail.example.edu is 10.0.2.110"},
			{"client", "[SYN]"},
		}},
		{"pop3s", []step{
			{"server", "TLS server: waits for the ClientHello"},
			{"client", "TLS handshake complete"},
			{"server", `POP3 server replies "+OK mail.example.edu POP3 server ready`},
			{"server", `got "CAPA"`},
			{"client", "message 1 received"},
		}},
		{"rarp", []step{
			{"diskless", "broadcasting a RARP request"},
			{"bootsrv", "the table says 02:00:00:00:01:30 is 10.0.1.30"},
			{"diskless", "eth0 is now 10.0.1.30/24"},
			{"diskless", "64 bytes from 10.0.1.20"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := LoadBundled(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			trace, _ := runJSON(t, tt.name, f.Seed)
			events := parseTrace(t, trace)
			i := 0
			for _, st := range tt.steps {
				found := false
				for ; i < len(events); i++ {
					e := events[i]
					text := e.Text
					if e.PDU != nil {
						text += " " + e.PDU.Summary
					}
					if e.Node == st.node && strings.Contains(text, st.text) {
						found = true
						i++
						break
					}
				}
				if !found {
					t.Fatalf("no event on %s containing %q after the steps before it", st.node, st.text)
				}
			}
		})
	}
}
