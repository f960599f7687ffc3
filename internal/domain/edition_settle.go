package domain

import "time"

// FailedSettleAfter is how long after an edition failed its deliveries
// may still be put back in flight: a batch sending when it failed
// records what it sent under a lease (a minute), and a compile cut off
// by its task's timeout (half an hour) may still write. Past it, a
// failed edition with nothing pending or sending is settled for good
// (editions.settled_at), and the reconciler no longer reads its
// deliveries: failed is an edition's last state, and no claim takes a
// delivery of a failed edition.
const FailedSettleAfter = time.Hour
