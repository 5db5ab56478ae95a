// S4's convolution kernel from a diagonal-plus-low-rank (DPLR) state matrix: Gu, Goel & Ré,
// "Efficiently Modeling Long Sequences with Structured State Spaces" (ICLR 2022), §3 and
// Appendix C; written after The Annotated S4 (Rush & Karamcheti: `make_DPLR_HiPPO`,
// `kernel_DPLR`, `discrete_DPLR`) and state-spaces/s4 (`nplr`, `SSMKernelDPLR`).
//
// 1. Normal plus low rank (S4 §3.1, App. C.1). HiPPO-LegS A (hippo.ts) with P_n = √(n+½):
//        S = A + P Pᵀ = −½ I + (skew-symmetric),
//    so S is normal, S = V Λ V* with V unitary and Re Λ = −½ (every eigenvalue). Λ comes from
//    the Hermitian eigenproblem of −i(S + ½I) (linalg/eigh.ts, float64). Then
//        A = V (Λ − P̃ P̃*) V*,   P̃ = V* P,   B̃ = V* B,
//    the DPLR form (S4 ties the low-rank factors, Q = P). Λ is complex even though LegS A is
//    triangular with the real eigenvalues −1 … −N: it is the spectrum of the normal part S.
// 2. Truncated generating function (S4 Lemma C.2; Annotated S4 "Step 1"). With the bilinear
//    Ā = (I − Δ/2 A)⁻¹(I + Δ/2 A), B̄ = (I − Δ/2 A)⁻¹ ΔB (discretize.ts, "bilinear") and
//    K̄_k = C Āᵏ B̄, k < L:
//        K̂(z) = Σ_{k<L} K̄_k z^k = C̃ (I − Ā z)⁻¹ B̄   at z^L = 1,   C̃ = C (I − Āᴸ),
//    and the roots of unity z_j = e^{−2πij/L} give the DFT of K̄: K̄ = IFFT(K̂(z_j)).
//    C̃ is computed as S4's `_setup_C` does (C̃ = C − C Āᴸ on the diagonal basis, Ā from the
//    Woodbury form A₁A₀ of `discrete_DPLR`), except that the row C V is stepped L times through
//    that O(N) step instead of squaring the dense Ā (S4's `power(L, dA)`): O(N·L), same numbers.
//    In S4, C̃ is the trained parameter, so the kernel itself never forms Āᴸ.
// 3. Cauchy kernel and Woodbury (S4 Lemma C.3–C.4; Annotated S4 "Steps 2–3"). On the diagonal
//    basis (I − Ā z)⁻¹ B̄ = c(z) (g(z) − Λ + P̃P̃*)⁻¹ B̃ with
//        g(z) = (2/Δ)(1 − z)/(1 + z),   c(z) = 2/(1 + z),
//    and Woodbury's identity for the rank-one term gives
//        K̂(z) = c(z) [k₀₀ − k₀₁ k₁₀ / (1 + k₁₁)],   k_ab(z) = Σ_n a_n b_n / (g(z) − λ_n),
//    a = (C̃, Q̃*), b = (B̃, P̃): four Cauchy sums, O(N) per node. On the unit circle,
//    z = e^{−iθ} gives exactly g = (2i/Δ) tan(θ/2) and c = 1 + i tan(θ/2); both are used in this
//    form (purely imaginary g: no rounding from 1 ± z). At z = −1 (θ = π, present when L is
//    even) g and c have a pole and the limit is K̂(−1) = (Δ/2) Σ_n C̃_n B̃_n, used there.
//    As S4 does (irfft on L/2 + 1 nodes), only nodes j = 0 … ⌊L/2⌋ are evaluated: K̄ is real,
//    so K̂(z_{L−j}) = conj K̂(z_j).
//
// Where it runs: the decomposition, C̃ and the per-mode weights a_n b_n are float64 plain JS
// (O(N³) once per N, O(N·L) and O(N) per call). `dplrKernelF64` does the O(N·L) Cauchy sums
// and a float64 inverse FFT (linalg/fft64.ts) in plain JS too: exact to rounding, any L.
// `dplrKernel` does the O(N·L) Cauchy sums (two outer products, a few elementwise ops and one
// (8, 2N)·(2N, L/2) matmul), the Woodbury combination and the inverse FFT (linalg/fft.ts) as
// float32 tfjs ops on the active backend; L must be a power of two. Its denominators
// Im(g − λ) = (2/Δ)tan(θ/2) − Im λ are formed from float32 hi/lo splits of both terms, so the
// float32 cancellation near a resonance (g ≈ Im λ, both large for big N) costs no digits:
// measured on LegS N = 256, max |K − K₆₄| / max |K| is 2e-7 with the split, 1.7e-6 without.
import * as tf from "@tensorflow/tfjs";
import {fftColumns} from "../linalg/fft.js";
import {fftF64} from "../linalg/fft64.js";
import {skewEigF64} from "../linalg/eigh.js";
import {assertInteger, assertPositiveNumber, fail} from "../validate.js";
import {hippoArrays} from "./hippo.js";
import type {Complex} from "./s4d.js";

