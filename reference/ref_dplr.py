"""Golden fixtures for S4's DPLR kernel (src/kernels/lti/dplr.ts), from an independent numpy
reference in complex128: a port of The Annotated S4 (Rush & Karamcheti; Gu, Goel & Ré 2022,
"Efficiently Modeling Long Sequences with Structured State Spaces"):
  make_HiPPO, make_NPLR_HiPPO, make_DPLR_HiPPO   (np.linalg.eigh of -1j * S, as there)
  discretize (bilinear), K_conv                    (the dense kernel C Ab^k Bb)
  cauchy, kernel_DPLR                              (generating function at the roots of unity,
                                                    Woodbury, np.fft.ifft)
with C~ = C (I - Ab^L) formed on the diagonal basis as in the Annotated S4's test_gen_dplr
(np.linalg.matrix_power). Everything is cross-checked inside this script: the DPLR form
reconstructs A, Re Lambda = -1/2, and kernel_DPLR equals the dense kernel of the same
system in the original (real) basis.

The eigenvectors are only defined up to a phase per column, so the fixture stores only
phase-invariant numbers: Lambda, |P~_n|^2, C~_n B~_n, conj(P~_n) B~_n, C~_n P~_n, the
generating function and the kernels.

Writes reference/fixtures/dplr.json. Seeded: the output is the same on every run.
Run:  python3 reference/ref_dplr.py
"""
import json
import os

import numpy as np
from numpy.linalg import eigh, inv, matrix_power

rng = np.random.default_rng(20220415)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "dplr.json")


def r(x, digits=15):
    a = np.asarray(x, dtype=np.float64)
    return [float(f"{v:.{digits}g}") for v in a.ravel()] if a.ndim <= 1 else [r(row, digits) for row in a]


# ---- The Annotated S4, ported from jax.numpy to numpy ------------------------------------

def make_HiPPO(N):
    P = np.sqrt(1 + 2 * np.arange(N))
    A = P[:, np.newaxis] * P[np.newaxis, :]
    A = np.tril(A) - np.diag(np.arange(N))
    return -A


def make_NPLR_HiPPO(N):
    nhippo = make_HiPPO(N)
    P = np.sqrt(np.arange(N) + 0.5)  # rank-one term that makes it normal
    B = np.sqrt(2 * np.arange(N) + 1.0)
    return nhippo, P, B


def make_DPLR_HiPPO(N):
    A, P, B = make_NPLR_HiPPO(N)
    S = A + P[:, np.newaxis] * P[np.newaxis, :]
    S_diag = np.diagonal(S)
    Lambda_real = np.mean(S_diag) * np.ones_like(S_diag)
    Lambda_imag, V = eigh(S * -1j)
    P = V.conj().T @ P
    B = V.conj().T @ B
    return Lambda_real + 1j * Lambda_imag, P, B, V


def discretize(A, B, C, step):
    I = np.eye(A.shape[0])
    BL = inv(I - (step / 2.0) * A)
    Ab = BL @ (I + (step / 2.0) * A)
    Bb = (BL * step) @ B
    return Ab, Bb, C


def K_conv(Ab, Bb, Cb, L):
    # The Annotated S4 writes [Cb @ matrix_power(Ab, l) @ Bb for l in range(L)]; the same
    # numbers by stepping x <- Ab x (L matrix-vector products instead of L matrix powers).
    K, x = [], Bb
    for _ in range(L):
        K.append((Cb @ x).reshape(()))
        x = Ab @ x
    return np.array(K)


def cauchy(v, omega, lambd):
    """Cauchy matrix multiplication: (n), (l), (n) -> (l)"""
    return np.array([(v / (o - lambd)).sum() for o in omega])


def kernel_DPLR_terms(Lambda, P, Q, B, C, step, L):
    Omega_L = np.exp((-2j * np.pi) * (np.arange(L) / L))
    aterm = (C.conj(), Q.conj())
    bterm = (B, P)
    g = (2.0 / step) * ((1.0 - Omega_L) / (1.0 + Omega_L))
    c = 2.0 / (1.0 + Omega_L)
    k00 = cauchy(aterm[0] * bterm[0], g, Lambda)
    k01 = cauchy(aterm[0] * bterm[1], g, Lambda)
    k10 = cauchy(aterm[1] * bterm[0], g, Lambda)
    k11 = cauchy(aterm[1] * bterm[1], g, Lambda)
    atRoots = c * (k00 - k01 * (1.0 / (1.0 + k11)) * k10)
    return atRoots, (k00, k01, k10, k11)


