#!/bin/sh
# get-sendmail.sh DIR: unpack Debian's sendmail-bin, sendmail-base and
# sendmail-cf into DIR/root (apt-get download + dpkg -x, nothing is
# installed: Debian's sendmail and postfix packages conflict), unless
# DIR/root already holds them.  Prints DIR/root; exits 1 when the
# packages cannot be had.
set -u
dir=$1
root=$dir/root
if [ -x "$root/usr/libexec/sendmail/sendmail" ] && [ -f "$root/usr/share/sendmail/cf/m4/cf.m4" ]; then
	echo "$root"
	exit 0
fi
command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1 || exit 1
mkdir -p "$dir/deb" || exit 1
# apt's download sandbox user must be able to write there
chmod 755 "$dir" "$dir/deb" 2>/dev/null
(cd "$dir/deb" && apt-get download -q sendmail-bin sendmail-base sendmail-cf) >"$dir/download.log" 2>&1 ||
	exit 1
rm -rf "$root.new"
mkdir -p "$root.new" || exit 1
for deb in "$dir"/deb/sendmail-bin_*.deb "$dir"/deb/sendmail-base_*.deb "$dir"/deb/sendmail-cf_*.deb; do
	dpkg -x "$deb" "$root.new" || exit 1
done
rm -rf "$root"
mv "$root.new" "$root" && echo "$root"
