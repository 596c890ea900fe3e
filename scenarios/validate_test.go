package scenarios

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// lessonBase is a small valid scenario that the broken files of
// TestValidationErrors change one thing in.
const lessonBase = `name: lesson
duration: 30s
nodes:
  - name: client
    kind: host
    interfaces:
      - {name: eth0, mac: "02:00:00:00:01:0a", ip: 10.0.1.10/24}
    gateway: 10.0.1.1
  - name: r1
    kind: router
    interfaces:
      - {name: eth0, mac: "02:00:00:00:01:01", ip: 10.0.1.1/24}
      - {name: eth1, mac: "02:00:00:00:02:01", ip: 10.0.2.1/24}
  - name: server
    kind: host
    interfaces:
      - {name: eth0, mac: "02:00:00:00:02:6e", ip: 10.0.2.110/24}
    gateway: 10.0.2.1
    services:
      pop3:
        users: [{name: student, pass: secret}]
        maildrop: [{sample: en}]
      dns:
        records: [{name: mail.example.edu, a: 10.0.2.110}]
links:
  - {a: client.eth0, b: r1.eth0, rate: 10Mb/s, delay: 1us}
  - {a: r1.eth1, b: server.eth0, rate: 10Mb/s, delay: 1ms, faults: {loss: 0.01}}
apps:
  - node: client
    start: 1s
    pop3: {server: server, user: student, pass: secret, commands: [RETR 1]}
  - node: client
    ping: {to: server}
expect:
  - retrieved: {node: client, message: 1}
  - ping: {node: client, answered: true}
`

