package faults

import (
	"testing"

	"newsdigest/internal/testenv"
)

// TestMain lets the tests share one migrated template database, one
// redis-server and one browser, and removes them when the tests are done.
func TestMain(m *testing.M) { testenv.Main(m) }
