#!/usr/bin/env python3
"""PyTorch (CUDA) peer of bench/gpu/attention.ts: the same kernels at the same sizes, timed the
same way (one warm-up call, then the median of REPS calls, each ending with
torch.cuda.synchronize() and .cpu() of the result). Prints one JSON object on stdout.

Kernels (float32, batch 1, one head; attention d_k = d_v = d, elu(x)+1 features, decay 0.99;
SSD p = n = d, a = Delta*A in [-0.05, 0]):
  softmax         softmax(q k^T / sqrt(d) + causal mask) v in torch ops
  softmaxSdpa     torch.nn.functional.scaled_dot_product_attention(is_causal=True)
  linearParallel  ((phi(q) phi(k)^T) * M) v / row sums, M_ts = 0.99^(t-s)
  linearCumsum    no decay: S_t = cumsum_t phi(k)^T v, the classic causal linear attention
  linearScan      decay 0.99: the state recurrence by a log-depth (Hillis-Steele) scan
  linearChunked   decay 0.99: Mamba-2's chunked SSD algorithm (x = v with a column of ones
                  for the normaliser, B = phi(k), C = phi(q), a = log 0.99), chunk 64
  ssdChunked      the chunked SSD algorithm (Dao & Gu 2024, Listing 1 / ssd_minimal_discrete
                  in state-spaces/mamba, ported here), chunk 64
  ssdScan         S_t = exp(a_t) S_{t-1} + x_t B_t^T by a log-depth scan
  ssdLoop         the same recurrence as a Python loop over t (capped: slow by design)
Usage: python3 bench/gpu/attention_torch.py [--sizes=1024,4096,16384] [--dims=16,64] [--reps=7]
"""
import json
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F

ARGS = dict(a[2:].split("=", 1) for a in sys.argv[1:] if a.startswith("--") and "=" in a)
SIZES = [int(s) for s in ARGS.get("sizes", "1024,4096,16384").split(",")]
DIMS = [int(s) for s in ARGS.get("dims", "16,64").split(",")]
REPS = int(ARGS.get("reps", "7"))
CAP_MS = float(ARGS.get("cap-ms", "20000"))
GAMMA = 0.99
NORM_EPS = 1e-6
dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def phi(x):
    return F.elu(x) + 1.0


def guard(den):
    """|den| < eps -> +-eps (the sign of den, + for 0), as src/kernels/seq/attention.ts."""
    sign = torch.where(den < 0, -torch.ones_like(den), torch.ones_like(den))
    return torch.where(den.abs() < NORM_EPS, sign * NORM_EPS, den)


def softmax_attention(q, k, v):
    L, d = q.shape
    s = (q @ k.T) / math.sqrt(d)
    s = s.masked_fill(torch.triu(torch.ones(L, L, dtype=torch.bool, device=q.device), 1), float("-inf"))
    return torch.softmax(s, -1) @ v


def softmax_sdpa(q, k, v):
    return F.scaled_dot_product_attention(q[None, None], k[None, None], v[None, None], is_causal=True)[0, 0]


def decay_mask(L, gamma, device):
    t = torch.arange(L, device=device, dtype=torch.float32)
    lag = t[:, None] - t[None, :]
    return torch.where(lag >= 0, torch.exp(lag.clamp(min=0) * math.log(gamma)), torch.zeros((), device=device))


def linear_parallel(q, k, v):
    P = (phi(q) @ phi(k).T) * decay_mask(q.shape[0], GAMMA, q.device)
    return (P @ v) / guard(P.sum(-1, keepdim=True))


def linear_cumsum(q, k, v):
    pq, pk = phi(q), phi(k)
    S = torch.cumsum(pk[:, :, None] * v[:, None, :], 0)        # (L, d, d)
    z = torch.cumsum(pk, 0)                                       # (L, d)
    return torch.einsum("ld,lde->le", pq, S) / guard((pq * z).sum(-1, keepdim=True))


def scan(a, b):
    """h_t = a_t * h_{t-1} + b_t along dim 0 (h_{-1} = 0), Hillis-Steele in ceil(log2 L) levels."""
    A, B = a, b
    s = 1
    while s < a.shape[0]:
        Ap = torch.cat([torch.ones_like(A[:s]), A[:-s]])
        Bp = torch.cat([torch.zeros_like(B[:s]), B[:-s]])
        A, B = Ap * A, A * Bp + B
        s *= 2
    return B


def linear_scan(q, k, v):
    L, d = q.shape
    pq, pk = phi(q), phi(k)
    kv = (pk[:, :, None] * v[:, None, :]).reshape(L, d * d)
    S = scan(torch.full_like(kv, GAMMA), kv).reshape(L, d, d)
    z = scan(torch.full_like(pk, GAMMA), pk)
    return torch.einsum("ld,lde->le", pq, S) / guard((pq * z).sum(-1, keepdim=True))


