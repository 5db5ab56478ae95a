import {describe, expect, it} from "vitest";
import {sampleSignal, scaleToUnit} from "../../src/lessons/signals.js";
import {mulberry32} from "../../src/kernels/index.js";

describe("sampleSignal", () => {
  it("sampleSignal('step') holds the amplitude on every interval", () => {
    expect(Array.from(sampleSignal("step", 5, 0.1, {amplitude: 2}))).toEqual([2, 2, 2, 2, 2]);
  });
  it("sampleSignal('impulse') is a pulse of unit area on the first interval", () => {
    const h = 0.01, u = sampleSignal("impulse", 100, h);
    expect(u[0] * h).toBeCloseTo(1, 6);
    expect(u.slice(1).every((v) => v === 0)).toBe(true);
  });
  it("sampleSignal('sine') samples at interval midpoints", () => {
    const h = 0.1, u = sampleSignal("sine", 10, h, {freq: 0.5});
    for (let k = 0; k < 10; k++) expect(u[k]).toBeCloseTo(Math.sin(2 * Math.PI * 0.5 * (k + 0.5) * h), 6);
  });
  it("sampleSignal('square') alternates ±1 every half period", () => {
    const u = sampleSignal("square", 8, 0.25, {freq: 1});
    expect(Array.from(u)).toEqual([1, 1, -1, -1, 1, 1, -1, -1]);
  });
  it("sampleSignal('noise') is reproducible for a seed, different across seeds, and piecewise constant", () => {
    const a = sampleSignal("noise", 200, 0.01, {seed: 3, hold: 0.1});
    const b = sampleSignal("noise", 200, 0.01, {seed: 3, hold: 0.1});
    const c = sampleSignal("noise", 200, 0.01, {seed: 4, hold: 0.1});
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(a[0]).toBe(a[9]);
    expect(a.every((v) => v >= -1 && v <= 1)).toBe(true);
  });
  it("sampleSignal('series') stretches a series over the window and scales it to [-1, 1]", () => {
    const u = sampleSignal("series", 101, 1, {series: [10, 20, 30]});
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...u)).toBeLessThanOrEqual(1);
    expect(u[50]).toBeCloseTo(0, 6);
    expect(u[0]).toBeLessThan(u[100]);
  });
  it("sampleSignal rejects bad lengths, steps and kinds with a message naming the argument", () => {
    expect(() => sampleSignal("step", 0, 0.1)).toThrow(/sampleSignal: l must be an integer/);
    expect(() => sampleSignal("step", 10, -1)).toThrow(/sampleSignal: h must be a finite number > 0/);
    expect(() => sampleSignal("step", 10, NaN)).toThrow(/h must be/);
    expect(() => sampleSignal("sine", 10, 0.1, {freq: 0})).toThrow(/freq must be/);
    expect(() => sampleSignal("bogus" as never, 10, 0.1)).toThrow(/kind must be one of/);
    expect(() => sampleSignal("series", 10, 0.1, {series: [1]})).toThrow(/at least 2 values/);
  });
});

describe("helpers", () => {
  it("scaleToUnit maps a constant series to zeros", () => {
    expect(Array.from(scaleToUnit([5, 5, 5]))).toEqual([0, 0, 0]);
  });
  it("mulberry32 gives numbers in [0, 1)", () => {
    const r = mulberry32(1);
    for (let i = 0; i < 1000; i++) { const v = r(); expect(v >= 0 && v < 1).toBe(true); }
  });
});
