"""PyTorch side of bench/gpu/run.sh: the U-Net of bench/train-throughput/torch_unet.py (the same
network as core/train/model/unet.ts), trained with Adam and cross-entropy on synthetic data on one
device (cuda or cpu) for a fixed time after warm-up steps. Prints one JSON line with images/second.

Usage: python3 torch_device.py --device cuda --size 256 [--batch 8] [--seconds 10] [--warmup 2]
"""
import argparse
import json
import os
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'train-throughput'))
from torch_unet import UNet  # noqa: E402  (the benchmark network, imported rather than copied)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--device', default='cuda')
    p.add_argument('--size', type=int, default=256)
    p.add_argument('--batch', type=int, default=8)
    p.add_argument('--seconds', type=float, default=10)
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--classes', type=int, default=4)
    a = p.parse_args()
    dev = torch.device(a.device)
    sync = torch.cuda.synchronize if dev.type == 'cuda' else (lambda: None)
    torch.manual_seed(1)
    model = UNet(3, a.classes, 3, 16).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(a.batch, 3, a.size, a.size, device=dev)
    y = torch.randint(0, a.classes, (a.batch, a.size, a.size), device=dev)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    for _ in range(a.warmup):
        step()
    sync()
    t0 = time.perf_counter()
    steps = 0
    while steps == 0 or time.perf_counter() - t0 < a.seconds:
        loss = step()
        sync()
        steps += 1
    seconds = time.perf_counter() - t0
    name = torch.cuda.get_device_name(dev) if dev.type == 'cuda' else f'CPU ({torch.get_num_threads()} threads)'
    print(json.dumps({'impl': 'pytorch', 'torch': torch.__version__, 'device': name, 'size': a.size, 'batch': a.batch,
                      'steps': steps, 'seconds': seconds, 'imagesPerSecond': a.batch * steps / seconds, 'loss': loss.item()}))


if __name__ == '__main__':
    main()
