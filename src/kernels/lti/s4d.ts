// Diagonal state space models with complex modes (DSS, Gupta et al. 2022; S4D, Gu et al.
// 2022, "On the Parameterization and Initialization of Diagonal State Space Models").
//
// A diagonal SSM has m independent complex modes, x_n' = λ_n x_n + B_n u, y = Re Σ C_n x_n
// (or 2 Re Σ when each mode stands for a conjugate pair, so that the real system has
// N = 2m states). tfjs has no complex dtype that every backend supports (wasm has no Complex
// kernel), so complex numbers travel as two float32 tensors (re, im) of the same shape. The
// h·m per-mode numbers (ZOH, C ⊙ B̄, Δλ) are float64 arithmetic on plain arrays, as
// `discretize` does for its small matrices; only the O(h·m·L) Vandermonde part is tensor work.
//
//   ZOH per mode:   Ā_n = exp(Δ λ_n),   B̄_n = (exp(Δ λ_n) − 1)/λ_n · B_n       (S4D eq. 5)
//       computed as exp(Δλ) − 1 = (expm1(Δa)·cos Δω − 2 sin²(Δω/2)) + i exp(Δa) sin Δω,
//       λ = a + iω, so that small Δ loses no digits to cancellation.
//   Kernel (Vandermonde form):
//       K̄_k = s · Re Σ_n C_n B̄_n Ā_n^k = s · Re Σ_n W_n exp(k Δ λ_n),   k = 0 … L−1,
//       s = 2 for conjugate pairs, 1 otherwise; W = C ⊙ B̄ (h, m), V_{n,k} = exp(kΔλ_n)
//       (h, m, L) the Vandermonde matrix, K̄ = Re(W V): one batched matmul (h,1,2m)(h,2m,L).
//       Work O(h·m·L), no power of a matrix: the point of the diagonal form.
//   Equivalent real system (for checks and for the dense recurrence): a pair λ = a + iω,
//       B = b, C = c becomes the 2×2 block [[a, −ω], [ω, a]] on (Re x, Im x) with
//       B = [Re b, Im b], C = s·[Re c, −Im c]; a real mode is a 1×1 block.
//
// Initialisations (S4D §4, N = real state size):
//   "lin"   λ_n = −½ + iπn,                      n = 0 … N/2−1   (pairs)
//   "inv"   λ_n = −½ + i (N/π)(N/(2n+1) − 1),    n = 0 … N/2−1   (pairs)
//   "real"  λ_n = −(n+1),                         n = 0 … N−1     (real modes)
// B_n = 1 in all three (S4D's default).
import * as tf from "@tensorflow/tfjs";
import {assertInteger, assertPositiveNumber, cpuValues, fail, shapeString, toTensor, type TensorLike} from "../validate.js";

export type S4DInit = "lin" | "inv" | "real";
export const S4D_INITS: readonly S4DInit[] = ["lin", "inv", "real"];

/** A complex array as separate real and imaginary parts (plain numbers or tensors). */
export interface Complex<T = TensorLike | Float64Array> { re: T; im: T }

export interface Modes {
  /** λ_n (m) */
  A: Complex<Float64Array>;
  /** B_n (m) */
  B: Complex<Float64Array>;
  /** true: each mode is a conjugate pair (kernel factor 2, real state size 2m) */
  conj: boolean;
}

/** S4D initialisation of A (and B = 1) for real state size N (even for "lin"/"inv"). */
export function s4dInit(init: S4DInit, N: number): Modes {
  const fn = "s4dInit";
  if (!S4D_INITS.includes(init)) fail(fn, `init must be one of ${S4D_INITS.map((s) => `"${s}"`).join(", ")}, got ${JSON.stringify(init)}`);
  assertInteger(N, fn, "N", 1, 1 << 16);
  if (init !== "real" && N % 2 !== 0) fail(fn, `N must be even for "${init}" (N/2 conjugate pairs), got ${N}`);
  const m = init === "real" ? N : N / 2;
  const re = new Float64Array(m), im = new Float64Array(m);
  for (let n = 0; n < m; n++) {
    if (init === "real") re[n] = -(n + 1);
    else {
      re[n] = -0.5;
      im[n] = init === "lin" ? Math.PI * n : (N / Math.PI) * (N / (2 * n + 1) - 1);
    }
  }
  return {A: {re, im}, B: {re: new Float64Array(m).fill(1), im: new Float64Array(m)}, conj: init !== "real"};
}

