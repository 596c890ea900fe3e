package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/scenarios"
	"github.com/osisim/osisim/sim"
)

// runCapture runs the default scenario and returns its pcapng (or pcap)
// and its JSON trace.
func runCapture(t testing.TB, format sim.CaptureFormat) (capture, trace []byte) {
	t.Helper()
	f, err := scenarios.LoadBundled(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	var c, j bytes.Buffer
	jr := sim.NewJSONRecorder(&j)
	w := sim.NewPcapWriter(&c, sim.PcapOptions{Format: format, Next: jr})
	if _, err := scenarios.Run(f, scenarios.Options{Seed: f.Seed, Recorder: w, Capture: w}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := jr.Flush(); err != nil {
		t.Fatal(err)
	}
	return c.Bytes(), j.Bytes()
}

// decodeFile runs "decode" on data written to a file and returns its
// output and error.
func decodeFile(t *testing.T, data []byte, args ...string) (string, error) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "capture")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	cmd := newDecodeCmd(streams{Out: &out, Err: &errOut})
	cmd.SetArgs(append(args, file))
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.Execute()
	return out.String(), err
}

func TestDecodeText(t *testing.T) {
	for _, format := range []sim.CaptureFormat{sim.PcapNG, sim.Pcap} {
		t.Run(format.String(), func(t *testing.T) {
			data, _ := runCapture(t, format)
			out, err := decodeFile(t, data)
			if err != nil {
				t.Fatal(err)
			}
			// The first frame is the client's ARP request, the sixth its
			// SYN; a later one carries the USER command.
			for _, want := range []string{
				"\n1. frame 1: 64 B",
				"  0.000000  ",
				"L2 Data link        02:00:00:00:01:0a > ff:ff:ff:ff:ff:ff type ARP, 60 B + FCS 4 B\n",
				"L3 Network          ARP request: who has 10.0.1.1? tell 10.0.1.10\n",
				"L4 Transport        TCP ",
				" > 110 [SYN] seq=",
				"L7 Application      POP3 command \"USER student\" (14 B with CRLF)\n",
				"L7 Application      POP3 reply +OK ",
				"of the multi-line body (byte-stuffed, RFC 1939 section 3)",
				"\nSummary: 118 frames in the " + format.String() + " file\n",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("the decode lacks %q", want)
				}
			}
			if format == sim.PcapNG && !strings.Contains(out, "on client.eth0 -> sw1.1\n  0.000000  client    L2 Data link") {
				t.Errorf("a pcapng decode names the interface and its node:\n%s", out[:min(len(out), 600)])
			}
			if strings.Contains(out, "DROP") {
				t.Errorf("a frame of a simulated run did not decode:\n%s", out)
			}
		})
	}
}

// jsonEvent is the part of a JSON trace line the tests read.
type jsonEvent struct {
	Seq     uint64 `json:"seq"`
	Node    string `json:"node"`
	Layer   int    `json:"layer"`
	Dir     string `json:"dir"`
	Text    string `json:"text"`
	Chapter string `json:"chapter"`
	PDU     *struct {
		Kind    string         `json:"kind"`
		ID      uint64         `json:"id"`
		Parents []uint64       `json:"parents"`
		Fields  []layers.Field `json:"fields"`
		Bytes   string         `json:"bytes"`
	} `json:"pdu"`
}

func readJSON(t *testing.T, b []byte) []jsonEvent {
	t.Helper()
	var out []jsonEvent
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var e jsonEvent
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("%q: %v", sc.Text(), err)
		}
		out = append(out, e)
	}
	return out
}

