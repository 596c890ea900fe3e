package sim

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/application"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/network"
	"github.com/osisim/osisim/layers/transport"
)

// A link end is named "node.iface", as a scenario file names it:
// "client.eth0", "sw1.1".

// SplitLinkEnd splits "node.iface" at its last dot.
func SplitLinkEnd(s string) (node, iface string, err error) {
	i := strings.LastIndexByte(s, '.')
	if i <= 0 || i == len(s)-1 {
		return "", "", fmt.Errorf("sim: link end %q: want NODE.INTERFACE, e.g. client.eth0", s)
	}
	return s[:i], s[i+1:], nil
}

// tapFrame is one frame seen at a link end, sent or received, numbered
// from 1 in the order the link end saw them. The numbers count every frame,
// whatever a filter shows, so that they name the same frame in every view.
type tapFrame struct {
	No    int
	Time  time.Duration
	Sent  bool   // put on the wire by the link end; false: received there
	ID    uint64 // the frame's PDU id
	Peer  string // the node at the other end of the link
	Bytes []byte // the frame, destination address to FCS (nil if unknown); valid during emit
	Drop  layers.Reason
	Note  string // what happened to it, for a drop
	Bits  []layers.Field
}

// frameTap picks out of the trace the frames of one link end: those it
// transmits (physical-layer wire events) and those it receives (physical
// layer up events), with their octets from the data link events. It hands
// each frame to emit once it knows what became of it.
type frameTap struct {
	node, iface string
	label       string // "node.iface", to recognise "transmit to node.iface"
	emit        func(*tapFrame)
	n           int
	peer        string
	pending     tapFrame
	has         bool
	buf         []byte                 // octets of the pending frame
	store       frameStore             // recent frames of every node, by id
	bits        recent[[]layers.Field] // how the other end sent its recent frames, by frame id
}

func newFrameTap(node, iface string, emit func(*tapFrame)) *frameTap {
	return &frameTap{node: node, iface: iface, label: node + "." + iface, emit: emit, store: newFrameStore(256),
		bits: newRecent[[]layers.Field](256)}
}

// Record looks at one event of the trace.
func (t *frameTap) Record(e *layers.Event) {
	p := e.PDU
	if p != nil && p.Kind == "ethernet" && len(p.Bytes) > 0 && (e.Dir == layers.Down || e.Dir == layers.Forward) {
		t.store.put(p.ID, p.Bytes)
	}
	if e.Layer == layers.Physical && e.Dir == layers.Wire && p != nil && e.Node != t.node && strings.Contains(e.Text, " "+t.label+":") {
		// The other end transmits to this one: remember how the bits went.
		t.peer = e.Node
		if len(p.Parents) > 0 {
			t.bits.put(p.Parents[0], append([]layers.Field(nil), p.Fields...))
		}
	}
	if e.Node != t.node {
		return
	}
	switch {
	case e.Layer == layers.Physical && e.Dir == layers.Wire && e.Iface == t.iface && p != nil:
		t.finish()
		t.n++
		t.peer = e.Peer
		t.pending = tapFrame{No: t.n, Time: e.Time, Sent: true, Peer: e.Peer, Bits: append([]layers.Field(nil), p.Fields...)}
		if len(p.Parents) > 0 {
			t.pending.ID = p.Parents[0]
		}
		t.has = true
	case e.Layer == layers.Physical && e.Dir == layers.Up && e.Iface == t.iface && p != nil:
		t.finish()
		t.n++
		t.pending = tapFrame{No: t.n, Time: e.Time, ID: p.ID, Peer: t.peer}
		t.pending.Bits, _ = t.bits.get(p.ID)
		t.has = true
	case e.Layer == layers.Physical && e.Dir == layers.Drop && e.Iface == t.iface && e.Peer == "" && e.Reason != "":
		// The receiving physical layer found no frame in the signal: a
		// capture would not see one either, but the reader should.
		t.finish()
		t.n++
		t.pending = tapFrame{No: t.n, Time: e.Time, Peer: t.peer, Drop: e.Reason, Note: e.Text}
		t.has = true
		t.finish()
	case !t.has:
	case e.Layer == layers.Physical && (e.Dir == layers.Drop || e.Dir == layers.Note) && e.Iface == t.iface && t.pending.Sent:
		// The link's faults decide the fate of a frame as it is sent.
		if e.Dir == layers.Drop {
			t.pending.Drop, t.pending.Note = e.Reason, e.Text
		}
	case e.Layer == layers.DataLink && !t.pending.Sent && e.Iface == t.iface && (p == nil || p.ID == t.pending.ID || p.ID == 0):
		if p != nil && len(p.Bytes) > 0 && t.pending.Bytes == nil {
			t.buf = append(t.buf[:0], p.Bytes...)
			t.pending.Bytes = t.buf
		}
		if e.Dir == layers.Drop && t.pending.Drop == "" {
			t.pending.Drop, t.pending.Note = e.Reason, e.Text
		}
	}
}

// finish hands the pending frame on.
func (t *frameTap) finish() {
	if !t.has {
		return
	}
	t.has = false
	if t.pending.Bytes == nil {
		if b, ok := t.store.get(t.pending.ID); ok {
			t.pending.Bytes = b
		}
	}
	t.emit(&t.pending)
	t.pending = tapFrame{}
}

