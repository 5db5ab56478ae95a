// The Mamba block forward against the numpy port of Mamba.forward (reference/ref_selective.py),
// its seeded initialisation against Mamba.__init__'s rules, gradients on the composite path,
// shapes for diagrams, leaks and messages.
import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";
import {
  MAMBA_PARAM_NAMES, causalDepthwiseConv, mambaBlock, mambaBlockShapes, mambaConfig, mambaInit, mambaParamShapes, softplus,
  type MambaConfig, type MambaIntermediates, type MambaParams
} from "../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, loadFixture, maxAbs, useBackend} from "./helpers.js";

interface BlockCase {
  name: string; config: MambaConfig; b: number; l: number; x: number[];
  params: Record<string, number[]>; out: number[]; intermediates: Record<string, number[]>;
}
const fixtures = loadFixture<{mambaBlock: BlockCase[]}>("selective").mambaBlock;
const paramsOf = (c: BlockCase) => Object.fromEntries(MAMBA_PARAM_NAMES.map((k) => [k, Float32Array.from(c.params[k])])) as unknown as MambaParams<Float32Array>;

describe.each(BACKENDS)("mambaBlock on %s", (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(fixtures.flatMap((c) => (["fused", "composite"] as const).map((scan) => [c.name, scan, c] as const)))(
    "mambaBlock(x) matches Mamba.forward (numpy) for %s with the %s scan, intermediates included", (_, scan, c) => {
      const x = tf.tensor(c.x, [c.b, c.l, c.config.dModel]);
      const r = mambaBlock(x, c.config, paramsOf(c), {scan, intermediates: true});
      const shapes = mambaBlockShapes(c.config, c.b, c.l);
      expect(r.out.shape).toEqual(shapes.out);
      assertClose(r.out, c.out, {atol: 1e-5 * Math.max(1, maxAbs(c.out)), rtol: 1e-4, label: "out: "});
      for (const [name, want] of Object.entries(c.intermediates)) {
        const got = r.intermediates![name as keyof MambaIntermediates];
        expect(got.shape, name).toEqual(shapes[name as keyof typeof shapes]);
        assertClose(got, want, {atol: 1e-5 * Math.max(1, maxAbs(want)), rtol: 1e-4, label: `${name}: `});
      }
      for (const [name, t] of Object.entries(r.intermediates!)) expect(t.shape, name).toEqual(shapes[name as keyof typeof shapes]);
      tf.dispose([x, r.out, ...Object.values(r.intermediates!)]);
    });

  it("mambaBlock with returnLastState gives the scan's state (b, E, N), the same with either scan", () => {
    const c = fixtures[0];
    const x = tf.tensor(c.x, [c.b, c.l, c.config.dModel]);
    const f = mambaBlock(x, c.config, paramsOf(c), {returnLastState: true});
    const g = mambaBlock(x, c.config, paramsOf(c), {returnLastState: true, scan: "composite"});
    expect(f.lastState!.shape).toEqual([c.b, c.config.dInner, c.config.dState]);
    assertClose(f.lastState!, g.lastState!, {atol: 1e-5, rtol: 1e-4});
    assertClose(f.out, g.out, {atol: 1e-5, rtol: 1e-4});
    tf.dispose([x, f.out, f.lastState!, g.out, g.lastState!]);
  });

  it("tf.grads through mambaBlock runs on both scans and agrees, for the input and every parameter", () => {
    const config = mambaConfig(8, {dState: 4});
    const init = mambaInit(config, 3);
    const shapes = mambaParamShapes(config);
    const ps = MAMBA_PARAM_NAMES.map((k) => tf.tensor(init[k], shapes[k]));
    const r = lcg(9);
    const x = tf.tensor(Float32Array.from({length: 2 * 6 * 8}, () => 2 * r() - 1), [2, 6, 8]);
    const w = tf.tensor(Float32Array.from({length: 2 * 6 * 8}, () => 2 * r() - 1), [2, 6, 8]);
    const loss = (scan: "fused" | "composite") => (...xs: tf.Tensor[]) => {
      const params = Object.fromEntries(MAMBA_PARAM_NAMES.map((k, i) => [k, xs[i + 1]])) as unknown as MambaParams;
      return tf.sum(tf.mul(mambaBlock(xs[0], config, params, {scan}).out, w));
    };
    const before = tf.memory().numTensors;
    const gC = tf.grads(loss("composite"))([x, ...ps]);
    const gF = tf.grads(loss("fused"))([x, ...ps]);
    ["x", ...MAMBA_PARAM_NAMES].forEach((name, i) => {
      const g = gC[i].dataSync();
      expect(g.every(Number.isFinite), name).toBe(true);
      expect(maxAbs(g), `${name} gets a gradient`).toBeGreaterThan(0);
      assertClose(gF[i], gC[i], {atol: 1e-4 * Math.max(1, maxAbs(g)), rtol: 1e-3, label: `d/d${name}: `});
    });
    tf.dispose([...gC, ...gF]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w, ...ps]);
  });

  it("the composite path's gradient of one A_log entry matches a central difference", () => {
    const config = mambaConfig(4, {dState: 2});
    const init = mambaInit(config, 1);
    const shapes = mambaParamShapes(config);
    const x = tf.tensor(Float32Array.from({length: 5 * 4}, (_, i) => Math.sin(i)), [1, 5, 4]);
    const lossAt = (ALog: tf.Tensor) => tf.tidy(() => tf.sum(tf.square(mambaBlock(x, config, {...init, ALog}, {scan: "composite"}).out)));
    const ALog = tf.tensor(init.ALog, shapes.ALog);
    const g = tf.grad(lossAt)(ALog).dataSync();
    const h = 1e-2;
    const bump = (s: number) => { const v = Float32Array.from(init.ALog); v[3] += s; return tf.tensor(v, shapes.ALog); };
    const [p, m] = [bump(h), bump(-h)];
    const fd = (lossAt(p).dataSync()[0] - lossAt(m).dataSync()[0]) / (2 * h);
    expect(Math.abs(g[3] - fd)).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
    tf.dispose([x, ALog, p, m]);
  });

  it("mambaBlock leaves no tensors behind (with and without intermediates, and on errors)", () => {
    const c = fixtures[0];
    const x = tf.tensor(c.x, [c.b, c.l, c.config.dModel]);
    const p = paramsOf(c);
    expectNoLeak(() => mambaBlock(x, c.config, p).out);
    expectNoLeak(() => { const r = mambaBlock(x, c.config, p, {intermediates: true, returnLastState: true}); return [r.out, r.lastState!, ...Object.values(r.intermediates!)]; });
    expectNoLeak(() => { expect(() => mambaBlock(x, c.config, {...p, D: new Float32Array(3)})).toThrow(); });
    x.dispose();
  });

  it("mambaBlock rejects bad inputs with messages that name the argument", () => {
    const c = fixtures[0]; // d_model 8, E 16, N 4, R 1
    const p = paramsOf(c);
    const x = tf.zeros([2, 9, 8]);
    expect(() => mambaBlock(tf.zeros([9, 8]), c.config, p)).toThrow("mambaBlock: x must be rank 3 (b,l,d_model), but got rank 2 with shape (9,8)");
    expect(() => mambaBlock(tf.zeros([2, 9, 7]), c.config, p)).toThrow("mambaBlock: x must have shape (b,l,d_model) = (any,any,8), but got (2,9,7)");
    expect(() => mambaBlock(x, c.config, {...p, D: new Float32Array(3)})).toThrow("mambaBlock: params.D must have 16 entries for shape (16), got 3");
    expect(() => mambaBlock(x, c.config, {...p, ALog: tf.zeros([16, 5])})).toThrow("mambaBlock: params.ALog must have shape (16,4), but got (16,5)");
    const {convW: _, ...missing} = p;
    expect(() => mambaBlock(x, c.config, missing as MambaParams)).toThrow("mambaBlock: params.convW is missing");
    expect(() => mambaBlock(x, c.config, p, {scan: "parallel" as "fused"})).toThrow('mambaBlock: opts.scan must be "fused" or "composite", got parallel');
    x.dispose();
  });

  it("causalDepthwiseConv(x, w, bias) equals the loop out_t = bias + Σ_k w_k x_{t+k−(K−1)}", () => {
    const [b, l, E, K] = [2, 7, 3, 4];
    const r = lcg(4);
    const xs = Float32Array.from({length: b * l * E}, () => 2 * r() - 1);
    const ws = Float32Array.from({length: E * K}, () => 2 * r() - 1);
    const bs = Float32Array.from({length: E}, () => r());
    const want = new Float32Array(b * l * E);
    for (let ib = 0; ib < b; ib++) for (let t = 0; t < l; t++) for (let e = 0; e < E; e++) {
      let acc = bs[e];
      for (let k = 0; k < K; k++) {
        const s = t + k - (K - 1);
        if (s >= 0) acc += ws[e * K + k] * xs[(ib * l + s) * E + e];
      }
      want[(ib * l + t) * E + e] = acc;
    }
    const y = tf.tidy(() => causalDepthwiseConv(tf.tensor(xs, [b, l, E]), tf.tensor(ws, [E, K]), tf.tensor(bs)));
    assertClose(y, want, {atol: 1e-6, rtol: 1e-5});
    y.dispose();
  });
});

