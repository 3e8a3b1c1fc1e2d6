# milter.sh - sourced by the tests/milter/*.test scripts: a private temp
# dir, fake DNS (TestDNSData), and run_miltertest CONFTEXT LUAFILE, which
# starts our daemon through miltertest on a unix socket with that config.
# No DNS server and no network: everything is answered from dns.txt.
set -u
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
command -v miltertest > /dev/null 2>&1 || { echo "miltertest not installed"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/milter-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat > "$work/dns.txt" <<'DNS'
# name  TXT record
_dmarc.pass.example v=DMARC1; p=reject; rua=mailto:agg@pass.example
_dmarc.reject.example v=DMARC1; p=reject
_dmarc.quar.example v=DMARC1; p=quarantine
_dmarc.none.example v=DMARC1; p=none
_dmarc.bad.example v=DMARC1; p=bogus
DNS

run_miltertest()
{
	printf '%s\n' "$1" > "$work/opendmarc.conf"
	FILTER=$(cd "$builddir" && pwd)/opendmarc/opendmarc
	CONF=$work/opendmarc.conf
	SOCK=unix:$work/sock
	export FILTER CONF SOCK
	LUA_PATH="$srcdir/tests/milter/?.lua;;"
	export LUA_PATH
	miltertest -s "$2" > "$work/out" 2>&1
	status=$?
	cat "$work/out"
	return $status
}
