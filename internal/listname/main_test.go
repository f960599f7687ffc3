package listname

import (
	"testing"

	"newsdigest/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }
