// Building blocks shared by the models: every function is a composition of tfjs ops that has
// a gradient on every backend, wasm included (no gather: its gradient needs
// UnsortedSegmentSum, which the wasm backend lacks; no depthwiseConv2d: its gradients are
// missing there too). Call them inside a tidy or a gradient tape.
//
// Glossary: b batch, l length, D model width, V vocabulary, c channels.
import * as tf from "@tensorflow/tfjs";

/** Swaps the last two axes. */
function swapLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 2] = x.rank - 1;
  perm[x.rank - 1] = x.rank - 2;
  return tf.transpose(x, perm);
}

/**
 * a @ b with a gradient that transposes explicitly: tfjs's own matMul gradient calls matMul
 * with transposeA/transposeB, which the wasm backend computes about 7x slower than a
 * transpose followed by a plain matMul (measured: 2048×32 by 2048×128, 7.5 ms against 1.1).
 * Same batch dimensions on both sides (or rank 2).
 */
const matMulT: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: (t: tf.Tensor[]) => void) => {
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved;
      return [tf.matMul(dy, swapLast(sb)), tf.matMul(swapLast(sa), dy)];
    }
  };
}) as any) as any;

/** a @ b (rank ≥ 2, same batch dimensions), with the fast gradient on wasm. */
export function matmul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.getBackend() === "wasm" ? matMulT(a, b) : tf.matMul(a, b);
}

/** a @ bᵀ over the last two axes. */
export function matmulBT(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.getBackend() === "wasm" ? matMulT(a, swapLast(b)) : tf.matMul(a, b, false, true);
}

/** x (…, in) @ W (in, out) [+ bias (out)] → (…, out). */
export function linear(x: tf.Tensor, W: tf.Tensor, bias?: tf.Tensor | null): tf.Tensor {
  const inDim = x.shape[x.rank - 1] as number;
  const outDim = W.shape[1] as number;
  const lead = x.shape.slice(0, -1);
  let y = matmul(tf.reshape(x, [-1, inDim]), W); // (rows, out)
  if (bias) y = tf.add(y, bias);
  return tf.reshape(y, [...lead, outDim]);
}

/** Token embedding as oneHot(tokens) @ E: tokens (b, l) int32, E (V, D) → (b, l, D). */
export function embed(tokens: tf.Tensor, E: tf.Tensor): tf.Tensor {
  const [b, l] = tokens.shape as number[];
  const V = E.shape[0] as number;
  const oh = tf.oneHot(tf.reshape(tokens, [-1]), V); // (b·l, V) int32
  return tf.reshape(matmul(tf.cast(oh, "float32"), E), [b, l, E.shape[1] as number]);
}

/** RMSNorm (Zhang & Sennrich 2019): x / sqrt(mean(x²) + eps) · w over the last axis. */
export function rmsNorm(x: tf.Tensor, w: tf.Tensor, eps = 1e-5): tf.Tensor {
  const ms = tf.mean(tf.square(x), -1, true);
  return tf.mul(tf.mul(x, tf.rsqrt(tf.add(ms, eps))), w);
}

/** LayerNorm over the last axis with gain g and bias b (or none). */
export function layerNorm(x: tf.Tensor, g: tf.Tensor | null, b: tf.Tensor | null, eps = 1e-5): tf.Tensor {
  const {mean, variance} = tf.moments(x, -1, true);
  let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
  if (g) y = tf.mul(y, g);
  if (b) y = tf.add(y, b);
  return y;
}

export function silu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.sigmoid(x));
}

/** GELU, tanh approximation (Hendrycks & Gimpel 2016). */
export function gelu(x: tf.Tensor): tf.Tensor {
  const c = Math.sqrt(2 / Math.PI);
  const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), c);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

/**
 * Causal depthwise convolution along l (Mamba's conv1d with groups = channels, padding
 * k − 1, cut to l): x (b, l, c), w (c, k), bias (c) →
 *   y_t = bias + Σ_{j=0}^{k−1} w[:, j] ⊙ x_{t−(k−1)+j}      (x_s = 0 for s < 0)
 * so w[:, k−1] weighs the current step, as PyTorch's Conv1d weight (c, 1, k) does.
 */
export function causalDepthwiseConv(x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor | null): tf.Tensor {
  const [b, l, c] = x.shape as number[];
  const k = w.shape[1] as number;
  const xp = tf.pad(x, [[0, 0], [k - 1, 0], [0, 0]]); // (b, l + k − 1, c)
  let y: tf.Tensor | null = null;
  for (let j = 0; j < k; j++) {
    const wj = tf.reshape(tf.slice(w, [0, j], [c, 1]), [c]); // (c)
    const term = tf.mul(tf.slice(xp, [0, j, 0], [b, l, c]), wj);
    y = y ? tf.add(y, term) : term;
  }
  return bias ? tf.add(y!, bias) : y!;
}

/**
 * Mean cross-entropy over the positions with weight > 0, and the same weights' sum:
 * logits (b, l, V), targets (b, l) int32, weights (b, l) float32 (1 where the task scores).
 */
export function maskedCrossEntropy(logits: tf.Tensor, targets: tf.Tensor, weights: tf.Tensor): tf.Scalar {
  const V = logits.shape[2] as number;
  const logp = tf.logSoftmax(logits, -1); // (b, l, V)
  const oh = tf.cast(tf.oneHot(targets, V), "float32"); // (b, l, V)
  const nll = tf.neg(tf.sum(tf.mul(logp, oh), -1)); // (b, l)
  return tf.div(tf.sum(tf.mul(nll, weights)), tf.maximum(tf.sum(weights), 1)) as tf.Scalar;
}

/** Split x along its last axis into pieces of the given sizes. */
export function splitLast(x: tf.Tensor, sizes: number[]): tf.Tensor[] {
  return tf.split(x, sizes, x.rank - 1);
}
