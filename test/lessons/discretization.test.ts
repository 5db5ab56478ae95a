// Page 2 helpers: measured error against Δ (vs scipy's cont2discrete and a closed-form exact
// response), the fitted orders (Euler ≈ 1, bilinear ≈ 2, ZOH exact for held input), stability
// intervals (closed form vs a scan of ρ(Ā)), the s → z maps, the mixed-rule gap, and
// discreteResponses (one block-diagonal tfjs scan) against per-method float64 loops.
import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it, vi} from "vitest";
import {discretizeF64} from "../../src/kernels/index.js";
import {
  METHODS, type Method, type DiscretizationParams, NF, cachedSweep, discreteResponses, discretizationView, eigenvalues, errorFigure,
  errorSweep, errorVsDelta, errorVsDeltaSteps, exactResponse, fitSlope, fmt, heldInput, holdPicture, kernelCheck, mixedGapFigure,
  mixedRuleFactor, mixedRuleGap, eigenText, pickedEigenvalue, mixedRuleGapScalar, responseFigure, rulesOf, runF64, sPlaneFigure, sameParams, sameSystem,
  signalOf, spectralRadius, stabilityInterval, stabilityRows, systemOf, viewNotices, zOfS, zPlaneFigure, zoomBox
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
  it("discreteResponses leaks no tensor and reads its results without dataSync (only cpu-side validation reads synchronously)", async () => {
    const before = tf.memory().numTensors;
    const original = tf.Tensor.prototype.dataSync, callers: string[] = [];
    const spy = vi.spyOn(tf.Tensor.prototype, "dataSync").mockImplementation(function (this: tf.Tensor) {
      callers.push(new Error().stack ?? "");
      return original.call(this);
    } as typeof original);
    await discreteResponses(A, B, C, new Float32Array(64).fill(1), 0.2, ["zoh", "bilinear"]);
    spy.mockRestore();
    // assertValues reads tensors only on cpu/wasm (validate.ts); on webgl/webgpu it does not.
    for (const stack of callers) expect(stack).toMatch(/assertValues/);
    expect(tf.memory().numTensors).toBe(before);
  });
  it("discreteResponses rejects bad input by name", async () => {
    await expect(discreteResponses(A, B, C, [1], 0, ["zoh"])).rejects.toThrow(/discreteResponses: delta/);
    await expect(discreteResponses(A, B, C, [1], NaN, ["zoh"])).rejects.toThrow(/discreteResponses: delta/);
    await expect(discreteResponses(A, B, C, [1], 0.1, [])).rejects.toThrow(/discreteResponses: methods/);
    await expect(discreteResponses([[1, 2, 3]], B, C, [1], 0.1, ["zoh"])).rejects.toThrow(/discreteResponses: A must be/);
  });
  it("discreteResponses of a rule singular at this Δ rejects with the kernel's message and leaks nothing", async () => {
    const before = tf.memory().numTensors;
    await expect(discreteResponses([[0.5]], [[1]], [[1]], [1, 1], 4, ["zoh", "bilinear"])).rejects.toThrow(/singular to working precision: method "bilinear"/);
    expect(tf.memory().numTensors).toBe(before);
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

// ---------------------------------------------------------------- the page's view
const P0: DiscretizationParams = {delta: 0.1, sys: "2x2", lambda: -1, sigma: -0.5, omega: 3, methods: [...METHODS], input: "sine", freq: 0.2, seed: 7, T: 10};
const at = (o: Partial<DiscretizationParams>): DiscretizationParams => ({...P0, ...o});
const SERIES = {co2: {values: Array.from({length: 50}, (_, i) => 300 + i + 3 * Math.sin(i))}, seattle: {values: Array.from({length: 80}, (_, i) => 10 + 8 * Math.sin(i / 6))}};
const allFinite = (a: ArrayLike<number>) => Array.from(a).every(Number.isFinite);

describe("errorVsDelta: singular rules and bounded work (issue-16 repros)", () => {
  it("errorVsDelta never throws where a rule is singular: λ = 0.8 (bilinear at Δ = 2.5), λ = 0.4, λ = 2 with T = 2, and the 2×2 Jordan block at 0.8", () => {
    for (const [Am, T, method, delta] of [[[[0.8]], 10, "bilinear", 2.5], [[[0.4]], 10, "backward-euler", 2.5], [[[2]], 2, "backward-euler", 0.5], [[[0.8, 1], [0, 0.8]], 10, "bilinear", 2.5]] as const) {
      const n = Am.length, Bm = n === 1 ? [[1]] : [[0], [1]], Cm = n === 1 ? [[1]] : [[1, 0]];
      const r = errorVsDelta(Am as unknown as number[][], Bm, Cm, {kind: "sine", signal: {freq: 0.2}, T, deltaMin: 1e-3, deltaMax: 10});
      const j = Array.from(r.deltas).findIndex((d) => Math.abs(d - delta) < 1e-12);
      expect(j, `Δ = ${delta} is on the sweep`).toBeGreaterThanOrEqual(0);
      expect(Number.isNaN(r.errors[method as Method][j])).toBe(true);
      expect(r.singular[method as Method]).toEqual([r.deltas[j]]);
      // Everywhere else: a number or Infinity (blew up), never NaN; ZOH and Mamba's rule are never singular.
      for (const m of METHODS) r.errors[m].forEach((e, k) => { if (!(m === method && k === j)) expect(Number.isNaN(e), `${m} at ${r.deltas[k]}`).toBe(false); });
      expect(r.singular.zoh).toEqual([]);
      expect(r.singular.mamba).toEqual([]);
    }
  });
  it("errorVsDelta bounds its reference grid: T = 60 starts the sweep at Δ = 6e-3 and says so", () => {
    const r = errorVsDelta([[-1]], [[1]], [[1]], {kind: "sine", signal: {freq: 0.2}, T: 60, deltaMin: 1e-3, deltaMax: 10});
    expect(r.bounded).toBe(true);
    expect(r.deltaMin).toBeCloseTo(6e-3, 12);
    expect(r.hRef).toBeCloseTo(6e-4, 12);
    expect(r.deltas[0]).toBeCloseTo(6e-3, 12);
    expect(errorVsDelta([[-1]], [[1]], [[1]], {kind: "sine", T: 10}).bounded).toBe(false);
  });
  it("errorVsDeltaSteps yields after the reference and after each method, and returns what errorVsDelta returns", () => {
    const o = {kind: "step" as const, T: 4, deltaMin: 1e-2, deltaMax: 1, methods: ["zoh", "euler"] as Method[]};
    const gen = errorVsDeltaSteps([[-1]], [[1]], [[1]], o);
    const labels: string[] = [];
    let r = gen.next();
    while (!r.done) { labels.push(r.value); r = gen.next(); }
    expect(labels).toEqual(["reference", "zoh", "euler"]);
    expect(Array.from(r.value.errors.euler)).toEqual(Array.from(errorVsDelta([[-1]], [[1]], [[1]], o).errors.euler));
  });
  it("errorVsDelta on an unstable scalar with the longest window (λ = 2, T = 60): ZOH stays exact on a step, no false blow-up", () => {
    const r = errorVsDelta([[2]], [[1]], [[1]], {kind: "step", T: 60});
    expect(r.scale).toBeGreaterThan(1e50);
    // ZOH's error is rounding relative to the scale of e^{2T}: not "blown up".
    for (const e of r.errors.zoh) expect(e / r.scale).toBeLessThan(1e-9);
  });
});

describe("the page's view", () => {
  it("systemOf: A = λ, or A = [[σ, 1], [−ω², σ]] with eigenvalues σ ± iω (a Jordan block at ω = 0)", () => {
    const s = systemOf(P0);
    expect(s.A).toEqual([[-0.5, 1], [-9, -0.5]]);
    expect(s.eig.re).toEqual([-0.5, -0.5]);
    expect(Math.abs(s.eig.im[0])).toBeCloseTo(3, 12);
    expect(s.complex).toBe(true);
    expect(systemOf(at({sys: "scalar", lambda: 0.8}))).toMatchObject({A: [[0.8]], B: [[1]], C: [[1]], abscissa: 0.8, complex: false});
    expect(systemOf(at({omega: 0})).complex).toBe(false);
  });
  it("signalOf maps the real series to kind 'series' and refuses a series that is not loaded", () => {
    expect(signalOf(at({input: "seattle"}), SERIES).kind).toBe("series");
    expect(() => signalOf(at({input: "co2"}), {})).toThrow(/signalOf: the series "co2" is not loaded/);
    // Only what changes a signal is in its cache key.
    expect(signalOf(at({input: "step", freq: 1}), SERIES).key).toBe(signalOf(at({input: "step", freq: 2}), SERIES).key);
  });
  it("exactResponse of a scalar step is (e^{λt} − 1)/λ at every fine grid point", () => {
    const p = at({sys: "scalar", lambda: -2, input: "step", T: 5});
    const e = exactResponse(systemOf(p), p, SERIES);
    expect(e.t.length).toBe(NF + 1);
    for (let k = 0; k <= NF; k += 97) expect(e.y[k]).toBeCloseTo((Math.exp(-2 * e.t[k]) - 1) / -2, 12);
  });
  it("rulesOf reports a singular rule instead of throwing: bilinear at Δλ = 2, backward Euler at Δλ = 1", () => {
    const sys = systemOf(at({sys: "scalar", lambda: 2}));
    const [zoh, bil, be] = rulesOf(sys, 1, ["zoh", "bilinear", "backward-euler"]);
    expect(zoh.singular).toBeNull();
    expect(zoh.z!.re[0]).toBeCloseTo(Math.exp(2), 12);
    expect(bil.Ab).toBeNull();
    expect(bil.singular).toMatch(/^bilinear has no Ā at Δ = 1\.00: Δλ = 2 for the eigenvalue λ = 2\.00 of A/);
    expect(be.singular).toBeNull();
    expect(rulesOf(sys, 0.5, ["backward-euler"])[0].singular).toMatch(/Δλ = 1 .*I − ΔA is singular/);
  });
  it("samplesOf cuts a rule where it blew up and says when; t_k = kΔ for k = 1..L", () => {
    const p = at({omega: 10, delta: 0.5, input: "step", T: 60});
    const v = discretizationView(p, SERIES);
    expect(v.samples.L).toBe(120);
    expect(v.samples.t[0]).toBe(0.5);
    expect(v.samples.blowUp.euler).toBeGreaterThan(0);
    expect(v.samples.y.euler!.length).toBeLessThan(120);
    expect(allFinite(v.samples.y.euler!)).toBe(true);
    expect(v.samples.y.zoh!.length).toBe(120);
  });
  it("discretizationView works for every value the controls allow (a λ grid and its singular points, σ, ω, each Δ decade): no throw, finite figures", () => {
    const deltas = [1e-4, 3e-3, 0.1, 0.5, 1, 2, 2.5, 10];
    // A 0.1 grid of λ plus the values where a rule is singular at one of these Δ.
    const lambdas = [...Array.from({length: 121}, (_, i) => +(-10 + 0.1 * i).toFixed(2)), 0.4, 0.5, 0.8, 1, 2, 0.01];
    for (const lambda of lambdas) {
      for (const delta of deltas) {
        const v = discretizationView(at({sys: "scalar", lambda, delta, T: lambda > 1 ? 60 : 10}), SERIES);
        const f = responseFigure(v);
        for (const s of f.series) expect(allFinite(s.y), `λ = ${lambda}, Δ = ${delta}, ${s.name}`).toBe(true);
        expect(f.yDomain.every(Number.isFinite)).toBe(true);
        for (const q of zPlaneFigure(v).points) expect(allFinite(q.re) && allFinite(q.im)).toBe(true);
        viewNotices(v);
      }
    }
    for (let sigma = -5; sigma <= 1; sigma += 0.25) {
      for (const omega of [0, 0.05, 1, 3, 10]) {
        for (const delta of deltas) {
          const v = discretizationView(at({sigma, omega, delta}), SERIES);
          for (const s of responseFigure(v).series) expect(allFinite(s.y)).toBe(true);
        }
      }
    }
  });
  it("responseFigure takes its y range from the window drawn (λ = 2, T = 60, Δ = 10⁻⁴ shows t ≤ 0.2, not e^{120})", () => {
    const v = discretizationView(at({sys: "scalar", lambda: 2, delta: 1e-4, T: 60}), SERIES);
    const f = responseFigure(v);
    expect(f.xDomain).toEqual([0, 0.2]);
    expect(Math.max(...f.yDomain.map(Math.abs))).toBeLessThan(1);
    expect(viewNotices(v).map((n) => n.text).join(" ")).toMatch(/only the first 2000 are computed/);
  });
  it("sPlaneFigure draws the Euler stability disks as exact circles of radius 1/Δ", () => {
    const f = sPlaneFigure(discretizationView(P0, SERIES));
    expect(f.curves.map((c) => c.circle)).toEqual([{re: -10, im: 0, r: 10}, {re: 10, im: 0, r: 10}]);
    expect(f.domain).toBeCloseTo(1.4 * Math.hypot(0.5, 3), 12);
  });
  it("zoomBox: an inset around the rules' z at the default Δ (five rules within 0.07), none when they are apart or all equal", () => {
    const z = zPlaneFigure(discretizationView(P0, SERIES));
    expect(z.points.length).toBe(5);
    expect(z.inset).not.toBeNull();
    const {re, im, r} = z.inset!;
    for (const q of z.points) {
      const k = q.im[0] >= 0 ? 0 : 1;
      expect(Math.abs(q.re[k] - re)).toBeLessThanOrEqual(r);
      expect(Math.abs(q.im[k] - im)).toBeLessThanOrEqual(r);
    }
    expect(zPlaneFigure(discretizationView(at({delta: 1}), SERIES)).inset).toBeNull();
    expect(zoomBox([{re: [0.5, 0.5], im: [0.1, 0.1]}], [0.5, 0.1], 1.3)).toBeNull();
    expect(zoomBox([{re: [0.5, 0.5001], im: [0.1, 0.1]}], [0.5, 0.1], 1.3)).toMatchObject({re: 0.50005, im: 0.1});
  });
  it("stabilityRows: λ = −3 gives forward Euler Δ < 0.667 and ZOH every Δ", () => {
    const rows = stabilityRows(discretizationView(at({sys: "scalar", lambda: -3, methods: ["zoh", "euler"]}), SERIES));
    expect(rows.map((r) => r.note)).toEqual(["stable: every Δ", "stable: Δ < 0.667"]);
    const narrow = stabilityRows(discretizationView(at({sys: "scalar", lambda: -3, methods: ["zoh", "euler"]}), SERIES), {short: true});
    expect(narrow.map((r) => r.note)).toEqual(["every Δ", "Δ < 0.667"]);
  });
  it("mixedRuleFactor is z/(eᶻ − 1): ≈ 1 − z/2 for small z; 1.9× and −77° at z = −0.5 + 3i", () => {
    const small = mixedRuleFactor(-1e-3, 0);
    expect(small.mag).toBeCloseTo(1 + 5e-4, 6);
    const q = mixedRuleFactor(-0.5, 3);
    expect(q.mag).toBeCloseTo(1.90, 2);
    expect(q.deg).toBeCloseTo(-77.4, 0);
    expect(mixedRuleGapScalar(-0.5, 3)).toBeCloseTo(Math.hypot(q.mag * Math.cos(q.deg * Math.PI / 180) - 1, q.mag * Math.sin(q.deg * Math.PI / 180)), 12);
  });
  it("the mixed rule commutes with a change of basis: the response of (A, B, C) equals that of (PAP⁻¹, PB, CP⁻¹), every rule", () => {
    const P = [[2, 0.5], [-1, 1.5]], det = 2 * 1.5 + 0.5, Pi = [[1.5 / det, -0.5 / det], [1 / det, 2 / det]];
    const mul = (X: number[][], Y: number[][]) => X.map((r) => Y[0].map((_, j) => r.reduce((s, x, k) => s + x * Y[k][j], 0)));
    const A2 = mul(mul(P, A), Pi), B2 = mul(P, B), C2 = mul(C, Pi);
    const u = heldInput("sine", 60, 1, {freq: 0.2, T: 60});
    for (const m of METHODS) {
      const d1 = discretizeF64(A, B, 1, m), d2 = discretizeF64(A2, B2, 1, m);
      const y1 = runF64(d1.Ab, d1.Bb, C, u), y2 = runF64(d2.Ab, d2.Bb, C2, u);
      y1.forEach((y, k) => expect(Math.abs(y2[k] - y) / Math.max(1, Math.abs(y)), `${m} k = ${k}`).toBeLessThan(1e-10));
    }
  });
  it("mixedGapFigure is cached per A and finite", () => {
    const sys = systemOf(P0);
    const g = mixedGapFigure(sys);
    expect(mixedGapFigure(systemOf(P0))).toBe(g);
    expect(g.gapA.length).toBe(121);
    expect(allFinite(g.gapA) && allFinite(g.gapS)).toBe(true);
  });
  it("viewNotices: an unstable Euler, a singular rule, aliasing and the mixed rule on an oscillation each get a sentence", () => {
    const text = (p: DiscretizationParams) => viewNotices(discretizationView(p, SERIES)).map((n) => n.text).join("\n");
    expect(text(at({delta: 0.5, input: "step", T: 60}))).toMatch(/forward Euler is unstable at Δ = 0\.500: .*stable only for Δ < 0\.108/);
    expect(text(at({sys: "scalar", lambda: 2, delta: 1}))).toMatch(/bilinear has no Ā at Δ = 1\.00/);
    expect(text(at({sys: "scalar", lambda: 2, delta: 1}))).toMatch(/A itself is not stable/);
    expect(text(at({delta: 1.2}))).toMatch(/Δω = 3\.60 > π/);
    expect(text(at({delta: 1}))).toMatch(/Mamba's mixed rule on an oscillating mode at Δω = 3\.00: per mode, ΔB is 1\.90× ZOH's B̄ and turned by 77°/);
    expect(text(at({delta: 1, methods: ["zoh"]}))).not.toMatch(/Mamba/);
    expect(text(at({delta: 20, T: 10}))).toMatch(/longer than the window/);
    expect(text(at({methods: []}))).toMatch(/No rule is ticked/);
    expect(text(at({sys: "scalar", lambda: 0}))).toMatch(/on the edge of stability \(largest Re λ = 0\)/);
    expect(text(at({sigma: 1, omega: 10, delta: 10}))).toMatch(/ΔB is \d\.\de-\d+× ZOH's B̄/);
    expect(text(P0)).toBe("");
  });
  it("sameSystem ignores Δ and the ticked rules; sameParams does not", () => {
    expect(sameSystem(P0, at({delta: 0.2, methods: ["zoh"]}))).toBe(true);
    expect(sameSystem(P0, at({sigma: -0.4}))).toBe(false);
    expect(sameSystem(at({sys: "scalar"}), at({sys: "scalar", sigma: 0}))).toBe(true);
    expect(sameParams(P0, at({delta: 0.2}))).toBe(false);
    expect(sameParams(P0, at({}))).toBe(true);
  });
  it("errorSweep computes once per A and input (in slices), then answers from the cache; null once invalidated", async () => {
    const p = at({sys: "scalar", lambda: -1.37, input: "step", T: 3});
    const v = discretizationView(p, SERIES);
    expect(cachedSweep(v, SERIES)).toBeUndefined();
    const r = await errorSweep(v, SERIES);
    expect(r!.deltas.length).toBeGreaterThan(5);
    expect(cachedSweep(v, SERIES)).toBeDefined();
    expect((await errorSweep(discretizationView({...p, delta: 0.3}, SERIES), SERIES))!.ms).toBe(0);
    const gone = await errorSweep(discretizationView({...p, lambda: -1.38}, SERIES), SERIES, {invalidation: Promise.resolve()});
    expect(gone).toBeNull();
  });
  it("errorFigure leaves singular points out of their curve and says so; the bounded sweep says where it starts", async () => {
    const v = discretizationView(at({sys: "scalar", lambda: 0.8}), SERIES);
    const f = errorFigure(v, (await errorSweep(v, SERIES))!);
    for (const s of f.series) expect(allFinite(s.y)).toBe(true);
    expect(f.series[1].x.length).toBe(f.series[0].x.length - 1);
    expect(f.issues.join(" ")).toMatch(/bilinear has no Ā at Δ = 2\.50 \(singular\)/);
    const v60 = discretizationView(at({T: 60}), SERIES);
    expect(errorFigure(v60, (await errorSweep(v60, SERIES))!).issues.join(" ")).toMatch(/sweep starts at Δ = 6\.0e-3/);
  });
  it("kernelCheck: the tfjs kernels (float32) agree with the float64 loops, with no tensor left", async () => {
    const before = tf.memory().numTensors;
    const k = await kernelCheck(discretizationView(P0, SERIES));
    expect(k!.rules).toBe(5);
    expect(k!.maxDiff).toBeLessThan(1e-5);
    // A singular rule is left out of the tfjs run, not thrown.
    const s = await kernelCheck(discretizationView(at({sys: "scalar", lambda: 2, delta: 1, T: 10}), SERIES));
    expect(s!.rules).toBe(4);
    expect(tf.memory().numTensors).toBe(before);
  });
  it("holdPicture: four held values at the step midpoints of a smooth u", () => {
    const h = holdPicture();
    expect(h.held.length).toBe(4);
    expect(h.held[0]).toBeCloseTo(h.u[20], 12);
  });
  it("pickedEigenvalue: a point of the s-plane becomes λ (scalar) or σ, |ω| (2×2), clamped and snapped to the sliders", () => {
    expect(pickedEigenvalue("scalar", 0.8049, 3)).toEqual({lambda: 0.8});
    expect(pickedEigenvalue("scalar", -30, 0)).toEqual({lambda: -10});
    expect(pickedEigenvalue("2x2", -2.134, -2.13)).toEqual({sigma: -2.13, omega: 2.15});
    expect(pickedEigenvalue("2x2", 3, 20)).toEqual({sigma: 1, omega: 10});
  });
  it("eigenText writes λ as the page shows it", () => {
    expect(eigenText(systemOf(P0).eig)).toBe("−0.5 ± 3i");
    expect(eigenText(systemOf(at({omega: 0})).eig)).toBe("−0.5 (twice)");
    expect(eigenText(systemOf(at({sys: "scalar", lambda: 0.8})).eig)).toBe("0.8");
  });
  it("fmt writes 3 significant digits like the Δ slider", () => {
    expect([fmt(0.1), fmt(1e-4), fmt(2.5), fmt(12345)]).toEqual(["0.100", "1.0e-4", "2.50", "1.2e+4"]);
  });
});
