// Page 2 helpers: measured error against Δ (vs scipy's cont2discrete and a closed-form exact
// response), the fitted orders (Euler ≈ 1, bilinear ≈ 2, ZOH exact for held input), stability
// intervals (closed form vs a scan of ρ(Ā)), the s → z maps, the mixed-rule gap, and
// discreteResponses (one block-diagonal tfjs scan) against per-method float64 loops.
import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";
import {discretizeF64} from "../../src/kernels/index.js";
import {
  METHODS, type Method, discreteResponses, eigenvalues, errorVsDelta, fitSlope, heldInput, mixedRuleGap, mixedRuleGapScalar,
  runF64, spectralRadius, stabilityInterval, zOfS
} from "../../src/lessons/discretization.js";
import {sampleSignal} from "../../src/lessons/signals.js";
import {loadFixture} from "../kernels/helpers.js";

const fx = loadFixture("discretization");
const A: number[][] = fx.A, B: number[][] = fx.B, C: number[][] = fx.C;

beforeAll(async () => {
  await tf.setBackend("cpu");
  await tf.ready();
});

describe("errorVsDelta", () => {
  it("errorVsDelta(sine) matches scipy's cont2discrete against the closed-form exact response, every method", () => {
    const r = errorVsDelta(A, B, C, {kind: "sine", signal: {freq: fx.freq}, T: fx.T, deltaMin: 0.005, deltas: fx.deltas});
    for (const m of METHODS) {
      fx.deltas.forEach((_: number, j: number) => {
        const want = fx.sine[m][j], got = r.errors[m][j];
        // The reference (h = 5e-4, Richardson-extrapolated) is far more accurate than every error measured.
        expect(Math.abs(got - want) / want, `${m} at Δ = ${fx.deltas[j]}`).toBeLessThan(2e-3);
      });
    }
  });
  it("errorVsDelta(step): ZOH is exact for a held input (rounding level), the others match scipy", () => {
    const r = errorVsDelta(A, B, C, {kind: "step", T: fx.T, deltaMin: 0.005, deltas: fx.deltas});
    for (const e of r.errors.zoh) expect(e).toBeLessThan(1e-12);
    for (const m of ["bilinear", "euler", "backward-euler", "mamba"] as Method[]) {
      fx.deltas.forEach((_: number, j: number) => expect(Math.abs(r.errors[m][j] - fx.step[m][j]) / fx.step[m][j]).toBeLessThan(1e-6));
    }
    expect(r.slopes.zoh).toBeNull(); // all below the rounding floor: no order to fit
  });
  it("measured orders on a sine: slope ≈ 1 for forward/backward Euler and Mamba's rule, ≈ 2 for bilinear and ZOH (midpoint hold)", () => {
    const r = errorVsDelta(A, B, C, {kind: "sine", signal: {freq: 0.2}, T: 10, deltaMin: 1e-3, deltaMax: 1});
    console.log("measured orders (sine, λ = −0.5 ± 3i):", Object.fromEntries(METHODS.map((m) => [m, r.slopes[m]?.toFixed(3)])));
    expect(r.slopes.euler).toBeCloseTo(1, 1);
    expect(r.slopes["backward-euler"]).toBeCloseTo(1, 1);
    expect(r.slopes.mamba).toBeCloseTo(1, 1);
    expect(r.slopes.bilinear).toBeCloseTo(2, 1);
    expect(r.slopes.zoh).toBeCloseTo(2, 1);
  });
  it("measured orders on a scalar system with a step: Euler 1, bilinear 2", () => {
    const r = errorVsDelta([[-2]], [[1]], [[1]], {kind: "step", T: 5, deltaMin: 1e-3, deltaMax: 1});
    expect(Math.abs(r.slopes.euler! - 1)).toBeLessThan(0.05);
    expect(Math.abs(r.slopes.bilinear! - 2)).toBeLessThan(0.05);
  });
  it("errorVsDelta reports a blown-up method as Infinity, never NaN", () => {
    const r = errorVsDelta(A, B, C, {kind: "step", T: 100, deltaMin: 0.01, deltaMax: 2, methods: ["euler"]});
    const last = r.errors.euler[r.errors.euler.length - 1];
    expect(last).toBe(Infinity);
    expect(Array.from(r.errors.euler).some(Number.isNaN)).toBe(false);
  });
  it("errorVsDelta(impulse) converges to the exact impulse response with order 1", () => {
    const r = errorVsDelta([[-1]], [[1]], [[1]], {kind: "impulse", T: 4, deltaMin: 1e-3, deltaMax: 0.5});
    expect(r.slopes.zoh).toBeCloseTo(1, 1);
    expect(r.errors.zoh[0]).toBeLessThan(1e-3);
  });
  it("errorVsDelta rejects bad arguments with the function's name", () => {
    expect(() => errorVsDelta(A, B, C, {kind: "sine", T: -1})).toThrow(/errorVsDelta: T must be/);
    expect(() => errorVsDelta(A, B, C, {kind: "sine", T: 10, deltaMin: 0.005, deltas: [0.0051234]})).toThrow(/errorVsDelta: deltas/);
    expect(() => errorVsDelta([[NaN]], [[1]], [[1]], {kind: "sine", T: 10})).toThrow(/errorVsDelta: A must be finite/);
    expect(() => errorVsDelta(A, B, C, {kind: "sine", T: 10, methods: ["rk4" as Method]})).toThrow(/errorVsDelta: methods/);
  });
  it("fitSlope recovers an exact power law", () => {
    expect(fitSlope([1, 2, 3].map((x) => [x, 2 * x + 1] as [number, number]))).toBeCloseTo(2, 12);
  });
});

