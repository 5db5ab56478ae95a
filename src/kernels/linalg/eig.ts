// Eigenvalues of a small dense real matrix (n ≤ a few hundred), in float64, plain arrays.
// tfjs has no eigensolver for non-symmetric matrices; the HiPPO page needs the spectra of
// LegT and FouT (LegS and LagT are triangular, their eigenvalues are the diagonal).
//
// Algorithm (Golub & Van Loan, "Matrix Computations", 4th ed., §7.4–7.5):
//   1. Householder reduction to upper Hessenberg form H = Qᵀ A Q (same eigenvalues).
//   2. Shifted QR iteration on H in complex arithmetic with the Wilkinson shift (the
//      eigenvalue of the trailing 2x2 block closer to its last entry), one Givens
//      rotation per sub-diagonal entry, deflating whenever a sub-diagonal entry becomes
//      negligible. An exceptional shift every 10 stalled iterations breaks cycles.
// Cost O(n³) overall; for n = 64 about a millisecond.
import {fail} from "../validate.js";

/**
 * Eigenvalues of a real 1x1 or 2x2 matrix in closed form: λ = τ/2 ± √(τ²/4 − δ) with
 * τ = trace, δ = det (a real pair when τ²/4 ≥ δ, else the conjugate pair τ/2 ± i√(δ − τ²/4)).
 * Real pairs come largest first.
 */
export function eig2(A: number[][]): {re: number[]; im: number[]} {
  checkSmallSquare("eig2", A);
  if (A.length === 1) return {re: [A[0][0]], im: [0]};
  const [[a, b], [c, d]] = A;
  const tr = a + d, det = a * d - b * c, disc = (tr * tr) / 4 - det;
  if (disc >= 0) { const s = Math.sqrt(disc); return {re: [tr / 2 + s, tr / 2 - s], im: [0, 0]}; }
  const w = Math.sqrt(-disc);
  return {re: [tr / 2, tr / 2], im: [w, -w]};
}

/**
 * The real eigen-directions of a real 2x2 matrix (unit vectors, with their eigenvalues):
 * none for a complex pair, one for a defective repeated eigenvalue, two otherwise.
 * (A − λI)v = 0 gives v = (b, λ − a) or (λ − d, c), whichever is not ~0.
 */
export function eigvecs2(A: number[][]): {values: number[]; vectors: [number, number][]} {
  checkSmallSquare("eigvecs2", A);
  if (A.length !== 2) fail("eigvecs2", `A must be 2x2, got ${A.length}x${A.length}`);
  const [[a, b], [c, d]] = A;
  const {re, im} = eig2(A);
  if (im[0] !== 0) return {values: [], vectors: []};
  const repeated = re[0] === re[1];
  const values: number[] = [], vectors: [number, number][] = [];
  for (const l of repeated ? [re[0]] : re) {
    let v: [number, number] = Math.abs(b) + Math.abs(l - a) > 1e-12 ? [b, l - a] : [l - d, c];
    if (Math.abs(v[0]) + Math.abs(v[1]) < 1e-12) v = vectors.length ? [0, 1] : [1, 0];
    const n = Math.hypot(v[0], v[1]);
    values.push(l);
    vectors.push([v[0] / n, v[1] / n]);
  }
  // A = λI: every direction is an eigenvector; draw the two axes.
  if (repeated && b === 0 && c === 0) { values.push(re[0]); vectors.push([0, 1]); }
  return {values, vectors};
}

function checkSmallSquare(fn: string, A: number[][]): void {
  if (!Array.isArray(A) || A.length < 1 || A.length > 2 || !A.every((r) => Array.isArray(r) && r.length === A.length)) {
    fail(fn, `A must be a 1x1 or 2x2 array of rows, got ${JSON.stringify(A)?.slice(0, 60)}`);
  }
  if (!A.flat().every(Number.isFinite)) fail(fn, `A must be finite, got ${JSON.stringify(A)?.slice(0, 60)}`);
}

