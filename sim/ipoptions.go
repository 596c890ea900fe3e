package sim

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/network"
)

// IPOptions are the settings of a node's IP layer beyond its interfaces and
// routes. The zero value keeps network.Config's defaults.
type IPOptions struct {
	// DontFragment sets DF on every datagram the node originates (RFC 791
	// 3.2; RFC 1191 3): a router whose next link is too small for one then
	// drops it and answers ICMP fragmentation needed.
	DontFragment bool
	// ARPTimeout is the lifetime of an ARP cache entry (RFC 1122 2.3.2.1
	// asks for a timeout; 0: network.DefaultARPTimeout).
	ARPTimeout time.Duration
	// RARPServer makes the node a RARP server (RFC 903) answering from
	// this table.
	RARPServer network.RARPServer
}

func (o IPOptions) isZero() bool {
	return !o.DontFragment && o.ARPTimeout == 0 && o.RARPServer == nil
}

// AddHostWith adds a host whose IP layer also takes o.
func (s *Sim) AddHostWith(name string, cfg HostConfig, o IPOptions) (*Host, error) {
	h, err := s.AddHost(name, cfg)
	if err != nil || o.isZero() {
		return h, err
	}
	routes := cfg.Routes
	if cfg.Gateway.IsValid() {
		routes = append(routes, network.Route{Prefix: netip.PrefixFrom(netip.IPv4Unspecified(), 0), Gateway: cfg.Gateway})
	}
	if err := h.ipNode.setIPOptions(cfg.Interfaces, routes, false, hostUpper{h}, o); err != nil {
		return nil, err
	}
	return h, nil
}

// AddRouterWith adds a router whose IP layer also takes o.
func (s *Sim) AddRouterWith(name string, cfg RouterConfig, o IPOptions) (*Router, error) {
	r, err := s.AddRouter(name, cfg)
	if err != nil || o.isZero() {
		return r, err
	}
	if err := r.ipNode.setIPOptions(cfg.Interfaces, cfg.Routes, true, routerUpper{r}, o); err != nil {
		return nil, err
	}
	return r, nil
}

// setIPOptions replaces the node's IP layer, before the run starts, by one
// configured with o as well.
func (n *ipNode) setIPOptions(ifs []Interface, routes []network.Route, forwarding bool, up network.Upper, o IPOptions) error {
	var nifs []network.Interface
	for _, itf := range ifs {
		mtu := itf.MTU
		if mtu == 0 {
			mtu = datalink.MaxPayload
		}
		nifs = append(nifs, network.Interface{Name: itf.Name, MAC: itf.MAC, Addr: itf.Addr, MTU: mtu})
	}
	ip, err := network.NewStack(n.env, network.Config{Interfaces: nifs, Routes: routes, Forwarding: forwarding,
		DontFragment: o.DontFragment, ARPTimeout: o.ARPTimeout, RARPServer: o.RARPServer}, n, up)
	if err != nil {
		return fmt.Errorf("%s: %w", n.name, err)
	}
	n.ip = ip
	return nil
}

// StartRARP has the host ask a RARP server, at time at, for the address of
// every interface that has none (0.0.0.0/N), as a diskless workstation does
// when it boots (RFC 903).
func (h *Host) StartRARP(at time.Duration) {
	h.sim.At(at, func() {
		h.record(layers.Event{Layer: layers.Network, Dir: layers.Note, Walk: true}.
			Title("chapter.rarp", "%s boots without an IPv4 address and asks for one with RARP", h.name).
			Say("l3.rarp.boot", "a diskless host knows its MAC address (it is in the NIC) but not its IPv4 address: it asks by broadcast (RFC 903)"))
		if err := h.ip.RequestAddress(); err != nil {
			h.record(layers.Event{Layer: layers.Network, Dir: layers.Note}.Say("l3.rarp.err", "RARP: %v", err))
		}
	})
}

// Addresses returns the addresses of the host's interfaces as its IP layer
// holds them now: one learned by RARP shows here.
func (h *Host) Addresses() []netip.Prefix {
	var out []netip.Prefix
	for _, itf := range h.ip.Interfaces() {
		out = append(out, itf.Addr)
	}
	return out
}