// frameStore keeps the octets of the most recent frames, in buffers it
// reuses.
type frameStore struct {
	ids  []uint64
	bufs [][]byte
	at   map[uint64]int
	next int
}

func newFrameStore(n int) frameStore {
	return frameStore{ids: make([]uint64, n), bufs: make([][]byte, n), at: make(map[uint64]int, n)}
}

func (s *frameStore) put(id uint64, b []byte) {
	if _, ok := s.at[id]; ok || id == 0 {
		return
	}
	if old := s.ids[s.next]; old != 0 {
		delete(s.at, old)
	}
	s.ids[s.next] = id
	s.bufs[s.next] = append(s.bufs[s.next][:0], b...)
	s.at[id] = s.next
	s.next = (s.next + 1) % len(s.ids)
}

func (s *frameStore) get(id uint64) ([]byte, bool) {
	i, ok := s.at[id]
	if !ok {
		return nil, false
	}
	return s.bufs[i], true
}

// ListOptions choose what the packet list shows.
type ListOptions struct {
	Lang layers.Lang
	// Link is the link end whose frames are listed: "client.eth0".
	Link string
	// Filter leaves frames out by protocol and time; the frames keep their
	// numbers. Its node and layer choices do not apply to a list of frames.
	Filter FilterOptions
}

// ListRecorder renders the packet list: one line per frame sent or
// received at one link end, numbered, with its time, addresses, highest
// protocol, length and a one-line description, as a capture tool lists a
// capture taken there. "osisim explain N" takes the same numbers.
type ListRecorder struct {
	opt   ListOptions
	w     *bufio.Writer
	tap   *frameTap
	shown int
	err   error
}

var _ layers.Recorder = (*ListRecorder)(nil)

// NewListRecorder renders to w. Call Flush at the end.
func NewListRecorder(w io.Writer, opt ListOptions) (*ListRecorder, error) {
	node, iface, err := SplitLinkEnd(opt.Link)
	if err != nil {
		return nil, err
	}
	r := &ListRecorder{opt: opt, w: bufio.NewWriterSize(w, 32<<10)}
	r.tap = newFrameTap(node, iface, r.line)
	r.printf("%s\n", Msgf(opt.Lang, "list.title", opt.Link))
	r.printf("%s\n", r.row(Msg(opt.Lang, "list.no"), Msg(opt.Lang, "list.time"), Msg(opt.Lang, "list.dir"),
		Msg(opt.Lang, "list.src"), Msg(opt.Lang, "list.dst"), Msg(opt.Lang, "list.proto"),
		Msg(opt.Lang, "list.len"), Msg(opt.Lang, "list.info")))
	return r, nil
}

// Record implements layers.Recorder.
func (r *ListRecorder) Record(e *layers.Event) { r.tap.Record(e) }

func (r *ListRecorder) printf(format string, args ...any) {
	if r.err == nil {
		_, r.err = fmt.Fprintf(r.w, format, args...)
	}
}

// The columns of the list, in terminal cells.
const (
	listNoW    = 5
	listTimeW  = 9
	listDirW   = 4
	listAddrW  = 17
	listProtoW = 8
	listLenW   = 6
)

func (r *ListRecorder) row(no, t, dir, src, dst, proto, length, info string) string {
	return fmt.Sprintf("%s  %s  %s  %s  %s  %s  %s  %s", padLeft(no, listNoW), padDisplay(t, listTimeW),
		padDisplay(dir, listDirW), padDisplay(src, listAddrW), padDisplay(dst, listAddrW),
		padDisplay(proto, listProtoW), padLeft(length, listLenW), info)
}

// padLeft right-aligns s in width terminal cells.
func padLeft(s string, width int) string {
	if w := displayWidth(s); w < width {
		return strings.Repeat(" ", width-w) + s
	}
	return s
}

func (r *ListRecorder) line(f *tapFrame) {
	if !r.opt.Filter.InWindow(f.Time) {
		return
	}
	d := describeListFrame(f.Bytes, r.opt.Lang)
	if r.opt.Filter.Protos != 0 && d.protos&r.opt.Filter.Protos == 0 {
		return
	}
	dir := Msg(r.opt.Lang, "list.in")
	if f.Sent {
		dir = Msg(r.opt.Lang, "list.out")
	}
	info := d.info
	if f.Drop != "" {
		info += "  " + Msgf(r.opt.Lang, "list.dropped", string(f.Drop))
	}
	length := "-"
	if f.Bytes != nil {
		length = fmt.Sprint(len(f.Bytes))
	}
	r.shown++
	r.printf("%s\n", r.row(fmt.Sprint(f.No), Seconds(f.Time), dir, d.src, d.dst, d.proto, length, info))
}

// Flush ends the list and writes out what is buffered.
func (r *ListRecorder) Flush() error {
	r.tap.finish()
	if r.tap.n == 0 {
		r.printf("%s\n", Msgf(r.opt.Lang, "list.none", r.opt.Link))
	} else {
		r.printf("%s\n", Msgf(r.opt.Lang, "list.count", r.shown, r.tap.n, r.opt.Link))
	}
	if r.err != nil {
		return r.err
	}
	return r.w.Flush()
}

