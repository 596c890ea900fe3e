package datalink

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/layerstest"
)

var (
	macC  = MAC{0x02, 0x00, 0x00, 0x00, 0x03, 0x0c}
	macD  = MAC{0x02, 0x00, 0x00, 0x00, 0x04, 0x0d}
	mdns  = MAC{0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb}
	group = MAC{0x03, 0x00, 0x00, 0x00, 0x00, 0x01}
)

// TestSwitchConversation runs a 4-port switch with a 10 s ageing time
// through a script: A on port 1, B on port 2, C on port 3, and D behind
// port 1 on the same segment as A (through a hub).
func TestSwitchConversation(t *testing.T) {
	env := layerstest.New("sw1", 1)
	sw := NewSwitch(env, 4, 10*time.Second)
	steps := []struct {
		name     string
		at       time.Duration
		in       int
		src, dst MAC
		want     Decision
		texts    []string
	}{
		{
			name: "A broadcasts an ARP request", at: 0, in: 1, src: macA, dst: Broadcast,
			want: Decision{Out: []int{2, 3, 4}, Flooded: true, Learned: true},
			texts: []string{
				"L2 note: learned 02:00:00:00:01:0a on port 1",
				"L2 note: broadcast: flooded to ports 2, 3, 4",
			},
		},
		{
			name: "B answers A", at: time.Second, in: 2, src: macB, dst: macA,
			want: Decision{Out: []int{1}, Learned: true},
			texts: []string{
				"L2 note: learned 02:00:00:00:02:0b on port 2",
				"L2 note: known destination 02:00:00:00:01:0a on port 1: forwarded to port 1 only",
			},
		},
		{
			name: "A sends to B: nothing new to learn", at: 2 * time.Second, in: 1, src: macA, dst: macB,
			want:  Decision{Out: []int{2}},
			texts: []string{"L2 note: known destination 02:00:00:00:02:0b on port 2: forwarded to port 2 only"},
		},
		{
			name: "A sends to C, not yet seen", at: 3 * time.Second, in: 1, src: macA, dst: macC,
			want:  Decision{Out: []int{2, 3, 4}, Flooded: true},
			texts: []string{"L2 note: unknown destination 02:00:00:00:03:0c: flooded to ports 2, 3, 4"},
		},
		{
			name: "D, beside A on port 1, sends to A: filtered", at: 4 * time.Second, in: 1, src: macD, dst: macA,
			want: Decision{Filtered: true, Learned: true},
			texts: []string{
				"L2 note: learned 02:00:00:00:04:0d on port 1",
				"L2 drop: destination 02:00:00:00:01:0a is on port 1, the port the frame came in on: filtered [filtered]",
			},
		},
		{
			name: "A moves to port 3", at: 5 * time.Second, in: 3, src: macA, dst: macB,
			want: Decision{Out: []int{2}, Learned: true},
			texts: []string{
				"L2 note: moved 02:00:00:00:01:0a from port 1 to port 3",
				"L2 note: known destination 02:00:00:00:02:0b on port 2: forwarded to port 2 only",
			},
		},
		{
			name: "B sends to a multicast group", at: 6 * time.Second, in: 2, src: macB, dst: mdns,
			want:  Decision{Out: []int{1, 3, 4}, Flooded: true},
			texts: []string{"L2 note: multicast 01:00:5e:00:00:fb: flooded to ports 1, 3, 4"},
		},
		{
			name: "a group source address is not learned", at: 7 * time.Second, in: 4, src: group, dst: macA,
			want: Decision{Out: []int{3}},
			texts: []string{
				"L2 note: source 03:00:00:00:00:01 is a group address: not learned",
				"L2 note: known destination 02:00:00:00:01:0a on port 3: forwarded to port 3 only",
			},
		},
		{
			// D was last seen at 4 s: at 14 s its entry is exactly 10 s old
			// and expires; A (5 s) and B (6 s) are still fresh.
			name: "D ages out", at: 14 * time.Second, in: 3, src: macA, dst: macD,
			want: Decision{Out: []int{1, 2, 4}, Flooded: true},
			texts: []string{
				"L2 note: aged out 02:00:00:00:04:0d on port 1: no frame from it for 10s (ageing time 10s)",
				"L2 note: unknown destination 02:00:00:00:04:0d: flooded to ports 1, 2, 4",
			},
		},
		{
			// B was last seen at 6 s and A at 14 s: B expires, A stays.
			name: "B ages out, A is refreshed", at: 20 * time.Second, in: 3, src: macA, dst: macB,
			want: Decision{Out: []int{1, 2, 4}, Flooded: true},
			texts: []string{
				"L2 note: aged out 02:00:00:00:02:0b on port 2: no frame from it for 14s (ageing time 10s)",
				"L2 note: unknown destination 02:00:00:00:02:0b: flooded to ports 1, 2, 4",
			},
		},
		{
			name: "C joins on port 1", at: 25 * time.Second, in: 1, src: macC, dst: Broadcast,
			want: Decision{Out: []int{2, 3, 4}, Flooded: true, Learned: true},
			texts: []string{
				"L2 note: learned 02:00:00:00:03:0c on port 1",
				"L2 note: broadcast: flooded to ports 2, 3, 4",
			},
		},
		{
			// A (last seen at 20 s) and C (25 s) expire together; the trace
			// lists them by port, never in map order.
			name: "A and C age out together", at: 40 * time.Second, in: 4, src: macB, dst: macA,
			want: Decision{Out: []int{1, 2, 3}, Flooded: true, Learned: true},
			texts: []string{
				"L2 note: aged out 02:00:00:00:03:0c on port 1: no frame from it for 15s (ageing time 10s)",
				"L2 note: aged out 02:00:00:00:01:0a on port 3: no frame from it for 20s (ageing time 10s)",
				"L2 note: learned 02:00:00:00:02:0b on port 4",
				"L2 note: unknown destination 02:00:00:00:01:0a: flooded to ports 1, 2, 3",
			},
		},
	}
	for _, st := range steps {
		env.Advance(st.at - env.Now())
		before := len(env.Events)
		got := sw.Forward(st.in, Frame{Src: st.src, Dst: st.dst, Type: EtherTypeIPv4})
		if diff := cmp.Diff(st.want, got); diff != "" {
			t.Errorf("%s: Decision (-want +got):\n%s", st.name, diff)
		}
		texts := env.Texts()[before:]
		if diff := cmp.Diff(st.texts, texts); diff != "" {
			t.Errorf("%s: trace (-want +got):\n%s", st.name, diff)
		}
		for _, ev := range env.Events[before:] {
			if ev.Layer != layers.DataLink {
				t.Errorf("%s: event %q on layer %v", st.name, ev.Text, ev.Layer)
			}
		}
	}
}

