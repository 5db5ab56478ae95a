#!/usr/bin/env python3
"""Reference values for the sequence kernels (linearScan, selectiveScan, softmaxAttention,
linearAttention), computed with plain Python/numpy loops in float64 from float32 inputs.

Independent of the TypeScript kernels: every recurrence here is the textbook loop over t
(no parallel scan, no masked matrices), so a fixture match is evidence, not a tautology.
Writes reference/fixtures/seq.json. Run standalone (python3 reference/ref_seq.py) or through
reference/make_fixtures.py (npm run fixtures). Seeded: the output is reproducible.
"""
import json
import math
import os

import numpy as np

SEED = 20240611
NORM_EPS = 1e-6  # same guard as src/kernels/attention.ts: |den| < eps -> +-eps
rng = np.random.default_rng(SEED)


def f32(x):
    """Round to float32 (the kernels' input precision), return float64 for the math."""
    return np.asarray(x, dtype=np.float32).astype(np.float64)


def flat(x):
    """Flat list with 9 significant digits: exact for float32 values, short in JSON."""
    return [float("%.9g" % v) for v in np.asarray(x, dtype=np.float64).ravel()]


# ---------------------------------------------------------------- linearScan
def linear_scan_ref(a, b):
    """h_t = a_t * h_{t-1} + b_t along axis 0, h_{-1} = 0, as a loop over t."""
    h = np.zeros_like(b)
    prev = np.zeros(b.shape[1:])
    for t in range(b.shape[0]):
        prev = a[t] * prev + b[t]
        h[t] = prev
    return h


def linear_scan_cases():
    cases = []
    shapes = [(1,), (1, 3), (2,), (7,), (13, 4), (100,), (33, 2, 3), (64, 5), (257,), (5, 2, 2, 2)]
    for shape in shapes:
        # a mixes decays in (0.5, 1) with a few sign flips, as a gate might
        a = f32(rng.uniform(0.5, 1.0, shape) * np.where(rng.uniform(size=shape) < 0.2, -1, 1))
        b = f32(rng.normal(size=shape))
        cases.append({"name": "shape " + "x".join(map(str, shape)), "shape": list(shape),
                      "a": flat(a), "b": flat(b), "h": flat(linear_scan_ref(a, b))})
    return cases


# ---------------------------------------------------------------- selectiveScan
def softplus(x):
    return np.log1p(np.exp(x))


def selective_scan_ref(u, delta, A, B, C, D):
    """mamba-minimal's selective_scan with a loop over b, t, d, n (shapes (b,l,d) etc.)."""
    nb, l, d = u.shape
    n = A.shape[1]
    y = np.zeros((nb, l, d))
    for ib in range(nb):
        h = np.zeros((d, n))
        for t in range(l):
            for c in range(d):
                for k in range(n):
                    Ab = math.exp(delta[ib, t, c] * A[c, k])
                    h[c, k] = Ab * h[c, k] + delta[ib, t, c] * B[ib, t, k] * u[ib, t, c]
                y[ib, t, c] = sum(C[ib, t, k] * h[c, k] for k in range(n))
                if D is not None:
                    y[ib, t, c] += D[c] * u[ib, t, c]
    return y


def selective_scan_cases():
    cases = []
    for name, (nb, l, d, n, withD) in {
        "small b=2 l=8 d=3 n=4": (2, 8, 3, 4, True),
        "no D b=1 l=5 d=2 n=3": (1, 5, 2, 3, False),
        "l=1 b=1 d=2 n=2": (1, 1, 2, 2, True),
        "mamba-sized b=1 l=64 d=8 n=16": (1, 64, 8, 16, True),
    }.items():
        u = f32(rng.normal(size=(nb, l, d)))
        delta = f32(softplus(rng.normal(-1.0, 1.0, size=(nb, l, d))))  # > 0, like Mamba's
        A = f32(-np.tile(np.arange(1, n + 1), (d, 1)) * rng.uniform(0.5, 1.5, size=(d, n)))  # S4D-real-like
        B = f32(rng.normal(size=(nb, l, n)))
        C = f32(rng.normal(size=(nb, l, n)))
        D = f32(rng.normal(size=(d,))) if withD else None
        y = selective_scan_ref(u, delta, A, B, C, D)
        cases.append({"name": name, "b": nb, "l": l, "d": d, "n": n,
                      "u": flat(u), "delta": flat(delta), "A": flat(A), "B": flat(B), "C": flat(C),
                      "D": flat(D) if D is not None else None, "y": flat(y)})
    return cases


