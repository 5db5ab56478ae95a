"""PyTorch peer of bench/gpu/train.ts and reach90.ts: the same two selective-copying models
(src/models/mamba.ts, src/models/s4d.ts: same shapes, same initialisation rules, own RNG),
the same task (src/models/tasks.ts selectiveCopying: 4 tokens of 16 colours among 60
positions, then 4 recall markers, only the markers scored), the same training (Adam β 0.9/0.98,
eps 1e-8, clip 1 by global norm, 50 warm-up steps then cosine to 10 % over 1600 steps, lr
1e-2, batch 32), on CUDA. Each step ends with loss.item(), as the tfjs step ends with
`await loss.data()`.

  python3 bench/gpu/train_torch.py [--budget 400] > OUTDIR/train-torch.json

Prints one JSON object: per model the median ms per step (3 warm-up steps, 20 timed), and
per run (seed) the step and wall seconds at which the held-out accuracy, evaluated every 50
steps on 4 fixed batches of 64, first reached 90 %. Numbers, never assertions.
"""
import argparse
import json
import math
import time

import numpy as np
import torch
import torch.nn.functional as F

DEV = "cuda"
N_DATA, N_COLORS, L_CONTEXT = 4, 16, 60
VOCAB, LENGTH = N_COLORS + 2, L_CONTEXT + N_DATA
STEPS, LR, WARMUP, MIN_LR, BATCH, CLIP = 1600, 1e-2, 50, 0.1, 32, 1.0


def sample(rng, b):
    """inputs, targets, weights (b, l): colours at sorted distinct positions, markers at the end."""
    x = np.zeros((b, LENGTH), np.int64)
    y = np.zeros((b, LENGTH), np.int64)
    w = np.zeros((b, LENGTH), np.float32)
    for i in range(b):
        pos = np.sort(rng.choice(L_CONTEXT, N_DATA, replace=False))
        colours = 1 + rng.integers(0, N_COLORS, N_DATA)
        x[i, pos] = colours
        x[i, L_CONTEXT:] = N_COLORS + 1
        y[i, L_CONTEXT:] = colours
        w[i, L_CONTEXT:] = 1
    t = lambda a: torch.from_numpy(a).to(DEV)
    return t(x), t(y), t(w)


def uniform(shape, fan_in, scale=1.0):
    a = scale / math.sqrt(fan_in)
    return torch.nn.Parameter(torch.empty(shape, device=DEV).uniform_(-a, a))


def rms_norm(x, w, eps=1e-5):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