// TestDecodeJSONAgreesWithTheRun decodes the capture of a run as JSON
// lines and checks, frame by frame, that the decode reports the same
// header fields for the frame and the datagram or ARP packet in it as the
// run's own trace.
func TestDecodeJSONAgreesWithTheRun(t *testing.T) {
	data, trace := runCapture(t, sim.PcapNG)
	out, err := decodeFile(t, data, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[uint64]jsonEvent{}
	for _, e := range readJSON(t, trace) {
		if e.PDU != nil && e.PDU.ID != 0 && len(e.PDU.Fields) > 0 {
			if _, ok := byID[e.PDU.ID]; !ok {
				byID[e.PDU.ID] = e
			}
		}
	}
	events := readJSON(t, []byte(out))
	frames := 0
	for i := 0; i < len(events); {
		// One chapter per frame: the frame, what it carries, the comments.
		j := i + 1
		for j < len(events) && events[j].Chapter == "" {
			j++
		}
		frame := events[i:j]
		i = j
		frames++
		var id uint64
		for _, e := range frame {
			if rest, ok := strings.CutPrefix(e.Text, "capture comment: "+sim.CommentPrefix); ok {
				n, _, _ := strings.Cut(rest, ":")
				id, _ = strconv.ParseUint(n, 10, 64)
			}
		}
		run, ok := byID[id]
		if !ok {
			t.Fatalf("%s: no pdu id in the comments", frame[0].Chapter)
		}
		if diff := cmp.Diff(run.PDU.Fields, frame[0].PDU.Fields); diff != "" {
			t.Errorf("%s: data link fields (-run +decode):\n%s", frame[0].Chapter, diff)
		}
		if l3, ok := byID[run.PDU.Parents[0]]; ok && len(frame) > 1 && frame[1].PDU != nil {
			if diff := cmp.Diff(l3.PDU.Fields, frame[1].PDU.Fields); diff != "" {
				t.Errorf("%s: network fields (-run +decode):\n%s", frame[0].Chapter, diff)
			}
			if frame[0].PDU.Parents[0] != frame[1].PDU.ID {
				t.Errorf("%s: the frame's parent is %v, the datagram's id %d", frame[0].Chapter, frame[0].PDU.Parents, frame[1].PDU.ID)
			}
		} else {
			t.Errorf("%s: the decode shows nothing inside the frame", frame[0].Chapter)
		}
	}
	if frames != 118 {
		t.Errorf("%d frames decoded, want 118", frames)
	}
}

// pcapFile builds a classic pcap (microsecond, little-endian) with link
// type lt and the given frames.
func pcapFile(lt uint32, frames ...[]byte) []byte {
	b := binary.LittleEndian.AppendUint32(nil, 0xa1b2c3d4)
	b = binary.LittleEndian.AppendUint16(b, 2)
	b = binary.LittleEndian.AppendUint16(b, 4)
	b = append(b, make([]byte, 8)...)
	b = binary.LittleEndian.AppendUint32(b, 65535)
	b = binary.LittleEndian.AppendUint32(b, lt)
	for i, f := range frames {
		b = binary.LittleEndian.AppendUint32(b, 1700000000+uint32(i))
		b = binary.LittleEndian.AppendUint32(b, 0)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(f)))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(f)))
		b = append(b, f...)
	}
	return b
}

func mustHex(s string) []byte {
	var b []byte
	for _, f := range strings.Fields(s) {
		for i := 0; i+1 < len(f); i += 2 {
			n, _ := strconv.ParseUint(f[i:i+2], 16, 8)
			b = append(b, byte(n))
		}
	}
	return b
}

// withFCS appends the CRC-32 of f, least significant octet first.
func withFCS(f []byte) []byte {
	return binary.LittleEndian.AppendUint32(append([]byte(nil), f...), crc32.ChecksumIEEE(f))
}

// Fixture frames, without FCS as most captures hold them.
var (
	// 02:00:00:00:01:0a > ff:ff:ff:ff:ff:ff ARP request: who has 10.0.1.1?
	// tell 10.0.1.10 (42 octets: captured on the sender, before padding).
	arpRequest = mustHex(`ffffffffffff 02000000010a 0806
		0001 0800 06 04 0001 02000000010a 0a00010a 000000000000 0a000101`)
	// 10.0.1.10 > 10.0.2.110 TCP 49152 > 110 [PSH, ACK] "RETR 1\r\n".
	retr = mustHex(`020000000101 02000000010a 0800
		4500 0030 1234 4000 40 06 0000 0a00010a 0a00026e
		c000 006e 00000001 00000002 5018 ffff 0000 0000 52455452 20310d0a`)
)

// fixChecksums fills in the IPv4 and TCP checksums of a frame without FCS.
func fixChecksums(f []byte) []byte {
	f = append([]byte(nil), f...)
	ip := f[14:34]
	binary.BigEndian.PutUint16(ip[10:], ^fold(sum16(ip)))
	seg := f[34:]
	pseudo := append(append(append([]byte(nil), ip[12:20]...), 0, 6), byte(len(seg)>>8), byte(len(seg)))
	binary.BigEndian.PutUint16(seg[16:], ^fold(sum16(pseudo)+sum16(seg)))
	return f
}

func sum16(b []byte) uint32 {
	var s uint32
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		s += uint32(b[len(b)-1]) << 8
	}
	return s
}

