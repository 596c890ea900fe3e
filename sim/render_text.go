package sim

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/osisim/osisim/layers"
)

// TextOptions choose how the text renderer reads a run.
type TextOptions struct {
	Model layers.Model
	Lang  layers.Lang
	// All prints every event. Otherwise the renderer tells a story: in each
	// chapter it shows the first occurrence of each kind of step at each
	// node and layer (so one complete walk through the layers), every
	// application, presentation and session step, state change, timer and
	// drop, and sums up the repetitions at the end of the chapter.
	All bool
	// NodeWidth pads node names to this width (the longest name).
	NodeWidth int
}

// TextRecorder renders the trace as readable text while the run goes on.
type TextRecorder struct {
	opt     TextOptions
	w       *bufio.Writer
	chapter int
	story   story
	err     error
}

// story decides, event by event, what the default text output shows.
//
// Application PDUs are always shown: they are the dialog; presentation and
// session PDUs are shown in walk chapters, and once per chapter elsewhere. State changes, timers, drops and retransmissions are shown
// (a few of each kind per chapter). In a walk chapter the story follows
// the exchange that starts it through every layer of every node: the
// application's messages, the first segment that carries each of them,
// the ARP exchange it waits for, and every datagram, frame and bit stream
// descended from those, at every node they cross. Notes of the lower layers
// (a route chosen, a MAC learned) are shown the first time they are said in
// the run. Everything else is counted and summed up at the end of the
// chapter; --all shows it.
type story struct {
	walk    bool
	inWalk  map[uint64]bool // PDU ids followed in this walk chapter
	segFor  map[uint64]bool // upper PDUs that already had a segment followed
	rootAt  map[string]bool // "node|kind": the walk began a root there
	appRoot bool            // an application message started the walk
	perChap map[string]int  // signature -> times shown in this chapter
	perRun  map[string]bool // lower-layer note signatures said so far
	hidden  chapterCount
}

// chapterCount sums up what a chapter did not show line by line.
type chapterCount struct {
	events   int
	segments int
	frames   int
	links    map[string]bool
}

// NewTextRecorder renders to w. Call Flush at the end.
func NewTextRecorder(w io.Writer, opt TextOptions) *TextRecorder {
	if opt.NodeWidth == 0 {
		opt.NodeWidth = 8
	}
	r := &TextRecorder{opt: opt, w: bufio.NewWriterSize(w, 32<<10)}
	r.story.reset(false)
	r.story.perRun = map[string]bool{}
	return r
}

// Printf writes a line of the renderer's own (headers, summaries).
func (r *TextRecorder) Printf(format string, args ...any) {
	if r.err == nil {
		_, r.err = fmt.Fprintf(r.w, format, args...)
	}
}

// Record implements layers.Recorder.
func (r *TextRecorder) Record(e *layers.Event) {
	if e.Chapter != "" {
		r.endChapter()
		r.chapter++
		r.Printf("\n%d. %s\n", r.chapter, ChapterText(r.opt.Lang, e))
		r.story.reset(e.Walk)
	}
	if !r.opt.All && !r.story.show(e) {
		r.story.count(e)
		return
	}
	r.line(e)
}

func (st *story) reset(walk bool) {
	st.walk = walk
	st.inWalk = map[uint64]bool{}
	st.segFor = map[uint64]bool{}
	st.rootAt = map[string]bool{}
	st.appRoot = false
	st.perChap = map[string]int{}
	st.hidden = chapterCount{}
}

func (st *story) show(e *layers.Event) bool {
	if e.Chapter != "" {
		return true
	}
	if st.walk && e.PDU != nil && st.follow(e) {
		return true
	}
	if e.PDU != nil && e.Layer >= layers.Session {
		// The application's messages are the dialog: always shown. Outside
		// a walk chapter the session and presentation units of the first
		// exchange show how they are made; the rest are the same again.
		return e.Layer == layers.Application || st.walk || st.limit(e, 1)
	}
	if e.Dir == layers.State || e.Dir == layers.Timeout || e.Dir == layers.Drop || e.Cause != "" {
		return st.limit(e, 6)
	}
	if e.PDU == nil {
		if e.Layer >= layers.Session {
			return st.limit(e, 1)
		}
		sig := signature(e)
		if !st.perRun[sig] {
			st.perRun[sig] = true
			return true
		}
	}
	return false
}

// limit shows at most n events of e's kind in a chapter.
func (st *story) limit(e *layers.Event, n int) bool {
	sig := signature(e)
	if st.perChap[sig] >= n {
		return false
	}
	st.perChap[sig]++
	return true
}

