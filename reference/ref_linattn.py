#!/usr/bin/env python3
"""Reference values for page 6's kernels (linear attention with GroupNorm, multi-head decay,
Performer random features, Mamba-2's SSD), computed with numpy in float64 from float32 inputs.

Independent of the TypeScript kernels:
  - linear attention: the textbook recurrence over t (S_t = g S_{t-1} + phi(k_t)^T v_t), then
    the normaliser, per head; GroupNorm as torch.nn.GroupNorm(num_groups=h, affine=False) does
    it (mean 0, biased variance 1 over each head's d_v outputs, eps 1e-5), as in SUPRA
    (Mercat et al. 2024, "Linearizing Large Language Models");
  - SSD: (1) a plain loop S_t = exp(a_t) S_{t-1} + x_t B_t^T, y_t = S_t C_t, and (2) a port to
    numpy of the chunked algorithm of Mamba-2 (Dao & Gu 2024, "Transformers are SSMs", Listing 1,
    `ssd_minimal_discrete` in state-spaces/mamba): segment sums by masked cumsums, intra-chunk
    outputs, chunk states, inter-chunk recurrence, state-to-output. The script checks (1) = (2)
    before writing anything, so the two independent forms vouch for each other.
Writes reference/fixtures/linattn.json. Run standalone or through reference/make_fixtures.py.
Seeded: the output is reproducible.
"""
import json
import math
import os

import numpy as np

SEED = 20240510
GN_EPS = 1e-5    # GroupNorm's eps (torch default, SUPRA's setting)
NORM_EPS = 1e-6  # guard of the "sum" normaliser in src/kernels/seq/attention.ts
rng = np.random.default_rng(SEED)


def f32(x):
    """Round to float32 (the kernels' input precision), return float64 for the math."""
    return np.asarray(x, dtype=np.float32).astype(np.float64)


def flat(x):
    """Flat list with 9 significant digits: exact for float32 values, short in JSON."""
    return [float("%.9g" % v) for v in np.asarray(x, dtype=np.float64).ravel()]


FEATURE_MAPS = {
    "elu1": lambda x: np.where(x > 0, x + 1.0, np.exp(np.minimum(x, 0.0))),
    "relu": lambda x: np.maximum(x, 0.0),
    "identity": lambda x: x,
}


def group_norm(o):
    """One group (a head's d_v outputs): (o - mean) / sqrt(var + eps), biased variance."""
    mu = o.mean()
    var = ((o - mu) ** 2).mean()
    return (o - mu) / math.sqrt(var + GN_EPS)


def linear_attention_head(pq, pk, v, gamma, normalize):
    """One head, features already applied: pq, pk (l, dk'); v (l, dv). A loop over t."""
    l, dv = v.shape
    S = np.zeros((pk.shape[1], dv))
    z = np.zeros(pk.shape[1])
    o = np.zeros((l, dv))
    for t in range(l):
        S = gamma * S + np.outer(pk[t], v[t])
        z = gamma * z + pk[t]
        num = pq[t] @ S
        if normalize == "sum":
            den = pq[t] @ z
            if abs(den) < NORM_EPS:
                den = -NORM_EPS if den < 0 else NORM_EPS
            o[t] = num / den
        elif normalize == "groupnorm":
            o[t] = group_norm(num)
        else:
            o[t] = num
    return o


# ---------------------------------------------------------------- groupnorm, single head
def groupnorm_cases():
    cases = []
    l, dk, dv = 11, 4, 5
    q = f32(rng.normal(size=(l, dk)))
    k = f32(rng.normal(size=(l, dk)))
    v = f32(rng.normal(size=(l, dv)))
    q[4] = -np.abs(q[4]) - 0.2  # relu features 0 at t = 4: a zero numerator row, GroupNorm gives 0
    for fm in FEATURE_MAPS:
        for gamma in (1.0, 0.8):
            o = linear_attention_head(FEATURE_MAPS[fm](q), FEATURE_MAPS[fm](k), v, gamma, "groupnorm")
            cases.append({"name": f"{fm} decay={gamma} groupnorm l={l}", "featureMap": fm, "decay": gamma,
                          "normalize": "groupnorm", "l": l, "dk": dk, "dv": dv,
                          "q": flat(q), "k": flat(k), "v": flat(v), "o": flat(o)})
    # d_v = 1: every row has variance 0, so GroupNorm gives exactly 0 (never 0/0)
    v1 = f32(rng.normal(size=(l, 1)))
    o = linear_attention_head(FEATURE_MAPS["elu1"](q), FEATURE_MAPS["elu1"](k), v1, 0.9, "groupnorm")
    cases.append({"name": "elu1 decay=0.9 groupnorm d_v=1", "featureMap": "elu1", "decay": 0.9, "normalize": "groupnorm",
                  "l": l, "dk": dk, "dv": 1, "q": flat(q), "k": flat(k), "v": flat(v1), "o": flat(o)})
    return cases


