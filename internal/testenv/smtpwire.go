package testenv

import (
	"bytes"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// The SMTP server's connections pass through relayConn, which can leave
// extensions out of the EHLO reply (Hide) and follows the conversation
// (wire) to tell how each message arrives. go-smtp hands its backend the
// message as a reader whether it came by DATA or by BDAT, so the way it
// came is read off the wire.

// relayListener hands out relayConns.
type relayListener struct {
	net.Listener
	hidden  func() []string
	observe bool        // follow the conversation (not needed by HideExtensions)
	srv     *SMTPServer // keeps the open connections; nil for HideExtensions
}

func (l relayListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	rc := &relayConn{Conn: c, hidden: l.hidden, srv: l.srv}
	if l.observe {
		rc.wire = &wire{}
	}
	if l.srv != nil {
		l.srv.track(rc)
	}
	return rc, nil
}

// relayConn is the server's end of one connection.
type relayConn struct {
	net.Conn
	hidden func() []string
	wire   *wire // nil when not observed
	srv    *SMTPServer
	// silent: the connection stops answering, as one whose flow a NAT or
	// firewall dropped (see SMTPServer.Silence).
	silent atomic.Bool
}

func (c *relayConn) Read(p []byte) (int, error) {
	for {
		n, err := c.Conn.Read(p)
		if c.silent.Load() && err == nil {
			continue // swallowed: nothing reaches the server, so nothing answers
		}
		if c.wire != nil && n > 0 {
			c.wire.fromClient(p[:n])
		}
		return n, err
	}
}

func (c *relayConn) Close() error {
	if c.srv != nil {
		c.srv.untrack(c)
	}
	return c.Conn.Close()
}

// Write drops the EHLO lines of hidden extensions. go-smtp writes each
// reply line in a write of its own, so a line is never split between
// writes. The wire sees a reply before the client can: what the client
// sends in answer is read after.
func (c *relayConn) Write(p []byte) (int, error) {
	if c.silent.Load() {
		return len(p), nil
	}
	for _, ext := range c.hidden() {
		if string(p) == "250-"+ext+"\r\n" {
			return len(p), nil
		}
	}
	if c.wire != nil {
		c.wire.fromServer(p)
	}
	return c.Conn.Write(p)
}

// wire follows an SMTP conversation from the server's side: the commands
// the client sent, in order, and the replies the server wrote, in order.
// The server answers commands one at a time and in order (RFC 2920 wants
// it for pipelining; go-smtp reads a command only after answering the one
// before), so the oldest command without a final reply is the one the
// server is working on. That is how Data tells BDAT from DATA.
//
// What follows a command is not always commands. After BDAT n come n
// bytes of message. After DATA come either the message (if the server
// said 354) or more commands (if it refused): bytes read after DATA wait
// in held until the reply says which. A message sent by DATA ends with a
// line holding a lone dot, found the way go-smtp finds it.
//
// TLS (STARTTLS) is not followed; the test server does not offer it.
type wire struct {
	mu       sync.Mutex
	line     []byte   // the client's command line read so far
	chunk    uint64   // BDAT message bytes still to come
	phase    int      // what the client's bytes are now: one of the phase constants
	dot      int      // where the end of a DATA message is being looked for
	held     []byte   // bytes read after DATA while its reply is awaited
	pending  []string // commands (upper-case verbs) without a final reply, oldest first
	reply    []byte   // the server's reply line written so far
	greeted  bool     // the server's greeting (a reply to no command) is past
	authLine bool     // the server asked (334) for a line that is not a command
}

const (
	phaseCommands = iota // command lines
	phaseAwaiting        // DATA sent, its reply not yet written
	phaseMessage         // the message after DATA, up to the lone dot
)

// The states of the search for the end of a DATA message: go-smtp's.
const (
	dotLineStart = iota
	dotDot       // "." at the start of a line
	dotDotCR     // ".\r" at the start of a line
	dotCR        // "\r", perhaps ending a line
	dotText      // within a line
)

// command returns the command the server is working on, upper case ("" if
// none or not followed): "DATA" or "BDAT" while it reads a message.
func (w *wire) command() string {
	if w == nil {
		return ""
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.pending) == 0 {
		return ""
	}
	return w.pending[0]
}

func (w *wire) fromClient(p []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.consume(p)
}

func (w *wire) consume(p []byte) {
	for len(p) > 0 {
		switch {
		case w.chunk > 0:
			n := min(w.chunk, uint64(len(p)))
			w.chunk -= n
			p = p[n:]
		case w.phase == phaseAwaiting:
			w.held = append(w.held, p...)
			return
		case w.phase == phaseMessage:
			p = w.scanMessage(p)
		default:
			i := bytes.IndexByte(p, '\n')
			if i < 0 {
				w.line = appendLine(w.line, p)
				return
			}
			w.line = appendLine(w.line, p[:i])
			p = p[i+1:]
			w.clientLine(strings.TrimSuffix(string(w.line), "\r"))
			w.line = w.line[:0]
		}
	}
}

// appendLine keeps the start of a command line: enough for its verb and
// arguments, however long a line a client sends.
func appendLine(line, p []byte) []byte {
	if room := 1024 - len(line); len(p) > room {
		p = p[:max(room, 0)]
	}
	return append(line, p...)
}

func (w *wire) clientLine(line string) {
	if w.authLine {
		w.authLine = false // an answer to the server's 334, not a command
		return
	}
	verb, arg, _ := strings.Cut(line, " ")
	verb = strings.ToUpper(verb)
	w.pending = append(w.pending, verb)
	switch verb {
	case "BDAT":
		// go-smtp reads the chunk after any well-formed BDAT, refused
		// or not, and none after a malformed one.
		if f := strings.Fields(arg); len(f) > 0 && len(f) <= 2 {
			if n, err := strconv.ParseUint(f[0], 10, 32); err == nil {
				w.chunk = n
			}
		}
	case "DATA":
		w.phase = phaseAwaiting
	}
}

// scanMessage looks for the line with the lone dot that ends a DATA
// message and returns what follows it.
func (w *wire) scanMessage(p []byte) []byte {
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch w.dot {
		case dotLineStart:
			switch c {
			case '.':
				w.dot = dotDot
			case '\r':
				w.dot = dotCR
			default:
				w.dot = dotText
			}
		case dotDot:
			if c == '\r' {
				w.dot = dotDotCR
			} else {
				w.dot = dotText
			}
		case dotDotCR:
			if c == '\n' {
				w.phase, w.dot = phaseCommands, dotLineStart
				return p[i+1:]
			}
			w.dot = dotText
		case dotCR:
			if c == '\n' {
				w.dot = dotLineStart
			} else {
				w.dot = dotText
			}
		case dotText:
			// Skip to the next CR: the message is mostly text.
			j := bytes.IndexByte(p[i:], '\r')
			if j < 0 {
				return nil
			}
			i += j
			w.dot = dotCR
		}
	}
	return nil
}

