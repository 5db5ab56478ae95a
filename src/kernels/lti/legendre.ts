// HiPPO memory: the state of a HiPPO recurrence run on a signal, and the history read back
// from that state through the measure's orthogonal basis.
//
// Gu, Dao, Ermon, Rudra, Ré, "HiPPO: Recurrent Memory with Optimal Polynomial Projections"
// (NeurIPS 2020): the state c(t) ∈ ℝᴺ holds the coefficients of the projection of the
// history u(s), s ≤ t, onto N basis functions orthonormal for a measure μ⁽ᵗ⁾; it obeys
//   LegT, LagT, FouT (time-invariant)  c'(t) = A c(t) + B u(t)
//   LegS (scaled, all of [0, t])        c'(t) = (1/t) A c(t) + (1/t) B u(t)
// with (A, B) from `hippoArrays` (hippo.ts). Reading the history back ("reconstruction"):
//   legt  u(t − τ) ≈ Σₙ cₙ Pₙ(2τ/θ − 1),              0 ≤ τ ≤ θ   (LMU form, Voelker et al. 2019)
//   legs  u(s)     ≈ Σₙ cₙ √(2n+1) Pₙ(2s/t − 1),       0 ≤ s ≤ t   (HiPPO Thm 2)
//   lagt  u(t − τ) ≈ Σₙ cₙ Lₙ(τ) e^(−τ/2),             τ ≥ 0       (Laguerre functions)
//   fout  u(t − τ) ≈ Σₖ a_k (c_k cos(πkτ) + s_k sin(πkτ)), 0 ≤ τ ≤ 2, a₀ = 1, a_k = √2 (k ≥ 1)
// Pₙ Legendre polynomials, Lₙ Laguerre polynomials (both by their three-term recurrences).
// FouT: the matrices of `transition("fout")` in the S4 repository (hippo.ts) rotate the pair
// (c_k, s_k) at the angular frequency πk and subtract B Bᵀ. That is the online projection onto
// the Fourier basis {1, √2 cos(πkτ), √2 sin(πkτ)}, orthonormal for the uniform probability
// measure on the window τ = t − s ∈ [0, 2]: differentiating c_k(t) = ½∫₀² u(t−τ) a_k cos(πkτ) dτ
// gives ½a_k (u(t) − u(t−2)) − πk s_k, and the value that leaves the window is read from the
// state through the periodic extension, whose Fourier series converges at the seam to the
// mean of both ends: u(t−2) ≈ 2 Σⱼ aⱼcⱼ − u(t). Hence B = a, A = rotations − a aᵀ (as in the
// S4 code, whose "fourier2" variant doubles everything for the window [0, 1]). State order
// (c₀, s₀, c₁, s₁, …); s₀ ≡ 0 (sin 0).
//
// Discretization (sample u_k held on [kΔ, (k+1)Δ), state c_k after u_k, c₋₁ = 0):
//   time-invariant measures: c_k = Ā c_{k−1} + B̄ u_k with (Ā, B̄) = discretize(A, B, Δ, method)
//     (default "bilinear", the generalized bilinear transform with α = 1/2 used by the HiPPO
//     paper and by S4);
//   legs: the step from t = kΔ to (k+1)Δ sees A/t, B/t. As in the official implementation
//     (`HiPPOScale` in state-spaces/s4, src/models/hippo/visualizations.py) the k-th step
//     (k = 1 … l, in units of Δ) is the bilinear step of (A/k, B/k) with step 1:
//       c_k = (I − A/(2k))⁻¹ [(I + A/(2k)) c_{k−1} + (B/k) u_{k−1}].
//     Δ cancels: LegS is invariant to the time scale. A is lower triangular, so each step is
//     a matrix–vector product and a forward substitution, O(N²). "euler" (c + (A c + B u)/k)
//     and "backward-euler" ((I − A/k)⁻¹ (c + B u/k)) are offered for comparison.
import * as tf from "@tensorflow/tfjs";
import {discretizeF64, discretize, type Method} from "./discretize.js";
import {hippoArrays, type Measure} from "./hippo.js";
import {ssmStates} from "./ssmRecurrent.js";
import {assertInteger, assertPositiveNumber, fail} from "../validate.js";

export type MemoryMeasure = "legt" | "legs" | "lagt" | "fout";
export const MEMORY_MEASURES: readonly MemoryMeasure[] = ["legt", "legs", "lagt", "fout"];
/** The window length of FouT in the S4 code's time units (see the header). */
export const FOUT_WINDOW = 2;
export type LegsMethod = "bilinear" | "euler" | "backward-euler";

