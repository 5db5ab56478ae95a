// The recurrent ("RNN") view of a discrete SSM: x_k = Ā x_{k−1} + B̄ u_k, y_k = C x_k.
//
// Algorithm: the recurrence is a prefix scan of the affine steps x ↦ Ā x + B̄ u_k. Because Ā
// is the same at every step, a block of 2ˢ consecutive steps is x ↦ Ā^(2ˢ) x + S, so only
// the offsets S and the powers Ā^(2ˢ) need carrying. We run the odd-even (Blelloch-style)
// recursive scan on the columns of X (n, l), l padded with zeros to a power of two:
//   up-sweep, level s:   S_{s+1}[i] = S_s[2i+1] + Ā^(2ˢ) S_s[2i]        (block sums)
//   down-sweep, level s: X_s[2i+1] = X_{s+1}[i],
//                        X_s[2i]   = S_s[2i] + Ā^(2ˢ) X_{s+1}[i−1]     (X_{s+1}[−1] = 0)
// X_0 holds every state x_k. Each level is one matmul (n, n)(n, l/2ˢ⁺¹) plus reshapes, so
// the work is O(n² l) and the depth O(log l): about 2 log₂ l tf ops, never l of them.
import * as tf from "@tensorflow/tfjs";
import {checkSystem} from "./ssmKernel.js";
import {assertFinite, assertRank, fail, shapeString, toTensor, type TensorLike} from "./validate.js";

function checkInput(fn: string, u: TensorLike): tf.Tensor1D {
  const ut = toTensor(u, fn, "u");
  assertRank(ut, 1, fn, "u", "(l)");
  if (ut.shape[0] < 1) fail(fn, `u must have length l ≥ 1, but got shape ${shapeString(ut.shape)}`);
  assertFinite(ut, fn, "u");
  return ut as tf.Tensor1D;
}

/** All states as columns: Ab (n, n), X (n, l) holding B̄ u_k (+ Ā x₋₁ in column 0) → (n, l). */
function scanColumns(Ab: tf.Tensor2D, X: tf.Tensor2D): tf.Tensor2D {
  const [n, l] = X.shape;
  let size = 1;
  while (size < l) size *= 2;
  let S: tf.Tensor2D = size > l ? tf.pad(X, [[0, 0], [0, size - l]]) : X; // (n, size)
  const evens: tf.Tensor2D[] = []; // S_s[2i], level by level
  const powers: tf.Tensor2D[] = []; // Ā^(2ˢ)
  let P = Ab;
  while (S.shape[1] > 1) {
    const half = S.shape[1] / 2;
    const pairs = tf.reshape(S, [n, half, 2]); // (n, half, 2)
    const even = tf.reshape(tf.slice(pairs, [0, 0, 0], [n, half, 1]), [n, half]) as tf.Tensor2D;
    const odd = tf.reshape(tf.slice(pairs, [0, 0, 1], [n, half, 1]), [n, half]) as tf.Tensor2D;
    evens.push(even);
    powers.push(P);
    S = tf.add(odd, tf.matMul(P, even)); // (n, half): S_{s+1}
    if (half > 1) P = tf.matMul(P, P);
  }
  let Xs: tf.Tensor2D = S; // (n, 1): the state after all `size` steps
  for (let s = evens.length - 1; s >= 0; s--) {
    const half = Xs.shape[1];
    const prev = half > 1 ? tf.pad(tf.slice(Xs, [0, 0], [n, half - 1]), [[0, 0], [1, 0]]) : tf.zerosLike(Xs); // X_{s+1}[i−1]
    const even = tf.add(evens[s], tf.matMul(powers[s], prev)); // (n, half): X_s[2i]
    Xs = tf.reshape(tf.stack([even, Xs], 2), [n, 2 * half]) as tf.Tensor2D; // (n, 2·half)
  }
  return (size > l ? tf.slice(Xs, [0, 0], [n, l]) : Xs) as tf.Tensor2D; // (n, l)
}

/**
 * Every state of the discrete SSM  x_k = Ā x_{k−1} + B̄ u_k,  k = 0 … l−1,  with
 * x_{−1} = x0 (default 0). So x_k = Ā^(k+1) x0 + Σ_{j≤k} Ā^(k−j) B̄ u_j: with u = 0 the
 * rows are Ā x0, Ā² x0, …, i.e. the state one step after x0 comes first. To plot a
 * trajectory that starts at x0, prepend x0 yourself.
 *
 * Ab (n, n), Bb (n, 1), u (l), x0 (n) or (n, 1) → (l, n), float32.
 */
export function ssmStates(Ab: TensorLike, Bb: TensorLike, u: TensorLike, x0?: TensorLike): tf.Tensor2D {
  const fn = "ssmStates";
  return tf.tidy(() => {
    const s = checkSystem(fn, Ab, Bb, null);
    const ut = checkInput(fn, u); // (l)
    const l = ut.shape[0];
    let X = tf.matMul(s.Bb, tf.reshape(ut, [1, l])) as tf.Tensor2D; // (n, l): B̄ u_k
    if (x0 !== undefined) {
      const x = toTensor(x0, fn, "x0");
      const ok = (x.rank === 1 && x.shape[0] === s.n) || (x.rank === 2 && x.shape[0] === s.n && x.shape[1] === 1);
      if (!ok) fail(fn, `x0 must have shape (n) or (n, 1) with n = ${s.n}, but got ${shapeString(x.shape)}`);
      assertFinite(x, fn, "x0");
      const Ax0 = tf.matMul(s.Ab, tf.reshape(x, [s.n, 1])); // (n, 1)
      X = tf.add(X, tf.pad(Ax0, [[0, 0], [0, l - 1]])); // column 0 += Ā x0
    }
    return tf.transpose(scanColumns(s.Ab, X)); // (l, n)
  });
}

/**
 * Output of the discrete SSM by its recurrence:
 *   x_k = Ā x_{k−1} + B̄ u_k,  y_k = C x_k,  x_{−1} = 0.
 *
 * Ab (n, n), Bb (n, 1), C (1, n), u (l) → y (l), float32. Equal (up to rounding) to
 * causalConv(u, ssmKernel(Ab, Bb, C, l)).
 */
export function ssmRecurrent(Ab: TensorLike, Bb: TensorLike, C: TensorLike, u: TensorLike): tf.Tensor1D {
  const fn = "ssmRecurrent";
  return tf.tidy(() => {
    const s = checkSystem(fn, Ab, Bb, C);
    const ut = checkInput(fn, u); // (l)
    const l = ut.shape[0];
    const X = tf.matMul(s.Bb, tf.reshape(ut, [1, l])) as tf.Tensor2D; // (n, l): B̄ u_k
    return tf.reshape(tf.matMul(s.C as tf.Tensor2D, scanColumns(s.Ab, X)), [l]) as tf.Tensor1D; // (l)
  });
}
