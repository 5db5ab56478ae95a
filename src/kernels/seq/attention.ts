// Softmax attention and causal linear attention (Katharopoulos et al. 2020, "Transformers
// are RNNs"), with RetNet's decay γ (Sun et al. 2023), in three equal forms: the parallel
// form (a masked l×l matrix), the recurrent form (an RNN with a (d_k', d_v) matrix state) and
// the chunked form (Mamba-2's SSD algorithm with x = v, B = φ(k), C = φ(q), a = log γ:
// Dao & Gu 2024). Normalisers: "sum" (Katharopoulos et al.), "none", and "groupnorm", which
// SUPRA uses in place of the sum (Mercat et al. 2024, "Linearizing Large Language Models":
// torch's GroupNorm with one group per head, no affine, eps 1e-5, after φ(q_t)S_t).
//
// Feature maps φ: elu(x)+1, ReLU, identity, Performer's positive random features and SUPRA's
// learned map ReLU(xW + b) (featureMaps.ts), or any function of the rows.
//
// Glossary: b batch, l length, h heads, d_k query/key width, d_v value width, φ feature map
// (d_k → d_k'), γ = decay (γ_h per head), S_t (d_k', d_v) state, z_t (d_k') normaliser state.
import * as tf from "@tensorflow/tfjs";
import {assertInteger, assertRank, assertShape, assertValues, fail, toTensor, type TensorLike} from "../validate.js";
import {randomFeatureMap, type RandomFeatureSpec} from "./featureMaps.js";
import {scanPairs} from "./linearScan.js";
import {softmaxAttentionGpu} from "./softmaxFused.js";
import {ssdChunkedOf} from "./ssd.js";
import {FUSED_BACKENDS, ssdFused} from "./ssdFused.js";

/** Added to masked-out scores before the softmax: exp(−1e30 − max) is exactly 0 in float32. */
const MASKED = -1e30;

/**
 * Guard of the "sum" normalisation: a denominator φ(q_t)·z_t with |·| < NORM_EPS is replaced
 * by ±NORM_EPS (its sign, + for 0), so an all-zero ReLU feature row gives 0/1e-6 = 0 instead
 * of NaN. With elu1 features the denominator is > 0 and the guard never acts.
 */
export const NORM_EPS = 1e-6;

/** GroupNorm's eps (torch's default, SUPRA's setting): (o − mean)/√(var + eps). */
export const GROUPNORM_EPS = 1e-5;

