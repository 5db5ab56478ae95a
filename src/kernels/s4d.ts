// Diagonal state space models with complex modes (DSS, Gupta et al. 2022; S4D, Gu et al.
// 2022, "On the Parameterization and Initialization of Diagonal State Space Models").
//
// A diagonal SSM has m independent complex modes, x_n' = λ_n x_n + B_n u, y = Re Σ C_n x_n
// (or 2 Re Σ when each mode stands for a conjugate pair, so that the real system has
// N = 2m states). tfjs has no complex dtype that every backend supports (wasm has no Complex
// kernel), so complex numbers travel as two float32 tensors (re, im) of the same shape.
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
import {assertFinite, assertInteger, assertPositiveNumber, fail, shapeString, toTensor, type TensorLike} from "./validate.js";

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

/** Converts a complex pair to float32 tensors of equal shape, broadcasting rank 1 (m) to (h, m). */
function complexArg(x: Complex, fn: string, arg: string, h: number | null): {re: tf.Tensor2D; im: tf.Tensor2D} {
  if (x == null || typeof x !== "object" || !("re" in x) || !("im" in x)) fail(fn, `${arg} must be {re, im}, got ${typeof x}`);
  const f32 = (v: TensorLike | Float64Array): TensorLike => (v instanceof Float64Array ? Float32Array.from(v) : v);
  let re = toTensor(f32(x.re), fn, `${arg}.re`), im = toTensor(f32(x.im), fn, `${arg}.im`);
  if (re.shape.join() !== im.shape.join()) fail(fn, `${arg}.re and ${arg}.im must have the same shape, but got ${shapeString(re.shape)} and ${shapeString(im.shape)}`);
  if (re.rank === 1) { re = tf.reshape(re, [1, re.shape[0]]); im = tf.reshape(im, [1, im.shape[0]]); }
  if (re.rank !== 2) fail(fn, `${arg} must be rank 1 (m) or 2 (h, m), but got shape ${shapeString(re.shape)}`);
  if (h !== null && re.shape[0] !== h && re.shape[0] !== 1) fail(fn, `${arg} must have h = ${h} rows (or be shared, rank 1), but got shape ${shapeString(re.shape)}`);
  assertFinite(re, fn, `${arg}.re`);
  assertFinite(im, fn, `${arg}.im`);
  return {re: re as tf.Tensor2D, im: im as tf.Tensor2D};
}

/** Δ as (h, 1): a positive number (h = 1) or a vector of positive numbers (h). */
function deltaArg(delta: number | ArrayLike<number>, fn: string): tf.Tensor2D {
  const d = typeof delta === "number" ? [delta] : Array.from(delta as ArrayLike<number>);
  if (d.length < 1) fail(fn, "delta must be a number > 0 or a non-empty list of them");
  d.forEach((v, i) => assertPositiveNumber(v, fn, d.length === 1 ? "delta" : `delta[${i}]`));
  return tf.tensor2d(d, [d.length, 1], "float32");
}

interface Checked { Are: tf.Tensor2D; Aim: tf.Tensor2D; Bre: tf.Tensor2D; Bim: tf.Tensor2D; dt: tf.Tensor2D; h: number; m: number }

function checkModes(fn: string, A: Complex, B: Complex, delta: number | ArrayLike<number>): Checked {
  const dt = deltaArg(delta, fn); // (h, 1)
  const h0 = dt.shape[0];
  const a = complexArg(A, fn, "A", null);
  const b = complexArg(B, fn, "B", null);
  const m = a.re.shape[1];
  if (b.re.shape[1] !== m) fail(fn, `B must have m = ${m} modes like A, but got shape ${shapeString(b.re.shape)}`);
  const h = Math.max(h0, a.re.shape[0], b.re.shape[0]);
  for (const [t, arg] of [[a.re, "A"], [b.re, "B"], [dt, "delta"]] as const) {
    if (t.shape[0] !== 1 && t.shape[0] !== h) fail(fn, `${arg} has ${t.shape[0]} channels but another argument has ${h}`);
  }
  // Re λ ≤ 0 (stable or marginal) and λ ≠ 0 (the ZOH formula divides by λ).
  const ar = a.re.dataSync(), ai = a.im.dataSync();
  for (let i = 0; i < ar.length; i++) {
    if (ar[i] > 0) fail(fn, `A must have Re λ ≤ 0 (a stable diagonal SSM), but entry ${i} is ${ar[i]} + ${ai[i]}i`);
    if (ar[i] === 0 && ai[i] === 0) fail(fn, `A must have λ ≠ 0 (ZOH divides by λ), but entry ${i} is 0`);
  }
  return {Are: a.re, Aim: a.im, Bre: b.re, Bim: b.im, dt, h, m};
}