describe("mambaConfig and mambaInit", () => {
  it("mambaConfig(d_model) has Mamba's defaults: d_state 16, d_conv 4, expand 2, dt_rank ceil(d_model/16)", () => {
    expect(mambaConfig(768)).toEqual({dModel: 768, dState: 16, dConv: 4, expand: 2, dInner: 1536, dtRank: 48});
    expect(mambaConfig(8).dtRank).toBe(1);
    expect(mambaConfig(17).dtRank).toBe(2);
    expect(mambaConfig(8, {dState: 4, dtRank: 3, expand: 1.5})).toEqual({dModel: 8, dState: 4, dConv: 4, expand: 1.5, dInner: 12, dtRank: 3});
    expect(() => mambaConfig(0)).toThrow("mambaConfig: dModel must be an integer ≥ 1, got 0");
    expect(() => mambaConfig(8, {dState: 2.5})).toThrow("mambaConfig: dState must be an integer ≥ 1, got 2.5");
    expect(() => mambaConfig(5, {expand: 0.3})).toThrow("mambaConfig: expand must be > 0 with expand·dModel an integer, got 0.3");
  });

  it("mambaInit follows Mamba.__init__: A_log = log(1..N), D = 1, softplus(dt bias) log-uniform in [1e-3, 1e-1], weight bounds", () => {
    const c = mambaConfig(32, {dState: 16}); // E = 64, R = 2
    const p = mambaInit(c, 7);
    const shapes = mambaParamShapes(c);
    for (const k of MAMBA_PARAM_NAMES) expect(p[k].length, k).toBe(shapes[k].reduce((a, s) => a * s, 1));
    for (let e = 0; e < 64; e++) for (let n = 0; n < 16; n++) expect(p.ALog[e * 16 + n]).toBeCloseTo(Math.log(n + 1), 6);
    expect(Array.from(p.D).every((v) => v === 1)).toBe(true);
    const dts = Array.from(p.dtProjB, softplus);
    expect(Math.min(...dts)).toBeGreaterThanOrEqual(1e-3 * (1 - 1e-5));
    expect(Math.max(...dts)).toBeLessThanOrEqual(1e-1 * (1 + 1e-5));
    // log-uniform: the mean of log Δ is the midpoint of [log 1e-3, log 1e-1] (±3 standard errors)
    const meanLog = dts.reduce((a, v) => a + Math.log(v), 0) / dts.length;
    expect(Math.abs(meanLog - Math.log(1e-2))).toBeLessThan(3 * (Math.log(100) / Math.sqrt(12)) / Math.sqrt(dts.length));
    const bound = (k: keyof MambaParams, b: number) => expect(maxAbs(p[k]), k).toBeLessThanOrEqual(b + 1e-7);
    bound("inProjW", 1 / Math.sqrt(32)); bound("convW", 0.5); bound("convB", 0.5); bound("xProjW", 1 / 8);
    bound("dtProjW", 1 / Math.sqrt(2)); bound("outProjW", 1 / 8);
    expect(maxAbs(p.inProjW)).toBeGreaterThan(0.9 / Math.sqrt(32)); // uniform, not a narrower law
  });

  it("mambaInit is seeded: the same seed gives the same parameters, another seed others", () => {
    const c = mambaConfig(8);
    expect(mambaInit(c, 1)).toEqual(mambaInit(c, 1));
    expect(mambaInit(c, 1).inProjW).not.toEqual(mambaInit(c, 2).inProjW);
    expect(Array.from(mambaInit(c, 1, {dtInit: "constant"}).dtProjW).every((v) => Math.abs(v - 1) < 1e-7)).toBe(true); // R = 1: R^−½ = 1
    expect(() => mambaInit(c, 1, {dtMin: 0.2, dtMax: 0.1})).toThrow("mambaInit: dtMin and dtMax must satisfy 0 < dtMin ≤ dtMax, got 0.2 and 0.1");
  });

  it("mambaBlockShapes(config, b, l) names every box of the block with its shape", () => {
    expect(mambaBlockShapes(mambaConfig(768), 1, 4096)).toEqual({
      input: [1, 4096, 768], xz: [1, 4096, 3072], x: [1, 4096, 1536], z: [1, 4096, 1536], xConv: [1, 4096, 1536], xAct: [1, 4096, 1536],
      xDbl: [1, 4096, 80], dtLow: [1, 4096, 48], B: [1, 4096, 16], C: [1, 4096, 16], delta: [1, 4096, 1536], A: [1536, 16],
      y: [1, 4096, 1536], out: [1, 4096, 768], lastState: [1, 1536, 16]
    });
  });
});
