package application

import "strings"

// Extended response codes (RFC 2449 section 8, and RFC 3206 for AUTH and
// SYS). A code travels in brackets right after the status indicator, as in
// "-ERR [IN-USE] unable to lock maildrop", and tells a client why a command
// failed in a form a program can act upon.
const (
	// CodeLoginDelay: the user logged in too soon after the last login
	// (RFC 2449 section 8.1.1). This server never sends it.
	CodeLoginDelay = "LOGIN-DELAY"
	// CodeInUse: the credentials were right, but another session holds the
	// maildrop (RFC 2449 section 8.1.2).
	CodeInUse = "IN-USE"
	// CodeAuth: the credentials were wrong (RFC 3206 section 5).
	CodeAuth = "AUTH"
	// CodeSysTemp: a temporary problem of the server (RFC 3206 section 4).
	CodeSysTemp = "SYS/TEMP"
	// CodeSysPerm: a permanent problem of the server (RFC 3206 section 4).
	CodeSysPerm = "SYS/PERM"
)

// ErrCode returns a "-ERR" reply whose text starts with the response code
// in brackets: ErrCode(CodeInUse, "unable to lock maildrop") is
// "-ERR [IN-USE] unable to lock maildrop".
func ErrCode(code, text string) Message {
	if text == "" {
		return Err("[" + code + "]")
	}
	return Err("[" + code + "] " + text)
}

// Code returns the response code of a reply, "IN-USE" or "SYS/TEMP", or ""
// if its text does not start with one (RFC 2449 section 8).
func (m Message) Code() string {
	if m.IsCommand() {
		return ""
	}
	code, _, _ := splitCode(m.Text)
	return code
}

// splitCode splits a reply text into its response code and the rest, the
// space after the code removed. Per RFC 2449 section 8 the code is
//
//	resp-code  = "[" resp-level *("/" resp-level) "]"
//	resp-level = 1*rchar
//	rchar      = %x21-2E / %x30-5C / %x5E-7F
//
// (printable US-ASCII except "/" and "]"); the text must start with it.
func splitCode(text string) (code, rest string, ok bool) {
	if !strings.HasPrefix(text, "[") {
		return "", text, false
	}
	end := strings.IndexByte(text, ']')
	if end < 0 {
		return "", text, false
	}
	code = text[1:end]
	level := 0
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case c == '/':
			if level == 0 {
				return "", text, false
			}
			level = 0
		case c < 0x21 || c > 0x7f:
			return "", text, false
		default:
			level++
		}
	}
	if level == 0 {
		return "", text, false
	}
	return code, strings.TrimPrefix(text[end+1:], " "), true
}
