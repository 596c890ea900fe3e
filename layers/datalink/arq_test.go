package datalink

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/layerstest"
)

// arqData is the payload of an Ethernet frame of type 0x88b5 carrying go-back-N
// DATA frame 3 with an IPv4 datagram (its first 20 octets, a header
// without options: 10.0.0.1 > 10.0.0.2, protocol TCP, total length 20).
var arqData = []byte{
	0x01,       // kind: DATA
	0x02,       // mode: go-back-N
	0x03,       // sequence: 3
	0x00,       // acknowledgement: unused in DATA
	0x08, 0x00, // EtherType of the payload: IPv4
	0x45, 0x00, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x40, 0x06, 0x66, 0xe5, // IPv4 header ...
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02, // ... 10.0.0.1 > 10.0.0.2
}

// arqAck is the payload of a stop-and-wait ACK "expecting frame 1" as it
// arrives: 6 octets of header and the 40 zero octets of Ethernet padding
// that bring the payload to 46.
var arqAck = append([]byte{
	0x02,       // kind: ACK
	0x01,       // mode: stop-and-wait
	0x00,       // sequence: unused in ACK
	0x01,       // acknowledgement: frame 1 expected next
	0x00, 0x00, // no payload type
}, make([]byte, 40)...)

func TestParseARQ(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want ARQFrame
	}{
		{"go-back-N DATA", arqData, ARQFrame{Kind: ARQData, Mode: GoBackN, Seq: 3, Type: EtherTypeIPv4, Payload: arqData[6:]}},
		{"stop-and-wait ACK with padding", arqAck, ARQFrame{Kind: ARQAck, Mode: StopAndWait, Ack: 1, Payload: make([]byte, 40)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseARQ(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseARQ (-want +got):\n%s", diff)
			}
			// Parse then Append gives the same bytes.
			if out := got.Append(nil); !bytes.Equal(out, tt.in) {
				t.Errorf("Append = % x, want % x", out, tt.in)
			}
		})
	}
}

func TestParseARQErrors(t *testing.T) {
	mod := func(i int, v byte) []byte {
		b := bytes.Clone(arqData)
		b[i] = v
		return b
	}
	tests := []struct {
		name string
		in   []byte
		is   error
		want string
	}{
		{"empty", nil, ErrARQTooShort, "datalink: ARQ header too short: 0 bytes, need 6"},
		{"five octets", arqData[:5], ErrARQTooShort, "datalink: ARQ header too short: 5 bytes, need 6"},
		{"unknown kind", mod(0, 7), ErrARQHeader, "datalink: bad ARQ header: kind 7, want 1 (DATA) or 2 (ACK)"},
		{"unknown mode", mod(1, 0), ErrARQHeader, "datalink: bad ARQ header: mode 0, want 1 (stop-and-wait) or 2 (go-back-N)"},
		{"stop-and-wait sequence 3", mod(1, 1), ErrARQHeader, "datalink: bad ARQ header: sequence 3 or acknowledgement 0 not below stop-and-wait's modulus 2"},
		{"DATA with an acknowledgement", mod(3, 9), ErrARQHeader, "datalink: bad ARQ header: DATA frame with acknowledgement 9, want 0"},
		{"DATA with a length, not a type", mod(4, 0x05), ErrARQHeader, "datalink: bad ARQ header: DATA frame carries type 0x0500, not an EtherType (at least 0x0600)"},
		{"ACK with a sequence number", func() []byte { b := bytes.Clone(arqAck); b[2] = 1; return b }(), ErrARQHeader,
			"datalink: bad ARQ header: ACK with sequence 1 and type 0x0000, want both 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseARQ(tt.in)
			if !errors.Is(err, tt.is) {
				t.Fatalf("error %v, want %v", err, tt.is)
			}
			if err.Error() != tt.want {
				t.Errorf("error %q, want %q", err, tt.want)
			}
		})
	}
}

