// S4's DPLR kernel (src/kernels/lti/dplr.ts): the decomposition of HiPPO-LegS, C̃, the
// generating function and its Woodbury terms, and the kernel itself, against numpy
// (reference/ref_dplr.py, a port of The Annotated S4) and against the dense kernel of the
// same discretized system (float64 loop, and the contract's float32 ssmKernel).
import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {
  discretize, discretizeCore, dplrCtilde, dplrDecompose, dplrGenerating, dplrHippo, dplrKernel, dplrKernelF64, dplrLambda,
  dplrReconstruct, dplrWeights, fftF64, hippoArrays, skewEigF64, ssmKernel, ssmKernelLoop, type Dplr
} from "../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, loadFixture, maxAbs, printAccuracy, recordAccuracy, useBackend} from "./helpers.js";

interface Decomp { N: number; Lre: number[]; Lim: number[]; absP2: number[]; PB: number[]; PBim: number[] }
interface Cx { re: number[]; im: number[] }
interface Case {
  name: string; N: number; L: number; delta: number; C: number[];
  CtB: number[]; CtBim: number[]; CtP: number[]; CtPim: number[]; Kdense: number[]; Kdplr: number[];
  Khat?: Cx; k00?: Cx; k01?: Cx; k10?: Cx; k11?: Cx;
}
const fx = loadFixture<{decompositions: Decomp[]; cases: Case[]}>("dplr");

/** The dense float64 kernel C Āᵏ B̄ of the same system, Ā, B̄ bilinear. */
function denseF64(sys: Dplr, C: ArrayLike<number>, delta: number, L: number): Float64Array {
  const {Ab, Bb} = discretizeCore(Float64Array.from(sys.real.A.flat()), Float64Array.from(sys.real.B.flat()), sys.N, 1, delta, "bilinear");
  return ssmKernelLoop(Ab, Bb, C, L);
}

/** A seeded C (N) of unit norm on average, as the reference does. */
function randomC(N: number, seed: number): number[] {
  const r = lcg(seed);
  return Array.from({length: N}, () => (2 * r() - 1) * Math.sqrt(3 / N));
}

const systems = new Map<number, Dplr>();
const legs = (N: number) => { let s = systems.get(N); if (!s) { s = dplrHippo(N); systems.set(N, s); } return s; };

/** The grid of the equivalence checks: N × L × Δ. */
const GRID = [4, 16, 64].flatMap((N) => [16, 256, 1024].flatMap((L) => [1 / L, 0.05, 1].map((delta) => ({N, L, delta}))));

/** Measured max |difference| (relative to max |K| for kernels), printed at the end by topic. */
const tables: Record<string, Record<string, string | number>[]> = {};
const record = (topic: string, row: Record<string, string | number>) => (tables[topic] ??= []).push(row);
afterAll(() => { for (const [topic, rows] of Object.entries(tables)) { console.log(topic); console.table(rows); } });

describe("skewEigF64 (float64)", () => {
  it.each([1, 2, 3, 8, 33])("skewEigF64(K) of a random skew-symmetric K, n = %i, gives K V = V diag(iω) with V unitary", (n) => {
    const r = lcg(n);
    const K = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) { const v = 2 * r() - 1; K[i * n + j] = v; K[j * n + i] = -v; }
    const {omega, V} = skewEigF64(K, n);
    let res = 0, orth = 0;
    for (let i = 0; i < n; i++) {
      for (let m = 0; m < n; m++) {
        let sr = 0, si = 0;
        for (let k = 0; k < n; k++) { sr += K[i * n + k] * V.re[k * n + m]; si += K[i * n + k] * V.im[k * n + m]; }
        res = Math.max(res, Math.hypot(sr + omega[m] * V.im[i * n + m], si - omega[m] * V.re[i * n + m]));
        let gr = 0, gi = 0;
        for (let k = 0; k < n; k++) {
          gr += V.re[k * n + i] * V.re[k * n + m] + V.im[k * n + i] * V.im[k * n + m];
          gi += V.re[k * n + i] * V.im[k * n + m] - V.im[k * n + i] * V.re[k * n + m];
        }
        orth = Math.max(orth, Math.hypot(gr - (i === m ? 1 : 0), gi));
      }
    }
    expect(res).toBeLessThan(1e-13 * n);
    expect(orth).toBeLessThan(1e-13 * n);
    for (let m = 1; m < n; m++) expect(omega[m]).toBeGreaterThanOrEqual(omega[m - 1]);
    for (let m = 0; m < n; m++) expect(omega[m] + omega[n - 1 - m]).toBeCloseTo(0, 12); // ±ω pairs
  });
  it("skewEigF64 rejects a wrong size and non-finite entries, naming itself", () => {
    expect(() => skewEigF64(new Float64Array(3), 2)).toThrow(/skewEigF64: K must have n·n = 2·2 entries, got 3/);
    expect(() => skewEigF64(Float64Array.from([0, NaN, 1, 0]), 2)).toThrow(/skewEigF64: K must be finite, but entry 1 is NaN/);
  });
});

