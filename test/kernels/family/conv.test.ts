import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";
import {causalConvRows, cexp, cexpm1, sinCos} from "../../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, useBackend} from "../helpers.js";

describe.each(BACKENDS)("causalConvRows on %s", (backend) => {
  beforeAll(() => useBackend(backend));

  for (const [r, l] of [[1, 1], [3, 17], [2, 300]] as const) {
    it(`causalConvRows(u, K) direct (Toeplitz) = fft = the double loop for ${r} rows of length ${l}`, () => {
      const g = lcg(r * l), u = Float32Array.from({length: r * l}, () => 2 * g() - 1), K = Float32Array.from({length: r * l}, (_, i) => Math.exp(-(i % l) / 30) * (2 * g() - 1));
      const ref = new Float64Array(r * l);
      for (let c = 0; c < r; c++) for (let t = 0; t < l; t++) for (let j = 0; j <= t; j++) ref[c * l + t] += K[c * l + j] * u[c * l + t - j];
      const ut = tf.tensor2d(u, [r, l]), Kt = tf.tensor2d(K, [r, l]);
      const [yd, yf] = tf.tidy(() => [causalConvRows(ut, Kt, {algorithm: "direct"}), causalConvRows(ut, Kt, {algorithm: "fft"})]);
      assertClose(yd, ref, {atol: 1e-5, rtol: 1e-5});
      assertClose(yf, ref, {atol: 5e-5, rtol: 1e-4});
      expectNoLeak(() => tf.tidy(() => causalConvRows(ut, Kt)));
      expect(yd.shape).toEqual([r, l]);
      tf.dispose([ut, Kt, yd, yf]);
    });
  }
});

describe.each(BACKENDS)("sinCos and the complex helpers on %s", (backend) => {
  beforeAll(() => useBackend(backend));

  it("sinCos(x) is accurate on [−π, π] in absolute terms and near 0 in relative terms", () => {
    const x = Float32Array.from({length: 4001}, (_, i) => -Math.PI + (2 * Math.PI * i) / 4000);
    const [s, c] = tf.tidy(() => sinCos(tf.tensor1d(x)));
    assertClose(s, Array.from(x, Math.sin), {atol: 2e-7, rtol: 0});
    assertClose(c, Array.from(x, Math.cos), {atol: 2e-7, rtol: 0});
    const small = [-3e-4, 1e-6, 2e-3, -0.05];
    const [s0] = tf.tidy(() => sinCos(tf.tensor1d(small)));
    assertClose(s0, small.map(Math.sin), {atol: 0, rtol: 1e-6});
    tf.dispose([s, c, s0]);
  });

  it("cexpm1(z) = exp(z) − 1 without cancellation, cexp(z) with a reduced phase", () => {
    const z = {re: [-1e-5, -0.5, 0, -2], im: [3e-5, 2, -7, 100]};
    const [em, e] = tf.tidy(() => {
      const zt = {re: tf.tensor1d(z.re), im: tf.tensor1d(z.im)};
      const a = cexpm1(zt), b = cexp(zt);
      return [tf.stack([a.re, a.im]), tf.stack([b.re, b.im])];
    });
    const want = z.re.map((a, i) => [Math.exp(a) * Math.cos(z.im[i]) - 1, Math.exp(a) * Math.sin(z.im[i])]);
    assertClose(em, [want.map((w) => w[0]), want.map((w) => w[1])], {atol: 1e-10, rtol: 2e-5});
    assertClose(e, [want.map((w) => w[0] + 1), want.map((w) => w[1])], {atol: 2e-6, rtol: 1e-5});
    tf.dispose([em, e]);
  });
});
