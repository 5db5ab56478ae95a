#!/usr/bin/env python3
"""Reference values for Mamba's selective scan (its whole interface) and the Mamba block.

- selective_scan_ref: a literal numpy port of `selective_scan_ref` in state-spaces/mamba
  (mamba_ssm/ops/selective_scan_interface.py), real A and time-varying B, C (shape (b, n, l)),
  in float64: delta + delta_bias, softplus (torch's, threshold 20), deltaA = exp(einsum
  'bdl,dn->bdln'), deltaB_u = einsum 'bdl,bnl,bdl->bdln', then the loop over l with
  x = deltaA[:, :, i] * x + deltaB_u[:, :, i] and y = einsum 'bdn,bn->bd'; out = y + u * D,
  out * silu(z); the last state after the loop.
- mamba_forward: `Mamba.forward` of mamba_ssm/modules/mamba_simple.py on its slow path
  (no causal_conv1d, no fused inner function): in_proj, chunk into x and z, depthwise
  Conv1d with padding d_conv - 1 truncated to l, SiLU, x_proj, split into (dt, B, C),
  dt_proj.weight @ dt (its bias goes in as delta_bias), selective_scan_ref with D, z,
  delta_bias, delta_softplus=True, then out_proj.

The site's kernels take (b, l, d) and (b, l, n); fixtures are stored in that layout and
transposed here to the reference's (b, d, l) and (b, n, l), so the port stays literal.
Writes reference/fixtures/selective.json (seeded: reproducible). Run standalone or through
reference/make_fixtures.py (npm run fixtures).
"""
import json
import math
import os

import numpy as np

SEED = 20231201
rng = np.random.default_rng(SEED)


def f32(x):
    """Round to float32 (the kernels' input precision), return float64 for the math."""
    return np.asarray(x, dtype=np.float32).astype(np.float64)


def flat(x):
    """Flat list with 9 significant digits: exact for float32 values."""
    return [float("%.9g" % v) for v in np.asarray(x, dtype=np.float64).ravel()]


def softplus(x):
    """torch.nn.functional.softplus (beta 1, threshold 20)."""
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 20, x, np.log1p(np.exp(np.minimum(x, 20))))


def silu(x):
    return x / (1 + np.exp(-x))


# ---------------------------------------------------------------- selective_scan_ref (port)
def selective_scan_ref(u, delta, A, B, C, D=None, z=None, delta_bias=None, delta_softplus=False,
                       return_last_state=False):
    """u, delta, z (b, d, l); A (d, n); B, C (b, n, l); D, delta_bias (d) -> out (b, d, l)."""
    u = np.asarray(u, dtype=np.float64)
    delta = np.asarray(delta, dtype=np.float64)
    if delta_bias is not None:
        delta = delta + delta_bias[..., None]
    if delta_softplus:
        delta = softplus(delta)
    batch, dim, dstate = u.shape[0], A.shape[0], A.shape[1]
    x = np.zeros((batch, dim, dstate))
    ys = []
    deltaA = np.exp(np.einsum("bdl,dn->bdln", delta, A))
    deltaB_u = np.einsum("bdl,bnl,bdl->bdln", delta, B, u)
    last_state = None
    for i in range(u.shape[2]):
        x = deltaA[:, :, i] * x + deltaB_u[:, :, i]
        y = np.einsum("bdn,bn->bd", x, C[:, :, i])
        if i == u.shape[2] - 1:
            last_state = x
        ys.append(y)
    y = np.stack(ys, axis=2)  # (batch dim L)
    out = y if D is None else y + u * D[:, None]
    if z is not None:
        out = out * silu(z)
    return out if not return_last_state else (out, last_state)


def bld(x):
    """(b, l, d) <-> (b, d, l)."""
    return np.transpose(x, (0, 2, 1))


def scan_case(name, b, l, d, n, has_D, has_z, has_bias, softplus_on, delta_lo=0.0, delta_hi=0.5,
              A_lo=-0.5, A_hi=0.0, raw=None):
    """One fixture in the site's layout; draws like Mamba's test_selective_scan unless `raw` overrides."""
    r = dict(
        u=rng.normal(size=(b, l, d)),
        delta=rng.uniform(delta_lo, delta_hi, size=(b, l, d)),
        A=rng.uniform(A_lo, A_hi, size=(d, n)),
        B=rng.normal(size=(b, l, n)),
        C=rng.normal(size=(b, l, n)),
        D=rng.normal(size=(d,)),
        z=rng.normal(size=(b, l, d)),
        deltaBias=rng.uniform(0, 0.5, size=(d,)),
    )
    r.update(raw or {})
    r = {k: f32(v) for k, v in r.items()}
    if not softplus_on and not has_bias:
        assert (r["delta"] > 0).all(), name  # the site requires Δ > 0 without softplus or bias
    y, last = selective_scan_ref(
        bld(r["u"]), bld(r["delta"]), r["A"], bld(r["B"]), bld(r["C"]),
        D=r["D"] if has_D else None, z=bld(r["z"]) if has_z else None,
        delta_bias=r["deltaBias"] if has_bias else None, delta_softplus=softplus_on, return_last_state=True)
    case = {"name": name, "b": b, "l": l, "d": d, "n": n, "deltaSoftplus": bool(softplus_on),
            "u": flat(r["u"]), "delta": flat(r["delta"]), "A": flat(r["A"]), "B": flat(r["B"]), "C": flat(r["C"]),
            "D": flat(r["D"]) if has_D else None, "z": flat(r["z"]) if has_z else None,
            "deltaBias": flat(r["deltaBias"]) if has_bias else None,
            "y": flat(bld(y)), "lastState": flat(last)}
    return case


