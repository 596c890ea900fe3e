package scenarios

// The scenario file format (docs/scenario-format.md). Every key is
// documented there; the bundled scenarios in library/ are written in it.

// Text is a sentence in English and Chinese.
type Text struct {
	EN string `yaml:"en"`
	ZH string `yaml:"zh"`
}

// File is one scenario file.
type File struct {
	Name        string   `yaml:"name"`
	Title       Text     `yaml:"title"`
	Description Text     `yaml:"description"`
	Seed        uint64   `yaml:"seed"`
	Duration    string   `yaml:"duration"` // the longest a run may last in simulated time (default 120s)
	Nodes       []Node   `yaml:"nodes"`
	Links       []Link   `yaml:"links"`
	Apps        []App    `yaml:"apps"`
	Expect      []Expect `yaml:"expect"`
	// Rules are targeted fault rules in the syntax of docs/faults.md, such
	// as "drop tcp-data#2 on r1->server".
	Rules []string `yaml:"rules"`
	// Profile is the stack profile above TCP: internet (the default) or
	// osi, where the session and presentation layers add their own headers
	// (docs/profiles.md).
	Profile string `yaml:"profile"`
	// Compress turns on the presentation layer's DEFLATE step (osi
	// profile only).
	Compress bool `yaml:"compress"`
}

// Node is a host, switch, hub or router.
type Node struct {
	Name       string      `yaml:"name"`
	Kind       string      `yaml:"kind"`  // host, switch, hub, router
	Ports      int         `yaml:"ports"` // switch and hub
	Ageing     string      `yaml:"ageing"`
	Interfaces []Interface `yaml:"interfaces"`
	Gateway    string      `yaml:"gateway"`
	Routes     []Route     `yaml:"routes"`
	Services   Services    `yaml:"services"`
	TCP        TCPConfig   `yaml:"tcp"`
	// SourceQuench makes a router send ICMP source quench when its output
	// queue drops a datagram (deprecated by RFC 6633; for the congestion
	// lesson).
	SourceQuench bool `yaml:"source_quench"`
	// DontFragment sets DF on every datagram the node originates (RFC 791
	// 3.2): a router whose next link is too small then drops it and
	// answers ICMP fragmentation needed instead of fragmenting it.
	DontFragment bool `yaml:"dont_fragment"`
	// ARPTimeout is the lifetime of an ARP cache entry (default 60s).
	ARPTimeout string `yaml:"arp_timeout"`
}

// Interface is a NIC of a host or router.
type Interface struct {
	Name string `yaml:"name"`
	MAC  string `yaml:"mac"`
	IP   string `yaml:"ip"` // address/prefix, e.g. 10.0.1.10/24
	MTU  int    `yaml:"mtu"`
	// Queue bounds the interface's output queue to this many packets
	// waiting for the transmitter (drop-tail); 0 or absent: unbounded.
	Queue int `yaml:"queue"`
}

// Route is a static route.
type Route struct {
	To  string `yaml:"to"`  // prefix, e.g. 10.0.3.0/24 or default
	Via string `yaml:"via"` // next-hop address
}

// TCPConfig tunes a host's TCP.
type TCPConfig struct {
	MSS        int    `yaml:"mss"`
	RecvBuffer int    `yaml:"recv_buffer"`
	MinRTO     string `yaml:"min_rto"`
}

// Services are the servers a host runs.
type Services struct {
	POP3 *POP3Service `yaml:"pop3"`
	DNS  *DNSService  `yaml:"dns"`  // format_apps.go
	RARP *RARPService `yaml:"rarp"` // format_apps.go
}

// POP3Service is a POP3 server (RFC 1939).
type POP3Service struct {
	Port     int    `yaml:"port"` // default 110
	Hostname string `yaml:"hostname"`
	Users    []User `yaml:"users"`
	Maildrop []Mail `yaml:"maildrop"`
	// Start and Stop are when the service starts (its port is closed
	// before) and stops (its port closes: a SYN is answered with RST).
	Start string `yaml:"start"`
	Stop  string `yaml:"stop"`
	// TLS: STLS or POP3S (format_tls.go).
	TLS *TLSService `yaml:"tls"`
}

// User is a mailbox owner.
type User struct {
	Name string `yaml:"name"`
	Pass string `yaml:"pass"`
}

// Mail is a message in a maildrop: one of the samples, or a generated body
// of a given size.
type Mail struct {
	Sample    string `yaml:"sample"`    // "zh" (the Chinese lesson note) or "en"
	Generated string `yaml:"generated"` // a size such as 1MiB: a generated message that big
	Subject   string `yaml:"subject"`   // with generated
}

