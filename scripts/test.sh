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
# Without -trimpath the build cache keys each compiled package on the
# checkout's path, so every fresh clone (CI's) compiled the whole project
# again under the race detector, a couple of minutes of CPU; with it a
# clone finds what any other checkout of the same code compiled. The
# binaries the tests build (cmd/worker, cmd/web) inherit it.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-trimpath"

# The services (from a clean clone: downloads, npm installs) are made
# ready while go vet type-checks: one waits on the network, the other
# works the processors. Their output is shown once both are done.
svclog=$(mktemp)
scripts/services.sh --with-chromium --with-redis-server --with-axe --with-caniemail >"$svclog" 2>&1 &
svc=$!
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
vet=0
go vet ./... || vet=$?
# Services still on their way (a clean clone's npm installs): the time
# goes to compiling the packages for the race detector, which go test
# then finds in the build cache.
if [[ $vet -eq 0 && " $* " != *" -race=false "* ]] && kill -0 "$svc" 2>/dev/null; then
	echo "== go build -race ./... (while the services get ready)"
	go build -race ./... || true
fi
svcrc=0
wait "$svc" || svcrc=$?
echo "== scripts/services.sh"
cat "$svclog"
rm -f "$svclog"
if [[ $svcrc -ne 0 ]]; then
	echo "test.sh: the services are not ready (scripts/services.sh exited $svcrc)" >&2
	exit "$svcrc"
fi
[[ $vet -eq 0 ]] || exit "$vet"

# Most tests wait (on a server, a queue, a browser) more than they compute,
# and those that own their data run in parallel (t.Parallel): four at a
# time in a package keeps two cores busy without the race detector's
# overhead making each one crawl. TESTPARALLEL changes it; a -parallel
# flag given here wins.
parallel=${TESTPARALLEL:-4}
# Packages too run several at a time (go test's -p, whose default is the
# number of cores). With two at a time the packages that mostly wait (the
# fault rig's killed workers, the operations tests' real processes) held
# one of the two places for minutes while the tagger's quality tests,
# which compute, queued behind them: the suite ran for seven minutes with
# the processors idle half of it. TESTPACKAGES changes it; a -p flag
# given here wins.
packages=${TESTPACKAGES:-6}

echo "== go test -count=1 -race -timeout 20m -p $packages -parallel $parallel $* ${pkgs[*]}"
exec go test -count=1 -race -timeout 20m -p "$packages" -parallel "$parallel" "$@" "${pkgs[@]}"
