#!/usr/bin/env bash
# GPU benchmark: training img/s of LabelLoop's U-Net (depth 3, base 16, batch 8, Adam, cross-entropy)
# at 128² and 256² on every tfjs backend that loads on this machine (tfjs-node-gpu on CUDA,
# tfjs-node, wasm, cpu; each in its own process, one thread), side by side with the same U-Net in
# PyTorch on the same device: CUDA when torch sees a CUDA device, and CPU when torch is installed.
# Runs unattended: installs the repo's dependencies with the README's `npm install` when node_modules
# is missing, never prompts, and skips what is absent (saying so).
#
# Usage (from anywhere): bash bench/gpu/run.sh [seconds per measurement=10]
# (BENCH_BACKENDS="tensorflow-gpu wasm" limits the tfjs backends measured.)
# Output: a table on stdout; raw JSON lines in bench/.out/gpu/results.jsonl.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH="${1:-10}"
OUT=bench/.out/gpu
mkdir -p "$OUT"
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"

if [ ! -x node_modules/.bin/node ] || [ ! -d node_modules/tsx ]; then
  echo "bench/gpu: node_modules is missing; running npm install" >&2
  npm install --no-audit --no-fund >&2
fi
NODE=node_modules/.bin/node
echo "machine: $(uname -sm), $(nproc) cores; node $($NODE --version); load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')" | tee "$OUT/env.txt"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | sed 's/^/gpu: /' | tee -a "$OUT/env.txt"
else
  echo "gpu: nvidia-smi not found" | tee -a "$OUT/env.txt"
fi

LIMIT=$((SECONDS_EACH * 4 + 300))
for backend in ${BENCH_BACKENDS:-tensorflow-gpu tensorflow wasm cpu}; do
  echo "bench/gpu: $backend…" >&2
  # The plain-JS cpu backend needs minutes per 256² step; the limit keeps the script unattended, and
  # the last line printed before it (the load, and each finished size) is kept.
  line="$(timeout "$LIMIT" "$NODE" --import tsx core/train/devices/probe-entry.ts "$backend" --sizes 128,256 --seconds "$SECONDS_EACH" 2>/dev/null | grep '^{"backend"' | tail -1 || true)"
  if [ -z "$line" ]; then line="{\"backend\":\"$backend\",\"loads\":false,\"reason\":\"the check did not finish within $LIMIT s\",\"step\":\"\"}"; fi
  echo "$line" >> "$RESULTS"
done

PY="$(command -v python3 || true)"
if [ -n "$PY" ] && "$PY" -c 'import torch' 2>/dev/null; then
  devices=cpu
  if "$PY" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)'; then devices="cuda cpu"; fi
  for device in $devices; do
    for size in 128 256; do
      echo "bench/gpu: pytorch $device ${size}²…" >&2
      "$PY" bench/gpu/torch_device.py --device "$device" --size "$size" --seconds "$SECONDS_EACH" >> "$RESULTS" || echo "bench/gpu: pytorch $device ${size}² failed" >&2
    done
  done
else
  echo "bench/gpu: PyTorch is not installed: no PyTorch column (pip install torch to add it)" >&2
fi

"$NODE" bench/gpu/summarize.mjs "$RESULTS" | tee "$OUT/summary.md"
