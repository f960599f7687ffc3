#!/usr/bin/env bash
# Write the secret files that docker-compose.production.yml reads, in
# deploy/secrets/, one value per file:
#
#   deploy/make-secrets.sh
#
# It asks for SMTP_URL, your relay with its password, e.g.
# smtp://user:pass@smtp.example.org:587?tls=starttls (not shown as it is
# typed; or give it on standard input: deploy/make-secrets.sh < file).
# On the command line instead, the password would be in the process list
# and your shell's history. SECRET_KEY, ADMIN_TOKEN, the console owner's
# password (user "admin") and PostgreSQL's password are made at random,
# with the DATABASE_URL that uses it. A file that exists is kept, so
# running it again changes nothing but what is missing (remove a file to
# make it anew). The folder is readable by root alone; the files inside
# by the containers' users (newsdigest runs as uid 10001).
set -euo pipefail
umask 077

usage() {
	sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}
# An argument is still taken (scripts that pass one keep working).
if [[ $# -gt 1 || ($# -eq 1 && $1 != smtp*://*) ]]; then
	usage
fi
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/secrets
mkdir -p "$dir"
chmod 700 "$dir"

smtp=${1-}
if [[ -z $smtp && ! -s $dir/smtp_url ]]; then
	if [[ -t 0 ]]; then
		printf 'SMTP_URL (smtp://user:pass@host:port?tls=starttls; not shown): ' >&2
		IFS= read -rs smtp || true
		echo >&2
	else
		IFS= read -r smtp || true
	fi
	if [[ $smtp != smtp*://* ]]; then
		echo "make-secrets.sh: SMTP_URL: want smtp://[user:pass@]host:port[?tls=none|starttls|implicit]" >&2
		exit 2
	fi
fi

rand_hex() { # bytes
	od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'
}

# put NAME VALUE writes secrets/NAME unless it exists.
put() {
	local file=$dir/$1
	if [[ -s $file ]]; then
		echo "secrets/$1: kept"
		return
	fi
	printf '%s\n' "$2" >"$file"
	chmod 444 "$file"
	echo "secrets/$1: written"
}

put secret_key "$(rand_hex 32)"
put admin_token "$(rand_hex 24)"
put admin_password "$(rand_hex 12)"
put postgres_password "$(rand_hex 24)"
put database_url "postgres://newsdigest:$(<"$dir/postgres_password")@postgres:5432/newsdigest?sslmode=disable&pool_max_conns=8"
put smtp_url "$smtp"
echo "The console's owner is user admin, with the password in deploy/secrets/admin_password."
