import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";
import {continuousResponseF64, pickedEigenvalue, snapTo, EIG_RANGES, classify2, continuousNotices, continuousResponse, continuousView, holdError, matrixFromEigen, spectralAbscissa2, STEPS} from "../../src/lessons/continuous.js";
import {eig2} from "../../src/kernels/index.js";
import {sampleSignal} from "../../src/lessons/signals.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
  await tf.ready();
});

describe("eig2 and matrixFromEigen", () => {
  it("eig2 gives a conjugate pair for a rotation-scaling matrix", () => {
    const {re, im} = eig2([[-0.5, 2], [-2, -0.5]]);
    expect(re).toEqual([-0.5, -0.5]);
    expect(im[0]).toBeCloseTo(2, 12);
    expect(im[1]).toBeCloseTo(-2, 12);
  });
  it("matrixFromEigen(σ, ω) has eigenvalues σ ± iω", () => {
    const {re, im} = eig2(matrixFromEigen(-0.3, 1.7));
    expect(re[0]).toBeCloseTo(-0.3, 12);
    expect(Math.abs(im[0])).toBeCloseTo(1.7, 12);
  });
  it("matrixFromEigen(σ, 0, σ₂) has the two real eigenvalues σ and σ₂", () => {
    const {re, im} = eig2(matrixFromEigen(-0.2, 0, -1.5));
    expect([...re].sort((a, b) => a - b)).toEqual([-1.5, -0.2].map((v) => expect.closeTo(v, 12)));
    expect(im).toEqual([0, 0]);
  });
  it("classify2 names the portrait from the eigenvalues", () => {
    expect(classify2([[-1, 2], [-2, -1]])).toBe("stable spiral");
    expect(classify2([[0.1, 2], [-2, 0.1]])).toBe("unstable spiral");
    expect(classify2([[0, 1], [-1, 0]])).toBe("center");
    expect(classify2([[-1, 0], [0, -2]])).toBe("stable node");
    expect(classify2([[1, 0], [0, 2]])).toBe("unstable node");
    expect(classify2([[1, 0], [0, -2]])).toBe("saddle");
    expect(classify2([[0, 1], [0, 0]])).toBe("degenerate (an eigenvalue is 0)");
    expect(spectralAbscissa2([[1, 0], [0, -2]])).toBe(1);
  });
});

describe("continuousResponse (exact solution for a held input)", () => {
  it("continuousResponse matches the closed form of a scalar decay under a step", async () => {
    // x' = −a x + b u, u = 1: x(t) = x0 e^{−at} + (b/a)(1 − e^{−at}); y = c x + d u.
    const a = 0.7, b = 1.3, c = 2, d = 0.5, x0 = 0.4, h = 0.01, l = 500;
    const before = tf.memory().numTensors;
    const r = await continuousResponse([[-a]], [[b]], [[c]], d, [x0], sampleSignal("step", l, h), h);
    expect(tf.memory().numTensors).toBe(before);
    let err = 0;
    for (let k = 0; k <= l; k++) {
      const t = k * h, x = x0 * Math.exp(-a * t) + (b / a) * (1 - Math.exp(-a * t));
      err = Math.max(err, Math.abs(r.x[k] - x), Math.abs(r.y[k] - (c * x + d)));
    }
    expect(err).toBeLessThan(2e-5);
  });
  it("continuousResponse rotates the initial state of x' = [[0, ω], [−ω, 0]] x exactly", async () => {
    const w = 2, h = 0.02, l = 1000;
    const r = await continuousResponse([[0, w], [-w, 0]], [[0], [0]], [[1, 0]], 0, [1, 0], new Float32Array(l), h);
    let err = 0;
    for (let k = 0; k <= l; k++) {
      const t = k * h;
      err = Math.max(err, Math.abs(r.x[2 * k] - Math.cos(w * t)), Math.abs(r.x[2 * k + 1] + Math.sin(w * t)));
    }
    expect(err).toBeLessThan(1e-4);
    expect(r.t[l]).toBeCloseTo(l * h, 12);
  });
  it("continuousResponse's impulse response approaches C e^{At} B as h shrinks", async () => {
    // A = [[-1, 0], [0, -3]], B = [1, 1]ᵀ, C = [1, 1]: impulse response e^{−t} + e^{−3t}.
    const run = async (h: number) => {
      const l = Math.round(2 / h);
      const r = await continuousResponse([[-1, 0], [0, -3]], [[1], [1]], [[1, 1]], 0, [0, 0], sampleSignal("impulse", l, h), h);
      return Math.abs(r.y[l] - (Math.exp(-2) + Math.exp(-6)));
    };
    const e1 = await run(0.02), e2 = await run(0.01);
    expect(e2).toBeLessThan(e1);
    expect(e1 / e2).toBeGreaterThan(1.8); // first order in the pulse width
  });
  it("continuousResponse rejects a bad step, initial state or feed-through", async () => {
    const u = new Float32Array(4);
    await expect(continuousResponse([[-1]], [[1]], [[1]], 0, [0], u, 0)).rejects.toThrow(/continuousResponse: h must be/);
    await expect(continuousResponse([[-1]], [[1]], [[1]], 0, [0, 1], u, 0.1)).rejects.toThrow(/x0 must have length/);
    await expect(continuousResponse([[-1]], [[1]], [[1]], NaN, [0], u, 0.1)).rejects.toThrow(/D must be finite/);
    await expect(continuousResponse([[NaN]], [[1]], [[1]], 0, [0], u, 0.1)).rejects.toThrow(/discretize/);
  });
});

