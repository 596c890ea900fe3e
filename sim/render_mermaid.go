package sim

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/transport"
)

// MermaidOptions choose what the sequence diagram shows.
type MermaidOptions struct {
	Lang layers.Lang
	// Title is the diagram's title (the scenario's).
	Title string
	// Participants are the nodes in the order their lifelines stand, left
	// to right; a node not named here is added where it first appears.
	Participants []string
	// All draws every frame of the run. Otherwise the diagram shows the
	// first chapter that walks through every layer (a run without one:
	// its first MermaidArrows frames), which fits on a slide.
	All bool
}

// MermaidArrows is how many arrows the diagram of a run without a walk
// chapter shows, unless All is set.
const MermaidArrows = 60

// MermaidRecorder renders the run as a Mermaid sequence diagram: one
// lifeline per node, one arrow per frame on each hop (sender to the node at
// the other end of the link), labelled with what the frame carries at its
// highest layer, and notes for drops, state changes and timers.
type MermaidRecorder struct {
	opt     MermaidOptions
	w       *bufio.Writer
	err     error
	labels  recent[string] // PDU id -> what it carries, one line
	state   int            // mermaidBefore, mermaidIn, mermaidAfter
	walked  bool
	buf     []string // lines held until it is known whether a walk comes
	arrows  int
	started bool
}

const (
	mermaidBefore = iota // before the first walk chapter
	mermaidIn            // inside it
	mermaidAfter         // after it: nothing more is drawn
)

var _ layers.Recorder = (*MermaidRecorder)(nil)

// NewMermaidRecorder renders to w. Call Flush at the end.
func NewMermaidRecorder(w io.Writer, opt MermaidOptions) *MermaidRecorder {
	r := &MermaidRecorder{opt: opt, w: bufio.NewWriterSize(w, 32<<10), labels: newRecent[string](8192)}
	r.printf("%%%% %s\n", Msg(opt.Lang, "mermaid.comment"))
	r.printf("sequenceDiagram\n")
	if opt.Title != "" {
		r.printf("    title %s\n", mermaidText(opt.Title, 200))
	}
	r.printf("    autonumber\n")
	for _, p := range opt.Participants {
		r.printf("    participant %s\n", mermaidID(p))
	}
	return r
}

func (r *MermaidRecorder) printf(format string, args ...any) {
	if r.err == nil {
		_, r.err = fmt.Fprintf(r.w, format, args...)
	}
}

// Record implements layers.Recorder.
func (r *MermaidRecorder) Record(e *layers.Event) {
	r.learn(e)
	if e.Chapter != "" {
		if !r.opt.All {
			switch {
			case r.state == mermaidBefore && e.Walk:
				r.state, r.walked, r.buf = mermaidIn, true, nil
			case r.state == mermaidIn:
				r.state = mermaidAfter
			}
		}
		if r.opt.All || r.state == mermaidIn {
			r.emit(fmt.Sprintf("    Note over %s: %s", r.span(), mermaidText(ChapterText(r.opt.Lang, e), 120)))
		}
	}
	if !r.opt.All && r.state == mermaidAfter {
		return
	}
	switch {
	case e.Layer == layers.Physical && e.Dir == layers.Wire && e.PDU != nil && e.Peer != "":
		label := SummaryText(r.opt.Lang, e.PDU.Kind, e.PDU.Summary)
		if len(e.PDU.Parents) > 0 {
			if l, ok := r.labels.get(e.PDU.Parents[0]); ok {
				label = l
			}
		}
		r.arrows++
		r.emit(fmt.Sprintf("    %s->>%s: %s", mermaidID(e.Node), mermaidID(e.Peer), mermaidText(label, 90)))
	case e.Dir == layers.Drop:
		text := EventText(r.opt.Lang, e)
		if text == "" && e.PDU != nil {
			text = SummaryText(r.opt.Lang, e.PDU.Kind, e.PDU.Summary)
		}
		r.emit(fmt.Sprintf("    Note over %s: %s", mermaidID(e.Node),
			mermaidText(Msgf(r.opt.Lang, "mermaid.drop", LayerLabel(layers.OSI7, e.Layer, r.opt.Lang), ReasonText(r.opt.Lang, e.Reason), firstLine(text)), 120)))
	case e.Dir == layers.State || e.Dir == layers.Timeout:
		r.emit(fmt.Sprintf("    Note over %s: %s", mermaidID(e.Node),
			mermaidText(Msgf(r.opt.Lang, "mermaid.note", LayerLabel(layers.OSI7, e.Layer, r.opt.Lang), firstLine(EventText(r.opt.Lang, e))), 120)))
	}
}

