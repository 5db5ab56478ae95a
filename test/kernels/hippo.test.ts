import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {discretizeF64, hippo, hippoArrays, legendreReconstruct, type Measure} from "../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, loadFixture, useBackend} from "./helpers.js";

interface HippoCase {measure: Measure; N: number; A: number[][]; B: number[][]}
const fixtures = loadFixture<{hippo: HippoCase[]}>("lti").hippo;

describe("hippoArrays (float64)", () => {
  it.each(fixtures.map((c) => [`${c.measure} N=${c.N}`, c] as const))("hippoArrays matches the Python transcription for %s", (_, c) => {
    const {A, B} = hippoArrays(c.measure, c.N);
    assertClose(A, c.A, {atol: 1e-12, rtol: 1e-11}); // fixtures keep 12 digits
    assertClose(B, c.B, {atol: 1e-12, rtol: 1e-11});
  });

  it("LegS has the documented entries: A[2][1] = −√5·√3, A[2][2] = −3, A[1][2] = 0, B[3] = √7", () => {
    const {A, B} = hippoArrays("legs", 4);
    expect(A[2][1]).toBeCloseTo(-Math.sqrt(15), 14);
    expect(A[2][2]).toBe(-3);
    expect(A[1][2]).toBe(0);
    expect(B[3][0]).toBeCloseTo(Math.sqrt(7), 14);
  });

  it("LegT with window θ divides the θ = 1 matrices by θ", () => {
    const one = hippoArrays("legt", 5);
    const two = hippoArrays("legt", 5, {theta: 2});
    assertClose(two.A, one.A.flat().map((v) => v / 2), {atol: 0, rtol: 1e-15});
    assertClose(two.B, one.B.flat().map((v) => v / 2), {atol: 0, rtol: 1e-15});
  });

  it("LegT memory reconstructs a smooth signal over its window (signs of A and B agree)", () => {
    // x' = A x + B u with θ = 1; after t ≥ 1 the state encodes u on [t − 1, t].
    const N = 12, dt = 1e-3, steps = 2000;
    const {A, B} = hippoArrays("legt", N);
    const {Ab, Bb} = discretizeF64(A, B, dt, "zoh");
    const u = (t: number) => Math.sin(3 * t) + 0.5 * Math.cos(7 * t);
    let x = new Array(N).fill(0);
    for (let k = 0; k < steps; k++) {
      // ZOH sample at the middle of the step keeps the comparison second-order in dt
      const uk = u((k + 0.5) * dt);
      x = Ab.map((row, i) => row.reduce((s, a, j) => s + a * x[j], 0) + Bb[i][0] * uk);
    }
    const t = steps * dt;
    const r = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];
    const rec = legendreReconstruct("legt", x, r);
    assertClose(rec, r.map((ri) => u(t - (1 - ri))), {atol: 2e-3, rtol: 0, label: "LegT reconstruction: "});
  });

  it("every measure's A is Hurwitz-like: LegS and LagT lower triangular with negative diagonal", () => {
    for (const m of ["legs", "lagt"] as const) {
      const {A} = hippoArrays(m, 6);
      for (let i = 0; i < 6; i++) {
        expect(A[i][i]).toBeLessThan(0);
        for (let j = i + 1; j < 6; j++) expect(A[i][j]).toBe(0);
      }
    }
  });

  it("FouT is skew-symmetric minus B Bᵀ (the S4 rank-one correction)", () => {
    const {A, B} = hippoArrays("fout", 8);
    for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) {
      expect(A[i][j] + B[i][0] * B[j][0] + (A[j][i] + B[j][0] * B[i][0])).toBeCloseTo(0, 12);
    }
  });
});

describe.each(BACKENDS)("hippo on %s", (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(fixtures.map((c) => [`${c.measure} N=${c.N}`, c] as const))("hippo(measure, N) returns float32 tensors (N,N), (N,1) for %s", (_, c) => {
    const {A, B} = hippo(c.measure, c.N);
    expect(A.shape).toEqual([c.N, c.N]);
    expect(B.shape).toEqual([c.N, 1]);
    expect(A.dtype).toBe("float32");
    assertClose(A, c.A, {atol: 1e-6, rtol: 1e-6});
    assertClose(B, c.B, {atol: 1e-6, rtol: 1e-6});
    tf.dispose([A, B]);
  });

  it("hippo leaves no tensors behind", () => {
    expectNoLeak(() => Object.values(hippo("legs", 64)));
  });

  it("hippo rejects bad arguments with a message naming hippo and the argument", () => {
    const before = tf.memory().numTensors;
    expect(() => hippo("legs", 0)).toThrow("hippo: N must be an integer in [1, 4096], got 0");
    expect(() => hippo("legs", -3)).toThrow("hippo: N must be an integer in [1, 4096], got -3");
    expect(() => hippo("legs", 2.5)).toThrow("hippo: N must be an integer in [1, 4096], got 2.5");
    expect(() => hippo("legs", NaN)).toThrow("hippo: N must be an integer in [1, 4096], got NaN");
    expect(() => hippo("chebyshev" as Measure, 4)).toThrow('hippo: measure must be one of "legs", "legt", "lagt", "fout", got "chebyshev"');
    expect(() => hippo("fout", 5)).toThrow('hippo: N must be even for "fout" (cos/sin pairs), got 5');
    expect(() => hippo("legt", 4, {theta: 0})).toThrow("hippo: theta must be a finite number > 0, got 0");
    expect(tf.memory().numTensors).toBe(before);
  });
});
