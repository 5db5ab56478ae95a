// Page 1, the state equation x'(t) = A x(t) + B u(t), y(t) = C x(t) + D u(t).
//
// Exact solution (variation of constants):
//   x(t) = e^{At} x(0) + ∫₀ᵗ e^{A(t−s)} B u(s) ds.
// For an input held constant on each interval [t_k, t_k + h) the integral can be done in
// closed form, and the solution at the grid points is exactly the ZOH recurrence
//   x(t_{k+1}) = Ā x(t_k) + B̄ u_k,   Ā = e^{hA},   B̄ = ∫₀ʰ e^{As} ds B,
// computed here with `discretize(A, B, h, "zoh")` (augmented-matrix
// exponential, so A need not be invertible) and the states with `ssmStates`.
import * as tf from "@tensorflow/tfjs";
import {discretize, discretizeF64, eig2, eigvecs2, ssmStates} from "../kernels/index.js";
import {sampleSignal, type SignalKind} from "./signals.js";

export type Matrix2 = [[number, number], [number, number]];

/**
 * A real 2x2 matrix with prescribed eigenvalues.
 * Complex pair σ ± iω (ω > 0): A = [[σ, ω], [−ω, σ]] (a rotation-scaling; trajectories spiral).
 * Two real eigenvalues λ₁, λ₂ (ω = 0 in the UI, two real-part sliders): A = P diag(λ₁, λ₂) P⁻¹
 * with P = [[1, 1/2], [0, 1]], so the eigenvectors are not the axes and shear is visible.
 */
export function matrixFromEigen(sigma: number, omega: number, sigma2 = sigma): Matrix2 {
  if (omega !== 0) return [[sigma, omega], [-omega, sigma]];
  // P diag(λ1, λ2) P⁻¹ with P = [[1, p], [0, 1]], P⁻¹ = [[1, −p], [0, 1]].
  const p = 0.5;
  return [[sigma, p * (sigma2 - sigma)], [0, sigma2]];
}

export type Portrait =
  | "stable spiral" | "unstable spiral" | "center"
  | "stable node" | "unstable node" | "saddle" | "degenerate (an eigenvalue is 0)";

/** Classifies the origin of x' = Ax (2x2) by its eigenvalues. */
export function classify2(A: number[][], tol = 1e-12): Portrait {
  const {re, im} = eig2(A);
  if (Math.abs(re[0]) < tol && Math.abs(im[0]) < tol || Math.abs(re[1]) < tol && Math.abs(im[1]) < tol) {
    return "degenerate (an eigenvalue is 0)";
  }
  if (im[0] !== 0) {
    if (Math.abs(re[0]) < tol) return "center";
    return re[0] < 0 ? "stable spiral" : "unstable spiral";
  }
  if (re[0] * re[1] < 0) return "saddle";
  return re[0] < 0 ? "stable node" : "unstable node";
}

/** Largest real part of the eigenvalues: the growth rate of the slowest-decaying mode. */
export function spectralAbscissa2(A: number[][]): number {
  return Math.max(...eig2(A).re);
}

export interface Response {
  /** Times t_k = k·h, k = 0..l. */
  t: Float64Array;
  /** States at t_k, row-major (l+1, n). */
  x: Float32Array;
  /** Output y(t_k) = C x(t_k) + D u_k (u_k held on [t_k, t_k + h); the last point uses u_{l−1}). */
  y: Float32Array;
  /** The discretised matrices actually used: Ā (n, n) and B̄ (n, 1), row-major. */
  Ab: Float32Array;
  Bb: Float32Array;
  n: number;
}

/**
 * Solves x' = Ax + Bu, y = Cx + Du from x(0) = x0 for a held input u (l values, step h),
 * exactly at the grid points (ZOH). Shapes: A (n,n), B (n,1), C (1,n), D scalar, x0 (n).
 * Returns plain arrays (this is called once per slider move; no tensor escapes).
 */
