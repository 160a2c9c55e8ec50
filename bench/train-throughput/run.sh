#!/usr/bin/env bash
# Train-throughput benchmark: LabelLoop's U-Net (depth 3, base 16, batch 8) on LabelLoop's default
# backend vs the same U-Net in PyTorch CPU, at 128x128 and 256x256. Runs are interleaved (LabelLoop
# with its default data-parallel threads, LabelLoop on 1 thread, PyTorch 1 thread, PyTorch default
# threads, PyTorch 2 threads, repeated) so that load from other processes hits all
# of them alike; the summary gives best and median images/second and the ratios.
#
# Usage (from anywhere): bash bench/train-throughput/run.sh [repeats=2]
# Results: bench/.out/train-throughput/results.jsonl and summary.md
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"
REPEATS="${1:-2}"
HERE=bench/train-throughput
OUT=bench/.out/train-throughput
mkdir -p "$OUT"
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"

if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
  $SUDO apt-get install -y python3-torch
fi

DEFAULT_THREADS="$(/usr/bin/python3 -c 'import torch; print(torch.get_num_threads())')"
echo "node $(node --version); torch default threads: $DEFAULT_THREADS; nproc: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/env.txt"

for size in 128 256; do
  if [ "$size" = 128 ]; then steps=4; else steps=2; fi
  for _ in $(seq "$REPEATS"); do
    tsx "$HERE/tfjs-unet.ts" --size "$size" --steps "$steps" --warmup 2 2>/dev/null | grep '^{' | tee -a "$RESULTS"
    if [ "$(nproc)" -gt 1 ]; then
      tsx "$HERE/tfjs-unet.ts" --size "$size" --steps "$steps" --warmup 2 --workers 1 2>/dev/null | grep '^{' | tee -a "$RESULTS"
    fi
    /usr/bin/python3 "$HERE/torch_unet.py" --size "$size" --steps "$steps" --warmup 2 --threads 1 | tee -a "$RESULTS"
    /usr/bin/python3 "$HERE/torch_unet.py" --size "$size" --steps "$steps" --warmup 2 | tee -a "$RESULTS"
    if [ "$DEFAULT_THREADS" != 2 ]; then
      /usr/bin/python3 "$HERE/torch_unet.py" --size "$size" --steps "$steps" --warmup 2 --threads 2 | tee -a "$RESULTS"
    fi
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/env.txt"
/usr/bin/python3 "$HERE/summarize.py" "$RESULTS" | tee "$OUT/summary.md"
