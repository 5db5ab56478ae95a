// A small causal transformer with either softmax attention (Vaswani et al. 2017) or linear
// attention (Katharopoulos et al. 2020), and the "swap" of SUPRA (Mercat et al. 2024,
// "Linearizing Large Language Models"): a pretrained softmax model's weights put into the
// linear-attention model, whose only new parameters are the feature map's.
//
//   x ← embed(tokens) + pos[0..l)                               (b, l, D)
//   per layer:  x ← x + Attn(LN(x));  x ← x + MLP(LN(x))        pre-norm
//   logits = LN(x) @ W_head
//
//   Attn, per head (h heads; q, k of width d_k, v of width d_v = D / h):
//     softmax:  o = softmax(q kᵀ / √d_k + causal mask) v
//     linear:   P = (φ(q) φ(k)ᵀ) ⊙ M_γ,   M_γ[t, s] = γ_hᵗ⁻ˢ for s ≤ t, else 0
//               o = P v / (P 1) ("sum"),  P v ("none"),  GroupNorm(P v) ("groupnorm": per head
//               and position over d_v, mean 0, variance 1, eps 1e-5, no affine: SUPRA's
//               replacement of the unstable sum normaliser)
//     φ: "elu1" elu(x)+1, "relu", "identity", or "supra": ReLU(x W_φ + b_φ) per head, a
//     learned one-layer MLP shared by q and k (T2R, Kasai et al. 2021, as SUPRA uses it).
//     Decay: "none" (γ = 1), a number, or "retnet": γ_h = 1 − 2^(−5−h) (Sun et al. 2023).
//   These are the semantics of the kernel contract's linearAttention(q, k, v, {featureMap,
//   decay, normalize}) applied per (batch, head), batched here for training.
//
// Optional short causal convolution (shortConv = kernel size, 0 = none) on the input of the
// key and value projections, as Zoology's and Based's models use for recall (Arora et al.
// 2023, 2024): it lets one layer see the previous token.
import * as tf from "@tensorflow/tfjs";
import {Params} from "./params.js";
import {causalDepthwiseConv, embed, gelu, layerNorm, linear, matmul, matmulBT} from "./layers.js";
import type {SequenceModel} from "./model.js";

export type Attention = "softmax" | "linear";
export type ModelFeatureMap = "elu1" | "relu" | "identity" | "supra";
export type Normalize = "sum" | "none" | "groupnorm";

export interface TransformerConfig {
  vocab: number;
  dModel: number;
  nLayers: number;
  nHeads: number;
  /** longest sequence (learned positional embeddings) */
  maxLen: number;
  mlpRatio: number;
  attention: Attention;
  /** width of q and k per head (default dModel / nHeads) */
  dKey: number;
  featureMap: ModelFeatureMap;
  /** width of φ's output per head for "supra" (default dKey) */
  featureDim: number;
  decay: "none" | "retnet" | number;
  normalize: Normalize;
  shortConv: number;
  seed: number;
}

export const TRANSFORMER_DEFAULTS: Omit<TransformerConfig, "vocab" | "dKey" | "featureDim"> = {
  dModel: 32, nLayers: 2, nHeads: 2, maxLen: 64, mlpRatio: 4, attention: "softmax",
  featureMap: "elu1", decay: "none", normalize: "sum", shortConv: 0, seed: 0
};

export function transformerConfig(c: Partial<TransformerConfig> & {vocab: number}): TransformerConfig {
  const base = {...TRANSFORMER_DEFAULTS, ...c} as TransformerConfig;
  if (base.dModel % base.nHeads !== 0) throw new Error(`Transformer: dModel ${base.dModel} must be a multiple of nHeads ${base.nHeads}`);
  if (c.dKey == null) base.dKey = base.dModel / base.nHeads;
  if (c.featureDim == null) base.featureDim = base.dKey;
  return base;
}

/** Decay γ per head for a config (1 = none). */
export function headDecays(c: TransformerConfig): number[] {
  return Array.from({length: c.nHeads}, (_, h) =>
    c.decay === "none" ? 1 : c.decay === "retnet" ? 1 - 2 ** (-5 - h) : c.decay);
}

/** M (h, l, l): M[h, t, s] = γ_h^(t−s) for s ≤ t, 0 above the diagonal. */
export function decayMasks(gammas: number[], l: number): tf.Tensor {
  const t = tf.range(0, l, 1, "float32");
  const lag = tf.sub(tf.expandDims(t, 1), tf.expandDims(t, 0)); // (l, l)
  const causal = tf.cast(tf.greaterEqual(lag, 0), "float32"); // (l, l)
  const logG = tf.reshape(tf.tensor1d(gammas.map((g) => Math.log(g))), [gammas.length, 1, 1]);
  return tf.mul(tf.exp(tf.mul(tf.relu(lag), logG)), causal); // (h, l, l)
}

