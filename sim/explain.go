package sim

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/network"
	"github.com/osisim/osisim/layers/transport"
)

// Explanation is everything "osisim explain" tells about one frame of a
// link end's packet list: its octets read header by header with the
// layers' own parsers (each field with its offset and size), the PDUs of
// every layer that went into it, and which application octets it carries,
// in which TCP sequence range and in which datagram.
type Explanation struct {
	Link string        // the link end: "client.eth0"
	No   int           // the frame's number in the link end's packet list
	Time time.Duration // when the link end sent or received it
	Sent bool          // sent by the link end (else received)
	Peer string        // the node at the other end of the link
	Drop layers.Reason // what became of it, if it was lost or discarded
	Note string        // the drop's description

	Frame  []byte         // the Ethernet frame, destination address to FCS
	Signal []layers.Field // how the physical layer sent it (line code, rate)
	// Headers are the headers (and the FCS trailer) in wire order, from the
	// preamble to the innermost header, then the data.
	Headers []ExplainHeader
	// Data is where the frame's innermost payload lies: [DataStart,
	// DataEnd) in the frame; Pad is the Ethernet padding after it.
	DataStart, DataEnd, Pad int
	// Chain lists the PDUs the frame descends from, from the frame up to
	// the transport layer, through every router that forwarded it.
	Chain []ExplainPDU
	// Upper lists the session, presentation and application PDUs whose
	// octets the frame carries.
	Upper []ExplainPDU
	// Spans map the frame's data octets to the application's.
	Spans []ByteSpan
	// Err says what stopped the reading of the frame, if anything did.
	Err string

	tcpSeq uint32 // the sequence number in the frame's TCP header
	hasTCP bool   // the frame holds a whole TCP segment
}

// ExplainHeader is one header of a frame and its fields.
type ExplainHeader struct {
	Layer  layers.Layer
	Name   string // "Ethernet II", "IPv4", "TCP" ...
	Offset int    // first octet in the frame (negative: preamble and SFD)
	Len    int    // octets
	Fields []ExplainField
}

// ExplainField is one field of a header: where it lies and what it says.
type ExplainField struct {
	Name, Value string
	// Bit is the field's first bit counted from the frame's first octet
	// (negative for the preamble and SFD); Bits is its size (0: unknown).
	Bit, Bits int
}

// ExplainPDU is one PDU of the trace that went into a frame.
type ExplainPDU struct {
	Layer     layers.Layer
	Kind      string
	ID        uint64
	Node      string
	Dir       layers.Dir
	Time      time.Duration
	Len       int
	HeaderLen int
	Summary   string
	Parents   []uint64
}

// ByteSpan maps octets of the frame to the application's: frame octets
// [FrameStart, FrameEnd) are TCP sequence numbers [Seq, Seq+len) of the
// segment, octets [SPDUStart, ...) of the session's unit SPDU and, when the
// presentation layer passed the message through unchanged (Exact), octets
// [MsgStart, ...) of the application message Msg.
type ByteSpan struct {
	FrameStart, FrameEnd int
	Seq                  uint32
	RelSeq               uint32 // Seq relative to the initial sequence number: the first data octet is 1
	HasRel               bool
	SPDU                 uint64
	SPDUStart, SPDULen   int
	PPDU                 uint64
	Msg                  uint64 // 0 when the unit is not one application message
	MsgStart, MsgLen     int
	MsgSummary           string
	Exact                bool
}

// ExplainRecorder watches a run for frame N of a link end's packet list
// and remembers, on the way, every PDU built or forwarded so that it can
// tell what the frame carries. Use it as the run's Recorder, then call
// Explanation.
type ExplainRecorder struct {
	tap   *frameTap
	n     int
	recs  map[uint64]*pduRec
	isn   map[connKey]uint32
	start map[uint64]uint32 // SPDU id -> the sequence number of its first octet
	found *Explanation
	seen  int
}

// pduRec is what the recorder keeps of a PDU.
type pduRec struct {
	ExplainPDU
	bytes []byte // application messages only
	// TCP segments: the sequence number, the data length and the
	// connection.
	seq     uint32
	payload int
	conn    connKey
}

// connKey names one direction of a TCP connection at the sending node.
type connKey struct {
	node         string
	sport, dport uint16
}

var _ layers.Recorder = (*ExplainRecorder)(nil)

// NewExplainRecorder looks for frame n (from 1) of the link end "node.iface".
func NewExplainRecorder(link string, n int) (*ExplainRecorder, error) {
	node, iface, err := SplitLinkEnd(link)
	if err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, fmt.Errorf("sim: frame number %d: frames are numbered from 1", n)
	}
	r := &ExplainRecorder{n: n, recs: map[uint64]*pduRec{}, isn: map[connKey]uint32{}, start: map[uint64]uint32{}}
	r.tap = newFrameTap(node, iface, func(f *tapFrame) {
		r.seen = f.No
		if f.No == n && r.found == nil {
			r.found = r.explain(link, f)
		}
	})
	return r, nil
}

