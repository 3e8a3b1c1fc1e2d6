#!/bin/sh
# bench-reports-debian.sh - our opendmarc-reports next to Debian's
# (OpenDMARC 1.4.2, /usr/sbin/opendmarc-reports) on the same MariaDB data
# in one run (make bench-reports-debian).
#
#   sh reports/bench-reports-debian.sh [MESSAGES [DOMAINS]]   (100000 500)
#
# Starts a private MariaDB server (own datadir and socket, loopback
# only), loads the data with SQL (the shape of bench-reports.sh, dated
# yesterday in UTC), then times both tools in test mode (build the
# reports, write them to a directory, send nothing) and prints both
# times and the ratio.  Debian's tool insists on an SMTP connection even
# in test mode: it gets tests/reports/smtpd_fault on loopback.  Needs
# mariadb-server, Debian's opendmarc package, libswitch-perl and
# libdbd-mysql-perl; prints a note and exits 0 when something is missing.
set -u
top_builddir=$(cd "${top_builddir:-.}" && pwd) || exit 1
REPORTS="$top_builddir/reports/opendmarc-reports"
SMTPD="$top_builddir/tests/reports/smtpd_fault"
DEBIAN=/usr/sbin/opendmarc-reports
MARIADBD=$(command -v mariadbd || echo /usr/sbin/mariadbd)
N=${1:-100000}
D=${2:-500}
note() { echo "bench-reports-debian: $*"; }
[ -x "$DEBIAN" ] && [ -x "$MARIADBD" ] && command -v mariadb-install-db >/dev/null &&
	perl -MSwitch -MDBD::mysql -e 1 2>/dev/null ||
	{ note "skipped: needs opendmarc, mariadb-server, libswitch-perl, libdbd-mysql-perl"; exit 0; }
T=$(mktemp -d "${TMPDIR:-/tmp}/bench-reports-debian.XXXXXX") || exit 1
SOCK="$T/mysqld.sock"
PORT=$(awk -v pid=$$ 'BEGIN { srand(); print 20000 + (pid * 6151 + int(rand() * 20000)) % 20000 }')
[ "$(id -u)" = 0 ] && RUNAS="--user=root" || RUNAS=""
cleanup() {
	[ -n "${SPID:-}" ] && kill "$SPID" 2>/dev/null
	[ -f "$T/mysqld.pid" ] && kill "$(cat "$T/mysqld.pid")" 2>/dev/null
	i=0; while [ -f "$T/mysqld.pid" ] && [ $i -lt 150 ]; do sleep 0.2; i=$((i + 1)); done
	rm -rf "$T"
}
trap cleanup EXIT
q() { mariadb --no-defaults -S "$SOCK" -u root -N -B "$@"; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }

mariadb-install-db --no-defaults --datadir="$T/data" --auth-root-authentication-method=normal \
	$RUNAS >"$T/install.log" 2>&1 || { cat "$T/install.log"; exit 1; }
"$MARIADBD" --no-defaults --datadir="$T/data" --socket="$SOCK" --port="$PORT" \
	--bind-address=127.0.0.1 --skip-name-resolve $RUNAS --innodb-buffer-pool-size=256M \
	--pid-file="$T/mysqld.pid" --log-error="$T/mysqld.err" >/dev/null 2>&1 &
i=0
until q -e 'SELECT 1' >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -gt 150 ] && { cat "$T/mysqld.err"; exit 1; }
	sleep 0.2
done
NOW=$(date +%s)
DAY=$((NOW - NOW % 86400 - 86400))
q <"$(dirname "$0")/../db/schema.mysql" || exit 1
q opendmarc <<SQL || exit 1
SET time_zone = '+00:00';
CREATE USER 'opendmarc'@'127.0.0.1' IDENTIFIED BY 'pw';
GRANT ALL ON opendmarc.* TO 'opendmarc'@'127.0.0.1';
INSERT INTO domains (id, name) SELECT seq, CONCAT('d', seq, '.example') FROM seq_1_to_$D;
INSERT INTO ipaddr (id, addr) SELECT seq + 1, CONCAT('198.18.', seq DIV 250, '.', seq MOD 250 + 1)
	FROM seq_0_to_999;
INSERT INTO reporters (id, name) VALUES (1, 'mx.bench.example');
INSERT INTO selectors (id, domain, name) SELECT id, id, 'sel' FROM domains;
INSERT INTO requests (domain, repuri, adkim, aspf, policy, spolicy, pct)
	SELECT id, CONCAT('mailto:dmarc@', name), 114, 114, 113, 113, 100 FROM domains;
INSERT INTO messages (id, date, jobid, reporter, policy, disp, ip, env_domain, from_domain,
		      policy_domain, spf, align_dkim, align_spf, sigcount, arc, arc_policy)
	SELECT seq + 1, FROM_UNIXTIME($DAY + seq * 86399 DIV $N), CONCAT('J', seq), 1,
	       IF(seq MOD 10 = 0, 17, 15), IF(seq MOD 10 = 0, 4, 2),
	       1 + ((seq MOD $D) * 13 + (seq DIV $D) MOD 10) MOD 1000,
	       1 + seq MOD $D, 1 + seq MOD $D, 1 + seq MOD $D, 0,
	       IF(seq MOD 10 = 0, 5, 4), IF(seq MOD 10 = 0, 5, 4), 1, 6, 6
	FROM seq_0_to_$((N - 1));
INSERT INTO signatures (message, domain, selector, pass, error)
	SELECT id, from_domain, from_domain, IF(id MOD 10 = 1, 7, 0), 0 FROM messages;
SQL
mkdir "$T/mail" "$T/debian" "$T/ours"
"$SMTPD" -P "$T/smtp.port" -d "$T/mail" -t 3600 &
SPID=$!
i=0; until [ -s "$T/smtp.port" ]; do i=$((i + 1)); [ $i -gt 100 ] && exit 1; sleep 0.05; done
DB="--dbhost=127.0.0.1 --dbport=$PORT --dbuser=opendmarc --dbpasswd=pw --dbname=opendmarc"

start=$(date +%s.%N)
(cd "$T/debian" && "$DEBIAN" $DB --test --utc --interval=$((NOW - DAY)) --report-org=bench.example \
	--report-email=dmarc@bench.example --smtp-server=127.0.0.1 --smtp-port="$(cat "$T/smtp.port")" \
	>/dev/null 2>"$T/debian.err")
t_debian=$(elapsed "$start")
start=$(date +%s.%N)
(cd "$T/ours" && "$REPORTS" $DB --test --now="$NOW" --report-org=bench.example \
	--report-email=dmarc@bench.example 2>"$T/ours.err") || { cat "$T/ours.err"; exit 1; }
t_ours=$(elapsed "$start")
note "$N messages over $D domains in MariaDB, reports built in test mode:"
note "  Debian's opendmarc-reports (1.4.2): ${t_debian} s, $(ls "$T/debian" | grep -c '\.xml$') reports"
note "  ours:                               ${t_ours} s, $(ls "$T/ours" | grep -c '\.xml$') reports"
note "  ratio: $(awk -v a="$t_debian" -v b="$t_ours" 'BEGIN { printf "%.1f", a / (b > 0 ? b : 0.01) }')x"
