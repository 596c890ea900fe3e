package presentation

import (
	"io"
	"strings"
	"unicode/utf8"
)

// HeaderField is one header field of a mail, with its value in Unicode
// (before any RFC 2047 encoding).
type HeaderField struct {
	Name, Value string
}

// Mail is a stored mail in its abstract syntax: Unicode header values and a
// Unicode body. Encode turns it into the RFC 5322 + MIME transfer syntax.
//
// The header should not hold MIME-Version, Content-Type or
// Content-Transfer-Encoding: those describe the transfer syntax, Encode
// writes them itself and leaves out any given here.
type Mail struct {
	Header []HeaderField
	Body   Body
}

// Get returns the value of the first header field named name (compared
// case-insensitively), or "".
func (m Mail) Get(name string) string {
	for _, f := range m.Header {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// Body is the body of a mail: either a literal Unicode text, or a text of a
// given size generated on the fly from a seed, which is never held whole in
// memory. Line breaks in a body are "\n" (a "\r\n" pair or a lone "\r" also
// counts as one line break).
type Body struct {
	text string
	gen  bool
	size int64
	seed uint64
}

// TextBody returns a literal body. Invalid UTF-8 in s is replaced by U+FFFD.
func TextBody(s string) Body {
	return Body{text: strings.ToValidUTF8(s, "\uFFFD")}
}

// GeneratedBody returns a body of exactly size octets of UTF-8 text that
// looks like mail: paragraphs of English and Chinese words in lines of at
// most 72 octets, with some lines that start with "." and a line that is
// "." alone in every 48 lines (to exercise byte-stuffing, RFC 1939
// section 3). The text depends only on size and seed, and every line ends
// with "\n". It is produced as it is read, so a 100 MiB body costs only a
// few hundred octets of memory.
func GeneratedBody(size int64, seed uint64) Body {
	return Body{gen: true, size: max(size, 0), seed: seed}
}

// Generated reports whether the body is generated.
func (b Body) Generated() bool { return b.gen }

// Seed returns the seed of a generated body.
func (b Body) Seed() uint64 { return b.seed }

// Text returns a literal body's text, and false for a generated body.
func (b Body) Text() (string, bool) { return b.text, !b.gen }

// Len returns the body's size in octets of UTF-8.
func (b Body) Len() int64 {
	if b.gen {
		return b.size
	}
	return int64(len(b.text))
}

// Chars returns the number of characters of a literal body, and -1 for a
// generated one (counting would mean generating it).
func (b Body) Chars() int64 {
	if b.gen {
		return -1
	}
	return int64(utf8.RuneCountInString(b.text))
}

// Reader returns a fresh stream of the body's UTF-8 octets.
func (b Body) Reader() io.Reader {
	if b.gen {
		return newGenReader(b.size, b.seed)
	}
	return strings.NewReader(b.text)
}

// lineBreaks returns the body's line breaks and whether it ends with one.
func (b Body) lineBreaks() (n int64, endsWithBreak bool) {
	if b.gen {
		return genLines(b.size), b.size > 0
	}
	s := b.text
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\r':
			n++
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case '\n':
			n++
		}
	}
	return n, len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r')
}

// crlfLen returns the body's size once every line break is CRLF.
func (b Body) crlfLen() int64 {
	if b.gen {
		return b.size + genLines(b.size)
	}
	var n int64
	s := b.text
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\r':
			n += 2
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case '\n':
			n += 2
		default:
			n++
		}
	}
	return n
}

// sevenBit reports whether the body can travel as 7bit (RFC 2045 section
// 2.7): US-ASCII without NUL, lines of at most 998 octets. A generated body
// holds Chinese text, so it never can.
func (b Body) sevenBit() bool {
	if b.gen {
		return false
	}
	line := 0
	for i := 0; i < len(b.text); i++ {
		c := b.text[i]
		switch {
		case c == '\n' || c == '\r':
			line = 0
		case c == 0 || c >= 0x80:
			return false
		default:
			line++
			if line > 998 {
				return false
			}
		}
	}
	return true
}

// SampleMail returns the default scenario's message 1: a teacher's notes
// about POP3, in Chinese, with a Chinese subject and names, a fixed date and
// a line that starts with ".".
func SampleMail() Mail {
	return Mail{
		Header: []HeaderField{
			{"From", "李老师 <li.laoshi@school.example>"},
			{"To", "王同学 <wang.tongxue@school.example>"},
			{"Date", "Mon, 02 Sep 2024 09:30:00 +0800"},
			{"Subject", "关于POP3的课堂笔记"},
			{"Message-ID", "<pop3-notes-20240902@school.example>"},
		},
		Body: TextBody(sampleBody1),
	}
}

// SampleMail2 returns the default scenario's message 2: a plain US-ASCII
// mail (sent as 7bit) whose lines starting with ".", one of them "." alone,
// are byte-stuffed on the wire.
func SampleMail2() Mail {
	return Mail{
		Header: []HeaderField{
			{"From", "Teaching Assistant <ta@school.example>"},
			{"To", "wang.tongxue@school.example"},
			{"Date", "Tue, 03 Sep 2024 14:00:00 +0800"},
			{"Subject", "Lab 3: capture a POP3 session"},
			{"Message-ID", "<lab3-20240903@school.example>"},
		},
		Body: TextBody(sampleBody2),
	}
}

const sampleBody1 = `王同学：

你好！下面是今天课堂上关于POP3（邮局协议第3版，RFC 1939）的笔记。

一、POP3是应用层协议。客户端通过TCP连接到服务器的110端口，服务器先发送
问候语“+OK”，然后客户端用USER和PASS命令登录，这时会话处于AUTHORIZATION
（认证）状态。

二、登录成功以后进入TRANSACTION（事务）状态：STAT查看邮件数量和总大小，
LIST列出每封邮件的大小，RETR取回一封邮件，DELE把一封邮件标记为删除。

三、POP3的典型用法是“先下载，再删除”：邮件下载到本地以后，服务器上的
副本就被删除了。注意，DELE只是做一个标记：只有客户端发送QUIT、会话进入
UPDATE（更新）状态时，服务器才真正删除邮件。如果连接中途断开，什么也不会
被删除。

四、多行响应以只有一个点的一行结束。如果邮件里有一行以点开头，发送方要在
这一行前面再加一个点（字节填充），接收方再把它去掉。比如下面这一行：
.这一行以点开头，在线路上会变成两个点。

课后请用Wireshark抓包，观察110端口上的命令和响应。

李老师
`

const sampleBody2 = `Hello,

For lab 3, capture one POP3 session on TCP port 110 and answer:

1. Which command retrieves a message, and how does the client know
   where the message ends?
2. Why does the next line arrive with two dots on the wire?
.profile and the other dot-files are hidden on Unix.
3. What is the reply to DELE, and when is the message really removed?

A line holding a single dot ends a multi-line reply, so this one is
stuffed too:
.
and the message goes on after it.

-- 
TA
`
