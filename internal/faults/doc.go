// Package faults holds the delivery fault tests (in its _test files): an
// edition sent to a few thousand subscribers while workers die, Redis is
// wiped, or the SMTP relay misbehaves. Each must end with every active
// subscriber holding exactly one final delivery, and no address mailed
// twice beyond what was in flight at the fault.
package faults
