"""Golden fixtures for page 3 (/hippo): Legendre and Laguerre polynomials, HiPPO states
(LegT, LagT by scipy.signal.cont2discrete; LegS by the per-step bilinear/Euler updates of
the official HiPPOScale, with scipy.linalg.solve_triangular), reconstructions of the
history with scipy.special, their errors against N, and eigenvalues (numpy.linalg.eigvals).

Independent of the TypeScript: the matrices are transcribed again here from the papers'
formulas. Writes reference/fixtures/hippo.json. Deterministic (seeded).
Run:  python3 reference/ref_hippo.py
"""
import json
import math
import os

import numpy as np
import scipy.linalg as sl
import scipy.signal as ss
import scipy.special as sp

rng = np.random.default_rng(31415)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "hippo.json")


def r(x, digits=12):
    a = np.asarray(x, dtype=np.float64)
    if a.ndim == 0:
        return float(f"{float(a):.{digits}g}")
    return [float(f"{v:.{digits}g}") for v in a.ravel()] if a.ndim == 1 else [r(row, digits) for row in a]


def transition(measure, N, theta=1.0):
    n = np.arange(N)
    if measure == "legt":  # LMU (Voelker et al. 2019), eq. 2
        i, j = np.meshgrid(n, n, indexing="ij")
        A = (2 * i + 1) / theta * np.where(i < j, -1.0, (-1.0) ** (i - j + 1))
        B = ((2 * n + 1) * (-1.0) ** n / theta)[:, None]
    elif measure == "legs":  # HiPPO Thm 2
        q = np.sqrt(2 * n + 1)
        A = -np.tril(np.outer(q, q), -1) - np.diag(n + 1.0)
        B = q[:, None]
    elif measure == "lagt":
        A = np.eye(N) / 2 - np.tril(np.ones((N, N)))
        B = np.ones((N, 1))
    elif measure == "fout":  # s4 transition('fout')
        freqs = np.arange(N // 2)
        d = np.stack([np.zeros(N // 2), freqs], axis=-1).reshape(-1)[1:]
        A = np.pi * (-np.diag(d, 1) + np.diag(d, -1))
        b = np.zeros(N)
        b[0::2] = 2 ** 0.5
        b[0] = 1
        A = A - np.outer(b, b)
        B = b[:, None]
    return A.astype(np.float64), B.astype(np.float64)


def lti_states(measure, N, u, dt, theta=1.0, method="bilinear"):
    A, B = transition(measure, N, theta)
    Ab, Bb, *_ = ss.cont2discrete((A, B, np.ones((1, N)), np.zeros((1, 1))), dt, method=method)
    c = np.zeros(N)
    out = []
    for uk in u:
        c = Ab @ c + Bb[:, 0] * uk
        out.append(c.copy())
    return np.array(out)


def legs_states(N, u, method="bilinear"):
    A, B = transition("legs", N)
    B = B[:, 0]
    I = np.eye(N)
    c = np.zeros(N)
    out = []
    for t, f in enumerate(u, start=1):  # HiPPOScale: At = A/t, Bt = B/t
        At, Bt = A / t, B / t
        if method == "bilinear":
            Ad = sl.solve_triangular(I - At / 2, I + At / 2, lower=True)
            Bd = sl.solve_triangular(I - At / 2, Bt, lower=True)
        elif method == "euler":
            Ad, Bd = I + At, Bt
        else:  # backward
            Ad = sl.solve_triangular(I - At, I, lower=True)
            Bd = sl.solve_triangular(I - At, Bt, lower=True)
        c = Ad @ c + Bd * f
        out.append(c.copy())
    return np.array(out)


def basis(measure, N, t, s, theta=1.0):
    if measure == "fout":  # cos/sin pairs on the window tau = t - s in [0, 2] (see fout_basis)
        return fout_basis(N, t - np.asarray(s))
    n = np.arange(N)[None, :]
    s = np.asarray(s)[:, None]
    if measure == "legt":
        return sp.eval_legendre(n, 2 * (t - s) / theta - 1)
    if measure == "legs":
        return np.sqrt(2 * n + 1) * sp.eval_legendre(n, 2 * s / t - 1)
    return sp.eval_genlaguerre(n, 0, t - s) * np.exp(-(t - s) / 2)


def fout_basis(N, tau):
    """FouT read-out: S4's transition('fout') rotates pair k at angular frequency pi*k, i.e. the
    Fourier basis 1, sqrt2 cos(pi k tau), sqrt2 sin(pi k tau), orthonormal for the uniform
    probability measure on tau in [0, 2]. Columns in state order (c0, s0, c1, s1, ...)."""
    k = np.arange(N // 2)[None, :]
    a = np.where(k == 0, 1.0, np.sqrt(2.0))
    tau = np.asarray(tau, dtype=np.float64)[:, None]
    G = np.zeros((tau.shape[0], N))
    G[:, 0::2] = a * np.cos(np.pi * k * tau)
    G[:, 1::2] = a * np.sin(np.pi * k * tau)
    return G


# The test signal: smooth, two tones, sampled at interval midpoints, Δ = 0.005, T = 4.
dt, L = 0.005, 800
mid = (np.arange(L) + 0.5) * dt
u = np.sin(2 * np.pi * 0.6 * mid) + 0.4 * np.cos(2 * np.pi * 1.7 * mid + 0.3)

fx = {"signal": {"dt": dt, "u": r(u), "mid": r(mid)}}

xs = np.array([-1, -0.75, -0.3, 0, 0.2, 0.5, 0.9, 1.0])
fx["legendre"] = {"N": 12, "x": r(xs), "P": r(np.array([[sp.eval_legendre(n, x) for n in range(12)] for x in xs]))}
xl = np.array([0, 0.5, 1, 2, 7, 15])
fx["laguerre"] = {"N": 10, "x": r(xl), "L": r(np.array([[sp.eval_genlaguerre(n, 0, x) for n in range(10)] for x in xl]))}

states = []
for measure, N, method in [("legt", 4, "bilinear"), ("legt", 16, "bilinear"), ("legt", 32, "bilinear"), ("legt", 8, "zoh"),
                           ("lagt", 8, "bilinear"), ("fout", 8, "bilinear"),
                           ("legs", 4, "bilinear"), ("legs", 16, "bilinear"), ("legs", 32, "bilinear"),
                           ("legs", 8, "euler"), ("legs", 8, "backward-euler")]:
    X = legs_states(N, u, method if method != "backward-euler" else "backward") if measure == "legs" \
        else lti_states(measure, N, u, dt, method=method)
    states.append({"measure": measure, "N": N, "method": method, "rows": [99, 399, L - 1],
                   "X": r(X[[99, 399, L - 1]])})
fx["states"] = states

# Reconstruction of the history at t = LΔ from the reference states, and its error vs N.
t = L * dt
recon = []
for measure in ["legt", "legs"]:
    window = mid >= t - 1.0 if measure == "legt" else np.ones(L, bool)
    s = mid[window]
    for N in [2, 4, 8, 16, 32, 64]:
        X = legs_states(N, u) if measure == "legs" else lti_states(measure, N, u, dt)
        rec = basis(measure, N, t, s) @ X[-1]
        err = rec - u[window]
        recon.append({"measure": measure, "N": N, "t": t, "rms": r(np.sqrt(np.mean(err ** 2))),
                      "max": r(np.max(np.abs(err))), "count": int(window.sum()),
                      "sample": r(rec[:: max(1, len(s) // 10)]), "sampleS": r(s[:: max(1, len(s) // 10)])})
fx["reconstruction"] = recon

# FouT: reconstruction over its window [t - 2, t] from the scipy (bilinear) states, and the
# exact projection coefficients of the same window by the midpoint rule (u is sampled at the
# interval midpoints), which the state approaches as N grows (the endpoint read-out is exact
# only in the limit).
fout = []
window = mid >= t - 2.0
s_f = mid[window]
for N in [4, 8, 16, 32, 64]:
    X = lti_states("fout", N, u, dt)
    G = fout_basis(N, t - s_f)
    rec = G @ X[-1]
    err = rec - u[window]
    proj = G.T @ u[window] * dt / 2.0
    fout.append({"N": N, "t": t, "rms": r(np.sqrt(np.mean(err ** 2))), "max": r(np.max(np.abs(err))), "count": int(window.sum()),
                 "sample": r(rec[:: max(1, len(s_f) // 10)]), "sampleS": r(s_f[:: max(1, len(s_f) // 10)]),
                 "state": r(X[-1][:8]), "projection": r(proj[:8])})
fx["fout"] = fout

# LegT forgets: an input that stops at t = 1; at t = 2.5 (θ = 1) the window holds only zeros.
u_bump = np.where(mid < 1.0, np.sin(2 * np.pi * mid), 0.0)
Xf = lti_states("legt", 16, u_bump, dt)
fx["forget"] = {"N": 16, "k": 499, "state_norm": r(np.linalg.norm(Xf[499])), "input_norm": r(np.linalg.norm(Xf[199]))}

eigs = []
for name, A in [("legt", transition("legt", 4)[0]), ("legt", transition("legt", 16)[0]), ("legt", transition("legt", 64)[0]),
                ("fout", transition("fout", 8)[0]), ("fout", transition("fout", 32)[0]),
                ("random", rng.standard_normal((10, 10)))]:
    w = np.linalg.eigvals(A)
    w = w[np.lexsort((w.imag, w.real))]
    eigs.append({"name": name, "A": r(A), "re": r(w.real), "im": r(w.imag)})
fx["eigvals"] = eigs

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump(fx, f, separators=(",", ":"))
print(f"wrote {OUT}")
for c in recon:
    print(f"  {c['measure']} N={c['N']:2d}: rms {c['rms']:.3e}  max {c['max']:.3e}")
for c in fout:
    d = np.max(np.abs(np.array(c["state"]) - np.array(c["projection"])))
    print(f"  fout N={c['N']:2d}: rms {c['rms']:.3e}  max {c['max']:.3e}  |state - projection| (first 8) {d:.2e}")
