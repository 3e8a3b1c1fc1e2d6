#!/bin/sh
# capture.sh DIR [ARGS...] - a ReportCommand for tests: writes its standard
# input to a new file DIR/report.N and its arguments to DIR/report.N.args.
dir=$1
shift
f=$(mktemp "$dir/report.XXXXXX") || exit 75
cat > "$f" || exit 75
printf '%s\n' "$@" > "$f.args"
