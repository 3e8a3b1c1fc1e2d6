#!/bin/sh
# bench-reports.sh - report generation time for MESSAGES messages over
# DOMAINS policy domains in SQLite (make bench-reports).
#
#   sh reports/bench-reports.sh [MESSAGES [DOMAINS]]   (1000000 10000)
#
# Fills a fresh SQLite store with OpenDMARC's tables through sqlite3 (one
# day, each domain mailing from 10 addresses, 10% failing DKIM, one
# signature per message, one rua per domain), then times
# "opendmarc-reports --queue-only": the scan, grouping, XML, gzip, and
# the durable queueing of every report in the outbox.  Prints the figure
# as "bench-reports: ... s".  Needs sqlite3; loopback and disk only.
set -u
top_builddir=${top_builddir:-.}
REPORTS="$top_builddir/reports/opendmarc-reports"
N=${1:-1000000}
D=${2:-10000}
DAY=1699920000
T=$(mktemp -d "${TMPDIR:-/tmp}/bench-reports.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
command -v sqlite3 >/dev/null || { echo "bench-reports: sqlite3 not installed"; exit 1; }

# an empty store with our schema, then the data in one transaction
"$REPORTS" --dbname="$T/b.db" --list-suppressed >/dev/null || exit 1
start=$(date +%s.%N)
sqlite3 "$T/b.db" >/dev/null <<SQL || exit 1
PRAGMA journal_mode=WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $D - 1)
INSERT INTO domains (id, name) SELECT i + 1, 'd' || i || '.example' FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999)
INSERT INTO ipaddr (id, addr) SELECT i + 1, '198.18.' || (i / 250) || '.' || (i % 250 + 1) FROM n;
INSERT INTO reporters (id, name) VALUES (1, 'mx.bench.example');
INSERT INTO selectors (id, domain, name) SELECT id, id, 'sel' FROM domains;
INSERT INTO requests (domain, repuri, adkim, aspf, policy, spolicy, pct)
	SELECT id, 'mailto:dmarc@' || name, 114, 114, 113, 113, 100 FROM domains;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $N - 1)
INSERT INTO messages (id, date, jobid, reporter, policy, disp, ip, env_domain, from_domain,
		      policy_domain, spf, align_dkim, align_spf, sigcount, arc, arc_policy)
	SELECT i + 1, datetime($DAY + i * 86399 / $N, 'unixepoch'), 'J' || i, 1,
	       CASE WHEN i % 10 = 0 THEN 17 ELSE 15 END, CASE WHEN i % 10 = 0 THEN 4 ELSE 2 END,
	       1 + ((i % $D) * 13 + (i / $D) % 10) % 1000, 1 + i % $D, 1 + i % $D, 1 + i % $D,
	       0, CASE WHEN i % 10 = 0 THEN 5 ELSE 4 END, CASE WHEN i % 10 = 0 THEN 5 ELSE 4 END,
	       1, 6, 6
	FROM n;
INSERT INTO signatures (message, domain, selector, pass, error)
	SELECT id, from_domain, from_domain, CASE WHEN id % 10 = 1 THEN 7 ELSE 0 END, 0 FROM messages;
COMMIT;
SQL
fill=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
start=$(date +%s.%N)
"$REPORTS" --dbname="$T/b.db" --now=$((DAY + 86400 + 60)) --report-org=bench.example \
	--report-email=dmarc@bench.example --outbox="$T/outbox" --queue-only --verbose 2>"$T/log"
rc=$?
secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
[ $rc -eq 0 ] || { cat "$T/log"; echo "bench-reports: opendmarc-reports failed"; exit 1; }
reports=$(sqlite3 "$T/b.db" "SELECT COUNT(*) FROM report_outbox")
rows=$(sqlite3 "$T/b.db" "SELECT SUM(messages) FROM report_outbox")
bytes=$(du -sk "$T/outbox" | cut -f1)
echo "bench-reports: store filled in ${fill} s ($N messages, $D domains)"
echo "bench-reports: $reports reports over $rows messages built, gzipped and queued in ${secs} s" \
	"($(awk -v r="$rows" -v s="$secs" 'BEGIN { printf "%d", r / (s > 0 ? s : 0.01) }') messages/s; outbox ${bytes} KiB)"
