#!/usr/bin/env python3
"""Reference values for the family kernels (src/kernels/family/*.ts): RWKV-4's WKV, Mega's
damped EMA, RetNet's retention (+ its rotation), VMamba's cross-scan, S5, the DSS kernel, H3
and GSS, computed with numpy in float64/complex128 from float32 inputs.

Independent of the TypeScript kernels: each function follows the paper's formula or the
official code's algorithm (named in its docstring), not the TypeScript: WKV by the CUDA
kernel's loop and by the paper's sum; the EMA by Mega's `_compute_kernel` + FFT; retention by
its parallel form (checked here against the recurrence); the cross-scan by the flatten /
transpose / flip of VMamba's CrossScan and CrossMerge; S5 by `discretize_zoh` + a sequential
scan; DSS by the complex softmax of the annotated DSS; H3 and GSS by FFT convolutions as
their official forwards / pseudocode. Seeded; writes reference/fixtures/family.json.
"""
import json
import math
import os

import numpy as np

SEED = 20240314
rng = np.random.default_rng(SEED)


def f32(x):
    """Round to float32 (the kernels' input precision), return float64 for the math."""
    return np.asarray(x, dtype=np.float32).astype(np.float64)


def flat(x):
    """Flat list with 9 significant digits: exact for float32 values, short in JSON."""
    return [float("%.9g" % v) for v in np.asarray(x, dtype=np.float64).ravel()]


def cflat(z):
    return {"re": flat(np.real(z)), "im": flat(np.imag(z))}


# ---------------------------------------------------------------- RWKV-4 WKV
def wkv_cuda_loop(w, u, k, v):
    """RWKV-LM RWKV-v4/cuda/wkv_cuda.cu kernel_forward, with w_code = -w (here w >= 0 is the decay)."""
    l, d = k.shape
    y = np.zeros((l, d))
    for c in range(d):
        p, q, o = 0.0, 0.0, -1e38
        for t in range(l):
            no = max(o, u[c] + k[t, c])
            A, B = math.exp(o - no), math.exp(u[c] + k[t, c] - no)
            y[t, c] = (A * p + B * v[t, c]) / (A * q + B)
            no = max(-w[c] + o, k[t, c])
            A, B = math.exp(-w[c] + o - no), math.exp(k[t, c] - no)
            p, q, o = A * p + B * v[t, c], A * q + B, no
    return y


def wkv_closed(w, u, k, v):
    """The paper's sum, as log-sum-exp over s <= t of the logits -(t-1-s)w + k_s and u + k_t."""
    l, d = k.shape
    y = np.zeros((l, d))
    for t in range(l):
        z = np.array([-(t - 1 - s) * w + k[s] for s in range(t)] + [u + k[t]])  # (t+1, d)
        m = z.max(axis=0)
        e = np.exp(z - m)
        y[t] = (e * v[: t + 1]).sum(axis=0) / e.sum(axis=0)
    return y


def wkv_cases():
    out = []
    for name, l, d, kscale in [("l=1 d=2", 1, 2, 1.0), ("l=7 d=3", 7, 3, 1.0), ("l=33 d=4", 33, 4, 2.0), ("large k l=20 d=2", 20, 2, 60.0)]:
        w = f32(np.exp(rng.normal(-1.0, 1.0, d)))  # w = exp(time_decay) > 0
        u = f32(rng.normal(0.0, 1.0, d))
        k = f32(rng.normal(0.0, 1.0, (l, d)) * kscale + (40.0 if kscale > 10 else 0.0))
        v = f32(rng.normal(size=(l, d)))
        y = wkv_cuda_loop(w, u, k, v)
        yc = wkv_closed(w, u, k, v)
        assert np.allclose(y, yc, rtol=1e-10, atol=1e-12), name
        out.append({"name": name, "l": l, "d": d, "w": flat(w), "u": flat(u), "k": flat(k), "v": flat(v), "y": flat(y)})
    return out


# ---------------------------------------------------------------- Mega EMA
def mega_kernel(alpha, delta, beta, eta, L):
    """fairseq/modules/exponential_moving_average.py _compute_kernel (eta already scaled)."""
    p, q = alpha[..., None], 1.0 - alpha[..., None] * delta[..., None]  # (d, h, 1)
    vander = np.arange(L)[None, None, :] * np.log(q)
    kernel = (p * beta[..., None]) * np.exp(vander)  # (d, h, L)
    return np.einsum("dnl,dn->dl", kernel, eta)


