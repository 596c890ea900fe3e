package presentation

import (
	"crypto/ed25519"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"time"
)

// TLSAuthority is a scenario's own small public key infrastructure: a
// certification authority (CA) and one server certificate it signed
// (RFC 5280). Its keys are Ed25519 keys (RFC 8032) made from seeds the
// caller reads from the run's seeded randomness, and Ed25519 signatures
// are deterministic, so the same seed gives the same certificates, octet
// for octet.
type TLSAuthority struct {
	CA     *x509.Certificate
	Roots  *x509.CertPool  // the CA alone: what a client trusts
	Server tls.Certificate // the server's chain (leaf, then CA) and key
	Leaf   *x509.Certificate
}

// TLSCertSpec describes the server certificate to issue.
type TLSCertSpec struct {
	CAName    string    // the CA's common name
	Names     []string  // the server's DNS names (subjectAltName, RFC 6125)
	NotBefore time.Time // validity of the server certificate
	NotAfter  time.Time
}

// NewTLSAuthority makes a CA valid from ten years before spec.NotBefore to
// ten years after spec.NotAfter, and the server certificate of spec,
// reading the two key seeds and the serial numbers from r.
func NewTLSAuthority(r io.Reader, spec TLSCertSpec) (*TLSAuthority, error) {
	caKey, err := ed25519Key(r)
	if err != nil {
		return nil, err
	}
	srvKey, err := ed25519Key(r)
	if err != nil {
		return nil, err
	}
	caSerial, err := serial(r)
	if err != nil {
		return nil, err
	}
	srvSerial, err := serial(r)
	if err != nil {
		return nil, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          caSerial,
		Subject:               pkix.Name{CommonName: spec.CAName, Organization: []string{"osisim"}},
		NotBefore:             spec.NotBefore.AddDate(-10, 0, 0),
		NotAfter:              spec.NotAfter.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(r, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		return nil, fmt.Errorf("presentation: CA certificate: %w", err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, fmt.Errorf("presentation: CA certificate: %w", err)
	}
	cn := ""
	if len(spec.Names) > 0 {
		cn = spec.Names[0]
	}
	srvTmpl := &x509.Certificate{
		SerialNumber: srvSerial,
		Subject:      pkix.Name{CommonName: cn},
		DNSNames:     spec.Names,
		NotBefore:    spec.NotBefore,
		NotAfter:     spec.NotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	srvDER, err := x509.CreateCertificate(r, srvTmpl, ca, srvKey.Public(), caKey)
	if err != nil {
		return nil, fmt.Errorf("presentation: server certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(srvDER)
	if err != nil {
		return nil, fmt.Errorf("presentation: server certificate: %w", err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	return &TLSAuthority{CA: ca, Roots: roots, Leaf: leaf,
		Server: tls.Certificate{Certificate: [][]byte{srvDER, caDER}, PrivateKey: srvKey, Leaf: leaf}}, nil
}

func ed25519Key(r io.Reader) (ed25519.PrivateKey, error) {
	seed := make([]byte, ed25519.SeedSize)
	if _, err := io.ReadFull(r, seed); err != nil {
		return nil, fmt.Errorf("presentation: key seed: %w", err)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// serial reads a positive 63-bit serial number (RFC 5280 section 4.1.2.2).
func serial(r io.Reader) (*big.Int, error) {
	var b [8]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return nil, fmt.Errorf("presentation: serial number: %w", err)
	}
	b[0] &= 0x7f
	b[0] |= 0x01
	return new(big.Int).SetBytes(b[:]), nil
}
