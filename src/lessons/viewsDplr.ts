// S4's DPLR kernel, live on page 4 (/views): the steps of Gu, Goel & Ré (2022), "Efficiently
// Modeling Long Sequences with Structured State Spaces", §3 and App. C, as plain data the page
// draws, for HiPPO-LegS with N states, step Δ and length L (a power of two), bilinear Ā, B̄:
//   1. A = V (Λ − P̃P̃*) V*  (dplrHippo; cached per N with its reconstruction error)
//   2. C̃ = C (I − Āᴸ) and the generating function K̂(z_j) = C̃ (I − Ā z_j)⁻¹ B̄ at the roots of
//      unity z_j = e^{−2πij/L} (dplrGenerating, float64), split into the Cauchy sum of the
//      diagonal part and the Woodbury correction of the rank-one term
//   3. K̄ = IFFT(K̂) (dplrKernel: float32 tfjs on the active backend)
// beside the dense kernel C Āᵏ B̄ of the same discretized system (ssmKernel, float32 tfjs),
// and, while N²L is small, a float64 loop x ← Āx as the exact answer. Both tfjs kernels are
// read back asynchronously (no synchronous GPU read); no tensor outlives the call.
import * as tf from "@tensorflow/tfjs";
import {discretizeF64, dplrCtilde, dplrGenerating, dplrKernel, dplrReconstruct, ssmKernel, fail, type Dplr} from "../kernels/index.js";
import {legsDplr, seededC} from "./dplrCost.js";

export const DPLR_NS = [4, 8, 16, 32, 64, 128, 256] as const;
export const DPLR_LS = [64, 128, 256, 512, 1024, 2048, 4096] as const;
/** The float64 loop (O(N²L)) runs while N²·L is at most this. */
export const EXACT_MAX_WORK = 1 << 25;

const recon = new Map<number, number>();
/** max |V(Λ − P̃P̃*)V* − A| of LegS at state size N (cached per N: O(N³) once). */
export function dplrReconstructionError(N: number): number {
  let e = recon.get(N);
  if (e === undefined) {
    const sys = legsDplr(N), R = dplrReconstruct(sys);
    e = 0;
    for (let i = 0; i < N; i++) for (let k = 0; k < N; k++) e = Math.max(e, Math.abs(R.re[i][k] - sys.real.A[i][k]), Math.abs(R.im[i][k]));
    recon.set(N, e);
  }
  return e;
}

/** x ← Ā x, L times, in float64: K̄_k = C Āᵏ B̄ (Ā, B̄ nested arrays). */
export function denseKernelF64(Ab: number[][], Bb: number[][], C: ArrayLike<number>, L: number): Float64Array {
  const n = Ab.length, A = Float64Array.from(Ab.flat());
  let x = Float64Array.from(Bb, (r) => r[0]), y = new Float64Array(n);
  const K = new Float64Array(L);
  for (let k = 0; k < L; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += C[i] * x[i];
    K[k] = s;
    for (let i = 0; i < n; i++) { let t = 0; const row = i * n; for (let j = 0; j < n; j++) t += A[row + j] * x[j]; y[i] = t; }
    [x, y] = [y, x];
  }
  return K;
}

export interface DplrView {
  N: number; L: number; delta: number;
  /** Λ (N), the eigenvalues of LegS's normal part; all Re λ = −½ */
  Lambda: {re: number[]; im: number[]};
  /** |P̃_n|² (N): how strongly the rank-one term couples to each mode */
  P2: number[];
  reconError: number;
  /** nodes j = 0 … L/2 − 1 (z_j = e^{−2πij/L}; not the pole z = −1), with |K̂|, |diagonal part| and |Woodbury correction| */
  nodes: {j: Float64Array; Khat: Float64Array; diagonal: Float64Array; correction: Float64Array};
  /** DPLR kernel (float32, active backend), dense ssmKernel (float32), exact (float64 loop or null) */
  Kdplr: Float32Array; Kdense: Float32Array; Kexact: Float64Array | null;
  /** max |K_dplr − K_dense|, max |K_dense| for scale, and each against the float64 loop (NaN without it) */
  maxDiff: number; scale: number; dplrVsExact: number; denseVsExact: number;
}

