// GSS, the gated state space layer (Mehta, Gupta, Cutkosky & Neyshabur 2023, "Long Range
// Language Modeling via Gated State Spaces", its pseudocode `gss`, `dss` and
// `simplified_dss_kernel`): a GLU-style
// gate around a DSS_exp SSM that runs on a REDUCED dimension H < E (that, plus a fixed Δ = 1,
// is what makes it faster than DSS):
//
//   x̂ = norm(x)                                  (l, E)
//   v = gelu(x̂ W_v)                              (l, F)   the gate branch
//   u = gelu(x̂ W_u)                              (l, H)   the reduced SSM branch
//   y = DSS(u) = K ∗ norm(u) + D ⊙ norm(u)       (l, H)   per channel, K from the simplified DSS kernel
//   o = ((y W_uc) ⊙ v) W_o + x                   (l, E)
//
// The simplified DSS kernel (DSS_exp with Δ = 1, ./dss.ts):
//   K_{h,k} = Re Σ_n C_{h,n} (e^{λ_n} − 1)/λ_n e^{kλ_n},   λ_n = −exp(Λ_re,n) + i·exp(Λ_im,n),
// i.e. per reduced channel h an SSM x_k = Ā x_{k−1} + B̄ u_k, y_k = Re(C x_k) + D u_k (site
// notation) with Ā = diag(e^{λ}), B̄ = (e^{λ} − 1)/λ, C_h: the N modes are shared by every
// channel, C is per channel.
//
// Choices this file makes where the pseudocode leaves them open, stated: norm is LayerNorm
// without affine parameters (eps 1e-5); gelu is the tanh approximation (the default of JAX,
// the paper's framework); the dense layers have no bias. gssInit draws Λ_re, Λ_im, C ~ N(0, 1)
// (as the PyTorch port lucidrains/gated-state-spaces-pytorch) and weights ~ N(0, 1/fan_in).
//
// Glossary: l length, E model width, F gate width, H reduced SSM width, N modes.
import * as tf from "@tensorflow/tfjs";
import {gaussian} from "../random.js";
import {assertInteger, assertRank, assertShape, assertValues, fail, shapeString, toTensor, type TensorLike} from "../validate.js";
import {channelArg, complexArg, type ComplexLike} from "./args.js";
import {causalConvRows} from "./conv.js";
import {diagonalKernel} from "./dss.js";

/** LayerNorm's eps (no affine parameters). */
export const GSS_NORM_EPS = 1e-5;

export interface GssParams {
  /** W_v (E, F), W_u (E, H), W_uc (H, F), W_o (F, E) */
  Wv: TensorLike; Wu: TensorLike; Wuc: TensorLike; Wo: TensorLike;
  /** λ = −exp(Λ_re) + i exp(Λ_im): the log-parameters (N) */
  LambdaLog: {re: TensorLike; im: TensorLike};
  /** C (H, N) complex */
  C: ComplexLike;
  /** D (H) */
  D: TensorLike;
}

/** LayerNorm over the last axis, no affine: (x − mean)/√(var + eps). Call inside tf.tidy. */
function layerNorm(x: tf.Tensor2D): tf.Tensor2D {
  const {mean, variance} = tf.moments(x, 1, true);
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, GSS_NORM_EPS))) as tf.Tensor2D;
}