// Record implements layers.Recorder.
func (r *ExplainRecorder) Record(e *layers.Event) {
	if r.found != nil {
		return
	}
	if p := e.PDU; p != nil && p.ID != 0 && e.Layer >= layers.DataLink && (e.Dir == layers.Down || e.Dir == layers.Forward) {
		if _, ok := r.recs[p.ID]; !ok {
			r.remember(e)
		}
	}
	r.tap.Record(e)
}

func (r *ExplainRecorder) remember(e *layers.Event) {
	p := e.PDU
	rec := &pduRec{ExplainPDU: ExplainPDU{Layer: e.Layer, Kind: p.Kind, ID: p.ID, Node: e.Node, Dir: e.Dir, Time: e.Time,
		Len: p.Len, HeaderLen: p.HeaderLen, Summary: firstLine(p.Summary), Parents: append([]uint64(nil), p.Parents...)}}
	if e.Layer == layers.Application {
		rec.bytes = append([]byte(nil), p.Bytes...)
	}
	if p.Kind == "tcp" && e.Dir == layers.Down && len(p.Bytes) >= transport.TCPMinHeaderLen {
		b := p.Bytes
		rec.conn = connKey{e.Node, binary.BigEndian.Uint16(b[0:]), binary.BigEndian.Uint16(b[2:])}
		rec.seq = binary.BigEndian.Uint32(b[4:])
		rec.payload = len(b) - int(b[12]>>4)*4
		if transport.Flags(b[13]).Has(transport.SYN) {
			r.isn[rec.conn] = rec.seq
		}
		r.place(rec)
	}
	r.recs[p.ID] = rec
}

// place works out where in its connection's byte stream each upper-layer
// PDU a segment carries begins. TCP sends the stream in order, so a unit
// that a segment is the first to carry begins at that segment's first
// octet when it is the first unit listed, or else right after the unit
// listed before it, whose length is known (RFC 9293 3.4: every octet has
// a sequence number, in the order the application wrote them).
func (r *ExplainRecorder) place(seg *pduRec) {
	if seg.payload <= 0 {
		return
	}
	for i, id := range seg.Parents {
		if _, ok := r.start[id]; ok {
			continue
		}
		if i == 0 {
			r.start[id] = seg.seq
			continue
		}
		prev := seg.Parents[i-1]
		ps, ok := r.start[prev]
		pr := r.recs[prev]
		if !ok || pr == nil {
			continue
		}
		r.start[id] = ps + uint32(pr.Len)
	}
}

// Explanation returns what the recorder found, or an error when the link
// end never had frame N.
func (r *ExplainRecorder) Explanation() (*Explanation, error) {
	r.tap.finish()
	if r.found == nil {
		return nil, fmt.Errorf("sim: no frame %d on %s: the run put %d frames through it", r.n, r.tap.label, r.seen)
	}
	return r.found, nil
}

// ExplainFrame reads the octets of an Ethernet frame (destination address
// to FCS) header by header, without a trace: the explanation has the
// headers, fields and byte layout but no PDUs of the run.
func ExplainFrame(frame []byte) *Explanation {
	x := &Explanation{Frame: append([]byte(nil), frame...)}
	x.readHeaders(nil)
	return x
}

// explain reads the frame and gathers its story.
func (r *ExplainRecorder) explain(link string, f *tapFrame) *Explanation {
	x := &Explanation{Link: link, No: f.No, Time: f.Time, Sent: f.Sent, Peer: f.Peer, Drop: f.Drop, Note: f.Note}
	for _, fl := range f.Bits {
		if fl.Name != "Preamble" && fl.Name != "SFD" && fl.Name != "Frame" {
			x.Signal = append(x.Signal, fl)
		}
	}
	if f.Bytes == nil {
		x.Err = "the frame's octets are not in the trace"
		return x
	}
	x.Frame = append([]byte(nil), f.Bytes...)
	x.readHeaders(f.Bits)
	// The chain: from the frame to the segment (or the ARP or ICMP
	// message), through every node that built or forwarded a part of it.
	id := f.ID
	var transportRec *pduRec
	for guard := 0; guard < 64; guard++ {
		rec := r.recs[id]
		if rec == nil {
			break
		}
		x.Chain = append(x.Chain, rec.ExplainPDU)
		if rec.Layer == layers.Transport {
			transportRec = rec
			break
		}
		if len(rec.Parents) == 0 {
			break
		}
		id = rec.Parents[0]
	}
	if transportRec != nil {
		r.mapBytes(x, transportRec)
	}
	return x
}

