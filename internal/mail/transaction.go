package mail

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail/smtp"

	"newsdigest/internal/bounce"
)

// relay is what a connection's relay offers (its EHLO reply).
type relay struct {
	pipelining bool // RFC 2920: commands sent without waiting for replies
	chunking   bool // RFC 3030: BDAT, the message sent by its length, no dot-stuffing
	eightBit   bool // RFC 6152: 8BITMIME
	utf8       bool // RFC 6531: SMTPUTF8
	size       bool // RFC 1870: SIZE
}

func offers(c *smtp.Client) relay {
	has := func(ext string) bool { ok, _ := c.Extension(ext); return ok }
	return relay{
		pipelining: has("PIPELINING"), chunking: has("CHUNKING"),
		eightBit: has("8BITMIME"), utf8: has("SMTPUTF8"), size: has("SIZE"),
	}
}

// transact runs one mail transaction on c: MAIL, RCPT, then the message
// with BDAT if the relay offers CHUNKING, else DATA. With PIPELINING the
// commands go out together, so a message costs one round trip with BDAT
// (two with DATA) instead of the five (MAIL, RCPT, DATA, the final dot,
// RSET) of a client that waits for each reply, as go-mail's Send does.
//
// The message is wire[commandRoom:]. With PIPELINING and CHUNKING the
// commands are put in the room before it and all of it goes in one
// write: one system call and one segment for the relay to take in, where
// writing the commands first through the connection's buffer made two.
//
// go-mail has made the connection (TLS, authentication, EHLO); this writes
// on its text connection, which it owns while the transaction runs.
//
// The error is an *Error: Permanent for a 5xx reply, Temporary for a 4xx
// or for a failure before the whole message was written, Uncertain when the
// message was written but no final reply came. broken says the connection
// cannot be used again.
//
// When ctx ends (the worker shutting down) the transaction is cut short at
// once rather than left to run out its deadline: the connection's deadline
// is moved to the past, the read or write under way fails, and the
// connection is dropped.
func transact(ctx context.Context, c *smtp.Client, ext relay, from, to string, wire []byte, eightBit bool) (err *Error, broken bool) {
	if ctx.Err() != nil {
		return &Error{Class: Temporary, Reply: "not sent: " + ctx.Err().Error(), err: ctx.Err()}, false
	}
	stop := context.AfterFunc(ctx, func() { c.UpdateDeadline(-time.Second) })
	defer func() {
		if stop() {
			return
		}
		broken = true // its deadline is gone
		if err != nil {
			err.Reply = "SMTP transaction cut short (" + ctx.Err().Error() + "): " + err.Reply
			err.err = fmt.Errorf("%w: %w", ctx.Err(), err.err)
		}
	}()
	t := c.Text
	msg := wire[commandRoom:]
	mailCmd := "MAIL FROM:<" + from + ">"
	if eightBit {
		mailCmd += " BODY=8BITMIME"
	}
	if ext.size {
		mailCmd += " SIZE=" + strconv.Itoa(len(msg))
	}
	if ext.utf8 && !isASCII(from+to) {
		mailCmd += " SMTPUTF8"
	}
	cmds := []string{mailCmd, "RCPT TO:<" + to + ">"}
	want := []int{250, 25}
	if ext.chunking {
		cmds = append(cmds, "BDAT "+strconv.Itoa(len(msg))+" LAST")
		want = append(want, 250)
	} else {
		cmds = append(cmds, "DATA")
		want = append(want, 354)
	}

	// written says whether the whole message has left: from then on a
	// missing reply leaves its fate unknown.
	written := false
	send := func(i int) error {
		if _, err := t.W.WriteString(cmds[i] + "\r\n"); err != nil {
			return err
		}
		if i == 2 && ext.chunking {
			if _, err := t.W.Write(msg); err != nil {
				return err
			}
			written = true
		}
		return nil
	}
	var failed *Error
	next := 0 // the first command not yet written
	if ext.pipelining && ext.chunking {
		if lead := strings.Join(cmds, "\r\n") + "\r\n"; len(lead) <= commandRoom {
			// The buffer is empty between commands, so a write of more
			// than it holds goes straight to the connection.
			start := commandRoom - len(lead)
			copy(wire[start:], lead)
			if _, err := t.W.Write(wire[start:]); err != nil {
				return netError(err, false), true
			}
			if err := t.W.Flush(); err != nil {
				return netError(err, false), true
			}
			written, next = true, len(cmds)
		}
	}
	for i := range cmds {
		if next <= i {
			last := i
			if ext.pipelining {
				last = len(cmds) - 1
			}
			for ; next <= last; next++ {
				if err := send(next); err != nil {
					return netError(err, false), true
				}
			}
			if err := t.W.Flush(); err != nil {
				return netError(err, false), true
			}
		}
		code, reply, err := t.ReadResponse(want[i])
		if err != nil {
			var te *textproto.Error
			if !errors.As(err, &te) {
				if failed != nil {
					// A refused transaction took nothing, whatever
					// became of the connection after (a 421 closes it).
					return failed, true
				}
				return netError(err, written), true
			}
			if failed == nil {
				failed = replyError(code, reply, i > 0)
			}
			if !ext.pipelining {
				break // the commands after it were never sent
			}
		}
	}
	if failed != nil {
		// A refused transaction is abandoned; the next one starts clean.
		// A relay that said 421 is closing the connection.
		return failed, strings.HasPrefix(failed.Reply, "421") || c.Reset() != nil
	}
	if !ext.chunking {
		if err := writeDotStuffed(t.W, msg); err != nil {
			return netError(err, false), true
		}
		written = true
		code, reply, err := t.ReadResponse(250)
		if err != nil {
			var te *textproto.Error
			if !errors.As(err, &te) {
				return netError(err, written), true
			}
			e := replyError(code, reply, true)
			return e, strings.HasPrefix(e.Reply, "421")
		}
	}
	return nil, false
}

