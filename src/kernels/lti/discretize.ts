// Discretization of x'(t) = A x(t) + B u(t) with step Δ into x_k = Ā x_{k−1} + B̄ u_k.
//
//   zoh             Ā = exp(ΔA),  B̄ = ∫₀^Δ exp(sA) ds · B = (ΔA)⁻¹(exp(ΔA) − I) ΔB,
//                   computed without inverting A from the augmented exponential
//                   exp(Δ [[A, B], [0, 0]]) = [[Ā, B̄], [0, I]]  (Van Loan 1978).
//   bilinear        Ā = (I − ΔA/2)⁻¹ (I + ΔA/2),  B̄ = (I − ΔA/2)⁻¹ ΔB   (Tustin, S4).
//   euler           Ā = I + ΔA,  B̄ = ΔB                                  (forward Euler).
//   backward-euler  Ā = (I − ΔA)⁻¹,  B̄ = (I − ΔA)⁻¹ ΔB.
//   mamba           Ā = exp(ΔA),  B̄ = ΔB   (ZOH for A, Euler for B, as in Mamba's code).
// ZOH and mamba never solve a linear system. Backward Euler and bilinear do, and they really
// are singular where Δλ = 1 (backward Euler) or Δλ = 2 (bilinear) for an eigenvalue λ of A:
// the pole of z = 1/(1 − s) or z = (1 + s/2)/(1 − s/2) sits on s = Δλ. They then throw
// "fn: matrix is singular to working precision: …" naming the method and Δ.
import * as tf from "@tensorflow/tfjs";
import {eyeF64, expmF64, solveF64, toF64} from "../linalg/expm.js";
import {assertFinite, assertPositiveNumber, assertRank, fail, shapeString, toTensor, type TensorLike} from "../validate.js";

export type Method = "zoh" | "bilinear" | "euler" | "backward-euler" | "mamba";
export const METHODS: readonly Method[] = ["zoh", "bilinear", "euler", "backward-euler", "mamba"];

function checkMethod(method: unknown, fn: string): Method {
  if (!METHODS.includes(method as Method)) {
    fail(fn, `method must be one of ${METHODS.map((m) => `"${m}"`).join(", ")}, got ${JSON.stringify(method)}`);
  }
  return method as Method;
}

/** Solves M X = R (solveF64); a singular M throws with the method, the matrix and the Δλ at which it fails. */
function solveFor(M: Float64Array, R: Float64Array, n: number, m: number, fn: string, method: Method, delta: number): Float64Array {
  try {
    return solveF64(M, R, n, m, fn);
  } catch (e) {
    if (!/singular/.test((e as Error).message)) throw e;
    const [what, s] = method === "bilinear" ? ["I − ΔA/2", 2] : ["I − ΔA", 1];
    return fail(fn, `matrix is singular to working precision: method "${method}" needs ${what} invertible, which fails where Δλ = ${s} for an eigenvalue λ of A (delta = ${delta})`);
  }
}

/**
 * The float64 core: A (n, n) and B (n, m) row-major → Ā (n, n), B̄ (n, m) row-major.
 * Arguments are assumed validated; `fn` names the caller in the singular-matrix message.
 */
export function discretizeCore(A: Float64Array, B: Float64Array, n: number, m: number, delta: number, method: Method, fn = "discretize"): {Ab: Float64Array; Bb: Float64Array} {
  const I = eyeF64(n);
  const dA = A.map((a) => a * delta); // (n, n)
  const dB = B.map((b) => b * delta); // (n, m)
  switch (method) {
    case "zoh": {
      const s = n + m;
      const M = new Float64Array(s * s); // Δ [[A, B], [0, 0]]  (n+m, n+m)
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) M[i * s + j] = dA[i * n + j];
        for (let j = 0; j < m; j++) M[i * s + n + j] = dB[i * m + j];
      }
      const E = expmF64(M, s);
      const Ab = new Float64Array(n * n);
      const Bb = new Float64Array(n * m);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) Ab[i * n + j] = E[i * s + j];
        for (let j = 0; j < m; j++) Bb[i * m + j] = E[i * s + n + j];
      }
      return {Ab, Bb};
    }
    case "mamba":
      return {Ab: expmF64(dA, n), Bb: dB};
    case "euler":
      return {Ab: I.map((v, i) => v + dA[i]), Bb: dB};
    case "backward-euler": {
      const M = I.map((v, i) => v - dA[i]); // I − ΔA
      return {Ab: solveFor(M, I, n, n, fn, method, delta), Bb: solveFor(M, dB, n, m, fn, method, delta)};
    }
    case "bilinear": {
      const M = I.map((v, i) => v - dA[i] / 2); // I − ΔA/2
      const P = I.map((v, i) => v + dA[i] / 2); // I + ΔA/2
      return {Ab: solveFor(M, P, n, n, fn, method, delta), Bb: solveFor(M, dB, n, m, fn, method, delta)};
    }
  }
}

