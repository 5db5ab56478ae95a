// RetNet's retention (Sun et al. 2023, "Retentive Network: A Successor to Transformer for
// Large Language Models", §2.1), per head with decay γ, in its three forms:
//
//   recurrent   S_n = γ S_{n−1} + K_nᵀ V_n,   o_n = Q_n S_n
//   parallel    o = (Q Kᵀ ⊙ D) V,   D_nm = γ^{n−m} for n ≥ m, else 0
//   chunkwise   chunks of B rows, i = 0 … ⌈l/B⌉ − 1:
//               R_i = K_[i]ᵀ (V_[i] ⊙ ζ) + γ^B R_{i−1},   ζ_j = γ^{B−1−j}
//               o_[i] = (Q_[i] K_[i]ᵀ ⊙ D) V_[i]  +  (Q_[i] R_{i−1}) ⊙ ξ,   ξ_j = γ^{j+1}
//               (inner-chunk parallel + cross-chunk recurrent; R_{−1} = 0)
//
// In the site's notation the recurrent form is an SSM with a matrix state:
//   x_k = Ā x_{k−1} + B̄_k u_k,  y_k = C_k x_k,   x = S (d_k, d_v), Ā = γ I, B̄_k u_k = K_kᵀ V_k, C_k = Q_k:
// a scalar, time-invariant decay (linear attention with decay; Mamba-2 makes γ input-dependent).
//
// Multi-scale retention gives every head its own γ: γ_h = 1 − 2^{−5−h}, h = 0 … heads − 1
// (retentionGammas; torchscale's RetNetRelPos: `decay = log(1 − 2^(−5 − arange(heads)))`).
//
// What is left out, on purpose: the normalisations of the official code (microsoft/torchscale,
// torchscale/component/multiscale_retention.py divide QKᵀ ⊙ D by its clamped row sums and
// rescale the chunk states) — positive factors per row that the GroupNorm after retention
// removes (up to its eps), so the three forms here are the unnormalised forms and agree
// exactly; the GroupNorm, the swish gate and the projections are the caller's. The xPos
// rotation is included separately (retentionRotate, torchscale's `theta_shift`), to be
// applied to Q and K before any form: it changes the scores, never the agreement of the forms.
//
// Glossary: h heads, l length, d_k key width, d_v value width; q, k (h, l, d_k), v (h, l, d_v),
// gamma (h) (or one number for every head) in (0, 1].
import * as tf from "@tensorflow/tfjs";
import {scanPairs} from "../seq/linearScan.js";
import {assertInteger, assertRank, assertShape, assertValues, fail, shapeString, toTensor, type TensorLike} from "../validate.js";
import {channelArg} from "./args.js";

interface Checked { q: tf.Tensor3D; k: tf.Tensor3D; v: tf.Tensor3D; logGamma: tf.Tensor1D; h: number; l: number; dk: number; dv: number }

function checkArgs(fn: string, q: TensorLike, k: TensorLike, v: TensorLike, gamma: TensorLike): Checked {
  const qt = toTensor(q, fn, "q");
  assertRank(qt, 3, fn, "q", "(h, l, d_k)");
  const [h, l, dk] = qt.shape;
  if (h < 1 || l < 1 || dk < 1) fail(fn, `q must have shape (h, l, d_k) with every size ≥ 1, but got ${shapeString(qt.shape)}`);
  const kt = toTensor(k, fn, "k");
  assertShape(kt, [h, l, dk], fn, "k", "(h, l, d_k)");
  const vt = toTensor(v, fn, "v");
  assertShape(vt, [h, l, null], fn, "v", "(h, l, d_v)");
  const dv = (vt.shape as number[])[2];
  if (dv < 1) fail(fn, `v must have d_v ≥ 1, but got ${shapeString(vt.shape)}`);
  assertValues(fn, [[qt, "q", "finite"], [kt, "k", "finite"], [vt, "v", "finite"]]);
  const g = channelArg(gamma, h, fn, "gamma", {min: 0, max: 1, minOpen: true});
  return {q: qt as tf.Tensor3D, k: kt as tf.Tensor3D, v: vt as tf.Tensor3D, logGamma: tf.log(g) as tf.Tensor1D, h, l, dk, dv};
}

/** The multi-scale decays of RetNet: γ_i = 1 − 2^{−5−i}, i = 0 … heads − 1 (plain numbers). */
export function retentionGammas(heads: number): number[] {
  assertInteger(heads, "retentionGammas", "heads", 1, 64);
  return Array.from({length: heads}, (_, i) => 1 - 2 ** (-5 - i));
}

