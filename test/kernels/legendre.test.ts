import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {hippoArrays, legendreReconstruct, type Measure, hippoReconstruct, hippoStates, hippoStatesF64, laguerreL, legendreP, memoryBasis, reconstructF64, reconstructionError, type MemoryMeasure, eigvalsF64, type Method} from "../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, loadFixture, useBackend} from "./helpers.js";

interface Fx {
  signal: {dt: number; u: number[]; mid: number[]};
  legendre: {N: number; x: number[]; P: number[][]};
  laguerre: {N: number; x: number[]; L: number[][]};
  states: {measure: Measure; N: number; method: Method; rows: number[]; X: number[][]}[];
  reconstruction: {measure: MemoryMeasure; N: number; t: number; rms: number; max: number; count: number; sample: number[]; sampleS: number[]}[];
  forget: {N: number; k: number; state_norm: number; input_norm: number};
  fout: {N: number; t: number; rms: number; max: number; count: number; sample: number[]; sampleS: number[]; state: number[]; projection: number[]}[];
  eigvals: {name: string; A: number[][]; re: number[]; im: number[]}[];
}
const fx = loadFixture<Fx>("hippo");
const {u, dt, mid} = fx.signal;
const T = u.length * dt;
const row = (X: Float64Array, k: number, N: number) => Array.from(X.subarray(k * N, (k + 1) * N));

/** The window's sample times and true values at time t (midpoints, as the reference). */
function windowOf(measure: MemoryMeasure, t: number, theta = 1) {
  const lo = measure === "legt" ? t - theta : measure === "fout" ? t - 2 : -Infinity;
  const idx = mid.map((s, i) => [s, i] as const).filter(([s]) => s <= t && s >= lo);
  return {s: idx.map(([s]) => s), uTrue: idx.map(([, i]) => u[i])};
}

describe("legendreP and laguerreL", () => {
  it("legendreP(N, x) matches scipy.special.eval_legendre for n < 12", () => {
    const P = legendreP(fx.legendre.N, fx.legendre.x);
    assertClose(P, fx.legendre.P, {atol: 1e-12, rtol: 1e-11}); // fixtures keep 12 digits
  });

  it("legendreP has Pₙ(1) = 1, Pₙ(−1) = (−1)ⁿ, P₂ = (3x² − 1)/2, P₃ = (5x³ − 3x)/2", () => {
    const N = 40;
    const P = legendreP(N, [1, -1, 0.37]);
    for (let n = 0; n < N; n++) {
      expect(P[n]).toBeCloseTo(1, 12);
      expect(P[N + n]).toBeCloseTo((-1) ** n, 12);
    }
    const x = 0.37;
    expect(P[2 * N + 2]).toBeCloseTo((3 * x * x - 1) / 2, 14);
    expect(P[2 * N + 3]).toBeCloseTo((5 * x ** 3 - 3 * x) / 2, 14);
  });

  it("legendreP is orthogonal: ∫₋₁¹ Pₘ Pₙ dx = 2/(2n+1) δₘₙ (midpoint rule, 20000 points)", () => {
    const M = 20000, N = 8;
    const xs = Array.from({length: M}, (_, i) => -1 + (2 * (i + 0.5)) / M);
    const P = legendreP(N, xs);
    for (let m = 0; m < N; m++) for (let n = 0; n < N; n++) {
      let s = 0;
      for (let i = 0; i < M; i++) s += P[i * N + m] * P[i * N + n] * (2 / M);
      expect(s).toBeCloseTo(m === n ? 2 / (2 * n + 1) : 0, 5);
    }
  });

  it("laguerreL(N, x) matches scipy.special.eval_genlaguerre(n, 0, x)", () => {
    assertClose(laguerreL(fx.laguerre.N, fx.laguerre.x), fx.laguerre.L, {atol: 1e-12, rtol: 1e-11});
  });

  it("memoryBasis agrees with the contract's legendreReconstruct for legt and legs", () => {
    const c = [0.3, -1.2, 0.5, 0.8, -0.1];
    const t = 2, theta = 0.7, r = [0, 0.2, 0.5, 0.9, 1];
    // legendreReconstruct: legt at u(t − (1 − r)θ), legs at u(r t).
    const legt = reconstructF64("legt", c, t, r.map((ri) => t - (1 - ri) * theta), {theta});
    assertClose(legt, legendreReconstruct("legt", c, r), {atol: 1e-12, rtol: 1e-12});
    const legs = reconstructF64("legs", c, t, r.map((ri) => ri * t));
    assertClose(legs, legendreReconstruct("legs", c, r), {atol: 1e-12, rtol: 1e-12});
  });

  it("memoryBasis is NaN outside the window (LegT before t − θ, any measure after t)", () => {
    const G = memoryBasis("legt", 3, 2, [0.5, 1.5, 2.5], {theta: 1});
    expect(Number.isNaN(G[0]) && Number.isNaN(G[6])).toBe(true);
    expect(Number.isFinite(G[3])).toBe(true);
  });
});

