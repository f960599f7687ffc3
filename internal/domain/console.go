package domain

import "time"

// OwnerAccount is the built-in console account, whose password is
// ADMIN_PASSWORD.
const OwnerAccount = "admin"

// APIActor is who the audit log names for calls made with ADMIN_TOKEN.
const APIActor = "api"

// Editor is a console account besides the owner.
type Editor struct {
	ID                int64
	Email             string
	CreatedBy         string
	CreatedAt         time.Time
	PasswordChangedAt time.Time
	LastSeenAt        *time.Time
}

// AuditEntry is one admin action: who did what, when, to which object.
type AuditEntry struct {
	ID         int64
	At         time.Time
	Actor      string // an editor's email, OwnerAccount, or APIActor
	Action     string // a dotted verb: "item.update", "edition.cancel"
	ObjectType string // "item", "edition", "subscriber", "source", "editor"
	ObjectID   string
	Detail     string // a short human-readable note
}

// AuditFilter selects audit entries; zero values select all.
type AuditFilter struct {
	Actor      string
	ObjectType string
	ObjectID   string
	Before     int64 // entries with an id below this (paging)
	Limit      int
}
