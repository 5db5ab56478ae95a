import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {causalConv, discretize, ssmKernel, ssmRecurrent, s4dDiscretize, s4dInit, s4dKernel, s4dRealSystem, S4D_INITS, DIRECT_MAX_L} from "../../src/kernels/index.js";
import {channelDeltas, convolutionView, convolveChannels, kernelLength, recurrentView, TOEPLITZ_MAX_L, viewKernels, viewSystem, VIEW_INITS} from "../../src/lessons/views.js";
import {BACKENDS, assertClose, expectNoLeak, loadFixture, maxAbs, printAccuracy, recordAccuracy, useBackend} from "./helpers.js";

interface Case {
  name: string; init: string; N: number; conj: boolean; L: number;
  Are: number[]; Aim: number[]; Bre: number[]; Bim: number[]; Cre: number[][]; Cim: number[][]; delta: number[];
  AbRe: number[][]; AbIm: number[][]; BbRe: number[][]; BbIm: number[][]; K: number[][]; u: number[]; y: number[][];
}
const fx = loadFixture<{inits: {init: "lin" | "inv" | "real"; N: number; Are: number[]; Aim: number[]; conj: boolean}[]; cases: Case[]}>("views");
const A = (c: Case) => ({re: c.Are, im: c.Aim});
const B = (c: Case) => ({re: c.Bre, im: c.Bim});
const C = (c: Case) => ({re: c.Cre, im: c.Cim});

describe("s4dInit (plain numbers)", () => {
  it.each(fx.inits.map((i) => [`${i.init} N=${i.N}`, i] as const))("s4dInit matches numpy for %s", (_, i) => {
    const m = s4dInit(i.init, i.N);
    expect(m.conj).toBe(i.conj);
    assertClose(m.A.re, i.Are, {atol: 1e-12, rtol: 1e-8});
    assertClose(m.A.im, i.Aim, {atol: 1e-12, rtol: 1e-8});
    expect(Array.from(m.B.re)).toEqual(new Array(m.A.re.length).fill(1));
  });
  it("s4dInit documents its formulas: Lin −½ + iπn, Inv −½ + i(N/π)(N/(2n+1) − 1), Real −(n+1)", () => {
    expect(s4dInit("lin", 4).A.im[1]).toBeCloseTo(Math.PI, 12);
    expect(s4dInit("inv", 4).A.im[0]).toBeCloseTo((4 / Math.PI) * 3, 12);
    expect(Array.from(s4dInit("real", 3).A.re)).toEqual([-1, -2, -3]);
  });
  it("s4dInit rejects odd N for pairs and unknown names, naming the argument", () => {
    expect(() => s4dInit("lin", 7)).toThrow(/s4dInit: N must be even/);
    expect(() => s4dInit("legs" as never, 8)).toThrow(/s4dInit: init must be one of/);
    expect(() => s4dInit("real", 0)).toThrow(/s4dInit: N must be an integer/);
  });
});

