import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NORM_EPS, decayMask, linearAttention, linearAttentionLoop, linearAttentionRecurrent, softmaxAttention, softmaxAttentionLoop, softmaxAttentionWeights, type FeatureMap} from "../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, loadFixture, maxAbs, printAccuracy, recordAccuracy, useBackend} from "./helpers.js";

interface SoftCase {name: string; causal: boolean; l: number; dk: number; dv: number; q: number[]; k: number[]; v: number[]; o: number[]; weights: number[]}
interface LinCase {
  name: string; featureMap: "elu1" | "relu" | "identity"; decay: number; normalize: "sum" | "none";
  l: number; dk: number; dv: number; q: number[]; k: number[]; v: number[]; o: number[];
}
const seq = loadFixture<{softmaxAttention: SoftCase[]; linearAttention: LinCase[]}>("seq");

function random(l: number, d: number, seed: number, mean = 0): tf.Tensor {
  const r = lcg(seed);
  return tf.tensor(Float32Array.from({length: l * d}, () => mean + 2 * r() - 1), [l, d]);
}

const FEATURE_MAPS: FeatureMap[] = ["elu1", "relu", "identity", (x) => tf.exp(tf.mul(x, 0.5))];
const fmName = (f: FeatureMap) => (typeof f === "function" ? "function exp(x/2)" : f);

