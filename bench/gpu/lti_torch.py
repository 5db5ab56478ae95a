"""PyTorch peers of bench/gpu/lti.ts on the same GPU (CUDA), timed the same way.

Each timed call ends with torch.cuda.synchronize() and .cpu() of the result (the readback
the tfjs side pays with `await y.data()`); the value is the median of several calls after
a warm-up. Sizes L = 1024, 4096, 16384; shapes as bench/cases.ts: the convolution u, K (L);
the recurrence n = 16 (a dense stable A); attention causal, d_k = d_v = 16.

  fftconv_torch_fft        y = irfft(rfft(u, N) * rfft(K, N), N)[:L], N = 2^ceil(log2 2L)
  recurrence_torch_loop    x_k = A x_{k-1} + B u_k, y_k = C x_k, a Python loop over k
  recurrence_torch_scan    the same as a log-depth (Hillis-Steele) scan: ceil(log2 L) steps
                           S[:, d:] += A^d S[:, :-d], A^d squared each step, then y = C S
  attention_torch_ops      softmax(q k^T / sqrt(d) + causal mask) v from torch ops
  attention_torch_sdpa     F.scaled_dot_product_attention(..., is_causal=True)

Each is first checked against a float64 NumPy loop at L = 1000 (a known answer).
Prints one JSON object on stdout ({"device", "torch", "cells": [{kernel, L, ms}], ...});
`--out FILE` also writes it. `--device cpu` runs it without a GPU (for a quick check).
"""
import argparse
import json
import math
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

SIZES = [1024, 4096, 16384]


def system(n=16, seed=0):
    """A stable dense A (rotations with radius 0.95..0.99 plus a small coupling), B, C."""
    A = np.zeros((n, n))
    for i in range(0, n, 2):
        r, th = 0.95 + 0.04 * i / n, 0.1 + i / n
        A[i:i + 2, i:i + 2] = r * np.array([[math.cos(th), -math.sin(th)], [math.sin(th), math.cos(th)]])
    A += 0.01 * np.eye(n, k=1)
    rng = np.random.default_rng(seed)
    return A, rng.uniform(-1, 1, n), rng.uniform(-1, 1, n)


def fftconv(u, K):
    L = u.shape[-1]
    N = 1 << (2 * L - 1).bit_length()
    return torch.fft.irfft(torch.fft.rfft(u, n=N) * torch.fft.rfft(K, n=N), n=N)[..., :L]


def recurrence_loop(A, B, C, u):
    x = torch.zeros(A.shape[0], device=u.device, dtype=u.dtype)
    ys = []
    for k in range(u.shape[0]):
        x = A @ x + B * u[k]
        ys.append(C @ x)
    return torch.stack(ys)


def recurrence_scan(A, B, C, u):
    S = B[:, None] * u[None, :]  # (n, L): B u_k
    P = A
    d = 1
    L = u.shape[0]
    while d < L:
        S = torch.cat([S[:, :d], S[:, d:] + P @ S[:, :-d]], dim=1)
        P = P @ P
        d *= 2
    return C @ S


def attention_ops(q, k, v):
    L, d = q.shape
    s = (q @ k.T) / math.sqrt(d)
    mask = torch.ones(L, L, dtype=torch.bool, device=q.device).tril()
    s = s.masked_fill(~mask, float("-inf"))
    return torch.softmax(s, dim=-1) @ v


def attention_sdpa(q, k, v):
    return F.scaled_dot_product_attention(q[None, None], k[None, None], v[None, None], is_causal=True)[0, 0]


def timed(f, device, reps=7, budget_s=3.0):
    """Median ms of f() + synchronize + .cpu(), after one untimed warm-up call."""
    def once():
        t0 = time.perf_counter()
        y = f()
        if device == "cuda":
            torch.cuda.synchronize()
        y.cpu()
        return (time.perf_counter() - t0) * 1e3
    first = once()
    ts, start = [], time.perf_counter()
    while len(ts) < reps and (not ts or time.perf_counter() - start < budget_s):
        ts.append(once())
    return statistics.median(ts), len(ts), first


