package presentation

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"hash"
)

// TLSDirection is who sent a record.
type TLSDirection uint8

// The two directions of a TLS connection.
const (
	FromClient TLSDirection = iota
	FromServer
)

// tlsTraffic follows one direction's protection of a TLS 1.3 connection
// (RFC 8446 section 7): records in the clear until the handshake keys are
// in use, then the handshake traffic keys until that side's Finished, then
// the application traffic keys. It opens each protected record with the
// secret the endpoint logged, to name what the record carries.
type tlsTraffic struct {
	stage int // 0 clear, 1 handshake keys, 2 application keys
	seq   uint64
	aead  cipher.AEAD
	iv    []byte
}

// Describe fills in what a protected record carries (its inner content
// type, handshake messages or alert) when the endpoint holds the keys of
// its direction, and follows the key schedule. It is called for every
// record of the connection, in order, each direction on its own; records
// it cannot open stay "encrypted data". Only TLS_AES_128_GCM_SHA256 and
// TLS_AES_256_GCM_SHA384 are opened.
func (e *TLSEndpoint) Describe(r *TLSRecord, dir TLSDirection) {
	t := &e.traffic[dir]
	if !r.Protected {
		if r.Type == TLSHandshake && len(r.Fragment) > 0 && TLSHandshakeType(r.Fragment[0]) == TLSServerHello {
			e.suite = serverHelloSuite(r.Fragment)
		}
		return
	}
	if t.stage == 0 {
		e.keys(t, dir, 1)
	}
	if t.aead == nil {
		return
	}
	nonce := make([]byte, len(t.iv))
	copy(nonce, t.iv)
	var s [8]byte
	binary.BigEndian.PutUint64(s[:], t.seq)
	for i := range 8 {
		nonce[len(nonce)-8+i] ^= s[i]
	}
	// RFC 8446 section 5.2: the additional data is the record header.
	hdr := r.header()
	pt, err := t.aead.Open(nil, nonce, r.Fragment, hdr[:])
	if err != nil {
		return
	}
	t.seq++
	// TLSInnerPlaintext: content, the real type, then zero padding.
	i := len(pt) - 1
	for i >= 0 && pt[i] == 0 {
		i--
	}
	if i < 0 {
		return
	}
	r.Inner = TLSContentType(pt[i])
	if r.readContent(r.Inner, pt[:i]) != nil {
		return
	}
	for _, m := range r.Messages {
		if m.Type == TLSFinished && t.stage == 1 {
			// RFC 8446 section 7.2: after its Finished a side protects
			// its records with the application keys.
			e.keys(t, dir, 2)
		}
	}
}

// keys sets t's keys for stage (1 handshake, 2 application) from the
// logged secrets: key and iv are HKDF-Expand-Label of the traffic secret
// (RFC 8446 section 7.3).
func (e *TLSEndpoint) keys(t *tlsTraffic, dir TLSDirection, stage int) {
	t.stage, t.seq, t.aead, t.iv = stage, 0, nil, nil
	label := [2][2]string{
		{"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0"},
		{"SERVER_HANDSHAKE_TRAFFIC_SECRET", "SERVER_TRAFFIC_SECRET_0"},
	}[dir][stage-1]
	secret := e.secrets[label]
	if secret == nil {
		return
	}
	var h func() hash.Hash
	var keyLen int
	switch e.suite {
	case 0x1301: // TLS_AES_128_GCM_SHA256
		h, keyLen = sha256.New, 16
	case 0x1302: // TLS_AES_256_GCM_SHA384
		h, keyLen = sha512.New384, 32
	default:
		return
	}
	key := expandLabel(h, secret, "key", keyLen)
	iv := expandLabel(h, secret, "iv", 12)
	if key == nil || iv == nil {
		return
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return
	}
	aead, err := cipher.NewGCM(b)
	if err != nil {
		return
	}
	t.aead, t.iv = aead, iv
}

// expandLabel is HKDF-Expand-Label (RFC 8446 section 7.1) with an empty
// context.
func expandLabel(h func() hash.Hash, secret []byte, label string, n int) []byte {
	full := "tls13 " + label
	info := []byte{byte(n >> 8), byte(n), byte(len(full))}
	info = append(info, full...)
	info = append(info, 0)
	out, err := hkdf.Expand(h, secret, string(info), n)
	if err != nil {
		return nil
	}
	return out
}

// serverHelloSuite reads the cipher suite of a ServerHello (RFC 8446
// section 4.1.3): after the 4-octet message header, legacy_version (2),
// random (32), legacy_session_id_echo (1 + n), cipher_suite (2).
func serverHelloSuite(b []byte) uint16 {
	p := 4 + 2 + 32
	if len(b) < p+1 {
		return 0
	}
	p += 1 + int(b[p])
	if len(b) < p+2 {
		return 0
	}
	return binary.BigEndian.Uint16(b[p : p+2])
}
