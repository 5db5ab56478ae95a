// A small S4D language model: the linear time-invariant baseline of the Mamba paper's
// synthetic tasks (Gu et al. 2022, "On the Parameterization and Initialization of Diagonal
// State Space Models"; the block of state-spaces/s4's s4d.py, "S4 / no gate" in Gu & Dao
// 2023, Table 1).
//
//   x ← embed(tokens)                                          (b, l, H)
//   per layer:  x ← x + Block(LayerNorm(x))
//   logits = LayerNorm(x) @ W_head
//
//   Block(u):   y = K̄ ∗ u + D u           per channel, causal convolution   (b, l, H)
//               y = GLU(GELU(y) @ W_out + b_out)                         (b, l, H)
//
//   S4D kernel per channel h, m = N/2 conjugate pairs of complex modes λ = A_re + i A_im:
//     Δ = exp(log_dt),  ZOH:  Ā = exp(Δλ),  B̄ = (exp(Δλ) − 1)/λ   (B = 1, absorbed into C)
//     K̄_k = 2 Re Σ_n C_n B̄_n Ā_n^k,   k = 0 … l−1                (Vandermonde, O(H m l))
//   Learned: log_dt (H), A_re = −exp(log_A_re) (H, m), A_im (H, m), C (H, m) complex, D (H).
//   Init "S4D-Lin": λ_n = −½ + iπn; log Δ uniform in [log dt_min, log dt_max]; C normal(0, ½)
//   per real and imaginary part (variance 1 per complex entry, as s4d.py).
//
// The convolution is a batched matmul with the lower-triangular Toeplitz matrix of K̄,
// built by the "skew" trick (tile a padded copy and reshape), so the whole model has
// gradients on every backend (no FFT: wasm has none; no gather: wasm cannot differentiate it).
import * as tf from "@tensorflow/tfjs";
import {Params} from "./params.js";
import {embed, gelu, layerNorm, linear, matmul} from "./layers.js";
import type {SequenceModel} from "./model.js";

export interface S4DConfig {
  vocab: number;
  dModel: number;
  nLayers: number;
  /** real state size N per channel (N/2 complex pairs) */
  dState: number;
  dtMin: number;
  dtMax: number;
  seed: number;
}

export const S4D_DEFAULTS: Omit<S4DConfig, "vocab"> = {dModel: 32, nLayers: 2, dState: 16, dtMin: 0.001, dtMax: 0.1, seed: 0};

/**
 * Lower-triangular Toeplitz matrices T[h, t, s] = K[h, t − s] (t ≥ s), 0 above: K (H, l) →
 * (H, l, l). With q = [K_0, 0 × (l−1), K_{l−1}, …, K_1] (length 2l − 1), row t of the first
 * l(2l − 2) entries of tile(q, l) reshaped to (l, 2l − 2) reads q[(s − t) mod (2l − 1)].
 */
export function toeplitz(K: tf.Tensor): tf.Tensor {
  const [H, l] = K.shape as number[];
  if (l === 1) return tf.reshape(K, [H, 1, 1]);
  const head = tf.slice(K, [0, 0], [H, 1]); // (H, 1)
  const tail = tf.reverse(tf.slice(K, [0, 1], [H, l - 1]), 1); // (H, l−1): K_{l−1} … K_1
  const q = tf.concat([head, tf.zeros([H, l - 1]), tail], 1); // (H, 2l − 1)
  const tiled = tf.slice(tf.tile(q, [1, l]), [0, 0], [H, l * (2 * l - 2)]);
  return tf.slice(tf.reshape(tiled, [H, l, 2 * l - 2]), [0, 0, 0], [H, l, l]);
}

/** y[b, t, h] = Σ_{s ≤ t} K[h, t − s] u[b, s, h]: u (b, l, H), K (H, l) → (b, l, H). */
export function causalConvChannels(u: tf.Tensor, K: tf.Tensor): tf.Tensor {
  const T = toeplitz(K); // (H, l, l)
  const uh = tf.transpose(u, [2, 1, 0]); // (H, l, b)
  return tf.transpose(matmul(T, uh), [2, 1, 0]); // (b, l, H)
}

export class S4D implements SequenceModel<S4DConfig> {
  readonly kind = "s4d";
  readonly config: S4DConfig;
  readonly params: Params;