function checkPoints(fn: string, arg: string, x: ArrayLike<number>): void {
  if (x == null || typeof x.length !== "number") fail(fn, `${arg} must be an array of numbers`);
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) fail(fn, `${arg} must be finite, but entry ${i} is ${String(x[i])}`);
}

/**
 * Legendre polynomials P₀ … P_{N−1} at the points x (m), by Bonnet's recurrence
 *   P₀ = 1, P₁ = x, (n+1) Pₙ₊₁ = (2n+1) x Pₙ − n Pₙ₋₁.
 * N ≥ 1, x (m) → Float64Array (m, N) row-major: out[i·N + n] = Pₙ(xᵢ).
 */
export function legendreP(N: number, x: ArrayLike<number>): Float64Array {
  assertInteger(N, "legendreP", "N", 1, 4096);
  checkPoints("legendreP", "x", x);
  const m = x.length, out = new Float64Array(m * N);
  for (let i = 0; i < m; i++) {
    const xi = x[i], o = i * N;
    out[o] = 1;
    if (N > 1) out[o + 1] = xi;
    for (let n = 1; n < N - 1; n++) out[o + n + 1] = ((2 * n + 1) * xi * out[o + n] - n * out[o + n - 1]) / (n + 1);
  }
  return out;
}

/**
 * Laguerre polynomials L₀ … L_{N−1} at the points x (m), by the recurrence
 *   L₀ = 1, L₁ = 1 − x, (n+1) Lₙ₊₁ = (2n+1 − x) Lₙ − n Lₙ₋₁.
 * N ≥ 1, x (m) → Float64Array (m, N) row-major.
 */
export function laguerreL(N: number, x: ArrayLike<number>): Float64Array {
  assertInteger(N, "laguerreL", "N", 1, 4096);
  checkPoints("laguerreL", "x", x);
  const m = x.length, out = new Float64Array(m * N);
  for (let i = 0; i < m; i++) {
    const xi = x[i], o = i * N;
    out[o] = 1;
    if (N > 1) out[o + 1] = 1 - xi;
    for (let n = 1; n < N - 1; n++) out[o + n + 1] = ((2 * n + 1 - xi) * out[o + n] - n * out[o + n - 1]) / (n + 1);
  }
  return out;
}

export interface MemoryOptions {
  /** LegT window length θ > 0 (default 1) */
  theta?: number;
}

/** Whether the absolute time s lies in the window the state at time t remembers. */
export function inWindow(measure: MemoryMeasure, t: number, s: number, {theta = 1}: MemoryOptions = {}): boolean {
  const tol = 1e-9 * Math.max(1, Math.abs(t));
  if (s > t + tol) return false;
  if (measure === "legt") return s >= t - theta - tol;
  if (measure === "fout") return s >= t - FOUT_WINDOW - tol;
  if (measure === "legs") return s >= -tol;
  return true;
}

/**
 * The basis that reads the history back from a state at time t, evaluated at absolute
 * times s (m): row i holds gₙ(sᵢ) so that u(sᵢ) ≈ Σₙ cₙ gₙ(sᵢ) (see the header). Rows of
 * times outside the remembered window are NaN.
 * measure, N, t > 0, s (m) → Float64Array (m, N) row-major.
 */
export function memoryBasis(measure: MemoryMeasure, N: number, t: number, s: ArrayLike<number>, {theta = 1}: MemoryOptions = {}): Float64Array {
  const fn = "memoryBasis";
  if (!MEMORY_MEASURES.includes(measure)) fail(fn, `measure must be one of ${MEMORY_MEASURES.map((m) => `"${m}"`).join(", ")}, got ${JSON.stringify(measure)}`);
  assertInteger(N, fn, "N", 1, 4096);
  assertPositiveNumber(t, fn, "t");
  assertPositiveNumber(theta, fn, "theta");
  checkPoints(fn, "s", s);
  const m = s.length;
  if (measure === "fout") return fourierBasis(N, t, s);
  const arg = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const tau = t - s[i];
    arg[i] = measure === "legt" ? (2 * tau) / theta - 1 : measure === "legs" ? (2 * s[i]) / t - 1 : tau;
  }
  const out = measure === "lagt" ? laguerreL(N, arg) : legendreP(N, arg);
  for (let i = 0; i < m; i++) {
    const o = i * N;
    if (!inWindow(measure, t, s[i], {theta})) { out.fill(NaN, o, o + N); continue; }
    if (measure === "legs") for (let n = 0; n < N; n++) out[o + n] *= Math.sqrt(2 * n + 1);
    else if (measure === "lagt") { const w = Math.exp(-arg[i] / 2); for (let n = 0; n < N; n++) out[o + n] *= w; }
  }
  return out;
}

