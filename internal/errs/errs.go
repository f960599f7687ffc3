// Package errs holds the few kinds of error the services return, so the
// transports (HTTP, asynq) can decide what to show without knowing the
// service that failed.
package errs

import (
	"errors"
	"fmt"
	"net/http"
)

// Kind classifies an error for the caller.
type Kind string

// The kinds a service may return.
const (
	Malformed   Kind = "malformed"   // the request could not be read at all
	Invalid     Kind = "invalid"     // the caller sent something wrong
	NotFound    Kind = "not_found"   // the thing asked for does not exist
	Conflict    Kind = "conflict"    // the request clashes with the current state
	TooLarge    Kind = "too_large"   // the request body is past a limit
	Unavailable Kind = "unavailable" // a dependency is down; try again later
	Internal    Kind = "internal"    // a bug or an unexpected failure
)

// Error is an error with a kind and a message safe to show to a client.
type Error struct {
	Kind    Kind
	Message string
	// Details carries structured detail for the client, such as the lines of
	// an import that could not be read.
	Details any
	cause   error
	// format and args are what New was given, kept so that a transport
	// can show the same message in another language.
	format string
	args   []any
}

func (e *Error) Error() string {
	if e.cause != nil {
		return e.Message + ": " + e.cause.Error()
	}
	return e.Message
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.cause }

// New returns an error of the given kind with a formatted message.
func New(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...), format: format, args: args}
}

// Because keeps cause behind e, for errors.Is/As and for the logs, as
// Wrap does; only e's own message is shown to clients. It returns e.
func (e *Error) Because(cause error) *Error {
	e.cause = cause
	return e
}

// Template returns the format string and arguments New built the message
// from; format is "" for an error made by Wrap, whose message is not a
// template.
func (e *Error) Template() (format string, args []any) { return e.format, e.args }

// Wrap returns an error of the given kind that keeps cause for errors.Is/As
// and for the logs; only msg is shown to clients.
func Wrap(kind Kind, cause error, msg string) *Error {
	return &Error{Kind: kind, Message: msg, cause: cause}
}

// KindOf reports the kind of err; errors of no known kind are Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// MessageOf returns the client-safe message of err, or a generic one for
// internal errors so that nothing about the implementation leaks.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Kind != Internal {
		return e.Message
	}
	return "internal error"
}

// TemplateOf returns the format and arguments of the first *Error in
// err's chain; ok is false when there is none or it was not made by New.
func TemplateOf(err error) (format string, args []any, ok bool) {
	var e *Error
	if !errors.As(err, &e) || e.format == "" {
		return "", nil, false
	}
	return e.format, e.args, true
}

// HTTPStatus is the HTTP status that answers an error of kind k; the JSON
// API and the console both answer with it.
func HTTPStatus(k Kind) int {
	switch k {
	case Malformed:
		return http.StatusBadRequest
	case Invalid:
		return http.StatusUnprocessableEntity
	case NotFound:
		return http.StatusNotFound
	case Conflict:
		return http.StatusConflict
	case TooLarge:
		return http.StatusRequestEntityTooLarge
	case Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Is reports whether err is of the given kind.
func Is(err error, kind Kind) bool { return KindOf(err) == kind }

// ErrNotFound is a generic not-found error for lookups.
var ErrNotFound = New(NotFound, "not found")