export async function continuousResponse(
  A: number[][], B: number[][], C: number[][], D: number, x0: number[], u: Float32Array, h: number
): Promise<Response> {
  const n = A.length;
  if (!(h > 0) || !Number.isFinite(h)) throw new Error(`continuousResponse: h must be a finite number > 0, got ${h}`);
  if (x0.length !== n) throw new Error(`continuousResponse: x0 must have length n = ${n}, got ${x0.length}`);
  if (!Number.isFinite(D)) throw new Error(`continuousResponse: D must be finite, got ${D}`);
  const l = u.length;
  const {Ab, Bb, X} = tf.tidy(() => {
    const {Ab, Bb} = discretize(A, B, h, "zoh"); // (n, n), (n, 1)
    const states = ssmStates(Ab, Bb, tf.tensor1d(u), tf.tensor1d(x0)); // (l, n): x(t_1..t_l)
    const X = tf.concat([tf.tensor2d([x0], [1, n]), states], 0); // (l+1, n)
    return {Ab, Bb, X};
  });
  // Asynchronous reads: on a GPU backend a synchronous one would stall the page.
  const [x, AbData, BbData] = (await Promise.all([X.data(), Ab.data(), Bb.data()])) as Float32Array[];
  tf.dispose([Ab, Bb, X]);
  const t = new Float64Array(l + 1);
  const y = new Float32Array(l + 1);
  for (let k = 0; k <= l; k++) {
    t[k] = k * h;
    let acc = D * u[Math.min(k, l - 1)];
    for (let i = 0; i < n; i++) acc += C[0][i] * x[k * n + i];
    y[k] = acc;
  }
  return {t, x, y, Ab: AbData, Bb: BbData, n};
}

/**
 * The same solution in float64 plain JS, for the small systems of page 1 (n = 2, l = 1000: a few
 * thousand multiply-adds, far below a tfjs dispatch): Ā, B̄ by discretizeF64 (the same
 * scaling-and-squaring expm as `discretize`), then x(t_{k+1}) = Ā x(t_k) + B̄ u_k. Results are
 * rounded to float32 like continuousResponse's (so an overflow past float32 reads the same).
 */
export function continuousResponseF64(
  A: number[][], B: number[][], C: number[][], D: number, x0: number[], u: Float32Array, h: number
): Response {
  const n = A.length;
  if (!(h > 0) || !Number.isFinite(h)) throw new Error(`continuousResponseF64: h must be a finite number > 0, got ${h}`);
  if (x0.length !== n) throw new Error(`continuousResponseF64: x0 must have length n = ${n}, got ${x0.length}`);
  if (!Number.isFinite(D)) throw new Error(`continuousResponseF64: D must be finite, got ${D}`);
  const {Ab, Bb} = discretizeF64(A, B, h, "zoh");
  const l = u.length, X = new Float64Array((l + 1) * n);
  X.set(x0);
  for (let k = 0; k < l; k++) {
    for (let i = 0; i < n; i++) {
      let s = Bb[i][0] * u[k];
      for (let j = 0; j < n; j++) s += Ab[i][j] * X[k * n + j];
      X[(k + 1) * n + i] = s;
    }
  }
  const t = new Float64Array(l + 1), y = new Float32Array(l + 1);
  for (let k = 0; k <= l; k++) {
    t[k] = k * h;
    let acc = D * u[Math.min(k, l - 1)];
    for (let i = 0; i < n; i++) acc += C[0][i] * X[k * n + i];
    y[k] = acc;
  }
  return {t, x: Float32Array.from(X), y, Ab: Float32Array.from(Ab.flat()), Bb: Float32Array.from(Bb.flat()), n};
}

// ---------------------------------------------------------------- the page's view

/** The controls of page 1, as plain values. */
export interface ContinuousParams {
  /** "eig": A from σ, ω (and σ₂ when ω = 0); "entries": A from a11…a22 */
  mode: "eig" | "entries";
  sigma: number; omega: number; sigma2: number;
  a11: number; a12: number; a21: number; a22: number;
  b1: number; b2: number; c1: number; c2: number; D: number; x01: number; x02: number;
  /** a signal kind, or the name of a real series */
  input: string; freq: number; seed: number;
  /** the time window */
  T: number;
}

/** Steps of the solver, and the level beyond which the figures clip (and say so). */
export const STEPS = 1000, CLIP = 1e3;

/** A, B, C, D and x(0) of the current controls. */
export function systemOf(p: ContinuousParams): {A: number[][]; B: number[][]; C: number[][]; D: number; x0: number[]} {
  const A = p.mode === "eig" ? matrixFromEigen(p.sigma, p.omega, p.sigma2) : [[p.a11, p.a12], [p.a21, p.a22]];
  return {A, B: [[p.b1], [p.b2]], C: [[p.c1, p.c2]], D: p.D, x0: [p.x01, p.x02]};
}

/** The held input on l steps of h: a synthetic signal, or a real series stretched over the window. */
export function inputOf(p: ContinuousParams, series: Record<string, {values: number[]}>, l: number, h: number): Float32Array {
  const real = series[p.input];
  return sampleSignal((real ? "series" : p.input) as SignalKind, l, h, {freq: p.freq, seed: p.seed, series: real?.values});
}

export interface ContinuousView {
  A: number[][]; B: number[][]; C: number[][]; D: number; x0: number[];
  h: number; u: Float32Array; sol: Response;
  /** eigenvalues of A, its real eigen-directions and the name of the origin's portrait */
  eig: {re: number[]; im: number[]}; eigen: {values: number[]; vectors: [number, number][]}; portrait: Portrait;
  /** x₁(t), x₂(t) as separate arrays */
  x1: Float32Array; x2: Float32Array;
  /** max |x|, |y| (Infinity or NaN when the solution overflowed) */
  maxAbs: number;
  ms: number;
}

