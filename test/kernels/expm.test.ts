import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {expm, expmF64} from "../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, loadFixture, maxAbs, printAccuracy, recordAccuracy, useBackend} from "./helpers.js";

interface ExpmCase {name: string; A: number[][]; expA: number[][]}
const fixtures = loadFixture<{expm: ExpmCase[]}>("lti").expm;

describe("expmF64 (float64 core)", () => {
  it.each(fixtures.map((c) => [c.name, c] as const))("expmF64(A) matches scipy.linalg.expm to ~1e-13 for %s", (_, c) => {
    const n = c.A.length;
    const E = expmF64(Float64Array.from(c.A.flat()), n);
    const scale = Math.max(1, maxAbs(c.expA.flat()));
    const r = assertClose(E, c.expA, {atol: 1e-13 * scale, rtol: 1e-10, label: `${c.name}: `});
    recordAccuracy("expmF64", "float64", c.name, r);
  });
  it("expmF64(A) satisfies exp(A) exp(−A) = I for a non-normal LegS-like matrix", () => {
    const n = 6;
    const A = new Float64Array(n * n).map((_, i) => (Math.floor(i / n) >= i % n ? -((i % 7) + 1) * 0.3 : 0));
    const E = expmF64(A, n);
    const F = expmF64(A.map((v) => -v), n);
    const I = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) I[i * n + j] += E[i * n + k] * F[k * n + j];
    assertClose(I, Array.from({length: n * n}, (_, i) => (Math.floor(i / n) === i % n ? 1 : 0)), {atol: 1e-12, rtol: 0});
  });
  afterAll(() => printAccuracy("expmF64"));
});

describe.each(BACKENDS)("expm on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`expm/${backend}`));

  // Against scipy the float32 result carries two roundings: of the input A to float32
  // (exp amplifies it by its condition number: up to ~5e-7·max|exp(A)| for LegS N=64) and
  // of the output. The second test isolates the algorithm: exp of the float32-rounded A,
  // computed in float64, must come back rounded once (≤ 1 ulp).
  it.each(fixtures.map((c) => [c.name, c] as const))("expm(A) matches scipy.linalg.expm in float32 for %s", (_, c) => {
    const E = expm(c.A);
    expect(E.shape).toEqual([c.A.length, c.A.length]);
    expect(E.dtype).toBe("float32");
    const scale = Math.max(1, maxAbs(c.expA.flat()));
    recordAccuracy(`expm/${backend}`, backend, c.name, assertClose(E, c.expA, {atol: 1e-6 * scale, rtol: 1e-6, label: `${c.name}: `}));
    E.dispose();
  });

  it.each(fixtures.map((c) => [c.name, c] as const))("expm(A) is exp of the float32 input rounded once for %s", (_, c) => {
    const n = c.A.length;
    const A32 = Float32Array.from(c.A.flat());
    const E = expm(tf.tensor2d(A32, [n, n]));
    const ref = expmF64(Float64Array.from(A32), n);
    assertClose(E, ref, {atol: 1e-12 * Math.max(1, maxAbs(ref)), rtol: 1.2e-7, label: `${c.name}: `});
    E.dispose();
  });

  it("expm(A) of a rotation generator is the rotation matrix", () => {
    const t = 0.7;
    const E = expm([[0, -t], [t, 0]]);
    assertClose(E, [[Math.cos(t), -Math.sin(t)], [Math.sin(t), Math.cos(t)]], {atol: 1e-7, rtol: 0});
    E.dispose();
  });

  it("expm(A) accepts a tensor and leaves no tensors behind", () => {
    const A = tf.tensor2d([[-1, 2], [0, -3]]);
    expectNoLeak(() => expm(A));
    A.dispose();
  });

  it("expm(A) rejects non-square, wrong-rank and non-finite A with a message naming expm and A", () => {
    const before = tf.memory().numTensors;
    expect(() => expm([[1, 2, 3], [4, 5, 6]])).toThrow("expm: A must be square (n, n), but got shape (2,3)");
    expect(() => expm([1, 2, 3])).toThrow("expm: A must be rank 2 (n, n), but got rank 1 with shape (3)");
    expect(() => expm([[1, NaN], [0, 1]])).toThrow("expm: A must be finite, but entry 1 is NaN");
    expect(() => expm([[1, 0], [Infinity, 1]])).toThrow("expm: A must be finite, but entry 2 is Infinity");
    expect(() => expm(null as unknown as number[][])).toThrow("expm: A is missing");
    expect(tf.memory().numTensors).toBe(before);
  });
});