type C64 = Complex<Float64Array>;

/** The largest N for dplrHippo / dplrDecompose (the eigen-decomposition is O(N³) in JS). */
export const DPLR_MAX_N = 1024;
const MAX_L = 1 << 22;

/** A state matrix A = V (Λ − P̃ P̃*) V* in DPLR form, with the real system it came from. */
export interface Dplr {
  N: number;
  /** Λ (N): eigenvalues of the normal part S = A + P Pᵀ, ascending by imaginary part */
  Lambda: C64;
  /** P̃ = V* P (N); the low-rank factor on the diagonal basis (Q̃ = P̃, as S4 ties them) */
  P: C64;
  /** B̃ = V* B (N) */
  B: C64;
  /** V (N, N), row-major, unitary; column n is the eigenvector of S for λ_n */
  V: C64;
  /** the real continuous system: A (N, N), B (N, 1) and P (N) with A + P Pᵀ normal */
  real: {A: number[][]; B: number[][]; P: number[]};
}

/** The four per-mode weights of the Cauchy sums: a_n b_n for a ∈ (C̃, Q̃*), b ∈ (B̃, P̃). */
export interface DplrWeights { v00: C64; v01: C64; v10: C64; v11: C64 }

/** The generating function at the L roots of unity and the terms of its Woodbury form. */
export interface DplrSpectrum {
  L: number;
  delta: number;
  /** z_j = e^{−2πij/L} (L) */
  omega: C64;
  /** g(z_j) = (2/Δ)(1 − z_j)/(1 + z_j) (L), purely imaginary; NaN at z = −1 (the pole) */
  g: C64;
  /** c(z_j) = 2/(1 + z_j) (L); NaN at z = −1 */
  c: C64;
  /** the four Cauchy sums k_ab(z_j) = Σ_n a_n b_n/(g − λ_n) (L each); 0 at z = −1 (their limit) */
  k00: C64; k01: C64; k10: C64; k11: C64;
  /** c·k₀₀ (L): the generating function of the diagonal part alone (Λ without −P̃P̃*) */
  diagonal: C64;
  /** c·k₀₁k₁₀/(1 + k₁₁) (L): the Woodbury correction of the rank-one term */
  correction: C64;
  /** K̂(z_j) = diagonal − correction (L): the DFT of the kernel K̄ */
  Khat: C64;
}

// ---- input checks -------------------------------------------------------------------------

function realMatrix(X: unknown, fn: string, arg: string, rows: number | null, cols: number | null): number[][] {
  if (!Array.isArray(X) || X.length === 0 || !X.every((r) => Array.isArray(r) && r.length === (X[0] as unknown[]).length)) {
    fail(fn, `${arg} must be a non-empty rectangular array of rows (number[][])`);
  }
  const M = X as number[][];
  if ((rows !== null && M.length !== rows) || (cols !== null && M[0].length !== cols)) {
    fail(fn, `${arg} must have shape (${rows ?? "any"},${cols ?? "any"}), but got (${M.length},${M[0].length})`);
  }
  M.forEach((row, i) => row.forEach((v, j) => {
    if (typeof v !== "number" || !Number.isFinite(v)) fail(fn, `${arg} must be finite, but entry [${i}][${j}] is ${String(v)}`);
  }));
  return M;
}

/** A real vector of length N: (N) or (N, 1) / (1, N) nested arrays, or a typed array. */
function realVector(x: unknown, fn: string, arg: string, N: number): Float64Array {
  let flat: ArrayLike<unknown>;
  if (Array.isArray(x) && x.length > 0 && Array.isArray(x[0])) flat = (x as unknown[][]).flat();
  else if (Array.isArray(x) || x instanceof Float64Array || x instanceof Float32Array) flat = x as ArrayLike<unknown>;
  else fail(fn, `${arg} must be an array of ${N} numbers, got ${x === null ? "null" : typeof x}`);
  if (flat.length !== N) fail(fn, `${arg} must have N = ${N} entries, got ${flat.length}`);
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const v = flat[i];
    if (typeof v !== "number" || !Number.isFinite(v)) fail(fn, `${arg} must be finite, but entry ${i} is ${String(v)}`);
    out[i] = v;
  }
  return out;
}

