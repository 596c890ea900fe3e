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
	seen    map[string]int // signature -> times shown in this chapter
	hidden  chapterCount
	err     error
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
	return &TextRecorder{opt: opt, w: bufio.NewWriterSize(w, 32<<10), seen: map[string]int{}}
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
		r.Printf("\n%d. %s\n", r.chapter, e.Chapter)
	}
	if !r.opt.All && !r.show(e) {
		r.count(e)
		return
	}
	r.line(e)
}

// show decides whether the story prints e.
func (r *TextRecorder) show(e *layers.Event) bool {
	important := e.Layer >= layers.Session || e.Dir == layers.State || e.Dir == layers.Timeout ||
		e.Dir == layers.Drop || e.Cause != "" || e.Chapter != ""
	sig := signature(e)
	n := r.seen[sig]
	limit := 1
	if important {
		limit = 8
		if e.Layer >= layers.Session || e.Dir == layers.State {
			limit = 1 << 30
		}
	}
	if n >= limit {
		return false
	}
	r.seen[sig] = n + 1
	return true
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
		if len(kind) > 28 {
			kind = kind[:28]
		}
	}
	return fmt.Sprintf("%s|%d|%d|%s|%s|%s", e.Node, e.Layer, e.Dir, kind, e.Reason, e.Cause)
}

func (r *TextRecorder) count(e *layers.Event) {
	c := &r.hidden
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
	c := r.hidden
	if c.events > 0 {
		parts := []string{fmt.Sprintf("%d more events", c.events)}
		if c.segments > 0 {
			parts = append(parts, fmt.Sprintf("%d segments sent", c.segments))
		}
		if c.frames > 0 {
			parts = append(parts, fmt.Sprintf("%d frames on %d link ends", c.frames, len(c.links)))
		}
		r.Printf("  (%s; --all shows them)\n", strings.Join(parts, ", "))
	}
	r.hidden = chapterCount{}
	clear(r.seen)
}

// LayerLabel returns how a layer is labelled under the chosen model:
// "L4 Transport" (OSI-7), "L5 Application" (TCP/IP-5 for a session event).
func LayerLabel(m layers.Model, l layers.Layer, lang layers.Lang) string {
	ml := m.Map(l)
	return fmt.Sprintf("L%d %s", ml.Number, ml.Name(lang))
}

func (r *TextRecorder) line(e *layers.Event) {
	label := LayerLabel(r.opt.Model, e.Layer, r.opt.Lang)
	text := e.Text
	if text == "" && e.PDU != nil {
		text = e.PDU.Summary
	}
	if e.Dir == layers.Drop && e.Reason != "" {
		text = "DROP (" + string(e.Reason) + ") " + text
	}
	if e.Cause != "" && !strings.Contains(text, e.Cause) {
		text += "  [cause: " + e.Cause + "]"
	}
	prefix := fmt.Sprintf("  %s  %-*s  %s  ", Seconds(e.Time), r.opt.NodeWidth, e.Node, padDisplay(label, 18))
	lines := strings.Split(text, "\n")
	r.Printf("%s%s\n", prefix, lines[0])
	indent := strings.Repeat(" ", displayWidth(prefix))
	for _, l := range lines[1:] {
		r.Printf("%s%s\n", indent, l)
	}
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
