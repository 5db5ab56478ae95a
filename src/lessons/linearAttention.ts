// Page 6, /linear-attention: softmax attention on a small sequence, the kernel trick, causal
// linear attention in its two equal forms (the masked l×l matrix and the RNN with a matrix
// state), RetNet's decay, the feature maps beside softmax with a measured distance, and
// SUPRA's learned map fitted live. Plain data out (Float32Arrays, numbers); no DOM.
//
//   softmax   o = softmax(q kᵀ/√d_k + causal mask) v                      Vaswani et al. 2017
//   linear    S_t = γ S_{t−1} + φ(k_t)ᵀ v_t,  o_t = φ(q_t) S_t / φ(q_t)·z_t   Katharopoulos et al. 2020
//             decay γ: Sun et al. 2023 (RetNet); GroupNorm instead of the sum: Mercat et al. 2024
//
// Glossary: l length, d_k query/key width, d_v value width, φ a feature map (d_k → d_k'),
// W (l, l) attention weights (o = W v), S (d_k', d_v) the state.
import * as tf from "@tensorflow/tfjs";
import {
  decayMask, gaussian, linearAttention, linearAttentionChunked, linearAttentionRecurrent, linearAttentionWeights,
  mlpFeatureMap, mulberry32, softmaxAttention, softmaxAttentionWeights, type FeatureMap, type Normalize
} from "../kernels/index.js";

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

// ---------------------------------------------------------------- the sequence

/** The text the "text" sequence reads (cut to l characters; repeated if l is longer). */
export const SENTENCE = "the cat sat on the mat. the rat ate the hat. a bat saw the cat and ran.";

export type SequenceKind = "text" | "random";
export interface SequenceParams {
  kind: SequenceKind;
  /** length l */
  l: number;
  /** query/key width d_k */
  dk: number;
  /** sharpness: the scale of q and k (the softmax's inverse temperature is scale²) */
  scale: number;
  seed: number;
}

export interface Sequence {
  l: number; dk: number; dv: number;
  /** (l, d_k), (l, d_k), (l, d_v), row-major */
  q: Float32Array; k: Float32Array; v: Float32Array;
  /** one label per position (the character, or its index) */
  tokens: string[];
  params: SequenceParams;
}

export const DV = 4;

/** A seeded vector of unit length in d dimensions. */
function unitVector(g: () => number, d: number): Float64Array {
  const e = Float64Array.from({length: d}, () => g());
  const norm = Math.hypot(...e) || 1;
  return e.map((x) => x / norm);
}

/**
 * The page's small sequence. "text": the characters of SENTENCE, each with a seeded random
 * unit embedding e(c); q_t = k_t = scale · d_k^{1/4} · e(c_t), so the score q_t·k_s/√d_k is
 * scale² · cos(e(c_t), e(c_s)): a character matches itself and every earlier copy of itself
 * most. "random": q, k with N(0, scale²) entries. v has N(0, 1) entries (d_v = 4) in both.
 */
export function attentionSequence(p: SequenceParams): Sequence {
  const {kind, l, dk, scale, seed} = p;
  if (!Number.isInteger(l) || l < 1) throw new Error(`attentionSequence: l must be an integer ≥ 1, got ${l}`);
  if (!Number.isInteger(dk) || dk < 1) throw new Error(`attentionSequence: dk must be an integer ≥ 1, got ${dk}`);
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`attentionSequence: scale must be a finite number > 0, got ${scale}`);
  const q = new Float32Array(l * dk), k = new Float32Array(l * dk), v = new Float32Array(l * DV);
  const g = gaussian(seed * 7919 + 13);
  const tokens: string[] = [];
  if (kind === "text") {
    const text = SENTENCE.repeat(Math.ceil(l / SENTENCE.length)).slice(0, l);
    const emb = new Map<string, Float64Array>();
    for (const c of [...new Set(SENTENCE)].sort()) emb.set(c, unitVector(g, dk));
    const s = scale * dk ** 0.25;
    for (let t = 0; t < l; t++) {
      const e = emb.get(text[t])!;
      for (let j = 0; j < dk; j++) q[t * dk + j] = k[t * dk + j] = s * e[j];
      tokens.push(text[t] === " " ? "␣" : text[t]);
    }
  } else {
    for (let i = 0; i < l * dk; i++) { q[i] = scale * g(); k[i] = scale * g(); }
    for (let t = 0; t < l; t++) tokens.push(String(t));
  }
  const gv = gaussian(seed * 104729 + 7);
  for (let i = 0; i < l * DV; i++) v[i] = gv();
  return {l, dk, dv: DV, q, k, v, tokens, params: {...p}};
}