def segsum(x):
    """Stable segment sums (..., T) -> (..., T, T): x_{s+1} + ... + x_t below the diagonal, -inf above."""
    T = x.size(-1)
    X = x[..., :, None].expand(*x.shape, T)
    X = X.masked_fill(~torch.tril(torch.ones(T, T, dtype=torch.bool, device=x.device), -1), 0)
    out = torch.cumsum(X, dim=-2)
    return out.masked_fill(~torch.tril(torch.ones(T, T, dtype=torch.bool, device=x.device), 0), float("-inf"))


def ssd_chunked(x, a, B, C, chunk=64):
    """The chunked SSD algorithm (Listing 1 of Dao & Gu 2024), one group of B, C per head.
    x (b,l,h,p); a (b,l,h); B, C (b,l,h,n); l a multiple of chunk. Returns y (b,l,h,p)."""
    b, l, h, p = x.shape
    c = l // chunk
    X = x.reshape(b, c, chunk, h, p)
    A = a.reshape(b, c, chunk, h).permute(0, 3, 1, 2)            # b h c l
    Bc, Cc = B.reshape(b, c, chunk, h, -1), C.reshape(b, c, chunk, h, -1)
    A_cumsum = torch.cumsum(A, dim=-1)
    Lm = torch.exp(segsum(A))                                     # b h c l s
    Y_diag = torch.einsum("bclhn,bcshn,bhcls,bcshp->bclhp", Cc, Bc, Lm, X)
    decay_states = torch.exp(A_cumsum[..., -1:] - A_cumsum)
    states = torch.einsum("bclhn,bhcl,bclhp->bchpn", Bc, decay_states, X)
    states = torch.cat([torch.zeros_like(states[:, :1]), states], dim=1)
    decay_chunk = torch.exp(segsum(F.pad(A_cumsum[..., -1], (1, 0))))
    new_states = torch.einsum("bhzc,bchpn->bzhpn", decay_chunk, states)
    Y_off = torch.einsum("bclhn,bchpn,bhcl->bclhp", Cc, new_states[:, :-1], torch.exp(A_cumsum))
    return (Y_diag + Y_off).reshape(b, l, h, p)


def linear_chunked(q, k, v):
    L, d = q.shape
    x = torch.cat([v, torch.ones(L, 1, device=v.device)], 1)[None, :, None]   # (1, L, 1, d+1)
    a = torch.full((1, L, 1), math.log(GAMMA), device=q.device)
    y = ssd_chunked(x, a, phi(k)[None, :, None], phi(q)[None, :, None])[0, :, 0]
    return y[:, :d] / guard(y[:, d:])


def ssd_scan(x, a, B, C):
    b, l, h, p = x.shape
    n = B.shape[-1]
    kv = (x[..., :, None] * B[..., None, :]).permute(1, 0, 2, 3, 4).reshape(l, -1)   # (l, b*h*p*n)
    g = torch.exp(a).permute(1, 0, 2)[..., None, None].expand(l, b, h, p, n).reshape(l, -1)
    S = scan(g, kv).reshape(l, b, h, p, n)
    return torch.einsum("lbhpn,lbhn->lbhp", S, C.permute(1, 0, 2, 3)).permute(1, 0, 2, 3)


def ssd_loop(x, a, B, C):
    b, l, h, p = x.shape
    S = torch.zeros(b, h, p, B.shape[-1], device=x.device)
    ys = []
    for t in range(l):
        S = torch.exp(a[:, t])[..., None, None] * S + x[:, t, :, :, None] * B[:, t, :, None, :]
        ys.append(torch.einsum("bhpn,bhn->bhp", S, C[:, t]))
    return torch.stack(ys, 1)


KERNELS = {
    "softmax": (lambda t: softmax_attention(t["q"], t["k"], t["v"]), True),
    **({"softmaxSdpa": (lambda t: softmax_sdpa(t["q"], t["k"], t["v"]), True)} if hasattr(F, "scaled_dot_product_attention") else {}),
    "linearParallel": (lambda t: linear_parallel(t["q"], t["k"], t["v"]), True),
    "linearCumsum": (lambda t: linear_cumsum(t["q"], t["k"], t["v"]), False),
    "linearScan": (lambda t: linear_scan(t["q"], t["k"], t["v"]), False),
    "linearChunked": (lambda t: linear_chunked(t["q"], t["k"], t["v"]), False),
    "ssdChunked": (lambda t: ssd_chunked(t["x"], t["a"], t["B"], t["C"]), False),
    "ssdScan": (lambda t: ssd_scan(t["x"], t["a"], t["B"], t["C"]), False),
    "ssdLoop": (lambda t: ssd_loop(t["x"], t["a"], t["B"], t["C"]), False),
}


