package sim

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"unicode/utf8"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/network"
	"github.com/osisim/osisim/layers/transport"
)

// The layout of a PDU's octets for the viewer's field tree and hex dump:
// the headers nested in the octets, each field with its bit offset and
// length. The offsets follow the header formats: IEEE 802.3 clause 3.2
// (Ethernet II), RFC 826 (ARP), RFC 791 3.1 (IPv4), RFC 792 (ICMP), RFC
// 9293 3.1 (TCP), RFC 768 (UDP) and RFC 1939 3 (a POP3 line). The fields of
// the outermost header carry no value (the event's own fields give it);
// the nested headers are decoded here with each layer's parser.

// layoutPDU lays out b, the octets of a PDU of the given kind.
func layoutPDU(kind string, l layers.Layer, b []byte) []htmlSection {
	var secs []htmlSection
	switch kind {
	case "ethernet":
		secs = layoutEthernet(secs, b)
	case "arp":
		secs = layoutARP(secs, b, 0, true)
	case "ipv4":
		secs = layoutIPv4(secs, b, 0, true)
	case "icmp":
		if l == layers.Network {
			secs = layoutICMP(secs, b, 0, true)
		} else {
			secs = whole(secs, kind, l, b)
		}
	case "tcp":
		secs = layoutTCP(secs, b, 0, true)
	case "udp":
		secs = layoutUDP(secs, b, 0, true)
	case "pop3":
		secs = layoutPOP3(secs, b)
	default:
		secs = whole(secs, kind, l, b)
	}
	return secs
}

// field returns a field of octets [off, off+n) of the blob.
func field(name, value string, off, n int) htmlField {
	return htmlField{Name: name, Value: value, Off: off * 8, Len: n * 8}
}

// bitField returns a field of bits [bit, bit+n) of the blob.
func bitField(name, value string, bit, n int) htmlField {
	return htmlField{Name: name, Value: value, Off: bit, Len: n}
}

// whole is a section that is the PDU's octets as one unit, for kinds whose
// fields the viewer does not place.
func whole(secs []htmlSection, kind string, l layers.Layer, b []byte) []htmlSection {
	return append(secs, htmlSection{Name: kind, Kind: kind, Layer: int(l),
		Fields: []htmlField{field("Octets", "", 0, len(b))}})
}

// own keeps the value only for a nested header.
func own(top bool, v string) string {
	if top {
		return ""
	}
	return v
}

func layoutEthernet(secs []htmlSection, b []byte) []htmlSection {
	if len(b) < datalink.HeaderLen+datalink.FCSLen {
		return whole(secs, "ethernet", layers.DataLink, b)
	}
	body := len(b) - datalink.FCSLen
	t := datalink.EtherType(binary.BigEndian.Uint16(b[12:14]))
	// The payload ends where the datagram or packet it carries ends; what
	// follows up to the FCS is padding (IEEE 802.3 clause 3.2.8).
	end := body
	switch t {
	case datalink.EtherTypeIPv4:
		if body-14 >= 4 {
			if total := int(binary.BigEndian.Uint16(b[16:18])); total >= 20 && 14+total <= body {
				end = 14 + total
			}
		}
	case datalink.EtherTypeARP, datalink.EtherTypeRARP:
		if 14+network.ARPLen <= body {
			end = 14 + network.ARPLen
		}
	}
	eth := htmlSection{Name: "Ethernet II", Kind: "ethernet", Layer: int(layers.DataLink), Fields: []htmlField{
		field("Destination", "", 0, 6),
		field("Source", "", 6, 6),
		field("Type", "", 12, 2),
	}}
	if end < body {
		eth.Fields = append(eth.Fields, field("Padding", fmt.Sprintf("%d B of zeros", body-end), end, body-end))
	}
	eth.Fields = append(eth.Fields, field("FCS", "", body, datalink.FCSLen))
	secs = append(secs, eth)
	payload := b[14:end]
	switch t {
	case datalink.EtherTypeIPv4:
		secs = layoutIPv4(secs, payload, 14, false)
	case datalink.EtherTypeARP, datalink.EtherTypeRARP:
		secs = layoutARP(secs, payload, 14, false)
	default:
		secs = layoutData(secs, payload, 14)
	}
	return secs
}