/** The sequence as tensors (the caller disposes them). */
function tensorsOf(s: Sequence): {q: tf.Tensor2D; k: tf.Tensor2D; v: tf.Tensor2D} {
  return {q: tf.tensor2d(s.q, [s.l, s.dk]), k: tf.tensor2d(s.k, [s.l, s.dk]), v: tf.tensor2d(s.v, [s.l, s.dv])};
}

/** Reads tensors asynchronously (never a synchronous GPU read) and disposes them. */
async function readAll(ts: tf.Tensor[]): Promise<Float32Array[]> {
  try {
    return (await Promise.all(ts.map((t) => t.data()))) as Float32Array[];
  } finally {
    tf.dispose(ts);
  }
}

// ---------------------------------------------------------------- softmax attention

export interface SoftmaxView {
  /** (l, l) weights, rows sum to 1 */
  W: Float32Array;
  /** (l, d_v) output */
  o: Float32Array;
  /** the l×l cost: scores computed, and the floats a decoder keeps per layer and head (K and V) */
  scores: number; kvFloats: number;
  ms: number;
}

/** Softmax attention of the sequence: its weights, output and cost. */
export async function softmaxView(s: Sequence): Promise<SoftmaxView> {
  const t0 = now();
  const {q, k, v} = tensorsOf(s);
  const [W, o] = await readAll([softmaxAttentionWeights(q, k), softmaxAttention(q, k, v), q, k, v]);
  return {W, o, scores: s.l * s.l, kvFloats: s.l * (s.dk + s.dv), ms: now() - t0};
}

// ---------------------------------------------------------------- linear attention, two forms

export type MapKey = "elu1" | "relu" | "identity" | "random" | "learned";
export const MAP_LABELS: Record<MapKey, string> = {
  elu1: "elu(x) + 1", relu: "ReLU", identity: "identity", random: "random features (Performer)", learned: "learned ReLU(xW + b) (SUPRA)"
};

/** Weights of a learned map ReLU(x W + b): W (d_k, d_k') and b (d_k'), row-major. */
export interface LearnedMap { dk: number; df: number; W: Float32Array; b: Float32Array }

export interface MapOptions {
  /** Performer: the number of random features m and their seed */
  features: number;
  seed: number;
  /** SUPRA's map, once fitted (null: not yet) */
  learned: LearnedMap | null;
}

/** The kernel's featureMap for a key; null when the learned map is asked for but not there. */
export function featureMapOf(key: MapKey, o: MapOptions): FeatureMap | null {
  switch (key) {
    case "elu1": case "relu": case "identity": return key;
    case "random": return {kind: "random", features: o.features, seed: o.seed, orthogonal: true};
    case "learned": {
      if (!o.learned) return null;
      const {dk, df, W, b} = o.learned;
      const Wt = Array.from({length: dk}, (_, i) => Array.from(W.subarray(i * df, (i + 1) * df)));
      return mlpFeatureMap(Wt, Array.from(b));
    }
  }
}

/** The width d_k' of φ's output for a key (the state is d_k' × d_v). */
export function featureWidth(key: MapKey, dk: number, o: MapOptions): number {
  return key === "random" ? o.features : key === "learned" && o.learned ? o.learned.df : dk;
}

