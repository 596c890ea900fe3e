package sim

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/network"
)

// Protos is a set of protocols, the unit of the --proto filter.
type Protos uint8

// The protocols a filter can select.
const (
	ProtoARP Protos = 1 << iota
	ProtoIPv4
	ProtoICMP
	ProtoTCP
	ProtoUDP
	ProtoPOP3
	ProtoDNS
)

var protoNames = [...]struct {
	name string
	p    Protos
}{
	{"arp", ProtoARP}, {"ipv4", ProtoIPv4}, {"icmp", ProtoICMP}, {"tcp", ProtoTCP},
	{"udp", ProtoUDP}, {"pop3", ProtoPOP3}, {"dns", ProtoDNS},
}

// The well-known ports by which a filter recognises the application
// protocols (RFC 1939 3: POP3 listens on TCP port 110; RFC 1035 4.2: DNS
// on port 53).
const (
	pop3Port = 110
	dnsPort  = 53
)

// ParseProtos reads a protocol name (arp, ipv4, icmp, tcp, udp, pop3, dns).
func ParseProtos(s string) (Protos, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "ip" {
		s = "ipv4"
	}
	for _, pn := range protoNames {
		if pn.name == s {
			return pn.p, nil
		}
	}
	names := make([]string, len(protoNames))
	for i, pn := range protoNames {
		names[i] = pn.name
	}
	return 0, fmt.Errorf("sim: unknown protocol %q: want one of %s", s, strings.Join(names, ", "))
}

// String returns the names of the set, joined with "|".
func (p Protos) String() string {
	var names []string
	for _, pn := range protoNames {
		if p&pn.p != 0 {
			names = append(names, pn.name)
		}
	}
	return strings.Join(names, "|")
}

// frameProtos returns the protocols an Ethernet frame (header to FCS)
// carries, read from the header fields at their fixed offsets.
func frameProtos(frame []byte) Protos {
	if len(frame) < datalink.HeaderLen+datalink.FCSLen {
		return 0
	}
	t := datalink.EtherType(binary.BigEndian.Uint16(frame[12:14]))
	return l3Protos(t, frame[datalink.HeaderLen:len(frame)-datalink.FCSLen])
}

// l3Protos returns the protocols the payload b of a frame of type t
// carries: ARP and RARP (RFC 826, RFC 903), or IPv4 (RFC 791) and what its
// datagram carries.
func l3Protos(t datalink.EtherType, b []byte) Protos {
	switch t {
	case datalink.EtherTypeARP, datalink.EtherTypeRARP:
		return ProtoARP
	case datalink.EtherTypeIPv4:
		return ipProtos(b)
	}
	return 0
}

