package domain

// SubscriberFilter selects subscribers for the admin list and export, in
// id order. Empty fields select everyone.
type SubscriberFilter struct {
	Status  string // one of the Status constants
	Country string // receives this country's stories: chose it, or all stories
	Topic   string // receives this topic's stories: chose it, or all stories
	// Language reads the digest in this language.
	Language string
	// Address is part of the address, matched whatever its case.
	Address string
	After   int64 // continue after this id (keyset paging)
	Limit   int
}
