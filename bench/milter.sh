#!/bin/sh
# bench/milter.sh -- the milter benchmark behind `make bench-milter`.
#
#   sh bench/milter.sh TOP_SRCDIR TOP_BUILDDIR
#
# Runs our opendmarc (the build tree's, with our libopendmarc) and Debian's
# OpenDMARC 1.4.2 (/usr/sbin/opendmarc, package opendmarc) back to back in
# one run, with the same configuration (bench/milter-data/opendmarc.conf.in),
# the same DNS records and the same message mix (bench/milter-data/mix.txt),
# and prints tables with ratios ours/theirs:
#
#  1. Milter protocol: bench/milterload drives each daemon over a unix
#     socket and over inet 127.0.0.1, for each "sessions:per-connection"
#     pair of BENCH_RUNS (per-connection 0: one connection per session;
#     1: a fresh connection per message), BENCH_SECONDS each.  Figures:
#     messages/s, p50 and p99 latency (MAIL to final reply), the daemon's
#     CPU seconds per 1,000 messages (utime+stime of /proc/PID/stat) and
#     its peak RSS (VmHWM of /proc/PID/status).
#  2. Postfix: a private Postfix instance (own config and queue directory,
#     smtpd on 127.0.0.1:2525, smtpd_milters pointing at the daemon over
#     inet: and over unix:, mail discarded after the queue) is fed by
#     smtp-source bursts; messages/s per daemon and socket kind.
#  3. Flat RSS: our daemon's RSS after BENCH_RSS messages (10k and 100k).
#  4. Where ours is slower than OpenDMARC, a perf profile of ours.
#
# DNS: by default both daemons run in a private network and mount
# namespace (unshare --net --mount; needs root) where loopback is up, nsd
# serves bench/milter-data/example.zone.in on 127.0.0.1:53 (no rate limit)
# and a bind-mounted /etc/resolv.conf points at it.  Without unshare or nsd
# (or with BENCH_DNS=fake) both daemons read the same records from
# TestDNSData instead (bench/milter-data/fake-dns.txt).
#
# Environment (defaults in brackets):
#   BENCH_DNS          auto, nsd or fake [auto]
#   BENCH_SECONDS      seconds per protocol figure [4]
#   BENCH_RUNS         sessions:per-connection pairs ["1:0 16:0 16:1"]
#   BENCH_SOCKETS      socket kinds ["unix inet"]
#   BENCH_WARMUP       messages sent before a daemon's figures [1000]
#   BENCH_LOAD_OPTS    extra milterload options for the protocol figures;
#                      the default -p writes as Postfix does (no
#                      TCP_NODELAY, a write of its own where smtpd hands
#                      the connection to cleanup), so the inet figures show
#                      the Nagle stalls a Postfix user gets ["-p"]
#   BENCH_PF_MSGS      messages per Postfix figure, 0 skips Postfix [2000]
#   BENCH_PF_SESSIONS  smtp-source sessions in all [4]
#   BENCH_PF_KINDS     mix kinds sent through Postfix, one smtp-source each
#                      ["pass-dkim reject-ar quarantine none-policy"]
#   BENCH_RSS          message counts for the flat-RSS check, empty skips
#                      ["10000 100000"]
#   BENCH_TTL          TTL of the DMARC records [3600]
#   BENCH_PERF         profile ours where slower: auto, 1 (always), 0 [auto]
#   BENCH_KEEP         1 keeps the work directory [0]
#   THEIRS             the reference daemon [/usr/sbin/opendmarc]
#   OURS, OURS_LIB_DIR our daemon and the directory of the libopendmarc it
#                      must run with (e.g. a patched copy of the tree)
#                      [TOP_BUILDDIR/opendmarc/opendmarc,
#                      TOP_BUILDDIR/libopendmarc/.libs]
#   PSL                public suffix list
#                      [/usr/share/publicsuffix/public_suffix_list.dat]
#
# Needs: opendmarc (Debian's daemon), nsd, postfix (smtp-source), iproute2,
# util-linux (unshare), publicsuffix; linux-perf for profiles.