/** gelu, tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³))). Call inside tf.tidy. */
function gelu(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

function matrix(fn: string, x: TensorLike, arg: string, rows: number | null, cols: number | null, dims: string): tf.Tensor2D {
  const t = toTensor(x, fn, arg);
  assertRank(t, 2, fn, arg, dims);
  assertShape(t, [rows, cols], fn, arg, dims);
  assertValues(fn, [[t, arg, "finite"]]);
  return t as tf.Tensor2D;
}

/** The reduced channels' DSS kernels K (H, L) and λ (N) from GSS's parameters. */
export function gssKernel(LambdaLog: {re: TensorLike; im: TensorLike}, C: ComplexLike, L: number): tf.Tensor2D {
  const fn = "gssKernel";
  return tf.tidy(() => {
    const lg = complexArg(LambdaLog, fn, "LambdaLog");
    assertRank(lg.re, 1, fn, "LambdaLog", "(N)");
    const lam = {re: tf.neg(tf.exp(lg.re)), im: tf.exp(lg.im)}; // λ = −e^{Λ_re} + i e^{Λ_im}
    const c = complexArg(C, fn, "C");
    assertShape(c.re, [null, lg.re.shape[0]], fn, "C", "(H, N)");
    return diagonalKernel(fn, {Lambda: "LambdaLog", W: "C", delta: "Δ"}, lam, c, 1, L, "exp");
  });
}

/** The GSS layer forward: x (l, E) → (l, E) (see the header). */
export function gss(x: TensorLike, params: GssParams): tf.Tensor2D {
  const fn = "gss";
  return tf.tidy(() => {
    const xt = toTensor(x, fn, "x");
    assertRank(xt, 2, fn, "x", "(l, E)");
    const [l, E] = xt.shape;
    if (l < 1 || E < 1) fail(fn, `x must have shape (l, E) with l, E ≥ 1, but got ${shapeString(xt.shape)}`);
    assertValues(fn, [[xt, "x", "finite"]]);
    if (params == null || typeof params !== "object") fail(fn, `params must be {Wv, Wu, Wuc, Wo, LambdaLog, C, D}, got ${params === null ? "null" : typeof params}`);
    const Wv = matrix(fn, params.Wv, "Wv", E, null, "(E, F)");
    const F = Wv.shape[1];
    const Wu = matrix(fn, params.Wu, "Wu", E, null, "(E, H)");
    const H = Wu.shape[1];
    const Wuc = matrix(fn, params.Wuc, "Wuc", H, F, "(H, F)");
    const Wo = matrix(fn, params.Wo, "Wo", F, E, "(F, E)");
    const D = channelArg(params.D, H, fn, "D");
    const K = gssKernel(params.LambdaLog, params.C, l); // (H, l)
    if (K.shape[0] !== H) fail(fn, `C must have H = ${H} rows (the columns of Wu), but got ${K.shape[0]}`);
    const xn = layerNorm(xt as tf.Tensor2D);
    const v = gelu(tf.matMul(xn, Wv)); // (l, F)
    const u = layerNorm(gelu(tf.matMul(xn, Wu)) as tf.Tensor2D); // (l, H): dss normalises its input
    const y = tf.add(tf.transpose(causalConvRows(tf.transpose(u) as tf.Tensor2D, K)), tf.mul(u, D)); // (l, H)
    const o = tf.matMul(tf.mul(tf.matMul(y, Wuc), v), Wo); // (l, E)
    return tf.add(o, xt) as tf.Tensor2D;
  });
}

/** Plain-number GSS parameters (what gssInit returns). */
export interface GssArrays {
  Wv: number[][]; Wu: number[][]; Wuc: number[][]; Wo: number[][];
  LambdaLog: {re: number[]; im: number[]}; C: {re: number[][]; im: number[][]}; D: number[];
}

/** Seeded GSS parameters for width E, gate width F, reduced width H and N modes (see the header). */
export function gssInit(E: number, {F = 4 * E, H = Math.max(1, Math.round(E / 4)), N = 16, seed = 0}: {F?: number; H?: number; N?: number; seed?: number} = {}): GssArrays {
  const fn = "gssInit";
  for (const [v, name] of [[E, "E"], [F, "F"], [H, "H"], [N, "N"]] as const) assertInteger(v, fn, name, 1, 1 << 12);
  const g = gaussian(seed);
  const dense = (rows: number, cols: number) => Array.from({length: rows}, () => Array.from({length: cols}, () => g() / Math.sqrt(rows)));
  const normal = (rows: number, cols: number) => Array.from({length: rows}, () => Array.from({length: cols}, () => g()));
  return {
    Wv: dense(E, F), Wu: dense(E, H), Wuc: dense(H, F), Wo: dense(F, E),
    LambdaLog: {re: Array.from({length: N}, () => g()), im: Array.from({length: N}, () => g())},
    C: {re: normal(H, N), im: normal(H, N)},
    D: Array.from({length: H}, () => g())
  };
}
