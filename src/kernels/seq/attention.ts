// Softmax attention and causal linear attention (Katharopoulos et al. 2020, "Transformers
// are RNNs"), with RetNet's decay γ (Sun et al. 2023), in two equal forms: the parallel
// form (a masked l×l matrix) and the recurrent form (an RNN with a (d_k', d_v) matrix state).
//
// Glossary: l length, d_k query/key width, d_v value width, φ feature map (d_k → d_k'),
// γ = decay, S_t (d_k', d_v) state, z_t (d_k') normaliser state.
import * as tf from "@tensorflow/tfjs";
import {assertRank, assertShape, assertValues, fail, toTensor, type TensorLike} from "../validate.js";
import {scanPairs} from "./linearScan.js";
import {softmaxAttentionGpu} from "./softmaxFused.js";

/** Added to masked-out scores before the softmax: exp(−1e30 − max) is exactly 0 in float32. */
const MASKED = -1e30;

/**
 * Guard of the "sum" normalisation: a denominator φ(q_t)·z_t with |·| < NORM_EPS is replaced
 * by ±NORM_EPS (its sign, + for 0), so an all-zero ReLU feature row gives 0/1e-6 = 0 instead
 * of NaN. With elu1 features the denominator is > 0 and the guard never acts.
 */
export const NORM_EPS = 1e-6;

export type FeatureMap = "elu1" | "relu" | "identity" | ((x: tf.Tensor) => tf.Tensor);
export interface LinearAttentionOptions {
  featureMap?: FeatureMap;
  /** γ ∈ (0, 1]; 1 = no decay. */
  decay?: number;
  normalize?: "sum" | "none";
}

function checkQKV(q: TensorLike, k: TensorLike, v: TensorLike, fn: string): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const qt = toTensor(q, fn, "q");
  assertRank(qt, 2, fn, "q", "(l,d_k)");
  const [l, dk] = qt.shape as number[];
  const kt = toTensor(k, fn, "k");
  assertShape(kt, [l, dk], fn, "k", "(l,d_k)");
  const vt = toTensor(v, fn, "v");
  assertRank(vt, 2, fn, "v", "(l,d_v)");
  assertShape(vt, [l, null], fn, "v", "(l,d_v)");
  if (l < 1) fail(fn, `q must have at least one row, but got shape (${qt.shape.join(",")})`);
  assertValues(fn, [[qt, "q", "finite"], [kt, "k", "finite"], [vt, "v", "finite"]]);
  return [qt, kt, vt];
}

/**
 * Softmax attention: softmax(q kᵀ / √d_k + mask) v, where the causal mask is −∞ (here
 * −1e30) above the diagonal, so row t attends to s ≤ t only.
 *
 * q, k (l, d_k); v (l, d_v) → (l, d_v). On webgl/webgpu with d_k, d_v ≤ 32, where it
 * measured faster (useFusedSoftmax), one fused program (./softmaxFused.ts, memory O(l·d));
 * elsewhere softmaxAttentionComposite (memory O(l²)).
 */
export function softmaxAttention(q: TensorLike, k: TensorLike, v: TensorLike, {causal = true}: {causal?: boolean} = {}): tf.Tensor {
  const fn = "softmaxAttention";
  return tf.tidy(() => {
    const [qt, kt, vt] = checkQKV(q, k, v, fn);
    return softmaxAttentionGpu(qt, kt, vt, causal) ?? tf.matMul(softmaxWeights(qt, kt, causal), vt); // (l, d_v)
  });
}

/** softmaxAttention from tfjs ops on every backend (the l×l weights, then a matmul). */
export function softmaxAttentionComposite(q: TensorLike, k: TensorLike, v: TensorLike, {causal = true}: {causal?: boolean} = {}): tf.Tensor {
  const fn = "softmaxAttentionComposite";
  return tf.tidy(() => {
    const [qt, kt, vt] = checkQKV(q, k, v, fn);
    return tf.matMul(softmaxWeights(qt, kt, causal), vt); // (l, d_v)
  });
}

/**
 * The attention weights softmax(q kᵀ / √d_k + mask): (l, l), each row sums to 1.
 * q, k (l, d_k) → (l, l).
 */
