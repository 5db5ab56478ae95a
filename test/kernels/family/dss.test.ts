import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {dssKernel, s4dInit, s4dKernel} from "../../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, loadFixture, maxAbs, printAccuracy, recordAccuracy, useBackend} from "../helpers.js";

type C = {re: number[]; im: number[]};
interface Case {name: string; h: number; N: number; L: number; variant: "softmax" | "exp"; Lambda: C; W: C; delta: number[]; K: number[]}
const fx = loadFixture<{dss: Case[]}>("family").dss;
const rows = (x: number[], r: number, c: number) => Array.from({length: r}, (_, i) => x.slice(i * c, (i + 1) * c));

describe.each(BACKENDS)("dssKernel on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`dss/${backend}`));
  const log = (name: string, r: ReturnType<typeof assertClose>) => recordAccuracy(`dss/${backend}`, backend, name, r);

  it.each(fx.map((c) => [c.name, c] as const))("dssKernel matches numpy's complex softmax / exp kernel for %s", (_, c) => {
    const shared = c.Lambda.re.length === c.N;
    const Lam = shared ? c.Lambda : {re: rows(c.Lambda.re, c.h, c.N), im: rows(c.Lambda.im, c.h, c.N)};
    const K = dssKernel(Lam, {re: rows(c.W.re, c.h, c.N), im: rows(c.W.im, c.h, c.N)}, c.delta, c.L, {variant: c.variant});
    expect(K.shape).toEqual([c.h, c.L]);
    log(c.name, assertClose(K, c.K, {atol: 2e-5 * Math.max(1, maxAbs(c.K)), rtol: 1e-3}));
    K.dispose();
  });

  it("DSS_exp with w = 2·C·B is the S4D kernel (s4dKernel, conjugate pairs) for S4D-Lin and S4D-Inv", () => {
    for (const init of ["lin", "inv"] as const) {
      const m = s4dInit(init, 16), h = 3, L = 300, r = lcg(init.length);
      const C = {re: Array.from({length: h}, () => Array.from({length: 8}, () => 2 * r() - 1)), im: Array.from({length: h}, () => Array.from({length: 8}, () => 2 * r() - 1))};
      const delta = [0.001, 0.01, 0.1];
      const Ks4d = s4dKernel(m.A, m.B, C, delta, L, {conj: true});
      const W = {re: C.re.map((row) => row.map((x) => 2 * x)), im: C.im.map((row) => row.map((x) => 2 * x))}; // B = 1
      const K = dssKernel({re: Array.from(m.A.re), im: Array.from(m.A.im)}, W, delta, L, {variant: "exp"});
      log(`exp=s4d ${init}`, assertClose(K, Ks4d, {atol: 1e-4 * Math.max(1, maxAbs(Ks4d.dataSync())), rtol: 1e-3, label: `${init}: `}));
      tf.dispose([K, Ks4d]);
    }
  });

  it("DSS_softmax(w) = DSS_exp(w / (e^{Lλ_iΔ} − 1)) (DSS's Proposition 1) for stable modes", () => {
    const N = 4, L = 40, d = 0.05;
    const Lam = {re: [-0.5, -1, -0.2, -2], im: [1, 5, 12, 0.5]}, W = {re: [[1, -0.5, 0.3, 2]], im: [[0.2, 1, -1, 0]]};
    const Wexp = {re: [new Array(N).fill(0)], im: [new Array(N).fill(0)]};
    for (let i = 0; i < N; i++) { // w / (e^{LλΔ} − 1), complex
      const ea = Math.exp(L * d * Lam.re[i]), zr = ea * Math.cos(L * d * Lam.im[i]) - 1, zi = ea * Math.sin(L * d * Lam.im[i]), den = zr * zr + zi * zi;
      Wexp.re[0][i] = (W.re[0][i] * zr + W.im[0][i] * zi) / den;
      Wexp.im[0][i] = (W.im[0][i] * zr - W.re[0][i] * zi) / den;
    }
    const Ks = dssKernel(Lam, W, d, L), Ke = dssKernel(Lam, Wexp, d, L, {variant: "exp"});
    log("softmax=exp", assertClose(Ks, Ke, {atol: 2e-5 * Math.max(1, maxAbs(Ke.dataSync())), rtol: 1e-3}));
    tf.dispose([Ks, Ke]);
  });

  it("DSS_softmax stays bounded for growing modes (Re λ > 0), where DSS_exp would overflow", () => {
    const K = dssKernel({re: [3, -0.5], im: [2, 1]}, {re: [[1, 1]], im: [[0, 0]]}, 1, 200);
    const k = K.dataSync();
    expect(Array.from(k).every(Number.isFinite)).toBe(true);
    expect(maxAbs(k)).toBeLessThan(10);
    K.dispose();
    expect(() => dssKernel({re: [3], im: [2]}, {re: [[1]], im: [[0]]}, 1, 10, {variant: "exp"})).toThrow(/dssKernel: Lambda.re must be finite and ≤ 0, but entry 0 is 3/);
  });

  it("dssKernel leaks no tensors (also when it throws) and checks its arguments", () => {
    const Lam = {re: [-0.5, -1], im: [1, 2]}, W = {re: [[1, 2]], im: [[0, 1]]};
    expectNoLeak(() => dssKernel(Lam, W, 0.1, 16));
    expectNoLeak(() => dssKernel(Lam, W, [0.1], 16, {variant: "exp"}));
    expectNoLeak(() => { try { dssKernel(Lam, W, -1, 16); } catch { /* expected */ } });
    expect(() => dssKernel(Lam, W, 0.1, 16, {variant: "cauchy" as never})).toThrow(/dssKernel: variant must be "softmax" or "exp"/);
    expect(() => dssKernel(Lam, {re: [1, 2], im: [0, 1]}, 0.1, 16)).toThrow(/dssKernel: W must be rank 2 \(h, N\)/);
    expect(() => dssKernel({re: [-1], im: [0]}, W, 0.1, 16)).toThrow(/dssKernel: Lambda must have shape \(N\) or \(h, N\) = \(1, 2\)/);
    expect(() => dssKernel({re: [0, -1], im: [0, 1]}, W, 0.1, 16)).toThrow(/dssKernel: Lambda must have λ ≠ 0/);
    expect(() => dssKernel(Lam, W, 0, 16)).toThrow(/dssKernel: delta must be finite and > 0/);
    expect(() => dssKernel(Lam, W, [0.1, 0.2], 16)).toThrow(/dssKernel: delta must be a number or have shape \(1\)/);
    expect(() => dssKernel(Lam, W, 0.1, 0)).toThrow(/dssKernel: L must be an integer/);
  });
});
