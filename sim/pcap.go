package sim

import (
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	gplayers "github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
)

// CaptureFormat is the file format a PcapWriter writes.
type CaptureFormat uint8

// The capture file formats.
const (
	// PcapNG writes pcapng (the IETF draft "PCAP Next Generation Dump File
	// Format"): one interface per link end, the FCS length marked in every
	// packet's flags, osisim's notes as packet comments.
	PcapNG CaptureFormat = iota
	// Pcap writes the classic libpcap format: one link type for the whole
	// file, no interfaces and no comments. The FCS stays in every frame and
	// the file header says so (LINKTYPE_ETHERNET with the FCS-length bits
	// of the link-type field set to two 16-bit words).
	Pcap
)

// String returns "pcapng" or "pcap".
func (f CaptureFormat) String() string {
	if f == Pcap {
		return "pcap"
	}
	return "pcapng"
}

// ParseCaptureFormat accepts "pcapng" or "pcap".
func ParseCaptureFormat(s string) (CaptureFormat, error) {
	switch s {
	case "pcapng":
		return PcapNG, nil
	case "pcap":
		return Pcap, nil
	}
	return 0, fmt.Errorf("sim: unknown capture format %q: want pcapng or pcap", s)
}

// PcapOptions configure a PcapWriter.
type PcapOptions struct {
	Format CaptureFormat
	// Comment is written in the pcapng section header, for instance the
	// scenario and its seed. It must not vary between runs of the same
	// scenario and seed: the file is then the same, byte for byte.
	Comment string
	// Next receives every trace event after the writer has looked at it
	// (nil: none). Use the writer as the run's Recorder so that it learns
	// what each frame carries, and chain the real recorder here.
	Next layers.Recorder
}

// Pcap link-type field of a classic pcap file header: LINKTYPE_ETHERNET
// with the "FCS length present" bit (0x04000000) and an FCS of two 16-bit
// words in bits 28-31, as libpcap's LT_FCS_DATALINK_EXT(2) writes it.
const pcapLinkTypeEthernetFCS = uint32(gplayers.LinkTypeEthernet) | 0x04000000 | 2<<28

// pcapSnapLen is the snapshot length written in headers: every frame is
// captured whole (a frame is at most 1518 octets).
const pcapSnapLen = 65535

// The number of lower-layer PDU descriptions (layers 2 to 4) a PcapWriter
// keeps to say what a frame carries; older ones are forgotten.
const pcapRecentPDUs = 4096

// pduNote is what a PcapWriter remembers of a PDU seen in the trace.
type pduNote struct {
	layer   layers.Layer
	kind    string
	summary string
	parents []uint64
}

// PcapWriter writes every frame put on a link to a capture file, stamped
// with the simulated time. It implements Capture; used as the run's
// Recorder as well, it learns from the trace what each frame carries and
// writes that in the frame's comments (pcapng).
//
// The file depends only on the run: the section header names no host,
// operating system or version, so the same scenario and seed give the same
// bytes.
type PcapWriter struct {
	opt    PcapOptions
	w      io.Writer
	ng     *pcapgo.NgWriter
	pc     *pcapgo.Writer
	ifaces map[*Port]int // pcapng interface of each sending port
	err    error
	frames int

	upper   map[uint64]pduNote // layers 5 to 7: few, kept for the whole run
	lower   map[uint64]pduNote // layers 2 to 4: the most recent only
	ring    [pcapRecentPDUs]uint64
	next    int
	seen    map[uint64]bool // scratch for carries
	queue   []uint64        // scratch for carries
	shown   [8]int          // scratch: PDUs told per layer
	scratch []string
}

var (
	_ Capture         = (*PcapWriter)(nil)
	_ layers.Recorder = (*PcapWriter)(nil)
)

// NewPcapWriter returns a writer to w. Nothing is written before the first
// frame (pcapng interfaces are made then, one per link end, in the order
// the links were connected). Call Flush at the end of the run.
func NewPcapWriter(w io.Writer, opt PcapOptions) *PcapWriter {
	return &PcapWriter{opt: opt, w: w, ifaces: map[*Port]int{},
		upper: map[uint64]pduNote{}, lower: map[uint64]pduNote{}, seen: map[uint64]bool{}}
}

// Frames returns how many frames were written.
func (p *PcapWriter) Frames() int { return p.frames }

// Record implements layers.Recorder: it remembers each PDU built or
// forwarded (its layer, summary and parents) and passes the event on.
func (p *PcapWriter) Record(e *layers.Event) {
	if pdu := e.PDU; pdu != nil && pdu.ID != 0 && e.Layer >= layers.DataLink && (e.Dir == layers.Down || e.Dir == layers.Forward) {
		p.remember(e.Layer, pdu)
	}
	if p.opt.Next != nil {
		p.opt.Next.Record(e)
	}
}

