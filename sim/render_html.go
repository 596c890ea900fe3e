package sim

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/physical"
)

// The step-through viewer: a run as one self-contained HTML page. The page
// holds its scripts, styles and data; it makes no network request.

//go:embed viewer/viewer.html
var viewerHTML string

//go:embed viewer/viewer.css
var viewerCSS string

//go:embed viewer/viewer.js
var viewerJS string

// HTMLDataVersion is the version of the data embedded in the viewer page.
const HTMLDataVersion = 1

// HTMLMeta describes the run for the page's title bar.
type HTMLMeta struct {
	Scenario string // the scenario's name
	Title    string // its title in English
	TitleZH  string // its title in Chinese, if any
	Seed     uint64
	Summary  string // the run's summary line(s)
	// SummaryZH is the summary in Chinese, if it differs.
	SummaryZH string
	// Lang is the language the page opens in (the run's --lang).
	Lang layers.Lang
}

// HTMLRecorder keeps a run's events for the step-through viewer. Unlike the
// other recorders it holds the whole trace until WriteHTML: the page is
// written after the run, with the network's topology.
type HTMLRecorder struct {
	events  []htmlEvent
	blobs   []htmlBlob
	byBytes map[string]int // octets -> index in blobs
}

// NewHTMLRecorder returns an empty recorder.
func NewHTMLRecorder() *HTMLRecorder {
	return &HTMLRecorder{byBytes: map[string]int{}}
}

// htmlEvent is an event of docs/trace-format.md (schema v1) with two
// differences that keep the page small: the per-event "models" object is
// left out (the page holds the model table once), and the PDU's "bytes" are
// replaced by "blob", an index into the page's table of distinct byte
// strings. The keys after "pdu" exist only in the page.
type htmlEvent struct {
	Seq     uint64 `json:"seq"`
	TimeNS  int64  `json:"t_ns"`
	Node    string `json:"node"`
	Iface   string `json:"iface,omitempty"`
	Layer   int    `json:"layer"`
	Dir     string `json:"dir"`
	Text    string `json:"text"`
	Reason  string `json:"reason,omitempty"`
	Cause   string `json:"cause,omitempty"`
	Peer    string `json:"peer,omitempty"`
	Chapter string `json:"chapter,omitempty"`
	// TextZH and ChapterZH are Text and Chapter in Chinese, when they
	// differ from the English.
	TextZH    string   `json:"text_zh,omitempty"`
	ChapterZH string   `json:"chapter_zh,omitempty"`
	PDU       *htmlPDU `json:"pdu,omitempty"`
	// Mark classifies what the timeline marks: drop, retransmit, timeout,
	// dupack (a duplicate acknowledgment) or fault (a link fault that did
	// not lose the frame).
	Mark string `json:"mark,omitempty"`
	// Pass numbers what one node did with one PDU: the events of a node
	// linked by PDU identities, and the events that follow them at the
	// same node and instant (a reply, a state change).
	Pass int `json:"pass"`
	// Side is "in" for the receiving half of a pass (decapsulation) and
	// "out" for the sending half.
	Side string `json:"side"`
}

type htmlPDU struct {
	Kind      string         `json:"kind"`
	ID        uint64         `json:"id,omitempty"`
	Parents   []uint64       `json:"parents,omitempty"`
	Len       int            `json:"len"`
	HeaderLen int            `json:"header_len"`
	Summary   string         `json:"summary"`
	SummaryZH string         `json:"summary_zh,omitempty"` // the summary in Chinese, when it differs
	Fields    []layers.Field `json:"fields,omitempty"`
	// Blob is 1 + the index of the octets the viewer shows for this PDU:
	// its own, or, when the event carries none (bits on a wire, a datagram
	// handed up), those of the frame or PDU it belongs to (Borrowed).
	Blob     int  `json:"blob,omitempty"`
	Borrowed bool `json:"borrowed,omitempty"`
	// Sect is 1 + the index of this PDU's own section in the blob's
	// layout; 0 when it has none (the bits of a frame).
	Sect int `json:"sect,omitempty"`
}

