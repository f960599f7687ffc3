package domain

import "time"

// How long what is kept for a while is kept (docs/privacy.md, "For how
// long"). Each is also deleted by the worker's reconcile, every minute,
// not only by the next write of its kind: a desk may preview no import,
// nor send a test, for months.
const (
	// DraftKeptFor bounds an import's draft, confirmed or not: an
	// uploaded subscriber list holds addresses.
	DraftKeptFor = 24 * time.Hour
	// TestSendKeptFor bounds a test send: how it went, for the console
	// (what it held of anyone goes when it is done), or all of it when a
	// lost task left it; and the one-time keys of test-send forms.
	TestSendKeptFor = 24 * time.Hour
	// ClickNonceKeptFor is how long a message's clicks are remembered; a
	// link older than that counts nothing, so no message counts twice.
	ClickNonceKeptFor = 30 * 24 * time.Hour
)

// Expired says how many rows of each kind a purge of what has outlived
// its time deleted.
type Expired struct {
	Drafts, TestSends, TestSendKeys, Sessions, ClickNonces int64
}

// Total is every row deleted.
func (e Expired) Total() int64 {
	return e.Drafts + e.TestSends + e.TestSendKeys + e.Sessions + e.ClickNonces
}
