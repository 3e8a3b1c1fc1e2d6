# tests/mariadb.sh - sourced by shell tests that need a private MariaDB
# server (own data directory and socket, 127.0.0.1 only, strict SQL mode,
# durable commits).  Tests using it must set an EXIT trap that calls
# mariadb_stop.
#
#   mariadb_require [TOOL [ARG...]]
#                   exit 77 without mariadbd, mariadb-install-db and
#                   mariadb; with TOOL (one of the report tools), also
#                   when "TOOL --dbhost=127.0.0.1 --dbport=1 ARG..." says
#                   the build has no MySQL/MariaDB support
#   mariadb_start DIR [OPTION...]
#                   install a server under DIR and start it on a free port
#                   with the mariadbd OPTIONs too; sets MARIADB_SOCK,
#                   MARIADB_PORT.  A port some other process took
#                   meanwhile (the bind fails) is replaced by another, up
#                   to 20 times.  mariadb_boot is the same, for a library
#                   that puts its own mariadb_start on top of this one.
#   mariadb_restart start the stopped server again on the same port
#   mariadb_stop    stop it (nothing when none runs) and wait
#   mariadb_sql ARG...
#                   the mariadb client as root over the socket
#   mariadb_newdb NAME [SCHEMA]
#                   a database NAME from SCHEMA (db/schema.mysql), user
#                   opendmarc/pw allowed on it from localhost and 127.0.0.1

MARIADB_DIR= MARIADB_SOCK= MARIADB_PORT= MARIADB_PID= mariadb_opts=

mariadb_require() {
	MARIADBD=$(command -v mariadbd || echo /usr/sbin/mariadbd)
	[ -x "$MARIADBD" ] && command -v mariadb-install-db >/dev/null &&
		command -v mariadb >/dev/null ||
		{ echo "SKIP: MariaDB server not installed"; exit 77; }
	[ $# -eq 0 ] && return 0
	tool=$1
	shift
	if "$tool" --dbhost=127.0.0.1 --dbport=1 "$@" </dev/null 2>&1 |
		grep -q "no MySQL/MariaDB support"; then
		echo "SKIP: $(basename "$tool") built without MySQL/MariaDB support"
		exit 77
	fi
}

# mariadb_run: one attempt on MARIADB_PORT; 0 when it answers, 2 when the
# bind failed, 1 otherwise
mariadb_run() {
	d=$MARIADB_DIR
	seen=$(cat "$d/mysqld.err" 2>/dev/null | wc -l)
	"$MARIADBD" --no-defaults --datadir="$d/data" --socket="$MARIADB_SOCK" \
		--port="$MARIADB_PORT" --bind-address=127.0.0.1 --skip-name-resolve \
		$mariadb_runas \
		--sql-mode=STRICT_TRANS_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO \
		--innodb-flush-log-at-trx-commit=1 $mariadb_opts \
		--pid-file="$d/mysqld.pid" --log-error="$d/mysqld.err" >/dev/null 2>&1 &
	MARIADB_PID=$!
	i=0
	until mariadb_sql -e 'SELECT 1' >/dev/null 2>&1; do
		if ! kill -0 "$MARIADB_PID" 2>/dev/null; then
			wait "$MARIADB_PID" 2>/dev/null
			MARIADB_PID=
			tail -n +"$((seen + 1))" "$d/mysqld.err" 2>/dev/null |
				grep -q "Bind on TCP/IP port\|Address already in use" && return 2
			return 1
		fi
		i=$((i + 1))
		[ $i -gt 150 ] && return 1
		sleep 0.2
	done
	return 0
}

mariadb_start() { mariadb_boot "$@"; }
mariadb_boot() {
	MARIADB_DIR=$1
	shift
	mariadb_opts="$*"
	[ -n "${MARIADBD:-}" ] || mariadb_require
	[ "$(id -u)" = 0 ] && mariadb_runas="--user=root" || mariadb_runas=""
	MARIADB_SOCK="$MARIADB_DIR/mysqld.sock"
	if [ ! -d "$MARIADB_DIR/data" ]; then
		mariadb-install-db --no-defaults --datadir="$MARIADB_DIR/data" \
			--auth-root-authentication-method=normal $mariadb_runas \
			>"$MARIADB_DIR/install.log" 2>&1 ||
			{ cat "$MARIADB_DIR/install.log"; echo "FAIL: install-db"; return 1; }
	fi
	tries=0
	while [ $tries -lt 20 ]; do
		r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
		MARIADB_PORT=$((20000 + r % 40000))
		mariadb_run
		case $? in
		0) return 0 ;;
		2) tries=$((tries + 1)) ;;
		*) break ;;
		esac
	done
	cat "$MARIADB_DIR/mysqld.err" 2>/dev/null
	echo "FAIL: MariaDB server start"
	return 1
}

mariadb_restart() {
	tries=0
	while [ $tries -lt 10 ]; do
		mariadb_run
		case $? in
		0) return 0 ;;
		2) tries=$((tries + 1)); sleep 1 ;;
		*) break ;;
		esac
	done
	cat "$MARIADB_DIR/mysqld.err" 2>/dev/null
	echo "FAIL: MariaDB server restart on port $MARIADB_PORT"
	return 1
}

mariadb_stop() {
	[ -n "$MARIADB_DIR" ] || return 0
	[ -f "$MARIADB_DIR/mysqld.pid" ] && kill "$(cat "$MARIADB_DIR/mysqld.pid")" 2>/dev/null
	i=0
	while [ -f "$MARIADB_DIR/mysqld.pid" ] && [ $i -lt 150 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	[ -n "$MARIADB_PID" ] && [ ! -f "$MARIADB_DIR/mysqld.pid" ] && wait "$MARIADB_PID" 2>/dev/null
	MARIADB_PID=
	return 0
}

mariadb_sql() { mariadb --no-defaults -S "$MARIADB_SOCK" -u root "$@"; }

mariadb_newdb() {
	sed -e "s/^CREATE DATABASE IF NOT EXISTS opendmarc;/CREATE DATABASE $1;/" \
		-e "s/^USE opendmarc;/USE $1;/" "${2:-$top_srcdir/db/schema.mysql}" |
		mariadb_sql || { echo "FAIL: schema for $1"; return 1; }
	mariadb_sql -e "CREATE USER IF NOT EXISTS 'opendmarc'@'localhost' IDENTIFIED BY 'pw';
		CREATE USER IF NOT EXISTS 'opendmarc'@'127.0.0.1' IDENTIFIED BY 'pw';
		GRANT ALL ON $1.* TO 'opendmarc'@'localhost';
		GRANT ALL ON $1.* TO 'opendmarc'@'127.0.0.1';" ||
		{ echo "FAIL: grants on $1"; return 1; }
}
