package network

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
)

var (
	macHost   = datalink.MAC{0x02, 0, 0, 0, 0x01, 0x0a}
	macRouter = datalink.MAC{0x02, 0, 0, 0, 0x01, 0x01}
)

func TestParseARP(t *testing.T) {
	tests := []struct {
		name    string
		b       []byte
		want    ARP
		summary string
	}{
		{"request", fixARPRequest, ARP{Op: ARPRequest, SenderMAC: macHost, SenderIP: addr("10.0.1.10"), TargetIP: addr("10.0.1.1")},
			"ARP request: who has 10.0.1.1? tell 10.0.1.10"},
		{"reply", fixARPReply, ARP{Op: ARPReply, SenderMAC: macRouter, SenderIP: addr("10.0.1.1"), TargetMAC: macHost, TargetIP: addr("10.0.1.10")},
			"ARP reply: 10.0.1.1 is at 02:00:00:00:01:01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseARP(tt.b)
			if err != nil {
				t.Fatalf("ParseARP: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpOpts); diff != "" {
				t.Errorf("ParseARP (-want +got):\n%s", diff)
			}
			if out := got.Append(nil); !bytes.Equal(out, tt.b) {
				t.Errorf("Append:\n got %x\nwant %x", out, tt.b)
			}
			if got.Summary() != tt.summary {
				t.Errorf("Summary = %q, want %q", got.Summary(), tt.summary)
			}
			// In a minimum-size Ethernet frame the packet is followed by 18
			// octets of padding, which are ignored.
			padded := append(append([]byte(nil), tt.b...), make([]byte, 18)...)
			pg, err := ParseARP(padded)
			if err != nil {
				t.Fatalf("ParseARP padded: %v", err)
			}
			if diff := cmp.Diff(tt.want, pg, cmpOpts); diff != "" {
				t.Errorf("ParseARP padded (-want +got):\n%s", diff)
			}
		})
	}
}

func TestARPFields(t *testing.T) {
	a, err := ParseARP(fixARPReply)
	if err != nil {
		t.Fatal(err)
	}
	want := []layers.Field{
		{Name: "Hardware Type", Value: "1 (Ethernet)"},
		{Name: "Protocol Type", Value: "0x0800 (IPv4)"},
		{Name: "Hardware Size", Value: "6"},
		{Name: "Protocol Size", Value: "4"},
		{Name: "Opcode", Value: "2 (reply)"},
		{Name: "Sender MAC Address", Value: "02:00:00:00:01:01"},
		{Name: "Sender IP Address", Value: "10.0.1.1"},
		{Name: "Target MAC Address", Value: "02:00:00:00:01:0a"},
		{Name: "Target IP Address", Value: "10.0.1.10"},
	}
	if diff := cmp.Diff(want, a.Fields()); diff != "" {
		t.Errorf("Fields (-want +got):\n%s", diff)
	}
	if a.HeaderLen() != 28 {
		t.Errorf("HeaderLen = %d, want 28", a.HeaderLen())
	}
}

func TestARPSummaries(t *testing.T) {
	tests := []struct {
		a    ARP
		want string
	}{
		{ARP{Op: ARPRequest, SenderMAC: macHost, SenderIP: addr("10.0.1.10"), TargetIP: addr("10.0.1.10")},
			"ARP announcement: 10.0.1.10 is at 02:00:00:00:01:0a"},
		{ARP{Op: RARPRequest, SenderMAC: macHost, TargetMAC: macHost},
			"RARP request: who is 02:00:00:00:01:0a? tell 02:00:00:00:01:0a"},
		{ARP{Op: RARPReply, SenderMAC: macRouter, SenderIP: addr("10.0.1.1"), TargetMAC: macHost, TargetIP: addr("10.0.1.10")},
			"RARP reply: 02:00:00:00:01:0a is 10.0.1.10"},
		{ARP{Op: 9, SenderMAC: macHost, SenderIP: addr("10.0.1.10")},
			"ARP opcode 9 from 10.0.1.10 (02:00:00:00:01:0a)"},
	}
	for _, tt := range tests {
		if got := tt.a.Summary(); got != tt.want {
			t.Errorf("Summary = %q, want %q", got, tt.want)
		}
	}
}

func TestParseARPErrors(t *testing.T) {
	mod := func(i int, v byte) []byte {
		c := append([]byte(nil), fixARPRequest...)
		c[i] = v
		return c
	}
	tests := []struct {
		name string
		b    []byte
		want string
	}{
		{"short", fixARPRequest[:27], "network: ARP packet too short: 27 bytes, need 28"},
		{"hardware type", mod(1, 6), "network: ARP hardware type 6, want 1 (Ethernet)"},
		{"protocol type", mod(2, 0x86), "network: ARP protocol type 0x8600, want 0x0800 (IPv4)"},
		{"hardware size", mod(4, 8), "network: ARP address sizes 8 and 4, want 6 (MAC) and 4 (IPv4)"},
		{"protocol size", mod(5, 255), "network: ARP address sizes 6 and 255, want 6 (MAC) and 4 (IPv4)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseARP(tt.b)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("ParseARP error = %v, want %q", err, tt.want)
			}
		})
	}
}
