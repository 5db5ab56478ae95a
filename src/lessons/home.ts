// The home page's live figure: one small diagonal SSM (S4D-Real, N = 4: λ_n = −(n+1), B = C = 1)
// run over a real series, for the Δ the reader drags. With ZOH, K̄_k = Σ_n C_n B̄_n e^{kΔλ_n},
// B̄_n = (e^{Δλ_n} − 1)/λ_n; the output is y = K̄ * u, a weighted memory of the past input.
// Δ is the zoom of that memory: small Δ, many steps per unit of time, a long, smooth memory;
// large Δ, the state follows the latest input. The kernel is scaled to Σ K̄ = 1 so that the
// output stays on the input's scale (a weighted average of the past).
import * as tf from "@tensorflow/tfjs";
import {s4dInit, s4dKernel} from "../kernels/index.js";
import {convolveChannels} from "./views.js";

export const HOME_N = 4;

export interface HomeView {
  /** K̄_k / Σ K̄, (L) */
  K: Float32Array;
  /** y = K̄ * u, (L) */
  y: Float32Array;
  /** steps until 1 − 1/e of the kernel's mass has arrived (its memory length) */
  memory: number;
}

/** The kernel and the output of the home page's SSM for step Δ over the input u (L). */
export async function homeView(delta: number, u: Float32Array): Promise<HomeView> {
  const L = u.length;
  const modes = s4dInit("real", HOME_N);
  const C = {re: new Float64Array(HOME_N).fill(1), im: new Float64Array(HOME_N)};
  const Kt = tf.tidy(() => {
    const K = s4dKernel(modes.A, modes.B, C, delta, L, {conj: false}); // (1, L)
    return tf.div(K, tf.sum(K)) as tf.Tensor2D; // Σ K̄ = 1
  });
  const yt = tf.tidy(() => convolveChannels(u, Kt)); // (1, L)
  const [K, y] = (await Promise.all([Kt.data(), yt.data()])) as Float32Array[];
  tf.dispose([Kt, yt]);
  let acc = 0, memory = L;
  for (let k = 0; k < L; k++) { acc += K[k]; if (acc >= 1 - Math.exp(-1)) { memory = k + 1; break; } }
  return {K, y, memory};
}
