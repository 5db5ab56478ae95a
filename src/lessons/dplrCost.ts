// Live cost of S4's DPLR kernel beside the naive kernel (page 4, /views): time per call against
// the state size N (and the length L) on the reader's own backend, and the printed difference
// between the two. Not a kernel: async measuring loops around the synchronous kernels.
//
// What is timed, per (N, L), for HiPPO-LegS with a seeded C and step Δ:
//   dplr       dplrKernel: Cauchy sums, Woodbury, inverse FFT as tfjs ops    O(N·L + L log L)
//   dense      ssmKernel on the bilinear Ā, B̄: powers of Ā by doubling     O(N²·L + N³ log L)
//   dplrF64    dplrKernelF64: the same as dplr in plain float64 JS          O(N·L + L log L)
//   denseF64   ssmKernelLoop: x ← Ā x, L times, plain float64 JS              O(N²·L)
// The one-time setup is not timed: the DPLR form (O(N³), cached per N), C̃ = C(I − Āᴸ) (S4
// trains C̃ itself), and Ā, B̄ (discretize). Each tfjs call ends with a real readback (await
// data()); the loop yields to the event loop between calls; a method skips a cell once its
// predicted time (predictMs: from its last measured points) passes `budgetMs`; everything
// stops at `totalMs` or when `signal` is aborted.
import * as tf from "@tensorflow/tfjs";
import {
  discretize, discretizeCore, dplrCtilde, dplrHippo, dplrKernel, dplrKernelF64, mulberry32, ssmKernel, ssmKernelLoop, type Dplr
} from "../kernels/index.js";

export type DplrCostKey = "dplr" | "dense" | "dplrF64" | "denseF64";
export const DPLR_COST_KEYS: readonly DplrCostKey[] = ["dplr", "dense", "dplrF64", "denseF64"];

export interface DplrCostPoint { method: DplrCostKey; label: string; N: number; L: number; ms: number; reps: number; firstMs: number }

interface MethodDef { label: string; growthN: number; growthL: number; tfjs: boolean }
const METHOD_DEFS: Record<DplrCostKey, MethodDef> = {
  dplr: {label: "DPLR: Cauchy + Woodbury + FFT (tfjs)", growthN: 1, growthL: 1.1, tfjs: true},
  dense: {label: "naive: powers of Ā (tfjs ssmKernel)", growthN: 2, growthL: 1.1, tfjs: true},
  dplrF64: {label: "DPLR in plain JS (float64)", growthN: 1, growthL: 1.1, tfjs: false},
  denseF64: {label: "naive loop x ← Āx in plain JS (float64)", growthN: 2, growthL: 1, tfjs: false}
};

/** Label of a method, for a legend. */
export function dplrCostLabel(key: DplrCostKey): string {
  return METHOD_DEFS[key].label;
}

const systems = new Map<number, Dplr>();
/** S4's DPLR form of LegS for state size N, computed once per N (O(N³) float64). */
export function legsDplr(N: number): Dplr {
  let s = systems.get(N);
  if (!s) { s = dplrHippo(N); systems.set(N, s); }
  return s;
}

/** A seeded real C (N), entries uniform with mean square 1/N. */
export function seededC(N: number, seed = 7): number[] {
  const r = mulberry32(seed + 1000 * N);
  return Array.from({length: N}, () => (2 * r() - 1) * Math.sqrt(3 / N));
}

/** Everything a cell needs, made before it is timed. The caller disposes Ab, Bb. */
interface Cell { sys: Dplr; C: number[]; Ct: {re: Float64Array; im: Float64Array}; Ab: tf.Tensor2D; Bb: tf.Tensor2D; Ab64: Float64Array; Bb64: Float64Array }

function prepare(N: number, L: number, delta: number, seed: number): Cell {
  const sys = legsDplr(N), C = seededC(N, seed);
  const {Ab, Bb} = discretize(sys.real.A, sys.real.B, delta, "bilinear");
  const d64 = discretizeCore(Float64Array.from(sys.real.A.flat()), Float64Array.from(sys.real.B.flat()), N, 1, delta, "bilinear");
  return {sys, C, Ct: dplrCtilde(sys, C, delta, L), Ab, Bb, Ab64: d64.Ab, Bb64: d64.Bb};
}