// htmlBlob is one distinct byte string and its layout: the headers nested in
// it with the bit offset and length of every field.
type htmlBlob struct {
	Base64   string        `json:"b64"`
	Sections []htmlSection `json:"sections"`
}

// htmlSection is one header (or payload) inside a blob.
type htmlSection struct {
	Name   string      `json:"name"`
	Kind   string      `json:"kind"` // the PDU kind the section is ("ethernet", "tcp", "data")
	Layer  int         `json:"layer"`
	Fields []htmlField `json:"fields"`
}

// htmlField is a field of a section: its bit offset and length in the
// blob. Value is empty for the fields of the blob's own PDU, which the
// event's fields give. It is written as an array, [name, offset, length]
// or [name, offset, length, value], to keep the page small.
type htmlField struct {
	Name  string
	Value string
	Off   int
	Len   int
}

// MarshalJSON writes the field as an array.
func (f htmlField) MarshalJSON() ([]byte, error) {
	if f.Value == "" {
		return json.Marshal([]any{f.Name, f.Off, f.Len})
	}
	return json.Marshal([]any{f.Name, f.Off, f.Len, f.Value})
}

// Record implements layers.Recorder.
func (r *HTMLRecorder) Record(e *layers.Event) {
	he := htmlEvent{
		Seq: e.Seq, TimeNS: int64(e.Time), Node: e.Node, Iface: e.Iface, Layer: int(e.Layer),
		Dir: e.Dir.String(), Text: e.Text, Reason: string(e.Reason), Cause: e.Cause, Peer: e.Peer,
		Chapter: e.Chapter,
	}
	if zh := EventText(layers.ZH, e); zh != e.Text {
		he.TextZH = zh
	}
	if zh := ChapterText(layers.ZH, e); zh != e.Chapter {
		he.ChapterZH = zh
	}
	if p := e.PDU; p != nil {
		he.PDU = &htmlPDU{Kind: p.Kind, ID: p.ID, Parents: append([]uint64(nil), p.Parents...), Len: p.Len,
			HeaderLen: p.HeaderLen, Summary: p.Summary, Fields: append([]layers.Field(nil), p.Fields...)}
		if zh := SummaryText(layers.ZH, p.Kind, p.Summary); zh != p.Summary {
			he.PDU.SummaryZH = zh
		}
		if len(p.Bytes) > 0 {
			i, ok := r.byBytes[string(p.Bytes)]
			if !ok {
				i = len(r.blobs)
				r.byBytes[string(p.Bytes)] = i
				r.blobs = append(r.blobs, htmlBlob{
					Base64:   base64.StdEncoding.EncodeToString(p.Bytes),
					Sections: layoutPDU(p.Kind, e.Layer, p.Bytes),
				})
			}
			he.PDU.Blob, he.PDU.Sect = i+1, 1
		}
	}
	he.Mark = markOf(e)
	r.events = append(r.events, he)
}

// markOf says what the timeline marks an event as, if anything.
func markOf(e *layers.Event) string {
	switch {
	case e.Dir == layers.Drop:
		return "drop"
	case e.Dir == layers.Timeout:
		return "timeout"
	case e.Layer == layers.Transport && e.Dir == layers.Down &&
		(strings.HasPrefix(e.Cause, "RTO") || strings.HasPrefix(e.Cause, "fast retransmit")):
		return "retransmit"
	case e.Layer == layers.Transport && strings.Contains(e.Cause, "duplicate ACK"):
		return "dupack"
	case e.Layer == layers.Physical && e.Dir == layers.Note && e.Cause != "":
		return "fault"
	}
	return ""
}

// Len returns how many events the recorder holds.
func (r *HTMLRecorder) Len() int { return len(r.events) }

