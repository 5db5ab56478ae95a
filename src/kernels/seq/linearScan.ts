// The first-order linear recurrence h_t = a_t ⊙ h_{t−1} + b_t, solved by a parallel scan.
//
// Glossary: l = length (axis 0); "…" = any trailing shape, scanned independently per entry.
// The pairs (a_t, b_t) are affine maps h ↦ a_t h + b_t; composing "first (a1,b1), then
// (a2,b2)" gives (a1,b1) ∘ (a2,b2) = (a1 a2, a2 b1 + b2), an associative operation, so the
// prefix compositions can be formed in ceil(log2 l) levels (Hillis-Steele, 1986): at level
// k every position t ≥ 2^k absorbs the composite ending at t − 2^k. With h_{−1} = 0 the
// b-part of the prefix composite ending at t is h_t.
import * as tf from "@tensorflow/tfjs";
import {assertValues, fail, shapeString, toTensor, type TensorLike} from "../validate.js";

/**
 * h_t = a_t ⊙ h_{t−1} + b_t along axis 0, h_{−1} = 0, by a log-depth (Hillis-Steele) scan.
 *
 * a, b: (l, …) same shape → h: (l, …). Runs ceil(log2 l) levels of shift-and-combine,
 * each a handful of element-wise tfjs ops (slice/pad/mul/add), so the work is O(l log l)
 * but the depth is O(log l): on a GPU every level is one wide pass instead of l tiny ones.
 */
export function linearScan(a: TensorLike, b: TensorLike): tf.Tensor {
  const fn = "linearScan";
  return tf.tidy(() => {
    const at = toTensor(a, fn, "a");
    const bt = toTensor(b, fn, "b");
    checkScanArgs(at, bt, fn);
    return scanPairs(at, bt);
  });
}

/** Shape and value checks shared by linearScan and its variants. */
export function checkScanArgs(a: tf.Tensor, b: tf.Tensor, fn: string): void {
  if (a.rank < 1) fail(fn, `a must have rank ≥ 1 with time along axis 0, but got rank 0`);
  if (a.shape[0] < 1) fail(fn, `a must have at least one step along axis 0, but got shape ${shapeString(a.shape)}`);
  if (a.rank !== b.rank || a.shape.some((s, i) => s !== b.shape[i])) {
    fail(fn, `b must have the same shape as a = ${shapeString(a.shape)}, but got ${shapeString(b.shape)}`);
  }
  assertValues(fn, [[a, "a", "finite"], [b, "b", "finite"]]);
}

/**
 * The scan itself on validated float32 tensors (used by selectiveScan and linearAttention).
 * Each level's intermediates are freed as soon as the next level exists, so the peak memory
 * is a few copies of (l, …), not log2(l) of them.
 */
export function scanPairs(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const l = a.shape[0];
  const rest = a.shape.slice(1);
  const noPad = rest.map(() => [0, 0] as [number, number]);
  let A = a; // (l, …) product a_{t−s+1} ⋯ a_t of the composite ending at t
  let B = b; // (l, …) its offset: h_t once the composite reaches back to step 0
  for (let s = 1; s < l; s *= 2) {
    const [A2, B2] = tf.tidy(() => {
      const begin = rest.map(() => 0);
      const size = [l - s, ...rest];
      // Shift by s along axis 0: the composite ending at t − s; identity (1, 0) before 0.
      const Aprev = tf.pad(tf.slice(A, [0, ...begin], size), [[s, 0], ...noPad], 1); // (l, …)
      const Bprev = tf.pad(tf.slice(B, [0, ...begin], size), [[s, 0], ...noPad], 0); // (l, …)
      // (Aprev, Bprev) ∘ (A, B) = (Aprev A, A Bprev + B)
      return [tf.mul(Aprev, A), tf.add(tf.mul(A, Bprev), B)];
    });
    if (A !== a) A.dispose();
    if (B !== b) B.dispose();
    A = A2;
    B = B2;
  }
  if (A !== a) A.dispose();
  return B === b ? tf.clone(b) : B;
}

