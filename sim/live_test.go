package sim_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"io"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/physical"
	"github.com/osisim/osisim/sim"
)

// fakeTAP is a TAP file descriptor in memory: the test writes what the
// kernel would write (in), and reads what the simulation wrote (out).
type fakeTAP struct {
	in  chan []byte
	out [][]byte
	err error // returned by Read once in is closed
}

func newFakeTAP() *fakeTAP { return &fakeTAP{in: make(chan []byte, 8)} }

func (f *fakeTAP) Read(b []byte) (int, error) {
	p, ok := <-f.in
	if !ok {
		if f.err != nil {
			return 0, f.err
		}
		return 0, io.EOF
	}
	return copy(b, p), nil
}

func (f *fakeTAP) Write(b []byte) (int, error) {
	f.out = append(f.out, append([]byte(nil), b...))
	return len(b), nil
}

var (
	kernelMAC = datalink.MAC{0x06, 0x95, 0x40, 0xed, 0x1b, 0x96}
	hostMAC   = datalink.MAC{0x02, 0x00, 0x00, 0x00, 0x99, 0x02}
)

// arpRequest is what the kernel writes to a TAP to ask who has 10.99.0.2:
// 42 octets, no padding, no FCS (tcpdump: "ARP, Request who-has 10.99.0.2
// tell 10.99.0.1, length 28"). Its FCS, the CRC-32 of the 60 padded octets, is
// 0x1d3d8994 (zlib.crc32 in Python agrees).
var arpRequest, _ = hex.DecodeString("ffffffffffff" + "069540ed1b96" + "0806" +
	"0001" + "0800" + "06" + "04" + "0001" + "069540ed1b96" + "0a630001" + "000000000000" + "0a630002")

// liveNet is a simulated host joined to a fake TAP.
func liveNet(t *testing.T, faults sim.Faults) (*sim.Sim, *sim.TAP, *fakeTAP, *events) {
	t.Helper()
	rec := &events{}
	s := sim.New(1, rec)
	h, err := s.AddHost("osisim", sim.HostConfig{Interfaces: []sim.Interface{{Name: "eth0", MAC: hostMAC,
		Addr: netip.MustParsePrefix("10.99.0.2/24")}}})
	if err != nil {
		t.Fatal(err)
	}
	f := newFakeTAP()
	tap := sim.NewTAP(sim.TAPConfig{Name: "kernel", Device: "tap0", MAC: kernelMAC, IO: f})
	l, err := s.Connect(tap.Ports()[0], h.Ports()[0], sim.LinkConfig{BitRate: 100_000_000, Delay: 10 * time.Microsecond, Code: physical.NRZ})
	if err != nil {
		t.Fatal(err)
	}
	if !faults.IsZero() {
		if err := l.SetFaults(h.Ports()[0], faults); err != nil {
			t.Fatal(err)
		}
	}
	return s, tap, f, rec
}

// texts returns the texts of the events recorded with message id msg.
func (r *events) texts(msg string) []string {
	var out []string
	for _, e := range r.list {
		if e.Msg == msg {
			out = append(out, e.Text)
		}
	}
	return out
}

func TestTAPAnswersARP(t *testing.T) {
	s, tap, f, rec := liveNet(t, sim.Faults{})
	f.in <- arpRequest
	err := s.RunLive(context.Background(), sim.LiveOptions{TAPs: []*sim.TAP{tap}, Limit: 5 * time.Second,
		Until: func() bool { return len(f.out) > 0 }})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.out) != 1 {
		t.Fatalf("the kernel got %d frames, want 1 (the ARP reply)", len(f.out))
	}
	// The reply as the kernel reads it: 60 octets (42 and the padding to
	// the minimum frame), the FCS stripped.
	want, _ := hex.DecodeString("069540ed1b96" + "020000009902" + "0806" +
		"0001" + "0800" + "06" + "04" + "0002" + "020000009902" + "0a630002" + "069540ed1b96" + "0a630001" +
		strings.Repeat("00", 18))
	if diff := cmp.Diff(want, f.out[0]); diff != "" {
		t.Errorf("ARP reply to the kernel (-want +got):\n%s", diff)
	}
	wantTexts := map[string][]string{
		"l2.tap.in":  {"the real kernel wrote 42 B to tap0: padded to 60 B and FCS 1d3d8994 appended (a TAP carries frames without FCS)"},
		"l2.tap.out": {"FCS ok and stripped (a TAP carries frames without FCS): 60 B written to tap0 for the real kernel"},
	}
	for msg, want := range wantTexts {
		if diff := cmp.Diff(want, rec.texts(msg)); diff != "" {
			t.Errorf("%s events (-want +got):\n%s", msg, diff)
		}
	}
	if to, from := tap.Counts(); to != 1 || from != 1 {
		t.Errorf("Counts() = %d to the kernel, %d from it; want 1 and 1", to, from)
	}
}

