package sim

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	"github.com/osisim/osisim/layers"
)

// JSONSchemaVersion is the version of the JSON-lines trace schema
// (docs/trace-format.md). It changes only when a field changes meaning or
// disappears; new fields may be added without a change.
const JSONSchemaVersion = 1

// JSONRecorder writes the trace as JSON lines, one event per line, as it is
// recorded (docs/trace-format.md).
type JSONRecorder struct {
	w   *bufio.Writer
	enc *json.Encoder
	err error
}

// NewJSONRecorder writes to w. Call Flush at the end of the run.
func NewJSONRecorder(w io.Writer) *JSONRecorder {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &JSONRecorder{w: bw, enc: enc}
}

type jsonModelLayer struct {
	N    int    `json:"n"`
	Name string `json:"name"`
	ZH   string `json:"zh"`
}

type jsonPDU struct {
	Kind      string         `json:"kind"`
	ID        uint64         `json:"id,omitempty"`
	Parents   []uint64       `json:"parents,omitempty"`
	Len       int            `json:"len"`
	HeaderLen int            `json:"header_len"`
	Summary   string         `json:"summary"`
	Fields    []layers.Field `json:"fields,omitempty"`
	Bytes     string         `json:"bytes,omitempty"`
}

type jsonEvent struct {
	V       int                       `json:"v"`
	Seq     uint64                    `json:"seq"`
	TimeNS  int64                     `json:"t_ns"`
	Node    string                    `json:"node"`
	Iface   string                    `json:"iface,omitempty"`
	Layer   int                       `json:"layer"`
	Models  map[string]jsonModelLayer `json:"models"`
	Dir     string                    `json:"dir"`
	Text    string                    `json:"text"`
	Reason  string                    `json:"reason,omitempty"`
	Cause   string                    `json:"cause,omitempty"`
	Peer    string                    `json:"peer,omitempty"`
	Msg     string                    `json:"msg,omitempty"`
	Args    []any                     `json:"args,omitempty"`
	Chapter string                    `json:"chapter,omitempty"`
	ChapMsg string                    `json:"chapter_msg,omitempty"`
	ChapArg []any                     `json:"chapter_args,omitempty"`
	PDU     *jsonPDU                  `json:"pdu,omitempty"`
}

// Record implements layers.Recorder.
func (r *JSONRecorder) Record(e *layers.Event) {
	if r.err != nil {
		return
	}
	je := jsonEvent{
		V: JSONSchemaVersion, Seq: e.Seq, TimeNS: int64(e.Time), Node: e.Node, Iface: e.Iface,
		Layer: int(e.Layer), Dir: e.Dir.String(), Text: e.Text, Reason: string(e.Reason),
		Cause: e.Cause, Peer: e.Peer, Chapter: e.Chapter,
		Msg: e.Msg, Args: jsonArgs(e.Args), ChapMsg: e.ChapterMsg, ChapArg: jsonArgs(e.ChapterArgs),
		Models: make(map[string]jsonModelLayer, 3), // encoding/json sorts map keys
	}
	for _, m := range layers.Models {
		ml := m.Map(e.Layer)
		je.Models[m.ID()] = jsonModelLayer{N: ml.Number, Name: ml.EN, ZH: ml.ZH}
	}
	if p := e.PDU; p != nil {
		je.PDU = &jsonPDU{Kind: p.Kind, ID: p.ID, Parents: p.Parents, Len: p.Len, HeaderLen: p.HeaderLen,
			Summary: p.Summary, Fields: p.Fields}
		if len(p.Bytes) > 0 {
			je.PDU.Bytes = hex.EncodeToString(p.Bytes)
		}
	}
	r.err = r.enc.Encode(&je)
}

// Flush writes what is buffered and returns the first error met.
func (r *JSONRecorder) Flush() error {
	if r.err != nil {
		return r.err
	}
	return r.w.Flush()
}

// jsonArgs returns a message's arguments for JSON: numbers and booleans as
// they are, anything else as the text the English template prints for %v
// (an address, a MAC, a state's name), bytes in hex.
func jsonArgs(args []any) []any {
	if len(args) == 0 {
		return nil
	}
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64, bool, string:
			out[i] = v
		case []byte:
			out[i] = hex.EncodeToString(v)
		default:
			out[i] = fmt.Sprint(v)
		}
	}
	return out
}
