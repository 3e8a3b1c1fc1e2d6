# netns.sh - sourced by tests that need real DNS.  netns_enter re-runs the
# calling test script inside private network, mount and PID namespaces (as
# root; otherwise the test is skipped, or fails under CI), where loopback
# is the only interface.  netns_dns ZONEFILE then starts nsd on
# 127.0.0.1:53 serving ZONEFILE as the zone "example." and bind-mounts a
# resolv.conf naming it over /etc/resolv.conf, so libresolv, libspf2 and
# libopendkim users all ask it, and nothing leaves the machine.  Every
# process started inside dies with the script (PID namespace; /proc is
# mounted anew so that tools reading it, such as LeakSanitizer's thread
# suspension, see the namespace's own IDs).
# Needs: $work (a temp dir) when netns_dns runs.

netns_skip()
{
	if [ -n "${CI:-}" ]; then
		echo "$1 (required under CI)"
		exit 1
	fi
	echo "$1, skipping"
	exit 77
}

netns_find()
{
	for d in $(echo "$PATH" | tr : ' ') /usr/sbin /sbin /usr/local/sbin; do
		[ -x "$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	return 1
}

# netns_enter SCRIPT: returns inside the namespaces (re-executing SCRIPT).
netns_enter()
{
	[ -n "${NETNS_INSIDE:-}" ] && return 0
	command -v unshare > /dev/null 2>&1 || netns_skip "unshare not installed"
	unshare --net --mount --pid --fork --mount-proc true 2> /dev/null || netns_skip "cannot create namespaces (not root?)"
	NETNS_INSIDE=1
	export NETNS_INSIDE
	exec unshare --net --mount --pid --fork --mount-proc sh "$1"
}

netns_dns()
{
	nsd=$(netns_find nsd) || netns_skip "nsd not installed"
	ipcmd=$(netns_find ip) || netns_skip "ip (iproute2) not installed"
	"$ipcmd" link set lo up || exit 1
	mkdir -p "$work/nsd"
	cat > "$work/nsd/nsd.conf" <<NSD
server:
	ip-address: 127.0.0.1
	port: 53
	do-ip6: no
	username: ""
	chroot: ""
	zonesdir: "$work/nsd"
	database: ""
	zonelistfile: "$work/nsd/zone.list"
	xfrdfile: "$work/nsd/xfrd.state"
	xfrdir: "$work/nsd"
	pidfile: "$work/nsd/nsd.pid"
	logfile: "$work/nsd/nsd.log"
	server-count: 1
	verbosity: 1
remote-control:
	control-enable: no
zone:
	name: "example."
	zonefile: "$1"
NSD
	"$nsd" -c "$work/nsd/nsd.conf" || { cat "$work/nsd/nsd.log"; exit 1; }
	i=0
	until grep -q "nsd started" "$work/nsd/nsd.log" 2> /dev/null; do
		i=$((i + 1))
		[ $i -gt 50 ] && { echo "nsd did not start"; cat "$work/nsd/nsd.log"; exit 1; }
		sleep 0.1
	done
	echo "nameserver 127.0.0.1" > "$work/resolv.conf"
	mount --bind "$work/resolv.conf" /etc/resolv.conf || exit 1
}