describe.each(BACKENDS)("S4D kernels on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`s4d/${backend}`));

  it.each(fx.cases.map((c) => [c.name, c] as const))("s4dDiscretize matches numpy's complex ZOH for %s", (_, c) => {
    const {Ab, Bb} = s4dDiscretize(A(c), B(c), c.delta);
    expect(Ab.re.shape).toEqual([3, c.Are.length]);
    recordAccuracy(`s4d/${backend}`, backend, `Ab ${c.name}`, assertClose(Ab.re, c.AbRe, {atol: 2e-6, rtol: 1e-5}));
    assertClose(Ab.im, c.AbIm, {atol: 2e-6, rtol: 1e-5});
    // B̄ ≈ ΔB for small Δ: relative accuracy matters, so tolerances scale with Δ.
    const scale = maxAbs(c.BbRe.flat().concat(c.BbIm.flat()));
    recordAccuracy(`s4d/${backend}`, backend, `Bb ${c.name}`, assertClose(Bb.re, c.BbRe, {atol: 1e-6 * scale, rtol: 1e-4}));
    assertClose(Bb.im, c.BbIm, {atol: 1e-6 * scale, rtol: 1e-4});
    tf.dispose([Ab.re, Ab.im, Bb.re, Bb.im]);
  });

  it.each(fx.cases.map((c) => [c.name, c] as const))("s4dKernel (Vandermonde) matches numpy's complex128 kernel for %s", (_, c) => {
    const K = s4dKernel(A(c), B(c), C(c), c.delta, c.L, {conj: c.conj});
    expect(K.shape).toEqual([3, c.L]);
    const rows = K.arraySync();
    rows.forEach((row, h) => {
      const tol = 3e-5 * Math.max(1e-30, maxAbs(c.K[h]));
      recordAccuracy(`s4d/${backend}`, backend, `K ${c.name} h=${h}`, assertClose(row, c.K[h], {atol: tol, rtol: 1e-4, label: `${c.name} Δ=${c.delta[h]}: `}));
    });
    K.dispose();
  });

  it.each(fx.cases.map((c) => [c.name, c] as const))("causalConv(u, s4dKernel) matches np.convolve for %s", (_, c) => {
    const K = s4dKernel(A(c), B(c), C(c), c.delta, c.L, {conj: c.conj});
    K.unstack().forEach((Kh, h) => {
      const y = causalConv(c.u, Kh);
      const tol = 1e-5 * Math.max(1e-30, maxAbs(c.y[h]));
      recordAccuracy(`s4d/${backend}`, backend, `y ${c.name} h=${h}`, assertClose(y, c.y[h], {atol: tol, rtol: 1e-3}));
      tf.dispose([y, Kh]);
    });
    K.dispose();
  });

  // The S4D kernel from its Vandermonde form equals the dense kernel C Āᵏ B̄ of the real system.
  it.each(fx.cases.map((c) => [c.name, c] as const))("s4dKernel equals ssmKernel(discretize(real block system)) for %s", (_, c) => {
    const modes = {A: {re: Float64Array.from(c.Are), im: Float64Array.from(c.Aim)}, B: {re: Float64Array.from(c.Bre), im: Float64Array.from(c.Bim)}, conj: c.conj};
    const Cs = c.Cre.map((re, h) => ({re, im: c.Cim[h]}));
    const real = s4dRealSystem(modes, Cs);
    const K = s4dKernel(A(c), B(c), C(c), c.delta, c.L, {conj: c.conj});
    const rows = K.arraySync();
    c.delta.forEach((d, h) => {
      const {Ab, Bb} = discretize(real.A, real.B, d);
      const Kd = ssmKernel(Ab, Bb, real.C[h], c.L);
      const tol = 5e-5 * Math.max(1e-30, maxAbs(rows[h]));
      recordAccuracy(`s4d/${backend}`, backend, `dense ${c.name} h=${h}`, assertClose(rows[h], Kd, {atol: tol, rtol: 1e-3}));
      tf.dispose([Ab, Bb, Kd]);
    });
    K.dispose();
  });

  // Recurrence = convolution for every initialisation of the page, every channel.
  for (const init of VIEW_INITS) {
    for (const [N, L] of [[8, 512], [32, 1024]] as const) {
      it(`recurrence (ssmRecurrent) = convolution (causalConv with the page's kernel) for ${init}, N = ${N}, L = ${L}`, () => {
        const H = 3;
        const sys = viewSystem(init, N, H, 5);
        const deltas = channelDeltas(0.01, 2, H);
        const u = Float32Array.from({length: L}, (_, k) => Math.sin(0.05 * k) + (k % 17 === 0 ? 1 : 0));
        let Ks: tf.Tensor1D[];
        if (sys.modes) {
          const K = s4dKernel(sys.modes.A, sys.modes.B, {re: sys.Cmodes!.map((c) => Array.from(c.re)), im: sys.Cmodes!.map((c) => Array.from(c.im))}, deltas, L, {conj: sys.modes.conj});
          Ks = K.unstack() as tf.Tensor1D[];
          K.dispose();
        } else {
          Ks = deltas.map((d, h) => tf.tidy(() => { const {Ab, Bb} = discretize(sys.dense.A, sys.dense.B, d); return ssmKernel(Ab, Bb, sys.dense.C[h], L); }));
        }
        deltas.forEach((d, h) => {
          const {Ab, Bb} = discretize(sys.dense.A, sys.dense.B, d);
          const yRec = ssmRecurrent(Ab, Bb, sys.dense.C[h], u);
          const yConv = causalConv(u, Ks[h]);
          const scale = Math.max(maxAbs(yConv.dataSync()), 1e-30);
          const r = assertClose(yRec, yConv, {atol: 2e-4 * scale, rtol: 0, label: `${init} Δ=${d.toPrecision(2)}: `});
          recordAccuracy(`s4d/${backend}`, backend, `rec=conv ${init} N=${N} h=${h}`, {...r, maxAbsError: r.maxAbsError / scale});
          tf.dispose([Ab, Bb, yRec, yConv]);
        });
        tf.dispose(Ks);
      });
    }
  }

  it.each(VIEW_INITS.map((i) => [i]))("the page's recurrentView equals convolutionView for %s (and neither leaks)", (init) => {
    const sys = viewSystem(init, 16, 3, 2), deltas = channelDeltas(0.02, 1.5, 3);
    const u = Float32Array.from({length: 700}, (_, k) => Math.cos(0.03 * k));
    expectNoLeak(() => recurrentView(sys, deltas, u));
    expectNoLeak(() => { const r = convolutionView(sys, deltas, u); return [r.K, r.y]; });
    const yRec = recurrentView(sys, deltas, u), {K, y} = convolutionView(sys, deltas, u);
    expect(yRec.shape).toEqual([3, 700]);
    expect(K.shape).toEqual([3, 700]);
    assertClose(yRec, y, {atol: 2e-4 * Math.max(1e-30, maxAbs(y.dataSync())), rtol: 0, label: `${init}: `});
    expect(() => recurrentView(sys, [0.1], u)).toThrow(/recurrentView: deltas must have one Δ per channel/);
    tf.dispose([yRec, K, y]);
  });

  it("s4dKernel with h channels equals h single-channel calls (Δ per channel, shared A, B)", () => {
    const c = fx.cases[0];
    const K = s4dKernel(A(c), B(c), C(c), c.delta, 64, {conj: true});
    c.delta.forEach((d, h) => {
      const K1 = s4dKernel(A(c), B(c), {re: c.Cre[h], im: c.Cim[h]}, d, 64, {conj: true});
      assertClose(K1, K.slice([h, 0], [1, 64]), {atol: 1e-7, rtol: 1e-6});
      K1.dispose();
    });
    K.dispose();
  });

  // Only Δω mod 2π matters for integer k: the kernel reduces it in float64 before the float32
  // phase k·Δω, so a fast, slowly decaying mode keeps its phase over thousands of steps.
  it("s4dKernel keeps the phase of a fast, slowly decaying mode (Δω = 100 rad/step) over L = 4096 steps", () => {
    const lam = {re: [-0.001, -0.002], im: [1000, 1234.5]}, one = {re: [1, 1], im: [0, 0]}, Cm = {re: [0.7, -0.4], im: [0.2, 0.9]};
    const d = 0.1, L = 4096;
    const K = s4dKernel(lam, one, Cm, d, L, {conj: true});
    const ref = new Float64Array(L); // float64, straight from the formula
    for (let n = 0; n < 2; n++) {
      const a = lam.re[n], w = lam.im[n], ea = Math.exp(d * a), den = a * a + w * w;
      const emRe = ea * Math.cos(d * w) - 1, emIm = ea * Math.sin(d * w);
      const qRe = (emRe * a + emIm * w) / den, qIm = (emIm * a - emRe * w) / den; // (e^{Δλ} − 1)/λ
      const Wr = 2 * (Cm.re[n] * qRe - Cm.im[n] * qIm), Wi = 2 * (Cm.re[n] * qIm + Cm.im[n] * qRe);
      for (let k = 0; k < L; k++) ref[k] += Math.exp(k * d * a) * (Wr * Math.cos(k * d * w) - Wi * Math.sin(k * d * w));
    }
    assertClose(K, ref, {atol: 1e-3 * maxAbs(ref), rtol: 0, label: "Δω = 100: "}); // float32 phases up to ~2000 rad: ~1e-4 rad
    K.dispose();
  });

  it("s4dKernel accepts tensors for A, B and C (read back in float64) and gives the same kernel", () => {
    const c = fx.cases[0];
    const t = (x: number[] | number[][]) => tf.tensor(x);
    const args = [A(c), B(c), C(c)].map((z) => ({re: t(z.re), im: t(z.im)}));
    const K1 = s4dKernel(args[0], args[1], args[2], c.delta, 64, {conj: c.conj});
    const K2 = s4dKernel(A(c), B(c), C(c), c.delta, 64, {conj: c.conj});
    assertClose(K1, K2, {atol: 1e-6 * maxAbs(K2.dataSync()), rtol: 0});
    tf.dispose([K1, K2, ...args.flatMap((z) => [z.re, z.im])]);
  });

  // The page's batched convolution: the same numbers as causalConv channel by channel, on each of
  // its paths (cpu: the Toeplitz matrix of u up to TOEPLITZ_MAX_L; every backend: one batched FFT
  // above DIRECT_MAX_L; otherwise causalConv per channel).
  it.each([[5], [100], [512], [700], [3000]])("convolveChannels(u, K) equals causalConv per channel, l = %i", (l) => {
    const H = 4;
    const u = Float32Array.from({length: l}, (_, k) => Math.sin(0.07 * k) + (k % 13 === 0 ? 1 : 0));
    const K = tf.tensor2d(Float32Array.from({length: H * l}, (_, i) => Math.exp(-(i % l) / (20 + 30 * Math.floor(i / l))) * Math.cos(0.3 * i)), [H, l]);
    expectNoLeak(() => convolveChannels(u, K));
    const y = convolveChannels(u, K);
    expect(y.shape).toEqual([H, l]);
    const rows = y.arraySync();
    tf.unstack(K).forEach((Kh, h) => {
      const yh = causalConv(u, Kh);
      assertClose(rows[h], yh, {atol: 1e-5 * Math.max(1e-30, maxAbs(yh.dataSync())), rtol: 0, label: `l = ${l}, channel ${h}: `});
      tf.dispose([Kh, yh]);
    });
    tf.dispose([y, K]);
    expect(TOEPLITZ_MAX_L).toBeLessThanOrEqual(DIRECT_MAX_L.cpu); // the Toeplitz form stays below causalConv's own crossover
  });

  it("viewKernels is convolutionView's K, and convolveChannels checks its shapes", () => {
    const sys = viewSystem("inv", 8, 2, 4), deltas = [0.01, 0.05], u = Float32Array.from({length: 200}, (_, k) => Math.cos(0.1 * k));
    const K = viewKernels(sys, deltas, 200), r = convolutionView(sys, deltas, u);
    assertClose(K, r.K, {atol: 0, rtol: 0});
    expect(() => convolveChannels(u, K.slice([0, 0], [2, 100]) as tf.Tensor2D)).toThrow(/convolveChannels: K must have shape \(h, l\) with l = 200/);
    expect(() => viewKernels(sys, [0.1], 200)).toThrow(/viewKernels: deltas must have one Δ per channel/);
    tf.dispose([K, r.K, r.y]);
  });

  it("s4dKernel and s4dDiscretize leak no tensors", () => {
    const c = fx.cases[1];
    expectNoLeak(() => s4dKernel(A(c), B(c), C(c), c.delta, 100, {conj: true}));
    expectNoLeak(() => { const r = s4dDiscretize(A(c), B(c), 0.1); return [r.Ab.re, r.Ab.im, r.Bb.re, r.Bb.im]; });
    expectNoLeak(() => { try { s4dKernel({re: [1], im: [0]}, {re: [1], im: [0]}, {re: [1], im: [0]}, 0.1, 4); } catch { /* expected */ } });
  });

  it("bad inputs throw messages naming the function and argument", () => {
    const ok = {re: [-0.5, -0.5], im: [0, 3]}, one = {re: [1, 1], im: [0, 0]};
    expect(() => s4dKernel(ok, one, one, 0, 8)).toThrow(/s4dKernel: delta must be a finite number > 0/);
    expect(() => s4dKernel(ok, one, one, [0.1, -1], 8)).toThrow(/s4dKernel: delta\[1\] must be/);
    expect(() => s4dKernel(ok, one, one, 0.1, 0)).toThrow(/s4dKernel: L must be an integer/);
    expect(() => s4dKernel({re: [0.1, -1], im: [0, 0]}, one, one, 0.1, 8)).toThrow(/s4dKernel: A must have Re λ ≤ 0/);
    expect(() => s4dKernel({re: [0, -1], im: [0, 0]}, one, one, 0.1, 8)).toThrow(/s4dKernel: A must have λ ≠ 0/);
    expect(() => s4dKernel(ok, {re: [1], im: [0]}, one, 0.1, 8)).toThrow(/s4dKernel: B must have m = 2 modes/);
    expect(() => s4dKernel(ok, one, {re: [1, 2], im: [0]}, 0.1, 8)).toThrow(/s4dKernel: C.re and C.im must have the same shape/);
    expect(() => s4dKernel({re: [-1, NaN], im: [0, 0]}, one, one, 0.1, 8)).toThrow(/s4dKernel: A.re must be finite/);
    expect(() => s4dKernel(ok, one, {re: [[1, 1], [1, 1]], im: [[0, 0], [0, 0]]}, [0.1, 0.2, 0.3], 8)).toThrow(/s4dKernel: C must have h = 3 rows/);
    expect(() => s4dDiscretize(ok, one, NaN)).toThrow(/s4dDiscretize: delta must be/);
    expect(() => s4dDiscretize(null as never, one, 0.1)).toThrow(/s4dDiscretize: A must be \{re, im\}/);
  });
});

