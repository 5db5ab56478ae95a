// Continuous-time HiPPO matrices (A, B) with x'(t) = A x(t) + B u(t), signs included.
//
// References, one per measure (n, k are 0-based row and column):
//   legs  Gu, Dao, Ermon, Rudra, Ré, "HiPPO: Recurrent Memory with Optimal Polynomial
//         Projections" (NeurIPS 2020), Theorem 2 (scaled Legendre):
//           Aₙₖ = −√(2n+1)√(2k+1) (n > k),  −(n+1) (n = k),  0 (n < k);  Bₙ = √(2n+1).
//         (The LegS ODE is x' = (1/t)(A x + B u); this A is the t-free part.)
//   legt  Voelker, Kajić, Eliasmith, "Legendre Memory Units" (NeurIPS 2019), eq. (2), the
//         LMU form with window θ (default θ = 1):
//           Aᵢⱼ = (2i+1)/θ · (−1 if i < j, else (−1)^(i−j+1));  Bᵢ = (2i+1)(−1)ⁱ / θ.
//         This is `transition("lmu", N)` in state-spaces/s4 src/models/hippo/hippo.py.
//   lagt  HiPPO paper, Appendix D.2 (translated Laguerre), as `transition("lagt", N)` in
//         state-spaces/s4 src/models/hippo/hippo.py (β = 1): A = I/2 − (lower-triangular
//         ones incl. diagonal), i.e. Aₙₖ = −1 (n > k), −1/2 (n = k), 0 above; Bₙ = 1.
//   fout  translated Fourier, as `transition("fout", N)` in the same file (S4 repository,
//         used by "How to Train Your HiPPO", Gu et al. 2022): state order
//         (c₀, s₀, c₁, s₁, …) with s₀ ≡ 0; pair k (indices 2k, 2k+1) coupled by ±πk;
//         minus the rank-one term B Bᵀ (the value u(t − 2) leaving the window [t − 2, t],
//         read from the state; legendre.ts derives it and reads the history back):
//           A = π(−diag(d, +1) + diag(d, −1)) − B Bᵀ,  d = (0, 0, 1, 0, 2, 0, …, N/2−1),
//           B = (1, 0, √2, 0, √2, 0, …).
//         Defined for even N only (the reference builds N/2 cos/sin pairs and fails on odd N).
import * as tf from "@tensorflow/tfjs";
import {assertInteger, assertPositiveNumber, fail} from "../validate.js";

export type Measure = "legs" | "legt" | "lagt" | "fout";
export const MEASURES: readonly Measure[] = ["legs", "legt", "lagt", "fout"];

/** Plain float64 HiPPO matrices: A (N, N) and B (N, 1) as nested arrays. */
export function hippoArrays(measure: Measure, N: number, {theta = 1}: {theta?: number} = {}): {A: number[][]; B: number[][]} {
  if (!MEASURES.includes(measure)) {
    fail("hippo", `measure must be one of ${MEASURES.map((m) => `"${m}"`).join(", ")}, got ${JSON.stringify(measure)}`);
  }
  assertInteger(N, "hippo", "N", 1, 4096);
  assertPositiveNumber(theta, "hippo", "theta");
  if (measure === "fout" && N % 2 !== 0) fail("hippo", `N must be even for "fout" (cos/sin pairs), got ${N}`);
  const A = Array.from({length: N}, () => new Array<number>(N).fill(0));
  const B = Array.from({length: N}, () => [0]);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < N; k++) {
      if (measure === "legs") {
        A[n][k] = n > k ? -Math.sqrt(2 * n + 1) * Math.sqrt(2 * k + 1) : n === k ? -(n + 1) : 0;
      } else if (measure === "legt") {
        A[n][k] = ((2 * n + 1) / theta) * (n < k ? -1 : (n - k + 1) % 2 === 0 ? 1 : -1);
      } else if (measure === "lagt") {
        A[n][k] = n > k ? -1 : n === k ? -0.5 : 0;
      }
    }
    if (measure === "legs") B[n][0] = Math.sqrt(2 * n + 1);
    else if (measure === "legt") B[n][0] = ((2 * n + 1) * (n % 2 === 0 ? 1 : -1)) / theta;
    else if (measure === "lagt") B[n][0] = 1;
    else B[n][0] = n === 0 ? 1 : n % 2 === 0 ? Math.SQRT2 : 0;
  }
  if (measure === "fout") {
    // d has N−1 entries: d[i] = i/2 for even i, 0 for odd i (the s4 code's stack/reshape).
    for (let i = 0; i < N - 1; i++) {
      const d = i % 2 === 0 ? i / 2 : 0;
      A[i][i + 1] = -Math.PI * d;
      A[i + 1][i] = Math.PI * d;
    }
    for (let n = 0; n < N; n++) for (let k = 0; k < N; k++) A[n][k] -= B[n][0] * B[k][0];
  }
  return {A, B};
}

/**
 * HiPPO transition matrices for `measure` ∈ "legs" | "legt" | "lagt" | "fout" (see the
 * header for the formula and reference of each).
 *
 * N (state size, integer ≥ 1; even for "fout") → {A (N, N), B (N, 1)}, float32. `theta`
 * (window length, LegT only, default 1) divides A and B as in the LMU.
 */
export function hippo(measure: Measure, N: number, options: {theta?: number} = {}): {A: tf.Tensor2D; B: tf.Tensor2D} {
  const {A, B} = hippoArrays(measure, N, options);
  return tf.tidy(() => ({
    A: tf.tensor2d(A, [N, N], "float32"), // (N, N)
    B: tf.tensor2d(B, [N, 1], "float32") // (N, 1)
  }));
}

/** Legendre polynomials P₀(x) … P_{N−1}(x) by the three-term recurrence. */
function legendre(N: number, x: number): number[] {
  const P = [1, x];
  for (let n = 1; n < N - 1; n++) P.push(((2 * n + 1) * x * P[n] - n * P[n - 1]) / (n + 1));
  return P.slice(0, N);
}

/**
 * The history encoded by a HiPPO state x (N), evaluated at window positions r ∈ [0, 1]
 * (0 = oldest end of the window, 1 = now). Plain numbers in and out.
 *   legs: u(r·t) ≈ Σₙ xₙ √(2n+1) Pₙ(2r − 1)           (window [0, t], HiPPO Thm 2)
 *   legt: u(t − (1 − r)θ) ≈ Σₙ xₙ Pₙ(1 − 2r)            (window [t − θ, t], LMU eq. 3)
 */
export function legendreReconstruct(measure: "legs" | "legt", x: ArrayLike<number>, r: ArrayLike<number>): number[] {
  if (measure !== "legs" && measure !== "legt") fail("legendreReconstruct", `measure must be "legs" or "legt", got ${JSON.stringify(measure)}`);
  const N = x.length;
  const out: number[] = [];
  for (let i = 0; i < r.length; i++) {
    const P = legendre(N, measure === "legs" ? 2 * r[i] - 1 : 1 - 2 * r[i]);
    let s = 0;
    for (let n = 0; n < N; n++) s += x[n] * P[n] * (measure === "legs" ? Math.sqrt(2 * n + 1) : 1);
    out.push(s);
  }
  return out;
}
