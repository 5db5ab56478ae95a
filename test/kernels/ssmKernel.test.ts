import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {ssmKernel} from "../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, loadFixture, maxAbs, printAccuracy, recordAccuracy, useBackend} from "./helpers.js";
import {type LtiCase} from "./lti-helpers.js";

const fixtures = loadFixture<{lti: LtiCase[]}>("lti").lti;

describe.each(BACKENDS)("ssmKernel on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`ssmKernel/${backend}`));

  it.each(fixtures.map((c) => [c.name, c] as const))("ssmKernel(Ab, Bb, C, L) matches the C Ā^k B̄ loop for %s", (_, c) => {
    const K = ssmKernel(c.Ab, c.Bb, c.C, c.K.length);
    expect(K.shape).toEqual([c.K.length]);
    const tol = 2e-6 * Math.max(1, maxAbs(c.K));
    recordAccuracy(`ssmKernel/${backend}`, backend, c.name, assertClose(K, c.K, {atol: tol, rtol: 1e-5, label: `${c.name}: `}));
    K.dispose();
  });

  it("ssmKernel of a scalar system is the geometric sequence c·aᵏ·b for L = 1 … 9", () => {
    for (let L = 1; L <= 9; L++) {
      const K = ssmKernel([[0.9]], [[2]], [[0.5]], L);
      assertClose(K, Array.from({length: L}, (_, k) => 0.5 * 0.9 ** k * 2), {atol: 1e-6, rtol: 1e-6});
      K.dispose();
    }
  });

  it("ssmKernel of a rotation has constant magnitude (no drift over L = 4096)", () => {
    const t = 0.01;
    const K = ssmKernel([[Math.cos(t), -Math.sin(t)], [Math.sin(t), Math.cos(t)]], [[1], [0]], [[1, 0]], 4096);
    const expected = Array.from({length: 4096}, (_, k) => Math.cos(k * t));
    recordAccuracy(`ssmKernel/${backend}`, backend, "rotation L=4096", assertClose(K, expected, {atol: 2e-4, rtol: 0}));
    K.dispose();
  });

  it("ssmKernel leaves no tensors behind", () => {
    const Ab = tf.tensor2d([[0.5, 0.1], [0, 0.7]]);
    expectNoLeak(() => ssmKernel(Ab, [[1], [1]], [[1, -1]], 1000));
    Ab.dispose();
  });

  it("ssmKernel rejects bad arguments with a message naming ssmKernel and the argument", () => {
    const before = tf.memory().numTensors;
    const Ab = [[0.5, 0], [0, 0.5]];
    expect(() => ssmKernel([[1, 2]], [[1]], [[1]], 4)).toThrow("ssmKernel: Ab must be square (n, n), but got shape (1,2)");
    expect(() => ssmKernel(Ab, [[1], [1], [1]], [[1, 1]], 4)).toThrow("ssmKernel: Bb must have shape (n, 1) = (2,1), but got (3,1)");
    expect(() => ssmKernel(Ab, [[1], [1]], [[1, 1, 1]], 4)).toThrow("ssmKernel: C must have shape (1, n) = (1,2), but got (1,3)");
    expect(() => ssmKernel(Ab, [[1], [1]], [1, 1], 4)).toThrow("ssmKernel: C must have shape (1, n) = (1,2), but got (2)");
    expect(() => ssmKernel(Ab, [[1], [1]], [[1, 1]], 0)).toThrow("ssmKernel: L must be an integer in [1, 67108864], got 0");
    expect(() => ssmKernel(Ab, [[1], [1]], [[1, 1]], 2.5)).toThrow("ssmKernel: L must be an integer in [1, 67108864], got 2.5");
    expect(() => ssmKernel([[NaN, 0], [0, 1]], [[1], [1]], [[1, 1]], 4)).toThrow("ssmKernel: Ab must be finite, but entry 0 is NaN");
    expect(() => ssmKernel(Ab, [[1], [Infinity]], [[1, 1]], 4)).toThrow("ssmKernel: Bb must be finite, but entry 1 is Infinity");
    expect(tf.memory().numTensors).toBe(before);
  });
});