export interface LinearForms {
  /** (l, d_v) from the masked matrix, the recurrence, and the chunked (SSD) algorithm */
  parallel: Float32Array; recurrent: Float32Array; chunked: Float32Array;
  /** max |parallel − recurrent|, max |parallel − chunked|, max |parallel| */
  diff: number; diffChunked: number; maxAbs: number;
  /** (l, l): the masked kernel matrix (φ(Q)φ(K)ᵀ) ⊙ M, row-normalised for "sum" */
  P: Float32Array;
  /** (l, l): the decay mask M_ts = γ^{t−s} */
  M: Float32Array;
  /** state floats d_k'·d_v (+ d_k' for the sum's z) */
  stateFloats: number;
  chunk: number;
  finite: boolean;
  ms: {parallel: number; recurrent: number};
}

/**
 * Linear attention of the sequence in its two equal forms (and the chunked one), for a
 * feature map, decay γ and normaliser: the outputs, their largest difference, the weight
 * matrix and the decay mask.
 */
export async function linearForms(s: Sequence, key: MapKey, decay: number, normalize: Normalize, o: MapOptions, chunk = 8): Promise<LinearForms> {
  const featureMap = featureMapOf(key, o) ?? "elu1";
  const opts = {featureMap, decay, normalize};
  const {q, k, v} = tensorsOf(s);
  const t0 = now();
  const par = linearAttention(q, k, v, opts);
  const [parallel] = await readAll([par]);
  const t1 = now();
  const rec = linearAttentionRecurrent(q, k, v, opts);
  const [recurrent] = await readAll([rec]);
  const t2 = now();
  const [chunked, P, M] = await readAll([
    linearAttentionChunked(q, k, v, {...opts, chunk}), linearAttentionWeights(q, k, opts), decayMask(s.l, decay), q, k, v]);
  let diff = 0, diffChunked = 0, maxAbs = 0, finite = true;
  for (let i = 0; i < parallel.length; i++) {
    if (!Number.isFinite(parallel[i]) || !Number.isFinite(recurrent[i])) finite = false;
    diff = Math.max(diff, Math.abs(parallel[i] - recurrent[i]));
    diffChunked = Math.max(diffChunked, Math.abs(parallel[i] - chunked[i]));
    maxAbs = Math.max(maxAbs, Math.abs(parallel[i]));
  }
  const w = featureWidth(key, s.dk, o);
  return {parallel, recurrent, chunked, diff, diffChunked, maxAbs, P, M, stateFloats: w * s.dv + (normalize === "sum" ? w : 0), chunk,
    finite, ms: {parallel: t1 - t0, recurrent: t2 - t1}};
}

// ---------------------------------------------------------------- feature maps beside softmax

/**
 * Mean over rows of the total-variation distance ½ Σ_s |A_ts − B_ts| between two (l, l)
 * weight matrices. For rows that are probability distributions (softmax's, and linear
 * attention's with a non-negative φ) it lies in [0, 1]: 0 equal, 1 disjoint.
 */
export function rowDistance(A: ArrayLike<number>, B: ArrayLike<number>, l: number): number {
  let sum = 0;
  for (let t = 0; t < l; t++) {
    let d = 0;
    for (let s = 0; s < l; s++) d += Math.abs(A[t * l + s] - B[t * l + s]);
    sum += d / 2;
  }
  return sum / l;
}

/** max |a − b| / max |b|: the output's relative error. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) { num = Math.max(num, Math.abs(a[i] - b[i])); den = Math.max(den, Math.abs(b[i])); }
  return den > 0 ? num / den : num;
}

export interface MapRow {
  key: MapKey; label: string;
  /** (l, l) weights, rows normalised by their sum (o = W v) */
  W: Float32Array;
  /** rowDistance to softmax's weights, and the output's relative error against softmax's */
  distance: number; outputError: number;
  /** rows with a negative weight (φ not positive: identity), and the width d_k' */
  negativeRows: number; width: number;
}

/**
 * Every feature map beside softmax on the same sequence (decay 1, sum normalisation, so that
 * each W is directly comparable with softmax's rows): its weights and measured distance.
 * The learned map is left out until it has been fitted.
 */