def flags_name(has_D, has_z, has_bias, sp):
    parts = [p for p, on in (("D", has_D), ("z", has_z), ("bias", has_bias), ("softplus", sp)) if on]
    return "+".join(parts) or "plain"


def scan_cases():
    cases = []
    combos = [(D, z, bi, sp) for D in (False, True) for z in (False, True) for bi in (False, True) for sp in (False, True)]
    # every combination of the options at the short lengths (Mamba's test grid, b=2, d=4, n=8)
    for l in (1, 2, 7):
        for D, z, bi, sp in combos:
            cases.append(scan_case(f"l={l} {flags_name(D, z, bi, sp)}", 2, l, 4, 8, D, z, bi, sp))
    # longer sequences with none and with all of them (and one mixed)
    for b, l, combo in ((2, 64, (False, False, False, False)), (2, 64, (True, True, True, True)), (1, 257, (True, False, True, True)),
                        (1, 257, (True, True, True, True))):
        cases.append(scan_case(f"l={l} {flags_name(*combo)}", b, l, 3, 4, *combo))
    # numerics that break naive kernels
    b, l, d, n = 1, 40, 3, 4
    cases.append(scan_case("underflow: exp(ΔA) = 0 (Δ up to 60, A down to -30)", b, l, d, n, True, False, False, False,
                           delta_lo=5, delta_hi=60, A_lo=-30, A_hi=-5))
    cases.append(scan_case("softplus of 30 and 100", b, l, d, n, True, True, True, True,
                           raw={"delta": np.where(rng.uniform(size=(b, l, d)) < 0.5, 30.0, 100.0) * rng.uniform(0.9, 1.1, size=(b, l, d)),
                                "A": rng.uniform(-0.05, -0.001, size=(d, n))}))
    cases.append(scan_case("tiny Δ = 1e-6 (Ā ≈ 1, long memory)", b, 120, d, n, True, False, False, False,
                           delta_lo=0.5e-6, delta_hi=1.5e-6, A_lo=-16, A_hi=-1))
    cases.append(scan_case("softplus of very negative inputs (Δ ≈ e^-25)", b, l, d, n, True, False, False, True,
                           raw={"delta": rng.uniform(-30, -20, size=(b, l, d))}))
    cases.append(scan_case("mixed: resets and long memory in one sequence", b, 150, d, n, True, True, True, True,
                           raw={"delta": np.where(rng.uniform(size=(b, 150, d)) < 0.05, 25.0, -12.0),
                                "A": -np.tile(np.arange(1, n + 1, dtype=np.float64), (d, 1))}))
    return cases


# ---------------------------------------------------------------- Mamba block forward (port)
def mamba_forward(h, p, cfg):
    """Mamba.forward(hidden_states) without inference params, slow path. h (b, l, d_model)."""
    b, l, _ = h.shape
    E, N, R, K = cfg["dInner"], cfg["dState"], cfg["dtRank"], cfg["dConv"]
    xz = np.einsum("ed,bld->bel", p["inProjW"], h)  # in_proj.weight @ h -> (b, 2E, l)
    A = -np.exp(p["ALog"])  # (E, N)
    x, z = xz[:, :E], xz[:, E:]
    # nn.Conv1d(E, E, K, groups=E, padding=K-1, bias) then [..., :l]
    xpad = np.concatenate([np.zeros((b, E, K - 1)), x, np.zeros((b, E, K - 1))], axis=2)
    conv = np.zeros((b, E, l + K - 1))
    for t in range(l + K - 1):
        conv[:, :, t] = np.einsum("bek,ek->be", xpad[:, :, t:t + K], p["convW"]) + p["convB"]
    x = silu(conv[..., :l])
    x_dbl = np.einsum("be,re->br", bld(x).reshape(b * l, E), p["xProjW"])  # (b l, R + 2N)
    dt, B, C = x_dbl[:, :R], x_dbl[:, R:R + N], x_dbl[:, R + N:]
    dt = p["dtProjW"] @ dt.T  # (E, b l)
    dt = np.transpose(dt.reshape(E, b, l), (1, 0, 2))  # (b, E, l)
    B = np.transpose(B.reshape(b, l, N), (0, 2, 1))
    C = np.transpose(C.reshape(b, l, N), (0, 2, 1))
    y = selective_scan_ref(x, dt, A, B, C, p["D"], z=z, delta_bias=p["dtProjB"], delta_softplus=True)
    y = bld(y)  # (b, l, E)
    out = np.einsum("ble,me->blm", y, p["outProjW"])
    inter = {"xz": bld(xz), "x": bld(xz[:, :E]), "z": bld(z), "xAct": bld(x), "xDbl": x_dbl.reshape(b, l, R + 2 * N),
             "delta": bld(dt), "y": y}
    return out, inter