class Mamba(torch.nn.Module):
    """src/models/mamba.ts: D 32, 2 layers, E 64, N 8, d_conv 4, dt_rank 2; scan as a loop over l
    (mamba's selective_scan_ref), forward and autograd backward."""

    def __init__(self, D=32, n_layers=2, N=8, expand=2, K=4, R=2, dt_min=1e-3, dt_max=0.1):
        super().__init__()
        E = expand * D
        self.E, self.N, self.R, self.K = E, N, R, K
        P = torch.nn.Parameter
        self.embedding = P(torch.randn(VOCAB, D, device=DEV) * 0.02)
        self.layers = torch.nn.ModuleList()
        for _ in range(n_layers):
            m = torch.nn.Module()
            m.norm = P(torch.ones(D, device=DEV))
            m.in_proj = uniform((D, 2 * E), D)
            m.conv_w = uniform((E, K), K)
            m.conv_b = uniform((E,), K)
            m.x_proj = uniform((E, R + 2 * N), E)
            m.dt_w = uniform((R, E), R)
            dt = torch.exp(math.log(dt_min) + (math.log(dt_max) - math.log(dt_min)) * torch.rand(E, device=DEV)).clamp(min=1e-4)
            m.dt_b = P(dt + torch.log(-torch.expm1(-dt)))
            m.A_log = P(torch.log(torch.arange(1, N + 1, device=DEV, dtype=torch.float32)).repeat(E, 1))
            m.D = P(torch.ones(E, device=DEV))
            m.out_proj = uniform((E, D), E, 1 / math.sqrt(n_layers))
            self.layers.append(m)
        self.norm_f = P(torch.ones(D, device=DEV))
        self.head = uniform((D, VOCAB), D)

    def forward(self, tokens):
        x = self.embedding[tokens]  # (b, l, D)
        b, l, _ = x.shape
        for m in self.layers:
            xin, z = (rms_norm(x, m.norm) @ m.in_proj).split(self.E, -1)  # (b, l, E) each
            xp = F.pad(xin, (0, 0, self.K - 1, 0))  # (b, l + K − 1, E)
            xc = F.silu(sum(xp[:, j:j + l] * m.conv_w[:, j] for j in range(self.K)) + m.conv_b)
            dr, B, C = (xc @ m.x_proj).split([self.R, self.N, self.N], -1)
            delta = F.softplus(dr @ m.dt_w + m.dt_b)  # (b, l, E)
            A = -torch.exp(m.A_log)  # (E, N)
            dA = torch.exp(delta.unsqueeze(-1) * A)  # (b, l, E, N)
            dBu = (delta * xc).unsqueeze(-1) * B.unsqueeze(2)  # (b, l, E, N)
            h = torch.zeros(b, self.E, self.N, device=DEV)
            ys = []
            for t in range(l):
                h = dA[:, t] * h + dBu[:, t]
                ys.append((h * C[:, t].unsqueeze(1)).sum(-1))
            y = (torch.stack(ys, 1) + xc * m.D) * F.silu(z)
            x = x + y @ m.out_proj
        return rms_norm(x, self.norm_f) @ self.head


class S4D(torch.nn.Module):
    """src/models/s4d.ts: H 32, 2 layers, N 16 (8 conjugate pairs), S4D-Lin init, ZOH kernel by
    Vandermonde, causal convolution as a Toeplitz matmul, GELU then GLU, LayerNorm prenorm."""

    def __init__(self, H=32, n_layers=2, N=16, dt_min=1e-3, dt_max=0.1):
        super().__init__()
        m_ = N // 2
        P = torch.nn.Parameter
        self.embedding = P(torch.randn(VOCAB, H, device=DEV) * 0.02 * math.sqrt(H))
        self.layers = torch.nn.ModuleList()
        for _ in range(n_layers):
            m = torch.nn.Module()
            m.ln = torch.nn.LayerNorm(H, device=DEV)
            m.log_dt = P(torch.empty(H, device=DEV).uniform_(math.log(dt_min), math.log(dt_max)))
            m.log_A_re = P(torch.full((H, m_), math.log(0.5), device=DEV))
            m.A_im = P(math.pi * torch.arange(m_, device=DEV, dtype=torch.float32).repeat(H, 1))
            m.C = P(torch.randn(H, m_, 2, device=DEV) * math.sqrt(0.5))
            m.D = P(torch.randn(H, device=DEV))
            m.out_w = uniform((H, 2 * H), H)
            m.out_b = P(torch.zeros(2 * H, device=DEV))
            self.layers.append(m)
        self.ln_f = torch.nn.LayerNorm(H, device=DEV)
        self.head = uniform((H, VOCAB), H)

    @staticmethod
    def kernel(m, l):
        lam = torch.complex(-torch.exp(m.log_A_re), m.A_im)  # (H, m)
        dlam = torch.exp(m.log_dt).unsqueeze(1) * lam
        W = torch.view_as_complex(m.C) * (torch.exp(dlam) - 1) / lam  # C ⊙ B̄
        k = torch.arange(l, device=DEV)
        return 2 * torch.einsum("hm,hml->hl", W, torch.exp(dlam.unsqueeze(-1) * k)).real  # (H, l)

    def forward(self, tokens):
        x = self.embedding[tokens]  # (b, l, H)
        l = x.shape[1]
        idx = torch.arange(l, device=DEV)
        lag = idx.view(-1, 1) - idx.view(1, -1)  # t − s
        for m in self.layers:
            u = m.ln(x)
            K = self.kernel(m, l)  # (H, l)
            T = torch.where(lag >= 0, K[:, lag.clamp(min=0)], torch.zeros((), device=DEV))  # (H, l, l)
            y = torch.einsum("hts,bsh->bth", T, u) + u * m.D
            a, g = (F.gelu(y, approximate="tanh") @ m.out_w + m.out_b).chunk(2, -1)
            x = x + a * torch.sigmoid(g)
        return self.ln_f(x) @ self.head


