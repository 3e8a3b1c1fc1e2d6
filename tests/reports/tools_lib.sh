# tests/reports/tools_lib.sh - shared by the tools_* tests (POSIX sh), on
# top of lib.sh: the tools' paths, single records at chosen times, a
# private MariaDB server, and the expire and params scenarios that run
# against both stores.  Each store defines sql (one query, plain output)
# and tool (a program with that store's database flags).
. "${top_srcdir:-.}/tests/reports/lib.sh"
EXPIRE="$top_builddir/reports/opendmarc-expire"
PARAMS="$top_builddir/reports/opendmarc-params"
IMPORTSTATS="$top_builddir/reports/opendmarc-importstats"
NOW=$(date +%s)

# utc EPOCH: the time as the stores write it
utc() { date -u -d "@$1" '+%Y-%m-%d %H:%M:%S'; }

# rec JOB DOMAIN DAYS_AGO [RUA] [ARC-JSON]: one OpenDMARC 1.4.2 record
rec() {
	printf 'job %s\nreporter mx.tools.example\nreceived %s\nipaddr 198.51.100.%s\n' \
		"$1" "$((NOW - $3 * 86400))" "$(( ($3 % 200) + 1 ))"
	printf 'from %s\nmfrom bounce.%s\ndkim %s sel 0\nspf 0\npdomain %s\npolicy 15\n' \
		"$2" "$2" "$2" "$2"
	printf 'rua %s\npct 100\nadkim 114\naspf 114\np 110\nsp 110\nalign_dkim 4\nalign_spf 4\n' \
		"${4:--}"
	printf 'arc 0\narc_policy 0 json:[%s]\naction 2\n' "${5:-}"
}

# ---- a private MariaDB server (tests/mariadb.sh) -----------------------
. "$top_srcdir/tests/mariadb.sh"
# mariadb_start: a server under $T (exit 77 without one, or without the
# tools' MySQL support); user opendmarc/pw on the socket $SOCK and on
# 127.0.0.1:$PORT; db_sql runs one query as root.  mariadb_restart,
# mariadb_stop and mariadb_newdb NAME [SCHEMA] are tests/mariadb.sh's.
mariadb_start() {
	mariadb_require "$IMPORT"
	trap 'mariadb_stop; rm -rf "$T"' EXIT
	mariadb_boot "$T" --innodb-buffer-pool-size=64M || exit 1
	SOCK=$MARIADB_SOCK PORT=$MARIADB_PORT
}
db_sql() { mariadb_sql -N -B -e "SET time_zone = '+00:00'; $1"; }

# ---- scenarios over sql and tool ----------------------------------------
# count TABLE [WHERE]
count() { sql "SELECT COUNT(*) FROM $1 ${2:+WHERE $2}"; }
# msgs DOMAIN: messages whose From: domain is DOMAIN
msgs() { count "messages m JOIN domains d ON d.id = m.from_domain" "d.name = '$1'"; }
lastsent() {
	sql "UPDATE requests SET lastsent = '$(utc "$((NOW - $2 * 86400))")'
		WHERE domain = (SELECT id FROM domains WHERE name = '$1')"
}

