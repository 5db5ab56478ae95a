// Complex arithmetic on {re, im} pairs of float32 tensors (see args.ts for why the parts
// travel separately). Every function is elementwise with tfjs broadcasting and is meant to be
// called inside the caller's tf.tidy.
import * as tf from "@tensorflow/tfjs";
import type {ComplexTensor} from "./args.js";

const TWO_PI = 2 * Math.PI;

/** a · b */
export function cmul(a: ComplexTensor, b: ComplexTensor): ComplexTensor {
  return {re: tf.sub(tf.mul(a.re, b.re), tf.mul(a.im, b.im)), im: tf.add(tf.mul(a.re, b.im), tf.mul(a.im, b.re))};
}

/** a + b */
export function cadd(a: ComplexTensor, b: ComplexTensor): ComplexTensor {
  return {re: tf.add(a.re, b.re), im: tf.add(a.im, b.im)};
}

/** a / b = a · conj(b) / (|b|² + eps) (eps = 0: the exact quotient). */
export function cdiv(a: ComplexTensor, b: ComplexTensor, eps = 0): ComplexTensor {
  const den = eps ? tf.add(tf.add(tf.square(b.re), tf.square(b.im)), eps) : tf.add(tf.square(b.re), tf.square(b.im));
  const n = cmul(a, {re: b.re, im: tf.neg(b.im)});
  return {re: tf.div(n.re, den), im: tf.div(n.im, den)};
}

/** x − 2π·round(x/2π) ∈ [−π, π]: the same angle, small enough for GPU sin/cos. */
export function reducePhase(x: tf.Tensor): tf.Tensor {
  return tf.sub(x, tf.mul(tf.round(tf.mul(x, 1 / TWO_PI)), TWO_PI));
}

/**
 * sin x with a small relative error also near 0: the wasm backend's sin is accurate only in
 * absolute terms (measured: sin(−3e−4) = −3.0023e−4, an error of 2e−7), which would spoil
 * B̄ ≈ ΔB for small Δ. Below |x| = 0.1 the Taylor polynomial x − x³/6 + x⁵/120 − x⁷/5040 is
 * used instead (its error < 3e−12 there).
 */
export function sinAccurate(x: tf.Tensor): tf.Tensor {
  const x2 = tf.square(x);
  const poly = tf.mul(x, tf.sub(1, tf.mul(tf.mul(x2, 1 / 6), tf.sub(1, tf.mul(tf.mul(x2, 1 / 20), tf.sub(1, tf.mul(x2, 1 / 42)))))));
  return tf.where(tf.less(tf.abs(x), 0.1), poly, tf.sin(x));
}

/** exp(z) = e^{Re z}(cos Im z + i sin Im z), the phase reduced to [−π, π] first. */
export function cexp(z: ComplexTensor): ComplexTensor {
  const mag = tf.exp(z.re), ph = reducePhase(z.im);
  return {re: tf.mul(mag, tf.cos(ph)), im: tf.mul(mag, sinAccurate(ph))};
}

/**
 * exp(z) − 1 without cancellation for small z: with z = a + iω,
 *   exp(z) − 1 = (expm1(a)·cos ω − 2 sin²(ω/2)) + i·e^a·sin ω     (as ../lti/s4d.ts does in float64).
 */
export function cexpm1(z: ComplexTensor): ComplexTensor {
  const ph = reducePhase(z.im);
  const half = sinAccurate(tf.mul(ph, 0.5));
  return {
    re: tf.sub(tf.mul(tf.expm1(z.re), tf.cos(ph)), tf.mul(tf.square(half), 2)),
    im: tf.mul(tf.exp(z.re), sinAccurate(ph))
  };
}
