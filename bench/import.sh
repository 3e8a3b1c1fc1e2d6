#!/bin/sh
# bench/import.sh TOP_SRCDIR TOP_BUILDDIR - "make bench-import": history
# records imported per second by our opendmarc-import into MariaDB
# (durable commits: innodb_flush_log_at_trx_commit=1) and into SQLite
# (WAL, synchronous=FULL), next to Debian's opendmarc-import (OpenDMARC
# 1.4.2, one autocommitted INSERT at a time) in the same run, on a
# private MariaDB server on loopback.  Debian's importer is slow (about
# 500 records/s), so it gets the first DEBIAN_RECORDS records of the same
# file and its rate is compared per record; ours also imports that
# sample, for a like-for-like line.  Environment: RECORDS (20000),
# DEBIAN_RECORDS (2000), RUNS (3; ours, the median is shown).
top_srcdir=${1:-.}
top_builddir=${2:-.}
RECORDS=${RECORDS:-20000}
DEBIAN_RECORDS=${DEBIAN_RECORDS:-2000}
RUNS=${RUNS:-3}
. "$top_srcdir/tests/reports/tools_lib.sh"
DEBIAN_IMPORT=${DEBIAN_IMPORT:-/usr/sbin/opendmarc-import}
DEBIAN_SCHEMA=/usr/share/dbconfig-common/data/opendmarc/install/mysql
[ -f "$DEBIAN_SCHEMA" ] || DEBIAN_SCHEMA="$top_srcdir/db/schema.mysql"

now() { date +%s.%N; }
# median of the numbers on standard input
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

# timed_ours N FILE DBFLAGS...: seconds for one import into a fresh store
timed_ours() {
	n=$1 f=$2; shift 2
	t0=$(now)
	"$IMPORT" "$@" "$f" || { echo "bench: our import failed" >&2; exit 1; }
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}
mysql_flags() { echo "--dbhost=127.0.0.1 --dbport=$PORT --dbuser=opendmarc --dbpasswd=pw --dbname=$1"; }
socket_flags() { echo "--dbhost=localhost --dbsocket=$SOCK --dbuser=opendmarc --dbpasswd=pw --dbname=$1"; }
fresh_mysql() { db_sql "DROP DATABASE IF EXISTS $1" && mariadb_newdb "$1" "${2:-}"; }

mariadb_start
gen "$RECORDS" mx.bench.example >"$T/all.dat"
awk -v n="$DEBIAN_RECORDS" '/^job / { c++ } c <= n' "$T/all.dat" >"$T/sample.dat"
echo "opendmarc-import benchmark: $RECORDS records (Debian's: the first $DEBIAN_RECORDS of them)"
echo "$(nproc) CPU(s); MariaDB $(mariadb --version | sed 's/.*Distrib \([^,-]*\).*/\1/'), private server on loopback"

i=0
while [ $i -lt "$RUNS" ]; do
	i=$((i + 1))
	fresh_mysql bench
	timed_ours "$RECORDS" "$T/all.dat" $(mysql_flags bench) >>"$T/ours_mysql"
	fresh_mysql bench
	timed_ours "$RECORDS" "$T/all.dat" $(socket_flags bench) >>"$T/ours_socket"
	rm -f "$T/bench.db"*
	timed_ours "$RECORDS" "$T/all.dat" --dbname="$T/bench.db" >>"$T/ours_sqlite"
	fresh_mysql sample
	timed_ours "$DEBIAN_RECORDS" "$T/sample.dat" $(mysql_flags sample) >>"$T/ours_sample"
done
ours_mysql=$(median <"$T/ours_mysql")
ours_socket=$(median <"$T/ours_socket")
ours_sqlite=$(median <"$T/ours_sqlite")
ours_sample=$(median <"$T/ours_sample")
expect "our rows in MariaDB" "$(db_sql "SELECT COUNT(*) FROM bench.messages")" "$RECORDS"

debian="" debian_rate=""
if [ -x "$DEBIAN_IMPORT" ] && perl -MSwitch -MDBI -MDBD::mysql -MJSON -e 1 2>/dev/null; then
	fresh_mysql debian "$DEBIAN_SCHEMA"
	t0=$(now)
	"$DEBIAN_IMPORT" $(mysql_flags debian) <"$T/sample.dat" 2>/dev/null
	t1=$(now)
	debian=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	debian_rate=$(rate "$DEBIAN_RECORDS" "$debian")
	expect "Debian's rows" "$(db_sql "SELECT COUNT(*) FROM debian.messages")" "$DEBIAN_RECORDS"
else
	echo "(Debian's opendmarc-import or its Perl modules missing: no comparison)"
fi

line() { # line WHAT RECORDS SECONDS
	r=$(rate "$2" "$3")
	ratio=""
	[ -n "$debian_rate" ] && ratio=$(awk -v a="$r" -v b="$debian_rate" 'BEGIN { printf "%.1fx", a / b }')
	printf '%-38s %7d %8.2f %10d   %s\n' "$1" "$2" "$3" "$r" "$ratio"
}
echo
printf '%-38s %7s %8s %10s   %s\n' "importer -> store" records seconds "records/s" "vs Debian's"
line "ours -> MariaDB, TCP (median of $RUNS)" "$RECORDS" "$ours_mysql"
line "ours -> MariaDB, Unix socket" "$RECORDS" "$ours_socket"
line "ours -> SQLite" "$RECORDS" "$ours_sqlite"
line "ours -> MariaDB, Debian's sample" "$DEBIAN_RECORDS" "$ours_sample"
[ -n "$debian" ] && line "Debian's opendmarc-import -> MariaDB" "$DEBIAN_RECORDS" "$debian"
finish
