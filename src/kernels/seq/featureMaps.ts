// Feature maps φ for linear attention beyond elu+1, ReLU and identity (attention.ts):
//   - Performer's positive random features (Choromanski et al. 2021, "Rethinking Attention with
//     Performers", FAVOR+): φ(x)ᵀφ(y) is an unbiased estimate of the softmax kernel
//     exp(xᵀy/√d_k), so linear attention with them approaches softmax attention as the number
//     of features m grows; orthogonal random features lower the variance;
//   - SUPRA's learned map, one linear layer and a ReLU (Mercat et al. 2024, "Linearizing Large
//     Language Models").
import * as tf from "@tensorflow/tfjs";
import {gaussian} from "../random.js";
import {assertInteger, assertRank, assertShape, assertValues, fail, toTensor, type TensorLike} from "../validate.js";

/** Performer's positive random features, made for the queries' width d_k (see randomFeatureMap). */
export interface RandomFeatureSpec {kind: "random"; features?: number; seed?: number; orthogonal?: boolean}

/**
 * Performer's random projection W (m, d_k), seeded: rows drawn from N(0, I). With
 * orthogonal (default, Performer's ORF), each block of d_k rows is made orthonormal by
 * Gram–Schmidt and each row rescaled to the norm of an independent N(0, I) vector, so the
 * rows keep their Gaussian lengths but do not overlap (lower variance, Choromanski et al. 2021).
 * Returns the flat row-major Float32Array (m·d_k).
 */
export function performerWeights(dk: number, {features = 64, seed = 0, orthogonal = true}: Omit<RandomFeatureSpec, "kind"> = {}, fn = "performerWeights"): Float32Array {
  assertInteger(dk, fn, "d_k", 1);
  assertInteger(features, fn, "features", 1);
  if (typeof seed !== "number" || !Number.isFinite(seed)) fail(fn, `seed must be a finite number, got ${String(seed)}`);
  const g = gaussian(seed);
  const m = features;
  const W = new Float32Array(m * dk);
  if (!orthogonal) {
    for (let i = 0; i < m * dk; i++) W[i] = g();
    return W;
  }
  for (let r0 = 0; r0 < m; r0 += dk) {
    const Q: Float64Array[] = [];
    for (let i = 0; i < dk; i++) {
      const v = Float64Array.from({length: dk}, () => g());
      for (const u of Q) {
        let dot = 0;
        for (let j = 0; j < dk; j++) dot += v[j] * u[j];
        for (let j = 0; j < dk; j++) v[j] -= dot * u[j];
      }
      let nv = 0;
      for (let j = 0; j < dk; j++) nv += v[j] * v[j];
      nv = Math.sqrt(nv);
      for (let j = 0; j < dk; j++) v[j] /= nv;
      Q.push(v);
    }
    for (let i = 0; i < dk && r0 + i < m; i++) {
      let chi = 0;
      for (let j = 0; j < dk; j++) chi += g() ** 2;
      chi = Math.sqrt(chi);
      for (let j = 0; j < dk; j++) W[(r0 + i) * dk + j] = Q[i][j] * chi;
    }
  }
  return W;
}

/**
 * Performer's positive random features (FAVOR+) for the softmax kernel of attention:
 * φ(x) = exp(W x' − |x'|²/2) / √m with x' = x / d_k^{1/4}, so that E[φ(q)·φ(k)] = exp(q·k/√d_k),
 * the unnormalised weight of softmaxAttention. x (r, d_k); W (m, d_k) → (r, m), every entry > 0.
 * No max-subtraction: exact for moderate inputs (overflows float32 once |W x'| ≳ 88).
 */