export function softmaxAttentionWeights(q: TensorLike, k: TensorLike, {causal = true}: {causal?: boolean} = {}): tf.Tensor {
  const fn = "softmaxAttentionWeights";
  return tf.tidy(() => {
    const qt = toTensor(q, fn, "q");
    assertRank(qt, 2, fn, "q", "(l,d_k)");
    const kt = toTensor(k, fn, "k");
    assertShape(kt, qt.shape, fn, "k", "(l,d_k)");
    assertValues(fn, [[qt, "q", "finite"], [kt, "k", "finite"]]);
    return softmaxWeights(qt, kt, causal);
  });
}

function softmaxWeights(q: tf.Tensor, k: tf.Tensor, causal: boolean): tf.Tensor {
  const [l, dk] = q.shape as number[];
  let scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(dk)); // (l, l)
  if (causal) {
    const lower = tf.linalg.bandPart(tf.ones([l, l]), -1, 0); // (l, l) 1 for s ≤ t
    scores = tf.where(tf.cast(lower, "bool"), scores, tf.fill([l, l], MASKED));
  }
  return tf.softmax(scores, -1); // (l, l)
}

/**
 * RetNet's decay mask M (l, l): M_ts = γ^{t−s} for s ≤ t, 0 above the diagonal.
 * γ ∈ (0, 1]; γ = 1 gives the plain causal mask.
 */
export function decayMask(l: number, gamma: number): tf.Tensor {
  const fn = "decayMask";
  if (!Number.isInteger(l) || l < 1) fail(fn, `l must be an integer ≥ 1, got ${String(l)}`);
  checkDecay(gamma, fn);
  return tf.tidy(() => {
    const t = tf.range(0, l, 1, "float32");
    const lag = tf.sub(tf.expandDims(t, 1), tf.expandDims(t, 0)); // (l, l) t − s
    const causal = tf.greaterEqual(lag, 0); // (l, l)
    const M = gamma === 1 ? tf.onesLike(lag) : tf.exp(tf.mul(tf.relu(lag), Math.log(gamma)));
    return tf.where(causal, M, tf.zerosLike(lag)); // (l, l)
  });
}

function checkDecay(gamma: unknown, fn: string): number {
  if (typeof gamma !== "number" || !Number.isFinite(gamma) || gamma <= 0 || gamma > 1) {
    fail(fn, `decay must be a number in (0, 1], got ${String(gamma)}`);
  }
  return gamma;
}

function checkOptions(opts: LinearAttentionOptions, fn: string): {phi: (x: tf.Tensor) => tf.Tensor; gamma: number; normalize: "sum" | "none"} {
  const {featureMap = "elu1", decay = 1, normalize = "sum"} = opts;
  const gamma = checkDecay(decay, fn);
  if (normalize !== "sum" && normalize !== "none") fail(fn, `normalize must be "sum" or "none", got ${JSON.stringify(normalize)}`);
  let phi: (x: tf.Tensor) => tf.Tensor;
  if (featureMap === "elu1") phi = (x) => tf.add(tf.elu(x), 1);
  else if (featureMap === "relu") phi = (x) => tf.relu(x);
  else if (featureMap === "identity") phi = (x) => x;
  else if (typeof featureMap === "function") phi = featureMap;
  else fail(fn, `featureMap must be "elu1", "relu", "identity" or a function, got ${JSON.stringify(featureMap)}`);
  return {phi, gamma, normalize};
}

/** φ(q), φ(k): (l, d_k'), checked to be float32 matrices with l rows and the same width. */
function features(phi: (x: tf.Tensor) => tf.Tensor, q: tf.Tensor, k: tf.Tensor, fn: string): [tf.Tensor, tf.Tensor] {
  const pq = phi(q);
  const pk = phi(k);
  for (const [t, name] of [[pq, "φ(q)"], [pk, "φ(k)"]] as [tf.Tensor, string][]) {
    if (!(t instanceof tf.Tensor)) fail(fn, `featureMap must return a tf.Tensor, got ${String(t)}`);
    assertRank(t, 2, fn, `featureMap output ${name}`, "(l,d_k')");
    assertShape(t, [q.shape[0] as number, pq.shape[1] as number], fn, `featureMap output ${name}`, "(l,d_k')");
  }
  return [tf.cast(pq, "float32"), tf.cast(pk, "float32")];
}

