package scenarios

import (
	"fmt"

	"github.com/osisim/osisim/sim"
)

// checkTLS checks the tls: keys of services, apps and expectations.
func (v *validator) checkTLS(f *File) {
	mode := func(p, m string) {
		if m != "" && m != "stls" && m != "implicit" {
			v.errorf(p+".mode", "tls mode %q: want stls (RFC 2595) or implicit (POP3S, RFC 8314)", m)
		}
	}
	for i, n := range f.Nodes {
		if n.Services.POP3 == nil || n.Services.POP3.TLS == nil {
			continue
		}
		t := n.Services.POP3.TLS
		p := fmt.Sprintf("$.nodes[%d].services.pop3.tls", i)
		mode(p, t.Mode)
		if f.Profile == string(sim.ProfileOSI) {
			v.errorf(p, "TLS runs in the internet profile only")
		}
		from, until := tlsValidity(t)
		if t.ValidFrom != "" {
			if _, err := parseDuration(t.ValidFrom); err != nil {
				v.errorf(p+".valid_from", "valid_from %q is not a time such as -1h", t.ValidFrom)
			}
		}
		if t.ValidUntil != "" {
			if _, err := parseDuration(t.ValidUntil); err != nil {
				v.errorf(p+".valid_until", "valid_until %q is not a time such as 8760h", t.ValidUntil)
			}
		}
		if until <= from {
			v.errorf(p, "the certificate's validity ends (%s) before it starts (%s)", until, from)
		}
	}
	for i, a := range f.Apps {
		if a.POP3 == nil || a.POP3.TLS == nil {
			continue
		}
		p := fmt.Sprintf("$.apps[%d].pop3.tls", i)
		mode(p, a.POP3.TLS.Mode)
		srv := pop3ServerNode(f, a.POP3.Server)
		switch {
		case srv == nil:
		case srv.Services.POP3.TLS == nil:
			v.errorf(p, "the POP3 server on %s has no `tls:` key: it offers no TLS", srv.Name)
		case (srv.Services.POP3.TLS.Mode == "implicit") != (a.POP3.TLS.Mode == "implicit"):
			v.errorf(p+".mode", "the client's tls mode %q differs from the server's %q", a.POP3.TLS.Mode, srv.Services.POP3.TLS.Mode)
		}
	}
	for i, e := range f.Expect {
		if e.TLS == nil {
			continue
		}
		p := fmt.Sprintf("$.expect[%d].tls", i)
		if len(appsOf(f, e.TLS.Node, "pop3")) == 0 {
			v.errorf(p+".node", "no `pop3:` app runs on %q", e.TLS.Node)
		}
		if e.TLS.Handshake != "complete" && e.TLS.Handshake != "failed" {
			v.errorf(p+".handshake", "handshake %q: want complete or failed", e.TLS.Handshake)
		}
		if e.TLS.Error != "" && e.TLS.Handshake != "failed" {
			v.errorf(p+".error", "an error is expected only with `handshake: failed`")
		}
	}
}
