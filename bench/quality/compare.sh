#!/usr/bin/env bash
# LabelLoop against the best of four PyTorch recipes on the real sets (issue 15, part 3): prepares the
# splits if needed, runs every process one after another (never in parallel: the two cores are the
# budget being compared), then prints the summary tables. Run on a quiet machine.
#
# Usage (from anywhere): bash bench/quality/compare.sh [--sets isbi2012-membrane,dubai-aerial] [--seeds 1,2,3]
#          [--minutes 5] [--variants labeled,unlabeled[,round]] [--accept-above 0]
#          [--recipes ce-rare-crop,ce-dice,weighted-ce,focal] [--only all|labelloop|torch]
#          [--out bench/.out/quality-compare]
# Results: bench/.out/quality-compare/<set>/seed<S>/*.json and *.log, summary.md beside them.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"   # Node 22 (better-sqlite3 13 needs it) for the driver and the CLI
OUT=bench/.out/quality-compare
prev=""
for a in "$@"; do [ "$prev" = "--out" ] && OUT="$a"; prev="$a"; done   # the summary reads where compare.ts wrote
/usr/bin/python3 -c 'import torch, PIL' 2>/dev/null || { echo "compare.sh: /usr/bin/python3 lacks torch or PIL; apt-get install -y python3-torch python3-pil" >&2; exit 1; }
echo "node $(node --version); nproc $(nproc); $(uptime)" >&2
status=0
tsx bench/quality/compare.ts --out "$OUT" "$@" || status=$?
mkdir -p "$OUT"
tsx bench/quality/compare-summary.ts "$OUT" | tee "$OUT/summary.md"
exit $status
