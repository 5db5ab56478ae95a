import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";
import {causalConvRows} from "../../../src/kernels/index.js";
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