describe("stabilityInterval", () => {
  it("stabilityInterval(euler) is Δ < −2 Re λ / |λ|² (scipy number) and agrees with a scan of ρ(Ā)", () => {
    const iv = stabilityInterval(A, "euler")!;
    expect(iv.lo).toBe(0);
    expect(iv.hi).toBeCloseTo(fx.euler_stable_below, 12);
  });
  const systems: number[][][] = [A, [[-0.1, 5], [-5, -0.1]], [[-2]], [[0.3]], [[0.2, 1], [-1, 0.2]], [[-1, 0.5], [0, -3]], [[0, 2], [-2, 0]], [[0.5, 0], [0, -1]]];
  for (const S of systems) {
    it(`closed form = scan of ρ(Ā) on 400 log-spaced Δ for A = ${JSON.stringify(S)}`, () => {
      const Bs = S.map(() => [1]);
      for (const m of METHODS) {
        const iv = stabilityInterval(S, m);
        for (let i = 0; i < 400; i++) {
          const d = 10 ** (-4 + (5 * i) / 399);
          const rho = spectralRadius(discretizeF64(S, Bs, d, m).Ab);
          const inside = iv !== null && d > iv.lo && d < iv.hi;
          if (Math.abs(rho - 1) > 1e-9) expect(rho < 1, `${m} Δ = ${d} ρ = ${rho}`).toBe(inside);
        }
      }
    });
  }
  it("bilinear and ZOH are stable for every Δ exactly when A is; backward Euler even for some unstable A", () => {
    expect(stabilityInterval([[-0.1, 5], [-5, -0.1]], "bilinear")).toEqual({lo: 0, hi: Infinity});
    expect(stabilityInterval([[0.1]], "zoh")).toBeNull();
    expect(stabilityInterval([[0.5]], "backward-euler")).toEqual({lo: 4, hi: Infinity}); // |1 − Δ/2| > 1 ⟺ Δ > 4
  });
});

describe("maps, eigenvalues, mixed rule", () => {
  it("zOfS(Δλ) are the eigenvalues of each method's Ā", () => {
    const {re, im} = eigenvalues(A);
    for (const m of METHODS) {
      const Ab = discretizeF64(A, B, 0.3, m).Ab;
      const ev = eigenvalues(Ab);
      const [zr, zi] = zOfS(m, 0.3 * re[0], 0.3 * im[0]);
      const hit = ev.re.some((r, i) => Math.hypot(r - zr, ev.im[i] - zi) < 1e-10);
      expect(hit, m).toBe(true);
    }
  });
  it("zOfS maps the imaginary axis onto |z| = 1 (zoh, bilinear), Re z = 1 (euler), |z − ½| = ½ (backward Euler)", () => {
    for (const y of [-7, -1, 0.3, 2, 40]) {
      expect(Math.hypot(...zOfS("zoh", 0, y))).toBeCloseTo(1, 12);
      expect(Math.hypot(...zOfS("bilinear", 0, y))).toBeCloseTo(1, 12);
      expect(zOfS("euler", 0, y)[0]).toBe(1);
      const [a, b] = zOfS("backward-euler", 0, y);
      expect(Math.hypot(a - 0.5, b)).toBeCloseTo(0.5, 12);
    }
  });
  it("mixedRuleGapScalar matches numpy's |z/expm1(z) − 1| and is ≈ |z|/2 for small z", () => {
    fx.mixed_gap.z.forEach((z: number, i: number) => expect(mixedRuleGapScalar(z)).toBeCloseTo(fx.mixed_gap.gap[i], 9));
    expect(mixedRuleGapScalar(-1e-4) / 5e-5).toBeCloseTo(1, 3);
  });
  it("mixedRuleGap (2x2) matches scipy's ZOH B̄", () => {
    const g = mixedRuleGap(A, B, fx.mixed_gap_2x2.deltas);
    fx.mixed_gap_2x2.gap.forEach((v: number, i: number) => expect(g[i]).toBeCloseTo(v, 9));
  });
  it("spectralRadius of a rotation-scaling matrix is |σ + iω|", () => {
    expect(spectralRadius([[-0.5, 3], [-3, -0.5]])).toBeCloseTo(Math.hypot(0.5, 3), 12);
  });
});