// htmlModel is one model of the page's model table: its layers from the
// bottom up and, for every OSI layer 1 to 7, the number of the model's
// layer it belongs to.
type htmlModel struct {
	ID     string           `json:"id"`
	Name   string           `json:"name"`
	Layers []jsonModelLayer `json:"layers"`
	Map    [8]int           `json:"map"`
}

// htmlOSILayer is an OSI layer's names and PDU names in both languages.
type htmlOSILayer struct {
	N     int    `json:"n"`
	Name  string `json:"name"`
	ZH    string `json:"zh"`
	PDU   string `json:"pdu"`
	PDUZH string `json:"pdu_zh"`
}

type htmlScenario struct {
	Name      string `json:"name"`
	Title     string `json:"title"`
	TitleZH   string `json:"title_zh,omitempty"`
	Seed      uint64 `json:"seed"`
	Summary   string `json:"summary,omitempty"`
	SummaryZH string `json:"summary_zh,omitempty"`
	Lang      string `json:"lang,omitempty"` // the language the page opens in: "zh", or English
}

// htmlData is everything the page shows.
type htmlData struct {
	V        int            `json:"v"`
	Trace    int            `json:"trace_schema"`
	Scenario htmlScenario   `json:"scenario"`
	OSI      []htmlOSILayer `json:"osi"`
	Models   []htmlModel    `json:"models"`
	Topology htmlTopology   `json:"topology"`
	Events   []htmlEvent    `json:"events"`
	Blobs    []htmlBlob     `json:"blobs"`
}

