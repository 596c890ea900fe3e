package presentation

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/osisim/osisim/layers"
)

// The TLS record layer (RFC 8446 section 5, RFC 5246 section 6.2): what the
// presentation layer puts on the wire once a connection is encrypted. Every
// record has a 5-octet header:
//
//	 0       1       2       3       4
//	+-------+-------+-------+-------+-------+------------------------+
//	| Type  |    Version    |    Length     | fragment (Length octets)|
//	+-------+-------+-------+-------+-------+------------------------+
//
// Type is the content type (20 change_cipher_spec, 21 alert, 22
// handshake, 23 application_data); Version is 0x0303 (TLS 1.2) in every
// TLS 1.3 record except possibly the first ClientHello (0x0301, RFC 8446
// section 5.1); Length is at most 2^14 + 256 for a TLS 1.3 ciphertext.

// TLSRecordHeaderLen is the length of a TLS record header.
const TLSRecordHeaderLen = 5

// MaxTLSRecordLen is the longest fragment this parser accepts: 2^14 + 2048
// octets, the TLS 1.2 ciphertext limit (RFC 5246 section 6.2.3), which is
// above TLS 1.3's 2^14 + 256 (RFC 8446 section 5.2).
const MaxTLSRecordLen = 1<<14 + 2048

// TLSContentType is a TLS record's content type (RFC 8446 section 5.1).
type TLSContentType uint8

// The content types.
const (
	TLSChangeCipherSpec TLSContentType = 20
	TLSAlert            TLSContentType = 21
	TLSHandshake        TLSContentType = 22
	TLSApplicationData  TLSContentType = 23
)

// String returns the type's name as RFC 8446 spells it.
func (t TLSContentType) String() string {
	switch t {
	case TLSChangeCipherSpec:
		return "change_cipher_spec"
	case TLSAlert:
		return "alert"
	case TLSHandshake:
		return "handshake"
	case TLSApplicationData:
		return "application_data"
	}
	return "content_type(" + strconv.Itoa(int(t)) + ")"
}

// TLSHandshakeType is a handshake message's type (RFC 8446 section 4).
type TLSHandshakeType uint8

// The handshake message types of TLS 1.3 and 1.2.
const (
	TLSHelloRequest        TLSHandshakeType = 0
	TLSClientHello         TLSHandshakeType = 1
	TLSServerHello         TLSHandshakeType = 2
	TLSNewSessionTicket    TLSHandshakeType = 4
	TLSEndOfEarlyData      TLSHandshakeType = 5
	TLSEncryptedExtensions TLSHandshakeType = 8
	TLSCertificate         TLSHandshakeType = 11
	TLSServerKeyExchange   TLSHandshakeType = 12
	TLSCertificateRequest  TLSHandshakeType = 13
	TLSServerHelloDone     TLSHandshakeType = 14
	TLSCertificateVerify   TLSHandshakeType = 15
	TLSClientKeyExchange   TLSHandshakeType = 16
	TLSFinished            TLSHandshakeType = 20
	TLSKeyUpdate           TLSHandshakeType = 24
	TLSMessageHash         TLSHandshakeType = 254
)

var tlsHandshakeNames = map[TLSHandshakeType]string{
	TLSHelloRequest: "HelloRequest", TLSClientHello: "ClientHello", TLSServerHello: "ServerHello",
	TLSNewSessionTicket: "NewSessionTicket", TLSEndOfEarlyData: "EndOfEarlyData",
	TLSEncryptedExtensions: "EncryptedExtensions", TLSCertificate: "Certificate",
	TLSServerKeyExchange: "ServerKeyExchange", TLSCertificateRequest: "CertificateRequest",
	TLSServerHelloDone: "ServerHelloDone", TLSCertificateVerify: "CertificateVerify",
	TLSClientKeyExchange: "ClientKeyExchange", TLSFinished: "Finished", TLSKeyUpdate: "KeyUpdate",
	TLSMessageHash: "message_hash",
}

// String returns the message's name as RFC 8446 spells it ("ClientHello").
func (t TLSHandshakeType) String() string {
	if s, ok := tlsHandshakeNames[t]; ok {
		return s
	}
	return "handshake_type(" + strconv.Itoa(int(t)) + ")"
}

// TLSVersionName returns "TLS 1.2" for 0x0303, and so on.
func TLSVersionName(v uint16) string {
	switch v {
	case 0x0300:
		return "SSL 3.0"
	case 0x0301:
		return "TLS 1.0"
	case 0x0302:
		return "TLS 1.1"
	case 0x0303:
		return "TLS 1.2"
	case 0x0304:
		return "TLS 1.3"
	}
	return fmt.Sprintf("version 0x%04x", v)
}

