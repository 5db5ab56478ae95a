// Pure chart logic (the DOM part is checked in the browser tests): clipping and counting,
// domains, log ticks, tick labels, legend layout.
import {describe, expect, it} from "vitest";
import {
  circleArc, clipValues, computeDomain, densify, finiteExtent, formatLevel, formatTick, issueMessages, legendLayout, linearTicks, logTicks,
  placeLabel, plottable, pointRadius, powerOfTen, symmetricRadius, theme
} from "../../src/components/charts/common.js";
import {formatEntry} from "../../src/components/matrixTable.js";
import {keyStep, pointerToData} from "../../src/components/charts/pick.js";
import {colorDomain, matrixShape} from "../../src/components/charts/Heatmap.js";
import {phaseRadius} from "../../src/components/charts/PhasePortrait.js";

describe("clipValues", () => {
  it("clipValues(v, {clip}) sets |v| > clip to ±clip and counts them", () => {
    const r = clipValues([0, 5, -2000, 1e4, 999], {clip: 1000});
    expect(Array.from(r.values)).toEqual([0, 5, -1000, 1000, 999]);
    expect(r.clipped).toBe(2);
    expect(r.nonFinite).toBe(0);
  });
  it("clipValues(v) turns NaN and ±∞ into NaN breaks and counts them (not as clipped)", () => {
    const r = clipValues([1, NaN, Infinity, -Infinity, 2], {clip: 10});
    expect(r.nonFinite).toBe(3);
    expect(r.clipped).toBe(0);
    expect(Number.isNaN(r.values[1]) && Number.isNaN(r.values[2]) && Number.isNaN(r.values[3])).toBe(true);
  });
  it("clipValues(v, {type: 'log'}) drops values ≤ 0 and counts them", () => {
    const r = clipValues([1, 0, -3, 10], {type: "log"});
    expect(r.nonPositive).toBe(2);
    expect(Array.from(r.values).filter(Number.isFinite)).toEqual([1, 10]);
  });
  it("clipValues(v) without clip leaves finite values alone and does not mutate its input", () => {
    const v = new Float32Array([1e30, -1e30]);
    const r = clipValues(v);
    expect(r.clipped).toBe(0);
    expect(r.values[0]).toBeCloseTo(1e30, -25);
    expect(v[0]).toBeCloseTo(1e30, -25);
  });
});

describe("issueMessages", () => {
  it("issueMessages(counts) says what was not drawn faithfully", () => {
    const m = issueMessages({nonFinite: 4, clipped: 23, clip: 1000, outside: 1});
    expect(m).toHaveLength(3);
    expect(m[0]).toMatch(/^4 non-finite values .* not plotted$/);
    expect(m[1]).toBe("23 points beyond the clip level ±1000 are drawn at the edge");
    expect(m[2]).toBe("1 point outside the plotted range not shown");
  });
  it("issueMessages({}) is empty when everything was drawn", () => {
    expect(issueMessages({nonFinite: 0, clipped: 0})).toEqual([]);
  });
  it("issueMessages({clipped, clipLog}) on a log axis says 'above' the level, formatted, and keeps '±' on a linear one", () => {
    expect(issueMessages({clipped: 7, clip: 1.48144, clipLog: true})).toEqual(["7 points above 1.48 are drawn at the top edge"]);
    expect(issueMessages({clipped: 1, clip: 1e30})).toEqual(["1 point beyond the clip level ±10³⁰ is drawn at the edge"]);
  });
  it("formatLevel(v) rounds a level to 3 significant digits", () => {
    expect([formatLevel(1.48144), formatLevel(1000), formatLevel(2.5e-7), formatLevel(0)]).toEqual(["1.48", "1000", "2.5×10⁻⁷", "0"]);
  });
  it("issueMessages({nonPositive}) names the log axis", () => {
    expect(issueMessages({nonPositive: 1, axis: "y"})).toEqual(["1 value ≤ 0 not plotted on the log y axis"]);
  });
});

