// Mamba's selective scan (S6), as `selective_scan` in johnma2006/mamba-minimal (model.py)
// and Algorithm 2 of Gu & Dao (2023), computed with the parallel linearScan.
//
// Glossary: b batch, l length, d channels (d_in), n state size per channel;
// u input, delta Δ (step size, already positive: softplus is the caller's business),
// A (d, n) diagonal continuous-time state matrix (one row of n entries per channel),
// B, C (b, l, n) input-dependent input and output maps, D (d) skip connection.
import * as tf from "@tensorflow/tfjs";
import {assertShape, assertRank, assertValues, toTensor, type TensorLike} from "./validate.js";
import {scanPairs} from "./linearScan.js";

/**
 * Selective scan: for every batch b, channel d and state entry n,
 *
 *   Ā_t = exp(Δ_t A)            (b, l, d, n)   ZOH for A
 *   B̄_t u_t = Δ_t B_t u_t        (b, l, d, n)   Euler for B (Mamba's mix)
 *   h_t = Ā_t ⊙ h_{t−1} + B̄_t u_t,  h_{−1} = 0
 *   y_t = C_t · h_t + D u_t      (b, l, d)
 *
 * u, delta (b, l, d); A (d, n); B, C (b, l, n); D (d), optional → y (b, l, d).
 * The recurrence runs as one linearScan along l over all b·d·n independent entries
 * (ceil(log2 l) levels), so the memory is a few copies of (b, l, d, n).
 */
export function selectiveScan(
  u: TensorLike, delta: TensorLike, A: TensorLike, B: TensorLike, C: TensorLike, D?: TensorLike
): tf.Tensor {
  const fn = "selectiveScan";
  return tf.tidy(() => {
    const ut = toTensor(u, fn, "u");
    assertRank(ut, 3, fn, "u", "(b,l,d)");
    const [nb, l, d] = ut.shape as number[];
    const deltat = toTensor(delta, fn, "delta");
    assertShape(deltat, [nb, l, d], fn, "delta", "(b,l,d)");
    const At = toTensor(A, fn, "A");
    assertRank(At, 2, fn, "A", "(d,n)");
    assertShape(At, [d, null], fn, "A", "(d,n)");
    const n = At.shape[1] as number;
    const Bt = toTensor(B, fn, "B");
    assertShape(Bt, [nb, l, n], fn, "B", "(b,l,n)");
    const Ct = toTensor(C, fn, "C");
    assertShape(Ct, [nb, l, n], fn, "C", "(b,l,n)");
    const Dt = D == null ? null : toTensor(D, fn, "D");
    if (Dt) assertShape(Dt, [d], fn, "D", "(d)");
    assertValues(fn, [
      [ut, "u", "finite"], [deltat, "delta", "positive"], [At, "A", "finite"],
      [Bt, "B", "finite"], [Ct, "C", "finite"], ...(Dt ? [[Dt, "D", "finite"] as [tf.Tensor, string, "finite"]] : [])
    ]);

    // Scan along l: put l first. (l, b, d, 1) and (l, b, 1, n) broadcast to (l, b, d, n).
    const deltaL = tf.expandDims(tf.transpose(deltat, [1, 0, 2]), 3); // (l, b, d, 1)
    const uL = tf.expandDims(tf.transpose(ut, [1, 0, 2]), 3); // (l, b, d, 1)
    const BL = tf.expandDims(tf.transpose(Bt, [1, 0, 2]), 2); // (l, b, 1, n)
    const CL = tf.expandDims(tf.transpose(Ct, [1, 0, 2]), 2); // (l, b, 1, n)
    const Ab = tf.exp(tf.mul(deltaL, tf.reshape(At, [1, 1, d, n]))); // (l, b, d, n)
    const Bbu = tf.mul(tf.mul(deltaL, uL), BL); // (l, b, d, n)
    const h = scanPairs(Ab, Bbu); // (l, b, d, n)
    let y = tf.sum(tf.mul(h, CL), 3); // (l, b, d)
    if (Dt) y = tf.add(y, tf.mul(tf.squeeze(uL, [3]), Dt)); // (l, b, d)
    return tf.transpose(y, [1, 0, 2]); // (b, l, d)
  });
}

/**
 * Sequential reference on flat Float32Arrays (row-major, shapes as in selectiveScan), for
 * tests and as the benchmark baseline: one loop over t with an (d, n) state per batch.
 */
export function selectiveScanLoop(
  u: ArrayLike<number>, delta: ArrayLike<number>, A: ArrayLike<number>, B: ArrayLike<number>,
  C: ArrayLike<number>, D: ArrayLike<number> | null, nb: number, l: number, d: number, n: number
): Float32Array {
  const y = new Float32Array(nb * l * d);
  const h = new Float32Array(d * n);
  for (let ib = 0; ib < nb; ib++) {
    h.fill(0);
    for (let t = 0; t < l; t++) {
      const o = (ib * l + t) * d;
      const on = (ib * l + t) * n;
      for (let c = 0; c < d; c++) {
        const dt = delta[o + c];
        const uc = u[o + c];
        let acc = 0;
        for (let k = 0; k < n; k++) {
          const i = c * n + k;
          h[i] = Math.exp(dt * A[i]) * h[i] + dt * B[on + k] * uc;
          acc += C[on + k] * h[i];
        }
        y[o + c] = acc + (D ? D[c] * uc : 0);
      }
    }
  }
  return y;
}
