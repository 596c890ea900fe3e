package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"strings"
	"time"

	gplayers "github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/spf13/cobra"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/application"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/network"
	"github.com/osisim/osisim/layers/transport"
	"github.com/osisim/osisim/sim"
)

// decodeOptions holds the decode command's flags and dependencies.
type decodeOptions struct {
	streams
	File   string
	Format string
	Model  string
	Lang   string
}

func newDecodeCmd(s streams) *cobra.Command {
	o := &decodeOptions{streams: s}
	cmd := &cobra.Command{
		Use:   "decode FILE",
		Short: sim.Msg(layers.EN, "cmd.decode.short"),
		Long:  sim.Msg(layers.EN, "cmd.decode.long"),
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.File = args[0]
			// The language is the root's persistent --lang flag, if any.
			if f := cmd.Flags().Lookup("lang"); f != nil {
				o.Lang = f.Value.String()
			}
			return o.run()
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Format, "format", "f", "text", sim.Msg(layers.EN, "flag.decode.format"))
	f.StringVar(&o.Model, "model", "osi7", sim.Msg(layers.EN, "flag.decode.model"))
	return cmd
}

func (o *decodeOptions) run() error {
	model, err := layers.ParseModel(o.Model)
	if err != nil {
		return err
	}
	if o.Lang == "" {
		o.Lang = string(layers.EN)
	}
	lang, err := parseLang(o.Lang)
	if err != nil {
		return err
	}
	if o.Format != "text" && o.Format != "json" {
		return fmt.Errorf("unknown format %q: want text or json", o.Format)
	}
	file, err := os.Open(o.File)
	if err != nil {
		return fmt.Errorf("cannot read the capture: %w", err)
	}
	defer file.Close()
	var (
		rec   layers.Recorder
		flush func() error
		text  *sim.TextRecorder
	)
	if o.Format == "json" {
		j := sim.NewJSONRecorder(o.Out)
		rec, flush = j, j.Flush
	} else {
		text = sim.NewTextRecorder(o.Out, sim.TextOptions{Model: model, Lang: lang, All: true, NodeWidth: 8})
		rec, flush = text, text.Flush
		text.Printf("%s\n", sim.Msgf(lang, "decode.header", o.File, model))
	}
	sum, derr := decodeCapture(file, rec, lang)
	if err := endTrace(text, flush, sum, o.Err); err != nil {
		return err
	}
	if derr != nil {
		return fmt.Errorf("%s: %w", o.File, derr)
	}
	return nil
}

// capturedFrame is one frame read from a capture file.
type capturedFrame struct {
	data     []byte
	ts       time.Time
	iface    string // the capture interface's name, if the file names it
	fcs      int    // octets of FCS at the end: 0 or 4, or -1 when the file does not say
	comments []string
	link     gplayers.LinkType
}

// captureReader reads the frames of a pcap or pcapng stream.
type captureReader struct {
	format string // "pcap" or "pcapng"
	ng     *pcapgo.NgReader
	pc     *pcapgo.Reader
	fcs    int // pcap: the FCS length from the file header's link-type field

	// A pcap file ends at a record boundary: at the end of the file every
	// octet has been read (in), and the records read so far account for
	// them (used), unless the last record was cut short. Not checked in a
	// gzip-compressed file (gzip tells of its own truncation).
	in      *countingReader
	used    int64
	counted bool
}

// countingReader counts the octets read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// pcapngMagic is the block type of a pcapng section header, the first
// four octets of the file in either byte order.
const pcapngMagic = 0x0a0d0d0a

// pcapMagics are the pcap file magic numbers, micro- and nanosecond
// timestamps, in either byte order.

var pcapMagics = map[uint32]binary.ByteOrder{
	0xa1b2c3d4: binary.LittleEndian, 0xa1b23c4d: binary.LittleEndian,
	0xd4c3b2a1: binary.BigEndian, 0x4d3cb2a1: binary.BigEndian,
}

