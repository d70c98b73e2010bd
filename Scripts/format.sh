#!/usr/bin/env bash
# Formats the Swift sources with the toolchain's `swift format` and the rules in .swift-format.
#   bash Scripts/format.sh           formats every Swift file in place, then lints what is left
#   bash Scripts/format.sh --check   changes nothing: lists each difference and rule violation,
#                                    and exits non-zero if there is any
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  *) echo "usage: bash Scripts/format.sh [--check]" >&2; exit 2 ;;
esac

# The Swift files git knows of or would add (so .build/ is left out), as NUL-separated paths.
swift_files() {
  git ls-files -z --cached --others --exclude-standard -- '*.swift' |
    while IFS= read -r -d '' file; do
      if [ -f "$file" ]; then printf '%s\0' "$file"; fi
    done
}

if ! $check; then
  swift_files | xargs -0 swift format format --parallel --in-place
fi
swift_files | xargs -0 swift format lint --strict --parallel