func (w *wire) fromServer(p []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.reply = append(w.reply, p...)
	for {
		i := bytes.IndexByte(w.reply, '\n')
		if i < 0 {
			return
		}
		line := strings.TrimSuffix(string(w.reply[:i]), "\r")
		w.reply = w.reply[i+1:]
		w.serverLine(line)
	}
}

// serverLine takes one reply line: "250-…" continues a reply, "250 …"
// (or a bare code) ends it.
func (w *wire) serverLine(line string) {
	if len(line) < 3 || (len(line) > 3 && line[3] != ' ') {
		return
	}
	code := line[:3]
	if !w.greeted {
		w.greeted = true
		return
	}
	switch {
	case code == "334":
		w.authLine = true
		return
	case code == "354" && w.phase == phaseAwaiting:
		w.phase, w.dot = phaseMessage, dotLineStart
		w.release()
		return
	}
	if len(w.pending) > 0 {
		w.pending = w.pending[1:]
	}
	if w.phase == phaseAwaiting && !w.dataPending() {
		w.phase = phaseCommands // DATA refused: what followed was commands
		w.release()
	}
}

func (w *wire) dataPending() bool {
	for _, v := range w.pending {
		if v == "DATA" {
			return true
		}
	}
	return false
}

// release goes through the bytes held while a reply to DATA was awaited.
func (w *wire) release() {
	held := w.held
	w.held = nil
	w.consume(held)
}