describe("domains", () => {
  it("finiteExtent(arrays) ignores non-finite values (and ≤ 0 on log axes)", () => {
    expect(finiteExtent([[1, NaN, 3], new Float32Array([-2, Infinity])])).toEqual([-2, 3]);
    expect(finiteExtent([[-1, 0, 0.1, 100]], "log")).toEqual([0.1, 100]);
    expect(finiteExtent([[NaN]])).toBeUndefined();
  });
  it("computeDomain(extent) pads and nices a linear domain, keeping 0 at the edge", () => {
    const [lo, hi] = computeDomain([0, 0.93]);
    expect(lo).toBe(0);
    expect(hi).toBeGreaterThanOrEqual(0.93);
    expect(hi).toBeLessThanOrEqual(1.2);
  });
  it("computeDomain(extent) widens a degenerate extent", () => {
    const [lo, hi] = computeDomain([2, 2]);
    expect(lo).toBeLessThan(2);
    expect(hi).toBeGreaterThan(2);
    expect(computeDomain([0, 0])).toEqual([-1, 1]);
  });
  it("computeDomain(extent, 'log') pads in log space and stays positive", () => {
    const [lo, hi] = computeDomain([1e-6, 1e-2], "log");
    expect(lo).toBeGreaterThan(0);
    expect(lo).toBeLessThan(1e-6);
    expect(hi).toBeGreaterThan(1e-2);
  });
  it("computeDomain(undefined) falls back to a unit domain", () => {
    expect(computeDomain(undefined)).toEqual([0, 1]);
    expect(computeDomain(undefined, "log")).toEqual([1, 10]);
  });
  it("symmetricRadius(re, im) covers the largest |part| with padding and a minimum", () => {
    expect(symmetricRadius([[-2, 0.5]], [[1, NaN]], {pad: 0})).toBe(2);
    expect(symmetricRadius([[0.1]], [[0.1]], {min: 1.15})).toBe(1.15);
    expect(symmetricRadius([[]], [[]])).toBe(1);
  });
  it("plottable(v, type) rejects non-finite values and ≤ 0 on log axes", () => {
    expect(plottable(1)).toBe(true);
    expect(plottable(-1)).toBe(true);
    expect(plottable(-1, "log")).toBe(false);
    expect(plottable(NaN)).toBe(false);
  });
});