set -u

fail() {
	echo "bench-milter: $*" >&2
	exit 1
}

note() {
	echo "bench-milter: $*" >&2
}

[ $# -eq 2 ] || fail "usage: $0 TOP_SRCDIR TOP_BUILDDIR"
srcdir=$(cd "$1" && pwd) || fail "no source directory $1"
builddir=$(cd "$2" && pwd) || fail "no build directory $2"

BENCH_DNS=${BENCH_DNS:-auto}
BENCH_SECONDS=${BENCH_SECONDS:-4}
BENCH_RUNS=${BENCH_RUNS:-"1:0 16:0 16:1"}
BENCH_SOCKETS=${BENCH_SOCKETS:-"unix inet"}
BENCH_WARMUP=${BENCH_WARMUP:-1000}
BENCH_LOAD_OPTS=${BENCH_LOAD_OPTS--p}
BENCH_PF_MSGS=${BENCH_PF_MSGS:-2000}
BENCH_PF_SESSIONS=${BENCH_PF_SESSIONS:-4}
BENCH_PF_KINDS=${BENCH_PF_KINDS:-"pass-dkim reject-ar quarantine none-policy"}
BENCH_RSS=${BENCH_RSS-"10000 100000"}
BENCH_TTL=${BENCH_TTL:-3600}
BENCH_PERF=${BENCH_PERF:-auto}
BENCH_KEEP=${BENCH_KEEP:-0}
THEIRS=${THEIRS:-/usr/sbin/opendmarc}
PSL=${PSL:-/usr/share/publicsuffix/public_suffix_list.dat}

data=$srcdir/bench/milter-data
mix=$data/mix.txt
loader=$builddir/bench/milterload
ours_bin=${OURS:-$builddir/opendmarc/opendmarc}
our_lib_dir=${OURS_LIB_DIR:-$builddir/libopendmarc/.libs}

# --- prerequisites ----------------------------------------------------------
[ -x "$loader" ] || fail "$loader is missing; run 'make' first"
[ -x "$ours_bin" ] || fail "$ours_bin is missing; run 'make' first"
[ -e "$our_lib_dir/libopendmarc.so.2" ] || fail "our library is missing in $our_lib_dir"
if [ ! -x "$THEIRS" ]; then
	note "Debian's OpenDMARC 1.4.2 ($THEIRS) is not installed;"
	note "the benchmark compares against it: apt-get install opendmarc"
	exit 1
fi
[ -f "$PSL" ] || fail "public suffix list $PSL is missing (apt-get install publicsuffix)"
for f in mix.txt opendmarc.conf.in example.zone.in nsd.conf.in fake-dns.txt ignore.hosts; do
	[ -f "$data/$f" ] || fail "$data/$f is missing"
done
for n in $BENCH_SECONDS $BENCH_WARMUP $BENCH_PF_MSGS $BENCH_PF_SESSIONS $BENCH_TTL $BENCH_RSS; do
	case $n in
	'' | *[!0-9]*) fail "not a number: '$n' (BENCH_* settings)" ;;
	esac
done

# --- into a private network namespace, where nsd can own 127.0.0.1:53 ----
if [ "${BENCH_IN_NETNS:-0}" != 1 ]; then
	# a daemon of the system would compete for the CPU
	others=$(pgrep -x opendmarc 2>/dev/null | tr '\n' ' ')
	[ -n "$others" ] &&
		note "warning: opendmarc already running (pid $others); for clean figures stop" \
		    "it (systemctl stop opendmarc)"
	case $BENCH_DNS in
	auto | nsd)
		if command -v nsd >/dev/null 2>&1 && command -v unshare >/dev/null 2>&1 &&
		    command -v ip >/dev/null 2>&1 && unshare --net --mount true 2>/dev/null; then
			BENCH_IN_NETNS=1 BENCH_DNS=nsd
			export BENCH_IN_NETNS BENCH_DNS
			exec unshare --net --mount -- sh "$0" "$@"
		fi
		[ "$BENCH_DNS" = nsd ] &&
			fail "BENCH_DNS=nsd needs nsd, ip and 'unshare --net --mount' (root)"
		note "no private network namespace or no nsd: both daemons get TestDNSData"
		BENCH_DNS=fake
		;;
	fake) ;;
	*) fail "BENCH_DNS must be auto, nsd or fake" ;;
	esac