export function positiveRandomFeatures(x: TensorLike, W: TensorLike): tf.Tensor {
  const fn = "positiveRandomFeatures";
  return tf.tidy(() => {
    const xt = toTensor(x, fn, "x");
    assertRank(xt, 2, fn, "x", "(r,d_k)");
    const dk = xt.shape[1] as number;
    const Wt = toTensor(W, fn, "W");
    assertRank(Wt, 2, fn, "W", "(m,d_k)");
    assertShape(Wt, [null, dk], fn, "W", "(m,d_k)");
    if (dk < 1 || Wt.shape[0] < 1) fail(fn, `W must have m ≥ 1 rows and x d_k ≥ 1 columns, but got shapes (${Wt.shape.join(",")}) and (${xt.shape.join(",")})`);
    assertValues(fn, [[xt, "x", "finite"], [Wt, "W", "finite"]]);
    const m = Wt.shape[0] as number;
    const xs = tf.mul(xt, dk ** -0.25); // (r, d_k)
    const proj = tf.matMul(xs, Wt, false, true); // (r, m)
    const half = tf.mul(tf.sum(tf.square(xs), 1, true), 0.5); // (r, 1)
    return tf.mul(tf.exp(tf.sub(proj, half)), 1 / Math.sqrt(m)); // (r, m)
  });
}

/** A feature map with the weights it uses. */
export type RandomFeatureMap = ((x: tf.Tensor) => tf.Tensor) & {W: Float32Array; features: number; dk: number};

/**
 * Performer's feature map for rows of width d_k: φ = positiveRandomFeatures(·, W) with
 * W = performerWeights(d_k, {features = 64, seed = 0, orthogonal = true}). Seeded: the same
 * options give the same map. Pass it as featureMap, or pass {kind: "random", …} to let the
 * kernel make it for the queries' width.
 */
export function randomFeatureMap(dk: number, spec: Omit<RandomFeatureSpec, "kind"> = {}, fn = "randomFeatureMap"): RandomFeatureMap {
  const features = spec.features ?? 64;
  const W = performerWeights(dk, spec, fn);
  const map = ((x: tf.Tensor) => tf.tidy(() => {
    if (x.shape[x.rank - 1] !== dk) fail(fn, `featureMap was made for d_k = ${dk}, but got rows of width ${x.shape[x.rank - 1]}`);
    return positiveRandomFeatures(x, tf.tensor(W, [features, dk]));
  })) as RandomFeatureMap;
  return Object.assign(map, {W, features, dk});
}

/**
 * SUPRA's learned feature map, one linear layer and a ReLU: φ(x) = ReLU(x W + b)
 * (Mercat et al. 2024; shared by queries and keys). W (d_k, d_k') and b (d_k') may be
 * tf.Variables (the map is differentiable in them); they are not copied or disposed.
 * SUPRA's layer also scales the keys by 1/√d_k and applies rotary position embeddings after
 * φ: those are the model's steps, before it calls the kernel.
 */
export function mlpFeatureMap(W: tf.Tensor | number[][], b: tf.Tensor | number[] | null = null): (x: tf.Tensor) => tf.Tensor {
  const fn = "mlpFeatureMap";
  const shapeOf = (t: tf.Tensor | number[][] | number[]) => (t instanceof tf.Tensor ? t.shape : [t.length, ...(Array.isArray(t[0]) ? [(t[0] as number[]).length] : [])]);
  const ws = shapeOf(W);
  if (ws.length !== 2 || ws[0] < 1 || ws[1] < 1) fail(fn, `W must be rank 2 (d_k,d_k') with d_k, d_k' ≥ 1, but got shape (${ws.join(",")})`);
  if (b != null && (shapeOf(b).length !== 1 || shapeOf(b)[0] !== ws[1])) fail(fn, `b must have shape (d_k') = (${ws[1]}), but got (${shapeOf(b).join(",")})`);
  return (x) => tf.tidy(() => {
    if (x.shape[x.rank - 1] !== ws[0]) fail(fn, `x must have rows of width d_k = ${ws[0]} (W's rows), but got shape (${x.shape.join(",")})`);
    const Wt = toTensor(W, fn, "W");
    const y = tf.matMul(x, Wt); // (r, d_k')
    return tf.relu(b == null ? y : tf.add(y, toTensor(b, fn, "b")));
  });
}
