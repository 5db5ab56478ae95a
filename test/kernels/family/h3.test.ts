import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {h3, h3Init, h3Loop, h3ShiftKernel} from "../../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, loadFixture, maxAbs, printAccuracy, recordAccuracy, useBackend} from "../helpers.js";

type C = {re: number[]; im: number[]};
interface Case {name: string; l: number; d: number; headDim: number; N: number; m: number; q: number[]; k: number[]; v: number[]; shiftB: number[]; shiftC: number[]; shiftD: number[]; A: C; Bd: C; Cd: C; delta: number[]; Dd: number[]; y: number[]}
const fx = loadFixture<{h3: Case[]}>("family").h3;
const rows = (x: number[], r: number, c: number) => Array.from({length: r}, (_, i) => x.slice(i * c, (i + 1) * c));
function paramsOf(c: Case) {
  const H = c.d / c.headDim;
  return {
    shift: {B: rows(c.shiftB, c.d, c.N), C: rows(c.shiftC, c.d, c.N), D: c.shiftD},
    diag: {A: c.A, B: {re: rows(c.Bd.re, H, c.m), im: rows(c.Bd.im, H, c.m)}, C: {re: rows(c.Cd.re, H, c.m), im: rows(c.Cd.im, H, c.m)}, delta: c.delta, D: c.Dd},
    headDim: c.headDim
  };
}
function qkv(l: number, d: number, seed: number) {
  const r = lcg(seed), g = () => Float32Array.from({length: l * d}, () => 2 * r() - 1);
  return {q: g(), k: g(), v: g()};
}

describe.each(BACKENDS)("h3 on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`h3/${backend}`));
  const log = (name: string, r: ReturnType<typeof assertClose>) => recordAccuracy(`h3/${backend}`, backend, name, r);

  it.each(fx.map((c) => [c.name, c] as const))("h3(q, k, v) matches numpy's H3 forward (FFT convolutions, einops layout) for %s", (_, c) => {
    const t = (x: number[]) => tf.tensor2d(x, [c.l, c.d]);
    const y = h3(t(c.q), t(c.k), t(c.v), paramsOf(c));
    expect(y.shape).toEqual([c.l, c.d]);
    log(c.name, assertClose(y, c.y, {atol: 3e-5 * Math.max(1, maxAbs(c.y)), rtol: 1e-3}));
    // and the two recurrences, step by step (independent of the numpy convolutions)
    log(`loop ${c.name}`, assertClose(h3Loop(c.q, c.k, c.v, paramsOf(c), c.l, c.d), c.y, {atol: 1e-9 * Math.max(1, maxAbs(c.y)), rtol: 1e-7}));
    y.dispose();
  });

  for (const [l, d, headDim, N] of [[1, 2, 1, 4], [16, 4, 1, 8], [64, 6, 2, 4], [257, 3, 1, 16]] as const) {
    it(`h3 (convolutions) = h3Loop (shift-register and complex diagonal recurrences) for l = ${l}, d = ${d}, head dim ${headDim}, N = ${N}`, () => {
      const p = h3Init(d, {N, m: 4, headDim, seed: l});
      p.diag.delta = p.diag.delta.map((x) => 30 * x); // longer memories than the init's [0.001, 0.1], so that l matters
      const {q, k, v} = qkv(l, d, l + d);
      const t = (x: Float32Array) => tf.tensor2d(x, [l, d]);
      const y = h3(t(q), t(k), t(v), p);
      const ref = h3Loop(q, k, v, p, l, d);
      log(`conv=loop l=${l} p=${headDim}`, assertClose(y, ref, {atol: 5e-5 * Math.max(1, maxAbs(ref)), rtol: 1e-3}));
      y.dispose();
    });
  }

  it("h3ShiftKernel(e_1, C) = C (the state is a shift register), and a shifted B shifts nothing but delays the taps", () => {
    const C = [[0.5, -1, 2, 0.25]];
    const K = h3ShiftKernel([[1, 0, 0, 0]], C);
    assertClose(K, C, {atol: 0, rtol: 1e-7});
    const K2 = h3ShiftKernel([[0, 1, 0, 0]], C); // B = e_2: k_j = C_{j+1}
    assertClose(K2, [[-1, 2, 0.25, 0]], {atol: 0, rtol: 1e-7});
    tf.dispose([K, K2]);
  });

  it("h3Init follows the official initialisation: B = e_1, |C| ≤ 1/√N, S4D-Lin λ = −½ + iπn, Δ in [0.001, 0.1]", () => {
    const p = h3Init(8, {N: 16, m: 4, seed: 3});
    expect(p.shift.B.every((row) => row[0] === 1 && row.slice(1).every((x) => x === 0))).toBe(true);
    expect(p.shift.C.flat().every((x) => Math.abs(x) <= 0.25)).toBe(true);
    expect(p.diag.A.im).toEqual([0, Math.PI, 2 * Math.PI, 3 * Math.PI]);
    expect(p.diag.delta.every((x) => x >= 0.001 && x <= 0.1)).toBe(true);
    expect(h3Init(8, {N: 16, m: 4, seed: 3})).toEqual(p);
  });

  it("h3 leaks no tensors (also when it throws)", () => {
    const p = h3Init(2, {N: 3, m: 2, seed: 1}), x = [[1, 2], [3, 4], [5, 6]];
    expectNoLeak(() => h3(x, x, x, p));
    expectNoLeak(() => h3ShiftKernel([[1, 0]], [[1, 2]]));
    expectNoLeak(() => { try { h3(x, x, x, {...p, headDim: 3}); } catch { /* expected */ } });
  });

  it("bad inputs throw messages naming the function and argument", () => {
    const p = h3Init(2, {N: 3, m: 2, seed: 1}), x = [[1, 2], [3, 4]];
    expect(() => h3([1, 2], x, x, p)).toThrow(/h3: q must be rank 2 \(l, d\)/);
    expect(() => h3(x, [[1, 2]], x, p)).toThrow(/h3: k must have shape \(l, d\)/);
    expect(() => h3(x, x, x, {...p, headDim: 3})).toThrow(/h3: headDim must be an integer in \[1, 2\]/);
    expect(() => h3(x, x, x, {...p, shift: {...p.shift, C: [[1, 2, 3]]}})).toThrow(/h3: shift.C must have shape \(d, N\) with d = 2/);
    expect(() => h3(x, x, x, {...p, shift: {...p.shift, B: [[1], [1]]}})).toThrow(/h3: shift.B must have shape \(d, N\)/);
    expect(() => h3(x, x, x, {...p, diag: {...p.diag, C: {re: [[1, 1]], im: [[0, 0]]}}})).toThrow(/h3: diag.C must have shape \(H, m\) with H = d \/ headDim = 2/);
    expect(() => h3(x, x, x, {...p, diag: {...p.diag, delta: [0.1, 0]}})).toThrow(/h3: diag.delta must be finite and > 0, but entry 1 is 0/);
    expect(() => h3(x, x, x, {...p, diag: {...p.diag, D: [1, 2, 3]}})).toThrow(/h3: diag.D must be a number or have shape \(2\)/);
    expect(() => h3(x, x, x, null as never)).toThrow(/h3: params must be \{shift, diag, headDim\?\}/);
  });
});
