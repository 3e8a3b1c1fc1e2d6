#!/bin/sh
# fuzz/run.sh [seconds]: build every fuzz target with clang's libFuzzer,
# AddressSanitizer and UndefinedBehaviorSanitizer, and run each for a
# bounded time over its seed corpus (copied, so the tree stays clean).
# Exits non-zero when any target finds a crash, leak or UB report.
set -u
secs=${1:-${FUZZ_SECONDS:-30}}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD:-$top/fuzz-build}
CC=${FUZZ_CC:-clang}
mkdir -p "$build"
# config.h: from the build directory we are run in, or an in-tree build
cfg=$PWD
[ -f "$cfg/config.h" ] || cfg=$top
[ -f "$cfg/config.h" ] || { echo "fuzz/run.sh: run configure first (no config.h)"; exit 2; }
core="$top/libopendmarc/tok5322.c $top/libopendmarc/addr.c $top/libopendmarc/taglist.c
 $top/libopendmarc/record.c $top/libopendmarc/domain.c $top/libopendmarc/psl.c
 $top/libopendmarc/align.c $top/libopendmarc/discover.c"
flags="-g -O1 -std=c11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
 -DHAVE_CONFIG_H -I$cfg -I$top/libopendmarc -I$top/reports"
passed=0 failed=0
for src in "$top"/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c); t=${t#fuzz_}
	extra=""
	[ "$t" = history ] && extra="$top/reports/history.c"
	# the daemon's parsers: built as the daemon builds them (config.h forced in)
	daemon="-include $cfg/config.h -I$top/opendmarc"
	case $t in
	ar | received_spf) extra="$daemon $top/opendmarc/ar.c $top/opendmarc/xalloc.c" ;;
	arc) extra="$daemon $top/opendmarc/ar.c $top/opendmarc/arc.c $top/opendmarc/message.c
	 $top/opendmarc/domlist.c $top/opendmarc/listfile.c $top/opendmarc/xalloc.c" ;;
	milterproto) extra="$daemon $top/opendmarc/milterproto.c" ;;
	config) extra="$daemon $top/opendmarc/conf.c $top/opendmarc/xalloc.c" ;;
	esac
	# shellcheck disable=SC2086
	if ! $CC $flags "$src" $core $extra -lidn2 -o "$build/fuzz_$t" 2>"$build/$t.log"; then
		echo "FAIL: build fuzz_$t"; cat "$build/$t.log"; failed=$((failed + 1)); continue
	fi
	rm -rf "$build/corpus_$t"; mkdir -p "$build/corpus_$t"
	cp "$top/fuzz/corpus/$t"/* "$build/corpus_$t/" 2>/dev/null
	if (cd "$build" && ./fuzz_$t -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=0 "corpus_$t" >"$t.run.log" 2>&1); then
		echo "PASS: fuzz_$t ($secs s, $(ls "$build/corpus_$t" | wc -l) corpus entries)"
		passed=$((passed + 1))
	else
		echo "FAIL: fuzz_$t"; tail -40 "$build/$t.run.log"; failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
