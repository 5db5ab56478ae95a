#!/usr/bin/env python3
"""Reference values for the scan levels of page 5 (src/kernels/seq/scanLevels.ts): every level
of the Hillis-Steele scan (Hillis & Steele 1986) and of Blelloch's up-sweep and down-sweep
(Blelloch 1990) of h_t = a_t * h_{t-1} + b_t, in float64 from float32 inputs.

Independent of the TypeScript kernels: each level is computed from its *definition* with plain
loops over windows of steps (the composite of the affine maps of steps i..j applied in order),
not by running the parallel algorithm, so a fixture match checks the algorithm's invariant:
  Hillis-Steele level k, position t: the composite of steps max(0, t - 2^k + 1) .. t
  Blelloch up level k, node j:       the composite of steps j*2^k .. (j+1)*2^k - 1 (padded with identities)
  Blelloch down level k, node j:     the composite of steps 0 .. j*2^k - 1 (identity for j = 0)
Writes reference/fixtures/scanlevels.json. Seeded.
"""
import json
import os

import numpy as np

SEED = 20261202
rng = np.random.default_rng(SEED)


def f32(x):
    return np.asarray(x, dtype=np.float32).astype(np.float64)


def flat(x):
    return [float("%.9g" % v) for v in np.asarray(x, dtype=np.float64).ravel()]


def composite(a, b, i, j):
    """The pair (A, B) of the maps of steps i..j (inclusive) applied in order; (1, 0) if empty."""
    A = np.ones(a.shape[1:])
    B = np.zeros(a.shape[1:])
    for t in range(i, j + 1):
        if t >= a.shape[0]:  # padding: the identity
            continue
        A = a[t] * A
        B = a[t] * B + b[t]
    return A, B


def case(shape):
    a = f32(rng.uniform(0.3, 1.0, shape) * np.where(rng.uniform(size=shape) < 0.15, -1, 1))
    b = f32(rng.normal(size=shape))
    l = shape[0]
    P = 1
    while P < l:
        P *= 2
    hs = []
    s = 1
    k = 0
    while True:
        w = 2 ** k  # window length after level k
        A = np.stack([composite(a, b, max(0, t - w + 1), t)[0] for t in range(l)])
        B = np.stack([composite(a, b, max(0, t - w + 1), t)[1] for t in range(l)])
        hs.append({"a": flat(A), "b": flat(B)})
        if w >= l:
            break
        k += 1
    up, down = [], []
    K = int(np.log2(P))
    for k in range(K + 1):
        m = P // 2 ** k
        A = np.stack([composite(a, b, j * 2 ** k, (j + 1) * 2 ** k - 1)[0] for j in range(m)])
        B = np.stack([composite(a, b, j * 2 ** k, (j + 1) * 2 ** k - 1)[1] for j in range(m)])
        up.append({"a": flat(A), "b": flat(B)})
        A = np.stack([composite(a, b, 0, j * 2 ** k - 1)[0] for j in range(m)])
        B = np.stack([composite(a, b, 0, j * 2 ** k - 1)[1] for j in range(m)])
        down.append({"a": flat(A), "b": flat(B)})
    h = np.stack([composite(a, b, 0, t)[1] for t in range(l)])
    return {"name": "shape " + "x".join(map(str, shape)), "shape": list(shape), "P": P,
            "a": flat(a), "b": flat(b), "hillisSteele": hs, "up": up, "down": down, "h": flat(h)}


def main():
    shapes = [(1,), (2,), (3, 2), (5,), (8,), (11, 3), (16,), (13, 2, 2), (33,)]
    out = {"seed": SEED, "scanLevels": [case(s) for s in shapes]}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "scanlevels.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