describe("hippoStatesF64 (float64)", () => {
  it.each(fx.states.map((c) => [`${c.measure} N=${c.N} ${c.method}`, c] as const))("matches the scipy reference for %s", (_, c) => {
    const X = hippoStatesF64(c.measure, c.N, u, dt, {method: c.method});
    c.rows.forEach((k, i) => assertClose(row(X, k, c.N), c.X[i], {atol: 1e-10, rtol: 1e-9, label: `row ${k}: `}));
  });

  it("LegS does not depend on Δ (scale invariance: A/t, B/t in units of steps)", () => {
    const a = hippoStatesF64("legs", 12, u, 0.005), b = hippoStatesF64("legs", 12, u, 3.7);
    assertClose(a, b, {atol: 0, rtol: 0});
  });

  it("bilinear and ZOH LegT states agree to O(Δ²) and converge as Δ halves", () => {
    const f = (s: number) => Math.sin(2 * Math.PI * 0.6 * s);
    const gap = (h: number) => {
      const l = Math.round(2 / h);
      const us = Array.from({length: l}, (_, k) => f((k + 0.5) * h));
      const a = hippoStatesF64("legt", 8, us, h, {method: "bilinear"}), z = hippoStatesF64("legt", 8, us, h, {method: "zoh"});
      return Math.max(...row(a, l - 1, 8).map((v, i) => Math.abs(v - row(z, l - 1, 8)[i])));
    };
    const g1 = gap(0.01), g2 = gap(0.005);
    expect(g1).toBeLessThan(1e-2);
    expect(g1 / g2).toBeGreaterThan(3); // second order: ratio ≈ 4
  });
});

describe("FouT: reconstruction from its cos/sin basis on the window [t − 2, t]", () => {
  it.each(fx.fout.map((c) => [c.N, c] as const))("reconstructF64(\"fout\", c) with N = %i matches the numpy reference", (_, c) => {
    const X = hippoStatesF64("fout", c.N, u, dt);
    const x = row(X, u.length - 1, c.N);
    assertClose(x.slice(0, 8), c.state, {atol: 1e-9, rtol: 1e-8});
    const {s, uTrue} = windowOf("fout", c.t);
    const e = reconstructionError("fout", x, c.t, s, uTrue);
    expect(e.count).toBe(c.count);
    expect(e.rms).toBeCloseTo(c.rms, 8);
    expect(Math.abs(e.max - c.max)).toBeLessThan(1e-8 * Math.max(1, c.max));
    assertClose(reconstructF64("fout", x, c.t, c.sampleS), c.sample, {atol: 1e-8, rtol: 1e-8});
  });

  it("the FouT state approaches the exact Fourier projection of the window as N grows", () => {
    const gaps = fx.fout.map((c) => Math.max(...c.state.map((v, i) => Math.abs(v - c.projection[i]))));
    for (let i = 2; i < gaps.length; i++) expect(gaps[i]).toBeLessThan(gaps[i - 1]);
    expect(gaps[gaps.length - 1]).toBeLessThan(0.02);
    const rms = fx.fout.map((c) => c.rms);
    for (let i = 1; i < rms.length; i++) expect(rms[i]).toBeLessThan(rms[i - 1]);
  });

  it("memoryBasis(\"fout\") is 1, √2 cos πkτ, √2 sin πkτ in state order and NaN outside [t − 2, t]", () => {
    const t = 3, tau = 0.3, G = memoryBasis("fout", 6, t, [t - tau, t - 2.5, t + 0.1]);
    const want = [1, 0, Math.SQRT2 * Math.cos(Math.PI * tau), Math.SQRT2 * Math.sin(Math.PI * tau), Math.SQRT2 * Math.cos(2 * Math.PI * tau), Math.SQRT2 * Math.sin(2 * Math.PI * tau)];
    assertClose(Array.from(G.subarray(0, 6)), want, {atol: 1e-15, rtol: 1e-14});
    expect(Array.from(G.subarray(6)).every(Number.isNaN)).toBe(true);
  });

  it("the FouT basis is orthonormal for the uniform probability measure on [0, 2] (midpoint rule)", () => {
    const M = 4000, N = 10, t = 2;
    const s = Array.from({length: M}, (_, i) => (2 * (i + 0.5)) / M);
    const G = memoryBasis("fout", N, t, s);
    for (let m = 0; m < N; m++) for (let n = 0; n < N; n++) {
      if (m === 1 || n === 1) continue; // s₀ ≡ 0
      let acc = 0;
      for (let i = 0; i < M; i++) acc += G[i * N + m] * G[i * N + n] / M;
      expect(acc).toBeCloseTo(m === n ? 1 : 0, 5);
    }
  });
});

