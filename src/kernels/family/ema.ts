// Mega's multi-dimensional damped EMA (Ma et al. 2023, "Mega: Moving Average Equipped Gated
// Attention", the multi-dimensional damped EMA of §3.1). Each channel c of x (l, d) is expanded to h
// dimensions by β, smoothed by h damped EMAs and projected back by η:
//
//   u_t^{(j)} = β_j x_t,   h_t^{(j)} = α_j ⊙ u_t^{(j)} + (1 − α_j ⊙ δ_j) ⊙ h_{t−1}^{(j)},   y_t = Σ_j η_j h_t^{(j)}
//
// i.e. per channel a diagonal LTI system of size h in the site's notation
//   x_k = Ā x_{k−1} + B̄ u_k, y_k = C x_k,   Ā = diag(1 − α⊙δ),  B̄ = α⊙β,  C = ηᵀ,
// with α, δ ∈ (0, 1) (the official code keeps them as sigmoids of free parameters) so that
// 0 < 1 − αδ < 1: a real, stable, diagonal A. Its convolution kernel is a sum of h geometric
// sequences,
//   K_k = Σ_j η_j β_j α_j (1 − α_j δ_j)^k,   y = K ∗ x,
// which is how Mega computes the EMA for a whole sequence (facebookresearch/mega,
// fairseq/modules/exponential_moving_average.py: `_compute_kernel` builds exactly this K, as
// exp(k·log q), then an FFT convolution). The official code multiplies η by √(1/h)
// (`self.gamma * self.scale`); megaEmaInit folds that factor into the η it returns.
//
// Forms, tested equal: `ema` (kernel, then causal convolution) and `emaRecurrent` (the h·d
// states by the parallel scan of ../seq/linearScan.ts). With `omega`, both return Mega's EMA
// sublayer output silu(y + ω ⊙ x) (the same file's `forward`).
//
// Glossary: l length, d channels (embed_dim), h EMA dimensions per channel (ndim);
// alpha, delta, beta, eta (d, h); omega (d).
import * as tf from "@tensorflow/tfjs";
import {gaussian} from "../random.js";
import {assertInteger, assertRank, assertShape, assertValues, fail, shapeString, toTensor, type TensorLike} from "../validate.js";
import {scanPairs} from "../seq/linearScan.js";
import {assertRange, channelArg} from "./args.js";
import {causalConvRows} from "./conv.js";

export interface EmaParams {
  /** α ∈ (0, 1) (d, h) */
  alpha: TensorLike;
  /** δ ∈ (0, 1) (d, h): damping */
  delta: TensorLike;
  /** β (d, h): expansion */
  beta: TensorLike;
  /** η (d, h): projection */
  eta: TensorLike;
}
export interface EmaOptions { omega?: TensorLike }

interface Checked { alpha: tf.Tensor2D; q: tf.Tensor2D; beta: tf.Tensor2D; eta: tf.Tensor2D; d: number; h: number }

function checkParams(fn: string, p: EmaParams, d: number | null): Checked {
  if (p == null || typeof p !== "object") fail(fn, `params must be {alpha, delta, beta, eta}, got ${p === null ? "null" : typeof p}`);
  const alpha = toTensor(p.alpha, fn, "alpha");
  assertRank(alpha, 2, fn, "alpha", "(d, h)");
  const [dd, h] = alpha.shape;
  if (d !== null && dd !== d) fail(fn, `alpha must have shape (d, h) with d = ${d} (the channels of x), but got ${shapeString(alpha.shape)}`);
  if (h < 1) fail(fn, `alpha must have h ≥ 1 EMA dimensions, but got ${shapeString(alpha.shape)}`);
  const rest = (["delta", "beta", "eta"] as const).map((name) => {
    const t = toTensor(p[name], fn, name);
    assertShape(t, [dd, h], fn, name, "(d, h)");
    return t as tf.Tensor2D;
  });
  assertRange(fn, "alpha", p.alpha, alpha, {min: 0, max: 1, minOpen: true, maxOpen: true});
  assertRange(fn, "delta", p.delta, rest[0], {min: 0, max: 1, minOpen: true, maxOpen: true});
  assertValues(fn, [[rest[1], "beta", "finite"], [rest[2], "eta", "finite"]]);
  const q = tf.sub(1, tf.mul(alpha, rest[0])) as tf.Tensor2D; // 1 − αδ ∈ (0, 1)
  return {alpha: alpha as tf.Tensor2D, q, beta: rest[1], eta: rest[2], d: dd, h};
}

function checkX(fn: string, x: TensorLike): tf.Tensor2D {
  const xt = toTensor(x, fn, "x");
  assertRank(xt, 2, fn, "x", "(l, d)");
  if (xt.shape.some((s) => s < 1)) fail(fn, `x must have shape (l, d) with l, d ≥ 1, but got ${shapeString(xt.shape)}`);
  assertValues(fn, [[xt, "x", "finite"]]);
  return xt as tf.Tensor2D;
}