export async function featureMapRows(s: Sequence, soft: SoftmaxView, o: MapOptions): Promise<MapRow[]> {
  const rows: MapRow[] = [];
  const {q, k, v} = tensorsOf(s);
  try {
    for (const key of Object.keys(MAP_LABELS) as MapKey[]) {
      const featureMap = featureMapOf(key, o);
      if (!featureMap) continue;
      const opts = {featureMap, decay: 1, normalize: "sum" as const};
      const [W, out] = await readAll([linearAttentionWeights(q, k, opts), linearAttention(q, k, v, opts)]);
      let negativeRows = 0;
      for (let t = 0; t < s.l; t++) if (W.subarray(t * s.l, (t + 1) * s.l).some((x) => x < -1e-7)) negativeRows++;
      rows.push({key, label: MAP_LABELS[key], W, distance: rowDistance(W, soft.W, s.l), outputError: relativeError(out, soft.o), negativeRows, width: featureWidth(key, s.dk, o)});
    }
  } finally {
    tf.dispose([q, k, v]);
  }
  return rows;
}

/** The distance of Performer's features to softmax against their number m (a few seeds each). */
export async function performerSweep(s: Sequence, soft: SoftmaxView, ms: readonly number[] = [4, 8, 16, 32, 64, 128, 256], seeds = 4): Promise<{m: number[]; mean: number[]; min: number[]; max: number[]}> {
  const out = {m: [...ms], mean: [] as number[], min: [] as number[], max: [] as number[]};
  const q = tf.tensor2d(s.q, [s.l, s.dk]), k = tf.tensor2d(s.k, [s.l, s.dk]);
  try {
    for (const m of ms) {
      const ds: number[] = [];
      for (let seed = 0; seed < seeds; seed++) {
        const [W] = await readAll([linearAttentionWeights(q, k, {featureMap: {kind: "random", features: m, seed}, decay: 1, normalize: "sum"})]);
        ds.push(rowDistance(W, soft.W, s.l));
      }
      out.mean.push(ds.reduce((a, b) => a + b, 0) / ds.length);
      out.min.push(Math.min(...ds));
      out.max.push(Math.max(...ds));
    }
  } finally {
    tf.dispose([q, k]);
  }
  return out;
}

// ---------------------------------------------------------------- SUPRA's map, fitted live

export interface FitOptions {
  /** output width d_k' of the map */
  df: number;
  steps: number;
  lr: number;
  /** sequences per step */
  batch: number;
  seed: number;
}
export const FIT_DEFAULTS: FitOptions = {df: 16, steps: 300, lr: 0.02, batch: 8, seed: 1};

export interface FitProgress { step: number; loss: number; map: LearnedMap; stepsPerSecond: number }

/** Training sequences like the page's: the same kind, sizes and embeddings, other text or draws. */
function trainingSequence(p: SequenceParams, r: () => number, i: number): Sequence {
  if (p.kind === "random") return attentionSequence({...p, seed: 1000 + p.seed * 97 + i});
  // random strings over the sentence's alphabet, with the page's character embeddings
  const alphabet = [...new Set(SENTENCE)];
  const text = Array.from({length: p.l}, () => alphabet[Math.floor(r() * alphabet.length)]).join("");
  const base = attentionSequence({...p, l: SENTENCE.length});
  const at = new Map([...SENTENCE].map((c, t) => [c, t]));
  const q = new Float32Array(p.l * p.dk);
  for (let t = 0; t < p.l; t++) q.set(base.q.subarray(at.get(text[t])! * p.dk, (at.get(text[t])! + 1) * p.dk), t * p.dk);
  return {...base, l: p.l, q, k: q, v: base.v.subarray(0, p.l * DV), tokens: [...text]};
}

/**
 * Fits SUPRA's feature map φ(x) = ReLU(x W + b) so that linear attention's weights match
 * softmax's: Adam on the mean cross-entropy of each softmax row against the linear row
 * (KL divergence up to a constant), over sequences like the page's (not the page's own, so
 * the distance the page prints is measured on a sequence the map has not seen). SUPRA itself
 * learns the map end to end while uptraining the whole model; fitting it to softmax's weights
 * directly is a smaller experiment of the same map. Yields after every step (onStep); stops
 * when signal.aborted. Leaks nothing.
 */
