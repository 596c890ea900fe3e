package sim

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/osisim/osisim/layers"
)

// FollowOptions choose whose dialog the follow view shows.
type FollowOptions struct {
	Lang layers.Lang
	// Node is the host whose application is followed (a POP3 client or
	// server); empty follows every host's.
	Node string
}

// FollowRecorder renders the POP3 dialog as the application saw it: the
// command and status lines (C: from the client, S: from the server) as
// they were handed to or received from the presentation layer, and each
// multi-line body as one line with its size, from the trace's
// application-layer and presentation-layer events. Nothing of the layers
// below shows: this is the view the application has, a byte stream of
// lines, whatever segments and frames carried it.
type FollowRecorder struct {
	opt   FollowOptions
	w     *bufio.Writer
	lines int
	err   error
}

var _ layers.Recorder = (*FollowRecorder)(nil)

// NewFollowRecorder renders to w. Call Flush at the end.
func NewFollowRecorder(w io.Writer, opt FollowOptions) *FollowRecorder {
	r := &FollowRecorder{opt: opt, w: bufio.NewWriterSize(w, 16<<10)}
	who := opt.Node
	if who == "" {
		who = Msg(opt.Lang, "follow.everyone")
	}
	r.printf("%s\n", Msgf(opt.Lang, "follow.title", who))
	return r
}

func (r *FollowRecorder) printf(format string, args ...any) {
	if r.err == nil {
		_, r.err = fmt.Fprintf(r.w, format, args...)
	}
}

// Record implements layers.Recorder.
func (r *FollowRecorder) Record(e *layers.Event) {
	if r.opt.Node != "" && e.Node != r.opt.Node {
		return
	}
	p := e.PDU
	switch {
	case e.Layer == layers.Application && p != nil && p.Kind == "pop3" && (e.Dir == layers.Down || e.Dir == layers.Up):
		line := p.Bytes
		if i := indexCRLF(line); i >= 0 {
			line = line[:i]
		}
		r.put(e, pop3Side(line), printable(line, 200))
	case e.Layer == layers.Presentation && p != nil && p.Kind == "ppdu" && isBody(e):
		// A multi-line body (RFC 1939 3): shown as its size and what the
		// presentation layer made of it; the line "." ends it.
		r.put(e, "S:", Msgf(r.opt.Lang, "follow.body", Thousands(int64(p.Len)), SummaryText(r.opt.Lang, p.Kind, p.Summary)))
		r.put(e, "S:", ".")
	case e.Layer == layers.Application && p == nil && e.Dir == layers.Up:
		// What the application made of a multi-line response.
		text := EventText(r.opt.Lang, e)
		if i := strings.Index(text, ": "); i >= 0 && strings.HasPrefix(text, "POP3") && r.opt.Lang != layers.ZH {
			text = text[i+2:]
		} else if _, rest, ok := strings.Cut(text, "："); ok && strings.HasPrefix(text, "POP3") {
			text = rest
		}
		r.printf("%s     = %s\n", r.prefix(e), firstLine(text))
	}
}

// put prints one line of the dialog.
func (r *FollowRecorder) put(e *layers.Event, side, text string) {
	r.lines++
	r.printf("%s%s %s\n", r.prefix(e), side, text)
}

// prefix is the start of every line: the time, and the node when the
// view follows every host.
func (r *FollowRecorder) prefix(e *layers.Event) string {
	if r.opt.Node == "" {
		return Seconds(e.Time) + "  " + e.Node + "  "
	}
	return Seconds(e.Time) + "  "
}

// pop3Side says who sent a POP3 line: a status line begins with "+OK" or
// "-ERR" and comes from the server, anything else is a command from the
// client (RFC 1939 3).
func pop3Side(line []byte) string {
	if hasPrefix(line, "+OK") || hasPrefix(line, "-ERR") {
		return "S:"
	}
	return "C:"
}

// isBody reports whether a presentation event is about a multi-line body:
// the server's presentation layer encodes one with no single line above it
// (no parent), the client's decodes a dot-terminated block (its fields
// count the byte-stuffed lines, RFC 1939 3).
func isBody(e *layers.Event) bool {
	p := e.PDU
	if e.Dir == layers.Down {
		return len(p.Parents) == 0
	}
	if e.Dir != layers.Up {
		return false
	}
	for _, f := range p.Fields {
		if f.Name == "Lines byte-stuffed" {
			return true
		}
	}
	return false
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Flush ends the view and writes out what is buffered.
func (r *FollowRecorder) Flush() error {
	if r.lines == 0 {
		r.printf("%s\n", Msg(r.opt.Lang, "follow.none"))
	}
	if r.err != nil {
		return r.err
	}
	return r.w.Flush()
}