describe("discreteResponses", () => {
  it("one block-diagonal ssmStates call = a float64 loop per method; Ā, B̄ = scipy's at Δ = 0.1", async () => {
    const delta = 0.1, l = 100;
    const u = heldInput("sine", l, delta, {freq: 0.2, T: 10});
    const r = await discreteResponses(A, B, C, u, delta, METHODS);
    METHODS.forEach((m, i) => {
      const {Ab, Bb} = discretizeF64(A, B, delta, m);
      const ref = runF64(Ab, Bb, C, u);
      let worst = 0;
      for (let k = 0; k < l; k++) worst = Math.max(worst, Math.abs(r.y[i][k] - ref[k]));
      expect(worst, m).toBeLessThan(1e-5);
      expect(r.Ab[i].flat().map((v, j) => Math.abs(v - fx.matrices[m].Ab.flat()[j])).every((e) => e < 1e-6)).toBe(true);
      expect(r.Bb[i].flat().map((v, j) => Math.abs(v - fx.matrices[m].Bb.flat()[j])).every((e) => e < 1e-6)).toBe(true);
    });
  });
  it("discreteResponses on a scalar system and a subset of methods", async () => {
    const u = sampleSignal("step", 50, 0.05);
    const r = await discreteResponses([[-1]], [[1]], [[1]], u, 0.05, ["euler", "zoh"]);
    expect(r.y.length).toBe(2);
    // ZOH step response: y_k = 1 − e^{−(k+1)Δ}.
    for (let k = 0; k < 50; k++) expect(r.y[1][k]).toBeCloseTo(1 - Math.exp(-(k + 1) * 0.05), 5);
    expect(r.y[0][0]).toBeCloseTo(0.05, 6);
  });
  it("discreteResponses leaks no tensor", async () => {
    const before = tf.memory().numTensors;
    await discreteResponses(A, B, C, new Float32Array(64).fill(1), 0.2, ["zoh", "bilinear"]);
    expect(tf.memory().numTensors).toBe(before);
  });
  it("discreteResponses rejects bad input by name", async () => {
    await expect(discreteResponses(A, B, C, [1], 0, ["zoh"])).rejects.toThrow(/discreteResponses: delta/);
    await expect(discreteResponses(A, B, C, [1], NaN, ["zoh"])).rejects.toThrow(/discreteResponses: delta/);
    await expect(discreteResponses(A, B, C, [1], 0.1, [])).rejects.toThrow(/discreteResponses: methods/);
    await expect(discreteResponses([[1, 2, 3]], B, C, [1], 0.1, ["zoh"])).rejects.toThrow(/discreteResponses: A must be/);
  });
});

describe("heldInput", () => {
  it("heldInput(series) stretches over T whatever Δ is", () => {
    // Values 0..4 scaled to [−1, 1] over t ∈ [0, 10]: u(t) = −1 + 2t/10 = t/5 − 1, held at midpoints.
    const series = [0, 1, 2, 3, 4];
    const a = heldInput("series", 10, 1, {series, T: 10});
    const b = heldInput("series", 100, 0.1, {series, T: 10});
    expect(a[5]).toBeCloseTo(5.5 / 5 - 1, 9);
    expect(b[54]).toBeCloseTo(5.45 / 5 - 1, 9);
    expect(heldInput("series", 30, 1, {series, T: 10})[20]).toBeCloseTo(1, 9); // held after T
  });
});
