import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";
import {
  CHECK_L, HEAT_COLS, HippoLesson, LMAX, LMIN, MAX_STEPPED, NS, RECON_POINTS, bucket, coefficientGrid, conditioningNotes,
  cursorView, eigenSpread, eigenvaluesOf, envelope, errorSweep, inputKey, inputOf, inputTraces, maxModulus, playStep, rested, matrixA,
  scanCheck, stateSize, SWEEP_SIZES, stepsOf, tones, windowAt, type HippoParams
} from "../../src/lessons/hippo.js";
import {hippoStatesF64, reconstructF64} from "../../src/kernels/index.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
  await tf.ready();
});

const base: HippoParams = {measure: "legt", N: 16, theta: 1.5, delta: 0.01, T: 6, input: "tones", freq: 0.4, seed: 7};
const series = {co2: {values: [1, 3, 2, 5, 4, 6]}};

describe("sizes and notices", () => {
  it("stateSize makes FouT's N even with an info note and leaves the others alone", () => {
    expect(stateSize("legt", 7)).toEqual({N: 7, notes: []});
    const f = stateSize("fout", 7);
    expect(f.N).toBe(8);
    expect(f.notes[0].text).toMatch(/N must be even: using N = 8 instead of 7/);
    expect(stateSize("fout", 64).N).toBe(64);
  });
  it("stepsOf(T, Δ) caps L at LMAX and raises it to LMIN, each with a warning", () => {
    expect(stepsOf(6, 0.01)).toMatchObject({L: 600, h: 0.01, notes: []});
    const long = stepsOf(20, 0.001);
    expect(long.L).toBe(LMAX);
    expect(long.TEff).toBeCloseTo(4, 12);
    expect(long.notes[0]).toMatchObject({level: "warn"});
    expect(long.notes[0].text).toMatch(/20000 steps is more than this page computes \(4000\)/);
    const short = stepsOf(1, 0.2);
    expect(short.L).toBe(LMIN);
    expect(short.notes[0].text).toMatch(/too few/);
  });
});