func TestSwitchTable(t *testing.T) {
	env := layerstest.New("sw1", 1)
	sw := NewSwitch(env, 3, 0)
	if sw.Ageing() != DefaultAgeing || sw.Ports() != 3 {
		t.Errorf("Ageing() = %v, Ports() = %d; want %v, 3", sw.Ageing(), sw.Ports(), DefaultAgeing)
	}
	if got, want := sw.TableString(), "MAC address table: empty\n"; got != want {
		t.Errorf("TableString() = %q, want %q", got, want)
	}
	sw.Forward(2, Frame{Src: macD, Dst: Broadcast})
	env.Advance(1500 * time.Millisecond)
	sw.Forward(1, Frame{Src: macB, Dst: Broadcast})
	sw.Forward(2, Frame{Src: macC, Dst: Broadcast})
	env.Advance(time.Second)
	sw.Forward(1, Frame{Src: macA, Dst: Broadcast})
	want := []Entry{
		{MAC: macA, Port: 1, Age: 0},
		{MAC: macB, Port: 1, Age: time.Second},
		{MAC: macC, Port: 2, Age: time.Second},
		{MAC: macD, Port: 2, Age: 2500 * time.Millisecond},
	}
	if diff := cmp.Diff(want, sw.Table()); diff != "" {
		t.Errorf("Table (-want +got):\n%s", diff)
	}
	wantString := "" +
		"MAC address        Port  Age\n" +
		"02:00:00:00:01:0a     1  0s\n" +
		"02:00:00:00:02:0b     1  1s\n" +
		"02:00:00:00:03:0c     2  1s\n" +
		"02:00:00:00:04:0d     2  2.5s\n"
	if diff := cmp.Diff(wantString, sw.TableString()); diff != "" {
		t.Errorf("TableString (-want +got):\n%s", diff)
	}
	if p, ok := sw.Lookup(macC); p != 2 || !ok {
		t.Errorf("Lookup(C) = %d, %v; want 2, true", p, ok)
	}
	// Entries past the ageing time disappear from Table and Lookup even
	// before a frame triggers the sweep.
	env.Advance(DefaultAgeing - 2500*time.Millisecond)
	if diff := cmp.Diff([]Entry{
		{MAC: macA, Port: 1, Age: DefaultAgeing - 2500*time.Millisecond},
		{MAC: macB, Port: 1, Age: DefaultAgeing - 1500*time.Millisecond},
		{MAC: macC, Port: 2, Age: DefaultAgeing - 1500*time.Millisecond},
	}, sw.Table()); diff != "" {
		t.Errorf("Table after ageing (-want +got):\n%s", diff)
	}
	if _, ok := sw.Lookup(macD); ok {
		t.Error("Lookup found an aged-out entry")
	}
	if _, ok := sw.Lookup(Broadcast); ok {
		t.Error("Lookup found the broadcast address")
	}
}

