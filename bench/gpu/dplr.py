"""PyTorch peer of bench/gpu/dplr.ts: S4's DPLR kernel against the naive kernel on CUDA, same
sizes (HiPPO-LegS, bilinear delta = 0.01, N in 4 ... 512, L in 1024, 4096, 16384).

  dplr   S4's SSMKernelDPLR forward for one channel, as state-spaces/s4 computes it without
         its CUDA/KeOps extensions (cauchy_naive): v = [C~, Q*] x [B~, P] weights, the Cauchy
         sums at the L/2 + 1 nodes z = 2(1 - w)/(1 + w), the rank-one Woodbury correction,
         the factor 2/(1 + w), torch.fft.irfft(n=L). complex64 on the GPU.
  dense  powers of Ab by doubling (the algorithm of the site's ssmKernel), float32 matmuls.
Setup (the DPLR form by numpy eigh, C~ = C (I - Ab^L), Ab) is not timed. Each timed call
ends with torch.cuda.synchronize() and .cpu() of the result; median of 5 after a warm-up.
Prints one JSON object on stdout.   python3 bench/gpu/dplr.py [--quick]
"""
import json
import sys
import time

import numpy as np
import torch

quick = "--quick" in sys.argv
Ns = [4, 64, 256] if quick else [4, 8, 16, 32, 64, 128, 256, 512]
Ls = [1024] if quick else [1024, 4096, 16384]
delta = 0.01
dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def legs_dplr(N):
    q = np.arange(N)
    b = np.sqrt(2 * q + 1.0)
    A = -(np.tril(np.outer(b, b)) - np.diag(q))
    P = np.sqrt(q + 0.5)
    S = A + np.outer(P, P)
    w, V = np.linalg.eigh(-1j * (S + 0.5 * np.eye(N)))
    return A, b, -0.5 + 1j * w, V.conj().T @ P, V.conj().T @ b, V


def setup(N, L):
    A, B, Lam, Pt, Bt, V = legs_dplr(N)
    C = np.sin(1.3 * np.arange(N) + 0.2) / np.sqrt(N)
    I = np.eye(N)
    Ab = np.linalg.solve(I - delta / 2 * A, I + delta / 2 * A)
    Bb = np.linalg.solve(I - delta / 2 * A, delta * B)
    Ab_d = V.conj().T @ Ab @ V
    Ct = (C @ V) @ (I - np.linalg.matrix_power(Ab_d, L))  # C~ as a row
    return dict(A=A, Ab=Ab, Bb=Bb, C=C, Lam=Lam, Pt=Pt, Bt=Bt, Ct=Ct)


def dplr_kernel(Lam, v, omega, z, L):
    """v (4, N) complex: C~B~, C~P~, Q~*B~, Q~*P~; omega, z (L/2+1); Lam (N) = dt*Lambda."""
    r = (v[:, :, None] / (z[None, None, :] - Lam[None, :, None])).sum(1)  # (4, L/2+1) Cauchy
    k_f = r[0] - r[1] * r[2] / (1 + r[3])  # Woodbury, rank 1
    k_f = k_f * 2 / (1 + omega)
    return torch.fft.irfft(k_f, n=L)


def dense_kernel(Ab, Bb, C, L):
    Vm, Pw = Bb, Ab
    while Vm.shape[1] < L:
        m = Vm.shape[1]
        need = min(m, L - m)
        Vm = torch.cat([Vm, Pw @ Vm[:, :need]], 1)
        if Vm.shape[1] < L:
            Pw = Pw @ Pw
    return (C @ Vm).reshape(L)


def timed(fn, reps=5):
    fn().cpu()
    torch.cuda.synchronize() if dev.type == "cuda" else None
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        y = fn()
        if dev.type == "cuda":
            torch.cuda.synchronize()
        y.cpu()
        ts.append((time.perf_counter() - t0) * 1000)
    return float(np.median(ts))


def prepared(N, L):
    s = setup(N, L)
    M = L // 2 + 1
    omega = torch.tensor(np.exp(-2j * np.pi * np.arange(M) / L), dtype=torch.complex64, device=dev)
    z = 2 * (1 - omega) / (1 + omega)  # S4's _omega; the node w = -1 (L even) is a pole here, as in S4
    v = np.stack([s["Ct"] * s["Bt"], s["Ct"] * s["Pt"], s["Pt"].conj() * s["Bt"], s["Pt"].conj() * s["Pt"]]) * delta
    args = (torch.tensor(s["Lam"] * delta, dtype=torch.complex64, device=dev), torch.tensor(v, dtype=torch.complex64, device=dev), omega, z, L)
    dense = (torch.tensor(s["Ab"], dtype=torch.float32, device=dev), torch.tensor(s["Bb"][:, None], dtype=torch.float32, device=dev),
             torch.tensor(s["C"][None, :], dtype=torch.float32, device=dev), L)
    return s, args, dense


# known answer: both against a float64 numpy loop, N = 16, L = 256
s, args, dense = prepared(16, 256)
x, K = s["Bb"].copy(), []
for _ in range(256):
    K.append(s["C"] @ x)
    x = s["Ab"] @ x
K = np.array(K)
scale = np.abs(K).max()
kp = dplr_kernel(*args).cpu().numpy()
kd = dense_kernel(*dense).cpu().numpy()
check = {"N": 16, "L": 256, "scale": float(scale), "dplrRelError": float(np.abs(kp - K).max() / scale), "denseRelError": float(np.abs(kd - K).max() / scale)}
check["ok"] = check["dplrRelError"] < 1e-3 and check["denseRelError"] < 1e-3

cells = []
for L in Ls:
    for N in Ns:
        s, args, dense = prepared(N, L)
        for method, fn in [("dplr", lambda: dplr_kernel(*args)), ("dense", lambda: dense_kernel(*dense))]:
            try:
                cells.append({"method": method, "N": N, "L": L, "ms": timed(fn)})
            except Exception as e:  # noqa: BLE001 (report, keep going)
                cells.append({"method": method, "N": N, "L": L, "ms": None, "note": f"error: {str(e)[:160]}"})
            print(f"  torch {method:6s} N={N:<4d} L={L:<6d} {cells[-1]['ms']}", file=sys.stderr)
print(json.dumps({"kernel": "dplr", "torch": torch.__version__, "device": str(dev), "delta": delta, "Ns": Ns, "Ls": Ls, "check": check, "cells": cells}))