// mapBytes fills in the upper-layer PDUs and the byte spans of the data a
// segment carries.
func (r *ExplainRecorder) mapBytes(x *Explanation, seg *pduRec) {
	// Upper lists, for each unit in the order the segment carries them,
	// the message, then the PPDU, then the SPDU.
	seen := map[uint64]bool{}
	for _, id := range seg.Parents {
		var chain []ExplainPDU
		for rec := r.recs[id]; rec != nil && !seen[rec.ID]; {
			seen[rec.ID] = true
			chain = append(chain, rec.ExplainPDU)
			if len(rec.Parents) == 0 || rec.Layer >= layers.Application {
				break
			}
			rec = r.recs[rec.Parents[0]]
		}
		for i := len(chain) - 1; i >= 0; i-- {
			x.Upper = append(x.Upper, chain[i])
		}
	}
	// Only a frame that holds the whole segment maps octet for octet (a
	// fragment of a datagram holds a part of it, RFC 791 2.3).
	if seg.Kind != "tcp" || seg.payload <= 0 || !x.hasTCP || x.tcpSeq != seg.seq || x.DataEnd-x.DataStart != seg.payload {
		return
	}
	segStart, segEnd := seg.seq, seg.seq+uint32(seg.payload)
	isn, hasISN := r.isn[seg.conn]
	for i, id := range seg.Parents {
		sp := r.recs[id]
		st, ok := r.start[id]
		if sp == nil || !ok {
			continue
		}
		lo, hi := st, segEnd
		if seqLT(lo, segStart) {
			lo = segStart
		}
		if i+1 < len(seg.Parents) {
			if next, ok := r.start[seg.Parents[i+1]]; ok && seqLT(next, hi) {
				hi = next
			}
		}
		span := ByteSpan{Seq: lo, SPDU: id, SPDUStart: int(lo - st), SPDULen: sp.Len}
		// Through the presentation layer to the message: a unit that is
		// one message passed on unchanged maps octet for octet.
		if len(sp.Parents) > 0 {
			if pp := r.recs[sp.Parents[0]]; pp != nil {
				span.PPDU = pp.ID
				if len(pp.Parents) > 0 {
					if m := r.recs[pp.Parents[0]]; m != nil && m.Layer == layers.Application {
						span.Msg, span.MsgLen, span.MsgSummary = m.ID, m.Len, m.Summary
						span.Exact = m.Len == sp.Len && pp.Len == sp.Len
						span.MsgStart = span.SPDUStart
					}
				}
			}
		}
		if span.Exact && seqLT(st+uint32(sp.Len), hi) {
			hi = st + uint32(sp.Len)
		}
		if !seqLT(lo, hi) {
			continue
		}
		if hasISN {
			span.RelSeq, span.HasRel = lo-isn, true
		}
		span.FrameStart = x.DataStart + int(lo-segStart)
		span.FrameEnd = span.FrameStart + int(hi-lo)
		x.Spans = append(x.Spans, span)
	}
}

