// Eigen-decomposition of a real skew-symmetric matrix K (Kᵀ = −K) in float64, plain arrays:
//     K = V · diag(iω) · V*,   V unitary (complex), ω real,
// i.e. the Hermitian eigenproblem of H = −iK (H v = ω v), which is how S4 diagonalises the
// normal part of HiPPO (Gu, Goel & Ré 2022, "Efficiently Modeling Long Sequences with
// Structured State Spaces", Appendix C; state-spaces/s4 `nplr`: `eigh(AP * -1j)`).
//
// Algorithm (Golub & Van Loan, "Matrix Computations", 4th ed., §8.3), all in real arithmetic:
//   1. Householder reduction K = Q T Qᵀ, Q real orthogonal. Congruence by an orthogonal
//      matrix keeps K skew-symmetric, so the Hessenberg form T is tridiagonal with a zero
//      diagonal: T[k+1][k] = e_k, T[k][k+1] = −e_k.
//   2. With D = diag(iᵏ), D*(−iT)D = M is REAL symmetric tridiagonal with zero diagonal and
//      off-diagonal −e_k (the phases iᵏ turn ∓i e_k into −e_k).
//   3. M = W Ω Wᵀ by the implicit QL method with Wilkinson shifts (tql2 of EISPACK, as in
//      JAMA's EigenvalueDecomposition).
//   Then H = −iK = Q D M D* Qᵀ = (Q D W) Ω (Q D W)*, so V = Q D W and ω = Ω, sorted ascending.
// Every step is an orthogonal (unitary) transformation: backward stable, ω accurate to
// about 1e-16·‖K‖, V unitary to rounding. Cost ≈ 10 n³ flops (n = 256: about 0.2 s in JS).
import {fail} from "../validate.js";

/**
 * K real skew-symmetric (n, n), row-major (only its strictly lower triangle is read; the
 * upper one is taken as its negative) → {omega (n) ascending, V: {re, im} (n, n) row-major,
 * column m the eigenvector of K for the eigenvalue i·omega[m]}.
 */
export function skewEigF64(K: Float64Array, n: number): {omega: Float64Array; V: {re: Float64Array; im: Float64Array}} {
  const fn = "skewEigF64";
  if (!Number.isInteger(n) || n < 1 || K.length !== n * n) fail(fn, `K must have n·n = ${n}·${n} entries, got ${K.length}`);
  for (let i = 0; i < K.length; i++) if (!Number.isFinite(K[i])) fail(fn, `K must be finite, but entry ${i} is ${K[i]}`);
  // Work on an exactly skew-symmetric copy made from the lower triangle.
  const T = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) { T[i * n + j] = K[i * n + j]; T[j * n + i] = -K[i * n + j]; }
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Q[i * n + i] = 1;
  const v = new Float64Array(n), w = new Float64Array(n);
  // ---- 1. Householder: zero column k below the subdiagonal, k = 0 … n−3
  for (let k = 0; k < n - 2; k++) {
    let norm = 0;
    for (let i = k + 1; i < n; i++) norm = Math.hypot(norm, T[i * n + k]);
    if (norm === 0) continue;
    const x0 = T[(k + 1) * n + k];
    const alpha = x0 > 0 ? -norm : norm; // v = x − αe₁ without cancellation
    for (let i = k + 1; i < n; i++) v[i] = T[i * n + k];
    v[k + 1] -= alpha;
    let beta = 0;
    for (let i = k + 1; i < n; i++) beta += v[i] * v[i];
    if (beta === 0) continue;
    const s = 2 / beta; // H = I − s v vᵀ on indices k+1 … n−1
    // T ← H T (rows k+1…, columns k…; columns < k are zero in those rows)
    for (let j = k; j < n; j++) {
      let dot = 0;
      for (let i = k + 1; i < n; i++) dot += v[i] * T[i * n + j];
      dot *= s;
      for (let i = k + 1; i < n; i++) T[i * n + j] -= dot * v[i];
    }
    // T ← T H (columns k+1…, rows k…)
    for (let i = k; i < n; i++) {
      let dot = 0;
      for (let j = k + 1; j < n; j++) dot += T[i * n + j] * v[j];
      dot *= s;
      for (let j = k + 1; j < n; j++) T[i * n + j] -= dot * v[j];
    }
    // Q ← Q H
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let j = k + 1; j < n; j++) dot += Q[i * n + j] * v[j];
      w[i] = dot * s;
    }
    for (let i = 0; i < n; i++) for (let j = k + 1; j < n; j++) Q[i * n + j] -= w[i] * v[j];
  }
  // ---- 2. M = D*(−iT)D: zero diagonal, off-diagonal −e_k (e_k = T[k+1][k])
  const d = new Float64Array(n);
  const e = new Float64Array(n); // e[i] couples i−1 and i (e[0] unused), the layout tql2 expects
  for (let i = 1; i < n; i++) e[i] = -T[i * n + i - 1];
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) W[i * n + i] = 1;
  tql2(d, e, W, n);
  // ---- 3. V = Q D W, D = diag(iᵏ): iᵏ is 1, i, −1, −i for k mod 4 = 0, 1, 2, 3
  const re = new Float64Array(n * n), im = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const q = Q[i * n + k];
      if (q === 0) continue;
      const r = k % 4, target = r % 2 === 0 ? re : im, sign = r < 2 ? 1 : -1;
      for (let m = 0; m < n; m++) target[i * n + m] += sign * q * W[k * n + m];
    }
  }
  // Sort ascending by ω (tql2 leaves them unordered).
  const order = Array.from({length: n}, (_, i) => i).sort((a, b) => d[a] - d[b]);
  const omega = Float64Array.from(order, (i) => d[i]);
  const Vre = new Float64Array(n * n), Vim = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let m = 0; m < n; m++) { Vre[i * n + m] = re[i * n + order[m]]; Vim[i * n + m] = im[i * n + order[m]]; }
  return {omega, V: {re: Vre, im: Vim}};
}

/**
 * Symmetric tridiagonal QL with implicit Wilkinson shifts (EISPACK tql2, after JAMA):
 * d (n) diagonal, e (n) with e[i] the entry between i−1 and i; W (n, n) row-major starts as
 * the identity. On return d holds the eigenvalues and column m of W the eigenvector of d[m].
 */
function tql2(d: Float64Array, e: Float64Array, W: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0, tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) fail("skewEigF64", `the QL iteration did not converge (eigenvalue ${l} of ${n})`);
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const el1 = e[l + 1];
        for (let i = m - 1; i >= l; i--) {
          c3 = c2; c2 = c; s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let k = 0; k < n; k++) {
            const wk = k * n;
            h = W[wk + i + 1];
            W[wk + i + 1] = s * W[wk + i] + c * h;
            W[wk + i] = c * W[wk + i] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}
