// Package layers holds what every layer of osisim shares: the seven OSI layer
// numbers with their English and Chinese names and PDU names, the mapping of
// the OSI 7-layer model onto the TCP/IP 5-layer and 4-layer models, and the
// trace vocabulary (Event, PDU, Recorder) together with the environment (Env)
// that the simulator hands to every layer entity.
//
// This package imports no other package of osisim.
package layers

import "fmt"

// Layer is an OSI layer number, 1 (physical) to 7 (application).
type Layer uint8

// The seven OSI layers (ISO/IEC 7498-1).
const (
	Physical     Layer = 1
	DataLink     Layer = 2
	Network      Layer = 3
	Transport    Layer = 4
	Session      Layer = 5
	Presentation Layer = 6
	Application  Layer = 7
)

// All lists the layers from the bottom up.
var All = [...]Layer{Physical, DataLink, Network, Transport, Session, Presentation, Application}

// Lang is a language for human-readable output.
type Lang string

// The languages osisim speaks.
const (
	EN Lang = "en"
	ZH Lang = "zh"
)

type layerInfo struct {
	en, zh       string
	pduEN, pduZH string
}

var layerTable = [8]layerInfo{
	{},
	{"Physical", "物理层", "bits", "比特"},
	{"Data link", "数据链路层", "frame", "帧"},
	{"Network", "网络层", "datagram (packet)", "数据报/分组"},
	{"Transport", "传输层", "segment", "段"},
	{"Session", "会话层", "SPDU", "会话协议数据单元"},
	{"Presentation", "表示层", "PPDU", "表示协议数据单元"},
	{"Application", "应用层", "message", "报文"},
}

// Valid reports whether l is one of the seven layers.
func (l Layer) Valid() bool { return l >= Physical && l <= Application }

// Name returns the layer's name in the given language ("Data link", "数据链路层").
func (l Layer) Name(lang Lang) string {
	if !l.Valid() {
		return fmt.Sprintf("layer %d", uint8(l))
	}
	if lang == ZH {
		return layerTable[l].zh
	}
	return layerTable[l].en
}

// PDUName returns the name of the layer's protocol data unit ("frame", "帧").
func (l Layer) PDUName(lang Lang) string {
	if !l.Valid() {
		return "PDU"
	}
	if lang == ZH {
		return layerTable[l].pduZH
	}
	return layerTable[l].pduEN
}

// String returns "L4 Transport".
func (l Layer) String() string { return fmt.Sprintf("L%d %s", uint8(l), l.Name(EN)) }
