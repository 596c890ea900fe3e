package network

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
)

// IPv4 option types with a meaning for fragmentation (RFC 791 3.1): the
// high bit of an option's type octet is its copied flag.
const (
	ipOptEOL    = 0    // End of Option List: one octet, ends the list
	ipOptNOP    = 1    // No Operation: one octet
	ipOptCopied = 0x80 // the copied flag: the option goes into every fragment
)

// transmit hands datagram b to the link towards dst on interface ifi, in
// one frame when it fits the interface MTU, otherwise in fragments.
func (s *Stack) transmit(ifi int, dst datalink.MAC, b []byte, m layers.Meta) {
	if len(b) <= s.ifaces[ifi].MTU {
		s.link.SendFrame(ifi, dst, datalink.EtherTypeIPv4, b, m)
		return
	}
	s.fragment(ifi, dst, b, m)
}

// fragmentData returns how many octets of data a fragment with a header
// of hl octets carries on a link of the given MTU: as many as fit, rounded
// down to a multiple of 8, since the Fragment Offset counts 8-octet units
// (RFC 791 3.2, "NFB"). With MTU at least 68 and a header at most 60 it is
// at least 8.
func fragmentData(mtu, hl int) int { return (mtu - hl) &^ 7 }

// fragment splits datagram b, larger than the MTU of interface ifi and
// without Don't Fragment, into fragments and sends each in its own frame
// (RFC 791 3.2, fragmentation procedure): every fragment carries the
// original header with the same Identification, its own Total Length and
// Fragment Offset, and More Fragments set on all but the last (the last
// keeps the original's More Fragments, so a fragment is fragmented again
// correctly). The first fragment carries every option; the others only
// those whose copied flag is set. Each fragment goes to the link with m,
// so each is a new PDU built from what m describes.
func (s *Stack) fragment(ifi int, dst datalink.MAC, b []byte, m layers.Meta) {
	d, err := Parse(b)
	if err != nil {
		// b was emitted by this stack or checked on arrival.
		s.record(ifi, layers.Drop, layers.ReasonMalformed, "", nil, layers.Tell("net.frag.bad", "datagram to fragment discarded: %v", err))
		return
	}
	in := &s.ifaces[ifi]
	s.fopt = copiedOptions(s.fopt[:0], d.Options)
	later := Datagram{Options: s.fopt}
	firstData := fragmentData(in.MTU, d.HeaderLen())
	laterData := fragmentData(in.MTU, later.HeaderLen())
	if s.env.Tracing() {
		s.record(ifi, layers.Note, "", m.Cause, nil, s.fragmentText(&d, in, firstData, laterData))
	}
	data := d.Payload
	f := d
	for off := 0; off < len(data); {
		n := laterData
		if off == 0 {
			n = firstData
		} else {
			f.Options = s.fopt
		}
		n = min(n, len(data)-off)
		f.FragOffset = d.FragOffset + uint16(off)
		f.MoreFragments = d.MoreFragments || off+n < len(data)
		f.Payload = data[off : off+n]
		s.frag = f.appendWith(s.frag[:0], &s.em)
		s.link.SendFrame(ifi, dst, datalink.EtherTypeIPv4, s.frag, m)
		off += n
	}
}

// fragmentText says how d is cut: "datagram id=0x1a2b of 3,000 B
// fragmented into 3 fragments for MTU 1500 on eth1: 1480+1480+20 B of
// data". Runs of more than three equal sizes print as "44x1480".
func (s *Stack) fragmentText(d *Datagram, in *netIface, firstData, laterData int) layers.Phrase {
	total := len(d.Payload)
	var sizes []int
	for off := 0; off < total; {
		n := laterData
		if off == 0 {
			n = firstData
		}
		n = min(n, total-off)
		sizes = append(sizes, n)
		off += n
	}
	var sb strings.Builder
	for i := 0; i < len(sizes); {
		j := i
		for j < len(sizes) && sizes[j] == sizes[i] {
			j++
		}
		if j-i > 3 {
			if sb.Len() > 0 {
				sb.WriteByte('+')
			}
			fmt.Fprintf(&sb, "%dx%d", j-i, sizes[i])
			i = j
			continue
		}
		for ; i < j; i++ {
			if sb.Len() > 0 {
				sb.WriteByte('+')
			}
			sb.WriteString(strconv.Itoa(sizes[i]))
		}
	}
	if len(d.Options) > 0 && laterData != firstData {
		return layers.Tell("net.frag.options", "datagram id=0x%04x of %s B fragmented into %v for MTU %d on %s: %s B of data; options: %d B in the first fragment, %d B copied into the others",
			d.ID, layers.Thousands(int64(d.Len())), count(len(sizes), "fragment"), in.MTU, in.Name, sb.String(), len(d.Options), len(s.fopt))
	}
	return layers.Tell("net.frag", "datagram id=0x%04x of %s B fragmented into %v for MTU %d on %s: %s B of data",
		d.ID, layers.Thousands(int64(d.Len())), count(len(sizes), "fragment"), in.MTU, in.Name, sb.String())
}

