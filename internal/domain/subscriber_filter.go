package domain

// SubscriberFilter selects subscribers for the admin list and export, in
// id order. Empty fields select everyone.
type SubscriberFilter struct {
	Status  string // one of the Status constants
	Country string // chose this country code
	Topic   string // chose this topic slug
	After   int64  // continue after this id (keyset paging)
	Limit   int
}

// IsStatus reports whether s is a subscriber status.
func IsStatus(s string) bool {
	switch s {
	case StatusPending, StatusActive, StatusUnsubscribed, StatusBounced, StatusErased:
		return true
	}
	return false
}
