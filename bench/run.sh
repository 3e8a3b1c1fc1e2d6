#!/bin/sh
# bench/run.sh -- the library benchmark behind `make bench`.
#
#   sh bench/run.sh TOP_SRCDIR TOP_BUILDDIR
#
# Builds bench/bench_lib.c twice with $CC: once against our header and our
# libopendmarc from the build tree, once against Debian's OpenDMARC 1.4.2
# (packages libopendmarc-dev and libopendmarc2).  Each binary gets an RPATH
# to the directory of its own library, and ldd plus the binary itself
# (dladdr) must confirm which library it loads.  Then both run back to back
# and a table is printed.
#
# Environment: CC (default cc), BENCH_CFLAGS (default -O2),
# BENCH_SECONDS (time per figure, default 1), PSL (public suffix list,
# default /usr/share/publicsuffix/public_suffix_list.dat).

set -u

fail() {
	echo "bench: $*" >&2
	exit 1
}

[ $# -eq 2 ] || fail "usage: $0 TOP_SRCDIR TOP_BUILDDIR"
srcdir=$(cd "$1" && pwd) || fail "no source directory $1"
builddir=$(cd "$2" && pwd) || fail "no build directory $2"

CC=${CC:-cc}
BENCH_CFLAGS=${BENCH_CFLAGS:--O2}
BENCH_SECONDS=${BENCH_SECONDS:-1}
PSL=${PSL:-/usr/share/publicsuffix/public_suffix_list.dat}
corpus=$srcdir/bench/corpus
src=$srcdir/bench/bench_lib.c
outdir=$builddir/bench

# --- Debian's OpenDMARC 1.4.2, the reference ------------------------------
ref_hdr=/usr/include/opendmarc/dmarc.h
ref_lib=
multiarch=$($CC -print-multiarch 2>/dev/null || true)
for d in ${multiarch:+/usr/lib/$multiarch} /usr/lib/x86_64-linux-gnu \
    /usr/lib/aarch64-linux-gnu /usr/lib64 /usr/lib; do
	if [ -e "$d/libopendmarc.so.2" ]; then
		ref_lib=$d/libopendmarc.so.2
		break
	fi
done
if [ ! -f "$ref_hdr" ] || [ -z "$ref_lib" ]; then
	echo "bench: Debian's OpenDMARC 1.4.2 library is not installed." >&2
	echo "bench: the benchmark compares against it; install it with" >&2
	echo "bench:     apt-get install libopendmarc-dev libopendmarc2" >&2
	exit 1
fi
grep -q 'opendmarc_policy_parse_dmarc' "$ref_hdr" ||
	fail "$ref_hdr is not OpenDMARC's dmarc.h"

# --- ours, from the build tree --------------------------------------------
our_lib=$builddir/libopendmarc/.libs/libopendmarc.so.2
[ -e "$our_lib" ] ||
	fail "our library $our_lib is missing; run 'make' first"
[ -f "$srcdir/libopendmarc/dmarc.h" ] || fail "no $srcdir/libopendmarc/dmarc.h"

[ -f "$PSL" ] || fail "public suffix list $PSL is missing (apt-get install publicsuffix)"
for f in records.txt domains.txt evals.txt; do
	[ -f "$corpus/$f" ] || fail "corpus file $corpus/$f is missing"
done

mkdir -p "$outdir" || fail "cannot create $outdir"
ours_bin=$outdir/bench_lib_ours
ref_bin=$outdir/bench_lib_opendmarc

# build OUTPUT LIBRARY INCLUDE-DIRS...
build() {
	out=$1 lib=$2
	shift 2
	libdir=$(dirname "$lib")
	incs=
	for i in "$@"; do
		incs="$incs -I$i"
	done
	# dladdr() is in libc from glibc 2.34 on; older ones need -ldl.
	for extra in "" "-ldl"; do
		# shellcheck disable=SC2086
		if $CC $BENCH_CFLAGS -std=c11 -Wall $incs -o "$out" "$src" "$lib" \
		    -Wl,--disable-new-dtags,-rpath,"$libdir" $extra 2>"$out.log"; then
			rm -f "$out.log"
			return 0
		fi
	done
	cat "$out.log" >&2
	fail "cannot compile $src against $lib"
}

# verify BINARY LIBRARY: the binary must load exactly that library file.
verify() {
	bin=$1 want=$(readlink -f "$2")
	got=$(env -u LD_LIBRARY_PATH -u LD_PRELOAD ldd "$bin" 2>&1 |
		awk '/libopendmarc/ { print $3 }')
	n=$(printf '%s\n' "$got" | grep -c .)
	[ "$n" -eq 1 ] ||
		fail "$bin: ldd shows $n libopendmarc libraries, expected 1: $got"
	got=$(readlink -f "$got")
	[ "$got" = "$want" ] ||
		fail "$bin loads $got, expected $want (ldd)"
}

# The build tree holds our headers (config.h, ...) as well as the sources.
build "$ours_bin" "$our_lib" "$builddir/libopendmarc" "$srcdir/libopendmarc"
build "$ref_bin" "$ref_lib" /usr/include/opendmarc
verify "$ours_bin" "$our_lib"
verify "$ref_bin" "$ref_lib"

# run BINARY OUTPUT-FILE LIBRARY
run() {
	env -u LD_LIBRARY_PATH -u LD_PRELOAD "$1" -s "$BENCH_SECONDS" -p "$PSL" \
	    "$corpus" >"$2" || fail "$1 failed (exit $?)"
	loaded=$(awk '$1 == "library" { print $2 }' "$2")
	[ "$(readlink -f "$loaded")" = "$(readlink -f "$3")" ] ||
		fail "$1 ran against $loaded, expected $3 (dladdr)"
}

echo "bench: running ours, then OpenDMARC (about $BENCH_SECONDS s per figure each, best of 5 rounds)"
run "$ours_bin" "$outdir/ours.out" "$our_lib"
run "$ref_bin" "$outdir/opendmarc.out" "$ref_lib"

# What each library returns for every corpus item, for the difference count.
env -u LD_LIBRARY_PATH -u LD_PRELOAD "$ours_bin" -c -p "$PSL" "$corpus" \
    >"$outdir/check_ours.txt" || fail "$ours_bin -c failed"
env -u LD_LIBRARY_PATH -u LD_PRELOAD "$ref_bin" -c -p "$PSL" "$corpus" \
    >"$outdir/check_opendmarc.txt" || fail "$ref_bin -c failed"

val() {
	awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$2"
}

ndiff() {
	awk -F'\t' -v kind="$1" '
		FNR == NR { if ($1 == kind) a[FNR] = $0; next }
		$1 == kind { n++; if (a[FNR] != $0) d++ }
		END { printf "%d of %d", d, n }' \
	    "$outdir/check_ours.txt" "$outdir/check_opendmarc.txt"
}

O=$outdir/ours.out
T=$outdir/opendmarc.out

echo
echo "libopendmarc benchmark: ours vs OpenDMARC 1.4.2"
echo "  ours:      $(readlink -f "$our_lib")"
echo "  OpenDMARC: $(readlink -f "$ref_lib")"
echo "  corpus:    $(val parse_items "$O") records, $(val tld_items "$O") domains," \
     "$(val eval_items "$O") evaluations; about $BENCH_SECONDS s per figure, best of 5 rounds"
echo
{
	printf '%s|%s|%s\n' "records parsed/s" "$(val parse_per_sec "$O")" "$(val parse_per_sec "$T")"
	printf '%s|%s|%s\n' "org-domain lookups/s" "$(val tld_per_sec "$O")" "$(val tld_per_sec "$T")"
	printf '%s|%s|%s\n' "policy evaluations/s" "$(val eval_per_sec "$O")" "$(val eval_per_sec "$T")"
	printf '%s|%s|%s\n' "peak RSS KB (lower is better)" "$(val maxrss_kb "$O")" "$(val maxrss_kb "$T")"
	printf '%s|%s|%s\n' "RSS after init KB" "$(val rss_init_kb "$O")" "$(val rss_init_kb "$T")"
	printf '%s|%s|%s\n' "library_init ms" "$(val init_ms "$O")" "$(val init_ms "$T")"
} | awk -F'|' '
	BEGIN { printf "%-30s %14s %14s %8s\n", "figure", "ours", "OpenDMARC", "ratio" }
	{
		r = ($3 + 0 > 0) ? sprintf("%.2f", $2 / $3) : "-"
		printf "%-30s %14s %14s %8s\n", $1, $2, $3, r
	}'
echo "(ratio = ours / OpenDMARC)"
echo
echo "parse results      ours: ok $(val parse_ok "$O") err $(val parse_err "$O");" \
     "OpenDMARC: ok $(val parse_ok "$T") err $(val parse_err "$T")"
echo "evaluation results ours:$(val eval_results "$O" | sed 's/^/ /')"
echo "                   OpenDMARC:$(val eval_results "$T" | sed 's/^/ /')"
echo "items answered differently: org-domain $(ndiff tld), parse $(ndiff parse)," \
     "evaluation $(ndiff eval)"
echo "  (per-item answers: $outdir/check_ours.txt, $outdir/check_opendmarc.txt)"
exit 0
