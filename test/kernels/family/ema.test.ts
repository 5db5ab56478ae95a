import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {ema, emaKernel, emaLoop, emaRecurrent, megaEmaInit} from "../../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, loadFixture, maxAbs, printAccuracy, recordAccuracy, useBackend} from "../helpers.js";

interface Case {name: string; l: number; d: number; h: number; x: number[]; alpha: number[]; delta: number[]; beta: number[]; eta: number[]; omega: number[]; K: number[]; y: number[]; ySilu: number[]}
const fx = loadFixture<{ema: Case[]}>("family").ema;
const params = (c: Case) => ({alpha: tf.tensor2d(c.alpha, [c.d, c.h]), delta: tf.tensor2d(c.delta, [c.d, c.h]), beta: tf.tensor2d(c.beta, [c.d, c.h]), eta: tf.tensor2d(c.eta, [c.d, c.h])});

describe.each(BACKENDS)("ema on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`ema/${backend}`));
  const log = (name: string, r: ReturnType<typeof assertClose>) => recordAccuracy(`ema/${backend}`, backend, name, r);

  it.each(fx.map((c) => [c.name, c] as const))("emaKernel, ema and emaRecurrent match Mega's _compute_kernel + FFT (numpy) for %s", (_, c) => {
    const p = params(c), x = tf.tensor2d(c.x, [c.l, c.d]);
    const K = emaKernel(p, c.l);
    expect(K.shape).toEqual([c.d, c.l]);
    log(`K ${c.name}`, assertClose(K, c.K, {atol: 2e-6, rtol: 1e-4}));
    const y = ema(x, p), yr = emaRecurrent(x, p);
    const tol = {atol: 2e-5 * Math.max(1, maxAbs(c.y)), rtol: 1e-4};
    log(`conv ${c.name}`, assertClose(y, c.y, tol));
    log(`rec ${c.name}`, assertClose(yr, c.y, tol));
    const ys = ema(x, p, {omega: c.omega}), yrs = emaRecurrent(x, p, {omega: c.omega});
    log(`silu ${c.name}`, assertClose(ys, c.ySilu, tol));
    assertClose(yrs, c.ySilu, tol);
    tf.dispose([K, y, yr, ys, yrs, x, ...Object.values(p)]);
  });

  for (const [l, d, h] of [[1, 1, 1], [7, 2, 3], [200, 3, 2], [700, 2, 2], [2100, 1, 4]] as const) {
    it(`ema (convolution) = emaRecurrent (scan) = the loop for l = ${l}, d = ${d}, h = ${h}`, () => {
      const p = megaEmaInit(d, h, l);
      const r = lcg(l + 1);
      const x = Float32Array.from({length: l * d}, () => 2 * r() - 1);
      const xt = tf.tensor2d(x, [l, d]);
      const y = ema(xt, p), yr = emaRecurrent(xt, p);
      const ref = emaLoop(x, p.alpha.flat(), p.delta.flat(), p.beta.flat(), p.eta.flat(), l, d, h);
      const tol = {atol: 5e-5 * Math.max(1, maxAbs(ref)), rtol: 1e-4};
      log(`conv=loop l=${l}`, assertClose(y, ref, tol));
      log(`rec=loop l=${l}`, assertClose(yr, ref, tol));
      log(`conv=rec l=${l}`, assertClose(y, yr, tol));
      tf.dispose([xt, y, yr]);
    });
  }

  it("emaKernel is a sum of h geometric sequences: K_k = Σ_j η β α (1 − αδ)^k", () => {
    const p = {alpha: [[0.5, 0.2]], delta: [[0.5, 0.9]], beta: [[1, -1]], eta: [[0.3, 2]]};
    const K = emaKernel(p, 5);
    const want = Array.from({length: 5}, (_, k) => 0.3 * 1 * 0.5 * 0.75 ** k + 2 * -1 * 0.2 * 0.82 ** k);
    assertClose(K, [want], {atol: 1e-6, rtol: 1e-6});
    K.dispose();
  });

  it("megaEmaInit follows Mega's reset_parameters: α, δ in (0, 1) near ½, β ≈ ±1 alternating, η scaled by √(1/h)", () => {
    const p = megaEmaInit(64, 4, 3);
    const flat = (x: number[][]) => x.flat();
    expect(flat(p.alpha).every((a) => a > 0 && a < 1)).toBe(true);
    expect(Math.abs(flat(p.delta).reduce((s, a) => s + a, 0) / 256 - 0.5)).toBeLessThan(0.02);
    expect(p.beta.every((row) => Math.abs(row[0] - 1) < 0.1 && Math.abs(row[1] + 1) < 0.1)).toBe(true);
    const etaVar = flat(p.eta).reduce((s, a) => s + a * a, 0) / 256;
    expect(etaVar).toBeGreaterThan(0.25 * 0.7);
    expect(etaVar).toBeLessThan(0.25 * 1.3);
    expect(megaEmaInit(64, 4, 3)).toEqual(p); // seeded
  });

  it("ema, emaRecurrent and emaKernel leak no tensors (also when they throw)", () => {
    const p = megaEmaInit(2, 2, 1), x = [[1, 2], [3, 4], [5, 6]];
    expectNoLeak(() => ema(x, p));
    expectNoLeak(() => emaRecurrent(x, p, {omega: p.omega}));
    expectNoLeak(() => emaKernel(p, 10));
    expectNoLeak(() => { try { ema(x, {...p, alpha: [[2, 0.5], [0.5, 0.5]]}); } catch { /* expected */ } });
  });

  it("bad inputs throw messages naming the function and argument", () => {
    const p = megaEmaInit(2, 2, 1), x = [[1, 2], [3, 4]];
    expect(() => ema([1, 2], p)).toThrow(/ema: x must be rank 2 \(l, d\)/);
    expect(() => ema([[1, 2, 3]], p)).toThrow(/ema: alpha must have shape \(d, h\) with d = 3/);
    expect(() => ema(x, {...p, alpha: [[1.5, 0.5], [0.5, 0.5]]})).toThrow(/ema: alpha must be finite and in \(0, 1\), but entry 0 is 1.5/);
    expect(() => emaRecurrent(x, {...p, delta: [[0.5, 0], [0.5, 0.5]]})).toThrow(/emaRecurrent: delta must be finite and in \(0, 1\), but entry 1 is 0/);
    expect(() => ema(x, {...p, beta: [[1], [1]]})).toThrow(/ema: beta must have shape \(d, h\)/);
    expect(() => ema(x, {...p, eta: [[1, NaN], [1, 1]]})).toThrow(/ema: eta must be finite/);
    expect(() => ema(x, p, {omega: [1, 2, 3]})).toThrow(/ema: omega must be a number or have shape \(2\)/);
    expect(() => emaKernel(p, 0)).toThrow(/emaKernel: L must be an integer/);
    expect(() => ema(x, null as never)).toThrow(/ema: params must be \{alpha, delta, beta, eta\}/);
  });
});