describe.each(BACKENDS)("attention on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => {
    printAccuracy(`softmaxAttention/${backend}`);
    printAccuracy(`linearAttention/${backend}`);
  });

  it.each(seq.softmaxAttention.map((c) => [c.name, c] as const))("softmaxAttention matches the numpy loop for %s", (_, c) => {
    const [q, k, v] = [tf.tensor(c.q, [c.l, c.dk]), tf.tensor(c.k, [c.l, c.dk]), tf.tensor(c.v, [c.l, c.dv])];
    const o = softmaxAttention(q, k, v, {causal: c.causal});
    expect(o.shape).toEqual([c.l, c.dv]);
    recordAccuracy(`softmaxAttention/${backend}`, backend, c.name, assertClose(o, c.o, {atol: 1e-5, rtol: 1e-5}));
    const W = softmaxAttentionWeights(q, k, {causal: c.causal});
    assertClose(W, c.weights, {atol: 1e-6, rtol: 1e-5});
    tf.dispose([q, k, v, o, W]);
  });

  it("softmaxAttentionWeights rows sum to 1 and the causal ones are 0 above the diagonal", () => {
    const [q, k] = [random(40, 8, 1), random(40, 8, 2)];
    for (const causal of [true, false]) {
      const W = softmaxAttentionWeights(q, k, {causal});
      const sums = tf.sum(W, 1);
      assertClose(sums, new Float32Array(40).fill(1), {atol: 1e-5, rtol: 0});
      if (causal) {
        const upper = tf.sub(W, tf.linalg.bandPart(W, -1, 0));
        expect(maxAbs(upper.dataSync())).toBe(0);
        upper.dispose();
      }
      tf.dispose([W, sums]);
    }
    tf.dispose([q, k]);
  });

  it("softmaxAttention equals the plain loop (softmaxAttentionLoop) at l = 200", () => {
    const [q, k, v] = [random(200, 16, 3), random(200, 16, 4), random(200, 8, 5)];
    for (const causal of [true, false]) {
      const o = softmaxAttention(q, k, v, {causal});
      assertClose(o, softmaxAttentionLoop(q.dataSync(), k.dataSync(), v.dataSync(), 200, 16, 8, causal), {atol: 1e-5, rtol: 1e-4});
      o.dispose();
    }
    tf.dispose([q, k, v]);
  });

  it.each(seq.linearAttention.map((c) => [c.name, c] as const))("linearAttention and linearAttentionRecurrent match the numpy recurrence for %s", (_, c) => {
    const [q, k, v] = [tf.tensor(c.q, [c.l, c.dk]), tf.tensor(c.k, [c.l, c.dk]), tf.tensor(c.v, [c.l, c.dv])];
    const opts = {featureMap: c.featureMap, decay: c.decay, normalize: c.normalize};
    const scale = Math.max(1, maxAbs(c.o));
    const o = linearAttention(q, k, v, opts);
    expect(o.shape).toEqual([c.l, c.dv]);
    recordAccuracy(`linearAttention/${backend}`, backend, c.name, assertClose(o, c.o, {atol: 2e-6 * scale, rtol: 1e-5, label: "parallel: "}));
    const or = linearAttentionRecurrent(q, k, v, opts);
    recordAccuracy(`linearAttention/${backend}`, backend, `${c.name} recurrent`, assertClose(or, c.o, {atol: 2e-6 * scale, rtol: 1e-5, label: "recurrent: "}));
    tf.dispose([q, k, v, o, or]);
  });

  for (const featureMap of FEATURE_MAPS) {
    for (const decay of [1, 0.9, 0.5]) {
      for (const normalize of ["sum", "none"] as const) {
        it(`linearAttention (parallel) = linearAttentionRecurrent for ${fmName(featureMap)}, decay ${decay}, ${normalize}`, () => {
          // mean 0.5 keeps identity-feature denominators away from 0 (an ill-posed division)
          const [q, k, v] = [random(64, 6, 10, 0.5), random(64, 6, 11, 0.5), random(64, 5, 12)];
          const opts = {featureMap, decay, normalize};
          const op = linearAttention(q, k, v, opts);
          const or = linearAttentionRecurrent(q, k, v, opts);
          const scale = Math.max(1, maxAbs(op.dataSync()));
          assertClose(op, or, {atol: 1e-5 * scale, rtol: 1e-4});
          if (typeof featureMap === "string") {
            const phi = (x: tf.Tensor) => tf.tidy(() => featureMap === "elu1" ? tf.add(tf.elu(x), 1) : featureMap === "relu" ? tf.relu(x) : x.clone());
            const [pq, pk] = [phi(q), phi(k)];
            assertClose(op, linearAttentionLoop(pq.dataSync(), pk.dataSync(), v.dataSync(), 64, 6, 5, decay, normalize), {atol: 1e-5 * scale, rtol: 1e-4});
            tf.dispose([pq, pk]);
          }
          tf.dispose([q, k, v, op, or]);
        });
      }
    }
  }

  it(`linearAttention guards the "sum" denominator: an all-zero ReLU feature row gives 0, not NaN (eps ${NORM_EPS})`, () => {
    const q = tf.tensor([[1, 1], [-1, -2], [0.5, 0]]); // row 1 has relu features (0, 0)
    const k = tf.tensor([[1, 0], [0, 1], [1, 1]]);
    const v = tf.tensor([[1, 2], [3, 4], [5, 6]]);
    for (const f of [linearAttention, linearAttentionRecurrent]) {
      const o = f(q, k, v, {featureMap: "relu"});
      const data = o.dataSync();
      expect(Array.from(data).every(Number.isFinite)).toBe(true);
      expect(Array.from(data.slice(2, 4))).toEqual([0, 0]);
      assertClose(data.slice(0, 2), [1, 2]); // only s = 0 is visible at t = 0
      o.dispose();
    }
    tf.dispose([q, k, v]);
  });

  it("linearAttention with identity features and no decay/normalisation equals the causally masked (QKᵀ)V", () => {
    const [q, k, v] = [random(30, 4, 20), random(30, 4, 21), random(30, 3, 22)];
    const o = linearAttention(q, k, v, {featureMap: "identity", normalize: "none"});
    const expected = tf.tidy(() => tf.matMul(tf.linalg.bandPart(tf.matMul(q, k, false, true), -1, 0), v));
    assertClose(o, expected, {atol: 1e-5, rtol: 1e-5});
    tf.dispose([q, k, v, o, expected]);
  });

  it("decayMask(l, γ) is γ^(t−s) on and below the diagonal and 0 above", () => {
    const M = decayMask(4, 0.5);
    assertClose(M, [[1, 0, 0, 0], [0.5, 1, 0, 0], [0.25, 0.5, 1, 0], [0.125, 0.25, 0.5, 1]], {atol: 1e-7, rtol: 1e-6});
    const M1 = decayMask(3, 1);
    assertClose(M1, [[1, 0, 0], [1, 1, 0], [1, 1, 1]], {atol: 0, rtol: 0});
    tf.dispose([M, M1]);
    expect(() => decayMask(0, 0.5)).toThrow("decayMask: l must be an integer ≥ 1, got 0");
    expect(() => decayMask(3, 1.5)).toThrow("decayMask: decay must be a number in (0, 1], got 1.5");
  });

  it("attention kernels leave no tensors behind", () => {
    const [q, k, v] = [random(16, 4, 30), random(16, 4, 31), random(16, 3, 32)];
    expectNoLeak(() => softmaxAttention(q, k, v));
    expectNoLeak(() => softmaxAttention(q, k, v, {causal: false}));
    expectNoLeak(() => softmaxAttentionWeights(q, k));
    for (const featureMap of FEATURE_MAPS) {
      expectNoLeak(() => linearAttention(q, k, v, {featureMap, decay: 0.9}));
      expectNoLeak(() => linearAttentionRecurrent(q, k, v, {featureMap, decay: 0.9}));
    }
    expectNoLeak(() => decayMask(10, 0.8));
    expectNoLeak(() => { expect(() => linearAttention(q, k, v, {featureMap: "nope" as any})).toThrow(); });
    expectNoLeak(() => { expect(() => softmaxAttention(q, [[1]], v)).toThrow(); });
    tf.dispose([q, k, v]);
  });

  it("attention kernels reject bad inputs with messages that name the argument", () => {
    const [q, k, v] = [random(5, 4, 40), random(5, 4, 41), random(5, 3, 42)];
    expect(() => softmaxAttention([1, 2, 3], k, v)).toThrow("softmaxAttention: q must be rank 2 (l,d_k), but got rank 1 with shape (3)");
    expect(() => softmaxAttention(q, random(5, 3, 1), v)).toThrow("softmaxAttention: k must have shape (l,d_k) = (5,4), but got (5,3)");
    expect(() => softmaxAttention(q, k, random(4, 3, 1))).toThrow("softmaxAttention: v must have shape (l,d_v) = (5,any), but got (4,3)");
    expect(() => softmaxAttention(q, k, tf.zeros([5, 3, 1]))).toThrow("softmaxAttention: v must be rank 2 (l,d_v), but got rank 3 with shape (5,3,1)");
    expect(() => softmaxAttention(q, k, [[1, 2], [3, NaN], [0, 0], [0, 0], [0, 0]])).toThrow("softmaxAttention: v must be finite, but entry 3 is NaN");
    expect(() => linearAttention(q, k, v, {featureMap: "softmax" as any})).toThrow('linearAttention: featureMap must be "elu1", "relu", "identity", {kind: "random", …} or a function, got "softmax"');
    expect(() => linearAttentionRecurrent(q, k, v, {featureMap: 3 as any})).toThrow('linearAttentionRecurrent: featureMap must be "elu1", "relu", "identity", {kind: "random", …} or a function, got 3');
    expect(() => linearAttention(q, k, v, {decay: 0})).toThrow("linearAttention: decay must be a number in (0, 1], got 0");
    expect(() => linearAttention(q, k, v, {decay: NaN})).toThrow("linearAttention: decay must be a number in (0, 1], got NaN");
    expect(() => linearAttention(q, k, v, {normalize: "layer" as any})).toThrow('linearAttention: normalize must be "sum", "none" or "groupnorm", got "layer"');
    expect(() => linearAttention(q, k, v, {featureMap: (x) => tf.sum(x, 1)})).toThrow("linearAttention: featureMap output φ(q) must be rank 2 (l,d_k'), but got rank 1 with shape (5)");
    expect(() => linearAttention(q, [[Infinity, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], v)).toThrow("linearAttention: k must be finite, but entry 0 is Infinity");
    expect(() => linearAttention(q, k, v, {featureMap: () => "x" as any})).toThrow("linearAttention: featureMap must return a tf.Tensor, got x");
    tf.dispose([q, k, v]);
  });
});
