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

/** π/2 in two float32 parts (Cody–Waite): π/2 = PIO2_HI + PIO2_LO, PIO2_HI exact in float32. */
const PIO2_HI = 1.5707963705062866, PIO2_LO = -4.371139000186243e-8;

/**
 * [sin x, cos x] for x in [−π, π] (any x, less accurately far from it) from multiplications and
 * additions only, accurate on every backend: the backends' own sin and cos are not. Measured in
 * headless Chromium on [−π, π]: webgl and webgpu (SwiftShader) 1.9e−4 absolute error, wasm
 * 2.4e−7 absolute but 8e−4 relative near 0 (sin(−3e−4) = −3.0023e−4), which would spoil B̄ ≈ ΔB
 * for small Δ; cpu 3e−8. Here x = q·π/2 + r, q = round(2x/π), |r| ≤ π/4, and sin r, cos r are
 * Taylor polynomials of degree 11 and 12 (truncation error < 3e−10 on |r| ≤ π/4), then the
 * quadrant q mod 4 picks (±sin r, ±cos r). About 40 elementwise ops.
 */
export function sinCos(x: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const q = tf.round(tf.mul(x, 2 / Math.PI));
  const r = tf.sub(tf.sub(x, tf.mul(q, PIO2_HI)), tf.mul(q, PIO2_LO));
  const r2 = tf.square(r);
  // Horner forms: sin r = r(1 − r²/6(1 − r²/20(1 − r²/42(1 − r²/72(1 − r²/110))))), cos r alike
  const horner = (den: number[]) => den.reduceRight<tf.Tensor>((acc, d) => tf.sub(1, tf.mul(tf.mul(r2, 1 / d), acc)), tf.onesLike(r2));
  const s = tf.mul(r, horner([6, 20, 42, 72, 110])), c = horner([2, 12, 30, 56, 90, 132]);
  const m = tf.sub(q, tf.mul(tf.floor(tf.mul(q, 0.25)), 4)); // q mod 4 ∈ {0, 1, 2, 3}
  const pick = (v0: tf.Tensor, v1: tf.Tensor, v2: tf.Tensor, v3: tf.Tensor) =>
    tf.where(tf.less(m, 0.5), v0, tf.where(tf.less(m, 1.5), v1, tf.where(tf.less(m, 2.5), v2, v3)));
  const ns = tf.neg(s), nc = tf.neg(c);
  return [pick(s, c, ns, nc), pick(c, ns, nc, s)];
}

/** exp(z) = e^{Re z}(cos Im z + i sin Im z), the phase reduced to [−π, π] first. */
export function cexp(z: ComplexTensor): ComplexTensor {
  const mag = tf.exp(z.re);
  const [sin, cos] = sinCos(reducePhase(z.im));
  return {re: tf.mul(mag, cos), im: tf.mul(mag, sin)};
}

/**
 * exp(z) − 1 without cancellation for small z: with z = a + iω,
 *   exp(z) − 1 = (expm1(a)·cos ω − 2 sin²(ω/2)) + i·e^a·sin ω     (as ../lti/s4d.ts does in float64).
 */
export function cexpm1(z: ComplexTensor): ComplexTensor {
  const ph = reducePhase(z.im);
  const [sin, cos] = sinCos(ph);
  const [half] = sinCos(tf.mul(ph, 0.5));
  return {
    re: tf.sub(tf.mul(tf.expm1(z.re), cos), tf.mul(tf.square(half), 2)),
    im: tf.mul(tf.exp(z.re), sin)
  };
}