// TLSMessage is the header of one handshake message (RFC 8446 section 4):
// a type octet and a 24-bit length.
type TLSMessage struct {
	Type TLSHandshakeType
	Len  int // the body's length, without the 4-octet header
}

// TLSRecord is one TLS record. Fragment aliases the parsed bytes.
//
// Inner, Messages and Alert describe what a protected record carries once
// decrypted (RFC 8446 section 5.2: the inner content type and content);
// they are never on the wire and are set by whoever holds the keys.
type TLSRecord struct {
	Type     TLSContentType
	Version  uint16
	Fragment []byte

	Protected bool           // the fragment is an AEAD ciphertext (TLSInnerPlaintext)
	Inner     TLSContentType // a protected record's real content type, 0 if not known
	Messages  []TLSMessage   // the handshake messages carried (plaintext, or decrypted)
	Alert     string         // an alert's level and description, if known
}

// ParseTLSRecord parses the record at the start of b and returns it and
// the octets it took. A handshake record in the clear is parsed further
// into its messages' headers. It never panics.
func ParseTLSRecord(b []byte) (TLSRecord, int, error) {
	if len(b) < TLSRecordHeaderLen {
		return TLSRecord{}, 0, fmt.Errorf("presentation: TLS record too short: %d B, need at least %d", len(b), TLSRecordHeaderLen)
	}
	r := TLSRecord{Type: TLSContentType(b[0]), Version: binary.BigEndian.Uint16(b[1:3])}
	n := int(binary.BigEndian.Uint16(b[3:5]))
	switch r.Type {
	case TLSChangeCipherSpec, TLSAlert, TLSHandshake, TLSApplicationData:
	default:
		return TLSRecord{}, 0, fmt.Errorf("presentation: TLS record has unknown content type %d", b[0])
	}
	if b[1] != 3 {
		return TLSRecord{}, 0, fmt.Errorf("presentation: TLS record version 0x%04x is not 0x03xx", r.Version)
	}
	if n > MaxTLSRecordLen {
		return TLSRecord{}, 0, fmt.Errorf("presentation: TLS record length %d exceeds %d", n, MaxTLSRecordLen)
	}
	if len(b) < TLSRecordHeaderLen+n {
		return TLSRecord{}, 0, fmt.Errorf("presentation: TLS record truncated: length %d, %d B present", n, len(b)-TLSRecordHeaderLen)
	}
	r.Fragment = b[TLSRecordHeaderLen : TLSRecordHeaderLen+n]
	if err := r.readContent(r.Type, r.Fragment); err != nil {
		return TLSRecord{}, 0, err
	}
	// RFC 8446 section 5.2: every record after the handshake keys are in
	// use is an application_data record whose fragment is an AEAD
	// ciphertext; its real type is inside.
	r.Protected = r.Type == TLSApplicationData
	return r, TLSRecordHeaderLen + n, nil
}

// readContent fills in what plaintext content of type t carries: the
// headers of its handshake messages, or its alert. It reads a record's
// fragment in the clear, and a protected record's content once decrypted
// (Describe).
func (r *TLSRecord) readContent(t TLSContentType, b []byte) error {
	switch t {
	case TLSHandshake:
		msgs, err := ParseTLSMessages(b)
		if err != nil {
			return err
		}
		r.Messages = msgs
	case TLSAlert:
		if len(b) == 2 {
			r.Alert = TLSAlertText(b[0], b[1])
		}
	}
	return nil
}

// ParseTLSMessages parses the handshake message headers in a handshake
// record's plaintext. A message that continues in the next record is an
// error: the messages of osisim's endpoints never span records.
func ParseTLSMessages(b []byte) ([]TLSMessage, error) {
	var out []TLSMessage
	for len(b) > 0 {
		if len(b) < 4 {
			return nil, fmt.Errorf("presentation: TLS handshake message header truncated: %d B, need 4", len(b))
		}
		m := TLSMessage{Type: TLSHandshakeType(b[0]), Len: int(b[1])<<16 | int(b[2])<<8 | int(b[3])}
		if len(b)-4 < m.Len {
			return nil, fmt.Errorf("presentation: TLS %v of %d B truncated: %d B present", m.Type, m.Len, len(b)-4)
		}
		out = append(out, m)
		b = b[4+m.Len:]
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("presentation: TLS handshake record carries no message")
	}
	return out, nil
}

// ParseTLSRecords parses every record in b; rest is an incomplete record
// at the end, if any.
func ParseTLSRecords(b []byte) (recs []TLSRecord, rest []byte, err error) {
	for len(b) >= TLSRecordHeaderLen {
		n := int(binary.BigEndian.Uint16(b[3:5]))
		if len(b) < TLSRecordHeaderLen+n && n <= MaxTLSRecordLen {
			break
		}
		r, used, err := ParseTLSRecord(b)
		if err != nil {
			return recs, b, err
		}
		recs = append(recs, r)
		b = b[used:]
	}
	return recs, b, nil
}

