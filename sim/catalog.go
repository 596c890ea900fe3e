package sim

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/osisim/osisim/layers"
)

// Text is one fixed text of the user interface in both languages.
type Text struct {
	EN, ZH string
}

// In returns the text in lang (English for any language but Chinese).
func (t Text) In(lang layers.Lang) string {
	if lang == layers.ZH {
		return t.ZH
	}
	return t.EN
}

// Msg returns the text of message id in lang. An id that the catalog lacks
// comes back as "{!id}", so that a missing text shows in the output (and
// fails the golden tests) instead of vanishing.
func Msg(lang layers.Lang, id string) string {
	t, ok := catalog[id]
	if !ok {
		return "{!" + id + "}"
	}
	return t.In(lang)
}

// Msgf formats the text of message id in lang with args, as fmt.Sprintf
// does. Both languages of a formatted message take the same verbs in the
// same order.
func Msgf(lang layers.Lang, id string, args ...any) string {
	return fmt.Sprintf(Msg(lang, id), args...)
}

// MsgLines returns the text of message id in lang split into its lines:
// list entries of the catalog hold one item a line.
func MsgLines(lang layers.Lang, id string) []string {
	return strings.Split(Msg(lang, id), "\n")
}

// LookupMsg returns the texts of message id.
func LookupMsg(id string) (Text, bool) {
	t, ok := catalog[id]
	return t, ok
}