func fold(s uint32) uint16 {
	for s > 0xffff {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}

// TestDecodeFrames decodes single frames from a pcap and checks the lines
// (layer, direction and text) that each gives.
func TestDecodeFrames(t *testing.T) {
	good := fixChecksums(retr)
	badIP := append([]byte(nil), good...)
	badIP[24] ^= 0xff
	badTCP := append([]byte(nil), good...)
	badTCP[len(badTCP)-1] = 'X'
	badFCS := withFCS(append(append([]byte(nil), arpRequest...), make([]byte, 18)...))
	badFCS[len(badFCS)-1] ^= 1
	tests := []struct {
		name  string
		frame []byte
		want  []string
	}{
		{"ARP without FCS", arpRequest, []string{
			"2 up 02:00:00:00:01:0a > ff:ff:ff:ff:ff:ff type ARP, 42 B (no FCS in the capture)",
			"3 up ARP request: who has 10.0.1.1? tell 10.0.1.10",
		}},
		{"ARP padded with FCS", withFCS(append(append([]byte(nil), arpRequest...), make([]byte, 18)...)), []string{
			"2 up 02:00:00:00:01:0a > ff:ff:ff:ff:ff:ff type ARP, 60 B + FCS 4 B",
			"3 up ARP request: who has 10.0.1.1? tell 10.0.1.10",
		}},
		{"FCS mismatch, FCS unknown", badFCS, []string{
			// The last four octets are not a CRC of the rest: taken as data.
			"2 up 02:00:00:00:01:0a > ff:ff:ff:ff:ff:ff type ARP, 64 B (no FCS in the capture)",
			"3 up ARP request: who has 10.0.1.1? tell 10.0.1.10",
		}},
		{"FCS mismatch, FCS in the header", badFCS, []string{
			"2 up 02:00:00:00:01:0a > ff:ff:ff:ff:ff:ff type ARP, 60 B + FCS 4 B",
			"2 drop fcs-mismatch datalink: FCS mismatch: ",
		}},
		{"POP3 command", good, []string{
			"2 up 02:00:00:00:01:0a > 02:00:00:00:01:01 type IPv4, 62 B (no FCS in the capture)",
			"3 up IPv4 10.0.1.10 > 10.0.2.110 TCP ttl=64 id=0x1234 len=48",
			"4 up TCP 49152 > 110 [PSH, ACK] seq=1 ack=2 win=65535 len=8",
			"7 up POP3 command \"RETR 1\" (8 B with CRLF)",
		}},
		{"IPv4 checksum", badIP, []string{
			"2 up 02:00:00:00:01:0a > 02:00:00:00:01:01 type IPv4, 62 B (no FCS in the capture)",
			"3 drop bad-checksum network: ",
		}},
		{"TCP checksum", badTCP, []string{
			"2 up 02:00:00:00:01:0a > 02:00:00:00:01:01 type IPv4, 62 B (no FCS in the capture)",
			"3 up IPv4 10.0.1.10 > 10.0.2.110 TCP ttl=64 id=0x1234 len=48",
			"4 up TCP 49152 > 110 [PSH, ACK] seq=1 ack=2 win=65535 len=8",
			"4 drop bad-checksum transport: checksum mismatch",
			"7 note 8 B of a command line that continues in the next segment",
		}},
		{"short", arpRequest[:10], []string{"2 drop malformed datalink: frame too short: 10 bytes, need at least 14"}},
		{"IPv6", append(mustHex("020000000101 02000000010a 86dd"), make([]byte, 40)...), []string{
			"2 up 02:00:00:00:01:0a > 02:00:00:00:01:01 type 0x86dd, 54 B (no FCS in the capture)",
			"3 note EtherType 0x86dd: osisim decodes IPv4, ARP and RARP only",
		}},
		{"802.3 length", append(mustHex("020000000101 02000000010a 0026"), make([]byte, 38)...), []string{
			"2 up 02:00:00:00:01:0a > 02:00:00:00:01:01 type 0x0026, 52 B (no FCS in the capture)",
			"2 note the type field 38 is an IEEE 802.3 length (an LLC frame): not decoded",
		}},
		{"truncated IPv4", good[:30], []string{
			"2 up 02:00:00:00:01:0a > 02:00:00:00:01:01 type IPv4, 30 B (no FCS in the capture)",
			"3 drop malformed network: datagram too short: 16 bytes, need at least 20",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec collect
			lt := uint32(1) // LINKTYPE_ETHERNET
			if strings.HasSuffix(tt.name, "FCS in the header") {
				lt = 0x24000001 // with 2 16-bit words of FCS
			}
			if _, err := decodeCapture(bytes.NewReader(pcapFile(lt, tt.frame)), &rec, layers.EN); err != nil {
				t.Fatal(err)
			}
			if len(rec) != len(tt.want) {
				t.Fatalf("got %d lines, want %d:\n%s", len(rec), len(tt.want), strings.Join(rec, "\n"))
			}
			for i := range rec {
				if !strings.HasPrefix(rec[i], tt.want[i]) {
					t.Errorf("line %d:\n got %s\nwant %s...", i+1, rec[i], tt.want[i])
				}
			}
		})
	}
}

// collect keeps "layer dir [reason] text" of every event.
type collect []string

func (c *collect) Record(e *layers.Event) {
	s := strconv.Itoa(int(e.Layer)) + " " + e.Dir.String() + " "
	if e.Reason != "" {
		s += string(e.Reason) + " "
	}
	*c = append(*c, s+e.Text)
}

func TestDecodeErrors(t *testing.T) {
	pcapng, _ := runCapture(t, sim.PcapNG)
	classic := pcapFile(1, arpRequest, arpRequest)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not a capture file: 0 bytes"},
		{"text", []byte("From: someone\r\n\r\nnot a capture at all\r\n"), "not a pcap or pcapng file"},
		{"pcap cut in a record", classic[:len(classic)-5], "pcap frame 2: the file ends inside a record: 53 octets after the last whole frame"},
		{"pcap cut in a record header", classic[:24+16+42+7], "pcap frame 2: the file ends inside a record: 7 octets"},
		{"pcapng cut", pcapng[:len(pcapng)/2], "pcapng frame "},
		{"pcap of another link type", pcapFile(105, arpRequest), "pcap: link type 105"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeFile(t, tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// FuzzDecodeCapture feeds the capture reader and the decoder anything: no
// panic, no hang, and a file that reads decodes every frame it holds.
func FuzzDecodeCapture(f *testing.F) {
	pcapng, _ := runCapture(f, sim.PcapNG)
	classic, _ := runCapture(f, sim.Pcap)
	f.Add(pcapng[:4096])
	f.Add(classic[:2048])
	f.Add(pcapFile(1, arpRequest, fixChecksums(retr)))
	f.Add(pcapFile(1, withFCS(append(append([]byte(nil), arpRequest...), make([]byte, 18)...))))
	f.Add([]byte{0x0a, 0x0d, 0x0d, 0x0a})
	f.Fuzz(func(t *testing.T, data []byte) {
		text := sim.NewTextRecorder(io.Discard, sim.TextOptions{All: true})
		var rec collect
		sum, err := decodeCapture(bytes.NewReader(data), teeRecorder{text, &rec}, layers.EN)
		if err != nil {
			return
		}
		if !strings.HasPrefix(sum, "Summary: ") {
			t.Fatalf("summary %q", sum)
		}
		if err := text.Flush(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestDecodeChinese decodes a capture of the default lesson under --lang
// zh: the chapters, the notes and the summary are Chinese; only the
// capture's own octets (its comments, POP3's reply texts) stay as they are.
func TestDecodeChinese(t *testing.T) {
	file := filepath.Join(t.TempDir(), "run.pcapng")
	if code, _, errOut := run(t, "run", "-f", "pcapng", "-o", file); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errOut)
	}
	code, out, errOut := run(t, "--lang", "zh", "decode", file)
	if code != 0 {
		t.Fatalf("decode: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"模型 OSI-7", "1. 第 1 帧：64 B，在 client.eth0 -> sw1.1 上", "L2 数据链路层", "小结：共 118 帧（pcapng 文件）"} {
		if !strings.Contains(out, want) {
			t.Errorf("the Chinese decode does not say %q", want)
		}
	}
	english := regexp.MustCompile(`\b[a-z]+(?: [a-z]+){2,}\b`)
	for _, line := range strings.Split(out, "\n") {
		// The capture's comments and POP3's reply lines are octets of the
		// file, shown as they are.
		for _, quote := range []string{"抓包注释：", "+OK", "-ERR"} {
			line, _, _ = strings.Cut(line, quote)
		}
		if m := english.FindString(line); m != "" {
			t.Errorf("English %q in the Chinese decode: %s", m, line)
		}
	}
}
