"""Train-throughput benchmark, PyTorch side: the same U-Net as core/train/model/unet.ts (depth 3,
base 16, conv3x3-BN-ReLU x2 per level, 2x2 max-pool, nearest 2x upsampling, skip concatenation,
1x1 logits head, He-normal init, BN momentum 0.01 = Keras 0.99, eps 1e-3) trained with Adam and
cross-entropy on synthetic data. Prints one JSON line with images/second (wall) and images per
CPU-second (process CPU time, all threads).

Usage: python3 torch_unet.py --size 128 [--batch 8] [--steps 6] [--warmup 2] [--threads N]
"""
import argparse
import json
import time

import torch
from torch import nn


def block(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01), nn.ReLU(inplace=True),
    )


class UNet(nn.Module):
    def __init__(self, in_ch, classes, depth, base):
        super().__init__()
        widths = [base * 2 ** i for i in range(depth + 1)]
        self.enc = nn.ModuleList()
        cin = in_ch
        for w in widths[:-1]:
            self.enc.append(block(cin, w))
            cin = w
        self.bottleneck = block(widths[-2], widths[-1])
        self.dec = nn.ModuleList(block(widths[i + 1] + widths[i], widths[i]) for i in reversed(range(depth)))
        self.pool = nn.MaxPool2d(2)
        self.up = nn.Upsample(scale_factor=2, mode='nearest')
        self.head = nn.Conv2d(base, classes, 1)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, nonlinearity='relu')

    def forward(self, x):
        skips = []
        for enc in self.enc:
            x = enc(x)
            skips.append(x)
            x = self.pool(x)
        x = self.bottleneck(x)
        for dec, skip in zip(self.dec, reversed(skips)):
            x = dec(torch.cat([self.up(x), skip], dim=1))
        return self.head(x)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--size', type=int, default=128)
    p.add_argument('--batch', type=int, default=8)
    p.add_argument('--steps', type=int, default=6)
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--classes', type=int, default=4)
    p.add_argument('--threads', type=int, default=0, help='torch.set_num_threads; 0 keeps the default')
    a = p.parse_args()
    default_threads = a.threads <= 0
    if not default_threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    model = UNet(3, a.classes, 3, 16)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(a.batch, 3, a.size, a.size)
    y = torch.randint(0, a.classes, (a.batch, a.size, a.size))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    t0 = time.perf_counter()
    c0 = time.process_time()
    last = 0.0
    for _ in range(a.steps):
        last = step()
    seconds = time.perf_counter() - t0
    cpu_seconds = time.process_time() - c0
    print(json.dumps({'impl': 'pytorch', 'torch': torch.__version__, 'threads': torch.get_num_threads(),
                      'defaultThreads': default_threads, 'size': a.size,
                      'batch': a.batch, 'steps': a.steps, 'seconds': seconds, 'cpuSeconds': cpu_seconds,
                      'imagesPerSecond': a.batch * a.steps / seconds, 'imagesPerCpuSecond': a.batch * a.steps / cpu_seconds,
                      'loss': last}))


if __name__ == '__main__':
    main()
