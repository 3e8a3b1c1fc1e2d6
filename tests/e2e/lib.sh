# tests/e2e/lib.sh - sourced by the end-to-end tests (tests/e2e/*.test).
#
# Each test runs in private namespaces (network, mount, UTS, IPC, PID):
# e2e_enter re-executes the calling script under unshare(1), where only
# loopback exists, the host name is mx.test.example and /etc/resolv.conf
# and /etc/hosts are private bind mounts.  Every name the daemon, libspf2
# or an MTA looks up goes to nsd on 127.0.0.2:53 (zone "test.", from
# tests/e2e/e2e.zone) and, for names nsd refuses, to tests/dnsstub on
# 127.0.0.1:53 (so "_dmarc.servfail.invalid" gives SERVFAIL).  When the
# script ends, the PID namespace ends and takes every process with it.
#
# Without a required program (or without the right to create
# namespaces) a test is skipped with 77, except under CI (CI set),
# where that is a failure.  E2E_KEEP=1 keeps the work directory.
set -u
: "${top_srcdir:=.}"
: "${top_builddir:=.}"
srcdir=$(cd "$top_srcdir" && pwd)
builddir=$(cd "$top_builddir" && pwd)
DAEMON=$builddir/opendmarc/opendmarc
e2e_name=$(basename "$0" .test)
e2e_fail=0
# find_prog, wait_for and nsd_start
. "$srcdir/tests/nsd.sh"

e2e_skip() { # e2e_skip REASON
	if [ -n "${CI:-}" ]; then
		echo "$e2e_name: $1 (required under CI)" >&2
		exit 1
	fi
	echo "$e2e_name: $1, skipping"
	exit 77
}

need() { # need VAR PROGRAM: VAR=path of PROGRAM, or skip
	p=$(find_prog "$2") || e2e_skip "$2 is not installed"
	eval "$1=\$p"
}

ok() { echo "ok: $*"; }
no() { echo "FAIL: $*"; e2e_fail=1; }

# e2e_enter ARGS: re-executes "$0" inside fresh namespaces (once).
e2e_enter() {
	[ -n "${E2E_NS:-}" ] && return 0
	[ -x "$DAEMON" ] || e2e_skip "$DAEMON is not built"
	need UNSHARE unshare
	need IP ip
	[ "$(id -u)" = 0 ] || e2e_skip "not root (namespaces, MTA queues)"
	"$UNSHARE" --net --mount --uts --ipc --pid --fork --mount-proc true 2>/dev/null ||
		e2e_skip "cannot create namespaces with unshare"
	E2E_NS=1
	export E2E_NS
	exec "$UNSHARE" --net --mount --uts --ipc --pid --fork --mount-proc sh "$0" "$@"
}

e2e_cleanup_hooks=""
e2e_cleanup() {
	for h in $e2e_cleanup_hooks; do
		$h
	done
	for pid in ${nsd_pid:-} ${stub_pid:-} ${sink_pid:-}; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	if [ "$e2e_fail" != 0 ] || [ -n "${E2E_KEEP:-}" ]; then
		for f in "$tmp"/*.log; do
			[ -f "$f" ] || continue
			echo "==== $f (last 60 lines)"
			tail -n 60 "$f"
		done
	fi
	if [ -n "${E2E_KEEP:-}" ]; then
		echo "$e2e_name: kept $tmp"
	else
		rm -rf "$tmp"
	fi
}

# e2e_workdir: $tmp, removed at exit (logs shown on failure)
e2e_workdir() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/e2e-$e2e_name.XXXXXX") || exit 1
	chmod 755 "$tmp" # MTA daemons running as other users reach sockets in here
	trap e2e_cleanup EXIT
	trap 'exit 1' HUP INT TERM
}

# e2e_setup: inside the namespaces: loopback, host name, work directory,
# resolv.conf and hosts, nsd and the stub server.
e2e_setup() {
	need NSD nsd
	need IP ip
	"$IP" link set lo up || { echo "$e2e_name: ip link set lo up failed"; exit 1; }
	hostname mx.test.example
	e2e_workdir
	printf 'nameserver 127.0.0.2\nnameserver 127.0.0.1\noptions attempts:1 timeout:2\n' \
		>"$tmp/resolv.conf"
	printf '127.0.0.1\tlocalhost\n127.0.0.1\tmx.test.example mx\n' >"$tmp/hosts"
	mount --bind "$tmp/resolv.conf" /etc/resolv.conf &&
		mount --bind "$tmp/hosts" /etc/hosts ||
		{ echo "$e2e_name: cannot bind-mount resolv.conf/hosts"; exit 1; }
	e2e_start_dns
}

e2e_start_dns() {
	"$builddir/tests/dnsstub" 53 "$tmp/stub.ready" >"$tmp/dnsstub.log" 2>&1 &
	stub_pid=$!
	wait_for "$tmp/stub.ready" "$stub_pid" . ||
		{ echo "$e2e_name: dnsstub did not start"; e2e_fail=1; exit 1; }
	nsd_start -a 127.0.0.2 -p 53 "$tmp" "test.=$srcdir/tests/e2e/e2e.zone" ||
		{ echo "$e2e_name: nsd did not start"; e2e_fail=1; exit 1; }
}

# start_daemon CONF [ARGS]: our milter in the foreground, logging to
# $tmp/opendmarc.log, until it says it is starting.  Sets daemon_pid.
start_daemon() {
	started=$(grep -c "Filter v.* starting" "$tmp/opendmarc.log" 2>/dev/null)
	"$DAEMON" -f -v -c "$@" >>"$tmp/opendmarc.log" 2>&1 &
	daemon_pid=$!
	i=0
	while [ "$(grep -c "Filter v.* starting" "$tmp/opendmarc.log")" -le "${started:-0}" ]; do
		if ! kill -0 "$daemon_pid" 2>/dev/null || [ $i -ge 100 ]; then
			no "the daemon did not start"
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
}

# stop_daemon: SIGTERM, wait; fails on a non-zero status or a sanitizer report.
stop_daemon() {
	[ -n "${daemon_pid:-}" ] || return 0
	kill -TERM "$daemon_pid" 2>/dev/null
	wait "$daemon_pid"
	rc=$?
	daemon_pid=
	[ "$rc" = 0 ] || no "the daemon exited with status $rc"
	sanitizer_clean "$tmp/opendmarc.log"
}

sanitizer_clean() { # sanitizer_clean LOG
	if grep -q 'ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:' "$1"; then
		no "sanitizer report in $1"
		grep -A20 'ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:' "$1" | head -n 40
		return 1
	fi
	return 0
}

# hist_get FILE FROMDOMAIN KEY: KEY's value in the last history record
# whose "from" is FROMDOMAIN.
hist_get() {
	awk -v d="$2" -v k="$3" '
		function flush() { if (from == d) found = val; from = ""; val = "" }
		$1 == "job" { flush() }
		$1 == "from" { from = $2 }
		$1 == k { v = $0; sub(/^[^ ]* /, "", v); val = v }
		END { flush(); print found }' "$1"
}

check_hist() { # check_hist FILE FROMDOMAIN KEY VALUE
	got=$(hist_get "$1" "$2" "$3")
	if [ "$got" = "$4" ]; then
		ok "history $2: $3 $4"
	else
		no "history $2: $3 is \"$got\", expected \"$4\""
	fi
}