/** A function maps rows (r, d_k) → (r, d_k') (heads and batch are folded into the rows). */
export type FeatureMap = "elu1" | "relu" | "identity" | RandomFeatureSpec | ((x: tf.Tensor) => tf.Tensor);
export type Normalize = "sum" | "none" | "groupnorm";
export interface LinearAttentionOptions {
  featureMap?: FeatureMap;
  /** γ ∈ (0, 1]; 1 = no decay. */
  decay?: number;
  normalize?: Normalize;
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

function checkNormalize(normalize: unknown, fn: string): Normalize {
  if (normalize !== "sum" && normalize !== "none" && normalize !== "groupnorm") {
    fail(fn, `normalize must be "sum", "none" or "groupnorm", got ${JSON.stringify(normalize)}`);
  }
  return normalize;
}

/** The feature map as a function of rows (r, d_k) → (r, d_k'). */
function checkFeatureMap(featureMap: unknown, fn: string): (x: tf.Tensor) => tf.Tensor {
  if (featureMap === "elu1") return (x) => tf.add(tf.elu(x), 1);
  if (featureMap === "relu") return (x) => tf.relu(x);
  if (featureMap === "identity") return (x) => x;
  if (typeof featureMap === "function") return featureMap as (x: tf.Tensor) => tf.Tensor;
  if (featureMap != null && typeof featureMap === "object" && (featureMap as RandomFeatureSpec).kind === "random") {
    const spec = featureMap as RandomFeatureSpec;
    // made on first use, for the width of the rows it sees (q and k share it)
    let map: ((x: tf.Tensor) => tf.Tensor) | null = null;
    return (x) => (map ??= randomFeatureMap(x.shape[x.rank - 1] as number, spec, fn))(x);
  }
  fail(fn, `featureMap must be "elu1", "relu", "identity", {kind: "random", …} or a function, got ${JSON.stringify(featureMap)}`);
}

function checkOptions(opts: LinearAttentionOptions, fn: string): {phi: (x: tf.Tensor) => tf.Tensor; gamma: number; normalize: Normalize} {
  if (opts != null && typeof opts !== "object") fail(fn, `opts must be an object, got ${typeof opts}`);
  const {featureMap = "elu1", decay = 1, normalize = "sum"} = opts ?? {};
  const gamma = checkDecay(decay, fn);
  return {phi: checkFeatureMap(featureMap, fn), gamma, normalize: checkNormalize(normalize, fn)};
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
 * GroupNorm over the last axis with no affine part: (o − mean) / √(var + eps), the biased
 * variance, as torch.nn.GroupNorm(h, h·d_v, affine=False) on one head's d_v outputs. eps > 0
 * keeps every row finite: a constant row (an all-zero numerator, or d_v = 1) gives 0.
 * o: a tensor of any rank ≥ 1 → the same shape.
 */
export function groupNorm(o: tf.Tensor, eps = GROUPNORM_EPS): tf.Tensor {
  return tf.tidy(() => {
    const {mean, variance} = tf.moments(o, o.rank - 1, true);
    return tf.mul(tf.sub(o, mean), tf.rsqrt(tf.add(variance, eps)));
  });
}

/** The normaliser applied to the numerator φ(q_t)S_t, with den = φ(q_t)·z_t when "sum". */
function normalized(num: tf.Tensor, den: (() => tf.Tensor) | null, normalize: Normalize): tf.Tensor {
  if (normalize === "none") return num;
  if (normalize === "groupnorm") return groupNorm(num);
  return tf.div(num, guard((den as () => tf.Tensor)()));
}

/**
 * Causal linear attention, parallel form: with M the decay mask (M_ts = γ^{t−s}, s ≤ t),
 *
 *   P = (φ(Q) φ(K)ᵀ) ⊙ M                         (l, l)
 *   o = P V / (P 1)   for "sum",   o = P V  for "none"   (l, d_v)
 *
 * which equals the recurrence S_t = γS_{t−1} + φ(k_t)ᵀv_t, z_t = γz_{t−1} + φ(k_t),
 * o_t = φ(q_t)S_t / (φ(q_t)·z_t) (see linearAttentionRecurrent). The denominator is
 * guarded: |φ(q_t)·z_t| < NORM_EPS = 1e-6 is replaced by ±1e-6. "groupnorm" normalises
 * P V over d_v instead (mean 0, variance 1, eps 1e-5, no affine: SUPRA's choice).
 *
 * q, k (l, d_k); v (l, d_v) → (l, d_v). featureMap ∈ "elu1" (elu(x)+1, default), "relu",
 * "identity", {kind: "random", features, seed, orthogonal} (Performer) or a function
 * (l, d_k) → (l, d_k'); decay γ ∈ (0, 1] (default 1); normalize ∈ "sum" (default), "none",
 * "groupnorm". Memory O(l²), like softmax attention.
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
    return normalized(num, () => tf.sum(P, 1, true), normalize); // (l, d_v); den (l, 1) = φ(q_t)·z_t
  });
}

/**
 * Causal linear attention, recurrent form (the RNN view): the states
 *
 *   S_t = γ S_{t−1} + φ(k_t)ᵀ v_t     (d_k', d_v)
 *   z_t = γ z_{t−1} + φ(k_t)          (d_k')
 *   o_t = φ(q_t) S_t / (φ(q_t)·z_t)   ("sum"; guarded as in linearAttention), φ(q_t) S_t ("none"),
 *         GroupNorm(φ(q_t) S_t)        ("groupnorm")
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
    return normalized(num, () => {
      const z = scanPairs(tf.fill([l, dk], gamma), pk); // (l, d_k')
      return tf.sum(tf.mul(pq, z), 1, true); // (l, 1)
    }, normalize);
  });
}


/**
 * The matrix W (l, l) with o = W v for the linear attention of these options: the masked
 * kernel matrix P = (φ(Q)φ(K)ᵀ) ⊙ M, its rows divided by their (guarded) sums for "sum"
 * (then every row sums to 1, like softmax's), P itself for "none"; for "groupnorm" the output
 * is not linear in v and this returns P, the matrix before the normalisation.
 * q, k (l, d_k) → (l, l). Drawn beside softmaxAttentionWeights.
 */
export function linearAttentionWeights(q: TensorLike, k: TensorLike, opts: LinearAttentionOptions = {}): tf.Tensor {
  const fn = "linearAttentionWeights";
  const {phi, gamma, normalize} = checkOptions(opts, fn);
  return tf.tidy(() => {
    const qt = toTensor(q, fn, "q");
    assertRank(qt, 2, fn, "q", "(l,d_k)");
    const kt = toTensor(k, fn, "k");
    assertShape(kt, qt.shape, fn, "k", "(l,d_k)");
    if (qt.shape[0] < 1) fail(fn, `q must have at least one row, but got shape (${qt.shape.join(",")})`);
    assertValues(fn, [[qt, "q", "finite"], [kt, "k", "finite"]]);
    const [pq, pk] = features(phi, qt, kt, fn);
    const P = tf.mul(tf.matMul(pq, pk, false, true), decayMask(qt.shape[0], gamma)); // (l, l)
    return normalize === "sum" ? tf.div(P, guard(tf.sum(P, 1, true))) : P;
  });
}

// ---------------------------------------------------------------- chunked and multi-head forms

export type AttentionForm = "parallel" | "recurrent" | "chunked" | "fused";
export interface LinearAttentionHeadsOptions {
  featureMap?: FeatureMap;
  /** γ ∈ (0, 1] for every head, or one γ_h per head (default 1: no decay) */
  decay?: number | number[];
  normalize?: Normalize;
  /** which of the equal forms computes it (default "parallel"); "fused": not on webgl */
  form?: AttentionForm;
  /** chunk length of the "chunked" form (default 64) and of the "fused" scan (default ≈ √l) */
  chunk?: number;
}

/** RetNet's per-head decays γ_h = 1 − 2^(−5−h), h = 0 … heads−1 (Sun et al. 2023): 0.969 … */
export function retnetDecays(heads: number): number[] {
  assertInteger(heads, "retnetDecays", "heads", 1);
  return Array.from({length: heads}, (_, i) => 1 - 2 ** (-5 - i));
}

function checkHeadDecays(decay: unknown, h: number, fn: string): number[] {
  const ok = (g: unknown) => typeof g === "number" && Number.isFinite(g) && g > 0 && g <= 1;
  if (typeof decay === "number" && ok(decay)) return Array(h).fill(decay);
  if (Array.isArray(decay) && decay.length === h && decay.every(ok)) return decay as number[];
  const shown = Array.isArray(decay) ? `[${decay.join(",")}]` : String(decay);
  fail(fn, `decay must be a number in (0, 1] or an array of h = ${h} such numbers, got ${shown}`);
}

function checkForm(form: unknown, fn: string): AttentionForm {
  if (form !== "parallel" && form !== "recurrent" && form !== "chunked" && form !== "fused") {
    fail(fn, `form must be "parallel", "recurrent", "chunked" or "fused", got ${JSON.stringify(form)}`);
  }
  if (form === "fused" && !FUSED_BACKENDS.includes(tf.getBackend())) fail(fn, `form "fused" runs on ${FUSED_BACKENDS.join(", ")}, but the active backend is ${tf.getBackend()}`);
  return form;
}

/** (h, l, l): head h's decay mask γ_h^{t−s} for s ≤ t, 0 above. */
function headDecayMasks(l: number, gammas: number[]): tf.Tensor {
  const t = tf.range(0, l, 1, "float32");
  const lag = tf.sub(tf.expandDims(t, 1), tf.expandDims(t, 0)); // (l, l) t − s
  const logG = tf.reshape(tf.tensor1d(gammas.map(Math.log)), [gammas.length, 1, 1]); // (h, 1, 1)
  const M = tf.exp(tf.mul(tf.expandDims(tf.relu(lag), 0), logG)); // (h, l, l)
  return tf.mul(M, tf.expandDims(tf.cast(tf.greaterEqual(lag, 0), "float32"), 0));
}

/**
 * Multi-head causal linear attention on validated (b, l, h, ·) tensors (inside a tidy).
 * The feature map sees rows (b·l·h, d_k).
 */
function headsOf(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, phi: (x: tf.Tensor) => tf.Tensor, gammas: number[],
  normalize: Normalize, form: AttentionForm, chunk: number | undefined, fn: string): tf.Tensor {
  const [nb, l, h, dk] = q.shape as number[];
  const dv = v.shape[3] as number;
  const bh = nb * h;
  const [pq2, pk2] = features(phi, tf.reshape(q, [nb * l * h, dk]), tf.reshape(k, [nb * l * h, dk]), fn); // (b·l·h, d_k')
  const dkp = pq2.shape[1] as number;
  const pq = tf.reshape(pq2, [nb, l, h, dkp]);
  const pk = tf.reshape(pk2, [nb, l, h, dkp]);
  if (form === "parallel") {
    const Q = tf.reshape(tf.transpose(pq, [0, 2, 1, 3]), [bh, l, dkp]); // (b·h, l, d_k')
    const K = tf.reshape(tf.transpose(pk, [0, 2, 1, 3]), [bh, l, dkp]);
    const V = tf.reshape(tf.transpose(v, [0, 2, 1, 3]), [bh, l, dv]); // (b·h, l, d_v)
    const P = tf.reshape(tf.mul(tf.reshape(tf.matMul(Q, K, false, true), [nb, h, l, l]), headDecayMasks(l, gammas)), [bh, l, l]);
    const o = normalized(tf.matMul(P, V), () => tf.sum(P, 2, true), normalize); // (b·h, l, d_v)
    return tf.transpose(tf.reshape(o, [nb, h, l, dv]), [0, 2, 1, 3]); // (b, l, h, d_v)
  }
  if (form === "recurrent") {
    const pqL = tf.reshape(tf.transpose(pq, [1, 0, 2, 3]), [l, bh, dkp]); // (l, b·h, d_k')
    const pkL = tf.reshape(tf.transpose(pk, [1, 0, 2, 3]), [l, bh, dkp]);
    const vL = tf.reshape(tf.transpose(v, [1, 0, 2, 3]), [l, bh, dv]); // (l, b·h, d_v)
    const g = tf.reshape(tf.tile(tf.tensor1d(gammas), [nb]), [1, bh, 1]); // (1, b·h, 1) γ of each (batch, head)
    const kv = tf.reshape(tf.mul(tf.expandDims(pkL, 3), tf.expandDims(vL, 2)), [l, bh, dkp * dv]); // φ(k_t)ᵀ v_t
    const S = scanPairs(tf.broadcastTo(g, [l, bh, dkp * dv]), kv); // (l, b·h, d_k'·d_v)
    const num = tf.reshape(tf.matMul(tf.reshape(pqL, [l * bh, 1, dkp]), tf.reshape(S, [l * bh, dkp, dv])), [l, bh, dv]);
    const o = normalized(num, () => tf.sum(tf.mul(pqL, scanPairs(tf.broadcastTo(g, [l, bh, dkp]), pkL)), 2, true), normalize);
    return tf.transpose(tf.reshape(o, [l, nb, h, dv]), [1, 0, 2, 3]); // (b, l, h, d_v)
  }
  // chunked and fused: SSD with x = v, B = φ(k), C = φ(q), a = log γ_h; for "sum" a column of
  // ones appended to v carries the normaliser z_t through the same computation (its output is φ(q_t)·z_t).
  const a = tf.broadcastTo(tf.reshape(tf.tensor1d(gammas.map(Math.log)), [1, 1, h]), [nb, l, h]); // (b, l, h)
  if (form === "fused" && tf.getBackend() === "cpu") {
    // the cpu backend's slice of a strided block is slow (~1 s at l = 16384): two scans instead
    const num = ssdFused(v, a, pk, pq).y; // (b, l, h, d_v)
    if (normalize !== "sum") return normalized(num, null, normalize);
    return tf.div(num, guard(ssdFused(tf.ones([nb, l, h, 1]), a, pk, pq).y));
  }
  const x = normalize === "sum" ? tf.concat([v, tf.ones([nb, l, h, 1])], 3) : v; // (b, l, h, d_v(+1))
  const p = x.shape[3] as number;
  const {y} = form === "fused"
    ? ssdFused(x, a, pk, pq, {chunk}) // (b, l, h, p)
    : ssdChunkedOf({x, a, B: pk, C: pq, S0: null, nb, l, h, p, n: dkp}, chunk ?? 64);
  if (normalize !== "sum") return normalized(y, null, normalize);
  const num = tf.slice(y, [0, 0, 0, 0], [nb, l, h, dv]);
  return tf.div(num, guard(tf.slice(y, [0, 0, 0, dv], [nb, l, h, 1])));
}

/**
 * Causal linear attention, chunked form: Mamba-2's SSD algorithm (ssd) with x = v,
 * B = φ(k), C = φ(q) and a = log γ, in chunks of `chunk` steps (default 64): the masked
 * matrix inside each chunk, the (d_k', d_v) state between chunks. Memory O(l·chunk).
 * Same arguments, options and result as linearAttention, plus chunk.
 */
export function linearAttentionChunked(q: TensorLike, k: TensorLike, v: TensorLike, opts: LinearAttentionOptions & {chunk?: number} = {}): tf.Tensor {
  const fn = "linearAttentionChunked";
  const {phi, gamma, normalize} = checkOptions(opts, fn);
  const chunk = assertInteger(opts.chunk ?? 64, fn, "chunk", 1);
  return tf.tidy(() => {
    const [qt, kt, vt] = checkQKV(q, k, v, fn);
    const [l, dk] = qt.shape as number[];
    const dv = vt.shape[1] as number;
    const o = headsOf(tf.reshape(qt, [1, l, 1, dk]), tf.reshape(kt, [1, l, 1, dk]), tf.reshape(vt, [1, l, 1, dv]), phi, [gamma], normalize, "chunked", chunk, fn);
    return tf.reshape(o, [l, dv]);
  });
}

/**
 * Multi-head causal linear attention with one decay per head (RetNet's γ_h; SUPRA's
 * linearised heads): for each batch entry and head independently,
 *   S_t = γ_h S_{t−1} + φ(k_t)ᵀ v_t,  o_t = normalise(φ(q_t) S_t)   (as linearAttention),
 * with "groupnorm" normalising each head's d_v outputs (torch's GroupNorm with h groups).
 *
 * Layout (l, h, d) per batch entry, as a projection's output reshaped (no transposes needed):
 * q, k (b, l, h, d_k) or (l, h, d_k); v (b, l, h, d_v) or (l, h, d_v) → (…, l, h, d_v), the
 * rank of q. Options: featureMap (as linearAttention; a function sees rows (b·l·h, d_k)),
 * decay (a number, or an array of h numbers in (0, 1]; retnetDecays(h) gives RetNet's),
 * normalize ("sum" default, "none", "groupnorm"), form ("parallel" default: the masked
 * (h, l, l) matrices; "recurrent": the scan over states; "chunked": SSD; "fused": ssdFused,
 * WebGPU programs or a loop on cpu/wasm, not on webgl, not differentiable), chunk (chunked:
 * default 64; fused on webgpu: default ≈ √l). The forms are equal; all but "fused" are composite tfjs ops, so tf.grad runs
 * through them.
 */
export function linearAttentionHeads(q: TensorLike, k: TensorLike, v: TensorLike, opts: LinearAttentionHeadsOptions = {}): tf.Tensor {
  const fn = "linearAttentionHeads";
  if (opts != null && typeof opts !== "object") fail(fn, `opts must be an object, got ${typeof opts}`);
  const {featureMap = "elu1", decay = 1, normalize = "sum", form = "parallel", chunk} = opts ?? {};
  const phi = checkFeatureMap(featureMap, fn);
  const norm = checkNormalize(normalize, fn);
  const f = checkForm(form, fn);
  if (chunk !== undefined) assertInteger(chunk, fn, "chunk", 1);
  return tf.tidy(() => {
    let qt = toTensor(q, fn, "q");
    const rank = qt.rank;
    if (rank !== 3 && rank !== 4) fail(fn, `q must be rank 4 (b,l,h,d_k) or rank 3 (l,h,d_k), but got rank ${rank} with shape (${qt.shape.join(",")})`);
    const dims = rank === 4 ? "(b,l,h,d_k)" : "(l,h,d_k)";
    let kt = toTensor(k, fn, "k");
    assertShape(kt, qt.shape, fn, "k", dims);
    let vt = toTensor(v, fn, "v");
    assertShape(vt, [...qt.shape.slice(0, -1), null], fn, "v", rank === 4 ? "(b,l,h,d_v)" : "(l,h,d_v)");
    if (qt.shape.some((s) => s < 1) || vt.shape[rank - 1] < 1) fail(fn, `q and v must have every dimension ≥ 1, but got shapes (${qt.shape.join(",")}) and (${vt.shape.join(",")})`);
    assertValues(fn, [[qt, "q", "finite"], [kt, "k", "finite"], [vt, "v", "finite"]]);
    if (rank === 3) [qt, kt, vt] = [tf.expandDims(qt, 0), tf.expandDims(kt, 0), tf.expandDims(vt, 0)];
    const gammas = checkHeadDecays(decay, qt.shape[2] as number, fn);
    const o = headsOf(qt, kt, vt, phi, gammas, norm, f, chunk, fn);
    return rank === 3 ? tf.squeeze(o, [0]) : o;
  });
}
