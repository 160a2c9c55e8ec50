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
            key = 'LabelLoop (%s)' % r['backend']
        runs[(r['size'], key)].append(r['imagesPerSecond'])
    sizes = sorted({s for s, _ in runs})
    print('| size | implementation | runs | best img/s | median img/s |')
    print('|---|---|---|---|---|')
    for size in sizes:
        for (s, key), v in sorted(runs.items()):
            if s == size:
                print('| %d | %s | %d | %.2f | %.2f |' % (size, key, len(v), max(v), statistics.median(v)))
    print()
    print('| size | ratio LabelLoop / PyTorch (best vs best) | (median vs median) |')
    print('|---|---|---|')
    for size in sizes:
        ours = [v for (s, k), v in runs.items() if s == size and k.startswith('LabelLoop')]
        for (s, key), v in sorted(runs.items()):
            if s == size and key.startswith('PyTorch') and ours:
                print('| %d | %.2f vs %s | %.2f |' % (size, max(ours[0]) / max(v), key, statistics.median(ours[0]) / statistics.median(v)))


if __name__ == '__main__':
    main(sys.argv[1])
