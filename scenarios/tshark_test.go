package scenarios

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/application"
	"github.com/osisim/osisim/layers/presentation"
	"github.com/osisim/osisim/sim"
)

// These tests hold osisim's captures against a decoder nobody here wrote:
// Wireshark's tshark. For every bundled scenario they check that tshark
// finds nothing malformed and no unexpected expert information, that it
// verifies every checksum and FCS good, that its follow-TCP-stream of each
// POP3 connection is what the applications sent, and that every header
// field the JSON trace reports equals tshark's decode of the same frame.

// tsharkPath finds tshark: a skip locally when it is missing, a failure in
// CI (CI=true), where .ci/run installs it.
func tsharkPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("tshark")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("tshark is not installed (CI=true): the capture checks need Wireshark's tshark")
		}
		t.Skip("tshark is not installed: skipping the Wireshark capture checks (apt-get install tshark)")
	}
	return p
}

// tshark runs tshark with args and returns its standard output.
func tshark(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	// The link ARQ header (EtherType 0x88b5, the link-arq lesson) is
	// osisim's own: its dissector lets tshark see the IPv4 inside.
	args = append([]string{"-X", "lua_script:" + arqDissector}, args...)
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// The validation options: Wireshark checks none of these by default.
var tsharkValidate = []string{
	"-o", "eth.check_fcs:TRUE",
	"-o", "ip.check_checksum:TRUE",
	"-o", "tcp.check_checksum:TRUE",
	"-o", "udp.check_checksum:TRUE",
	"-o", "tcp.relative_sequence_numbers:FALSE",
}

// traceEvent is one line of the JSON trace (docs/trace-format.md), the
// part these tests read.
type traceEvent struct {
	Seq    uint64 `json:"seq"`
	Node   string `json:"node"`
	Iface  string `json:"iface"`
	Layer  int    `json:"layer"`
	Dir    string `json:"dir"`
	Reason string `json:"reason"`
	Text   string `json:"text"`
	Cause  string `json:"cause"`
	PDU    *struct {
		Kind    string   `json:"kind"`
		ID      uint64   `json:"id"`
		Parents []uint64 `json:"parents"`
		Len     int      `json:"len"`
		Fields  []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"fields"`
		Bytes string `json:"bytes"`
	} `json:"pdu"`
}

// field returns the value of the PDU's field name.
func (e *traceEvent) field(name string) (string, bool) {
	for _, f := range e.PDU.Fields {
		if f.Name == name {
			return f.Value, true
		}
	}
	return "", false
}

// captured is one scenario run with its trace and captures: the whole
// run in pcapng and pcap, and each link on its own in pcapng, as a tap on
// that link would see it (in one file the same frame crossing three links
// would look like two retransmissions to tshark).
type captured struct {
	file   *File
	res    *Result
	events []traceEvent
	pdus   map[uint64]*traceEvent // the first event that describes each PDU id
	pcapng string
	pcap   string
	links  []string // a pcapng file per link, in file order
	keylog string   // the TLS key log (tshark_tls_test.go)
}

// tee sends every frame to the whole-run writers and to its link's writer.
type tee struct {
	all   []*sim.PcapWriter
	links []*sim.PcapWriter
}

func (c tee) Frame(l *sim.Link, from *sim.Port, frame []byte, m layers.Meta, note string) {
	for _, w := range c.all {
		w.Frame(l, from, frame, m, note)
	}
	c.links[l.Index()].Frame(l, from, frame, m, note)
}

func capture(t *testing.T, name string) *captured {
	t.Helper()
	f, err := LoadBundled(name)
	if err != nil {
		t.Fatal(err)
	}
	var trace, ng, classic, keys bytes.Buffer
	j := sim.NewJSONRecorder(&trace)
	perLink := make([]bytes.Buffer, len(f.Links))
	var rec layers.Recorder = j
	out := tee{links: make([]*sim.PcapWriter, len(f.Links))}
	for i := range perLink {
		out.links[i] = sim.NewPcapWriter(&perLink[i], sim.PcapOptions{Next: rec})
		rec = out.links[i]
	}
	w := sim.NewPcapWriter(&ng, sim.PcapOptions{Format: sim.PcapNG, Comment: "osisim scenario " + name, Next: rec})
	p := sim.NewPcapWriter(&classic, sim.PcapOptions{Format: sim.Pcap})
	out.all = []*sim.PcapWriter{w, p}
	res, err := Run(f, Options{Seed: f.Seed, Recorder: w, Capture: out, KeyLog: &keys})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range append(out.all, out.links...) {
		if err := x.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Flush(); err != nil {
		t.Fatal(err)
	}
	c := &captured{file: f, res: res, pdus: map[uint64]*traceEvent{}}
	sc := bufio.NewScanner(&trace)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var e traceEvent
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("trace line %q: %v", sc.Text(), err)
		}
		c.events = append(c.events, e)
	}
	for i := range c.events {
		e := &c.events[i]
		if e.PDU == nil || e.PDU.ID == 0 || len(e.PDU.Fields) == 0 {
			continue
		}
		if _, ok := c.pdus[e.PDU.ID]; !ok {
			c.pdus[e.PDU.ID] = e
		}
	}
	if w.Frames() == 0 || w.Frames() != p.Frames() {
		t.Fatalf("pcapng has %d frames, pcap %d: want the same, more than 0", w.Frames(), p.Frames())
	}
	dir := t.TempDir()
	write := func(file string, b []byte) string {
		file = filepath.Join(dir, file)
		if err := os.WriteFile(file, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return file
	}
	c.pcapng = write(name+".pcapng", ng.Bytes())
	c.pcap = write(name+".pcap", classic.Bytes())
	for i := range perLink {
		c.links = append(c.links, write(fmt.Sprintf("%s-link%d.pcapng", name, i), perLink[i].Bytes()))
	}
	c.keylog = write(name+".keys", keys.Bytes())
	return c
}

// lossy reports whether the run lost, corrupted or reordered frames: then
// retransmissions, duplicate ACKs and out-of-order segments are expected.
func (c *captured) lossy(frames []tsharkFrame) bool {
	for _, fr := range frames {
		if fr.linkNote() != "" {
			return true
		}
	}
	for _, e := range c.events {
		if e.Dir != "drop" {
			continue
		}
		switch e.Reason {
		case "link-loss", "fault-rule", "link-down", "fcs-mismatch", "line-code", "queue-full":
			return true
		case "fragmentation-needed":
			// A router that drops a too-big datagram with DF set loses it
			// like a lossy link would (RFC 1191): the sender retransmits
			// until it learns the smaller MTU, or forever.
			return true
		}
	}
	return false
}

// tsharkFrame is one packet of `tshark -T json -e ...`: field name to
// values.
type tsharkFrame map[string][]string

func (f tsharkFrame) get(name string) (string, bool) {
	v, ok := f[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// pduID returns the frame's PDU id from its first comment.
func (f tsharkFrame) pduID() (uint64, bool) {
	for _, c := range f["frame.comment"] {
		if rest, ok := strings.CutPrefix(c, sim.CommentPrefix); ok {
			n, _, _ := strings.Cut(rest, ":")
			id, err := strconv.ParseUint(n, 10, 64)
			return id, err == nil
		}
	}
	return 0, false
}

// linkNote returns what happened to the frame on its link, if anything.
func (f tsharkFrame) linkNote() string {
	for _, c := range f["frame.comment"] {
		if rest, ok := strings.CutPrefix(c, "on the link: "); ok {
			return rest
		}
	}
	return ""
}

func (f tsharkFrame) number() string { n, _ := f.get("frame.number"); return n }

// tsharkFields are the fields asked of tshark for the cross-check.
var tsharkFields = []string{
	"frame.number", "frame.interface_id", "frame.comment", "_ws.malformed",
	"_ws.expert.severity", "_ws.expert.message",
	"eth.dst", "eth.src", "eth.type", "eth.fcs", "eth.fcs.status",
	"arp.hw.type", "arp.proto.type", "arp.hw.size", "arp.proto.size", "arp.opcode",
	"arp.src.hw_mac", "arp.src.proto_ipv4", "arp.dst.hw_mac", "arp.dst.proto_ipv4",
	"ip.version", "ip.hdr_len", "ip.dsfield", "ip.len", "ip.id", "ip.flags.df", "ip.flags.mf",
	"ip.frag_offset", "ip.ttl", "ip.proto", "ip.checksum", "ip.checksum.status", "ip.src", "ip.dst",
	"icmp.type", "icmp.code", "icmp.checksum", "icmp.checksum.status", "icmp.ident", "icmp.seq",
	"tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw", "tcp.hdr_len", "tcp.flags",
	"tcp.window_size_value", "tcp.checksum", "tcp.checksum.status", "tcp.urgent_pointer",
	"tcp.option_kind", "tcp.options.mss_val", "tcp.options.wscale.shift",
	"tcp.options.timestamp.tsval", "tcp.options.timestamp.tsecr", "tcp.len", "tcp.analysis.flags",
	"udp.srcport", "udp.dstport", "udp.length", "udp.checksum", "udp.checksum.status",
	"pop.request.command", "pop.request.parameter", "pop.response.indicator", "pop.response.description",
}

// decode runs tshark over file and returns every frame's fields.
func decode(t *testing.T, bin, file string, extra ...string) []tsharkFrame {
	t.Helper()
	args := append([]string{"-r", file, "-T", "json"}, tsharkValidate...)
	args = append(args, extra...)
	for _, f := range tsharkFields {
		args = append(args, "-e", f)
	}
	out := tshark(t, bin, args...)
	var pkts []struct {
		Source struct {
			Layers tsharkFrame `json:"layers"`
		} `json:"_source"`
	}
	if err := json.Unmarshal(out, &pkts); err != nil {
		t.Fatalf("tshark -T json: %v", err)
	}
	frames := make([]tsharkFrame, len(pkts))
	for i, p := range pkts {
		frames[i] = p.Source.Layers
	}
	return frames
}

func TestTshark(t *testing.T) {
	bin := tsharkPath(t)
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			c := capture(t, name)
			var frames [][]tsharkFrame
			n := 0
			for _, file := range c.links {
				fs := decode(t, bin, file, c.tlsArgs()...)
				frames = append(frames, fs)
				n += len(fs)
			}
			if n == 0 {
				t.Fatal("tshark read no frame")
			}
			expected := c.expectedExpert(slices.Concat(frames...))
			t.Run("malformed and checksums", func(t *testing.T) {
				for _, fs := range frames {
					checkIntact(t, fs)
				}
			})
			var comments [][]string
			for _, file := range []string{c.pcapng, c.pcap} {
				t.Run(filepath.Ext(file)[1:], func(t *testing.T) {
					whole := decode(t, bin, file, c.tlsArgs()...)
					if len(whole) != n {
						t.Fatalf("tshark read %d frames, the links have %d", len(whole), n)
					}
					for i, fr := range whole {
						// A pcap file has no comments: take the pcapng's,
						// frame for frame.
						if comments == nil || len(comments) != len(whole) {
							continue
						}
						fr["frame.comment"] = comments[i]
					}
					if comments == nil {
						for _, fr := range whole {
							comments = append(comments, fr["frame.comment"])
						}
					}
					checkIntact(t, whole)
				})
			}
			t.Run("expert info per link", func(t *testing.T) {
				for i, fs := range frames {
					checkExpert(t, c.file.Links[i], fs, expected)
				}
			})
			if c.usesTLS() {
				t.Run("follow TLS stream", func(t *testing.T) { checkFollowTLS(t, bin, c) })
			} else {
				t.Run("follow TCP stream", func(t *testing.T) { checkFollow(t, bin, c) })
			}
			t.Run("fields", func(t *testing.T) {
				for _, fs := range frames {
					checkFields(t, c, fs)
				}
			})
		})
	}
}

// arqDissector is the Lua dissector of the link ARQ header.
const arqDissector = "../docs/lessons/osisim-arq.lua"

// Checksum status values of Wireshark's proto_tree_add_checksum.
const (
	tsharkChecksumGood       = "1"
	tsharkChecksumUnverified = "2"
)

// Expert info severities (epan/proto.h).
const (
	severityNote  = 0x00400000
	severityWarn  = 0x00600000
	severityError = 0x00800000
)

// checkIntact checks that no frame is malformed or carries an error, and
// that every checksum tshark verifies is good, on every frame that the
// link did nothing to.
func checkIntact(t *testing.T, frames []tsharkFrame) {
	for _, fr := range frames {
		if fr.linkNote() != "" {
			continue
		}
		if _, ok := fr["_ws.malformed"]; ok {
			t.Errorf("frame %s: tshark says malformed: %v", fr.number(), fr["_ws.expert.message"])
		}
		for i, s := range fr["_ws.expert.severity"] {
			if n, _ := strconv.Atoi(s); n >= severityError {
				msg := ""
				if i < len(fr["_ws.expert.message"]) {
					msg = fr["_ws.expert.message"][i]
				}
				t.Errorf("frame %s: expert error %q", fr.number(), msg)
			}
		}
		// An ICMP error quotes the IP header and the first 8 octets of the
		// datagram it answers (RFC 792): a UDP header whose data is not
		// there. tshark decodes the quoted header and marks its checksum
		// unverified, which is right; a bad one would still be an error.
		// In a frame whose outer IP carries ICMP, every UDP header is a
		// quoted one.
		quoted := false
		if p, ok := fr.get("ip.proto"); ok && p == "1" {
			quoted = true
		}
		for _, f := range []string{"eth.fcs.status", "ip.checksum.status", "icmp.checksum.status", "tcp.checksum.status", "udp.checksum.status"} {
			for _, v := range fr[f] {
				if quoted && f == "udp.checksum.status" && v == tsharkChecksumUnverified {
					continue
				}
				if v != tsharkChecksumGood {
					t.Errorf("frame %s: %s is %s, want %s (good)", fr.number(), f, v, tsharkChecksumGood)
				}
			}
		}
		if _, ok := fr["eth.fcs.status"]; !ok {
			t.Errorf("frame %s: tshark did not verify an FCS", fr.number())
		}
	}
}

// expertAlways are notes tshark adds to any TCP connection.
var expertAlways = []string{"initiates the connection closing", "undergoes the connection closing"}

// expertLossy are what tshark says about a connection that lost or
// reordered segments: expected only in a lossy scenario.
var expertLossy = []string{
	"retransmission", "out-of-order", "Duplicate ACK", "Previous segment(s) not captured",
	"ACKed segment that wasn't captured", "previous segment not captured",
}

// expertTTL is the note tshark adds to an IPv4 header whose TTL is below 5
// (the probe of a traceroute, and the probe's header quoted in the ICMP
// time exceeded a router answers with).
var expertTTL = regexp.MustCompile(`^"Time To Live" only [0-9]+$`)

// expectedExpert says which expert information the run makes expected.
type expectedExpert struct {
	lossy      bool // lost, corrupted or reordered frames: retransmissions and the like
	traceroute bool // a traceroute app sends probes with small TTLs on purpose
	reset      bool // a TCP sent RST by design: see expectedExpert
}

func (c *captured) expectedExpert(frames []tsharkFrame) expectedExpert {
	x := expectedExpert{lossy: c.lossy(frames)}
	for _, a := range c.file.Apps {
		if a.Traceroute != nil {
			x.traceroute = true
		}
	}
	// tshark warns of every RST. A TCP sends one by design when a segment
	// arrives for a closed port or for no connection (RFC 9293 section
	// 3.10.7.1: the ping-vs-telnet lesson's refused telnet), and when its
	// application aborts the connection (section 3.10.5: a POP3 client
	// that gives up a silent connection to resume in a new one). The
	// trace's words tell these apart from UDP's closed port, which answers
	// with ICMP.
	for _, e := range c.events {
		if e.Layer != 4 {
			continue
		}
		switch {
		case e.Dir == "drop" && (e.Reason == string(layers.ReasonPortClosed) || e.Reason == string(layers.ReasonNoConn)) &&
			strings.HasSuffix(e.Text, "answered RST"):
			x.reset = true
		case e.Dir == "state" && strings.Contains(e.Text, "Abort called: RST sent"):
			x.reset = true
		}
	}
	return x
}

// checkExpert allows, on one link, only the expert notes and warnings the
// scenario makes expected.
func checkExpert(t *testing.T, l Link, frames []tsharkFrame, x expectedExpert) {
	for _, fr := range frames {
		sev, msg := fr["_ws.expert.severity"], fr["_ws.expert.message"]
		if len(sev) != len(msg) {
			t.Fatalf("link %s - %s frame %s: %d severities for %d messages", l.A, l.B, fr.number(), len(sev), len(msg))
		}
		for k, s := range sev {
			n, _ := strconv.Atoi(s)
			switch {
			case n < severityNote:
			case n >= severityError && fr.linkNote() != "":
			case n < severityError && containsAny(msg[k], expertAlways):
			case n < severityError && x.lossy && containsAny(msg[k], expertLossy):
			case n == severityNote && x.traceroute && expertTTL.MatchString(msg[k]):
			case n < severityError && x.reset && msg[k] == "Connection reset (RST)":
			default:
				t.Errorf("link %s - %s frame %s: unexpected expert info %q (severity 0x%x, expected: %+v)",
					l.A, l.B, fr.number(), msg[k], n, x)
			}
		}
	}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(strings.ToLower(s), strings.ToLower(sub)) {
			return true
		}
	}
	return false
}

// checkFollow compares tshark's follow-TCP-stream of each POP3 connection,
// on the link of the client's first interface, with what the client and
// the server applications sent on it, and checks the retrieved messages in
// it decode to the server's stored ones. A client may open several
// connections (two apps on one node, or a client that resumes in a new
// session after a lost connection): each is checked on its own.
func checkFollow(t *testing.T, bin string, c *captured) {
	conns := c.pop3Conns(t)
	for _, app := range c.file.Apps {
		if app.POP3 == nil {
			continue
		}
		if !slices.ContainsFunc(conns, func(pc *pop3Conn) bool { return pc.client == app.Node && len(pc.sent) > 0 }) {
			t.Errorf("%s sent no POP3 command", app.Node)
		}
	}
	// The replay serves each server's maildrop to its sessions in the
	// order their connections opened, so that what one session's QUIT
	// removed is gone for the next (RFC 1939 section 6).
	maildrops := map[string]*application.Maildrop{}
	for _, pc := range conns {
		var greeting []byte
		if len(pc.replies) > 0 {
			greeting = pc.replies[0]
		}
		wantC2S, wantS2C, retrieved := c.dialog(t, pc.server, maildrops, greeting, pc.sent)
		out := tshark(t, bin, "-r", c.linkOf(t, pc.client), "-q", "-z", "follow,tcp,raw,"+pc.local.String()+","+pc.remote.String())
		c2s, s2c, err := parseFollow(out, pc.local)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s -> %s: %d commands, %d replies, %d B and %d B in tshark's streams, server's FIN received: %v",
			pc.local, pc.remote, len(pc.sent), len(pc.replies), len(c2s), len(s2c), pc.finished)
		same := bytes.Equal
		if !pc.finished {
			// The server's FIN never reached the client: the connection
			// was cut short (the client aborted it, or the run ended with
			// the server still retransmitting, as for the client whose
			// server sets DF on a path it cannot cross). The link carried
			// only the start of each side's stream.
			same = func(got, want []byte) bool { return bytes.HasPrefix(want, got) }
		}
		if !same(c2s, wantC2S) {
			t.Errorf("%s -> %s (server's FIN received: %v): tshark's stream differs from the commands the client sent:\n%s",
				pc.local, pc.remote, pc.finished, cmp.Diff(lines(wantC2S), lines(c2s)))
		}
		if !same(s2c, wantS2C) {
			t.Errorf("%s -> %s (server's FIN received: %v): tshark's stream (%d B) differs from what the server sent (%d B):\n%s",
				pc.remote, pc.local, pc.finished, len(s2c), len(wantS2C), cmp.Diff(lines(wantS2C), lines(s2c)))
		}
		// The replies the trace shows the server sending are the lines of
		// its stream, in order.
		if got := bytes.Join(pc.replies, nil); !bytes.Equal(got, linesOnly(wantS2C, len(pc.replies))) {
			t.Errorf("%s -> %s: the server's replies in the trace differ from its stream:\n%s", pc.remote, pc.local,
				cmp.Diff(lines(linesOnly(wantS2C, len(pc.replies))), lines(got)))
		}
		for _, r := range retrieved {
			if !pc.finished && r.end > len(s2c) {
				continue // a retrieval the cut-short connection never carried whole
			}
			checkRetrieved(t, c, pc.server, r, s2c)
		}
	}
}

// pop3Conn is one TCP connection of a POP3 client, as the trace shows it.
type pop3Conn struct {
	client, server string         // the nodes
	local, remote  netip.AddrPort // the client's end and the server's
	sent, replies  [][]byte       // the POP3 lines each side's application sent on it, in order
	finished       bool           // the server's FIN reached the client
}

// pop3Conns returns the connections the POP3 apps opened, in the order of
// their first SYN. A line of the application goes to the connection of the
// first segment that carries it (the segment's PDU descends from it).
func (c *captured) pop3Conns(t *testing.T) []*pop3Conn {
	t.Helper()
	kind := map[uint64]string{}
	parents := map[uint64][]uint64{}
	dst := map[uint64]netip.Addr{} // a transport PDU's IPv4 destination
	src := map[uint64]netip.Addr{}
	for i := range c.events {
		e := &c.events[i]
		if e.PDU == nil || e.PDU.ID == 0 {
			continue
		}
		if _, ok := kind[e.PDU.ID]; !ok {
			kind[e.PDU.ID] = e.PDU.Kind
			parents[e.PDU.ID] = e.PDU.Parents
		}
		if e.PDU.Kind == "ipv4" && e.Dir == "down" {
			s, _ := e.field("Source")
			d, _ := e.field("Destination")
			for _, p := range e.PDU.Parents {
				if _, ok := dst[p]; !ok {
					src[p], _ = netip.ParseAddr(s)
					dst[p], _ = netip.ParseAddr(d)
				}
			}
		}
	}
	ends := func(e *traceEvent) (from, to netip.AddrPort, flags string) {
		sp, _ := e.field("Source Port")
		dp, _ := e.field("Destination Port")
		a, _ := strconv.ParseUint(firstWord(sp), 10, 16)
		b, _ := strconv.ParseUint(firstWord(dp), 10, 16)
		flags, _ = e.field("Flags")
		return netip.AddrPortFrom(src[e.PDU.ID], uint16(a)), netip.AddrPortFrom(dst[e.PDU.ID], uint16(b)), flags
	}
	// The POP3 apps, in file order: a client node, its server's node and
	// the server's address and port.
	type app struct {
		client, server string
		at             netip.AddrPort
	}
	var apps []app
	for _, a := range c.file.Apps {
		if a.POP3 == nil {
			continue
		}
		addr, _, err := serverAddr(c.file, a.Node, a.POP3.Server, c.nodeMap())
		if err != nil {
			t.Fatal(err)
		}
		port := a.POP3.Port
		if port == 0 {
			port = 110
		}
		apps = append(apps, app{a.Node, c.serverOf(a), netip.AddrPortFrom(addr, uint16(port))})
	}
	var conns []*pop3Conn
	byEnds := map[[2]netip.AddrPort]*pop3Conn{} // client end, server end
	owner := map[uint64]*pop3Conn{}             // a POP3 line's connection
	for i := range c.events {
		e := &c.events[i]
		if e.Layer != 4 || e.PDU == nil || e.PDU.Kind != "tcp" {
			continue
		}
		if e.Dir == "up" {
			// Only ports here: an arriving segment's PDU names no IPv4
			// datagram it came in, and a client's ports are its own.
			from, to, flags := ends(e)
			for _, pc := range conns {
				if pc.client == e.Node && pc.remote.Port() == from.Port() && pc.local.Port() == to.Port() && strings.Contains(flags, "FIN") {
					pc.finished = true
				}
			}
			continue
		}
		if e.Dir != "down" {
			continue
		}
		from, to, flags := ends(e)
		pc := byEnds[[2]netip.AddrPort{from, to}]
		if pc == nil {
			pc = byEnds[[2]netip.AddrPort{to, from}]
		}
		if pc == nil && strings.Contains(flags, "SYN") && !strings.Contains(flags, "ACK") {
			if k := slices.IndexFunc(apps, func(a app) bool { return a.client == e.Node && a.at == to }); k >= 0 {
				pc = &pop3Conn{client: apps[k].client, server: apps[k].server, local: from, remote: to}
				conns = append(conns, pc)
				byEnds[[2]netip.AddrPort{from, to}] = pc
			}
		}
		if pc == nil {
			continue
		}
		// The POP3 lines this segment carries: its ancestors of kind pop3.
		seen := map[uint64]bool{}
		queue := slices.Clone(e.PDU.Parents)
		for len(queue) > 0 {
			id := queue[0]
			queue = queue[1:]
			if seen[id] {
				continue
			}
			seen[id] = true
			if kind[id] == "pop3" {
				if owner[id] == nil {
					owner[id] = pc
				}
				continue
			}
			queue = append(queue, parents[id]...)
		}
	}
	for i := range c.events {
		e := &c.events[i]
		if e.Layer != 7 || e.Dir != "down" || e.PDU == nil || e.PDU.Kind != "pop3" {
			continue
		}
		pc := owner[e.PDU.ID]
		if pc == nil {
			continue // a line no segment carried: the connection ended first
		}
		b, _ := hex.DecodeString(e.PDU.Bytes)
		switch e.Node {
		case pc.client:
			pc.sent = append(pc.sent, b)
		case pc.server:
			pc.replies = append(pc.replies, b)
		}
	}
	return conns
}

// serverOf names the host whose address the client's app connects to.
func (c *captured) serverOf(app App) string {
	addr, _, err := serverAddr(c.file, app.Node, app.POP3.Server, c.nodeMap())
	if err != nil {
		return ""
	}
	for _, n := range c.file.Nodes {
		for _, itf := range n.Interfaces {
			if p, err := netip.ParsePrefix(itf.IP); err == nil && p.Addr() == addr {
				return n.Name
			}
		}
	}
	return ""
}

func (c *captured) nodeMap() map[string]*Node {
	m := map[string]*Node{}
	for i := range c.file.Nodes {
		m[c.file.Nodes[i].Name] = &c.file.Nodes[i]
	}
	return m
}

// retrievedBody is a message the dialog retrieved: its number and where
// its stuffed body lies in the server's stream.
type retrievedBody struct {
	n          int
	start, end int
}

// dialog replays the client's commands (as the trace shows them sent on
// one connection) against a fresh POP3 session over the server's maildrop
// in maildrops (the scenario's, made on first use), and returns the
// octets each side sent: the commands, and the greeting, the replies and
// the byte-stuffed multi-line bodies (RFC 1939 section 3).
//
// The server's greeting (as the trace shows it) gives the APOP timestamp
// "<pid.clock@host>" (RFC 1939 section 7) the replayed server must offer.
func (c *captured) dialog(t *testing.T, server string, maildrops map[string]*application.Maildrop, greeting []byte, sent [][]byte) (c2s, s2c []byte, got []retrievedBody) {
	t.Helper()
	var svc *POP3Service
	for _, n := range c.file.Nodes {
		if n.Name == server {
			svc = n.Services.POP3
		}
	}
	if svc == nil {
		t.Fatalf("%s runs no POP3 server", server)
	}
	cfg := pop3ServerConfig(svc)
	var opts []application.ServerOption
	if m := apopTimestamp.FindSubmatch(greeting); m != nil {
		pid, _ := strconv.ParseUint(string(m[1]), 10, 64)
		clock, _ := strconv.ParseUint(string(m[2]), 10, 64)
		opts = append(opts, application.WithTimestamp(pid, clock))
	}
	md := maildrops[server]
	if md == nil {
		md = application.NewMaildrop(cfg.Encoding, cfg.Mails...)
		maildrops[server] = md
	}
	srv := application.NewServer(md, cfg.Users, cfg.Hostname+" POP3 server ready", opts...)
	srv.Host = cfg.Hostname
	reply := func(r application.Reply) {
		s2c = r.Line.Append(s2c)
		if r.Body != nil && r.Line.OK {
			b, err := io.ReadAll(presentation.NewStuffer(r.Body.Reader()))
			if err != nil {
				t.Fatal(err)
			}
			s2c = append(s2c, b...)
		}
	}
	reply(srv.Greeting())
	for _, line := range sent {
		c2s = append(c2s, line...)
		cmd, err := application.ParseCommand(line)
		if err != nil {
			t.Fatalf("the client sent %q: %v", line, err)
		}
		start := len(s2c)
		r := srv.Handle(cmd)
		reply(r)
		if cmd.Keyword == "RETR" && r.Line.OK && r.Body != nil {
			n, _ := strconv.Atoi(cmd.Args[0])
			got = append(got, retrievedBody{n: n, start: start + r.Line.Len(), end: len(s2c)})
		}
	}
	// The session ends with its connection: without QUIT, nothing it
	// marked is removed and the maildrop is unlocked (RFC 1939 section 6).
	srv.Lost()
	return c2s, s2c, got
}

// apopTimestamp finds "<pid.clock@host>" at the end of a greeting.
var apopTimestamp = regexp.MustCompile(`<([0-9]+)\.([0-9]+)@[^>]*>\r\n$`)

// checkRetrieved un-stuffs and decodes a retrieved body from tshark's
// stream and compares it with the message the server stored.
func checkRetrieved(t *testing.T, c *captured, server string, r retrievedBody, s2c []byte) {
	if r.end > len(s2c) {
		t.Errorf("message %d: tshark's stream ends at %d B, before the body's end at %d B", r.n, len(s2c), r.end)
		return
	}
	dec := presentation.NewDecoder()
	u := presentation.NewUnstuffer(dec)
	if _, err := u.Write(s2c[r.start:r.end]); err != nil {
		t.Errorf("message %d: un-stuffing tshark's stream: %v", r.n, err)
		return
	}
	if err := u.End(); err != nil {
		t.Errorf("message %d: %v", r.n, err)
		return
	}
	res, err := dec.Result()
	if err != nil {
		t.Errorf("message %d: decoding tshark's stream: %v", r.n, err)
		return
	}
	want, ok := c.res.Servers[server].StoredHash(r.n)
	if !ok || res.Hash != want {
		t.Errorf("message %d in tshark's stream has sha256 %x, the server stored %x", r.n, res.Hash[:8], want[:8])
	}
}

// linesOnly returns the first n lines of a server stream that are replies:
// the stream without its multi-line bodies.
func linesOnly(s2c []byte, n int) []byte {
	var out []byte
	inBody := false
	for len(s2c) > 0 && n > 0 {
		i := bytes.Index(s2c, []byte("\r\n"))
		if i < 0 {
			break
		}
		line := s2c[:i+2]
		s2c = s2c[i+2:]
		switch {
		case inBody:
			if string(line) == ".\r\n" {
				inBody = false
			}
		default:
			out = append(out, line...)
			n--
			// A +OK line is followed by a body exactly when the next line
			// does not start another reply; the replay knows, the stream
			// alone does not, so look ahead.
			inBody = bytes.HasPrefix(line, []byte("+OK")) && len(s2c) > 0 && !bytes.HasPrefix(s2c, []byte("+OK")) && !bytes.HasPrefix(s2c, []byte("-ERR"))
		}
	}
	return out
}

// linkOf returns the capture of the link of node's first interface.
func (c *captured) linkOf(t *testing.T, node string) string {
	t.Helper()
	for i, l := range c.file.Links {
		a, _, _ := strings.Cut(l.A, ".")
		b, _, _ := strings.Cut(l.B, ".")
		if a == node || b == node {
			return c.links[i]
		}
	}
	t.Fatalf("%s has no link", node)
	return ""
}

// parseFollow reads `tshark -z follow,tcp,raw`: hex lines, those of the
// second node indented with a tab.
func parseFollow(out []byte, local netip.AddrPort) (c2s, s2c []byte, err error) {
	node0 := ""
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "Node 0: "):
			node0 = strings.TrimPrefix(line, "Node 0: ")
		case strings.HasPrefix(line, "===") || strings.HasPrefix(line, "Follow:") || strings.HasPrefix(line, "Filter:") ||
			strings.HasPrefix(line, "Node 1: ") || line == "":
		default:
			second := strings.HasPrefix(line, "\t")
			b, err := hex.DecodeString(strings.TrimSpace(line))
			if err != nil {
				return nil, nil, fmt.Errorf("follow output line %q: %v", line, err)
			}
			if second == (node0 == local.String()) {
				s2c = append(s2c, b...)
			} else {
				c2s = append(c2s, b...)
			}
		}
	}
	if node0 == "" {
		return nil, nil, fmt.Errorf("tshark found no stream %s:\n%s", local, out)
	}
	return c2s, s2c, nil
}

// lines splits a stream at CRLF, for readable diffs.
func lines(b []byte) []string {
	return strings.SplitAfter(string(b), "\r\n")
}

// firstWord returns "110" from "110(pop3)" or "0x0806 (ARP)".
func firstWord(s string) string {
	if i := strings.IndexAny(s, " ("); i >= 0 {
		return s[:i]
	}
	return s
}

// checkFields compares, frame by frame, the header fields the JSON trace
// reports for the frame's PDUs with tshark's decode of the same frame,
// matched by the PDU id in the frame's comment.
func checkFields(t *testing.T, c *captured, frames []tsharkFrame) {
	for _, fr := range frames {
		id, ok := fr.pduID()
		if !ok {
			t.Errorf("frame %s: no %q comment", fr.number(), sim.CommentPrefix)
			continue
		}
		eth := c.pdus[id]
		if eth == nil || eth.PDU.Kind != "ethernet" {
			t.Errorf("frame %s: the trace describes no frame with pdu id %d", fr.number(), id)
			continue
		}
		var got, want []string
		add := func(what, osisim, ws string) {
			want = append(want, what+" = "+osisim)
			got = append(got, what+" = "+ws)
		}
		compareEthernet(eth, fr, add)
		l3 := c.find(eth, "arp", "ipv4")
		if slices.Contains(fr["eth.type"], "0x88b5") {
			// A link ARQ frame: tshark's -T json output leaves out the
			// fields of what the Lua dissector hands on (-T fields has
			// them), so the layers inside are checked by the follow-TCP-
			// stream test only.
			l3 = nil
		}
		if l3 != nil {
			switch l3.PDU.Kind {
			case "arp":
				compareARP(l3, fr, add)
			case "ipv4":
				compareIPv4(l3, fr, add)
				l4 := c.find(l3, "tcp", "udp", "icmp")
				// tshark reassembles IPv4 fragments (ip.defragment, on by
				// default): it holds every fragment with More Fragments set
				// and decodes no transport header in its frame, then
				// dissects the reassembled datagram in the frame of the
				// last fragment, whose transport fields are then those of
				// the whole segment osisim's trace names.
				if flags, _ := l3.field("Flags"); strings.Contains(flags, "MF") {
					l4 = nil
				}
				if l4 != nil {
					switch l4.PDU.Kind {
					case "tcp":
						compareTCP(l4, fr, add)
						// tshark does not hand the data of a segment it takes
						// for a retransmission to the POP dissector.
						_, again := fr["tcp.analysis.flags"]
						if msg := c.wholeLine(l4); msg != nil && !(again && strings.Contains(strings.Join(fr["_ws.expert.message"], "|"), "retransmission")) {
							comparePOP3(msg, fr, add)
						}
					case "udp":
						compareUDP(l4, fr, add)
					case "icmp":
						compareICMP(l4, fr, add)
					}
				}
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("frame %s (pdu %d): osisim's trace (-) and tshark (+) disagree:\n%s", fr.number(), id, diff)
		}
	}
}

// find walks the PDUs e carries, breadth first, to the first of kind.
func (c *captured) find(e *traceEvent, kinds ...string) *traceEvent {
	seen := map[uint64]bool{}
	queue := slices.Clone(e.PDU.Parents)
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if seen[id] {
			continue
		}
		seen[id] = true
		p := c.pdus[id]
		if p == nil {
			continue
		}
		if slices.Contains(kinds, p.PDU.Kind) {
			return p
		}
		queue = append(queue, p.PDU.Parents...)
	}
	return nil
}

// wholeLine returns the POP3 message a segment carries when its payload is
// exactly that one line.
func (c *captured) wholeLine(seg *traceEvent) *traceEvent {
	msg := c.find(seg, "pop3")
	if msg == nil {
		return nil
	}
	b, _ := hex.DecodeString(seg.PDU.Bytes)
	line, _ := hex.DecodeString(msg.PDU.Bytes)
	if len(b) < 20 || !bytes.Equal(b[int(b[12]>>4)*4:], line) {
		return nil
	}
	return msg
}

type addFunc func(what, osisim, tshark string)

// compareField adds osisim's field name (normalized by norm) and tshark's
// field ws.
func compareField(e *traceEvent, fr tsharkFrame, add addFunc, name, ws string, norm func(string) string) {
	v, ok := e.field(name)
	if !ok {
		v = "(missing)"
	} else if norm != nil {
		v = norm(v)
	}
	w, ok := fr.get(ws)
	if !ok {
		w = "(missing)"
	}
	add(e.PDU.Kind+" "+name+" / "+ws, v, w)
}

// inParens returns "20" from "5 (20 bytes)".
func inParens(s string) string {
	_, r, ok := strings.Cut(s, "(")
	if !ok {
		return s
	}
	return firstWord(strings.TrimSuffix(r, ")"))
}

// hexNumber prints a hexadecimal "0x012" as a decimal "18".
func hexNumber(s string) string {
	n, err := strconv.ParseUint(strings.TrimPrefix(firstWord(s), "0x"), 16, 64)
	if err != nil {
		return s
	}
	return strconv.FormatUint(n, 10)
}

func compareEthernet(e *traceEvent, fr tsharkFrame, add addFunc) {
	compareField(e, fr, add, "Destination", "eth.dst", firstWord)
	compareField(e, fr, add, "Source", "eth.src", firstWord)
	compareField(e, fr, add, "Type", "eth.type", firstWord)
	// Both print the FCS as its four octets in wire order.
	compareField(e, fr, add, "FCS", "eth.fcs", firstWord)
}

func compareARP(e *traceEvent, fr tsharkFrame, add addFunc) {
	compareField(e, fr, add, "Hardware Type", "arp.hw.type", firstWord)
	compareField(e, fr, add, "Protocol Type", "arp.proto.type", firstWord)
	compareField(e, fr, add, "Hardware Size", "arp.hw.size", nil)
	compareField(e, fr, add, "Protocol Size", "arp.proto.size", nil)
	compareField(e, fr, add, "Opcode", "arp.opcode", firstWord)
	compareField(e, fr, add, "Sender MAC Address", "arp.src.hw_mac", nil)
	compareField(e, fr, add, "Sender IP Address", "arp.src.proto_ipv4", nil)
	compareField(e, fr, add, "Target MAC Address", "arp.dst.hw_mac", nil)
	compareField(e, fr, add, "Target IP Address", "arp.dst.proto_ipv4", nil)
}

func compareIPv4(e *traceEvent, fr tsharkFrame, add addFunc) {
	compareField(e, fr, add, "Version", "ip.version", nil)
	compareField(e, fr, add, "IHL", "ip.hdr_len", inParens)
	compareField(e, fr, add, "TOS", "ip.dsfield", nil)
	compareField(e, fr, add, "Total Length", "ip.len", nil)
	compareField(e, fr, add, "Identification", "ip.id", firstWord)
	flags, _ := e.field("Flags")
	add("ipv4 Flags DF / ip.flags.df", boolText(strings.Contains(flags, "DF")), tsharkBool(fr, "ip.flags.df"))
	add("ipv4 Flags MF / ip.flags.mf", boolText(strings.Contains(flags, "MF")), tsharkBool(fr, "ip.flags.mf"))
	// osisim prints the offset in octets; tshark 4.0 prints the wire
	// field, in 8-octet units (later versions print octets).
	off, _ := e.field("Fragment Offset")
	ws, _ := fr.get("ip.frag_offset")
	if o, err := strconv.Atoi(off); err == nil && ws == strconv.Itoa(o/8) && o%8 == 0 {
		ws = off
	}
	add("ipv4 Fragment Offset / ip.frag_offset", off, ws)
	compareField(e, fr, add, "TTL", "ip.ttl", nil)
	compareField(e, fr, add, "Protocol", "ip.proto", firstWord)
	compareField(e, fr, add, "Header Checksum", "ip.checksum", nil)
	compareField(e, fr, add, "Source", "ip.src", nil)
	compareField(e, fr, add, "Destination", "ip.dst", nil)
}

func boolText(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// tsharkBool reads a boolean field as "1" or "0" (tshark prints 1/0 or
// True/False depending on the version).
func tsharkBool(fr tsharkFrame, name string) string {
	v, ok := fr.get(name)
	if !ok {
		return "(missing)"
	}
	switch strings.ToLower(v) {
	case "1", "true":
		return "1"
	case "0", "false":
		return "0"
	}
	return v
}

func compareICMP(e *traceEvent, fr tsharkFrame, add addFunc) {
	compareField(e, fr, add, "Type", "icmp.type", firstWord)
	compareField(e, fr, add, "Code", "icmp.code", firstWord)
	compareField(e, fr, add, "Checksum", "icmp.checksum", nil)
	if _, ok := e.field("Identifier"); ok {
		compareField(e, fr, add, "Identifier", "icmp.ident", firstWord)
		compareField(e, fr, add, "Sequence Number", "icmp.seq", firstWord)
	}
}

func compareTCP(e *traceEvent, fr tsharkFrame, add addFunc) {
	compareField(e, fr, add, "Source Port", "tcp.srcport", firstWord)
	compareField(e, fr, add, "Destination Port", "tcp.dstport", firstWord)
	compareField(e, fr, add, "Sequence Number", "tcp.seq_raw", nil)
	compareField(e, fr, add, "Acknowledgment Number", "tcp.ack_raw", nil)
	compareField(e, fr, add, "Data Offset", "tcp.hdr_len", inParens)
	flags, _ := e.field("Flags")
	ws, _ := fr.get("tcp.flags")
	add("tcp Flags / tcp.flags", hexNumber(flags), hexNumber(ws))
	compareField(e, fr, add, "Window", "tcp.window_size_value", nil)
	compareField(e, fr, add, "Checksum", "tcp.checksum", nil)
	compareField(e, fr, add, "Urgent Pointer", "tcp.urgent_pointer", nil)
	compareTCPOptions(e, fr, add)
}

// compareTCPOptions compares the option list ("MSS=1460, NOP, WS=7") with
// tshark's option kinds and values.
func compareTCPOptions(e *traceEvent, fr tsharkFrame, add addFunc) {
	opts, _ := e.field("Options")
	var kinds []string
	want := map[string]string{}
	if opts != "none" {
		for _, o := range strings.Split(opts, ", ") {
			switch {
			case strings.HasPrefix(o, "MSS="):
				kinds = append(kinds, "2")
				want["tcp.options.mss_val"] = strings.TrimPrefix(o, "MSS=")
			case strings.HasPrefix(o, "WS="):
				kinds = append(kinds, "3")
				want["tcp.options.wscale.shift"] = strings.TrimPrefix(o, "WS=")
			case o == "SACK_PERM":
				kinds = append(kinds, "4")
			case strings.HasPrefix(o, "SACK"):
				kinds = append(kinds, "5")
			case strings.HasPrefix(o, "TS "):
				kinds = append(kinds, "8")
				var val, ecr string
				fmt.Sscanf(o, "TS val=%s ecr=%s", &val, &ecr)
				want["tcp.options.timestamp.tsval"], want["tcp.options.timestamp.tsecr"] = val, ecr
			case o == "NOP":
				kinds = append(kinds, "1")
			case o == "EOL":
				kinds = append(kinds, "0")
			case strings.HasPrefix(o, "kind "):
				kinds = append(kinds, strings.Fields(o)[1])
			default:
				kinds = append(kinds, o)
			}
		}
	}
	add("tcp Options kinds / tcp.option_kind", strings.Join(kinds, ","), strings.Join(fr["tcp.option_kind"], ","))
	for _, k := range slices.Sorted(maps.Keys(want)) {
		v, _ := fr.get(k)
		add("tcp Options / "+k, want[k], v)
	}
}

func compareUDP(e *traceEvent, fr tsharkFrame, add addFunc) {
	compareField(e, fr, add, "Source Port", "udp.srcport", firstWord)
	compareField(e, fr, add, "Destination Port", "udp.dstport", firstWord)
	compareField(e, fr, add, "Length", "udp.length", nil)
	compareField(e, fr, add, "Checksum", "udp.checksum", firstWord)
}

// comparePOP3 compares a command's keyword and arguments or a reply's
// status and text with tshark's POP dissector.
func comparePOP3(e *traceEvent, fr tsharkFrame, add addFunc) {
	if _, ok := e.field("Keyword"); ok {
		compareField(e, fr, add, "Keyword", "pop.request.command", nil)
		if a, _ := e.field("Arguments"); a != "" {
			compareField(e, fr, add, "Arguments", "pop.request.parameter", nil)
		}
		return
	}
	compareField(e, fr, add, "Status", "pop.response.indicator", nil)
	// Wireshark's POP dissector knows no response codes (RFC 2449 section
	// 8): its description is the code and the text as one string.
	if code, ok := e.field("Response code"); ok {
		a, _ := e.field("Text")
		w, ok := fr.get("pop.response.description")
		if !ok {
			w = "(missing)"
		}
		add("pop3 Response code and Text / pop.response.description", code+" "+a, w)
		return
	}
	if a, _ := e.field("Text"); a != "" {
		compareField(e, fr, add, "Text", "pop.response.description", nil)
	}
}
