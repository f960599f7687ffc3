#!/usr/bin/env bash
# Run newsdigest on this machine with demo data (what `make dev` runs).
#
#   scripts/dev.sh                 start everything, stay in the foreground;
#                                  Ctrl-C stops web, worker and Mailpit
#   DEV_DETACH=1 scripts/dev.sh    start everything and return, leaving it running
#   scripts/dev.sh stop            stop what an earlier run started (make stop)
#
# Settings: .dev.env (created on the first run with a fresh SECRET_KEY,
# ADMIN_TOKEN and ADMIN_PASSWORD, then reused; gitignored; one NAME=value
# a line, the value taken as written, e.g. DIGEST_CRON=0 7 * * 1) wins
# over the environment, which wins over the local defaults below. Any
# variable of the README's configuration table may go there, and these of
# make dev's own, each an address it listens on:
#   HTTP_ADDR            web                      :8080 (BASE_URL follows its port)
#   METRICS_ADDR         web's metrics            127.0.0.1:9464
#   WORKER_METRICS_ADDR  the worker's metrics     127.0.0.1:9465
#   MAILPIT_SMTP_ADDR    Mailpit's SMTP           127.0.0.1:1025 (SMTP_URL follows it)
#   MAILPIT_UI_ADDR      Mailpit's web page       127.0.0.1:8025
#   MAILPIT_MAX          messages Mailpit keeps   20000
# Every port is checked before anything is built; a busy one stops the
# run with the variable to set. Logs and pid files live in ./tmp.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly ROOT=$PWD
readonly RUN_DIR=$ROOT/tmp
readonly BIN_DIR=$ROOT/bin
readonly DEV_ENV=$ROOT/.dev.env
readonly DEV_DB=newsdigest # unless DATABASE_URL names another
readonly DEMO_LISTING=internal/ingest/testdata/iom-rosanjose-news-2020.txt
readonly READY_SECONDS=60
readonly STOP_SECONDS=30

if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
	PATH=/usr/local/go/bin:$PATH
fi

# With `make dev | tee log`, Ctrl-C ends tee too: from then on a write to
# stdout fails. That must not stop the script halfway through stopping
# what it started, so SIGPIPE is ignored and log falls back to stderr
# (the terminal).
trap '' PIPE
log() { printf '%s\n' "$*" 2>/dev/null || printf '%s\n' "$*" >&2 2>/dev/null || true; }
die() {
	printf 'dev.sh: %s\n' "$*" >&2
	exit 1
}

