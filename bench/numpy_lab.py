#!/usr/bin/env python3
"""numpy baselines for the /lab page: the same sizes and shapes as the site's benchmark cases
(src/lessons/benchCases.ts), timed on the machine that runs this script, written as JSON for
the page's data loader (src/data/lab.json.js) to show beside the reader's rows.

    python3 bench/numpy_lab.py > bench/results/numpy-lab.json

Each row is a numpy program for the same result as a case: loops over l where the case's
plain-JS baseline loops (the recurrence, the selective scan, linear attention's recurrent
form), numpy's own vectorised routine where there is one (np.convolve for the direct
convolution, np.fft.rfft for the FFT convolution, a masked matmul for softmax attention).
float32, seeded; median of 3 runs after one warm-up (a single run for cells over 2 s)."""
import json
import os
import platform
import sys
import time
from datetime import datetime, timezone

import numpy as np

from numpy_selective import scan as selective_scan

SIZES = [256, 1024, 4096, 16384]
rng = np.random.default_rng(0)
f32 = np.float32


def system(n=16):
    """A stable n-state system: 2x2 rotation blocks of radius 0.95..0.99 (as benchCases.ts)."""
    Ab = np.zeros((n, n), f32)
    for i in range(0, n, 2):
        r, th = 0.95 + 0.04 * (i / n), 0.1 + i / n
        Ab[i:i + 2, i:i + 2] = [[r * np.cos(th), -r * np.sin(th)], [r * np.sin(th), r * np.cos(th)]]
    return Ab, rng.uniform(-1, 1, n).astype(f32), rng.uniform(-1, 1, n).astype(f32)


def recurrence(Ab, Bb, C, u):
    """x_k = Ab x_{k-1} + Bb u_k, y_k = C x_k, a Python loop over k."""
    x = np.zeros(Ab.shape[0], f32)
    y = np.empty(u.shape[0], f32)
    for k in range(u.shape[0]):
        x = Ab @ x + Bb * u[k]
        y[k] = C @ x
    return y


def fft_conv(u, K):
    L = u.shape[0]
    m = 1 << (2 * L - 1).bit_length()
    return np.fft.irfft(np.fft.rfft(u, m) * np.fft.rfft(K, m), m)[:L].astype(f32)


def softmax_attention(q, k, v):
    s = (q @ k.T) / np.sqrt(q.shape[1]).astype(f32)
    s[np.triu_indices(s.shape[0], 1)] = -np.inf
    s = np.exp(s - s.max(axis=1, keepdims=True))
    return (s / s.sum(axis=1, keepdims=True)) @ v


def linear_attention_recurrent(q, k, v, decay=0.99):
    """S_t = decay S_{t-1} + phi(k_t) v_t^T, y_t = phi(q_t) S_t / (phi(q_t) z_t) with phi = elu + 1."""
    phi = lambda x: np.where(x > 0, x + 1, np.exp(x)).astype(f32)
    fq, fk = phi(q), phi(k)
    S = np.zeros((q.shape[1], v.shape[1]), f32)
    z = np.zeros(q.shape[1], f32)
    y = np.empty_like(v)
    for t in range(q.shape[0]):
        S = decay * S + np.outer(fk[t], v[t])
        z = decay * z + fk[t]
        y[t] = (fq[t] @ S) / (fq[t] @ z)
    return y


def timed(fn):
    t0 = time.perf_counter()
    fn()
    first = (time.perf_counter() - t0) * 1000
    if first > 2000:
        return first, 1
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return float(np.median(times)), 3


def main():
    Ab, Bb, C = system()
    cases = {
        "ssmRecurrent": ("Python loop over l, 16x16 matvec per step", lambda L: (lambda u: lambda: recurrence(Ab, Bb, C, u))(rng.uniform(-1, 1, L).astype(f32))),
        "causalConvDirect": ("np.convolve (direct)", lambda L: (lambda u, K: lambda: np.convolve(u, K)[:L])(*rng.uniform(-1, 1, (2, L)).astype(f32))),
        "causalConvFFT": ("np.fft.rfft / irfft (pocketfft)", lambda L: (lambda u, K: lambda: fft_conv(u, K))(*rng.uniform(-1, 1, (2, L)).astype(f32))),
        "softmaxAttention": ("masked matmul, softmax (d = 16)", lambda L: (lambda x: lambda: softmax_attention(x[0], x[1], x[2]))(rng.uniform(-1, 1, (3, L, 16)).astype(f32))),
        "linearAttentionRecurrent": ("Python loop over l, elu+1, decay 0.99 (d = 16)", lambda L: (lambda x: lambda: linear_attention_recurrent(x[0], x[1], x[2]))(rng.uniform(-1, 1, (3, L, 16)).astype(f32))),
    }
    cells = []
    for kernel, (method, make) in cases.items():
        for L in SIZES:
            if kernel == "softmaxAttention" and L > 4096:
                continue
            ms, reps = timed(make(L))
            cells.append({"kernel": kernel, "L": L, "ms": ms, "reps": reps, "method": method})
            print(f"  numpy  {kernel:<26} L={L:<5} {ms:.2f} ms", file=sys.stderr)
    d, n = 64, 16
    for L in SIZES:
        u = rng.uniform(-1, 1, (L, d)).astype(f32)
        delta = rng.uniform(1e-3, 1e-1, (L, d)).astype(f32)
        A = -np.tile(np.arange(1, n + 1, dtype=f32), (d, 1))
        B, Cs = rng.uniform(-1, 1, (2, L, n)).astype(f32)
        D = rng.uniform(-1, 1, d).astype(f32)
        ms, reps = timed(lambda: selective_scan(u, delta, A, B, Cs, D))
        cells.append({"kernel": "selectiveScan", "L": L, "ms": ms, "reps": reps, "method": "Python loop over l, vectorised over (d, n) (bench/numpy_selective.py)"})
        print(f"  numpy  selectiveScan              L={L:<5} {ms:.2f} ms", file=sys.stderr)
    print(json.dumps({
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": "python3 bench/numpy_lab.py > bench/results/numpy-lab.json",
        "machine": f"{platform.machine()} Linux, {os.cpu_count()} cores shared with other work (the site's development machine)",
        "numpy": np.__version__, "python": platform.python_version(), "cells": cells}, indent=1))


if __name__ == "__main__":
    main()
