"""Golden fixtures for the LTI kernels (expm, discretize, hippo, ssmKernel, causalConv,
ssmRecurrent/ssmStates), from an independent reference: scipy.linalg.expm,
scipy.signal.cont2discrete, scipy.integrate.solve_ivp, and plain Python loops.

Writes reference/fixtures/lti.json. Seeded: the output is the same on every run.
Run:  python3 reference/ref_lti.py
"""
import json
import math
import os

import numpy as np
import scipy.linalg as sl
import scipy.signal as ss
from scipy.integrate import solve_ivp

rng = np.random.default_rng(20240611)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "lti.json")


def r(x, digits=9):
    """Nested lists rounded to `digits` significant digits (float32 is ~7)."""
    a = np.asarray(x, dtype=np.float64)
    return [float(f"{v:.{digits}g}") for v in a.ravel()] if a.ndim <= 1 else [r(row, digits) for row in a]


# ---- HiPPO matrices, transcribed straight from the formulas with loops -------------------
def hippo_ref(measure, N):
    A = [[0.0] * N for _ in range(N)]
    B = [[0.0] for _ in range(N)]
    for n in range(N):
        for k in range(N):
            if measure == "legs":  # HiPPO (Gu et al. 2020), Thm 2, with the sign
                A[n][k] = -math.sqrt(2 * n + 1) * math.sqrt(2 * k + 1) if n > k else (-(n + 1) if n == k else 0.0)
            elif measure == "legt":  # LMU (Voelker et al. 2019), theta = 1
                A[n][k] = (2 * n + 1) * (-1.0 if n < k else (-1.0) ** (n - k + 1))
            elif measure == "lagt":  # s4 hippo.py transition('lagt'): I/2 - tril(ones)
                A[n][k] = (0.5 if n == k else 0.0) - (1.0 if n >= k else 0.0)
        if measure == "legs":
            B[n][0] = math.sqrt(2 * n + 1)
        elif measure == "legt":
            B[n][0] = (2 * n + 1) * (-1.0) ** n
        elif measure == "lagt":
            B[n][0] = 1.0
    if measure == "fout":  # s4 hippo.py transition('fout'), written out for even N
        b = [1.0 if n == 0 else (math.sqrt(2) if n % 2 == 0 else 0.0) for n in range(N)]
        for j in range(1, N // 2):  # pair j lives at indices (2j, 2j+1)
            A[2 * j][2 * j + 1] = -math.pi * j
            A[2 * j + 1][2 * j] = math.pi * j
        for n in range(N):
            for k in range(N):
                A[n][k] -= b[n] * b[k]
            B[n][0] = b[n]
    return np.array(A), np.array(B)


def rotation(theta):
    return np.array([[0.0, -theta], [theta, 0.0]])


def stable_random(n, scale=1.0):
    """Random non-normal matrix shifted so every eigenvalue has real part <= -0.1."""
    M = rng.standard_normal((n, n)) * scale
    shift = np.max(np.linalg.eigvals(M).real) + 0.1
    return M - shift * np.eye(n)


fixtures = {"meta": {
    "generator": "reference/ref_lti.py",
    "numpy": np.__version__,
    "scipy": __import__("scipy").__version__,
    "note": "values rounded to 9 significant digits",
}}

# ---- expm -------------------------------------------------------------------------------
expm_cases = []
for N in (8, 16, 64):
    A, _ = hippo_ref("legs", N)
    for delta in (1e-3, 1e-2, 1e-1, 1.0):
        expm_cases.append({"name": f"legs N={N} delta={delta:g}", "A": A * delta})
expm_cases.append({"name": "rotation by 2.5 rad", "A": rotation(2.5)})
expm_cases.append({"name": "rotation 1.0 rad (2x2 block of 4)", "A": sl.block_diag(rotation(1.0), rotation(-0.3))})
expm_cases.append({"name": "stable random 4x4", "A": stable_random(4)})
expm_cases.append({"name": "stable random 16x16", "A": stable_random(16, 0.5)})
expm_cases.append({"name": "nilpotent 3x3", "A": np.array([[0.0, 1, 0], [0, 0, 1], [0, 0, 0]])})
expm_cases.append({"name": "zero 3x3", "A": np.zeros((3, 3))})
fixtures["expm"] = [{"name": c["name"], "A": r(c["A"], 17), "expA": r(sl.expm(c["A"]), 12)} for c in expm_cases]

# ---- discretize ---------------------------------------------------------------------------
def disc_ref(A, B, delta, method):
    n = A.shape[0]
    I = np.eye(n)
    C = np.zeros((1, n))
    D = np.zeros((1, B.shape[1]))
    if method == "zoh":
        Ab, Bb, *_ = ss.cont2discrete((A, B, C, D), delta, method="zoh")
    elif method == "bilinear":
        Ab, Bb, *_ = ss.cont2discrete((A, B, C, D), delta, method="bilinear")
        # scipy's bilinear B̄ is (I − ΔA/2)⁻¹ ΔB scaled by ... check against the formula:
        Bf = np.linalg.solve(I - delta * A / 2, delta * B)
        # scipy (Tustin with α = 1/2) returns (I − αΔA)⁻¹ ΔB exactly; keep a guard:
        assert np.allclose(Bb, Bf, rtol=1e-10, atol=1e-12), "scipy bilinear B convention changed"
    elif method == "euler":
        Ab, Bb = I + delta * A, delta * B
    elif method == "backward-euler":
        Ab = np.linalg.inv(I - delta * A)
        Bb = Ab @ (delta * B)
    elif method == "mamba":
        Ab, Bb = sl.expm(delta * A), delta * B
    return Ab, Bb


systems = [
    ("damped oscillator 2x2", np.array([[0.0, 1.0], [-4.0, -0.4]]), np.array([[0.0], [1.0]])),
    ("singular A 2x2 (integrator)", np.array([[0.0, 1.0], [0.0, 0.0]]), np.array([[0.0], [1.0]])),
    ("legs N=8", *hippo_ref("legs", 8)),
    ("legt N=6", *hippo_ref("legt", 6)),
    ("stable random 5x5, B 5x2", stable_random(5), rng.standard_normal((5, 2))),
]
disc = []
for name, A, B in systems:
    for delta in (1e-2, 0.1, 0.5):
        for method in ("zoh", "bilinear", "euler", "backward-euler", "mamba"):
            Ab, Bb = disc_ref(A, B, delta, method)
            disc.append({"name": f"{name} delta={delta:g} {method}", "A": r(A, 17), "B": r(B, 17), "delta": delta,
                         "method": method, "Ab": r(Ab, 12), "Bb": r(Bb, 12)})
fixtures["discretize"] = disc

# ZOH is exact for piecewise-constant input: integrate the ODE itself (no matrix exponential).
A = np.array([[-0.5, 2.0], [-2.0, -0.3]])
B = np.array([[1.0], [0.5]])
delta = 0.2
u = rng.standard_normal(25)
x0 = np.array([1.0, -1.0])
x = x0.copy()
traj = []
for k, uk in enumerate(u):
    sol = solve_ivp(lambda t, y: A @ y + B[:, 0] * uk, (0.0, delta), x, rtol=1e-12, atol=1e-12, method="DOP853")
    x = sol.y[:, -1]
    traj.append(x.copy())
fixtures["zohExact"] = {"A": r(A, 17), "B": r(B, 17), "delta": delta, "u": r(u, 17), "x0": r(x0, 17),
                        "note": "states[k] = x((k+1)·delta) of x' = Ax + Bu with u = u[k] on [k·delta, (k+1)·delta), x(0) = x0",
                        "states": r(np.array(traj), 12)}

# ---- hippo --------------------------------------------------------------------------------
fixtures["hippo"] = []
for measure in ("legs", "legt", "lagt", "fout"):
    for N in (1, 2, 5, 8, 16) if measure != "fout" else (2, 4, 8, 16):
        A, B = hippo_ref(measure, N)
        fixtures["hippo"].append({"measure": measure, "N": N, "A": r(A, 12), "B": r(B, 12)})


# ---- ssmKernel, causalConv, ssmRecurrent by plain loops ----------------------------------
def kernel_loop(Ab, Bb, C, L):
    K = []
    x = Bb[:, 0].copy()
    for _ in range(L):
        K.append(float(C[0] @ x))
        x = Ab @ x
    return np.array(K)


def conv_loop(u, K):
    l = len(u)
    return np.array([sum(K[j] * u[k - j] for j in range(k + 1)) for k in range(l)])


def rec_loop(Ab, Bb, C, u, x0=None):
    n = Ab.shape[0]
    x = np.zeros(n) if x0 is None else np.asarray(x0, dtype=np.float64)
    xs, ys = [], []
    for uk in u:
        x = Ab @ x + Bb[:, 0] * uk
        xs.append(x.copy())
        ys.append(float(C[0] @ x))
    return np.array(ys), np.array(xs)


lti = []
for n, L, method, measure, delta in [
    (1, 1, "zoh", None, 0.5),
    (2, 7, "zoh", None, 0.3),
    (4, 33, "bilinear", None, 0.1),
    (8, 100, "bilinear", "legs", 0.05),
    (16, 257, "zoh", "legt", 0.01),
    (64, 300, "bilinear", "legs", 0.01),
]:
    if measure is None:
        A = stable_random(n)
        B = rng.standard_normal((n, 1))
    else:
        A, B = hippo_ref(measure, n)
    C = rng.standard_normal((1, n)) / math.sqrt(n)
    Ab, Bb = disc_ref(A, B, delta, method)
    u = rng.standard_normal(L)
    x0 = rng.standard_normal(n)
    K = kernel_loop(Ab, Bb, C, L)
    y = conv_loop(u, K)
    y_rec, _ = rec_loop(Ab, Bb, C, u)
    assert np.allclose(y, y_rec, rtol=1e-9, atol=1e-9)
    _, states_x0 = rec_loop(Ab, Bb, C, u, x0)
    lti.append({"name": f"n={n} L={L} {measure or 'random'} {method} delta={delta:g}",
                "Ab": r(Ab, 17), "Bb": r(Bb, 17), "C": r(C, 17), "u": r(u, 17), "x0": r(x0, 17),
                "K": r(K, 12), "y": r(y, 12), "statesX0": r(states_x0 if L <= 100 else states_x0[:100], 12)})
fixtures["lti"] = lti

# causalConv on its own, with u and K not from an SSM (incl. a long, oscillating kernel)
conv = []
for l in (1, 2, 5, 64, 100, 511):
    u = rng.standard_normal(l)
    K = rng.standard_normal(l) * np.exp(-np.arange(l) / 50)
    conv.append({"l": l, "u": r(u, 17), "K": r(K, 17), "y": r(conv_loop(u, K), 12)})
fixtures["causalConv"] = conv

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump(fixtures, f, separators=(",", ":"))
print(f"wrote {OUT} ({os.path.getsize(OUT) / 1e6:.2f} MB)")
