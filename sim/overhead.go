package sim

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/osisim/osisim/layers"
)

// Overhead is what a run cost at every layer of the hosts that sent TCP
// segments: how many PDUs each layer built and how many octets of header
// (and trailer) it added to them. Comparing the Overhead of the same run in
// the Internet and the osi profile shows what the textbook's session and
// presentation headers cost on the wire.
type Overhead struct {
	Hosts []string // the hosts counted, by name
	// Headers and HeaderOctets per layer, indexed by layer number (1 to
	// 7): how many headers the hosts' layers put on the PDUs they built
	// going down (layer 1: the preamble and SFD of the frames they put on a
	// wire; layer 2: the Ethernet header with the FCS trailer) and their
	// octets.
	Headers, HeaderOctets [8]int64
	TCPPayload            int64 // octets of TCP data, retransmissions included
	WireOctets            int64 // octets on the wire, preamble to FCS
}

// OverheadRecorder counts, per node and layer, the PDUs built going down
// and their header octets. Use it as (part of) a run's Recorder, then call
// Overhead.
type OverheadRecorder struct {
	nodes map[string]*nodeOverhead
}

type nodeOverhead struct {
	o       Overhead
	sentTCP bool
}

var _ layers.Recorder = (*OverheadRecorder)(nil)

// NewOverheadRecorder returns an empty OverheadRecorder.
func NewOverheadRecorder() *OverheadRecorder {
	return &OverheadRecorder{nodes: map[string]*nodeOverhead{}}
}

// Record counts e when it is a PDU built going down, or put on a wire.
func (r *OverheadRecorder) Record(e *layers.Event) {
	if e.PDU == nil || e.Layer < layers.Physical || e.Layer > layers.Application {
		return
	}
	if e.Dir != layers.Down && !(e.Dir == layers.Wire && e.Layer == layers.Physical) {
		return
	}
	n := r.nodes[e.Node]
	if n == nil {
		n = &nodeOverhead{}
		r.nodes[e.Node] = n
	}
	l := int(e.Layer)
	if e.PDU.HeaderLen > 0 && e.Layer != layers.Application {
		n.o.Headers[l]++
		n.o.HeaderOctets[l] += int64(e.PDU.HeaderLen)
	}
	switch e.Layer {
	case layers.Transport:
		if e.PDU.Kind == "tcp" {
			n.sentTCP = true
			n.o.TCPPayload += int64(e.PDU.Len - e.PDU.HeaderLen)
		}
	case layers.Physical:
		n.o.WireOctets += int64(e.PDU.Len)
	}
}

// Overhead sums the counts of the nodes that sent TCP segments.
func (r *OverheadRecorder) Overhead() Overhead {
	var sum Overhead
	for name, n := range r.nodes {
		if !n.sentTCP {
			continue
		}
		sum.Hosts = append(sum.Hosts, name)
		for l := range sum.Headers {
			sum.Headers[l] += n.o.Headers[l]
			sum.HeaderOctets[l] += n.o.HeaderOctets[l]
		}
		sum.TCPPayload += n.o.TCPPayload
		sum.WireOctets += n.o.WireOctets
	}
	sort.Strings(sum.Hosts)
	return sum
}

// share returns part as a percentage of whole.
func share(part, whole int64) string {
	if whole == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(part)/float64(whole))
}

// WriteOverheadComparison writes a table comparing the Internet profile's
// overhead (inet) with the osi profile's (osi) for the same scenario and
// seed, layer by layer, in lang. The application's data is what TCP
// carried in the Internet profile, which adds no header above TCP.
func WriteOverheadComparison(w io.Writer, inet, osi Overhead, lang layers.Lang) error {
	var b strings.Builder
	b.WriteString(Msgf(lang, "overhead.title", strings.Join(osi.Hosts, ", ")) + "\n")
	rows := [][3]string{{"", Msg(lang, "overhead.col.internet"), Msg(lang, "overhead.col.osi")}}
	octets := func(n int64) string { return Msgf(lang, "overhead.octets", layers.Thousands(n)) }
	hdr := func(o Overhead, l int) string {
		return Msgf(lang, "overhead.headers", layers.Thousands(o.HeaderOctets[l]), layers.Thousands(o.Headers[l]))
	}
	app := inet.TCPPayload
	rows = append(rows, [3]string{Msg(lang, "overhead.app"), octets(app), octets(app)})
	for l := int(layers.Presentation); l >= int(layers.Physical); l-- {
		layer := layers.Layer(l)
		name := fmt.Sprintf("L%d %s", l, layer.Name(lang))
		if l == int(layers.Transport) {
			rows = append(rows, [3]string{Msg(lang, "overhead.tcpdata"), octets(inet.TCPPayload), octets(osi.TCPPayload)})
		}
		rows = append(rows, [3]string{name, hdr(inet, l), hdr(osi, l)})
	}
	rows = append(rows,
		[3]string{Msg(lang, "overhead.wire"), octets(inet.WireOctets), octets(osi.WireOctets)},
		[3]string{Msg(lang, "overhead.efficiency"), share(app, inet.WireOctets), share(app, osi.WireOctets)})
	var width [3]int
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], displayWidth(c))
		}
	}
	for _, r := range rows {
		b.WriteString("  " + padDisplay(r[0], width[0]) + "  " + padLeft(r[1], width[1]) + "  " + padLeft(r[2], width[2]) + "\n")
	}
	extra := osi.WireOctets - inet.WireOctets
	key := "overhead.more"
	if extra < 0 {
		key, extra = "overhead.less", -extra
	}
	b.WriteString(Msg(lang, "overhead.note") + "\n")
	b.WriteString(Msgf(lang, key, layers.Thousands(extra)) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}