// listFrame is what the packet list says of a frame.
type listFrame struct {
	src, dst, proto, info string
	protos                Protos
}

// describeListFrame reads a frame with the layers' own parsers: the
// addresses of its highest addressed layer (IPv4, or else Ethernet), its
// highest protocol and that protocol's one-line summary, as a capture
// tool's packet list shows them.
func describeListFrame(b []byte, lang layers.Lang) listFrame {
	if b == nil {
		return listFrame{src: "?", dst: "?", proto: "-", info: Msg(lang, "list.nobytes")}
	}
	f, err := datalink.Parse(b)
	if err != nil && len(b) >= datalink.HeaderLen {
		// A frame with a bad FCS still has its addresses.
		var dst, src datalink.MAC
		copy(dst[:], b[0:6])
		copy(src[:], b[6:12])
		return listFrame{src: src.String(), dst: dst.String(), proto: "Ethernet", info: err.Error()}
	}
	if err != nil {
		return listFrame{src: "?", dst: "?", proto: "Ethernet", info: err.Error()}
	}
	lf := listFrame{src: f.Src.String(), dst: f.Dst.String(), proto: "Ethernet", info: f.Summary(), protos: frameProtos(b)}
	switch f.Type {
	case datalink.EtherTypeARP, datalink.EtherTypeRARP:
		lf.proto = "ARP"
		if f.Type == datalink.EtherTypeRARP {
			lf.proto = "RARP"
		}
		if a, err := network.ParseARP(f.Payload); err == nil {
			lf.info = a.Summary()
		} else {
			lf.info = err.Error()
		}
	case datalink.EtherTypeIPv4:
		d, err := network.Parse(f.Payload)
		if err != nil {
			lf.proto, lf.info = "IPv4", err.Error()
			return lf
		}
		lf.src, lf.dst, lf.proto, lf.info = d.Src.String(), d.Dst.String(), "IPv4", d.Summary()
		if d.FragOffset != 0 {
			return lf
		}
		describeTransport(&lf, d, lang)
	}
	return lf
}

// describeTransport fills in what a datagram carries.
func describeTransport(lf *listFrame, d network.Datagram, lang layers.Lang) {
	switch d.Protocol {
	case network.ProtoICMP:
		lf.proto = "ICMP"
		if m, err := network.ParseICMP(d.Payload); err == nil {
			lf.info = m.Summary()
		}
	case network.ProtoTCP:
		lf.proto = "TCP"
		s, err := transport.Parse(d.Payload, d.Src, d.Dst)
		if err != nil {
			lf.info = err.Error()
			return
		}
		lf.info = s.Summary()
		if len(s.Payload) > 0 && (s.SrcPort == pop3Port || s.DstPort == pop3Port) {
			lf.proto = "POP3"
			lf.info = pop3Info(s.Payload, s.DstPort == pop3Port, lang)
		}
	case network.ProtoUDP:
		lf.proto = "UDP"
		u, err := transport.ParseDatagram(d.Payload, d.Src, d.Dst)
		if err != nil {
			lf.info = err.Error()
			return
		}
		lf.info = u.Summary()
		if u.SrcPort == dnsPort || u.DstPort == dnsPort {
			lf.proto = "DNS"
			if m, err := application.ParseDNS(u.Payload); err == nil {
				lf.info = m.Summary()
			}
		}
	}
}

// pop3Info describes the POP3 octets of a segment: its first line, marked
// C: (from the client) or S: (from the server), or for a segment that
// continues a multi-line response, its size (RFC 1939 3: a command or a
// status line starts a segment in this dialog, a body's lines follow).
func pop3Info(b []byte, fromClient bool, lang layers.Lang) string {
	side := "S:"
	if fromClient {
		side = "C:"
	}
	line, rest := b, 0
	if i := indexCRLF(b); i >= 0 {
		line, rest = b[:i], len(b)-i-2
	}
	starts := fromClient || hasPrefix(b, "+OK") || hasPrefix(b, "-ERR")
	if !starts {
		return Msgf(lang, "list.continuation", side, Thousands(int64(len(b))))
	}
	s := side + " " + printable(line, 60)
	if rest > 0 {
		s += " " + Msgf(lang, "list.more", Thousands(int64(rest)))
	}
	return s
}

func indexCRLF(b []byte) int {
	for i := 0; i+1 < len(b); i++ {
		if b[i] == '\r' && b[i+1] == '\n' {
			return i
		}
	}
	return -1
}

func hasPrefix(b []byte, p string) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == p
}

// printable returns b as text, control octets and non-ASCII octets
// escaped, cut to at most n characters with "...".
func printable(b []byte, n int) string {
	var sb strings.Builder
	for _, c := range b {
		if sb.Len() >= n {
			sb.WriteString("...")
			break
		}
		switch {
		case c == '\r':
			sb.WriteString(`\r`)
		case c == '\n':
			sb.WriteString(`\n`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&sb, `\x%02x`, c)
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}
