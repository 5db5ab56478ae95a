// Browser checks of the fused GPU programs (webgl, webgpu): each against its composite form
// (the same math from tfjs ops, on the same backend) and against plain float64 loops. On cpu
// and wasm the *Fused functions throw "has no fused program", which kernels.test.mjs reports
// as a documented skip.
import * as tf from "@tensorflow/tfjs";
import {
  causalConvFFTFused, causalConvFFTComposite, convolveRealComposite, rfftConvolve, ssmRecurrentFused, ssmRecurrentComposite,
  softmaxAttentionFused, softmaxAttentionComposite, softmaxAttentionLoop, causalConv
} from "../../../src/kernels/index.js";
import {checks, uniform} from "./registry.js";

function convLoop(u: ArrayLike<number>, K: ArrayLike<number>): Float64Array {
  const y = new Float64Array(u.length);
  for (let k = 0; k < u.length; k++) for (let j = 0; j <= k; j++) y[k] += K[j] * u[k - j];
  return y;
}

// ---- FFT convolution: N = 2, 4, 16, 256, 2048, 8192 (odd and even log2 N, 1–3 webgl passes)
for (const l of [1, 2, 5, 100, 1000]) {
  const u = uniform(l, 100 + l), K = uniform(l, 200 + l);
  checks.set(`causalConvFFTFused l=${l} = composite`, () => ({actual: causalConvFFTFused(u, K), expected: causalConvFFTComposite(u, K)}));
}
{
  const l = 3000, u = uniform(l, 7), K = uniform(l, 8);
  checks.set(`causalConvFFTFused l=${l} = loop`, () => ({actual: causalConvFFTFused(u, K), expected: convLoop(u, K)}));
  checks.set(`causalConv l=${l} = loop`, () => ({actual: causalConv(u, K), expected: convLoop(u, K)}));
}
{
  // batched rows and the full length 2l − 1 (rfftConvolve → convolveReal → the fused programs)
  const [rows, l] = [3, 77];
  const a = uniform(rows * l, 11), b = uniform(rows * l, 12);
  checks.set(`rfftConvolve (${rows}, ${l}) full = composite`, () => ({
    actual: rfftConvolve(tf.tensor(a, [rows, l]), tf.tensor(b, [rows, l])),
    expected: convolveRealComposite(tf.tensor(a, [rows, l]) as tf.Tensor2D, tf.tensor(b, [rows, l]) as tf.Tensor2D, 2 * l - 1)
  }));
}

// ---- recurrence: padded sizes 4, 8, 16, 32; one and many chunks; a mildly unstable Ā;
function system(n: number, radius: number): {Ab: number[][]; Bb: number[][]; C: number[][]} {
  const Ab = Array.from({length: n}, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i += 2) {
    const r = radius * (1 - 0.03 * (i / n)), th = 0.2 + i / n;
    if (i + 1 < n) {
      Ab[i][i] = r * Math.cos(th); Ab[i][i + 1] = -r * Math.sin(th); Ab[i + 1][i] = r * Math.sin(th); Ab[i + 1][i + 1] = r * Math.cos(th);
    } else Ab[i][i] = r;
    if (i + 2 < n) Ab[i][i + 2] = 0.05;
  }
  const b = uniform(n, 300 + n), c = uniform(n, 400 + n);
  return {Ab, Bb: Array.from(b, (x) => [x]), C: [Array.from(c)]};
}
function recurrenceLoop(Ab: number[][], Bb: number[][], C: number[][], u: ArrayLike<number>): Float64Array {
  const n = Ab.length;
  const y = new Float64Array(u.length);
  let x = new Float64Array(n);
  for (let k = 0; k < u.length; k++) {
    const x2 = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = Bb[i][0] * u[k];
      for (let j = 0; j < n; j++) s += Ab[i][j] * x[j];
      x2[i] = s;
      y[k] += C[0][i] * s;
    }
    x = x2;
  }
  return y;
}
// against the composite (small: the composite is slow on a software GPU), then larger ones
// against the float64 loop
for (const [n, l, radius] of [[1, 1, 0.9], [3, 7, 0.95], [4, 200, 0.97], [8, 300, 0.99], [16, 200, 0.98], [6, 400, 1.004]]) {
  const {Ab, Bb, C} = system(n, radius);
  const u = uniform(l, 500 + l);
  checks.set(`ssmRecurrentFused n=${n} l=${l} |λ|≤${radius} = composite`, () => ({actual: ssmRecurrentFused(Ab, Bb, C, u), expected: ssmRecurrentComposite(Ab, Bb, C, u)}));
}
for (const [n, l, radius] of [[5, 3000, 0.995], [32, 100, 0.97]]) {
  const {Ab, Bb, C} = system(n, radius);
  const u = uniform(l, 500 + l);
  checks.set(`ssmRecurrentFused n=${n} l=${l} |λ|≤${radius} = loop`, () => ({actual: ssmRecurrentFused(Ab, Bb, C, u), expected: recurrenceLoop(Ab, Bb, C, u)}));
}

// ---- softmax attention: widths up to 32 (not multiples of 4 too), causal and full
for (const [l, dk, dv, causal] of [[1, 1, 1, true], [5, 3, 2, true], [100, 16, 16, true], [100, 16, 16, false], [333, 5, 7, true], [40, 32, 32, false]] as const) {
  const q = uniform(l * dk, 600 + l, -3, 3), k = uniform(l * dk, 700 + l), v = uniform(l * dv, 800 + l);
  const qkv = () => [tf.tensor(q, [l, dk]), tf.tensor(k, [l, dk]), tf.tensor(v, [l, dv])] as const;
  const name = `softmaxAttentionFused l=${l} d_k=${dk} d_v=${dv}${causal ? " causal" : ""}`;
  checks.set(`${name} = composite`, () => ({actual: softmaxAttentionFused(...qkv(), {causal}), expected: softmaxAttentionComposite(...qkv(), {causal})}));
  if (causal && l === 333) checks.set(`${name} = loop`, () => ({actual: softmaxAttentionFused(...qkv(), {causal}), expected: softmaxAttentionLoop(q, k, v, l, dk, dv)}));
}