/** Splits (b, l, h·w) into heads (b, h, l, w). */
function heads(x: tf.Tensor, h: number): tf.Tensor {
  const [b, l, hw] = x.shape as number[];
  return tf.transpose(tf.reshape(x, [b, l, h, hw / h]), [0, 2, 1, 3]);
}

/** Joins heads (b, h, l, w) into (b, l, h·w). */
function unheads(x: tf.Tensor): tf.Tensor {
  const [b, h, l, w] = x.shape as number[];
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [b, l, h * w]);
}

/**
 * Batched causal attention on (b, h, l, ·) heads. For "linear", phi maps (b, h, l, d_k) to
 * (b, h, l, d_k') and gammas are the per-head decays.
 */
export function attentionHeads(
  q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, attention: Attention,
  {phi = (x: tf.Tensor) => x, gammas = null as number[] | null, normalize = "sum" as Normalize} = {}
): tf.Tensor {
  const l = q.shape[2] as number, dk = q.shape[3] as number;
  if (attention === "softmax") {
    const scores = tf.div(matmulBT(q, k), Math.sqrt(dk)); // (b, h, l, l)
    const lower = tf.linalg.bandPart(tf.ones([l, l]), -1, 0);
    const masked = tf.add(scores, tf.mul(tf.sub(1, lower), -1e9));
    return matmul(tf.softmax(masked, -1), v); // (b, h, l, d_v)
  }
  const M = decayMasks(gammas ?? Array(q.shape[1]).fill(1), l); // (h, l, l)
  const P = tf.mul(matmulBT(phi(q), phi(k)), M); // (b, h, l, l)
  const num = matmul(P, v); // (b, h, l, d_v)
  if (normalize === "none") return num;
  if (normalize === "groupnorm") {
    const {mean, variance} = tf.moments(num, -1, true);
    return tf.mul(tf.sub(num, mean), tf.rsqrt(tf.add(variance, 1e-5)));
  }
  // "sum", guarded as the kernel's linearAttention: |den| < 1e-6 → ±1e-6
  // (sign(sign(x) + ½) is ±1 with + for 0, and like max and abs it has a gradient; tf.less has none)
  const den = tf.sum(P, -1, true);
  const safe = tf.mul(tf.sign(tf.add(tf.sign(den), 0.5)), tf.maximum(tf.abs(den), 1e-6));
  return tf.div(num, safe);
}

export class Transformer implements SequenceModel<TransformerConfig> {
  readonly kind = "transformer";
  readonly config: TransformerConfig;
  readonly params: Params;

  constructor(config: Partial<TransformerConfig> & {vocab: number}) {
    const c = (this.config = transformerConfig(config));
    const p = (this.params = new Params(c.seed));
    const {vocab: V, dModel: D, nHeads: h, dKey: dk} = c;
    const F = c.mlpRatio * D;
    const unif = (fanIn: number, scale = 1) => ({kind: "uniform" as const, low: -scale / Math.sqrt(fanIn), high: scale / Math.sqrt(fanIn)});
    p.add("embedding", [V, D], {kind: "normal", std: 0.02 * Math.sqrt(D)});
    p.add("pos", [c.maxLen, D], {kind: "normal", std: 0.02 * Math.sqrt(D)});
    const res = 1 / Math.sqrt(2 * c.nLayers);
    for (let i = 0; i < c.nLayers; i++) {
      const L = `layers.${i}.`;
      for (const n of ["ln1", "ln2"]) {
        p.add(L + n + ".g", [D], {kind: "const", value: 1});
        p.add(L + n + ".b", [D], {kind: "const", value: 0});
      }
      if (c.shortConv > 0) {
        // starts as the identity (weight 1 on the current step)
        p.add(L + "conv.w", [D, c.shortConv], {kind: "fn", fn: (j) => (j % c.shortConv === c.shortConv - 1 ? 1 : 0)});
      }
      p.add(L + "wq", [D, h * dk], unif(D));
      p.add(L + "wk", [D, h * dk], unif(D));
      p.add(L + "wv", [D, D], unif(D));
      p.add(L + "wo", [D, D], unif(D, res));
      p.add(L + "mlp.w1", [D, F], unif(D));
      p.add(L + "mlp.b1", [F], {kind: "const", value: 0});
      p.add(L + "mlp.w2", [F, D], unif(F, res));
      p.add(L + "mlp.b2", [D], {kind: "const", value: 0});
      if (c.attention === "linear" && c.featureMap === "supra") addFeatureMap(p, L, c);
    }
    p.add("ln_f.g", [D], {kind: "const", value: 1});
    p.add("ln_f.b", [D], {kind: "const", value: 0});
    p.add("head", [D, V], unif(D));
  }

