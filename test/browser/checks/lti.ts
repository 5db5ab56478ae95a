// Browser checks of the LTI kernels: plain float64 loops and numpy/scipy fixtures.
import * as tf from "@tensorflow/tfjs";
import {ssmKernel, ssmRecurrent, causalConv, causalConvFFT, causalConvDirect, expm, discretize, type Method} from "../../../src/kernels/index.js";
import ltiFixtures from "../../../reference/fixtures/lti.json";
import {checks, uniform} from "./registry.js";

const lti = {ssmKernel, ssmRecurrent, causalConv, causalConvFFT, causalConvDirect};

// ---- LTI kernels against plain float64 loops
const n = 4;
const Ab = [[0.9, 0.1, 0, 0], [-0.1, 0.9, 0, 0], [0, 0, 0.5, 0.2], [0, 0, 0, -0.7]];
const Bb = [[1], [0.5], [-0.3], [0.8]];
const C = [[0.4, -1, 0.7, 0.2]];
function kernelLoop(L: number): Float64Array {
  const K = new Float64Array(L);
  let x = Bb.map((r) => r[0]);
  for (let k = 0; k < L; k++) {
    K[k] = C[0].reduce((s, c, i) => s + c * x[i], 0);
    x = Ab.map((row) => row.reduce((s, a, j) => s + a * x[j], 0));
  }
  return K;
}
function convLoop(u: ArrayLike<number>, K: ArrayLike<number>): Float64Array {
  const y = new Float64Array(u.length);
  for (let k = 0; k < u.length; k++) for (let j = 0; j <= k; j++) y[k] += K[j] * u[k - j];
  return y;
}
const L = 200;
const uL = uniform(L, 14);
checks.set(`ssmKernel n=${n} L=${L} = loop`, () => ({actual: ssmKernel(Ab, Bb, C, L), expected: kernelLoop(L)}));
checks.set(`ssmRecurrent n=${n} l=${L} = loop`, () => ({actual: ssmRecurrent(Ab, Bb, C, uL), expected: convLoop(uL, kernelLoop(L))}));
for (const name of ["causalConv", "causalConvFFT", "causalConvDirect"] as const) {
  const f = lti[name];
  checks.set(`${name} l=${L} = loop`, () => ({actual: f(uL, Float32Array.from(kernelLoop(L))), expected: convLoop(uL, kernelLoop(L))}));
}

// ---- LTI fixtures (reference/ref_lti.py, numpy/scipy)
{
  // A subset: every new shape compiles new shader programs on webgl (seconds each).
  for (const c of (ltiFixtures.lti ?? []).filter((c: any) => /^n=(2|8) /.test(c.name))) {
    checks.set(`ssmKernel fixture ${c.name}`, () => ({actual: ssmKernel(c.Ab, c.Bb, c.C, c.K.length), expected: c.K}));
    checks.set(`ssmRecurrent fixture ${c.name}`, () => ({actual: ssmRecurrent(c.Ab, c.Bb, c.C, c.u), expected: c.y}));
  }
  for (const c of (ltiFixtures.causalConv ?? []).filter((c: any) => c.l === 5 || c.l === 100)) {
    for (const name of ["causalConv", "causalConvFFT", "causalConvDirect"] as const) {
      const f = lti[name];
      checks.set(`${name} fixture l=${c.l}`, () => ({actual: f(c.u, c.K), expected: c.y}));
    }
  }
  for (const c of (ltiFixtures.expm ?? []).filter((_: unknown, i: number) => i % 6 === 0)) {
    checks.set(`expm fixture ${c.name}`, () => ({actual: expm(c.A), expected: c.expA.flat()}));
  }
  for (const c of (ltiFixtures.discretize ?? []).slice(0, 5)) {
    checks.set(`discretize fixture ${c.name}`, () => {
      const {Ab, Bb} = discretize(c.A, c.B, c.delta, c.method as Method);
      return {actual: tf.concat([tf.reshape(Ab, [-1]), tf.reshape(Bb, [-1])]), expected: [...c.Ab.flat(), ...c.Bb.flat()]};
    });
  }
}