// openCapture recognises the file format and reads its header.
func openCapture(r io.Reader) (*captureReader, error) {
	in := &countingReader{r: r}
	br := bufio.NewReaderSize(in, 64<<10)
	head, err := br.Peek(24)
	if len(head) < 4 {
		return nil, fmt.Errorf("not a capture file: %d bytes, too short for a pcap or pcapng header", len(head))
	}
	if binary.LittleEndian.Uint32(head) == pcapngMagic {
		ng, err := pcapgo.NewNgReader(br, pcapgo.NgReaderOptions{WantMixedLinkType: true})
		if err != nil {
			return nil, fmt.Errorf("pcapng: %v", err)
		}
		return &captureReader{format: "pcapng", ng: ng}, nil
	}
	c := &captureReader{format: "pcap", fcs: -1, in: in, used: 24}
	if order, ok := pcapMagics[binary.LittleEndian.Uint32(head)]; ok && err == nil {
		c.counted = true
		// The link-type field's upper bits may say how many 16-bit words
		// of FCS every frame ends with (libpcap's LT_FCS_DATALINK_EXT).
		lt := order.Uint32(head[20:24])
		if lt&0x04000000 != 0 {
			c.fcs = int(lt>>28) * 2
		}
	}
	pc, err := pcapgo.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("not a pcap or pcapng file: %v", err)
	}
	if lt := pc.LinkType(); lt != gplayers.LinkTypeEthernet {
		return nil, fmt.Errorf("pcap: link type %d (%s) is not Ethernet: osisim decodes Ethernet captures only", lt, lt)
	}
	c.pc = pc
	return c, nil
}

// next returns the next frame, or io.EOF at the end of the file.
func (c *captureReader) next() (capturedFrame, error) {
	if c.pc != nil {
		data, ci, err := c.pc.ReadPacketData()
		cut := errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
		if cut && c.counted && c.in.n > c.used {
			return capturedFrame{}, fmt.Errorf("the file ends inside a record: %d octets after the last whole frame", c.in.n-c.used)
		}
		if err != nil {
			return capturedFrame{}, err
		}
		c.used += 16 + int64(len(data))
		return capturedFrame{data: data, ts: ci.Timestamp, fcs: c.fcs, link: gplayers.LinkTypeEthernet}, nil
	}
	data, ci, opts, err := c.ng.ReadPacketDataWithOptions()
	if err != nil {
		return capturedFrame{}, err
	}
	f := capturedFrame{data: data, ts: ci.Timestamp, fcs: -1, comments: opts.Comments, link: gplayers.LinkTypeEthernet}
	if len(ci.AncillaryData) > 0 {
		if lt, ok := ci.AncillaryData[0].(gplayers.LinkType); ok {
			f.link = lt
		}
	}
	if intf, err := c.ng.Interface(ci.InterfaceIndex); err == nil {
		f.iface = intf.Name
	}
	// The enhanced packet block's flags word may give the FCS length in
	// octets (pcapng, epb_flags bits 5-8).
	if opts.Flags != nil && opts.Flags.FCSLen != pcapgo.NgEpbFlagFCSLengthNotAvailable {
		f.fcs = int(opts.Flags.FCSLen >> 5)
	}
	return f, nil
}

// decodeCapture reads a capture from r and records every frame's layers
// to rec as trace events. It returns a closing summary line in lang, or an error
// naming the frame where the file is unreadable.
func decodeCapture(r io.Reader, rec layers.Recorder, lang layers.Lang) (string, error) {
	c, err := openCapture(r)
	if err != nil {
		return "", err
	}
	d := &decoder{rec: rec}
	n := 0
	for {
		f, err := c.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("%s frame %d: %v", c.format, n+1, err)
		}
		n++
		d.frame(n, f)
	}
	s := sim.Msgf(lang, "decode.summary", n, c.format)
	if d.undecodable > 0 {
		s += sim.Msgf(lang, "decode.summary.bad", d.undecodable)
	}
	return s, nil
}

// decoder turns captured frames into trace events.
type decoder struct {
	rec         layers.Recorder
	seq         uint64
	nextID      uint64
	base        time.Time
	started     bool
	undecodable int
	events      []layers.Event
}

