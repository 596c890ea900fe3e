package network

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
)

// Fixtures for fragmentation, constructed (checksums computed
// independently): 10.0.1.10 > 10.0.2.110 UDP, id 0x1a2b, 100 octets of
// data 00 01 02 ... 63, with 12 octets of options: Router Alert (94 04
// 0000, copied flag set), Record Route with one empty slot (07 07 04
// 00000000, copied flag clear) and End of Option List.
var (
	// The datagram as the source sends it: IHL 8, length 132, ttl 64, no
	// flags, checksum 0xa6bb.
	fixFragOrig = unhex(`
		4800 0084 1a2b 0000 4011 a6bb 0a00 010a 0a00 026e
		9404 0000 0707 0400 0000 0000 0001 0203 0405 0607
		0809 0a0b 0c0d 0e0f 1011 1213 1415 1617 1819 1a1b
		1c1d 1e1f 2021 2223 2425 2627 2829 2a2b 2c2d 2e2f
		3031 3233 3435 3637 3839 3a3b 3c3d 3e3f 4041 4243
		4445 4647 4849 4a4b 4c4d 4e4f 5051 5253 5455 5657
		5859 5a5b 5c5d 5e5f 6061 6263`)

	// A router forwarding it onto a link of MTU 68 (ttl 63). Fragment 1:
	// every option, IHL 8, data 0..32 ((68-32) rounded down to 8), flags
	// MF, offset 0, length 64, checksum 0x87ff.
	fixFrag1 = unhex(`
		4800 0040 1a2b 2000 3f11 87ff 0a00 010a 0a00 026e
		9404 0000 0707 0400 0000 0000 0001 0203 0405 0607
		0809 0a0b 0c0d 0e0f 1011 1213 1415 1617 1819 1a1b
		1c1d 1e1f`)

	// Fragment 2: only the copied Router Alert, IHL 6, data 32..72
	// ((68-24) rounded down to 8 = 40), flags MF, offset 4 (32 octets),
	// length 64, checksum 0x9502.
	fixFrag2 = unhex(`
		4600 0040 1a2b 2004 3f11 9502 0a00 010a 0a00 026e
		9404 0000 2021 2223 2425 2627 2829 2a2b 2c2d 2e2f
		3031 3233 3435 3637 3839 3a3b 3c3d 3e3f 4041 4243
		4445 4647`)

	// Fragment 3, the last: data 72..100, no flags, offset 9 (72
	// octets), length 52, checksum 0xb509.
	fixFrag3 = unhex(`
		4600 0034 1a2b 0009 3f11 b509 0a00 010a 0a00 026e
		9404 0000 4849 4a4b 4c4d 4e4f 5051 5253 5455 5657
		5859 5a5b 5c5d 5e5f 6061 6263`)
)

// smallLinkRouter returns the test router with an MTU of mtu on eth1 and
// the host and server in its ARP cache.
func smallLinkRouter(t *testing.T, mtu int) *node {
	t.Helper()
	cfg := routerConfig()
	cfg.Interfaces[1].MTU = mtu
	r := newNode(t, "router", cfg, false)
	learn(r, 0, macHost, "10.0.1.10")
	learn(r, 1, macServer, "10.0.2.110")
	return r
}

