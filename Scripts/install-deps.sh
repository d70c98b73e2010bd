#!/usr/bin/env bash
# Installs what aligntm needs on Debian (as root, or through sudo).
#   bash Scripts/install-deps.sh          build and run: ICU, SQLite, libxml2, libpq, FreeDict dictionaries,
#                                         poppler-utils (pdftotext reads PDFs)
#   bash Scripts/install-deps.sh --test   also what the tests use: xmllint, chromium, OmegaT 3.6 (with Java),
#                                         translate-toolkit, wrk (the server benchmark), the PostgreSQL
#                                         server (Scripts/postgres.sh starts a cluster for the tests),
#                                         Weblate (ALIGNTM_SKIP_WEBLATE=1 skips it)
set -euo pipefail
packages=(libicu-dev libsqlite3-dev libxml2-dev zlib1g-dev libpq-dev pkg-config poppler-utils
  dict-freedict-eng-fra dict-freedict-fra-eng dict-freedict-deu-fra)
with_tests=false
[ "${1:-}" = "--test" ] && with_tests=true
$with_tests && packages+=(libxml2-utils chromium omegat wrk postgresql)
# Weblate's dependencies build borgbackup from source: its C libraries.
$with_tests && [ -z "${ALIGNTM_SKIP_WEBLATE:-}" ] && packages+=(liblz4-dev libzstd-dev libxxhash-dev libacl1-dev libssl-dev)

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
# translate-toolkit reads our TMX exports and XLIFF suggestions in the tests (TMXExportTests, XLIFFWorkflowTests).
if $with_tests && ! python3 -c 'from translate.storage import tmx' 2>/dev/null; then
  python3 -m pip install --quiet 'translate-toolkit==3.20.4'
fi
# Weblate drives the server in WeblateTests: 2026.10.1 needs Python 3.12 or later (Debian 12's is
# 3.11), so it goes into its own virtual environment, made with a newer Python when one is on
# the machine (pyenv's here). About 10 minutes the first time.
weblate_venv=/opt/aligntm-weblate
if $with_tests && [ -z "${ALIGNTM_SKIP_WEBLATE:-}" ] \
  && ! "$weblate_venv/bin/python" -c 'import weblate.machinery.tmserver' 2>/dev/null; then
  newer=""
  for candidate in python3.13 python3.12 /root/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
      && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      newer=$candidate
      break
    fi
  done
  if [ -z "$newer" ]; then
    echo "no Python 3.12 or later: WeblateTests will be skipped" >&2
  else
    "$newer" -m venv --without-pip "$weblate_venv"
    "$newer" -m pip --python "$weblate_venv/bin/python" install --quiet 'weblate[postgres]==2026.10.1'
  fi
fi
# RapidFuzz: translate-toolkit's fast edit distance, so that aligntm-bench fuzzy compares with its
# matcher as users run it (without it the matcher falls back to pure Python).
if $with_tests && ! python3 -c 'import rapidfuzz' 2>/dev/null; then
  python3 -m pip install --quiet 'rapidfuzz==3.14.6'
fi
