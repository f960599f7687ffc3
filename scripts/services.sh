#!/usr/bin/env bash
# Make sure the services newsdigest needs are reachable on loopback:
# PostgreSQL on 127.0.0.1:5432 (user postgres, no password) and Redis on
# 127.0.0.1:6379. What already answers is left alone; what does not is
# installed from Debian's packages if missing, configured and started
# without systemd.
#
#   scripts/services.sh [--with-mailpit] [--with-chromium] [--with-redis-server] [--with-axe]
#                       [--with-caniemail]
#
#   --with-mailpit       also make sure bin/mailpit exists, with its web page
#                        (scripts/mailpit.sh builds it)
#   --with-chromium      also make sure /usr/bin/chromium exists (apt-get install)
#   --with-redis-server  also make sure the redis-server binary exists, for
#                        the tests, which start servers of their own
#                        (apt-get install, without starting its service)
#   --with-axe           also make sure axe-core (the accessibility checker the
#                        browser tests run in each page) is in .cache/axe
#                        (npm install, pinned)
#   --with-caniemail     also make sure caniemail (caniemail.com's data on what
#                        mail clients support, which the render tests check
#                        the emails against) is in .cache/caniemail
#                        (npm install, pinned)
#
# Idempotent and non-interactive; exits non-zero with a message if a service
# cannot be brought up.
set -euo pipefail
exec </dev/null
export DEBIAN_FRONTEND=noninteractive

readonly PG_HOST=127.0.0.1 PG_PORT=5432
readonly REDIS_HOST=127.0.0.1 REDIS_PORT=6379
readonly WAIT_SECONDS=30

with_mailpit=0
with_chromium=0
with_redis_server=0
with_axe=0
with_caniemail=0
for arg in "$@"; do
	case $arg in
	--with-mailpit) with_mailpit=1 ;;
	--with-chromium) with_chromium=1 ;;
	--with-redis-server) with_redis_server=1 ;;
	--with-axe) with_axe=1 ;;
	--with-caniemail) with_caniemail=1 ;;
	-h | --help)
		sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "services.sh: unknown option: $arg (try --help)" >&2
		exit 2
		;;
	esac
done

die() {
	echo "services.sh: $*" >&2
	exit 1
}

# as_root runs a command as root: directly when we are root, else via sudo.
as_root() {
	if [[ $EUID -eq 0 ]]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo -n "$@"
	else
		die "need root to run: $* (run as root or install sudo)"
	fi
}

apt_updated=0
apt_install() {
	command -v apt-get >/dev/null 2>&1 ||
		die "apt-get not found: install $* yourself (this script knows Debian only)"
	if [[ $apt_updated -eq 0 ]]; then
		as_root apt-get update -q >/dev/null ||
			echo "services.sh: apt-get update failed; trying with the package lists at hand" >&2
		apt_updated=1
	fi
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
		"$@" >/dev/null || die "apt-get install $* failed"
}