function runner(key: DplrCostKey, c: Cell, delta: number, L: number): () => tf.Tensor | Float64Array {
  switch (key) {
    case "dplr": return () => dplrKernel(c.sys, c.Ct, delta, L);
    case "dense": return () => ssmKernel(c.Ab, c.Bb, [c.C], L);
    case "dplrF64": return () => dplrKernelF64(c.sys, c.Ct, delta, L);
    case "denseF64": return () => ssmKernelLoop(c.Ab64, c.Bb64, c.C, L);
  }
}

const pause = () => new Promise<void>((r) => setTimeout(r, 0));

/** One call with its readback (tensors: await data(), then dispose). */
async function once(fn: () => tf.Tensor | Float64Array): Promise<number> {
  const t0 = performance.now();
  const y = fn();
  if (y instanceof tf.Tensor) {
    await y.data();
    y.dispose();
  }
  return performance.now() - t0;
}

/**
 * Wall time (ms) of `fn` over up to `reps` calls, each with its readback, after one untimed
 * warm-up call (shader compiles, uploads): the minimum by default (on a shared machine noise
 * only ever adds time), or the median; one timed call when slow (> 150 ms).
 */
export async function timeDplrCall(fn: () => tf.Tensor | Float64Array, reps = 3, stat: "min" | "median" = "min"): Promise<{ms: number; reps: number; firstMs: number}> {
  const firstMs = await once(fn);
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    await pause();
    times.push(await once(fn));
    if (times[0] > 150) break;
  }
  const sorted = [...times].sort((a, b) => a - b), m = sorted.length >> 1;
  const ms = stat === "min" ? sorted[0] : sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  return {ms, reps: times.length, firstMs};
}

/**
 * Predicted ms of a method at (N, L) from its measured points: the last one, scaled by
 * (N/N₁)^g (L/L₁)^growthL, where g is the local slope of the last two points at the same L
 * (clamped to [0, growthN]), else growthN. The local slope keeps a dispatch-bound GPU
 * method (flat in N) from being predicted to grow as its asymptotic order.
 */
export function predictMs(history: {N: number; L: number; ms: number}[], N: number, L: number, growthN: number, growthL: number): number {
  const p1 = history[history.length - 1];
  if (!p1) return 0;
  const p0 = history[history.length - 2];
  let g = growthN;
  if (p0 && p0.L === p1.L && p0.N < p1.N && p0.ms > 0 && p1.ms > 0) g = Math.min(growthN, Math.max(0, Math.log(p1.ms / p0.ms) / Math.log(p1.N / p0.N)));
  return p1.ms * (N / p1.N) ** g * (L / p1.L) ** growthL;
}

export interface DplrCostOptions {
  /** state sizes, ascending (default 4 … 256) */
  Ns?: number[];
  /** kernel lengths, powers of two (default [1024]) */
  Ls?: number[];
  /** step Δ (default 0.01) */
  delta?: number;
  /** which methods (default all four) */
  methods?: readonly DplrCostKey[];
  /** skip a cell whose predicted time passes this (ms per call, default 500) */
  budgetMs?: number;
  /** stop everything after this much wall time (ms, default 8000) */
  totalMs?: number;
  /** timed calls per cell (default 3) */
  reps?: number;
  /** which of them is reported: "min" (default) or "median" */
  stat?: "min" | "median";
  /** seed of C */
  seed?: number;
  signal?: {aborted: boolean};
  onPoint?: (p: DplrCostPoint) => void;
}

/**
 * Times the DPLR kernel and the naive kernel at every (N, L) on the active backend (L outer,
 * N inner, ascending), calling `onPoint` after each point. Plain points out; no tensor
 * outlives the call.
 */