/** ZOH on checked tensors: returns Ā, B̄ as (h, m) re/im. Call inside tf.tidy. */
function zoh(c: Checked) {
  const {Are, Aim, Bre, Bim, dt, h, m} = c;
  const shape: [number, number] = [h, m];
  const da = tf.broadcastTo(tf.mul(dt, Are), shape), dw = tf.broadcastTo(tf.mul(dt, Aim), shape); // Δλ (h, m)
  const ea = tf.exp(da), cw = tf.cos(dw), sw = tf.sin(dw);
  const AbRe = tf.mul(ea, cw), AbIm = tf.mul(ea, sw); // exp(Δλ)
  const half = tf.sin(tf.mul(dw, 0.5));
  const emRe = tf.sub(tf.mul(tf.expm1(da), cw), tf.mul(2, tf.square(half))); // Re(exp(Δλ) − 1), no cancellation
  const emIm = AbIm; // Im(exp(Δλ) − 1)
  // (exp(Δλ) − 1)/λ = (em · conj λ)/|λ|²
  const ar = tf.broadcastTo(Are, shape), ai = tf.broadcastTo(Aim, shape);
  const den = tf.add(tf.square(ar), tf.square(ai));
  const qRe = tf.div(tf.add(tf.mul(emRe, ar), tf.mul(emIm, ai)), den);
  const qIm = tf.div(tf.sub(tf.mul(emIm, ar), tf.mul(emRe, ai)), den);
  const br = tf.broadcastTo(Bre, shape), bi = tf.broadcastTo(Bim, shape);
  const BbRe = tf.sub(tf.mul(qRe, br), tf.mul(qIm, bi));
  const BbIm = tf.add(tf.mul(qRe, bi), tf.mul(qIm, br));
  return {Ab: {re: AbRe as tf.Tensor2D, im: AbIm as tf.Tensor2D}, Bb: {re: BbRe as tf.Tensor2D, im: BbIm as tf.Tensor2D}, da, dw};
}

/**
 * ZOH discretization of a diagonal complex SSM, one Δ per channel:
 *   Ā_{h,n} = exp(Δ_h λ_n),  B̄_{h,n} = (exp(Δ_h λ_n) − 1)/λ_n · B_n.
 *
 * A, B {re, im} each (m) or (h, m); delta a number or (h) numbers > 0 →
 * {Ab: {re, im} (h, m), Bb: {re, im} (h, m)}, float32. Needs Re λ ≤ 0 and λ ≠ 0.
 */
export function s4dDiscretize(A: Complex, B: Complex, delta: number | ArrayLike<number>): {Ab: Complex<tf.Tensor2D>; Bb: Complex<tf.Tensor2D>} {
  const fn = "s4dDiscretize";
  return tf.tidy(() => {
    const {Ab, Bb} = zoh(checkModes(fn, A, B, delta));
    return {Ab, Bb};
  });
}

/**
 * The S4D convolution kernel by its Vandermonde form, one kernel per channel:
 *   K̄_{h,k} = s · Re Σ_n C_{h,n} B̄_{h,n} exp(k Δ_h λ_n),  k = 0 … L−1,
 * s = 2 when `conj` (each mode is a conjugate pair), else 1.
 *
 * A, B, C {re, im} each (m) or (h, m); delta a number or (h) numbers > 0; L ≥ 1 →
 * K (h, L), float32. Work O(h·m·L), memory O(h·m·L).
 */
export function s4dKernel(A: Complex, B: Complex, C: Complex, delta: number | ArrayLike<number>, L: number, {conj = true}: {conj?: boolean} = {}): tf.Tensor2D {
  const fn = "s4dKernel";
  return tf.tidy(() => {
    const c = checkModes(fn, A, B, delta);
    assertInteger(L, fn, "L", 1, 1 << 24);
    const Ct = complexArg(C, fn, "C", c.h);
    if (Ct.re.shape[1] !== c.m) fail(fn, `C must have m = ${c.m} modes like A, but got shape ${shapeString(Ct.re.shape)}`);
    const {h, m} = c;
    const shape: [number, number] = [h, m];
    const {Bb, da, dw} = zoh(c);
    const cr = tf.broadcastTo(Ct.re, shape), ci = tf.broadcastTo(Ct.im, shape);
    const s = conj ? 2 : 1;
    const Wre = tf.mul(tf.sub(tf.mul(cr, Bb.re), tf.mul(ci, Bb.im)), s); // s·C B̄ (h, m)
    const Wim = tf.mul(tf.add(tf.mul(cr, Bb.im), tf.mul(ci, Bb.re)), s);
    const k = tf.reshape(tf.range(0, L, 1, "float32"), [1, 1, L]); // (1, 1, L)
    const mag = tf.exp(tf.mul(tf.reshape(da, [h, m, 1]), k)); // |V| (h, m, L)
    let ph = tf.mul(tf.reshape(dw, [h, m, 1]), k); // arg V (h, m, L)
    ph = tf.sub(ph, tf.mul(tf.round(tf.div(ph, 2 * Math.PI)), 2 * Math.PI)); // into [−π, π] for GPU sin/cos
    const V = tf.concat([tf.mul(mag, tf.cos(ph)), tf.mul(mag, tf.sin(ph))], 1); // [Re V; Im V] (h, 2m, L)
    const W = tf.reshape(tf.concat([Wre, tf.neg(Wim)], 1), [h, 1, 2 * m]); // [Re W, −Im W] (h, 1, 2m)
    return tf.reshape(tf.matMul(W as tf.Tensor3D, V as tf.Tensor3D), [h, L]) as tf.Tensor2D; // Re(W V) (h, L)
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