/** D (h, n, n) with D_ab = γ^{a−b} (a ≥ b), else 0, from log γ (h). Call inside tf.tidy. */
function decay(logGamma: tf.Tensor1D, n: number): tf.Tensor3D {
  const h = logGamma.shape[0];
  const lag = new Float32Array(n * n), causal = new Float32Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b <= a; b++) { lag[a * n + b] = a - b; causal[a * n + b] = 1; }
  const D = tf.exp(tf.mul(tf.tensor3d(lag, [1, n, n]), tf.reshape(logGamma, [h, 1, 1]))); // (h, n, n)
  return tf.mul(D, tf.tensor3d(causal, [1, n, n])) as tf.Tensor3D;
}

/**
 * RetNet's decay mask D (h, l, l): D[i, n, m] = γ_i^{n−m} for n ≥ m, else 0.
 * gamma (h) or a number (one head) in (0, 1]; l ≥ 1.
 */
export function retentionDecayMask(l: number, gamma: TensorLike): tf.Tensor3D {
  const fn = "retentionDecayMask";
  return tf.tidy(() => {
    assertInteger(l, fn, "l", 1, 1 << 14);
    const g = toTensor(gamma, fn, "gamma");
    const h = g.rank === 0 ? 1 : g.shape[0];
    return decay(tf.log(channelArg(gamma, h, fn, "gamma", {min: 0, max: 1, minOpen: true})) as tf.Tensor1D, l);
  });
}

/**
 * Retention, parallel form: o = (Q Kᵀ ⊙ D) V per head. q, k (h, l, d_k); v (h, l, d_v);
 * gamma (h) or a number in (0, 1] → o (h, l, d_v). Memory O(h·l²).
 */
export function retention(q: TensorLike, k: TensorLike, v: TensorLike, gamma: TensorLike): tf.Tensor3D {
  const fn = "retention";
  return tf.tidy(() => {
    const c = checkArgs(fn, q, k, v, gamma);
    const scores = tf.mul(tf.matMul(c.q, c.k, false, true), decay(c.logGamma, c.l)); // (h, l, l)
    return tf.matMul(scores, c.v) as tf.Tensor3D; // (h, l, d_v)
  });
}

/**
 * Retention, recurrent form: S_n = γ S_{n−1} + K_nᵀ V_n, o_n = Q_n S_n, every state from the
 * parallel scan (../seq/linearScan.ts) over (l, h, d_k, d_v). Same arguments and result as
 * `retention`; memory O(l·h·d_k·d_v).
 */
export function retentionRecurrent(q: TensorLike, k: TensorLike, v: TensorLike, gamma: TensorLike): tf.Tensor3D {
  const fn = "retentionRecurrent";
  return tf.tidy(() => {
    const {q: qt, k: kt, v: vt, logGamma, h, l, dk, dv} = checkArgs(fn, q, k, v, gamma);
    const kl = tf.transpose(kt, [1, 0, 2]), vl = tf.transpose(vt, [1, 0, 2]), ql = tf.transpose(qt, [1, 0, 2]); // (l, h, ·)
    const kv = tf.mul(tf.reshape(kl, [l, h, dk, 1]), tf.reshape(vl, [l, h, 1, dv])); // (l, h, d_k, d_v): K_nᵀ V_n
    const a = tf.broadcastTo(tf.reshape(tf.exp(logGamma), [1, h, 1, 1]), [l, h, dk, dv]);
    const S = scanPairs(a, kv); // (l, h, d_k, d_v)
    const o = tf.matMul(tf.reshape(ql, [l * h, 1, dk]), tf.reshape(S, [l * h, dk, dv])); // (l·h, 1, d_v)
    return tf.transpose(tf.reshape(o, [l, h, dv]), [1, 0, 2]) as tf.Tensor3D; // (h, l, d_v)
  });
}

/**
 * Retention, chunkwise form with chunks of `chunk` rows (any chunk ≥ 1; l need not be
 * a multiple: the last chunk is padded with zero rows, which add nothing to any state).
 * The chunk states R_i come from the parallel scan over chunks (decay γ^B). Same arguments and
 * result as `retention`; memory O(h·l·B + h·⌈l/B⌉·d_k·d_v).
 */
