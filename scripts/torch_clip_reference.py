#!/usr/bin/env python3
"""PyTorch reference of the CLIP training step that `cliplab bench train` times (scripts/gpu-check.sh compares them).

Same architecture as ClipLab's ViT + causal text transformer (pre-norm blocks, fused QKV, SDPA, GELU MLP, class-token
image pooling, end-of-text text pooling, bias-free projections, learnable temperature), synthetic inputs, AdamW
(fused on CUDA), bf16 through torch.autocast. --compile wraps the model in torch.compile.
Prints one JSON line: samples_per_second, step_ms_median, fwd_gmacs_per_sample.
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, width, heads, causal):
        super().__init__()
        self.heads, self.causal = heads, causal
        self.ln_1, self.ln_2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.in_proj, self.out_proj = nn.Linear(width, 3 * width), nn.Linear(width, width)
        self.c_fc, self.c_proj = nn.Linear(width, 4 * width), nn.Linear(4 * width, width)

    def forward(self, x):
        b, n, w = x.shape
        q, k, v = self.in_proj(self.ln_1(x)).view(b, n, 3, self.heads, w // self.heads).permute(2, 0, 3, 1, 4)
        attended = F.scaled_dot_product_attention(q, k, v, is_causal=self.causal)
        x = x + self.out_proj(attended.transpose(1, 2).reshape(b, n, w))
        return x + self.c_proj(F.gelu(self.c_fc(self.ln_2(x))))


class Clip(nn.Module):
    def __init__(self, a):
        super().__init__()
        patches = (a.img // a.patch) ** 2
        self.conv1 = nn.Conv2d(3, a.vw, a.patch, a.patch, bias=False)
        self.class_embedding = nn.Parameter(torch.randn(a.vw) * a.vw ** -0.5)
        self.vpos = nn.Parameter(torch.randn(patches + 1, a.vw) * a.vw ** -0.5)
        self.vblocks = nn.Sequential(*[Block(a.vw, a.vh, False) for _ in range(a.vd)])
        self.ln_post, self.vproj = nn.LayerNorm(a.vw), nn.Linear(a.vw, a.embed, bias=False)
        self.tok = nn.Embedding(a.vocab, a.tw)
        self.tpos = nn.Parameter(torch.randn(a.ctx, a.tw) * 0.01)
        self.tblocks = nn.Sequential(*[Block(a.tw, a.th, True) for _ in range(a.td)])
        self.ln_final, self.tproj = nn.LayerNorm(a.tw), nn.Linear(a.tw, a.embed, bias=False)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def forward(self, images, tokens, eot):
        x = self.conv1(images).flatten(2).transpose(1, 2) + self.vpos[1:]
        cls = (self.class_embedding + self.vpos[0]).expand(x.shape[0], 1, -1)
        x = self.vblocks(torch.cat([cls, x], 1))
        image = F.normalize(self.vproj(self.ln_post(x[:, 0])).float(), dim=-1)
        t = self.tblocks(self.tok(tokens) + self.tpos)
        pooled = t[torch.arange(t.shape[0], device=t.device), eot]
        text = F.normalize(self.tproj(self.ln_final(pooled)).float(), dim=-1)
        logits = self.logit_scale.float().exp() * image @ text.t()
        labels = torch.arange(logits.shape[0], device=logits.device)
        return (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2


def gmacs(a):
    n = (a.img // a.patch) ** 2 + 1
    vision = a.vd * (n * 12 * a.vw ** 2 + 2 * n * n * a.vw) + (n - 1) * 3 * a.patch ** 2 * a.vw + a.vw * a.embed
    text = a.td * (a.ctx * 12 * a.tw ** 2 + 2 * a.ctx * a.ctx * a.tw) + a.tw * a.embed
    return (vision + text) / 1e9


def main():
    p = argparse.ArgumentParser(description=__doc__)
    for key, default in dict(img=224, patch=32, vw=768, vd=12, vh=12, tw=768, td=12, th=12, ctx=16, vocab=32000,
                             embed=512, batch=512, steps=10, warmup=3, threads=0).items():
        p.add_argument("--" + key, type=int, default=default)
    p.add_argument("--device", default="cuda")
    p.add_argument("--precision", choices=["fp32", "bf16"], default="bf16")
    p.add_argument("--compile", action="store_true")
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    device = torch.device(a.device)
    model = Clip(a).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.1, fused=device.type == "cuda")
    step_model = torch.compile(model) if a.compile else model
    images = torch.rand(a.batch, 3, a.img, a.img, device=device) * 2 - 1
    tokens = torch.randint(1, a.vocab, (a.batch, a.ctx), device=device)
    eot = torch.full((a.batch,), a.ctx - 1, device=device)
    times = []
    for i in range(a.warmup + a.steps):
        start = time.perf_counter()
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=a.precision == "bf16"):
            loss = step_model(images, tokens, eot)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        loss.item()  # as ClipLab reads the loss every step (and this waits for the GPU)
        if i >= a.warmup:
            times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(json.dumps(dict(impl="pytorch-compile" if a.compile else "pytorch-eager", device=a.device, torch=torch.__version__,
                          precision=a.precision, batch=a.batch, samples_per_second=a.batch / median,
                          step_ms_median=median * 1e3, fwd_gmacs_per_sample=gmacs(a))))


if __name__ == "__main__":
    main()
