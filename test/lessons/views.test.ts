// Page 4's lesson (src/lessons/views.ts): the comparison of the two views as plain data.
import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";
import {
  channelDeltas, channelNames, compareViews, comparisonNotices, fastestToOutput, kernelLength, kernelSeries, kernelsOf, measureViewsCost,
  slidingWindow, timescaleLines, viewSystem, LENGTH_FRACTION
} from "../../src/lessons/views.js";
import {denseKernelF64, dplrNodes, dplrReconstructionError, dplrView} from "../../src/lessons/viewsDplr.js";
import {s4dInit} from "../../src/kernels/index.js";
import {BACKENDS, useBackend} from "../kernels/helpers.js";
import {sampleSignal} from "../../src/lessons/signals.js";

describe("views lesson", () => {
  const sys = viewSystem("lin", 8, 3, 1);
  const deltas = channelDeltas(0.05, 1, 3);
  const of = {init: "lin" as const, N: 8, H: 3, L: 128, delta: 0.05, spread: 1, input: "noise", seed: 1};

  it("kernelsOf + compareViews: the recurrence and the convolution agree, nothing leaks", async () => {
    await tf.setBackend("cpu");
    const before = tf.memory().numTensors;
    const u = sampleSignal("noise", 128, 1, {seed: 3, hold: 4});
    const {K} = await kernelsOf(sys, deltas, 128);
    expect(K.map((k) => k.length)).toEqual([128, 128, 128]);
    const c = await compareViews(sys, deltas, u, K, 0, of);
    expect(c.finite).toBe(true);
    expect(c.maxY).toBeGreaterThan(0);
    expect(c.maxDiff).toBeLessThan(1e-4 * c.maxY);
    expect(comparisonNotices(c)).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("comparisonNotices says when LegS kernels are a single spike", async () => {
    const legs = viewSystem("legs", 64, 1, 1);
    const u = sampleSignal("impulse", 64, 1);
    const {K} = await kernelsOf(legs, [1], 64);
    const c = await compareViews(legs, [1], u, K, 0, {...of, init: "legs", N: 64, H: 1, L: 64, delta: 1, spread: 0});
    expect(comparisonNotices(c).map((n) => n.text).join(" ")).toMatch(/single spike/);
  });

  it("kernelSeries(…, 't') drops k = 0 and scales by 1/Δ; timescaleLines falls as 1/Δ", async () => {
    const {K} = await kernelsOf(sys, deltas, 64);
    const s = kernelSeries(deltas, K, "t");
    expect(s[0].x.length).toBe(63);
    expect(s[0].x[0]).toBeCloseTo(deltas[0], 12);
    expect(s[0].y[0]).toBeCloseTo(K[0][1] / deltas[0], 5);
    const {decay, period} = timescaleLines(sys, [0.01, 0.1]);
    expect(decay[0] / decay[1]).toBeCloseTo(10, 10);
    expect(period).not.toBeNull();
  });

  it("fastestToOutput names the fastest way to y per length", () => {
    expect(fastestToOutput([{method: "rec", L: 64, ms: 2}, {method: "fft", L: 64, ms: 1}, {method: "kdense", L: 64, ms: 0.1}]))
      .toBe("Fastest to y: L = 64: FFT.");
    expect(fastestToOutput([])).toBe("");
  });

  it("measureViewsCost times the methods with readbacks and stops when aborted", async () => {
    const signal = {aborted: false};
    let n = 0;
    const r = await measureViewsCost({init: "lin", N: 4, seed: 1, delta: 0.01}, "cpu", {signal, onPoint: () => { if (++n >= 3) signal.aborted = true; }});
    expect(r.points.length).toBe(3);
    expect(r.points.every((p) => p.ms >= 0 && p.L === 64)).toBe(true);
    expect(r.unavailable).toEqual([]);
  });

  it("viewSystem(…, {sharedC}) gives every channel channel 1's C, and on the time axis their kernels K̄/Δ fall on one curve", async () => {
    const own = viewSystem("lin", 16, 3, 2), shared = viewSystem("lin", 16, 3, 2, {sharedC: true});
    expect(own.sharedC).toBe(false);
    expect(shared.sharedC).toBe(true);
    expect(shared.dense.C.every((c) => c === shared.dense.C[0])).toBe(true);
    expect(shared.dense.C[0]).toEqual(own.dense.C[0]);
    expect(own.dense.C[1]).not.toEqual(own.dense.C[0]);
    // Δ = 0.001 and 0.01: step 10k of the first and step k of the second are the same time t.
    const ds = [0.001, 0.01], cmpAt = async (s: ReturnType<typeof viewSystem>) => {
      const {K} = await kernelsOf({...s, dense: {...s.dense, C: s.dense.C.slice(0, 2)}, Cmodes: s.Cmodes!.slice(0, 2)}, ds, 1000);
      let err = 0, scale = 0;
      for (let k = 1; k < 100; k++) { err = Math.max(err, Math.abs(K[0][10 * k] / ds[0] - K[1][k] / ds[1])); scale = Math.max(scale, Math.abs(K[1][k] / ds[1])); }
      return err / scale;
    };
    expect(await cmpAt(shared)).toBeLessThan(0.15);
    expect(await cmpAt(own)).toBeGreaterThan(0.3);
  });

  it("viewSystem('legs').spectrum is Λ of the normal part (Re λ = −½), while eig stays A's −1 … −N; S4D-Inv approximates its imaginary parts", () => {
    const N = 32, legs = viewSystem("legs", N, 1, 1);
    expect(legs.eig.re).toEqual(Array.from({length: N}, (_, n) => -(n + 1)));
    expect(legs.spectrum.re.every((r) => Math.abs(r + 0.5) < 1e-9)).toBe(true);
    const lam = legs.spectrum.im.filter((v) => v > 0).sort((a, b) => b - a); // N/2 conjugate pairs, largest first
    expect(lam.length).toBe(N / 2);
    const inv = Array.from(s4dInit("inv", N).A.im).sort((a, b) => b - a);
    // the inverse law: same size of the largest frequency within 20 %, and both fall off like 1/(2n+1)
    expect(Math.abs(lam[0] / inv[0] - 1)).toBeLessThan(0.2);
    expect(lam[0] / lam[4]).toBeGreaterThan(4);
    expect(viewSystem("lin", 8, 1).spectrum.re).toEqual(viewSystem("lin", 8, 1).eig.re);
  });

  it("kernelLength measures the 1 − 1/e point of Σ|K̄|, which is the decay time τ of a single mode", () => {
    for (const tau of [5, 40, 300]) {
      const K = Float64Array.from({length: 4000}, (_, k) => Math.exp(-k / tau));
      expect(Math.abs(kernelLength(K) - tau)).toBeLessThanOrEqual(1);
    }
    expect(LENGTH_FRACTION).toBeCloseTo(1 - 1 / Math.E, 12);
    expect(kernelLength([0, 0, 0])).toBeNaN();
  });

  it("channelNames says the common Δ once when the spread is 0", () => {
    expect(channelNames(channelDeltas(0.5, 0, 3))).toEqual({names: ["channel 1", "channel 2", "channel 3"], common: "all channels Δ = 0.50"});
    expect(channelNames(channelDeltas(0.01, 2, 3))).toEqual({names: ["Δ = 0.0010", "Δ = 0.010", "Δ = 0.10"], common: null});
    expect(channelNames([0.3])).toEqual({names: ["Δ = 0.30"], common: null});
  });

  it("slidingWindow(K, u, M) is the first M outputs of the convolution the page computes", async () => {
    const u = sampleSignal("noise", 128, 1, {seed: 3, hold: 4});
    const {K} = await kernelsOf(sys, deltas, 128);
    const c = await compareViews(sys, deltas, u, K, 0, {...of, input: "noise"});
    const w = slidingWindow(c.K[0], c.u, 32);
    expect(w.M).toBe(32);
    for (let k = 0; k < 32; k++) expect(Math.abs(w.y[k] - c.yConv[0][k])).toBeLessThan(1e-4 * (c.maxY || 1));
    expect(slidingWindow([1, 2], [1, 0, 0], 10)).toEqual({M: 2, K: Float64Array.from([1, 2]), u: Float64Array.from([1, 0]), y: Float64Array.from([1, 2])});
  });
});

describe.each(BACKENDS)("dplrView on %s", (backend) => {
  it("dplrView(N, Δ, L): the DPLR kernel equals the dense kernel of the same system, the nodes add up, nothing leaks", async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    for (const [N, delta, L] of [[16, 0.01, 256], [64, 0.1, 1024], [8, 1, 64]] as const) {
      const v = await dplrView(N, delta, L);
      expect(v.Kdplr.length).toBe(L);
      expect(v.Lambda.re.length).toBe(N);
      expect(v.maxDiff).toBeLessThan(1e-4 * v.scale);
      expect(v.dplrVsExact).toBeLessThan(1e-4 * v.scale);
      expect(v.reconError).toBeLessThan(1e-9 * N);
      expect(v.nodes.j.length).toBe(L / 2);
      // at z = 1 (j = 0) K̂ is Σ_k K̄_k
      const sum = v.Kexact!.reduce((s, x) => s + x, 0);
      expect(Math.abs(v.nodes.Khat[0] - Math.abs(sum))).toBeLessThan(1e-6 * Math.max(1, Math.abs(sum)));
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("dplrView inputs and helpers", () => {
  beforeAll(() => useBackend("cpu"));
  it("dplrView refuses an L that is not a power of two, and a bad Δ", async () => {
    await expect(dplrView(16, 0.01, 100)).rejects.toThrow(/dplrView: L must be a power of two/);
    await expect(dplrView(16, -1, 64)).rejects.toThrow(/dplrView: delta must be a positive number/);
  });
  it("dplrNodes(N, Δ, L) gives the same float64 steps as dplrView", async () => {
    const a = dplrNodes(16, 0.05, 128), b = await dplrView(16, 0.05, 128);
    expect(a.Lambda).toEqual(b.Lambda);
    expect(a.reconError).toBe(b.reconError);
    expect(Array.from(a.nodes.Khat)).toEqual(Array.from(b.nodes.Khat));
    expect(Array.from(a.nodes.correction)).toEqual(Array.from(b.nodes.correction));
    expect(() => dplrNodes(16, 0.05, 100)).toThrow(/dplrView: L must be a power of two/);
  });
  it("denseKernelF64 is C Āᵏ B̄ and dplrReconstructionError is cached per N", () => {
    expect(Array.from(denseKernelF64([[0.5]], [[1]], [2], 4))).toEqual([2, 1, 0.5, 0.25]);
    expect(dplrReconstructionError(8)).toBe(dplrReconstructionError(8));
  });
});