// simulatedEpoch: a capture whose first frame is older than this was
// written by a simulation (its clock starts at the Unix epoch), and its
// times are shown as they are; other captures are shown relative to their
// first frame.
var simulatedEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// frame decodes frame number n and records its events.
func (d *decoder) frame(n int, f capturedFrame) {
	if !d.started {
		d.started = true
		d.base = f.ts
		if f.ts.Before(simulatedEpoch) {
			d.base = time.Unix(0, 0)
		}
	}
	node, iface, peer := interfaceParts(f.iface)
	d.events = d.events[:0]
	var title layers.Event
	if f.iface != "" {
		title = title.Title("decode.frame.on", "frame %d: %d B on %s", n, len(f.data), f.iface)
	} else {
		title = title.Title("decode.frame", "frame %d: %d B", n, len(f.data))
	}
	if f.link != gplayers.LinkTypeEthernet {
		d.note(layers.DataLink, layers.Tell("decode.linktype", "link type %d (%v) is not Ethernet: not decoded", int(f.link), f.link))
	} else {
		d.decodeEthernet(f.data, f.fcs)
	}
	for _, c := range f.comments {
		// osisim's "carries ..." comments repeat what the decode shows.
		if !strings.HasPrefix(c, "carries ") {
			d.note(layers.DataLink, layers.Tell("decode.comment", "capture comment: %s", c))
		}
	}
	// Lower PDUs carry the upper ones: each PDU's parent is the next one up.
	var pdus []*layers.PDU
	for i := range d.events {
		if p := d.events[i].PDU; p != nil {
			d.nextID++
			p.ID = d.nextID
			pdus = append(pdus, p)
		}
	}
	for i, p := range pdus {
		switch {
		case p.Kind == "tcp":
			for _, up := range pdus[i+1:] {
				p.Parents = append(p.Parents, up.ID)
			}
		case p.Kind != "pop3" && i+1 < len(pdus):
			p.Parents = []uint64{pdus[i+1].ID}
		}
	}
	t := f.ts.Sub(d.base)
	for i := range d.events {
		e := &d.events[i]
		d.seq++
		e.Seq, e.Time = d.seq, t
		e.Node, e.Iface, e.Peer = node, iface, peer
		if i == 0 {
			e.Chapter, e.ChapterMsg, e.ChapterArgs = title.Chapter, title.ChapterMsg, title.ChapterArgs
		}
		d.rec.Record(e)
	}
}

// interfaceParts splits an osisim interface name "client.eth0 -> sw1.1"
// into the sending node, its port and the peer; any other name is the
// node.
func interfaceParts(name string) (node, iface, peer string) {
	if name == "" {
		return "capture", "", ""
	}
	from, to, ok := strings.Cut(name, " -> ")
	if !ok {
		return name, "", ""
	}
	node, iface, _ = strings.Cut(from, ".")
	peer, _, _ = strings.Cut(to, ".")
	return node, iface, peer
}

func (d *decoder) add(l layers.Layer, p *layers.PDU, text string) {
	if text == "" {
		text = p.Summary
	}
	d.events = append(d.events, layers.Event{Layer: l, Dir: layers.Up, PDU: p, Text: text})
}

func (d *decoder) note(l layers.Layer, p layers.Phrase) {
	d.events = append(d.events, layers.Event{Layer: l, Dir: layers.Note}.SayPhrase(p))
}

// bad records that the frame does not decode at layer l, and why.
func (d *decoder) bad(l layers.Layer, reason layers.Reason, p layers.Phrase) {
	d.undecodable++
	d.events = append(d.events, layers.Event{Layer: l, Dir: layers.Drop, Reason: reason}.SayPhrase(p))
}

// hasFCS guesses whether a frame the file says nothing about ends with
// its FCS: it does when its last four octets are the CRC-32 of the rest.
func hasFCS(b []byte) bool {
	if len(b) < datalink.MinFrameLen {
		return false
	}
	n := len(b) - datalink.FCSLen
	return crc32.ChecksumIEEE(b[:n]) == binary.LittleEndian.Uint32(b[n:])
}

