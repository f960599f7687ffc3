//go:build !linux

package testenv

import "syscall"

// dieWithParent has no way to tie a child's life to the test process here:
// the child is killed by the test's cleanup, which a crashed test skips.
func dieWithParent() *syscall.SysProcAttr { return nil }
