package network

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/layerstest"
)

// pattern returns n octets that differ from one offset to the next.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>8)
	}
	return b
}

// fragFrom returns the octets of a fragment of datagram 0x1a2b from the
// server to the host (UDP, ttl 62): data [off, off+len(data)).
func fragFrom(off int, more bool, data []byte) []byte {
	return Datagram{ID: 0x1a2b, MoreFragments: more, FragOffset: uint16(off), TTL: 62, Protocol: ProtoUDP,
		Src: addr("10.0.2.110"), Dst: addr("10.0.1.10"), Payload: data}.Append(nil)
}

// threeFragments cuts 2,980 octets as a 1500-octet link does: 0..1480,
// 1480..2960 and 2960..2980.
func threeFragments(data []byte) [][]byte {
	return [][]byte{fragFrom(0, true, data[:1480]), fragFrom(1480, true, data[1480:2960]), fragFrom(2960, false, data[2960:])}
}

func TestReassemblyOrders(t *testing.T) {
	data := pattern(2980)
	frags := threeFragments(data)
	want := Datagram{ID: 0x1a2b, TTL: 62, Protocol: ProtoUDP, Src: addr("10.0.2.110"), Dst: addr("10.0.1.10"), Payload: data}
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}, {1, 2, 0}, {2, 0, 1}} {
		t.Run(fmt.Sprint(order), func(t *testing.T) {
			h := newNode(t, "host", hostConfig(), true)
			for i, k := range order {
				if i > 0 {
					h.env.Advance(time.Millisecond)
				}
				h.s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, frags[k], layers.Meta{ID: uint64(100 + k)})
				if i < 2 && len(h.up.datagrams) != 0 {
					t.Fatalf("delivered after %d fragments", i+1)
				}
			}
			if len(h.up.datagrams) != 1 {
				t.Fatalf("%d datagrams delivered, want 1", len(h.up.datagrams))
			}
			got := h.up.datagrams[0]
			want.Checksum = got.Checksum
			if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
				t.Errorf("delivered (-want +got):\n%s", diff)
			}
			notes := h.env.Find("fragment")
			if len(notes) != 3 || notes[2].PDU == nil || notes[2].PDU.ID != uint64(100+order[2]) {
				t.Errorf("fragment notes %+v", notes)
			}
			// The timer was stopped: nothing happens when it would fire.
			h.events()
			h.env.Advance(time.Minute)
			if ev := h.events(); len(ev) != 0 {
				t.Errorf("after completion: %q", ev)
			}
		})
	}
}

// metaUpper records the meta of what is delivered.
type metaUpper struct {
	fakeUpper
	metas []layers.Meta
}

func (u *metaUpper) Deliver(d Datagram, m layers.Meta) {
	u.fakeUpper.Deliver(d, m)
	u.metas = append(u.metas, m)
}

func TestReassemblyTrace(t *testing.T) {
	h := newNode(t, "host", hostConfig(), false)
	up := &metaUpper{}
	s, err := NewStack(h.env, hostConfig(), h.link, up)
	if err != nil {
		t.Fatal(err)
	}
	frags := threeFragments(pattern(2980))
	s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, frags[2], layers.Meta{ID: 31})
	h.env.Advance(time.Millisecond)
	s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, frags[1], layers.Meta{ID: 32})
	h.env.Advance(time.Millisecond)
	s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, frags[0], layers.Meta{ID: 33})
	diffTexts(t, "reassembly", []string{
		"L3 note: fragment 1 of ID 0x1a2b from 10.0.2.110: 2960..2980 held, reassembly timer 30s started; hole 0..2960",
		"L3 note: fragment 2 of ID 0x1a2b from 10.0.2.110: 1480..2960 held; hole 0..1480",
		"L3 note: fragment 3 of ID 0x1a2b from 10.0.2.110: 0..1480 held; no hole left: 2,980 B of data from 3 fragments complete after 2ms",
	}, h.events())
	// The whole datagram is a new PDU built from the three fragments.
	if len(up.metas) != 1 {
		t.Fatalf("%d delivered", len(up.metas))
	}
	m := up.metas[0]
	if m.ID == 0 || m.Cause != "reassembly" || !cmp.Equal(m.Parents, []uint64{31, 32, 33}) {
		t.Errorf("delivered meta %+v", m)
	}
}