def inputs(L, d, device, dtype=torch.float32, seed=0):
    g = torch.Generator(device="cpu").manual_seed(seed)
    u = lambda *shape, lo=-1.0, hi=1.0: (lo + (hi - lo) * torch.rand(*shape, generator=g)).to(device=device, dtype=dtype)
    q, k, v = u(L, d), u(L, d), u(L, d)
    return {"q": q, "k": k, "v": v, "x": v[None, :, None], "a": u(1, L, 1, lo=-0.05, hi=0.0),
            "B": u(1, L, 1, d), "C": u(1, L, 1, d)}


def known_answers():
    """Every kernel on the GPU against float64 loops on the CPU at L = 256, d = 8."""
    L, d = 256, 8
    t64 = inputs(L, d, "cpu", torch.float64, seed=1)
    q, k, v = t64["q"], t64["k"], t64["v"]
    pq, pk = phi(q), phi(k)
    lin = torch.zeros(L, d, dtype=torch.float64)
    S = torch.zeros(d, d, dtype=torch.float64)
    z = torch.zeros(d, dtype=torch.float64)
    lin1 = torch.zeros(L, d, dtype=torch.float64)
    S1 = torch.zeros(d, d, dtype=torch.float64)
    z1 = torch.zeros(d, dtype=torch.float64)
    soft = torch.zeros(L, d, dtype=torch.float64)
    for t in range(L):
        S = GAMMA * S + torch.outer(pk[t], v[t]); z = GAMMA * z + pk[t]
        lin[t] = (pq[t] @ S) / (pq[t] @ z)
        S1 = S1 + torch.outer(pk[t], v[t]); z1 = z1 + pk[t]
        lin1[t] = (pq[t] @ S1) / (pq[t] @ z1)
        w = torch.softmax(k[: t + 1] @ q[t] / math.sqrt(d), 0)
        soft[t] = w @ v[: t + 1]
    ssd_ref = ssd_loop(t64["x"], t64["a"], t64["B"], t64["C"])
    want = {"softmax": soft, "softmaxSdpa": soft, "linearParallel": lin, "linearCumsum": lin1, "linearScan": lin,
            "linearChunked": lin, "ssdChunked": ssd_ref, "ssdScan": ssd_ref, "ssdLoop": ssd_ref}
    t32 = {key: val.to(device=dev, dtype=torch.float32) for key, val in t64.items()}
    return {name: float((f(t32).double().cpu() - want[name]).abs().max()) for name, (f, _) in KERNELS.items()}


def sync():
    if dev.type == "cuda":
        torch.cuda.synchronize()


def time_cell(f, t):
    y = f(t)
    sync()
    y.cpu()
    times = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        y = f(t)
        sync()
        y.cpu()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), min(times)


def main():
    started = time.perf_counter()
    checks = known_answers()
    print(f"known answers (max abs error at L=256, d=8): {checks}", file=sys.stderr)
    cells = []
    for d in DIMS:
        for name, (f, quadratic) in KERNELS.items():
            prev = None
            for L in SIZES:
                cell = {"kernel": name, "d": d, "L": L}
                predicted = prev[1] * (L / prev[0]) ** (2 if quadratic else 1) if prev else 0
                if predicted > CAP_MS or (name == "ssdLoop" and prev and prev[1] > 2000):
                    cells.append({**cell, "ms": None, "note": f"skipped: predicted {predicted / 1000:.1f} s from L={prev[0]}"})
                    continue
                try:
                    t = inputs(L, d, dev)
                    ms, mn = time_cell(f, t)
                    cells.append({**cell, "ms": round(ms, 3), "minMs": round(mn, 3), "reps": REPS})
                    prev = (L, ms)
                except RuntimeError as e:  # out of memory and the like
                    cells.append({**cell, "ms": None, "note": f"error: {str(e).splitlines()[0][:160]}"})
                    torch.cuda.empty_cache()
                print(f"{name:15} d={d:<3} L={L:<6} {cells[-1].get('ms')} ms {cells[-1].get('note', '')}", file=sys.stderr)
    # the floor: one small op + synchronize + .cpu()
    one = torch.ones(1024, device=dev)
    floor = []
    for _ in range(9):
        t0 = time.perf_counter()
        y = one + 1
        sync()
        y.cpu()
        floor.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({
        "bench": "attention_torch", "torch": torch.__version__, "device": torch.cuda.get_device_name(0) if dev.type == "cuda" else "cpu",
        "ok": all(e < 1e-3 for e in checks.values()), "checks": checks, "floorMs": round(statistics.median(floor), 3),
        "sizes": SIZES, "dims": DIMS, "reps": REPS, "heads": 1,
        "note": "median ms per call incl. torch.cuda.synchronize() and .cpu(); attention d_k = d_v = d, elu1, decay 0.99 "
                "(linearCumsum: no decay); SSD b=1, h=1, p=n=d, a in [-0.05, 0], chunk 64",
        "cells": cells, "seconds": round(time.perf_counter() - started, 1)}))


if __name__ == "__main__":
    main()