/** FouT's read-out basis (header): row i is (a₀, 0, a₁cos πτᵢ, a₁sin πτᵢ, …), τᵢ = t − sᵢ; NaN outside [0, 2]. */
function fourierBasis(N: number, t: number, s: ArrayLike<number>): Float64Array {
  const out = new Float64Array(s.length * N);
  for (let i = 0; i < s.length; i++) {
    const o = i * N, tau = t - s[i];
    if (!inWindow("fout", t, s[i])) { out.fill(NaN, o, o + N); continue; }
    for (let n = 0; n < N; n++) {
      const k = n >> 1, a = k === 0 ? 1 : Math.SQRT2;
      out[o + n] = n % 2 === 0 ? a * Math.cos(Math.PI * k * tau) : k === 0 ? 0 : a * Math.sin(Math.PI * k * tau);
    }
  }
  return out;
}

/**
 * The history remembered by the state c (N) at time t, at absolute times s (m):
 * u(sᵢ) ≈ Σₙ cₙ gₙ(sᵢ); NaN outside the window. Plain float64.
 */
export function reconstructF64(measure: MemoryMeasure, c: ArrayLike<number>, t: number, s: ArrayLike<number>, options: MemoryOptions = {}): Float64Array {
  checkPoints("reconstructF64", "c", c);
  const N = c.length;
  if (N < 1) fail("reconstructF64", "c must have length N ≥ 1");
  const G = memoryBasis(measure, N, t, s, options);
  const out = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++) {
    let acc = 0;
    for (let n = 0; n < N; n++) acc += G[i * N + n] * c[n];
    out[i] = acc;
  }
  return out;
}

/**
 * The same reconstruction as a tfjs kernel: c (N) or states (l, N) at one time t → (m) or
 * (l, m), as basis (m, N) times state. float32 tensors, caller owns the result.
 */
export function hippoReconstruct(measure: MemoryMeasure, c: tf.TensorLike | tf.Tensor, t: number, s: ArrayLike<number>, options: MemoryOptions = {}): tf.Tensor {
  const fn = "hippoReconstruct";
  return tf.tidy(() => {
    const ct = c instanceof tf.Tensor ? c : tf.tensor(c as tf.TensorLike, undefined, "float32");
    if (ct.rank !== 1 && ct.rank !== 2) fail(fn, `c must be a state (N) or states (l, N), but got rank ${ct.rank}`);
    const N = ct.shape[ct.rank - 1];
    if (N < 1) fail(fn, "c must have N ≥ 1 coefficients");
    const G = memoryBasis(measure, N, t, s, options);
    const Gt = tf.tensor2d(Float32Array.from(G), [s.length, N]); // (m, N)
    if (ct.rank === 1) return tf.reshape(tf.matMul(Gt, tf.reshape(ct, [N, 1])), [s.length]); // (m)
    return tf.matMul(ct as tf.Tensor2D, Gt, false, true); // (l, N)(N, m) → (l, m)
  });
}

export interface StatesOptions extends MemoryOptions {
  /** discretization: any `discretize` method for legt/lagt/fout; for legs "bilinear" | "euler" | "backward-euler". Default "bilinear". */
  method?: Method;
}

function checkStatesArgs(fn: string, measure: Measure, N: number, u: ArrayLike<number>, delta: number, method: Method): void {
  if (!["legs", "legt", "lagt", "fout"].includes(measure)) fail(fn, `measure must be one of "legs", "legt", "lagt", "fout", got ${JSON.stringify(measure)}`);
  assertInteger(N, fn, "N", 1, 4096);
  if (measure === "fout" && N % 2 !== 0) fail(fn, `N must be even for "fout" (cos/sin pairs), got ${N}`);
  if (u == null || typeof u.length !== "number" || u.length < 1) fail(fn, "u must be an array of length l ≥ 1");
  checkPoints(fn, "u", u);
  assertPositiveNumber(delta, fn, "delta");
  if (measure === "legs" && !["bilinear", "euler", "backward-euler"].includes(method)) {
    fail(fn, `method for "legs" must be "bilinear", "euler" or "backward-euler", got ${JSON.stringify(method)}`);
  }
}