fi

work=$(mktemp -d /tmp/bench-milter.XXXXXX) || fail "mktemp failed"
# the Postfix smtpd (user postfix) must reach the daemons' unix sockets
chmod 755 "$work"
results=$work/results
: >"$results"
CLK_TCK=$(getconf CLK_TCK)

nsd_pid=
daemon_pid=
daemon_launcher=
pf_dir=

cleanup() {
	[ -n "$daemon_pid" ] && stop_daemon
	if [ -n "$pf_dir" ] && [ -f "$pf_dir/queue/pid/master.pid" ]; then
		postfix -c "$pf_dir/etc" stop >/dev/null 2>&1
	fi
	if [ -n "$nsd_pid" ]; then
		kill "$nsd_pid" 2>/dev/null
		wait "$nsd_pid" 2>/dev/null
	fi
	if [ "$BENCH_KEEP" = 1 ]; then
		note "work directory kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- DNS ------------------------------------------------------------------
if [ "$BENCH_DNS" = nsd ]; then
	ip link set lo up || fail "cannot bring up lo in the namespace"
	mkdir -p "$work/nsd"
	sed -e "s/@TTL@/$BENCH_TTL/g" "$data/example.zone.in" >"$work/nsd/example.zone"
	rrl="rrl-ratelimit: 0"
	sed -e "s|@DIR@|$work/nsd|g" -e "s|@ZONE@|$work/nsd/example.zone|" \
	    -e "s|@RRL@|$rrl|" "$data/nsd.conf.in" >"$work/nsd/nsd.conf"
	# an nsd built without response-rate limiting does not know the option
	if ! nsd-checkconf "$work/nsd/nsd.conf" >/dev/null 2>&1; then
		sed -e "s|@DIR@|$work/nsd|g" -e "s|@ZONE@|$work/nsd/example.zone|" \
		    -e "s|@RRL@||" "$data/nsd.conf.in" >"$work/nsd/nsd.conf"
		nsd-checkconf "$work/nsd/nsd.conf" || fail "bad nsd configuration"
	fi
	nsd -d -c "$work/nsd/nsd.conf" >"$work/nsd/stderr" 2>&1 &
	nsd_pid=$!
	i=0
	until grep -q "nsd started" "$work/nsd/nsd.log" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$nsd_pid" 2>/dev/null; then
			cat "$work/nsd/stderr" "$work/nsd/nsd.log" >&2 2>/dev/null
			fail "nsd did not start"
		fi
		sleep 0.1
	done
	printf 'nameserver 127.0.0.1\noptions timeout:2 attempts:2\n' >"$work/resolv.conf"
	mount --bind "$work/resolv.conf" /etc/resolv.conf ||
		fail "cannot bind-mount a resolv.conf in the namespace"
	dns_desc="nsd on 127.0.0.1:53 (private network namespace), TTL $BENCH_TTL"
else
	dns_desc="TestDNSData ($data/fake-dns.txt)"
fi

# --- the daemons ------------------------------------------------------------
port_base=$((18000 + $$ % 10000))
port_next=0

# start_daemon WHO KIND: starts ours or theirs on a unix or inet socket;
# sets daemon_pid, daemon_dir, cli_sock (for milterload) and mta_sock (for
# Postfix).
start_daemon() {
	who=$1 kind=$2
	daemon_dir=$work/$who-$kind-$port_next
	mkdir -p "$daemon_dir"
	chmod 755 "$daemon_dir"
	case $kind in
	unix)
		sock=local:$daemon_dir/sock
		cli_sock=unix:$daemon_dir/sock
		mta_sock=unix:$daemon_dir/sock
		;;
	inet)
		port=$((port_base + port_next))
		sock=inet:$port@127.0.0.1
		cli_sock=inet:$port@127.0.0.1
		mta_sock=inet:127.0.0.1:$port
		;;
	esac
	port_next=$((port_next + 1))
	sed -e "s|@SOCKET@|$sock|" -e "s|@DIR@|$daemon_dir|" -e "s|@DATA@|$data|" \
	    -e "s|@PSL@|$PSL|" "$data/opendmarc.conf.in" >"$daemon_dir/conf"
	[ "$BENCH_DNS" = fake ] && echo "TestDNSData $data/fake-dns.txt" >>"$daemon_dir/conf"
	case $who in
	ours) bin=$ours_bin ;;
	theirs) bin=$THEIRS ;;
	esac
	"$bin" -f -c "$daemon_dir/conf" >"$daemon_dir/log" 2>&1 &
	daemon_launcher=$!
	daemon_pid=
	i=0
	while :; do
		i=$((i + 1))
		if [ -s "$daemon_dir/pid" ] &&
		    "$loader" -q -c 1 -n 1 -t 2000 "$cli_sock" >/dev/null 2>&1; then
			break
		fi
		if [ $i -gt 100 ] || ! kill -0 "$daemon_launcher" 2>/dev/null; then
			cat "$daemon_dir/log" >&2
			fail "$who did not start on $sock"
		fi
		sleep 0.1
	done
	daemon_pid=$(cat "$daemon_dir/pid")
	# make sure which libopendmarc each daemon runs with
	lib=$(grep -o '/[^ ]*libopendmarc\.so[^ ]*' "/proc/$daemon_pid/maps" | sort -u | head -n 1)
	our_lib=$(cd "$our_lib_dir" && pwd -P)
	case $who in
	ours)
		case $lib in
		"$our_lib"/*) ;;
		*) fail "our daemon runs with '$lib', not our library in $our_lib" ;;
		esac
		;;
	theirs)
		case $lib in
		"" | "$our_lib"/*) fail "$THEIRS runs with '$lib', not Debian's libopendmarc" ;;
		esac
		;;
	esac
}

stop_daemon() {
	kill "$daemon_pid" 2>/dev/null
	i=0
	while kill -0 "$daemon_pid" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 100 ]; then
			kill -9 "$daemon_pid" 2>/dev/null
			break
		fi
		sleep 0.1
	done
	wait "$daemon_launcher" 2>/dev/null
	daemon_pid=
}

cpu_ticks() {
	sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

status_kb() { # PID FIELD
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# field NAME FILE: a name=value of the RESULT line
field() {
	sed -n 's/^RESULT //p' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# run_load WHO KIND SESSIONS PER-CONN: one protocol figure
run_load() {
	out=$daemon_dir/load-$3-$4.out
	c0=$(cpu_ticks "$daemon_pid")
	# shellcheck disable=SC2086
	"$loader" $BENCH_LOAD_OPTS -c "$3" -r "$4" -T "$BENCH_SECONDS" -m "$mix" "$cli_sock" \
	    >"$out" 2>&1
	rc=$?
	c1=$(cpu_ticks "$daemon_pid")
	if [ $rc -gt 1 ] || ! grep -q '^RESULT ' "$out"; then
		cat "$out" >&2
		fail "milterload failed against $1 on $cli_sock"
	fi
	msgs=$(field msgs "$out")
	cpu=$(awk -v a="$c0" -v b="$c1" -v t="$CLK_TCK" -v m="$msgs" \
	    'BEGIN { printf "%.3f", (m > 0 ? (b - a) / t / m * 1000 : 0) }')
	echo "$1 $2 $3 $4 $(field rate "$out") $(field p50_ms "$out") $(field p99_ms "$out") $cpu" \
	    "$(field errors "$out") $(field mismatches "$out") $msgs" >>"$results"
	if [ "$(field mismatches "$out")" != 0 ] || [ "$(field errors "$out")" != 0 ]; then
		note "$1 $2 $3:$4: $(field mismatches "$out") unexpected results," \
		    "$(field errors "$out") errors:"
		grep -v '^RESULT' "$out" | head -n 20 >&2
	fi
}

# --- Postfix ----------------------------------------------------------------
pf_port=2525
[ "$BENCH_DNS" = fake ] && pf_port=$((port_base + 5000))

pf_setup() {
	command -v smtp-source >/dev/null 2>&1 && command -v postfix >/dev/null 2>&1 ||
		return 1
	pf_dir=$work/postfix
	mkdir -p "$pf_dir/etc" "$pf_dir/queue" "$pf_dir/data" "$pf_dir/msg"
	chown postfix "$pf_dir/data" 2>/dev/null
	cat >"$pf_dir/etc/main.cf" <<EOF
# private Postfix instance of bench/milter.sh
compatibility_level = 3.6
queue_directory = $pf_dir/queue
data_directory = $pf_dir/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $pf_dir/maillog
maillog_file_prefixes = $pf_dir
myhostname = mx.bench.example
mydomain = bench.example
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_recipient_restrictions = permit_mynetworks, reject
smtpd_peername_lookup = no
smtpd_banner = \$myhostname ESMTP
default_transport = discard:
relay_transport = discard:
local_transport = discard:
alias_maps =
alias_database =
local_recipient_maps =
biff = no
smtputf8_enable = no
milter_protocol = 6
milter_default_action = tempfail
smtpd_milters = MILTER
EOF
	cat >"$pf_dir/etc/master.cf" <<EOF
127.0.0.1:$pf_port inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
showq     unix  n - n - - showq
discard   unix  - - n - - discard
error     unix  - - n - - error
retry     unix  - - n - - error
postlog   unix-dgram n - n - 1 postlogd
EOF
	postfix -c "$pf_dir/etc" check >"$pf_dir/check.log" 2>&1 || {
		cat "$pf_dir/check.log" >&2
		return 1
	}
	# one message file per kind: the mix's header fields and a body
	for k in $BENCH_PF_KINDS; do
		awk -F'|' -v k="$k" -v out="$pf_dir/msg/$k" '
		function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
		/^[ \t]*#/ || NF < 6 { next }
		trim($1) == k {
			mf = trim($5); gsub(/[<>]/, "", mf)
			print mf > (out ".from")
			if (NF >= 7 && trim($7) != "" && trim($7) != "-")
				print "Authentication-Results: " trim($7) > out
			print "From: " trim($6) > out
			print "To: Postmaster <postmaster@rcpt.example>" > out
			print "Subject: bench message (" k ")" > out
			print "Date: Thu, 1 Jan 2026 00:00:00 +0000" > out
			print "Message-ID: <" k ".bench@bench.example>" > out
			print "MIME-Version: 1.0" > out
			print "Content-Type: text/plain; charset=us-ascii" > out
			print "" > out
			for (i = 0; i < 26; i++)
				print "The quick brown fox jumps over the lazy dog while a benchmark counts." > out
			found = 1
		}
		END { exit found ? 0 : 1 }' "$mix" || fail "kind $k (BENCH_PF_KINDS) is not in $mix"
	done
	return 0
}

pf_start() { # MILTER-SOCKET
	postconf -c "$pf_dir/etc" -e "smtpd_milters = $1" || fail "postconf failed"
	postfix -c "$pf_dir/etc" start >>"$pf_dir/start.log" 2>&1 || {
		cat "$pf_dir/start.log" "$pf_dir/maillog" >&2 2>/dev/null
		fail "Postfix did not start"
	}
	i=0
	until [ -s "$pf_dir/queue/pid/master.pid" ] &&
	    grep -q "daemon started" "$pf_dir/maillog" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && fail "Postfix did not start (see $pf_dir/maillog)"
		sleep 0.1
	done
	sleep 0.3
}

pf_stop() {
	pid=$(tr -d ' ' <"$pf_dir/queue/pid/master.pid" 2>/dev/null)
	postfix -c "$pf_dir/etc" stop >/dev/null 2>&1
	i=0
	while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && break
		sleep 0.1
	done
	# drop what the run left (held messages)
	postsuper -c "$pf_dir/etc" -d ALL >/dev/null 2>&1
	rm -f "$pf_dir/maillog"
}

# pf_run WHO KIND: one Postfix figure through the daemon now running
pf_run() {
	nk=$(echo $BENCH_PF_KINDS | wc -w)
	per_kind=$((BENCH_PF_MSGS / nk))
	sess=$((BENCH_PF_SESSIONS / nk))
	[ $sess -lt 1 ] && sess=1
	pf_start "$mta_sock"
	t0=$(date +%s.%N)
	pids=
	for k in $BENCH_PF_KINDS; do
		smtp-source -A -s "$sess" -m "$per_kind" -M client.bench.example \
		    -f "$(cat "$pf_dir/msg/$k.from")" -t postmaster@rcpt.example \
		    -F "$pf_dir/msg/$k" "127.0.0.1:$pf_port" >"$pf_dir/source-$k.log" 2>&1 &
		pids="$pids $!"
	done
	failed=0
	for p in $pids; do
		wait "$p" || failed=1
	done
	t1=$(date +%s.%N)
	[ $failed = 0 ] || {
		cat "$pf_dir"/source-*.log >&2
		fail "smtp-source failed against Postfix with $1 on $mta_sock"
	}
	sleep 0.5
	sent=$((per_kind * nk))
	rejected=$(grep -c 'milter-reject: END-OF-MESSAGE.* 5\.7\.1' "$pf_dir/maillog")
	tempfailed=$(grep -c 'milter-reject: .* 4\.[0-9]\.[0-9]' "$pf_dir/maillog")
	held=$(grep -c 'milter-hold: END-OF-MESSAGE' "$pf_dir/maillog")
	pf_stop
	rate=$(awk -v a="$t0" -v b="$t1" -v n="$sent" 'BEGIN { printf "%.1f", n / (b - a) }')
	echo "pf $1 $2 $rate $sent $rejected $held $tempfailed" >>"$results"
}

# --- the runs ---------------------------------------------------------------
if [ "$BENCH_PF_MSGS" -gt 0 ]; then
	if pf_setup; then
		do_pf=1
	else
		note "no usable Postfix (apt-get install postfix): Postfix figures skipped"
		do_pf=0
	fi
else
	do_pf=0
fi

echo "bench-milter: DNS from $dns_desc"
echo "bench-milter: mix $mix, $BENCH_SECONDS s per protocol figure"
for kind in $BENCH_SOCKETS; do
	case $kind in
	unix | inet) ;;
	*) fail "unknown socket kind $kind (unix, inet)" ;;
	esac
	for who in ours theirs; do
		echo "bench-milter: $who over $kind ..."
		start_daemon "$who" "$kind"
		"$loader" -q -c 4 -n "$BENCH_WARMUP" -m "$mix" "$cli_sock" >/dev/null 2>&1
		for r in $BENCH_RUNS; do
			run_load "$who" "$kind" "${r%%:*}" "${r#*:}"
		done
		echo "hwm $who $kind $(status_kb "$daemon_pid" VmHWM) $(status_kb "$daemon_pid" RssAnon)" \
		    >>"$results"
		[ $do_pf = 1 ] && pf_run "$who" "$kind"
		hist=$(wc -l <"$daemon_dir/history" 2>/dev/null || echo 0)
		[ "$hist" -gt 0 ] || note "warning: $who wrote no history records"
		stop_daemon
	done
done

# flat RSS of ours over many messages
if [ -n "$BENCH_RSS" ]; then
	echo "bench-milter: ours, RSS over $(echo $BENCH_RSS | tr ' ' '/') messages ..."
	start_daemon ours unix
	done_msgs=0
	for n in $BENCH_RSS; do
		if [ "$n" -gt "$done_msgs" ]; then
			"$loader" -q -c 8 -r 100 -n $((n - done_msgs)) -m "$mix" "$cli_sock" \
			    >"$daemon_dir/rss-$n.out" 2>&1 || {
				cat "$daemon_dir/rss-$n.out" >&2
				fail "milterload failed in the RSS check"
			}
			done_msgs=$n
		fi
		echo "rss $n $(status_kb "$daemon_pid" VmRSS) $(status_kb "$daemon_pid" VmHWM)" \
		    >>"$results"
	done
	stop_daemon
fi

# --- tables -----------------------------------------------------------------
echo
awk -v secs="$BENCH_SECONDS" -v opts="$BENCH_LOAD_OPTS" '
function ratio(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "-" }
$1 == "ours" || $1 == "theirs" {
	key = $2 " " $3 " " $4
	if (!(key in seen)) { seen[key] = 1; order[n++] = key }
	rate[$1, key] = $5; p50[$1, key] = $6; p99[$1, key] = $7; cpu[$1, key] = $8
	bad[$1, key] = $9 + $10
}
$1 == "hwm" { hwm[$2, $3] = $4; anon[$2, $3] = $5
	if (!($3 in hk)) { hk[$3] = 1; horder[hn++] = $3 } }
$1 == "pf" { pf[$2, $3] = $4; pfx[$2, $3] = $5 " sent, " $6 " rejected, " $7 " held, " $8 " tempfailed"
	if (!($3 in pk)) { pk[$3] = 1; porder[pn++] = $3 } }
$1 == "rss" { i = rn++; rss[i] = $3; rhwm[i] = $4; rmsgs[i] = $2 }
END {
	if (n > 0) {
		printf "Milter protocol (bench/milterload %s, %d s per row); ratio = ours/theirs\n", opts, secs
		printf "(msgs/s: higher is better; latency and CPU: lower is better)\n"
		printf "%-6s %4s %4s | %9s %9s %6s | %7s %7s %6s | %7s %7s %6s | %7s %7s %6s\n",
		    "socket", "sess", "conn", "msgs/s", "", "", "p50 ms", "", "", "p99 ms", "", "",
		    "CPU s/", "1k msgs", ""
		printf "%-6s %4s %4s | %9s %9s %6s | %7s %7s %6s | %7s %7s %6s | %7s %7s %6s\n",
		    "", "", "", "ours", "theirs", "ratio", "ours", "theirs", "ratio", "ours",
		    "theirs", "ratio", "ours", "theirs", "ratio"
		for (i = 0; i < n; i++) {
			k = order[i]; split(k, f, " ")
			printf "%-6s %4s %4s | %9.0f %9.0f %6s | %7.3f %7.3f %6s | %7.3f %7.3f %6s | %7.3f %7.3f %6s%s\n",
			    f[1], f[2], f[3] == 0 ? "keep" : f[3] == 1 ? "new" : "/" f[3],
			    rate["ours", k], rate["theirs", k], ratio(rate["ours", k], rate["theirs", k]),
			    p50["ours", k], p50["theirs", k], ratio(p50["ours", k], p50["theirs", k]),
			    p99["ours", k], p99["theirs", k], ratio(p99["ours", k], p99["theirs", k]),
			    cpu["ours", k], cpu["theirs", k], ratio(cpu["ours", k], cpu["theirs", k]),
			    (bad["ours", k] + bad["theirs", k] > 0) ? "  (!)" : ""
		}
		printf "conn: keep = one connection per session, new = a fresh connection per message\n"
		printf "(!) = errors or results other than the mix expects (see above)\n\n"
	}
	if (hn > 0) {
		printf "Memory over the protocol rows, kB: peak RSS (VmHWM), and private memory\n"
		printf "(RssAnon) at the end; shared library pages count in VmHWM\n"
		printf "%-6s | %9s %9s %6s | %9s %9s %6s\n", "socket", "VmHWM", "", "", "RssAnon", "", ""
		printf "%-6s | %9s %9s %6s | %9s %9s %6s\n", "", "ours", "theirs", "ratio", "ours",
		    "theirs", "ratio"
		for (i = 0; i < hn; i++) {
			s = horder[i]
			printf "%-6s | %9d %9d %6s | %9d %9d %6s\n", s, hwm["ours", s], hwm["theirs", s],
			    ratio(hwm["ours", s], hwm["theirs", s]), anon["ours", s], anon["theirs", s],
			    ratio(anon["ours", s], anon["theirs", s])
		}
		printf "\n"
	}
	if (pn > 0) {
		printf "Through Postfix (smtp-source bursts into smtpd_milters); ratio = ours/theirs\n"
		printf "%-6s | %9s %9s %6s\n", "milter", "ours", "theirs", "ratio"
		for (i = 0; i < pn; i++) {
			s = porder[i]
			printf "%-6s | %9.1f %9.1f %6s   msgs/s\n", s == "inet" ? "inet:" : "unix:",
			    pf["ours", s], pf["theirs", s], ratio(pf["ours", s], pf["theirs", s])
		}
		for (i = 0; i < pn; i++) {
			s = porder[i]
			printf "  %s ours: %s; theirs: %s\n", s, pfx["ours", s], pfx["theirs", s]
		}
		printf "\n"
	}
	if (rn > 0) {
		printf "Our RSS over many messages (unix socket, 8 sessions, 100 messages per connection)\n"
		for (i = 0; i < rn; i++)
			printf "  after %7d messages: VmRSS %7d kB  VmHWM %7d kB\n", rmsgs[i], rss[i], rhwm[i]
		if (rn > 1)
			printf "  growth from the first to the last: %+d kB (%+.1f%%)\n",
			    rss[rn - 1] - rss[0], (rss[0] > 0 ? (rss[rn - 1] - rss[0]) * 100 / rss[0] : 0)
		printf "\n"
	}
}' "$results"

# --- profiles where ours is slower --------------------------------------------
slower=$(awk '
$1 == "ours" || $1 == "theirs" { k = $2 " " $3 " " $4; r[$1, k] = $5; c[$1, k] = $8; keys[k] = 1 }
END { for (k in keys) if (r["ours", k] < r["theirs", k] || c["ours", k] > c["theirs", k]) print k }
' "$results" | head -n 1)
if [ "$BENCH_PERF" = 1 ] && [ -z "$slower" ]; then
	slower="unix 16 0"
fi
if [ -n "$slower" ] && [ "$BENCH_PERF" != 0 ]; then
	if ! command -v perf >/dev/null 2>&1; then
		note "ours is slower on '$slower' but perf is missing (apt-get install linux-perf)"
	else
		set -- $slower
		echo "Profile of ours on $1, $2 sessions, conn $3 (perf, $BENCH_SECONDS s):"
		start_daemon ours "$1"
		# shellcheck disable=SC2086
		"$loader" $BENCH_LOAD_OPTS -q -c "$2" -r "$3" -T $((BENCH_SECONDS + 2)) -m "$mix" \
		    "$cli_sock" >/dev/null 2>&1 &
		lpid=$!
		sleep 1
		perf record -q -F 999 -g -p "$daemon_pid" -o "$work/perf.data" \
		    -- sleep "$BENCH_SECONDS" >/dev/null 2>&1
		wait "$lpid"
		perf report -i "$work/perf.data" --stdio --no-children --sort dso,symbol \
		    2>/dev/null | grep -E '^ +[0-9]+\.[0-9]+%' | head -n 25
		stop_daemon
	fi
fi
exit 0