// Link joins two ports.
type Link struct {
	A     string `yaml:"a"` // node.port, e.g. client.eth0 or sw1.1
	B     string `yaml:"b"`
	Rate  string `yaml:"rate"`  // 10Mb/s, 100Mb/s, 1Gb/s
	Delay string `yaml:"delay"` // propagation delay, e.g. 5us or 2ms
	Code  string `yaml:"code"`  // line code: nrz or manchester
	// Faults impair the link (docs/faults.md).
	Faults *LinkFaults `yaml:"faults"`
	// Unreliable marks the link that the command line's --loss, --reorder,
	// --dup and --ber act on (by default the link with the largest delay).
	Unreliable bool `yaml:"unreliable"`
	// ARQ makes the data link layer of both ends acknowledge and
	// retransmit frames itself (docs/lessons/link-arq.md).
	ARQ *LinkARQ `yaml:"arq"`
}

// LinkARQ configures a link's ARQ sublayer: arq: {mode: go-back-n,
// window: 4, timeout: 10ms}.
type LinkARQ struct {
	Mode    string `yaml:"mode"`    // stop-and-wait or go-back-n
	Window  int    `yaml:"window"`  // go-back-n: frames unacknowledged at most, 1 to 127 (stop-and-wait: 1)
	Timeout string `yaml:"timeout"` // retransmission timeout, longer than the link's round trip
}

// LinkFaults are the faults of a link. The keys at its top apply to both
// directions; ab: and ba: set keys for the direction from a to b and from b
// to a only, replacing the same keys of the top.
type LinkFaults struct {
	FaultSet `yaml:",inline"`
	AB       *FaultSet `yaml:"ab"`
	BA       *FaultSet `yaml:"ba"`
}

// FaultSet is a set of fault keys; a key left out is not set.
type FaultSet struct {
	Loss         *float64 `yaml:"loss"`          // probability that a frame is lost, 0 to 1
	Reorder      *float64 `yaml:"reorder"`       // probability that a frame is held back, 0 to 1
	ReorderDelay string   `yaml:"reorder_delay"` // how long a held-back frame is held (default 1ms)
	Dup          *float64 `yaml:"dup"`           // probability that a frame arrives twice, 0 to 1
	BER          *float64 `yaml:"ber"`           // bit error rate, 0 to below 1 (e.g. 1e-6)
	Outages      []Outage `yaml:"outages"`       // intervals when the direction is down
}

// Outage is an interval of simulated time when a link direction carries
// nothing.
type Outage struct {
	From string `yaml:"from"` // e.g. 1s
	To   string `yaml:"to"`   // e.g. 2.5s
}

// App is a client program a scenario starts on a host.
type App struct {
	Node  string      `yaml:"node"`
	Start string      `yaml:"start"`
	POP3  *POP3Client `yaml:"pop3"`
	// The other programs (format_apps.go); an app runs exactly one.
	Ping       *PingApp       `yaml:"ping"`
	Telnet     *TelnetApp     `yaml:"telnet"`
	Traceroute *TracerouteApp `yaml:"traceroute"`
	DNS        *DNSApp        `yaml:"dns"`
	RARP       *RARPApp       `yaml:"rarp"`
}

// POP3Client retrieves mail with a script of POP3 commands.
type POP3Client struct {
	Server   string   `yaml:"server"` // an address, a node name, or a name a dns: app on the same node resolves
	Port     int      `yaml:"port"`
	User     string   `yaml:"user"`
	Pass     string   `yaml:"pass"`
	Commands []string `yaml:"commands"`
	// Resume: after a connection lost before QUIT was answered, reconnect
	// and go on from the last checkpoint in a new session.
	Resume      bool   `yaml:"resume"`
	IdleTimeout string `yaml:"idle_timeout"` // give up a silent connection after this long (default 5m with resume)
	// TLS: STLS or POP3S (format_tls.go).
	TLS *ClientTLS `yaml:"tls"`
}

// Expect is a check made at the end of the run.
type Expect struct {
	// Retrieved: the client's application received message N intact (its
	// hash after presentation decoding equals the server's stored message).
	Retrieved *ExpectRetrieved `yaml:"retrieved"`
	// Maildrop: what the server's maildrop holds at the end.
	Maildrop *ExpectMaildrop `yaml:"maildrop"`
	// The other expectations (format_apps.go).
	Ping        *ExpectPing       `yaml:"ping"`
	Telnet      *ExpectTelnet     `yaml:"telnet"`
	Traceroute  *ExpectTraceroute `yaml:"traceroute"`
	Resolved    *ExpectResolved   `yaml:"resolved"`
	RARP        *ExpectRARP       `yaml:"rarp"`
	Fragmented  *ExpectNode       `yaml:"fragmented"`
	Reassembled *ExpectNode       `yaml:"reassembled"`
	Dropped     *ExpectDropped    `yaml:"dropped"`
	Reply       *ExpectReply      `yaml:"reply"`
	TLS         *ExpectTLS        `yaml:"tls"` // format_tls.go
}

// ExpectRetrieved names a client and a message number.
type ExpectRetrieved struct {
	Node    string `yaml:"node"`
	Message int    `yaml:"message"`
}

// ExpectMaildrop says which messages are left and which were deleted.
type ExpectMaildrop struct {
	Node    string `yaml:"node"`
	Deleted []int  `yaml:"deleted"` // deleted in the UPDATE state, after QUIT
	Kept    []int  `yaml:"kept"`
}