  /** The feature map φ of layer i (linear attention). */
  phi(i: number): (x: tf.Tensor) => tf.Tensor {
    const c = this.config;
    switch (c.featureMap) {
      case "elu1": return (x) => tf.add(tf.elu(x), 1);
      case "relu": return (x) => tf.relu(x);
      case "identity": return (x) => x;
      case "supra": {
        const W = this.params.get(`layers.${i}.phi.w`), b = this.params.get(`layers.${i}.phi.b`);
        // x (b, h, l, d_k) @ W (h, d_k, d_f) per head: broadcast the head axis
        return (x) => tf.relu(tf.add(matmul(x, tf.tile(tf.expandDims(W, 0), [x.shape[0], 1, 1, 1])), tf.reshape(b, [1, c.nHeads, 1, c.featureDim])));
      }
    }
  }

  logits(tokens: tf.Tensor): tf.Tensor {
    const p = this.params, c = this.config;
    const l = tokens.shape[1] as number;
    if (l > c.maxLen) throw new Error(`Transformer: sequence length ${l} exceeds maxLen ${c.maxLen}`);
    let x = tf.add(embed(tokens, p.get("embedding")), tf.slice(p.get("pos"), [0, 0], [l, c.dModel]));
    const gammas = headDecays(c);
    for (let i = 0; i < c.nLayers; i++) {
      const L = `layers.${i}.`;
      const xn = layerNorm(x, p.get(L + "ln1.g"), p.get(L + "ln1.b"));
      const xkv = c.shortConv > 0 ? causalDepthwiseConv(xn, p.get(L + "conv.w"), null) : xn;
      const q = heads(linear(xn, p.get(L + "wq")), c.nHeads);
      const k = heads(linear(xkv, p.get(L + "wk")), c.nHeads);
      const v = heads(linear(xkv, p.get(L + "wv")), c.nHeads);
      const o = attentionHeads(q, k, v, c.attention, {phi: this.phi(i), gammas, normalize: c.normalize});
      x = tf.add(x, linear(unheads(o), p.get(L + "wo")));
      const xm = layerNorm(x, p.get(L + "ln2.g"), p.get(L + "ln2.b"));
      x = tf.add(x, linear(gelu(linear(xm, p.get(L + "mlp.w1"), p.get(L + "mlp.b1"))), p.get(L + "mlp.w2"), p.get(L + "mlp.b2")));
    }
    return linear(layerNorm(x, p.get("ln_f.g"), p.get("ln_f.b")), p.get("head"));
  }

  /** Floats carried between steps by the RNN view: the KV cache (softmax) or the fixed state (linear). */
  stateSize(l: number): number {
    const c = this.config;
    const dv = c.dModel / c.nHeads;
    if (c.attention === "softmax") return c.nLayers * l * c.nHeads * (c.dKey + dv);
    const df = c.featureMap === "supra" ? c.featureDim : c.dKey;
    return c.nLayers * c.nHeads * df * (dv + (c.normalize === "sum" ? 1 : 0));
  }
}

function addFeatureMap(p: Params, L: string, c: TransformerConfig): void {
  // Random init as T2R; the bias keeps about half of the units active at the start.
  p.add(L + "phi.w", [c.nHeads, c.dKey, c.featureDim], {kind: "uniform", low: -1 / Math.sqrt(c.dKey), high: 1 / Math.sqrt(c.dKey)});
  p.add(L + "phi.b", [c.nHeads, c.featureDim], {kind: "const", value: 0});
}

/**
 * SUPRA's swap: a linear-attention transformer with the same sizes as `softmax`, holding
 * every one of its weights (embeddings, projections, MLPs, norms, head); only the feature
 * map's parameters are new (seeded by `seed`).
 */
export function swapToLinear(
  softmax: Transformer,
  linearOptions: Partial<Pick<TransformerConfig, "featureMap" | "featureDim" | "decay" | "normalize">> = {},
  seed = softmax.config.seed + 1
): Transformer {
  if (softmax.config.attention !== "softmax") throw new Error("swapToLinear: the source model must use softmax attention");
  const lin = new Transformer({
    ...softmax.config, attention: "linear", featureMap: "supra", decay: "retnet", normalize: "groupnorm",
    ...linearOptions, seed
  });
  lin.params.copyFrom(softmax.params);
  return lin;
}