/** K (d, L) from checked parameters: K[c, k] = Σ_j η β α q^k, q^k as exp(k log q) like the official code. */
function kernelOf(c: Checked, L: number): tf.Tensor2D {
  const coef = tf.reshape(tf.mul(tf.mul(c.eta, c.beta), c.alpha), [c.d, 1, c.h]); // (d, 1, h)
  const k = tf.reshape(tf.range(0, L, 1, "float32"), [1, 1, L]);
  const V = tf.exp(tf.mul(tf.reshape(tf.log(c.q), [c.d, c.h, 1]), k)); // (d, h, L): q^k
  return tf.reshape(tf.matMul(coef, V), [c.d, L]) as tf.Tensor2D; // (d, L)
}

function output(fn: string, y: tf.Tensor2D, x: tf.Tensor2D, opts: EmaOptions): tf.Tensor2D {
  if (opts.omega === undefined) return y;
  const omega = channelArg(opts.omega, x.shape[1], fn, "omega");
  const z = tf.add(y, tf.mul(x, omega));
  return tf.mul(z, tf.sigmoid(z)) as tf.Tensor2D; // silu(y + ω ⊙ x)
}

/** Mega's EMA convolution kernel K (d, L): K[c, k] = Σ_j η_cj β_cj α_cj (1 − α_cj δ_cj)^k. */
export function emaKernel(params: EmaParams, L: number): tf.Tensor2D {
  const fn = "emaKernel";
  return tf.tidy(() => {
    assertInteger(L, fn, "L", 1, 1 << 24);
    return kernelOf(checkParams(fn, params, null), L);
  });
}

/**
 * Mega's damped EMA by its convolution kernel (as Mega computes it): y = K ∗ x per channel.
 * x (l, d); params (d, h) each → y (l, d); with opts.omega (d), silu(y + ω ⊙ x).
 */
export function ema(x: TensorLike, params: EmaParams, opts: EmaOptions = {}): tf.Tensor2D {
  const fn = "ema";
  return tf.tidy(() => {
    const xt = checkX(fn, x);
    const [l, d] = xt.shape;
    const c = checkParams(fn, params, d);
    const y = causalConvRows(tf.transpose(xt) as tf.Tensor2D, kernelOf(c, l)); // (d, l)
    return output(fn, tf.transpose(y) as tf.Tensor2D, xt, opts);
  });
}

/**
 * Mega's damped EMA by its recurrence: the l·d·h states h_t = q ⊙ h_{t−1} + α β x_t from the
 * parallel scan, then y_t = Σ_j η_j h_t^{(j)}. Same arguments and result as `ema`.
 */
export function emaRecurrent(x: TensorLike, params: EmaParams, opts: EmaOptions = {}): tf.Tensor2D {
  const fn = "emaRecurrent";
  return tf.tidy(() => {
    const xt = checkX(fn, x);
    const [l, d] = xt.shape;
    const c = checkParams(fn, params, d);
    const a = tf.broadcastTo(tf.reshape(c.q, [1, d, c.h]), [l, d, c.h]); // (l, d, h)
    const b = tf.mul(tf.reshape(xt, [l, d, 1]), tf.reshape(tf.mul(c.alpha, c.beta), [1, d, c.h])); // (l, d, h)
    const H = scanPairs(a, b); // (l, d, h)
    const y = tf.sum(tf.mul(H, tf.reshape(c.eta, [1, d, c.h])), 2) as tf.Tensor2D; // (l, d)
    return output(fn, y, xt, opts);
  });
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Mega's initialisation (the official `reset_parameters`), seeded, as plain numbers in the
 * constrained form this file takes: α = σ(N(0, 0.2²)), δ = σ(N(0, 0.2²)),
 * β = N(0, 0.02²) + (1, −1, 1, −1, …), η = N(0, 1)·√(1/h) (the code's scale folded in),
 * ω = N(0, 1). → {alpha, delta, beta, eta (d, h), omega (d)}.
 */
export function megaEmaInit(d: number, h: number, seed = 0): EmaParams & {alpha: number[][]; delta: number[][]; beta: number[][]; eta: number[][]; omega: number[]} {
  const fn = "megaEmaInit";
  assertInteger(d, fn, "d", 1, 1 << 16);
  assertInteger(h, fn, "h", 1, 1 << 10);
  const g = gaussian(seed);
  const table = (f: (j: number) => number) => Array.from({length: d}, () => Array.from({length: h}, (_, j) => f(j)));
  const alpha = table(() => sigmoid(0.2 * g()));
  const delta = table(() => sigmoid(0.2 * g()));
  const beta = table((j) => 0.02 * g() + (j % 2 === 0 ? 1 : -1));
  const eta = table(() => g() * Math.sqrt(1 / h));
  const omega = Array.from({length: d}, () => g());
  return {alpha, delta, beta, eta, omega};
}