export async function fitLearnedMap(p: SequenceParams, options: Partial<FitOptions> = {}, {onStep, signal, yieldFn}:
  {onStep?: (pr: FitProgress) => void; signal?: {aborted: boolean}; yieldFn?: () => Promise<void>} = {}): Promise<LearnedMap> {
  const o = {...FIT_DEFAULTS, ...options};
  const {l, dk} = p;
  const g = gaussian(o.seed * 31 + 5);
  const init = Float32Array.from({length: dk * o.df}, () => g() / Math.sqrt(dk));
  const [W, b] = tf.tidy(() => [tf.variable(tf.tensor2d(init, [dk, o.df])), tf.variable(tf.fill([o.df], 0.1))]);
  const opt = tf.train.adam(o.lr);
  const r = mulberry32(o.seed * 13 + 1);
  const causal = tf.tidy(() => tf.linalg.bandPart(tf.ones([l, l]), -1, 0)); // (l, l)
  const pause = yieldFn ?? (() => new Promise<void>((res) => setTimeout(res, 0)));
  let map: LearnedMap = {dk, df: o.df, W: new Float32Array(dk * o.df), b: new Float32Array(o.df)};
  const t0 = now();
  try {
    for (let step = 1; step <= o.steps; step++) {
      if (signal?.aborted) break;
      const seqs = Array.from({length: o.batch}, (_, i) => trainingSequence(p, r, step * o.batch + i));
      const Q = tf.tensor3d(Float32Array.from(seqs.flatMap((s) => Array.from(s.q))), [o.batch, l, dk]);
      const K = tf.tensor3d(Float32Array.from(seqs.flatMap((s) => Array.from(s.k))), [o.batch, l, dk]);
      const target = tf.tidy(() => {
        const scores = tf.div(tf.matMul(Q, K, false, true), Math.sqrt(dk)); // (B, l, l)
        return tf.softmax(tf.add(scores, tf.mul(tf.sub(1, causal), -1e9)), -1);
      });
      const cost = opt.minimize(() => tf.tidy(() => {
        const phi = (x: tf.Tensor) => tf.relu(tf.add(tf.matMul(tf.reshape(x, [o.batch * l, dk]), W), b)); // (B·l, d_f)
        const pq = tf.reshape(phi(Q), [o.batch, l, o.df]), pk = tf.reshape(phi(K), [o.batch, l, o.df]);
        const P = tf.mul(tf.matMul(pq, pk, false, true), causal); // (B, l, l)
        const Wl = tf.div(P, tf.add(tf.sum(P, -1, true), 1e-6));
        return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.log(tf.add(Wl, 1e-6))), -1))) as tf.Scalar;
      }), true, [W, b]);
      tf.dispose([Q, K, target]);
      const [loss, Wd, bd] = await readAll([cost!, W.clone(), b.clone()]);
      map = {dk, df: o.df, W: Wd, b: bd};
      onStep?.({step, loss: loss[0], map, stepsPerSecond: step / ((now() - t0) / 1000)});
      await pause();
    }
  } finally {
    tf.dispose([W, b, causal]);
    opt.dispose();
  }
  return map;
}

// ---------------------------------------------------------------- notices

export interface NoticeItem { level: "info" | "warn" | "error"; text: string }

/** Notices for the linear forms: non-finite outputs, the identity map's tiny denominators. */
export function formsNotices(f: LinearForms, key: MapKey, normalize: Normalize): NoticeItem[] {
  const out: NoticeItem[] = [];
  if (!f.finite) out.push({level: "error", text: "The output is not finite (a denominator φ(q)·z was 0): try another feature map or normaliser."});
  if (normalize === "sum" && (key === "identity") && f.maxAbs > 20) {
    out.push({level: "warn", text: `With the identity map the denominator φ(q_t)·z_t can be near 0 or negative, so outputs blow up (largest |o| = ${f.maxAbs.toPrecision(3)}): the instability that made SUPRA drop the sum.`});
  }
  return out;
}