func TestReassemblyDuplicatesAndOverlaps(t *testing.T) {
	h := newNode(t, "host", hostConfig(), true)
	data := pattern(2980)
	frags := threeFragments(data)
	send := func(b []byte) { h.s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, b, layers.Meta{}) }
	send(frags[0])
	send(frags[0])
	// 1000..2000 overlaps the held 0..1480 and carries other octets: only
	// 1480..2000 is taken from it, the first copy of 1000..1480 is kept.
	other := bytes.Repeat([]byte{0xee}, 1000)
	send(fragFrom(1000, true, other))
	send(frags[2])
	send(frags[2])
	send(frags[1])
	diffTexts(t, "duplicates", []string{
		"L3 note: fragment 1 of ID 0x1a2b from 10.0.2.110: 0..1480 held, reassembly timer 30s started; hole 1480..end",
		"L3 drop: fragment of ID 0x1a2b from 10.0.2.110: 0..1480 is already held: duplicate discarded [duplicate]",
		"L3 note: fragment 2 of ID 0x1a2b from 10.0.2.110: 1000..2000 held (520 of its 1000 B new, the rest already held); hole 2000..end",
		"L3 note: fragment 3 of ID 0x1a2b from 10.0.2.110: 2960..2980 held; hole 2000..2960",
		"L3 drop: fragment of ID 0x1a2b from 10.0.2.110: 2960..2980 is already held: duplicate discarded [duplicate]",
		"L3 note: fragment 4 of ID 0x1a2b from 10.0.2.110: 1480..2960 held (960 of its 1480 B new, the rest already held); no hole left: 2,980 B of data from 4 fragments complete after 0s",
	}, h.events())
	if len(h.up.datagrams) != 1 {
		t.Fatalf("%d delivered", len(h.up.datagrams))
	}
	want := append([]byte(nil), data...)
	copy(want[1480:2000], other[480:])
	if got := h.up.datagrams[0].Payload; !bytes.Equal(got, want) {
		t.Errorf("payload differs from the first copy of each octet")
	}
	// A fragment of the finished datagram starts a new reassembly.
	send(frags[1])
	if n := len(h.s.reasm); n != 1 {
		t.Errorf("%d reassemblies after a late duplicate, want 1", n)
	}
}

func TestReassemblyTimeout(t *testing.T) {
	h := newNode(t, "host", hostConfig(), true)
	learn(h, 0, macRouter, "10.0.1.1")
	frags := threeFragments(pattern(2980))
	h.s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, frags[0], layers.Meta{ID: 41})
	h.env.Advance(5 * time.Second)
	h.s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, frags[2], layers.Meta{ID: 42})
	h.events()
	// The timer runs from the first fragment: 30 s, not 35 s.
	h.env.Advance(25*time.Second - time.Nanosecond)
	if ev := h.events(); len(ev) != 0 {
		t.Fatalf("before the timeout: %q", ev)
	}
	h.env.Advance(time.Nanosecond)
	for _, ev := range h.env.Events[:3] {
		if ev.Cause != "reassembly timeout" {
			t.Errorf("event %q has cause %q, want the reassembly timeout", ev.Text, ev.Cause)
		}
	}
	diffTexts(t, "timeout", []string{
		"L3 timer: reassembly timer of ID 0x1a2b from 10.0.2.110 expired after 30s: 1480..2960 still missing",
		"L3 drop: 2 fragments of ID 0x1a2b from 10.0.2.110 discarded [reassembly-timeout]",
		"L3 note: sending ICMP time exceeded (fragment reassembly time exceeded) to 10.0.2.110",
		"L3 note: route 10.0.2.110 via 10.0.1.1 (default gateway) on eth0",
	}, h.events())
	f := checkOneFrame(t, "time exceeded", h.link.take(), 0, macRouter, datalink.EtherTypeIPv4)
	d := mustParse(t, f.Payload)
	msg, err := ParseICMP(d.Payload)
	if err != nil {
		t.Fatal(err)
	}
	// RFC 792: the header of the fragment at offset 0 and its first 8
	// octets of data.
	want := ICMP{Type: ICMPTimeExceeded, Code: ICMPReassemblyExceeded, Checksum: msg.Checksum, Data: frags[0][:28]}
	if diff := cmp.Diff(want, msg, cmpOpts); diff != "" {
		t.Errorf("ICMP (-want +got):\n%s", diff)
	}
	if d.Src != addr("10.0.1.10") || d.Dst != addr("10.0.2.110") {
		t.Errorf("ICMP in %s", d.Summary())
	}
	if len(h.s.reasm) != 0 || len(h.up.datagrams) != 0 {
		t.Errorf("after timeout: %d in reassembly, %d delivered", len(h.s.reasm), len(h.up.datagrams))
	}
	// The missing fragment, late, starts over.
	h.s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, frags[1], layers.Meta{})
	if len(h.s.reasm) != 1 || len(h.up.datagrams) != 0 {
		t.Errorf("late fragment: %d in reassembly, %d delivered", len(h.s.reasm), len(h.up.datagrams))
	}
}