// copiedOptions appends to dst the options of opts whose copied flag is set
// (RFC 791 3.1: "the option is copied into all fragments on
// fragmentation"); End of Option List, No Operation and every option
// without the flag stay in the first fragment only. A malformed option
// (a length below 2 or past the end) ends the scan: what follows it cannot
// be told apart.
func copiedOptions(dst, opts []byte) []byte {
	for i := 0; i < len(opts); {
		t := opts[i]
		switch t {
		case ipOptEOL:
			return dst
		case ipOptNOP:
			i++
			continue
		}
		if i+1 >= len(opts) {
			return dst
		}
		l := int(opts[i+1])
		if l < 2 || i+l > len(opts) {
			return dst
		}
		if t&ipOptCopied != 0 {
			dst = append(dst, opts[i:i+l]...)
		}
		i += l
	}
	return dst
}

// tooBig drops datagram b, larger than the MTU of interface ifi with Don't
// Fragment set, and reports ICMP destination unreachable, fragmentation
// needed, with the MTU of the next hop in the low-order 16 bits of the
// unused header field (RFC 791 3.2, RFC 1191 4, RFC 1812 5.2.6): to the
// source over the network, or to the local transport layer when this node
// sent it.
func (s *Stack) tooBig(ifi int, b []byte, m layers.Meta, local bool) {
	d, err := Parse(b)
	if err != nil {
		return // cannot happen: b was emitted by this stack or checked on arrival
	}
	in := &s.ifaces[ifi]
	pdu := s.ipPDU(&d, b, m)
	if local {
		pdu = s.ownPDU(&d, b, m)
	}
	s.record(ifi, layers.Drop, layers.ReasonNeedFrag, "", pdu,
		layers.Tell("net.frag.df", "datagram of %s B for %s does not fit the MTU %d of %s and has Don't Fragment set: dropped", layers.Thousands(int64(len(b))), d.Dst, in.MTU, in.Name))
	if !local {
		s.sendICMPError(ifi, d, b, ICMPDestUnreachable, ICMPFragNeeded, uint32(in.MTU), m, "fragmentation needed")
		return
	}
	s.reportLocal(ifi, d, b, ICMPDestUnreachable, ICMPFragNeeded, uint32(in.MTU), m, "fragmentation needed")
}

// reportLocal hands the local transport layer an ICMP error of type typ and
// code about datagram d (octets b) that this node originated and could not
// send. The message never crosses a wire, but it is emitted and parsed so
// that the transport layer sees exactly what a remote router would send.
func (s *Stack) reportLocal(ifi int, d Datagram, b []byte, typ, code uint8, rest uint32, m layers.Meta, cause string) {
	if s.up == nil || !s.noErrorWhy(d).IsZero() {
		return
	}
	eb := NewError(typ, code, rest, b).Append(nil)
	msg, _ := ParseICMP(eb)
	mm := layers.Meta{ID: s.env.NewID(), Parents: parentsOf(m), Cause: cause}
	s.record(ifi, layers.Note, "", cause, s.icmpPDU(&msg, eb, mm),
		layers.Tell("net.frag.reported", "%s reported to the local %s sender", icmpText(msg), d.Protocol))
	s.up.DeliverICMP(d.Src, msg, mm)
}
