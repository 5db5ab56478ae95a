// The fused GPU kernels' entry points on cpu and wasm (the programs themselves run in
// Chromium: test/browser/checks/fused.ts): the public kernels equal their composite forms
// here, the *Fused functions refuse with a clear message, and the radix plan of the webgl FFT.
import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";
import {
  causalConvFFT, causalConvFFTComposite, causalConvFFTFused, ssmRecurrent, ssmRecurrentComposite, ssmRecurrentFused,
  softmaxAttention, softmaxAttentionComposite, softmaxAttentionFused, softmaxAttentionLoop, radixPlan, pathKey, softwareGpu,
  activeGpu, FUSED_MAX_D
} from "../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, useBackend} from "./helpers.js";

const rand = (n: number, seed: number) => { const r = lcg(seed); return Float32Array.from({length: n}, () => 2 * r() - 1); };

describe.each(BACKENDS)("fused kernels' entry points on %s", (backend) => {
  beforeAll(() => useBackend(backend));

  it("pathKey() is the backend name and there is no GPU", () => {
    expect(pathKey()).toBe(backend);
    expect(softwareGpu()).toBeNull();
    expect(activeGpu()).toBeNull();
  });

  it("causalConvFFT(u, K) equals causalConvFFTComposite(u, K) (the path on this backend)", () => {
    const u = rand(300, 1), K = rand(300, 2);
    expectNoLeak(() => {
      const [a, b] = [causalConvFFT(u, K), causalConvFFTComposite(u, K)];
      assertClose(a, b, {atol: 1e-6, rtol: 1e-6});
      return [a, b];
    });
  });

  it("ssmRecurrent(Ab, Bb, C, u) equals ssmRecurrentComposite for n = 3 and n = 16", () => {
    for (const n of [3, 16]) {
      const Ab = Array.from({length: n}, (_, i) => Array.from({length: n}, (_, j) => (i === j ? 0.9 : 0.02 * Math.sin(i + 2 * j))));
      const Bb = Array.from(rand(n, 3), (x) => [x]), C = [Array.from(rand(n, 4))];
      const u = rand(257, 5);
      expectNoLeak(() => {
        const [a, b] = [ssmRecurrent(Ab, Bb, C, u), ssmRecurrentComposite(Ab, Bb, C, u)];
        assertClose(a, b, {atol: 1e-6, rtol: 1e-6});
        return [a, b];
      });
    }
  });

  it("softmaxAttention(q, k, v) equals softmaxAttentionComposite and the loop", () => {
    const [l, dk, dv] = [40, 5, 3];
    const q = rand(l * dk, 6), k = rand(l * dk, 7), v = rand(l * dv, 8);
    for (const causal of [true, false]) {
      expectNoLeak(() => tf.tidy(() => {
        const a = softmaxAttention(tf.tensor(q, [l, dk]), tf.tensor(k, [l, dk]), tf.tensor(v, [l, dv]), {causal});
        const b = softmaxAttentionComposite(tf.tensor(q, [l, dk]), tf.tensor(k, [l, dk]), tf.tensor(v, [l, dv]), {causal});
        assertClose(a, b, {atol: 1e-6, rtol: 1e-6});
        assertClose(a, softmaxAttentionLoop(q, k, v, l, dk, dv, causal), {atol: 1e-5, rtol: 1e-5});
        return [a, b];
      }));
    }
  });

  it("the *Fused functions refuse cpu and wasm, naming the function and the backend", () => {
    expect(() => causalConvFFTFused([1, 2], [3, 4])).toThrow(`causalConvFFTFused: has no fused program on the ${backend} backend`);
    expect(() => ssmRecurrentFused([[0.5]], [[1]], [[1]], [1, 2])).toThrow(`ssmRecurrentFused: has no fused program on the ${backend} backend`);
    expect(() => softmaxAttentionFused([[1]], [[1]], [[1]])).toThrow(`softmaxAttentionFused: has no fused program on the ${backend} backend`);
  });

  it("the *Fused functions check shapes first", () => {
    expect(() => causalConvFFTFused([1, 2], [3])).toThrow("causalConvFFTFused: K must have the same length as u");
    expect(() => softmaxAttentionFused([[1, 2]], [[1]], [[1]])).toThrow("softmaxAttentionFused: k must have shape");
    expect(() => ssmRecurrentFused([[0.5, 0]], [[1]], [[1]], [1])).toThrow("ssmRecurrentFused:");
  });
});

describe("radixPlan (the webgl FFT's passes)", () => {
  it("radixPlan(N) multiplies to N with radices ≤ 32, in ⌈log2 N / 5⌉ passes", () => {
    for (let bits = 0; bits <= 20; bits++) {
      const plan = radixPlan(2 ** bits);
      expect(plan.reduce((a, b) => a * b, 1)).toBe(2 ** bits);
      expect(plan.length).toBe(Math.ceil(bits / 5));
      expect(Math.max(0, ...plan)).toBeLessThanOrEqual(32);
    }
    expect(radixPlan(8192)).toEqual([32, 16, 16]);
  });
  it("FUSED_MAX_D is the width limit of the fused attention", () => expect(FUSED_MAX_D).toBe(32));
});
