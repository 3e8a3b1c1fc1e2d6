# tests/reports/reports_lib.sh - shared by the opendmarc-reports tests
# (POSIX sh), sourced after lib.sh.  The reporting day is 2023-11-14
# (UTC); NOW is an hour after it ends.
# the tests cd into work directories: make the paths absolute
top_srcdir=$(cd "$top_srcdir" && pwd) && top_builddir=$(cd "$top_builddir" && pwd) || exit 99
IMPORT="$top_builddir/reports/opendmarc-import"
REPORTS="$top_builddir/reports/opendmarc-reports"
SMTPD="$top_builddir/tests/reports/smtpd_fault"
READER="$top_srcdir/tests/reports/dmarc_read.pl"
SCHEMAS="$top_srcdir/tests/reports/schemas"
GOLDEN="$top_srcdir/tests/reports/golden"
DAY=1699920000
NOW=$((DAY + 86400 + 3600))
XSD7489="$SCHEMAS/rfc7489-appendix-c.xsd"
XSD9990="$SCHEMAS/rfc9990-dmarc-2.0.xsd"

# scenario FILE: history records for the day (and one the day before),
# exercising grouping, override reasons, subdomains, escaping, IPv6,
# a domain without rua and one with an external rua.  ext is our
# extension keys "fo np testing discovery", or "-" for none (OpenDMARC's
# records; example.com's day-before ones, imported last, must not erase
# what the others said).
scenario() {
	awk -v day="$DAY" '
	function rec(n, t, ip, from, mfrom, pdom, sigs, spf, adk, asp, pol, act, arc, rua, p, sp, ext,   i, k, s, m, x) {
		for (i = 0; i < n; i++) {
			printf "job S%06d\nreporter mx1.rep.example\nreceived %d\nipaddr %s\n", ++job, t + job, ip
			printf "from %s\nmfrom %s\n", from, mfrom
			m = split(sigs, s, ",")
			for (k = 1; k <= m; k++)
				if (s[k] != "-") { gsub(":", " ", s[k]); printf "dkim %s\n", s[k] }
			printf "spf %d\npdomain %s\npolicy %d\n", spf, pdom, pol
			m = split(rua, s, ",")
			for (k = 1; k <= m; k++) printf "rua %s\n", s[k]
			printf "pct 100\nadkim 114\naspf 115\np %d\nsp %d\nalign_dkim %d\nalign_spf %d\n", p, sp, adk, asp
			printf "arc %d\narc_policy %d json:[]\naction %d\n", arc, arc, act
			if (split(ext, x, " ") == 4)
				printf "fo %d\nnp %d\ntesting %d\ndiscovery %s\n", x[1], x[2], x[3], x[4]
		}
	}
	BEGIN {
		ok = "mailto:dmarc@example.com,mailto:agg@reports.example!1m"
		ex = "6 113 1 treewalk" # fo=1:d np=quarantine t=y
		rec(10, day + 100, "192.0.2.1", "example.com", "example.com", "example.com", "example.com:sel1:0", 0, 4, 4, 15, 2, 7, ok, 114, 113, ex)
		rec(3, day + 2000, "192.0.2.2", "example.com", "spoof.example", "example.com", "example.com:sel1:7,other.example:x:0", 7, 5, 5, 16, 0, 7, ok, 114, 113, ex)
		rec(2, day + 3000, "192.0.2.2", "example.com", "list.example", "example.com", "example.com:sel1:7", 7, 5, 5, 16, 2, 0, ok, 114, 113, ex)
		rec(4, day + 4000, "198.51.100.5", "sub.example.com", "sub.example.com", "example.com", "-", 2, 5, 4, 15, 2, 7, ok, 114, 113, ex)
		rec(1, day + 5000, "192.0.2.1", "example.com", "example.com", "example.com", "other.example:x:0,example.com:sel1:0", 0, 4, 4, 15, 2, 7, ok, 114, 113, ex)
		rec(1, day + 5000, "192.0.2.1", "example.com", "example.com", "example.com", "example.com:sel1:0,other.example:x:0", 0, 4, 4, 15, 2, 7, ok, 114, 113, ex)
		rec(2, day + 6000, "203.0.113.9", "a&b<c>.example", "a&b<c>.example", "a&b<c>.example", "a&b<c>.example:s\"1:4", 5, 5, 5, 17, 4, 7, "mailto:dmarc@ab.example", 113, 0, "-")
		rec(5, day + 7000, "192.0.2.3", "norua.example", "norua.example", "norua.example", "-", 0, 4, 4, 15, 2, 7, "-", 110, 110, "0 0 0 psl")
		rec(3, day + 8000, "2001:db8::25", "ipv6.example", "ipv6.example", "ipv6.example", "ipv6.example:k:0", 0, 4, 4, 15, 2, 7, "mailto:dmarc@ipv6.example", 110, 0, "2 0 0 psl")
		rec(7, day - 500, "192.0.2.1", "example.com", "example.com", "example.com", "-", 0, 4, 4, 15, 2, 7, ok, 114, 113, "-")
	}' >"$1"
}

# A fake DNS answer authorizing reports.example to get example.com's reports.
dns_data() {
	echo "example.com._report._dmarc.reports.example v=DMARC1" >"$1"
}

# normalize FILE: the parts that differ between runs (report id, generator).
normalize() {
	sed -e 's|<report_id>[0-9a-f]*@|<report_id>ID@|' \
		-e 's|<generator>.*</generator>|<generator>GEN</generator>|' "$1"
}

# start_smtpd RULES: a fault-injecting SMTP server; sets SMTP_PORT, MAIL.
start_smtpd() {
	MAIL="$T/mail.$$.$(date +%s%N)"
	mkdir -p "$MAIL"
	rm -f "$T/smtp.port"
	"$SMTPD" -P "$T/smtp.port" -d "$MAIL" -r "$1" -t 120 ${2:+-a "$2"} &
	SMTPD_PID=$!
	i=0
	until [ -s "$T/smtp.port" ]; do
		i=$((i + 1)); [ $i -gt 100 ] && { echo "FAIL: smtpd_fault did not start"; exit 1; }
		sleep 0.05
	done
	SMTP_PORT=$(cat "$T/smtp.port")
}
stop_smtpd() {
	[ -n "${SMTPD_PID:-}" ] && kill "$SMTPD_PID" 2>/dev/null && wait "$SMTPD_PID" 2>/dev/null
	SMTPD_PID=
}
# accepted RCPT: how many messages the server accepted for RCPT
accepted() { grep -c "^accepted $1 " "$MAIL/log" 2>/dev/null || true; }