describe("continuousView (what page 1 draws)", () => {
  const base = {mode: "eig" as const, sigma: -0.25, omega: 2, sigma2: -1, a11: 0, a12: 0, a21: 0, a22: 0,
    b1: 0, b2: 1, c1: 1, c2: 0, D: 0, x01: 0, x02: 0, input: "impulse", freq: 0.2, seed: 7, T: 20};
  const series = {co2: {values: [1, 2, 3, 2, 1]}};
  it("continuousView(params) solves the default system: a stable spiral, finite, no notice", async () => {
    const v = await continuousView(base, series);
    expect(v.portrait).toBe("stable spiral");
    expect(v.x1.length).toBe(STEPS + 1);
    expect(Number.isFinite(v.maxAbs)).toBe(true);
    expect(continuousNotices(v)).toEqual([]);
  });
  it("continuousView(params) with a real series reads its values; holdError is finite and small", async () => {
    const v = await continuousView({...base, input: "co2"}, series);
    expect(v.u[0]).toBeCloseTo(-1, 1); // scaled to [−1, 1], starting low
    const e = await holdError({...base, input: "co2"}, series, v);
    expect(e).toBeGreaterThan(0);
    expect(e).toBeLessThan(1e-2);
  });
  it("continuousNotices warns for an unstable A and reports an overflow as an error", async () => {
    const unstable = await continuousView({...base, sigma: 0.5}, series);
    expect(continuousNotices(unstable).map((n) => n.level)).toEqual(["warn"]);
    const blown = await continuousView({...base, mode: "entries", a11: 4, a12: 4, a21: 4, a22: 4, T: 60}, series);
    const notes = continuousNotices(blown);
    expect(notes.map((n) => n.level)).toContain("error");
    expect(Number.isNaN(await holdError({...base, mode: "entries", a11: 4, a12: 4, a21: 4, a22: 4, T: 60}, series, blown))).toBe(true);
  });
});

describe("pickedEigenvalue (the s-plane drag)", () => {
  const p = {sigma: -0.25, omega: 2, sigma2: -1};
  it("pickedEigenvalue(p, re, im) sets σ and ω = |im|, snapped to the sliders' steps and clamped to their ranges", () => {
    expect(pickedEigenvalue(p, -0.5034, 1.26)).toEqual({sigma: -0.5, omega: 1.25});
    expect(pickedEigenvalue(p, -0.5, -1.26)).toEqual({sigma: -0.5, omega: 1.25}); // the lower member of the pair
    expect(pickedEigenvalue(p, -9, 99)).toEqual({sigma: -2, omega: 6});
    expect(pickedEigenvalue(p, 5, 0)).toEqual({sigma: 1, omega: 0});
  });
  it("pickedEigenvalue on the real axis moves the nearer of the two real eigenvalues", () => {
    const real = {sigma: -0.25, omega: 0, sigma2: -1};
    expect(pickedEigenvalue(real, -1.2, 0.01)).toEqual({sigma2: -1.2});
    expect(pickedEigenvalue(real, -0.1, 0)).toEqual({sigma: -0.1, omega: 0});
    expect(snapTo(EIG_RANGES.sigma, 0.123456)).toBe(0.12);
  });
});

describe("continuousResponseF64 (the page's plain-JS path)", () => {
  it("continuousResponseF64 equals continuousResponse (tfjs) on a spiral with an input and an initial state", async () => {
    const A = [[-0.25, 2], [-2, -0.25]], B = [[0], [1]], C = [[1, 0.5]], h = 0.02;
    const u = sampleSignal("noise", 1000, h, {seed: 3});
    const a = await continuousResponse(A, B, C, 0.3, [0.5, -1], u, h);
    const b = continuousResponseF64(A, B, C, 0.3, [0.5, -1], u, h);
    let dx = 0, dy = 0;
    for (let i = 0; i < a.x.length; i++) dx = Math.max(dx, Math.abs(a.x[i] - b.x[i]));
    for (let k = 0; k < a.y.length; k++) dy = Math.max(dy, Math.abs(a.y[k] - b.y[k]));
    expect(dx).toBeLessThan(1e-4);
    expect(dy).toBeLessThan(1e-4);
    expect(Array.from(b.t.subarray(0, 3))).toEqual([0, 0.02, 0.04]);
    for (let i = 0; i < 4; i++) expect(b.Ab[i]).toBeCloseTo(a.Ab[i], 6);
    expect(() => continuousResponseF64(A, B, C, 0, [0], u, h)).toThrow(/continuousResponseF64: x0 must have length n = 2/);
  });
});