// learn remembers, for each PDU built or forwarded, the line that tells
// what it carries at its highest layer.
func (r *MermaidRecorder) learn(e *layers.Event) {
	p := e.PDU
	if p == nil || p.ID == 0 || (e.Dir != layers.Down && e.Dir != layers.Forward) || e.Layer == layers.Physical {
		return
	}
	if _, ok := r.labels.get(p.ID); ok {
		return
	}
	var upper string
	if len(p.Parents) > 0 {
		upper, _ = r.labels.get(p.Parents[0])
		if upper != "" && len(p.Parents) > 1 {
			upper += " " + Msgf(r.opt.Lang, "mermaid.more", len(p.Parents)-1)
		}
	}
	label := firstLine(SummaryText(r.opt.Lang, p.Kind, p.Summary))
	switch {
	case e.Layer >= layers.Session && upper != "":
		label = upper
	case e.Layer == layers.Transport && upper != "" && p.Kind == "tcp" && len(p.Bytes) >= 20:
		// Data: what it carries, then the segment's flags and length.
		hl := int(p.Bytes[12]>>4) * 4
		label = fmt.Sprintf("%s | TCP %s len=%d", cutRunes(upper, 56), transport.Flags(p.Bytes[13]), len(p.Bytes)-hl)
	case e.Layer <= layers.Network && upper != "":
		label = upper
	}
	r.labels.put(p.ID, label)
}

// span names the lifelines a chapter note spans.
func (r *MermaidRecorder) span() string {
	ps := r.opt.Participants
	switch len(ps) {
	case 0:
		return "client"
	case 1:
		return mermaidID(ps[0])
	}
	return mermaidID(ps[0]) + "," + mermaidID(ps[len(ps)-1])
}

// emit writes a line of the diagram, or holds it while it is not yet
// known whether the run has a walk chapter.
func (r *MermaidRecorder) emit(line string) {
	if r.opt.All || r.state == mermaidIn {
		r.printf("%s\n", line)
		return
	}
	if r.state == mermaidBefore && r.arrows <= MermaidArrows {
		r.buf = append(r.buf, line)
	}
}

// Flush ends the diagram and writes out what is buffered.
func (r *MermaidRecorder) Flush() error {
	if !r.opt.All && !r.walked {
		for _, l := range r.buf {
			r.printf("%s\n", l)
		}
		if r.arrows > MermaidArrows {
			r.printf("%%%% %s\n", Msgf(r.opt.Lang, "mermaid.cut", MermaidArrows, r.arrows))
		}
	}
	if !r.opt.All && r.walked {
		r.printf("%%%% %s\n", Msg(r.opt.Lang, "mermaid.walkonly"))
	}
	if r.err != nil {
		return r.err
	}
	return r.w.Flush()
}

// mermaidID makes a node name safe as a Mermaid participant name.
func mermaidID(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', ':', ';', ',', '-', '>', '<', '#', '%', '"':
			return '_'
		}
		return r
	}, s)
}

// mermaidText makes s safe as the text of a message or a note: one line,
// at most n characters, and the characters Mermaid reads as syntax written
// as its entity codes (# starts one, ; ends a statement, < could open an
// HTML tag).
func mermaidText(s string, n int) string {
	s = cutRunes(firstLine(s), n)
	var b strings.Builder
	for _, c := range s {
		switch c {
		case '#':
			b.WriteString("#35;")
		case ';':
			b.WriteString("#59;")
		case '<':
			b.WriteString("#60;")
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// cutRunes cuts s to at most n characters, marking the cut with "...".
func cutRunes(s string, n int) string {
	if rs := []rune(s); len(rs) > n {
		return string(rs[:n]) + "..."
	}
	return s
}
