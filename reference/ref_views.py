"""Golden fixtures for page 4 (/views): diagonal complex SSMs (S4D), from an independent
numpy reference in complex128: the S4D initialisations (Gu et al. 2022, "On the
Parameterization and Initialization of Diagonal State Space Models", section 4), the ZOH
discretization of each mode, the Vandermonde kernel, the causal convolution (np.convolve)
and the complex recurrence (a plain loop). As a cross-check inside this script, each kernel
is also computed from the equivalent real block system with scipy.linalg.expm and matrix
powers, and must agree.

Writes reference/fixtures/views.json. Seeded: the output is the same on every run.
Run:  python3 reference/ref_views.py
"""
import json
import math
import os

import numpy as np
import scipy.linalg as sl

rng = np.random.default_rng(20240604)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "views.json")


def r(x, digits=9):
    a = np.asarray(x, dtype=np.float64)
    return [float(f"{v:.{digits}g}") for v in a.ravel()] if a.ndim <= 1 else [r(row, digits) for row in a]


def init_modes(init, N):
    """S4D section 4, written from the paper's formulas (N = real state size)."""
    if init == "real":
        return -(np.arange(N) + 1.0) + 0j, False
    n = np.arange(N // 2)
    if init == "lin":
        return -0.5 + 1j * math.pi * n, True
    if init == "inv":
        return -0.5 + 1j * (N / math.pi) * (N / (2 * n + 1) - 1), True
    raise ValueError(init)


def real_block(lam, b, c, conj):
    """Equivalent real system of diagonal modes (for the cross-check)."""
    m = len(lam)
    if not conj:
        return np.diag(lam.real), b.real[:, None], c.real[None, :]
    A = np.zeros((2 * m, 2 * m)); B = np.zeros((2 * m, 1)); C = np.zeros((1, 2 * m))
    for k in range(m):
        A[2 * k:2 * k + 2, 2 * k:2 * k + 2] = [[lam[k].real, -lam[k].imag], [lam[k].imag, lam[k].real]]
        B[2 * k:2 * k + 2, 0] = [b[k].real, b[k].imag]
        C[0, 2 * k:2 * k + 2] = [2 * c[k].real, -2 * c[k].imag]
    return A, B, C


def dense_kernel(A, B, C, delta, L):
    """ZOH by the augmented exponential (Van Loan), then C Ā^k B̄ by repeated multiplication."""
    n = A.shape[0]
    M = np.zeros((n + 1, n + 1)); M[:n, :n] = A * delta; M[:n, n:] = B * delta
    E = sl.expm(M)
    Ab, Bb = E[:n, :n], E[:n, n:]
    K = np.zeros(L); x = Bb.copy()
    for k in range(L):
        K[k] = (C @ x)[0, 0]
        x = Ab @ x
    return K


cases = []
inits = []
for init in ["lin", "inv", "real"]:
    for N in [8, 64]:
        lam, conj = init_modes(init, N)
        inits.append({"init": init, "N": N, "Are": r(lam.real), "Aim": r(lam.imag), "conj": conj})

L = 300
for init, N in [("lin", 8), ("inv", 8), ("real", 6), ("lin", 32), ("inv", 32), ("random", 16)]:
    if init == "random":
        m = N // 2
        lam = -np.exp(rng.uniform(np.log(0.05), 0, m)) + 1j * rng.uniform(0, math.pi * m, m)
        conj = True
    else:
        lam, conj = init_modes(init, N)
    m = len(lam)
    deltas = np.array([1e-3, 1e-2, 1e-1])
    h = len(deltas)
    B = np.ones(m, dtype=complex)
    C = rng.standard_normal((h, m)) * (math.sqrt(0.5) if conj else 1.0)
    if conj:
        C = C + 1j * rng.standard_normal((h, m)) * math.sqrt(0.5)
    else:
        C = C + 0j
    dl = deltas[:, None] * lam[None, :]  # (h, m)
    Ab = np.exp(dl)
    Bb = (np.exp(dl) - 1) / lam[None, :] * B[None, :]
    s = 2.0 if conj else 1.0
    V = np.exp(dl[:, :, None] * np.arange(L)[None, None, :])  # Vandermonde (h, m, L)
    K = s * np.einsum("hm,hml->hl", C * Bb, V).real  # (h, L)
    u = rng.standard_normal(L)
    y = np.stack([np.convolve(u, K[i])[:L] for i in range(h)])
    # recurrence on the complex modes, a plain loop
    y_rec = np.zeros((h, L))
    for i in range(h):
        x = np.zeros(m, dtype=complex)
        for k in range(L):
            x = Ab[i] * x + Bb[i] * u[k]
            y_rec[i, k] = s * (C[i] @ x).real
    assert np.max(np.abs(y_rec - y)) < 1e-9 * max(1, np.max(np.abs(y))), "recurrence != convolution"
    for i in range(h):
        Ar, Br, Cr = real_block(lam, B, C[i], conj)
        Kd = dense_kernel(Ar, Br, Cr, deltas[i], L)
        err = np.max(np.abs(Kd - K[i]))
        assert err < 1e-9 * max(1, np.max(np.abs(K[i]))), f"{init} N={N}: dense kernel differs by {err}"
    cases.append({
        "name": f"{init} N={N}", "init": init, "N": N, "conj": conj, "L": L,
        "Are": r(lam.real), "Aim": r(lam.imag), "Bre": r(B.real), "Bim": r(B.imag),
        "Cre": r(C.real), "Cim": r(C.imag), "delta": r(deltas),
        "AbRe": r(Ab.real), "AbIm": r(Ab.imag), "BbRe": r(Bb.real), "BbIm": r(Bb.imag),
        "K": r(K), "u": r(u), "y": r(y),
    })

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"inits": inits, "cases": cases}, f, separators=(",", ":"))
print(f"wrote {OUT}: {len(inits)} inits, {len(cases)} kernel cases")