func TestReassemblyTimeoutWithoutFirst(t *testing.T) {
	cfg := hostConfig()
	cfg.ReassemblyTimeout = 5 * time.Second
	h := newNode(t, "host", cfg, true)
	learn(h, 0, macRouter, "10.0.1.1")
	frags := threeFragments(pattern(2980))
	h.s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, frags[1], layers.Meta{})
	h.events()
	h.env.Advance(5 * time.Second)
	diffTexts(t, "timeout", []string{
		"L3 timer: reassembly timer of ID 0x1a2b from 10.0.2.110 expired after 5s: 0..1480, 2960..end still missing",
		"L3 drop: 1 fragment of ID 0x1a2b from 10.0.2.110 discarded [reassembly-timeout]",
		"L3 note: no ICMP time exceeded sent: the fragment at offset 0, which it would quote, never came (RFC 792)",
	}, h.events())
	if f := h.link.take(); len(f) != 0 {
		t.Errorf("%d frames sent", len(f))
	}
}

func TestReassemblyLimit(t *testing.T) {
	cfg := hostConfig()
	cfg.ReassemblyLimit = 2
	h := newNode(t, "host", cfg, true)
	for id := uint16(1); id <= 3; id++ {
		b := Datagram{ID: id, MoreFragments: true, TTL: 62, Protocol: ProtoUDP, Src: addr("10.0.2.110"), Dst: addr("10.0.1.10"), Payload: make([]byte, 8)}.Append(nil)
		h.s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, b, layers.Meta{})
	}
	drops := h.env.Find("already in reassembly")
	if len(drops) != 1 || drops[0].Reason != layers.ReasonQueueFull ||
		drops[0].Text != "fragment of ID 0x0003 from 10.0.2.110 dropped: 2 datagrams already in reassembly, the limit" {
		t.Errorf("drops %+v", drops)
	}
	if len(h.s.reasm) != 2 {
		t.Errorf("%d in reassembly, want 2", len(h.s.reasm))
	}
}

func TestReassemblyKey(t *testing.T) {
	h := newNode(t, "host", hostConfig(), true)
	data := pattern(16)
	first := fragFrom(0, true, data[:8])
	// The same ID from another protocol, or another source, is another
	// datagram: its last fragment does not complete the first.
	otherProto := Datagram{ID: 0x1a2b, FragOffset: 8, TTL: 62, Protocol: ProtoTCP, Src: addr("10.0.2.110"), Dst: addr("10.0.1.10"), Payload: data[8:]}.Append(nil)
	otherSrc := Datagram{ID: 0x1a2b, FragOffset: 8, TTL: 62, Protocol: ProtoUDP, Src: addr("10.0.2.111"), Dst: addr("10.0.1.10"), Payload: data[8:]}.Append(nil)
	for _, b := range [][]byte{first, otherProto, otherSrc} {
		h.s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, b, layers.Meta{})
	}
	if len(h.up.datagrams) != 0 || len(h.s.reasm) != 3 {
		t.Fatalf("%d delivered, %d in reassembly; want 0 and 3", len(h.up.datagrams), len(h.s.reasm))
	}
	h.s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, fragFrom(8, false, data[8:]), layers.Meta{})
	if len(h.up.datagrams) != 1 || !bytes.Equal(h.up.datagrams[0].Payload, data) {
		t.Errorf("delivered %+v", h.up.datagrams)
	}
}

