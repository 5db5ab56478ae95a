// The selective scan as the models train it: Mamba's S6 recurrence (Gu & Dao 2023, Alg. 2)
//
//   h_t = exp(Δ_t A) ⊙ h_{t−1} + Δ_t B_t u_t,   y_t = C_t · h_t (+ D u_t, · silu(z_t))
//
// with two interchangeable implementations of the same semantics as the kernel contract's
// selectiveScanComposite (deltaBias, deltaSoftplus, D, z):
//   "composite"  the kernel itself (src/kernels), tfjs ops all the way: differentiable on every
//                backend, and the only choice on webgl/webgpu (no readback);
//   "loop"       a custom gradient (tf.customGrad) whose forward and backward are plain loops
//                over the typed arrays of the cpu/wasm backends: the forward keeps every state
//                h_t and Ā_t, the backward runs the recurrence in reverse. O(b·l·d·n) work each
//                way instead of the composite's O(b·l·d·n·log l), and no (l, b, d, n)
//                intermediates on the tfjs side. (On a CPU, memory is plentiful and exp is the
//                cost, so it stores Ā_t where the paper's GPU kernel recomputes it, §3.3.2.)
// "auto" takes "loop" on cpu and wasm and "composite" elsewhere.
//
// Glossary: b batch, l length, d channels (d_inner), n state size.
import * as tf from "@tensorflow/tfjs";
import {selectiveScanComposite} from "../kernels/index.js";

export type ScanImpl = "auto" | "composite" | "loop";

export interface TrainableScanOptions {
  z?: tf.Tensor | null;
  deltaBias?: tf.Tensor | null;
  deltaSoftplus?: boolean;
  impl?: ScanImpl;
}

/** The implementation "auto" resolves to on the current backend. */
export function resolveScanImpl(impl: ScanImpl = "auto"): "composite" | "loop" {
  const b = tf.getBackend(), onCpu = b === "cpu" || b === "wasm";
  // the loop reads its tensors with dataSync: on webgl/webgpu that is a synchronous GPU stall
  if (impl === "loop" && !onCpu) throw new Error(`selectiveScanTrainable: impl "loop" runs on cpu and wasm only (it reads tensors back synchronously), got backend ${b}; use "composite" or "auto"`);
  if (impl !== "auto") return impl;
  return onCpu ? "loop" : "composite";
}

/**
 * u, delta (b, l, d); A (d, n); B, C (b, l, n); D (d) or null → y (b, l, d), differentiable
 * with respect to every tensor argument (z and deltaBias included).
 */
export function selectiveScanTrainable(
  u: tf.Tensor, delta: tf.Tensor, A: tf.Tensor, B: tf.Tensor, C: tf.Tensor, D: tf.Tensor | null,
  {z = null, deltaBias = null, deltaSoftplus = false, impl = "auto"}: TrainableScanOptions = {}
): tf.Tensor {
  if (resolveScanImpl(impl) === "composite") {
    return selectiveScanComposite(u, delta, A, B, C, D, {z, deltaBias, deltaSoftplus});
  }
  let dt = deltaBias ? tf.add(delta, deltaBias) : delta;
  if (deltaSoftplus) dt = tf.softplus(dt);
  let y = scanLoop(u, dt, A, B, C);
  if (D) y = tf.add(y, tf.mul(u, D));
  if (z) y = tf.mul(y, tf.mul(z, tf.sigmoid(z)));
  return y;
}

/**
 * The bare recurrence y_t = C_t · h_t, h_t = exp(Δ_t A) h_{t−1} + Δ_t B_t u_t with a
 * hand-written gradient (cpu/wasm only: it reads tensors back with dataSync).
 * u, dt (b, l, d); A (d, n); B, C (b, l, n) → y (b, l, d).
 */
export const scanLoop: (u: tf.Tensor, dt: tf.Tensor, A: tf.Tensor, B: tf.Tensor, C: tf.Tensor) => tf.Tensor =
  tf.customGrad(((u: tf.Tensor, dt: tf.Tensor, A: tf.Tensor, B: tf.Tensor, C: tf.Tensor) => {
    const [nb, l, d] = u.shape as number[];
    const n = A.shape[1] as number;
    const uv = u.dataSync() as Float32Array, dv = dt.dataSync() as Float32Array;
    const Av = A.dataSync() as Float32Array, Bv = B.dataSync() as Float32Array, Cv = C.dataSync() as Float32Array;
    const H = new Float32Array(nb * l * d * n); // every state h_t, (b, l, d, n)
    const Ab = new Float32Array(nb * l * d * n); // every Ā_t = exp(Δ_t A), (b, l, d, n)
    const y = new Float32Array(nb * l * d);
    const h = new Float32Array(d * n);
    for (let ib = 0; ib < nb; ib++) {
      h.fill(0);
      for (let t = 0; t < l; t++) {
        const o = (ib * l + t) * d, on = (ib * l + t) * n;
        for (let c = 0; c < d; c++) {
          const dtc = dv[o + c], du = dtc * uv[o + c], base = (o + c) * n, cn = c * n;
          let acc = 0;
          for (let k = 0; k < n; k++) {
            const a = Math.exp(dtc * Av[cn + k]);
            const hi = a * h[cn + k] + du * Bv[on + k];
            h[cn + k] = hi;
            H[base + k] = hi;
            Ab[base + k] = a;
            acc += Cv[on + k] * hi;
          }
          y[o + c] = acc;
        }
      }
    }
    const value = tf.tensor(y, [nb, l, d], "float32");
    const gradFunc = (dy: tf.Tensor) => {
      const gy = dy.dataSync() as Float32Array;
      const gu = new Float32Array(nb * l * d), gdt = new Float32Array(nb * l * d);
      const gA = new Float64Array(d * n), gB = new Float32Array(nb * l * n), gC = new Float32Array(nb * l * n);
      const gh = new Float64Array(d * n); // ∂loss/∂h_t flowing back from steps > t
      const dn = d * n;
      for (let ib = 0; ib < nb; ib++) {
        gh.fill(0);
        for (let t = l - 1; t >= 0; t--) {
          const o = (ib * l + t) * d, on = (ib * l + t) * n;
          for (let c = 0; c < d; c++) {
            const g = gy[o + c], dtc = dv[o + c], uc = uv[o + c], base = (o + c) * n, cn = c * n;
            let gdtAcc = 0, guAcc = 0;
            for (let k = 0; k < n; k++) {
              const i = cn + k, Bk = Bv[on + k], a = Ab[base + k];
              gC[on + k] += g * H[base + k];
              const ght = gh[i] + g * Cv[on + k]; // total ∂/∂h_t
              const gaa = t > 0 ? ght * H[base + k - dn] * a : 0; // ∂/∂Ā_t · Ā_t
              gdtAcc += gaa * Av[i] + ght * Bk * uc;
              gA[i] += gaa * dtc;
              gB[on + k] += ght * dtc * uc;
              guAcc += ght * dtc * Bk;
              gh[i] = ght * a;
            }
            gdt[o + c] = gdtAcc;
            gu[o + c] = guAcc;
          }
        }
      }
      return [
        tf.tensor(gu, [nb, l, d], "float32"), tf.tensor(gdt, [nb, l, d], "float32"),
        tf.tensor(Float32Array.from(gA), [d, n], "float32"),
        tf.tensor(gB, [nb, l, n], "float32"), tf.tensor(gC, [nb, l, n], "float32")
      ];
    };
    return {value, gradFunc};
  }) as any) as any;
