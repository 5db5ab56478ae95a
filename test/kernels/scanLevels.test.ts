// Scan levels (page 5): every level of Hillis–Steele and of Blelloch's up-sweep and down-sweep
// equals its definition computed by numpy (reference/ref_scanlevels.py), blellochScan equals
// the loop and linearScan, bad input is refused by name, nothing leaks.
import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {blellochLevels, blellochScan, hillisSteeleLevels, linearScan, linearScanLoop} from "../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, loadFixture, printAccuracy, recordAccuracy, useBackend} from "./helpers.js";

interface Level {a: number[]; b: number[]}
interface Case {name: string; shape: number[]; P: number; a: number[]; b: number[]; hillisSteele: Level[]; up: Level[]; down: Level[]; h: number[]}
const cases = loadFixture<{scanLevels: Case[]}>("scanlevels").scanLevels;
const tol = {atol: 1e-5, rtol: 1e-5};

describe.each(BACKENDS)("scan levels on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`scanLevels/${backend}`));

  it.each(cases.map((c) => [c.name, c] as const))("hillisSteeleLevels(a, b) holds each window's composite at every level for %s", (_, c) => {
    const levels = hillisSteeleLevels(tf.tensor(c.a, c.shape), tf.tensor(c.b, c.shape));
    expect(levels.length).toBe(c.hillisSteele.length);
    levels.forEach((lv, k) => {
      expect(lv.a.shape).toEqual(c.shape);
      recordAccuracy(`scanLevels/${backend}`, backend, `${c.name} HS ${k}`, assertClose(lv.b, c.hillisSteele[k].b, {...tol, label: `${c.name} level ${k} b: `}));
      assertClose(lv.a, c.hillisSteele[k].a, {...tol, label: `${c.name} level ${k} a: `});
    });
    assertClose(levels[levels.length - 1].b, c.h, tol);
    tf.dispose(levels.flatMap((lv) => [lv.a, lv.b]));
  });

  it.each(cases.map((c) => [c.name, c] as const))("blellochLevels(a, b) holds the block reductions going up and the exclusive prefixes going down for %s", (_, c) => {
    const r = blellochLevels(tf.tensor(c.a, c.shape), tf.tensor(c.b, c.shape));
    expect(r.P).toBe(c.P);
    expect(r.up.length).toBe(c.up.length);
    expect(r.down.length).toBe(c.down.length);
    r.up.forEach((lv, k) => {
      expect(lv.a.shape).toEqual([c.P / 2 ** k, ...c.shape.slice(1)]);
      assertClose(lv.a, c.up[k].a, {...tol, label: `${c.name} up ${k} a: `});
      assertClose(lv.b, c.up[k].b, {...tol, label: `${c.name} up ${k} b: `});
    });
    r.down.forEach((lv, k) => {
      assertClose(lv.a, c.down[k].a, {...tol, label: `${c.name} down ${k} a: `});
      recordAccuracy(`scanLevels/${backend}`, backend, `${c.name} down ${k}`, assertClose(lv.b, c.down[k].b, {...tol, label: `${c.name} down ${k} b: `}));
    });
    expect(r.inclusive.b.shape).toEqual(c.shape);
    assertClose(r.inclusive.b, c.h, tol);
    tf.dispose([...r.up, ...r.down, r.inclusive].flatMap((lv) => [lv.a, lv.b]));
  });

  for (const l of [1, 2, 3, 17, 100, 1000, 4097]) {
    it(`blellochScan(a, b) equals the loop and linearScan for l = ${l}`, () => {
      const r = lcg(l), m = 3;
      const a = new Float32Array(l * m).map(() => 0.5 + 0.5 * r());
      const b = new Float32Array(l * m).map(() => 2 * r() - 1);
      const h = blellochScan(tf.tensor(a, [l, m]), tf.tensor(b, [l, m]));
      const hs = linearScan(tf.tensor(a, [l, m]), tf.tensor(b, [l, m]));
      expect(h.shape).toEqual([l, m]);
      const atol = 1e-5 * Math.log2(l + 1) * 10;
      assertClose(h, linearScanLoop(a, b, l), {atol, rtol: 1e-5, label: `loop l=${l}: `});
      assertClose(h, hs, {atol, rtol: 1e-5, label: `linearScan l=${l}: `});
      tf.dispose([h, hs]);
    });
  }

  it("blellochScan(a, b) accepts nested arrays: a = 1 is a cumulative sum, a = 0 returns b", () => {
    const h1 = blellochScan([1, 1, 1, 1, 1], [3, -1, 4, 1, -5]);
    assertClose(h1, [3, 2, 6, 7, 2]);
    const h0 = blellochScan([[0], [0], [0]], [[1], [2], [3]]);
    assertClose(h0, [[1], [2], [3]]);
    tf.dispose([h1, h0]);
  });

  it("hillisSteeleLevels, blellochLevels and blellochScan leak nothing", () => {
    const a = tf.tensor([0.5, 0.9, 0.8, 0.7, 0.6]), b = tf.tensor([1, 2, 3, 4, 5]);
    expectNoLeak(() => hillisSteeleLevels(a, b).flatMap((lv) => [lv.a, lv.b]));
    expectNoLeak(() => { const r = blellochLevels(a, b); return [...r.up, ...r.down, r.inclusive].flatMap((lv) => [lv.a, lv.b]); });
    expectNoLeak(() => blellochScan(a, b));
    expectNoLeak(() => blellochScan([[2]], [[3]]));
    tf.dispose([a, b]);
  });

  it("scan levels refuse bad input with a message naming the function and the argument", () => {
    expect(() => blellochScan([1, 2], [1, 2, 3])).toThrow(/^blellochScan: b must have the same shape as a = \(2\)/);
    expect(() => blellochLevels(5 as never, 5 as never)).toThrow(/^blellochLevels: a must have rank ≥ 1/);
    expect(() => hillisSteeleLevels([1, NaN], [1, 2])).toThrow(/^hillisSteeleLevels: a must be finite/);
    expect(() => hillisSteeleLevels(new Float32Array(4097), new Float32Array(4097))).toThrow(/^hillisSteeleLevels: a must have at most 4096 steps/);
  });
});
