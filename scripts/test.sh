#!/usr/bin/env bash
# Run the checks (what `make test` runs): make sure PostgreSQL, Redis and
# Chromium are there, then go vet and go test on every package.
#
#   scripts/test.sh [go test flags] [packages]
#
# Packages default to ./... ; e.g. scripts/test.sh -run TestImport ./internal/ingest
# Tests reach TEST_DATABASE_URL (an admin connection used to create throwaway
# databases) and TEST_REDIS_URL.
set -euo pipefail
exec </dev/null

cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
	PATH=/usr/local/go/bin:$PATH
fi

scripts/services.sh --with-chromium

export TEST_DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
export TEST_REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379/0}

# Packages named on the command line replace ./...
pkgs=(./...)
for arg in "$@"; do
	case $arg in
	./* | ../* | newsdigest | newsdigest/*) pkgs=() ;;
	esac
done

echo "== go vet ./..."
go vet ./...

echo "== go test -count=1 -race=false -timeout 20m $* ${pkgs[*]}"
exec go test -count=1 -race=false -timeout 20m "$@" "${pkgs[@]}"
