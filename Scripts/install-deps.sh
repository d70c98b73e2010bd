#!/usr/bin/env bash
# Installs the system packages and Python tools aligntm builds and tests with (Debian, as root or via sudo).
set -euo pipefail
packages=(libicu-dev libsqlite3-dev libxml2-dev libxml2-utils pkg-config dict-freedict-eng-fra dict-freedict-fra-eng dict-freedict-deu-fra)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# translate-toolkit reads our TMX exports in the tests (TMXExportTests).
if ! python3 -c 'from translate.storage import tmx' 2>/dev/null; then
  python3 -m pip install --quiet 'translate-toolkit==3.20.4'
fi