/** A complex argument read into float64: rows (1 = shared, or h) × m, row-major. */
interface Complex64 { re: Float64Array; im: Float64Array; rows: number; m: number }

/**
 * Reads one part (re or im) of a complex argument in float64, with its shape. Plain arrays
 * keep their float64 values (they are only converted to a tensor, inside the caller's tidy,
 * to validate their shape); tensors are read back (they are (m) or (h, m): small).
 */
function readPart(v: TensorLike | Float64Array, fn: string, arg: string): {data: Float64Array; shape: number[]} {
  if (v instanceof Float64Array) return {data: Float64Array.from(v), shape: [v.length]};
  const t = toTensor(v as TensorLike, fn, arg);
  return {data: Float64Array.from(cpuValues(t)), shape: t.shape}; // a GPU tensor is read back; JS values are not

}

/** A complex argument {re, im}: rank 1 (m, shared by every channel) or 2 (h, m), finite. Call inside tf.tidy. */
function complexArg(x: Complex, fn: string, arg: string, h: number | null): Complex64 {
  if (x == null || typeof x !== "object" || !("re" in x) || !("im" in x)) fail(fn, `${arg} must be {re, im}, got ${typeof x}`);
  const re = readPart(x.re, fn, `${arg}.re`), im = readPart(x.im, fn, `${arg}.im`);
  if (re.shape.join() !== im.shape.join()) fail(fn, `${arg}.re and ${arg}.im must have the same shape, but got ${shapeString(re.shape)} and ${shapeString(im.shape)}`);
  if (re.shape.length !== 1 && re.shape.length !== 2) fail(fn, `${arg} must be rank 1 (m) or 2 (h, m), but got shape ${shapeString(re.shape)}`);
  const rows = re.shape.length === 2 ? re.shape[0] : 1, m = re.shape[re.shape.length - 1];
  if (h !== null && rows !== h && rows !== 1) fail(fn, `${arg} must have h = ${h} rows (or be shared, rank 1), but got shape ${shapeString(re.shape)}`);
  for (const [d, part] of [[re.data, "re"], [im.data, "im"]] as const) {
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) fail(fn, `${arg}.${part} must be finite, but entry ${i} is ${d[i]}`);
  }
  return {re: re.data, im: im.data, rows, m};
}

/** Δ: a positive number (h = 1) or a list of positive numbers (h). */
function deltaArg(delta: number | ArrayLike<number>, fn: string): number[] {
  const d = typeof delta === "number" ? [delta] : Array.from(delta as ArrayLike<number>);
  if (d.length < 1) fail(fn, "delta must be a number > 0 or a non-empty list of them");
  d.forEach((v, i) => assertPositiveNumber(v, fn, d.length === 1 ? "delta" : `delta[${i}]`));
  return d;
}

/** Per channel and mode (h·m entries, row-major, float64): Δλ = da + i·dw, Ā = exp(Δλ), B̄. */
interface Zoh { h: number; m: number; da: Float64Array; dw: Float64Array; AbRe: Float64Array; AbIm: Float64Array; BbRe: Float64Array; BbIm: Float64Array }

/**
 * Validates A, B, Δ and runs ZOH for every (channel, mode) in float64: there are only h·m
 * of them, so plain arithmetic beats ~25 tiny tensor ops (each a dispatch, or on the cpu
 * backend a JS loop with its own overhead). Call inside tf.tidy (shape checks make tensors).
 */