  constructor(config: Partial<S4DConfig> & {vocab: number}) {
    const c = (this.config = {...S4D_DEFAULTS, ...config});
    if (c.dState % 2 !== 0) throw new Error(`S4D: dState must be even (conjugate pairs), got ${c.dState}`);
    const p = (this.params = new Params(c.seed));
    const {vocab: V, dModel: H} = c;
    const m = c.dState / 2;
    const unif = (fanIn: number) => ({kind: "uniform" as const, low: -1 / Math.sqrt(fanIn), high: 1 / Math.sqrt(fanIn)});
    p.add("embedding", [V, H], {kind: "normal", std: 0.02 * Math.sqrt(H)});
    for (let i = 0; i < c.nLayers; i++) {
      const L = `layers.${i}.`;
      p.add(L + "norm.g", [H], {kind: "const", value: 1});
      p.add(L + "norm.b", [H], {kind: "const", value: 0});
      const [lo, hi] = [Math.log(c.dtMin), Math.log(c.dtMax)];
      p.add(L + "log_dt", [H], {kind: "uniform", low: lo, high: hi});
      p.add(L + "log_A_re", [H, m], {kind: "const", value: Math.log(0.5)});
      p.add(L + "A_im", [H, m], {kind: "fn", fn: (j) => Math.PI * (j % m)});
      p.add(L + "C_re", [H, m], {kind: "normal", std: Math.SQRT1_2});
      p.add(L + "C_im", [H, m], {kind: "normal", std: Math.SQRT1_2});
      p.add(L + "D", [H], {kind: "normal", std: 1});
      p.add(L + "out.w", [H, 2 * H], unif(H));
      p.add(L + "out.b", [2 * H], {kind: "const", value: 0});
    }
    p.add("norm_f.g", [H], {kind: "const", value: 1});
    p.add("norm_f.b", [H], {kind: "const", value: 0});
    p.add("head", [H, V], unif(H));
  }

  /** The S4D convolution kernel of layer i for length l: (H, l). */
  kernel(i: number, l: number): tf.Tensor {
    const p = this.params, L = `layers.${i}.`;
    const dt = tf.expandDims(tf.exp(p.get(L + "log_dt")), 1); // (H, 1)
    const ar = tf.neg(tf.exp(p.get(L + "log_A_re"))), ai = p.get(L + "A_im"); // (H, m)
    const dr = tf.mul(dt, ar), di = tf.mul(dt, ai); // Δλ (H, m)
    // B̄ = (exp(Δλ) − 1) / λ = e · conj(λ) / |λ|²
    const edr = tf.exp(dr);
    const er = tf.sub(tf.mul(edr, tf.cos(di)), 1), ei = tf.mul(edr, tf.sin(di));
    const mag = tf.add(tf.square(ar), tf.square(ai));
    const bbr = tf.div(tf.add(tf.mul(er, ar), tf.mul(ei, ai)), mag);
    const bbi = tf.div(tf.sub(tf.mul(ei, ar), tf.mul(er, ai)), mag);
    // W = C ⊙ B̄ (H, m)
    const cr = p.get(L + "C_re"), ci = p.get(L + "C_im");
    const wr = tf.sub(tf.mul(cr, bbr), tf.mul(ci, bbi)), wi = tf.add(tf.mul(cr, bbi), tf.mul(ci, bbr));
    // Vandermonde exp(k Δλ) (H, m, l)
    const k = tf.reshape(tf.range(0, l, 1, "float32"), [1, 1, l]);
    const mod = tf.exp(tf.mul(tf.expandDims(dr, 2), k));
    const ang = tf.mul(tf.expandDims(di, 2), k);
    const vr = tf.mul(mod, tf.cos(ang)), vi = tf.mul(mod, tf.sin(ang));
    // K̄ = 2 Re(W V) = 2 (W_r V_r − W_i V_i) summed over modes
    const Kr = tf.sub(matmul(tf.expandDims(wr, 1), vr), matmul(tf.expandDims(wi, 1), vi)); // (H, 1, l)
    return tf.mul(tf.squeeze(Kr, [1]), 2); // (H, l)
  }

  logits(tokens: tf.Tensor): tf.Tensor {
    const p = this.params, c = this.config;
    const l = tokens.shape[1] as number;
    let x = embed(tokens, p.get("embedding")); // (b, l, H)
    for (let i = 0; i < c.nLayers; i++) {
      const L = `layers.${i}.`;
      const u = layerNorm(x, p.get(L + "norm.g"), p.get(L + "norm.b"));
      let y = tf.add(causalConvChannels(u, this.kernel(i, l)), tf.mul(u, p.get(L + "D"))); // (b, l, H)
      y = linear(gelu(y), p.get(L + "out.w"), p.get(L + "out.b")); // (b, l, 2H)
      const [a, g] = tf.split(y, 2, 2);
      x = tf.add(x, tf.mul(a, tf.sigmoid(g))); // GLU
    }
    return linear(layerNorm(x, p.get("norm_f.g"), p.get("norm_f.b")), p.get("head"));
  }

  stateSize(): number {
    return this.config.nLayers * this.config.dModel * this.config.dState;
  }
}
