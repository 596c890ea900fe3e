package layers

import "fmt"

// Model is a way of reading the layers: the OSI 7-layer reference model, or
// the TCP/IP 5-layer (textbook) or 4-layer (RFC 1122) models.
type Model uint8

// The three models.
const (
	OSI7 Model = iota
	TCPIP5
	TCPIP4
)

// Models lists the models in a fixed order.
var Models = [...]Model{OSI7, TCPIP5, TCPIP4}

// ParseModel accepts "osi7", "tcpip5" or "tcpip4" (and "osi", "5", "4").
func ParseModel(s string) (Model, error) {
	switch s {
	case "osi7", "osi", "7", "OSI-7":
		return OSI7, nil
	case "tcpip5", "5", "TCP/IP-5":
		return TCPIP5, nil
	case "tcpip4", "4", "TCP/IP-4":
		return TCPIP4, nil
	}
	return 0, fmt.Errorf("unknown model %q: want osi7, tcpip5 or tcpip4", s)
}

// String returns "OSI-7", "TCP/IP-5" or "TCP/IP-4".
func (m Model) String() string {
	switch m {
	case OSI7:
		return "OSI-7"
	case TCPIP5:
		return "TCP/IP-5"
	case TCPIP4:
		return "TCP/IP-4"
	}
	return fmt.Sprintf("model(%d)", uint8(m))
}

// ID returns the model's flag value: "osi7", "tcpip5" or "tcpip4".
func (m Model) ID() string {
	switch m {
	case TCPIP5:
		return "tcpip5"
	case TCPIP4:
		return "tcpip4"
	}
	return "osi7"
}

// ModelLayer is one layer of a model: its number counted from the bottom
// (1-based) and its names.
type ModelLayer struct {
	Number int
	EN, ZH string
}

// Name returns the model layer's name in lang.
func (ml ModelLayer) Name(lang Lang) string {
	if lang == ZH {
		return ml.ZH
	}
	return ml.EN
}

// Layers returns the model's layers from the bottom up.
func (m Model) Layers() []ModelLayer {
	switch m {
	case TCPIP5:
		return []ModelLayer{
			{1, "Physical", "物理层"},
			{2, "Data link", "数据链路层"},
			{3, "Network", "网络层"},
			{4, "Transport", "传输层"},
			{5, "Application", "应用层"},
		}
	case TCPIP4:
		return []ModelLayer{
			{1, "Network access", "网络接口层"},
			{2, "Internet", "网际层"},
			{3, "Transport", "传输层"},
			{4, "Application", "应用层"},
		}
	}
	out := make([]ModelLayer, 0, 7)
	for _, l := range All {
		out = append(out, ModelLayer{int(l), l.Name(EN), l.Name(ZH)})
	}
	return out
}

// Map returns the layer of model m that OSI layer l belongs to. Under
// TCP/IP-5 the session, presentation and application layers are one
// application layer; under TCP/IP-4 the physical and data link layers are
// also one network-access layer.
func (m Model) Map(l Layer) ModelLayer {
	ls := m.Layers()
	if !l.Valid() {
		return ModelLayer{0, "?", "?"}
	}
	switch m {
	case TCPIP5:
		if l >= Session {
			return ls[4]
		}
		return ls[l-1]
	case TCPIP4:
		switch {
		case l <= DataLink:
			return ls[0]
		case l == Network:
			return ls[1]
		case l == Transport:
			return ls[2]
		default:
			return ls[3]
		}
	}
	return ls[l-1]
}