// readHeaders reads the frame header by header with the layers' parsers.
func (x *Explanation) readHeaders(bits []layers.Field) {
	b := x.Frame
	phys := ExplainHeader{Layer: layers.Physical, Name: "Ethernet PHY", Offset: -8, Len: 8}
	pre, sfd := "7 x 0x55", "0xd5"
	for _, f := range bits {
		switch f.Name {
		case "Preamble":
			pre = f.Value
		case "SFD":
			sfd = f.Value
		}
	}
	phys.Fields = []ExplainField{{Name: "Preamble", Value: pre, Bit: -64, Bits: 56}, {Name: "SFD", Value: sfd, Bit: -8, Bits: 8}}
	x.Headers = append(x.Headers, phys)
	if len(b) < datalink.HeaderLen+datalink.FCSLen {
		x.Err = fmt.Sprintf("datalink: frame too short: %d bytes", len(b))
		return
	}
	fr, err := datalink.Parse(b)
	var fcsErr *datalink.FCSError
	if err != nil && !errors.As(err, &fcsErr) {
		x.Err = err.Error()
		return
	}
	if err != nil {
		x.Err = err.Error()
	}
	fcsAt := len(b) - datalink.FCSLen
	eth := ExplainHeader{Layer: layers.DataLink, Name: "Ethernet II", Offset: 0, Len: datalink.HeaderLen}
	for _, f := range fr.Fields() {
		switch f.Name {
		case "Destination":
			eth.Fields = append(eth.Fields, ExplainField{f.Name, f.Value, 0, 48})
		case "Source":
			eth.Fields = append(eth.Fields, ExplainField{f.Name, f.Value, 48, 48})
		case "Type":
			eth.Fields = append(eth.Fields, ExplainField{f.Name, f.Value, 96, 16})
		case "FCS":
			eth.Fields = append(eth.Fields, ExplainField{f.Name, f.Value, fcsAt * 8, 32})
		}
	}
	x.Headers = append(x.Headers, eth)
	x.DataStart, x.DataEnd = datalink.HeaderLen, fcsAt
	if x.Err != "" {
		// The FCS does not match: the receiver reads no further, and
		// neither does this explanation.
		return
	}
	payload := fr.Payload
	base := datalink.HeaderLen
	switch fr.Type {
	case datalink.EtherTypeARP, datalink.EtherTypeRARP:
		a, err := network.ParseARP(payload)
		if err != nil {
			x.Err = err.Error()
			return
		}
		x.addHeader(layers.Network, "ARP", base, a.HeaderLen(), a.Fields(), arpBits)
		x.DataStart = base + a.HeaderLen()
		x.DataEnd = x.DataStart
		x.setPad(fcsAt)
	case datalink.EtherTypeIPv4:
		d, err := network.Parse(payload)
		if err != nil {
			x.Err = err.Error()
			return
		}
		hl := d.HeaderLen()
		x.addHeader(layers.Network, "IPv4", base, hl, d.Fields(), ipv4Bits(hl))
		x.DataStart, x.DataEnd = base+hl, base+d.Len()
		x.setPad(fcsAt)
		if d.FragOffset != 0 || d.MoreFragments {
			// A fragment holds a part of the transport PDU: its header
			// is read only once the datagram is reassembled (RFC 791 2.3).
			return
		}
		x.readTransport(d, base+hl)
	}
}

// setPad records the Ethernet padding between the data and the FCS (IEEE
// 802.3 clause 3.2.8: a frame's data field is at least 46 octets).
func (x *Explanation) setPad(fcsAt int) {
	if fcsAt > x.DataEnd {
		x.Pad = fcsAt - x.DataEnd
		eth := &x.Headers[1]
		n := len(eth.Fields)
		pad := ExplainField{"Padding", fmt.Sprintf("%d B of zeros", x.Pad), x.DataEnd * 8, x.Pad * 8}
		eth.Fields = append(eth.Fields[:n-1:n-1], pad, eth.Fields[n-1])
	} else if x.DataEnd > fcsAt {
		x.DataEnd = fcsAt
	}
}

func (x *Explanation) readTransport(d network.Datagram, base int) {
	switch d.Protocol {
	case network.ProtoTCP:
		s, err := transport.Parse(d.Payload, d.Src, d.Dst)
		if err != nil {
			x.Err = err.Error()
			return
		}
		hl := s.HeaderLen()
		x.addHeader(layers.Transport, "TCP", base, hl, s.Fields(), tcpBits(hl))
		x.DataStart = base + hl
		x.tcpSeq, x.hasTCP = s.Seq, true
	case network.ProtoUDP:
		u, err := transport.ParseDatagram(d.Payload, d.Src, d.Dst)
		if err != nil {
			x.Err = err.Error()
			return
		}
		x.addHeader(layers.Transport, "UDP", base, u.HeaderLen(), u.Fields(), udpBits)
		x.DataStart = base + u.HeaderLen()
	case network.ProtoICMP:
		m, err := network.ParseICMP(d.Payload)
		if err != nil {
			x.Err = err.Error()
			return
		}
		x.addHeader(layers.Network, "ICMP", base, m.HeaderLen(), m.Fields(), icmpBits)
		x.DataStart = base + m.HeaderLen()
	}
}

// addHeader lays a header's fields out one after the other, each as wide
// as sizes says (in bits; a negative size places the field at that many
// bits from the header's start, for fields after a gap).
func (x *Explanation) addHeader(l layers.Layer, name string, base, hl int, fields []layers.Field, sizes func(name, next string) (at, bits int)) {
	h := ExplainHeader{Layer: l, Name: name, Offset: base, Len: hl}
	pos := 0
	for i, f := range fields {
		next := ""
		if i+1 < len(fields) {
			next = fields[i+1].Name
		}
		at, n := sizes(f.Name, next)
		if at >= 0 {
			pos = at
		}
		if n == 0 && f.Name == "Options" {
			continue
		}
		h.Fields = append(h.Fields, ExplainField{f.Name, f.Value, base*8 + pos, n})
		pos += n
	}
	x.Headers = append(x.Headers, h)
}