describe("the input", () => {
  it("inputOf gives the two tones at the sample midpoints, a signal kind, or a real series scaled to [−1, 1]", () => {
    const u = inputOf(base, series, 100, 0.01);
    const s = 0.005;
    expect(u[0]).toBeCloseTo(Math.sin(2 * Math.PI * 0.4 * s) + 0.4 * Math.cos(2 * Math.PI * 2.7 * 0.4 * s + 0.3), 6);
    expect(Array.from(tones(5, 0.1, 1))).toEqual(Array.from(inputOf({...base, freq: 1}, series, 5, 0.1)));
    expect(inputOf({...base, input: "step"}, series, 4, 0.1)).toEqual(Float32Array.from([1, 1, 1, 1]));
    const real = inputOf({...base, input: "co2"}, series, 50, 0.1);
    expect(Math.min(...real)).toBeGreaterThanOrEqual(-1 - 1e-6);
    expect(Math.max(...real)).toBeLessThanOrEqual(1 + 1e-6);
  });
  it("inputKey depends on the seed only for noise and on nothing but the name for a real series", () => {
    expect(inputKey({...base, input: "noise", freq: 1}, series, 10, 0.1)).toBe(inputKey({...base, input: "noise", freq: 2}, series, 10, 0.1));
    expect(inputKey({...base, input: "noise", seed: 1}, series, 10, 0.1)).not.toBe(inputKey({...base, input: "noise", seed: 2}, series, 10, 0.1));
    expect(inputKey({...base, input: "co2", freq: 1}, series, 10, 0.1)).toBe(inputKey({...base, input: "co2", freq: 2}, series, 10, 0.1));
    expect(inputKey(base, series, 10, 0.1)).not.toBe(inputKey(base, series, 11, 0.1));
  });
  it("envelope(x, y, b) keeps each bucket's min and max in time order", () => {
    const x = [0, 1, 2, 3, 4, 5, 6, 7], y = [0, 5, -1, 2, 3, 3, 9, -4];
    const e = envelope(x, y, 2);
    expect(e).toEqual({x: [1, 2, 6, 7], y: [5, -1, 9, -4]});
    const flat = envelope([0, 1, 2], [1, 1, 1], 1);
    expect(flat.y).toEqual([1]);
  });
  it("inputTraces draws u₀ … u_k held on their intervals up to tc = (k + 1)h, the rest from there on", () => {
    const u = Float32Array.from({length: 10}, (_, i) => i * i), h = 0.5;
    const {past, future} = inputTraces(u, h, 3);
    expect(Array.from(past.x)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(Array.from(past.y)).toEqual([0, 1, 4, 9, 9]);
    expect(Array.from(future.x)).toEqual([2, 2, 2.5, 3, 3.5, 4, 4.5, 5]);
    expect(Array.from(future.y)).toEqual([9, 16, 25, 36, 49, 64, 81, 81]);
    expect(past.stepped && future.stepped).toBe(true);
    expect(inputTraces(u, h, 9).future.x).toEqual([]);
    const long = inputTraces(new Float32Array(4000).map((_, i) => Math.sin(i)), 1, 1999);
    expect(long.past.stepped).toBe(false);
    expect(long.past.x.length + long.future.x.length).toBeLessThanOrEqual(2 * 602);
    expect(long.past.x[long.past.x.length - 1]).toBeLessThanOrEqual(1999.5);
    expect(long.future.x[0]).toBeGreaterThanOrEqual(1999.5);
    expect(MAX_STEPPED).toBeGreaterThan(600);
  });
});

describe("states, the cursor and the heatmap", () => {
  it("statesFor runs the float64 loop once per input and measure and serves repeats from the cache", () => {
    const lesson = new HippoLesson();
    const v = lesson.statesFor(base, series);
    expect(v.X.length).toBe(600 * 16);
    expect(v.X).toEqual(hippoStatesF64("legt", 16, v.u, 0.01, {theta: 1.5}));
    expect(v.cached).toBe(false);
    const again = lesson.statesFor({...base}, series);
    expect(again.cached).toBe(true);
    expect(again.X).toBe(v.X);
    // θ does not change LegS, so it shares the cache entry; N does not change the input.
    const s1 = lesson.statesFor({...base, measure: "legs", theta: 1}, series);
    expect(lesson.statesFor({...base, measure: "legs", theta: 3}, series).X).toBe(s1.X);
    expect(lesson.statesFor({...base, N: 8}, series).u).toEqual(v.u);
  });
  it("cursorView reads the history back at the cursor over each measure's window", () => {
    const lesson = new HippoLesson();
    const v = lesson.statesFor(base, series);
    const cv = cursorView(v, 0.8);
    expect(cv.k).toBe(479);
    expect(cv.tc).toBeCloseTo(4.8, 12);
    expect(cv.lo).toBeCloseTo(4.8 - 1.5, 12);
    expect(cv.s.length).toBe(RECON_POINTS);
    expect(Array.from(cv.rec)).toEqual(Array.from(reconstructF64("legt", cv.c, cv.tc, cv.s, {theta: 1.5})));
    expect(cv.err.count).toBe(150);
    expect(cv.err.rms).toBeLessThan(1e-3); // two smooth tones, N = 16
    expect(cursorView(v, 0).k).toBe(0);
    expect(cursorView(v, 1).k).toBe(599);
  });
  it("cursorView for FouT reads back its window [t − 2, t] (the figure is no longer empty)", () => {
    const v = new HippoLesson().statesFor({...base, measure: "fout", N: 32}, series);
    const cv = cursorView(v, 0.8);
    expect(cv.lo).toBeCloseTo(2.8, 12);
    expect(cv.rec.every(Number.isFinite)).toBe(true);
    expect(cv.err.count).toBe(200);
    expect(cv.err.rms).toBeLessThan(0.1);
    expect(windowAt("fout", 1, 1).lo).toBe(0);
    expect(windowAt("lagt", 3, 1).label).toBe("");
  });
  it("coefficientGrid samples at most HEAT_COLS columns over the span [0, L·h]", () => {
    const v = new HippoLesson().statesFor({...base, T: 20, delta: 0.01}, series); // L = 2000
    const g = coefficientGrid(v);
    expect(g.cols).toBe(HEAT_COLS);
    expect(g.rows).toBe(16);
    expect(g.domain).toEqual([0, 20]);
    expect(g.steps[1]).toBe(5);
    expect(g.values[3 * g.cols + 7]).toBe(v.X[g.steps[7] * 16 + 3]);
    expect(coefficientGrid({X: new Float64Array(20), L: 10, N: 2, h: 0.5}).cols).toBe(10);
  });
});

describe("error against N", () => {
  it("errorSweep gives LegT, LegS and FouT errors at every N (FouT even only) that fall with N for smooth input", () => {
    const lesson = new HippoLesson();
    const v = lesson.statesFor(base, series);
    const {errN, L, TEff} = lesson.sweep(base, series);
    expect([L, TEff]).toEqual([600, 6]);
    expect(Object.keys(errN)).toEqual(["legt", "legs", "fout"]);
    expect(errN.legt.length).toBe(NS.length);
    expect(SWEEP_SIZES.fout).toEqual([2, 4, 8, 16, 32, 64]);
    expect(errN.fout.length).toBe(6);
    expect([...errN.legt, ...errN.legs, ...errN.fout].every(Number.isFinite)).toBe(true);
    expect(errN.legt[4]).toBeLessThan(errN.legt[1] / 100);
    expect(errN.legs[6]).toBeLessThan(errN.legs[0]);
    expect(errN.fout[5]).toBeLessThan(errN.fout[0]);
    // Cached per input and θ: another N or measure reuses it.
    expect(lesson.sweep({...base, N: 4, measure: "legs"}, series).errN).toBe(errN);
    expect(errorSweep(v.u, v.tGrid, v.h, base.theta)).toEqual(errN);
  });
});

describe("eigenvalues and their conditioning", () => {
  it("eigenvaluesOf gives the diagonal of LegS and LagT and the QR eigenvalues of LegT (a conjugate-symmetric set)", () => {
    expect(eigenvaluesOf("legs", 4, 1)).toEqual({re: [-1, -2, -3, -4], im: [0, 0, 0, 0]});
    expect(eigenvaluesOf("lagt", 3, 1).re).toEqual([-0.5, -0.5, -0.5]);
    const e = eigenvaluesOf("legt", 6, 1);
    expect(e.re.every((r) => r < 0)).toBe(true);
    expect(e.im.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 8);
    expect(maxModulus({re: [-3, 0], im: [4, 1]})).toBe(5);
    expect(matrixA("legs", 2, 1)).toEqual([[-1, 0], [-Math.sqrt(3), -2]]);
  });
  it("eigenSpread is 0 for the triangular measures and grows with N for LegT; the notice appears only when it is large", () => {
    expect(eigenSpread("legs", 8, 1, eigenvaluesOf("legs", 8, 1))).toBe(0);
    const small = eigenSpread("legt", 4, 1, eigenvaluesOf("legt", 4, 1));
    const big = eigenSpread("legt", 48, 1, eigenvaluesOf("legt", 48, 1));
    expect(big).toBeGreaterThan(small);
    expect(conditioningNotes(small, 10)).toEqual([]);
    expect(conditioningNotes(1, 10)[0].text).toMatch(/ill-conditioned/);
    expect(conditioningNotes(NaN, 10)).toEqual([]);
  });
  it("warmStep fills the eigenvalue caches for every N of the measure, nearest first, within the deadline", () => {
    const lesson = new HippoLesson();
    const step = lesson.warmStep("fout", 10, 1);
    expect(step({timeRemaining: () => 0})).toBe(true); // no time: nothing done
    expect(lesson.eig.size).toBe(0);
    let calls = 0;
    while (step({timeRemaining: () => 50}) && calls < 1000) calls++;
    expect(lesson.eig.size).toBe(32); // FouT: the even N only
    expect(lesson.eig.has("fout|10|")).toBe(true);
  });
});

describe("the tensor path, checked against the float64 loop", () => {
  it("scanCheck runs discretize + ssmStates with N padded to a power of two and agrees with the loop", async () => {
    const before = tf.memory().numTensors;
    for (const measure of ["legt", "lagt", "fout"] as const) {
      const v = new HippoLesson().statesFor({...base, measure, N: measure === "fout" ? 6 : 5}, series);
      const r = (await scanCheck(v))!;
      expect(r.width).toBe(8);
      expect(r.steps).toBe(CHECK_L);
      expect(r.backend).toBe("cpu");
      expect(r.relErr).toBeLessThan(1e-4);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(await scanCheck(new HippoLesson().statesFor({...base, measure: "legs"}, series))).toBeNull();
    const short = new HippoLesson().statesFor({...base, T: 1, delta: 0.01}, series); // L = 100 < CHECK_L
    expect((await scanCheck(short))!.steps).toBe(100);
  });
  it("bucket(N) is the power of two at or above N, at least 8 (64 on a GPU backend)", () => {
    expect([1, 2, 3, 5, 16, 17, 64].map((n) => bucket(n))).toEqual([8, 8, 8, 8, 16, 32, 64]);
    expect([1, 17, 64, 65].map((n) => bucket(n, true))).toEqual([64, 64, 64, 128]);
  });
  it("the lesson caches one check per state and returns a failure as its message", async () => {
    const lesson = new HippoLesson();
    const v = lesson.statesFor(base, series);
    const a = lesson.check(v), b = lesson.check(lesson.statesFor(base, series));
    expect(a).toBe(b);
    expect(((await a) as {relErr: number}).relErr).toBeLessThan(1e-4);
    const broken = {...v, key: "broken", h: -1}; // discretize refuses a negative step
    expect(await lesson.check(broken)).toEqual({error: expect.stringMatching(/discretize: delta must be/)});
  });
});

describe("extreme settings stay bounded", () => {
  it("the smallest Δ with the longest T, N = 64 and the narrowest θ: capped steps, finite states, errors and eigenvalues", async () => {
    const lesson = new HippoLesson();
    for (const measure of ["legt", "legs", "lagt", "fout"] as const) {
      const p = {...base, measure, N: 64, theta: 0.2, delta: 0.001, T: 20, input: "square"};
      const v = lesson.statesFor(p, series);
      expect(v.L).toBe(LMAX);
      expect(v.notes.some((n) => /more than this page computes/.test(n.text))).toBe(true);
      expect(v.X.every(Number.isFinite)).toBe(true);
      const cv = cursorView(v, 1);
      expect(Number.isFinite(cv.err.rms)).toBe(true);
      const e = lesson.eigenvalues(measure, 64, 0.2);
      // All in the left half-plane; FouT's s₀ (the sine of frequency 0, never driven) sits at 0.
      expect(e.re.every(Number.isFinite) && e.re.filter((r) => !(r < 0)).length).toBe(measure === "fout" ? 1 : 0);
      expect(Math.max(...e.re)).toBeLessThan(1e-9);
      expect(Number.isFinite(lesson.spreadOf(measure, 64, 0.2))).toBe(true);
    }
    const big = lesson.statesFor({...base, N: 64, theta: 0.2, delta: 0.2, T: 20}, series);
    expect(big.X.every(Number.isFinite)).toBe(true);
    expect((await scanCheck(big))!.relErr).toBeLessThan(1e-3);
  });
});

describe("play", () => {
  it("rested(3) holds for two calls and passes on the third", () => {
    const f = rested(3);
    expect([f(), f(), f(), f()]).toEqual([false, false, true, true]);
  });
  it("playStep advances by dt/5000 on the 0.001 grid (at least one step, at most 100 ms a frame) and wraps at 1", () => {
    expect(playStep(0.5, 16)).toBeCloseTo(0.503, 12);
    expect(playStep(0.5, 0)).toBeCloseTo(0.501, 12);
    expect(playStep(0.5, 1000)).toBeCloseTo(0.52, 12);
    expect(playStep(0.999, 50)).toBe(1);
    expect(playStep(1, 16)).toBe(0.01);
  });
});