func TestRouterFragmentsWithOptions(t *testing.T) {
	r := smallLinkRouter(t, 68)
	r.s.HandleFrame(0, macHost, datalink.EtherTypeIPv4, fixFragOrig, layers.Meta{ID: 60})
	diffTexts(t, "fragmenting", []string{
		"L3 note: forward to 10.0.2.110 via eth1, TTL 64 -> 63",
		"L3 note: datagram id=0x1a2b of 132 B fragmented into 3 fragments for MTU 68 on eth1: 32+40+28 B of data; options: 12 B in the first fragment, 4 B copied into the others",
	}, r.events())
	frames := r.link.take()
	want := [][]byte{fixFrag1, fixFrag2, fixFrag3}
	if len(frames) != len(want) {
		t.Fatalf("%d frames, want %d", len(frames), len(want))
	}
	for i, f := range frames {
		if f.Iface != 1 || f.Dst != macServer || f.Type != datalink.EtherTypeIPv4 || f.Meta.ID != 60 {
			t.Errorf("fragment %d: iface %d to %s type %s meta %+v", i+1, f.Iface, f.Dst, f.Type, f.Meta)
		}
		if !bytes.Equal(f.Payload, want[i]) {
			t.Errorf("fragment %d:\n got %x\nwant %x", i+1, f.Payload, want[i])
		}
		if len(f.Payload) > 68 {
			t.Errorf("fragment %d is %d B, over the MTU", i+1, len(f.Payload))
		}
	}
	// Each fixture parses to what the fragmentation procedure says.
	if d := mustParse(t, fixFrag2); d.FragOffset != 32 || !d.MoreFragments || d.ID != 0x1a2b || !bytes.Equal(d.Options, []byte{0x94, 4, 0, 0}) {
		t.Errorf("fragment 2 parses as %s options %x", d.Summary(), d.Options)
	}
}

func TestHostFragmentsAfterARP(t *testing.T) {
	h := newNode(t, "host", hostConfig(), true)
	data := make([]byte, 2980)
	for i := range data {
		data[i] = byte(i)
	}
	if err := h.s.Send(addr("10.0.2.110"), ProtoUDP, data, layers.Meta{ID: 8}); err != nil {
		t.Fatal(err)
	}
	// The whole datagram waits for ARP; it is fragmented as it leaves.
	checkOneFrame(t, "ARP request", h.link.take(), 0, datalink.Broadcast, datalink.EtherTypeARP)
	if e := h.s.ARPCache().Entries(); len(e) != 1 || e[0].Waiting != 1 {
		t.Errorf("ARP cache %+v, want one datagram waiting", e)
	}
	h.events()
	h.s.HandleFrame(0, macRouter, datalink.EtherTypeARP, arpBytes(ARPReply, macRouter, "10.0.1.1", macHost, "10.0.1.10"), layers.Meta{})
	frames := h.link.take()
	if len(frames) != 3 {
		t.Fatalf("%d frames, want 3", len(frames))
	}
	id := mustParse(t, frames[0].Payload).ID
	diffTexts(t, "release", []string{
		"L3 note: ARP cache: 10.0.1.1 is at 02:00:00:00:01:01; 1 waiting datagram sent",
		"L3 note: datagram id=0x" + hex4(id) + " of 3,000 B fragmented into 3 fragments for MTU 1500 on eth0: 1480+1480+20 B of data",
	}, h.events())
	type frag struct {
		FlagsOffset uint16 // the raw Flags and Fragment Offset word
		Len         int
		ID          uint16
	}
	var got []frag
	var joined []byte
	for _, f := range frames {
		d := mustParse(t, f.Payload)
		got = append(got, frag{binary.BigEndian.Uint16(f.Payload[6:8]), len(f.Payload), d.ID})
		joined = append(joined, d.Payload...)
		if f.Dst != macRouter || f.Meta.ID != 8 {
			t.Errorf("fragment to %s with meta %+v", f.Dst, f.Meta)
		}
	}
	// MF is 0x2000; offsets 1480 and 2960 octets are 185 and 370 units.
	if diff := cmp.Diff([]frag{{0x2000, 1500, id}, {0x2000 | 185, 1500, id}, {370, 40, id}}, got); diff != "" {
		t.Errorf("fragments (-want +got):\n%s", diff)
	}
	if !bytes.Equal(joined, data) {
		t.Error("the fragments' data joined is not the original data")
	}
}