# ---------------------------------------------------------------- multi-head with per-head decay
def retnet_decays(h):
    """RetNet's gamma_h = 1 - 2^(-5-h) (Sun et al. 2023)."""
    return [1.0 - 2.0 ** (-5 - i) for i in range(h)]


def heads_cases():
    cases = []
    for name, (nb, l, h, dk, dv, decay, fm, normalize) in {
        "b=2 l=9 h=3 elu1 sum": (2, 9, 3, 4, 3, [0.5, 0.9, 1.0], "elu1", "sum"),
        "b=1 l=13 h=4 relu groupnorm": (1, 13, 4, 3, 4, [0.6, 0.7, 0.8, 0.95], "relu", "groupnorm"),
        "b=2 l=7 h=2 identity none": (2, 7, 2, 3, 2, [0.75, 0.99], "identity", "none"),
        "b=1 l=10 h=4 elu1 groupnorm retnet": (1, 10, 4, 4, 4, retnet_decays(4), "elu1", "groupnorm"),
    }.items():
        decay = [float(np.float32(g)) for g in decay]
        q = f32(rng.normal(0.3, 1.0, size=(nb, l, h, dk)))
        k = f32(rng.normal(0.3, 1.0, size=(nb, l, h, dk)))
        v = f32(rng.normal(size=(nb, l, h, dv)))
        phi = FEATURE_MAPS[fm]
        o = np.zeros((nb, l, h, dv))
        for ib in range(nb):
            for ih in range(h):
                o[ib, :, ih] = linear_attention_head(phi(q[ib, :, ih]), phi(k[ib, :, ih]), v[ib, :, ih], decay[ih], normalize)
        cases.append({"name": name, "b": nb, "l": l, "h": h, "dk": dk, "dv": dv, "decay": decay, "featureMap": fm,
                      "normalize": normalize, "q": flat(q), "k": flat(k), "v": flat(v), "o": flat(o)})
    return cases


# ---------------------------------------------------------------- Performer positive random features
def performer_cases():
    """phi(x) = exp(W x' - |x'|^2 / 2) / sqrt(m) with x' = x / d^(1/4) (Choromanski et al. 2021,
    FAVOR+), so phi(q).phi(k) is an unbiased estimate of exp(q.k / sqrt(d))."""
    l, dk, dv, m = 8, 4, 3, 16
    q = f32(rng.normal(size=(l, dk)) * 0.7)
    k = f32(rng.normal(size=(l, dk)) * 0.7)
    v = f32(rng.normal(size=(l, dv)))
    W = f32(rng.normal(size=(m, dk)))

    def phi(x):
        xs = x / dk ** 0.25
        return np.exp(xs @ W.T - 0.5 * (xs ** 2).sum(1, keepdims=True)) / math.sqrt(m)

    o = linear_attention_head(phi(q), phi(k), v, 1.0, "sum")
    return [{"name": f"m={m} l={l} d_k={dk}", "l": l, "dk": dk, "dv": dv, "m": m, "q": flat(q), "k": flat(k),
             "v": flat(v), "W": flat(W), "phiQ": flat(phi(q)), "o": flat(o)}]


