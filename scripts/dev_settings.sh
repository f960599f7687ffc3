# Sourced by scripts/dev.sh: its settings (.dev.env, the environment and
# the local defaults), the checks that the ports are free and the servers
# named answer, and the database it runs on. Uses dev.sh's log, die,
# listening and constants (ROOT, DEV_ENV, DEV_DB).
# shellcheck shell=bash

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
				# Local settings for scripts/dev.sh (make dev), made on the first run. Not committed.
				# Any variable of the README's configuration table may be set here, and the
				# addresses make dev listens on (see the top of scripts/dev.sh), e.g.
				#   HTTP_ADDR=:8081
				#   MAILPIT_SMTP_ADDR=127.0.0.1:1026
			EOF
		)
		log ".dev.env: created"
	fi
	local key bytes
	for key in SECRET_KEY:32 ADMIN_TOKEN:24 ADMIN_PASSWORD:12; do
		bytes=${key#*:}
		key=${key%%:*}
		if ! grep -Eq "^[[:space:]]*(export[[:space:]])?$key=" "$DEV_ENV"; then
			printf '%s=%s\n' "$key" "$(rand_hex "$bytes")" >>"$DEV_ENV"
		fi
	done
}

# port_of VARIABLE prints the port of the address in VARIABLE.
port_of() {
	local addr=${!1} port
	port=${addr##*:}
	if [[ $addr != *:* || ! $port =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
		die "$1=$addr: want host:port or :port"
	fi
	echo "$port"
}

# host_of VARIABLE prints the host to reach the address in VARIABLE at:
# loopback for an address on every interface.
host_of() {
	local host=${!1%:*}
	host=${host#[}
	host=${host%]}
	case $host in
	"" | 0.0.0.0 | "*" | localhost) echo 127.0.0.1 ;;
	::) echo "::1" ;;
	*) echo "$host" ;;
	esac
}

# url_of VARIABLE prints the http:// URL of the address in VARIABLE.
url_of() {
	local host
	host=$(host_of "$1")
	[[ $host != *:* ]] || host="[$host]"
	echo "http://$host:$(port_of "$1")"
}