def kernel_DPLR(Lambda, P, Q, B, C, step, L):
    atRoots, _ = kernel_DPLR_terms(Lambda, P, Q, B, C, step, L)
    out = np.fft.ifft(atRoots, L).reshape(L)
    return out.real


# ---- cases -----------------------------------------------------------------------------------

decompositions = []
for N in [1, 2, 4, 16, 64]:
    Lambda, Pt, Bt, V = make_DPLR_HiPPO(N)
    A, P, B = make_NPLR_HiPPO(N)
    A_dplr = V @ (np.diag(Lambda) - Pt[:, None] @ Pt[:, None].conj().T) @ V.conj().T
    err = np.max(np.abs(A_dplr - A))
    assert err < 1e-10 * N * N, f"N={N}: DPLR does not reconstruct A ({err})"
    assert np.allclose(Lambda.real, -0.5), "Re Lambda != -1/2"
    decompositions.append({
        "N": N, "Lre": r(Lambda.real), "Lim": r(Lambda.imag), "absP2": r(np.abs(Pt) ** 2),
        "PB": r((Pt.conj() * Bt).real), "PBim": r((Pt.conj() * Bt).imag), "reconstructError": err,
    })

cases = []
for N, L, step in [(4, 16, 1.0 / 16), (16, 256, 0.01), (64, 256, 0.1), (16, 1024, 1.0 / 1024), (64, 1024, 1.0), (8, 100, 0.05)]:
    Lambda, Pt, Bt, V = make_DPLR_HiPPO(N)
    A, _, B = make_NPLR_HiPPO(N)
    C = rng.standard_normal(N) / np.sqrt(N)  # real C (1, N) of the original system
    # dense kernel of the original real system
    Ab, Bb, _ = discretize(A, B[:, None], None, step)
    K_dense = K_conv(Ab, Bb, C[None, :], L).real
    # the same system on the diagonal basis, and C~ as in test_gen_dplr
    A_d = np.diag(Lambda) - Pt[:, None] @ Pt[:, None].conj().T
    Ab_d, Bb_d, _ = discretize(A_d, Bt[:, None], None, step)
    Cb = (C @ V).conj()  # K_conv(Ab_d, Bb_d, Cb.conj()) is the kernel: row C V
    I = np.eye(N)
    Cc = (I - matrix_power(Ab_d, L)).conj().T @ Cb.ravel()  # the argument "C" of kernel_DPLR
    K_dplr = kernel_DPLR(Lambda, Pt, Pt, Bt, Cc, step, L)
    diff = np.max(np.abs(K_dplr - K_dense))
    scale = np.max(np.abs(K_dense))
    assert diff < 1e-10 * scale, f"N={N} L={L}: kernel_DPLR differs from the dense kernel by {diff}"
    Ct = Cc.conj()  # C~ as a row: K^(z) = Ct (I - Ab_d z)^-1 Bb_d
    case = {
        "name": f"N={N} L={L} delta={step:g}", "N": N, "L": L, "delta": step, "C": r(C),
        "CtB": r((Ct * Bt).real), "CtBim": r((Ct * Bt).imag), "CtP": r((Ct * Pt).real), "CtPim": r((Ct * Pt).imag),
        "Kdense": r(K_dense), "Kdplr": r(K_dplr), "maxDiff": float(diff), "scale": float(scale),
    }
    if L <= 16:
        atRoots, ks = kernel_DPLR_terms(Lambda, Pt, Pt, Bt, Cc, step, L)
        case["Khat"] = {"re": r(atRoots.real), "im": r(atRoots.imag)}
        for name, k in zip(["k00", "k01", "k10", "k11"], ks):
            case[name] = {"re": r(k.real), "im": r(k.imag)}
    cases.append(case)
    print(f"  {case['name']}: max |kernel_DPLR - K_conv| = {diff:.2e} (max |K| = {scale:.3g})")

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"decompositions": decompositions, "cases": cases}, f, separators=(",", ":"))
print(f"wrote {OUT}: {len(decompositions)} decompositions, {len(cases)} kernel cases")