describe("fftF64 (float64, any length)", () => {
  it.each([1, 2, 8, 12, 100, 1024])("fftF64 of length %i equals the direct DFT and inverts itself", (n) => {
    const r = lcg(n + 7);
    const re = Array.from({length: n}, () => 2 * r() - 1), im = Array.from({length: n}, () => 2 * r() - 1);
    const X = fftF64(re, im);
    const want = {re: new Float64Array(n), im: new Float64Array(n)};
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < n; j++) {
        const a = (-2 * Math.PI * ((j * k) % n)) / n, c = Math.cos(a), s = Math.sin(a);
        want.re[k] += re[j] * c - im[j] * s;
        want.im[k] += re[j] * s + im[j] * c;
      }
    }
    assertClose(X.re, want.re, {atol: 1e-12 * n, rtol: 0});
    assertClose(X.im, want.im, {atol: 1e-12 * n, rtol: 0});
    const x = fftF64(X.re, X.im, {inverse: true});
    assertClose(x.re, re, {atol: 1e-13 * Math.log2(2 * n) * 4, rtol: 0});
    assertClose(x.im, im, {atol: 1e-13 * Math.log2(2 * n) * 4, rtol: 0});
  });
  it("fftF64 rejects an empty or mismatched input", () => {
    expect(() => fftF64([], [])).toThrow(/fftF64: re must have length ≥ 1/);
    expect(() => fftF64([1, 2], [1])).toThrow(/fftF64: im must have the length of re \(2\), got 1/);
  });
});

describe("dplrHippo: S4's DPLR form of HiPPO-LegS (float64)", () => {
  it.each(fx.decompositions.map((d) => [d.N, d] as const))("dplrHippo(%i) matches numpy's make_DPLR_HiPPO (Λ, |P̃|², P̃*B̃)", (_, d) => {
    const sys = dplrHippo(d.N);
    const scale = Math.max(1, maxAbs(d.Lim));
    assertClose(sys.Lambda.re, d.Lre, {atol: 1e-14, rtol: 0});
    assertClose(sys.Lambda.im, d.Lim, {atol: 1e-13 * scale, rtol: 1e-12, label: "Im Λ: "});
    assertClose(Array.from(sys.P.re, (v, n) => v * v + sys.P.im[n] ** 2), d.absP2, {atol: 1e-11 * d.N, rtol: 1e-10, label: "|P̃|²: "});
    const pb = Array.from(sys.P.re, (v, n) => v * sys.B.re[n] + sys.P.im[n] * sys.B.im[n]);
    const pbIm = Array.from(sys.P.re, (v, n) => v * sys.B.im[n] - sys.P.im[n] * sys.B.re[n]);
    assertClose(pb, d.PB, {atol: 1e-11 * d.N, rtol: 1e-10, label: "Re P̃*B̃: "});
    assertClose(pbIm, d.PBim, {atol: 1e-11 * d.N, rtol: 1e-10, label: "Im P̃*B̃: "});
  });

  it.each([1, 4, 16, 64, 128])("dplrHippo(%i): Λ has real parts −½ and V(Λ − P̃P̃*)V* reconstructs LegS A", (N) => {
    const sys = legs(N);
    expect(Array.from(sys.Lambda.re).every((v) => Math.abs(v + 0.5) < 1e-14)).toBe(true);
    const {A} = hippoArrays("legs", N);
    const R = dplrReconstruct(sys);
    let err = 0, imag = 0;
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) { err = Math.max(err, Math.abs(R.re[i][j] - A[i][j])); imag = Math.max(imag, Math.abs(R.im[i][j])); }
    record("dplrHippo: V(Λ − P̃P̃*)V* against LegS A", {N, "max |Re − A|": err.toExponential(2), "max |Im|": imag.toExponential(2)});
    expect(err).toBeLessThan(1e-14 * N * N + 1e-15);
    expect(imag).toBeLessThan(1e-14 * N * N + 1e-15);
    // Λ comes in conjugate pairs (a real S has a conjugation-symmetric spectrum)
    for (let n = 0; n < N; n++) expect(sys.Lambda.im[n] + sys.Lambda.im[N - 1 - n]).toBeCloseTo(0, 8);
  });

  it("dplrLambda(N) is Λ as plain arrays, complex, unlike LegS A's real eigenvalues −1 … −N", () => {
    const lam = dplrLambda(8);
    expect(lam.re.every((v) => Math.abs(v + 0.5) < 1e-15)).toBe(true);
    expect(lam.im.filter((w) => Math.abs(w) > 0.1).length).toBe(8);
    expect(Array.isArray(lam.im)).toBe(true);
  });

  it("dplrDecompose rejects an A whose normal part is not σI + skew, and bad shapes, naming the argument", () => {
    const {A, B} = hippoArrays("legs", 4);
    expect(() => dplrDecompose(A, B, [1, 1, 1, 1])).toThrow(/dplrDecompose: A \+ P Pᵀ must be σI \+ a skew-symmetric matrix .* at \[\d\]\[\d\]/);
    expect(() => dplrDecompose([[1, 2, 3]], [[1]], [1])).toThrow(/dplrDecompose: A must be square \(N, N\), but got shape \(1,3\)/);
    expect(() => dplrDecompose(A, [[1], [2]], [1, 1, 1, 1])).toThrow(/dplrDecompose: B must have N = 4 entries, got 2/);
    expect(() => dplrDecompose(A, B, [1, NaN, 1, 1])).toThrow(/dplrDecompose: P must be finite, but entry 1 is NaN/);
    expect(() => dplrDecompose([[1, 2], [3]] as number[][], B, [1])).toThrow(/dplrDecompose: A must be a non-empty rectangular array/);
    expect(() => dplrHippo(0)).toThrow(/dplrHippo: N must be an integer in \[1, 1024\], got 0/);
    expect(() => dplrHippo(2.5)).toThrow(/dplrHippo: N must be an integer/);
  });
});

