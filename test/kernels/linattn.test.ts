// Page 6's linear attention: GroupNorm (SUPRA), the chunked form, multi-head with per-head
// decay, Performer's random features and SUPRA's learned map.
import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {
  GROUPNORM_EPS, groupNorm, linearAttention, linearAttentionChunked, linearAttentionHeads, linearAttentionRecurrent, linearAttentionWeights,
  mlpFeatureMap, performerWeights, positiveRandomFeatures, randomFeatureMap, retnetDecays, softmaxAttention, softmaxAttentionWeights,
  type AttentionForm, type FeatureMap, type Normalize
} from "../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, loadFixture, maxAbs, printAccuracy, recordAccuracy, useBackend} from "./helpers.js";

interface GnCase {name: string; featureMap: "elu1" | "relu" | "identity"; decay: number; normalize: Normalize; l: number; dk: number; dv: number; q: number[]; k: number[]; v: number[]; o: number[]}
interface HeadsCase {name: string; b: number; l: number; h: number; dk: number; dv: number; decay: number[]; featureMap: "elu1" | "relu" | "identity"; normalize: Normalize; q: number[]; k: number[]; v: number[]; o: number[]}
interface PerfCase {l: number; dk: number; dv: number; m: number; q: number[]; k: number[]; v: number[]; W: number[]; phiQ: number[]; o: number[]}
const fx = loadFixture<{groupnorm: GnCase[]; heads: HeadsCase[]; performer: PerfCase[]}>("linattn");

const FORMS: AttentionForm[] = ["parallel", "recurrent", "chunked", "fused"];
const CHUNKS = [1, 2, 3, 7, 16, 64];

function random(shape: number[], seed: number, mean = 0, scale = 1): tf.Tensor {
  const r = lcg(seed);
  return tf.tensor(Float32Array.from({length: shape.reduce((a, b) => a * b, 1)}, () => mean + scale * (2 * r() - 1)), shape);
}