function checkMatrix(X: unknown, fn: string, arg: string): number[][] {
  if (!Array.isArray(X) || X.length === 0 || !X.every((r) => Array.isArray(r) && r.length === (X[0] as unknown[]).length && r.length > 0)) {
    fail(fn, `${arg} must be a non-empty rectangular array of rows (number[][])`);
  }
  (X as number[][]).forEach((row, i) => row.forEach((v, j) => {
    if (typeof v !== "number" || !Number.isFinite(v)) fail(fn, `${arg} must be finite, but entry [${i}][${j}] is ${String(v)}`);
  }));
  return X as number[][];
}

/**
 * Float64 discretization on plain arrays, for slider-rate use on small systems (e.g. 2x2).
 * A (n, n), B (n, m) as number[][] → {Ab (n, n), Bb (n, m)} as number[][]. Same formulas
 * and validation as `discretize`.
 */
export function discretizeF64(A: number[][], B: number[][], delta: number, method: Method = "zoh"): {Ab: number[][]; Bb: number[][]} {
  const fn = "discretizeF64";
  checkMatrix(A, fn, "A");
  checkMatrix(B, fn, "B");
  const n = A.length;
  if (A[0].length !== n) fail(fn, `A must be square (n, n), but got shape (${n},${A[0].length})`);
  if (B.length !== n) fail(fn, `B must have shape (n, m) with n = ${n} rows like A, but got (${B.length},${B[0].length})`);
  const m = B[0].length as number;
  assertPositiveNumber(delta, fn, "delta");
  checkMethod(method, fn);
  const {Ab, Bb} = discretizeCore(Float64Array.from(A.flat()), Float64Array.from(B.flat()), n, m, delta, method, fn);
  const rows = (X: Float64Array, c: number) => Array.from({length: X.length / c}, (_, i) => Array.from(X.subarray(i * c, (i + 1) * c)));
  return {Ab: rows(Ab, n), Bb: rows(Bb, m)};
}

/**
 * Discretizes x' = A x + B u with step Δ = `delta` by `method` (see the header for each
 * method's formula).
 *
 * A (n, n), B (n, m), delta > 0 → {Ab (n, n), Bb (n, m)}, float32 (computed in float64).
 */
export function discretize(A: TensorLike, B: TensorLike, delta: number, method: Method = "zoh"): {Ab: tf.Tensor2D; Bb: tf.Tensor2D} {
  const fn = "discretize";
  return tf.tidy(() => {
    const At = toTensor(A, fn, "A"); // (n, n)
    const Bt = toTensor(B, fn, "B"); // (n, m)
    assertRank(At, 2, fn, "A", "(n, n)");
    assertRank(Bt, 2, fn, "B", "(n, m)");
    const [n, n2] = At.shape;
    if (n !== n2) fail(fn, `A must be square (n, n), but got shape ${shapeString(At.shape)}`);
    if (Bt.shape[0] !== n) fail(fn, `B must have shape (n, m) with n = ${n} rows like A, but got ${shapeString(Bt.shape)}`);
    const m = Bt.shape[1] as number; // rank checked above
    assertPositiveNumber(delta, fn, "delta");
    checkMethod(method, fn);
    assertFinite(At, fn, "A");
    assertFinite(Bt, fn, "B");
    const {Ab, Bb} = discretizeCore(toF64(At), toF64(Bt), n, m, delta, method, fn);
    return {
      Ab: tf.tensor2d(Float32Array.from(Ab), [n, n], "float32"), // (n, n)
      Bb: tf.tensor2d(Float32Array.from(Bb), [n, m], "float32") // (n, m)
    };
  });
}