describe("C̃, Cauchy weights and the generating function (float64)", () => {
  it.each(fx.cases.map((c) => [c.name, c] as const))("dplrCtilde and dplrWeights match numpy's C̃ (I − Āᴸ) for %s", (_, c) => {
    const sys = legs(c.N);
    const Ct = dplrCtilde(sys, c.C, c.delta, c.L);
    const w = dplrWeights(sys, Ct);
    const s = Math.max(1e-30, maxAbs(c.CtB), maxAbs(c.CtBim));
    assertClose(w.v00.re, c.CtB, {atol: 1e-11 * s, rtol: 0, label: "Re C̃B̃: "});
    assertClose(w.v00.im, c.CtBim, {atol: 1e-11 * s, rtol: 0, label: "Im C̃B̃: "});
    const sp = Math.max(1e-30, maxAbs(c.CtP), maxAbs(c.CtPim));
    assertClose(w.v01.re, c.CtP, {atol: 1e-11 * sp, rtol: 0, label: "Re C̃P̃: "});
    assertClose(w.v01.im, c.CtPim, {atol: 1e-11 * sp, rtol: 0, label: "Im C̃P̃: "});
  });

  it("dplrGenerating gives numpy's K̂ and the four Cauchy sums k_ab at the roots of unity (N = 4, L = 16)", () => {
    const c = fx.cases.find((x) => x.Khat)!;
    const sys = legs(c.N);
    const G = dplrGenerating(sys, dplrCtilde(sys, c.C, c.delta, c.L), c.delta, c.L);
    const s = maxAbs(c.Khat!.re.concat(c.Khat!.im));
    assertClose(G.Khat.re, c.Khat!.re, {atol: 1e-12 * s, rtol: 0});
    assertClose(G.Khat.im, c.Khat!.im, {atol: 1e-12 * s, rtol: 0});
    for (const k of ["k00", "k01", "k10", "k11"] as const) {
      const want = c[k]!, sk = maxAbs(want.re.concat(want.im));
      assertClose(G[k].re, want.re, {atol: 1e-12 * sk, rtol: 0, label: `${k}.re: `});
      assertClose(G[k].im, want.im, {atol: 1e-12 * sk, rtol: 0, label: `${k}.im: `});
    }
    // g is purely imaginary on the unit circle; the pole z = −1 (j = L/2) is NaN in g and c
    expect(G.g.re.filter((_, j) => j !== c.L / 2).every((v) => v === 0)).toBe(true);
    expect(Number.isNaN(G.g.im[c.L / 2]) && Number.isNaN(G.c.re[c.L / 2])).toBe(true);
    expect([G.omega.re[c.L / 2], G.omega.im[c.L / 2]]).toEqual([-1, 0]);
    // K̂ = diagonal part − Woodbury correction
    assertClose(G.Khat.re, G.diagonal.re.map((v, j) => v - G.correction.re[j]), {atol: 1e-15, rtol: 1e-14});
  });

  it("dplrGenerating's K̂ is the DFT of the dense kernel (N = 16, L = 48, Δ = 0.1)", () => {
    const sys = legs(16), C = randomC(16, 3), L = 48, delta = 0.1;
    const K = denseF64(sys, C, delta, L);
    const G = dplrGenerating(sys, dplrCtilde(sys, C, delta, L), delta, L);
    const X = fftF64(K, new Float64Array(L));
    assertClose(G.Khat.re, X.re, {atol: 1e-13, rtol: 1e-11});
    assertClose(G.Khat.im, X.im, {atol: 1e-13, rtol: 1e-11});
  });
});

