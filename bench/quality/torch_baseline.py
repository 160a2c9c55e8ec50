"""PyTorch baseline of the LabelLoop-vs-PyTorch quality comparison (issue 15, part 3).

Trains the U-Net of bench/train-throughput/torch_unet.py (the same architecture as
core/train/model/unet.ts; imported, not copied) on a prepared set's labeled folder
(bench/quality/datasets.ts) for a wall-clock budget, then predicts every eval image with a padded
sliding window and prints ONE JSON line: per-class IoU/F1/precision/recall, mIoU, macro-F1 (means over
the classes present in truth or prediction, as core/train/metrics/scores.ts), rare-class IoU, steps,
seconds and the load average at start and end.

Recipes (--recipe):
  ce-rare-crop  plain cross-entropy, 50 % of tiles centred on a rare-class pixel
  ce-dice       median-frequency weighted CE + soft Dice
  weighted-ce   median-frequency weighted CE
  focal         focal loss, gamma 2, no alpha

Shared: Adam lr 1e-3, linear warm-up over the first 3 % of the budget then cosine to 1 % of it over the
time budget; random tiles of --size with horizontal/vertical flips; per-channel normalisation measured on
the labeled images; label 255 ignored everywhere; dropout (--dropout, LabelLoop's default 0.1) after the
bottleneck and every decoder block as in unet.ts; BN momentum --bn-momentum (PyTorch's default 0.1, so
the running statistics have caught up after a few hundred steps).

Usage: /usr/bin/python3 bench/quality/torch_baseline.py --data bench/.out/quality-data/isbi2012-membrane \
         --recipe ce-rare-crop [--minutes 5] [--size 256] [--batch 8] [--depth 4] [--base 16] [--seed 1] [--threads 2]
"""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'train-throughput'))
from torch_unet import UNet  # noqa: E402  (the shared model; its path is only known at run time)

IGNORE = 255
RECIPES = ('ce-rare-crop', 'ce-dice', 'weighted-ce', 'focal')


class LabelLoopUNet(UNet):
    """torch_unet.UNet plus LabelLoop's dropout placement (after the bottleneck and each decoder block)."""

    def __init__(self, in_ch, classes, depth, base, dropout):
        super().__init__(in_ch, classes, depth, base)
        self.dropout = dropout

    def forward(self, x):
        skips = []
        for enc in self.enc:
            x = enc(x)
            skips.append(x)
            x = self.pool(x)
        x = F.dropout(self.bottleneck(x), self.dropout, self.training)
        for dec, skip in zip(self.dec, reversed(skips)):
            x = F.dropout(dec(torch.cat([self.up(x), skip], dim=1)), self.dropout, self.training)
        return self.head(x)


def load_part(folder, channels):
    """Images (float32 HWC, 0..255) and masks (uint8 HW or None) of one part of a prepared set, by name."""
    names = sorted(os.path.splitext(f)[0] for f in os.listdir(os.path.join(folder, 'images')))
    mode = 'L' if channels == 1 else 'RGB'
    items = []
    for n in names:
        img_file = next(f for f in os.listdir(os.path.join(folder, 'images')) if os.path.splitext(f)[0] == n)
        img = np.asarray(Image.open(os.path.join(folder, 'images', img_file)).convert(mode), dtype=np.float32)
        if img.ndim == 2:
            img = img[:, :, None]
        mask_file = os.path.join(folder, 'masks', n + '.png')
        mask = np.asarray(Image.open(mask_file), dtype=np.uint8) if os.path.exists(mask_file) else None
        items.append((n, img, mask))
    return items


def median_frequency_weights(masks, classes):
    """SegNet's median-frequency balancing: freq_c = pixels of c / pixels of images containing c, w_c = median(freq) / freq_c."""
    pixels = np.zeros(classes)
    containing = np.zeros(classes)
    for m in masks:
        counts = np.bincount(m[m != IGNORE].ravel(), minlength=classes)[:classes]
        pixels += counts
        containing += np.where(counts > 0, counts.sum(), 0)
    freq = np.where(containing > 0, pixels / np.maximum(containing, 1), 0)
    med = np.median(freq[freq > 0])
    return np.where(freq > 0, med / np.maximum(freq, 1e-12), 0.0).astype(np.float32)