def mega_ema(x, alpha, delta, beta, eta, omega=None):
    """The official forward without incremental state: FFT convolution with n = 2L, then silu(out + omega x)."""
    l, d = x.shape
    K = mega_kernel(alpha, delta, beta, eta, l)
    out = np.fft.irfft(np.fft.rfft(x.T, n=2 * l) * np.fft.rfft(K, n=2 * l), n=2 * l)[..., :l].T  # (l, d)
    # the recurrence, as a check of the convolution
    hstate = np.zeros(alpha.shape)
    rec = np.zeros((l, d))
    for t in range(l):
        hstate = alpha * beta * x[t][:, None] + (1 - alpha * delta) * hstate
        rec[t] = (eta * hstate).sum(axis=1)
    assert np.allclose(out, rec, atol=1e-10), "EMA conv != recurrence"
    if omega is None:
        return out, K
    z = out + omega * x
    return z / (1 + np.exp(-z)), K


def ema_cases():
    out = []
    for name, l, d, h in [("l=1 d=1 h=1", 1, 1, 1), ("l=16 d=3 h=2", 16, 3, 2), ("l=50 d=2 h=4", 50, 2, 4)]:
        sig = lambda z: 1 / (1 + np.exp(-z))
        alpha = f32(sig(rng.normal(0, 0.5, (d, h))))
        delta = f32(sig(rng.normal(0, 0.5, (d, h))))
        beta = f32(rng.normal(0, 0.02, (d, h)) + np.where(np.arange(h) % 2 == 0, 1.0, -1.0))
        eta = f32(rng.normal(0, 1, (d, h)) * math.sqrt(1 / h))
        omega = f32(rng.normal(0, 1, d))
        x = f32(rng.normal(size=(l, d)))
        y, K = mega_ema(x, alpha, delta, beta, eta)
        ys, _ = mega_ema(x, alpha, delta, beta, eta, omega)
        out.append({"name": name, "l": l, "d": d, "h": h, "x": flat(x), "alpha": flat(alpha), "delta": flat(delta),
                    "beta": flat(beta), "eta": flat(eta), "omega": flat(omega), "K": flat(K), "y": flat(y), "ySilu": flat(ys)})
    return out


# ---------------------------------------------------------------- RetNet retention
def retention_parallel(q, k, v, gamma):
    """(Q K^T * D) V with D_nm = gamma^(n-m), n >= m (RetNet's parallel form)."""
    h, l, _ = q.shape
    n = np.arange(l)
    lag = n[:, None] - n[None, :]
    D = np.where(lag >= 0, gamma[:, None, None] ** np.maximum(lag, 0), 0.0)
    o = (q @ np.swapaxes(k, 1, 2) * D) @ v
    # the recurrence, as a check
    for a in range(h):
        S = np.zeros((q.shape[2], v.shape[2]))
        for t in range(l):
            S = gamma[a] * S + np.outer(k[a, t], v[a, t])
            assert np.allclose(q[a, t] @ S, o[a, t], atol=1e-9), "retention parallel != recurrent"
    return o