// ipProtos returns the protocols an IPv4 datagram carries. A fragment
// other than the first carries no transport header (RFC 791 2.3): it is
// counted as the transport protocol only.
func ipProtos(b []byte) Protos {
	if len(b) < network.IPv4MinHeaderLen || b[0]>>4 != 4 {
		return 0
	}
	p := ProtoIPv4
	ihl := int(b[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(b[2:4]))
	if total > len(b) {
		total = len(b)
	}
	first := binary.BigEndian.Uint16(b[6:8])&0x1fff == 0
	if ihl < network.IPv4MinHeaderLen || ihl > total {
		return p
	}
	payload := b[ihl:total]
	switch network.Protocol(b[9]) {
	case network.ProtoICMP:
		p |= ProtoICMP
	case network.ProtoTCP:
		p |= ProtoTCP
		if first {
			p |= tcpProtos(payload)
		}
	case network.ProtoUDP:
		p |= ProtoUDP
		if first {
			p |= udpProtos(payload)
		}
	}
	return p
}

// tcpProtos returns the application protocol of a TCP segment that carries
// data for a well-known port; a segment without data carries none.
func tcpProtos(s []byte) Protos {
	if len(s) < 20 {
		return 0
	}
	doff := int(s[12]>>4) * 4
	if doff < 20 || doff >= len(s) {
		return 0
	}
	return portProtos(binary.BigEndian.Uint16(s[0:2]), binary.BigEndian.Uint16(s[2:4]))
}

// udpProtos returns the application protocol of a UDP datagram (RFC 768).
func udpProtos(u []byte) Protos {
	if len(u) < 8 {
		return 0
	}
	return portProtos(binary.BigEndian.Uint16(u[0:2]), binary.BigEndian.Uint16(u[2:4]))
}

func portProtos(src, dst uint16) Protos {
	switch {
	case src == pop3Port || dst == pop3Port:
		return ProtoPOP3
	case src == dnsPort || dst == dnsPort:
		return ProtoDNS
	}
	return 0
}

// FilterOptions choose the events a Filter passes on. The zero value
// passes everything.
type FilterOptions struct {
	Nodes  []string       // node names; none: every node
	Layers []layers.Layer // OSI layers; none: every layer
	Protos Protos         // protocols; 0: every protocol
	From   time.Duration  // events before From are left out
	To     time.Duration  // events after To are left out; 0: no end
}

// Active reports whether the options leave anything out.
func (o FilterOptions) Active() bool {
	return len(o.Nodes) > 0 || len(o.Layers) > 0 || o.Protos != 0 || o.From > 0 || o.To > 0
}

// InWindow reports whether t falls in the time window [From, To].
func (o FilterOptions) InWindow(t time.Duration) bool {
	return t >= o.From && (o.To == 0 || t <= o.To)
}

// ParseLayers reads a layer of model m, by number (counted from the bottom
// of that model) or by name in English or Chinese ("transport",
// "network access", "网络层"), and returns the OSI layers it covers: under
// TCP/IP-4 layer 1 (network access) is the physical and data link layers.
func ParseLayers(m layers.Model, s string) ([]layers.Layer, error) {
	key := normLayerName(s)
	mls := m.Layers()
	var want int
	if n, err := strconv.Atoi(key); err == nil {
		if n < 1 || n > len(mls) {
			return nil, fmt.Errorf("sim: no layer %d in the %s model: it has layers 1 to %d", n, m, len(mls))
		}
		want = n
	} else {
		for _, ml := range mls {
			if key == normLayerName(ml.EN) || key == normLayerName(ml.ZH) || key == strings.TrimSuffix(normLayerName(ml.ZH), "层") {
				want = ml.Number
			}
		}
		if want == 0 {
			// The OSI names ("datalink") are understood under every model:
			// they map onto the model's own layer.
			for _, l := range layers.All {
				if key == normLayerName(l.Name(layers.EN)) || key == normLayerName(l.Name(layers.ZH)) {
					want = m.Map(l).Number
				}
			}
		}
		if want == 0 {
			names := make([]string, len(mls))
			for i, ml := range mls {
				names[i] = fmt.Sprintf("%d %s", ml.Number, normLayerName(ml.EN))
			}
			return nil, fmt.Errorf("sim: unknown layer %q in the %s model: want one of %s", s, m, strings.Join(names, ", "))
		}
	}
	var out []layers.Layer
	for _, l := range layers.All {
		if m.Map(l).Number == want {
			out = append(out, l)
		}
	}
	return out, nil
}

// normLayerName lower-cases s and drops spaces, hyphens and underscores:
// "Data link", "data-link" and "datalink" are one name.
func normLayerName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if rest := strings.TrimPrefix(s, "l"); rest != s {
		if _, err := strconv.Atoi(rest); err == nil {
			s = rest
		}
	}
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '_' {
			return -1
		}
		return r
	}, s)
}

// Filter is a Recorder that passes on to the next recorder only the events
// its options select, as they come: it keeps no trace, only a short memory
// of recent frames so that the bits of a frame match the frame's protocols.
//
// A chapter title on an event that is left out moves to the next event
// passed on, so the story keeps its chapters; a chapter in which nothing is
// passed on disappears.
type Filter struct {
	opt     FilterOptions
	next    layers.Recorder
	nodes   map[string]bool
	layers  [8]bool
	frames  recent[Protos] // frame id -> what the frame carries
	chapter string
	walk    bool
	scratch layers.Event
}

var _ layers.Recorder = (*Filter)(nil)

// NewFilter passes to next the events opt selects.
func NewFilter(next layers.Recorder, opt FilterOptions) *Filter {
	f := &Filter{opt: opt, next: next, frames: newRecent[Protos](4096)}
	if len(opt.Nodes) > 0 {
		f.nodes = make(map[string]bool, len(opt.Nodes))
		for _, n := range opt.Nodes {
			f.nodes[n] = true
		}
	}
	if len(opt.Layers) == 0 {
		for i := range f.layers {
			f.layers[i] = true
		}
	}
	for _, l := range opt.Layers {
		if l.Valid() {
			f.layers[l] = true
		}
	}
	return f
}