def lr_at(step):
    if step < WARMUP:
        return LR * (step + 1) / WARMUP
    t = min(1.0, (step - WARMUP) / max(1, STEPS - WARMUP))
    return LR * (MIN_LR + (1 - MIN_LR) * 0.5 * (1 + math.cos(math.pi * t)))


def loss_fn(model, x, y, w):
    logp = F.log_softmax(model(x), -1)
    nll = -logp.gather(-1, y.unsqueeze(-1)).squeeze(-1)
    return (nll * w).sum() / w.sum().clamp(min=1)


@torch.no_grad()
def accuracy(model, held):
    hit = n = 0.0
    for x, y, w in held:
        pred = model(x).argmax(-1)
        hit += ((pred == y).float() * w).sum().item()
        n += w.sum().item()
    return hit / n


def make(kind, seed):
    torch.manual_seed(seed)
    model = Mamba() if kind == "mamba" else S4D()
    opt = torch.optim.Adam(model.parameters(), lr=LR, betas=(0.9, 0.98), eps=1e-8)
    return model, opt


def step(model, opt, rng, i):
    for g in opt.param_groups:
        g["lr"] = lr_at(i)
    loss = loss_fn(model, *sample(rng, BATCH))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)
    opt.step()
    return loss.item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget", type=float, default=400)
    a = ap.parse_args()
    start = time.perf_counter()
    out = {"torch": torch.__version__, "device": torch.cuda.get_device_name(0), "speed": [], "runs": []}
    for kind in ["s4d", "mamba"]:
        model, opt = make(kind, 0)
        rng = np.random.default_rng(0)
        for i in range(3):
            step(model, opt, rng, i)
        ms = []
        for i in range(3, 23):
            t0 = time.perf_counter()
            step(model, opt, rng, i)
            ms.append(1000 * (time.perf_counter() - t0))
        out["speed"].append({"model": kind, "params": sum(p.numel() for p in model.parameters()),
                             "msPerStep": float(np.median(ms)), "stepsPerSecond": 1000 / float(np.median(ms))})
    for kind, seed in [("mamba", 0), ("mamba", 2), ("s4d", 0)]:
        if time.perf_counter() - start > a.budget:
            break
        model, opt = make(kind, seed)
        rng, hrng = np.random.default_rng(seed), np.random.default_rng(10_000 + seed)
        held = [sample(hrng, 64) for _ in range(4)]
        t0 = time.perf_counter()
        curve, reached, stopped = [], None, "default steps"
        for i in range(STEPS):
            step(model, opt, rng, i)
            if (i + 1) % 50 == 0:
                acc = accuracy(model, held)
                curve.append({"step": i + 1, "accuracy": acc, "seconds": time.perf_counter() - t0})
                if acc >= 0.9:
                    reached, stopped = curve[-1], "reached target"
                    break
            if time.perf_counter() - start > a.budget:
                stopped = "budget spent"
                break
        out["runs"].append({"model": kind, "seed": seed, "reachedStep": reached and reached["step"],
                            "reachedSeconds": reached and reached["seconds"], "stepsRun": i + 1,
                            "seconds": time.perf_counter() - t0, "stopped": stopped, "curve": curve})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