def theta_shift(x, offset=0):
    """torchscale RetNetRelPos angle + theta_shift (rotate_every_two), x (h, l, d)."""
    h, l, d = x.shape
    angle = 1.0 / (10000 ** np.linspace(0, 1, d // 2))
    angle = np.repeat(angle, 2)  # unsqueeze(-1).repeat(1, 2).flatten(): interleaved copies
    index = np.arange(offset, offset + l)
    sin, cos = np.sin(index[:, None] * angle[None, :]), np.cos(index[:, None] * angle[None, :])
    x1, x2 = x[..., ::2], x[..., 1::2]
    rot = np.stack((-x2, x1), axis=-1).reshape(x.shape)
    return x * cos + rot * sin


def retention_cases():
    out = []
    for name, h, l, dk, dv in [("h=1 l=1", 1, 1, 2, 3), ("h=2 l=9", 2, 9, 4, 3), ("h=3 l=37", 3, 37, 4, 5)]:
        gamma = f32(1 - 2.0 ** (-5 - np.arange(h)))
        if h == 2:
            gamma = f32([0.5, 0.9])  # fast decays too
        q, k, v = (f32(rng.normal(size=s)) for s in [(h, l, dk), (h, l, dk), (h, l, dv)])
        o = retention_parallel(q, k, v, gamma)
        out.append({"name": name, "h": h, "l": l, "dk": dk, "dv": dv, "gamma": flat(gamma), "q": flat(q), "k": flat(k), "v": flat(v),
                    "o": flat(o), "qRot": flat(theta_shift(q, 3)), "rotOffset": 3})
    return out


# ---------------------------------------------------------------- VMamba cross-scan
def cross_scan(x):
    """CrossScan.forward on x (C, H, W): (4, C, H*W)."""
    C, H, W = x.shape
    xs = np.zeros((4, C, H * W))
    xs[0] = x.reshape(C, H * W)
    xs[1] = x.transpose(0, 2, 1).reshape(C, H * W)
    xs[2:4] = xs[0:2][..., ::-1]
    return xs


def cross_merge(ys, H, W):
    """CrossMerge.forward on ys (4, C, H*W): (C, H*W)."""
    C = ys.shape[1]
    ys = ys[0:2] + ys[2:4][..., ::-1]
    return ys[0] + ys[1].reshape(C, W, H).transpose(0, 2, 1).reshape(C, H * W)


def decay_scan(xs, a):
    """h_i = a h_{i-1} + x_i along the last axis, per channel a (C)."""
    ys = np.zeros_like(xs)
    hstate = np.zeros(xs.shape[:-1])
    for i in range(xs.shape[-1]):
        hstate = a[None, :] * hstate + xs[..., i]
        ys[..., i] = hstate
    return ys


def cross_scan_cases():
    out = []
    for name, H, W, C in [("1x1x1", 1, 1, 1), ("3x4x2", 3, 4, 2), ("5x2x3", 5, 2, 3)]:
        img = f32(rng.normal(size=(H, W, C)))  # (H, W, C), the site's layout
        a = f32(rng.uniform(0.3, 0.95, C))
        xs = cross_scan(img.transpose(2, 0, 1))  # (4, C, L)
        merged = cross_merge(decay_scan(xs, a), H, W)  # (C, L)
        out.append({"name": name, "H": H, "W": W, "C": C, "x": flat(img), "a": flat(a),
                    "seqs": flat(xs.transpose(0, 2, 1)), "y": flat(merged.T)})  # seqs (4, L, C), y (H, W, C)
    return out


# ---------------------------------------------------------------- S5
def hippo_n_eigs(N):
    """S5 ssm_init.make_DPLR_HiPPO: S = A + P P^T, Lambda_imag from eigh(S * -1j)."""
    n = np.arange(N)
    P = np.sqrt(n + 0.5)
    A = np.where(n[:, None] > n[None, :], -np.sqrt(2 * n[:, None] + 1) * np.sqrt(2 * n[None, :] + 1), 0.0) - np.diag(n + 1.0)
    S = A + P[:, None] * P[None, :]
    lam_imag, _ = np.linalg.eigh(S * -1j)
    return np.mean(np.diag(S)), lam_imag  # real part (-1/2), imag parts ascending


def s5_apply(Lambda, B, C, D, delta, u, conj):
    """discretize_zoh + apply_ssm (a sequential scan of binary_operator) + D u."""
    Lambda_bar = np.exp(Lambda * delta)
    B_bar = (1 / Lambda * (Lambda_bar - 1))[:, None] * B
    x = np.zeros(Lambda.shape[0], dtype=complex)
    ys = []
    for t in range(u.shape[0]):
        x = Lambda_bar * x + B_bar @ u[t]
        ys.append((2 if conj else 1) * (C @ x).real + D * u[t])
    return np.array(ys)


def s5_cases():
    out = []
    for name, L, H, P, conj in [("L=1 H=1 P=1", 1, 1, 1, True), ("L=12 H=3 P=4", 12, 3, 4, True), ("L=40 H=2 P=3 no conj", 40, 2, 3, False)]:
        re0, ims = hippo_n_eigs(2 * P)
        Lambda = f32(np.full(P, re0)) + 1j * f32(ims[:P])  # one of each pair (Im < 0), as S5 with conj_sym
        B = f32(rng.normal(0, math.sqrt(0.5 / H), (P, H))) + 1j * f32(rng.normal(0, math.sqrt(0.5 / H), (P, H)))
        C = f32(rng.normal(0, math.sqrt(0.5), (H, P))) + 1j * f32(rng.normal(0, math.sqrt(0.5), (H, P)))
        D = f32(rng.normal(size=H))
        delta = f32(np.exp(rng.uniform(math.log(0.01), math.log(0.5), P)))
        u = f32(rng.normal(size=(L, H)))
        y = s5_apply(Lambda, B, C, D, delta, u, conj)
        out.append({"name": name, "L": L, "H": H, "P": P, "conj": conj, "Lambda": cflat(Lambda), "B": cflat(B), "C": cflat(C),
                    "D": flat(D), "delta": flat(delta), "u": flat(u), "y": flat(y)})
    _, ims4 = hippo_n_eigs(8)
    return out, {"P": 4, "re": -0.5, "im": flat(ims4[:4])}


# ---------------------------------------------------------------- DSS kernel
def complex_softmax(x, eps=1e-7):
    """srush/annotated-s4 s4/dss.py complex_softmax."""
    x2 = x - x[np.argmax(x.real)]
    e = np.exp(x2)
    s = np.sum(e)
    return e * (s.conjugate() / (s * s.conjugate() + eps))


def dss_kernel(Lam, W, delta, L, variant):
    """K (h, L): softmax: Re (W/Lambda) @ row-softmax(P); exp: Re W (e^{dl}-1)/Lambda e^{k dl}."""
    h = W.shape[0]
    Lh = np.broadcast_to(Lam, W.shape)
    K = np.zeros((h, L))
    for c in range(h):
        P = (delta[c] * Lh[c])[:, None] * np.arange(L)  # (N, L)
        if variant == "softmax":
            S = np.array([complex_softmax(row) for row in P])
            K[c] = ((W[c] / Lh[c]) @ S).real
        else:
            K[c] = ((W[c] * (np.exp(delta[c] * Lh[c]) - 1) / Lh[c]) @ np.exp(P)).real
    return K


def dss_cases():
    out = []
    for name, h, N, L, variant, shared in [("softmax h=2 N=3 L=16", 2, 3, 16, "softmax", True), ("softmax Re>0 h=2 N=4 L=64", 2, 4, 64, "softmax", False),
                                         ("exp h=3 N=4 L=50", 3, 4, 50, "exp", True)]:
        shape = (N,) if shared else (h, N)
        re = -np.exp(rng.normal(-0.5, 0.5, shape))
        if "Re>0" in name:
            re = re * np.where(rng.uniform(size=shape) < 0.5, -1, 1)  # some modes grow: softmax keeps them bounded
        Lam = f32(re) + 1j * f32(rng.uniform(0, 6, shape))
        W = f32(rng.normal(size=(h, N))) + 1j * f32(rng.normal(size=(h, N)))
        delta = f32(np.exp(rng.uniform(math.log(0.01), math.log(0.3), h)))
        K = dss_kernel(Lam, W, delta, L, variant)
        out.append({"name": name, "h": h, "N": N, "L": L, "variant": variant, "Lambda": cflat(Lam), "W": cflat(W), "delta": flat(delta), "K": flat(K)})
    return out


# ---------------------------------------------------------------- H3
def fftconv(u, k, D):
    """u (..., L), k (..., L) broadcastable: irfft(rfft(u) rfft(k))[:L] + D u, fft size 2L (as H3's forward)."""
    L = u.shape[-1]
    return np.fft.irfft(np.fft.rfft(u, n=2 * L) * np.fft.rfft(k, n=2 * L), n=2 * L)[..., :L] + D * u


def h3_forward(q, k, v, shiftB, shiftC, shiftD, A, Bd, Cd, delta, Dd, p):
    """src/models/ssm/h3.py forward (the non-fused branch) between the projections. q, k, v (l, d)."""
    l, d = q.shape
    H = d // p
    N = shiftC.shape[1]
    # SSKernelShift.forward: k = irfft(B_f.conj() * C_f, n=2N)[..., :min(N, L)], padded to L
    kshift = np.fft.irfft(np.conj(np.fft.rfft(shiftB, n=2 * N)) * np.fft.rfft(shiftC, n=2 * N), n=2 * N)[..., : min(N, l)]
    kshift = np.pad(kshift, ((0, 0), (0, max(0, l - N))))
    kk = fftconv(k.T, kshift, shiftD[:, None])  # (d, l)
    # S4D (SSKernelDiag, zoh): K = 2 Re sum_n C B (e^{dt A} - 1)/A e^{k dt A}
    dtA = delta[:, None] * A[None, :]  # (H, m)
    Kd = 2 * np.einsum("hn,hnl->hl", Cd * Bd * (np.exp(dtA) - 1) / A[None, :], np.exp(dtA[:, :, None] * np.arange(l))).real
    kv = kk.reshape(H, p, 1, l) * v.T.reshape(H, 1, p, l)  # 'b (h d1) l -> b d1 1 h l' up to axis order
    y = fftconv(kv, Kd[:, None, None, :], Dd[:, None, None, None])  # (H, p, p, l)
    o = (y * q.T.reshape(H, p, 1, l)).sum(axis=1)  # (H, p_j, l)
    return o.transpose(2, 1, 0).reshape(l, d)  # 'b d h l -> b (d h) l', then (l, d)


def h3_cases():
    out = []
    for name, l, d, p, N, m in [("l=12 d=3 p=1", 12, 3, 1, 4, 3), ("l=20 d=4 p=2", 20, 4, 2, 5, 2), ("l=3 d=2 p=1 N>l", 3, 2, 1, 6, 2)]:
        H = d // p
        q, k, v = (f32(rng.normal(size=(l, d))) for _ in range(3))
        shiftB = f32(np.where(rng.uniform(size=(d, N)) < 0.5, rng.normal(size=(d, N)), 0.0))
        shiftB[:, 0] = 1.0
        shiftC = f32(rng.uniform(-1, 1, (d, N)) / math.sqrt(N))
        shiftD = f32(rng.normal(size=d))
        A = f32(np.full(m, -0.5)) + 1j * f32(math.pi * np.arange(m))
        Bd = f32(1 + 0.3 * rng.normal(size=(H, m))) + 1j * f32(0.3 * rng.normal(size=(H, m)))
        Cd = f32(rng.normal(size=(H, m))) + 1j * f32(rng.normal(size=(H, m)))
        delta = f32(np.exp(rng.uniform(math.log(0.001), math.log(0.1), H)))
        Dd = f32(rng.normal(size=H))
        y = h3_forward(q, k, v, shiftB, shiftC, shiftD, A, Bd, Cd, delta, Dd, p)
        out.append({"name": name, "l": l, "d": d, "headDim": p, "N": N, "m": m, "q": flat(q), "k": flat(k), "v": flat(v),
                    "shiftB": flat(shiftB), "shiftC": flat(shiftC), "shiftD": flat(shiftD), "A": cflat(A), "Bd": cflat(Bd), "Cd": cflat(Cd),
                    "delta": flat(delta), "Dd": flat(Dd), "y": flat(y)})
    return out


# ---------------------------------------------------------------- GSS
def layer_norm(x, eps=1e-5):
    m = x.mean(axis=-1, keepdims=True)
    return (x - m) / np.sqrt(((x - m) ** 2).mean(axis=-1, keepdims=True) + eps)


def gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def gss_forward(x, Wv, Wu, Wuc, Wo, lre, lim, C, D):
    """The paper's Pseudocode (gss, dss, simplified_dss_kernel) with LayerNorm, tanh-gelu, no biases."""
    l = x.shape[0]
    xn = layer_norm(x)
    v = gelu_tanh(xn @ Wv)
    u = layer_norm(gelu_tanh(xn @ Wu))  # (l, H): dss(u) starts with norm(u)
    Lam = -np.exp(lre) + 1j * np.exp(lim)
    S = np.exp(Lam[:, None] * np.arange(l)[None, :])  # (N, L)
    K = np.einsum("hn,nl->hl", C * (np.exp(Lam) - 1) / Lam, S).real  # (H, L)
    y = fftconv(u.T, K, D[:, None]).T  # (l, H)
    return ((y @ Wuc) * v) @ Wo + x


def gss_cases():
    out = []
    for name, l, E, F, H, N in [("l=10 E=4 F=8 H=2 N=3", 10, 4, 8, 2, 3), ("l=24 E=6 F=12 H=3 N=5", 24, 6, 12, 3, 5)]:
        x = f32(rng.normal(size=(l, E)))
        Wv, Wu, Wuc, Wo = (f32(rng.normal(size=s) / math.sqrt(s[0])) for s in [(E, F), (E, H), (H, F), (F, E)])
        lre, lim = f32(rng.normal(size=N)), f32(rng.normal(size=N))
        C = f32(rng.normal(size=(H, N))) + 1j * f32(rng.normal(size=(H, N)))
        D = f32(rng.normal(size=H))
        y = gss_forward(x, Wv, Wu, Wuc, Wo, lre, lim, C, D)
        out.append({"name": name, "l": l, "E": E, "F": F, "H": H, "N": N, "x": flat(x), "Wv": flat(Wv), "Wu": flat(Wu), "Wuc": flat(Wuc),
                    "Wo": flat(Wo), "LambdaLog": {"re": flat(lre), "im": flat(lim)}, "C": cflat(C), "D": flat(D), "y": flat(y)})
    return out


def main():
    s5, hippo_n = s5_cases()
    out = {
        "meta": {"generator": "reference/ref_family.py", "seed": SEED, "numpy": np.__version__,
                 "note": "inputs are float32 values; outputs in float64 / complex128; arrays flat, row-major"},
        "wkv": wkv_cases(),
        "ema": ema_cases(),
        "retention": retention_cases(),
        "crossScan": cross_scan_cases(),
        "s5": s5,
        "hippoN": hippo_n,
        "dss": dss_cases(),
        "h3": h3_cases(),
        "gss": gss_cases(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "family.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
