import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {CROSS_SCAN_NAMES, crossMerge2d, crossScan2d, crossScanDecayLoop, crossScanMerge2d, crossScanOrders, decayScan, selectiveScan} from "../../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, loadFixture, printAccuracy, recordAccuracy, useBackend} from "../helpers.js";

interface Case {name: string; H: number; W: number; C: number; x: number[]; a: number[]; seqs: number[]; y: number[]}
const fx = loadFixture<{crossScan: Case[]}>("family").crossScan;

describe("crossScanOrders (plain data)", () => {
  it("crossScanOrders(H, W): each of the four orders is a permutation of 0 … H·W − 1", () => {
    for (const [H, W] of [[1, 1], [1, 5], [4, 1], [3, 4], [7, 6]]) {
      const {orders, names} = crossScanOrders(H, W);
      expect(names).toEqual(CROSS_SCAN_NAMES);
      expect(orders).toHaveLength(4);
      for (const o of orders) expect(Array.from(o).sort((a, b) => a - b)).toEqual(Array.from({length: H * W}, (_, i) => i));
    }
  });
  it("crossScanOrders(2, 3) is row-major, column-major and both reversed", () => {
    const {orders} = crossScanOrders(2, 3); // pixels r·3 + c
    expect(orders.map((o) => Array.from(o))).toEqual([[0, 1, 2, 3, 4, 5], [0, 3, 1, 4, 2, 5], [5, 4, 3, 2, 1, 0], [5, 2, 4, 1, 3, 0]]);
  });
});

describe.each(BACKENDS)("crossScan2d / crossMerge2d on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`crossScan/${backend}`));
  const log = (name: string, r: ReturnType<typeof assertClose>) => recordAccuracy(`crossScan/${backend}`, backend, name, r);

  it.each(fx.map((c) => [c.name, c] as const))("crossScan2d and crossScanMerge2d(decayScan) match numpy's CrossScan/CrossMerge for %s", (_, c) => {
    const x = tf.tensor3d(c.x, [c.H, c.W, c.C]);
    const seqs = crossScan2d(x);
    expect(seqs.shape).toEqual([4, c.H * c.W, c.C]);
    assertClose(seqs, c.seqs, {atol: 0, rtol: 1e-7}); // a pure permutation: only the 9-digit JSON rounding
    const y = crossScanMerge2d(x, decayScan(c.a));
    expect(y.shape).toEqual([c.H, c.W, c.C]);
    log(c.name, assertClose(y, c.y, {atol: 1e-5, rtol: 1e-5}));
    tf.dispose([x, seqs, y]);
  });

  it("crossMerge2d(crossScan2d(x)) = 4x (the scan with the identity)", () => {
    for (const [H, W, C] of [[1, 1, 1], [3, 5, 2], [8, 8, 3]]) {
      const r = lcg(H * W + C);
      const x = Float32Array.from({length: H * W * C}, () => 2 * r() - 1);
      const y = crossMerge2d(crossScan2d(tf.tensor3d(x, [H, W, C])), H, W);
      assertClose(y, x.map((v) => 4 * v), {atol: 1e-6, rtol: 0});
      const yi = crossScanMerge2d(tf.tensor3d(x, [H, W, C]), (s) => s);
      assertClose(yi, y, {atol: 0, rtol: 0});
      tf.dispose([y, yi]);
    }
  });

  it("crossScanMerge2d(x, decayScan(a)) equals four decay loops walked by rows and columns", () => {
    const H = 9, W = 7, C = 3, r = lcg(2);
    const x = Float32Array.from({length: H * W * C}, () => 2 * r() - 1), a = [0.5, 0.9, 0.99];
    const y = crossScanMerge2d(tf.tensor3d(x, [H, W, C]), decayScan(a));
    log("decay 9x7x3", assertClose(y, crossScanDecayLoop(x, a, H, W, C), {atol: 2e-5, rtol: 1e-5}));
    y.dispose();
  });

  it("crossScanMerge2d runs a selective scan along each order (4 directions as the batch) and changes the channel count", () => {
    const H = 4, W = 4, C = 2, L = H * W, r = lcg(8);
    const x = Float32Array.from({length: H * W * C}, () => 2 * r() - 1);
    const scan = (s: tf.Tensor3D) => tf.tidy(() => {
      const delta = tf.fill([4, L, C], 0.1), A = tf.tensor2d([[-1, -2], [-0.5, -1]]);
      const B = tf.ones([4, L, 2]), Cm = tf.ones([4, L, 2]);
      const y = selectiveScan(s, delta, A, B, Cm) as tf.Tensor3D; // (4, L, C)
      return tf.concat([y, tf.neg(y), s], 2) as tf.Tensor3D; // (4, L, 3C)
    });
    const y = crossScanMerge2d(tf.tensor3d(x, [H, W, C]), scan);
    expect(y.shape).toEqual([H, W, 3 * C]);
    const last = y.slice([0, 0, 2 * C], [H, W, C]);
    assertClose(last, x.map((v) => 4 * v), {atol: 1e-6, rtol: 0}); // the pass-through channels merge to 4x
    tf.dispose([y, last]);
  });

  it("crossScan2d, crossMerge2d and crossScanMerge2d leak no tensors (also when they throw)", () => {
    const x = [[[1], [2]], [[3], [4]]];
    expectNoLeak(() => crossScan2d(x));
    expectNoLeak(() => { const s = crossScan2d(x); const m = crossMerge2d(s, 2, 2); s.dispose(); return m; });
    expectNoLeak(() => crossScanMerge2d(x, decayScan(0.5)));
    expectNoLeak(() => { try { crossScanMerge2d(x, () => tf.zeros([3, 4, 1]) as tf.Tensor3D); } catch { /* expected */ } });
  });

  it("bad inputs throw messages naming the function and argument", () => {
    expect(() => crossScan2d([[1, 2]])).toThrow(/crossScan2d: x must be rank 3 \(H, W, C\)/);
    expect(() => crossMerge2d(tf.zeros([4, 5, 1]), 2, 2)).toThrow(/crossMerge2d: ys must have shape \(4, H·W, C\)/);
    expect(() => crossMerge2d(tf.zeros([4, 4, 1]), 0, 2)).toThrow(/crossMerge2d: H must be an integer/);
    expect(() => crossScanMerge2d([[[1]]], 3 as never)).toThrow(/crossScanMerge2d: scan must be a function/);
    expect(() => crossScanMerge2d([[[1]]], () => tf.zeros([4, 2, 1]) as tf.Tensor3D)).toThrow(/crossScanMerge2d: scan's result must have shape/);
    expect(() => crossScanMerge2d([[[1, 2]]], decayScan([0.5, 0.5, 0.5]))).toThrow(/decayScan: a must be a number or have shape \(2\)/);
    expect(() => crossScanOrders(2, 1.5)).toThrow(/crossScanOrders: W must be an integer/);
  });
});
