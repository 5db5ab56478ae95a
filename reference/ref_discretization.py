#!/usr/bin/env python3
"""Reference numbers for page 2 (discretization), written to reference/fixtures/discretization.json.

Independent of the site's kernels: scipy.signal.cont2discrete for zoh, bilinear, euler and
backward_diff, scipy.linalg.expm for Mamba's rule (A by ZOH, B̄ = ΔB), and the exact
response of x' = Ax + Bu, y = Cx to u(t) = sin(ωt) in closed form:
  x(t) = x_p(t) − e^{At} x_p(0),  x_p(t) = Im[(iωI − A)⁻¹ B e^{iωt}].
For each Δ the discrete input is u_k = sin(ω(k + 1/2)Δ) (held on [kΔ, (k+1)Δ), sampled at
the midpoint as in src/kernels/signals.ts) and the error is max_k |y_k − y((k+1)Δ)| over
(k+1)Δ ≤ T. Also: the unit-step error (ZOH exact), Euler's stability bound, the mixed-rule
B̄ gap. Deterministic (no randomness needed)."""
import json
import os

import numpy as np
from scipy.linalg import expm
from scipy.signal import cont2discrete

HERE = os.path.dirname(os.path.abspath(__file__))

A = np.array([[-0.5, 3.0], [-3.0, -0.5]])
B = np.array([[0.0], [1.0]])
C = np.array([[1.0, 0.0]])
D = np.zeros((1, 1))
T = 10.0
FREQ = 0.2
W = 2 * np.pi * FREQ
DELTAS = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2]
SCIPY = {"zoh": "zoh", "bilinear": "bilinear", "euler": "euler", "backward-euler": "backward_diff"}


def discretize(method, delta):
    if method == "mamba":
        return expm(delta * A), delta * B
    Ad, Bd, *_ = cont2discrete((A, B, C, D), delta, method=SCIPY[method])
    return Ad, Bd


def exact_sine(t):
    xp = lambda s: np.imag(np.linalg.solve(1j * W * np.eye(2) - A, B[:, 0]) * np.exp(1j * W * s))
    x0 = xp(0.0)
    return np.array([C[0] @ (xp(s) - expm(A * s) @ x0) for s in t])


def exact_step(t):
    # x(t) = A⁻¹(e^{At} − I) B for a unit step from x(0) = 0.
    return np.array([C[0] @ np.linalg.solve(A, (expm(A * s) - np.eye(2)) @ B[:, 0]) for s in t])


def run(Ad, Bd, u):
    x = np.zeros(2)
    y = []
    for uk in u:
        x = Ad @ x + Bd[:, 0] * uk
        y.append(C[0] @ x)
    return np.array(y)


out = {"A": A.tolist(), "B": B.tolist(), "C": C.tolist(), "T": T, "freq": FREQ, "deltas": DELTAS,
       "sine": {}, "step": {}, "matrices": {}}
for method in ["zoh", "bilinear", "euler", "backward-euler", "mamba"]:
    es, ep = [], []
    for delta in DELTAS:
        l = int(np.floor(T / delta + 1e-9))
        t = (np.arange(l) + 1) * delta
        Ad, Bd = discretize(method, delta)
        u = np.sin(W * (np.arange(l) + 0.5) * delta)
        es.append(float(np.max(np.abs(run(Ad, Bd, u) - exact_sine(t)))))
        ep.append(float(np.max(np.abs(run(Ad, Bd, np.ones(l)) - exact_step(t)))))
    out["sine"][method] = es
    out["step"][method] = ep
    Ad, Bd = discretize(method, 0.1)
    out["matrices"][method] = {"delta": 0.1, "Ab": Ad.tolist(), "Bb": Bd.tolist()}

lam = np.linalg.eigvals(A)
out["euler_stable_below"] = float(min(-2 * l.real / abs(l) ** 2 for l in lam))
zs = [-1e-3, -0.1, -1.0, -5.0, 0.5]
out["mixed_gap"] = {"z": zs, "gap": [float(abs(z / np.expm1(z) - 1)) for z in zs]}
out["mixed_gap_2x2"] = {"deltas": DELTAS, "gap": [
    float(np.linalg.norm(d * B[:, 0] - discretize("zoh", d)[1][:, 0]) / np.linalg.norm(discretize("zoh", d)[1][:, 0]))
    for d in DELTAS]}

os.makedirs(os.path.join(HERE, "fixtures"), exist_ok=True)
with open(os.path.join(HERE, "fixtures", "discretization.json"), "w") as f:
    json.dump(out, f, indent=1)
print("ref_discretization: wrote fixtures/discretization.json")