export async function measureDplrCost(options: DplrCostOptions = {}): Promise<DplrCostPoint[]> {
  const {Ns = [4, 8, 16, 32, 64, 128, 256], Ls = [1024], delta = 0.01, methods = DPLR_COST_KEYS, budgetMs = 500, totalMs = 8000, reps = 3, stat = "min", seed = 7, signal, onPoint} = options;
  for (const L of Ls) if (!Number.isInteger(L) || L < 1 || (L & (L - 1)) !== 0) throw new Error(`measureDplrCost: Ls must be powers of two (dplrKernel's inverse FFT), got ${L}`);
  for (const m of methods) if (!DPLR_COST_KEYS.includes(m)) throw new Error(`measureDplrCost: methods must be among ${DPLR_COST_KEYS.join(", ")}, got ${String(m)}`);
  const start = performance.now();
  const points: DplrCostPoint[] = [];
  const history = new Map<DplrCostKey, {N: number; L: number; ms: number}[]>(methods.map((m) => [m, []]));
  for (const L of Ls) {
    for (const N of Ns) {
      if (signal?.aborted || performance.now() - start > totalMs) return points;
      const todo = methods.filter((m) => predictMs(history.get(m)!, N, L, METHOD_DEFS[m].growthN, METHOD_DEFS[m].growthL) <= budgetMs);
      if (!todo.length) continue;
      await pause();
      const cell = prepare(N, L, delta, seed);
      try {
        for (const m of todo) {
          if (signal?.aborted || performance.now() - start > totalMs) return points;
          const r = await timeDplrCall(runner(m, cell, delta, L), reps, stat);
          const p: DplrCostPoint = {method: m, label: METHOD_DEFS[m].label, N, L, ms: r.ms, reps: r.reps, firstMs: r.firstMs};
          points.push(p);
          history.get(m)!.push({N, L, ms: r.ms});
          onPoint?.(p);
        }
      } finally {
        tf.dispose([cell.Ab, cell.Bb]);
      }
    }
  }
  return points;
}

/** Max |difference| between the kernels of one system, and max |K| (float64 loop) for scale. */
export interface DplrAgreement {
  N: number; L: number; delta: number;
  /** max |K| of the float64 dense loop */
  scale: number;
  /** max |dplrKernel − ssmKernel| (both float32 tfjs, the active backend) */
  dplrVsDense: number;
  /** max |dplrKernel − float64 loop| */
  dplrVsExact: number;
  /** max |ssmKernel − float64 loop| */
  denseVsExact: number;
  /** max |dplrKernelF64 − float64 loop| */
  dplrF64VsExact: number;
}

/**
 * The live printed difference: the DPLR kernel against the dense kernel C Āᵏ B̄ of the same
 * discretized LegS system (N, Δ, L a power of two, seeded C), read back asynchronously.
 */
export async function dplrAgreement(N: number, delta: number, L: number, seed = 7): Promise<DplrAgreement> {
  const cell = prepare(N, L, delta, seed);
  const Kd = ssmKernel(cell.Ab, cell.Bb, [cell.C], L);
  let Kp: tf.Tensor | null = null;
  try {
    Kp = dplrKernel(cell.sys, cell.Ct, delta, L);
    const [kd, kp] = await Promise.all([Kd.data(), Kp.data()]);
    const exact = ssmKernelLoop(cell.Ab64, cell.Bb64, cell.C, L);
    const f64 = dplrKernelF64(cell.sys, cell.Ct, delta, L);
    const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m; };
    let scale = 0;
    for (let i = 0; i < L; i++) scale = Math.max(scale, Math.abs(exact[i]));
    return {N, L, delta, scale, dplrVsDense: maxDiff(kp, kd), dplrVsExact: maxDiff(kp, exact), denseVsExact: maxDiff(kd, exact), dplrF64VsExact: maxDiff(f64, exact)};
  } finally {
    tf.dispose([cell.Ab, cell.Bb, Kd, ...(Kp ? [Kp] : [])]);
  }
}
