package domain

import "time"

// NewSession is a console login to store.
type NewSession struct {
	TokenHash []byte
	EditorID  int64  // 0: the owner
	OwnerKey  []byte // the owner's: derived from ADMIN_PASSWORD
	TTL       time.Duration
	IP        string
	UserAgent string
}

// Session is a live console login.
type Session struct {
	EditorID   int64  // 0: the owner
	OwnerKey   []byte // the owner's, to compare with the current one
	Email      string // the editor's; "" for the owner
	Roles      Roles  // the editor's, as they are now; the owner's are all
	LastSeenAt time.Time
	CreatedAt  time.Time
}
