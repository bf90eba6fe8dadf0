#!/bin/sh
# Installs the Debian packages shopfloor needs to build and test, only
# those that are missing. `tools/deps.sh --list` prints the names instead.
# Extra package names given as arguments are installed too (CI adds its
# tools this way). dpkg-dev (dpkg-source) and patch build Lua from its
# source package (tools/lua-source.sh); liblua5.4-dev is the fallback.
set -e
packages="cmake make gcc pkg-config liblua5.4-dev libyaml-dev libcmocka-dev \
libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libfontconfig-dev zlib1g-dev fonts-dejavu-core \
xvfb xauth python3 chromium libopenmpi-dev openmpi-bin dpkg-dev patch"

if [ "$1" = "--list" ]; then
    echo $packages
    exit 0
fi
packages="$packages $*"

missing=""
for p in $packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "installing:$missing"
if [ "$(id -u)" = 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "tools/deps.sh: these Debian packages are missing:$missing" >&2
    echo "install them as root: apt-get install$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends $missing
