import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {causalConv} from "../../src/kernels/causalConv.js";
import {ssmKernel} from "../../src/kernels/ssmKernel.js";
import {ssmRecurrent, ssmStates} from "../../src/kernels/ssmRecurrent.js";
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