# ---------------------------------------------------------------- SSD
def ssd_loop(x, a, B, C, S0=None):
    """S_t = exp(a_t) S_{t-1} + x_t B_t^T (p, n); y_t = S_t C_t. x (b,l,h,p); a (b,l,h); B, C (b,l,h,n)."""
    nb, l, h, p = x.shape
    n = B.shape[-1]
    y = np.zeros((nb, l, h, p))
    S = np.zeros((nb, h, p, n)) if S0 is None else S0.copy()
    for ib in range(nb):
        for ih in range(h):
            s = S[ib, ih]
            for t in range(l):
                s = math.exp(a[ib, t, ih]) * s + np.outer(x[ib, t, ih], B[ib, t, ih])
                y[ib, t, ih] = s @ C[ib, t, ih]
            S[ib, ih] = s
    return y, S


def segsum(x):
    """Stable segment sums: out[..., i, j] = x[j+1] + ... + x[i] for j <= i, -inf above the
    diagonal; masked cumsums, never differences of large cumulative sums."""
    T = x.shape[-1]
    X = np.repeat(x[..., :, None], T, axis=-1)  # X[..., i, j] = x[i]
    X = np.where(np.tril(np.ones((T, T), bool), -1), X, 0.0)
    out = np.cumsum(X, axis=-2)
    return np.where(np.tril(np.ones((T, T), bool), 0), out, -np.inf)


def ssd_minimal_numpy(x, a, B, C, chunk, S0=None):
    """The chunked SSD algorithm (Listing 1 of Dao & Gu 2024) in numpy. x (b,l,h,p); a (b,l,h);
    B, C (b,l,h,n) (one group per head); l must be a multiple of chunk."""
    nb, l, h, p = x.shape
    assert l % chunk == 0
    c = l // chunk
    X = x.reshape(nb, c, chunk, h, p)                              # b c l h p
    A = a.reshape(nb, c, chunk, h).transpose(0, 3, 1, 2)           # b h c l
    Bc = B.reshape(nb, c, chunk, h, -1)                            # b c l h n
    Cc = C.reshape(nb, c, chunk, h, -1)
    A_cumsum = np.cumsum(A, axis=-1)
    # 1. intra-chunk (diagonal blocks)
    Lm = np.exp(segsum(A))                                         # b h c l s
    Y_diag = np.einsum("bclhn,bcshn,bhcls,bcshp->bclhp", Cc, Bc, Lm, X)
    # 2. chunk states (B terms of the low-rank off-diagonal blocks)
    decay_states = np.exp(A_cumsum[..., -1:] - A_cumsum)          # b h c l
    states = np.einsum("bclhn,bhcl,bclhp->bchpn", Bc, decay_states, X)
    chunk_states = states
    # 3. inter-chunk recurrence (A terms)
    init = np.zeros_like(states[:, :1]) if S0 is None else S0[:, None]
    states = np.concatenate([init, states], axis=1)                # b (c+1) h p n
    decay_chunk = np.exp(segsum(np.pad(A_cumsum[..., -1], [(0, 0), (0, 0), (1, 0)])))  # b h z c
    new_states = np.einsum("bhzc,bchpn->bzhpn", decay_chunk, states)
    states, final_state = new_states[:, :-1], new_states[:, -1]
    # 4. state -> output (C terms)
    Y_off = np.einsum("bclhn,bchpn,bhcl->bclhp", Cc, states, np.exp(A_cumsum))
    return (Y_diag + Y_off).reshape(nb, l, h, p), final_state, {
        "yDiag": Y_diag.reshape(nb, l, h, p), "yOff": Y_off.reshape(nb, l, h, p),
        "chunkStates": chunk_states, "startStates": states}


