#!/usr/bin/env bash
# ClipLab machine set-up: idempotent, silent when there is nothing to do.
# Called by ./cliplab and by the test command, so a fresh machine needs no manual step.
set -euo pipefail

# Debian packages the project reads data or tools from (never downloaded at run time from elsewhere).
PACKAGES=(dataset-fashion-mnist sentencepiece wordnet-base openmpi-bin libopenmpi-dev
  openclipart-png openclipart-svg tuxpaint-stamps-default fonts-noto-color-emoji unicode-data
  chromium)  # chromium: headless check that `cliplab study report` pages render (tests screenshot them)

say() { echo "[setup] $*" >&2; }
LOG=${TMPDIR:-/tmp}/cliplab-setup.log
# apt's chatter goes to a log; on failure its tail is shown so the cause is visible.
quiet() { if ! "$@" >>"$LOG" 2>&1; then say "command failed: $*"; tail -n 20 "$LOG" >&2; return 1; fi; }

have_glibcxx() {
  local lib
  for lib in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6; do
    [ -e "$lib" ] || continue
    # grep -a on the binary avoids needing binutils' `strings`.
    if grep -aq 'GLIBCXX_3\.4\.32' "$lib"; then return 0; fi
  done
  return 1
}

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

need_glibcxx=0; have_glibcxx || need_glibcxx=1
missing=""
if command -v dpkg-query >/dev/null 2>&1; then missing=$(missing_packages | tr '\n' ' '); fi
if [ "$need_glibcxx" = 0 ] && [ -z "${missing// /}" ]; then exit 0; fi

if [ ! -f /etc/debian_version ] || ! command -v apt-get >/dev/null 2>&1; then
  say "This machine is not Debian, so set-up cannot install prerequisites itself. Please install:"
  [ "$need_glibcxx" = 1 ] && say "  - a libstdc++ providing GLIBCXX_3.4.32 (GCC 13 or newer runtime), needed by TorchSharp's libtorch"
  [ -n "$missing" ] && say "  - the data/tools packages: $missing (or their equivalents)"
  exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    say "Set-up needs root to install system packages. Run as root, or install yourself:"
    [ "$need_glibcxx" = 1 ] && say "  libstdc++6 from Debian 13 (trixie), pinned low: see scripts/setup.sh"
    [ -n "$missing" ] && say "  sudo apt-get install -y $missing"
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive

if [ "$need_glibcxx" = 1 ]; then
  say "TorchSharp's libtorch needs GLIBCXX_3.4.32; this system's libstdc++ lacks it."
  say "Adding Debian 13 (trixie) with a low pin (priority 100) and installing its libstdc++6 ..."
  uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n1 | awk '{print $2}')
  if [ -z "$uri" ]; then
    uri=$(grep -hE '^deb .*bookworm' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | grep -v security | head -n1 | awk '{print $2}')
  fi
  [ -n "$uri" ] || uri="http://deb.debian.org/debian"
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  $SUDO tee /etc/apt/sources.list.d/cliplab-trixie.sources >/dev/null <<SRC
Types: deb
URIs: $uri
Suites: trixie
Components: main
Signed-By: $keyring
SRC
  $SUDO tee /etc/apt/preferences.d/cliplab-trixie-pin >/dev/null <<PIN
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
  quiet $SUDO apt-get update
  quiet $SUDO apt-get install -y -t trixie libstdc++6
  have_glibcxx || { say "libstdc++6 from trixie did not provide GLIBCXX_3.4.32; install a GCC 13+ runtime by hand."; exit 1; }
  say "libstdc++ updated."
fi

if [ -n "${missing// /}" ]; then
  say "Installing Debian packages: $missing"
  # A fresh machine may have stale package lists: update once and retry.
  if ! $SUDO apt-get install -y $missing >>"$LOG" 2>&1; then
    quiet $SUDO apt-get update
    quiet $SUDO apt-get install -y $missing
  fi
  say "Debian packages installed."
fi
