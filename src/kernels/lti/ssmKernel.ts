// The SSM convolution kernel K̄ = (C B̄, C Ā B̄, …, C Ā^(L−1) B̄) (S4, eq. 5).
//
// Powers by doubling: V = [B̄] (n, 1) and P = Ā; repeat V ← [V, P V], P ← P P until V has
// ≥ L columns, so V = [B̄, Ā B̄, …, Ā^(m−1) B̄] after ⌈log₂ L⌉ rounds of two matmuls each;
// the last round stops at L columns; K̄ = C V. Work O(n² L), depth O(log L): no L-step loop of tiny ops.
import * as tf from "@tensorflow/tfjs";
import {assertFinite, assertInteger, assertRank, assertShape, fail, shapeString, toTensor, type TensorLike} from "../validate.js";

/** Validates (Ā, B̄, C) of an SSM with a single input and output; returns the tensors. */
export function checkSystem(fn: string, Ab: TensorLike, Bb: TensorLike, C: TensorLike | null): {Ab: tf.Tensor2D; Bb: tf.Tensor2D; C: tf.Tensor2D | null; n: number} {
  const A = toTensor(Ab, fn, "Ab");
  assertRank(A, 2, fn, "Ab", "(n, n)");
  const n = A.shape[0];
  if (A.shape[1] !== n) fail(fn, `Ab must be square (n, n), but got shape ${shapeString(A.shape)}`);
  const B = toTensor(Bb, fn, "Bb");
  assertShape(B, [n, 1], fn, "Bb", "(n, 1)");
  assertFinite(A, fn, "Ab");
  assertFinite(B, fn, "Bb");
  let Ct: tf.Tensor | null = null;
  if (C !== null) {
    Ct = toTensor(C, fn, "C");
    assertShape(Ct, [1, n], fn, "C", "(1, n)");
    assertFinite(Ct, fn, "C");
  }
  return {Ab: A as tf.Tensor2D, Bb: B as tf.Tensor2D, C: Ct as tf.Tensor2D | null, n};
}

/**
 * SSM convolution kernel  K̄ₖ = C Āᵏ B̄,  k = 0 … L−1.
 *
 * Ab (n, n), Bb (n, 1), C (1, n), L (integer ≥ 1) → K (L), float32.
 */
export function ssmKernel(Ab: TensorLike, Bb: TensorLike, C: TensorLike, L: number): tf.Tensor1D {
  const fn = "ssmKernel";
  return tf.tidy(() => {
    const s = checkSystem(fn, Ab, Bb, C);
    assertInteger(L, fn, "L", 1, 1 << 26);
    let V: tf.Tensor2D = s.Bb; // (n, m): [B̄, Ā B̄, …, Ā^(m−1) B̄], m = 1
    let P: tf.Tensor2D = s.Ab; // (n, n): Ā^m
    while (V.shape[1] < L) {
      const m = V.shape[1];
      const need = Math.min(m, L - m); // the last round only extends up to L columns
      const head = need === m ? V : tf.slice(V, [0, 0], [s.n, need]); // (n, need)
      V = tf.concat([V, tf.matMul(P, head)], 1) as tf.Tensor2D; // (n, m + need)
      if (V.shape[1] < L) P = tf.matMul(P, P); // Ā^(2m)
    }
    return tf.reshape(tf.matMul(s.C as tf.Tensor2D, V), [L]) as tf.Tensor1D; // (L)
  });
}