/** A complex vector {re, im} of length N, finite, copied to float64. */
function complexVector(x: unknown, fn: string, arg: string, N: number): C64 {
  if (x == null || typeof x !== "object" || !("re" in x) || !("im" in x)) fail(fn, `${arg} must be {re, im} (complex, N = ${N}), got ${x === null ? "null" : typeof x}`);
  const c = x as Complex<unknown>;
  return {re: realVector(c.re, fn, `${arg}.re`, N), im: realVector(c.im, fn, `${arg}.im`, N)};
}

/** Checks a Dplr object (shapes, finite values, Re λ < 0); `withV` also checks V. */
function checkDplr(fn: string, sys: unknown, withV: boolean): Dplr {
  if (sys == null || typeof sys !== "object" || !("N" in sys) || !("Lambda" in sys)) fail(fn, "sys must be a DPLR system from dplrHippo or dplrDecompose");
  const s = sys as Dplr;
  assertInteger(s.N, fn, "sys.N", 1, DPLR_MAX_N);
  const N = s.N;
  const Lambda = complexVector(s.Lambda, fn, "sys.Lambda", N);
  complexVector(s.P, fn, "sys.P", N);
  complexVector(s.B, fn, "sys.B", N);
  for (let n = 0; n < N; n++) {
    if (!(Lambda.re[n] < 0)) fail(fn, `sys.Lambda must have Re λ < 0 (a stable normal part), but entry ${n} is ${Lambda.re[n]} + ${Lambda.im[n]}i`);
  }
  if (withV) {
    if (s.V == null || s.V.re?.length !== N * N || s.V.im?.length !== N * N) fail(fn, `sys.V must be {re, im} with N·N = ${N * N} entries`);
  }
  return s;
}

// ---- 1. the decomposition -----------------------------------------------------------------

/**
 * DPLR form of a real A whose normal part S = A + P Pᵀ is σI + (skew-symmetric), as S4's
 * `nplr` requires: A (N, N), B (N, 1) or (N), P (N) → Dplr with Λ = σ + iω (ω ascending),
 * P̃ = V* P, B̃ = V* B. Float64 throughout; O(N³).
 */
export function dplrDecompose(A: number[][], B: number[][] | ArrayLike<number>, P: ArrayLike<number>): Dplr {
  const fn = "dplrDecompose";
  realMatrix(A, fn, "A", null, null);
  const N = A.length;
  if (A[0].length !== N) fail(fn, `A must be square (N, N), but got shape (${N},${A[0].length})`);
  if (N > DPLR_MAX_N) fail(fn, `A must have N ≤ ${DPLR_MAX_N} (the eigen-decomposition is O(N³) in JS), got N = ${N}`);
  const b = realVector(B, fn, "B", N);
  const p = realVector(P, fn, "P", N);
  const S = new Float64Array(N * N); // A + P Pᵀ
  let sigma = 0, big = 0;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      S[i * N + j] = A[i][j] + p[i] * p[j];
      big = Math.max(big, Math.abs(S[i * N + j]));
    }
    sigma += S[i * N + i];
  }
  sigma /= N;
  // The symmetric part of S must be σI: then S is normal with Re λ = σ for every eigenvalue.
  let worst = 0, wi = 0, wj = 0;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j <= i; j++) {
      const sym = (S[i * N + j] + S[j * N + i]) / 2 - (i === j ? sigma : 0);
      if (Math.abs(sym) > worst) { worst = Math.abs(sym); wi = i; wj = j; }
    }
  }
  if (worst > 1e-9 * Math.max(1, big)) {
    fail(fn, `A + P Pᵀ must be σI + a skew-symmetric matrix (a normal part, as in S4), but its symmetric part minus σI (σ = ${sigma}) has ${worst.toPrecision(3)} at [${wi}][${wj}]`);
  }
  const K = new Float64Array(N * N); // (S − Sᵀ)/2: exactly skew-symmetric
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) K[i * N + j] = (S[i * N + j] - S[j * N + i]) / 2;
  const {omega, V} = skewEigF64(K, N); // K = V diag(iω) V*
  const adjoint = (x: Float64Array): C64 => { // V* x for real x
    const re = new Float64Array(N), im = new Float64Array(N);
    for (let j = 0; j < N; j++) {
      const xj = x[j];
      if (xj === 0) continue;
      for (let m = 0; m < N; m++) { re[m] += V.re[j * N + m] * xj; im[m] -= V.im[j * N + m] * xj; }
    }
    return {re, im};
  };
  return {
    N,
    Lambda: {re: new Float64Array(N).fill(sigma), im: omega},
    P: adjoint(p),
    B: adjoint(b),
    V,
    real: {A: A.map((r) => r.slice()), B: Array.from(b, (v) => [v]), P: Array.from(p)}
  };
}