/** Checks the page's controls (N in DPLR_NS-like range, L a power of two, Δ > 0). */
function check(N: number, delta: number, L: number): void {
  const fn = "dplrView";
  if (!Number.isInteger(N) || N < 1 || N > 1024) fail(fn, `N must be an integer in [1, 1024], got ${N}`);
  if (!(delta > 0) || !Number.isFinite(delta)) fail(fn, `delta must be a positive number, got ${delta}`);
  if (!Number.isInteger(L) || L < 2 || L > 1 << 16 || (L & (L - 1)) !== 0) fail(fn, `L must be a power of two in [2, 65536], got ${L}`);
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m; };

/** The float64 steps only (Λ, |P̃|², reconstruction error, the nodes): plain JS, O(N·L) once the form is cached, so a drag can follow them. */
export function dplrNodes(N: number, delta: number, L: number, seed = 7): Pick<DplrView, "N" | "L" | "delta" | "Lambda" | "P2" | "reconError" | "nodes"> {
  check(N, delta, L);
  const sys: Dplr = legsDplr(N), C = seededC(N, seed);
  const g = dplrGenerating(sys, dplrCtilde(sys, C, delta, L), delta, L);
  const half = L / 2, abs = (z: {re: Float64Array; im: Float64Array}) => Float64Array.from({length: half}, (_, j) => Math.hypot(z.re[j], z.im[j]));
  return {
    N, L, delta, Lambda: {re: Array.from(sys.Lambda.re), im: Array.from(sys.Lambda.im)},
    P2: Array.from(sys.P.re, (re, n) => re * re + sys.P.im[n] * sys.P.im[n]), reconError: dplrReconstructionError(N),
    nodes: {j: Float64Array.from({length: half}, (_, j) => j), Khat: abs(g.Khat), diagonal: abs(g.diagonal), correction: abs(g.correction)}
  };
}

/** Every step of S4's kernel for LegS (N, Δ, L) with the seeded C of dplrCost, as plain arrays. */
export async function dplrView(N: number, delta: number, L: number, seed = 7): Promise<DplrView> {
  check(N, delta, L);
  const sys: Dplr = legsDplr(N), C = seededC(N, seed);
  const Ct = dplrCtilde(sys, C, delta, L);
  const g = dplrGenerating(sys, Ct, delta, L);
  const half = L / 2, abs = (z: {re: Float64Array; im: Float64Array}) => Float64Array.from({length: half}, (_, j) => Math.hypot(z.re[j], z.im[j]));
  const nodes = {j: Float64Array.from({length: half}, (_, j) => j), Khat: abs(g.Khat), diagonal: abs(g.diagonal), correction: abs(g.correction)};
  const {Ab, Bb} = discretizeF64(sys.real.A, sys.real.B, delta, "bilinear");
  const Kd = ssmKernel(Ab, Bb, [C], L);
  let Kp: tf.Tensor1D | null = null;
  let kd: Float32Array, kp: Float32Array;
  try {
    Kp = dplrKernel(sys, Ct, delta, L);
    [kd, kp] = (await Promise.all([Kd.data(), Kp.data()])) as [Float32Array, Float32Array];
  } finally {
    tf.dispose([Kd, ...(Kp ? [Kp] : [])]);
  }
  const Kexact = N * N * L <= EXACT_MAX_WORK ? denseKernelF64(Ab, Bb, C, L) : null;
  let scale = 0;
  for (let k = 0; k < L; k++) scale = Math.max(scale, Math.abs(kd[k]));
  return {
    N, L, delta, Lambda: {re: Array.from(sys.Lambda.re), im: Array.from(sys.Lambda.im)},
    P2: Array.from(sys.P.re, (re, n) => re * re + sys.P.im[n] * sys.P.im[n]), reconError: dplrReconstructionError(N), nodes,
    Kdplr: kp, Kdense: kd, Kexact, maxDiff: maxAbsDiff(kp, kd), scale,
    dplrVsExact: Kexact ? maxAbsDiff(kp, Kexact) : NaN, denseVsExact: Kexact ? maxAbsDiff(kd, Kexact) : NaN
  };
}