// values returns the printed value of every named field.
func values(fs []layers.Field) map[string]string {
	m := make(map[string]string, len(fs))
	for _, f := range fs {
		m[f.Name] = f.Value
	}
	return m
}

// undecodable is a section for octets a parser refused.
func undecodable(secs []htmlSection, name, kind string, l layers.Layer, b []byte, off int, err error) []htmlSection {
	return append(secs, htmlSection{Name: name + " (undecodable)", Kind: kind, Layer: int(l),
		Fields: []htmlField{field("Error", err.Error(), off, len(b))}})
}

func layoutARP(secs []htmlSection, b []byte, off int, top bool) []htmlSection {
	a, err := network.ParseARP(b)
	if err != nil {
		return undecodable(secs, "ARP", "arp", layers.Network, b, off, err)
	}
	v := values(a.Fields())
	names := [...]string{"Hardware Type", "Protocol Type", "Hardware Size", "Protocol Size", "Opcode",
		"Sender MAC Address", "Sender IP Address", "Target MAC Address", "Target IP Address"}
	sizes := [...]int{2, 2, 1, 1, 2, 6, 4, 6, 4}
	s := htmlSection{Name: "ARP", Kind: "arp", Layer: int(layers.Network)}
	at := off
	for i, n := range names {
		s.Fields = append(s.Fields, field(n, own(top, v[n]), at, sizes[i]))
		at += sizes[i]
	}
	return append(secs, s)
}

func layoutIPv4(secs []htmlSection, b []byte, off int, top bool) []htmlSection {
	d, err := network.Parse(b)
	if err != nil {
		var ce *network.ChecksumError
		if !errors.As(err, &ce) || len(b) < 20 {
			return undecodable(secs, "IPv4", "ipv4", layers.Network, b, off, err)
		}
		// A bad header checksum still leaves a readable header.
		d, _ = parseIPv4Loose(b)
	}
	v := values(d.Fields())
	hl := d.HeaderLen()
	s := htmlSection{Name: "IPv4", Kind: "ipv4", Layer: int(layers.Network), Fields: []htmlField{
		bitField("Version", own(top, v["Version"]), off*8, 4),
		bitField("IHL", own(top, v["IHL"]), off*8+4, 4),
		field("TOS", own(top, v["TOS"]), off+1, 1),
		field("Total Length", own(top, v["Total Length"]), off+2, 2),
		field("Identification", own(top, v["Identification"]), off+4, 2),
		bitField("Flags", own(top, v["Flags"]), (off+6)*8, 3),
		bitField("Fragment Offset", own(top, v["Fragment Offset"]), (off+6)*8+3, 13),
		field("TTL", own(top, v["TTL"]), off+8, 1),
		field("Protocol", own(top, v["Protocol"]), off+9, 1),
		field("Header Checksum", own(top, v["Header Checksum"]), off+10, 2),
		field("Source", own(top, v["Source"]), off+12, 4),
		field("Destination", own(top, v["Destination"]), off+16, 4),
	}}
	if hl > 20 {
		s.Fields = append(s.Fields, field("Options", own(top, v["Options"]), off+20, hl-20))
	}
	secs = append(secs, s)
	payload, poff := d.Payload, off+hl
	if d.FragOffset != 0 {
		// Only the first fragment holds the transport header.
		return layoutData(secs, payload, poff)
	}
	switch d.Protocol {
	case network.ProtoTCP:
		secs = layoutTCP(secs, payload, poff, false)
	case network.ProtoUDP:
		secs = layoutUDP(secs, payload, poff, false)
	case network.ProtoICMP:
		secs = layoutICMP(secs, payload, poff, false)
	default:
		secs = layoutData(secs, payload, poff)
	}
	return secs
}