def known_answers(device):
    rng = np.random.default_rng(1)
    L, n, d = 1000, 16, 16
    u, K = rng.uniform(-1, 1, L), rng.uniform(-1, 1, L)
    conv = np.array([sum(K[j] * u[k - j] for j in range(k + 1)) for k in range(L)])
    A, B, C = system(n)
    x, rec = np.zeros(n), np.zeros(L)
    for k in range(L):
        x = A @ x + B * u[k]
        rec[k] = C @ x
    q, kk, v = (rng.uniform(-1, 1, (L, d)) for _ in range(3))
    s = q @ kk.T / math.sqrt(d)
    s[np.triu_indices(L, 1)] = -np.inf
    w = np.exp(s - s.max(1, keepdims=True))
    att = (w / w.sum(1, keepdims=True)) @ v
    t = lambda a: torch.tensor(a, dtype=torch.float32, device=device)
    err = lambda got, want: float(np.abs(got.cpu().numpy() - want).max() / max(1.0, np.abs(want).max()))
    return {
        "fftconv_torch_fft": err(fftconv(t(u), t(K)), conv),
        "recurrence_torch_loop": err(recurrence_loop(t(A), t(B), t(C), t(u)), rec),
        "recurrence_torch_scan": err(recurrence_scan(t(A), t(B), t(C), t(u)), rec),
        "attention_torch_ops": err(attention_ops(t(q), t(kk), t(v)), att),
        "attention_torch_sdpa": err(attention_sdpa(t(q), t(kk), t(v)), att),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)))
    ap.add_argument("--out")
    args = ap.parse_args()
    device = args.device
    sizes = [int(s) for s in args.sizes.split(",")]
    torch.manual_seed(0)
    checks = known_answers(device)
    bad = {k: e for k, e in checks.items() if not e < 1e-4}
    if bad:
        sys.exit(f"known-answer check failed: {bad}")
    A, B, C = (torch.tensor(a, dtype=torch.float32, device=device) for a in system())
    cells = []
    for L in sizes:
        g = torch.Generator(device="cpu").manual_seed(L)
        rnd = lambda *shape: (torch.rand(*shape, generator=g) * 2 - 1).to(device)
        u, K = rnd(L), rnd(L)
        q, k, v = rnd(L, 16), rnd(L, 16), rnd(L, 16)
        cases = {
            "fftconv_torch_fft": lambda: fftconv(u, K),
            "recurrence_torch_loop": lambda: recurrence_loop(A, B, C, u),
            "recurrence_torch_scan": lambda: recurrence_scan(A, B, C, u),
            "attention_torch_ops": lambda: attention_ops(q, k, v),
            "attention_torch_sdpa": lambda: attention_sdpa(q, k, v),
        }
        for name, f in cases.items():
            try:
                ms, reps, first = timed(f, device, reps=3 if "loop" in name else 7)
                cells.append({"kernel": name, "L": L, "ms": ms, "reps": reps, "firstMs": first})
            except Exception as e:  # e.g. out of memory for the l x l matrices
                cells.append({"kernel": name, "L": L, "ms": None, "note": f"error: {str(e)[:120]}"})
            print(f"  torch {name:24s} L={L:<6d} {cells[-1]['ms'] if cells[-1]['ms'] is None else round(cells[-1]['ms'], 3)} ms", file=sys.stderr)
    res = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "torch": torch.__version__,
        "device": torch.cuda.get_device_name() if device == "cuda" else "cpu", "sizes": sizes,
        "knownAnswerMaxRelError": checks, "cells": cells,
    }
    if args.out:
        with open(args.out, "w") as fh:
            json.dump(res, fh, indent=1)
    print(json.dumps(res))


if __name__ == "__main__":
    main()
