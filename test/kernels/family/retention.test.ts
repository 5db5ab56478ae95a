import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {retention, retentionChunked, retentionDecayMask, retentionGammas, retentionLoop, retentionRecurrent, retentionRotate} from "../../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, loadFixture, maxAbs, printAccuracy, recordAccuracy, useBackend} from "../helpers.js";

interface Case {name: string; h: number; l: number; dk: number; dv: number; gamma: number[]; q: number[]; k: number[]; v: number[]; o: number[]; qRot: number[]; rotOffset: number}
const fx = loadFixture<{retention: Case[]}>("family").retention;

function random(h: number, l: number, dk: number, dv: number, seed: number) {
  const r = lcg(seed);
  const g = (n: number) => Float32Array.from({length: n}, () => 2 * r() - 1);
  return {q: g(h * l * dk), k: g(h * l * dk), v: g(h * l * dv)};
}

describe.each(BACKENDS)("retention on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`retention/${backend}`));
  const log = (name: string, r: ReturnType<typeof assertClose>) => recordAccuracy(`retention/${backend}`, backend, name, r);

  it.each(fx.map((c) => [c.name, c] as const))("retention, retentionRecurrent and retentionChunked match numpy's parallel form for %s", (_, c) => {
    const q = tf.tensor3d(c.q, [c.h, c.l, c.dk]), k = tf.tensor3d(c.k, [c.h, c.l, c.dk]), v = tf.tensor3d(c.v, [c.h, c.l, c.dv]);
    const tol = {atol: 2e-5 * Math.max(1, maxAbs(c.o)), rtol: 1e-4};
    const outs = [retention(q, k, v, c.gamma), retentionRecurrent(q, k, v, c.gamma), retentionChunked(q, k, v, c.gamma, {chunk: 4})];
    outs.forEach((o, i) => {
      expect(o.shape).toEqual([c.h, c.l, c.dv]);
      log(`${["parallel", "recurrent", "chunked"][i]} ${c.name}`, assertClose(o, c.o, {...tol, label: `${c.name} form ${i}: `}));
    });
    const qr = retentionRotate(q, {offset: c.rotOffset});
    log(`rotate ${c.name}`, assertClose(qr, c.qRot, {atol: 1e-5, rtol: 1e-5}));
    tf.dispose([q, k, v, qr, ...outs]);
  });

  for (const [h, l, chunks] of [[1, 1, [1, 3]], [2, 13, [1, 2, 5, 13, 64]], [3, 97, [7, 16, 32]], [4, 256, [64]]] as const) {
    it(`retention (parallel) = retentionRecurrent = retentionChunked (chunk ${chunks.join(", ")}) = the loop for h = ${h}, l = ${l}`, () => {
      const dk = 4, dv = 3, {q, k, v} = random(h, l, dk, dv, 17 * l + h);
      const gamma = retentionGammas(h);
      const qt = tf.tensor3d(q, [h, l, dk]), kt = tf.tensor3d(k, [h, l, dk]), vt = tf.tensor3d(v, [h, l, dv]);
      const ref = retentionLoop(q, k, v, gamma, h, l, dk, dv);
      const tol = {atol: 3e-5 * Math.max(1, maxAbs(ref)), rtol: 1e-4};
      const par = retention(qt, kt, vt, gamma), rec = retentionRecurrent(qt, kt, vt, gamma);
      log(`parallel=loop l=${l}`, assertClose(par, ref, tol));
      log(`recurrent=loop l=${l}`, assertClose(rec, ref, tol));
      for (const chunk of chunks) {
        const ch = retentionChunked(qt, kt, vt, gamma, {chunk});
        log(`chunked ${chunk}=loop l=${l}`, assertClose(ch, ref, {...tol, label: `chunk ${chunk}: `}));
        ch.dispose();
      }
      tf.dispose([qt, kt, vt, par, rec]);
    });
  }

  it("retentionGammas(h) is RetNet's 1 − 2^{−5−i}; retentionDecayMask holds γ^{n−m} below the diagonal", () => {
    expect(retentionGammas(3)).toEqual([1 - 1 / 32, 1 - 1 / 64, 1 - 1 / 128]);
    const D = retentionDecayMask(3, [0.5, 1]);
    assertClose(D, [[[1, 0, 0], [0.5, 1, 0], [0.25, 0.5, 1]], [[1, 0, 0], [1, 1, 0], [1, 1, 1]]], {atol: 1e-7, rtol: 1e-6});
    D.dispose();
  });

  it("retentionRotate makes the rotated scores depend on n − m only (shifting every position changes nothing)", () => {
    const h = 1, l = 6, d = 4, {q, k} = random(h, l, d, 1, 3);
    const scores = (off: number) => tf.tidy(() => tf.matMul(retentionRotate(tf.tensor3d(q, [h, l, d]), {offset: off}), retentionRotate(tf.tensor3d(k, [h, l, d]), {offset: off}), false, true));
    const s0 = scores(0), s9 = scores(9);
    assertClose(s0, s9, {atol: 2e-5, rtol: 1e-4});
    tf.dispose([s0, s9]);
  });

  it("every form leaks no tensors (also when it throws)", () => {
    const {q, k, v} = random(2, 5, 2, 2, 1);
    const args = [tf.tensor3d(q, [2, 5, 2]), tf.tensor3d(k, [2, 5, 2]), tf.tensor3d(v, [2, 5, 2])] as const;
    expectNoLeak(() => retention(...args, [0.9, 0.5]));
    expectNoLeak(() => retentionRecurrent(...args, 0.9));
    expectNoLeak(() => retentionChunked(...args, [0.9, 0.5], {chunk: 2}));
    expectNoLeak(() => retentionRotate(args[0]));
    expectNoLeak(() => retentionDecayMask(4, 0.5));
    expectNoLeak(() => { try { retention(...args, [2, 0.5]); } catch { /* expected */ } });
    tf.dispose([...args]);
  });

  it("bad inputs throw messages naming the function and argument", () => {
    const q = [[[1, 2], [3, 4]]], v = [[[1], [2]]];
    expect(() => retention([[1, 2]], q, v, 0.9)).toThrow(/retention: q must be rank 3 \(h, l, d_k\)/);
    expect(() => retention(q, [[[1, 2]]], v, 0.9)).toThrow(/retention: k must have shape \(h, l, d_k\)/);
    expect(() => retentionRecurrent(q, q, [[[1]]], 0.9)).toThrow(/retentionRecurrent: v must have shape \(h, l, d_v\)/);
    expect(() => retention(q, q, v, 1.5)).toThrow(/retention: gamma must be finite and in \(0, 1\], but entry 0 is 1.5/);
    expect(() => retention(q, q, v, 0)).toThrow(/retention: gamma must be finite and in \(0, 1\]/);
    expect(() => retention(q, q, v, [0.9, 0.9])).toThrow(/retention: gamma must be a number or have shape \(1\)/);
    expect(() => retentionChunked(q, q, v, 0.9, {chunk: 0})).toThrow(/retentionChunked: chunk must be an integer/);
    expect(() => retentionRotate([[[1, 2, 3]]])).toThrow(/retentionRotate: x must have an even feature width/);
    expect(() => retentionGammas(0)).toThrow(/retentionGammas: heads must be an integer/);
  });
});