/**
 * S4's DPLR form of HiPPO-LegS (hippo("legs", N)) with P_n = √(n + ½) (S4 App. C.1;
 * Annotated S4 `make_DPLR_HiPPO`). N integer in [1, DPLR_MAX_N]. Plain float64, O(N³):
 * N = 256 about 0.2 s on an idle core; callers cache it per N.
 */
export function dplrHippo(N: number): Dplr {
  assertInteger(N, "dplrHippo", "N", 1, DPLR_MAX_N);
  const {A, B} = hippoArrays("legs", N);
  return dplrDecompose(A, B, Float64Array.from({length: N}, (_, n) => Math.sqrt(n + 0.5)));
}

/** Λ of LegS's normal part (N) as plain arrays {re, im}, for a complex-plane figure. */
export function dplrLambda(N: number): {re: number[]; im: number[]} {
  const {Lambda} = dplrHippo(N);
  return {re: Array.from(Lambda.re), im: Array.from(Lambda.im)};
}

/** V (Λ − P̃ P̃*) V* as {re, im} (N, N) nested arrays: equals the real A to rounding. */
export function dplrReconstruct(sys: Dplr): {re: number[][]; im: number[][]} {
  const s = checkDplr("dplrReconstruct", sys, true);
  const {N, V, Lambda, P} = s;
  // M = diag(Λ) − P̃ P̃*, then V M V*
  const Mr = new Float64Array(N * N), Mi = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) { // P̃_i conj(P̃_j)
      Mr[i * N + j] = -(P.re[i] * P.re[j] + P.im[i] * P.im[j]);
      Mi[i * N + j] = -(P.im[i] * P.re[j] - P.re[i] * P.im[j]);
    }
    Mr[i * N + i] += Lambda.re[i];
    Mi[i * N + i] += Lambda.im[i];
  }
  const Tr = new Float64Array(N * N), Ti = new Float64Array(N * N); // V M
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < N; k++) {
      const vr = V.re[i * N + k], vi = V.im[i * N + k];
      for (let j = 0; j < N; j++) {
        Tr[i * N + j] += vr * Mr[k * N + j] - vi * Mi[k * N + j];
        Ti[i * N + j] += vr * Mi[k * N + j] + vi * Mr[k * N + j];
      }
    }
  }
  const re = Array.from({length: N}, () => new Array<number>(N).fill(0));
  const im = Array.from({length: N}, () => new Array<number>(N).fill(0));
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) { // Σ_k T_ik conj(V_jk)
      let sr = 0, si = 0;
      for (let k = 0; k < N; k++) {
        const tr = Tr[i * N + k], ti = Ti[i * N + k], vr = V.re[j * N + k], vi = V.im[j * N + k];
        sr += tr * vr + ti * vi;
        si += ti * vr - tr * vi;
      }
      re[i][j] = sr; im[i][j] = si;
    }
  }
  return {re, im};
}

// ---- 2. C̃ = C (I − Āᴸ) on the diagonal basis ---------------------------------------------

/**
 * C̃ = (C V)(I − Ā_dᴸ), the row S4 trains in place of C, with Ā_d = A₁A₀ the bilinear Ā on the
 * diagonal basis (Annotated S4 `discrete_DPLR`):
 *   A₀ = (2/Δ)I + Λ − P̃Q̃*,   A₁ = D − D P̃ (1 + Q̃* D P̃)⁻¹ Q̃* D,   D = (2/Δ − Λ)⁻¹.
 * sys, C (1, N) or (N) real, delta > 0, L ≥ 1 → C̃ {re, im} (N), float64. O(N² + N·L).
 */
