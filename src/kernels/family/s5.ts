// S5, the simplified state space layer (Smith, Warrington & Linderman 2023, "Simplified State
// Space Layers for Sequence Modeling"): ONE multi-input multi-output SSM with a diagonal
// complex state matrix, instead of S4's H independent single-input systems,
//
//   x_k = Λ̄ x_{k−1} + B̄ u_k,   y_k = 2 Re(C̃ x_k) + D ⊙ u_k        (site notation; conjugate symmetry)
//   Λ̄ = exp(ΔΛ),  B̄ = ((Λ̄ − 1)/Λ) ⊙ B̃                            (ZOH per mode, Δ per mode)
//
// with u_k ∈ R^H, x_k ∈ C^P, Λ = diag(λ_1 … λ_P), B̃ (P, H), C̃ (H, P) complex, D ∈ R^H. Because
// Λ̄ is diagonal, the recurrence is P independent complex scalar recurrences over the
// vectors B̄ u_k, which S5 runs with a parallel associative scan (lindermanlab/S5,
// s5/ssm.py: `discretize_zoh`, `binary_operator` (A_i, b_i)·(A_j, b_j) = (A_j A_i, A_j b_i + b_j),
// `apply_ssm` with jax.lax.associative_scan; 2·Re when conj_sym, else Re).
//
// Here the scan is a Hillis–Steele scan specialised to the constant Λ̄ (as ../seq/linearScan.ts,
// log₂ L levels): at level s, X_t ← X_t + Λ̄^s X_{t−s}, with Λ̄^s = exp(sΔλ) formed directly
// (magnitude and reduced phase), never by repeated multiplication. Complex numbers travel as
// {re, im} float32 pairs (args.ts). With conj = true (S5's conj_sym) each mode stands for a
// conjugate pair: a real system of 2P states (s5RealSystem in the tests).
//
// s5Init: Λ from the HiPPO-N matrix (the normal part of HiPPO-LegS, S = A + PPᵀ = −½I + skew),
// one eigenvalue of each conjugate pair, λ = −½ + iω (S5's s5/ssm_init.py `make_DPLR_HiPPO`,
// a single block); B̃, C̃ complex normal (C̃ as S5's "complex_normal" option, B̃ with variance
// 1/H, both drawn directly in the eigenbasis rather than as V⁻¹B, CV), D ~ N(0, 1),
// Δ log-uniform in [dtMin, dtMax] per mode (`init_log_steps`).
//
// Glossary: L length, H input/output features, P modes; u (L, H), y (L, H).
import * as tf from "@tensorflow/tfjs";
import {eigvalsF64} from "../linalg/eig.js";
import {gaussian, mulberry32} from "../random.js";
import {assertInteger, assertPositiveNumber, assertRank, assertShape, assertValues, fail, shapeString, toTensor, type TensorLike} from "../validate.js";
import {channelArg, complexArg, cpuValues, type ComplexLike, type ComplexTensor} from "./args.js";
import {cdiv, cexpm1, cmul, reducePhase, sinCos} from "./complex.js";

export interface S5Params {
  /** Λ (P), complex, λ ≠ 0 */
  Lambda: ComplexLike;
  /** B̃ (P, H), complex */
  B: ComplexLike;
  /** C̃ (H, P), complex */
  C: ComplexLike;
  /** D (H), real feedthrough */
  D: TensorLike;
  /** Δ (P) or one number, > 0 */
  delta: TensorLike;
}

interface Disc { dl: ComplexTensor; Lb: ComplexTensor; Bb: ComplexTensor; P: number; H: number }