// Data returns the page's embedded data as JSON: the run's events, the
// topology of s (nil: the nodes named in the events, unconnected), the
// layer and model tables, and the distinct byte strings with their layouts.
// Events are written one per line, and blobs too, so that the data diffs
// well.
func (r *HTMLRecorder) Data(s *Sim, meta HTMLMeta) ([]byte, error) {
	r.link()
	d := htmlData{
		V: HTMLDataVersion, Trace: JSONSchemaVersion,
		Scenario: htmlScenario{Name: meta.Scenario, Title: meta.Title, TitleZH: meta.TitleZH, Seed: meta.Seed, Summary: meta.Summary, SummaryZH: meta.SummaryZH, Lang: htmlLang(meta.Lang)},
		Topology: topologyOf(s, r.events),
	}
	for _, l := range layers.All {
		d.OSI = append(d.OSI, htmlOSILayer{N: int(l), Name: l.Name(layers.EN), ZH: l.Name(layers.ZH),
			PDU: l.PDUName(layers.EN), PDUZH: l.PDUName(layers.ZH)})
	}
	for _, m := range layers.Models {
		hm := htmlModel{ID: m.ID(), Name: m.String()}
		for _, ml := range m.Layers() {
			hm.Layers = append(hm.Layers, jsonModelLayer{N: ml.Number, Name: ml.EN, ZH: ml.ZH})
		}
		for _, l := range layers.All {
			hm.Map[l] = m.Map(l).Number
		}
		d.Models = append(d.Models, hm)
	}
	var b bytes.Buffer
	b.Grow(len(r.events)*400 + len(r.blobs)*600)
	head := d
	head.Events, head.Blobs = nil, nil
	hb, err := json.Marshal(head)
	if err != nil {
		return nil, err
	}
	// The head's closing brace gives way to the events and blobs, one
	// per line.
	b.Write(bytes.TrimSuffix(hb, []byte("}")))
	writeLines := func(key string, n int, item func(i int) any) error {
		fmt.Fprintf(&b, ",\n%q:[", key)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
			ib, err := json.Marshal(item(i))
			if err != nil {
				return err
			}
			b.Write(ib)
		}
		b.WriteString("\n]")
		return nil
	}
	if err := writeLines("events", len(r.events), func(i int) any { return &r.events[i] }); err != nil {
		return nil, err
	}
	if err := writeLines("blobs", len(r.blobs), func(i int) any { return &r.blobs[i] }); err != nil {
		return nil, err
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

// WriteHTML writes the viewer page: one HTML file with its styles, script
// and data inside.
func (r *HTMLRecorder) WriteHTML(w io.Writer, s *Sim, meta HTMLMeta) error {
	data, err := r.Data(s, meta)
	if err != nil {
		return err
	}
	title := meta.Scenario
	if meta.Title != "" {
		title += ": " + meta.Title
	}
	// encoding/json escapes <, > and & in strings, so the data cannot
	// close its script element; the page's own assets never contain
	// "</" followed by "script" or "style".
	page := strings.NewReplacer(
		"{{TITLE}}", htmlEscape(title),
		"/*{{CSS}}*/", viewerCSS,
		"/*{{JS}}*/", viewerJS,
		"{{DATA}}", string(data),
	).Replace(viewerHTML)
	_, err = io.WriteString(w, page)
	return err
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// link groups the events into passes, gives each event its side, and lends
// the octets of a related event to the PDUs that carry none.
func (r *HTMLRecorder) link() {
	n := len(r.events)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(i int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra == rb {
			return
		}
		if ra < rb {
			parent[rb] = ra
		} else {
			parent[ra] = rb
		}
	}
	type key struct {
		node string
		id   uint64
	}
	lastByID := map[key]int{} // the last event of a node about a PDU id
	lastBlob := map[key]int{} // the last event of a node whose own octets are those of a PDU id
	lastAtNode := map[string]int{}
	for i := range r.events {
		e := &r.events[i]
		linked := false
		if p := e.PDU; p != nil {
			ids := make([]uint64, 0, 1+len(p.Parents))
			if p.ID != 0 {
				ids = append(ids, p.ID)
			}
			ids = append(ids, p.Parents...)
			for _, id := range ids {
				if j, ok := lastByID[key{e.Node, id}]; ok {
					union(i, j)
					linked = true
				}
			}
			for _, id := range ids {
				lastByID[key{e.Node, id}] = i
			}
			if p.Blob == 0 {
				for _, id := range ids {
					if j, ok := lastBlob[key{e.Node, id}]; ok {
						r.lend(e, &r.events[j])
						break
					}
				}
			}
			if p.Blob != 0 && p.ID != 0 {
				lastBlob[key{e.Node, p.ID}] = i
			}
		}
		if j, ok := lastAtNode[e.Node]; ok && !linked && r.events[j].TimeNS == e.TimeNS {
			union(i, j)
		}
		lastAtNode[e.Node] = i
	}
	// The bits a receiver decodes come before the frame they carry:
	// lend those octets backwards.
	nextBlob := map[key]int{}
	for i := n - 1; i >= 0; i-- {
		e := &r.events[i]
		p := e.PDU
		if p == nil {
			continue
		}
		if p.Blob == 0 && p.ID != 0 {
			if j, ok := nextBlob[key{e.Node, p.ID}]; ok {
				r.lend(e, &r.events[j])
			}
		}
		if p.Blob != 0 && !p.Borrowed && p.ID != 0 {
			nextBlob[key{e.Node, p.ID}] = i
		}
	}
	// Passes are numbered from 1 in the order they begin.
	num := map[int]int{}
	for i := range r.events {
		root := find(i)
		k, ok := num[root]
		if !ok {
			k = len(num) + 1
			num[root] = k
		}
		r.events[i].Pass = k
	}
	// A PDU event's side follows its direction; any other event takes the
	// side of the event before it in its pass, or of the one after.
	lastSide := map[int]string{}
	for i := range r.events {
		e := &r.events[i]
		e.Side = sideOf(e)
		if e.Side == "" {
			e.Side = lastSide[e.Pass]
		}
		if e.Side != "" {
			lastSide[e.Pass] = e.Side
		}
	}
	nextSide := map[int]string{}
	for i := n - 1; i >= 0; i-- {
		e := &r.events[i]
		if e.Side == "" {
			e.Side = nextSide[e.Pass]
			if e.Side == "" {
				e.Side = "out"
			}
		}
		nextSide[e.Pass] = e.Side
	}
}

// lend makes e show the octets of from, with e's own layer's section
// selected when the layout has one.
func (r *HTMLRecorder) lend(e, from *htmlEvent) {
	p := e.PDU
	p.Blob, p.Borrowed, p.Sect = from.PDU.Blob, true, 0
	for i, s := range r.blobs[p.Blob-1].Sections {
		if s.Kind == p.Kind {
			p.Sect = i + 1
			break
		}
	}
}

// sideOf is the side of a PDU event's pass it belongs to: receiving (in)
// or sending (out); "" when the event does not say.
func sideOf(e *htmlEvent) string {
	switch e.Dir {
	case "up":
		return "in"
	case "down", "wire", "forward":
		return "out"
	case "drop":
		if e.Layer == int(layers.Physical) && e.Peer != "" {
			return "out" // lost on the link it was sent on
		}
		if e.PDU != nil {
			return "in"
		}
	}
	return ""
}

// htmlTopology is the network: its nodes with a position on a grid, and
// its links.
type htmlTopology struct {
	Nodes []htmlNode `json:"nodes"`
	Links []htmlLink `json:"links"`
}

type htmlNode struct {
	Name  string     `json:"name"`
	Kind  string     `json:"kind"` // host, router, switch, hub or node
	X     float64    `json:"x"`
	Y     float64    `json:"y"`
	Ports []htmlPort `json:"ports,omitempty"`
}

type htmlPort struct {
	Name string `json:"name"`
	MAC  string `json:"mac,omitempty"`
	Addr string `json:"addr,omitempty"`
}

type htmlLink struct {
	A     string `json:"a"`
	APort string `json:"a_port"`
	B     string `json:"b"`
	BPort string `json:"b_port"`
	Rate  string `json:"rate"`
	Delay string `json:"delay"`
	Code  string `json:"code"`
}

func deviceKind(d Device) string {
	switch d.(type) {
	case *Host:
		return "host"
	case *Router:
		return "router"
	case *Switch:
		return "switch"
	case *Hub:
		return "hub"
	}
	return "node"
}

// topologyOf lists the devices of s in the order their links were
// connected, then any other node the events name, and lays them out.
func topologyOf(s *Sim, events []htmlEvent) htmlTopology {
	var t htmlTopology
	index := map[string]int{}
	add := func(name, kind string, d Device) int {
		if i, ok := index[name]; ok {
			return i
		}
		n := htmlNode{Name: name, Kind: kind}
		if d != nil {
			n.Ports = portsOf(d)
		}
		index[name] = len(t.Nodes)
		t.Nodes = append(t.Nodes, n)
		return len(t.Nodes) - 1
	}
	var edges [][2]int
	if s != nil {
		for _, l := range s.Links() {
			a, b := l.Ends()
			ia := add(a.Device.Name(), deviceKind(a.Device), a.Device)
			ib := add(b.Device.Name(), deviceKind(b.Device), b.Device)
			edges = append(edges, [2]int{ia, ib})
			t.Links = append(t.Links, htmlLink{A: a.Device.Name(), APort: a.Name, B: b.Device.Name(), BPort: b.Name,
				Rate: physical.FormatRate(l.BitRate), Delay: physical.FormatDuration(l.Delay), Code: l.Code.String()})
		}
	}
	for i := range events {
		add(events[i].Node, "node", nil)
	}
	layoutNodes(t.Nodes, edges)
	return t
}

func portsOf(d Device) []htmlPort {
	var ips *ipNode
	switch v := d.(type) {
	case *Host:
		ips = v.ipNode
	case *Router:
		ips = v.ipNode
	}
	var out []htmlPort
	for i, p := range d.Ports() {
		hp := htmlPort{Name: p.Name}
		if ips != nil && ips.ip != nil {
			if ifs := ips.ip.Interfaces(); i < len(ifs) {
				hp.MAC = ifs[i].MAC.String()
				if ifs[i].Addr.IsValid() {
					hp.Addr = ifs[i].Addr.String()
				}
			}
		}
		out = append(out, hp)
	}
	return out
}

// layoutNodes places the nodes on a grid: the longest chain of each
// connected part of the network on one row, from left to right, and every
// other node below the chain node it hangs from. Each further connected
// part goes below the one before, and nodes connected to nothing share a
// last row.
func layoutNodes(nodes []htmlNode, edges [][2]int) {
	n := len(nodes)
	adj := make([][]int, n)
	for _, e := range edges {
		if e[0] == e[1] {
			continue
		}
		adj[e[0]] = append(adj[e[0]], e[1])
		adj[e[1]] = append(adj[e[1]], e[0])
	}
	bfs := func(src []int) (dist, from []int, order []int) {
		dist, from = make([]int, n), make([]int, n)
		for i := range dist {
			dist[i], from[i] = -1, -1
		}
		for _, s := range src {
			dist[s] = 0
		}
		order = append(order, src...)
		for q := 0; q < len(order); q++ {
			u := order[q]
			for _, v := range adj[u] {
				if dist[v] < 0 {
					dist[v], from[v] = dist[u]+1, u
					order = append(order, v)
				}
			}
		}
		return dist, from, order
	}
	placed := make([]bool, n)
	row := 0.0  // where the next connected part starts
	lone := 0.0 // the next column of the row of unconnected nodes
	var loners []int
	for start := 0; start < n; start++ {
		if placed[start] {
			continue
		}
		// The component's diameter: the farthest node from start, then
		// the farthest from that one.
		if len(adj[start]) == 0 {
			loners = append(loners, start)
			placed[start] = true
			continue
		}
		_, _, comp := bfs([]int{start})
		far := func(dist []int) int {
			best := comp[0]
			for _, v := range comp {
				if dist[v] > dist[best] {
					best = v
				}
			}
			return best
		}
		d0, _, _ := bfs([]int{start})
		a := far(d0)
		da, from, _ := bfs([]int{a})
		b := far(da)
		var chain []int
		for v := b; v >= 0; v = from[v] {
			chain = append(chain, v)
		}
		// chain runs from b back to a; a on the left reads better when a
		// is the component's first node, so keep the order of the network
		// description: the chain end listed first goes left.
		if chain[0] > chain[len(chain)-1] {
			for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
				chain[i], chain[j] = chain[j], chain[i]
			}
		}
		x := map[int]float64{}
		for i, v := range chain {
			nodes[v].X, nodes[v].Y = float64(i), row
			placed[v] = true
			x[v] = float64(i)
		}
		dist, parent, order := bfs(chain)
		// Off-chain nodes: grouped by the chain column they hang from and
		// their depth, spread around that column.
		type slot struct {
			x float64
			y int
		}
		groups := map[slot][]int{}
		var slots []slot
		depth := 0
		for _, v := range order {
			if dist[v] == 0 {
				continue
			}
			x[v] = x[parent[v]]
			depth = max(depth, dist[v])
			s := slot{x[v], dist[v]}
			if _, ok := groups[s]; !ok {
				slots = append(slots, s)
			}
			groups[s] = append(groups[s], v)
		}
		for _, s := range slots {
			g := groups[s]
			for k, v := range g {
				nodes[v].X = s.x + (float64(k)-float64(len(g)-1)/2)*0.7
				nodes[v].Y = row + float64(s.y)
				placed[v] = true
			}
		}
		row += float64(depth) + 1.4
	}
	for _, v := range loners {
		nodes[v].X, nodes[v].Y = lone, row
		lone++
	}
}

// htmlLang is the page's "lang": "zh" for Chinese, empty for English.
func htmlLang(l layers.Lang) string {
	if l == layers.ZH {
		return "zh"
	}
	return ""
}