tcp_open() { # host port
	timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

postgres_ready() {
	if command -v pg_isready >/dev/null 2>&1; then
		pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2
	else
		tcp_open "$PG_HOST" "$PG_PORT"
	fi
}

redis_ready() {
	if command -v redis-cli >/dev/null 2>&1; then
		[[ $(timeout 3 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
	else
		# Speak just enough RESP to get a PONG back.
		timeout 3 bash -c "exec 3<>/dev/tcp/$REDIS_HOST/$REDIS_PORT &&
			printf 'PING\r\n' >&3 && IFS= read -r line <&3 && [[ \$line == '+PONG'* ]]" 2>/dev/null
	fi
}

wait_for() { # check-function
	local deadline=$((SECONDS + WAIT_SECONDS))
	until "$1"; do
		if ((SECONDS >= deadline)); then
			return 1
		fi
		sleep 1
	done
}

# --- PostgreSQL -------------------------------------------------------------

# The Debian PostgreSQL version to use, e.g. "15": the newest one that has
# both a server binary and a "main" cluster, else the newest server binary;
# empty if none is installed.
pg_version() {
	local versions v
	versions=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/postgres' 2>/dev/null |
		awk -F/ '{print $5}' | sort -n)
	for v in $(tac <<<"$versions"); do
		if [[ -d /etc/postgresql/$v/main ]]; then
			echo "$v"
			return
		fi
	done
	tail -n 1 <<<"$versions"
}

# Let 127.0.0.1 and ::1 in without a password and listen on localhost only.
# Used on clusters this script installed or created, never on someone else's.
pg_configure_local_trust() { # version
	local conf=/etc/postgresql/$1/main
	local hba=$conf/pg_hba.conf
	if ! grep -q '^# newsdigest: local trust' "$hba"; then
		local tmp
		tmp=$(mktemp)
		{
			echo '# newsdigest: local trust (added by scripts/services.sh)'
			echo 'host    all             all             127.0.0.1/32            trust'
			echo 'host    all             all             ::1/128                 trust'
			cat "$hba"
		} >"$tmp"
		as_root cp "$tmp" "$hba"
		rm -f "$tmp"
	fi
	if [[ -d $conf/conf.d ]]; then
		printf "listen_addresses = 'localhost'\nport = %s\n" "$PG_PORT" |
			as_root tee "$conf/conf.d/newsdigest.conf" >/dev/null
	fi
}

ensure_postgres() {
	if postgres_ready; then
		echo "postgres: running (already)"
		return
	fi

	local installed=0 created=0 ver
	ver=$(pg_version)
	if [[ -z $ver ]]; then
		echo "postgres: not reachable on $PG_HOST:$PG_PORT; installing Debian's postgresql"
		apt_install postgresql
		installed=1
		ver=$(pg_version)
		[[ -n $ver ]] || die "postgres: installed, but no server binary under /usr/lib/postgresql"
	fi
	command -v pg_ctlcluster >/dev/null 2>&1 ||
		die "postgres: pg_ctlcluster not found; start PostgreSQL on $PG_HOST:$PG_PORT yourself"
	if [[ ! -d /etc/postgresql/$ver/main ]]; then
		as_root pg_createcluster "$ver" main >/dev/null || die "postgres: pg_createcluster $ver main failed"
		created=1
	fi
	if [[ $installed -eq 1 || $created -eq 1 ]]; then
		pg_configure_local_trust "$ver"
		# The package may have started the cluster already: reload its config.
		as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main restart >/dev/null 2>&1 || true
	fi
	if ! postgres_ready; then
		as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start ||
			echo "postgres: pg_ctlcluster $ver main start failed; waiting anyway" >&2
	fi
	wait_for postgres_ready ||
		die "postgres: not answering on $PG_HOST:$PG_PORT after ${WAIT_SECONDS}s; check port and listen_addresses in /etc/postgresql/$ver/main and the log /var/log/postgresql/postgresql-$ver-main.log"
	if [[ $installed -eq 1 ]]; then
		echo "postgres: installed and started ($ver)"
	else
		echo "postgres: started ($ver)"
	fi
	if command -v psql >/dev/null 2>&1 &&
		! PGCONNECT_TIMEOUT=5 psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -w -tAc 'SELECT 1' >/dev/null 2>&1; then
		echo "postgres: warning: user postgres cannot log in on $PG_HOST without a password;" \
			"add 'host all all 127.0.0.1/32 trust' at the top of /etc/postgresql/$ver/main/pg_hba.conf" >&2
	fi
}

# --- Redis ------------------------------------------------------------------

ensure_redis() {
	if redis_ready; then
		echo "redis: running (already)"
		return
	fi

	local installed=0
	if ! command -v redis-server >/dev/null 2>&1; then
		echo "redis: not reachable on $REDIS_HOST:$REDIS_PORT; installing Debian's redis-server"
		apt_install redis-server
		installed=1
	fi
	# The package may have started its own instance on the same port.
	if ! redis_ready; then
		as_root mkdir -p /var/lib/redis /var/log/redis
		as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" \
			--appendonly yes --dir /var/lib/redis --logfile /var/log/redis/redis-server.log ||
			echo "redis: redis-server failed to start; waiting anyway" >&2
	fi
	wait_for redis_ready ||
		die "redis: not answering on $REDIS_HOST:$REDIS_PORT after ${WAIT_SECONDS}s (see /var/log/redis/redis-server.log)"
	if [[ $installed -eq 1 ]]; then
		echo "redis: installed and started"
	else
		echo "redis: started"
	fi
}

# --- Optional tools -----------------------------------------------------------

# Mailpit is built into the project's bin/, with the web page that go
# install leaves out (see scripts/mailpit.sh).
ensure_mailpit() {
	"$(dirname "${BASH_SOURCE[0]}")/mailpit.sh"
}

# The tests start redis-server processes of their own on free ports
# (internal/testenv), so they need the binary even where the Redis that
# answers on 6379 came from elsewhere (a container, another package). Its
# Debian package would start a service on 6379 too, to fight that Redis
# for the port: it is installed with maintainer scripts forbidden to start
# services (policy-rc.d answering 101) and kept from starting at boot.
ensure_redis_server_binary() {
	local bin policy=/usr/sbin/policy-rc.d
	if bin=$(command -v redis-server 2>/dev/null); then
		echo "redis-server: present ($bin)"
		return
	fi
	echo "redis-server: installing Debian's redis-server for the tests (its service left stopped)"
	if [[ -e $policy ]]; then
		apt_install redis-server
	else
		as_root sh -c "printf '#!/bin/sh\nexit 101\n' >$policy && chmod 755 $policy" ||
			die "redis-server: cannot write $policy to hold the service back"
		trap "as_root rm -f $policy" EXIT
		apt_install redis-server
		as_root rm -f "$policy"
		trap - EXIT
	fi
	if command -v update-rc.d >/dev/null 2>&1; then
		as_root update-rc.d redis-server disable >/dev/null 2>&1 || true
	fi
	if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
		as_root systemctl disable --quiet redis-server.service >/dev/null 2>&1 || true
	fi
	bin=$(command -v redis-server 2>/dev/null) || die "redis-server: installed, but not on PATH"
	echo "redis-server: installed ($bin)"
}

ensure_chromium() {
	if [[ -x /usr/bin/chromium ]]; then
		echo "chromium: present (/usr/bin/chromium)"
		return
	fi
	echo "chromium: installing Debian's chromium"
	apt_install chromium
	[[ -x /usr/bin/chromium ]] || die "chromium: installed, but /usr/bin/chromium is missing"
	echo "chromium: installed (/usr/bin/chromium)"
}

readonly AXE_VERSION=4.14.1
readonly AXE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.cache/axe

# npm_pinned NAME VERSION DIR makes sure the npm package NAME@VERSION is
# in DIR/node_modules, installing it if it is missing or another version.
npm_pinned() {
	local name=$1 version=$2 dir=$3
	local pkg=$dir/node_modules/$name/package.json
	if [[ -f $pkg ]] && grep -q "\"version\": \"$version\"" "$pkg"; then
		echo "$name: present ($dir)"
		return
	fi
	command -v npm >/dev/null 2>&1 || apt_install npm
	echo "$name: installing $name@$version with npm"
	mkdir -p "$dir"
	npm install --silent --no-audit --no-fund --prefix "$dir" "$name@$version" >/dev/null ||
		die "$name: npm install $name@$version failed"
	[[ -f $pkg ]] || die "$name: installed, but $pkg is missing"
	echo "$name: installed ($dir)"
}

ensure_axe() {
	npm_pinned axe-core "$AXE_VERSION" "$AXE_DIR"
	[[ -f $AXE_DIR/node_modules/axe-core/axe.min.js ]] || die "axe-core: axe.min.js is missing from $AXE_DIR"
}

readonly CANIEMAIL_VERSION=2.0.2
readonly CANIEMAIL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.cache/caniemail

ensure_caniemail() {
	npm_pinned caniemail "$CANIEMAIL_VERSION" "$CANIEMAIL_DIR"
}

# go may live outside PATH in non-login shells.
if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
	PATH=/usr/local/go/bin:$PATH
fi

ensure_postgres
ensure_redis
if [[ $with_mailpit -eq 1 ]]; then ensure_mailpit; fi
if [[ $with_chromium -eq 1 ]]; then ensure_chromium; fi
if [[ $with_redis_server -eq 1 ]]; then ensure_redis_server_binary; fi
if [[ $with_axe -eq 1 ]]; then ensure_axe; fi
if [[ $with_caniemail -eq 1 ]]; then ensure_caniemail; fi
