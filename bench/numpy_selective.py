#!/usr/bin/env python3
"""Times a numpy selective scan that loops over l (each step vectorised over (d, n)), the
CPU peer of bench/cases.ts's selective-scan rows; run by bench/run.mjs, prints one JSON line.

    python3 bench/numpy_selective.py [L:d ...]        default: 256:64 1024:64 4096:64 16384:64 4096:1536

b = 1, n = 16, float32, inputs drawn like bench/cases.ts (Δ in [1e-3, 1e-1], A = -(1..16));
median of 3 runs after one warm-up (a single run for cells over 2 s)."""
import json
import sys
import time

import numpy as np


def scan(u, delta, A, B, C, D):
    """u, delta (l, d); A (d, n); B, C (l, n); D (d) -> y (l, d): h_t = exp(Δ_t A) h + Δ_t B_t u_t, y_t = h_t C_t + D u_t."""
    l, d = u.shape
    h = np.zeros(A.shape, dtype=np.float32)
    y = np.empty((l, d), dtype=np.float32)
    for t in range(l):
        dt = delta[t][:, None]  # (d, 1)
        h = np.exp(dt * A) * h + (dt * u[t][:, None]) * B[t][None, :]
        y[t] = h @ C[t]
    return y + u * D


def main():
    cells = [tuple(map(int, a.split(":"))) for a in sys.argv[1:]] or [(256, 64), (1024, 64), (4096, 64), (16384, 64), (4096, 1536)]
    rng = np.random.default_rng(0)
    n = 16
    out = []
    for L, d in cells:
        u = rng.uniform(-1, 1, (L, d)).astype(np.float32)
        delta = rng.uniform(1e-3, 1e-1, (L, d)).astype(np.float32)
        A = -np.tile(np.arange(1, n + 1, dtype=np.float32), (d, 1))
        B, C = rng.uniform(-1, 1, (L, n)).astype(np.float32), rng.uniform(-1, 1, (L, n)).astype(np.float32)
        D = rng.uniform(-1, 1, d).astype(np.float32)
        t0 = time.perf_counter()
        scan(u, delta, A, B, C, D)
        first = (time.perf_counter() - t0) * 1000
        times = [first] if first > 2000 else []
        while len(times) < 3 and first <= 2000:
            t0 = time.perf_counter()
            scan(u, delta, A, B, C, D)
            times.append((time.perf_counter() - t0) * 1000)
        out.append({"L": L, "d": d, "n": n, "ms": float(np.median(times)), "reps": len(times)})
        print(f"  numpy  selective loop  L={L:<5} d={d:<4} {out[-1]['ms']:.1f} ms", file=sys.stderr)
    print(json.dumps({"numpy": np.__version__, "cells": out}))


if __name__ == "__main__":
    main()