export function dplrCtilde(sys: Dplr, C: ArrayLike<number> | number[][], delta: number, L: number): C64 {
  const fn = "dplrCtilde";
  const s = checkDplr(fn, sys, true);
  const N = s.N;
  const c = realVector(C, fn, "C", N);
  assertPositiveNumber(delta, fn, "delta");
  assertInteger(L, fn, "L", 1, MAX_L);
  const {V, Lambda: lam, P} = s;
  const cdRe = new Float64Array(N), cdIm = new Float64Array(N); // C V
  for (let j = 0; j < N; j++) {
    if (c[j] === 0) continue;
    for (let m = 0; m < N; m++) { cdRe[m] += c[j] * V.re[j * N + m]; cdIm[m] += c[j] * V.im[j * N + m]; }
  }
  const h = 2 / delta;
  const Dr = new Float64Array(N), Di = new Float64Array(N); // D = 1/(2/Δ − λ)
  const qdRe = new Float64Array(N), qdIm = new Float64Array(N); // Q̃*∘D (Q̃ = P̃)
  let sr = 1, si = 0; // 1 + Q̃* D P̃
  for (let n = 0; n < N; n++) {
    const ar = h - lam.re[n], ai = -lam.im[n], m2 = ar * ar + ai * ai;
    Dr[n] = ar / m2; Di[n] = -ai / m2;
    qdRe[n] = P.re[n] * Dr[n] + P.im[n] * Di[n]; // conj(P)·D
    qdIm[n] = P.re[n] * Di[n] - P.im[n] * Dr[n];
    sr += qdRe[n] * P.re[n] - qdIm[n] * P.im[n];
    si += qdRe[n] * P.im[n] + qdIm[n] * P.re[n];
  }
  const s2 = sr * sr + si * si;
  let rRe = Float64Array.from(cdRe), rIm = Float64Array.from(cdIm);
  let tRe = new Float64Array(N), tIm = new Float64Array(N);
  for (let step = 0; step < L; step++) {
    // t = r A₁ = r∘D − ((r∘D)·P̃ / (1 + Q̃*DP̃)) Q̃*∘D
    let xr = 0, xi = 0;
    for (let n = 0; n < N; n++) {
      const ur = rRe[n] * Dr[n] - rIm[n] * Di[n], ui = rRe[n] * Di[n] + rIm[n] * Dr[n];
      tRe[n] = ur; tIm[n] = ui;
      xr += ur * P.re[n] - ui * P.im[n];
      xi += ur * P.im[n] + ui * P.re[n];
    }
    const fr = (xr * sr + xi * si) / s2, fi = (xi * sr - xr * si) / s2;
    let yr = 0, yi = 0;
    for (let n = 0; n < N; n++) {
      tRe[n] -= fr * qdRe[n] - fi * qdIm[n];
      tIm[n] -= fr * qdIm[n] + fi * qdRe[n];
      yr += tRe[n] * P.re[n] - tIm[n] * P.im[n];
      yi += tRe[n] * P.im[n] + tIm[n] * P.re[n];
    }
    // r = t A₀ = (2/Δ) t + t∘Λ − (t·P̃) Q̃*
    for (let n = 0; n < N; n++) {
      const a = tRe[n], b = tIm[n];
      tRe[n] = h * a + a * lam.re[n] - b * lam.im[n] - (yr * P.re[n] + yi * P.im[n]);
      tIm[n] = h * b + a * lam.im[n] + b * lam.re[n] - (yi * P.re[n] - yr * P.im[n]);
    }
    [rRe, tRe] = [tRe, rRe];
    [rIm, tIm] = [tIm, rIm];
  }
  return {re: cdRe.map((v, n) => v - rRe[n]), im: cdIm.map((v, n) => v - rIm[n])};
}

// ---- 3. Cauchy sums, Woodbury, inverse FFT ------------------------------------------------

/** a_n b_n for a ∈ (C̃, Q̃*), b ∈ (B̃, P̃) (Q̃ = P̃): sys and C̃ (N) → four complex (N), float64. */
export function dplrWeights(sys: Dplr, Ct: Complex<ArrayLike<number>>): DplrWeights {
  const fn = "dplrWeights";
  const s = checkDplr(fn, sys, false);
  const ct = complexVector(Ct, fn, "Ct", s.N);
  return weights(s, ct);
}

