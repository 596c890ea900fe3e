package scenarios

// TLS keys of the scenario format (docs/tls.md, docs/scenario-format.md).

// TLSService turns on TLS for a POP3 server:
//
//	tls: {mode: stls}                      # STLS on port 110 (RFC 2595)
//	tls: {mode: implicit}                  # POP3S, TLS from the first octet (RFC 8314), port 995
//	tls: {mode: stls, names: [www.example.org]}      # a certificate for the wrong name
//	tls: {mode: stls, valid_from: -48h, valid_until: -24h}  # expired in simulated time
type TLSService struct {
	Mode string `yaml:"mode"` // stls (default) or implicit
	// Names are the DNS names of the server certificate (default: the
	// service's hostname).
	Names []string `yaml:"names"`
	// ValidFrom and ValidUntil bound the certificate's validity, relative
	// to simulated time 0 (default -1h and 8760h: a year).
	ValidFrom  string `yaml:"valid_from"`
	ValidUntil string `yaml:"valid_until"`
}

// ClientTLS turns on TLS for a POP3 client: tls: {mode: stls}. The client
// trusts the scenario's CA and checks the certificate for server_name
// (default: the hostname of the POP3 service it connects to).
type ClientTLS struct {
	Mode       string `yaml:"mode"` // stls (default) or implicit
	ServerName string `yaml:"server_name"`
}

// ExpectTLS checks how a client's TLS handshake went:
// tls: {node: client, handshake: complete} or {node: client, handshake:
// failed, error: "certificate is valid for"}.
type ExpectTLS struct {
	Node      string `yaml:"node"`
	Handshake string `yaml:"handshake"` // complete or failed
	Error     string `yaml:"error"`     // with failed: a part of the error
}

// UsesTLS reports whether a POP3 server or client of f runs TLS.
func (f *File) UsesTLS() bool {
	for _, n := range f.Nodes {
		if n.Services.POP3 != nil && n.Services.POP3.TLS != nil {
			return true
		}
	}
	for _, a := range f.Apps {
		if a.POP3 != nil && a.POP3.TLS != nil {
			return true
		}
	}
	return false
}
