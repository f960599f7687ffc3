package testenv

import (
	"fmt"
	"os"
	"sync/atomic"
	"testing"
)

// mainRuns is set while Main runs the package's tests: someone will stop
// what the process's tests share when they are done.
var mainRuns atomic.Bool

// Main runs a package's tests (call it from TestMain) and then stops what
// they shared: the process's template database and any database of its
// that a test left, its redis-servers and its Chromium. Without Main the
// servers still die with the process and a later test process drops the
// databases, but each browser test starts a browser of its own. The
// functions in after run once the tests are done, before the process
// exits (a package removes what its TestMain made).
func Main(m *testing.M, after ...func()) {
	mainRuns.Store(true)
	code := m.Run()
	for _, f := range after {
		f()
	}
	chromiumProc.close()
	redisProc.stop()
	if err := pgProc.stop(); err != nil {
		fmt.Fprintf(os.Stderr, "testenv: drop this process's databases: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}