func TestRefragmentFragment(t *testing.T) {
	r := smallLinkRouter(t, 576)
	// A middle fragment (MF set) and a last fragment (MF clear) of 1480
	// octets each arrive from a 1500-octet link.
	for _, tt := range []struct {
		name string
		more bool
		want []uint16 // flags and offset words of the sub-fragments
	}{
		// 1480 = 552 + 552 + 376; offsets 1480, 2032, 2584 are 185, 254, 323 units.
		{"middle", true, []uint16{0x2000 | 185, 0x2000 | 254, 0x2000 | 323}},
		{"last", false, []uint16{0x2000 | 185, 0x2000 | 254, 323}},
	} {
		in := Datagram{ID: 7, MoreFragments: tt.more, FragOffset: 1480, TTL: 64, Protocol: ProtoUDP,
			Src: addr("10.0.1.10"), Dst: addr("10.0.2.110"), Payload: make([]byte, 1480)}.Append(nil)
		r.s.HandleFrame(0, macHost, datalink.EtherTypeIPv4, in, layers.Meta{})
		var got []uint16
		for _, f := range r.link.take() {
			got = append(got, binary.BigEndian.Uint16(f.Payload[6:8]))
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: sub-fragments (-want +got):\n%s", tt.name, diff)
		}
		evs := r.events()
		if len(evs) != 2 || evs[1] != "L3 note: datagram id=0x0007 of 1,500 B fragmented into 3 fragments for MTU 576 on eth1: 552+552+376 B of data" {
			t.Errorf("%s: events %q", tt.name, evs)
		}
	}
}

func TestRouterDontFragment(t *testing.T) {
	r := smallLinkRouter(t, 576)
	in := Datagram{ID: 0x1a2b, DontFragment: true, TTL: 64, Protocol: ProtoTCP,
		Src: addr("10.0.1.10"), Dst: addr("10.0.2.110"), Payload: make([]byte, 1480)}.Append(nil)
	r.s.HandleFrame(0, macHost, datalink.EtherTypeIPv4, in, layers.Meta{ID: 70})
	drops := r.env.Find("Don't Fragment")
	if len(drops) != 1 || drops[0].Reason != layers.ReasonNeedFrag || drops[0].PDU == nil || drops[0].PDU.ID != 70 {
		t.Errorf("drop events %+v", drops)
	}
	diffTexts(t, "DF", []string{
		"L3 note: forward to 10.0.2.110 via eth1, TTL 64 -> 63",
		"L3 drop: datagram of 1,500 B for 10.0.2.110 does not fit the MTU 576 of eth1 and has Don't Fragment set: dropped [fragmentation-needed]",
		"L3 note: sending ICMP destination unreachable (fragmentation needed and DF set, next-hop MTU 576) to 10.0.1.10",
		"L3 note: 10.0.1.10 is on the local network eth0 (10.0.1.0/24)",
	}, r.events())
	f := checkOneFrame(t, "fragmentation needed", r.link.take(), 0, macHost, datalink.EtherTypeIPv4)
	d := mustParse(t, f.Payload)
	msg, err := ParseICMP(d.Payload)
	if err != nil {
		t.Fatal(err)
	}
	if d.Src != addr("10.0.1.1") || d.Dst != addr("10.0.1.10") {
		t.Errorf("ICMP in %s", d.Summary())
	}
	// RFC 1191: the next-hop MTU in the low 16 bits, the high 16 unused
	// (zero); the original header as it left (TTL 63) and 8 octets.
	fwd := append([]byte(nil), in[:28]...)
	if _, err := DecrementTTL(fwd); err != nil {
		t.Fatal(err)
	}
	want := ICMP{Type: ICMPDestUnreachable, Code: ICMPFragNeeded, Checksum: msg.Checksum, Rest: 576, Data: fwd}
	if diff := cmp.Diff(want, msg, cmpOpts); diff != "" {
		t.Errorf("ICMP (-want +got):\n%s", diff)
	}
	if !bytes.Equal(d.Payload[4:8], []byte{0, 0, 0x02, 0x40}) {
		t.Errorf("rest of header %x, want 00000240", d.Payload[4:8])
	}
	// Without DF the same datagram is fragmented.
	in2 := Datagram{ID: 0x1a2c, TTL: 64, Protocol: ProtoTCP, Src: addr("10.0.1.10"), Dst: addr("10.0.2.110"), Payload: make([]byte, 1480)}.Append(nil)
	r.s.HandleFrame(0, macHost, datalink.EtherTypeIPv4, in2, layers.Meta{})
	if n := len(r.link.take()); n != 3 {
		t.Errorf("%d fragments without DF, want 3", n)
	}
}