func TestReassemblyRejects(t *testing.T) {
	data := pattern(2980)
	tests := []struct {
		name   string
		before [][]byte
		frag   []byte
		want   string
	}{
		{"past the maximum", nil, fragFrom(65528, false, data[:8]),
			"L3 drop: fragment of ID 0x1a2b from 10.0.2.110 reaches octet 65,536: a datagram holds at most 65,515 octets of data (RFC 791): discarded [malformed]"},
		{"not a multiple of 8", nil, fragFrom(0, true, data[:7]),
			"L3 drop: fragment of ID 0x1a2b from 10.0.2.110 carries 7 B with More Fragments set: every fragment but the last carries a multiple of 8 octets (RFC 791): discarded [malformed]"},
		{"empty middle fragment", nil, fragFrom(8, true, nil),
			"L3 drop: fragment of ID 0x1a2b from 10.0.2.110 carries no data and has More Fragments set: discarded [malformed]"},
		{"second end", [][]byte{fragFrom(2960, false, data[2960:])}, fragFrom(2960, false, data[2960:2976]),
			"L3 drop: fragment of ID 0x1a2b from 10.0.2.110 (2960..2976) discarded: it ends the datagram at 2976, but the last fragment already ended it at 2980 [malformed]"},
		{"past the end", [][]byte{fragFrom(2960, false, data[2960:])}, fragFrom(2960, true, data[:40]),
			"L3 drop: fragment of ID 0x1a2b from 10.0.2.110 (2960..3000) discarded: it reaches past the end of the datagram at 2980 [malformed]"},
		{"end before held data", [][]byte{fragFrom(1480, true, data[1480:2960])}, fragFrom(8, false, data[8:1480]),
			"L3 drop: fragment of ID 0x1a2b from 10.0.2.110 (8..1480) discarded: it ends the datagram at 1480, but octets beyond it are held [malformed]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newNode(t, "host", hostConfig(), true)
			for _, b := range tt.before {
				h.s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, b, layers.Meta{})
			}
			n := len(h.s.reasm)
			h.events()
			h.s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, tt.frag, layers.Meta{})
			diffTexts(t, tt.name, []string{tt.want}, h.events())
			if len(h.s.reasm) != n {
				t.Errorf("%d in reassembly after the rejected fragment, want %d", len(h.s.reasm), n)
			}
		})
	}
}

func TestReassemblyOverMaximum(t *testing.T) {
	h := newNode(t, "host", hostConfig(), true)
	// The fragment at offset 0 has a 60-octet header; the data reaches
	// 65,512 octets, so the whole would be 65,572 octets.
	first := Datagram{ID: 9, MoreFragments: true, TTL: 62, Protocol: ProtoUDP, Src: addr("10.0.2.110"), Dst: addr("10.0.1.10"),
		Options: bytes.Repeat([]byte{1}, 40), Payload: make([]byte, 8)}.Append(nil)
	rest := Datagram{ID: 9, FragOffset: 8, TTL: 62, Protocol: ProtoUDP, Src: addr("10.0.2.110"), Dst: addr("10.0.1.10"),
		Payload: make([]byte, 65504)}.Append(nil)
	h.s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, first, layers.Meta{})
	h.s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, rest, layers.Meta{})
	got := h.events()
	if want := "L3 drop: datagram ID 0x0009 from 10.0.2.110 would be 65,572 B with its 60 B header, over the IPv4 maximum of 65,535: discarded [malformed]"; len(got) != 3 || got[2] != want {
		t.Errorf("events %q, want the last to be %q", got, want)
	}
	if len(h.up.datagrams) != 0 || len(h.s.reasm) != 0 {
		t.Errorf("%d delivered, %d in reassembly", len(h.up.datagrams), len(h.s.reasm))
	}
}

func TestReassemblyConfigErrors(t *testing.T) {
	for _, tt := range []struct {
		mod  func(*Config)
		want string
	}{
		{func(c *Config) { c.ReassemblyTimeout = -time.Second }, "network: negative reassembly timeout -1s"},
		{func(c *Config) { c.ReassemblyLimit = -1 }, "network: negative reassembly limit -1"},
	} {
		c := hostConfig()
		tt.mod(&c)
		if _, err := NewStack(layerstest.New("h", 1), c, &fakeLink{}, nil); err == nil || err.Error() != tt.want {
			t.Errorf("NewStack error %v, want %q", err, tt.want)
		}
	}
}