// decodeEthernet decodes the frame and what it carries.
func (d *decoder) decodeEthernet(b []byte, fcs int) {
	if fcs < 0 {
		fcs = 0
		if hasFCS(b) {
			fcs = datalink.FCSLen
		}
	}
	var f datalink.Frame
	pdu := &layers.PDU{Kind: "ethernet", Len: len(b), Bytes: b}
	switch {
	case fcs == datalink.FCSLen:
		var err error
		f, err = datalink.Parse(b)
		if err != nil {
			var fe *datalink.FCSError
			if errors.As(err, &fe) {
				pdu.HeaderLen, pdu.Summary, pdu.Fields = f.HeaderLen(), f.Summary(), f.Fields()
				d.add(layers.DataLink, pdu, "")
				d.bad(layers.DataLink, layers.ReasonFCS, layers.Tell("decode.fcs", "%v: the frame was corrupted, a receiver discards it", err))
				return
			}
			d.bad(layers.DataLink, layers.ReasonMalformed, layers.Plain(err.Error()))
			return
		}
		pdu.HeaderLen, pdu.Summary, pdu.Fields = f.HeaderLen(), f.Summary(), f.Fields()
	case fcs != 0:
		d.bad(layers.DataLink, layers.ReasonMalformed, layers.Tell("decode.fcslen", "datalink: the capture says frames end with %d octets of FCS; Ethernet's is 4", fcs))
		return
	default:
		// The capture left the FCS out (most captures do): decode the
		// header and describe what the frame carries, without an FCS.
		if len(b) < datalink.HeaderLen {
			d.bad(layers.DataLink, layers.ReasonMalformed, layers.Tell("decode.short", "datalink: frame too short: %d bytes, need at least %d for the header", len(b), datalink.HeaderLen))
			return
		}
		f = datalink.Frame{Dst: datalink.MAC(b[0:6]), Src: datalink.MAC(b[6:12]),
			Type: datalink.EtherType(binary.BigEndian.Uint16(b[12:14])), Payload: b[datalink.HeaderLen:]}
		pdu.HeaderLen = datalink.HeaderLen
		pdu.Summary = fmt.Sprintf("%s > %s type %s, %d B (no FCS in the capture)", f.Src, f.Dst, f.Type, len(b))
		for _, fd := range f.Fields() {
			if fd.Name != "Padding" && fd.Name != "FCS" {
				pdu.Fields = append(pdu.Fields, fd)
			}
		}
		pdu.Fields = append(pdu.Fields, layers.Field{Name: "FCS", Value: "not in the capture"})
	}
	if f.Type < 0x0600 {
		d.add(layers.DataLink, pdu, "")
		d.note(layers.DataLink, layers.Tell("decode.llc", "the type field %d is an IEEE 802.3 length (an LLC frame): not decoded", uint16(f.Type)))
		return
	}
	d.add(layers.DataLink, pdu, "")
	switch f.Type {
	case datalink.EtherTypeIPv4:
		d.decodeIPv4(f.Payload)
	case datalink.EtherTypeARP, datalink.EtherTypeRARP:
		a, err := network.ParseARP(f.Payload)
		if err != nil {
			d.bad(layers.Network, layers.ReasonMalformed, layers.Plain(err.Error()))
			return
		}
		d.add(layers.Network, &layers.PDU{Kind: "arp", Len: network.ARPLen, HeaderLen: a.HeaderLen(),
			Summary: a.Summary(), Fields: a.Fields(), Bytes: f.Payload[:network.ARPLen]}, "")
	default:
		d.note(layers.Network, layers.Tell("decode.ethertype", "EtherType %v: osisim decodes IPv4, ARP and RARP only", f.Type))
	}
}

