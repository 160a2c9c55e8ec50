#!/usr/bin/env bash
# Quality benchmark (imbalance handling): one process per method, run side by side, each with the same
# number of epochs (training steps), then the summary table. Extra arguments go to every run.ts.
#
# Usage (from anywhere): bash bench/quality/run.sh [--epochs 6] [--scale 0.5] [--methods a,b,...]
# Results: bench/.out/quality/<method>.json, <method>.log and summary.md
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"
OUT=bench/.out/quality
mkdir -p "$OUT"
METHODS="plain,median-ce,focal,ce-dice-pipeline"
ARGS=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--methods" ]; then METHODS="$2"; shift 2; else ARGS+=("$1"); shift; fi
done
echo "node $(node --version); nproc $(nproc); load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/env.txt"
pids=()
for m in ${METHODS//,/ }; do
  tsx bench/quality/run.ts --methods "$m" --out "$OUT" "${ARGS[@]}" > "$OUT/$m.log" 2>&1 &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
tsx bench/quality/summarise.ts "$OUT" | tee "$OUT/summary.md"
exit $status