/** Replaces |x| < NORM_EPS by ±NORM_EPS (sign of x, + for 0). */
function guard(den: tf.Tensor): tf.Tensor {
  const sign = tf.where(tf.less(den, 0), tf.fill(den.shape, -1), tf.fill(den.shape, 1));
  return tf.where(tf.less(tf.abs(den), NORM_EPS), tf.mul(sign, NORM_EPS), den);
}

/**
 * Causal linear attention, parallel form: with M the decay mask (M_ts = γ^{t−s}, s ≤ t),
 *
 *   P = (φ(Q) φ(K)ᵀ) ⊙ M                         (l, l)
 *   o = P V / (P 1)   for "sum",   o = P V  for "none"   (l, d_v)
 *
 * which equals the recurrence S_t = γS_{t−1} + φ(k_t)ᵀv_t, z_t = γz_{t−1} + φ(k_t),
 * o_t = φ(q_t)S_t / (φ(q_t)·z_t) (see linearAttentionRecurrent). The denominator is
 * guarded: |φ(q_t)·z_t| < NORM_EPS = 1e-6 is replaced by ±1e-6.
 *
 * q, k (l, d_k); v (l, d_v) → (l, d_v). featureMap ∈ "elu1" (elu(x)+1, default), "relu",
 * "identity" or a function (l, d_k) → (l, d_k'); decay γ ∈ (0, 1] (default 1);
 * normalize ∈ "sum" (default), "none". Memory O(l²), like softmax attention.
 */
export function linearAttention(q: TensorLike, k: TensorLike, v: TensorLike, opts: LinearAttentionOptions = {}): tf.Tensor {
  const fn = "linearAttention";
  const {phi, gamma, normalize} = checkOptions(opts, fn);
  return tf.tidy(() => {
    const [qt, kt, vt] = checkQKV(q, k, v, fn);
    const l = qt.shape[0];
    const [pq, pk] = features(phi, qt, kt, fn); // (l, d_k')
    const M = decayMask(l, gamma); // (l, l)
    const P = tf.mul(tf.matMul(pq, pk, false, true), M); // (l, l)
    const num = tf.matMul(P, vt); // (l, d_v)
    if (normalize === "none") return num;
    const den = tf.sum(P, 1, true); // (l, 1) = φ(q_t)·z_t
    return tf.div(num, guard(den)); // (l, d_v)
  });
}

/**
 * Causal linear attention, recurrent form (the RNN view): the states
 *
 *   S_t = γ S_{t−1} + φ(k_t)ᵀ v_t     (d_k', d_v)
 *   z_t = γ z_{t−1} + φ(k_t)          (d_k')
 *   o_t = φ(q_t) S_t / (φ(q_t)·z_t)   ("sum"; guarded as in linearAttention), φ(q_t) S_t ("none")
 *
 * computed for all t by linearScan (a = γ) over the flattened states: memory O(l d_k' d_v)
 * instead of O(l²). Same arguments, options and result as linearAttention.
 */
export function linearAttentionRecurrent(q: TensorLike, k: TensorLike, v: TensorLike, opts: LinearAttentionOptions = {}): tf.Tensor {
  const fn = "linearAttentionRecurrent";
  const {phi, gamma, normalize} = checkOptions(opts, fn);
  return tf.tidy(() => {
    const [qt, kt, vt] = checkQKV(q, k, v, fn);
    const l = qt.shape[0] as number;
    const dv = vt.shape[1] as number;
    const [pq, pk] = features(phi, qt, kt, fn); // (l, d_k')
    const dk = pk.shape[1] as number;
    const kv = tf.mul(tf.reshape(pk, [l, dk, 1]), tf.reshape(vt, [l, 1, dv])); // (l, d_k', d_v) φ(k_t)ᵀ v_t
    const S = scanPairs(tf.fill([l, dk, dv], gamma), kv); // (l, d_k', d_v)
    const num = tf.reshape(tf.matMul(tf.reshape(pq, [l, 1, dk]), S), [l, dv]); // (l, d_v)
    if (normalize === "none") return num;
    const z = scanPairs(tf.fill([l, dk], gamma), pk); // (l, d_k')
    const den = tf.sum(tf.mul(pq, z), 1, true); // (l, 1)
    return tf.div(num, guard(den)); // (l, d_v)
  });
}