describe("ticks", () => {
  it("logTicks(domain) labels the powers of ten over many decades, thinned to about count", () => {
    const t = logTicks([1e-8, 1e2], 6);
    const labelled = t.filter((k) => k.label);
    expect(labelled.length).toBeGreaterThanOrEqual(4);
    expect(labelled.length).toBeLessThanOrEqual(7);
    for (const k of labelled) expect(Math.log10(k.value) % 1).toBeCloseTo(0, 9);
    expect(labelled.map((k) => k.label)).toContain("10⁻⁸");
  });
  it("logTicks(domain) adds 2 and 5 within a few decades", () => {
    const values = logTicks([1, 100]).map((k) => k.value);
    expect(values).toEqual(expect.arrayContaining([1, 2, 5, 10, 20, 50, 100]));
  });
  it("logTicks(domain, count) labels 1, 2, 5 within a few decades when they fit, else 1 and 5, else the powers", () => {
    const labels = (count: number) => logTicks([1, 64], count).filter((k) => k.label).map((k) => k.value);
    expect(labels(8)).toEqual([1, 2, 5, 10, 20, 50]);
    expect(labels(4)).toEqual([1, 5, 10, 50]);
    expect(labels(2)).toEqual([1, 10]);
    // Unlabelled 2s and 5s stay as minor ticks; over many decades or in powers style nothing changes.
    expect(logTicks([1, 64], 2).filter((k) => !k.major).map((k) => k.value)).toEqual([2, 5, 20, 50]);
    expect(logTicks([1e-4, 1e-2], 8).filter((k) => k.label).map((k) => k.label)).toEqual(["10⁻⁴", "10⁻³", "10⁻²"]);
  });
  it("logTicks(domain) inside one decade falls back to readable linear ticks", () => {
    const t = logTicks([2, 8]);
    expect(t.filter((k) => k.label).length).toBeGreaterThanOrEqual(2);
    expect(t.every((k) => k.value >= 2 && k.value <= 8)).toBe(true);
  });
  it("logTicks(domain) of a non-positive domain is empty", () => {
    expect(logTicks([0, 10])).toEqual([]);
  });
  it("linearTicks(domain) are d3's nice ticks", () => {
    expect(linearTicks([0, 1], 5).map((k) => k.value)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
  it("formatTick(v) is compact and uses a true minus and superscripts", () => {
    expect(formatTick(0)).toBe("0");
    expect(formatTick(-0.5)).toBe("−0.5");
    expect(formatTick(0.1 + 0.2)).toBe("0.3");
    expect(formatTick(1e-6)).toBe("10⁻⁶");
    expect(formatTick(2.5e7)).toBe("2.5×10⁷");
    expect(formatTick(1500)).toBe("1500");
  });
  it("powerOfTen(k) writes superscript exponents", () => {
    expect(powerOfTen(-12)).toBe("10⁻¹²");
    expect(powerOfTen(3)).toBe("10³");
  });
});

describe("layout and theme", () => {
  it("legendLayout(names, width) wraps items into rows that fit", () => {
    const {items, height} = legendLayout(["alpha", "beta", "gamma", "delta"], 120, 12, 18);
    expect(items[0]).toEqual({x: 0, y: 0});
    expect(items.some((p) => p.y > 0)).toBe(true);
    expect(height).toBeGreaterThan(18);
    expect(legendLayout([], 100, 12, 18).height).toBe(0);
  });
  it("theme(talk) has larger type and thicker lines than the screen theme", () => {
    const a = theme(false), b = theme(true);
    expect(a.fontSize).toBeGreaterThanOrEqual(12);
    expect(a.fontSize).toBeLessThanOrEqual(13);
    expect(b.fontSize).toBeGreaterThanOrEqual(18);
    expect(b.lineWidth).toBeGreaterThan(a.lineWidth);
    expect(b.background).toBe("#ffffff");
  });
});

describe("heatmap and phase helpers", () => {
  it("matrixShape(rows) flattens ragged rows, filling gaps with NaN", () => {
    const m = matrixShape([[1, 2], [3]]);
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(2);
    expect(Array.from(m.values).slice(0, 3)).toEqual([1, 2, 3]);
    expect(Number.isNaN(m.values[3])).toBe(true);
  });
  it("colorDomain(values) is symmetric around 0 for diverging scales, the extent otherwise", () => {
    expect(colorDomain([-1, 3, NaN])).toEqual([-3, 3]);
    expect(colorDomain([-1, 3], {diverging: false})).toEqual([-1, 3]);
    expect(colorDomain([NaN])).toEqual([-1, 1]);
  });
  it("phaseRadius(x1, x2) pads the largest |x| and defaults to 1", () => {
    expect(phaseRadius([0, -2], [1, NaN])).toBeCloseTo(2.3, 12);
    expect(phaseRadius([], [])).toBe(1);
  });
});

describe("label placement", () => {
  const box = (x: number, y: number) => ({x, y, w: 40, h: 12});
  it("placeLabel(candidates, obstacles) takes the first candidate no series passes through", () => {
    const line = densify([0, 50, 200, 50]); // a horizontal series at y = 50
    expect(placeLabel([box(10, 45), box(10, 70), box(10, 10)], line)).toBe(1);
  });
  it("placeLabel avoids labels already placed, and falls back to the least covered candidate", () => {
    expect(placeLabel([box(0, 0), box(100, 0)], [], [box(10, 5)])).toBe(1);
    const dense = densify([0, 0, 200, 0, 200, 100, 0, 100, 0, 0], 2); // a frame around everything
    const i = placeLabel([box(-5, -5), box(80, 40)], dense);
    expect(i).toBe(1);
    expect(placeLabel([], [1, 2])).toBe(-1);
  });
  it("densify(xy) fills straight pieces between sparse samples and breaks at NaN", () => {
    const d = densify([0, 0, 40, 0, NaN, NaN, 100, 0], 4);
    expect(d.length / 2).toBe(12); // 0, 4, …, 40 (11 points), then 100 alone (the NaN breaks the line)
    expect(d.slice(-2)).toEqual([100, 0]);
  });
  it("pointRadius(t, spacing) keeps the theme's radius for sparse dots and shrinks dense ones (talk style too)", () => {
    expect(pointRadius(theme(false), 50)).toBe(theme(false).markerRadius);
    expect(pointRadius(theme(true), 50)).toBe(theme(true).markerRadius);
    expect(pointRadius(theme(true), 9)).toBeCloseTo(0.38 * 9, 12);
    expect(pointRadius(theme(false), 0.5)).toBe(1.2);
  });
});

describe("circleArc", () => {
  it("circleArc(c, r, R) is the whole circle when it fits within R, every point at distance r from c", () => {
    const a = circleArc(0.5, 0, 0.5, 3, 40);
    expect(a.re.length).toBe(41);
    a.re.forEach((x, i) => expect(Math.hypot(x - 0.5, a.im[i])).toBeCloseTo(0.5, 12));
  });
  it("circleArc of a huge circle (Euler's |1 + Δs| < 1 at Δ = 10⁻⁴) keeps only the arc near the view, finely sampled", () => {
    const r = 1e4, a = circleArc(-r, 0, r, 6, 96);
    for (let i = 0; i < a.re.length; i++) {
      expect(Math.hypot(a.re[i] + r, a.im[i]) / r).toBeCloseTo(1, 12);
      expect(Math.hypot(a.re[i], a.im[i])).toBeLessThanOrEqual(6 + 1e-6);
    }
    expect(Math.max(...a.im)).toBeGreaterThan(5.9); // reaches the edge of the view
    expect(circleArc(10, 0, 1, 2).re).toEqual([]); // out of view
  });
});

describe("formatEntry (MatrixTable)", () => {
  it("formatEntry(x) gives 4 significant digits with a true minus, powers of ten outside [1e-4, 1e5)", () => {
    expect([formatEntry(0.90874), formatEntry(-0.8433), formatEntry(0.1), formatEntry(0)]).toEqual(["0.9087", "−0.8433", "0.1", "0"]);
    expect([formatEntry(-1.234e-7), formatEntry(6.7e7), formatEntry(Infinity), formatEntry(NaN)]).toEqual(["−1.23·10⁻⁷", "6.7·10⁷", "∞", "NaN"]);
  });
});

describe("pick (drag a point on a chart)", () => {
  const m = {x0: 50, y0: 20, w: 200, h: 200, xDomain: [-4, 4] as [number, number], yDomain: [-4, 4] as [number, number]};
  it("pointerToData maps the plot box onto the data domain (y up)", () => {
    expect(pointerToData(m, 50, 20)).toEqual([-4, 4]);
    expect(pointerToData(m, 150, 120)).toEqual([0, 0]);
    expect(pointerToData(m, 250, 220)).toEqual([4, -4]);
  });
  it("keyStep moves by step with the arrows (Shift ×10) and ignores other keys", () => {
    expect(keyStep("ArrowRight", false, 1, 2, 0.05)).toEqual([1.05, 2]);
    expect(keyStep("ArrowDown", true, 1, 2, 0.05)).toEqual([1, 1.5]);
    expect(keyStep("Enter", false, 1, 2, 0.05)).toBeNull();
  });
});