// TestValidationErrors checks the exact message and position of each
// problem in a table of broken files.
func TestValidationErrors(t *testing.T) {
	if _, err := Load("lesson.yaml", []byte(lessonBase)); err != nil {
		t.Fatalf("the base scenario does not load: %v", err)
	}
	tests := []struct {
		name     string
		from, to string
		want     []string
	}{
		{"YAML syntax", "nodes:\n", "nodes: [\n",
			[]string{`lesson.yaml:25:1: ',' or ']' must be specified`}},
		{"unknown key", "    gateway: 10.0.1.1\n", "    gateway: 10.0.1.1\n    colour: blue\n",
			[]string{`lesson.yaml:9:5: unknown field "colour"`}},
		{"bad MAC", `"02:00:00:00:01:0a"`, `"02:00:00:00:01"`,
			[]string{`lesson.yaml:7:27: MAC address "02:00:00:00:01" is not like 02:00:00:00:01:0a`}},
		{"group MAC", `"02:00:00:00:01:0a"`, `"03:00:00:00:01:0a"`,
			[]string{`lesson.yaml:7:27: MAC address 03:00:00:00:01:0a is a group address: a NIC needs an individual one (first octet even)`}},
		{"duplicate MAC", `"02:00:00:00:01:01"`, `"02:00:00:00:01:0a"`,
			[]string{`lesson.yaml:12:27: MAC address 02:00:00:00:01:0a is already used by client.eth0`}},
		{"duplicate address", "ip: 10.0.1.1/24", "ip: 10.0.1.10/24",
			[]string{
				`lesson.yaml:12:52: address 10.0.1.10 is already used by client.eth0`,
			}},
		{"network address", "ip: 10.0.1.10/24", "ip: 10.0.1.0/24",
			[]string{`lesson.yaml:7:52: 10.0.1.0 is the network address of 10.0.1.0/24, not a host address`}},
		{"broadcast address", "ip: 10.0.1.10/24", "ip: 10.0.1.255/24",
			[]string{`lesson.yaml:7:52: 10.0.1.255 is the broadcast address of 10.0.1.0/24, not a host address`}},
		{"gateway outside its subnet", "gateway: 10.0.1.1", "gateway: 10.0.9.1",
			[]string{`lesson.yaml:8:14: gateway 10.0.9.1 is outside every subnet of "client" (10.0.1.0/24): a host reaches its gateway directly`}},
		{"link to a missing interface", "a: r1.eth1", "a: r1.eth2",
			[]string{`lesson.yaml:27:9: link end "r1.eth2": router "r1" has no port "eth2" (interfaces eth0, eth1)`}},
		{"probability outside [0,1]", "loss: 0.01", "loss: 1.5",
			[]string{`lesson.yaml:27:75: loss 1.5 is outside [0, 1] (a probability: 0.05 is 5%)`}},
		{"server address of no host", "server: server,", "server: 10.0.2.99,",
			[]string{`lesson.yaml:31:20: no host of this scenario has address 10.0.2.99: the POP3 client would reach nobody`}},
		{"server without the service", "server: server,", "server: r1,",
			[]string{`lesson.yaml:31:20: r1 (10.0.1.1) runs no POP3 server: add ` + "`services: {pop3: ...}`" + ` to it`}},
		{"server on another port", "server: server,", "server: server, port: 995,",
			[]string{`lesson.yaml:31:20: the POP3 server on server listens on port 110, not 995`}},
		{"name no dns app resolves", "server: server,", "server: mail.example.edu,",
			[]string{`lesson.yaml:31:20: server "mail.example.edu" is neither an IPv4 address, a host of this scenario, nor a name a ` + "`dns:`" + ` app on "client" resolves`}},
		{"start beyond the run", "start: 1s", "start: 45s",
			[]string{`lesson.yaml:30:12: start 45s is beyond the end of the run at 30s (raise ` + "`duration:`" + `)`}},
		{"negative start", "start: 1s", "start: -1s",
			[]string{`lesson.yaml:30:12: start -1s is negative: simulated time starts at 0`}},
		{"stop before start", "        users:", "        start: 5s\n        stop: 2s\n        users:",
			[]string{`lesson.yaml:22:15: the service stops at 2s, before it starts at 5s`}},
		{"two programs in one app", "    ping: {to: server}", "    ping: {to: server}\n    telnet: {to: server}",
			[]string{
				"lesson.yaml:32:5: an app runs one program: `pop3:`, `ping:`, `telnet:`, `traceroute:`, `dns:` or `rarp:` (this one names 2)",
				`lesson.yaml:37:18: no ` + "`ping:`" + ` app runs on "client"`,
			}},
		{"ping to nowhere", "ping: {to: server}", "ping: {to: nas}",
			[]string{`lesson.yaml:33:16: ping to "nas" is neither an IPv4 address nor a node of this scenario`}},
		{"dns app without a server", "    ping: {to: server}", "    dns: {server: r1, name: mail.example.edu}",
			[]string{
				`lesson.yaml:33:19: r1 (10.0.1.1) runs no DNS server: add ` + "`services: {dns: ...}`" + ` to it`,
				`lesson.yaml:36:18: no ` + "`ping:`" + ` app runs on "client"`,
			}},
		{"unaddressed interface without rarp", "ip: 10.0.1.10/24", "ip: 0.0.0.0/24",
			[]string{
				`lesson.yaml:7:52: 0.0.0.0/24 means no address yet: only a host that runs an ` + "`rarp:`" + ` app may have it`,
				`lesson.yaml:8:14: gateway 10.0.1.1: "client" has no address of its own, so no subnet to reach a gateway on`,
			}},
		{"expectation of two kinds", "  - ping: {node: client, answered: true}", "  - ping: {node: client, answered: true}\n    rarp: {node: client, ip: 10.0.1.10}",
			[]string{"lesson.yaml:36:5: an expectation is one of `retrieved:`, `maildrop:`, `ping:`, `telnet:`, `traceroute:`, `resolved:`, `rarp:`, `fragmented:`, `reassembled:`, `dropped:`, `reply:` or `tls:` (this one sets 2)"}},
		{"unknown drop reason", "  - ping: {node: client, answered: true}", "  - dropped: {node: r1, reason: lost}",
			[]string{`lesson.yaml:36:33: reason "lost": want one of fcs-mismatch, line-code, not-for-me, filtered, malformed, bad-checksum, ttl-expired, no-route, arp-failed, queue-full, port-closed, unacceptable, duplicate, no-connection, fault-rule, link-loss, link-down, fragmentation-needed, reassembly-timeout, protocol-error, tls-handshake`}},
		{"telnet expectation without telnet", "  - ping: {node: client, answered: true}", "  - telnet: {node: client, refused: true}",
			[]string{`lesson.yaml:36:20: no ` + "`telnet:`" + ` app runs on "client"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(lessonBase, tt.from) {
				t.Fatalf("the base scenario does not contain %q", tt.from)
			}
			src := strings.Replace(lessonBase, tt.from, tt.to, 1)
			_, err := Load("lesson.yaml", []byte(src))
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("error %v is not an Errors list", err)
			}
			var got []string
			for _, e := range es {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s\nwhere they point:\n%s", diff, pointAt(src, es))
			}
		})
	}
}

// pointAt shows the line of each error with a caret under its column.
func pointAt(src string, es Errors) string {
	lines := strings.Split(src, "\n")
	var b strings.Builder
	for _, e := range es {
		if e.Line < 1 || e.Line > len(lines) {
			continue
		}
		b.WriteString(e.Error() + "\n  " + lines[e.Line-1] + "\n  " + strings.Repeat(" ", max(e.Col-1, 0)) + "^\n")
	}
	return b.String()
}