// The field sizes of the headers, in bits, in wire order: RFC 791 3.1
// (IPv4), RFC 9293 3.1 (TCP; the flags are read as Wireshark shows them,
// the 4 reserved bits with the 8 flags), RFC 768 (UDP), RFC 826 (ARP for
// Ethernet and IPv4) and RFC 792 (ICMP).
var (
	ipv4Sizes = map[string]int{"Version": 4, "IHL": 4, "TOS": 8, "Total Length": 16, "Identification": 16, "Flags": 3,
		"Fragment Offset": 13, "TTL": 8, "Protocol": 8, "Header Checksum": 16, "Source": 32, "Destination": 32}
	tcpSizes = map[string]int{"Source Port": 16, "Destination Port": 16, "Sequence Number": 32, "Acknowledgment Number": 32,
		"Data Offset": 4, "Flags": 12, "Window": 16, "Checksum": 16, "Urgent Pointer": 16}
	udpSizes = map[string]int{"Source Port": 16, "Destination Port": 16, "Length": 16, "Checksum": 16}
	arpSizes = map[string]int{"Hardware Type": 16, "Protocol Type": 16, "Hardware Size": 8, "Protocol Size": 8, "Opcode": 16,
		"Sender MAC Address": 48, "Sender IP Address": 32, "Target MAC Address": 48, "Target IP Address": 32}
	icmpSizes = map[string]int{"Type": 8, "Code": 8, "Checksum": 16, "Identifier": 16, "Sequence Number": 16,
		"Next-Hop MTU": 16, "Gateway Address": 32, "Pointer": 8, "Rest of Header": 32}
)

func ipv4Bits(hl int) func(name, next string) (int, int) {
	return func(name, _ string) (int, int) {
		if name == "Options" {
			return -1, (hl - network.IPv4MinHeaderLen) * 8
		}
		return -1, ipv4Sizes[name]
	}
}

func tcpBits(hl int) func(name, next string) (int, int) {
	return func(name, _ string) (int, int) {
		if name == "Options" {
			return -1, (hl - transport.TCPMinHeaderLen) * 8
		}
		return -1, tcpSizes[name]
	}
}

func udpBits(name, _ string) (int, int) { return -1, udpSizes[name] }
func arpBits(name, _ string) (int, int) { return -1, arpSizes[name] }

func icmpBits(name, next string) (int, int) {
	switch name {
	case "Unused":
		if next == "Next-Hop MTU" {
			return -1, 16
		}
		return 32, 32
	case "Original Datagram":
		return network.ICMPHeaderLen * 8, 0
	}
	return -1, icmpSizes[name]
}