# read_dev_env exports the settings of .dev.env, read as the README says:
# one a line, NAME=value, the value being everything after the first =,
# taken literally (spaces, *, $, <, > and quotes inside it as they are:
# nothing is run or expanded). Blank lines and lines starting with # are
# skipped; a value wholly in single or double quotes loses them. A line
# that is none of these stops the run, naming it. (The locals' names are
# odd so that no setting lands in one of them.)
read_dev_env() {
	local _de_line _de_name _de_value _de_n=0
	while IFS= read -r _de_line || [[ -n $_de_line ]]; do
		_de_n=$((_de_n + 1))
		_de_line=${_de_line%$'\r'}
		_de_line=${_de_line#"${_de_line%%[![:space:]]*}"}
		[[ -z $_de_line || $_de_line == '#'* ]] && continue
		_de_line=${_de_line#export[[:space:]]} # as a shell script would have it
		_de_name=${_de_line%%=*}
		if [[ $_de_line != *=* || ! $_de_name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
			die "$DEV_ENV, line $_de_n: want NAME=value, got: $_de_line"
		fi
		if [[ $(declare -p "$_de_name" 2>/dev/null) =~ ^declare\ -[a-zA-Z]*r ]]; then
			die "$DEV_ENV, line $_de_n: $_de_name is this script's own and cannot be set there"
		fi
		_de_value=${_de_line#*=}
		case $_de_value in
		\"*\" | \'*\') _de_value=${_de_value:1:-1} ;;
		esac
		export "$_de_name=$_de_value"
	done <"$DEV_ENV"
}

load_env() {
	ensure_dev_env
	read_dev_env
	: "${HTTP_ADDR:=:8080}"
	: "${METRICS_ADDR:=127.0.0.1:9464}"
	: "${WORKER_METRICS_ADDR:=127.0.0.1:9465}"
	: "${MAILPIT_SMTP_ADDR:=127.0.0.1:1025}"
	: "${MAILPIT_UI_ADDR:=127.0.0.1:8025}"
	: "${MAILPIT_MAX:=20000}"
	HTTP_PORT=$(port_of HTTP_ADDR)
	[[ $MAILPIT_MAX =~ ^[0-9]+$ ]] || die "MAILPIT_MAX=$MAILPIT_MAX: want a number of messages (0 keeps all)"
	: "${DATABASE_URL:=postgres://postgres@127.0.0.1:5432/$DEV_DB?sslmode=disable}"
	: "${REDIS_URL:=redis://127.0.0.1:6379/0}"
	: "${SMTP_URL:=smtp://$MAILPIT_SMTP_ADDR}"
	: "${MAIL_FROM:=News Digest <digest@localhost>}"
	: "${BASE_URL:=http://localhost:$HTTP_PORT}"
	: "${DIGEST_CRON:=0 7 * * 1}"
	: "${DIGEST_TZ:=UTC}"
	: "${SMTP_CONNECTIONS:=4}"
	: "${SEND_RATE:=0}"
	: "${ORG_POSTAL_ADDRESS:=News Digest, 1 Example Street, 10000 Sample City, Country}"
	export DATABASE_URL REDIS_URL SMTP_URL MAIL_FROM BASE_URL HTTP_ADDR METRICS_ADDR \
		ADMIN_TOKEN ADMIN_PASSWORD SECRET_KEY DIGEST_CRON DIGEST_TZ \
		SMTP_CONNECTIONS SEND_RATE ORG_POSTAL_ADDRESS
	LOCAL_URL=$(url_of HTTP_ADDR)
	MAILPIT_URL=$(url_of MAILPIT_UI_ADDR)
}

# who_listens PORT names the program listening on PORT, where ss can tell.
who_listens() {
	command -v ss >/dev/null 2>&1 || return 0
	ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:(("[^"]*",pid=[0-9]*' | head -n 1 |
		sed 's/users:(("\([^"]*\)",pid=\([0-9]*\)/ by \1 (pid \2)/'
}

# free_port_after PORT TAKEN prints the first port above PORT that nothing
# listens on and that is not in TAKEN (a list of ports between spaces).
free_port_after() {
	local p=$(($1 + 1))
	while ((p < 65535)) && { [[ $2 == *" $p "* ]] || listening 127.0.0.1 "$p"; }; do
		p=$((p + 1))
	done
	echo "$p"
}

# check_ports stops the run, before anything is built or started, if a
# port it needs is taken, naming every one and the variable that moves it.
check_ports() {
	local vars=(HTTP_ADDR METRICS_ADDR WORKER_METRICS_ADDR MAILPIT_SMTP_ADDR MAILPIT_UI_ADDR)
	[[ -z ${BOUNCE_SMTP_ADDR:-} ]] || vars+=(BOUNCE_SMTP_ADDR)
	local var port host busy=() seen=" " alt
	for var in "${vars[@]}"; do
		port=$(port_of "$var")
		if [[ $seen == *" $port "* ]]; then
			die "$var=${!var} uses port $port, as another of make dev's addresses does; give each its own port in .dev.env"
		fi
		seen+="$port "
	done
	for var in "${vars[@]}"; do
		port=$(port_of "$var")
		host=$(host_of "$var")
		listening "$host" "$port" || continue
		alt=${!var%:*}:$(free_port_after "$port" "$seen")
		case $var in
		MAILPIT_SMTP_ADDR)
			busy+=("port $port ($var=${!var}) is taken$(who_listens "$port"): make dev runs a Mailpit of its own there and will not hand its mail to another program's catcher. Stop that program, or set $var=$alt in .dev.env")
			;;
		HTTP_ADDR)
			busy+=("port $port ($var=${!var}) is taken$(who_listens "$port"): stop that program, or set $var=$alt in .dev.env (BASE_URL follows it unless set)")
			;;
		*)
			busy+=("port $port ($var=${!var}) is taken$(who_listens "$port"): stop that program, or set $var=$alt in .dev.env")
			;;
		esac
	done
	((${#busy[@]} == 0)) && return
	printf 'dev.sh: %s\n' "${busy[@]}" >&2
	exit 1
}

# server_of URL DEFAULT_PORT prints the host:port a postgres:// or
# redis:// URL names (without its user and password); nothing when it
# names no single host (a Unix socket, a list of hosts).
server_of() {
	local authority=${1#*://} host port
	authority=${authority%%[/?#]*}
	authority=${authority##*@}
	[[ -n $authority && $authority != *,* ]] || return 0
	if [[ $authority == \[* ]]; then # [::1]:6379
		host=${authority%%]*}]
	else
		host=${authority%%:*}
	fi
	port=${authority#"$host"}
	port=${port#:}
	echo "$host:${port:-$2}"
}

# check_services stops the run, before anything is built, when
# DATABASE_URL or REDIS_URL (set in .dev.env or the environment) names a
# server other than the ones services.sh starts, and nothing answers
# there: web would otherwise start, and never be ready.
check_services() {
	local var url def server host port
	for var in DATABASE_URL:5432 REDIS_URL:6379; do
		def=${var#*:}
		var=${var%%:*}
		url=${!var}
		case $url in
		postgres://* | postgresql://* | redis://* | rediss://*) ;;
		*) continue ;; # Sentinel, Cluster: their own servers, several
		esac
		server=$(server_of "$url" "$def")
		[[ -n $server ]] || continue
		host=${server%:*}
		port=${server##*:}
		host=${host#[}
		host=${host%]}
		case $host:$port in
		127.0.0.1:$def | localhost:$def) continue ;; # services.sh starts it
		esac
		[[ $host != localhost ]] || host=127.0.0.1
		listening "$host" "$port" ||
			die "$var names a server at $server, where nothing answers: make dev starts only PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379. Start that server, or take $var out of $DEV_ENV"
	done
}

# database_of URL prints the database a postgres:// URL names: its path,
# percent-decoded; nothing when it names none.
database_of() {
	local rest=${1#*://}
	rest=${rest%%[?#]*}
	[[ $rest == */* ]] || return 0
	rest=${rest#*/}
	printf '%b' "${rest//%/\\x}"
}

# server_url URL prints URL naming the database postgres instead of its
# own, with only the parameters psql (libpq) takes besides: pgx's own,
# such as pool_max_conns, would make psql refuse the URL.
server_url() {
	local url=${1%%#*} base query="" param kept=""
	base=${url%%\?*}
	[[ $url != *\?* ]] || query=${url#*\?}
	local scheme=${base%%://*} authority=${base#*://}
	authority=${authority%%/*}
	local IFS='&'
	for param in $query; do
		case ${param%%=*} in
		sslmode | sslrootcert | sslcert | sslkey | sslpassword | sslcrl | sslsni | channel_binding | \
			connect_timeout | host | hostaddr | port | user | password | passfile | options | \
			application_name | target_session_attrs | service)
			kept+=${kept:+&}$param
			;;
		esac
	done
	echo "$scheme://$authority/postgres${kept:+?$kept}"
}

# ensure_database creates the database DATABASE_URL names, on the server
# it names, as its user, unless it exists.
ensure_database() {
	command -v psql >/dev/null 2>&1 || die "psql not found (apt-get install -y postgresql-client)"
	local db server exists
	db=$(database_of "$DATABASE_URL")
	if [[ -z $db ]]; then
		log "database: DATABASE_URL names none; PostgreSQL takes the user's name"
		return
	fi
	server=${DATABASE_URL#*://}
	server=${server%%[/?#]*}
	server=${server##*@} # the host and port, without the user and password
	local psql=(psql -d "$(server_url "$DATABASE_URL")" -w -v ON_ERROR_STOP=1 -tA -v db="$db")
	exists=$(PGCONNECT_TIMEOUT=5 "${psql[@]}" <<<"SELECT 1 FROM pg_database WHERE datname = :'db'") ||
		die "cannot connect to PostgreSQL at ${server:-its default host} as DATABASE_URL's user without asking for a password"
	if [[ $exists == 1 ]]; then
		log "database: $db exists"
	else
		"${psql[@]}" <<<'CREATE DATABASE :"db"' >/dev/null ||
			die "cannot create the database $db (DATABASE_URL) at ${server:-its default host}"
		log "database: $db created"
	fi
}
