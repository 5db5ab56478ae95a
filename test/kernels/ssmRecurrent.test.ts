import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {causalConv, ssmKernel, chunking, ssmRecurrent, ssmStates} from "../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, loadFixture, maxAbs, printAccuracy, recordAccuracy, useBackend} from "./helpers.js";
import {convScale, system, type LtiCase} from "./lti-helpers.js";

const fixtures = loadFixture<{lti: LtiCase[]}>("lti").lti;

describe.each(BACKENDS)("ssmRecurrent and ssmStates on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`ssmRecurrent/${backend}`));

  it.each(fixtures.map((c) => [c.name, c] as const))("ssmRecurrent(Ab, Bb, C, u) matches the numpy loop for %s", (_, c) => {
    const y = ssmRecurrent(c.Ab, c.Bb, c.C, c.u);
    expect(y.shape).toEqual([c.u.length]);
    const tol = 2e-6 * convScale(c.K, c.u);
    recordAccuracy(`ssmRecurrent/${backend}`, backend, c.name, assertClose(y, c.y, {atol: tol, rtol: 1e-5, label: `${c.name}: `}));
    y.dispose();
  });

  it.each(fixtures.map((c) => [c.name, c] as const))("ssmStates(Ab, Bb, u, x0) gives x_k = Ā x_{k−1} + B̄ u_k from x_{−1} = x0 for %s", (_, c) => {
    const X = ssmStates(c.Ab, c.Bb, c.u, c.x0);
    const n = c.Ab.length;
    expect(X.shape).toEqual([c.u.length, n]);
    const rows = X.slice([0, 0], [c.statesX0.length, n]);
    const tol = 5e-6 * Math.max(1, maxAbs(c.statesX0.flat()));
    recordAccuracy(`ssmRecurrent/${backend}`, backend, `states ${c.name}`, assertClose(rows, c.statesX0, {atol: tol, rtol: 1e-5, label: `${c.name}: `}));
    tf.dispose([X, rows]);
  });

  it("ssmStates with u = 0 from x0 is Ā x0, Ā² x0, … (a rotation stays on its circle)", () => {
    const t = 0.1;
    const X = ssmStates([[Math.cos(t), -Math.sin(t)], [Math.sin(t), Math.cos(t)]], [[0], [0]], new Array(100).fill(0), [1, 0]);
    assertClose(X, Array.from({length: 100}, (_, k) => [Math.cos((k + 1) * t), Math.sin((k + 1) * t)]), {atol: 2e-6, rtol: 0});
    X.dispose();
  });

  // The two views of one SSM: recurrence = convolution with K̄ (S4 §2.3).
  for (const n of [1, 2, 4, 16, 64]) {
    for (const L of [1, 2, 7, 100, 1000, 4096]) {
      if (n === 64 && L === 1000) continue; // keep the run short; 4096 covers the long case
      it(`causalConv(u, ssmKernel(Ab, Bb, C, L)) equals ssmRecurrent(Ab, Bb, C, u) for n = ${n}, L = ${L}`, () => {
        const {Ab, Bb, C, u} = system(n, L, 7 * n + L);
        const K = ssmKernel(Ab, Bb, C, L);
        const yConv = causalConv(u, K);
        const yRec = ssmRecurrent(Ab, Bb, C, u);
        const tol = 2e-6 * Math.log2(L + 2) * convScale(K.dataSync(), u);
        recordAccuracy(`ssmRecurrent/${backend}`, backend, `conv=rec n=${n} L=${L}`, assertClose(yRec, yConv, {atol: tol, rtol: 1e-4, label: `n=${n} L=${L}: `}));
        tf.dispose([K, yConv, yRec]);
      });
    }
  }

  it("ssmRecurrent and ssmStates leave no tensors behind (incl. x0 and non-power-of-2 l)", () => {
    const {Ab, Bb, C, u} = system(4, 333, 1);
    expectNoLeak(() => ssmRecurrent(Ab, Bb, C, u));
    expectNoLeak(() => ssmStates(Ab, Bb, u));
    expectNoLeak(() => ssmStates(Ab, Bb, u, [[1], [0], [0], [1]]));
  });

  it("ssmRecurrent and ssmStates reject bad arguments with a message naming the function and the argument", () => {
    const before = tf.memory().numTensors;
    const Ab = [[0.5, 0], [0, 0.5]], Bb = [[1], [1]], C = [[1, 1]];
    expect(() => ssmRecurrent([[1, 2]], [[1]], [[1]], [1])).toThrow("ssmRecurrent: Ab must be square (n, n), but got shape (1,2)");
    expect(() => ssmRecurrent(Ab, [[1, 1]], C, [1])).toThrow("ssmRecurrent: Bb must have shape (n, 1) = (2,1), but got (1,2)");
    expect(() => ssmRecurrent(Ab, Bb, [[1]], [1])).toThrow("ssmRecurrent: C must have shape (1, n) = (1,2), but got (1,1)");
    expect(() => ssmRecurrent(Ab, Bb, C, [[1, 2]])).toThrow("ssmRecurrent: u must be rank 1 (l), but got rank 2 with shape (1,2)");
    expect(() => ssmRecurrent(Ab, Bb, C, [])).toThrow("ssmRecurrent: u must have length l ≥ 1, but got shape (0)");
    expect(() => ssmRecurrent(Ab, Bb, C, [1, NaN])).toThrow("ssmRecurrent: u must be finite, but entry 1 is NaN");
    expect(() => ssmRecurrent([[0.5, Infinity], [0, 0.5]], Bb, C, [1])).toThrow("ssmRecurrent: Ab must be finite, but entry 1 is Infinity");
    expect(() => ssmStates(Ab, Bb, [1, 2], [1, 2, 3])).toThrow("ssmStates: x0 must have shape (n) or (n, 1) with n = 2, but got (3)");
    expect(() => ssmStates(Ab, Bb, [1, 2], [1, NaN])).toThrow("ssmStates: x0 must be finite, but entry 1 is NaN");
    expect(() => ssmStates(Ab, [[1], [1], [1]], [1, 2])).toThrow("ssmStates: Bb must have shape (n, 1) = (2,1), but got (3,1)");
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("ssmStates: the chunked form and the odd-even scan compute the same recurrence", () => {
  it("ssmStates(..., {algorithm}) agrees between 'chunked' and 'scan' for n ≤ 8, odd l, x0, and an unstable Ā", async () => {
    await tf.setBackend("cpu");
    const rand = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    for (const [n, l, radius] of [[1, 1, 0.9], [2, 7, 0.95], [3, 1000, 0.99], [4, 4097, 0.999], [8, 513, 0.9], [2, 300, 1.01]] as const) {
      const r = rand(n * 1000 + l);
      // Ā = radius · (random rotation-ish matrix), normalised by its ∞-norm so its powers stay bounded.
      const M = Array.from({length: n}, () => Array.from({length: n}, () => r()));
      const norm = Math.max(...M.map((row) => row.reduce((a, v) => a + Math.abs(v), 0)));
      const Ab = M.map((row) => row.map((v) => (radius * v) / norm));
      const Bb = Array.from({length: n}, () => [r()]);
      const u = Array.from({length: l}, () => r());
      const x0 = Array.from({length: n}, () => r());
      const before = tf.memory().numTensors;
      const a = ssmStates(Ab, Bb, u, x0, {algorithm: "chunked"});
      const b = ssmStates(Ab, Bb, u, x0, {algorithm: "scan"});
      const [da, db] = [a.dataSync(), b.dataSync()];
      const scale = Math.max(1, ...Array.from(db, Math.abs));
      let err = 0;
      for (let i = 0; i < da.length; i++) err = Math.max(err, Math.abs(da[i] - db[i]));
      expect(err / scale, `n=${n} l=${l}`).toBeLessThan(2e-5);
      tf.dispose([a, b]);
      expect(tf.memory().numTensors).toBe(before);
    }
  });
  it("chunking() uses the chunked form only for a small state", () => {
    expect(chunking(2, 1000)).toEqual({s: 32, nb: 32});
    expect(chunking(8, 16384)).not.toBeNull();
    expect(chunking(9, 1000)).toBeNull();
    expect(() => ssmStates([[0.5]], [[1]], [1, 2], undefined, {algorithm: "bogus" as never})).toThrow(/ssmStates: algorithm must be/);
    const big = Array.from({length: 16}, (_, i) => Array.from({length: 16}, (_, j) => (i === j ? 0.5 : 0)));
    expect(() => ssmStates(big, big.map(() => [1]), [1, 2, 3], undefined, {algorithm: "chunked"})).toThrow(/chunked algorithm needs n ≤ 8/);
  });
});
