package transport

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/osisim/osisim/layers"
)

// MaxUDPPayload is the largest payload of a UDP datagram over IPv4:
// 65535 - 20 (IPv4 header) - 8 (UDP header).
const MaxUDPPayload = 65535 - 20 - UDPHeaderLen

// UDP is the UDP endpoint of one node (RFC 768): its bound ports. UDP adds
// ports and a checksum to IP and nothing else: no connection, no
// acknowledgment, no retransmission, no ordering.
type UDP struct {
	env   layers.Env
	net   Network
	binds map[uint16]func(src netip.AddrPort, dst netip.Addr, payload []byte)
	out   []byte
}

// NewUDP returns a UDP endpoint that sends through net (bound to IP
// protocol 17).
func NewUDP(env layers.Env, net Network) *UDP {
	return &UDP{env: env, net: net, binds: make(map[uint16]func(netip.AddrPort, netip.Addr, []byte))}
}

// Bind delivers the datagrams that arrive for port to recv. The payload
// passed to recv is the receiver's own copy.
func (u *UDP) Bind(port uint16, recv func(src netip.AddrPort, dst netip.Addr, payload []byte)) error {
	if port == 0 {
		return errors.New("transport: cannot bind UDP port 0")
	}
	if recv == nil {
		return errors.New("transport: UDP bind without a receive function")
	}
	if _, ok := u.binds[port]; ok {
		return fmt.Errorf("%w: UDP port %d is already bound", ErrPortUsed, port)
	}
	u.binds[port] = recv
	return nil
}

// Unbind releases port.
func (u *UDP) Unbind(port uint16) { delete(u.binds, port) }

// SendTo sends payload from local to remote in one datagram, on behalf of
// the upper-layer PDU parent (0 for none). The local port need not be bound.
func (u *UDP) SendTo(local, remote netip.AddrPort, payload []byte, parent uint64) error {
	if !local.Addr().IsValid() || !remote.Addr().IsValid() || local.Addr().Is4() != remote.Addr().Is4() {
		return fmt.Errorf("transport: cannot send a UDP datagram from %v to %v", local, remote)
	}
	if remote.Port() == 0 {
		return fmt.Errorf("transport: cannot send a UDP datagram to port 0 of %v", remote.Addr())
	}
	if len(payload) > MaxUDPPayload {
		return fmt.Errorf("transport: UDP payload of %d bytes exceeds the maximum of %d", len(payload), MaxUDPPayload)
	}
	d := UserDatagram{SrcPort: local.Port(), DstPort: remote.Port(), Payload: payload}
	u.out = d.Append(u.out[:0], local.Addr(), remote.Addr())
	var parents []uint64
	if parent != 0 {
		parents = []uint64{parent}
	}
	u.net.SendSegment(local.Addr(), remote.Addr(), u.out, layers.Meta{ID: u.env.NewID(), Parents: parents})
	return nil
}

// HandleDatagram takes a datagram from IP. A datagram that fails to parse
// or to checksum is dropped (drops are recorded even when nothing traces,
// so that the run's drop counts do not depend on the trace). It returns unreachable = true when no one is
// bound to the destination port: the caller should then answer with ICMP
// port unreachable (RFC 1122 4.1.3.1).
func (u *UDP) HandleDatagram(src, dst netip.Addr, b []byte, m layers.Meta) (unreachable bool) {
	d, err := ParseDatagram(b, src, dst)
	if err != nil {
		reason := layers.ReasonMalformed
		if errors.Is(err, ErrChecksum) {
			reason = layers.ReasonChecksum
		}
		u.env.Record(dropEvent(reason).Say("udp.drop.bad", "datagram dropped: %v", err))
		return false
	}
	recv, ok := u.binds[d.DstPort]
	if !ok {
		u.env.Record(dropEvent(layers.ReasonPortClosed).Say("udp.drop.closed", "UDP port %d closed: nothing bound, ICMP port unreachable is due", d.DstPort))
		return true
	}
	recv(netip.AddrPortFrom(src, d.SrcPort), dst, append([]byte(nil), d.Payload...))
	return false
}