describe("dplrKernelF64 = the dense kernel of the same system (float64)", () => {
  it.each(fx.cases.map((c) => [c.name, c] as const))("dplrKernelF64 matches numpy's kernel_DPLR and K_conv for %s", (_, c) => {
    const sys = legs(c.N);
    const K = dplrKernelF64(sys, dplrCtilde(sys, c.C, c.delta, c.L), c.delta, c.L);
    const s = maxAbs(c.Kdense);
    assertClose(K, c.Kdplr, {atol: 1e-12 * s, rtol: 0, label: "vs kernel_DPLR: "});
    assertClose(K, c.Kdense, {atol: 1e-12 * s, rtol: 0, label: "vs K_conv: "});
    assertClose(denseF64(sys, c.C, c.delta, c.L), c.Kdense, {atol: 1e-12 * s, rtol: 0, label: "dense loop vs K_conv: "});
  });

  it.each(GRID.map((g) => [g.N, g.L, +g.delta.toPrecision(3), g] as const))("dplrKernelF64(LegS N = %i) with L = %i, Δ = %f equals C Āᵏ B̄ (float64 loop)", (N, L, _, g) => {
    const sys = legs(N), C = randomC(N, N + L);
    const want = denseF64(sys, C, g.delta, L);
    const K = dplrKernelF64(sys, dplrCtilde(sys, C, g.delta, L), g.delta, L);
    const s = maxAbs(want);
    const r = assertClose(K, want, {atol: 1e-12 * s, rtol: 0});
    record("dplrKernelF64 against the float64 loop C Āᵏ B̄: max |ΔK| / max |K|", {N, L, delta: +g.delta.toPrecision(3), "max |ΔK| / max |K|": (r.maxAbsError / s).toExponential(2)});
  });

  it.each([[5, 15, 0.2], [8, 100, 0.05], [33, 7, 1]])("dplrKernelF64 takes any L: N = %i, L = %i, Δ = %f", (N, L, delta) => {
    const sys = legs(N), C = randomC(N, 11);
    const want = denseF64(sys, C, delta, L);
    assertClose(dplrKernelF64(sys, dplrCtilde(sys, C, delta, L), delta, L), want, {atol: 1e-12 * maxAbs(want), rtol: 0});
  });
});