# expire_scenario: what is deleted and what is kept, with and without --force
expire_scenario() {
	arc='{"i":1,"d":"fwd.tools.example","s":"arc","ip":"192.0.2.1"}'
	{
		rec A1 a.example 200 mailto:d@a.example "$arc"; rec A2 a.example 190 mailto:d@a.example
		rec A3 a.example 10 mailto:d@a.example; rec A4 a.example 1 mailto:d@a.example
		rec B1 b.example 200 mailto:d@b.example "$arc"; rec B2 b.example 5 mailto:d@b.example
		rec C1 c.example 200; rec C2 c.example 185
		rec D1 d.example 400 mailto:d@d.example; rec D2 d.example 350 mailto:d@d.example
		rec E1 e.example 250 mailto:d@e.example; rec E2 e.example 240 mailto:d@e.example
		rec F1 f.example 200 mailto:d@f.example; rec F2 f.example 201 mailto:d@f.example
	} >"$T/expire.dat"
	tool "$IMPORT" "$T/expire.dat" || fail "expire data import"
	lastsent a.example 100	# reported up to 100 days ago
	lastsent d.example 300	# stale request, everything reported
	lastsent e.example 300	# stale request, messages since then not reported
	lastsent f.example 200	# F1's second: a report's period ends before it
	expect "expire: messages before" "$(count messages)" 14
	expect "expire: arcseals before" "$(count arcseals)" 2

	tool "$EXPIRE" --expire=180 --verbose >"$T/expire.out" 2>"$T/expire.err"
	expect "expire: status" $? 0
	expect "expire: a.example (reported old ones gone)" "$(msgs a.example)" 2
	expect "expire: b.example (never reported: kept)" "$(msgs b.example)" 2
	expect "expire: c.example (no report address)" "$(msgs c.example)" 0
	expect "expire: d.example (reported)" "$(msgs d.example)" 0
	expect "expire: e.example (after lastsent: kept)" "$(msgs e.example)" 2
	expect "expire: f.example (at lastsent: kept; before: gone)" \
		"$(sql "SELECT jobid FROM messages WHERE jobid LIKE 'F%'")" F1
	expect "expire: signatures follow messages" "$(count signatures)" 7
	expect "expire: arcseals follow messages" "$(count arcseals)" 1
	expect "expire: arcauthresults follow messages" "$(count arcauthresults)" 1
	expect "expire: stale request deleted" \
		"$(count requests "domain = (SELECT id FROM domains WHERE name = 'd.example')")" 0
	expect "expire: request with unreported messages kept" \
		"$(count requests "domain = (SELECT id FROM domains WHERE name = 'e.example')")" 1
	grep -q "messages: 7 row(s) deleted" "$T/expire.out" || fail "verbose counts: $(cat "$T/expire.out")"
	grep -q "4 message(s) older than 180 day(s) kept" "$T/expire.err" ||
		fail "kept note: $(cat "$T/expire.err")"

	tool "$EXPIRE" -expire=180 -alltables
	expect "alltables: status" $? 0
	expect "alltables: d.example's domains gone" \
		"$(count domains "name IN ('d.example', 'bounce.d.example')")" 0
	expect "alltables: domains still used kept" \
		"$(count domains "name IN ('a.example', 'b.example', 'c.example', 'e.example', 'f.example')")" 5
	expect "alltables: client addresses in use" "$(count ipaddr)" \
		"$(sql "SELECT COUNT(DISTINCT ip) FROM messages")"
	expect "alltables: selectors in use" "$(count selectors)" \
		"$(sql "SELECT COUNT(*) FROM selectors s WHERE s.id IN (SELECT selector FROM signatures)
			OR s.id IN (SELECT selector FROM arcseals)")"

	tool "$EXPIRE" --expire=180 --force
	expect "force: status" $? 0
	expect "force: only recent messages left" "$(count messages)" 3
	expect "force: stale request deleted" \
		"$(count requests "domain = (SELECT id FROM domains WHERE name = 'e.example')")" 0
	tool "$EXPIRE" --expire=0 2>/dev/null
	expect "--expire=0 refused" $? 1

	# many chunks of message IDs, all reported
	gen 25000 mx.bulk.example >"$T/bulk.dat"
	tool "$IMPORT" "$T/bulk.dat" || fail "bulk import"
	sql "UPDATE requests SET lastsent = '$(utc "$NOW")'"
	tool "$EXPIRE" --expire=180
	expect "bulk: status" $? 0
	expect "bulk: messages left" "$(count messages)" 3
	expect "bulk: signatures left" "$(count signatures)" 3
}

# params_scenario: lock, unlock and show; the importer keeps a locked row
params_scenario() {
	rec P1 p.example 1 mailto:published@p.example >"$T/p1.dat"
	tool "$IMPORT" "$T/p1.dat"
	tool "$PARAMS" --rua=mailto:override@ops.example P.Example
	expect "params: lock status" $? 0
	expect "params: locked" "$(sql "SELECT locked FROM requests r JOIN domains d ON d.id = r.domain WHERE d.name = 'p.example'")" 1
	rec P2 p.example 0 mailto:published@p.example >"$T/p2.dat"
	tool "$IMPORT" "$T/p2.dat"
	expect "params: import keeps the locked address" \
		"$(tool "$PARAMS" --show p.example | awk '$1 == "repuri" { print $2 }')" \
		mailto:override@ops.example
	expect "params: --show" "$(tool "$PARAMS" --show p.example | awk '{ printf "%s=%s;", $1, $2 }')" \
		"domain=p.example;repuri=mailto:override@ops.example;adkim=relaxed;aspf=relaxed;p=none;sp=none;pct=100;locked=yes;lastsent=1970-01-01;"
	tool "$PARAMS" --unlock p.example
	expect "params: unlock status" $? 0
	tool "$IMPORT" "$T/p1.dat" "$T/p2.dat"
	rec P3 p.example 0 mailto:new@p.example >"$T/p3.dat"
	tool "$IMPORT" "$T/p3.dat"
	expect "params: unlocked row follows imports" \
		"$(tool "$PARAMS" --show p.example | awk '$1 == "repuri" { print $2 }')" mailto:new@p.example
	tool "$PARAMS" q.example
	q_req="FROM requests r JOIN domains d ON d.id = r.domain WHERE d.name = 'q.example'"
	expect "params: lock without --rua" "$(sql "SELECT locked $q_req")" 1
	expect "params: ... and no address (reports stop)" "$(sql "SELECT COUNT(*) $q_req AND repuri = ''")" 1
	tool "$PARAMS" --show nowhere.example 2>/dev/null
	expect "params: --show of an unknown domain" $? 1
	tool "$PARAMS" --rua="mailto:a@b.example mailto:c@d.example" r.example 2>/dev/null
	expect "params: white space in --rua refused" $? 1
	tool "$PARAMS" 2>/dev/null
	expect "params: no domain" $? 1
}
