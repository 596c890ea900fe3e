package sim

import (
	"regexp"
	"strings"

	"github.com/osisim/osisim/layers"
)

// SummaryText returns the one-line summary of a PDU (layers.PDU.Summary)
// in lang. A summary is protocol notation ("TCP 58788 > 110 [SYN]
// seq=..."), printed the same in every language; in Chinese the English
// words of the few summaries that have prose around the notation (the bits
// on the wire, ARP, ICMP, the session and presentation units) are
// translated, and every field name, flag and keyword stays as it is.
func SummaryText(lang layers.Lang, kind, s string) string {
	if lang != layers.ZH {
		return s
	}
	for _, r := range summaryRules {
		if r.kind != kind {
			continue
		}
		if m := r.re.FindStringSubmatchIndex(s); m != nil {
			out := string(r.re.ExpandString(nil, r.zh, s, m))
			if r.words != nil {
				out = r.words.Replace(out)
			}
			return out
		}
	}
	return s
}

// pduSummary is the summary of a PDU as an argument of a text: the summary
// in English, SummaryText in another language.
type pduSummary struct{ kind, text string }

func (p pduSummary) String() string  { return p.text }
func (p pduSummary) PDUKind() string { return p.kind }

// summaryOf returns p's summary as an argument of a text.
func summaryOf(p *layers.PDU) pduSummary { return pduSummary{kind: p.Kind, text: p.Summary} }

// icmpWords translates the names of ICMP's types and codes (RFC 792) as
// Chinese textbooks give them.
var icmpWords = strings.NewReplacer(
	"echo request", "回送请求",
	"echo reply", "回送回答",
	"destination unreachable", "终点不可达",
	"source quench", "源点抑制",
	"redirect", "改变路由（重定向）",
	"time exceeded", "时间超过",
	"parameter problem", "参数问题",
	"timestamp request", "时间戳请求",
	"timestamp reply", "时间戳回答",
	"router advertisement", "路由器通告",
	"router solicitation", "路由器询问",
	"address mask request", "地址掩码请求",
	"address mask reply", "地址掩码回答",
	"information request", "信息请求",
	"information reply", "信息回答",
	"net unreachable", "网络不可达",
	"host unreachable", "主机不可达",
	"protocol unreachable", "协议不可达",
	"port unreachable", "端口不可达",
	"fragmentation needed and DF set", "需要分片但设置了 DF",
	"source route failed", "源路由失败",
	"destination network unknown", "目的网络未知",
	"destination host unknown", "目的主机未知",
	"TTL expired in transit", "传输中 TTL 耗尽",
	"fragment reassembly time exceeded", "分片重组超时",
	"for the network", "对网络",
	"for the host", "对主机",
	", next-hop MTU ", "，下一跳 MTU ",
	" to ", " 到 ",
)

