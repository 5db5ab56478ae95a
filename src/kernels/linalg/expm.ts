// Matrix exponential exp(A) by scaling and squaring with a degree-13 (or lower) Padé
// approximant: Higham, "The scaling and squaring method for the matrix exponential
// revisited" (SIAM J. Matrix Anal. Appl. 26, 2005), with the choice of degree m and of the
// scaling s from Al-Mohy & Higham, "A new scaling and squaring algorithm for the matrix
// exponential" (SIMAX 31, 2009): s from ‖Aᵏ‖^(1/k) rather than ‖A‖ (no overscaling of
// non-normal matrices such as HiPPO-LegS), plus the ℓ(A, m) correction of §5 there.
// This is the same algorithm as scipy.linalg.expm. The dense work is small (n ≤ a few
// hundred), so it runs in plain float64 JavaScript; the tensor version returns float32.
//
//   exp(A) = (r_m(A / 2ˢ))^(2ˢ),  r_m(X) = (V − U)⁻¹ (V + U),  U odd and V even in X.
import * as tf from "@tensorflow/tfjs";
import {assertFinite, assertRank, cpuValues, fail, shapeString, toTensor, type TensorLike} from "../validate.js";

// ---- small dense float64 helpers (row-major n×n unless stated) -------------------------

/** C = A B for A (n, k), B (k, m), row-major. */
export function matMulF64(A: Float64Array, B: Float64Array, n: number, k = n, m = n): Float64Array {
  const C = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const ci = i * m;
    for (let p = 0; p < k; p++) {
      const a = A[i * k + p];
      if (a === 0) continue;
      const bp = p * m;
      for (let j = 0; j < m; j++) C[ci + j] += a * B[bp + j];
    }
  }
  return C;
}

/** Identity (n, n). */
export function eyeF64(n: number): Float64Array {
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return I;
}

/** Maximum absolute column sum ‖A‖₁ of A (n, n). */
export function norm1F64(A: Float64Array, n: number): number {
  let best = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(A[i * n + j]);
    if (s > best) best = s;
  }
  return best;
}

/**
 * Solves M X = R for X, M (n, n), R (n, m), by LU with partial pivoting. Throws (naming
 * `fn`) when M is singular to working precision.
 */
export function solveF64(M: Float64Array, R: Float64Array, n: number, m: number, fn = "solve"): Float64Array {
  const LU = Float64Array.from(M);
  const X = Float64Array.from(R);
  const scale = norm1F64(M, n) || 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(LU[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(LU[i * n + k]);
      if (v > best) { best = v; p = i; }
    }
    if (!(best > scale * 1e-300) || !Number.isFinite(best)) fail(fn, "matrix is singular to working precision");
    if (p !== k) {
      for (let j = 0; j < n; j++) { const t = LU[k * n + j]; LU[k * n + j] = LU[p * n + j]; LU[p * n + j] = t; }
      for (let j = 0; j < m; j++) { const t = X[k * m + j]; X[k * m + j] = X[p * m + j]; X[p * m + j] = t; }
    }
    const pivot = LU[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = LU[i * n + k] / pivot;
      if (f === 0) continue;
      LU[i * n + k] = f;
      for (let j = k + 1; j < n; j++) LU[i * n + j] -= f * LU[k * n + j];
      for (let j = 0; j < m; j++) X[i * m + j] -= f * X[k * m + j];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    const pivot = LU[k * n + k];
    for (let j = 0; j < m; j++) {
      let s = X[k * m + j];
      for (let p = k + 1; p < n; p++) s -= LU[k * n + p] * X[p * m + j];
      X[k * m + j] = s / pivot;
    }
  }
  return X;
}

// ---- Padé coefficients and thresholds (Higham 2005, Table 2.3 and eq. 2.3) ------------

const PADE: Record<number, number[]> = {
  3: [120, 60, 12, 1],
  5: [30240, 15120, 3360, 420, 30, 1],
  7: [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1],
  9: [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1],
  13: [
    64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000,
    10559470521600, 670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1
  ]
};
// θ_m: largest ‖2⁻ˢA‖ for which r_m has backward error ≤ 2⁻⁵³ (Higham 2005, Table 2.3).
const THETA: Record<number, number> = {
  3: 1.495585217958292e-2,
  5: 2.539398330063230e-1,
  7: 9.504178996162932e-1,
  9: 2.097847961257068e0,
  13: 5.371920351148152e0
};

function factorial(k: number): number {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return f;
}

/**
 * ℓ(A, m) of Al-Mohy & Higham 2009, eq. (5.1)/Alg. 5.1: extra squarings needed when the
 * bound from ‖|A|^(2m+1)‖ says the truncation error is not yet below unit roundoff.
 */
function ell(A: Float64Array, n: number, m: number): number {
  const normA = norm1F64(A, n);
  if (normA === 0) return 0;
  // ‖|A|^(2m+1)‖₁ = max entry of 1ᵀ|A|^(2m+1) (nonnegative matrix): 2m+1 vector products.
  let v = new Float64Array(n).fill(1);
  for (let p = 0; p < 2 * m + 1; p++) {
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const vi = v[i];
      if (vi === 0) continue;
      for (let j = 0; j < n; j++) w[j] += vi * Math.abs(A[i * n + j]);
    }
    v = w;
  }
  let powNorm = 0;
  for (let j = 0; j < n; j++) powNorm = Math.max(powNorm, v[j]);
  if (powNorm === 0) return 0;
  const cRecip = (factorial(2 * m) * factorial(2 * m + 1)) / (factorial(m) * factorial(m));
  const alpha = powNorm / (normA * cRecip);
  const value = Math.ceil(Math.log2(alpha / 2 ** -53) / (2 * m));
  return Math.max(value, 0);
}