// parseIPv4Loose reads an IPv4 header whose checksum is wrong: it
// recomputes nothing, it only reads the fields.
func parseIPv4Loose(b []byte) (network.Datagram, error) {
	c := append([]byte(nil), b...)
	hl := int(c[0]&0x0f) * 4
	if hl < 20 || hl > len(c) {
		return network.Datagram{}, fmt.Errorf("sim: bad IPv4 header length")
	}
	// Put a correct checksum in a copy, parse it, then restore the one
	// received so that Fields prints it.
	recv := binary.BigEndian.Uint16(c[10:12])
	c[10], c[11] = 0, 0
	var sum uint32
	for i := 0; i+1 < hl; i += 2 {
		sum += uint32(binary.BigEndian.Uint16(c[i:]))
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	binary.BigEndian.PutUint16(c[10:12], ^uint16(sum))
	d, err := network.Parse(c)
	d.Checksum = recv
	return d, err
}

func layoutICMP(secs []htmlSection, b []byte, off int, top bool) []htmlSection {
	m, err := network.ParseICMP(b)
	if err != nil {
		return undecodable(secs, "ICMP", "icmp", layers.Network, b, off, err)
	}
	fs := m.Fields()
	s := htmlSection{Name: "ICMP", Kind: "icmp", Layer: int(layers.Network)}
	unused := 4
	for _, f := range fs {
		if f.Name == "Next-Hop MTU" {
			unused = 2
		}
	}
	for _, f := range fs {
		v := own(top, f.Value)
		switch f.Name {
		case "Type":
			s.Fields = append(s.Fields, field(f.Name, v, off, 1))
		case "Code":
			s.Fields = append(s.Fields, field(f.Name, v, off+1, 1))
		case "Checksum":
			s.Fields = append(s.Fields, field(f.Name, v, off+2, 2))
		case "Identifier":
			s.Fields = append(s.Fields, field(f.Name, v, off+4, 2))
		case "Sequence Number", "Next-Hop MTU":
			s.Fields = append(s.Fields, field(f.Name, v, off+6, 2))
		case "Unused":
			s.Fields = append(s.Fields, field(f.Name, v, off+4, unused))
		case "Gateway Address", "Rest of Header":
			s.Fields = append(s.Fields, field(f.Name, v, off+4, 4))
		case "Pointer":
			s.Fields = append(s.Fields, field(f.Name, v, off+4, 1))
		case "Original Datagram":
			s.Fields = append(s.Fields, field(f.Name, v, off+8, len(b)-8))
		}
	}
	secs = append(secs, s)
	if !m.IsError() && len(b) > 8 {
		secs = layoutData(secs, b[8:], off+8)
	}
	return secs
}

func layoutTCP(secs []htmlSection, b []byte, off int, top bool) []htmlSection {
	// The checksum is not verified here (zero addresses): the trace says
	// whether it was right; the layout only places the fields.
	seg, err := transport.Parse(b, netip.Addr{}, netip.Addr{})
	if err != nil {
		return undecodable(secs, "TCP", "tcp", layers.Transport, b, off, err)
	}
	v := values(seg.Fields())
	doff := int(b[12]>>4) * 4
	s := htmlSection{Name: "TCP", Kind: "tcp", Layer: int(layers.Transport), Fields: []htmlField{
		field("Source Port", own(top, v["Source Port"]), off, 2),
		field("Destination Port", own(top, v["Destination Port"]), off+2, 2),
		field("Sequence Number", own(top, v["Sequence Number"]), off+4, 4),
		field("Acknowledgment Number", own(top, v["Acknowledgment Number"]), off+8, 4),
		bitField("Data Offset", own(top, v["Data Offset"]), (off+12)*8, 4),
		bitField("Flags", own(top, v["Flags"]), (off+12)*8+4, 12),
		field("Window", own(top, v["Window"]), off+14, 2),
		field("Checksum", own(top, v["Checksum"]), off+16, 2),
		field("Urgent Pointer", own(top, v["Urgent Pointer"]), off+18, 2),
	}}
	if doff > 20 {
		s.Fields = append(s.Fields, field("Options", own(top, v["Options"]), off+20, doff-20))
	} else {
		// The trace lists Options as "none": it occupies no octets.
		s.Fields = append(s.Fields, field("Options", own(top, v["Options"]), off+20, 0))
	}
	secs = append(secs, s)
	return layoutData(secs, b[doff:], off+doff)
}

func layoutUDP(secs []htmlSection, b []byte, off int, top bool) []htmlSection {
	u, err := transport.ParseDatagram(b, netip.Addr{}, netip.Addr{})
	if err != nil {
		return undecodable(secs, "UDP", "udp", layers.Transport, b, off, err)
	}
	v := values(u.Fields())
	s := htmlSection{Name: "UDP", Kind: "udp", Layer: int(layers.Transport), Fields: []htmlField{
		field("Source Port", own(top, v["Source Port"]), off, 2),
		field("Destination Port", own(top, v["Destination Port"]), off+2, 2),
		field("Length", own(top, v["Length"]), off+4, 2),
		field("Checksum", own(top, v["Checksum"]), off+6, 2),
	}}
	secs = append(secs, s)
	return layoutData(secs, u.Payload, off+8)
}

// layoutData is the payload a header carries, shown as text when it reads
// as text.
func layoutData(secs []htmlSection, b []byte, off int) []htmlSection {
	if len(b) == 0 {
		return secs
	}
	return append(secs, htmlSection{Name: "Data (" + strconv.Itoa(len(b)) + " B)", Kind: "data", Layer: int(layers.Application),
		Fields: []htmlField{field("Data", preview(b), off, len(b))}})
}

// preview prints the start of b: quoted text when it is text, else hex.
func preview(b []byte) string {
	const max = 64
	cut := b
	if len(cut) > max {
		cut = cut[:max]
		for len(cut) > 0 && !utf8.Valid(cut) {
			cut = cut[:len(cut)-1]
		}
	}
	text := utf8.Valid(cut) && len(cut) > 0
	for _, c := range cut {
		if c < 0x20 && c != '\r' && c != '\n' && c != '\t' {
			text = false
			break
		}
	}
	more := ""
	if len(cut) < len(b) {
		more = " ..."
	}
	if text {
		return strconv.Quote(string(cut)) + more
	}
	n := min(len(b), 24)
	if n < len(b) {
		more = " ..."
	}
	return fmt.Sprintf("%x", b[:n]) + more
}

// layoutPOP3 places a POP3 line's parts (RFC 1939 3): the keyword or
// status indicator, an optional response code, and the rest of the first
// line before its CRLF.
func layoutPOP3(secs []htmlSection, b []byte) []htmlSection {
	s := htmlSection{Name: "POP3", Kind: "pop3", Layer: int(layers.Application)}
	line := b
	if i := bytes.Index(b, []byte("\r\n")); i >= 0 {
		line = b[:i]
	}
	tok := bytes.IndexByte(line, ' ')
	if tok < 0 {
		tok = len(line)
	}
	first := "Keyword"
	if len(line) > 0 && (line[0] == '+' || line[0] == '-') {
		first = "Status"
	}
	s.Fields = append(s.Fields, field(first, "", 0, tok))
	rest := tok + 1
	if first == "Status" && rest < len(line) && line[rest] == '[' {
		if j := bytes.IndexByte(line[rest:], ']'); j >= 0 {
			s.Fields = append(s.Fields, field("Response code", "", rest, j+1))
			rest += j + 1
			if rest < len(line) && line[rest] == ' ' {
				rest++
			}
		}
	}
	second := "Arguments"
	if first == "Status" {
		second = "Text"
	}
	if rest <= len(line) {
		s.Fields = append(s.Fields, field(second, "", rest, len(line)-rest))
	} else {
		s.Fields = append(s.Fields, field(second, "", len(line), 0))
	}
	if len(line) < len(b) {
		s.Fields = append(s.Fields, field("Rest", preview(b[len(line):]), len(line), len(b)-len(line)))
	}
	return append(secs, s)
}