func (p *PcapWriter) remember(l layers.Layer, pdu *layers.PDU) {
	if l >= layers.Session {
		if _, ok := p.upper[pdu.ID]; !ok {
			p.upper[pdu.ID] = pduNote{l, pdu.Kind, pdu.Summary, append([]uint64(nil), pdu.Parents...)}
		}
		return
	}
	if _, ok := p.lower[pdu.ID]; ok {
		return
	}
	if old := p.ring[p.next]; old != 0 {
		delete(p.lower, old)
	}
	p.ring[p.next] = pdu.ID
	p.next = (p.next + 1) % len(p.ring)
	p.lower[pdu.ID] = pduNote{l, pdu.Kind, pdu.Summary, append([]uint64(nil), pdu.Parents...)}
}

func (p *PcapWriter) lookup(id uint64) (pduNote, bool) {
	if n, ok := p.lower[id]; ok {
		return n, true
	}
	n, ok := p.upper[id]
	return n, ok
}

// start writes the file header and, for pcapng, the section header and one
// interface per end of every link connected so far.
func (p *PcapWriter) start(s *Sim) {
	if p.ng != nil || p.pc != nil || p.err != nil {
		return
	}
	if p.opt.Format == Pcap {
		// pcapgo's WriteFileHeader takes a 16-bit link type, so the header
		// with the FCS bits is written here (pcap file format: magic,
		// version 2.4, zone, sigfigs, snaplen, link type).
		var hdr [24]byte
		binary.LittleEndian.PutUint32(hdr[0:], 0xa1b23c4d) // nanosecond timestamps
		binary.LittleEndian.PutUint16(hdr[4:], 2)
		binary.LittleEndian.PutUint16(hdr[6:], 4)
		binary.LittleEndian.PutUint32(hdr[16:], pcapSnapLen)
		binary.LittleEndian.PutUint32(hdr[20:], pcapLinkTypeEthernetFCS)
		if _, p.err = p.w.Write(hdr[:]); p.err == nil {
			p.pc = pcapgo.NewWriterNanos(p.w)
		}
		return
	}
	var ends []*Port
	if s != nil {
		for _, l := range s.links {
			ends = append(ends, l.ends[0], l.ends[1])
		}
	}
	first := pcapgo.NgInterface{Name: "no link", LinkType: gplayers.LinkTypeEthernet}
	if len(ends) > 0 {
		first = ngInterface(ends[0])
	}
	p.ng, p.err = pcapgo.NewNgWriterInterface(p.w, first, pcapgo.NgWriterOptions{
		SectionInfo: pcapgo.NgSectionInfo{Application: "osisim", Comment: p.opt.Comment},
	})
	if p.err != nil || len(ends) == 0 {
		return
	}
	p.ifaces[ends[0]] = 0
	for _, port := range ends[1:] {
		p.addInterface(port)
	}
}

func (p *PcapWriter) addInterface(port *Port) int {
	id, err := p.ng.AddInterface(ngInterface(port))
	if err != nil && p.err == nil {
		p.err = err
	}
	p.ifaces[port] = id
	return id
}

// ngInterface describes the sending end of a link: "client.eth0 ->
// sw1.1", with the link's rate, line code and delay.
func ngInterface(from *Port) pcapgo.NgInterface {
	to := from.Peer()
	name := from.Label()
	desc := ""
	if to != nil {
		name += " -> " + to.Label()
		l := from.Link
		desc = fmt.Sprintf("frames sent by %s to %s: %s, %s line code, %s propagation delay",
			from.Label(), to.Label(), bitRate(l.BitRate), l.Code, l.Delay)
	}
	return pcapgo.NgInterface{Name: name, Description: desc, LinkType: gplayers.LinkTypeEthernet}
}

// bitRate prints 10000000 as "10 Mb/s".
func bitRate(r int64) string {
	switch {
	case r >= 1e9 && r%1e9 == 0:
		return strconv.FormatInt(r/1e9, 10) + " Gb/s"
	case r >= 1e6 && r%1e6 == 0:
		return strconv.FormatInt(r/1e6, 10) + " Mb/s"
	case r >= 1e3 && r%1e3 == 0:
		return strconv.FormatInt(r/1e3, 10) + " kb/s"
	}
	return strconv.FormatInt(r, 10) + " b/s"
}