function scaled(A: Float64Array, c: number): Float64Array {
  const out = new Float64Array(A.length);
  for (let i = 0; i < A.length; i++) out[i] = A[i] * c;
  return out;
}

/** Σ cᵢ Mᵢ (+ c₀ I when `identity` is given), all (n, n). */
function combo(n: number, terms: [number, Float64Array][], identity = 0): Float64Array {
  const out = new Float64Array(n * n);
  for (const [c, M] of terms) for (let i = 0; i < out.length; i++) out[i] += c * M[i];
  if (identity !== 0) for (let i = 0; i < n; i++) out[i * n + i] += identity;
  return out;
}

/** r_m(A) = (V − U)⁻¹ (V + U) given the even powers A², A⁴, A⁶ (A⁶ only for m ≥ 7). */
function pade(A: Float64Array, n: number, m: number, A2: Float64Array, A4: Float64Array, A6: Float64Array | null): Float64Array {
  const b = PADE[m];
  let U: Float64Array;
  let V: Float64Array;
  if (m === 13) {
    const A6v = A6 as Float64Array;
    const U1 = matMulF64(A6v, combo(n, [[b[13], A6v], [b[11], A4], [b[9], A2]]), n);
    U = matMulF64(A, combo(n, [[1, U1], [b[7], A6v], [b[5], A4], [b[3], A2]], b[1]), n);
    const V1 = matMulF64(A6v, combo(n, [[b[12], A6v], [b[10], A4], [b[8], A2]]), n);
    V = combo(n, [[1, V1], [b[6], A6v], [b[4], A4], [b[2], A2]], b[0]);
  } else {
    const powers: Float64Array[] = [eyeF64(n), A2, A4];
    if (m >= 7) powers.push(A6 as Float64Array);
    if (m >= 9) powers.push(matMulF64(A6 as Float64Array, A2, n));
    const odd: [number, Float64Array][] = [];
    const even: [number, Float64Array][] = [];
    for (let k = 0; k <= m / 2; k++) {
      odd.push([b[2 * k + 1], powers[k]]);
      even.push([b[2 * k], powers[k]]);
    }
    U = matMulF64(A, combo(n, odd), n);
    V = combo(n, even);
  }
  const P = combo(n, [[1, V], [1, U]]);
  const Q = combo(n, [[1, V], [-1, U]]);
  return solveF64(Q, P, n, n, "expm");
}

/**
 * exp(A) for A (n, n) given row-major in float64; returns a new row-major Float64Array.
 * Al-Mohy & Higham (2009) Algorithm 3.1 with exact norms of powers (n is small).
 */
export function expmF64(A: Float64Array, n: number): Float64Array {
  if (A.length !== n * n) fail("expm", `A must have n*n = ${n * n} entries, got ${A.length}`);
  for (let i = 0; i < A.length; i++) if (!Number.isFinite(A[i])) fail("expm", `A must be finite, but entry ${i} is ${A[i]}`);
  if (n === 0) return new Float64Array(0);
  if (norm1F64(A, n) === 0) return eyeF64(n);
  const A2 = matMulF64(A, A, n);
  const A4 = matMulF64(A2, A2, n);
  const A6 = matMulF64(A4, A2, n);
  const d4 = norm1F64(A4, n) ** (1 / 4);
  const d6 = norm1F64(A6, n) ** (1 / 6);
  const eta1 = Math.max(d4, d6);
  if (eta1 <= THETA[3] && ell(A, n, 3) === 0) return pade(A, n, 3, A2, A4, null);
  if (eta1 <= THETA[5] && ell(A, n, 5) === 0) return pade(A, n, 5, A2, A4, null);
  const d8 = norm1F64(matMulF64(A4, A4, n), n) ** (1 / 8);
  const eta3 = Math.max(d6, d8);
  if (eta3 <= THETA[7] && ell(A, n, 7) === 0) return pade(A, n, 7, A2, A4, A6);
  if (eta3 <= THETA[9] && ell(A, n, 9) === 0) return pade(A, n, 9, A2, A4, A6);
  const d10 = norm1F64(matMulF64(A4, A6, n), n) ** (1 / 10);
  const eta5 = Math.min(eta3, Math.max(d8, d10));
  let s = Math.max(0, Math.ceil(Math.log2(eta5 / THETA[13])));
  s += ell(scaled(A, 2 ** -s), n, 13);
  const c = 2 ** -s;
  let R = pade(scaled(A, c), n, 13, scaled(A2, c * c), scaled(A4, c ** 4), scaled(A6, c ** 6));
  for (let k = 0; k < s; k++) R = matMulF64(R, R, n);
  return R;
}

/** A tensor's values in float64, row-major: its JS source when it has one (see cpuValues). */
export function toF64(t: tf.Tensor): Float64Array {
  return Float64Array.from(cpuValues(t));
}

/**
 * Matrix exponential  exp(A) = Σₖ Aᵏ / k!.
 *
 * A (n, n) → (n, n), float32. Computed in float64 by scaling and squaring with a Padé
 * approximant (Al-Mohy & Higham 2009; as scipy.linalg.expm), rounded to float32 at the end.
 */
export function expm(A: TensorLike): tf.Tensor2D {
  return tf.tidy(() => {
    const At = toTensor(A, "expm", "A"); // (n, n)
    assertRank(At, 2, "expm", "A", "(n, n)");
    const [n, n2] = At.shape;
    if (n !== n2) fail("expm", `A must be square (n, n), but got shape ${shapeString(At.shape)}`);
    assertFinite(At, "expm", "A");
    return tf.tensor2d(Float32Array.from(expmF64(toF64(At), n)), [n, n], "float32");
  });
}