// WriteText writes the explanation for a reader, in lang, with the layers
// labelled as model m labels them.
func (x *Explanation) WriteText(w io.Writer, m layers.Model, lang layers.Lang) error {
	var b strings.Builder
	x.writeTitle(&b, lang)
	if len(x.Headers) > 1 {
		// The data link header was read: the diagram has its columns.
		b.WriteString("\n" + Msg(lang, "explain.diagram") + "\n")
		x.writeDiagram(&b, m, lang)
	}
	if x.Frame != nil {
		b.WriteString("\n" + Msg(lang, "explain.fields") + "\n")
		x.writeFields(&b, m, lang)
	}
	if len(x.Spans) > 0 {
		b.WriteString("\n" + Msg(lang, "explain.mapping") + "\n")
		x.writeSpans(&b, lang)
	}
	if len(x.Chain) > 0 || len(x.Upper) > 0 {
		b.WriteString("\n" + Msg(lang, "explain.chain") + "\n")
		x.writeChain(&b, m, lang)
	}
	if x.Frame != nil {
		b.WriteString("\n" + Msgf(lang, "explain.hex", len(x.Frame)) + "\n")
		writeHex(&b, x.Frame, 128, lang)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (x *Explanation) writeTitle(b *strings.Builder, lang layers.Lang) {
	dir := Msgf(lang, "explain.received", x.Peer)
	if x.Sent {
		dir = Msgf(lang, "explain.sent", x.Peer)
	}
	b.WriteString(Msgf(lang, "explain.title", x.No, x.Link, dir, Seconds(x.Time)) + "\n")
	if x.Frame != nil {
		b.WriteString("  " + Msgf(lang, "explain.size", len(x.Frame), len(x.Frame)+8, (len(x.Frame)+8)*8) + "\n")
	}
	if len(x.Signal) > 0 {
		parts := make([]string, len(x.Signal))
		for i, f := range x.Signal {
			parts[i] = f.Name + " " + FieldValueText(lang, f.Value)
		}
		b.WriteString("  " + Msg(lang, "explain.signal") + strings.Join(parts, Msg(lang, "story.and")) + "\n")
	}
	if x.Drop != "" {
		b.WriteString("  " + Msgf(lang, "explain.dropped", ReasonText(lang, x.Drop), x.Note) + "\n")
	}
	if x.Err != "" {
		b.WriteString("  " + Msgf(lang, "explain.err", x.Err) + "\n")
	}
}

// The encapsulation diagram: one row per layer, from the application's
// message down to the bits, each row a line of boxes over the columns that
// the frame's parts make (preamble, SFD, headers, data, padding, FCS), so
// that what a layer takes as its data is, column for column, the whole PDU
// of the layer above.

type diagSpan struct {
	from, to   int // columns, inclusive
	name, size string
}

type diagRow struct {
	label string
	note  string
	spans []diagSpan
}

func (x *Explanation) writeDiagram(b *strings.Builder, m layers.Model, lang layers.Lang) {
	type col struct {
		name string
		n    int
	}
	var cols []col
	idx := map[string]int{}
	addCol := func(key, name string, n int) {
		if n > 0 {
			idx[key] = len(cols)
			cols = append(cols, col{name, n})
		}
	}
	addCol("pre", Msg(lang, "explain.preamble"), 7)
	addCol("sfd", "SFD", 1)
	var l3, l4 *ExplainHeader
	for i := range x.Headers {
		h := &x.Headers[i]
		switch {
		case h.Layer == layers.Physical:
		case h.Layer == layers.DataLink:
			addCol("eth", Msgf(lang, "explain.header", h.Name), h.Len)
		case h.Layer == layers.Network && l3 == nil:
			l3 = h
			addCol("l3", Msgf(lang, "explain.header", h.Name), h.Len)
		default:
			l4 = h
			addCol("l4", Msgf(lang, "explain.header", h.Name), h.Len)
		}
	}
	addCol("data", Msg(lang, "explain.data"), x.DataEnd-x.DataStart)
	addCol("pad", Msg(lang, "explain.pad"), x.Pad)
	addCol("fcs", "FCS", datalink.FCSLen)
	last := len(cols) - 1
	size := func(n int) string { return Msgf(lang, "explain.octets", Thousands(int64(n))) }
	sum := func(from, to int) int {
		n := 0
		for i := from; i <= to; i++ {
			n += cols[i].n
		}
		return n
	}
	one := func(key string) diagSpan {
		i := idx[key]
		return diagSpan{i, i, cols[i].name, size(cols[i].n)}
	}
	label := func(l layers.Layer) string { return LayerLabel(m, l, lang) }
	pduName := func(l layers.Layer) string { return l.PDUName(lang) }
	var rows []diagRow
	_, hasData := idx["data"]
	upper := map[layers.Layer]bool{}
	headerOf := map[layers.Layer]int{} // the osi profile's L5 and L6 headers
	for _, u := range x.Upper {
		upper[u.Layer] = true
		if u.Layer == layers.Session || u.Layer == layers.Presentation {
			headerOf[u.Layer] = max(headerOf[u.Layer], u.HeaderLen)
		}
	}
	if hasData && upper[layers.Session] && l4 != nil && l4.Layer == layers.Transport {
		// Whatever the session layer carries is the application's data,
		// whether or not the application recorded a message of its own
		// (the body of a POP3 response is the presentation layer's).
		for _, l := range []layers.Layer{layers.Application, layers.Presentation, layers.Session} {
			r := diagRow{label: label(l), spans: []diagSpan{{idx["data"], idx["data"], pduName(l), size(cols[idx["data"]].n)}}}
			if n := headerOf[l]; n > 0 {
				r.note = Msgf(lang, "explain.osiheader", Thousands(int64(n)))
			} else if l != layers.Application {
				r.note = Msg(lang, "explain.noheader")
			}
			rows = append(rows, r)
		}
	}
	if l4 != nil {
		r := diagRow{label: label(l4.Layer), spans: []diagSpan{one("l4")}}
		if l4.Layer == layers.Network {
			// ICMP travels in IPv4 but belongs to the network layer.
			r.note = Msg(lang, "explain.icmp")
		}
		if hasData {
			r.spans = append(r.spans, one("data"))
		}
		rows = append(rows, r)
	}
	if l3 != nil {
		r := diagRow{label: label(layers.Network), spans: []diagSpan{one("l3")}}
		if i, ok := idx["l4"]; ok {
			end := i
			if d, ok := idx["data"]; ok {
				end = d
			}
			name := l4.Name // ICMP
			if l4.Layer == layers.Transport {
				name = pduName(layers.Transport)
			}
			r.spans = append(r.spans, diagSpan{i, end, name, size(sum(i, end))})
		} else if hasData {
			r.spans = append(r.spans, one("data"))
		}
		rows = append(rows, r)
	}
	// The data link layer: its header, the datagram, any padding and the FCS.
	r2 := diagRow{label: label(layers.DataLink), spans: []diagSpan{one("eth")}}
	inner := idx["eth"] + 1
	innerEnd := inner - 1
	for _, k := range []string{"l3", "l4", "data"} {
		if i, ok := idx[k]; ok {
			innerEnd = i
		}
	}
	if innerEnd >= inner {
		name := Msg(lang, "explain.payload")
		if l3 != nil {
			name = pduName(layers.Network)
			if l3.Name == "ARP" {
				name = "ARP"
			}
		}
		r2.spans = append(r2.spans, diagSpan{inner, innerEnd, name, size(sum(inner, innerEnd))})
	}
	if _, ok := idx["pad"]; ok {
		r2.spans = append(r2.spans, one("pad"))
	}
	r2.spans = append(r2.spans, one("fcs"))
	rows = append(rows, r2)
	rows = append(rows, diagRow{label: label(layers.Physical), spans: []diagSpan{one("pre"), one("sfd"),
		{idx["eth"], last, pduName(layers.DataLink), size(sum(idx["eth"], last))}}})

	// Column widths: wide enough for every single-column box, then widened
	// on the right for boxes that span several columns.
	widths := make([]int, len(cols))
	need := func(s diagSpan) int { return max(DisplayWidth(s.name), DisplayWidth(s.size)) + 2 }
	for _, r := range rows {
		for _, s := range r.spans {
			if s.from == s.to {
				widths[s.from] = max(widths[s.from], need(s))
			}
		}
	}
	for _, r := range rows {
		for _, s := range r.spans {
			have := s.to - s.from
			for i := s.from; i <= s.to; i++ {
				have += widths[i]
			}
			if d := need(s) - have; d > 0 {
				widths[s.to] += d
			}
		}
	}
	// Column i's boxes start at bound[i] and end at bound[i+1].
	bound := make([]int, len(cols)+1)
	for i, w := range widths {
		bound[i+1] = bound[i] + w + 1
	}
	const margin = 18
	border := func(rs ...diagRow) string {
		line := []rune(strings.Repeat(" ", bound[len(cols)]+1))
		for _, r := range rs {
			for _, s := range r.spans {
				for x := bound[s.from]; x <= bound[s.to+1]; x++ {
					if line[x] != '+' {
						line[x] = '-'
					}
				}
				line[bound[s.from]], line[bound[s.to+1]] = '+', '+'
			}
		}
		return strings.Repeat(" ", margin) + strings.TrimRight(string(line), " ")
	}
	text := func(r diagRow, second bool) string {
		var sb strings.Builder
		pos := 0
		for _, s := range r.spans {
			sb.WriteString(strings.Repeat(" ", bound[s.from]-pos))
			t := s.name
			if second {
				t = s.size
			}
			inside := bound[s.to+1] - bound[s.from] - 1
			left := (inside - DisplayWidth(t)) / 2
			sb.WriteString("|" + strings.Repeat(" ", left) + t + strings.Repeat(" ", inside-left-DisplayWidth(t)))
			pos = bound[s.to+1]
		}
		sb.WriteString("|")
		return sb.String()
	}
	for i, r := range rows {
		if i == 0 {
			b.WriteString(border(r) + "\n")
		}
		line1 := padDisplay("  "+r.label, margin) + text(r, false)
		if r.note != "" {
			line1 += "  " + r.note
		}
		b.WriteString(line1 + "\n")
		b.WriteString(strings.Repeat(" ", margin) + text(r, true) + "\n")
		if i+1 < len(rows) {
			b.WriteString(border(r, rows[i+1]) + "\n")
		} else {
			b.WriteString(border(r) + "\n")
		}
	}
}

// writeFields prints every header's fields with their offsets and sizes.
func (x *Explanation) writeFields(b *strings.Builder, m layers.Model, lang layers.Lang) {
	b.WriteString("  " + Msg(lang, "explain.offsets") + "\n")
	for _, h := range x.Headers {
		b.WriteString("\n  " + Msgf(lang, "explain.hdrline", h.Name, LayerLabel(m, h.Layer, lang), octetRange(h.Offset, h.Len), h.Len) + "\n")
		b.WriteString("    " + padDisplay(Msg(lang, "explain.col.offset"), 8) + padDisplay(Msg(lang, "explain.col.size"), 9) +
			padDisplay(Msg(lang, "explain.col.field"), 23) + Msg(lang, "explain.col.value") + "\n")
		for _, f := range h.Fields {
			b.WriteString("    " + padDisplay(bitOffset(f.Bit), 8) + padDisplay(bitSize(f.Bits, lang), 9) + padDisplay(f.Name, 23) + FieldValueText(lang, f.Value) + "\n")
		}
	}
	if x.DataEnd > x.DataStart {
		b.WriteString("\n  " + Msgf(lang, "explain.dataline", octetRange(x.DataStart, x.DataEnd-x.DataStart), x.DataEnd-x.DataStart,
			printable(x.Frame[x.DataStart:x.DataEnd], 64)) + "\n")
	}
}

// octetRange prints "14-33" for n octets from off.
func octetRange(off, n int) string {
	switch {
	case n <= 1:
		return fmt.Sprint(off)
	case off < 0:
		return fmt.Sprintf("%d..%d", off, off+n-1)
	}
	return fmt.Sprintf("%d-%d", off, off+n-1)
}

// bitOffset prints a field's offset: "14" for octet 14, "14.4" for its
// bit 4 (bits counted from the most significant).
func bitOffset(bit int) string {
	if bit < 0 {
		return fmt.Sprint(bit / 8)
	}
	if bit%8 == 0 {
		return fmt.Sprint(bit / 8)
	}
	return fmt.Sprintf("%d.%d", bit/8, bit%8)
}

func bitSize(bits int, lang layers.Lang) string {
	switch {
	case bits == 0:
		return "-"
	case bits%8 == 0:
		return Msgf(lang, "explain.octets", Thousands(int64(bits/8)))
	}
	return Msgf(lang, "explain.bits", bits)
}

func (x *Explanation) writeSpans(b *strings.Builder, lang layers.Lang) {
	for _, s := range x.Spans {
		n := s.FrameEnd - s.FrameStart
		seq := fmt.Sprintf("%d-%d", s.Seq, s.Seq+uint32(n)-1)
		if s.HasRel {
			seq += Msgf(lang, "explain.relseq", s.RelSeq, s.RelSeq+uint32(n)-1)
		}
		b.WriteString("  " + Msgf(lang, "explain.span.frame", octetRange(s.FrameStart, n), Thousands(int64(n)), seq) + "\n")
		b.WriteString("    " + Msgf(lang, "explain.span.spdu", s.SPDU, octetRange(s.SPDUStart, n), Thousands(int64(s.SPDULen))) + "\n")
		if s.Msg != 0 && s.Exact {
			b.WriteString("    " + Msgf(lang, "explain.span.msg", s.Msg, octetRange(s.MsgStart, n), Thousands(int64(s.MsgLen)), SummaryText(lang, "pop3", s.MsgSummary)) + "\n")
		} else if s.PPDU != 0 {
			b.WriteString("    " + Msgf(lang, "explain.span.ppdu", s.PPDU) + "\n")
		}
		b.WriteString("    " + Msgf(lang, "explain.span.text", printable(x.Frame[s.FrameStart:s.FrameEnd], 72)) + "\n")
	}
}

func (x *Explanation) writeChain(b *strings.Builder, m layers.Model, lang layers.Lang) {
	all := make([]ExplainPDU, 0, len(x.Upper)+len(x.Chain))
	all = append(all, x.Upper...)
	for i := len(x.Chain) - 1; i >= 0; i-- {
		all = append(all, x.Chain[i])
	}
	for _, p := range all {
		verb := Msg(lang, "explain.built")
		if p.Dir == layers.Forward {
			verb = Msg(lang, "explain.forwarded")
		}
		b.WriteString("  " + padDisplay(LayerLabel(m, p.Layer, lang), 18) + " " +
			Msgf(lang, "explain.pdu", p.ID, verb, p.Node, Seconds(p.Time), Thousands(int64(p.Len)), p.HeaderLen) + "\n")
		b.WriteString("  " + strings.Repeat(" ", 19) + SummaryText(lang, p.Kind, p.Summary) + "\n")
	}
}

// writeHex prints the first max octets of b, sixteen a line, with their
// offsets and their printable characters.
func writeHex(b *strings.Builder, data []byte, limit int, lang layers.Lang) {
	n := min(len(data), limit)
	for off := 0; off < n; off += 16 {
		end := min(off+16, n)
		fmt.Fprintf(b, "  %04x  ", off)
		for i := off; i < off+16; i++ {
			if i < end {
				fmt.Fprintf(b, "%02x ", data[i])
			} else {
				b.WriteString("   ")
			}
			if i == off+7 {
				b.WriteByte(' ')
			}
		}
		b.WriteString(" ")
		for _, c := range data[off:end] {
			if c < 0x20 || c >= 0x7f {
				c = '.'
			}
			b.WriteByte(c)
		}
		b.WriteString("\n")
	}
	if len(data) > n {
		b.WriteString("  " + Msgf(lang, "explain.hexmore", len(data)-n) + "\n")
	}
}