/** Validates Λ, B, Δ and runs ZOH per mode (tensor ops, no readback). Call inside tf.tidy. */
function zoh(fn: string, Lambda: ComplexLike, B: ComplexLike, delta: TensorLike): Disc {
  const lam = complexArg(Lambda, fn, "Lambda");
  assertRank(lam.re, 1, fn, "Lambda", "(P)");
  const P = lam.re.shape[0];
  if (P < 1) fail(fn, `Lambda must have P ≥ 1 modes, but got shape ${shapeString(lam.re.shape)}`);
  const re = cpuValues(Lambda.re, lam.re), im = cpuValues(Lambda.im, lam.im);
  if (re && im) for (let i = 0; i < P; i++) if (re[i] === 0 && im[i] === 0) fail(fn, `Lambda must have λ ≠ 0 (ZOH divides by λ), but entry ${i} is 0`);
  const b = complexArg(B, fn, "B");
  assertRank(b.re, 2, fn, "B", "(P, H)");
  assertShape(b.re, [P, null], fn, "B", "(P, H)");
  const H = (b.re.shape as number[])[1];
  if (H < 1) fail(fn, `B must have H ≥ 1 input features, but got shape ${shapeString(b.re.shape)}`);
  const d = channelArg(delta, P, fn, "delta", {min: 0, minOpen: true});
  const dl = {re: tf.mul(lam.re, d), im: tf.mul(lam.im, d)}; // Δλ (P)
  const em1 = cexpm1(dl); // exp(Δλ) − 1
  const Lb = {re: tf.add(em1.re, 1), im: em1.im}; // Λ̄ = exp(Δλ)
  const f = cdiv(em1, lam); // (Λ̄ − 1)/Λ (P)
  const Bb = cmul({re: tf.reshape(f.re, [P, 1]), im: tf.reshape(f.im, [P, 1])}, b); // (P, H)
  return {dl, Lb, Bb, P, H};
}

/**
 * S5's ZOH discretization: Λ̄ = exp(ΔΛ), B̄ = ((Λ̄ − 1)/Λ) ⊙ B̃, Δ per mode.
 * Lambda (P), B (P, H) complex; delta (P) or a number > 0 → {Lambdabar (P), Bbar (P, H)}.
 */
export function s5Discretize(Lambda: ComplexLike, B: ComplexLike, delta: TensorLike): {Lambdabar: ComplexTensor; Bbar: ComplexTensor} {
  const out = tf.tidy(() => {
    const z = zoh("s5Discretize", Lambda, B, delta);
    return [z.Lb.re, z.Lb.im, z.Bb.re, z.Bb.im];
  });
  return {Lambdabar: {re: out[0], im: out[1]}, Bbar: {re: out[2], im: out[3]}};
}

/** X_t = Λ̄ X_{t−1} + V_t for all t (X_{−1} = 0): Hillis–Steele with Λ̄^s = exp(sΔλ). Call inside tf.tidy. */
function scanConst(dl: ComplexTensor, V: ComplexTensor): ComplexTensor {
  const [L, P] = V.re.shape;
  let Xr = V.re, Xi = V.im;
  for (let s = 1; s < L; s *= 2) {
    const mag = tf.exp(tf.mul(dl.re, s)), ph = reducePhase(tf.mul(reducePhase(dl.im), s)); // Λ̄^s (P)
    const [sin, cos] = sinCos(ph);
    const ar = tf.mul(mag, cos), ai = tf.mul(mag, sin);
    const shift = (x: tf.Tensor) => tf.pad(tf.slice(x, [0, 0], [L - s, P]), [[s, 0], [0, 0]]);
    const pr = shift(Xr), pi = shift(Xi);
    [Xr, Xi] = [tf.add(Xr, tf.sub(tf.mul(ar, pr), tf.mul(ai, pi))), tf.add(Xi, tf.add(tf.mul(ar, pi), tf.mul(ai, pr)))];
  }
  return {re: Xr, im: Xi};
}

function checkU(fn: string, u: TensorLike, H: number): tf.Tensor2D {
  const ut = toTensor(u, fn, "u");
  assertRank(ut, 2, fn, "u", "(L, H)");
  assertShape(ut, [null, H], fn, "u", "(L, H)");
  if (ut.shape[0] < 1) fail(fn, `u must have length L ≥ 1, but got shape ${shapeString(ut.shape)}`);
  assertValues(fn, [[ut, "u", "finite"]]);
  return ut as tf.Tensor2D;
}

/** The states x_k (L, P), complex, of S5's recurrence from x_{−1} = 0, by the parallel scan. */
export function s5States(params: S5Params, u: TensorLike): ComplexTensor {
  const fn = "s5States";
  const out = tf.tidy(() => {
    if (params == null || typeof params !== "object") fail(fn, `params must be {Lambda, B, C, D, delta}, got ${params === null ? "null" : typeof params}`);
    const z = zoh(fn, params.Lambda, params.B, params.delta);
    const ut = checkU(fn, u, z.H);
    const X = scanConst(z.dl, {re: tf.matMul(ut, z.Bb.re, false, true), im: tf.matMul(ut, z.Bb.im, false, true)}); // B̄ u_k (L, P)
    return [X.re, X.im];
  });
  return {re: out[0], im: out[1]};
}