def mamba_params(cfg):
    """Parameters drawn like Mamba's __init__ (numpy's own generator, not the site's)."""
    M, E, N, R, K = cfg["dModel"], cfg["dInner"], cfg["dState"], cfg["dtRank"], cfg["dConv"]
    lin = lambda out, fan_in: rng.uniform(-1, 1, size=(out, fan_in)) / math.sqrt(fan_in)
    dt = np.exp(rng.uniform(size=E) * (math.log(0.1) - math.log(1e-3)) + math.log(1e-3)).clip(min=1e-4)
    p = {"inProjW": lin(2 * E, M), "convW": rng.uniform(-1, 1, size=(E, K)) / math.sqrt(K),
         "convB": rng.uniform(-1, 1, size=E) / math.sqrt(K), "xProjW": lin(R + 2 * N, E),
         "dtProjW": rng.uniform(-1, 1, size=(E, R)) * R ** -0.5, "dtProjB": dt + np.log(-np.expm1(-dt)),
         # A_log = log(1..N) per channel, perturbed so the test sees a general A
         "ALog": np.log(np.tile(np.arange(1, N + 1, dtype=np.float64), (E, 1))) + rng.normal(0, 0.1, size=(E, N)),
         "D": 1 + rng.normal(0, 0.1, size=E), "outProjW": lin(M, E)}
    return {k: f32(v) for k, v in p.items()}


def mamba_cases():
    cases = []
    for name, M, N, b, l, keep in (("d_model=8, d_state=4, b=2, l=9", 8, 4, 2, 9, None),
                                   ("d_model=16, d_state=16, b=1, l=24", 16, 16, 1, 24, ("xAct", "delta", "y"))):
        cfg = {"dModel": M, "dState": N, "dConv": 4, "expand": 2, "dInner": 2 * M, "dtRank": math.ceil(M / 16)}
        p = mamba_params(cfg)
        h = f32(rng.normal(size=(b, l, M)))
        out, inter = mamba_forward(h, p, cfg)
        cases.append({"name": name, "config": cfg, "b": b, "l": l, "x": flat(h), "params": {k: flat(v) for k, v in p.items()},
                      "out": flat(out), "intermediates": {k: flat(v) for k, v in inter.items() if keep is None or k in keep}})
    return cases


def check_port():
    """The loop port against an independent closed form on one case: h_t = Σ_s (Π_{s<r≤t} Ā_r) B̄_s u_s."""
    b, d, n, l = 1, 2, 3, 6
    u, delta = rng.normal(size=(b, d, l)), rng.uniform(0.1, 0.5, size=(b, d, l))
    A, B, C = -rng.uniform(0.1, 1, size=(d, n)), rng.normal(size=(b, n, l)), rng.normal(size=(b, n, l))
    y = selective_scan_ref(u, delta, A, B, C)
    cum = np.cumsum(delta, axis=2)  # Σ Δ up to t
    want = np.zeros_like(y)
    for t in range(l):
        for s in range(t + 1):
            decay = np.exp((cum[:, :, t] - cum[:, :, s])[..., None] * A)  # (b, d, n)
            want[:, :, t] += np.einsum("bdn,bn->bd", decay * (delta[:, :, s] * u[:, :, s])[..., None] * B[:, None, :, s], C[:, :, t])
    assert np.allclose(y, want, rtol=1e-12, atol=1e-12), "selective_scan_ref disagrees with the closed form"


def main():
    check_port()
    out = {"selectiveScan": scan_cases(), "mambaBlock": mamba_cases()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "selective.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"), ensure_ascii=False)
    print(f"ref_selective: wrote {len(out['selectiveScan'])} scan cases and {len(out['mambaBlock'])} Mamba-block cases "
          f"to {os.path.relpath(path)} ({os.path.getsize(path) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