function weights(s: Dplr, ct: C64): DplrWeights {
  const {B, P} = s;
  const mul = (ar: Float64Array, ai: Float64Array, br: Float64Array, bi: Float64Array): C64 =>
    ({re: ar.map((x, n) => x * br[n] - ai[n] * bi[n]), im: ar.map((x, n) => x * bi[n] + ai[n] * br[n])});
  const qRe = Float64Array.from(P.re), qIm = Float64Array.from(P.im, (v) => -v); // Q̃* = conj(P̃)
  return {v00: mul(ct.re, ct.im, B.re, B.im), v01: mul(ct.re, ct.im, P.re, P.im), v10: mul(qRe, qIm, B.re, B.im), v11: mul(qRe, qIm, P.re, P.im)};
}

/** tan(θ_j/2) = tan(πj/L) for node j (exact 0 at j = 0, ±1 at quarter points); Infinity at j = L/2. */
function halfTan(j: number, L: number): number {
  if (j === 0) return 0;
  if (2 * j === L) return Infinity;
  if (4 * j === L) return 1;
  if (4 * j === 3 * L) return -1;
  return Math.tan((Math.PI * j) / L);
}

/** z_j = e^{−2πij/L}, exact at the quarter points. */
function node(j: number, L: number): [number, number] {
  if ((4 * j) % L === 0) return ([[1, 0], [0, -1], [-1, 0], [0, 1]] as [number, number][])[((4 * j) / L) % 4];
  const a = (2 * Math.PI * j) / L;
  return [Math.cos(a), -Math.sin(a)];
}

/** The four Cauchy sums k_ab = Σ v_ab/(g − λ) at g = i·gi (float64), into out[8] (re, im pairs). */
function cauchy4(w: DplrWeights, lam: C64, gi: number, out: Float64Array): void {
  out.fill(0);
  const N = lam.re.length, {v00, v01, v10, v11} = w;
  for (let n = 0; n < N; n++) {
    const dr = -lam.re[n], di = gi - lam.im[n], m2 = dr * dr + di * di;
    const xr = dr / m2, xi = -di / m2; // 1/(g − λ)
    out[0] += v00.re[n] * xr - v00.im[n] * xi; out[1] += v00.re[n] * xi + v00.im[n] * xr;
    out[2] += v01.re[n] * xr - v01.im[n] * xi; out[3] += v01.re[n] * xi + v01.im[n] * xr;
    out[4] += v10.re[n] * xr - v10.im[n] * xi; out[5] += v10.re[n] * xi + v10.im[n] * xr;
    out[6] += v11.re[n] * xr - v11.im[n] * xi; out[7] += v11.re[n] * xi + v11.im[n] * xr;
  }
}

/** K̂ = c(k₀₀ − k₀₁k₁₀/(1 + k₁₁)), c = 1 + i t; also returns c·k₀₀ and the correction. */
function woodbury(k: Float64Array, t: number): [number, number, number, number, number, number] {
  const pr = k[2] * k[4] - k[3] * k[5], pi = k[2] * k[5] + k[3] * k[4]; // k01 k10
  const qr = 1 + k[6], qi = k[7], q2 = qr * qr + qi * qi;
  const fr = (pr * qr + pi * qi) / q2, fi = (pi * qr - pr * qi) / q2; // / (1 + k11)
  const dr = k[0] - t * k[1], di = k[1] + t * k[0]; // c·k00
  const cr = fr - t * fi, ci = fi + t * fr; // c·correction
  return [dr - cr, di - ci, dr, di, cr, ci];
}

/** K̂(−1) = (Δ/2) Σ C̃_n B̃_n: the limit at the pole z = −1. */
function atMinusOne(w: DplrWeights, delta: number): [number, number] {
  let r = 0, i = 0;
  for (let n = 0; n < w.v00.re.length; n++) { r += w.v00.re[n]; i += w.v00.im[n]; }
  return [(delta / 2) * r, (delta / 2) * i];
}

function checkKernelArgs(fn: string, sys: Dplr, Ct: Complex<ArrayLike<number>>, delta: number, L: number): {s: Dplr; w: DplrWeights} {
  const s = checkDplr(fn, sys, false);
  const ct = complexVector(Ct, fn, "Ct", s.N);
  assertPositiveNumber(delta, fn, "delta");
  assertInteger(L, fn, "L", 1, MAX_L);
  return {s, w: weights(s, ct)};
}

/**
 * The truncated generating function K̂(z_j) at the L roots of unity z_j = e^{−2πij/L}, with
 * every term of its Cauchy/Woodbury form (see DplrSpectrum). sys, C̃ (N, from dplrCtilde),
 * delta > 0, L ≥ 1 → plain float64 arrays. O(N·L).
 */
