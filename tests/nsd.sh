# tests/nsd.sh - sourced by shell tests that need a real DNS server.
#
#   nsd_require              exit 77 without nsd (1 under CI)
#   nsd_start [-a ADDR] [-p PORT] DIR ZONE=FILE...
#                            start nsd on a free 127.0.0.1 port (or on
#                            ADDR, on PORT only) serving each ZONE from
#                            FILE; sets nsd_pid, nsd_port; log DIR/nsd.log
#   wait_for FILE PID PATTERN [TENTHS]
#                            until FILE holds PATTERN (10 s) while PID
#                            lives (an empty PID: no such check)
#   find_prog NAME           its path on PATH or in the sbin directories
#   random_port              a port in 20000-59999
#
# Response-rate limiting is switched off where this nsd has it, or bursts
# of test queries get dropped.

find_prog() {
	old_ifs=$IFS
	IFS=:
	for d in $PATH:/usr/sbin:/sbin:/usr/local/sbin; do
		if [ -x "$d/$1" ]; then
			IFS=$old_ifs
			echo "$d/$1"
			return 0
		fi
	done
	IFS=$old_ifs
	return 1
}

nsd_require() {
	NSD=$(find_prog nsd) && return 0
	if [ -n "${CI:-}" ]; then
		echo "nsd is not installed (required under CI)" >&2
		exit 1
	fi
	echo "nsd is not installed, skipping"
	exit 77
}

wait_for() {
	i=0
	while [ "$i" -lt "${4:-100}" ]; do
		if [ -f "$1" ] && grep -q -- "$3" "$1" 2>/dev/null; then
			return 0
		fi
		[ -n "$2" ] && ! kill -0 "$2" 2>/dev/null && return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

random_port() {
	r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	echo $((20000 + r % 40000))
}

# nsd_conf DIR ADDR PORT RRL ZONE=FILE...: the configuration on stdout
nsd_conf() {
	dir=$1 addr=$2 port=$3 rrl=$4
	shift 4
	cat <<CONF
server:
	ip-address: $addr
	port: $port
	do-ip4: yes
	do-ip6: no
	username: ""
	chroot: ""
	zonesdir: "$dir"
	database: ""
	zonelistfile: "$dir/zone.list"
	xfrdfile: "$dir/xfrd.state"
	xfrdir: "$dir"
	pidfile: "$dir/nsd.pid"
	logfile: "$dir/nsd.log"
	server-count: 1
	verbosity: 1
	$rrl
remote-control:
	control-enable: no
CONF
	for z in "$@"; do
		printf 'zone:\n\tname: "%s"\n\tzonefile: "%s"\n' "${z%%=*}" "${z#*=}"
	done
}

nsd_start() {
	nsd_addr=127.0.0.1 fixed_port=
	while :; do
		case $1 in
		-a) nsd_addr=$2; shift 2 ;;
		-p) fixed_port=$2; shift 2 ;;
		*) break ;;
		esac
	done
	dir=$1
	shift
	rrl="rrl-ratelimit: 0"
	nsd_conf "$dir" "$nsd_addr" 53 "$rrl" "$@" >"$dir/nsd.conf"
	"$NSD-checkconf" "$dir/nsd.conf" >/dev/null 2>&1 || rrl=
	tries=0
	while [ $tries -lt 20 ]; do
		nsd_port=${fixed_port:-$(random_port)}
		nsd_conf "$dir" "$nsd_addr" "$nsd_port" "$rrl" "$@" >"$dir/nsd.conf"
		rm -f "$dir/nsd.log"
		"$NSD" -d -c "$dir/nsd.conf" 2>>"$dir/nsd.err" &
		nsd_pid=$!
		wait_for "$dir/nsd.log" "$nsd_pid" "nsd started" && return 0
		kill "$nsd_pid" 2>/dev/null
		wait "$nsd_pid" 2>/dev/null
		nsd_pid=
		[ -n "$fixed_port" ] && break
		tries=$((tries + 1))
	done
	cat "$dir/nsd.err" "$dir/nsd.log" >&2 2>/dev/null
	return 1
}
