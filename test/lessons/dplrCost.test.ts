// The /views DPLR cost helper: plain points in the documented order, the budget and the abort
// signal respected, no tensor left behind, and the printed difference between the kernels.
// Timings are never asserted (only that they were measured).
import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";
import {DPLR_COST_KEYS, dplrAgreement, dplrCostLabel, legsDplr, measureDplrCost, predictMs, seededC} from "../../src/lessons/dplrCost.js";
import {useBackend} from "../kernels/helpers.js";

beforeAll(() => useBackend("cpu"));

describe("measureDplrCost", () => {
  it("measureDplrCost({Ns, Ls}) returns one plain point per method and cell, L outer and N inner, and leaks nothing", async () => {
    const before = tf.memory().numTensors;
    const seen: string[] = [];
    const points = await measureDplrCost({Ns: [4, 8], Ls: [16, 32], reps: 1, stat: "median", budgetMs: 1e9, totalMs: 1e9, onPoint: (p) => seen.push(`${p.method} ${p.N} ${p.L}`)});
    expect(tf.memory().numTensors).toBe(before);
    expect(points.map((p) => `${p.method} ${p.N} ${p.L}`)).toEqual(seen);
    expect(points.length).toBe(2 * 2 * DPLR_COST_KEYS.length);
    expect(points.slice(0, 4).map((p) => [p.method, p.N, p.L])).toEqual(DPLR_COST_KEYS.map((k) => [k, 4, 16]));
    for (const p of points) {
      expect(Number.isFinite(p.ms) && p.ms >= 0 && Number.isFinite(p.firstMs)).toBe(true);
      expect(p.reps).toBe(1);
      expect(p.label).toBe(dplrCostLabel(p.method));
      expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
    }
  });

  it("measureDplrCost skips a cell predicted over budgetMs, and stops at an aborted signal", async () => {
    const skipped = await measureDplrCost({Ns: [4, 8, 16], Ls: [16], methods: ["dplrF64"], reps: 1, budgetMs: 0});
    expect(skipped.map((p) => p.N)).toEqual([4]); // any positive time predicts > 0 ms for N = 8
    const signal = {aborted: false};
    const got = await measureDplrCost({Ns: [4, 8, 16], Ls: [16], methods: ["dplr", "dense"], reps: 1, signal, onPoint: () => { signal.aborted = true; }});
    expect(got.length).toBe(1);
  });

  it("measureDplrCost refuses lengths that are not powers of two and unknown methods", async () => {
    await expect(measureDplrCost({Ls: [100]})).rejects.toThrow(/measureDplrCost: Ls must be powers of two/);
    await expect(measureDplrCost({methods: ["fast" as never]})).rejects.toThrow(/measureDplrCost: methods must be among dplr, dense, dplrF64, denseF64, got fast/);
  });
});

describe("predictMs", () => {
  it("predictMs scales the last point by its growth exponents, or by the local slope of the last two points (clamped)", () => {
    expect(predictMs([], 64, 1024, 2, 1)).toBe(0);
    expect(predictMs([{N: 8, L: 256, ms: 1}], 16, 512, 2, 1)).toBeCloseTo(8, 12); // 2² · 2¹
    expect(predictMs([{N: 8, L: 256, ms: 5}, {N: 16, L: 256, ms: 5}], 32, 256, 2, 1)).toBeCloseTo(5, 12); // flat: a dispatch floor
    expect(predictMs([{N: 8, L: 256, ms: 1}, {N: 16, L: 256, ms: 8}], 32, 256, 2, 1)).toBeCloseTo(32, 12); // slope 3 clamped to 2
    expect(predictMs([{N: 8, L: 256, ms: 4}, {N: 16, L: 256, ms: 2}], 32, 256, 2, 1)).toBeCloseTo(2, 12); // noise: slope < 0 clamped to 0
  });
});

describe("dplrAgreement", () => {
  it.each([[16, 0.01, 256], [64, 0.1, 1024]])("dplrAgreement(N = %i, Δ = %f, L = %i): the DPLR kernel equals the dense one to float32 rounding", async (N, delta, L) => {
    const before = tf.memory().numTensors;
    const a = await dplrAgreement(N, delta, L);
    expect(tf.memory().numTensors).toBe(before);
    expect(a.scale).toBeGreaterThan(0);
    expect(a.dplrF64VsExact).toBeLessThan(1e-12 * a.scale);
    expect(a.dplrVsExact).toBeLessThan(2e-6 * a.scale);
    expect(a.dplrVsDense).toBeLessThan(2e-5 * a.scale);
    expect(a.denseVsExact).toBeLessThan(2e-5 * a.scale);
  });

  it("legsDplr caches one decomposition per N and seededC is reproducible", () => {
    expect(legsDplr(8)).toBe(legsDplr(8));
    expect(seededC(8)).toEqual(seededC(8));
    expect(seededC(8, 1)).not.toEqual(seededC(8, 2));
  });
});
