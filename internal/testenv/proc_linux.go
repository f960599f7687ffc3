package testenv

import "syscall"

// dieWithParent makes a child process receive SIGKILL when the test process
// dies, however it dies (a crash, a -timeout panic, kill -9), so that no
// service a test started outlives it.
//
// Linux sends the signal when the thread that started the child exits.
// The Go runtime does not end its threads, except one locked to a
// goroutine that exits locked, which tests do not do.
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
