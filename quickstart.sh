#!/bin/sh
# quickstart.sh - set up a Debian 12 machine (as root), build, and run.
#
#   ./quickstart.sh run                 install, build, run the milter in the
#                                       foreground on inet:8893@localhost with
#                                       the embedded defaults
#   ./quickstart.sh check [domain...]   install, build, run opendmarc-check
#   ./quickstart.sh test                install, build, run every test:
#                                       make check (gcc, -Werror), make
#                                       distcheck, make check under clang
#                                       ASan+UBSan, and each fuzz target
#
# The last line of "test" is "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")" && pwd)
cd "$top" || exit 1
PACKAGES="build-essential autoconf automake libtool pkg-config libidn2-dev publicsuffix
 clang libclang-rt-14-dev nsd dnsutils libopendmarc-dev libopendmarc2 opendmarc
 miltertest libxml2-utils sqlite3 libsqlite3-dev m4
 libmariadb-dev mariadb-server postfix swaks libspf2-dev libopendkim-dev
 libmail-dkim-perl libswitch-perl libdbi-perl libdbd-mysql-perl libjson-perl
 libcurl4-openssl-dev zlib1g-dev libmail-dmarc-perl socat openssl"

install_packages() {
	[ -n "${QUICKSTART_NO_APT:-}" ] && return 0
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $PACKAGES \
		>/dev/null || { echo "quickstart: apt-get install failed" >&2; exit 1; }
	# the opendmarc package starts a system daemon; our tests start their own
	systemctl stop opendmarc >/dev/null 2>&1 || service opendmarc stop >/dev/null 2>&1 || true
}

# build DIR [configure args...]: out-of-tree build, so several can coexist
build() {
	dir=$1; shift
	mkdir -p "$dir" && cd "$dir" || exit 1
	"$top/configure" -q "$@" && make -j2 >make.log 2>&1 || { cat make.log; cd "$top"; return 1; }
	cd "$top"
}

bootstrap() {
	[ -x "$top/configure" ] && [ "$top/configure" -nt "$top/configure.ac" ] && return 0
	autoreconf -fi >/dev/null 2>&1 || { echo "quickstart: autoreconf failed" >&2; exit 1; }
}

passed=0 failed=0
tally() { # tally LOG: add automake's PASS/FAIL counts from a test-suite.log
	p=$(sed -n 's/^# PASS: *//p' "$1" | head -n 1)
	f=$(sed -n 's/^# FAIL: *//p' "$1" | head -n 1)
	e=$(sed -n 's/^# ERROR: *//p' "$1" | head -n 1)
	passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
}
step() { # step NAME CMD...: one pass/fail unit
	name=$1; shift
	if "$@"; then passed=$((passed + 1)); echo "PASS: $name"
	else failed=$((failed + 1)); echo "FAIL: $name"; fi
}

run_checks() { # run_checks DIR: make check, counted per test
	(cd "$1" && make -j2 check >check.log 2>&1)
	rc=$?
	grep -E '^(PASS|FAIL|ERROR|SKIP|XFAIL|XPASS):' "$1/check.log"
	[ $rc -ne 0 ] && for f in "$1"/tests/*.log "$1"/fuzz/*.log "$1"/tests/*/*.log; do
		[ -f "$f" ] && grep -q '^FAIL\|^ERROR' "${f%.log}.trs" 2>/dev/null && { echo "== $f"; tail -40 "$f"; }
	done
	if [ -f "$1/test-suite.log" ]; then tally "$1/test-suite.log"
	else failed=$((failed + 1)); echo "FAIL: make check did not run in $1"; tail -30 "$1/check.log"; fi
}

cmd=${1:-run}
[ $# -gt 0 ] && shift
case $cmd in
run)
	install_packages
	bootstrap
	build "$top/build" || exit 1
	echo "opendmarc: listening on inet:8893@localhost (Ctrl-C stops it)"
	exec "$top/build/opendmarc/opendmarc" -f -v -p inet:8893@localhost "$@"
	;;
check)
	install_packages
	bootstrap
	build "$top/build" || exit 1
	exec "$top/build/opendmarc/opendmarc-check" "${@:-example.com}"
	;;
test)
	install_packages
	bootstrap
	export CI="${CI:-true}"
	if build "$top/build-gcc" --enable-werror; then
		run_checks "$top/build-gcc"
		step "make distcheck" sh -c "cd '$top/build-gcc' && make -j2 distcheck \
			DISTCHECK_CONFIGURE_FLAGS=--enable-werror >distcheck.log 2>&1 || { tail -40 distcheck.log; exit 1; }"
	else
		failed=$((failed + 1)); echo "FAIL: gcc build"
	fi
	if build "$top/build-asan" --enable-werror CC=clang \
		CFLAGS="-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"; then
		ASAN_OPTIONS=detect_leaks=1 run_checks "$top/build-asan"
	else
		failed=$((failed + 1)); echo "FAIL: clang sanitizer build"
	fi
	step "fuzz targets (${FUZZ_SECONDS:-20}s each)" sh -c \
		"cd '$top/build-gcc' && FUZZ_BUILD='$top/build-fuzz' sh '$top/fuzz/run.sh' '${FUZZ_SECONDS:-20}'"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	;;
*)
	echo "usage: $0 run | check [domain...] | test" >&2
	exit 2
	;;
esac
