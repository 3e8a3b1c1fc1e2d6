# tests/reports/lib.sh - shared by the opendmarc-import tests (POSIX sh).
# Sourced with top_srcdir/top_builddir set by the test driver.
: "${top_srcdir:=.}" "${top_builddir:=.}"
IMPORT="$top_builddir/reports/opendmarc-import"
DATA="$top_srcdir/tests/reports/data"
T=$(mktemp -d "${TMPDIR:-/tmp}/dmarc-reports.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }
# keep the environment from choosing another database
unset OPENDMARC_DBHOST OPENDMARC_PORT OPENDMARC_DB OPENDMARC_USER OPENDMARC_PASSWORD \
	OPENDMARC_DBSOCKET

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
# expect WHAT GOT WANT
expect() { if [ "$2" = "$3" ]; then ok "$1 = $3"; else fail "$1: got '$2', want '$3'"; fi; }
# rows DB TABLE
rows() { sqlite3 "$1" "SELECT COUNT(*) FROM $2"; }
finish() { [ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }; exit 0; }

# gen N REPORTER [FIRSTJOB]: N well-formed OpenDMARC 1.4.2 records
gen() {
	awk -v n="$1" -v rep="$2" -v first="${3:-0}" 'BEGIN {
		for (i = first; i < first + n; i++) {
			d = "d" (i % 97) ".example"
			printf "job J%08d\nreporter %s\nreceived %d\nipaddr 192.0.2.%d\n", i, rep, 1700000000 + i, i % 250
			printf "from %s\nmfrom bounce.%s\n", d, d
			printf "dkim %s s%d %d\n", d, i % 3, (i % 5 == 0) ? 7 : 0
			printf "spf %d\npdomain %s\npolicy %d\nrua mailto:agg@%s\n", (i % 7 == 0) ? 7 : 0, d, 15, d
			printf "pct 100\nadkim 114\naspf 114\np 110\nsp 110\nalign_dkim 4\nalign_spf 4\n"
			printf "arc 0\narc_policy 0 json:[]\naction 2\n"
		}
	}'
}
