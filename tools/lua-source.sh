#!/bin/sh
# Fetches the distribution's lua5.4 source package into DEST (a folder of
# the build tree) and applies PATCH to it: `tools/lua-source.sh DEST PATCH`.
# The sources end up in DEST/lua5.4/src; nothing is copied into the
# repository. Run by CMake at configure time (sim/script/CMakeLists.txt).
#
# apt is configured inside DEST (its own deb-src list, package lists and
# cache), so the system's sources, lists and locks are left alone and no
# root is needed. apt checks the downloaded files against the signed
# Sources index of the archive, so dpkg-source does not check again.
# Needs apt-get, dpkg-source (dpkg-dev), patch and the network once per
# build folder; exits non-zero with the reason on stderr otherwise.
set -e
dest=$1
patch=$2
if [ -z "$dest" ] || [ ! -f "$patch" ]; then
    echo "usage: tools/lua-source.sh DEST PATCH" >&2
    exit 2
fi
# done before with the same patch: nothing to do
if [ -f "$dest/lua5.4/src/lvm.c" ] && cmp -s "$patch" "$dest/applied.patch"; then
    exit 0
fi
for tool in apt-get dpkg-source patch; do
    command -v $tool >/dev/null 2>&1 || { echo "lua-source.sh: $tool is missing (tools/deps.sh installs it)" >&2; exit 1; }
done
[ -r /etc/os-release ] || { echo "lua-source.sh: no /etc/os-release: which distribution is this?" >&2; exit 1; }
. /etc/os-release
codename=${VERSION_CODENAME:-}
case "$ID" in
debian)
    lines="deb-src http://deb.debian.org/debian $codename main
deb-src http://deb.debian.org/debian $codename-updates main
deb-src http://deb.debian.org/debian-security $codename-security main" ;;
ubuntu)
    lines="deb-src http://archive.ubuntu.com/ubuntu $codename main universe
deb-src http://archive.ubuntu.com/ubuntu $codename-updates main universe
deb-src http://security.ubuntu.com/ubuntu $codename-security main universe" ;;
*)
    echo "lua-source.sh: no source archive known for '$ID' (Debian and Ubuntu are)" >&2
    exit 1 ;;
esac
[ -n "$codename" ] || { echo "lua-source.sh: /etc/os-release names no VERSION_CODENAME" >&2; exit 1; }

mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
apt="$dest/apt"
rm -rf "$apt" "$dest/fetch" "$dest/lua5.4" "$dest/applied.patch"
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$dest/fetch"
printf '%s\n' "$lines" >"$apt/sources.list"
set -- -o Dir::Etc::sourcelist="$apt/sources.list" -o Dir::Etc::sourceparts=- \
    -o Dir::State::lists="$apt/lists" -o Dir::Cache="$apt/cache" -o Debug::NoLocking=1 \
    -o APT::Sandbox::User="$(id -un)" -o Acquire::Retries=3 -qq
apt-get "$@" update >&2
(cd "$dest/fetch" && apt-get "$@" source --download-only lua5.4 >&2)
dpkg-source --no-check -x "$dest"/fetch/lua5.4_*.dsc "$dest/lua5.4" >/dev/null
patch -s -d "$dest/lua5.4" -p1 <"$patch"
cp "$patch" "$dest/applied.patch"
rm -rf "$apt" "$dest/fetch" "$dest"/lua5.4_*
