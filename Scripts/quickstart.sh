#!/usr/bin/env bash
# The main job on the bundled corpus: install, build, align a UN document with its English
# original into the memory in tm/, export it as TMX, and pre-translate a new resolution.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/install-deps.sh
swift build -c release --product aligntm
aligntm=".build/release/aligntm"
mkdir -p out

echo "== 1. Read and segment the French of resolution 75/15 (first sentences)"
"$aligntm" segment corpus/un/003/fr.txt | head -n 12

echo
echo "== 2. Align it with its English original, store the pairs in tm/, write a review page"
"$aligntm" align corpus/un/003/en.txt corpus/un/003/fr.txt --into-tm --format html -o out/003-review.html
"$aligntm" align corpus/un/003/en.txt corpus/un/003/fr.txt --format tsv | head -n 12
echo "(review page: out/003-review.html)"

echo
echo "== 3. Align the OCR'd report A/75/371 too, and score both against the gold beads"
"$aligntm" align corpus/un/004/en.txt corpus/un/004/fr.txt --into-tm -o out/004.jsonl
"$aligntm" align corpus/un/003/en.txt corpus/un/003/fr.txt -o out/003.jsonl
"$aligntm" eval --beads corpus/un/003/gold.jsonl --test out/003.jsonl --beads corpus/un/004/gold.jsonl --test out/004.jsonl

echo
echo "== 4. The memory, exported as TMX 1.4b"
"$aligntm" tm stats
"$aligntm" tm export -o out/memory.tmx

echo
echo "== 5. Fuzzy suggestions for a new resolution (asean-2022), numbers substituted ⟦…⟧"
"$aligntm" suggest corpus/new/asean-2022/en.txt