function zoh64(fn: string, A: Complex, B: Complex, delta: number | ArrayLike<number>): Zoh {
  const d = deltaArg(delta, fn);
  const a = complexArg(A, fn, "A", null);
  const b = complexArg(B, fn, "B", null);
  const m = a.m;
  if (b.m !== m) fail(fn, `B must have m = ${m} modes like A, but got shape ${shapeString(b.rows > 1 ? [b.rows, b.m] : [b.m])}`);
  const h = Math.max(d.length, a.rows, b.rows);
  for (const [rows, arg] of [[a.rows, "A"], [b.rows, "B"], [d.length, "delta"]] as const) {
    if (rows !== 1 && rows !== h) fail(fn, `${arg} has ${rows} channels but another argument has ${h}`);
  }
  // Re λ ≤ 0 (stable or marginal) and λ ≠ 0 (the ZOH formula divides by λ).
  for (let i = 0; i < a.re.length; i++) {
    if (a.re[i] > 0) fail(fn, `A must have Re λ ≤ 0 (a stable diagonal SSM), but entry ${i} is ${a.re[i]} + ${a.im[i]}i`);
    if (a.re[i] === 0 && a.im[i] === 0) fail(fn, `A must have λ ≠ 0 (ZOH divides by λ), but entry ${i} is 0`);
  }
  const z: Zoh = {h, m, da: new Float64Array(h * m), dw: new Float64Array(h * m), AbRe: new Float64Array(h * m), AbIm: new Float64Array(h * m), BbRe: new Float64Array(h * m), BbIm: new Float64Array(h * m)};
  for (let r = 0; r < h; r++) {
    const dt = d[d.length === 1 ? 0 : r], ra = a.rows === 1 ? 0 : r * m, rb = b.rows === 1 ? 0 : r * m;
    for (let n = 0; n < m; n++) {
      const i = r * m + n, ar = a.re[ra + n], ai = a.im[ra + n];
      const da = dt * ar, dw = dt * ai;
      const ea = Math.exp(da), cw = Math.cos(dw), sw = Math.sin(dw), half = Math.sin(dw / 2);
      const emRe = Math.expm1(da) * cw - 2 * half * half, emIm = ea * sw; // exp(Δλ) − 1, no cancellation
      const den = ar * ar + ai * ai; // (exp(Δλ) − 1)/λ = (em · conj λ)/|λ|²
      const qRe = (emRe * ar + emIm * ai) / den, qIm = (emIm * ar - emRe * ai) / den;
      const br = b.re[rb + n], bi = b.im[rb + n];
      z.da[i] = da; z.dw[i] = dw;
      z.AbRe[i] = ea * cw; z.AbIm[i] = emIm;
      z.BbRe[i] = qRe * br - qIm * bi; z.BbIm[i] = qRe * bi + qIm * br;
    }
  }
  return z;
}

/**
 * ZOH discretization of a diagonal complex SSM, one Δ per channel:
 *   Ā_{h,n} = exp(Δ_h λ_n),  B̄_{h,n} = (exp(Δ_h λ_n) − 1)/λ_n · B_n.
 *
 * A, B {re, im} each (m) or (h, m); delta a number or (h) numbers > 0 →
 * {Ab: {re, im} (h, m), Bb: {re, im} (h, m)}, float32 (computed in float64). Needs Re λ ≤ 0
 * and λ ≠ 0.
 */
export function s4dDiscretize(A: Complex, B: Complex, delta: number | ArrayLike<number>): {Ab: Complex<tf.Tensor2D>; Bb: Complex<tf.Tensor2D>} {
  const fn = "s4dDiscretize";
  return tf.tidy(() => {
    const z = zoh64(fn, A, B, delta);
    const t = (x: Float64Array) => tf.tensor2d(Float32Array.from(x), [z.h, z.m], "float32");
    return {Ab: {re: t(z.AbRe), im: t(z.AbIm)}, Bb: {re: t(z.BbRe), im: t(z.BbIm)}};
  });
}

/**
 * The S4D convolution kernel by its Vandermonde form, one kernel per channel:
 *   K̄_{h,k} = s · Re Σ_n C_{h,n} B̄_{h,n} exp(k Δ_h λ_n),  k = 0 … L−1,
 * s = 2 when `conj` (each mode is a conjugate pair), else 1.
 *
 * A, B, C {re, im} each (m) or (h, m); delta a number or (h) numbers > 0; L ≥ 1 →
 * K (h, L), float32. Work O(h·m·L), memory O(h·m·L).
 *
 * The h·m per-mode numbers (ZOH, W = s·C⊙B̄, Δλ) are float64 arithmetic; the O(h·m·L) part
 * runs on the backend in a handful of tensor ops, all on the fast paths of every backend (no
 * broadcasting between differently shaped operands and no reduction over a middle axis, which
 * the cpu backend does element by element). With W_n = |W_n| e^{iφ_n},
 *     K̄_k = Σ_n |W_n| · exp(k Δa_n) · cos(k Δω_n + φ_n),
 * so the exponent and the phase are each one outer product with a bias, [Δa | 0] and
 * [Δω | φ] (h·m, 2) times [k; 1] (2, L), then exp, cos, one multiply, and the sum over modes
 * weighted by |W| is one batched matmul (h, 1, m)(h, m, L). Since k is an integer, only Δω
 * mod 2π matters: it is reduced to [−π, π] in float64 first, so the float32 phase stays below
 * π(L + 1) in size (S4D-Inv's Δω can be in the thousands) and loses no more than the
 * recurrence does; GPU backends (whose sin/cos lose accuracy far from 0) also reduce each
 * phase to [−π, π].
 */
