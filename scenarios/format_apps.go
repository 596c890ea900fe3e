package scenarios

// The services, programs and expectations beyond POP3
// (docs/scenario-format.md).

// DNSService is an authoritative name server on UDP port 53 (RFC 1035).
type DNSService struct {
	Records []DNSRecord `yaml:"records"`
}

// DNSRecord is an A record: a name and its IPv4 address.
type DNSRecord struct {
	Name string `yaml:"name"` // e.g. mail.example.edu
	A    string `yaml:"a"`    // e.g. 10.0.2.110
	TTL  int    `yaml:"ttl"`  // seconds (default 3600)
}

// RARPService is a RARP server (RFC 903): it tells a host that knows only
// its MAC address its IPv4 address.
type RARPService struct {
	Table []RARPEntry `yaml:"table"`
}

// RARPEntry maps a MAC address to an IPv4 address.
type RARPEntry struct {
	MAC string `yaml:"mac"`
	IP  string `yaml:"ip"`
}

// PingApp sends ICMP echo requests (RFC 792).
type PingApp struct {
	To       string `yaml:"to"`       // an address or a node name
	Count    int    `yaml:"count"`    // default 4
	Interval string `yaml:"interval"` // default 1s
}

// TelnetApp opens a TCP connection to a port and shows what the service
// says first.
type TelnetApp struct {
	To   string `yaml:"to"`   // an address or a node name
	Port int    `yaml:"port"` // default 23
}

// TracerouteApp sends UDP probes with growing TTLs.
type TracerouteApp struct {
	To      string `yaml:"to"`       // an address or a node name
	MaxHops int    `yaml:"max_hops"` // default 30
}

// DNSApp resolves a name with a DNS query over UDP.
type DNSApp struct {
	Server string `yaml:"server"` // the name server: an address or a node name
	Name   string `yaml:"name"`   // the name to resolve
}

// RARPApp makes a host with an interface at 0.0.0.0/N ask a RARP server
// for its address.
type RARPApp struct{}

// ExpectPing: every echo request of the ping on node was answered
// (answered: true), or none was (answered: false).
type ExpectPing struct {
	Node     string `yaml:"node"`
	Start    string `yaml:"start"` // which ping, when node runs several: the one started then
	Answered bool   `yaml:"answered"`
}

// ExpectTelnet: the telnet on node was refused (RST), or connected.
type ExpectTelnet struct {
	Node      string `yaml:"node"`
	Start     string `yaml:"start"` // which telnet, when node runs several
	Refused   bool   `yaml:"refused"`
	Connected bool   `yaml:"connected"`
	Greeting  string `yaml:"greeting"` // with connected: text the service's first line contains
}

// ExpectTraceroute: the hops the traceroute on node found, as node names
// or addresses, the destination last if it answered.
type ExpectTraceroute struct {
	Node string   `yaml:"node"`
	Path []string `yaml:"path"`
}

// ExpectResolved: the DNS lookup of name on node gave address a.
type ExpectResolved struct {
	Node string `yaml:"node"`
	Name string `yaml:"name"`
	A    string `yaml:"a"`
}

// ExpectRARP: the host node learned address ip by RARP.
type ExpectRARP struct {
	Node string `yaml:"node"`
	IP   string `yaml:"ip"`
}

// ExpectNode names the node an expectation is about: `fragmented:` (it
// sent IPv4 fragments), `reassembled:` (it put fragments back together).
type ExpectNode struct {
	Node string `yaml:"node"`
}

// ExpectDropped: node dropped between at_least (default 1 when neither
// bound is given) and at_most PDUs for reason, at layer if given.
type ExpectDropped struct {
	Node    string `yaml:"node"`
	Reason  string `yaml:"reason"` // a reason of docs/trace-format.md: queue-full, not-for-me ...
	Layer   int    `yaml:"layer"`
	AtLeast *int   `yaml:"at_least"`
	AtMost  *int   `yaml:"at_most"`
}

// ExpectReply: a POP3 client on node sent command (matched on its keyword,
// and on its arguments when given) and the reply was +OK (ok: true) or
// -ERR (ok: false).
type ExpectReply struct {
	Node    string `yaml:"node"`
	Command string `yaml:"command"`
	OK      bool   `yaml:"ok"`
}
