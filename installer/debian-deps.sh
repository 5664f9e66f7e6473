#!/bin/sh
# Installs the Debian/Ubuntu packages FrontDesk needs that a fresh machine may lack:
# the libraries Qt loads, a Chinese font, and (with --test) what the test suite uses
# (Xvfb for real windows, poppler to read PDFs back), and python3-venv when Debian's python3
# lacks it. Does nothing on other systems,
# and nothing when everything is already there.
set -eu
[ -f /etc/debian_version ] || exit 0
packages="libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libx11-6 libxkbcommon0
  libdbus-1-3 libcups2 fontconfig fonts-wqy-microhei fonts-noto-cjk
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxcb-sync1 libxcb-shm0 libxcb-util1
  libxkbcommon-x11-0 libx11-xcb1"
if [ "${1:-}" = "--test" ]; then
  packages="$packages xvfb xauth xdotool x11-utils poppler-utils"
fi
missing=""
for p in $packages; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
# Debian's own python3 needs python3-venv for the virtual environment README's commands make.
if command -v python3 >/dev/null 2>&1 && ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
  missing="$missing python3-venv"
fi
[ -n "$missing" ] || exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing Debian packages:$missing"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