// writeDotStuffed writes msg as DATA (RFC 5321 4.5.2): a dot doubled at
// the start of each line, then the line with the lone dot that ends it. msg
// has CRLF line ends (compose makes sure), so it is searched for line
// starts a segment at a time rather than stuffed byte by byte.
func writeDotStuffed(w *bufio.Writer, msg []byte) error {
	if len(msg) > 0 && msg[0] == '.' {
		w.WriteByte('.')
	}
	rest := msg
	for {
		i := bytes.Index(rest, []byte("\n."))
		if i < 0 {
			break
		}
		w.Write(rest[:i+2])
		w.WriteByte('.')
		rest = rest[i+2:]
	}
	w.Write(rest)
	if !bytes.HasSuffix(msg, []byte("\r\n")) {
		w.WriteString("\r\n")
	}
	w.WriteString(".\r\n")
	return w.Flush() // the first write error, if any, is kept and returned here
}

// replyError classes a refusal by its reply code. A 5xx to RCPT or to the
// message bounces the recipient, unless its words refuse the sender (a
// block list, failed authentication: bounce.RefusesTheSender); one to
// MAIL refuses the sender (SIZE included). Neither says anything about
// the recipient.
func replyError(code int, reply string, recipient bool) *Error {
	text := fmt.Sprintf("%03d %s", code, strings.ReplaceAll(reply, "\n", " "))
	class := Temporary
	if code >= 500 {
		class = Permanent
	}
	bounced := class == Permanent && recipient && !bounce.RefusesTheSender(text)
	return &Error{Class: class, Reply: text, Bounce: bounced, err: &textproto.Error{Code: code, Msg: reply}}
}

// netError classes a connection failure. Before the message was written in
// full, it was not delivered. After, it may have been, unless the relay
// reset the connection: a reset means it closed with part of what it was
// sent unread, so it cannot have taken the message.
func netError(err error, written bool) *Error {
	reply := "SMTP connection: " + err.Error()
	if !written || peerAborted(err.Error()) {
		return &Error{Class: Temporary, Reply: reply, err: err}
	}
	return &Error{Class: Uncertain, Reply: reply, err: err}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// commandRoom is the room kept in front of a message for the commands
// that carry it (transact): MAIL with its parameters, RCPT and BDAT. An
// address can be up to 254 bytes long; commands that do not fit go
// through the connection's buffer as they would without the room.
const commandRoom = 640

// withRoom returns buf emptied but for commandRoom bytes, for a message
// to be appended after them.
func withRoom(buf []byte) []byte {
	return slices.Grow(buf[:0], commandRoom)[:commandRoom]
}
