#!/usr/bin/env bash
# Build Mailpit, the mail catcher `make dev` runs, with its web page, into
# bin/mailpit.
#
#   scripts/mailpit.sh           build bin/mailpit unless it is already built
#   scripts/mailpit.sh --force   build it again
#
# `go install github.com/axllent/mailpit@…` builds a Mailpit whose page is
# blank: its script and stylesheet (/dist/app.js, /dist/app.css) are built
# with npm from the module's front-end source before Go embeds them, and
# go install skips that step. So this script takes the module's source
# from the Go module proxy (go mod download), builds the front-end with the
# npm packages pinned in scripts/mailpit/ (Debian's nodejs and npm are
# installed if missing), and then runs go build, which embeds it. Only the
# Go module proxy, the npm registry and Debian's packages are used.
#
# The work happens in .cache/mailpit; bin/.mailpit.stamp records what
# bin/mailpit was built from, so that later runs cost nothing until the
# version or the pinned packages change. A copy of each build is kept in
# the user's cache ($XDG_CACHE_HOME, else ~/.cache, under newsdigest/),
# named by that stamp, as Go keeps its builds: a fresh clone on the same
# machine copies it rather than building again.
set -euo pipefail
exec </dev/null

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly ROOT=$PWD
readonly MODULE=github.com/axllent/mailpit
readonly VERSION=v1.33.1
readonly PINNED=$ROOT/scripts/mailpit
readonly BIN=$ROOT/bin/mailpit
readonly STAMP=$ROOT/bin/.mailpit.stamp
readonly WORK=$ROOT/.cache/mailpit

force=0
case ${1:-} in
"") ;;
--force) force=1 ;;
-h | --help)
	sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
	;;
*)
	echo "mailpit.sh: unknown option: $1 (try --help)" >&2
	exit 2
	;;
esac

die() {
	echo "mailpit.sh: $*" >&2
	exit 1
}

if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
	PATH=/usr/local/go/bin:$PATH
fi

# The stamp names the version and a digest of the pinned packages: a
# binary built from anything else is built again.
stamp() {
	local digest
	digest=$(cat "$PINNED/package.json" "$PINNED/package-lock.json" | sha256sum)
	echo "$MODULE@$VERSION ui=${digest:0:16}"
}

want=$(stamp)
if [[ $force -eq 0 && -x $BIN && -f $STAMP && $(<"$STAMP") == "$want" ]]; then
	echo "mailpit: present (bin/mailpit, $VERSION with its web page)"
	exit 0
fi
cached=${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/newsdigest/mailpit-$(echo "$want" | sha256sum | cut -c1-16)
if [[ $force -eq 0 && -x $cached ]]; then
	mkdir -p "$ROOT/bin"
	cp "$cached" "$BIN.tmp" && mv -f "$BIN.tmp" "$BIN"
	echo "$want" >"$STAMP"
	echo "mailpit: copied $VERSION with its web page from $cached into bin/mailpit"
	exit 0
fi

command -v go >/dev/null 2>&1 || die "go is not on PATH (it builds Mailpit)"
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
	command -v apt-get >/dev/null 2>&1 || die "node and npm are needed to build Mailpit's web page; install them"
	echo "mailpit: installing Debian's nodejs and npm (they build Mailpit's web page)"
	sudo=()
	[[ $EUID -eq 0 ]] || sudo=(sudo -n)
	"${sudo[@]}" apt-get update -q >/dev/null || echo "mailpit: apt-get update failed; trying with the package lists at hand" >&2
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null ||
		die "apt-get install nodejs npm failed"
fi

echo "mailpit: building $VERSION with its web page into bin/mailpit (a minute or two the first time)"
# Outside any module, so that neither this project's go.mod nor a go.work
# is involved in fetching or building Mailpit.
export GOFLAGS='' GOWORK=off CGO_ENABLED=0
module_dir=$(cd / && go mod download -json "$MODULE@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
[[ -n $module_dir && -d $module_dir ]] || die "go mod download $MODULE@$VERSION gave no source directory"

src=$WORK/$VERSION
rm -rf "$src"
mkdir -p "$WORK" "$ROOT/bin"
cp -R "$module_dir" "$src"
chmod -R u+w "$src" # the module cache is read-only
cp "$PINNED/package.json" "$PINNED/package-lock.json" "$src/"
# legacy-peer-deps: an optional peer of the Sass plugin (sass-embedded,
# native builds for every platform) is not needed; the pure JavaScript
# sass in the pinned list is used.
(cd "$src" && npm ci --legacy-peer-deps --no-audit --no-fund --loglevel=error) ||
	die "npm ci in $src failed"
(cd "$src" && MINIFY=true node esbuild.config.mjs >"$src/esbuild.log" 2>&1) ||
	die "building Mailpit's web page failed; see $src/esbuild.log"
for f in app.js app.css; do
	[[ -s $src/server/ui/dist/$f ]] || die "the front-end build made no server/ui/dist/$f"
done
(cd "$src" && go build -trimpath -ldflags "-s -w -X $MODULE/config.Version=$VERSION" -o "$BIN.tmp" .) ||
	die "go build of Mailpit failed"
mv -f "$BIN.tmp" "$BIN"
echo "$want" >"$STAMP"
if mkdir -p "$(dirname "$cached")" 2>/dev/null && cp "$BIN" "$cached.tmp" 2>/dev/null; then
	mv -f "$cached.tmp" "$cached"
fi
# The copy (with its node_modules, a quarter of a gigabyte) served its
# purpose; npm's and Go's own caches make the next build quick.
rm -rf "$src"
echo "mailpit: built (bin/mailpit)"