# ---------------------------------------------------------------- attention
def softmax_attention_ref(q, k, v, causal):
    l, dk = q.shape
    o = np.zeros((l, v.shape[1]))
    W = np.zeros((l, l))
    for t in range(l):
        end = t + 1 if causal else l
        s = np.array([q[t] @ k[j] / math.sqrt(dk) for j in range(end)])
        w = np.exp(s - s.max())
        w /= w.sum()
        W[t, :end] = w
        o[t] = sum(w[j] * v[j] for j in range(end))
    return o, W


FEATURE_MAPS = {
    "elu1": lambda x: np.where(x > 0, x + 1.0, np.exp(x)),  # elu(x) + 1
    "relu": lambda x: np.maximum(x, 0.0),
    "identity": lambda x: x,
}


def linear_attention_ref(q, k, v, feature_map, gamma, normalize):
    """The recurrent form: S_t = g S_{t-1} + phi(k_t)^T v_t, z_t = g z_{t-1} + phi(k_t)."""
    phi = FEATURE_MAPS[feature_map]
    l, dv = v.shape
    S = np.zeros((q.shape[1], dv))
    z = np.zeros(q.shape[1])
    o = np.zeros((l, dv))
    min_den = math.inf
    for t in range(l):
        pk, pq = phi(k[t]), phi(q[t])
        S = gamma * S + np.outer(pk, v[t])
        z = gamma * z + pk
        num = pq @ S
        if normalize == "sum":
            den = pq @ z
            min_den = min(min_den, abs(den))
            if abs(den) < NORM_EPS:
                den = -NORM_EPS if den < 0 else NORM_EPS
            o[t] = num / den
        else:
            o[t] = num
    return o, min_den


def attention_cases():
    l, dk, dv = 12, 4, 3
    q = f32(rng.normal(size=(l, dk)))
    k = f32(rng.normal(size=(l, dk)))
    v = f32(rng.normal(size=(l, dv)))
    soft = []
    for causal in (True, False):
        o, W = softmax_attention_ref(q, k, v, causal)
        soft.append({"name": f"l={l} causal={causal}", "causal": causal, "l": l, "dk": dk, "dv": dv,
                     "q": flat(q), "k": flat(k), "v": flat(v), "o": flat(o), "weights": flat(W)})
    # identity features with "sum" can have denominators near 0 (an ill-posed division):
    # give q, k a positive mean so phi(q_t).z_t stays away from 0 for every map.
    lq = f32(rng.normal(0.4, 0.6, size=(l, dk)))
    lk = f32(rng.normal(0.4, 0.6, size=(l, dk)))
    # one all-negative query row: its relu features are 0, so "sum" hits the eps guard
    lq[3] = -np.abs(lq[3]) - 0.1
    lin = []
    for fm in FEATURE_MAPS:
        for gamma in (1.0, 0.9):
            for normalize in ("sum", "none"):
                o, min_den = linear_attention_ref(lq, lk, v, fm, gamma, normalize)
                lin.append({"name": f"{fm} decay={gamma} {normalize}", "featureMap": fm, "decay": gamma,
                            "normalize": normalize, "l": l, "dk": dk, "dv": dv,
                            "q": flat(lq), "k": flat(lk), "v": flat(v), "o": flat(o),
                            "minAbsDen": None if min_den == math.inf else float("%.6g" % min_den)})
    return soft, lin


def main():
    soft, lin = attention_cases()
    out = {
        "meta": {"generator": "reference/ref_seq.py", "seed": SEED, "numpy": np.__version__,
                 "note": "inputs are float32 values; outputs computed in float64 by loops; arrays flat, row-major",
                 "normEps": NORM_EPS},
        "linearScan": linear_scan_cases(),
        "selectiveScan": selective_scan_cases(),
        "softmaxAttention": soft,
        "linearAttention": lin,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "seq.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