// summaryRules are the summaries with prose, by PDU kind: a pattern of the
// English summary and its Chinese, $1... standing for what the pattern's
// groups matched.
var summaryRules = []struct {
	kind  string
	re    *regexp.Regexp
	zh    string
	words *strings.Replacer
}{
	{"bits", regexp.MustCompile(`^preamble\+SFD (\d+) bits \+ (\d+) bits, (\S+), (.+) at (.+)$`),
		"前导码+SFD $1 比特 + $2 比特，$3，$5 下需 $4", nil},
	{"bits", regexp.MustCompile(`^(\d+) bits \(shorter than preamble\+SFD\), (\S+), (.+) at (.+)$`),
		"$1 比特（比前导码+SFD 还短），$2，$4 下需 $3", nil},
	{"arp", regexp.MustCompile(`^ARP request: who has (\S+)\? tell (\S+)$`), "ARP 请求：谁是 $1？请告诉 $2", nil},
	{"arp", regexp.MustCompile(`^ARP reply: (\S+) is at (\S+)$`), "ARP 响应：$1 的 MAC 地址是 $2", nil},
	{"arp", regexp.MustCompile(`^ARP announcement: (\S+) is at (\S+)$`), "ARP 通告：$1 的 MAC 地址是 $2", nil},
	{"arp", regexp.MustCompile(`^RARP request: who is (\S+)\? tell (\S+)$`), "RARP 请求：$1 的 IP 地址是什么？请告诉 $2", nil},
	{"arp", regexp.MustCompile(`^RARP reply: (\S+) is (\S+)$`), "RARP 响应：$1 的 IP 地址是 $2", nil},
	{"traceroute", regexp.MustCompile(`^traceroute probe (\d+) for hop (\d+): (\d+) bytes to UDP port (\d+)$`),
		"traceroute 第 $2 跳的第 $1 个探测：$3 字节，发往 UDP 端口 $4", nil},
	{"icmp", regexp.MustCompile(`^ICMP (.+)$`), "ICMP $1", icmpWords},
	{"icmp-name", regexp.MustCompile(`^(.+)$`), "$1", icmpWords},
	{"spdu", regexp.MustCompile(`^SPDU session (\d+): line of (\S+) B from the (initiator|responder) \(no session header\)$`),
		"SPDU 会话 $1：一行，$2 B，来自${3}（没有会话首部）", roleWords},
	{"spdu", regexp.MustCompile(`^SPDU session (\d+): end of a dot-terminated block of (\S+) B from the (initiator|responder) \(no session header\)$`),
		"SPDU 会话 $1：以点结束的块的末尾，$2 B，来自${3}（没有会话首部）", roleWords},
	{"spdu", regexp.MustCompile(`^SPDU session (\d+): piece of a dot-terminated block of (\S+) B from the (initiator|responder) \(no session header\)$`),
		"SPDU 会话 $1：以点结束的块的一部分，$2 B，来自${3}（没有会话首部）", roleWords},
	{"spdu", regexp.MustCompile(`^SPDU (\w+ session \d+ turn \d+ sync \d+): (line|block segment|last block segment) of (\S+) B from the (initiator|responder)(, gives the turn)? \(16 B session header\)$`),
		"SPDU $1：$2，$3 B，来自$4$5（16 B 的会话首部）", osiSPDUWords},
	{"spdu", regexp.MustCompile(`^SPDU (\w+ session \d+ turn \d+ sync \d+) from the (initiator|responder)(, gives the turn)? \(16 B session header\)$`),
		"SPDU $1：来自$2$3（16 B 的会话首部）", osiSPDUWords},
	{"pop3", regexp.MustCompile(`^POP3 command (".*") \((\d+) B with CRLF\)$`), "POP3 命令 $1（含 CRLF 共 $2 B）", nil},
	{"pop3", regexp.MustCompile(`^POP3 reply (.*)$`), "POP3 回复 $1", nil},
	{"ppdu", regexp.MustCompile(`^PPDU mail, (.+): (.+), (\S+), (\S+) B((?:, \S+ lines byte-stuffed)?) \(no presentation header\)$`),
		"PPDU 邮件，$1：$2，$3，$4 B$5（没有表示层首部）", stuffWords},
	{"ppdu", regexp.MustCompile(`^PPDU (.+), (\S+) B((?:, \S+ lines byte-stuffed)?) \(no presentation header\)$`),
		"PPDU $1，$2 B$3（没有表示层首部）", stuffWords},
	{"ppdu", regexp.MustCompile(`^PPDU (\S+), (\S+) B, (not compressed|DEFLATE-compressed), not encrypted \(8 B presentation header\)$`),
		"PPDU $1，$2 B，$3，未加密（8 B 的表示层首部）", strings.NewReplacer("not compressed", "未压缩", "DEFLATE-compressed", "DEFLATE 压缩")},
}

var roleWords = strings.NewReplacer("initiator", "发起方", "responder", "响应方")

var osiSPDUWords = strings.NewReplacer(
	"initiator", "发起方", "responder", "响应方",
	", gives the turn", "，交出发言权",
	"：last block segment，", "：块的最后一段，",
	"：block segment，", "：块的一段，",
	"：line，", "：一行，",
)

var stuffWords = strings.NewReplacer(", ", "，", " lines byte-stuffed", " 行做了字节填充",
	"US-ASCII lines", "US-ASCII 多行文本", "US-ASCII line", "US-ASCII 单行")

// FieldValueText returns the value of a header field (layers.Field) in
// lang: the value as the layer printed it, with the few English words
// some values carry beside the notation (bits "on the wire", "(20 bytes)",
// a checksum "correct") in Chinese.
func FieldValueText(lang layers.Lang, v string) string {
	if lang != layers.ZH {
		return v
	}
	v = onTheWire.ReplaceAllString(v, "线路上为 $1)")
	return fieldWords.Replace(inParens.ReplaceAllString(v, "（$1）"))
}

// inParens is an annotation after a value: "0x0800 (IPv4)".
var inParens = regexp.MustCompile(` \(([^()]*)\)`)

// onTheWire is how a field value shows the bits as the line carries them.
var onTheWire = regexp.MustCompile(`([^\s(]+) on the wire\)`)

var fieldWords = strings.NewReplacer(
	"（2 symbols per bit）", "（每比特 2 个码元）",
	"（1 symbol per bit）", "（每比特 1 个码元）",
	" bits, ", " 比特，",
	" bytes）", " 字节）",
	" bits（", " 比特（",
	" octets）", " 个八位组）",
	", correct）", "，正确）",
	", wrong）", "，错误）",
	"incomplete（", "不完整（",
	"（broadcast）", "（广播）",
	"（request）", "（请求）",
	"（reply）", "（响应）",
)