export function retentionChunked(q: TensorLike, k: TensorLike, v: TensorLike, gamma: TensorLike, {chunk = 64}: {chunk?: number} = {}): tf.Tensor3D {
  const fn = "retentionChunked";
  return tf.tidy(() => {
    const {q: qt, k: kt, v: vt, logGamma, h, l, dk, dv} = checkArgs(fn, q, k, v, gamma);
    assertInteger(chunk, fn, "chunk", 1, 1 << 14);
    const B = Math.min(chunk, l), nc = Math.ceil(l / B), L = nc * B;
    const pad = (x: tf.Tensor3D) => (L > l ? tf.pad(x, [[0, 0], [0, L - l], [0, 0]]) : x);
    const Q = tf.reshape(pad(qt), [h * nc, B, dk]), K = tf.reshape(pad(kt), [h * nc, B, dk]), V = tf.reshape(pad(vt), [h * nc, B, dv]);
    const lg = tf.reshape(logGamma, [h, 1, 1, 1]);
    const j = tf.reshape(tf.range(0, B, 1, "float32"), [1, 1, B, 1]);
    const zeta = tf.exp(tf.mul(tf.sub(B - 1, j), lg)); // (h, 1, B, 1): γ^{B−1−j}
    const xi = tf.exp(tf.mul(tf.add(j, 1), lg)); // (h, 1, B, 1): γ^{j+1}
    // inner-chunk: (Q Kᵀ ⊙ D_B) V
    const scores = tf.mul(tf.reshape(tf.matMul(Q, K, false, true), [h, nc, B, B]), tf.reshape(decay(logGamma, B), [h, 1, B, B]));
    const inner = tf.matMul(tf.reshape(scores, [h * nc, B, B]), V); // (h·nc, B, d_v)
    // chunk states: G_i = K_[i]ᵀ (V_[i] ⊙ ζ), R_i = γ^B R_{i−1} + G_i
    const Vz = tf.reshape(tf.mul(tf.reshape(V, [h, nc, B, dv]), zeta), [h * nc, B, dv]);
    const G = tf.transpose(tf.reshape(tf.matMul(K, Vz, true, false), [h, nc, dk, dv]), [1, 0, 2, 3]); // (nc, h, d_k, d_v)
    const a = tf.broadcastTo(tf.reshape(tf.exp(tf.mul(logGamma, B)), [1, h, 1, 1]), [nc, h, dk, dv]);
    const R = scanPairs(a, G); // (nc, h, d_k, d_v): state after chunk i
    const Rprev = tf.pad(tf.slice(R, [0, 0, 0, 0], [nc - 1, h, dk, dv]), [[1, 0], [0, 0], [0, 0], [0, 0]]); // R_{i−1}
    // cross-chunk: (Q_[i] R_{i−1}) ⊙ ξ
    const Rh = tf.reshape(tf.transpose(Rprev, [1, 0, 2, 3]), [h * nc, dk, dv]);
    const cross = tf.mul(tf.reshape(tf.matMul(Q, Rh), [h, nc, B, dv]), xi); // (h, nc, B, d_v)
    const o = tf.reshape(tf.add(tf.reshape(inner, [h, nc, B, dv]), cross), [h, L, dv]);
    return (L > l ? tf.slice(o, [0, 0, 0], [h, l, dv]) : o) as tf.Tensor3D; // (h, l, d_v)
  });
}

/**
 * RetNet's relative position by rotation (torchscale's `theta_shift`, the xPos rotation
 * without its decay): per pair of features (2i, 2i+1) at position n = offset + row,
 *   x' = x · cos(nθ_i) + rotate(x) · sin(nθ_i),   rotate(x)_{2i} = −x_{2i+1}, rotate(x)_{2i+1} = x_{2i},
 *   θ_i = 1 / 10000^{i/(d/2 − 1)}, i = 0 … d/2 − 1 (torch.linspace(0, 1, d/2)).
 * Apply it to Q and K (then q_n·k_m depends on n − m only). x (h, l, d), d even → (h, l, d).
 */
export function retentionRotate(x: TensorLike, {offset = 0}: {offset?: number} = {}): tf.Tensor3D {
  const fn = "retentionRotate";
  return tf.tidy(() => {
    const xt = toTensor(x, fn, "x");
    assertRank(xt, 3, fn, "x", "(h, l, d)");
    const [h, l, d] = xt.shape;
    if (d < 2 || d % 2 !== 0) fail(fn, `x must have an even feature width d ≥ 2, but got shape ${shapeString(xt.shape)}`);
    assertInteger(offset, fn, "offset", 0, 1 << 30);
    assertValues(fn, [[xt, "x", "finite"]]);
    const half = d / 2;
    const sin = new Float32Array(l * d), cos = new Float32Array(l * d);
    for (let n = 0; n < l; n++) for (let i = 0; i < half; i++) {
      const theta = 1 / 10000 ** (half === 1 ? 0 : i / (half - 1));
      const s = Math.sin((offset + n) * theta), c = Math.cos((offset + n) * theta);
      sin[n * d + 2 * i] = sin[n * d + 2 * i + 1] = s;
      cos[n * d + 2 * i] = cos[n * d + 2 * i + 1] = c;
    }
    const pairs = tf.reshape(xt, [h, l, half, 2]);
    const even = tf.slice(pairs, [0, 0, 0, 0], [h, l, half, 1]), odd = tf.slice(pairs, [0, 0, 0, 1], [h, l, half, 1]);
    const rotated = tf.reshape(tf.concat([tf.neg(odd), even], 3), [h, l, d]); // (−x_{2i+1}, x_{2i})
    return tf.add(tf.mul(xt, tf.tensor3d(cos, [1, l, d])), tf.mul(rotated, tf.tensor3d(sin, [1, l, d]))) as tf.Tensor3D;
  });
}
