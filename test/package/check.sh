#!/bin/sh
# The .deb: `cpack -G DEB` makes persistproc_<version>_amd64.deb with the binary, the
# systemd user unit, the completions and the man page, and dependencies computed by
# dpkg-shlibdeps; unpacked into a scratch root (dpkg -x), its binary runs.
# Usage: check.sh <build dir> <version>
set -eu
build=$1 version=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "package: $*" >&2; exit 1; }

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/out" >"$scratch/cpack.log" 2>&1 ||
  { cat "$scratch/cpack.log" >&2; fail "cpack failed"; }
deb=$scratch/out/persistproc_${version}_amd64.deb
[ -f "$deb" ] || fail "no $deb: $(ls "$scratch/out")"
dpkg-deb -f "$deb" Depends | grep -q 'libc6 (>=' || fail "Depends not computed: $(dpkg-deb -f "$deb" Depends)"

dpkg -x "$deb" "$scratch/root"
root=$scratch/root
out=$("$root/usr/bin/persistproc" --version) || fail "--version failed"
[ "$out" = "persistproc $version" ] || fail "--version printed '$out'"
grep -q '^ExecStart=/usr/bin/persistproc serve' "$root/usr/lib/systemd/user/persistproc.service" ||
  fail "the unit does not name /usr/bin/persistproc"
for f in usr/share/bash-completion/completions/persistproc usr/share/zsh/vendor-completions/_persistproc \
         usr/share/fish/vendor_completions.d/persistproc.fish usr/share/man/man1/persistproc.1; do
  [ -s "$root/$f" ] || fail "missing $f"
done
grep -q '^\.TH PERSISTPROC "1"' "$root/usr/share/man/man1/persistproc.1" || fail "not a man page"
echo "package: $(basename "$deb") ok"
