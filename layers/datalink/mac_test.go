package datalink

import "testing"

func TestParseMAC(t *testing.T) {
	tests := []struct {
		in      string
		want    MAC
		wantErr string
	}{
		{in: "02:00:00:00:01:0a", want: macA},
		{in: "02-00-00-00-01-0A", want: macA},
		{in: "0200.0000.010a", want: macA},
		{in: "ff:ff:ff:ff:ff:ff", want: Broadcast},
		{in: "02:00:00:00:01", wantErr: `datalink: bad MAC address "02:00:00:00:01"`},
		{in: "zz:00:00:00:01:0a", wantErr: `datalink: bad MAC address "zz:00:00:00:01:0a"`},
		{in: "00:00:00:00:fe:80:00:00:00:00:00:00:02:00:5e:10:00:00:00:01",
			wantErr: `datalink: MAC address "00:00:00:00:fe:80:00:00:00:00:00:00:02:00:5e:10:00:00:00:01" is not 48 bits`},
	}
	for _, tt := range tests {
		got, err := ParseMAC(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseMAC(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseMAC(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestMACString(t *testing.T) {
	tests := []struct {
		m    MAC
		want string
	}{
		{macA, "02:00:00:00:01:0a"},
		{Broadcast, "ff:ff:ff:ff:ff:ff"},
		{MAC{}, "00:00:00:00:00:00"},
		{MAC{0xde, 0xad, 0xbe, 0xef, 0x90, 0x1f}, "de:ad:be:ef:90:1f"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
		if back, err := ParseMAC(tt.want); err != nil || back != tt.m {
			t.Errorf("ParseMAC(%q) = %v, %v", tt.want, back, err)
		}
	}
}

func TestMACClasses(t *testing.T) {
	tests := []struct {
		m                          MAC
		broadcast, multicast, zero bool
	}{
		{macA, false, false, false},
		{Broadcast, true, true, false},
		{MAC{0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb}, false, true, false},
		{MAC{0x01, 0x80, 0xc2, 0x00, 0x00, 0x00}, false, true, false}, // STP bridge group
		{MAC{}, false, false, true},
	}
	for _, tt := range tests {
		if tt.m.IsBroadcast() != tt.broadcast || tt.m.IsMulticast() != tt.multicast || tt.m.IsZero() != tt.zero {
			t.Errorf("%v: broadcast %v, multicast %v, zero %v; want %v, %v, %v", tt.m,
				tt.m.IsBroadcast(), tt.m.IsMulticast(), tt.m.IsZero(), tt.broadcast, tt.multicast, tt.zero)
		}
	}
}

func TestEtherTypeString(t *testing.T) {
	tests := []struct {
		t    EtherType
		want string
	}{
		{EtherTypeIPv4, "IPv4"},
		{EtherTypeARP, "ARP"},
		{EtherTypeRARP, "RARP"},
		{0x86dd, "0x86dd"},
		{0x002e, "0x002e"},
	}
	for _, tt := range tests {
		if got := tt.t.String(); got != tt.want {
			t.Errorf("EtherType(0x%04x).String() = %q, want %q", uint16(tt.t), got, tt.want)
		}
	}
}