func TestHostDontFragment(t *testing.T) {
	cfg := hostConfig()
	cfg.DontFragment = true
	h := newNode(t, "host", cfg, true)
	learn(h, 0, macRouter, "10.0.1.1")
	// A datagram that fits goes out with DF set (RFC 1191).
	if err := h.s.Send(addr("10.0.2.110"), ProtoTCP, make([]byte, 1480), layers.Meta{ID: 3}); err != nil {
		t.Fatal(err)
	}
	f := checkOneFrame(t, "fits", h.link.take(), 0, macRouter, datalink.EtherTypeIPv4)
	if d := mustParse(t, f.Payload); !d.DontFragment {
		t.Errorf("sent %s without DF", d.Summary())
	}
	h.events()
	// One that does not is dropped and reported to the local sender.
	if err := h.s.Send(addr("10.0.2.110"), ProtoTCP, make([]byte, 1481), layers.Meta{ID: 4}); err != nil {
		t.Fatal(err)
	}
	if f := h.link.take(); len(f) != 0 {
		t.Errorf("%d frames sent", len(f))
	}
	diffTexts(t, "too big", []string{
		"L3 note: route 10.0.2.110 via 10.0.1.1 (default gateway) on eth0",
		"L3 drop: datagram of 1,501 B for 10.0.2.110 does not fit the MTU 1500 of eth0 and has Don't Fragment set: dropped [fragmentation-needed]",
		"L3 note: ICMP destination unreachable (fragmentation needed and DF set, next-hop MTU 1500) reported to the local TCP sender",
	}, h.events())
	if len(h.up.icmp) != 1 {
		t.Fatalf("%d ICMP messages delivered, want 1", len(h.up.icmp))
	}
	got := h.up.icmp[0]
	if got.Src != addr("10.0.1.10") || got.Msg.Rest != 1500 || got.Msg.Code != ICMPFragNeeded {
		t.Errorf("delivered %s from %s", got.Msg.Summary(), got.Src)
	}
}

func TestCopiedOptions(t *testing.T) {
	rr := []byte{0x07, 0x07, 0x04, 0, 0, 0, 0} // record route: not copied
	ra := []byte{0x94, 0x04, 0, 0}             // router alert: copied
	lsrr := []byte{0x83, 0x07, 0x04, 10, 0, 0, 1}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	tests := []struct {
		name string
		opts []byte
		want []byte
	}{
		{"none", nil, nil},
		{"not copied", cat(rr, []byte{0}), nil},
		{"copied then not", cat(ra, rr, []byte{0}), ra},
		{"nop and copied", cat([]byte{1}, lsrr), lsrr},
		{"after EOL ignored", cat([]byte{0}, ra), nil},
		{"two copied", cat(lsrr, []byte{1}, ra), cat(lsrr, ra)},
		{"truncated length", cat(ra, []byte{0x94}), ra},
		{"length below 2", cat(ra, []byte{0x94, 1, 0, 0}), ra},
		{"length past the end", cat(ra, []byte{0x94, 9, 0, 0}), ra},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, copiedOptions(nil, tt.opts), cmpOpts); diff != "" {
			t.Errorf("%s: copiedOptions(%x) (-want +got):\n%s", tt.name, tt.opts, diff)
		}
	}
}

func TestFragmentTextRuns(t *testing.T) {
	r := smallLinkRouter(t, 68)
	in := Datagram{ID: 1, TTL: 64, Protocol: ProtoUDP, Src: addr("10.0.1.10"), Dst: addr("10.0.2.110"), Payload: make([]byte, 500)}.Append(nil)
	r.s.HandleFrame(0, macHost, datalink.EtherTypeIPv4, in, layers.Meta{})
	// 500 = 10 x 48 + 20.
	if got := r.events()[1]; got != "L3 note: datagram id=0x0001 of 520 B fragmented into 11 fragments for MTU 68 on eth1: 10x48+20 B of data" {
		t.Errorf("note %q", got)
	}
	if n := len(r.link.take()); n != 11 {
		t.Errorf("%d fragments, want 11", n)
	}
}

func hex4(v uint16) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[v>>12], digits[v>>8&0xf], digits[v>>4&0xf], digits[v&0xf]})
}
