package presentation

import (
	"io"
	"math/rand/v2"
)

// A generated body is made of periods of 48 lines: six paragraphs of seven
// text lines of genLine octets (LF included), each paragraph followed by an
// empty line, except the sixth, followed by the line "." alone. Since the
// line lengths do not depend on the seed, the number of lines (and so the
// size once line breaks are CRLF) follows from the size alone.
const (
	genLine       = 72
	genPeriodLen  = 48
	genPeriodSize = 42*genLine + 5*1 + 1*2
)

// genPattern holds the length of each line of a period; 1 is an empty line,
// 2 the line "." alone.
var genPattern = func() (p [genPeriodLen]int) {
	for i := range p {
		switch {
		case i == genPeriodLen-1:
			p[i] = 2
		case i%8 == 7:
			p[i] = 1
		default:
			p[i] = genLine
		}
	}
	return p
}()

// genLines returns the number of lines (each ending in LF) of a generated
// body of size octets.
func genLines(size int64) int64 {
	n := size / genPeriodSize * genPeriodLen
	rem := size % genPeriodSize
	for _, l := range genPattern {
		if rem <= 0 {
			break
		}
		n++
		rem -= int64(l)
	}
	return n
}

// The words of a generated body.
var (
	genWords = [64]string{
		"the", "client", "server", "message", "mailbox", "octets", "POP3", "TCP", "port", "110",
		"retrieves", "deletes", "after", "download", "session", "layer", "segment", "window",
		"and", "then", "is", "a", "of", "to", "on", "with", "RETR", "DELE", "QUIT", "UPDATE",
		"邮件", "服务器", "客户端", "协议", "下载", "删除", "端口", "报文", "会话层", "表示层",
		"应用层", "传输层", "分组", "确认", "窗口", "校验和", "然后", "并且", "课堂笔记", "，",
		"for", "each", "line", "byte", "data", "STAT", "LIST", "下一个", "数据", "行",
		"字节", "填充", "终止", "。",
	}
	// genFill[k] is an ASCII word of k octets, to end a line at its exact
	// length.
	genFill = [...]string{"", "a", "of", "the", "mail", "octet", "server", "message", "download", "mailboxes", "connection"}
)

// genReader produces a generated body line by line.
type genReader struct {
	rng  *rand.Rand
	left int64 // octets still to produce, the current line included
	idx  int   // index of the next line in its period
	line []byte
	pos  int
}

func newGenReader(size int64, seed uint64) *genReader {
	return &genReader{
		rng:  rand.New(rand.NewPCG(seed, 0x706f7033626f6479)),
		left: size,
		line: make([]byte, 0, genLine+8),
	}
}

func (g *genReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if g.pos == len(g.line) {
			if g.left == 0 {
				if n == 0 {
					return 0, io.EOF
				}
				return n, nil
			}
			g.next()
		}
		c := copy(p[n:], g.line[g.pos:])
		g.pos += c
		n += c
	}
	return n, nil
}

// next builds the next line: as long as the pattern says, or shorter if the
// body ends first.
func (g *genReader) next() {
	pl := genPattern[g.idx]
	g.idx = (g.idx + 1) % genPeriodLen
	l := int(min(int64(pl), g.left))
	g.left -= int64(l)
	g.pos = 0
	b := g.line[:0]
	switch {
	case pl == 2 && l == 2:
		b = append(b, '.')
	case pl > 2:
		b = g.text(b, l-1)
	}
	g.line = append(b, '\n')
}

// text appends exactly n octets of words to b. One line in 16 starts with
// "." or "..".
func (g *genReader) text(b []byte, n int) []byte {
	end := len(b) + n
	if n >= 2 && g.rng.IntN(16) == 0 {
		b = append(b, '.')
		if g.rng.IntN(2) == 0 {
			b = append(b, '.')
		}
	}
	// One random number picks ten words, 6 bits each.
	var bits uint64
	for k := 0; ; k++ {
		if k%10 == 0 {
			bits = g.rng.Uint64()
		}
		w := genWords[bits&63]
		bits >>= 6
		sep := 0
		if len(b) > 0 && b[len(b)-1] != '.' {
			sep = 1
		}
		if len(b)+sep+len(w) > end {
			break
		}
		if sep == 1 {
			b = append(b, ' ')
		}
		b = append(b, w...)
	}
	for r := end - len(b); r > 0; r = end - len(b) {
		if r == 1 {
			b = append(b, '.')
			continue
		}
		b = append(b, ' ')
		b = append(b, genFill[min(r-1, len(genFill)-1)]...)
	}
	return b
}
