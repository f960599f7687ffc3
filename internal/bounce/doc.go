// Package bounce turns what comes back after a message was sent — delivery
// status notifications, spam complaints, relays' notices — into events
// tied to the delivery they are about. It does no I/O: the inbound SMTP
// listener (package inbound) and the relays' webhooks (package webhook)
// feed it, and a Recorder stores what it finds.
//
// # The envelope sender: VERP
//
// Each message leaves with its own envelope sender (Return-Path), which
// names its delivery and is signed so that nobody can make up another:
//
//	bounces+<delivery-id>.<mac>@<BOUNCE_DOMAIN>
//	bounces+48213.kx3mfq7tbn2wdc5a@bounce.example.org
//
// delivery-id is the delivery's id in decimal. mac is the first 10 bytes
// (80 bits) of HMAC-SHA256 over the decimal id, written in lower-case
// base32 (a–z, 2–7: 16 characters). The HMAC key is itself derived from the
// secret given to NewVERP (HMAC-SHA256 of a fixed label), so the secret
// can be shared with other uses without the MAC giving anything of them
// away. MACs are compared in constant time. The local part is read without
// regard to case, since some MTAs lower-case it on the way back, and the
// alphabet was chosen to survive that. A bounce address tag that an
// outbound gateway put before it (BATV's prvs=<tag>=bounces+…, and the
// like) is taken off before the address is read. A bounce comes back to
// this address (RFC 5321 sends DSNs to the reverse path), so the envelope
// recipient of a bounce names its delivery; nothing in the report's text
// has to be believed.
//
// BOUNCE_DOMAIN should be a subdomain of the From domain (bounce.example.org
// under example.org): DMARC's relaxed SPF alignment then holds, and the
// domain's MX can point at the worker's listener without touching the
// mail of the From domain.
//
// # Finding the delivery
//
// The delivery comes from the envelope recipient the report was sent to
// when that is a VERP address that verifies. A report sent to a role
// mailbox instead (a feedback loop's registered address, postmaster) is
// tied to a delivery by what it carries of the original message, in this
// order: the ARF Original-Mail-From field, the returned message's
// Return-Path and DeliveryHeader field, and any VERP address or
// DeliveryHeader line in the text. Only a candidate whose MAC verifies
// counts; a report that names no verified delivery is dropped.
//
// # What a report means
//
// Parse reads a message in this order:
//
//  1. A feedback report (multipart/report; report-type=feedback-report,
//     RFC 5965) is a complaint when its Feedback-Type is abuse. Other
//     types (not-spam, virus, fraud, auth-failure, other) are not
//     complaints and yield nothing.
//  2. A delivery status notification (multipart/report;
//     report-type=delivery-status, RFC 3464) is read from its
//     message/delivery-status part: for each recipient block, Action,
//     Status and Diagnostic-Code go through Classify, and the worst block
//     decides (hard, then soft, then delayed, then delivered).
//  3. Other bounces — recognised by a delivery-status report type with an
//     empty status part, X-Failed-Recipients, a MAILER-DAEMON or postmaster
//     sender, or a subject such as "Undeliverable:" or "failure notice" —
//     are read from their text: the first enhanced status code or SMTP
//     reply code in the notice (the part before the returned message),
//     "failed permanently" and the like when there is no code, and
//     "delayed" and the like for warnings. This covers qmail, Yahoo,
//     Gmail's older form and Exchange's text.
//  4. An automatic reply (Auto-Submitted other than "no", X-Autoreply and
//     kin, Precedence: auto_reply, an out-of-office subject) yields
//     nothing: an absent reader is not a bad address. Reports are checked
//     before this, since DSNs carry Auto-Submitted too; but an automatic
//     reply taken for a bounce only by its sender or subject (an
//     out-of-office from postmaster@) is one when its notice has no
//     status code as a server writes one ("550 5.1.1", "#5.1.1"; a date
//     or a telephone number in its words is none) and no words of failure
//     or delay.
//  5. Anything else (a person's reply, spam) yields nothing.
//
// Classify decides between hard, soft and blocked by RFC 3463's classes
// and subjects, leaning to soft where in doubt: a soft bounce wrongly
// taken only costs a few more sends before BOUNCE_LIMIT stops them, while
// a hard one wrongly taken loses a reader.
//
//   - Action delivered, relayed, expanded or delayed: no event.
//   - Status 4.x.x (the reporter gave up after temporary failures), or no
//     status at all: soft.
//   - A refusal of the sender or of the message, not of the address:
//     blocked (blocked.go). By code: 5.7.5 to 5.7.9, 5.7.11, 5.7.13 to
//     5.7.16 (cryptography, the sending account, priority), RFC 7372's
//     5.7.20 to 5.7.30 (SPF, DKIM, DMARC, ARC, mail flood, REQUIRETLS:
//     Gmail's 5.7.26 "the sender is unauthenticated") and Microsoft's
//     5.7.500 to 5.7.750 (a banned sending IP, domain or tenant; not
//     5.7.503 to 5.7.505 and 5.7.507, about the recipient). By words, under
//     5.7.0, 5.7.1 or a code that says no more than "permanent": a block
//     list (Spamhaus, Microsoft's S3150), reputation, Yahoo's TSS codes,
//     spam or unsolicited mail, failed authentication. A blocked report
//     does not count toward BOUNCE_LIMIT, since a block on the sender
//     lasting a few editions would otherwise mark every reader of that
//     provider bounced; it counts toward the edition's pause.
//   - 5.1.1 to 5.1.4, 5.1.6 and 5.1.10 (bad mailbox, bad domain, bad
//     syntax, ambiguous, moved, null MX): hard. The other 5.1.x are not
//     about the reader's address: 5.1.7 and 5.1.8 are about the sender's,
//     5.1.5 and 5.1.9 say nothing against it, and a code no RFC defines
//     may mean anything (Microsoft's 5.1.90 is the sending account's
//     daily limit of recipients, reached when the digest goes out through
//     Microsoft 365): soft, or by the words for 5.1.0.
//   - 5.2.1 (mailbox disabled): hard.
//   - 5.x.0 codes (other or undefined status: 5.0.0, 5.1.0, 5.5.0, ...)
//     say no more than "permanent", so the diagnostic's words decide:
//     "mailbox full", "quota exceeded" and the like are soft; "user
//     unknown", "no such user", "does not exist", "account disabled",
//     Yahoo's "this user doesn't have a yahoo.com account" and the like
//     are hard; anything else is soft.
//   - Every other 5.x.x is soft: mailbox full (5.2.2), message too large
//     (5.2.3, 5.3.4), system and network trouble (5.3, 5.4), protocol
//     (5.5), content (5.6) and the recipient's own rules (5.7.1 "not
//     authorized", Microsoft's 5.7.1xx: a group that takes mail from its
//     members only). These may say more about the message than about the
//     address; an address that refuses every digest still stops after
//     BOUNCE_LIMIT.
//
// A Status of x.0.0 is read together with the diagnostic: when the
// diagnostic holds a more specific code of the same class ("Status: 5.0.0"
// over "550 5.1.1 user unknown"), that code is the one classified.
package bounce
