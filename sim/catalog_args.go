package sim

import (
	"errors"
	"fmt"
	"strings"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/application"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/network"
	"github.com/osisim/osisim/layers/presentation"
	"github.com/osisim/osisim/layers/session"
)

// summarized is a PDU's summary as an argument of a text: PDUKind says what
// kind of PDU it is ("arp", "icmp"), so that SummaryText can translate it.
type summarized interface {
	String() string
	PDUKind() string
}

// localArgs returns args for a template in lang: every phrase is replaced
// by its text in lang, and every value that names something in English
// (a session role, a kind of unit) by its name in lang. args itself is
// left as it is.
func localArgs(lang layers.Lang, args []any) []any {
	var out []any
	for i, a := range args {
		l, ok := localArg(lang, a)
		if !ok {
			continue
		}
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = l
	}
	if out == nil {
		return args
	}
	return out
}

func localArg(lang layers.Lang, a any) (string, bool) {
	switch v := a.(type) {
	case summarized:
		return SummaryText(lang, v.PDUKind(), v.String()), true
	case bodySummary:
		if lang == layers.ZH {
			return v.zh(), true
		}
	case stepList:
		return v.in(lang), true
	case layers.Reason:
		return ReasonText(lang, v), true
	case layers.Phrases:
		var b strings.Builder
		for _, p := range v {
			b.WriteString(phraseIn(lang, p))
		}
		return b.String(), true
	case *datalink.FCSError:
		if lang == layers.ZH {
			return fmt.Sprintf("datalink：FCS 不符：帧中携带的是 0x%08x，按帧的内容算出的是 0x%08x", v.Got, v.Want), true
		}
	case layers.Phrase:
		return phraseIn(lang, v), true
	case error:
		// An error that says itself as a phrase (layers.Error) is said in
		// lang, even inside a wrap that adds context to its Go error string.
		var pe *layers.Error
		if lang == layers.ZH && errors.As(v, &pe) {
			s, own := v.Error(), pe.Error()
			if s == own {
				return phraseIn(lang, pe.Phrase()), true
			}
			if strings.Contains(s, own) {
				return strings.Replace(s, own, phraseIn(lang, pe.Phrase()), 1), true
			}
		}
	case session.Role:
		if lang == layers.ZH {
			switch v {
			case session.Initiator:
				return "发起方", true
			case session.Responder:
				return "响应方", true
			}
		}
	case session.Unit:
		if lang == layers.ZH {
			switch v {
			case session.Line:
				return "一行", true
			case session.DotTerminated:
				return "一个以点结束的块", true
			}
		}
	}
	return "", false
}

// phraseIn returns p in lang.
func phraseIn(lang layers.Lang, p layers.Phrase) string { return Localize(lang, p.Msg, p.Args, p.En) }

// ReasonText returns a drop reason as lang names it: the reason's code in
// English, a short Chinese phrase in Chinese.
func ReasonText(lang layers.Lang, r layers.Reason) string {
	if lang == layers.ZH {
		if t, ok := catalog["reason."+string(r)]; ok {
			return t.ZH
		}
	}
	return string(r)
}

// CauseText returns the cause of an event (layers.Event.Cause) in lang.
// Causes are short labels that the layers and the links build ("SYN
// received", "RTO after loss on r1->server", "ARP retry 1 of 3"); a label
// this function does not know stays as it is.
func CauseText(lang layers.Lang, cause string) string {
	if lang != layers.ZH || cause == "" {
		return cause
	}
	if zh, ok := causeZH[cause]; ok {
		return zh
	}
	for _, p := range causePatterns {
		if rest, ok := strings.CutPrefix(cause, p.prefix); ok {
			if p.suffix != "" {
				if rest, ok = strings.CutSuffix(rest, p.suffix); !ok {
					continue
				}
			}
			return fmt.Sprintf(p.zh, CauseText(lang, rest))
		}
	}
	for _, sep := range []string{" after "} {
		if a, b, ok := strings.Cut(cause, sep); ok {
			after := CauseText(lang, a)
			if after != "" && after[0] < 0x80 {
				after = " " + after
			}
			return CauseText(lang, b) + "之后的" + after
		}
	}
	var n, m int
	if _, err := fmt.Sscanf(cause, "ARP retry %d of %d", &n, &m); err == nil {
		return fmt.Sprintf("ARP 第 %d 次重试（最多 %d 次）", n, m)
	}
	if _, err := fmt.Sscanf(cause, "RARP retry %d of %d", &n, &m); err == nil {
		return fmt.Sprintf("RARP 第 %d 次重试（最多 %d 次）", n, m)
	}
	return cause
}

