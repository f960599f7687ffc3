package domain

import "time"

// OwnerAccount is the built-in console account, whose password is
// ADMIN_PASSWORD.
const OwnerAccount = "admin"

// APIActor is who the audit log names for calls made with ADMIN_TOKEN.
const APIActor = "api"

// Roles are what a console account may do beyond reading the dashboard,
// the queues and its own account. The owner has every role and alone
// manages editors; the owner gives each editor theirs.
type Roles struct {
	// Edit: edit and send. Items, imports of stories, sources, editions
	// (send, cancel, retry, preview, test send).
	Edit bool
	// Subscribers: manage subscribers. The list of people and their
	// records, its export, imports of addresses (as active, on the
	// operator's word), unsubscribing, suppressing and erasing people,
	// a digest previewed or test-sent as a named subscriber, the
	// addresses of failed deliveries, and the audit log.
	Subscribers bool
}

// AllRoles is the owner's.
var AllRoles = Roles{Edit: true, Subscribers: true}

// Editor is a console account besides the owner.
type Editor struct {
	ID                int64
	Email             string
	Roles             Roles
	CreatedBy         string
	CreatedAt         time.Time
	PasswordChangedAt time.Time
	LastSeenAt        *time.Time
}

// ConsoleSession is one live console login of an editor, as the owner
// sees it to end it.
type ConsoleSession struct {
	ID         int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	IP         string
	UserAgent  string
}

// AuditEntry is one admin action: who did what, when, to which object.
type AuditEntry struct {
	ID         int64
	At         time.Time
	Actor      string // an editor's email, OwnerAccount, or APIActor
	Action     string // a dotted verb: "item.update", "edition.cancel"
	ObjectType string // "item", "edition", "subscriber", "source", "editor"
	ObjectID   string
	Detail     string // a short human-readable note, in English
	// Words is Detail as the code made it, for a page in another
	// language; zero for an entry recorded before they were kept.
	Words Words
}

// AuditFilter selects audit entries; zero values select all.
type AuditFilter struct {
	Actor      string
	ObjectType string
	ObjectID   string
	// WithoutSessions leaves out log-ins and log-outs (session.*), which
	// would otherwise drown the desk's real actions.
	WithoutSessions bool
	Before          int64 // entries with an id below this (paging)
	Limit           int
}

// ErrDraftTaken is the message (errs.Conflict) of an import's preview
// confirmed again once confirmed: a double click imports once.
const ErrDraftTaken = "this import was confirmed already"

// ErrDraftGone is the message (errs.NotFound) of an import's preview that
// is no longer kept: confirmed already, or expired. The console words it
// itself, on the import page, where it can be uploaded again.
const ErrDraftGone = "this import was already confirmed or has expired: upload it again"
