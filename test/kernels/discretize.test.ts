import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";
import {discretize, discretizeF64, type Method, expmF64, ssmStates} from "../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, loadFixture, maxAbs, printAccuracy, recordAccuracy, useBackend} from "./helpers.js";

interface DiscCase {name: string; A: number[][]; B: number[][]; delta: number; method: Method; Ab: number[][]; Bb: number[][]}
interface ZohExact {A: number[][]; B: number[][]; delta: number; u: number[]; x0: number[]; states: number[][]}
const fx = loadFixture<{discretize: DiscCase[]; zohExact: ZohExact}>("lti");
const METHODS: Method[] = ["zoh", "bilinear", "euler", "backward-euler", "mamba"];

describe("discretizeF64 (float64, plain arrays)", () => {
  afterAll(() => printAccuracy("discretizeF64"));
  it.each(fx.discretize.map((c) => [c.name, c] as const))("discretizeF64 matches scipy/numpy for %s", (_, c) => {
    const {Ab, Bb} = discretizeF64(c.A, c.B, c.delta, c.method);
    const tol = (X: number[][]) => ({atol: 1e-12 * Math.max(1, maxAbs(X.flat())), rtol: 1e-9});
    recordAccuracy("discretizeF64", "float64", c.name + " Ab", assertClose(Ab, c.Ab, {...tol(c.Ab), label: `${c.name} Ab: `}));
    recordAccuracy("discretizeF64", "float64", c.name + " Bb", assertClose(Bb, c.Bb, {...tol(c.Bb), label: `${c.name} Bb: `}));
  });

  it("discretizeF64 is exact for a scalar system: Ā = e^{aΔ}, B̄ = (e^{aΔ} − 1) b / a", () => {
    const a = -0.7, b = 2, d = 0.3;
    const {Ab, Bb} = discretizeF64([[a]], [[b]], d, "zoh");
    assertClose(Ab, [[Math.exp(a * d)]], {atol: 1e-15, rtol: 1e-14});
    assertClose(Bb, [[((Math.exp(a * d) - 1) * b) / a]], {atol: 1e-15, rtol: 1e-13});
  });

  it("discretizeF64 with ZOH handles a singular A (double integrator): B̄ = (Δ²/2, Δ)", () => {
    const {Ab, Bb} = discretizeF64([[0, 1], [0, 0]], [[0], [1]], 0.5, "zoh");
    assertClose(Ab, [[1, 0.5], [0, 1]], {atol: 1e-15, rtol: 0});
    assertClose(Bb, [[0.125], [0.5]], {atol: 1e-15, rtol: 0});
  });

  it("bilinear maps the open left half-plane into the unit disk and the imaginary axis onto the circle", () => {
    // A = [[σ, −ω], [ω, σ]] has eigenvalues σ ± iω; Ā keeps that form, |λ(Ā)|² = det Ā.
    for (const sigma of [-1e-3, -0.1, -1, -10, -1e3]) {
      for (const omega of [0, 0.5, 3, 100]) {
        for (const delta of [1e-3, 0.1, 1, 10]) {
          const {Ab} = discretizeF64([[sigma, -omega], [omega, sigma]], [[1], [0]], delta, "bilinear");
          const det = Ab[0][0] * Ab[1][1] - Ab[0][1] * Ab[1][0];
          expect(det).toBeLessThan(1);
          expect(det).toBeGreaterThanOrEqual(0);
        }
      }
      const {Ab} = discretizeF64([[0, -2], [2, 0]], [[1], [0]], 0.37, "bilinear");
      expect(Ab[0][0] * Ab[1][1] - Ab[0][1] * Ab[1][0]).toBeCloseTo(1, 14);
    }
  });

  it("backward Euler is stable for every Δ, forward Euler is not (|1 + Δa| > 1 for Δ > 2/|a|)", () => {
    for (const delta of [0.1, 1, 10, 100]) {
      expect(Math.abs(discretizeF64([[-5]], [[1]], delta, "backward-euler").Ab[0][0])).toBeLessThan(1);
    }
    expect(Math.abs(discretizeF64([[-5]], [[1]], 0.3, "euler").Ab[0][0])).toBeLessThan(1);
    expect(Math.abs(discretizeF64([[-5]], [[1]], 0.5, "euler").Ab[0][0])).toBeGreaterThan(1);
  });

  it("each method's local error in Ā shrinks with its order as Δ halves (Euler Δ², bilinear Δ³)", () => {
    const A = [[-0.3, 1.1], [-1.4, -0.2]];
    const err = (method: Method, d: number) => {
      const Ab = discretizeF64(A, [[1], [0]], d, method).Ab.flat();
      const E = expmF64(Float64Array.from(A.flat().map((v) => v * d)), 2);
      return Math.max(...Ab.map((v, i) => Math.abs(v - E[i])));
    };
    for (const [method, order] of [["euler", 2], ["backward-euler", 2], ["bilinear", 3]] as const) {
      const ratio = err(method, 0.02) / err(method, 0.01);
      expect(ratio).toBeGreaterThan(2 ** order * 0.9);
      expect(ratio).toBeLessThan(2 ** order * 1.1);
    }
    expect(err("zoh", 0.3)).toBeLessThan(1e-15);
    expect(err("mamba", 0.3)).toBeLessThan(1e-15);
  });

  it("mamba = ZOH for Ā and Euler for B̄", () => {
    const A = [[-1, 0.5], [0, -2]], B = [[1], [2]];
    const m = discretizeF64(A, B, 0.2, "mamba");
    expect(m.Ab).toEqual(discretizeF64(A, B, 0.2, "zoh").Ab);
    expect(m.Bb).toEqual(discretizeF64(A, B, 0.2, "euler").Bb);
  });

  it("discretizeF64 rejects bad arguments with a message naming discretizeF64 and the argument", () => {
    expect(() => discretizeF64([[1, 2]], [[1]], 0.1)).toThrow("discretizeF64: A must be square (n, n), but got shape (1,2)");
    expect(() => discretizeF64([[1]], [[1], [2]], 0.1)).toThrow("discretizeF64: B must have shape (n, m) with n = 1 rows like A, but got (2,1)");
    expect(() => discretizeF64([[1]], [[1]], 0)).toThrow("discretizeF64: delta must be a finite number > 0, got 0");
    expect(() => discretizeF64([[NaN]], [[1]], 1)).toThrow("discretizeF64: A must be finite, but entry [0][0] is NaN");
    expect(() => discretizeF64([[1]], [[1]], 1, "rk4" as Method)).toThrow('discretizeF64: method must be one of "zoh", "bilinear", "euler", "backward-euler", "mamba", got "rk4"');
    expect(() => discretizeF64([[1, 2], [3]], [[1], [1]], 1)).toThrow("discretizeF64: A must be a non-empty rectangular array");
  });
});

