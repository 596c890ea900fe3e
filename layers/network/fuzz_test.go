package network

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
)

// FuzzParse checks that Parse never panics and that what it accepts
// survives Append and Parse again: the same values (the checksum aside,
// since 0x0000 and 0xffff are both valid) and then the same octets.
func FuzzParse(f *testing.F) {
	for _, b := range [][]byte{fixSYN, fixRST, fixEchoRequest, fixEchoReply, fixOptions, fixSYN[:20], append(append([]byte(nil), fixOptions...), 0, 0, 0)} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Parse(b)
		if err != nil {
			return
		}
		b2 := d.Append(nil)
		d2, err := Parse(b2)
		if err != nil {
			t.Fatalf("Parse(Append(Parse(%x))): %v", b, err)
		}
		d.Checksum, d2.Checksum = 0, 0
		if diff := cmp.Diff(d, d2, cmpOpts); diff != "" {
			t.Fatalf("Parse-Append-Parse changed the datagram (-first +second):\n%s", diff)
		}
		if b3 := d2.Append(nil); !bytes.Equal(b2, b3) {
			t.Fatalf("Append not stable:\n%x\n%x", b2, b3)
		}
		_ = d.Summary()
		_ = d.Fields()
	})
}

func FuzzParseARP(f *testing.F) {
	for _, b := range [][]byte{fixARPRequest, fixARPReply, fixRARPRequest, fixRARPReply, append(append([]byte(nil), fixARPReply...), make([]byte, 18)...)} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ParseARP(b)
		if err != nil {
			return
		}
		b2 := a.Append(nil)
		if !bytes.Equal(b2, b[:ARPLen]) {
			t.Fatalf("Append(ParseARP(%x)) = %x", b, b2)
		}
		a2, err := ParseARP(b2)
		if err != nil {
			t.Fatalf("ParseARP(Append): %v", err)
		}
		if diff := cmp.Diff(a, a2, cmpOpts); diff != "" {
			t.Fatalf("ParseARP-Append-ParseARP (-first +second):\n%s", diff)
		}
		_ = a.Summary()
		_ = a.Fields()
	})
}

func FuzzParseICMP(f *testing.F) {
	for _, b := range [][]byte{fixEchoRequest[20:], fixEchoReply[20:], fixTimeExceeded, fixTimeExceeded[:8]} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseICMP(b)
		if err != nil {
			return
		}
		b2 := m.Append(nil)
		m2, err := ParseICMP(b2)
		if err != nil {
			t.Fatalf("ParseICMP(Append(ParseICMP(%x))): %v", b, err)
		}
		m.Checksum, m2.Checksum = 0, 0
		if diff := cmp.Diff(m, m2, cmpOpts); diff != "" {
			t.Fatalf("ParseICMP-Append-ParseICMP (-first +second):\n%s", diff)
		}
		if b3 := m2.Append(nil); !bytes.Equal(b2, b3) {
			t.Fatalf("Append not stable:\n%x\n%x", b2, b3)
		}
		_ = m.Summary()
		_ = m.Fields()
		_, _ = m.Original()
	})
}