func (d *decoder) decodeIPv4(b []byte) {
	dg, err := network.Parse(b)
	if err != nil {
		reason := layers.ReasonMalformed
		if errors.Is(err, network.ErrChecksum) {
			reason = layers.ReasonChecksum
		}
		d.bad(layers.Network, reason, layers.Plain(err.Error()))
		return
	}
	d.add(layers.Network, &layers.PDU{Kind: "ipv4", Len: dg.Len(), HeaderLen: dg.HeaderLen(),
		Summary: dg.Summary(), Fields: dg.Fields(), Bytes: b[:dg.Len()]}, "")
	if dg.IsFragment() {
		d.note(layers.Network, layers.Tell("decode.fragment", "a fragment (offset %d, %d B): the datagram is not reassembled here, its payload is not decoded", dg.FragOffset, len(dg.Payload)))
		return
	}
	switch dg.Protocol {
	case network.ProtoICMP:
		m, err := network.ParseICMP(dg.Payload)
		if err != nil {
			reason := layers.ReasonMalformed
			if errors.Is(err, network.ErrChecksum) {
				reason = layers.ReasonChecksum
			}
			d.bad(layers.Network, reason, layers.Plain(err.Error()))
			return
		}
		d.add(layers.Network, &layers.PDU{Kind: "icmp", Len: len(dg.Payload), HeaderLen: m.HeaderLen(),
			Summary: m.Summary(), Fields: m.Fields(), Bytes: dg.Payload}, "")
	case network.ProtoTCP:
		s, err := transport.Parse(dg.Payload, dg.Src, dg.Dst)
		if err != nil && !errors.Is(err, transport.ErrChecksum) {
			d.bad(layers.Transport, layers.ReasonMalformed, layers.Plain(err.Error()))
			return
		}
		d.add(layers.Transport, &layers.PDU{Kind: "tcp", Len: len(dg.Payload), HeaderLen: s.HeaderLen(),
			Summary: s.Summary(), Fields: s.Fields(), Bytes: dg.Payload}, "")
		if err != nil {
			d.bad(layers.Transport, layers.ReasonChecksum, layers.Tell("decode.tcpsum",
				"%v (a capture taken on the sending host often shows the checksum before the network card fills it in)", err))
		}
		if len(s.Payload) > 0 && (s.SrcPort == 110 || s.DstPort == 110) {
			d.decodePOP3(s.Payload, s.DstPort == 110)
		}
	case network.ProtoUDP:
		u, err := transport.ParseDatagram(dg.Payload, dg.Src, dg.Dst)
		if err != nil && !errors.Is(err, transport.ErrChecksum) {
			d.bad(layers.Transport, layers.ReasonMalformed, layers.Plain(err.Error()))
			return
		}
		d.add(layers.Transport, &layers.PDU{Kind: "udp", Len: len(dg.Payload), HeaderLen: u.HeaderLen(),
			Summary: u.Summary(), Fields: u.Fields(), Bytes: dg.Payload}, "")
		if err != nil {
			d.bad(layers.Transport, layers.ReasonChecksum, layers.Plain(err.Error()))
		}
	default:
		d.note(layers.Network, layers.Tell("decode.proto", "protocol %v: osisim decodes ICMP, TCP and UDP only", dg.Protocol))
	}
}

// decodePOP3 decodes the POP3 lines (RFC 1939) a segment carries: command
// lines from the client, a status line from the server followed, for a
// multi-line reply, by part of its body. A segment is decoded on its own:
// a line cut across segments is shown as octets.
func (d *decoder) decodePOP3(b []byte, fromClient bool) {
	if !fromClient {
		if !bytes.HasPrefix(b, []byte("+OK")) && !bytes.HasPrefix(b, []byte("-ERR")) {
			d.note(layers.Application, layers.Tell("decode.pop3.body", "%d B of a multi-line body or of a line begun in an earlier segment (RFC 1939 section 3)", len(b)))
			return
		}
		i := bytes.Index(b, []byte("\r\n"))
		if i < 0 {
			d.note(layers.Application, layers.Tell("decode.pop3.reply", "%d B of a reply line that continues in the next segment", len(b)))
			return
		}
		d.pop3Line(b[:i+2], application.ParseReply)
		if rest := b[i+2:]; len(rest) > 0 {
			d.note(layers.Application, layers.Tell("decode.pop3.then", "then %d B of the multi-line body (byte-stuffed, RFC 1939 section 3)", len(rest)))
		}
		return
	}
	for len(b) > 0 {
		i := bytes.Index(b, []byte("\r\n"))
		if i < 0 {
			d.note(layers.Application, layers.Tell("decode.pop3.cmd", "%d B of a command line that continues in the next segment", len(b)))
			return
		}
		d.pop3Line(b[:i+2], application.ParseCommand)
		b = b[i+2:]
	}
}

func (d *decoder) pop3Line(line []byte, parse func([]byte) (application.Message, error)) {
	m, err := parse(line)
	if err != nil {
		d.bad(layers.Application, layers.ReasonMalformed, layers.Plain(err.Error()))
		return
	}
	d.add(layers.Application, &layers.PDU{Kind: "pop3", Len: len(line), HeaderLen: m.HeaderLen(),
		Summary: m.Summary(), Fields: m.Fields(), Bytes: line}, "")
}
