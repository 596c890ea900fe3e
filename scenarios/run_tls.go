package scenarios

import (
	"crypto/x509"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/presentation"
	"github.com/osisim/osisim/sim"
)

// The scenario's own small public key infrastructure: one CA per run, and
// a server certificate for each POP3 server with a tls: key, made before
// the run from the run's seed (docs/tls.md).

// tlsValidity returns the certificate's validity relative to simulated
// time 0 (defaults: from an hour before to a year after).
func tlsValidity(t *TLSService) (from, until time.Duration) {
	from, until = -time.Hour, 365*24*time.Hour
	if d, err := parseDuration(t.ValidFrom); err == nil && t.ValidFrom != "" {
		from = d
	}
	if d, err := parseDuration(t.ValidUntil); err == nil && t.ValidUntil != "" {
		until = d
	}
	return from, until
}

// pop3ServerNode returns the node whose POP3 service a client's server:
// key names (an address or a node name), or nil.
func pop3ServerNode(f *File, server string) *Node {
	a, err := netip.ParseAddr(server)
	for i := range f.Nodes {
		n := &f.Nodes[i]
		if n.Services.POP3 == nil {
			continue
		}
		if err != nil && n.Name == server {
			return n
		}
		if err == nil && owner(a, f) == n {
			return n
		}
	}
	return nil
}

// serverTLS makes the certificate of a POP3 server with a tls: key.
func (b *built) serverTLS(n *Node, hostname string) (*sim.TLSServer, error) {
	t := n.Services.POP3.TLS
	if t == nil {
		return nil, nil
	}
	names := t.Names
	if len(names) == 0 {
		names = []string{hostname}
	}
	from, until := tlsValidity(t)
	auth, err := presentation.NewTLSAuthority(b.sim.RandStream(), presentation.TLSCertSpec{
		CAName: "osisim scenario CA", Names: names,
		NotBefore: sim.Epoch.Add(from), NotAfter: sim.Epoch.Add(until)})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", n.Name, err)
	}
	if b.tlsRoots == nil {
		b.tlsRoots = x509.NewCertPool()
	}
	b.tlsRoots.AddCert(auth.CA)
	return &sim.TLSServer{Implicit: t.Mode == "implicit", Certificate: auth.Server}, nil
}

// clientTLS is the TLS configuration of a POP3 client with a tls: key.
func (b *built) clientTLS(f *File, c *POP3Client) *sim.TLSClient {
	if c.TLS == nil {
		return nil
	}
	name := c.TLS.ServerName
	if name == "" {
		name = "mail.example.edu"
		if n := pop3ServerNode(f, c.Server); n != nil && n.Services.POP3.Hostname != "" {
			name = n.Services.POP3.Hostname
		}
	}
	return &sim.TLSClient{Implicit: c.TLS.Mode == "implicit", Roots: b.tlsRoots, ServerName: name, KeyLog: b.keyLog}
}

// endTLS ends the TLS goroutines still open when the run stops.
func (b *built) endTLS(res *Result) {
	for _, c := range res.Clients {
		c.EndTLS()
	}
	for _, name := range sortedKeys(b.servers) {
		b.servers[name].EndTLS()
	}
}

// checkTLS checks how a client's handshake went.
func (b *built) checkTLS(x *ExpectTLS) Check {
	var c Check
	if x.Handshake == "complete" {
		c.what(layers.Event{}.Say("check.tls.complete", "TLS handshake of %s complete", x.Node))
	} else {
		c.what(layers.Event{}.Say("check.tls.failed", "TLS handshake of %s failed", x.Node))
	}
	var cl *sim.POP3Client
	for _, a := range b.apps {
		if a.app.Node == x.Node && a.pop3 != nil {
			cl = a.pop3
		}
	}
	if cl == nil {
		c.detail(layers.Event{}.Say("check.tls.noclient", "no POP3 client ran on %s", x.Node))
		return c
	}
	done, err := cl.TLSResult()
	switch {
	case x.Handshake == "complete" && done:
		c.OK = true
		c.detail(layers.Event{}.Say("check.tls.ok", "the certificate checked out; %v", cl.TLSDescription()))
	case x.Handshake == "complete" && err != nil:
		c.detail(layers.Event{}.Say("check.tls.incomplete.why", "it did not complete: %v", err))
	case x.Handshake == "complete":
		c.detail(layers.Event{}.Say("check.tls.incomplete", "it did not complete"))
	case done:
		c.detail(layers.Event{}.Say("check.tls.completed", "it completed: %v", cl.TLSDescription()))
	case err == nil:
		c.detail(layers.Event{}.Say("check.tls.none", "no handshake failed: the client never started one"))
	case x.Error != "" && !strings.Contains(err.Error(), x.Error):
		c.detail(layers.Event{}.Say("check.tls.other", "it failed, but with %q, not %q", err.Error(), x.Error))
	default:
		c.OK = true
		c.detail(layers.Event{}.Say("check.tls.error", "%v", err))
	}
	return c
}