// MsgIDs returns every message id of the catalog, sorted.
func MsgIDs() []string {
	ids := make([]string, 0, len(catalog))
	for id := range catalog {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// DisplayWidth returns how many terminal columns s takes: a Chinese,
// Japanese or Korean character and a fullwidth form take two, anything
// else one.
func DisplayWidth(s string) int {
	w := 0
	for _, r := range s {
		if IsWide(r) {
			w += 2
		} else {
			w++
		}
	}
	return w
}

// IsWide reports whether r takes two terminal columns (East Asian wide and
// fullwidth characters, UAX #11).
func IsWide(r rune) bool {
	return r >= 0x1100 && (unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hangul, unicode.Hiragana, unicode.Katakana) ||
		(r >= 0xff00 && r <= 0xff60) || (r >= 0x3000 && r <= 0x303f))
}

// catalog holds every fixed, human-readable text of the command line, keyed
// by message id. Ids are dotted: "cmd.<command>.short|long" for help texts,
// "flag.<command>.<flag>" for flag descriptions, "layer.<N>.<fact>" for the
// facts of OSI layer N, "service.<name>" for the port table's services
// (the English text is transport's Description), and one prefix per
// command for its output. Texts whose id ends in ".impl" or ".not" are
// lists, one item a line, with as many lines in both languages. In the
// help texts "{scenario}" stands for the default scenario's name.
var catalog = map[string]Text{
	// Languages.
	"lang.unknown": {
		"unknown language %q: want en or zh",
		"未知的语言 %q：应为 en 或 zh"},

	// Help: the usage template, and the commands and flags cobra adds.
	"help.usage": {usageEN, usageZH},
	"cmd.help.short": {
		"Help about any command",
		"显示任一命令的帮助"},
	"cmd.completion.short": {
		"Generate the autocompletion script for the specified shell",
		"为指定的 shell 生成命令补全脚本"},
	"flag.help": {
		"help for %s",
		"%s 的帮助"},
	"flag.lang": {
		"language of the output: en or zh (default from LC_ALL, LC_MESSAGES or LANG)",
		"输出的语言：en 或 zh（默认取自 LC_ALL、LC_MESSAGES 或 LANG）"},

	// The root command.
	"cmd.osisim.short": {
		"An OSI / TCP-IP layer simulator for the classroom",
		"面向课堂的 OSI / TCP-IP 分层模拟器"},
	"cmd.osisim.long": {
		`osisim runs a small network (hosts, switches, routers, links) in simulated time.
Every layer of every node really encapsulates and decapsulates its PDU in standard
wire formats, and the trace shows what each layer did: bits, frames, datagrams,
segments and messages. With no argument, "osisim run" runs the default lesson:
one POP3 mail retrieval (RETR) through all seven layers.`,
		`osisim 在模拟时间里运行一个小网络（主机、交换机、路由器、链路）。
每个节点的每一层都按标准的线路格式真正地封装和解封自己的 PDU，
轨迹显示每一层做了什么：比特、帧、数据报、段和报文。不带参数时，
"osisim run" 运行默认的一课：一次 POP3 取信（RETR），穿过全部七层。`},

	// run.
	"cmd.run.short": {
		"Run a scenario and print its layer-by-layer trace",
		"运行一个场景，逐层打印它的轨迹"},
	"cmd.run.long": {
		`Run a bundled scenario (by name) or a scenario file, and print what every layer of
every node did. With no argument it runs the default lesson, {scenario}.

The text format tells a story in chapters: one complete walk through the layers,
with repetitions summed up; --all prints every event. The json format writes one
event per line (docs/trace-format.md). The pcapng and pcap formats write a capture
file of every frame on every link (-o is then required); Wireshark opens it.

Exit status: 0 when the scenario met its expectations, 1 when it did not,
2 for bad usage or a bad scenario file.`,
		`运行一个自带的场景（按名字）或一个场景文件，打印每个节点的每一层做了什么。
不带参数时运行默认的一课 {scenario}。

text 格式按章节讲述：完整地走一遍各层，重复的步骤在章末汇总；--all 打印
每一个事件。json 格式每行写一个事件（见 docs/trace-format.md）。pcapng 和 pcap
格式把每条链路上的每个帧写成一个抓包文件（这时必须用 -o 指定文件），可用 Wireshark 打开。

退出状态：场景满足预期时为 0，不满足时为 1，用法错误或场景文件有误时为 2。`},
	"flag.run.seed": {
		"seed of the run's random source (default: the scenario's seed)",
		"本次运行的随机数种子（默认：场景中的种子）"},
	"flag.run.format": {
		"output format: text, json, html, list, follow, mermaid, pcapng or pcap",
		"输出格式：text、json、html、list、follow、mermaid、pcapng 或 pcap"},
	"flag.run.output": {
		"write the trace to this file instead of standard output",
		"把轨迹写入这个文件，而不是标准输出"},
	"flag.run.all": {
		"print every event (text format)",
		"打印每一个事件（text 格式）"},
	"flag.run.model": {
		"read the trace through this model: osi7, tcpip5 or tcpip4",
		"按这个模型阅读轨迹：osi7、tcpip5 或 tcpip4"},
	"flag.run.profile": {
		"stack profile above TCP: internet or osi (default: the scenario's, else internet; docs/profiles.md)",
		"TCP 之上的协议栈规范：internet 或 osi（默认：场景中的，否则 internet；见 docs/profiles.md）"},
	"flag.run.compress": {
		"DEFLATE-compress at the presentation layer (osi profile)",
		"在表示层用 DEFLATE 压缩（osi 规范）"},
	"flag.explain.profile": {
		"stack profile above TCP: internet or osi (default: the scenario's, else internet; docs/profiles.md)",
		"TCP 之上的协议栈规范：internet 或 osi（默认：场景中的，否则 internet；见 docs/profiles.md）"},
	"flag.explain.compress": {
		"DEFLATE-compress at the presentation layer (osi profile)",
		"在表示层用 DEFLATE 压缩（osi 规范）"},

	// version.
	"cmd.version.short": {
		"Print osisim's version",
		"打印 osisim 的版本"},

	// models.
	"cmd.scenarios.short": {
		"List the bundled scenarios",
		"列出内置的场景"},
	"cmd.scenarios.long": {
		"List the bundled scenarios (the lessons), one line each, in the language of --lang.\n\"osisim scenarios show NAME\" prints a scenario's file: a starting point to copy,\nchange and run with \"osisim run FILE.yaml\".",
		"列出内置的场景（课程），每个一行，语言由 --lang 决定。\n\"osisim scenarios show 名称\" 打印一个场景的文件：可以复制、修改，\n再用 \"osisim run 文件.yaml\" 运行。"},
	"cmd.scenarios.show.short": {
		"Print a bundled scenario's file",
		"打印一个内置场景的文件"},
	"cmd.scenarios.show.long": {
		"Print the YAML file of a bundled scenario, as a starting point for a lesson of your own:\nosisim scenarios show pop3-retr > my-lesson.yaml",
		"打印一个内置场景的 YAML 文件，作为自己编写课程的起点：\nosisim scenarios show pop3-retr > my-lesson.yaml"},
	"cmd.validate.short": {
		"Check scenario files without running them",
		"只检查场景文件，不运行"},
	"cmd.validate.long": {
		"Check scenario files as \"osisim run\" does before it runs anything: the YAML syntax,\nunknown keys, addresses, links, services, times and expectations. Each file prints\n\"FILE: ok\", or every problem found as FILE:LINE:COLUMN: what is wrong.\nA bundled scenario's name is accepted too.\n\nExit status: 0 when every file is valid, 2 otherwise.",
		"像 \"osisim run\" 运行前那样检查场景文件：YAML 语法、未知的键、地址、链路、服务、\n时间和预期结果。每个文件打印 \"文件: ok\"，或者以 文件:行:列: 问题 的形式列出\n发现的每个问题。也可以给出内置场景的名称。\n\n退出状态：所有文件都有效时为 0，否则为 2。"},
	"cmd.models.short": {
		"Show the OSI-7, TCP/IP-5 and TCP/IP-4 models side by side",
		"并排显示 OSI 七层、TCP/IP 五层和 TCP/IP 四层模型"},
	"cmd.models.long": {
		`Show the OSI 7-layer, TCP/IP 5-layer and TCP/IP 4-layer models side by side, rows
aligned, and for each layer its PDU, what it does, its protocols, its devices and
the osisim package that implements it.`,
		`并排显示 OSI 七层、TCP/IP 五层和 TCP/IP 四层模型，各行对齐；并给出每一层的
协议数据单元、功能、协议、设备，以及实现它的 osisim 包。`},
	"models.title": {
		"The OSI-7, TCP/IP-5 and TCP/IP-4 models side by side",
		"OSI 七层、TCP/IP 五层与 TCP/IP 四层模型对照"},
	"models.pdu": {"PDU", "协议数据单元"},
	"models.note": {
		`TCP/IP-5 is the textbook model. TCP/IP-4 is the model of RFC 1122, whose link layer is the network-access layer here. In TCP/IP the functions of the session and presentation layers live inside the application: osisim does their work as layers of their own, so that the trace shows it, but they add no header bytes to the wire.`,
		`TCP/IP 五层是教科书采用的模型；TCP/IP 四层是 RFC 1122 的模型，其中的链路层就是这里的网络接口层。在 TCP/IP 中，会话层和表示层的功能都在应用程序内部完成：osisim 把它们作为单独的层来实现，好让轨迹显示出来，但它们不在线路上添加任何首部字节。`},
	"models.layers": {
		"Layer by layer, from the top",
		"逐层说明（自上而下）"},
	"models.more": {
		`"osisim layers N" tells what osisim implements at layer N, and what it does not.`,
		`用 "osisim layers N" 查看 osisim 在第 N 层实现了什么、没有实现什么。`},
	"model.osi7":   {"OSI-7", "OSI 七层"},
	"model.tcpip5": {"TCP/IP-5", "TCP/IP 五层"},
	"model.tcpip4": {"TCP/IP-4", "TCP/IP 四层"},

	// Labels of the layer facts.
	"fact.does":      {"What it does", "功能"},
	"fact.protocols": {"Protocols", "协议"},
	"fact.devices":   {"Devices", "设备"},
	"fact.package":   {"In osisim", "osisim 包"},
	"fact.pdu":       {"PDU", "协议数据单元"},
	"fact.impl":      {"What osisim implements", "osisim 实现了什么"},
	"fact.not":       {"What osisim does not implement", "osisim 没有实现什么"},

	// layers.
	"cmd.layers.short": {
		"Explain a layer: what it does, its PDU, protocols and devices",
		"讲解一层：功能、协议数据单元、协议和设备"},
	"cmd.layers.long": {
		`Without an argument, list the seven layers of the OSI model. With a layer number
(1-7) or name (physical, datalink, network, transport, session, presentation,
application, or the Chinese name), tell what the layer does, its PDU, protocols
and devices, and what osisim implements there and what it does not.`,
		`不带参数时列出 OSI 模型的七层。给出层号（1-7）或层名（physical、datalink、
network、transport、session、presentation、application，或中文名，如"传输层"）
时，讲解这一层的功能、协议数据单元、协议和设备，以及 osisim 在这一层实现了
什么、没有实现什么。`},
	"layers.title": {
		"The seven layers of the OSI model, from the top",
		"OSI 模型的七层（自上而下）"},
	"layers.more": {
		`"osisim layers N" or "osisim layers NAME" explains one of them.`,
		`用 "osisim layers N" 或 "osisim layers 层名" 查看其中一层的详细说明。`},
	"layers.models": {
		"%s: %s; %s: %s",
		"%s：%s；%s：%s"},
	"layers.unknown": {
		"no layer %q: want a number 1-7 or a name (physical, datalink, network, transport, session, presentation, application)",
		"没有 %q 这一层：应为 1-7 的层号或层名（physical、datalink、network、transport、session、presentation、application，或中文层名）"},

	// The facts of each layer, as the source material gives them, and
	// what osisim does there (from each package's doc.go).
	"layer.1.role": {
		"bits as signals on the medium",
		"在介质上以信号传送比特"},
	"layer.1.does": {
		"Moves raw bits over the medium: it turns each bit into a signal with a line code, sends the bits at a bit rate and delivers them, errors included, without looking at what they mean.",
		"在传输介质上传送原始比特：用线路编码把比特变成信号，按一定的速率发送，再把收到的比特（连同差错）原样交给上层，不关心比特的含义。"},
	"layer.1.protocols": {
		"the IEEE 802.3 physical layers (10BASE-T, 100BASE-TX, ...); line codes such as NRZ and Manchester",
		"IEEE 802.3 的各种物理层（10BASE-T、100BASE-TX 等）；NRZ、曼彻斯特编码等线路编码"},
	"layer.1.devices": {
		"repeaters, hubs",
		"中继器、集线器"},
	"layer.1.impl": {
		"the preamble (7 octets 0x55) and the SFD (0xd5) in front of every frame, octets sent least significant bit first (IEEE 802.3 clause 4)\n" +
			"the NRZ and Manchester line codes; a Manchester code violation is detected at once\n" +
			"serialization time (bits / bit rate) and propagation delay on every link\n" +
			"the faults of the medium: bit errors at a bit error rate, lost frames and outages\n" +
			"hubs and repeaters: every signal is regenerated on all the other ports",
		"每个帧前面的前同步码（7 个 0x55）和帧开始定界符 SFD（0xd5），每个字节低位先发（IEEE 802.3 第 4 条）\n" +
			"NRZ 和曼彻斯特两种线路编码；曼彻斯特编码的违例会被立即发现\n" +
			"每条链路上的发送时延（比特数 / 速率）和传播时延\n" +
			"介质的故障：按误码率出现的比特差错、丢失的帧和链路中断\n" +
			"集线器和中继器：把每个信号再生后从其他所有端口发出"},
	"layer.1.not": {
		"the codes of faster Ethernets: 4B/5B, 8B/10B, MLT-3, PAM\n" +
			"carrier sense, collisions, jam and backoff (CSMA/CD); the interframe gap\n" +
			"signal levels, attenuation and clock drift; autonegotiation\n" +
			"hunting for the SFD in a preamble that lost bits",
		"更快的以太网所用的编码：4B/5B、8B/10B、MLT-3、PAM\n" +
			"载波监听、冲突、干扰信号和退避（CSMA/CD）；帧间间隔\n" +
			"信号电平、衰减和时钟漂移；自动协商\n" +
			"在丢失了比特的前同步码中寻找 SFD"},

	"layer.2.role": {
		"neighbour to neighbour: MAC, FCS",
		"相邻节点之间：MAC 地址、差错检测"},
	"layer.2.does": {
		"Carries frames between neighbouring stations on one link, addressed by MAC address, and detects frames damaged in transit with the FCS (a CRC-32) and discards them. The source material also puts flow control and retransmission here, as HDLC does them; Ethernet only detects errors and leaves the rest to TCP.",
		"在同一条链路上的相邻站点之间传送帧，用 MAC 地址寻址；用帧校验序列 FCS（CRC-32）检测传输中出错的帧并丢弃。教材还把流量控制和重传放在这一层（HDLC 就这样做）；以太网只检测差错，其余的交给 TCP。"},
	"layer.2.protocols": {
		"Ethernet (IEEE 802.3), transparent bridging (IEEE 802.1D); also HDLC, PPP",
		"以太网（IEEE 802.3）、透明网桥（IEEE 802.1D）；还有 HDLC、PPP"},
	"layer.2.devices": {
		"bridges, switches",
		"网桥、交换机"},
	"layer.2.impl": {
		"Ethernet II frames: destination and source MAC address, EtherType, the payload padded to 46 octets, 64 to 1518 octets in all\n" +
			"the FCS: a CRC-32 computed by the sender and checked by the receiver, which drops a damaged frame (reason: FCS mismatch)\n" +
			"the learning switch (IEEE 802.1D): it learns source addresses, forwards to the known port, floods broadcasts and unknown destinations, filters, and forgets an address after 300 s",
		"以太网 II 帧：目的 MAC 地址、源 MAC 地址、类型字段，数据不足 46 字节时填充，整帧 64 到 1518 字节\n" +
			"FCS：发送方计算 CRC-32，接收方校验，丢弃出错的帧（原因：FCS 不符）\n" +
			"自学习交换机（IEEE 802.1D）：学习源地址，向已知端口转发，对广播和未知目的地址泛洪，过滤，300 秒后忘记不再出现的地址"},
	"layer.2.not": {
		"flow control and retransmission at this layer (Ethernet has none: TCP does both, end to end)\n" +
			"IEEE 802.3 length frames with an LLC/SNAP header, VLAN tags (IEEE 802.1Q), jumbo and pause frames\n" +
			"the spanning tree protocol: a looped topology would flood forever\n" +
			"per-port queues in the switch",
		"这一层的流量控制和重传（以太网没有：两者都由 TCP 端到端完成）\n" +
			"带 LLC/SNAP 首部的 IEEE 802.3 长度帧、VLAN 标记（IEEE 802.1Q）、巨型帧和暂停帧\n" +
			"生成树协议：有环路的拓扑会无休止地泛洪\n" +
			"交换机的逐端口队列"},

	"layer.3.role": {
		"host to host across networks: routing",
		"跨网络的主机到主机：路由"},
	"layer.3.does": {
		"Moves datagrams from the source host to the destination host across many networks, hop by hop: each node looks the destination up in its routing table and passes the datagram to the next hop. IP is connectionless and unreliable (best effort): a datagram may be lost, duplicated or reordered, and the layers above must cope.",
		"把数据报从源主机经过多个网络逐跳送到目的主机：每个节点在路由表中查找目的地址，把数据报交给下一跳。IP 是无连接、不可靠的（尽力而为）：数据报可能丢失、重复或乱序，由上面的层来应对。"},
	"layer.3.protocols": {
		"IP, ICMP, ARP, RARP; routing protocols (RIP, OSPF, BGP)",
		"IP、ICMP、ARP、RARP；路由选择协议（RIP、OSPF、BGP）"},
	"layer.3.devices": {
		"routers",
		"路由器"},
	"layer.3.impl": {
		"IPv4 datagrams (RFC 791) with the header checksum (RFC 1071)\n" +
			"the routing table with longest prefix match; hosts with a default gateway\n" +
			"ARP (RFC 826): the cache, a queue for datagrams waiting for an answer, retries; RARP packets on the wire\n" +
			"routers: the TTL is decremented and the checksum updated (RFC 1624); a datagram whose TTL runs out is dropped; drop-tail output queues (RFC 1812)\n" +
			"fragmentation to the MTU of the outgoing interface and reassembly with RFC 815's hole list; Don't Fragment and ICMP fragmentation needed (RFC 1191)\n" +
			"ICMP (RFC 792): echo, destination unreachable, time exceeded, and source quench when a scenario asks for it",
		"IPv4 数据报（RFC 791）及首部检验和（RFC 1071）\n" +
			"按最长前缀匹配的路由表；主机的默认网关\n" +
			"ARP（RFC 826）：缓存、等待应答的数据报队列、重试；线路上的 RARP 分组\n" +
			"路由器：TTL 减一并更新检验和（RFC 1624）；TTL 耗尽的数据报被丢弃；尾部丢弃的输出队列（RFC 1812）\n" +
			"按出接口的 MTU 分片，用 RFC 815 的空洞表重组；不分片标志 DF 和 ICMP 需要分片报文（RFC 1191）\n" +
			"ICMP（RFC 792）：回送、目的不可达、超时，以及场景要求时的源点抑制"},
	"layer.3.not": {
		"IP options: carried, copied into fragments and printed, but never acted on\n" +
			"generating ICMP redirect and parameter problem messages\n" +
			"a RARP server, proxy ARP, gratuitous ARP\n" +
			"routing protocols (routes are static), multicast, IGMP, IPv6",
		"IP 选项：携带、复制到分片中并显示，但不起作用\n" +
			"产生 ICMP 重定向和参数问题报文\n" +
			"RARP 服务器、代理 ARP、免费 ARP\n" +
			"路由选择协议（路由是静态的）、多播、IGMP、IPv6"},

	"layer.4.role": {
		"process to process: ports, reliability",
		"进程到进程：端口、可靠传输"},
	"layer.4.does": {
		"Carries data end to end between two processes, told apart by port numbers. TCP makes a reliable, ordered byte stream out of unreliable datagrams: sequence numbers, acknowledgments and retransmission (error control), the receive window (flow control) and congestion control. UDP adds only ports and a checksum.",
		"在两个进程之间端到端地传送数据，用端口号区分进程。TCP 在不可靠的数据报之上建立可靠、有序的字节流：序号、确认和重传（差错控制），接收窗口（流量控制），以及拥塞控制。UDP 只增加端口和检验和。"},
	"layer.4.protocols": {
		"TCP, UDP",
		"TCP、UDP"},
	"layer.4.devices": {
		"gateways (the source material puts them here: a gateway works at the transport layer and above)",
		"网关（教材把它放在这一层：网关工作在传输层及以上）"},
	"layer.4.impl": {
		"TCP (RFC 9293): the state machine with its states as the RFC spells them, the three-way handshake with MSS, FIN close, TIME-WAIT, RST\n" +
			"reliability: the RFC 6298 retransmission timer with Karn's rule and backoff, fast retransmit and NewReno fast recovery, an out-of-order queue\n" +
			"flow control with the receive window and the zero-window persist timer; slow start and congestion avoidance (RFC 5681)\n" +
			"UDP (RFC 768)\n" +
			"ports and their classes (RFC 6335); a client's port drawn at random from the dynamic range",
		"TCP（RFC 9293）：状态机（状态名与 RFC 一致）、带 MSS 的三次握手、FIN 释放、TIME-WAIT、RST\n" +
			"可靠传输：RFC 6298 的重传计时器（含 Karn 算法和退避）、快速重传和 NewReno 快速恢复、乱序队列\n" +
			"用接收窗口做流量控制，零窗口时的坚持计时器；慢开始和拥塞避免（RFC 5681）\n" +
			"UDP（RFC 768）\n" +
			"端口及其分类（RFC 6335）；客户端的端口从动态端口范围中随机选取"},
	"layer.4.not": {
		"delayed ACKs and Nagle's algorithm\n" +
			"window scaling, timestamps and SACK, so windows stop at 65535\n" +
			"urgent data, data on a SYN, ECN, keep-alives\n" +
			"path MTU discovery and other reactions to ICMP errors",
		"延迟确认和 Nagle 算法\n" +
			"窗口扩大、时间戳和 SACK 选项，所以窗口最大为 65535\n" +
			"紧急数据、SYN 携带的数据、ECN、保活\n" +
			"路径 MTU 发现，以及对 ICMP 差错的其他反应"},

	"layer.5.role": {
		"dialogs: set-up, turns, checkpoints",
		"会话的建立、轮流、检查点"},
	"layer.5.does": {
		"Sets up, manages and releases the dialog between two applications: it controls whose turn it is to speak, and marks checkpoints (synchronization points) from which a long transfer could resume after a failure.",
		"建立、管理和释放两个应用之间的会话：控制轮到谁发言，并设置检查点（同步点），长时间的传输出故障后可以从检查点恢复。"},
	"layer.5.protocols": {
		"the OSI session protocol (ISO 8327); in TCP/IP the application does it itself (the greeting, turns and QUIT of POP3 and SMTP); RPC",
		"OSI 会话协议（ISO 8327）；在 TCP/IP 中由应用自己完成（POP3 和 SMTP 的问候、轮流应答和 QUIT）；RPC"},
	"layer.5.devices": {
		"none of its own: it runs in the end hosts",
		"没有专门的设备：在端系统中完成"},
	"layer.5.impl": {
		"set-up, release and abort of a session, with the states IDLE, OPEN, RELEASED and ABORTED\n" +
			"dialog control: a half-duplex turn token; speaking out of turn is an error\n" +
			"numbered checkpoints with their label and octet count, shown in the trace\n" +
			"framing of the text dialog: where each command, reply and dot-terminated block ends in the TCP byte stream",
		"会话的建立、释放和异常中止，状态为 IDLE、OPEN、RELEASED 和 ABORTED\n" +
			"对话控制：半双工的令牌；不该发言时发言是错误\n" +
			"带编号的检查点，记录标签和字节数，显示在轨迹中\n" +
			"文本对话的定界：在 TCP 字节流中找出每条命令、每个应答和以点结尾的数据块在哪里结束"},
	"layer.5.not": {
		"the encodings of the OSI session protocol's SPDUs (CN, AC, DT ...): in TCP/IP there is no session header\n" +
			"resuming a dialog from a checkpoint\n" +
			"full-duplex dialogs, activities and major synchronization points\n" +
			"pipelined commands (RFC 2449): one request, one response",
		"OSI 会话协议的各种会话协议数据单元的编码（CN、AC、DT 等）：TCP/IP 中没有会话层首部\n" +
			"从检查点恢复会话\n" +
			"全双工对话、活动和主同步点\n" +
			"流水线式的命令（RFC 2449）：一问一答"},

	"layer.6.role": {
		"data formats, compression, encryption",
		"数据格式、压缩、加密"},
	"layer.6.does": {
		"Converts data between the form the application uses and a transfer syntax that both ends understand: character sets and format conversion, compression and encryption.",
		"在应用使用的数据形式和双方都能理解的传送语法之间进行转换：字符集和格式转换、数据压缩和加密。"},
	"layer.6.protocols": {
		"MIME and its encodings (base64, quoted-printable), character sets (UTF-8, GB18030), ASN.1; compression; encryption (TLS)",
		"MIME 及其编码（base64、quoted-printable）、字符集（UTF-8、GB18030）、ASN.1；压缩；加密（TLS）"},
	"layer.6.devices": {
		"none of its own: it runs in the end hosts",
		"没有专门的设备：在端系统中完成"},
	"layer.6.impl": {
		"mail encoding: Unicode to UTF-8, RFC 2047 encoded-words in header fields, CRLF line ends, 7bit, quoted-printable or base64 bodies, the MIME header fields\n" +
			"POP3 byte-stuffing of multi-line replies and the terminating line \".\" (RFC 1939)\n" +
			"streaming decoding, with a hash that proves the mail arrived intact",
		"邮件编码：Unicode 转 UTF-8、首部中的 RFC 2047 编码字、CRLF 行尾、7bit、quoted-printable 或 base64 正文、MIME 首部字段\n" +
			"POP3 多行应答的字节填充和结束行 \".\"（RFC 1939）\n" +
			"流式解码，并用散列值证明邮件完好无损"},
	"layer.6.not": {
		"charsets other than UTF-8 (no GB18030 or GBK bodies yet)\n" +
			"multipart bodies and attachments\n" +
			"compression and encryption\n" +
			"the ASN.1/BER transfer syntaxes of the OSI presentation protocol",
		"UTF-8 以外的字符集（暂不支持 GB18030 或 GBK 正文）\n" +
			"多部分正文和附件\n" +
			"压缩和加密\n" +
			"OSI 表示协议的 ASN.1/BER 传送语法"},

	"layer.7.role": {
		"protocols of the programs people use",
		"用户所用程序的协议"},
	"layer.7.does": {
		"Gives the programs people use their protocols: file transfer, remote login, name lookup, mail, the web. It is the only layer a user sees.",
		"为用户使用的程序提供协议：文件传送、远程登录、域名解析、电子邮件、万维网。这是用户唯一能看到的一层。"},
	"layer.7.protocols": {
		"FTP, Telnet, DNS, SMTP, POP3, HTTP",
		"FTP、Telnet、DNS、SMTP、POP3、HTTP"},
	"layer.7.devices": {
		"none of its own: it runs in the end hosts",
		"没有专门的设备：在端系统中完成"},
	"layer.7.impl": {
		"POP3 (RFC 1939): a server and a scripted client, with the AUTHORIZATION, TRANSACTION and UPDATE states\n" +
			"the commands USER, PASS, STAT, LIST, RETR, DELE, NOOP, RSET and QUIT\n" +
			"a maildrop whose deletions take effect only in the UPDATE state, after QUIT\n" +
			"the length limits of commands and replies (RFC 1939, RFC 2449)",
		"POP3（RFC 1939）：服务器和按脚本执行的客户端，状态为 AUTHORIZATION、TRANSACTION 和 UPDATE\n" +
			"命令 USER、PASS、STAT、LIST、RETR、DELE、NOOP、RSET 和 QUIT\n" +
			"邮箱：删除要到 QUIT 之后的 UPDATE 状态才生效\n" +
			"命令和应答的长度限制（RFC 1939、RFC 2449）"},
	"layer.7.not": {
		"the optional commands APOP, TOP, UIDL and CAPA (RFC 1939, RFC 2449), and POP3 over TLS\n" +
			"pipelined commands: the client waits for each reply before the next command\n" +
			"the server's inactivity autologout timer; several maildrops on one server\n" +
			"FTP, Telnet, DNS, SMTP and HTTP: POP3 is the only application so far",
		"可选命令 APOP、TOP、UIDL 和 CAPA（RFC 1939、RFC 2449），以及基于 TLS 的 POP3\n" +
			"流水线式的命令：客户端等到每个应答之后才发下一条命令\n" +
			"服务器的空闲自动注销计时器；一台服务器上的多个邮箱\n" +
			"FTP、Telnet、DNS、SMTP 和 HTTP：目前只有 POP3 一种应用"},

	// ports.
	"cmd.ports.short": {
		"Explain port numbers: their classes and the common services",
		"讲解端口号：端口的分类和常用服务"},
	"cmd.ports.long": {
		`Without an argument, show the three classes of port numbers, the services of the
source material with their ports and transport protocols, why a client's port is
a dynamic one, and the client ports a run of the default lesson actually used.
With a port number or a service name (pop3, http, ftp, ...), show that port.`,
		`不带参数时，显示端口号的三类、教材中的服务及其端口和传输层协议、为什么客户端的
端口是动态端口，以及默认的一课实际运行时客户端用了哪个端口。给出端口号或服务名
（pop3、http、ftp 等）时，只显示那个端口。`},
	"ports.classes": {
		"Port numbers (RFC 6335 section 6)",
		"端口号的分类（RFC 6335 第 6 节）"},
	"ports.col.class": {"Class", "类别"},
	"ports.col.range": {"Range", "范围"},
	"ports.col.use":   {"Who uses it", "用途"},
	"ports.use.well-known": {
		"servers of standard services; assigned by the IETF (system ports)",
		"标准服务的服务器；由 IETF 分配（系统端口）"},
	"ports.use.registered": {
		"other servers; registered with IANA on request (user ports)",
		"其他服务器；按申请在 IANA 登记（用户端口）"},
	"ports.use.dynamic": {
		"never assigned: a client takes one for the life of a connection",
		"从不分配：客户端在一个连接存续期间临时使用"},
	"portclass.well-known": {"well-known", "熟知端口"},
	"portclass.registered": {"registered", "登记端口"},
	"portclass.dynamic":    {"dynamic", "动态端口"},
	"ports.services": {
		"Services of the source material",
		"教材中的服务"},
	"ports.col.service":   {"Service", "服务"},
	"ports.col.port":      {"Port", "端口"},
	"ports.col.transport": {"Transport", "传输层"},
	"ports.col.what":      {"What it is", "说明"},
	"ports.why.title": {
		"Why a client's port is dynamic",
		"为什么客户端的端口是动态端口"},
	"ports.why": {
		"A server must be found, so it listens on a port that everyone knows (POP3: 110). A client is never called: it needs a port only for the life of its connection, to tell its connections apart. So its TCP picks a free port at random from the dynamic range, 49152-65535, which is never assigned to a service (RFC 6335); picking at random also makes the port hard for an attacker to guess (RFC 6056). A connection is then named by four numbers: the client's address and port, and the server's address and port.",
		"服务器要让别人找得到，所以在一个人人都知道的端口上监听（POP3：110）。客户端从来不会被别人呼叫：它只在连接存续期间需要一个端口，用来区分自己的各个连接。所以客户端的 TCP 从动态端口范围 49152-65535 中随机选一个空闲端口，这个范围从不分配给任何服务（RFC 6335）；随机选取还让攻击者难以猜到端口（RFC 6056）。于是一个连接由四个数确定：客户端的地址和端口、服务器的地址和端口。"},
	"ports.run.title": {
		"Client ports of a run (%s, seed %d)",
		"一次运行中客户端的端口（%s，种子 %d）"},
	"ports.run.client": {
		"%s: local port %d (%s), to %s port %s",
		"%s：本地端口 %d（%s），连往 %s 的端口 %s"},
	"ports.run.none": {
		"%s: did not connect",
		"%s：没有建立连接"},
	"ports.run.seed": {
		"Another seed draws another port: the choice comes from the run's seeded random source.",
		"换一个种子就会选到另一个端口：这个选择来自本次运行的随机数源。"},
	"ports.one": {
		"Port %d is a %s port (%s).",
		"端口 %d 是%s（%s）。"},
	"ports.none": {
		"No service of osisim's table uses it.",
		"osisim 的服务表中没有服务使用它。"},
	"ports.dynamic.note": {
		"It is never assigned to a service: clients take ports from this range for their connections (see \"osisim ports\").",
		"它从不分配给任何服务：客户端从这个范围中取端口给自己的连接使用（见 \"osisim ports\"）。"},
	"ports.bad": {
		"no port or service %q: want a number 0-65535 or a service name (%s)",
		"没有 %q 这个端口或服务：应为 0-65535 的数或服务名（%s）"},
	"ports.and": {", ", "、"},

	// run --format list: the packet list of one link end.
	"list.title": {
		"Frames on %s, numbered as \"osisim explain N\" takes them (out: sent there, in: received there)",
		"%s 上的帧，编号与 \"osisim explain N\" 所用的相同（出：从这里发出，入：在这里收到）"},
	"list.no":    {"No.", "序号"},
	"list.time":  {"Time", "时间"},
	"list.dir":   {"Dir", "方向"},
	"list.src":   {"Source", "源地址"},
	"list.dst":   {"Destination", "目的地址"},
	"list.proto": {"Protocol", "协议"},
	"list.len":   {"Length", "长度"},
	"list.info":  {"Info", "信息"},
	"list.out":   {"out", "出"},
	"list.in":    {"in", "入"},
	"list.dropped": {
		"[dropped: %s]",
		"[被丢弃：%s]"},
	"list.nobytes": {
		"(the frame's octets are not in the trace)",
		"（轨迹中没有这个帧的字节）"},
	"list.continuation": {
		"%s continuation of a multi-line response, %s B",
		"%s 多行响应的后续数据，%s 字节"},
	"list.more": {
		"(+%s B)",
		"（另有 %s 字节）"},
	"list.none": {
		"No frame went through %s: is it a link end of the scenario (NODE.INTERFACE, a switch's port by number)?",
		"没有帧经过 %s：它是场景中某条链路的一端吗（节点.接口，交换机的端口用编号）？"},
	"list.count": {
		"%[1]d of %[2]d frames shown on %[3]s",
		"显示了 %[2]d 个帧中的 %[1]d 个（%[3]s）"},

	// run --format follow: the application's dialog.
	"follow.title": {
		"The POP3 dialog as the application of %s saw it (C: client, S: server)",
		"%s 的应用程序所见的 POP3 对话（C：客户端，S：服务器）"},
	"follow.everyone": {"every host", "所有主机"},
	"follow.body": {
		"[multi-line body, %s octets: %s]",
		"[多行正文，%s 个八位组：%s]"},
	"follow.none": {
		"(no POP3 dialog in this part of the run)",
		"（这部分运行中没有 POP3 对话）"},

	// run --format mermaid: a sequence diagram.
	"mermaid.comment": {
		"osisim: one arrow per frame on each hop, labelled with what it carries at its highest layer; paste into any Mermaid renderer",
		"osisim：每一跳上的每个帧画一个箭头，标注它在最高层所载的内容；可贴到任何 Mermaid 渲染器中"},
	"mermaid.drop": {
		"%s DROP (%s): %s",
		"%s 丢弃（%s）：%s"},
	"mermaid.note": {"%s: %s", "%s：%s"},
	"mermaid.more": {
		"(+%d more)",
		"（另有 %d 个）"},
	"mermaid.cut": {
		"the first %d of %d frame hops; --all draws them all",
		"只画了 %d 次帧传送中的前 %d 次；--all 画出全部"},
	"mermaid.walkonly": {
		"only the chapter that walks through every layer is drawn; --all draws the whole run",
		"只画了走遍各层的那一章；--all 画出整个运行"},

	// explain.
	"explain.title": {
		"Frame %d on %s: %s at %s s",
		"帧 %d（%s）：%s，时间 %s 秒"},
	"explain.sent": {
		"sent to %s",
		"发往 %s"},
	"explain.received": {
		"received from %s",
		"收自 %s"},
	"explain.size": {
		"%d octets from the destination address to the FCS; %d octets on the wire with the preamble and SFD (%d bits)",
		"从目的地址到 FCS 共 %d 个八位组；连同前导码和 SFD 在线路上是 %d 个八位组（%d 比特）"},
	"explain.signal": {
		"Physical layer: ",
		"物理层："},
	"explain.dropped": {
		"What became of it: dropped (%s): %s",
		"它的结局：被丢弃（%s）：%s"},
	"explain.err": {
		"Reading stops here: %s",
		"读到这里为止：%s"},
	"explain.diagram": {
		"Encapsulation, from the application's message down to the bits on the wire (each layer's data is the whole PDU of the layer above):",
		"封装：从应用的报文一直到线路上的比特（每一层的数据就是上一层的整个 PDU）："},
	"explain.header": {
		"%s header",
		"%s 首部"},
	"explain.preamble": {"Preamble", "前导码"},
	"explain.data":     {"data", "数据"},
	"explain.pad":      {"padding", "填充"},
	"explain.payload":  {"payload", "载荷"},
	"explain.octets": {
		"%s B",
		"%s 字节"},
	"explain.bits": {
		"%d bits",
		"%d 比特"},
	"explain.noheader": {
		"no header on the wire: TCP/IP leaves this layer's work to the application",
		"线路上没有首部：TCP/IP 把这一层的工作留给应用"},
	"explain.osiheader": {
		"osi profile: this layer's %s B header is inside the data (docs/profiles.md)",
		"osi 模式：本层 %s 字节的首部在数据之中（见 docs/profiles.md）"},
	"explain.icmp": {
		"ICMP is part of the network layer, carried in an IPv4 datagram",
		"ICMP 属于网络层，装在 IPv4 数据报里传送"},
	"explain.fields": {
		"Headers, field by field:",
		"各个首部，逐个字段："},
	"explain.offsets": {
		"Offsets count octets from the frame's first octet (its destination address), as a capture does; 14.4 is bit 4 of octet 14; the preamble and SFD come before octet 0.",
		"偏移按八位组计，从帧的第一个八位组（目的地址）算起，与抓包文件相同；14.4 表示第 14 个八位组的第 4 位；前导码和 SFD 在第 0 个八位组之前。"},
	"explain.hdrline": {
		"%s (%s): octets %s, %d B",
		"%s（%s）：第 %s 个八位组，共 %d 字节"},
	"explain.col.offset": {"offset", "偏移"},
	"explain.col.size":   {"size", "长度"},
	"explain.col.field":  {"field", "字段"},
	"explain.col.value":  {"value", "值"},
	"explain.dataline": {
		"Data: octets %s, %d B: \"%s\"",
		"数据：第 %s 个八位组，共 %d 字节：\"%s\""},
	"explain.mapping": {
		"Byte mapping, from the frame up to the application:",
		"字节的对应关系，从帧一直到应用："},
	"explain.span.frame": {
		"frame octets %s (%s B) = TCP sequence numbers %s",
		"帧的第 %s 个八位组（%s 字节）= TCP 序号 %s"},
	"explain.relseq": {
		" (relative %d-%d)",
		"（相对序号 %d-%d）"},
	"explain.span.spdu": {
		"= octets %[2]s of session unit SPDU #%[1]d (%[3]s B)",
		"= 会话单元 SPDU #%[1]d（%[3]s 字节）的第 %[2]s 个八位组"},
	"explain.span.msg": {
		"= octets %[2]s of application message #%[1]d (%[3]s B): %[4]s",
		"= 应用报文 #%[1]d（%[3]s 字节）的第 %[2]s 个八位组：%[4]s"},
	"explain.span.ppdu": {
		"= part of PPDU #%d, the message as the presentation layer encoded it; on the wire a multi-line body is dot-stuffed (RFC 1939 3), so the octets count from the start of the block",
		"= PPDU #%d 的一部分，即表示层编码后的报文；多行正文在线路上经过点填充（RFC 1939 第 3 节），所以八位组从块的开头算起"},
	"explain.span.text": {
		"the octets: \"%s\"",
		"这些八位组：\"%s\""},
	"explain.chain": {
		"The PDUs this frame is made of, from the application down (ids as in the trace):",
		"组成这个帧的 PDU，从应用往下（编号与轨迹中相同）："},
	"explain.built":     {"built", "构造"},
	"explain.forwarded": {"forwarded", "转发"},
	"explain.pdu": {
		"#%[1]d %[2]s by %[3]s at %[4]s s, %[5]s B (header %[6]d B)",
		"#%[1]d，由 %[3]s 在 %[4]s 秒%[2]s，%[5]s 字节（首部 %[6]d 字节）"},
	"explain.hex": {
		"The frame's %d octets:",
		"帧的 %d 个八位组："},
	"explain.hexmore": {
		"... and %d more octets",
		"……另有 %d 个八位组"},
	// osisim decode (cmd/osisim/decode.go).
	"cmd.decode.short": {
		"Show a pcap or pcapng capture layer by layer, as a simulated run",
		"逐层显示一个 pcap 或 pcapng 抓包文件，和模拟运行的显示一样"},
	"cmd.decode.long": {
		`Read a capture file (pcap or pcapng, Ethernet) from a real network or from
"osisim run --format pcapng", decode every frame with osisim's own parsers
(Ethernet II, ARP, IPv4, ICMP, TCP, UDP, and POP3 on port 110) and print it in
the views of a simulated run: the text lines of the trace, one chapter per frame,
or with --format json the JSON lines of docs/trace-format.md.

A frame that does not decode is shown with what is wrong in it. A file that is
not a capture, or is cut short, is an error naming the frame (exit status 2).`,
		`读取一个抓包文件（pcap 或 pcapng，以太网），它可以来自真实网络，也可以来自
"osisim run --format pcapng"；用 osisim 自己的解析器解码每一帧（以太网 II、ARP、
IPv4、ICMP、TCP、UDP，以及 110 端口上的 POP3），并按模拟运行的视图打印：每帧一章
的轨迹文本行，或者用 --format json 输出 docs/trace-format.md 描述的 JSON 行。

不能解码的帧会显示它错在哪里。不是抓包文件或者被截断的文件是错误，错误信息会指出
是哪一帧（退出状态 2）。`},
	"flag.decode.format": {
		"output format: text or json",
		"输出格式：text 或 json"},
	"flag.decode.model": {
		"read the layers through this model: osi7, tcpip5 or tcpip4",
		"按这个模型阅读各层：osi7、tcpip5 或 tcpip4"},
	"decode.header": {
		"osisim decode  %s  model %v",
		"osisim decode  %s  模型 %v"},
	"decode.summary": {
		"Summary: %d frames in the %s file",
		"小结：共 %d 帧（%s 文件）"},
	"decode.summary.bad": {
		", %d not fully decoded",
		"，其中 %d 帧未能完全解码"},

	// The overhead of the two profiles (overhead.go).
	"overhead.title": {
		"The same run in the Internet and the osi profile, counted at the hosts that sent TCP segments (%s):",
		"同一次运行在 Internet 规范和 osi 规范下的开销，在发送 TCP 段的主机（%s）上统计："},
	"overhead.col.internet": {"internet profile", "Internet 规范"},
	"overhead.col.osi":      {"osi profile", "osi 规范"},
	"overhead.octets":       {"%s B", "%s 字节"},
	"overhead.headers": {
		"%s B in %s headers",
		"%s 字节，%s 个首部"},
	"overhead.app":        {"application data", "应用数据"},
	"overhead.tcpdata":    {"TCP data", "TCP 数据"},
	"overhead.wire":       {"on the wire", "线路上"},
	"overhead.efficiency": {"data / wire", "数据 / 线路"},
	"overhead.note": {
		"Application data: what TCP carried in the Internet profile, which adds no header above TCP.",
		"应用数据：Internet 规范下 TCP 承载的数据，这个规范在 TCP 之上不加首部。"},
	"overhead.more": {
		"The osi profile put %s more octets on the wire: its session and presentation headers, and the segments and frames that carry them.",
		"osi 规范多往线路上放了 %s 字节：它的会话层和表示层首部，以及承载它们的段和帧。"},
	"overhead.less": {
		"The osi profile put %s fewer octets on the wire: compression saved more than its headers cost.",
		"osi 规范少往线路上放了 %s 字节：压缩节省的比它的首部开销更多。"},
	"cmd.explain.short": {
		"Explain one frame of a run, header by header, down to the bits",
		"逐个首部讲解一次运行中的一个帧，一直讲到比特"},
	"cmd.explain.long": {
		`Run a scenario (the default lesson, {scenario}, with no SCENARIO) and explain frame N
of the packet list of one link end ("osisim run --format list" numbers them): the
nested encapsulation from the application's message down to the preamble, SFD and
FCS, every header field with its offset, size and value, and which application
octets the frame carries, in which TCP sequence range, in which datagram.`,
		`运行一个场景（不给 SCENARIO 时运行默认的一课 {scenario}），讲解某条链路一端的
帧列表中的第 N 个帧（"osisim run --format list" 给出编号）：从应用的报文一直到
前导码、SFD 和 FCS 的层层封装，每个首部字段的偏移、长度和值，以及这个帧装着
应用的哪些八位组、在哪个 TCP 序号范围、在哪个数据报里。`},
	"flag.explain.link": {
		"the link end whose packet list numbers the frame, e.g. client.eth0 (default: the client's first interface)",
		"按哪条链路一端的帧列表编号，例如 client.eth0（默认：客户端的第一个接口）"},
	"flag.explain.seed": {
		"seed of the run's random source (default: the scenario's seed)",
		"本次运行的随机数种子（默认：场景中的种子）"},
	"flag.explain.model": {
		"label the layers as this model does: osi7, tcpip5 or tcpip4",
		"按这个模型标注各层：osi7、tcpip5 或 tcpip4"},
	"flag.run.link": {
		"the link end the list format shows, e.g. client.eth0 (default: the client's first interface)",
		"list 格式显示的链路一端，例如 client.eth0（默认：客户端的第一个接口）"},
	"flag.run.node": {
		"show only the events of these nodes (repeatable, or comma-separated)",
		"只显示这些节点的事件（可重复，或用逗号分隔）"},
	"flag.run.layer": {
		"show only this layer of the chosen model, by number or name (repeatable)",
		"只显示所选模型的这一层，用编号或名字（可重复）"},
	"flag.run.proto": {
		"show only what is or carries this protocol: arp, ipv4, icmp, tcp, udp, pop3 or dns (repeatable)",
		"只显示属于或装着这个协议的内容：arp、ipv4、icmp、tcp、udp、pop3 或 dns（可重复）"},
	"flag.run.from": {
		"show only what happens at or after this simulated time, e.g. 10ms",
		"只显示在这个模拟时间或之后发生的事，例如 10ms"},
	"flag.run.to": {
		"show only what happens at or before this simulated time, e.g. 40ms",
		"只显示在这个模拟时间或之前发生的事，例如 40ms"},

	// The service table of transport, in both languages; the English
	// texts are transport.Service.Description.
	"service.ftp-data": {"FTP data transfer (RFC 959)", "FTP 数据传送（RFC 959）"},
	"service.ftp":      {"FTP control (RFC 959)", "FTP 控制连接（RFC 959）"},
	"service.ssh":      {"Secure Shell (RFC 4253)", "安全外壳 SSH（RFC 4253）"},
	"service.telnet":   {"Telnet (RFC 854)", "Telnet 远程登录（RFC 854）"},
	"service.smtp":     {"Simple Mail Transfer Protocol (RFC 5321)", "简单邮件传送协议（RFC 5321）"},
	"service.dns": {"Domain Name System (RFC 1035): UDP for queries, TCP for large answers and zone transfers",
		"域名系统（RFC 1035）：查询用 UDP，大的应答和区域传送用 TCP"},
	"service.bootps": {"BOOTP/DHCP server (RFC 2131)", "BOOTP/DHCP 服务器（RFC 2131）"},
	"service.bootpc": {"BOOTP/DHCP client (RFC 2131)", "BOOTP/DHCP 客户端（RFC 2131）"},
	"service.tftp":   {"Trivial File Transfer Protocol (RFC 1350)", "简单文件传送协议（RFC 1350）"},
	"service.http":   {"Hypertext Transfer Protocol (RFC 9112)", "超文本传送协议（RFC 9112）"},
	"service.pop3":   {"Post Office Protocol version 3 (RFC 1939)", "邮局协议第 3 版（RFC 1939）"},
	"service.ntp":    {"Network Time Protocol (RFC 5905)", "网络时间协议（RFC 5905）"},
	"service.imap":   {"Internet Message Access Protocol (RFC 9051)", "因特网报文存取协议（RFC 9051）"},
	"service.snmp":   {"Simple Network Management Protocol (RFC 3411)", "简单网络管理协议（RFC 3411）"},
	"service.https":  {"HTTP over TLS (RFC 9110)", "基于 TLS 的 HTTP（RFC 9110）"},
	"service.imaps":  {"IMAP over TLS (RFC 8314)", "基于 TLS 的 IMAP（RFC 8314）"},
	"service.pop3s":  {"POP3 over TLS (RFC 8314)", "基于 TLS 的 POP3（RFC 8314）"},
	"service.rdp":    {"Remote Desktop Protocol", "远程桌面协议"},
	"service.oicq": {"OICQ, the protocol of Tencent QQ instant messaging (mostly UDP)",
		"OICQ，腾讯 QQ 即时通信的协议（主要用 UDP）"},

	// The text story's own lines (render_text.go).
	"story.drop":     {"DROP (%s) ", "丢弃（%s）："},
	"story.cause":    {"  [cause: %s]", "  [起因：%s]"},
	"story.more":     {"%d more events", "另有 %d 个事件未显示"},
	"story.segments": {"%d segments sent", "发送了 %d 个段"},
	"story.frames":   {"%d frames on %d link ends", "%d 个帧经过 %d 个链路端口"},
	"story.hidden":   {"  (%s; --all shows them)", "  （%s；--all 可全部显示）"},
	"story.and":      {", ", "，"},

	// Drop reasons (layers.Reason): the code in English, a phrase in Chinese.
	"reason.fcs-mismatch":         {"fcs-mismatch", "FCS 校验不符"},
	"reason.line-code":            {"line-code", "线路码错误"},
	"reason.not-for-me":           {"not-for-me", "不是发给本站的"},
	"reason.filtered":             {"filtered", "被过滤"},
	"reason.malformed":            {"malformed", "格式错误"},
	"reason.bad-checksum":         {"bad-checksum", "校验和错误"},
	"reason.ttl-expired":          {"ttl-expired", "TTL 耗尽"},
	"reason.no-route":             {"no-route", "没有路由"},
	"reason.arp-failed":           {"arp-failed", "ARP 解析失败"},
	"reason.queue-full":           {"queue-full", "队列已满"},
	"reason.port-closed":          {"port-closed", "端口未开放"},
	"reason.unacceptable":         {"unacceptable", "不可接受"},
	"reason.duplicate":            {"duplicate", "重复"},
	"reason.no-connection":        {"no-connection", "没有连接"},
	"reason.fault-rule":           {"fault-rule", "故障规则"},
	"reason.link-loss":            {"link-loss", "链路随机丢失"},
	"reason.link-down":            {"link-down", "链路中断"},
	"reason.fragmentation-needed": {"fragmentation-needed", "需要分片"},
	"reason.reassembly-timeout":   {"reassembly-timeout", "重组超时"},
	"reason.protocol-error":       {"protocol-error", "协议错误"},
	"reason.out-of-order":         {"out-of-order", "失序"},
	"reason.tls-handshake":        {"tls-handshake", "TLS 握手失败"},

	// The summary at the end of a run (scenarios: Result.SummaryIn).
	"summary.title":           {"Summary: ", "小结："},
	"summary.sep":             {"; ", "；"},
	"summary.and":             {", ", "，"},
	"summary.frames":          {"%d frames, %d dropped", "%d 个帧，丢弃 %d 个"},
	"summary.check":           {"%s: %s (%s)", "%s：%s（%s）"},
	"summary.ok":              {"ok", "通过"},
	"summary.failed":          {"FAILED", "未通过"},
	"summary.simulated":       {"simulated %s s", "模拟时间 %s s"},
	"summary.tcp":             {"TCP: %s", "TCP：%s"},
	"summary.tcp.host":        {"%s sent %s segments, %s retransmitted", "%s 发送 %s 个段，重传 %s 个"},
	"summary.tcp.resent":      {" (%s after RTO, %s by fast retransmit)", "（RTO 超时后 %s 个，快速重传 %s 个）"},
	"summary.drops":           {"drops: %s", "丢弃：%s"},
	"summary.drop":            {"%s L%d %s %d", "%s L%d %s %d 个"},
	"summary.link":            {"link %s: %s frames%s", "链路 %s：%s 个帧%s"},
	"summary.link.lost":       {"%s lost", "随机丢失 %s 个"},
	"summary.link.down":       {"%s lost in outages", "中断时丢失 %s 个"},
	"summary.link.rules":      {"%s dropped by rules", "被规则丢弃 %s 个"},
	"summary.link.corrupted":  {"%s corrupted", "损坏 %s 个"},
	"summary.link.duplicated": {"%s duplicated", "复制 %s 个"},
	"summary.link.reordered":  {"%s reordered", "乱序 %s 个"},
	"summary.link.delayed":    {"%s delayed by rules", "被规则延迟 %s 个"},
	"summary.link.queue":      {"%s refused by the full queue", "因队列已满被拒绝 %s 个"},
	"summary.link.waiting":    {"at most %d waiting for the transmitter", "最多 %d 个等待发送器"},
	"summary.rule": {
		"rule %q acted at %s s (%d matching frames in all)",
		"规则 %q 在 %s s 起作用（共有 %d 个匹配的帧）"},
	"summary.rule.never": {
		"rule %q never acted: only %d matching frames crossed its link direction",
		"规则 %q 从未起作用：它的链路方向上只经过了 %d 个匹配的帧"},
	"summary.retrieval": {
		"retrieval by %s: message %d, %s octets in %s s: goodput %s",
		"%s 取信：第 %d 封邮件，%s 个八位组，用时 %s s：有效吞吐量 %s"},
	"summary.retrieval.failed": {"retrieval by %s: message %d failed", "%s 取信：第 %d 封邮件失败"},
	"summary.finished":         {"%s finished at %s s (QUIT answered)", "%s 在 %s s 结束（QUIT 已得到回答）"},
	"summary.gaveup":           {"%s gave up at %s s: %s", "%s 在 %s s 放弃：%s"},
	"summary.failed.conn":      {"the connection failed", "连接失败"},
	"summary.unfinished":       {"%s had not finished when the run ended at %s s", "%s 在运行于 %s s 结束时还没有完成"},
	"summary.arq": {
		"link ARQ at %s (%s, timeout %s): DATA frames sent %s, retransmitted %s, timeouts %s; DATA frames received: delivered in order %s, duplicates discarded %s, out of order discarded %s; ACKs sent %s",
		"%s 的链路 ARQ（%s，超时 %s）：发送 DATA 帧 %s 个，重传 %s 个，超时 %s 次；收到的 DATA 帧：按序交付 %s 个，丢弃重复 %s 个，丢弃失序 %s 个；发送 ACK %s 个"},
	"summary.arq.down": {"; the sender gave up and declared the link down", "；发送方放弃并宣布链路中断"},
	"run.header":       {"osisim  %s  seed %d  model %s\n", "osisim  %s  种子 %d  模型 %s\n"},

	// osisim live (cmd/osisim/live.go): what it tells on standard error,
	// the header of its story and its summary.
	"live.header": {"osisim live %s  TAP %s  model %s\n%s (simulated) --- %s (the real kernel, through TAP %s)\n",
		"osisim live %s  TAP %s  模型 %s\n%s（模拟的）--- %s（真实的内核，经由 TAP %s）\n"},
	"live.up": {"osisim live: simulated host %s (%s) behind TAP %s (kernel side %s)",
		"osisim live：模拟主机 %s（%s）在 TAP %s 之后（内核一侧 %s）"},
	"live.kernel": {"osisim live: give the kernel side an address on %s, e.g.: sudo ip addr add %s dev %s",
		"osisim live：请给内核一侧一个 %s 中的地址，例如：sudo ip addr add %s dev %s"},
	"live.try":          {"; try: curl pop3://%s:%s@%s:%d/1", "；试试：curl pop3://%s:%s@%s:%d/1"},
	"live.serving":      {"osisim live: serving POP3 on %s:%d%s   (Ctrl-C stops)", "osisim live：在 %s:%d 上提供 POP3 服务%s   （Ctrl-C 停止）"},
	"live.fetching":     {"osisim live: fetching from %s:%d as %s", "osisim live：从 %s:%d 取邮件，用户为 %s"},
	"live.sum.frames":   {"%d frames, %d dropped", "%d 个帧，丢弃 %d 个"},
	"live.sum.tap":      {"TAP %s: %d frames to the kernel, %d from it", "TAP %s：%d 个帧交给内核，%d 个来自内核"},
	"live.sum.maildrop": {"maildrop now holds %d messages", "邮箱现有 %d 封邮件"},
	"live.sum.retrieved": {"message 1 retrieved: %s octets, subject %q, sha256 %x",
		"第 1 封邮件已取回：%s 个八位组，主题 %q，sha256 %x"},
	"live.sum.hash":         {"message 1 has sha256 %x, want %s", "第 1 封邮件的 sha256 是 %x，应为 %s"},
	"live.sum.octets":       {"message 1 has %d octets, want %d", "第 1 封邮件有 %d 个八位组，应为 %d"},
	"live.sum.noretr":       {"message 1 was never retrieved", "第 1 封邮件从未被取回"},
	"live.sum.quit":         {"QUIT answered", "QUIT 已得到回答"},
	"live.sum.noquit":       {"QUIT was never answered", "QUIT 从未得到回答"},
	"live.sum.clientfailed": {"the client failed: ", "客户端失败："},
	"live.sum.failed":       {"FAILED: ", "失败："},
	"live.sum.ran":          {"ran %s s", "运行了 %s s"},
}

// The usage part of the help, in both languages: cobra's default usage
// template without command groups, which osisim does not use.
const (
	usageEN = `Usage:{{if .Runnable}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [command]{{end}}{{if gt (len .Aliases) 0}}

Aliases:
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

Examples:
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

Available Commands:{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

Flags:
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

Global Flags:
{{.InheritedFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasHelpSubCommands}}

Additional help topics:{{range .Commands}}{{if .IsAdditionalHelpTopicCommand}}
  {{rpad .CommandPath .CommandPathPadding}} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableSubCommands}}

Use "{{.CommandPath}} [command] --help" for more information about a command.{{end}}
`
	usageZH = `用法：{{if .Runnable}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [命令]{{end}}{{if gt (len .Aliases) 0}}

别名：
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

示例：
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

可用的命令：{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

选项：
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

全局选项：
{{.InheritedFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasHelpSubCommands}}

其他帮助主题：{{range .Commands}}{{if .IsAdditionalHelpTopicCommand}}
  {{rpad .CommandPath .CommandPathPadding}} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableSubCommands}}

用 "{{.CommandPath}} [命令] --help" 查看某个命令的详细说明。{{end}}
`
)