describe("reconstruction from the state", () => {
  it.each(fx.reconstruction.map((c) => [`${c.measure} N=${c.N}`, c] as const))("errors match the reference for %s", (_, c) => {
    const X = hippoStatesF64(c.measure, c.N, u, dt);
    const x = row(X, u.length - 1, c.N);
    const {s, uTrue} = windowOf(c.measure, c.t);
    const e = reconstructionError(c.measure, x, c.t, s, uTrue);
    expect(e.count).toBe(c.count);
    expect(e.rms).toBeCloseTo(c.rms, 8);
    expect(Math.abs(e.max - c.max)).toBeLessThan(1e-8 * Math.max(1, c.max));
    assertClose(reconstructF64(c.measure, x, c.t, c.sampleS), c.sample, {atol: 1e-8, rtol: 1e-8});
  });

  it("the error decreases as N grows for a smooth input (LegT to the discretization floor, LegS to N = 32)", () => {
    const rms = (m: MemoryMeasure, N: number) => {
      const X = hippoStatesF64(m, N, u, dt);
      const {s, uTrue} = windowOf(m, T);
      return reconstructionError(m, row(X, u.length - 1, N), T, s, uTrue).rms;
    };
    const legt = [2, 4, 8, 16].map((N) => rms("legt", N));
    const legs = [2, 4, 8, 16, 32].map((N) => rms("legs", N));
    for (let i = 1; i < legt.length; i++) expect(legt[i]).toBeLessThan(legt[i - 1]);
    for (let i = 1; i < legs.length; i++) expect(legs[i]).toBeLessThan(legs[i - 1]);
    expect(legt[3]).toBeLessThan(1e-3);
    expect(legs[4]).toBeLessThan(legs[0] / 50);
    console.log(`reconstruction rms at t = ${T}: legt N=2,4,8,16: ${legt.map((e) => e.toExponential(2)).join(", ")}; legs N=2..32: ${legs.map((e) => e.toExponential(2)).join(", ")}`);
  });

  it("LegT forgets what left the window: input stops at t = 1, at t = 2.5 (θ = 1) the state is ~0", () => {
    const ub = mid.map((s) => (s < 1 ? Math.sin(2 * Math.PI * s) : 0));
    const X = hippoStatesF64("legt", fx.forget.N, ub, dt);
    const norm = (k: number) => Math.hypot(...row(X, k, fx.forget.N));
    expect(norm(199)).toBeCloseTo(fx.forget.input_norm, 8);
    expect(norm(fx.forget.k)).toBeCloseTo(fx.forget.state_norm, 8);
    expect(norm(fx.forget.k)).toBeLessThan(1e-3 * norm(199));
    const t = (fx.forget.k + 1) * dt;
    const rec = reconstructF64("legt", row(X, fx.forget.k, fx.forget.N), t, [t - 0.9, t - 0.5, t - 0.1]);
    for (const v of rec) expect(Math.abs(v)).toBeLessThan(1e-3);
    // LegS never forgets: at the same time it still holds the bump at s ∈ [0, 1].
    const Xs = hippoStatesF64("legs", 32, ub, dt);
    const recS = reconstructF64("legs", row(Xs, fx.forget.k, 32), t, [0.25, 0.75]);
    expect(recS[0]).toBeGreaterThan(0.7);
    expect(recS[1]).toBeLessThan(-0.7);
  });
});

