package mail

// signedHeaders are the header fields every DKIM signature covers:
// among them List-Unsubscribe and List-Unsubscribe-Post (Gmail and Yahoo
// honour one-click unsubscribing only when the signature covers both),
// List-Id and Feedback-ID (Gmail's Postmaster Tools group complaints
// by it, so a forged one must not verify). Each
// body differs per reader (the token in its links), so every message is
// signed on its own. The fields that make a message what it is (who from,
// to whom, what, when, which, and how to leave the list) are listed twice:
// a field listed once more than the message holds signs its absence, so a
// copy with a second From or Subject added on the way fails to verify
// (RFC 6376 §8.15). Fields a message lacks (a confirmation mail has no
// List-Unsubscribe) are signed as absent in the same way.
var signedHeaders = []string{
	"From", "From", "To", "To", "Subject", "Subject", "Date", "Date",
	"Message-ID", "Message-ID",
	"List-Unsubscribe", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Unsubscribe-Post",
	"List-Id", "List-Id", "Feedback-ID", "Feedback-ID", "Reply-To", "Cc", "In-Reply-To", "References",
	"MIME-Version", "Content-Type", "Content-Language",
}