// Frame implements Capture: it writes frame (header through FCS) as sent
// by port from at the current simulated time. In pcapng the packet's flags
// say it is outbound with a 4-octet FCS, and its comments carry the PDU id,
// the cause, what happened on the link and the PDUs the frame carries.
func (p *PcapWriter) Frame(l *Link, from *Port, frame []byte, m layers.Meta, note string) {
	if p.err != nil {
		return
	}
	p.start(l.sim)
	if p.err != nil {
		return
	}
	ci := gopacket.CaptureInfo{
		Timestamp:     time.Unix(0, int64(l.sim.now)).UTC(),
		CaptureLength: len(frame),
		Length:        len(frame),
	}
	p.frames++
	if p.pc != nil {
		p.err = p.pc.WritePacket(ci, frame)
		return
	}
	id, ok := p.ifaces[from]
	if !ok {
		id = p.addInterface(from)
	}
	ci.InterfaceIndex = id
	flags := pcapgo.NgEpbFlags{
		Direction: pcapgo.NgEpbFlagDirectionOutbound,
		Reception: reception(frame),
		FCSLen:    pcapgo.NewNgEpbFlagFCSLength(datalink.FCSLen),
	}
	err := p.ng.WritePacketWithOptions(ci, frame, pcapgo.NgPacketOptions{
		Comments: p.comments(from, m, note),
		Flags:    &flags,
	})
	if err != nil {
		p.err = err
	}
}

// reception classifies the frame by its destination address, as the
// pcapng flags word does (unicast, multicast, broadcast).
func reception(frame []byte) pcapgo.NgEpbFlag {
	if len(frame) < 6 {
		return pcapgo.NgEpbFlagReceptionTypeNotSpecified
	}
	switch dst := datalink.MAC(frame[:6]); {
	case dst.IsBroadcast():
		return pcapgo.NgEpbFlagReceptionTypeBroadcast
	case dst.IsMulticast():
		return pcapgo.NgEpbFlagReceptionTypeMulticast
	}
	return pcapgo.NgEpbFlagReceptionTypeUnicast
}

// CommentPrefix starts the first comment of every frame in a pcapng
// osisim writes: "osisim pdu 57: ..." names the frame's PDU id in the trace.
const CommentPrefix = "osisim pdu "

// comments returns the frame's comments: its PDU id and path, the cause,
// the link's note, then the PDUs it carries from layer 3 up (one per
// layer, a few at layers 5 to 7).
func (p *PcapWriter) comments(from *Port, m layers.Meta, note string) []string {
	out := p.scratch[:0]
	head := CommentPrefix + strconv.FormatUint(m.ID, 10) + ": frame sent by " + from.Label()
	if to := from.Peer(); to != nil {
		head += " to " + to.Label()
	}
	out = append(out, head)
	if m.Cause != "" {
		out = append(out, "cause: "+m.Cause)
	}
	if note != "" {
		out = append(out, "on the link: "+note)
	}
	out = p.carries(out, m)
	p.scratch = out[:0]
	return out
}

// carries walks the frame's ancestry breadth first and appends one line
// per PDU it carries: "carries L4 tcp pdu 55: TCP 49152 > 110 [ACK] ...".
// A frame a router forwards carries the datagram of the frame it arrived
// in: the walk passes through that frame to the segment inside.
func (p *PcapWriter) carries(out []string, m layers.Meta) []string {
	clear(p.seen)
	p.shown = [8]int{}
	p.queue = append(p.queue[:0], m.Parents...)
	const perLayer, perUpperLayer, most = 1, 3, 12
	for i := 0; i < len(p.queue) && len(out) < most; i++ {
		id := p.queue[i]
		if p.seen[id] {
			continue
		}
		p.seen[id] = true
		n, ok := p.lookup(id)
		if !ok {
			continue
		}
		p.queue = append(p.queue, n.parents...)
		if n.layer <= layers.DataLink {
			continue
		}
		limit := perLayer
		if n.layer >= layers.Session {
			limit = perUpperLayer
		}
		if p.shown[n.layer] >= limit {
			continue
		}
		p.shown[n.layer]++
		out = append(out, fmt.Sprintf("carries L%d %s pdu %d: %s", n.layer, n.kind, id, oneLine(n.summary)))
	}
	return out
}

// oneLine keeps the first line of s.
func oneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}

// Flush writes the file header if no frame came, then what is buffered,
// and returns the first error met.
func (p *PcapWriter) Flush() error {
	if p.err == nil && p.ng == nil && p.pc == nil {
		p.start(nil)
	}
	if p.err != nil {
		return p.err
	}
	if p.ng != nil {
		return p.ng.Flush()
	}
	return nil
}