describe.each(BACKENDS)("linear attention (page 6) on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`linearAttention groupnorm+heads/${backend}`));
  const acc = (name: string, r: ReturnType<typeof assertClose>) => recordAccuracy(`linearAttention groupnorm+heads/${backend}`, backend, name, r);

  it.each(fx.groupnorm.map((c) => [c.name, c] as const))("linearAttention, linearAttentionRecurrent and linearAttentionChunked with groupnorm match the numpy recurrence for %s", (_, c) => {
    const [q, k, v] = [tf.tensor(c.q, [c.l, c.dk]), tf.tensor(c.k, [c.l, c.dk]), tf.tensor(c.v, [c.l, c.dv])];
    const opts = {featureMap: c.featureMap, decay: c.decay, normalize: c.normalize};
    const tol = {atol: 1e-5, rtol: 1e-4};
    const outs = [["parallel", linearAttention(q, k, v, opts)], ["recurrent", linearAttentionRecurrent(q, k, v, opts)],
      ...[1, 3, 64].map((chunk) => [`chunked ${chunk}`, linearAttentionChunked(q, k, v, {...opts, chunk})])] as [string, tf.Tensor][];
    for (const [name, o] of outs) {
      expect(o.shape).toEqual([c.l, c.dv]);
      acc(`${c.name} ${name}`, assertClose(o, c.o, {...tol, label: `${name}: `}));
    }
    tf.dispose([q, k, v, ...outs.map(([, o]) => o)]);
  });

  it("groupNorm(o) gives mean 0 and variance 1 per row (eps 1e-5, no affine), and 0 for a constant row", () => {
    const o = tf.tensor([[1, 2, 3, 4], [5, 5, 5, 5], [0, 0, 0, 0], [-3, 0, 3, 1e-3]]);
    const g = groupNorm(o);
    const {mean, variance} = tf.moments(g, 1);
    assertClose(tf.slice(mean, [0], [1]), [0], {atol: 1e-6});
    const row0 = [1, 2, 3, 4].map((x) => (x - 2.5) / Math.sqrt(1.25 + GROUPNORM_EPS));
    assertClose(tf.slice(g, [0, 0], [1, 4]), [row0], {atol: 1e-6, rtol: 1e-6});
    expect(Array.from(tf.slice(g, [1, 0], [2, 4]).dataSync())).toEqual(new Array(8).fill(0));
    assertClose(tf.slice(variance, [3], [1]), [1], {atol: 1e-5, rtol: 1e-5});
    tf.dispose([o, g, mean, variance]);
  });

  it("linearAttention with groupnorm never divides by zero: zero values, zero features and d_v = 1 give finite zeros", () => {
    const [q, k] = [random([9, 3], 1), random([9, 3], 2)];
    const zeros = tf.zeros([9, 4]);
    const single = random([9, 1], 3);
    const negQ = tf.neg(tf.abs(q)); // relu features of every query are 0
    for (const f of [linearAttention, linearAttentionRecurrent, linearAttentionChunked]) {
      for (const [qq, vv, fm] of [[q, zeros, "elu1"], [q, single, "elu1"], [negQ, random([9, 4], 4), "relu"]] as const) {
        const o = f(qq, k, vv, {featureMap: fm, normalize: "groupnorm", decay: 0.9});
        const data = Array.from(o.dataSync());
        expect(data.every((x) => x === 0)).toBe(true);
        o.dispose();
      }
    }
    const oh = linearAttentionHeads(tf.zeros([2, 5, 3, 2]), tf.zeros([2, 5, 3, 2]), tf.zeros([2, 5, 3, 4]), {normalize: "groupnorm", form: "chunked", chunk: 2});
    expect(Array.from(oh.dataSync()).every((x) => x === 0)).toBe(true);
    tf.dispose([q, k, zeros, single, negQ, oh]);
  });

  it("linearAttentionChunked = linearAttentionRecurrent at odd l = 45 for chunk 1, 2, 3, 7, 16, 64, 45 and 90, every normaliser", () => {
    const [q, k, v] = [random([45, 5], 5, 0.4), random([45, 5], 6, 0.4), random([45, 3], 7)];
    for (const normalize of ["sum", "none", "groupnorm"] as const) {
      const ref = linearAttentionRecurrent(q, k, v, {decay: 0.93, normalize});
      const tol = {atol: 1e-5 * Math.max(1, maxAbs(ref.dataSync())), rtol: 1e-4};
      for (const chunk of [...CHUNKS, 45, 90]) {
        const o = linearAttentionChunked(q, k, v, {decay: 0.93, normalize, chunk});
        assertClose(o, ref, {...tol, label: `${normalize} chunk ${chunk}: `});
        o.dispose();
      }
      ref.dispose();
    }
    tf.dispose([q, k, v]);
  });

  it.each(fx.heads.map((c) => [c.name, c] as const))("linearAttentionHeads in every form matches the numpy per-head recurrence for %s", (_, c) => {
    const [q, k, v] = [tf.tensor(c.q, [c.b, c.l, c.h, c.dk]), tf.tensor(c.k, [c.b, c.l, c.h, c.dk]), tf.tensor(c.v, [c.b, c.l, c.h, c.dv])];
    const tol = {atol: 2e-6 * Math.max(1, maxAbs(c.o)), rtol: 1e-4};
    for (const form of FORMS) {
      for (const chunk of form === "chunked" ? [1, 4, 64] : [64]) {
        const o = linearAttentionHeads(q, k, v, {featureMap: c.featureMap, decay: c.decay, normalize: c.normalize, form, chunk});
        expect(o.shape).toEqual([c.b, c.l, c.h, c.dv]);
        acc(`${c.name} ${form} ${chunk}`, assertClose(o, c.o, {...tol, label: `${form} chunk ${chunk}: `}));
        o.dispose();
      }
    }
    tf.dispose([q, k, v]);
  });

  it("linearAttentionHeads: parallel = recurrent = fused = chunked (chunk 1, 2, 3, 7, 16, 64, l, > l) at odd l = 37 for every normaliser and feature map", () => {
    const [nb, l, h, dk, dv] = [2, 37, 3, 4, 3];
    const [q, k, v] = [random([nb, l, h, dk], 8, 0.3), random([nb, l, h, dk], 9, 0.3), random([nb, l, h, dv], 10)];
    const maps: FeatureMap[] = ["elu1", "relu", (x) => tf.sigmoid(x), {kind: "random", features: 6, seed: 3}];
    const decay = [0.5, 0.9, 1];
    for (const featureMap of maps) {
      for (const normalize of ["sum", "none", "groupnorm"] as const) {
        const ref = linearAttentionHeads(q, k, v, {featureMap, decay, normalize, form: "parallel"});
        const tol = {atol: 1e-5 * Math.max(1, maxAbs(ref.dataSync())), rtol: 1e-4};
        const rec = linearAttentionHeads(q, k, v, {featureMap, decay, normalize, form: "recurrent"});
        assertClose(rec, ref, {...tol, label: `recurrent ${normalize}: `});
        const fused = linearAttentionHeads(q, k, v, {featureMap, decay, normalize, form: "fused"});
        assertClose(fused, ref, {...tol, label: `fused ${normalize}: `});
        fused.dispose();
        for (const chunk of [...CHUNKS, l, l + 10]) {
          const o = linearAttentionHeads(q, k, v, {featureMap, decay, normalize, form: "chunked", chunk});
          assertClose(o, ref, {...tol, label: `chunked ${chunk} ${normalize}: `});
          o.dispose();
        }
        tf.dispose([ref, rec]);
      }
    }
    tf.dispose([q, k, v]);
  });

  it("linearAttentionHeads with per-head decay equals linearAttention on each head with its own γ", () => {
    const [l, h, dk, dv] = [20, 3, 4, 2];
    const [q, k, v] = [random([l, h, dk], 11), random([l, h, dk], 12), random([l, h, dv], 13)];
    const decay = [0.6, 0.8, 0.97];
    for (const normalize of ["sum", "groupnorm"] as const) {
      const o = linearAttentionHeads(q, k, v, {decay, normalize}); // rank 3: (l, h, d)
      expect(o.shape).toEqual([l, h, dv]);
      for (let i = 0; i < h; i++) {
        const head = (t: tf.Tensor, d: number) => tf.reshape(tf.slice(t, [0, i, 0], [l, 1, d]), [l, d]);
        const [qi, ki, vi, oi] = [head(q, dk), head(k, dk), head(v, dv), head(o, dv)];
        const want = linearAttention(qi, ki, vi, {decay: decay[i], normalize});
        assertClose(oi, want, {atol: 1e-5, rtol: 1e-4, label: `head ${i} ${normalize}: `});
        tf.dispose([qi, ki, vi, oi, want]);
      }
      o.dispose();
    }
    tf.dispose([q, k, v]);
  });

  it("retnetDecays(h) is RetNet's γ_h = 1 − 2^(−5−h)", () => {
    expect(retnetDecays(4)).toEqual([1 - 1 / 32, 1 - 1 / 64, 1 - 1 / 128, 1 - 1 / 256]);
    expect(() => retnetDecays(0)).toThrow("retnetDecays: heads must be an integer in [1, 9007199254740991], got 0");
  });

  it("positiveRandomFeatures(x, W) matches numpy's φ(x) = exp(W x' − |x'|²/2)/√m, and linear attention with it matches the numpy recurrence", () => {
    const c = fx.performer[0];
    const [q, k, v] = [tf.tensor(c.q, [c.l, c.dk]), tf.tensor(c.k, [c.l, c.dk]), tf.tensor(c.v, [c.l, c.dv])];
    const W = tf.tensor(c.W, [c.m, c.dk]);
    const phi = positiveRandomFeatures(q, W);
    expect(phi.shape).toEqual([c.l, c.m]);
    assertClose(phi, c.phiQ, {atol: 1e-6, rtol: 1e-5});
    const map = (x: tf.Tensor) => positiveRandomFeatures(x, W);
    for (const f of [linearAttention, linearAttentionRecurrent, linearAttentionChunked]) {
      const o = f(q, k, v, {featureMap: map});
      acc(`performer ${f.name}`, assertClose(o, c.o, {atol: 1e-5, rtol: 1e-4}));
      o.dispose();
    }
    tf.dispose([q, k, v, W, phi]);
  });

  it("performerWeights(d_k, {orthogonal}) is seeded and its blocks of d_k rows are orthogonal with Gaussian lengths", () => {
    const W = performerWeights(4, {features: 10, seed: 7});
    expect(W.length).toBe(40);
    expect(performerWeights(4, {features: 10, seed: 7})).toEqual(W);
    expect(performerWeights(4, {features: 10, seed: 8})).not.toEqual(W);
    const row = (i: number) => Array.from(W.slice(i * 4, i * 4 + 4));
    const dot = (a: number[], b: number[]) => a.reduce((s, x, j) => s + x * b[j], 0);
    for (const [i, j] of [[0, 1], [0, 3], [2, 3], [4, 7], [5, 6], [8, 9]]) expect(Math.abs(dot(row(i), row(j)))).toBeLessThan(1e-5);
    expect(Math.abs(dot(row(0), row(4)))).toBeGreaterThan(1e-3); // different blocks are independent
    const plain = performerWeights(3, {features: 5, seed: 1, orthogonal: false});
    expect(plain.length).toBe(15);
  });

  it("random features estimate softmax's kernel exp(q·k/√d_k): the error shrinks as features grow, and attention approaches softmaxAttention", () => {
    const [l, dk] = [16, 8];
    const [q, k, v] = [random([l, dk], 14, 0, 0.8), random([l, dk], 15, 0, 0.8), random([l, dk], 16)];
    const exact = tf.tidy(() => tf.exp(tf.div(tf.matMul(q, k, false, true), Math.sqrt(dk)))); // (l, l)
    const relErr = (m: number) => tf.tidy(() => {
      let sum = tf.zeros([l, l]);
      for (const seed of [1, 2, 3, 4]) {
        const f = randomFeatureMap(dk, {features: m, seed});
        sum = tf.add(sum, tf.matMul(f(q), f(k), false, true));
      }
      return tf.mean(tf.div(tf.abs(tf.sub(tf.div(sum, 4), exact)), exact)).dataSync()[0];
    });
    const [e16, e4096] = [relErr(16), relErr(4096)];
    expect(e4096).toBeLessThan(0.03);
    expect(e16).toBeGreaterThan(3 * e4096);
    const soft = softmaxAttention(q, k, v);
    const approx = linearAttention(q, k, v, {featureMap: {kind: "random", features: 4096, seed: 1}});
    const far = linearAttention(q, k, v, {featureMap: {kind: "random", features: 8, seed: 1}});
    const dist = (t: tf.Tensor) => tf.tidy(() => tf.mean(tf.abs(tf.sub(t, soft))).dataSync()[0]);
    expect(dist(approx)).toBeLessThan(0.05);
    expect(dist(far)).toBeGreaterThan(dist(approx));
    tf.dispose([q, k, v, exact, soft, approx, far]);
  });

  it("featureMap {kind: \"random\"} is seeded: the same seed gives the same output, another seed another", () => {
    const [q, k, v] = [random([10, 4], 17), random([10, 4], 18), random([10, 2], 19)];
    const o1 = linearAttention(q, k, v, {featureMap: {kind: "random", features: 12, seed: 5}});
    const o2 = linearAttention(q, k, v, {featureMap: {kind: "random", features: 12, seed: 5}});
    const o3 = linearAttention(q, k, v, {featureMap: {kind: "random", features: 12, seed: 6}});
    const f = randomFeatureMap(4, {features: 12, seed: 5});
    const o4 = linearAttention(q, k, v, {featureMap: f});
    expect(Array.from(o1.dataSync())).toEqual(Array.from(o2.dataSync()));
    expect(Array.from(o4.dataSync())).toEqual(Array.from(o1.dataSync()));
    expect(maxAbs(tf.sub(o1, o3).dataSync())).toBeGreaterThan(1e-4);
    expect([f.features, f.dk, f.W.length]).toEqual([12, 4, 48]);
    tf.dispose([q, k, v, o1, o2, o3, o4]);
  });

  it("mlpFeatureMap(W, b) is SUPRA's ReLU(xW + b), and gradients reach W and b through linearAttentionHeads", () => {
    const W = tf.variable(random([4, 6], 20));
    const b = tf.variable(random([6], 21, 0, 0.1));
    const phi = mlpFeatureMap(W, b);
    const x = random([5, 4], 22);
    const got = phi(x);
    const want = tf.tidy(() => tf.relu(tf.add(tf.matMul(x, W), b)));
    assertClose(got, want, {atol: 1e-6, rtol: 1e-6});
    const [q, k, v] = [random([1, 12, 2, 4], 23), random([1, 12, 2, 4], 24), random([1, 12, 2, 3], 25)];
    const {value, grads} = tf.variableGrads(() => tf.sum(tf.square(linearAttentionHeads(q, k, v, {featureMap: phi, decay: [0.9, 0.7], normalize: "groupnorm", form: "chunked", chunk: 5}))) as tf.Scalar, [W, b]);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    expect(maxAbs(grads[W.name].dataSync())).toBeGreaterThan(0);
    // the same gradient through the parallel form
    const g2 = tf.variableGrads(() => tf.sum(tf.square(linearAttentionHeads(q, k, v, {featureMap: phi, decay: [0.9, 0.7], normalize: "groupnorm"}))) as tf.Scalar, [W, b]);
    assertClose(grads[W.name], g2.grads[W.name], {atol: 1e-4, rtol: 1e-3});
    assertClose(grads[b.name], g2.grads[b.name], {atol: 1e-4, rtol: 1e-3});
    tf.dispose([W, b, x, got, want, q, k, v, value, g2.value, ...Object.values(grads), ...Object.values(g2.grads)]);
  });

  it("linearAttentionWeights(q, k) rows sum to 1 for \"sum\" (0 where ReLU features vanish), times v give linearAttention, and sit beside softmax's", () => {
    const [q, k, v] = [random([14, 4], 26), random([14, 4], 27), random([14, 3], 28)];
    for (const [featureMap, decay] of [["elu1", 1], ["relu", 0.8], [{kind: "random", features: 32, seed: 2}, 1]] as [FeatureMap, number][]) {
      const Wl = linearAttentionWeights(q, k, {featureMap, decay});
      const sums = Array.from(tf.sum(Wl, 1).dataSync());
      if (featureMap === "relu") expect(sums.every((s) => Math.abs(s - 1) < 1e-5 || s === 0)).toBe(true);
      else assertClose(sums, new Array(14).fill(1), {atol: 1e-5});
      const o = tf.matMul(Wl, v);
      const want = linearAttention(q, k, v, {featureMap, decay});
      assertClose(o, want, {atol: 1e-5, rtol: 1e-4});
      const upper = tf.sub(Wl, tf.linalg.bandPart(Wl, -1, 0));
      expect(maxAbs(upper.dataSync())).toBe(0);
      tf.dispose([Wl, o, want, upper]);
    }
    const P = linearAttentionWeights(q, k, {normalize: "none"});
    const S = softmaxAttentionWeights(q, k);
    expect(P.shape).toEqual(S.shape);
    const o = tf.matMul(P, v);
    const want = linearAttention(q, k, v, {normalize: "none"});
    assertClose(o, want, {atol: 1e-5, rtol: 1e-4});
    tf.dispose([q, k, v, P, S, o, want]);
  });

  it("the page-6 attention kernels leave no tensors behind", () => {
    const [q, k, v] = [random([12, 4], 29), random([12, 4], 30), random([12, 3], 31)];
    const [qh, kh, vh] = [random([2, 12, 2, 4], 32), random([2, 12, 2, 4], 33), random([2, 12, 2, 3], 34)];
    for (const normalize of ["sum", "none", "groupnorm"] as const) {
      expectNoLeak(() => linearAttention(q, k, v, {normalize}));
      expectNoLeak(() => linearAttentionRecurrent(q, k, v, {normalize}));
      expectNoLeak(() => linearAttentionChunked(q, k, v, {normalize, chunk: 5}));
      expectNoLeak(() => linearAttentionWeights(q, k, {normalize}));
      for (const form of FORMS) expectNoLeak(() => linearAttentionHeads(qh, kh, vh, {normalize, form, decay: [0.9, 0.8], chunk: 5}));
    }
    expectNoLeak(() => linearAttention(q, k, v, {featureMap: {kind: "random", features: 8}}));
    const f = randomFeatureMap(4, {features: 8});
    expectNoLeak(() => f(q));
    const W = random([4, 5], 35);
    expectNoLeak(() => linearAttention(q, k, v, {featureMap: mlpFeatureMap(W)}));
    expectNoLeak(() => groupNorm(q));
    expectNoLeak(() => { expect(() => linearAttentionHeads(qh, kh, vh, {decay: [2, 1]})).toThrow(); });
    const wide = random([3, 5], 1);
    expectNoLeak(() => { expect(() => f(wide)).toThrow(); });
    tf.dispose([q, k, v, qh, kh, vh, W, wide]);
  });

  it("the page-6 attention kernels reject bad inputs with messages that name the function and the argument", () => {
    const [q, k, v] = [random([2, 5, 3, 4], 36), random([2, 5, 3, 4], 37), random([2, 5, 3, 2], 38)];
    expect(() => linearAttentionHeads(q, k, v, {decay: [0.9, 0.8]})).toThrow("linearAttentionHeads: decay must be a number in (0, 1] or an array of h = 3 such numbers, got [0.9,0.8]");
    expect(() => linearAttentionHeads(q, k, v, {decay: [0.9, 0, 0.8]})).toThrow("linearAttentionHeads: decay must be a number in (0, 1] or an array of h = 3 such numbers, got [0.9,0,0.8]");
    expect(() => linearAttentionHeads(q, k, v, {decay: 1.5})).toThrow("linearAttentionHeads: decay must be a number in (0, 1] or an array of h = 3 such numbers, got 1.5");
    expect(() => linearAttentionHeads(q, k, v, {form: "fast" as any})).toThrow('linearAttentionHeads: form must be "parallel", "recurrent", "chunked" or "fused", got "fast"');
    expect(() => linearAttentionHeads(q, k, v, {normalize: "layer" as any})).toThrow('linearAttentionHeads: normalize must be "sum", "none" or "groupnorm", got "layer"');
    expect(() => linearAttentionHeads(q, k, v, {chunk: 0})).toThrow("linearAttentionHeads: chunk must be an integer in [1, 9007199254740991], got 0");
    expect(() => linearAttentionHeads(tf.zeros([5, 4]), k, v)).toThrow("linearAttentionHeads: q must be rank 4 (b,l,h,d_k) or rank 3 (l,h,d_k), but got rank 2 with shape (5,4)");
    expect(() => linearAttentionHeads(q, tf.zeros([2, 5, 3, 3]), v)).toThrow("linearAttentionHeads: k must have shape (b,l,h,d_k) = (2,5,3,4), but got (2,5,3,3)");
    expect(() => linearAttentionHeads(q, k, tf.zeros([2, 5, 2, 2]))).toThrow("linearAttentionHeads: v must have shape (b,l,h,d_v) = (2,5,3,any), but got (2,5,2,2)");
    expect(() => linearAttentionHeads(q, k, v, {featureMap: "softmax" as any})).toThrow('linearAttentionHeads: featureMap must be "elu1", "relu", "identity", {kind: "random", …} or a function, got "softmax"');
    expect(() => linearAttentionChunked(tf.zeros([3, 2]), tf.zeros([3, 2]), tf.zeros([3, 2]), {chunk: -2})).toThrow("linearAttentionChunked: chunk must be an integer in [1, 9007199254740991], got -2");
    expect(() => linearAttention(tf.zeros([3, 2]), tf.zeros([3, 2]), tf.zeros([3, 2]), {featureMap: {kind: "random", features: 0}})).toThrow("linearAttention: features must be an integer in [1, 9007199254740991], got 0");
    expect(() => performerWeights(4, {seed: NaN})).toThrow("performerWeights: seed must be a finite number, got NaN");
    expect(() => positiveRandomFeatures(tf.zeros([3, 2]), tf.zeros([5, 3]))).toThrow("positiveRandomFeatures: W must have shape (m,d_k) = (any,2), but got (5,3)");
    expect(() => randomFeatureMap(4)(tf.zeros([3, 2]))).toThrow("randomFeatureMap: featureMap was made for d_k = 4, but got rows of width 2");
    expect(() => mlpFeatureMap([[1, 2]], [1])).toThrow("mlpFeatureMap: b must have shape (d_k') = (2), but got (1)");
    expect(() => mlpFeatureMap([[1, 2]])(tf.zeros([3, 2]))).toThrow("mlpFeatureMap: x must have rows of width d_k = 1 (W's rows), but got shape (3,2)");
    tf.dispose([q, k, v]);
  });
});
