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
import {discretize, eig2, ssmStates} from "../kernels/index.js";

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
export function continuousResponse(
  A: number[][], B: number[][], C: number[][], D: number, x0: number[], u: Float32Array, h: number
): Response {
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
  const x = X.dataSync() as Float32Array;
  const AbData = Ab.dataSync() as Float32Array;
  const BbData = Bb.dataSync() as Float32Array;
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
