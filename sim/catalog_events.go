package sim

import (
	"fmt"

	"github.com/osisim/osisim/layers"
)

// EventText returns what event e says in lang: its Text (English), or,
// when lang is Chinese and e has a message id, the Chinese template of that
// id formatted with e's arguments.
func EventText(lang layers.Lang, e *layers.Event) string {
	return eventMsg(lang, e.Msg, e.Args, e.Text)
}

// ChapterText returns the title of the chapter e starts in lang, as
// EventText does for its text.
func ChapterText(lang layers.Lang, e *layers.Event) string {
	return eventMsg(lang, e.ChapterMsg, e.ChapterArgs, e.Chapter)
}

func eventMsg(lang layers.Lang, id string, args []any, en string) string {
	if lang != layers.ZH || id == "" {
		return en
	}
	zh, ok := eventCatalog[id]
	if !ok {
		return en
	}
	return fmt.Sprintf(zh, args...)
}

// eventCatalog holds the Chinese templates of the trace's event texts and
// chapter titles, keyed by the message id the code records them with
// (layers.Event.Say and Title). The English template of each id is at the
// call that records it; TestEventCatalog reads the source to check that
// every id used has a Chinese template here with the same verbs in the same
// order, and that every id here is used.
var eventCatalog = map[string]string{
	// Layers 1 to 3 (sim/link.go, layers/datalink, layers/network).
	"l1.transmit":           "发送到 %s：%s",
	"l2.sw.known":           "已知目的地址 %s 在端口 %d：只转发到端口 %d",
	"l2.sw.flood.broadcast": "广播：泛洪到 %s",
	"l2.sw.flood.multicast": "组播 %s：泛洪到 %s",
	"l2.sw.flood.unknown":   "未知目的地址 %s：泛洪到 %s",
	"l2.sw.learned":         "学到 %s 在端口 %d",
	"l2.sw.moved":           "%s 从端口 %d 移到端口 %d",
	"l3.route.local":        "%s 在本地网络 %s（%s）上",
	"l3.route.default":      "路由：%s 经 %s（默认网关），出口 %s",
	"l3.route":              "路由：%s 经 %s（路由 %s），出口 %s",
	"l3.arp.wait":           "ARP 缓存中没有 %s 的条目：数据报等待",
	"l3.arp.reply":          "收到询问本接口地址 %s 的 ARP 请求（来自 %s）：回答",
	"l3.arp.resolved":       "ARP 缓存：%s 的 MAC 地址是 %s",
	"l3.arp.resolved.one":   "ARP 缓存：%s 的 MAC 地址是 %s；发出 1 个等待中的数据报",
	"l3.arp.resolved.sent":  "ARP 缓存：%s 的 MAC 地址是 %s；发出 %d 个等待中的数据报",
	"l3.arp.learned":        "ARP 缓存：学到 %s 的 MAC 地址是 %s（来自它的 %s）",
	"l3.forward":            "转发到 %s，出口 %s，TTL %d -> %d",
	"l3.forward.via":        "转发到 %s，出口 %s（下一跳 %s），TTL %d -> %d",
	// telnet meeting a server of the osi profile (telnet.go).
	"telnet.osi.deflate": "telnet：这些不是字符：%d B 的 osi 规范会话层首部和 %d B 的表示层首部，随后是 %d B 的 DEFLATE 数据；其中是：%q",
	"telnet.osi":         "telnet：前 %d B 是 osi 规范的会话层首部和 %d B 的表示层首部，不是字符；其中是：%q",
	// The osi profile's checkpoint SPDU (appconn_osi.go).
	"l5.osi.checkpoint": "同步点 %d（%s）用检查点 SPDU 告诉对方：%s",
	// Chapters of the POP3 story (pop3.go).
	"chapter.pop3.connect": "%s 向 %s 的 %d 端口建立 TCP 连接",
	"chapter.pop3.login":   "登录：在 AUTHORIZATION 状态发送 USER 和 PASS（POP3 以明文发送口令）",
	"chapter.pop3.apop":    "登录：在 AUTHORIZATION 状态发送 APOP（问候语时间戳的 MD5 摘要，而不是口令）",
	"chapter.pop3.capa":    "CAPA：服务器能做什么",
	"chapter.pop3.list":    "%s：邮箱里有什么（TRANSACTION 状态）",
	"chapter.pop3.retr":    "%s：完整地走一遍，每一层",
	"chapter.pop3.dele":    "%s：标记为删除，尚未删除",
	"chapter.pop3.quit":    "QUIT：UPDATE 状态执行删除，然后双方关闭连接",
	"chapter.pop3.other":   "%s",

	// Physical layer (ipnode.go).
	"l1.up": "收到 %d 个码元（%s）：找到前导码和帧起始定界符，%d B 的帧交给数据链路层",

	// Data link layer (ipnode.go, relay.go).
	"l2.up":               "FCS 正确，是发给本网卡的：%s 载荷 %d B 交给网络层",
	"l2.notforme":         "发给 %s 的帧不是发给本网卡（%s）的：忽略",
	"l2.switch.flooded":   "%s：已校验 FCS，泛洪到端口 %s",
	"l2.switch.forwarded": "%s：已校验 FCS，转发到端口 %s",

	// Network layer (host.go).
	"l3.up": "是发给本主机的：%s 载荷 %d B 交给传输层",

	// Session layer (appconn.go, pop3.go).
	"l5.spdu.down":      "%s，交给 TCP",
	"l5.spdu.up.client": "%s：客户端的发言权结束，轮到服务器",
	"l5.spdu.up.server": "%s：服务器的发言权结束，轮到客户端",
	"l5.spdu.up.multi":  "%s：后面跟着多行正文，服务器保持发言权",
	"l5.block.down":     "会话 %d：状态行之后跟着 %s B 的以点结束的块；它结束 %v 的发言",
	"l5.block.up":       "会话 %d：以点结束的块已完整，%s B；发言权交给客户端",

	// Session layer's notes (layers/session).
	"l5.open":        "打开会话 %d（线路上没有会话首部：TCP/IP 把这交给应用）；%v 先发言",
	"l5.open.osi":    "打开会话 %d（osi 配置：每个单元带 16 B 的会话首部）；%v 先发言",
	"l5.turn":        "会话 %d：%v 以一个 %v 结束发言；发言权交给 %v（半双工对话控制）",
	"l5.checkpoint":  "检查点 %d：%s（%s B）",
	"l5.release":     "释放会话 %d：有序结束，发送 %d 个单元，接收 %d 个，%d 个检查点",
	"l5.release.one": "释放会话 %d：有序结束，发送 %d 个单元，接收 %d 个，%d 个检查点",

	// Presentation layer (appconn.go, pop3.go).
	"l6.line.down": "US-ASCII 行：传输语法无需转换",
	"l6.line.up":   "US-ASCII 行：无需转换",
	"l6.mail.up":   "%s\n主题 %q，sha256 %x...",

	// Application layer: POP3 (pop3.go).
	"l7.pop3.server.got":     "POP3 服务器（%v 状态）收到 %q",
	"l7.pop3.server.replies": "POP3 服务器回复 %q（含 CRLF 共 %d B）",
	"l7.pop3.client.connect": "POP3 客户端：连接 %s（%s）",
	"l7.pop3.client.got":     "POP3 客户端收到 %q",
	"l7.pop3.client.sends":   "POP3 客户端发送 %q（含 CRLF 共 %d B）",
	"l7.pop3.client.next":    "POP3 客户端（%s）：下一条命令 %s",
	"l7.pop3.client.message": "POP3 客户端：收到第 %d 封邮件：%s 字节，主题 %q，正文 %s 个字符，共 %s 行",
	"l7.pop3.client.top":     "POP3 客户端：收到第 %d 封邮件的开头：%s 字节，主题 %q，正文 %s 个字符，共 %s 行",
	"l7.pop3.client.listing": "POP3 客户端：%s 列表：%s",

	// Live mode: the TAP between the simulation and the real kernel (live.go).
	"l2.tap.in":            "真实内核写入 %d B 到 %s：填充到 %d B 并加上 FCS %08x（TAP 传送的帧不带 FCS）",
	"l2.tap.out":           "FCS 正确并去掉（TAP 传送的帧不带 FCS）：%d B 写入 %s，交给真实内核",
	"l2.tap.short":         "内核写入 %d B 的帧到 %s：比以太网首部（%d B）还短",
	"l2.tap.write.failed":  "TAP %s 拒收了这一帧：%v",
	"l2.live.connect":      "来自真实内核的 SYN：%s:%d -> %s:%d",
	"l2.live.ping":         "来自真实内核的 ICMP 回显请求：%s -> %s",
	"chapter.live.connect": "内核一侧的真实程序（%s 端口 %d）向 %s 端口 %d 发起 TCP 连接",
	"chapter.live.ping":    "来自内核一侧的真实 ping：%s 请求 %s 回显",
}