describe("page helpers (plain numbers)", () => {
  it("viewSystem: eigenvalues of the dense A are the listed spectrum (trace and Frobenius checks)", () => {
    for (const init of VIEW_INITS) {
      const s = viewSystem(init, 8, 2, 3);
      const tr = s.dense.A.reduce((t, row, i) => t + row[i], 0);
      expect(tr).toBeCloseTo(s.eig.re.reduce((a, b) => a + b, 0), 9);
      // tr(A²) = Σ λ² (real part; the imaginary parts cancel over conjugates)
      const A2 = s.dense.A.map((row) => s.dense.A[0].map((_, j) => row.reduce((t, a, k) => t + a * s.dense.A[k][j], 0)));
      const trA2 = A2.reduce((t, row, i) => t + row[i], 0);
      expect(trA2).toBeCloseTo(s.eig.re.reduce((t, re, i) => t + re * re - s.eig.im[i] ** 2, 0), 6);
      expect(s.dense.C).toHaveLength(2);
    }
  });
  it("channelDeltas spans S4D's [1e-3, 1e-1] for Δ = 0.01 and spread 2", () => {
    const d = channelDeltas(0.01, 2, 5);
    expect(d[0]).toBeCloseTo(1e-3, 12);
    expect(d[4]).toBeCloseTo(1e-1, 12);
    expect(channelDeltas(0.05, 2, 1)).toEqual([0.05]);
  });
  it("kernelLength finds where 1 − 1/e of Σ|K̄| has arrived (τ for one mode e^(−k/τ))", () => {
    const K = Array.from({length: 1000}, (_, k) => Math.exp(-k / 100));
    expect(kernelLength(K)).toBeGreaterThanOrEqual(99);
    expect(kernelLength(K)).toBeLessThanOrEqual(101); // τ = 100
    expect(kernelLength([0, 0])).toBeNaN();
  });
});