/**
 * Every state of the discretized HiPPO recurrence driven by u (see the header), float64.
 * measure, N, u (l), Δ > 0 → Float64Array (l, N) row-major; row k is the state after u_k,
 * i.e. the memory of [0, (k+1)Δ].
 */
export function hippoStatesF64(measure: Measure, N: number, u: ArrayLike<number>, delta: number, {theta = 1, method = "bilinear"}: StatesOptions = {}): Float64Array {
  const fn = "hippoStatesF64";
  checkStatesArgs(fn, measure, N, u, delta, method);
  assertPositiveNumber(theta, fn, "theta");
  const l = u.length, out = new Float64Array(l * N);
  const {A, B} = hippoArrays(measure, N, {theta});
  const c = new Float64Array(N), tmp = new Float64Array(N);
  if (measure !== "legs") {
    const {Ab, Bb} = discretizeF64(A, B, delta, method);
    const Af = Float64Array.from(Ab.flat()), Bf = Bb.map((r) => r[0]);
    for (let k = 0; k < l; k++) {
      const uk = u[k];
      for (let i = 0; i < N; i++) {
        let acc = Bf[i] * uk;
        const o = i * N;
        for (let j = 0; j < N; j++) acc += Af[o + j] * c[j];
        tmp[i] = acc;
      }
      c.set(tmp);
      out.set(c, k * N);
    }
    return out;
  }
  // LegS: lower-triangular A; one step per sample, k = 1 … l.
  for (let k = 1; k <= l; k++) {
    const uk = u[k - 1];
    const h = method === "bilinear" ? 1 / (2 * k) : 1 / k; // weight of A on each side
    // explicit part: tmp = c + h_e A c + (B/k) u   (h_e = h for bilinear/euler, 0 for backward)
    const he = method === "backward-euler" ? 0 : h;
    for (let i = 0; i < N; i++) {
      let acc = c[i] + (B[i][0] / k) * uk;
      if (he) { let s = 0; for (let j = 0; j <= i; j++) s += A[i][j] * c[j]; acc += he * s; }
      tmp[i] = acc;
    }
    if (method === "euler") { c.set(tmp); } else {
      // solve (I − h A) c = tmp by forward substitution (A lower triangular)
      for (let i = 0; i < N; i++) {
        let acc = tmp[i];
        for (let j = 0; j < i; j++) acc += h * A[i][j] * c[j];
        c[i] = acc / (1 - h * A[i][i]);
      }
    }
    out.set(c, (k - 1) * N);
  }
  return out;
}

/**
 * The same states as a float32 tensor (l, N). For the time-invariant measures this is the
 * contract's `discretize` then `ssmStates` (the log-depth scan); for LegS, whose matrices
 * change every step, the float64 loop of `hippoStatesF64` (no scan applies).
 */
export function hippoStates(measure: Measure, N: number, u: ArrayLike<number>, delta: number, {theta = 1, method = "bilinear"}: StatesOptions = {}): tf.Tensor2D {
  const fn = "hippoStates";
  checkStatesArgs(fn, measure, N, u, delta, method);
  assertPositiveNumber(theta, fn, "theta");
  if (measure === "legs") {
    const X = hippoStatesF64(measure, N, u, delta, {theta, method});
    return tf.tensor2d(Float32Array.from(X), [u.length, N]);
  }
  return tf.tidy(() => {
    const {A, B} = hippoArrays(measure, N, {theta});
    const {Ab, Bb} = discretize(A, B, delta, method); // (N, N), (N, 1)
    return ssmStates(Ab, Bb, tf.tensor1d(Float32Array.from(u))); // (l, N)
  });
}

/**
 * Reconstruction error of the state c at time t against the true history: the root mean
 * square and the largest |error| over the times s (m) that lie in the window (others are
 * skipped), given uTrue (m) at those times.
 */
export function reconstructionError(measure: MemoryMeasure, c: ArrayLike<number>, t: number, s: ArrayLike<number>, uTrue: ArrayLike<number>, options: MemoryOptions = {}): {rms: number; max: number; count: number} {
  if (uTrue.length !== s.length) fail("reconstructionError", `uTrue must have the length of s (${s.length}), got ${uTrue.length}`);
  const rec = reconstructF64(measure, c, t, s, options);
  let sq = 0, max = 0, count = 0;
  for (let i = 0; i < s.length; i++) {
    if (!Number.isFinite(rec[i])) continue;
    const e = Math.abs(rec[i] - uTrue[i]);
    sq += e * e; max = Math.max(max, e); count++;
  }
  return {rms: count ? Math.sqrt(sq / count) : NaN, max: count ? max : NaN, count};
}
