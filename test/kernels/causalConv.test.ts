import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {causalConv, causalConvDirect, causalConvFFT, causalConvTfSpectral} from "../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, loadFixture, printAccuracy, recordAccuracy, useBackend} from "./helpers.js";
import {convScale} from "./lti-helpers.js";

interface ConvCase {l: number; u: number[]; K: number[]; y: number[]}
const fixtures = loadFixture<{causalConv: ConvCase[]}>("lti").causalConv;

function loop(u: ArrayLike<number>, K: ArrayLike<number>): Float64Array {
  const y = new Float64Array(u.length);
  for (let k = 0; k < u.length; k++) for (let j = 0; j <= k; j++) y[k] += K[j] * u[k - j];
  return y;
}

describe.each(BACKENDS)("causalConv on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`causalConv/${backend}`));
  const variants = [["causalConv", causalConv], ["causalConvDirect", causalConvDirect]] as const;

  for (const [name, f] of variants) {
    it.each(fixtures.map((c) => [c.l, c] as const))(`${name}(u, K) matches the numpy loop for l = %s`, (_, c) => {
      const y = f(c.u, c.K);
      expect(y.shape).toEqual([c.l]);
      const tol = 1e-6 * convScale(c.K, c.u);
      recordAccuracy(`causalConv/${backend}`, backend, `${name} l=${c.l}`, assertClose(y, c.y, {atol: tol, rtol: 1e-5, label: `${name} l=${c.l}: `}));
      y.dispose();
    });
  }

  it.each([1, 3, 64, 127, 1000, 4096])("causalConv and causalConvDirect agree with the loop for random u, K of length %s", (l) => {
    const r = lcg(l);
    const u = Float32Array.from({length: l}, () => 2 * r() - 1);
    const K = Float32Array.from({length: l}, (_, k) => (2 * r() - 1) * Math.exp(-k / 300));
    const ref = loop(u, K);
    const tol = 1e-6 * convScale(K, u);
    for (const [name, f] of variants) {
      const y = f(u, K);
      recordAccuracy(`causalConv/${backend}`, backend, `${name} random l=${l}`, assertClose(y, ref, {atol: tol, rtol: 1e-5, label: `${name} l=${l}: `}));
      y.dispose();
    }
  });

  it("causalConv with K = δ₀ is the identity and with K = δ₃ a delay by 3", () => {
    const u = [1, 2, 3, 4, 5, 6];
    const y0 = causalConv(u, [1, 0, 0, 0, 0, 0]);
    const y3 = causalConv(u, [0, 0, 0, 1, 0, 0]);
    assertClose(y0, u, {atol: 1e-5, rtol: 0});
    assertClose(y3, [0, 0, 0, 1, 2, 3], {atol: 1e-5, rtol: 0});
    tf.dispose([y0, y3]);
  });

  // causalConvFFT now runs the site's own FFT (plain real ops) on every backend, wasm included;
  // only tfjs's tf.spectral version (causalConvTfSpectral) still throws on wasm.
  it("causalConvFFT agrees with causalConvDirect (on wasm too), and causalConvTfSpectral throws only on wasm (no Complex kernel)", () => {
    const u = [1, -1, 2, 0.5, 3], K = [0.5, 0.25, 0.125, 0, 1];
    const a = causalConvFFT(u, K), b = causalConvDirect(u, K);
    assertClose(a, b, {atol: 1e-5, rtol: 1e-5});
    if (backend === "wasm") {
      expect(() => causalConvTfSpectral(u, K)).toThrow();
    } else {
      const c = causalConvTfSpectral(u, K);
      assertClose(c, b, {atol: 1e-5, rtol: 1e-5});
      c.dispose();
    }
    tf.dispose([a, b]);
  });

  it("causalConv, causalConvDirect, causalConvFFT and causalConvTfSpectral leave no tensors behind", () => {
    const u = tf.randomNormal([300]) as tf.Tensor1D;
    const K = tf.randomNormal([300]) as tf.Tensor1D;
    expectNoLeak(() => causalConv(u, K));
    expectNoLeak(() => causalConvDirect(u, K));
    expectNoLeak(() => causalConvFFT(u, K));
    if (backend !== "wasm") expectNoLeak(() => causalConvTfSpectral(u, K));
    else {
      const before = tf.memory().numTensors;
      expect(() => causalConvTfSpectral(u, K)).toThrow();
      expect(tf.memory().numTensors).toBe(before);
    }
    tf.dispose([u, K]);
  });

  it("causalConv rejects bad arguments with a message naming causalConv and the argument", () => {
    const before = tf.memory().numTensors;
    expect(() => causalConv([1, 2, 3], [1, 2])).toThrow("causalConv: K must have the same length as u (l = 3), but got shape (2)");
    expect(() => causalConv([[1, 2]], [1, 2])).toThrow("causalConv: u must be rank 1 (l), but got rank 2 with shape (1,2)");
    expect(() => causalConv([1, 2], [[1, 2]])).toThrow("causalConv: K must be rank 1 (l), but got rank 2 with shape (1,2)");
    expect(() => causalConv([], [])).toThrow("causalConv: u must have length l ≥ 1, but got shape (0)");
    expect(() => causalConv([1, NaN], [1, 2])).toThrow("causalConv: u must be finite, but entry 1 is NaN");
    expect(() => causalConv([1, 2], [-Infinity, 2])).toThrow("causalConv: K must be finite, but entry 0 is -Infinity");
    expect(() => causalConvDirect([1, 2, 3], [1, 2])).toThrow("causalConvDirect: K must have the same length as u (l = 3), but got shape (2)");
    expect(tf.memory().numTensors).toBe(before);
  });
});