// follow reports whether e belongs to the walk, adding its PDU to it when
// it descends from one already followed.
func (st *story) follow(e *layers.Event) bool {
	p := e.PDU
	if st.inWalk[p.ID] {
		return true
	}
	if e.Dir != layers.Down && e.Dir != layers.Forward && e.Dir != layers.Wire {
		return false
	}
	root := false
	switch {
	case e.Layer == layers.Application && e.Dir == layers.Down:
		root = true
		st.appRoot = true
	case e.Layer == layers.Transport && len(p.Parents) == 0 && !st.appRoot:
		// Before the application speaks (the handshake), follow the first
		// segment each node sends.
		root = !st.rootAt[e.Node+"|tcp"]
		st.rootAt[e.Node+"|tcp"] = true
	case p.Kind == "arp":
		root = !st.rootAt[e.Node+"|arp"]
		st.rootAt[e.Node+"|arp"] = true
	default:
		for _, id := range p.Parents {
			if !st.inWalk[id] {
				continue
			}
			if e.Layer == layers.Transport {
				// Follow only the first segment that carries each message.
				if st.segFor[id] {
					continue
				}
				st.segFor[id] = true
			}
			root = true
		}
	}
	if root {
		st.inWalk[p.ID] = true
	}
	return root
}

// signature names the kind of step an event is: the same node, layer and
// direction doing the same kind of thing.
func signature(e *layers.Event) string {
	kind := ""
	if e.PDU != nil {
		kind = e.PDU.Kind
	} else {
		// Notes without a PDU are told apart by their words, numbers left out.
		kind = strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) {
				return -1
			}
			return r
		}, e.Text)
		if len(kind) > 40 {
			kind = kind[:40]
		}
	}
	return fmt.Sprintf("%s|%d|%d|%s|%s|%s", e.Node, e.Layer, e.Dir, kind, e.Reason, e.Cause)
}

func (st *story) count(e *layers.Event) {
	c := &st.hidden
	c.events++
	if e.Layer == layers.Transport && e.Dir == layers.Down {
		c.segments++
	}
	if e.Layer == layers.Physical && e.Dir == layers.Wire {
		c.frames++
		if c.links == nil {
			c.links = map[string]bool{}
		}
		c.links[e.Node+"."+e.Iface] = true
	}
}

func (r *TextRecorder) endChapter() {
	c := r.story.hidden
	if c.events > 0 {
		lang := r.opt.Lang
		parts := []string{Msgf(lang, "story.more", c.events)}
		if c.segments > 0 {
			parts = append(parts, Msgf(lang, "story.segments", c.segments))
		}
		if c.frames > 0 {
			parts = append(parts, Msgf(lang, "story.frames", c.frames, len(c.links)))
		}
		r.Printf("%s\n", Msgf(lang, "story.hidden", strings.Join(parts, Msg(lang, "story.and"))))
	}
	r.story.hidden = chapterCount{}
}

// LayerLabel returns how a layer is labelled under the chosen model:
// "L4 Transport" (OSI-7), "L5 Application" (TCP/IP-5 for a session event).
func LayerLabel(m layers.Model, l layers.Layer, lang layers.Lang) string {
	ml := m.Map(l)
	return fmt.Sprintf("L%d %s", ml.Number, ml.Name(lang))
}

func (r *TextRecorder) line(e *layers.Event) {
	label := LayerLabel(r.opt.Model, e.Layer, r.opt.Lang)
	text := EventText(r.opt.Lang, e)
	if text == "" && e.PDU != nil {
		text = SummaryText(r.opt.Lang, e.PDU.Kind, e.PDU.Summary)
	}
	if e.Dir == layers.Drop && e.Reason != "" {
		text = Msgf(r.opt.Lang, "story.drop", ReasonText(r.opt.Lang, e.Reason)) + text
	}
	if e.Cause != "" && !strings.Contains(e.Text, e.Cause) {
		text += Msgf(r.opt.Lang, "story.cause", CauseText(r.opt.Lang, e.Cause))
	}
	prefix := fmt.Sprintf("  %s  %-*s  %s  ", Seconds(e.Time), r.opt.NodeWidth, e.Node, padDisplay(label, 18))
	lines := strings.Split(text, "\n")
	r.Printf("%s%s\n", prefix, lines[0])
	indent := strings.Repeat(" ", displayWidth(prefix))
	for _, l := range lines[1:] {
		r.Printf("%s%s\n", indent, l)
	}
}

// WriteOut writes out what is buffered without ending the chapter: a live
// run calls it whenever it waits for the wall clock, so the story appears
// as it happens.
func (r *TextRecorder) WriteOut() error {
	if r.err != nil {
		return r.err
	}
	return r.w.Flush()
}

// Flush ends the last chapter and writes out what is buffered.
func (r *TextRecorder) Flush() error {
	r.endChapter()
	if r.err != nil {
		return r.err
	}
	return r.w.Flush()
}

// padDisplay pads s with spaces to width terminal columns (a Chinese
// character takes two).
func padDisplay(s string, width int) string {
	if w := displayWidth(s); w < width {
		return s + strings.Repeat(" ", width-w)
	}
	return s
}

func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		if r >= 0x1100 && (unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hangul, unicode.Hiragana, unicode.Katakana) || (r >= 0xff00 && r <= 0xff60) || (r >= 0x3000 && r <= 0x303f)) {
			w += 2
		} else {
			w++
		}
	}
	return w
}
