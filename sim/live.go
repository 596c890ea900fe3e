package sim

import (
	"encoding/binary"
	"hash/crc32"
	"io"
	"net/netip"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/network"
	"github.com/osisim/osisim/layers/physical"
)

// TAP is a device that stands for the real kernel behind a Linux TAP
// interface (docs/live.md). Plugged into a simulated link, it writes every
// frame that arrives on its one port to the TAP, and puts every frame the
// kernel writes to the TAP on the link at the current simulated time, so
// that the link's faults and fault rules apply to real traffic as to
// simulated traffic.
//
// The kernel's TAP frames carry no FCS: the TAP checks and strips the FCS
// of a frame going to the kernel, and pads a frame coming from the kernel
// to the minimum frame size (IEEE 802.3 clause 3.2.8) and appends its FCS,
// as a real NIC does in hardware. The trace says so at each crossing.
type TAP struct {
	name  string
	dev   string // the kernel's name of the interface, "tap0"
	mac   datalink.MAC
	port  *Port
	rw    io.ReadWriter
	buf   []byte // the frame being built for the link
	meta  layers.Meta
	wrote uint64 // frames written to the kernel
	read  uint64 // frames read from the kernel
}

// TAPConfig configures a TAP device.
type TAPConfig struct {
	Name   string       // the node's name in the trace, "kernel"
	Port   string       // the port's name, "eth0"; the default is Device
	Device string       // the kernel's name of the TAP interface, "tap0"
	MAC    datalink.MAC // the kernel side's MAC address, for the trace
	// IO reads and writes whole frames without FCS, one per call, as a TAP
	// file descriptor opened with IFF_TAP|IFF_NO_PI does (OpenTAP).
	IO io.ReadWriter
}

var _ Device = (*TAP)(nil)

// NewTAP returns a TAP device; connect its port with Sim.Connect.
func NewTAP(cfg TAPConfig) *TAP {
	t := &TAP{name: cfg.Name, dev: cfg.Device, mac: cfg.MAC, rw: cfg.IO}
	port := cfg.Port
	if port == "" {
		port = cfg.Device
	}
	t.port = &Port{Device: t, Name: port}
	return t
}

// Name returns the node's name.
func (t *TAP) Name() string { return t.name }

// Ports returns the TAP's one port.
func (t *TAP) Ports() []*Port { return []*Port{t.port} }

// Device returns the kernel's name of the TAP interface.
func (t *TAP) Device() string { return t.dev }

// MAC returns the kernel side's MAC address.
func (t *TAP) MAC() datalink.MAC { return t.mac }

// Counts returns how many frames went to the kernel and came from it.
func (t *TAP) Counts() (toKernel, fromKernel uint64) { return t.wrote, t.read }

func (t *TAP) record(s *Sim, e layers.Event) {
	e.Node, e.Iface = t.name, t.port.Name
	s.Record(&e)
}

// receive takes a frame that crossed the simulated link to the TAP: its
// bits are decoded, its FCS checked and stripped, and the rest written to
// the kernel.
func (t *TAP) receive(p *Port, sig physical.Signal, m layers.Meta) {
	s := p.Link.sim
	frame, ok := decodeSignal(s, t.name, p, sig, m)
	if !ok {
		return
	}
	if _, ok := parseFrame(s, t.name, p, frame, m); !ok {
		// A real NIC drops a frame whose FCS does not match before the
		// kernel sees it (IEEE 802.3 clause 3.2.9): so does the TAP.
		return
	}
	out := frame[:len(frame)-datalink.FCSLen]
	if _, err := t.rw.Write(out); err != nil {
		t.record(s, layers.Event{Layer: layers.DataLink, Dir: layers.Drop, Reason: layers.ReasonLinkDown, Cause: m.Cause}.Say(
			"l2.tap.write.failed", "the TAP %s refused the frame: %v", t.dev, err))
		return
	}
	t.wrote++
	if s.tracing {
		pdu := describeFrame(frame)
		pdu.ID = m.ID
		t.record(s, layers.Event{Layer: layers.DataLink, Dir: layers.Up, PDU: pdu}.Say(
			"l2.tap.out", "FCS ok and stripped (a TAP carries frames without FCS): %d B written to %s for the real kernel",
			len(out), t.dev))
	}
}

// inject puts a frame the kernel wrote to the TAP on the link at the
// current simulated time: padded to 60 octets and with its FCS appended.
func (t *TAP) inject(s *Sim, frame []byte) {
	if t.port.Link == nil {
		return
	}
	t.read++
	if len(frame) < datalink.HeaderLen {
		t.record(s, layers.Event{Layer: layers.DataLink, Dir: layers.Drop, Reason: layers.ReasonMalformed}.Say(
			"l2.tap.short", "the kernel wrote a %d B frame to %s: shorter than an Ethernet header (%d B)", len(frame), t.dev, datalink.HeaderLen))
		return
	}
	b := append(t.buf[:0], frame...)
	if n := datalink.HeaderLen + datalink.MinPayload; len(b) < n {
		b = append(b, make([]byte, n-len(b))...)
	}
	b = binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
	t.buf = b
	m := layers.Meta{}
	if s.tracing {
		m.ID = s.NewID()
		c := classifyFrame(b)
		if title, ok := liveChapter(&c, frame); ok {
			t.record(s, title)
		}
		pdu := describeFrame(b)
		pdu.ID = m.ID
		t.record(s, layers.Event{Layer: layers.DataLink, Dir: layers.Down, PDU: pdu}.Say(
			"l2.tap.in", "the real kernel wrote %d B to %s: padded to %d B and FCS %08x appended (a TAP carries frames without FCS)",
			len(frame), t.dev, len(b)-datalink.FCSLen, binary.LittleEndian.Uint32(b[len(b)-datalink.FCSLen:])))
	}
	t.port.Link.transmit(t.port, b, m)
}

// liveChapter starts a chapter of the story when a real program begins
// something the reader wants to follow: a TCP connection (a SYN without
// ACK, RFC 9293 3.5) or a ping (an ICMP echo request, RFC 792).
func liveChapter(c *frameClass, frame []byte) (layers.Event, bool) {
	e := layers.Event{Layer: layers.DataLink, Dir: layers.Note, Walk: true}
	src, dst := netip.AddrFrom4(c.flow.src), netip.AddrFrom4(c.flow.dst)
	switch {
	case c.tcp && c.flags&(tcpSYN|tcpACK) == tcpSYN:
		e = e.Title("chapter.live.connect", "a real program on the kernel side (%s port %d) opens a TCP connection to %s port %d",
			src, c.flow.sport, dst, c.flow.dport).
			Say("l2.live.connect", "a SYN from the real kernel: %s:%d -> %s:%d", src, c.flow.sport, dst, c.flow.dport)
		return e, true
	case c.ipv4 && c.proto == network.ProtoICMP && !c.fragment && len(frame) > datalink.HeaderLen:
		d, err := network.Parse(frame[datalink.HeaderLen:])
		if err != nil || len(d.Payload) == 0 || d.Payload[0] != network.ICMPEchoRequest {
			return e, false
		}
		e = e.Title("chapter.live.ping", "a real ping from the kernel side: %s asks %s for an echo", d.Src, d.Dst).
			Say("l2.live.ping", "an ICMP echo request from the real kernel: %s -> %s", d.Src, d.Dst)
		return e, true
	}
	return e, false
}
