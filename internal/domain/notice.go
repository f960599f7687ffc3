package domain

import "time"

// Kinds of notice: the one-off mails to an active subscriber besides the
// confirmation (table notices, migration 00009).
const (
	// NoticeWelcome follows a confirmation: what the subscriber will get,
	// when, and how to change it. One per confirmation.
	NoticeWelcome = "welcome"
	// NoticeKnown answers a sign-up of an address that is subscribed
	// already, with its preferences link: the page says the same to
	// everyone, so only the inbox's owner learns the address was known.
	NoticeKnown = "known"
)

// The mails a sign-up may call for (SignupMail).
const (
	MailNone         SignupMail = ""
	MailConfirmation SignupMail = "confirmation"
	MailKnown        SignupMail = NoticeKnown
)

// ExportRequest is the answer to a request for an export link.
type ExportRequest struct {
	Subscriber Subscriber
	// Queue is set when the mail is due now and its task should be
	// queued; a request within the window of the last one queues nothing.
	Queue bool
	// Unmailable is set when the address is not mailed at all (bounced
	// or suppressed): no link can reach the person that way.
	Unmailable bool
}

// ExportClaim is an export link mail a worker has taken to send, with the
// link's token, which exists only in this claim and in the mail.
type ExportClaim struct {
	Subscriber Subscriber
	Token      string
	ExpiresAt  time.Time
	ClaimedAt  time.Time // identifies the claim to FinishExport and ReleaseExport
}

// SignupMail is the mail a sign-up calls for: a confirmation, a known
// notice, or none.
type SignupMail string

// NoticeClaim is a notice a worker has taken to send.
type NoticeClaim struct {
	Kind       string
	Subscriber Subscriber
	ClaimedAt  time.Time // identifies the claim to FinishNotice and ReleaseNotice
}

// DueNotice names a notice that is due: the subscriber and the kind.
type DueNotice struct {
	SubscriberID int64
	Kind         string
}

// ConfirmationClaim is a confirmation mail a worker has taken to send.
type ConfirmationClaim struct {
	Subscriber   Subscriber
	ConfirmToken string
	ClaimedAt    time.Time // identifies the claim to FinishConfirmation and ReleaseConfirmation
}

// ExportLinkTTL is how long a mailed link to a person's data works (once).
const ExportLinkTTL = time.Hour

// ConfirmTTL is how long a confirmation link stays valid.
const ConfirmTTL = 7 * 24 * time.Hour

// PendingKeptFor is how long a sign-up that was never confirmed is kept:
// its confirmation link lasts as long (ConfirmTTL), and past it the
// address and the consent record of the request are no one's business.
const PendingKeptFor = ConfirmTTL