export function dplrGenerating(sys: Dplr, Ct: Complex<ArrayLike<number>>, delta: number, L: number): DplrSpectrum {
  const {s, w} = checkKernelArgs("dplrGenerating", sys, Ct, delta, L);
  const z = () => ({re: new Float64Array(L), im: new Float64Array(L)});
  const out: DplrSpectrum = {L, delta, omega: z(), g: z(), c: z(), k00: z(), k01: z(), k10: z(), k11: z(), diagonal: z(), correction: z(), Khat: z()};
  const k = new Float64Array(8);
  for (let j = 0; j < L; j++) {
    [out.omega.re[j], out.omega.im[j]] = node(j, L);
    const t = halfTan(j, L);
    if (!Number.isFinite(t)) { // z = −1
      out.g.re[j] = out.g.im[j] = out.c.re[j] = out.c.im[j] = NaN;
      const [r, i] = atMinusOne(w, delta);
      out.Khat.re[j] = out.diagonal.re[j] = r;
      out.Khat.im[j] = out.diagonal.im[j] = i;
      continue;
    }
    out.g.im[j] = (2 / delta) * t;
    out.c.re[j] = 1; out.c.im[j] = t;
    cauchy4(w, s.Lambda, out.g.im[j], k);
    [out.k00.re[j], out.k00.im[j], out.k01.re[j], out.k01.im[j], out.k10.re[j], out.k10.im[j], out.k11.re[j], out.k11.im[j]] = k;
    [out.Khat.re[j], out.Khat.im[j], out.diagonal.re[j], out.diagonal.im[j], out.correction.re[j], out.correction.im[j]] = woodbury(k, t);
  }
  return out;
}

/**
 * S4's kernel K̄ (L) by the generating function, all in float64 plain JS: Cauchy sums and
 * Woodbury at nodes j = 0 … ⌊L/2⌋, conjugate symmetry for the rest, float64 inverse FFT.
 * sys, C̃ (N, from dplrCtilde), delta > 0, L ≥ 1 (any L) → Float64Array (L). O(N·L + L log L).
 */
export function dplrKernelF64(sys: Dplr, Ct: Complex<ArrayLike<number>>, delta: number, L: number): Float64Array {
  const {s, w} = checkKernelArgs("dplrKernelF64", sys, Ct, delta, L);
  const Xr = new Float64Array(L), Xi = new Float64Array(L);
  const k = new Float64Array(8);
  for (let j = 0; 2 * j <= L; j++) {
    const t = halfTan(j, L);
    let r: number, i: number;
    if (!Number.isFinite(t)) [r, i] = atMinusOne(w, delta);
    else {
      cauchy4(w, s.Lambda, (2 / delta) * t, k);
      [r, i] = woodbury(k, t);
    }
    Xr[j] = r; Xi[j] = i;
    if (j > 0 && 2 * j < L) { Xr[L - j] = r; Xi[L - j] = -i; }
  }
  return fftF64(Xr, Xi, {inverse: true}).re;
}

/** Splits x into float32 hi + lo (hi = fround(x), lo = fround(x − hi)). */
function split32(x: Float64Array): [Float32Array, Float32Array] {
  const hi = Float32Array.from(x);
  return [hi, Float32Array.from(x, (v, i) => v - hi[i])];
}

/**
 * S4's kernel K̄ (L) by the generating function on the active tfjs backend (float32): the
 * O(N·L) Cauchy sums, the Woodbury combination and the inverse FFT are tensor ops; the O(N)
 * per-mode weights and the node values are float64 JS. sys, C̃ (N, from dplrCtilde),
 * delta > 0, L a power of two (≥ 1) → K (L), float32. Work O(N·L + L log L).
 */