export function s4dKernel(A: Complex, B: Complex, C: Complex, delta: number | ArrayLike<number>, L: number, {conj = true}: {conj?: boolean} = {}): tf.Tensor2D {
  const fn = "s4dKernel";
  return tf.tidy(() => {
    const z = zoh64(fn, A, B, delta);
    assertInteger(L, fn, "L", 1, 1 << 24);
    const c = complexArg(C, fn, "C", z.h);
    if (c.m !== z.m) fail(fn, `C must have m = ${z.m} modes like A, but got shape ${shapeString(c.rows > 1 ? [c.rows, c.m] : [c.m])}`);
    const {h, m} = z, hm = h * m, s = conj ? 2 : 1;
    const absW = new Float32Array(hm); // |W|, W = s·C⊙B̄, as (h, 1, m)
    const ex = new Float32Array(2 * hm), ph = new Float32Array(2 * hm); // rows [Δa, 0] and [Δω mod 2π, φ] (h·m, 2)
    for (let r = 0; r < h; r++) {
      const rc = c.rows === 1 ? 0 : r * m;
      for (let n = 0; n < m; n++) {
        const i = r * m + n, cr = c.re[rc + n], ci = c.im[rc + n];
        const wr = s * (cr * z.BbRe[i] - ci * z.BbIm[i]), wi = s * (cr * z.BbIm[i] + ci * z.BbRe[i]);
        absW[i] = Math.hypot(wr, wi);
        ex[2 * i] = z.da[i];
        ph[2 * i] = z.dw[i] - 2 * Math.PI * Math.round(z.dw[i] / (2 * Math.PI));
        ph[2 * i + 1] = Math.atan2(wi, wr);
      }
    }
    const k1 = tf.tensor2d(Float32Array.from({length: 2 * L}, (_, j) => (j < L ? j : 1)), [2, L], "float32"); // [k; 1] (2, L)
    const mag = tf.exp(tf.matMul(tf.tensor2d(ex, [hm, 2], "float32"), k1)); // exp(k·Δa) (h·m, L)
    let arg = tf.matMul(tf.tensor2d(ph, [hm, 2], "float32"), k1); // k·Δω + φ (h·m, L), |.| ≤ π(L + 1)
    if (tf.getBackend() !== "cpu") arg = tf.sub(arg, tf.mul(tf.round(tf.mul(arg, 1 / (2 * Math.PI))), 2 * Math.PI)); // into [−π, π] for GPU sin/cos
    const terms = tf.reshape(tf.mul(mag, tf.cos(arg)), [h, m, L]); // (h, m, L)
    return tf.reshape(tf.matMul(tf.tensor3d(absW, [h, 1, m], "float32"), terms), [h, L]) as tf.Tensor2D; // Σ_n |W_n| · terms (h, L)
  });
}

/**
 * The equivalent real system of diagonal modes (plain float64 arrays, no tensors): block
 * diagonal A (N, N), B (N, 1) and, per channel, C (1, N), with N = 2m (conj) or m.
 * A pair λ = a + iω is [[a, −ω], [ω, a]] on (Re x, Im x), B = [Re b, Im b], C = s[Re c, −Im c].
 */
export function s4dRealSystem(modes: Modes, C: Complex<ArrayLike<number>>[]): {A: number[][]; B: number[][]; C: number[][][]} {
  const {A, B, conj} = modes;
  const m = A.re.length;
  const N = conj ? 2 * m : m;
  const Ar = Array.from({length: N}, () => new Array<number>(N).fill(0));
  const Br = Array.from({length: N}, () => [0]);
  for (let n = 0; n < m; n++) {
    if (conj) {
      const i = 2 * n;
      Ar[i][i] = A.re[n]; Ar[i][i + 1] = -A.im[n]; Ar[i + 1][i] = A.im[n]; Ar[i + 1][i + 1] = A.re[n];
      Br[i][0] = B.re[n]; Br[i + 1][0] = B.im[n];
    } else {
      if (A.im[n] !== 0 || B.im[n] !== 0) fail("s4dRealSystem", `modes without conj must be real, but mode ${n} is complex`);
      Ar[n][n] = A.re[n];
      Br[n][0] = B.re[n];
    }
  }
  const Cs = C.map((c) => {
    const row = new Array<number>(N).fill(0);
    for (let n = 0; n < m; n++) {
      if (conj) { row[2 * n] = 2 * c.re[n]; row[2 * n + 1] = -2 * c.im[n]; } else row[n] = c.re[n];
    }
    return [row];
  });
  return {A: Ar, B: Br, C: Cs};
}
