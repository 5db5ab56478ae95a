// The DSS convolution kernel (Gupta, Gu & Berant 2022, "Diagonal State Spaces are as
// Effective as Structured State Spaces", Proposition 1): a diagonal complex SSM
//   x_k = Ā x_{k−1} + B̄ u_k,  y_k = C x_k   (site notation),  Ā = exp(ΔΛ),
// whose kernel K̄_k = C Ā^k B̄ is parameterised directly by Λ (N modes) and one complex
// weight per mode, w (so B and C are folded into w):
//
//   DSS_exp       K̄_k = Re Σ_i w_i · (e^{λ_iΔ} − 1)/λ_i · e^{kλ_iΔ}
//                 (ZOH with B = 1, C = w: the S4D kernel of ../lti/s4d.ts without its factor 2)
//   DSS_softmax   K̄_k = Re Σ_i (w_i/λ_i) · softmax_k(P_i,·),   P_ik = kλ_iΔ,  k = 0 … L−1
//                 (the same kernel family: w_i = w̃_i (e^{Lλ_iΔ} − 1); the softmax over the
//                 sequence normalises each mode, so Re λ > 0 is allowed and cannot blow up)
//
// The softmax of complex logits is taken as in the reference implementations
// (srush/annotated-s4, s4/dss.py `complex_softmax`; state-spaces/s4 SSKernelDiag "dss"):
// shift by the largest real part, exponentiate, and multiply by the reciprocal of the sum
// computed as conj(z)/(|z|² + 1e-7), which guards the singular case e^{Lλ_iΔ} = 1.
// The real part is taken without a factor 2 (each w_i may absorb it), as both of those.
//
// Glossary: h channels (each its own Δ and w), N modes, L kernel length.
// Lambda {re, im} (N) shared or (h, N); W {re, im} (h, N); delta (h) or a number → K (h, L).
import * as tf from "@tensorflow/tfjs";
import {assertInteger, assertRank, fail, shapeString, type TensorLike} from "../validate.js";
import {assertRange, channelArg, complexArg, cpuValues, type ComplexLike, type ComplexTensor} from "./args.js";
import {cdiv, cexpm1, cmul, reducePhase, sinCos} from "./complex.js";

export type DssVariant = "softmax" | "exp";
/** The guard of the complex reciprocal in DSS_softmax (as the reference implementations). */
export const DSS_EPS = 1e-7;

/**
 * The DSS kernel K (h, L) in its "softmax" (default) or "exp" parameterisation; see the header.
 * The exp variant needs Re λ ≤ 0; both need λ ≠ 0.
 */
export function dssKernel(Lambda: ComplexLike, W: ComplexLike, delta: TensorLike, L: number, {variant = "softmax"}: {variant?: DssVariant} = {}): tf.Tensor2D {
  return diagonalKernel("dssKernel", {Lambda: "Lambda", W: "W", delta: "delta"}, Lambda, W, delta, L, variant);
}

/**
 * dssKernel for the kernels built on it (h3, gss), with their function and argument names in
 * the messages. W may be a computed tensor pair (e.g. 2·C⊙B).
 */
export function diagonalKernel(fn: string, names: {Lambda: string; W: string; delta: string}, Lambda: ComplexLike, W: ComplexLike, delta: TensorLike, L: number, variant: DssVariant): tf.Tensor2D {
  if (variant !== "softmax" && variant !== "exp") fail(fn, `variant must be "softmax" or "exp", got ${JSON.stringify(variant)}`);
  return tf.tidy(() => {
    assertInteger(L, fn, "L", 1, 1 << 20);
    const w = complexArg(W, fn, names.W);
    assertRank(w.re, 2, fn, names.W, "(h, N)");
    const [h, N] = w.re.shape;
    if (h < 1 || N < 1) fail(fn, `${names.W} must have shape (h, N) with h, N ≥ 1, but got ${shapeString(w.re.shape)}`);
    const lam = complexArg(Lambda, fn, names.Lambda);
    const ok = (lam.re.rank === 1 && lam.re.shape[0] === N) || (lam.re.rank === 2 && lam.re.shape[0] === h && lam.re.shape[1] === N);
    if (!ok) fail(fn, `${names.Lambda} must have shape (N) or (h, N) = (${h}, ${N}) like ${names.W}, but got ${shapeString(lam.re.shape)}`);
    const re = cpuValues(Lambda.re, lam.re), im = cpuValues(Lambda.im, lam.im);
    if (re && im) {
      for (let i = 0; i < re.length; i++) {
        if (re[i] === 0 && im[i] === 0) fail(fn, `${names.Lambda} must have λ ≠ 0, but entry ${i} is 0`);
      }
      if (variant === "exp") assertRange(fn, `${names.Lambda}.re`, Lambda.re, lam.re, {max: 0});
    }
    const d = tf.reshape(channelArg(delta, h, fn, names.delta, {min: 0, minOpen: true}), [h, 1]);
    const lamH: ComplexTensor = {re: tf.broadcastTo(lam.re, [h, N]), im: tf.broadcastTo(lam.im, [h, N])}; // (h, N)
    const dl = {re: tf.mul(lamH.re, d), im: tf.mul(lamH.im, d)}; // Δλ (h, N)
    const k = tf.reshape(tf.range(0, L, 1, "float32"), [1, 1, L]);
    // m_i: the largest Re P_ik over k (0 for Re λ ≤ 0, (L−1)Re λΔ otherwise); exp only: m = 0.
    const m = variant === "softmax" ? tf.mul(tf.relu(dl.re), L - 1) : tf.zerosLike(dl.re);
    const mag = tf.exp(tf.sub(tf.mul(tf.reshape(dl.re, [h, N, 1]), k), tf.reshape(m, [h, N, 1]))); // (h, N, L)
    const ph = reducePhase(tf.mul(tf.reshape(reducePhase(dl.im), [h, N, 1]), k)); // k·Δω, in [−π, π]
    const [sin, cos] = sinCos(ph);
    let S: ComplexTensor = {re: tf.mul(mag, cos), im: tf.mul(mag, sin)}; // e^{P − m} (h, N, L)
    let coef: ComplexTensor;
    if (variant === "softmax") {
      const sum = {re: tf.sum(S.re, 2, true), im: tf.sum(S.im, 2, true)}; // (h, N, 1)
      S = cdiv(S, sum, DSS_EPS); // softmax over k, with the guarded reciprocal
      coef = cdiv(w, lamH); // w/λ
    } else {
      coef = cmul(w, cdiv(cexpm1(dl), lamH)); // w (e^{Δλ} − 1)/λ
    }
    const row = (x: tf.Tensor) => tf.reshape(x, [h, 1, N]);
    const K = tf.sub(tf.matMul(row(coef.re), S.re), tf.matMul(row(coef.im), S.im)); // Re Σ_i coef_i S_ik (h, 1, L)
    return tf.reshape(K, [h, L]) as tf.Tensor2D;
  });
}