// Append appends the record's wire octets to dst.
func (r TLSRecord) Append(dst []byte) []byte {
	h := r.header()
	return append(append(dst, h[:]...), r.Fragment...)
}

// header returns the record's header octets, which are also the additional
// data of a protected record's AEAD (RFC 8446 section 5.2).
func (r TLSRecord) header() [TLSRecordHeaderLen]byte {
	n := len(r.Fragment)
	return [TLSRecordHeaderLen]byte{byte(r.Type), byte(r.Version >> 8), byte(r.Version), byte(n >> 8), byte(n)}
}

// Len returns the record's length on the wire.
func (r TLSRecord) Len() int { return TLSRecordHeaderLen + len(r.Fragment) }

// HeaderLen returns 5, the record header. (A protected record also carries
// a 16-octet AEAD tag and one octet of inner content type in its fragment.)
func (r TLSRecord) HeaderLen() int { return TLSRecordHeaderLen }

// What names what the record carries: its handshake messages, the inner
// content type of a decrypted record, or its content type.
func (r TLSRecord) What() string {
	if len(r.Messages) > 0 {
		names := make([]string, len(r.Messages))
		for i, m := range r.Messages {
			names[i] = m.Type.String()
		}
		return strings.Join(names, ", ")
	}
	if r.Alert != "" {
		return "alert " + r.Alert
	}
	if r.Protected {
		switch r.Inner {
		case 0:
			return "encrypted data"
		case TLSApplicationData:
			return "application data"
		}
		return r.Inner.String()
	}
	return r.Type.String()
}

// Summary returns one line for the trace, such as "TLS record handshake,
// TLS 1.2, 117 B: ClientHello" or "TLS record application_data, TLS 1.2,
// 45 B (encrypted): Finished".
func (r TLSRecord) Summary() string {
	s := fmt.Sprintf("TLS record %v, %s, %s B", r.Type, TLSVersionName(r.Version), layers.Thousands(int64(len(r.Fragment))))
	if r.Protected {
		s += " (encrypted)"
	}
	return s + ": " + r.What()
}

// Fields returns the record header's fields in wire order, then what the
// record carries.
func (r TLSRecord) Fields() []layers.Field {
	f := []layers.Field{
		{Name: "Content type", Value: fmt.Sprintf("%v (%d)", r.Type, uint8(r.Type))},
		{Name: "Version", Value: fmt.Sprintf("%s (0x%04x)", TLSVersionName(r.Version), r.Version)},
		{Name: "Length", Value: strconv.Itoa(len(r.Fragment))},
	}
	if r.Protected {
		inner := "unknown (no key)"
		if r.Inner != 0 {
			inner = fmt.Sprintf("%v (%d)", r.Inner, uint8(r.Inner))
		}
		f = append(f, layers.Field{Name: "Inner content type (encrypted)", Value: inner})
	}
	for _, m := range r.Messages {
		f = append(f, layers.Field{Name: "Handshake message", Value: fmt.Sprintf("%v (%d), %d B", m.Type, uint8(m.Type), m.Len)})
	}
	if r.Alert != "" {
		f = append(f, layers.Field{Name: "Alert", Value: r.Alert})
	}
	return f
}

// TLSAlertText names an alert (RFC 8446 section 6): "warning
// close_notify", "fatal bad_certificate".
func TLSAlertText(level, desc byte) string {
	l := "level(" + strconv.Itoa(int(level)) + ")"
	switch level {
	case 1:
		l = "warning"
	case 2:
		l = "fatal"
	}
	return l + " " + tlsAlertName(desc)
}

func tlsAlertName(d byte) string {
	switch d {
	case 0:
		return "close_notify"
	case 10:
		return "unexpected_message"
	case 20:
		return "bad_record_mac"
	case 40:
		return "handshake_failure"
	case 42:
		return "bad_certificate"
	case 43:
		return "unsupported_certificate"
	case 44:
		return "certificate_revoked"
	case 45:
		return "certificate_expired"
	case 46:
		return "certificate_unknown"
	case 47:
		return "illegal_parameter"
	case 48:
		return "unknown_ca"
	case 50:
		return "decode_error"
	case 51:
		return "decrypt_error"
	case 70:
		return "protocol_version"
	case 80:
		return "internal_error"
	case 90:
		return "user_canceled"
	case 109:
		return "missing_extension"
	case 112:
		return "unrecognized_name"
	case 116:
		return "certificate_required"
	case 120:
		return "no_application_protocol"
	}
	return "alert(" + strconv.Itoa(int(d)) + ")"
}
