// Causal convolution of many channels at once, y_{c,t} = Σ_{j≤t} K_{c,j} u_{c,t−j}: the
// convolutional view shared by the LTI members of the family (Mega's EMA, H3's two SSMs, the
// DSS kernel inside GSS). Each channel has its own kernel.
//
// Two algorithms, chosen by size:
//   direct  the Toeplitz matrices T_c (l, l), T_c[t, j] = K_{c,t−j} (0 for j > t), gathered at
//           once and applied by one batched matmul (r, l, l)(r, l, 1): O(r·l²) work and memory,
//           two dispatches; used while r·l² ≤ DIRECT_MAX_ENTRIES.
//   fft     the site's FFT convolution (../linalg/fft.ts, convolveReal: both inputs packed in one
//           complex transform of size N ≥ 2l, batched over the r channels): O(r·l log l).
import * as tf from "@tensorflow/tfjs";
import {convolveReal} from "../linalg/fft.js";

/** Largest r·l² for which the direct (Toeplitz) form is used (4M floats = 16 MB). */
export const DIRECT_MAX_ENTRIES = 1 << 22;

const toeplitzIndex = new Map<number, Int32Array>();
/** Gather indices (l·l) into K padded with one zero at index l: T[t, j] = K[t − j] or the zero. */
function toeplitzIdx(l: number): Int32Array {
  let idx = toeplitzIndex.get(l);
  if (!idx) {
    idx = new Int32Array(l * l);
    for (let t = 0; t < l; t++) for (let j = 0; j < l; j++) idx[t * l + j] = j <= t ? t - j : l;
    if (toeplitzIndex.size > 32) toeplitzIndex.clear();
    toeplitzIndex.set(l, idx);
  }
  return idx;
}

/**
 * Causal convolution per row on validated float32 tensors: u, K (r, l) → y (r, l),
 * y[c, t] = Σ_{j≤t} K[c, j] u[c, t−j]. Call inside tf.tidy.
 */
export function causalConvRows(u: tf.Tensor2D, K: tf.Tensor2D, {algorithm = "auto"}: {algorithm?: "auto" | "direct" | "fft"} = {}): tf.Tensor2D {
  const [r, l] = u.shape;
  const direct = algorithm === "direct" || (algorithm === "auto" && r * l * l <= DIRECT_MAX_ENTRIES);
  if (!direct) return convolveReal(u, K, l);
  const Kz = tf.pad(K, [[0, 0], [0, 1]]); // (r, l + 1): a zero at index l
  const T = tf.reshape(tf.gather(Kz, tf.tensor1d(toeplitzIdx(l), "int32"), 1), [r, l, l]); // (r, l, l)
  return tf.reshape(tf.matMul(T, tf.reshape(u, [r, l, 1])), [r, l]) as tf.Tensor2D; // (r, l)
}