/** Eigenvalues of A (n, n), as {re, im} (unordered; complex pairs of a real A come in conjugates). */
export function eigvalsF64(A: number[][]): {re: number[]; im: number[]} {
  const fn = "eigvalsF64";
  const n = A.length;
  if (!Array.isArray(A) || n === 0 || !A.every((r) => Array.isArray(r) && r.length === n)) fail(fn, "A must be a non-empty square array of rows (number[][])");
  A.forEach((row, i) => row.forEach((v, j) => {
    if (typeof v !== "number" || !Number.isFinite(v)) fail(fn, `A must be finite, but entry [${i}][${j}] is ${String(v)}`);
  }));
  // 0. Balancing (Parlett & Reinsch 1969, as LAPACK's gebal): a diagonal similarity by
  // powers of 2 that evens out row and column norms. HiPPO matrices need it: LegT's rows
  // grow like 2n+1, and without it the QR iteration loses digits at N = 64.
  const H = A.map((r) => r.slice());
  for (let done = false, sweeps = 0; !done && sweeps < 100; sweeps++) {
    done = true;
    for (let i = 0; i < n; i++) {
      let c = 0, r = 0;
      for (let j = 0; j < n; j++) if (j !== i) { c += Math.abs(H[j][i]); r += Math.abs(H[i][j]); }
      if (c === 0 || r === 0) continue;
      let f = 1;
      const s = c + r;
      while (c < r / 2) { c *= 4; r /= 4; f *= 2; }
      while (c >= r * 2) { c /= 4; r *= 4; f /= 2; }
      if ((c + r) / f < 0.95 * s) {
        done = false;
        for (let j = 0; j < n; j++) H[i][j] /= f;
        for (let j = 0; j < n; j++) H[j][i] *= f;
      }
    }
  }
  // 1. Hessenberg reduction (real).
  for (let k = 0; k < n - 2; k++) {
    let alpha = 0;
    for (let i = k + 1; i < n; i++) alpha += H[i][k] * H[i][k];
    alpha = Math.sqrt(alpha);
    if (alpha === 0) continue;
    if (H[k + 1][k] > 0) alpha = -alpha;
    const v = new Array<number>(n).fill(0);
    v[k + 1] = H[k + 1][k] - alpha;
    for (let i = k + 2; i < n; i++) v[i] = H[i][k];
    let vv = 0;
    for (let i = k + 1; i < n; i++) vv += v[i] * v[i];
    if (vv === 0) continue;
    // H ← (I − 2vvᵀ/vᵀv) H (I − 2vvᵀ/vᵀv)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = k + 1; i < n; i++) s += v[i] * H[i][j];
      s = (2 * s) / vv;
      for (let i = k + 1; i < n; i++) H[i][j] -= s * v[i];
    }
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = k + 1; j < n; j++) s += H[i][j] * v[j];
      s = (2 * s) / vv;
      for (let j = k + 1; j < n; j++) H[i][j] -= s * v[j];
    }
    for (let i = k + 2; i < n; i++) H[i][k] = 0;
  }
  // 2. Complex shifted QR on the Hessenberg matrix.

  const hr = Float64Array.from(H.flat()); // (n, n) row-major, real part
  const hi = new Float64Array(n * n); // imaginary part
  const re: number[] = new Array(n).fill(0), im: number[] = new Array(n).fill(0);
  const eps = 2.220446049250313e-16;
  let top = n - 1, iter = 0, total = 0;
  while (top >= 0) {
    if (top === 0) { re[0] = hr[(0) * n + (0)]; im[0] = hi[(0) * n + (0)]; break; }
    // Find the start l of the unreduced block ending at `top`.
    let l = top;
    while (l > 0) {
      const s = abs2(hr[(l) * n + (l)], hi[(l) * n + (l)]) + abs2(hr[(l - 1) * n + (l - 1)], hi[(l - 1) * n + (l - 1)]);
      if (abs2(hr[(l) * n + (l - 1)], hi[(l) * n + (l - 1)]) <= eps * (s || 1)) { hr[(l) * n + (l - 1)] = 0; hi[(l) * n + (l - 1)] = 0; break; }
      l--;
    }
    if (l === top) { re[top] = hr[(top) * n + (top)]; im[top] = hi[(top) * n + (top)]; top--; iter = 0; continue; }
    if (++total > 100 * n) fail(fn, `QR iteration did not converge (n = ${n})`);
    iter++;
    // Wilkinson shift from the trailing 2x2 block [[a, b], [c, d]].
    const ar = hr[(top - 1) * n + top - 1], ai = hi[(top - 1) * n + top - 1], br = hr[(top - 1) * n + top], bi = hi[(top - 1) * n + top];
    const cr = hr[top * n + top - 1], ci = hi[top * n + top - 1], dr = hr[top * n + top], di = hi[top * n + top];
    let mr: number, mi: number;
    if (iter % 11 === 10) {
      // exceptional shift
      mr = dr + 0.75 * Math.abs(cr); mi = di;
    } else {
      const tr = (ar - dr) / 2, ti = (ai - di) / 2; // (a − d)/2
      // disc = sqrt(t² + b c)
      const qr = tr * tr - ti * ti + (br * cr - bi * ci), qi = 2 * tr * ti + (br * ci + bi * cr);
      const mod = abs2(qr, qi);
      let sr = Math.sqrt((mod + qr) / 2), si = Math.sqrt(Math.max(0, (mod - qr) / 2));
      if (qi < 0) si = -si;
      // choose the sign making |t + s| larger; μ = d − b c / (t + s)
      if (tr * sr + ti * si < 0) { sr = -sr; si = -si; }
      const den_r = tr + sr, den_i = ti + si;
      const dd = den_r * den_r + den_i * den_i;
      if (dd === 0) { mr = dr; mi = di; } else {
        const bcr = br * cr - bi * ci, bci = br * ci + bi * cr;
        mr = dr - (bcr * den_r + bci * den_i) / dd;
        mi = di - (bci * den_r - bcr * den_i) / dd;
      }
    }
    for (let i = l; i <= top; i++) { hr[(i) * n + (i)] -= mr; hi[(i) * n + (i)] -= mi; }
    // QR by Givens: G_k acting on rows k, k+1 zeroes H[k+1][k].
    const rot = new Float64Array(3 * n); // per k: c (real), s = (sr, si)
    for (let k = l; k < top; k++) {
      const xr = hr[(k) * n + (k)], xi = hi[(k) * n + (k)], yr = hr[(k + 1) * n + (k)], yi = hi[(k + 1) * n + (k)];
      const nx = abs2(xr, xi), ny = abs2(yr, yi);
      const r = abs2(nx, ny);
      let c: number, sr: number, si: number;
      if (r === 0) { c = 1; sr = 0; si = 0; } else if (nx === 0) { c = 0; sr = yr / ny; si = -yi / ny; } else {
        // G = [[c, s], [−conj(s), c]] with c = |x|/r, s = (x/|x|) conj(y) / r
        c = nx / r;
        const ur = xr / nx, ui = xi / nx;
        sr = (ur * yr + ui * yi) / r; si = (ui * yr - ur * yi) / r;
      }
      rot[3 * (k - l)] = c; rot[3 * (k - l) + 1] = sr; rot[3 * (k - l) + 2] = si;
      for (let j = k; j <= top; j++) {
        const pr = hr[(k) * n + (j)], pi = hi[(k) * n + (j)], qr = hr[(k + 1) * n + (j)], qi = hi[(k + 1) * n + (j)];
        // row k ← c p + s q ; row k+1 ← −conj(s) p + c q
        hr[(k) * n + (j)] = c * pr + (sr * qr - si * qi); hi[(k) * n + (j)] = c * pi + (sr * qi + si * qr);
        hr[(k + 1) * n + (j)] = -(sr * pr + si * pi) + c * qr; hi[(k + 1) * n + (j)] = -(sr * pi - si * pr) + c * qi;
      }
    }
    // RQ: multiply by G_kᴴ on the right (columns k, k+1).
    for (let k = l; k < top; k++) {
      const c = rot[3 * (k - l)], sr = rot[3 * (k - l) + 1], si = rot[3 * (k - l) + 2];
      for (let i = l; i <= Math.min(k + 2, top); i++) {
        const pr = hr[(i) * n + (k)], pi = hi[(i) * n + (k)], qr = hr[(i) * n + (k + 1)], qi = hi[(i) * n + (k + 1)];
        // col k ← c p + conj(s) q ; col k+1 ← −s p + c q
        hr[(i) * n + (k)] = c * pr + (sr * qr + si * qi); hi[(i) * n + (k)] = c * pi + (sr * qi - si * qr);
        hr[(i) * n + (k + 1)] = -(sr * pr - si * pi) + c * qr; hi[(i) * n + (k + 1)] = -(sr * pi + si * pr) + c * qi;
      }
    }
    for (let i = l; i <= top; i++) { hr[(i) * n + (i)] += mr; hi[(i) * n + (i)] += mi; }
  }
  return {re, im};
}

/** √(a² + b²) (Math.hypot is exact but slow; values here are far from overflow). */
function abs2(a: number, b: number): number {
  return Math.sqrt(a * a + b * b);
}