// Record implements layers.Recorder.
func (f *Filter) Record(e *layers.Event) {
	if e.Chapter != "" {
		f.chapter, f.walk = e.Chapter, e.Walk
	}
	if !f.Match(e) {
		return
	}
	if f.chapter != "" && e.Chapter != f.chapter {
		f.scratch = *e
		f.scratch.Chapter, f.scratch.Walk = f.chapter, f.walk
		e = &f.scratch
	}
	f.chapter = ""
	f.next.Record(e)
}

// Match reports whether the options select e. It also learns, from the
// frames it is shown, what each frame carries.
func (f *Filter) Match(e *layers.Event) bool {
	protos := f.protosOf(e)
	if f.nodes != nil && !f.nodes[e.Node] {
		return false
	}
	if int(e.Layer) < len(f.layers) && !f.layers[e.Layer] {
		return false
	}
	if !f.opt.InWindow(e.Time) {
		return false
	}
	return f.opt.Protos == 0 || protos&f.opt.Protos != 0
}

// protosOf returns the protocols an event is about: those its PDU is or
// carries, or for an event without a PDU those of the layer entity that
// recorded it (a TCP state change is about TCP, an ARP cache note about
// ARP).
func (f *Filter) protosOf(e *layers.Event) Protos {
	p := e.PDU
	if p == nil {
		return textProtos(e)
	}
	switch p.Kind {
	case "ethernet":
		if len(p.Bytes) > 0 {
			ps := frameProtos(p.Bytes)
			if p.ID != 0 && (e.Dir == layers.Down || e.Dir == layers.Forward) {
				f.frames.put(p.ID, ps)
			}
			return ps
		}
		ps, _ := f.frames.get(p.ID)
		return ps
	case "bits":
		id := p.ID
		if e.Dir == layers.Wire && len(p.Parents) > 0 {
			id = p.Parents[0]
		}
		ps, _ := f.frames.get(id)
		return ps
	case "arp":
		return ProtoARP
	case "ipv4":
		if len(p.Bytes) > 0 {
			return ipProtos(p.Bytes)
		}
		return ProtoIPv4
	case "icmp":
		return ProtoIPv4 | ProtoICMP
	case "tcp":
		if len(p.Bytes) > 0 {
			return ProtoTCP | tcpProtos(p.Bytes)
		}
		return ProtoTCP
	case "udp":
		if len(p.Bytes) > 0 {
			return ProtoUDP | udpProtos(p.Bytes)
		}
		return ProtoUDP
	case "pop3", "spdu", "ppdu":
		// The session and presentation entities of osisim serve the POP3
		// dialog.
		return ProtoPOP3
	case "dns":
		return ProtoDNS
	}
	return 0
}

// textProtos returns the protocols of an event without a PDU, from its
// layer and the protocol its text names.
func textProtos(e *layers.Event) Protos {
	t := e.Text
	switch e.Layer {
	case layers.Network:
		switch {
		case strings.Contains(t, "ARP") || strings.Contains(t, "RARP"):
			return ProtoARP
		case strings.Contains(t, "ICMP"):
			return ProtoIPv4 | ProtoICMP
		}
		return ProtoIPv4
	case layers.Transport:
		if strings.Contains(t, "UDP") {
			return ProtoUDP
		}
		return ProtoTCP
	case layers.Session, layers.Presentation:
		return ProtoPOP3
	case layers.Application:
		switch {
		case strings.HasPrefix(t, "POP3"):
			return ProtoPOP3
		case strings.HasPrefix(t, "DNS"):
			return ProtoDNS
		}
	}
	return 0
}

// recent is a map that remembers only its most recent n entries.
type recent[V any] struct {
	m    map[uint64]V
	ring []uint64
	next int
}

func newRecent[V any](n int) recent[V] {
	return recent[V]{m: make(map[uint64]V, n), ring: make([]uint64, n)}
}

func (r *recent[V]) put(id uint64, v V) {
	if _, ok := r.m[id]; !ok {
		if old := r.ring[r.next]; old != 0 {
			delete(r.m, old)
		}
		r.ring[r.next] = id
		r.next = (r.next + 1) % len(r.ring)
	}
	r.m[id] = v
}

func (r *recent[V]) get(id uint64) (V, bool) {
	v, ok := r.m[id]
	return v, ok
}