export function dplrKernel(sys: Dplr, Ct: Complex<ArrayLike<number>>, delta: number, L: number): tf.Tensor1D {
  const fn = "dplrKernel";
  const {s, w} = checkKernelArgs(fn, sys, Ct, delta, L);
  if ((L & (L - 1)) !== 0) fail(fn, `L must be a power of two (the inverse FFT runs on the backend), got ${L}; dplrKernelF64 takes any L`);
  const N = s.N, M = L === 1 ? 1 : L / 2; // nodes j = 0 … M−1 on the backend; j = L/2 is the pole's limit
  const t = new Float64Array(M), gi = new Float64Array(M);
  for (let j = 0; j < M; j++) { t[j] = halfTan(j, L); gi[j] = (2 / delta) * t[j]; }
  const [gh, gl] = split32(gi), [bh, bl] = split32(s.Lambda.im);
  // Outer differences Im(g − λ) as (N, 2)·(2, M) products [1, −b]·[g; 1]: each entry is one
  // rounded float32 subtraction (exact by Sterbenz's lemma near a resonance), hi and lo apart.
  const left = (b: Float32Array) => Float32Array.from({length: 2 * N}, (_, i) => (i % 2 === 0 ? 1 : -b[i >> 1]));
  const right = (g: Float32Array) => Float32Array.from({length: 2 * M}, (_, i) => (i < M ? g[i] : 1));
  // Rows of the complex weights against [Re x; Im x], x = 1/(g − λ) = (dr − i di)/|d|²,
  // stored as W = [dr/|d|²; di/|d|²]: Re(v x) = [vr, vi]·W, Im(v x) = [vi, −vr]·W.
  const V8 = new Float32Array(8 * 2 * N);
  [w.v00, w.v01, w.v10, w.v11].forEach((v, a) => {
    for (let n = 0; n < N; n++) {
      V8[a * 2 * N + n] = v.re[n]; V8[a * 2 * N + N + n] = v.im[n];
      V8[(4 + a) * 2 * N + n] = v.im[n]; V8[(4 + a) * 2 * N + N + n] = -v.re[n];
    }
  });
  const half = L >= 2 ? atMinusOne(w, delta) : null;
  return tf.tidy(() => {
    const di = tf.add(
      tf.matMul(tf.tensor2d(left(bh), [N, 2]), tf.tensor2d(right(gh), [2, M])),
      tf.matMul(tf.tensor2d(left(bl), [N, 2]), tf.tensor2d(right(gl), [2, M]))); // Im(g − λ) (N, M)
    const dr = tf.matMul(tf.tensor2d(Float32Array.from(s.Lambda.re, (v) => -v), [N, 1]), tf.ones([1, M])); // Re(g − λ) (N, M)
    const d2 = tf.add(tf.square(di), tf.square(dr)); // |g − λ|² (N, M)
    const W = tf.concat([tf.div(dr, d2), tf.div(di, d2)], 0); // (2N, M)
    const k = tf.matMul(tf.tensor2d(V8, [8, 2 * N]), W); // rows: Re k00, k01, k10, k11, then Im (8, M)
    const [k00r, k01r, k10r, k11r, k00i, k01i, k10i, k11i] = tf.split(k, 8, 0);
    const pr = tf.sub(tf.mul(k01r, k10r), tf.mul(k01i, k10i)), pi = tf.add(tf.mul(k01r, k10i), tf.mul(k01i, k10r)); // k01 k10
    const qr = tf.add(k11r, 1), q2 = tf.add(tf.square(qr), tf.square(k11i)); // 1 + k11
    const fr = tf.div(tf.add(tf.mul(pr, qr), tf.mul(pi, k11i)), q2), fi = tf.div(tf.sub(tf.mul(pi, qr), tf.mul(pr, k11i)), q2);
    const sr = tf.sub(k00r, fr), si = tf.sub(k00i, fi); // k00 − k01k10/(1 + k11)
    const tt = tf.tensor2d(Float32Array.from(t), [1, M]);
    let Xr: tf.Tensor = tf.reshape(tf.sub(sr, tf.mul(tt, si)), [M]), Xi: tf.Tensor = tf.reshape(tf.add(si, tf.mul(tt, sr)), [M]); // c = 1 + i t
    if (half) { // [X_0 … X_{M−1}, K̂(−1), conj X_{M−1} … conj X_1]
      const tail = (x: tf.Tensor) => tf.reverse(tf.slice(x, [1], [M - 1]));
      const parts = (x: tf.Tensor, h: number, sign: number) => M > 1 ? [x, tf.tensor1d([h]), sign > 0 ? tail(x) : tf.neg(tail(x))] : [x, tf.tensor1d([h])];
      Xr = tf.concat(parts(Xr, half[0], 1));
      Xi = tf.concat(parts(Xi, half[1], -1));
    }
    const [yr] = fftColumns(tf.reshape(Xr, [L, 1]) as tf.Tensor2D, tf.reshape(Xi, [L, 1]) as tf.Tensor2D, true);
    return tf.reshape(tf.mul(yr, 1 / L), [L]) as tf.Tensor1D; // (L)
  });
}
