package admin

import (
	"testing"

	"newsdigest/internal/testenv"
)

// TestMain lets the tests share one migrated template database and one
// redis-server, and removes them when the tests are done.
func TestMain(m *testing.M) { testenv.Main(m) }
