package sim

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/osisim/osisim/layers"
)

// Fixture frames, destination address to FCS, as the default lesson sends
// them from client.eth0.
var (
	// An ARP request: who has 10.0.1.1? tell 10.0.1.10 (broadcast, 18
	// octets of padding).
	fixtureARP = fromHex(`
		ffffffffffff02000000010a08060001
		080006040001020000000 10a0a00010a
		0000000000000a000101000000000000
		000000000000000000000000a0fdf775`)
	// TCP 58788 > 110 [PSH, ACK] carrying "RETR 1\r\n" in IPv4 10.0.1.10 >
	// 10.0.2.110.
	fixtureRETR = fromHex(`
		02000000010102000000010a08004500
		0030d11500004006923b0a00010a0a00
		026ee5a4006e1965cc4ef052ffd85018
		ffff0888000052455452203 10d0af412
		721e`)
)

func fromHex(s string) []byte {
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		panic(err)
	}
	return b
}

// TestDescribeListFrame reads the fixtures as the packet list does.
func TestDescribeListFrame(t *testing.T) {
	for _, tt := range []struct {
		b    []byte
		want listFrame
	}{
		{fixtureARP, listFrame{"02:00:00:00:01:0a", "ff:ff:ff:ff:ff:ff", "ARP", "ARP request: who has 10.0.1.1? tell 10.0.1.10", ProtoARP}},
		{fixtureRETR, listFrame{"10.0.1.10", "10.0.2.110", "POP3", "C: RETR 1", ProtoIPv4 | ProtoTCP | ProtoPOP3}},
		{fixtureRETR[:20], listFrame{"02:00:00:00:01:0a", "02:00:00:00:01:01", "Ethernet", "datalink: frame too short: 20 bytes, need at least 64", 0}},
		{fixtureRETR[:10], listFrame{"?", "?", "Ethernet", "datalink: frame too short: 10 bytes, need at least 64", 0}},
	} {
		if got := describeListFrame(tt.b, layers.EN); got != tt.want {
			t.Errorf("got %+v, want %+v", got, tt.want)
		}
	}
}

// FuzzParseFrameViews feeds arbitrary octets to the readers of the packet
// list and of explain: they never panic, read the same octets the same way
// twice, and every field they place lies inside the frame.
func FuzzParseFrameViews(f *testing.F) {
	f.Add(fixtureARP)
	f.Add(fixtureRETR)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if a1, a2 := describeListFrame(b, layers.EN), describeListFrame(b, layers.ZH); a1.proto != a2.proto || a1.protos != a2.protos {
			t.Errorf("two readings differ: %+v, %+v", a1, a2)
		}
		x := ExplainFrame(b)
		for _, h := range x.Headers {
			for _, fl := range h.Fields {
				if fl.Bit >= 0 && (fl.Bit+fl.Bits+7)/8 > len(b) {
					t.Errorf("%s %s at bit %d (%d bits) lies outside the %d octets", h.Name, fl.Name, fl.Bit, fl.Bits, len(b))
				}
			}
		}
		var out bytes.Buffer
		if err := x.WriteText(&out, layers.TCPIP4, layers.ZH); err != nil {
			t.Fatal(err)
		}
	})
}