listening() { # host port
	timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# start_time PID prints the process's start time (clock ticks after boot,
# field 22 of /proc/PID/stat): with the pid it names one process for
# good, since a pid is reused but not with the same start time. It stays
# the same when the process execs its program, so it can be read at once.
start_time() {
	local stat fields
	[[ -r /proc/$1/stat ]] || return 0 # no /proc: the pid alone
	stat=$(<"/proc/$1/stat") 2>/dev/null || return 0
	stat=${stat##*) } # past the command name, which may hold spaces
	read -r -a fields <<<"$stat"
	echo "${fields[19]}"
}

# alive PID: the process exists and is not a zombie.
alive() {
	kill -0 "$1" 2>/dev/null || return 1
	if [[ -r /proc/$1/stat ]]; then
		local stat
		stat=$(<"/proc/$1/stat") 2>/dev/null || return 1
		stat=${stat##*) }
		[[ ${stat%% *} != Z ]]
	fi
}

# pid_of NAME prints the pid recorded in tmp/NAME.pid if that very
# process (same pid, same start time) is still running.
pid_of() {
	local file=$RUN_DIR/$1.pid pid started
	[[ -f $file ]] || return 1
	read -r pid started <"$file" || true
	[[ $pid =~ ^[0-9]+$ ]] && alive "$pid" || return 1
	[[ -z $started || $(start_time "$pid") == "$started" ]] || return 1
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

# stop_all stops web and worker before Mailpit, so the worker can finish
# the message it is sending.
stop_all() {
	local name stopped=0
	for name in web worker mailpit; do
		if stop_one "$name"; then stopped=1; fi
	done
	return $((1 - stopped))
}

# stop_run stops an earlier run: a make dev still in the foreground (in
# another terminal) is asked to stop what it started, as Ctrl-C would,
# and whatever is left, or what a detached run left, is stopped here.
# It fails if nothing was running.
stop_run() {
	local pid deadline stopped=1
	if pid=$(pid_of dev) && [[ $pid != "$$" ]]; then
		kill -TERM "$pid" 2>/dev/null || true
		deadline=$((SECONDS + 3 * STOP_SECONDS + 5))
		while alive "$pid" && ((SECONDS < deadline)); do
			sleep 0.2
		done
		log "make dev (pid $pid): stopped"
		stopped=0
	fi
	stop_all && stopped=0
	return "$stopped"
}

cmd_stop() {
	stop_run || log "nothing to stop (no process recorded in tmp/*.pid is running)"
}

# The settings, the port and server checks and the database: dev_settings.sh.
# shellcheck source=scripts/dev_settings.sh
source "$ROOT/scripts/dev_settings.sh"

# spawn NAME PROGRAM [ARGS...] starts PROGRAM in a session of its own (so
# Ctrl-C in the terminal reaches only this script, which then stops it in
# order), logging to tmp/NAME.log, and records its pid and start time in
# tmp/NAME.pid. This script is no process group leader, so setsid makes
# the session in place and execs PROGRAM: $! is PROGRAM's pid from the
# start, and nothing has to be read of a process still starting.
spawn() {
	local name=$1 pid
	shift
	if command -v setsid >/dev/null 2>&1; then
		setsid "$@" >"$RUN_DIR/$name.log" 2>&1 </dev/null &
	else
		nohup "$@" >"$RUN_DIR/$name.log" 2>&1 </dev/null &
	fi
	pid=$!
	echo "$pid $(start_time "$pid")" >"$RUN_DIR/$name.pid"
}

# exited NAME: what NAME left in its log, and the run stops.
exited() {
	tail -n 20 "$RUN_DIR/$1.log" >&2 2>/dev/null || true
	die "$1 exited; see tmp/$1.log"
}

# mailpit_page_ok checks that Mailpit's page loads its script: the page
# answers and the script it names answers 200 as JavaScript (a Mailpit
# built without its front-end serves a blank page and a 404 there).
mailpit_page_ok() {
	local page script type
	page=$(curl -fsS --max-time 5 "$MAILPIT_URL/") || return 1
	script=$(sed -n 's/.*<script[^>]* src="\([^"]*\)".*/\1/p' <<<"$page" | head -n 1)
	[[ -n $script ]] || return 1
	[[ $script == http* ]] || script=$MAILPIT_URL/${script#/}
	type=$(curl -fsS --max-time 5 -o /dev/null -w '%{content_type}' "$script") || return 1
	[[ $type == *javascript* ]]
}

start_mailpit() {
	spawn mailpit "$BIN_DIR/mailpit" --smtp "$MAILPIT_SMTP_ADDR" --listen "$MAILPIT_UI_ADDR" \
		--max "$MAILPIT_MAX" --disable-version-check
	local deadline=$((SECONDS + 15))
	until listening "$(host_of MAILPIT_SMTP_ADDR)" "$(port_of MAILPIT_SMTP_ADDR)" &&
		listening "$(host_of MAILPIT_UI_ADDR)" "$(port_of MAILPIT_UI_ADDR)"; do
		pid_of mailpit >/dev/null || exited mailpit
		((SECONDS < deadline)) || die "mailpit not listening on $MAILPIT_SMTP_ADDR and $MAILPIT_UI_ADDR after 15s; see tmp/mailpit.log"
		sleep 0.2
	done
	mailpit_page_ok ||
		die "Mailpit's page at $MAILPIT_URL does not load its script: rebuild it with scripts/mailpit.sh --force"
	log "mailpit: started (pid $(pid_of mailpit)), keeping the last $MAILPIT_MAX messages"
}

wait_ready() {
	local deadline=$((SECONDS + READY_SECONDS))
	until curl -fsS --max-time 2 -o /dev/null "$LOCAL_URL/readyz" 2>/dev/null; do
		pid_of web >/dev/null || exited web
		if ((SECONDS >= deadline)); then
			# Without the lines of the probes above, which say only 503:
			# web's own lines say which check fails, and why.
			grep -avE 'msg=request |"msg":"request"' "$RUN_DIR/web.log" | tail -n 20 >&2 || true
			local answer
			answer=$(curl -sS --max-time 3 "$LOCAL_URL/readyz" 2>&1) || true
			die "$LOCAL_URL/readyz not ready after ${READY_SECONDS}s (it answers: $answer); see tmp/web.log"
		fi
		sleep 0.3
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
		log "demo data (stories of 2020): $body"
	else
		log "demo data: import answered HTTP $code: $body"
	fi
}

print_summary() {
	log "
newsdigest is running

  Subscribe:     $BASE_URL/  (the form people use; the confirmation mail lands in Mailpit)
  Send editions: $BASE_URL/admin  (user admin, password $ADMIN_PASSWORD)
  Read the mail: $MAILPIT_URL  (Mailpit)

  metrics        $(url_of METRICS_ADDR)/metrics (web)
                 $(url_of WORKER_METRICS_ADDR)/metrics (worker)
  mailpit API    $MAILPIT_URL/api/v1/messages
  admin token    $ADMIN_TOKEN
                 (ADMIN_PASSWORD and ADMIN_TOKEN in $DEV_ENV)
  logs           tmp/web.log  tmp/worker.log  tmp/mailpit.log

The demo listing's stories are from 2020: they carry that year's dates, not
this week's, so an edition of new stories leaves them out. Send them with
their dates (below), or pick a story on its console page.

The same from the JSON API. Subscribe (then confirm with the link in Mailpit):
  curl -fsS -H 'Content-Type: application/json' \\
    -d '{\"email\":\"ana@example.org\",\"countries\":[\"MX\",\"GT\"],\"topics\":[\"labour-migration\"],\"language\":\"en\",\"mode\":\"any\"}' \\
    $BASE_URL/api/v1/subscriptions

Send an edition of the demo's stories now and follow it:
  curl -fsS -X POST -H \"Authorization: Bearer $ADMIN_TOKEN\" \\
    -H 'Content-Type: application/json' \\
    -d '{\"published_from\":\"2020-01-01\",\"published_to\":\"2020-12-31\"}' $BASE_URL/api/v1/editions
  curl -fsS -H \"Authorization: Bearer $ADMIN_TOKEN\" $BASE_URL/api/v1/editions/ID"
}

keep_running=0
on_exit() {
	local rc=$?
	trap - EXIT INT TERM
	set +e
	if [[ $keep_running -eq 0 ]]; then
		stop_all >&2
	fi
	if [[ $(pid_of dev) == "$$" ]]; then
		rm -f "$RUN_DIR/dev.pid"
	fi
	exit "$rc"
}

# on_stop is Ctrl-C or a TERM: what was started is stopped (on_exit),
# and that is a success, not an error for make to report.
on_stop() {
	printf '\n' >&2
	log "stopping" >&2
	exit 0
}

cmd_start() {
	mkdir -p "$RUN_DIR" "$BIN_DIR"
	trap on_exit EXIT
	trap on_stop INT TERM
	load_env

	# What an earlier (detached) run left is stopped first: its ports are
	# needed, and its binaries are about to be rebuilt.
	if pid_of dev >/dev/null || pid_of web >/dev/null || pid_of worker >/dev/null || pid_of mailpit >/dev/null; then
		log "stopping the previous run"
		stop_run || true
	fi
	check_ports
	check_services

	scripts/services.sh --with-mailpit
	ensure_database
	log "build: go build -o bin/ ./cmd/web ./cmd/worker"
	go build -o "$BIN_DIR/" ./cmd/web ./cmd/worker
	# Building took a while: a program may have taken a port meanwhile.
	check_ports

	start_mailpit
	log "migrate: bin/web migrate"
	"$BIN_DIR/web" migrate >"$RUN_DIR/migrate.log" 2>&1 || {
		tail -n 20 "$RUN_DIR/migrate.log" >&2
		die "bin/web migrate failed; see tmp/migrate.log"
	}

	spawn web "$BIN_DIR/web"
	spawn worker env METRICS_ADDR="$WORKER_METRICS_ADDR" "$BIN_DIR/worker"
	log "web: started (pid $(pid_of web)), worker: started (pid $(pid_of worker))"
	wait_ready
	pid_of worker >/dev/null || exited worker
	import_demo
	print_summary

	if [[ ${DEV_DETACH:-0} == 1 ]]; then
		keep_running=1
		log
		log "Left running in the background; stop with: make stop"
		exit 0
	fi

	# make stop, from another terminal, asks this script to stop.
	echo "$$ $(start_time $$)" >"$RUN_DIR/dev.pid"
	log
	log "Ctrl-C (or make stop) stops web, worker and Mailpit."
	local pids=() name pid
	for name in web worker mailpit; do
		pid=$(pid_of "$name") || exited "$name"
		pids+=("$pid")
	done
	wait -n "${pids[@]}" || true
	for name in web worker mailpit; do
		pid_of "$name" >/dev/null || log "$name exited; see tmp/$name.log" >&2
	done
	exit 1
}

case ${1:-start} in
start) cmd_start ;;
stop) cmd_stop ;;
-h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' ;;
*) die "unknown command: $1 (start, stop)" ;;
esac
