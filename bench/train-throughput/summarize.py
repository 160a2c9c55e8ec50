"""Summarises bench/train-throughput results (one JSON object per line) as a Markdown table:
best and median images/second per implementation and size, and the LabelLoop/PyTorch ratios.

Usage: python3 summarize.py results.jsonl
"""
import json
import statistics
import sys
from collections import defaultdict


def main(path):
    runs = defaultdict(list)
    for line in open(path):
        line = line.strip()
        if not line.startswith('{'):
            continue
        r = json.loads(line)
        if r['impl'] == 'pytorch':
            key = 'PyTorch, %d thread%s%s' % (r['threads'], '' if r['threads'] == 1 else 's', ' (default)' if r.get('defaultThreads') else '')
        else:
            w = r.get('workers', 1)
            key = 'LabelLoop (%s, %d thread%s%s)' % (r['backend'], w, '' if w == 1 else 's', ' (default)' if r.get('defaultWorkers') else '')
        runs[(r['size'], key)].append((r['imagesPerSecond'], r['imagesPerCpuSecond']))
    sizes = sorted({s for s, _ in runs})
    print('| size | implementation | runs | wall img/s: best | median | img per CPU-second: best | median |')
    print('|---|---|---|---|---|---|---|')
    for size in sizes:
        for (s, key), v in sorted(runs.items()):
            if s == size:
                wall = [w for w, _ in v]
                cpu = [c for _, c in v]
                print('| %d | %s | %d | %.2f | %.2f | %.2f | %.2f |' % (
                    size, key, len(v), max(wall), statistics.median(wall), max(cpu), statistics.median(cpu)))
    print()
    print('| size | LabelLoop / PyTorch | wall, best vs best | wall, median vs median | per CPU-second, best vs best |')
    print('|---|---|---|---|---|')
    for size in sizes:
        for (so, ours_key), o in sorted(runs.items()):
            if so != size or not ours_key.startswith('LabelLoop'):
                continue
            for (s, key), v in sorted(runs.items()):
                if s == size and key.startswith('PyTorch'):
                    print('| %d | %s vs %s | %.2f | %.2f | %.2f |' % (
                        size, ours_key, key, max(w for w, _ in o) / max(w for w, _ in v),
                        statistics.median([w for w, _ in o]) / statistics.median([w for w, _ in v]),
                        max(c for _, c in o) / max(c for _, c in v)))

if __name__ == '__main__':
    main(sys.argv[1])
