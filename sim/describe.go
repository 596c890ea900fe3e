package sim

import (
	"net/netip"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/network"
	"github.com/osisim/osisim/layers/physical"
	"github.com/osisim/osisim/layers/transport"
)

// The describe functions turn the bytes crossing a layer boundary into the
// trace's PDU description, using each layer's own parser, so what the trace
// says is what the bytes say.

func describeSignal(sig physical.Signal, bitRate int64) *layers.PDU {
	p := physical.Describe(sig, bitRate)
	return &p
}

func describeFrame(b []byte) *layers.PDU {
	p := &layers.PDU{Kind: "ethernet", Len: len(b), Bytes: b}
	f, err := datalink.Parse(b)
	if err != nil {
		p.Summary = "undecodable frame: " + err.Error()
		return p
	}
	p.HeaderLen = f.HeaderLen()
	p.Summary = f.Summary()
	p.Fields = f.Fields()
	return p
}

func describeL3(t datalink.EtherType, b []byte) *layers.PDU {
	p := &layers.PDU{Len: len(b), Bytes: b}
	switch t {
	case datalink.EtherTypeARP, datalink.EtherTypeRARP:
		p.Kind = "arp"
		a, err := network.ParseARP(b)
		if err != nil {
			p.Summary = "undecodable ARP: " + err.Error()
			return p
		}
		p.HeaderLen, p.Summary, p.Fields = a.HeaderLen(), a.Summary(), a.Fields()
	default:
		p.Kind = "ipv4"
		d, err := network.Parse(b)
		if err != nil {
			p.Summary = "undecodable datagram: " + err.Error()
			return p
		}
		p.Len = d.HeaderLen() + len(d.Payload)
		p.Bytes = b[:p.Len]
		p.HeaderLen, p.Summary, p.Fields = d.HeaderLen(), d.Summary(), d.Fields()
	}
	return p
}

func describeSegment(src, dst netip.Addr, b []byte) *layers.PDU {
	p := &layers.PDU{Kind: "tcp", Len: len(b), Bytes: b}
	s, err := transport.Parse(b, src, dst)
	if err != nil {
		p.Summary = "undecodable segment: " + err.Error()
		return p
	}
	p.HeaderLen, p.Summary, p.Fields = s.HeaderLen(), s.Summary(), s.Fields()
	return p
}

func describeUDP(src, dst netip.Addr, b []byte) *layers.PDU {
	p := &layers.PDU{Kind: "udp", Len: len(b), Bytes: b}
	d, err := transport.ParseDatagram(b, src, dst)
	if err != nil {
		p.Summary = "undecodable UDP datagram: " + err.Error()
		return p
	}
	p.HeaderLen, p.Summary, p.Fields = d.HeaderLen(), d.Summary(), d.Fields()
	return p
}