// causeZH holds the Chinese of the causes that are fixed labels.
var causeZH = map[string]string{
	"SYN received":             "收到 SYN",
	"SYN-ACK received":         "收到 SYN-ACK",
	"ACK received":             "收到 ACK",
	"FIN received":             "收到 FIN",
	"RST received":             "收到 RST",
	"SYN received again":       "再次收到 SYN",
	"RTO":                      "RTO 超时",
	"fast retransmit":          "快速重传",
	"zero-window probe":        "零窗口探测",
	"window update":            "窗口更新",
	"persist":                  "坚持定时器",
	"persist timer":            "坚持定时器",
	"TIME-WAIT":                "TIME-WAIT 定时器",
	"3 duplicate ACKs":         "3 个重复 ACK",
	"challenge ACK":            "挑战 ACK",
	"abort":                    "中止连接",
	"bad ACK in SYN-SENT":      "SYN-SENT 状态下的错误 ACK",
	"bad ACK in SYN-RECEIVED":  "SYN-RECEIVED 状态下的错误 ACK",
	"retransmission after RTO": "RTO 超时后的重传",
	"ARP request":              "ARP 请求",
	"RARP request":             "RARP 请求",
	"echo request":             "回显请求",
	"ping":                     "ping",
	"reassembly":               "重组",
	"reassembly timeout":       "重组超时",
	"ageing":                   "老化",
	"ARQ timeout":              "ARQ 超时",
	"source quench":            "源抑制",
	"bad option":               "错误的选项",
}

// causePatterns are the causes that name a place: "loss on r1->server".
var causePatterns = []struct{ prefix, suffix, zh string }{
	{"loss on ", "", "%s 上的随机丢失"},
	{"outage of ", "", "%s 中断"},
	{"bit errors on ", "", "%s 上的比特差错"},
	{"reordering on ", "", "%s 上的乱序"},
	{"queue of ", " full", "%s 的队列已满"},
	{"queue full on ", "", "%s 的队列已满"},
	{"a lost ACK (", ")", "一个丢失的 ACK（%s）"},
	{"rule: ", "", "规则：%s"},
}

// spduSummary returns the summary of p as an argument of a text.
func spduSummary(p session.SPDU) pduSummary { return pduSummary{kind: "spdu", text: p.Summary()} }

// replyNote returns the note of a POP3 server's reply as a phrase.
func replyNote(r application.Reply) layers.Phrase {
	return layers.Phrase{Msg: r.NoteMsg, Args: r.NoteArgs, En: r.Note}
}

// stepEvent returns an event that says presentation step st.
func stepEvent(st presentation.Step) layers.Event {
	return layers.Event{}.SayPhrase(st.Phrase())
}

// bodySummary is the body of a POP3 multi-line reply as an argument of a
// text: its Summary in English, a Chinese summary in Chinese.
type bodySummary struct{ b application.Body }

func (s bodySummary) String() string { return s.b.Summary() }

func (s bodySummary) zh() string {
	switch b := s.b.(type) {
	case application.ScanListing:
		return fmt.Sprintf("%d 封邮件的扫描列表（%d B）", len(b), b.Size())
	case application.UIDListing:
		return fmt.Sprintf("%d 封邮件的唯一标识列表（%d B）", len(b), b.Size())
	case application.Capabilities:
		return fmt.Sprintf("%d 行的能力列表（%d B）", len(b), b.Size())
	case *application.Top:
		var what string
		switch {
		case b.Lines == 0:
			what = "不含正文行"
		case b.Whole && b.Sent == 0:
			what = "不含正文行（正文为空）"
		case b.Whole:
			what = fmt.Sprintf("全部 %d 行正文", b.Sent)
		case b.Sent == 1:
			what = "正文的第一行"
		default:
			what = fmt.Sprintf("正文的前 %d 行", b.Sent)
		}
		return fmt.Sprintf("一封 %s B 邮件的首部（%s B）和%s：%s B", layers.Thousands(b.Mail.Size()),
			layers.Thousands(int64(b.Mail.HeaderLen())), what, layers.Thousands(b.Size()))
	}
	return s.b.Summary()
}

// count counts things in a text: "1 packet", "2 packets" in English, the
// number and the measure word in Chinese.
func count(n int, noun string) layers.Phrase {
	switch noun {
	case "packet":
		return layers.Count(n, layers.Tell("n.packet", "%d packet", n),
			layers.Tell("n.packets", "%d packets", n))
	case "bit":
		return layers.Count(n, layers.Tell("n.bit", "%d bit", n),
			layers.Tell("n.bits", "%d bits", n))
	case "hop":
		return layers.Count(n, layers.Tell("n.hop", "%d hop", n),
			layers.Tell("n.hops", "%d hops", n))
	}
	return layers.Plain(layers.Plural(n, noun))
}

// icmpSummary returns the summary of an ICMP message as an argument of a
// text.
func icmpSummary(m network.ICMP) pduSummary { return pduSummary{kind: "icmp", text: m.Summary()} }

// ordinal is n as an ordinal number in a text: "2nd" in English.
func ordinal(n int) layers.Phrase {
	switch {
	case n%100 >= 11 && n%100 <= 13:
		return layers.Tell("n.th", "%dth", n)
	case n%10 == 1:
		return layers.Tell("n.st", "%dst", n)
	case n%10 == 2:
		return layers.Tell("n.nd", "%dnd", n)
	case n%10 == 3:
		return layers.Tell("n.rd", "%drd", n)
	}
	return layers.Tell("n.th", "%dth", n)
}