func TestTAPDropsBadFCS(t *testing.T) {
	// Nearly every frame from the host is corrupted on the wire: the TAP
	// drops it as a NIC would, and the kernel sees nothing.
	s, tap, f, rec := liveNet(t, sim.Faults{BER: 0.2})
	f.in <- arpRequest
	if err := s.RunLive(context.Background(), sim.LiveOptions{TAPs: []*sim.TAP{tap}, Limit: 100 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if len(f.out) != 0 {
		t.Errorf("the kernel got %d frames, want none", len(f.out))
	}
	drops := rec.find(func(e *layers.Event) bool {
		return e.Node == "kernel" && e.Dir == layers.Drop && (e.Reason == layers.ReasonFCS || e.Reason == layers.ReasonLineCode)
	})
	if len(drops) != 1 {
		t.Errorf("the TAP dropped %d frames for their FCS or line code, want 1", len(drops))
	}
}

func TestTAPShortFrame(t *testing.T) {
	s, tap, f, rec := liveNet(t, sim.Faults{})
	f.in <- arpRequest[:10]
	if err := s.RunLive(context.Background(), sim.LiveOptions{TAPs: []*sim.TAP{tap}, Limit: 50 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	want := []string{"the kernel wrote a 10 B frame to tap0: shorter than an Ethernet header (14 B)"}
	if diff := cmp.Diff(want, rec.texts("l2.tap.short")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestRunLiveEnds(t *testing.T) {
	t.Run("the TAP fails", func(t *testing.T) {
		s, tap, f, _ := liveNet(t, sim.Faults{})
		f.err = errors.New("input/output error")
		close(f.in)
		err := s.RunLive(context.Background(), sim.LiveOptions{TAPs: []*sim.TAP{tap}, Limit: 5 * time.Second})
		if err == nil || err.Error() != "sim: reading TAP tap0: input/output error" {
			t.Errorf("RunLive = %v, want the read error", err)
		}
	})
	t.Run("the context is done", func(t *testing.T) {
		s, tap, _, _ := liveNet(t, sim.Faults{})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := s.RunLive(ctx, sim.LiveOptions{TAPs: []*sim.TAP{tap}}); err != nil {
			t.Errorf("RunLive = %v, want nil", err)
		}
	})
	t.Run("simulated time follows the clock", func(t *testing.T) {
		s, tap, _, _ := liveNet(t, sim.Faults{})
		var now time.Duration
		var fired []time.Duration
		for _, at := range []time.Duration{30 * time.Millisecond, 10 * time.Millisecond} {
			s.At(at, func() { fired = append(fired, s.Now()) })
		}
		// A clock that moves 10 ms each time the loop reads it.
		clock := func() time.Duration { now += 10 * time.Millisecond; return now }
		err := s.RunLive(context.Background(), sim.LiveOptions{TAPs: []*sim.TAP{tap}, Clock: clock, Limit: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]time.Duration{10 * time.Millisecond, 30 * time.Millisecond}, fired); diff != "" {
			t.Errorf("events ran at (-want +got):\n%s", diff)
		}
		if s.Now() < 50*time.Millisecond {
			t.Errorf("Now() = %v after the run, want at least the 50 ms limit", s.Now())
		}
	})
}

func TestTAPErrorText(t *testing.T) {
	_, err := sim.OpenTAP(sim.TAPOpenOptions{Name: "tap9", Path: "/nonexistent/tun"})
	var te *sim.TAPError
	if !errors.As(err, &te) {
		t.Fatalf("OpenTAP = %v, want a *sim.TAPError", err)
	}
	if !bytes.Contains([]byte(err.Error()), []byte("missing: ")) || te.Hint == "" {
		t.Errorf("the error does not say what is missing and how to run it:\n%v", err)
	}
}