func TestARQDescribe(t *testing.T) {
	d, _ := ParseARQ(arqData)
	a, _ := ParseARQ(arqAck)
	tests := []struct {
		f       ARQFrame
		summary string
		fields  []layers.Field
	}{
		{d, "ARQ DATA seq=3 (go-back-N), IPv4 20 B", []layers.Field{
			{Name: "Kind", Value: "1 (DATA)"},
			{Name: "Mode", Value: "2 (go-back-N, sequence numbers modulo 256)"},
			{Name: "Sequence", Value: "3"},
			{Name: "Acknowledgement", Value: "0 (not used in DATA)"},
			{Name: "EtherType", Value: "0x0800 (IPv4)"},
		}},
		{a, "ARQ ACK ack=1 (stop-and-wait)", []layers.Field{
			{Name: "Kind", Value: "2 (ACK)"},
			{Name: "Mode", Value: "1 (stop-and-wait, sequence numbers modulo 2)"},
			{Name: "Sequence", Value: "0 (not used in ACK)"},
			{Name: "Acknowledgement", Value: "1 (the next frame expected: the frames before it arrived)"},
			{Name: "EtherType", Value: "0x0000 (no payload)"},
		}},
	}
	for _, tt := range tests {
		if got := tt.f.Summary(); got != tt.summary {
			t.Errorf("Summary = %q, want %q", got, tt.summary)
		}
		if diff := cmp.Diff(tt.fields, tt.f.Fields()); diff != "" {
			t.Errorf("Fields (-want +got):\n%s", diff)
		}
		if tt.f.HeaderLen() != 6 {
			t.Errorf("HeaderLen = %d", tt.f.HeaderLen())
		}
	}
}

// TestARQInEthernet checks that an ARQ frame is an ordinary Ethernet II
// frame of type 0x88b5: Frame.Parse takes it and its payload parses as ARQ.
func TestARQInEthernet(t *testing.T) {
	f := Frame{Dst: arqMACB, Src: arqMACA, Type: EtherTypeARQ, Payload: arqData}
	b := f.Append(nil)
	got, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Type != 0x88b5 {
		t.Errorf("type 0x%04x", uint16(got.Type))
	}
	h, err := ParseARQ(got.Payload)
	if err != nil {
		t.Fatal(err)
	}
	// The 26-octet payload was padded to 46: the IPv4 header's own length
	// tells the network layer where the datagram ends.
	if h.Seq != 3 || len(h.Payload) != MinPayload-ARQHeaderLen || !bytes.Equal(h.Payload[:20], arqData[6:]) {
		t.Errorf("ARQ frame %+v", h)
	}
}

func FuzzParseARQ(f *testing.F) {
	f.Add(arqData)
	f.Add(arqAck)
	f.Add([]byte{1, 1, 1, 0, 0x08, 0x06})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ParseARQ(b)
		if err != nil {
			return
		}
		out := a.Append(nil)
		if !bytes.Equal(out, b) {
			t.Fatalf("Append = % x, want % x", out, b)
		}
		again, err := ParseARQ(out)
		if err != nil {
			t.Fatalf("reparse: %v", err)
		}
		if diff := cmp.Diff(a, again); diff != "" {
			t.Fatalf("Parse-Append-Parse (-first +second):\n%s", diff)
		}
		_ = a.Summary()
		_ = a.Fields()
	})
}

func TestARQConfigValidate(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		cfg  ARQConfig
		want string // "" for valid
	}{
		{ARQConfig{Mode: StopAndWait, Timeout: ms}, ""},
		{ARQConfig{Mode: StopAndWait, Window: 1, Timeout: ms}, ""},
		{ARQConfig{Mode: GoBackN, Window: 127, Timeout: ms}, ""},
		{ARQConfig{Mode: StopAndWait, Window: 2, Timeout: ms}, "datalink: stop-and-wait has a window of 1 frame, not 2"},
		{ARQConfig{Mode: GoBackN, Window: 0, Timeout: ms}, "datalink: go-back-N window 0: want 1 to 127 (half the modulus 256)"},
		{ARQConfig{Mode: GoBackN, Window: 128, Timeout: ms}, "datalink: go-back-N window 128: want 1 to 127 (half the modulus 256)"},
		{ARQConfig{Mode: 3, Timeout: ms}, "datalink: unknown ARQ mode 3"},
		{ARQConfig{Mode: GoBackN, Window: 4}, "datalink: ARQ timeout 0s is not positive"},
	}
	for _, tt := range tests {
		err := tt.cfg.Validate()
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%+v: error %q, want %q", tt.cfg, got, tt.want)
		}
	}
}

var (
	arqMACA = MAC{0x02, 0, 0, 0, 0, 0x0a}
	arqMACB = MAC{0x02, 0, 0, 0, 0, 0x0b}
)

