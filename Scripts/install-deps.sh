#!/usr/bin/env bash
# Installs what aligntm needs on Debian (as root, or through sudo).
#   bash Scripts/install-deps.sh          build and run: ICU, SQLite, libxml2, FreeDict dictionaries
#   bash Scripts/install-deps.sh --test   also what the tests use: xmllint, chromium, translate-toolkit
set -euo pipefail
packages=(libicu-dev libsqlite3-dev libxml2-dev zlib1g-dev pkg-config
  dict-freedict-eng-fra dict-freedict-fra-eng dict-freedict-deu-fra)
with_tests=false
[ "${1:-}" = "--test" ] && with_tests=true
$with_tests && packages+=(libxml2-utils chromium)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "installing: ${missing[*]}" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# translate-toolkit reads our TMX exports in the tests (TMXExportTests).
if $with_tests && ! python3 -c 'from translate.storage import tmx' 2>/dev/null; then
  python3 -m pip install --quiet 'translate-toolkit==3.20.4'
fi
# RapidFuzz: translate-toolkit's fast edit distance, so that aligntm-bench fuzzy compares with its
# matcher as users run it (without it the matcher falls back to pure Python).
if $with_tests && ! python3 -c 'import rapidfuzz' 2>/dev/null; then
  python3 -m pip install --quiet 'rapidfuzz==3.14.6'
fi
