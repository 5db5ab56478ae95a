import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {dssKernel, gss, gssInit, gssKernel, gssLoop} from "../../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, loadFixture, maxAbs, printAccuracy, recordAccuracy, useBackend} from "../helpers.js";

type C = {re: number[]; im: number[]};
interface Case {name: string; l: number; E: number; F: number; H: number; N: number; x: number[]; Wv: number[]; Wu: number[]; Wuc: number[]; Wo: number[]; LambdaLog: C; C: C; D: number[]; y: number[]}
const fx = loadFixture<{gss: Case[]}>("family").gss;
const rows = (x: number[], r: number, c: number) => Array.from({length: r}, (_, i) => x.slice(i * c, (i + 1) * c));
const paramsOf = (c: Case) => ({
  Wv: rows(c.Wv, c.E, c.F), Wu: rows(c.Wu, c.E, c.H), Wuc: rows(c.Wuc, c.H, c.F), Wo: rows(c.Wo, c.F, c.E),
  LambdaLog: c.LambdaLog, C: {re: rows(c.C.re, c.H, c.N), im: rows(c.C.im, c.H, c.N)}, D: c.D
});

describe.each(BACKENDS)("gss on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`gss/${backend}`));
  const log = (name: string, r: ReturnType<typeof assertClose>) => recordAccuracy(`gss/${backend}`, backend, name, r);

  it.each(fx.map((c) => [c.name, c] as const))("gss(x, params) matches numpy's GSS pseudocode (FFT convolution) for %s", (_, c) => {
    const y = gss(tf.tensor2d(c.x, [c.l, c.E]), paramsOf(c));
    expect(y.shape).toEqual([c.l, c.E]);
    log(c.name, assertClose(y, c.y, {atol: 5e-5 * Math.max(1, maxAbs(c.y)), rtol: 1e-3}));
    log(`loop ${c.name}`, assertClose(gssLoop(c.x, paramsOf(c), c.l, c.E), c.y, {atol: 1e-9 * Math.max(1, maxAbs(c.y)), rtol: 1e-7}));
    y.dispose();
  });

  for (const [l, E, H, N] of [[1, 4, 1, 2], [32, 8, 2, 8], [300, 16, 4, 16]] as const) {
    it(`gss (DSS kernel + convolution) = gssLoop (N complex recurrences per reduced channel) with gssInit, l = ${l}, E = ${E}, H = ${H}`, () => {
      const p = gssInit(E, {H, N, seed: l});
      const r = lcg(l + E);
      const x = Float32Array.from({length: l * E}, () => 2 * r() - 1);
      const y = gss(tf.tensor2d(x, [l, E]), p);
      const ref = gssLoop(x, p, l, E);
      log(`conv=loop l=${l}`, assertClose(y, ref, {atol: 1e-4 * Math.max(1, maxAbs(ref)), rtol: 1e-3}));
      y.dispose();
    });
  }

  it("gssKernel is DSS_exp with Δ = 1 and λ = −exp(Λ_re) + i·exp(Λ_im)", () => {
    const LambdaLog = {re: [0.1, -1, 0.5], im: [0, 1, -0.3]}, C = {re: [[1, 2, -1], [0.5, 0, 1]], im: [[0, 1, 1], [-1, 0.2, 0]]};
    const lam = {re: LambdaLog.re.map((a) => -Math.exp(a)), im: LambdaLog.im.map((b) => Math.exp(b))};
    const K = gssKernel(LambdaLog, C, 50), Kd = dssKernel(lam, C, 1, 50, {variant: "exp"});
    assertClose(K, Kd, {atol: 1e-7, rtol: 1e-6});
    tf.dispose([K, Kd]);
  });

  it("gssInit sizes: F = 4E, H = E/4 by default; seeded", () => {
    const p = gssInit(16, {N: 4, seed: 2});
    expect([p.Wv.length, p.Wv[0].length, p.Wu[0].length, p.Wuc.length, p.Wo.length, p.Wo[0].length, p.C.re[0].length]).toEqual([16, 64, 4, 4, 64, 16, 4]);
    expect(gssInit(16, {N: 4, seed: 2})).toEqual(p);
  });

  it("gss leaks no tensors (also when it throws)", () => {
    const p = gssInit(4, {H: 2, N: 3, seed: 1}), x = [[1, 2, 3, 4], [0, -1, 2, 1]];
    expectNoLeak(() => gss(x, p));
    expectNoLeak(() => gssKernel(p.LambdaLog, p.C, 8));
    expectNoLeak(() => { try { gss(x, {...p, Wo: [[1]]}); } catch { /* expected */ } });
  });

  it("bad inputs throw messages naming the function and argument", () => {
    const p = gssInit(4, {H: 2, N: 3, seed: 1}), x = [[1, 2, 3, 4]];
    expect(() => gss([1, 2, 3, 4], p)).toThrow(/gss: x must be rank 2 \(l, E\)/);
    expect(() => gss([[1, 2, 3]], p)).toThrow(/gss: Wv must have shape \(E, F\)/);
    expect(() => gss(x, {...p, Wuc: [[1, 2]]})).toThrow(/gss: Wuc must have shape \(H, F\)/);
    expect(() => gss(x, {...p, Wo: [[1]]})).toThrow(/gss: Wo must have shape \(F, E\)/);
    expect(() => gss(x, {...p, D: [1]})).toThrow(/gss: D must be a number or have shape \(2\)/);
    expect(() => gss(x, {...p, C: {re: [[1, 2, 3]], im: [[0, 0, 0]]}})).toThrow(/gss: C must have H = 2 rows/);
    expect(() => gss(x, {...p, Wu: [[NaN, 1], [1, 1], [1, 1], [1, 1]]})).toThrow(/gss: Wu must be finite/);
    expect(() => gssKernel({re: [1], im: [1]}, {re: [[1, 2]], im: [[0, 0]]}, 4)).toThrow(/gssKernel: C must have shape \(H, N\)/);
  });
});
