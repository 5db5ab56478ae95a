// Page 4's lesson (src/lessons/views.ts): the comparison of the two views as plain data.
import * as tf from "@tensorflow/tfjs";
import {describe, expect, it} from "vitest";
import {
  channelDeltas, compareViews, comparisonNotices, fastestToOutput, kernelSeries, kernelsOf, measureViewsCost, timescaleLines, viewSystem
} from "../../src/lessons/views.js";
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
});
