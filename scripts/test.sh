#!/usr/bin/env bash
# Run the checks (what `make test` runs): make sure PostgreSQL, the
# redis-server binary, Chromium, axe-core and caniemail are there, then go vet, and go test with
# the race detector on every package.
#
#   scripts/test.sh [go test flags] [packages]
#
# Packages default to ./... ; e.g. scripts/test.sh -run TestImport ./internal/ingest
# Tests reach TEST_DATABASE_URL (an admin connection used to create throwaway
# databases, copies of one each test process migrates) and start a
# redis-server of their own in each test process, a database number per
# test; they touch no Redis database of yours unless TEST_REDIS_URL names
# one, which they then take turns at and empty (internal/testenv).
set -euo pipefail
exec </dev/null

cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
	PATH=/usr/local/go/bin:$PATH
fi

scripts/services.sh --with-chromium --with-redis-server --with-axe --with-caniemail
export AXE_CORE_JS=${AXE_CORE_JS:-$PWD/.cache/axe/node_modules/axe-core/axe.min.js}

export TEST_DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}

# Packages named on the command line replace ./...
pkgs=(./...)
for arg in "$@"; do
	case $arg in
	./* | ../* | newsdigest | newsdigest/*) pkgs=() ;;
	esac
done

# The race detector watches every package: most start goroutines (pools,
# workers, servers), and those that do not cost little more with it. It
# needs cgo, hence a C compiler; TESTFLAGS=-race=false goes without.
if [[ $(go env CGO_ENABLED) != 1 && " $* " != *" -race=false "* ]]; then
	echo "test.sh: the race detector needs cgo and a C compiler: install gcc (apt-get install gcc)," \
		"or run without it: make test TESTFLAGS=-race=false" >&2
	exit 1
fi

echo "== go vet ./..."
go vet ./...

# Most tests wait (on a server, a queue, a browser) more than they compute,
# and those that own their data run in parallel (t.Parallel): four at a
# time in a package keeps two cores busy without the race detector's
# overhead making each one crawl; go test's -p (packages at once) stays at
# its default, the number of cores. TESTPARALLEL changes it; a -parallel
# flag given here wins.
parallel=${TESTPARALLEL:-4}

echo "== go test -count=1 -race -timeout 20m -parallel $parallel $* ${pkgs[*]}"
exec go test -count=1 -race -timeout 20m -parallel "$parallel" "$@" "${pkgs[@]}"