// FuzzFragmentReassemble sends any datagram the fuzzer makes through an
// interface of any MTU, hands the fragments to a receiver in a shuffled
// order with one duplicated, and checks that the receiver delivers the
// original datagram once, and that every fragment fits the MTU and
// parses.
func FuzzFragmentReassemble(f *testing.F) {
	f.Add(pattern(2980), []byte(nil), uint16(1500-MinMTU), uint64(1))
	f.Add(pattern(100), fixFragOrig[20:32], uint16(0), uint64(2))
	f.Add(pattern(8), []byte{0x94, 4, 0, 0}, uint16(0), uint64(3))
	f.Add(pattern(3000), []byte{0x83, 7, 4, 10, 0, 0, 1, 1}, uint16(576-MinMTU), uint64(4))
	f.Fuzz(func(t *testing.T, payload, opts []byte, mtu uint16, seed uint64) {
		if len(opts) > ipv4MaxOptions {
			opts = opts[:ipv4MaxOptions]
		}
		d := Datagram{ID: 0x1a2b, TTL: 64, Protocol: ProtoUDP, Src: addr("10.0.1.10"), Dst: addr("10.0.1.20"), Options: opts, Payload: payload}
		if d.Len() > IPv4MaxLen {
			return
		}
		b := d.Append(nil)
		orig, err := Parse(b)
		if err != nil {
			return // options gopacket cannot decode
		}
		cfg := hostConfig()
		cfg.Interfaces[0].MTU = MinMTU + int(mtu)%(IPv4MaxLen-MinMTU+1)
		sender := newNode(t, "sender", cfg, false)
		sender.s.transmit(0, macPeer, b, layers.Meta{})
		frames := sender.link.take()
		for i, fr := range frames {
			if len(fr.Payload) > cfg.Interfaces[0].MTU {
				t.Fatalf("fragment %d is %d B, over the MTU %d", i, len(fr.Payload), cfg.Interfaces[0].MTU)
			}
			fd, err := Parse(fr.Payload)
			if err != nil {
				t.Fatalf("fragment %d does not parse: %v", i, err)
			}
			if fd.FragOffset%8 != 0 || fd.ID != orig.ID {
				t.Fatalf("fragment %d: %s", i, fd.Summary())
			}
		}
		if len(b) <= cfg.Interfaces[0].MTU && (len(frames) != 1 || !bytes.Equal(frames[0].Payload, b)) {
			t.Fatalf("a datagram that fits went out as %d frames", len(frames))
		}
		rng := rand.New(rand.NewPCG(seed, 0))
		rng.Shuffle(len(frames), func(i, j int) { frames[i], frames[j] = frames[j], frames[i] })
		if len(frames) > 1 {
			frames = append(frames, frames[rng.IntN(len(frames))])
		}
		recv := newNode(t, "receiver", Config{Interfaces: []Interface{{MAC: macPeer, Addr: pfx("10.0.1.20/24")}}}, true)
		for _, fr := range frames {
			recv.s.HandleFrame(0, macHost, datalink.EtherTypeIPv4, fr.Payload, layers.Meta{})
		}
		if len(recv.up.datagrams) != 1 {
			t.Fatalf("%d datagrams delivered from %d frames, want 1", len(recv.up.datagrams), len(frames))
		}
		got := recv.up.datagrams[0]
		got.Checksum, orig.Checksum = 0, 0
		if diff := cmp.Diff(orig, got, cmpOpts); diff != "" {
			t.Fatalf("reassembled datagram (-sent +delivered):\n%s", diff)
		}
	})
}

// FuzzReassemble feeds a receiver fragments of a datagram whose octet i is
// pattern(65536)[i], each described by 4 fuzz octets (offset in 8-octet
// units, length, More Fragments): any mix of overlaps, duplicates, gaps and
// contradictions. What is delivered must be made of the right octets, and
// the reassembly timer must leave nothing behind.
func FuzzReassemble(f *testing.F) {
	// Three fragments in order; the same reversed; an overlap.
	f.Add([]byte{0, 0, 16, 1, 0, 2, 16, 1, 0, 4, 5, 0})
	f.Add([]byte{0, 4, 5, 0, 0, 2, 16, 1, 0, 0, 16, 1})
	f.Add([]byte{0, 0, 32, 1, 0, 2, 32, 1, 0, 6, 3, 0, 0, 3, 8, 1})
	all := pattern(1 << 16)
	f.Fuzz(func(t *testing.T, spec []byte) {
		h := newNode(t, "host", hostConfig(), true)
		for len(spec) >= 4 {
			off := int(uint16(spec[0])<<8|uint16(spec[1])) & 0x1fff * 8
			n := int(spec[2])
			more := spec[3]&1 != 0
			spec = spec[4:]
			end := min(off+n, len(all))
			b := Datagram{ID: 0x1a2b, MoreFragments: more, FragOffset: uint16(off), TTL: 62, Protocol: ProtoUDP,
				Src: addr("10.0.2.110"), Dst: addr("10.0.1.10"), Payload: all[off:end]}.Append(nil)
			h.s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, b, layers.Meta{})
		}
		for _, d := range h.up.datagrams {
			if !bytes.Equal(d.Payload, all[:len(d.Payload)]) {
				t.Fatalf("delivered %d octets that are not the datagram's", len(d.Payload))
			}
		}
		h.env.Advance(DefaultReassemblyTimeout)
		if len(h.s.reasm) != 0 {
			t.Fatalf("%d datagrams still in reassembly after the timeout", len(h.s.reasm))
		}
	})
}