class TileSampler:
    """Random tiles of `size` (padded with 0 after normalisation / label 255) with flips, optionally rare-centred."""

    def __init__(self, images, masks, size, rare, rare_share, rng):
        self.images, self.masks, self.size, self.rare_share, self.rng = images, masks, size, rare_share, rng
        self.rare_pixels = [np.argwhere(m == rare) for m in masks]
        self.with_rare = [i for i, p in enumerate(self.rare_pixels) if len(p) > 0]

    def tile(self):
        s = self.size
        if self.with_rare and self.rng.random() < self.rare_share:
            i = self.with_rare[self.rng.integers(len(self.with_rare))]
            cy, cx = self.rare_pixels[i][self.rng.integers(len(self.rare_pixels[i]))]
            img, m = self.images[i], self.masks[i]
            y0 = int(np.clip(cy - s // 2, 0, max(0, m.shape[0] - s)))
            x0 = int(np.clip(cx - s // 2, 0, max(0, m.shape[1] - s)))
        else:
            i = self.rng.integers(len(self.images))
            img, m = self.images[i], self.masks[i]
            y0 = int(self.rng.integers(max(1, m.shape[0] - s + 1)))
            x0 = int(self.rng.integers(max(1, m.shape[1] - s + 1)))
        x = np.zeros((s, s, img.shape[2]), np.float32)
        y = np.full((s, s), IGNORE, np.uint8)
        crop = img[y0:y0 + s, x0:x0 + s]
        x[:crop.shape[0], :crop.shape[1]] = crop
        y[:crop.shape[0], :crop.shape[1]] = m[y0:y0 + s, x0:x0 + s]
        if self.rng.random() < 0.5:
            x, y = x[:, ::-1], y[:, ::-1]
        if self.rng.random() < 0.5:
            x, y = x[::-1], y[::-1]
        return x, y

    def batch(self, n):
        tiles = [self.tile() for _ in range(n)]
        x = torch.from_numpy(np.stack([t[0] for t in tiles]).transpose(0, 3, 1, 2).copy())
        y = torch.from_numpy(np.stack([t[1] for t in tiles]).astype(np.int64))
        return x, y


def soft_dice(logits, y, classes):
    """1 − mean over classes of (2 Σ p·t + 1) / (Σ p + Σ t + 1) over the batch's labeled pixels."""
    valid = (y != IGNORE).unsqueeze(1).float()
    p = logits.softmax(1) * valid
    t = F.one_hot(y.clamp(max=classes - 1), classes).permute(0, 3, 1, 2).float() * valid
    inter = (p * t).sum((0, 2, 3))
    return 1 - ((2 * inter + 1) / (p.sum((0, 2, 3)) + t.sum((0, 2, 3)) + 1)).mean()


def focal(logits, y, gamma):
    """FL = −(1 − p_t)^γ log p_t, mean over labeled pixels."""
    logp = F.log_softmax(logits, 1)
    valid = y != IGNORE
    logpt = logp.gather(1, y.clamp(max=logits.shape[1] - 1).unsqueeze(1)).squeeze(1)[valid]
    return (-(1 - logpt.exp()) ** gamma * logpt).mean()


def loss_fn(recipe, weights, classes):
    w = torch.from_numpy(weights)
    if recipe == 'ce-rare-crop':
        return lambda lo, y: F.cross_entropy(lo, y, ignore_index=IGNORE)
    if recipe == 'weighted-ce':
        return lambda lo, y: F.cross_entropy(lo, y, weight=w, ignore_index=IGNORE)
    if recipe == 'ce-dice':
        return lambda lo, y: F.cross_entropy(lo, y, weight=w, ignore_index=IGNORE) + soft_dice(lo, y, classes)
    return lambda lo, y: focal(lo, y, 2.0)


def learning_rate(base, elapsed, budget):
    """Linear warm-up over 3 % of the time budget, then cosine from `base` to 1 % of it at the budget's end."""
    t = min(1.0, elapsed / budget)
    if t < 0.03:
        return base * max(0.05, t / 0.03)
    return base * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * (t - 0.03) / 0.97)))


def windows(length, size, stride):
    """Window starts covering [0, length) with tiles of `size`: every `stride`, plus one flush with the end."""
    if length <= size:
        return [0]
    starts = list(range(0, length - size + 1, stride))
    return starts if starts[-1] == length - size else starts + [length - size]


@torch.no_grad()
def predict(model, img, size, classes, depth):
    """Arg-max of softmax probabilities averaged over overlapping tiles (overlap size/4, padded with 0)."""
    h, w, c = img.shape
    unit = 2 ** depth
    ph, pw = max(h, size), max(w, size)
    ph, pw = ph + (-ph) % unit, pw + (-pw) % unit
    x = torch.zeros(1, c, ph, pw)
    x[0, :, :h, :w] = torch.from_numpy(img.transpose(2, 0, 1).copy())
    t = min(size, ph, pw)
    stride = max(1, t - t // 4)
    probs = torch.zeros(classes, ph, pw)
    hits = torch.zeros(1, ph, pw)
    boxes = [(y0, x0) for y0 in windows(ph, t, stride) for x0 in windows(pw, t, stride)]
    for i in range(0, len(boxes), 4):
        group = boxes[i:i + 4]
        out = model(torch.cat([x[:, :, y0:y0 + t, x0:x0 + t] for y0, x0 in group])).softmax(1)
        for (y0, x0), p in zip(group, out):
            probs[:, y0:y0 + t, x0:x0 + t] += p
            hits[:, y0:y0 + t, x0:x0 + t] += 1
    return (probs / hits).argmax(0)[:h, :w].numpy().astype(np.uint8)


def scores(confusion, names, rare):
    """Per-class and mean scores of a confusion matrix (rows = truth), means over present classes."""
    per_class = []
    for k, name in enumerate(names):
        tp = float(confusion[k, k])
        fp = float(confusion[:, k].sum()) - tp
        fn = float(confusion[k, :].sum()) - tp
        r = lambda a, b: a / b if b > 0 else 0.0  # noqa: E731
        per_class.append({'index': k, 'name': name, 'iou': r(tp, tp + fp + fn), 'f1': r(2 * tp, 2 * tp + fp + fn),
                          'precision': r(tp, tp + fp), 'recall': r(tp, tp + fn), 'present': tp + fp + fn > 0})
    present = [c for c in per_class if c['present']] or per_class
    return {'perClass': per_class, 'mIoU': sum(c['iou'] for c in present) / len(present),
            'macroF1': sum(c['f1'] for c in present) / len(present), 'rareIoU': per_class[rare]['iou'],
            'rareF1': per_class[rare]['f1']}


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--data', required=True, help='a prepared set: bench/.out/quality-data/<set>')
    p.add_argument('--recipe', choices=RECIPES, required=True)
    p.add_argument('--minutes', type=float, default=5)
    p.add_argument('--size', type=int, default=256)
    p.add_argument('--batch', type=int, default=8)
    p.add_argument('--depth', type=int, default=4)
    p.add_argument('--base', type=int, default=16)
    p.add_argument('--dropout', type=float, default=0.1)
    p.add_argument('--bn-momentum', type=float, default=0.1)
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--threads', type=int, default=2)
    a = p.parse_args()
    load_start = os.getloadavg()
    torch.set_num_threads(a.threads)
    random.seed(a.seed)
    np.random.seed(a.seed)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    with open(os.path.join(a.data, 'split.json')) as f:
        split = json.load(f)
    names, rare, channels = split['classes'], split['rareClass']['index'], split['channels']
    classes = len(names)

    labeled = load_part(os.path.join(a.data, 'labeled'), channels)
    stack = np.concatenate([img.reshape(-1, channels) for _, img, _ in labeled])
    mean, std = stack.mean(0), np.maximum(stack.std(0), 1e-6)
    norm = lambda img: ((img - mean) / std).astype(np.float32)  # noqa: E731
    masks = [m for _, _, m in labeled]
    weights = median_frequency_weights(masks, classes)
    sampler = TileSampler([norm(img) for _, img, _ in labeled], masks, a.size, rare,
                          0.5 if a.recipe == 'ce-rare-crop' else 0.0, rng)

    model = LabelLoopUNet(channels, classes, a.depth, a.base, a.dropout)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.momentum = a.bn_momentum
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    criterion = loss_fn(a.recipe, weights, classes)
    budget = a.minutes * 60
    model.train()
    steps, losses = 0, []
    t0 = time.perf_counter()
    while (elapsed := time.perf_counter() - t0) < budget:
        for group in opt.param_groups:
            group['lr'] = learning_rate(a.lr, elapsed, budget)
        x, y = sampler.batch(a.batch)
        opt.zero_grad(set_to_none=True)
        loss = criterion(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        steps += 1
    train_seconds = time.perf_counter() - t0

    model.eval()
    t1 = time.perf_counter()
    confusion = np.zeros((classes, classes), np.int64)
    evaluated = load_part(os.path.join(a.data, 'eval'), channels)
    for _, img, truth in evaluated:
        pred = predict(model, norm(img), a.size, classes, a.depth)
        valid = truth != IGNORE
        confusion += np.bincount(truth[valid].astype(np.int64) * classes + pred[valid], minlength=classes * classes).reshape(classes, classes)
    tail = losses[-max(1, len(losses) // 10):]
    print(json.dumps({
        'impl': 'pytorch', 'torch': torch.__version__, 'set': split['set'], 'recipe': a.recipe, 'seed': a.seed,
        'config': {'minutes': a.minutes, 'size': a.size, 'batch': a.batch, 'depth': a.depth, 'base': a.base,
                   'dropout': a.dropout, 'bnMomentum': a.bn_momentum, 'lr': a.lr, 'threads': torch.get_num_threads(),
                   'classWeights': weights.tolist() if a.recipe in ('ce-dice', 'weighted-ce') else None},
        'rareClass': split['rareClass'], **scores(confusion, names, rare), 'confusion': confusion.tolist(),
        'evalImages': len(evaluated), 'steps': steps, 'trainSeconds': train_seconds,
        'predictSeconds': time.perf_counter() - t1, 'finalLoss': sum(tail) / len(tail) if tail else None,
        'loadStart': list(load_start), 'loadEnd': list(os.getloadavg()),
    }))


if __name__ == '__main__':
    main()
