#!/usr/bin/env bash
# Run newsdigest on this machine with demo data (what `make dev` runs).
#
#   scripts/dev.sh                 start everything, stay in the foreground;
#                                  Ctrl-C stops web, worker and mailpit
#   DEV_DETACH=1 scripts/dev.sh    start everything and return, leaving it running
#   scripts/dev.sh stop            stop what an earlier run started (make stop)
#
# Settings: .dev.env (created on the first run with a fresh SECRET_KEY,
# and ADMIN_TOKEN, then reused; gitignored) wins over the
# environment, which wins over the local defaults below. Logs and pid files
# live in ./tmp.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly ROOT=$PWD
readonly RUN_DIR=$ROOT/tmp
readonly BIN_DIR=$ROOT/bin
readonly DEV_ENV=$ROOT/.dev.env
readonly DEV_DB=newsdigest
readonly DEMO_LISTING=internal/ingest/testdata/iom-rosanjose-news-2020.txt
readonly READY_SECONDS=60
readonly STOP_SECONDS=30

if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
	PATH=/usr/local/go/bin:$PATH
fi

log() { printf '%s\n' "$*"; }
die() {
	printf 'dev.sh: %s\n' "$*" >&2
	exit 1
}

listening() { # host port
	timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# alive PID: the process exists and is not a zombie.
alive() {
	kill -0 "$1" 2>/dev/null || return 1
	if [[ -r /proc/$1/stat ]]; then
		local stat
		stat=$(<"/proc/$1/stat") || return 1
		stat=${stat##*) }
		[[ ${stat%% *} != Z ]]
	fi
}

# pid_of NAME prints the pid in tmp/NAME.pid if that process is still alive
# and still runs a program called NAME (pids get reused).
pid_of() {
	local file=$RUN_DIR/$1.pid pid arg0
	[[ -f $file ]] || return 1
	pid=$(<"$file")
	[[ $pid =~ ^[0-9]+$ ]] && alive "$pid" || return 1
	if [[ -r /proc/$pid/cmdline ]]; then
		IFS= read -r -d '' arg0 <"/proc/$pid/cmdline" || true
		[[ ${arg0##*/} == "$1" ]] || return 1
	fi
	echo "$pid"
}

stop_one() { # NAME
	local pid deadline
	if ! pid=$(pid_of "$1"); then
		rm -f "$RUN_DIR/$1.pid"
		return 1
	fi
	kill -TERM "$pid" 2>/dev/null || true
	deadline=$((SECONDS + STOP_SECONDS))
	while alive "$pid" && ((SECONDS < deadline)); do
		sleep 0.2
	done
	if alive "$pid"; then
		log "$1: still running after ${STOP_SECONDS}s, killing it"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true # reap it if it is our child
	rm -f "$RUN_DIR/$1.pid"
	log "$1: stopped (pid $pid)"
}

# stop_all stops web and worker before mailpit, so the worker can finish the
# message it is sending.
stop_all() {
	local name stopped=0
	for name in web worker mailpit; do
		if stop_one "$name"; then stopped=1; fi
	done
	return $((1 - stopped))
}

cmd_stop() {
	stop_all || log "nothing to stop (no process recorded in tmp/*.pid is running)"
}

rand_hex() { # bytes
	od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'
}

# ensure_dev_env creates .dev.env once and adds any secret it lacks; the
# values are reused on every later run.
ensure_dev_env() {
	if [[ ! -f $DEV_ENV ]]; then
		(
			umask 077
			cat >"$DEV_ENV" <<-'EOF'
				# Local settings for scripts/dev.sh, made on the first run. Not committed.
				# Any variable from the README's configuration table may be set here.
			EOF
		)
		log ".dev.env: created"
	fi
	local key bytes
	for key in SECRET_KEY:32 ADMIN_TOKEN:24 ADMIN_PASSWORD:12; do
		bytes=${key#*:}
		key=${key%%:*}
		if ! grep -q "^$key=" "$DEV_ENV"; then
			printf '%s=%s\n' "$key" "$(rand_hex "$bytes")" >>"$DEV_ENV"
		fi
	done
}

load_env() {
	ensure_dev_env
	set -a
	# shellcheck source=/dev/null
	. "$DEV_ENV"
	set +a
	: "${DATABASE_URL:=postgres://postgres@127.0.0.1:5432/$DEV_DB?sslmode=disable}"
	: "${REDIS_URL:=redis://127.0.0.1:6379/0}"
	: "${SMTP_URL:=smtp://127.0.0.1:1025}"
	: "${MAIL_FROM:=News Digest <digest@localhost>}"
	: "${BASE_URL:=http://localhost:8080}"
	: "${HTTP_ADDR:=:8080}"
	: "${DIGEST_CRON:=0 7 * * 1}"
	: "${DIGEST_TZ:=UTC}"
	: "${SMTP_CONNECTIONS:=4}"
	: "${SEND_RATE:=0}"
	: "${ORG_POSTAL_ADDRESS:=News Digest, 1 Example Street, 10000 Sample City, Country}"
	export DATABASE_URL REDIS_URL SMTP_URL MAIL_FROM BASE_URL HTTP_ADDR \
		ADMIN_TOKEN ADMIN_PASSWORD SECRET_KEY DIGEST_CRON DIGEST_TZ \
		SMTP_CONNECTIONS SEND_RATE ORG_POSTAL_ADDRESS
	HTTP_PORT=${HTTP_ADDR##*:}
	[[ $HTTP_PORT =~ ^[0-9]+$ ]] || die "HTTP_ADDR=$HTTP_ADDR: expected host:port or :port"
	LOCAL_URL=http://127.0.0.1:$HTTP_PORT
}

ensure_database() {
	command -v psql >/dev/null 2>&1 || die "psql not found (apt-get install -y postgresql-client)"
	local psql=(psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -w -v ON_ERROR_STOP=1 -tA)
	local exists
	exists=$(PGCONNECT_TIMEOUT=5 "${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DEV_DB'") ||
		die "cannot connect to PostgreSQL as postgres on 127.0.0.1:5432 without a password"
	if [[ $exists == 1 ]]; then
		log "database: $DEV_DB exists"
	else
		"${psql[@]}" -c "CREATE DATABASE $DEV_DB" >/dev/null
		log "database: $DEV_DB created"
	fi
}

find_mailpit() {
	local bin
	if bin=$(command -v mailpit 2>/dev/null); then
		echo "$bin"
		return
	fi
	bin=$(go env GOBIN)
	bin=${bin:-$(go env GOPATH)/bin}/mailpit
	[[ -x $bin ]] || die "mailpit not found (scripts/services.sh --with-mailpit installs it)"
	echo "$bin"
}

# spawn NAME PROGRAM [ARGS...] starts PROGRAM in its own session (so Ctrl-C
# in the terminal reaches only this script, which then stops it in order),
# logging to tmp/NAME.log and recording its pid in tmp/NAME.pid.
spawn() {
	local name=$1
	shift
	if command -v setsid >/dev/null 2>&1; then
		setsid "$@" >"$RUN_DIR/$name.log" 2>&1 </dev/null &
	else
		nohup "$@" >"$RUN_DIR/$name.log" 2>&1 </dev/null &
	fi
	echo $! >"$RUN_DIR/$name.pid"
}

start_mailpit() {
	if listening 127.0.0.1 1025; then
		log "mailpit: something already listens on 127.0.0.1:1025; using it"
		return
	fi
	spawn mailpit "$(find_mailpit)" --smtp 127.0.0.1:1025 --listen 127.0.0.1:8025
	local deadline=$((SECONDS + 15))
	until listening 127.0.0.1 1025; do
		pid_of mailpit >/dev/null || die "mailpit exited; see tmp/mailpit.log"
		((SECONDS < deadline)) || die "mailpit not listening on 127.0.0.1:1025 after 15s; see tmp/mailpit.log"
		sleep 0.3
	done
	log "mailpit: started (pid $(<"$RUN_DIR/mailpit.pid"))"
}

wait_ready() {
	local deadline=$((SECONDS + READY_SECONDS))
	until curl -fsS --max-time 2 -o /dev/null "$LOCAL_URL/readyz" 2>/dev/null; do
		if ! pid_of web >/dev/null; then
			tail -n 20 "$RUN_DIR/web.log" >&2 || true
			die "web exited; see tmp/web.log"
		fi
		if ((SECONDS >= deadline)); then
			tail -n 20 "$RUN_DIR/web.log" >&2 || true
			die "$LOCAL_URL/readyz not ready after ${READY_SECONDS}s; see tmp/web.log"
		fi
		sleep 0.5
	done
	log "web: ready at $LOCAL_URL"
}

import_demo() {
	if [[ ! -f $DEMO_LISTING ]]; then
		log "demo data: $DEMO_LISTING not found; skipped"
		return
	fi
	local out code body
	out=$(curl -sS --max-time 120 -w '\n%{http_code}' \
		-H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: text/plain' \
		--data-binary "@$DEMO_LISTING" "$LOCAL_URL/api/v1/imports") || {
		log "demo data: import request failed"
		return
	}
	code=${out##*$'\n'}
	body=${out%$'\n'*}
	if [[ $code == 2* ]]; then
		log "demo data: $body"
	else
		log "demo data: import answered HTTP $code: $body"
	fi
}

print_summary() {
	cat <<EOF

newsdigest is running

  Subscribe:     $BASE_URL/  (the form people use; the confirmation mail lands in Mailpit)
  Send editions: $BASE_URL/admin  (user admin, password $ADMIN_PASSWORD)
  Read the mail: http://localhost:8025

  metrics        http://${METRICS_ADDR:-127.0.0.1:9464}/metrics  (web's; loopback only)
  mailpit API    http://localhost:8025/api/v1/messages
  admin token    $ADMIN_TOKEN
                 (ADMIN_PASSWORD and ADMIN_TOKEN in $DEV_ENV)
  logs           tmp/web.log  tmp/worker.log  tmp/mailpit.log

The same from the JSON API. Subscribe (then confirm with the link in Mailpit):
  curl -fsS -H 'Content-Type: application/json' \\
    -d '{"email":"ana@example.org","countries":["MX","GT"],"topics":["labour-migration"],"language":"en","mode":"any"}' \\
    $BASE_URL/api/v1/subscriptions

Send an edition now and follow it:
  curl -fsS -X POST -H "Authorization: Bearer $ADMIN_TOKEN" \\
    -H 'Content-Type: application/json' -d '{}' $BASE_URL/api/v1/editions
  curl -fsS -H "Authorization: Bearer $ADMIN_TOKEN" $BASE_URL/api/v1/editions/ID
EOF
}

keep_running=0
on_exit() {
	local rc=$?
	trap - EXIT INT TERM
	if [[ $keep_running -eq 0 ]]; then
		echo
		stop_all || true
	fi
	exit "$rc"
}

cmd_start() {
	mkdir -p "$RUN_DIR" "$BIN_DIR"
	scripts/services.sh --with-mailpit
	load_env
	ensure_database

	log "build: go build -o bin/ ./cmd/web ./cmd/worker"
	go build -o "$BIN_DIR/" ./cmd/web ./cmd/worker

	# A rebuilt binary replaces the one an earlier (detached) run started.
	if pid_of web >/dev/null || pid_of worker >/dev/null || pid_of mailpit >/dev/null; then
		log "stopping the previous run"
		stop_all || true
	fi
	if listening 127.0.0.1 "$HTTP_PORT"; then
		die "something else listens on port $HTTP_PORT; stop it or set HTTP_ADDR (and BASE_URL)"
	fi

	trap on_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM

	start_mailpit
	log "migrate: bin/web migrate"
	"$BIN_DIR/web" migrate

	spawn web "$BIN_DIR/web"
	spawn worker "$BIN_DIR/worker"
	log "web: started (pid $(<"$RUN_DIR/web.pid")), worker: started (pid $(<"$RUN_DIR/worker.pid"))"
	wait_ready
	pid_of worker >/dev/null || die "worker exited; see tmp/worker.log"
	import_demo
	print_summary

	if [[ ${DEV_DETACH:-0} == 1 ]]; then
		keep_running=1
		log
		log "Left running in the background; stop with: make stop"
		exit 0
	fi

	log
	log "Ctrl-C stops web, worker and mailpit."
	local web_pid worker_pid
	web_pid=$(<"$RUN_DIR/web.pid")
	worker_pid=$(<"$RUN_DIR/worker.pid")
	wait -n "$web_pid" "$worker_pid" || true
	for name in web worker; do
		pid_of "$name" >/dev/null || log "$name exited; see tmp/$name.log"
	done
	exit 1
}

case ${1:-start} in
start) cmd_start ;;
stop) cmd_stop ;;
-h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' ;;
*) die "unknown command: $1 (start, stop)" ;;
esac
