import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {linearScan, linearScanLoop} from "../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, loadFixture, printAccuracy, recordAccuracy, useBackend} from "./helpers.js";

interface ScanCase {name: string; shape: number[]; a: number[]; b: number[]; h: number[]}
const fixtures = loadFixture<{linearScan: ScanCase[]}>("seq").linearScan;

/** Random (l, m) pair with decays in (0.5, 1) and b ~ U(−1, 1). */
function randomPair(l: number, m: number, seed: number): {a: Float32Array; b: Float32Array} {
  const r = lcg(seed);
  const a = new Float32Array(l * m).map(() => 0.5 + 0.5 * r());
  const b = new Float32Array(l * m).map(() => 2 * r() - 1);
  return {a, b};
}

describe.each(BACKENDS)("linearScan on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`linearScan/${backend}`));

  it.each(fixtures.map((c) => [c.name, c] as const))("linearScan(a, b) matches the numpy loop for %s", (_, c) => {
    const h = linearScan(tf.tensor(c.a, c.shape), tf.tensor(c.b, c.shape));
    expect(h.shape).toEqual(c.shape);
    recordAccuracy(`linearScan/${backend}`, backend, c.name, assertClose(h, c.h, {atol: 1e-5, rtol: 1e-5, label: `${c.name}: `}));
    h.dispose();
  });

  for (const l of [1, 2, 3, 7, 100, 1000, 16384]) {
    it(`linearScan(a, b) equals the sequential loop for l = ${l}`, () => {
      const m = l > 1000 ? 3 : 2;
      const {a, b} = randomPair(l, m, l);
      const h = linearScan(tf.tensor(a, [l, m]), tf.tensor(b, [l, m]));
      // |h| ≤ Σ 0.5^k… grows at most to ~1/(1−max a); float32 rounding of O(log l) products
      assertClose(h, linearScanLoop(a, b, l), {atol: 1e-5 * Math.log2(l + 1) * 10, rtol: 1e-5, label: `l=${l}: `});
      h.dispose();
    });
  }

  it("linearScan(a, b) accepts nested arrays and returns a new tensor for l = 1", () => {
    const a = tf.tensor([[0.5, 2]]);
    const b = tf.tensor([[1, -1]]);
    const h = linearScan(a, b);
    expect(h).not.toBe(b);
    assertClose(h, [[1, -1]]);
    h.dispose();
    a.dispose();
    b.dispose();
    const h2 = linearScan([0.5, 0.5, 0.5], [1, 1, 1]);
    assertClose(h2, [1, 1.5, 1.75]);
    h2.dispose();
  });

  it("linearScan(a, b) with a = 1 is a cumulative sum and with a = 0 returns b", () => {
    const b = [3, -1, 4, 1, -5];
    const h1 = linearScan([1, 1, 1, 1, 1], b);
    assertClose(h1, [3, 2, 6, 7, 2]);
    const h0 = linearScan([0, 0, 0, 0, 0], b);
    assertClose(h0, b);
    h1.dispose();
    h0.dispose();
  });

  it("linearScan leaves no tensors behind", () => {
    const a = tf.tensor(randomPair(37, 2, 5).a, [37, 2]);
    const b = tf.tensor(randomPair(37, 2, 6).b, [37, 2]);
    expectNoLeak(() => linearScan(a, b));
    expectNoLeak(() => linearScan([[0.5], [0.5]], [[1], [2]]));
    expectNoLeak(() => { expect(() => linearScan(a, [1, 2])).toThrow(); });
    a.dispose();
    b.dispose();
  });

  it("linearScan rejects bad inputs with messages that name the argument", () => {
    expect(() => linearScan(tf.scalar(1), tf.scalar(1))).toThrow("linearScan: a must have rank ≥ 1 with time along axis 0, but got rank 0");
    expect(() => linearScan([[1, 2]], [[1, 2, 3]])).toThrow("linearScan: b must have the same shape as a = (1,2), but got (1,3)");
    expect(() => linearScan([1, 2], [[1, 2]])).toThrow("linearScan: b must have the same shape as a = (2), but got (1,2)");
    expect(() => linearScan([], [])).toThrow("linearScan: a must have at least one step along axis 0, but got shape (0)");
    expect(() => linearScan([1, NaN], [1, 2])).toThrow("linearScan: a must be finite, but entry 1 is NaN");
    expect(() => linearScan([1, 1], [Infinity, 2])).toThrow("linearScan: b must be finite, but entry 0 is Infinity");
    expect(() => linearScan([[1, 2], [3]] as any, [1, 2])).toThrow(/^linearScan: a is not a tensor or a rectangular array of numbers/);
    expect(() => linearScan(undefined as any, [1])).toThrow("linearScan: a is missing");
  });
});

describe("linearScanLoop", () => {
  it("linearScanLoop(a, b, l) runs the recurrence per column", () => {
    expect(Array.from(linearScanLoop([2, 1, 3, 1], [1, 1, 1, 1], 2))).toEqual([1, 1, 4, 2]);
  });
  it("linearScanLoop rejects arrays whose length is not l·m", () => {
    expect(() => linearScanLoop([1, 2, 3], [1, 2, 3], 2)).toThrow("linearScanLoop: a and b must both have l·m entries (l = 2), but got 3 and 3");
  });
});