func TestSwitchOnePort(t *testing.T) {
	env := layerstest.New("sw1", 1)
	sw := NewSwitch(env, 1, time.Minute)
	got := sw.Forward(1, Frame{Src: macA, Dst: Broadcast})
	if diff := cmp.Diff(Decision{Out: []int{}, Flooded: true, Learned: true}, got); diff != "" {
		t.Errorf("Decision (-want +got):\n%s", diff)
	}
	if texts := env.Texts(); texts[len(texts)-1] != "L2 note: broadcast: flooded to no other port" {
		t.Errorf("trace ends with %q", texts[len(texts)-1])
	}
}

func TestSwitchPanics(t *testing.T) {
	env := layerstest.New("sw1", 1)
	tests := []struct {
		name string
		f    func()
	}{
		{"no ports", func() { NewSwitch(env, 0, 0) }},
		{"port 0", func() { NewSwitch(env, 2, 0).Forward(0, Frame{}) }},
		{"port past the last", func() { NewSwitch(env, 2, 0).Forward(3, Frame{}) }},
	}
	for _, tt := range tests {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: did not panic", tt.name)
				}
			}()
			tt.f()
		}()
	}
}

// quietEnv is an Env that records nothing, as a simulation without a trace.
type quietEnv struct{ *layerstest.Env }

func (quietEnv) Tracing() bool { return false }

func TestSwitchWithoutTrace(t *testing.T) {
	env := quietEnv{layerstest.New("sw1", 1)}
	sw := NewSwitch(env, 2, time.Second)
	sw.Forward(1, Frame{Src: macA, Dst: Broadcast})
	d := sw.Forward(2, Frame{Src: macB, Dst: macA})
	if diff := cmp.Diff(Decision{Out: []int{1}, Learned: true}, d); diff != "" {
		t.Errorf("Decision (-want +got):\n%s", diff)
	}
	if len(env.Events) != 0 {
		t.Errorf("recorded %d events while not tracing", len(env.Events))
	}
}

func BenchmarkSwitchForward(b *testing.B) {
	env := quietEnv{layerstest.New("sw1", 1)}
	sw := NewSwitch(env, 4, 0)
	sw.Forward(2, Frame{Src: macB, Dst: Broadcast})
	f := Frame{Src: macA, Dst: macB}
	b.ReportAllocs()
	for b.Loop() {
		sw.Forward(1, f)
	}
}
