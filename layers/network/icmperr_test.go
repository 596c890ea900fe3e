package network

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
)

func TestSourceQuench(t *testing.T) {
	r := newNode(t, "router", routerConfig(), false)
	learn(r, 0, macHost, "10.0.1.10")
	// The datagram as it sat in the full output queue of eth1 (TTL 63).
	queued := datagram("10.0.1.10", "10.0.2.110", 63, ProtoTCP, []byte("0123456789abcdef"))
	if err := r.s.SourceQuench(queued, layers.Meta{ID: 12, Cause: "queue full on eth1"}); err != nil {
		t.Fatal(err)
	}
	diffTexts(t, "source quench", []string{
		"L3 note: source quench to 10.0.1.10 about datagram ID 0x1a2b: deprecated by RFC 6633 (hosts ignore it), sent only because the scenario asks for it",
		"L3 note: sending ICMP source quench to 10.0.1.10",
		"L3 note: 10.0.1.10 is on the local network eth0 (10.0.1.0/24)",
	}, r.events())
	f := checkOneFrame(t, "source quench", r.link.take(), 0, macHost, datalink.EtherTypeIPv4)
	d := mustParse(t, f.Payload)
	msg, err := ParseICMP(d.Payload)
	if err != nil {
		t.Fatal(err)
	}
	want := ICMP{Type: ICMPSourceQuench, Checksum: msg.Checksum, Data: queued[:28]}
	if diff := cmp.Diff(want, msg, cmpOpts); diff != "" {
		t.Errorf("source quench (-want +got):\n%s", diff)
	}
	if f.Meta.Cause != "queue full on eth1" || !cmp.Equal(f.Meta.Parents, []uint64{12}) {
		t.Errorf("meta %+v", f.Meta)
	}

	// Not about an ICMP error, and not about bytes that are no datagram.
	r.events()
	if err := r.s.SourceQuench(datagram("10.0.1.10", "10.0.2.110", 63, ProtoICMP, fixTimeExceeded), layers.Meta{}); err != nil {
		t.Fatal(err)
	}
	if got := r.events(); len(got) != 2 || got[1] != "L3 note: no ICMP source quench sent about the datagram from 10.0.1.10: it is an ICMP error message (RFC 1122 3.2.2)" {
		t.Errorf("events %q", got)
	}
	if err := r.s.SourceQuench(queued[:10], layers.Meta{}); err == nil || err.Error() != "network: datagram too short: 10 bytes, need at least 20" {
		t.Errorf("SourceQuench(short) = %v", err)
	}
	if n := len(r.link.take()); n != 0 {
		t.Errorf("%d frames sent", n)
	}
}

func TestSendICMPError(t *testing.T) {
	h := newNode(t, "host", hostConfig(), true)
	learn(h, 0, macRouter, "10.0.1.1")
	in := Datagram{ID: 3, TTL: 62, Protocol: ProtoUDP, Src: addr("10.0.2.110"), Dst: addr("10.0.1.10"),
		Options: []byte{0x44, 0x04, 0x05, 0x00}, Payload: []byte("0123456789")}
	// A parameter problem pointing at octet 20, the first option.
	if err := h.s.SendICMPError(in, ICMPParamProblem, 0, 20<<24, layers.Meta{ID: 2, Cause: "bad option"}); err != nil {
		t.Fatal(err)
	}
	f := checkOneFrame(t, "parameter problem", h.link.take(), 0, macRouter, datalink.EtherTypeIPv4)
	d := mustParse(t, f.Payload)
	msg, err := ParseICMP(d.Payload)
	if err != nil {
		t.Fatal(err)
	}
	// The quote is the 24-octet header with its option and 8 octets of data.
	quoted := in.Append(nil)[:32]
	want := ICMP{Type: ICMPParamProblem, Checksum: msg.Checksum, Rest: 20 << 24, Data: quoted}
	if diff := cmp.Diff(want, msg, cmpOpts); diff != "" {
		t.Errorf("ICMP (-want +got):\n%s", diff)
	}
	if !bytes.Equal(d.Payload[4:8], []byte{20, 0, 0, 0}) || d.Dst != addr("10.0.2.110") || f.Meta.Cause != "bad option" {
		t.Errorf("sent %x in %s, meta %+v", d.Payload[:8], d.Summary(), f.Meta)
	}
	if err := h.s.SendICMPError(in, ICMPEchoRequest, 0, 0, layers.Meta{}); err == nil || err.Error() != "network: ICMP echo request (type 8) is not an error message" {
		t.Errorf("SendICMPError(echo request) = %v", err)
	}
	if n := len(h.link.take()); n != 0 {
		t.Errorf("%d frames sent for a query type", n)
	}
}