def ssd_cases():
    cases = []
    for name, (nb, l, h, p, n, chunks, with_s0) in {
        "b=1 l=8 h=1 p=2 n=3": (1, 8, 1, 2, 3, [1, 2, 4, 8], False),
        "b=2 l=12 h=3 p=3 n=4 initial state": (2, 12, 3, 3, 4, [3, 4, 6], True),
        "b=1 l=13 h=2 p=4 n=2 (odd l)": (1, 13, 2, 4, 2, [1, 13], True),
        "b=1 l=1 h=2 p=1 n=1": (1, 1, 2, 1, 1, [1], True),
        "b=1 l=32 h=2 p=8 n=16": (1, 32, 2, 8, 16, [8, 16], False),
    }.items():
        x = f32(rng.normal(size=(nb, l, h, p)))
        dt = np.log1p(np.exp(rng.normal(-1.0, 1.0, size=(nb, l, h))))   # softplus: Delta > 0
        A = -np.exp(rng.uniform(-1.0, 1.0, size=(h,)))                 # scalar A < 0 per head
        a = f32(dt * A)                                                # a = Delta A <= 0
        a[0, 0, 0] = 0.0                                               # a = 0 (no decay) is allowed
        B = f32(rng.normal(size=(nb, l, h, n)))
        C = f32(rng.normal(size=(nb, l, h, n)))
        S0 = f32(rng.normal(size=(nb, h, p, n))) if with_s0 else None
        y, S = ssd_loop(x, a, B, C, S0)
        for chunk in chunks:  # the two independent forms must agree before anything is written
            ym, Sm, _ = ssd_minimal_numpy(x, a, B, C, chunk, S0)
            assert np.allclose(ym, y, atol=1e-9, rtol=1e-9), (name, chunk, np.abs(ym - y).max())
            assert np.allclose(Sm, S, atol=1e-9, rtol=1e-9), (name, chunk)
        case = {"name": name, "b": nb, "l": l, "h": h, "p": p, "n": n, "x": flat(x), "a": flat(a), "B": flat(B),
                "C": flat(C), "initialState": flat(S0) if S0 is not None else None, "y": flat(y), "finalState": flat(S),
                "checkedChunks": chunks}
        cases.append(case)
    return cases


def ssd_steps_case():
    """The chunk-by-chunk intermediates of the numpy port, for one small case (l a multiple of chunk)."""
    nb, l, h, p, n, chunk = 1, 12, 2, 2, 3, 4
    x = f32(rng.normal(size=(nb, l, h, p)))
    a = f32(-np.abs(rng.normal(0.3, 0.3, size=(nb, l, h))))
    B = f32(rng.normal(size=(nb, l, h, n)))
    C = f32(rng.normal(size=(nb, l, h, n)))
    S0 = f32(rng.normal(size=(nb, h, p, n)))
    y, S, steps = ssd_minimal_numpy(x, a, B, C, chunk, S0)
    yl, Sl = ssd_loop(x, a, B, C, S0)
    assert np.allclose(y, yl, atol=1e-9) and np.allclose(S, Sl, atol=1e-9)
    A = a.reshape(nb, l // chunk, chunk, h).transpose(0, 3, 1, 2)
    return {"name": f"b={nb} l={l} h={h} p={p} n={n} chunk={chunk}", "b": nb, "l": l, "h": h, "p": p, "n": n,
            "chunk": chunk, "x": flat(x), "a": flat(a), "B": flat(B), "C": flat(C), "initialState": flat(S0),
            "y": flat(y), "finalState": flat(S), "yDiag": flat(steps["yDiag"]), "yOff": flat(steps["yOff"]),
            "chunkStates": flat(steps["chunkStates"]), "startStates": flat(steps["startStates"]),
            "L": flat(np.exp(segsum(A)))}


def semiseparable_case():
    """L_ts = exp(a_{s+1} + ... + a_t) for s <= t, 0 above: a (l) -> (l, l), by products."""
    l = 6
    a = f32(-rng.uniform(0, 1, size=l))
    L = np.zeros((l, l))
    for t in range(l):
        for s in range(t + 1):
            L[t, s] = np.prod([math.exp(a[r]) for r in range(s + 1, t + 1)])
    return {"l": l, "a": flat(a), "L": flat(L)}


def main():
    out = {
        "meta": {"generator": "reference/ref_linattn.py", "seed": SEED, "numpy": np.__version__,
                 "note": "inputs are float32 values; outputs computed in float64; arrays flat, row-major",
                 "groupNormEps": GN_EPS, "normEps": NORM_EPS},
        "groupnorm": groupnorm_cases(),
        "heads": heads_cases(),
        "performer": performer_cases(),
        "ssd": ssd_cases(),
        "ssdSteps": ssd_steps_case(),
        "semiseparable": semiseparable_case(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "linattn.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
