#!/usr/bin/env python3
"""PyTorch peer of bench/gpu/selective.ts: the same selective scan on the same GPU, timed the same way.

Sizes as the WebGPU entry: b = 1, n = 16 at (l, d) = (4096, 64), (4096, 1536), (16384, 64);
inputs drawn alike (u, B, C uniform in [-1, 1], Δ in [1e-3, 1e-1], A = -(1..16), D uniform).
Each timing is the median of runs that each start after torch.cuda.synchronize() and end with
y.cpu() (a real readback, as `await y.data()` on the tfjs side); `gpuMs` is the device time of
the computation alone (CUDA events, no readback), the peer of tfjs's timestamp-query kernelMs.

    logdepth   a Hillis–Steele scan over l in torch ops (ceil(log2 l) levels of shift-and-combine
               on (b, l, d, n) tensors), then y = h·C + D·u
    compiled   the same function under torch.compile (fused elementwise kernels), when it compiles
    loop       a Python loop over l, each step vectorised over (b, d, n)
    mamba_ssm  selective_scan_fn, Mamba's CUDA kernel, when the package is installed
    floor      one trivial op on a GPU tensor of y's size, plus .cpu()

Prints one JSON object on stdout (progress on stderr). Without CUDA it runs on the CPU, says
so ("device": "cpu"), and uses small sizes unless --full.
    python3 bench/gpu/selective_torch.py [--reps N] [--no-compile] [--full]
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F


def log(msg):
    print(f"selective_torch: {msg}", file=sys.stderr, flush=True)


def scan_logdepth(u, delta, A, B, C, D):
    """u, delta (b, l, d); A (d, n); B, C (b, l, n); D (d) -> y (b, l, d), log-depth over l."""
    l = u.shape[1]
    a = torch.exp(delta.unsqueeze(-1) * A)  # (b, l, d, n)
    h = (delta * u).unsqueeze(-1) * B.unsqueeze(2)  # (b, l, d, n)
    s = 1
    while s < l:
        # the composite ending s steps earlier; identity (1, 0) before step 0
        a_prev = F.pad(a[:, :-s], (0, 0, 0, 0, s, 0), value=1.0)
        h_prev = F.pad(h[:, :-s], (0, 0, 0, 0, s, 0), value=0.0)
        h = a * h_prev + h
        a = a * a_prev
        s *= 2
    return torch.einsum("bldn,bln->bld", h, C) + u * D


def scan_loop(u, delta, A, B, C, D):
    """The same recurrence as a loop over l (each step over (b, d, n))."""
    b, l, d = u.shape
    h = torch.zeros(b, d, A.shape[1], device=u.device)
    ys = torch.empty(b, l, d, device=u.device)
    for t in range(l):
        dt = delta[:, t, :, None]  # (b, d, 1)
        h = torch.exp(dt * A) * h + (dt * u[:, t, :, None]) * B[:, t, None, :]
        ys[:, t] = torch.einsum("bdn,bn->bd", h, C[:, t])
    return ys + u * D


def sync(device):
    if device == "cuda":
        torch.cuda.synchronize()


def time_readback(fn, reps, device):
    """Median ms of fn() + .cpu() after one warm-up, each run starting synchronised."""
    fn().cpu()
    times = []
    for _ in range(reps):
        sync(device)
        t0 = time.perf_counter()
        fn().cpu()
        times.append((time.perf_counter() - t0) * 1000)
    return {"ms": statistics.median(times), "minMs": min(times), "reps": reps}


def time_gpu(fn, reps, device):
    """Median device ms of fn() alone (CUDA events), or None on the CPU."""
    if device != "cuda":
        return None
    times = []
    for _ in range(reps):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        sync(device)
        start.record()
        fn()
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end))
    return statistics.median(times)


def bench(fn, reps, device):
    r = time_readback(fn, reps, device)
    r["gpuMs"] = time_gpu(fn, reps, device)
    return r


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--reps", type=int, default=15)
    p.add_argument("--no-compile", action="store_true")
    p.add_argument("--full", action="store_true", help="the GPU sizes even without CUDA")
    args = p.parse_args()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    sizes = [(4096, 64), (4096, 1536), (16384, 64)] if device == "cuda" or args.full else [(256, 16), (1024, 16)]
    reps = max(10, args.reps) if device == "cuda" else 3
    try:
        from mamba_ssm.ops.selective_scan_interface import selective_scan_fn
    except Exception:
        selective_scan_fn = None
    compiled = None
    if not args.no_compile:
        try:
            compiled = torch.compile(scan_logdepth, dynamic=False)
        except Exception as e:
            log(f"torch.compile unavailable: {e}")
    g = torch.Generator(device="cpu").manual_seed(0)
    cells = []
    started = time.perf_counter()
    for l, d in sizes:
        n, b = 16, 1
        rnd = lambda *shape, lo=-1.0, hi=1.0: (lo + (hi - lo) * torch.rand(*shape, generator=g)).to(device)
        u, delta = rnd(b, l, d), rnd(b, l, d, lo=1e-3, hi=1e-1)
        A = -torch.arange(1, n + 1, dtype=torch.float32).repeat(d, 1).to(device)
        B, C, D = rnd(b, l, n), rnd(b, l, n), rnd(d)
        cell = {"b": b, "l": l, "d": d, "n": n}
        y_log = scan_logdepth(u, delta, A, B, C, D)
        y_loop = scan_loop(u, delta, A, B, C, D)
        scale = max(1.0, y_loop.abs().max().item())
        cell["logdepthVsLoop"] = {"maxAbsError": (y_log - y_loop).abs().max().item(), "scale": scale}
        del y_log
        x = u.clone()
        cell["floor"] = bench(lambda: torch.neg(x), reps, device)
        try:
            cell["logdepth"] = bench(lambda: scan_logdepth(u, delta, A, B, C, D), reps, device)
        except Exception as e:  # out of memory at large sizes
            cell["logdepth"] = {"error": str(e)[:200]}
        log(f"l={l} d={d}: floor {cell['floor']['ms']:.3f} ms, logdepth {cell['logdepth'].get('ms', float('nan')):.3f} ms "
            f"(gpu {cell['logdepth'].get('gpuMs')})")
        if compiled is not None:
            try:
                y_c = compiled(u, delta, A, B, C, D)
                cell["compiledVsLoop"] = {"maxAbsError": (y_c - y_loop).abs().max().item(), "scale": scale}
                cell["compiled"] = bench(lambda: compiled(u, delta, A, B, C, D), reps, device)
                log(f"l={l} d={d}: compiled {cell['compiled']['ms']:.3f} ms (gpu {cell['compiled']['gpuMs']})")
            except Exception as e:
                cell["compiled"] = {"error": str(e)[:200]}
        loop_reps = 3
        cell["loop"] = bench(lambda: scan_loop(u, delta, A, B, C, D), loop_reps, device)
        log(f"l={l} d={d}: loop {cell['loop']['ms']:.1f} ms")
        if selective_scan_fn is not None and device == "cuda":
            # mamba_ssm takes (b, d, l) and B, C as (b, n, l)
            ut, dt, Bt, Ct = (t.transpose(1, 2).contiguous() for t in (u, delta, B, C))
            f = lambda: selective_scan_fn(ut, dt, A, Bt, Ct, D).transpose(1, 2)
            cell["mambaVsLoop"] = {"maxAbsError": (f() - y_loop).abs().max().item(), "scale": scale}
            cell["mamba_ssm"] = bench(f, reps, device)
            log(f"l={l} d={d}: mamba_ssm {cell['mamba_ssm']['ms']:.3f} ms")
        cells.append(cell)
        del y_loop
        if device == "cuda":
            torch.cuda.empty_cache()
    print(json.dumps({
        "bench": "selective scan, PyTorch", "torch": torch.__version__, "device": device,
        "gpu": torch.cuda.get_device_name(0) if device == "cuda" else None,
        "mamba_ssm": selective_scan_fn is not None, "reps": reps, "cells": cells,
        "seconds": time.perf_counter() - started
    }))


if __name__ == "__main__":
    main()