/** Everything page 1 draws for the current controls (the exact held-input solution and A's spectrum). */
export async function continuousView(p: ContinuousParams, series: Record<string, {values: number[]}>): Promise<ContinuousView> {
  const t0 = typeof performance !== "undefined" ? performance.now() : Date.now();
  const {A, B, C, D, x0} = systemOf(p);
  const h = p.T / STEPS;
  const u = inputOf(p, series, STEPS, h);
  const sol = continuousResponseF64(A, B, C, D, x0, u, h); // plain JS: tiny work, within the frame
  const x1 = new Float32Array(STEPS + 1), x2 = new Float32Array(STEPS + 1);
  let maxAbs = 0;
  for (let k = 0; k <= STEPS; k++) {
    x1[k] = sol.x[2 * k]; x2[k] = sol.x[2 * k + 1];
    maxAbs = Math.max(maxAbs, Math.abs(x1[k]), Math.abs(x2[k]), Math.abs(sol.y[k]));
    if (!Number.isFinite(x1[k]) || !Number.isFinite(x2[k]) || !Number.isFinite(sol.y[k])) maxAbs = Infinity;
  }
  const ms = (typeof performance !== "undefined" ? performance.now() : Date.now()) - t0;
  return {A, B, C, D, x0, h, u, sol, eig: eig2(A), eigen: eigvecs2(A), portrait: classify2(A), x1, x2, maxAbs, ms};
}

/** The notices of page 1: an unstable A, an overflow. */
export function continuousNotices(v: ContinuousView): {level: "warn" | "error"; text: string}[] {
  const out: {level: "warn" | "error"; text: string}[] = [];
  const top = Math.max(...v.eig.re);
  if (top > 0) {
    out.push({level: "warn", text: `A is unstable: an eigenvalue has real part ${top.toFixed(2)} > 0, so the state grows like e^(${top.toFixed(2)} t).` +
      (v.maxAbs > CLIP ? ` Values beyond ±${CLIP} are drawn at the edge of the plots.` : "")});
  }
  if (!Number.isFinite(v.maxAbs)) out.push({level: "error", text: "The solution overflowed float32 (it grew past 3.4e38); the non-finite values are not plotted."});
  return out;
}

/**
 * The error of holding u constant, measured: the same system solved with h/2 by the site's
 * tfjs kernels (discretize, then the scan: an independent path from the float64 view), compared
 * at the common grid points (largest |Δy|). NaN when either solution is not finite.
 */
export async function holdError(p: ContinuousParams, series: Record<string, {values: number[]}>, v: ContinuousView): Promise<number> {
  const fine = await continuousResponse(v.A, v.B, v.C, v.D, v.x0, inputOf(p, series, 2 * STEPS, v.h / 2), v.h / 2);
  let err = 0;
  for (let k = 0; k <= STEPS; k++) err = Math.max(err, Math.abs(v.sol.y[k] - fine.y[2 * k]));
  return Number.isFinite(err) ? err : NaN;
}

/** The eigenvalue sliders' ranges and steps [min, max, step] (the page builds its sliders from them). */
export const EIG_RANGES = {sigma: [-2, 1, 0.01], omega: [0, 6, 0.05], sigma2: [-2, 1, 0.01]} as const;

/** x rounded to the slider's step and clamped to its range (steps counted from min). */
export function snapTo([min, max, step]: readonly [number, number, number], x: number): number {
  const v = min + Math.round((x - min) / step) * step;
  return +Math.min(max, Math.max(min, v)).toFixed(Math.max(0, -Math.floor(Math.log10(step))));
}

/**
 * The eigenvalue sliders for a point (re, im) picked in the s-plane: a complex pair σ ± iω
 * (ω = |im|: either member of the pair may be dragged). When im rounds to ω = 0 and the pair is
 * already real (σ and σ₂), the nearer of the two real eigenvalues follows re instead.
 */
export function pickedEigenvalue(p: Pick<ContinuousParams, "sigma" | "omega" | "sigma2">, re: number, im: number): Partial<Record<"sigma" | "omega" | "sigma2", number>> {
  const omega = snapTo(EIG_RANGES.omega, Math.abs(im));
  if (omega === 0 && p.omega === 0 && Math.abs(re - p.sigma2) < Math.abs(re - p.sigma)) return {sigma2: snapTo(EIG_RANGES.sigma2, re)};
  return {sigma: snapTo(EIG_RANGES.sigma, re), omega};
}