describe.each(BACKENDS)("dplrKernel (tfjs, float32) on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`dplr/${backend}`));

  it.each(GRID.map((g) => [g.N, g.L, +g.delta.toPrecision(3), g] as const))("dplrKernel(LegS N = %i) with L = %i, Δ = %f equals ssmKernel(discretize(A, B, Δ, \"bilinear\"))", (N, L, _, g) => {
    const sys = legs(N), C = randomC(N, N + L);
    const Ct = dplrCtilde(sys, C, g.delta, L);
    const K = dplrKernel(sys, Ct, g.delta, L);
    expect(K.shape).toEqual([L]);
    const {Ab, Bb} = discretize(sys.real.A, sys.real.B, g.delta, "bilinear");
    const Kd = ssmKernel(Ab, Bb, [C], L);
    const exact = denseF64(sys, C, g.delta, L), s = maxAbs(exact);
    const vsDense = assertClose(K, Kd, {atol: 2e-5 * s, rtol: 0, label: "vs ssmKernel: "});
    const vsExact = assertClose(K, exact, {atol: 2e-6 * s, rtol: 0, label: "vs float64: "});
    const denseErr = assertClose(Kd, exact, {atol: 2e-5 * s, rtol: 0, label: "ssmKernel vs float64: "});
    recordAccuracy(`dplr/${backend}`, backend, `N=${N} L=${L}`, {...vsExact, maxAbsError: vsExact.maxAbsError / s});
    record(`dplrKernel (float32, ${backend}) against ssmKernel (float32) and the float64 loop: max |ΔK| / max |K|`, {N, L, delta: +g.delta.toPrecision(3),
      "dplrKernel − ssmKernel": (vsDense.maxAbsError / s).toExponential(2), "dplrKernel − f64": (vsExact.maxAbsError / s).toExponential(2),
      "ssmKernel − f64": (denseErr.maxAbsError / s).toExponential(2)});
    tf.dispose([K, Ab, Bb, Kd]);
  });

  it("dplrKernel matches numpy's kernel_DPLR on the power-of-two fixtures", () => {
    for (const c of fx.cases.filter((x) => (x.L & (x.L - 1)) === 0)) {
      const sys = legs(c.N);
      const K = dplrKernel(sys, dplrCtilde(sys, c.C, c.delta, c.L), c.delta, c.L);
      assertClose(K, c.Kdplr, {atol: 2e-6 * maxAbs(c.Kdplr), rtol: 0, label: `${c.name}: `});
      K.dispose();
    }
  });

  it("dplrKernel with L = 1 and L = 2 (no mirrored half, or only the pole z = −1)", () => {
    const sys = legs(3), C = [0.3, -0.2, 0.5];
    for (const L of [1, 2]) {
      const K = dplrKernel(sys, dplrCtilde(sys, C, 0.4, L), 0.4, L);
      assertClose(K, denseF64(sys, C, 0.4, L), {atol: 1e-6, rtol: 1e-5});
      K.dispose();
    }
  });

  it("dplrKernel leaks no tensor", () => {
    const sys = legs(16), C = randomC(16, 1);
    const Ct = dplrCtilde(sys, C, 0.1, 256);
    expectNoLeak(() => dplrKernel(sys, Ct, 0.1, 256));
    expectNoLeak(() => dplrKernel(sys, Ct, 0.1, 1));
    const before = tf.memory().numTensors;
    expect(() => dplrKernel(sys, Ct, 0.1, 100)).toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("dplr functions reject bad arguments with the function and argument named", () => {
    const sys = legs(4), C = [1, 0, 0, 0];
    const Ct = dplrCtilde(sys, C, 0.1, 16);
    expect(() => dplrKernel(sys, Ct, 0.1, 100)).toThrow(/dplrKernel: L must be a power of two \(the inverse FFT runs on the backend\), got 100; dplrKernelF64 takes any L/);
    expect(() => dplrKernel(sys, Ct, 0, 16)).toThrow(/dplrKernel: delta must be a finite number > 0, got 0/);
    expect(() => dplrKernel(sys, Ct, 0.1, 0)).toThrow(/dplrKernel: L must be an integer in \[1, \d+\], got 0/);
    expect(() => dplrKernel(sys, {re: [1, 2], im: [0, 0]}, 0.1, 16)).toThrow(/dplrKernel: Ct.re must have N = 4 entries, got 2/);
    expect(() => dplrKernel(sys, [1, 2, 3, 4] as never, 0.1, 16)).toThrow(/dplrKernel: Ct must be \{re, im\} \(complex, N = 4\)/);
    expect(() => dplrKernelF64(null as never, Ct, 0.1, 16)).toThrow(/dplrKernelF64: sys must be a DPLR system from dplrHippo or dplrDecompose/);
    const unstable = {...sys, Lambda: {re: Float64Array.from([-0.5, 0, -0.5, -0.5]), im: sys.Lambda.im}};
    expect(() => dplrKernelF64(unstable, Ct, 0.1, 16)).toThrow(/dplrKernelF64: sys.Lambda must have Re λ < 0 \(a stable normal part\), but entry 1 is 0/);
    expect(() => dplrCtilde(sys, [1, 2], 0.1, 16)).toThrow(/dplrCtilde: C must have N = 4 entries, got 2/);
    expect(() => dplrCtilde(sys, [1, Infinity, 0, 0], 0.1, 16)).toThrow(/dplrCtilde: C must be finite, but entry 1 is Infinity/);
    expect(() => dplrCtilde(sys, C, -1, 16)).toThrow(/dplrCtilde: delta must be a finite number > 0, got -1/);
    expect(() => dplrGenerating(sys, Ct, 0.1, 2.5)).toThrow(/dplrGenerating: L must be an integer/);
    expect(() => dplrWeights(sys, {re: [1, 2, 3, 4], im: [0, 0, NaN, 0]})).toThrow(/dplrWeights: Ct.im must be finite, but entry 2 is NaN/);
  });
});