describe.each(BACKENDS)("discretize on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`discretize/${backend}`));

  it.each(fx.discretize.map((c) => [c.name, c] as const))("discretize matches scipy/numpy in float32 for %s", (_, c) => {
    const {Ab, Bb} = discretize(c.A, c.B, c.delta, c.method);
    expect(Ab.shape).toEqual([c.A.length, c.A.length]);
    expect(Bb.shape).toEqual([c.B.length, c.B[0].length]);
    const tol = (X: number[][]) => ({atol: 1e-6 * Math.max(1, maxAbs(X.flat())), rtol: 1e-6});
    recordAccuracy(`discretize/${backend}`, backend, c.name + " Ab", assertClose(Ab, c.Ab, {...tol(c.Ab), label: `${c.name} Ab: `}));
    recordAccuracy(`discretize/${backend}`, backend, c.name + " Bb", assertClose(Bb, c.Bb, {...tol(c.Bb), label: `${c.name} Bb: `}));
    tf.dispose([Ab, Bb]);
  });

  it("ZOH is the exact solution for piecewise-constant input (vs a DOP853 ODE solve)", () => {
    const z = fx.zohExact;
    const {Ab, Bb} = discretize(z.A, z.B, z.delta, "zoh");
    const X = ssmStates(Ab, Bb, z.u, z.x0); // (l, n): X[k] = x((k+1)Δ)
    recordAccuracy(`discretize/${backend}`, backend, "zoh exact", assertClose(X, z.states, {atol: 2e-6, rtol: 1e-5, label: "ZOH vs ODE: "}));
    tf.dispose([Ab, Bb, X]);
  });

  it("discretize accepts tensors, defaults to ZOH and leaves no tensors behind", () => {
    const A = tf.tensor2d([[-1, 1], [0, -2]]);
    const B = tf.tensor2d([[0], [1]]);
    expectNoLeak(() => {
      const {Ab, Bb} = discretize(A, B, 0.1);
      assertClose(Ab, discretizeF64([[-1, 1], [0, -2]], [[0], [1]], 0.1, "zoh").Ab, {atol: 1e-7, rtol: 1e-6});
      return [Ab, Bb];
    });
    for (const method of METHODS) expectNoLeak(() => Object.values(discretize(A, B, 0.5, method)));
    tf.dispose([A, B]);
  });

  it("discretize rejects bad arguments with a message naming discretize and the argument", () => {
    const before = tf.memory().numTensors;
    const B = [[1], [0]];
    expect(() => discretize([[1, 2, 3], [4, 5, 6]], B, 0.1)).toThrow("discretize: A must be square (n, n), but got shape (2,3)");
    expect(() => discretize([1, 2], B, 0.1)).toThrow("discretize: A must be rank 2 (n, n), but got rank 1 with shape (2)");
    expect(() => discretize([[1, 0], [0, 1]], [[1], [0], [0]], 0.1)).toThrow("discretize: B must have shape (n, m) with n = 2 rows like A, but got (3,1)");
    expect(() => discretize([[1, 0], [0, 1]], [1, 0], 0.1)).toThrow("discretize: B must be rank 2 (n, m), but got rank 1 with shape (2)");
    expect(() => discretize([[1, 0], [0, 1]], B, -1)).toThrow("discretize: delta must be a finite number > 0, got -1");
    expect(() => discretize([[1, 0], [0, 1]], B, 0)).toThrow("discretize: delta must be a finite number > 0, got 0");
    expect(() => discretize([[1, 0], [0, 1]], B, NaN)).toThrow("discretize: delta must be a finite number > 0, got NaN");
    expect(() => discretize([[1, 0], [0, 1]], B, Infinity)).toThrow("discretize: delta must be a finite number > 0, got Infinity");
    expect(() => discretize([[1, 0], [0, 1]], B, 0.1, "tustin" as Method)).toThrow('discretize: method must be one of "zoh", "bilinear", "euler", "backward-euler", "mamba", got "tustin"');
    expect(() => discretize([[1, NaN], [0, 1]], B, 0.1)).toThrow("discretize: A must be finite, but entry 1 is NaN");
    expect(() => discretize([[1, 0], [0, 1]], [[Infinity], [0]], 0.1)).toThrow("discretize: B must be finite, but entry 0 is Infinity");
    // I − ΔA singular: backward Euler with A = I/Δ
    expect(() => discretize([[2, 0], [0, 2]], B, 0.5, "backward-euler")).toThrow("discretize: matrix is singular to working precision");
    expect(tf.memory().numTensors).toBe(before);
  });

  it("discretize(arrays) reads its arguments without a readback (no dataSync) and agrees with discretize(tensors)", () => {
    const A = [[-0.3, 1.1], [-1.4, -0.2]], B = [[1], [0.5]];
    const spy = vi.spyOn(tf.Tensor.prototype, "dataSync");
    const fromArrays = discretize(A, B, 0.37, "bilinear");
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    const [At, Bt] = [tf.tensor2d(A), tf.tensor2d(B)];
    const fromTensors = discretize(At, Bt, 0.37, "bilinear");
    // Arrays are read in float64, tensors hold float32: equal to float32 rounding.
    assertClose(Array.from(fromArrays.Ab.dataSync()), Array.from(fromTensors.Ab.dataSync()), {atol: 1e-6, rtol: 1e-6});
    assertClose(Array.from(fromArrays.Bb.dataSync()), Array.from(fromTensors.Bb.dataSync()), {atol: 1e-6, rtol: 1e-6});
    tf.dispose([At, Bt, fromArrays.Ab, fromArrays.Bb, fromTensors.Ab, fromTensors.Bb]);
  });

  it("discretize names the rule and Δ where it is singular: backward Euler at Δλ = 1, bilinear at Δλ = 2; ZOH and mamba never are", () => {
    const before = tf.memory().numTensors;
    // (Entries exact in float32, so the same holds for a float32 tensor A.)
    expect(() => discretize([[0.5]], [[1]], 2, "backward-euler")).toThrow(
      'discretize: matrix is singular to working precision: method "backward-euler" needs I − ΔA invertible, which fails where Δλ = 1 for an eigenvalue λ of A (delta = 2)');
    expect(() => discretize([[0.5, 1], [0, 0.5]], [[0], [1]], 4, "bilinear")).toThrow(/^discretize: matrix is singular to working precision: method "bilinear" needs I − ΔA\/2 invertible, which fails where Δλ = 2 .*\(delta = 4\)$/);
    expect(() => discretizeF64([[0.8]], [[1]], 1.25, "backward-euler")).toThrow(/^discretizeF64: matrix is singular .*\(delta = 1\.25\)$/);
    expect(() => discretizeF64([[2]], [[1]], 1, "bilinear")).toThrow(/^discretizeF64: matrix is singular to working precision: method "bilinear"/);
    // The same system and Δ under ZOH (augmented exponential) and mamba: finite, no inverse needed.
    for (const m of ["zoh", "mamba"] as Method[]) {
      const {Ab, Bb} = discretizeF64([[2]], [[1]], 1, m);
      expect(Ab[0][0]).toBeCloseTo(Math.exp(2), 12);
      expect(Bb[0][0]).toBeCloseTo(m === "zoh" ? (Math.exp(2) - 1) / 2 : 1, 12);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