/**
 * The S5 layer's SSM: y_k = s·Re(C̃ x_k) + D ⊙ u_k, x_k = Λ̄ x_{k−1} + B̄ u_k, s = 2 with
 * conj (default, S5's conj_sym) else 1. params {Lambda (P), B (P, H), C (H, P), D (H), delta (P)};
 * u (L, H) → y (L, H), float32.
 */
export function s5(params: S5Params, u: TensorLike, {conj = true}: {conj?: boolean} = {}): tf.Tensor2D {
  const fn = "s5";
  return tf.tidy(() => {
    if (params == null || typeof params !== "object") fail(fn, `params must be {Lambda, B, C, D, delta}, got ${params === null ? "null" : typeof params}`);
    const z = zoh(fn, params.Lambda, params.B, params.delta);
    const ut = checkU(fn, u, z.H);
    const c = complexArg(params.C, fn, "C");
    assertShape(c.re, [z.H, z.P], fn, "C", "(H, P)");
    const D = channelArg(params.D, z.H, fn, "D");
    const X = scanConst(z.dl, {re: tf.matMul(ut, z.Bb.re, false, true), im: tf.matMul(ut, z.Bb.im, false, true)}); // (L, P)
    const re = tf.sub(tf.matMul(X.re, c.re, false, true), tf.matMul(X.im, c.im, false, true)); // Re(C̃ x) (L, H)
    return tf.add(tf.mul(re, conj ? 2 : 1), tf.mul(ut, D)) as tf.Tensor2D;
  });
}

/** Plain-number S5 parameters (what s5Init returns). */
export interface S5Arrays { Lambda: {re: number[]; im: number[]}; B: {re: number[][]; im: number[][]}; C: {re: number[][]; im: number[][]}; D: number[]; delta: number[] }

/**
 * Seeded S5 parameters for P modes (real state 2P with conjugate symmetry) and H features,
 * as plain numbers (see the header for the choices). Λ: the eigenvalues of HiPPO-N of size 2P
 * with Im λ < 0 (one of each pair), sorted by Im λ.
 */
export function s5Init(P: number, H: number, {seed = 0, dtMin = 0.001, dtMax = 0.1}: {seed?: number; dtMin?: number; dtMax?: number} = {}): S5Arrays {
  const fn = "s5Init";
  assertInteger(P, fn, "P", 1, 128);
  assertInteger(H, fn, "H", 1, 1 << 12);
  assertPositiveNumber(dtMin, fn, "dtMin");
  assertPositiveNumber(dtMax, fn, "dtMax");
  if (dtMax < dtMin) fail(fn, `dtMax must be ≥ dtMin = ${dtMin}, got ${dtMax}`);
  const N = 2 * P;
  const S = Array.from({length: N}, (_, n) => Array.from({length: N}, (_, k) => {
    if (n === k) return -0.5;
    const s = 0.5 * Math.sqrt(2 * n + 1) * Math.sqrt(2 * k + 1);
    return n > k ? -s : s; // HiPPO-LegS A plus P Pᵀ, P_n = √(n + ½)
  }));
  const ev = eigvalsF64(S);
  const pairs = ev.im.map((w, i) => ({re: ev.re[i], im: w})).filter((z) => z.im < 0).sort((a, b) => a.im - b.im);
  if (pairs.length !== P) fail(fn, `internal: HiPPO-N of size ${N} gave ${pairs.length} eigenvalues with Im λ < 0, expected ${P}`);
  const g = gaussian(seed), r = mulberry32(seed + 1);
  const cn = (rows: number, cols: number, std: number) => Array.from({length: rows}, () => Array.from({length: cols}, () => std * g()));
  const sB = Math.sqrt(1 / (2 * H)), sC = Math.sqrt(0.5);
  return {
    Lambda: {re: pairs.map((z) => -0.5), im: pairs.map((z) => z.im)},
    B: {re: cn(P, H, sB), im: cn(P, H, sB)},
    C: {re: cn(H, P, sC), im: cn(H, P, sC)},
    D: Array.from({length: H}, () => g()),
    delta: Array.from({length: P}, () => Math.exp(Math.log(dtMin) + r() * (Math.log(dtMax) - Math.log(dtMin))))
  };
}