// arqLink joins two ARQ ends a and b with a wire on which every frame
// arrives 1 ms after it is sent, in order, unless the script drops it.
type arqLink struct {
	env  *layerstest.Env
	ends [2]*ARQ
	log  []string        // what went on the wire and what was delivered, with times
	sent map[string]int  // transmissions so far of "a DATA 1", "b ACK 2" ...
	drop map[string]bool // "a DATA 1 #1": the first transmission of a's DATA frame 1 is lost
}

func newARQLink(t *testing.T, cfg ARQConfig, drop ...string) *arqLink {
	t.Helper()
	l := &arqLink{env: layerstest.New("n", 1), sent: map[string]int{}, drop: map[string]bool{}}
	for _, d := range drop {
		l.drop[d] = true
	}
	names := [2]string{"a", "b"}
	macs := [2]MAC{arqMACA, arqMACB}
	for i := range 2 {
		var err error
		l.ends[i], err = NewARQ(l.env, names[i], macs[i], cfg,
			func(f Frame, m layers.Meta) { l.wire(i, f, m) },
			func(f Frame, m layers.Meta) {
				// The payload arrives with Ethernet's zero padding.
				l.log = append(l.log, fmt.Sprintf("%v %s delivers %q", l.env.Now(), names[i], bytes.TrimRight(f.Payload, "\x00")))
			})
		if err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// wire carries a frame from end i to the other end.
func (l *arqLink) wire(i int, f Frame, m layers.Meta) {
	name := [2]string{"a", "b"}[i]
	h, err := ParseARQ(f.Payload)
	if err != nil {
		panic(err)
	}
	num := h.Seq
	if h.Kind == ARQAck {
		num = h.Ack
	}
	key := fmt.Sprintf("%s %s %d", name, h.Kind, num)
	l.sent[key]++
	line := fmt.Sprintf("%v %s", l.env.Now(), key)
	if m.Cause != "" {
		line += " [" + m.Cause + "]"
	}
	if l.drop[fmt.Sprintf("%s #%d", key, l.sent[key])] {
		l.log = append(l.log, line+" lost")
		return
	}
	l.log = append(l.log, line)
	b := f.Append(nil) // the bytes on the wire; f's payload is valid only now
	l.env.After(time.Millisecond, func() {
		g, err := Parse(b)
		if err != nil {
			panic(err)
		}
		l.ends[1-i].Receive(g, layers.Meta{})
	})
}

// send hands payloads to end a at the current time.
func (l *arqLink) send(payloads ...string) {
	for _, p := range payloads {
		l.ends[0].Send(Frame{Dst: arqMACB, Src: arqMACA, Type: EtherTypeIPv4, Payload: []byte(p)}, layers.Meta{})
	}
}

// TestStopAndWait is the alternating-bit protocol over a wire that loses
// the first copy of DATA frame 1 and then the ACK of its second copy: the
// sender's timer resends it twice, the receiver discards the third copy
// as a duplicate and acknowledges it again, and every payload is delivered
// once, in order.
func TestStopAndWait(t *testing.T) {
	l := newARQLink(t, ARQConfig{Mode: StopAndWait, Timeout: 3 * time.Millisecond}, "a DATA 1 #1", "b ACK 0 #1")
	l.send("one", "two", "three")
	l.env.Run(100)
	want := []string{
		"0s a DATA 0",
		"1ms b ACK 1", // the ACK goes first, then the payload up
		`1ms b delivers "one"`,
		"2ms a DATA 1 lost",
		"5ms a DATA 1 [ARQ timeout]",
		"6ms b ACK 0 lost",
		`6ms b delivers "two"`,
		"8ms a DATA 1 [ARQ timeout]",
		"9ms b ACK 0 [duplicate frame 1]",
		"10ms a DATA 0",
		"11ms b ACK 1",
		`11ms b delivers "three"`,
	}
	if diff := cmp.Diff(want, l.log); diff != "" {
		t.Errorf("wire and deliveries (-want +got):\n%s", diff)
	}
	texts := strings.Join(l.env.Texts(), "\n")
	for _, s := range []string{
		"L2 note: stop-and-wait window full (1 of 1 frames unacknowledged): the next frames wait for an ACK",
		"L2 timer: ARQ timer expired: no ACK for frame 1 within 3ms: retransmitting frame 1 (try 1 of 10)",
		"L2 timer: ARQ timer expired: no ACK for frame 1 within 3ms: retransmitting frame 1 (try 2 of 10)",
		"L2 drop: duplicate ARQ frame 1 (already delivered; its ACK was lost or late): discarded, ACK 0 sent again [duplicate]",
		"L2 note: ACK 0 received: frame 1 acknowledged; window now empty, frame 0 next",
	} {
		if !strings.Contains(texts, s) {
			t.Errorf("trace lacks %q; it has:\n%s", s, texts)
		}
	}
	want2 := ARQStats{Sent: 3, Retransmitted: 2, Timeouts: 2, AcksReceived: 3}
	if diff := cmp.Diff(want2, l.ends[0].Stats()); diff != "" {
		t.Errorf("sender stats (-want +got):\n%s", diff)
	}
	want3 := ARQStats{AcksSent: 4, Delivered: 3, Duplicates: 1}
	if diff := cmp.Diff(want3, l.ends[1].Stats()); diff != "" {
		t.Errorf("receiver stats (-want +got):\n%s", diff)
	}
}

// TestGoBackN sends six frames through a window of four over a wire that
// loses the first copy of DATA frame 1 and the ACK "expecting 3". The
// receiver discards frames 2, 3 and 4, which arrive after the gap, and
// repeats ACK 1; the sender ignores the repeated ACKs, and when its timer
// expires goes back to frame 1 and resends 1 to 4. The lost ACK 3 does not
// matter: ACK 4 acknowledges frames 2 and 3 together (cumulative).
func TestGoBackN(t *testing.T) {
	l := newARQLink(t, ARQConfig{Mode: GoBackN, Window: 4, Timeout: 5 * time.Millisecond}, "a DATA 1 #1", "b ACK 3 #1")
	l.send("p0", "p1", "p2", "p3", "p4", "p5")
	l.env.Run(100)
	want := []string{
		"0s a DATA 0", "0s a DATA 1 lost", "0s a DATA 2", "0s a DATA 3",
		"1ms b ACK 1", `1ms b delivers "p0"`, "1ms b ACK 1 [frame 1 missing]", "1ms b ACK 1 [frame 1 missing]",
		"2ms a DATA 4",
		"3ms b ACK 1 [frame 1 missing]",
		// The timer, restarted at 2 ms by ACK 1, expires at 7 ms.
		"7ms a DATA 1 [ARQ timeout]", "7ms a DATA 2 [ARQ timeout]", "7ms a DATA 3 [ARQ timeout]", "7ms a DATA 4 [ARQ timeout]",
		"8ms b ACK 2", `8ms b delivers "p1"`, "8ms b ACK 3 lost", `8ms b delivers "p2"`,
		"8ms b ACK 4", `8ms b delivers "p3"`, "8ms b ACK 5", `8ms b delivers "p4"`,
		"9ms a DATA 5",
		"10ms b ACK 6", `10ms b delivers "p5"`,
	}
	if diff := cmp.Diff(want, l.log); diff != "" {
		t.Errorf("wire and deliveries (-want +got):\n%s", diff)
	}
	texts := strings.Join(l.env.Texts(), "\n")
	for _, s := range []string{
		"L2 drop: ARQ frame 2 arrived but frame 1 is missing: discarded (go-back-N keeps no frame after a gap), ACK 1 sent again [out-of-order]",
		"L2 note: ACK 1 acknowledges nothing new: frame 1 is still unacknowledged (the timer will resend it)",
		"L2 timer: ARQ timer expired: no ACK for frame 1 within 5ms: going back to frame 1 and retransmitting 4 frames (1 to 4) (try 1 of 10)",
		"L2 note: ACK 4 received: frames 2 to 3 acknowledged; window now frames 4 to 5 unacknowledged",
		"L2 note: ACK 6 received: frame 5 acknowledged; window now empty, frame 6 next",
	} {
		if !strings.Contains(texts, s) {
			t.Errorf("trace lacks %q; it has:\n%s", s, texts)
		}
	}
	if diff := cmp.Diff(ARQStats{Sent: 6, Retransmitted: 4, Timeouts: 1, AcksReceived: 5}, l.ends[0].Stats()); diff != "" {
		t.Errorf("sender stats (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(ARQStats{AcksSent: 9, Delivered: 6, OutOfOrder: 3}, l.ends[1].Stats()); diff != "" {
		t.Errorf("receiver stats (-want +got):\n%s", diff)
	}
}

// TestGoBackNWraps sends 300 frames through go-back-N's 256 sequence
// numbers: every one arrives once, in order.
func TestGoBackNWraps(t *testing.T) {
	l := newARQLink(t, ARQConfig{Mode: GoBackN, Window: 127, Timeout: 5 * time.Millisecond}, "a DATA 200 #1", "a DATA 5 #2")
	var want []string
	for i := range 300 {
		p := fmt.Sprint(i)
		l.send(p)
		want = append(want, fmt.Sprintf("%q", p))
	}
	l.env.Run(100000)
	var got []string
	for _, s := range l.log {
		if _, d, ok := strings.Cut(s, " delivers "); ok {
			got = append(got, d)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("deliveries (-want +got):\n%s", diff)
	}
}

// TestARQGivesUp: on a wire that loses everything the sender tries
// MaxRetries times, then declares the link down and discards its frames
// and every later one.
func TestARQGivesUp(t *testing.T) {
	l := newARQLink(t, ARQConfig{Mode: StopAndWait, Timeout: 2 * time.Millisecond, MaxRetries: 2},
		"a DATA 0 #1", "a DATA 0 #2", "a DATA 0 #3")
	l.send("x", "y")
	l.env.Run(100)
	l.send("z")
	want := []string{
		"L2 note: stop-and-wait window full (1 of 1 frames unacknowledged): the next frames wait for an ACK",
		"L2 timer: ARQ timer expired: no ACK for frame 0 within 2ms: retransmitting frame 0 (try 1 of 2)",
		"L2 timer: ARQ timer expired: no ACK for frame 0 within 2ms: retransmitting frame 0 (try 2 of 2)",
		"L2 state: ARQ sender gives up: frame 0 still unacknowledged after 2 retransmissions; the link is declared down",
		"L2 drop: 2 frames of the ARQ sender discarded: the link is down [link-down]",
		"L2 drop: the ARQ sender declared the link down after 2 retransmissions without an ACK: IPv4 frame discarded [link-down]",
	}
	if diff := cmp.Diff(want, l.env.Texts()); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
	if at := l.env.Now(); at != 6*time.Millisecond {
		t.Errorf("gave up at %v, want 6ms (three timeouts of 2 ms)", at)
	}
	if !l.ends[0].Down() || l.ends[0].Stats().Discarded != 3 {
		t.Errorf("down %v, stats %+v", l.ends[0].Down(), l.ends[0].Stats())
	}
}

// TestARQQueueFull: frames beyond the queue bound are dropped with a
// reason.
func TestARQQueueFull(t *testing.T) {
	l := newARQLink(t, ARQConfig{Mode: StopAndWait, Timeout: 3 * time.Millisecond, Queue: 2})
	l.send("1", "2", "3", "4")
	ev := l.env.Find("ARQ queue full")
	if len(ev) != 1 || ev[0].Reason != layers.ReasonQueueFull || ev[0].Dir != layers.Drop {
		t.Fatalf("queue-full drops %+v", ev)
	}
	l.env.Run(100)
	if got := l.ends[1].Stats().Delivered; got != 3 {
		t.Errorf("delivered %d, want 3", got)
	}
}

// TestARQReceiveRefuses checks what the receiver does with frames it
// cannot take: a malformed header and a frame of the other mode.
func TestARQReceiveRefuses(t *testing.T) {
	l := newARQLink(t, ARQConfig{Mode: StopAndWait, Timeout: 3 * time.Millisecond})
	l.ends[1].Receive(Frame{Dst: arqMACB, Src: arqMACA, Type: EtherTypeARQ, Payload: arqData[:4]}, layers.Meta{})
	l.ends[1].Receive(Frame{Dst: arqMACB, Src: arqMACA, Type: EtherTypeARQ, Payload: arqData}, layers.Meta{})
	want := []string{
		"L2 drop: datalink: ARQ header too short: 4 bytes, need 6 [malformed]",
		"L2 drop: ARQ DATA frame in go-back-N mode, but this end runs stop-and-wait: discarded [malformed]",
	}
	if diff := cmp.Diff(want, l.env.Texts()); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
	if l.ends[1].Stats() != (ARQStats{}) || len(l.log) != 0 {
		t.Errorf("stats %+v, log %q", l.ends[1].Stats(), l.log)
	}
}