describe("eigvalsF64", () => {
  const sortPairs = (re: number[], im: number[]) => re.map((r, i) => [r, im[i]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  it.each(fx.eigvals.map((c) => [`${c.name} n=${c.A.length}`, c] as const))("matches numpy.linalg.eigvals for %s", (_, c) => {
    const {re, im} = eigvalsF64(c.A);
    const got = sortPairs(re, im), want = c.re.map((r, i) => [r, c.im[i]]);
    // Each reference eigenvalue has a computed one nearby (order-free matching).
    const scale = Math.max(1, ...want.map(([a, b]) => Math.hypot(a, b)));
    // LegT is far from normal: its spectrum is ill-conditioned (numpy's eigenvalues of A and
    // Aᵀ differ by ~1e-7 at n = 16 and by ~18 at n = 64), so n = 64 is checked through the
    // trace below, not entry by entry.
    if (c.A.length > 32) {
      const trace = c.A.reduce((s, r, i) => s + r[i], 0);
      expect(re.reduce((a, b) => a + b, 0)).toBeCloseTo(trace, 6);
      expect(Math.abs(im.reduce((a, b) => a + b, 0))).toBeLessThan(1e-6);
      return;
    }
    const tol = (c.name === "legt" ? 1e-6 : 1e-9) * scale;
    const used = new Set<number>();
    for (const [wr, wi] of want) {
      let best = -1, bd = Infinity;
      got.forEach(([gr, gi], j) => { const d = Math.hypot(gr - wr, gi - wi); if (!used.has(j) && d < bd) { bd = d; best = j; } });
      used.add(best);
      expect(bd).toBeLessThan(tol);
    }
  });

  it("LegS and LagT spectra are their diagonals (−1 … −N and −1/2)", () => {
    const {re, im} = eigvalsF64(hippoArrays("legs", 10).A);
    // LegS is non-normal too (eigenvalue condition numbers grow with N): 1e-7 at N = 10.
    assertClose(re.slice().sort((a, b) => b - a), Array.from({length: 10}, (_, i) => -(i + 1)), {atol: 1e-7, rtol: 0});
    assertClose(im, new Array(10).fill(0), {atol: 1e-7, rtol: 0});
  });

  it("eigvalsF64 rejects non-square and non-finite input with a message naming it", () => {
    expect(() => eigvalsF64([[1, 2]])).toThrow("eigvalsF64: A must be a non-empty square array");
    expect(() => eigvalsF64([[1, NaN], [0, 1]])).toThrow("eigvalsF64: A must be finite, but entry [0][1] is NaN");
  });
});

describe.each(BACKENDS)("tensor kernels on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => useBackend("cpu"));

  it.each([["legt", 16], ["legs", 16], ["lagt", 8], ["fout", 8]] as const)("hippoStates(%s, N=%i) equals the float64 loop (legt/lagt/fout through ssmStates)", (m, N) => {
    const X = hippoStates(m, N, u, dt);
    expect(X.shape).toEqual([u.length, N]);
    const ref = hippoStatesF64(m, N, u, dt);
    assertClose(X, ref, {atol: 2e-4, rtol: 2e-4});
    X.dispose();
  });

  it("hippoReconstruct (basis × state, one or many states) equals reconstructF64", () => {
    const N = 12, X = hippoStatesF64("legt", N, u, dt);
    const s = [T - 0.9, T - 0.5, T - 0.05];
    const one = hippoReconstruct("legt", row(X, u.length - 1, N), T, s);
    assertClose(one, reconstructF64("legt", row(X, u.length - 1, N), T, s), {atol: 1e-5, rtol: 1e-5});
    const many = hippoReconstruct("legt", [row(X, 10, N), row(X, u.length - 1, N)], T, s);
    expect(many.shape).toEqual([2, 3]);
    tf.dispose([one, many]);
  });

  it("hippoStates and hippoReconstruct leave no tensors behind", () => {
    expectNoLeak(() => hippoStates("legt", 8, u.slice(0, 50), dt));
    expectNoLeak(() => hippoStates("legs", 8, u.slice(0, 50), dt));
    expectNoLeak(() => hippoReconstruct("legs", [1, 2, 3], 1, [0.2, 0.5]));
  });

  it("bad arguments get a message naming the function and the argument, and leak nothing", () => {
    const before = tf.memory().numTensors;
    expect(() => hippoStates("legs", 0, u, dt)).toThrow("hippoStates: N must be an integer in [1, 4096], got 0");
    expect(() => hippoStates("fout", 5, u, dt)).toThrow('hippoStates: N must be even for "fout" (cos/sin pairs), got 5');
    expect(() => hippoStates("legt", 4, u, 0)).toThrow("hippoStates: delta must be a finite number > 0, got 0");
    expect(() => hippoStates("legt", 4, [1, NaN], 0.1)).toThrow("hippoStates: u must be finite, but entry 1 is NaN");
    expect(() => hippoStates("legt", 4, [], 0.1)).toThrow("hippoStates: u must be an array of length l ≥ 1");
    expect(() => hippoStates("legs", 4, u, dt, {method: "zoh"})).toThrow('hippoStates: method for "legs" must be');
    expect(() => hippoStates("legt", 4, u, dt, {theta: -1})).toThrow("hippoStates: theta must be a finite number > 0, got -1");
    expect(() => memoryBasis("fourier" as MemoryMeasure, 4, 1, [0])).toThrow('memoryBasis: measure must be one of "legt", "legs", "lagt", "fout"');
    expect(() => memoryBasis("legs", 4, 0, [0])).toThrow("memoryBasis: t must be a finite number > 0, got 0");
    expect(() => legendreP(3, [0, Infinity])).toThrow("legendreP: x must be finite, but entry 1 is Infinity");
    expect(() => hippoReconstruct("legt", [[[1]]], 1, [0.5])).toThrow("hippoReconstruct: c must be a state (N) or states (l, N), but got rank 3");
    expect(tf.memory().numTensors).toBe(before);
  });
});
