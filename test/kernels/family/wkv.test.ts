import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {wkv, wkvClosed, wkvLoop, wkvStates} from "../../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, loadFixture, printAccuracy, recordAccuracy, useBackend} from "../helpers.js";

interface Case {name: string; l: number; d: number; w: number[]; u: number[]; k: number[]; v: number[]; y: number[]}
const fx = loadFixture<{wkv: Case[]}>("family").wkv;

function random(l: number, d: number, seed: number, kScale = 1) {
  const r = lcg(seed);
  const w = Float32Array.from({length: d}, () => Math.exp(2 * r() - 2));
  const u = Float32Array.from({length: d}, () => 2 * r() - 1);
  const k = Float32Array.from({length: l * d}, () => kScale * (2 * r() - 1));
  const v = Float32Array.from({length: l * d}, () => 2 * r() - 1);
  return {w, u, k, v};
}

describe.each(BACKENDS)("wkv on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`wkv/${backend}`));
  const log = (name: string, r: ReturnType<typeof assertClose>) => recordAccuracy(`wkv/${backend}`, backend, name, r);

  it.each(fx.map((c) => [c.name, c] as const))("wkv(w, u, k, v) and wkvClosed match numpy's CUDA-kernel loop for %s", (_, c) => {
    const args = [c.w, c.u, tf.tensor2d(c.k, [c.l, c.d]), tf.tensor2d(c.v, [c.l, c.d])] as const;
    const y = wkv(...args), yc = wkvClosed(...args);
    expect(y.shape).toEqual([c.l, c.d]);
    log(`recurrent ${c.name}`, assertClose(y, c.y, {atol: 2e-5, rtol: 1e-4, label: `${c.name} recurrent: `}));
    log(`closed ${c.name}`, assertClose(yc, c.y, {atol: 2e-5, rtol: 1e-4, label: `${c.name} closed: `}));
    tf.dispose([y, yc, args[2], args[3]]);
  });

  for (const [l, d] of [[1, 1], [2, 3], [17, 4], [128, 8], [300, 2]] as const) {
    it(`wkv (scan of the running-max state) = wkvClosed (masked softmax) = the CUDA loop for l = ${l}, d = ${d}`, () => {
      const {w, u, k, v} = random(l, d, 31 * l + d, 3);
      const kt = tf.tensor2d(k, [l, d]), vt = tf.tensor2d(v, [l, d]);
      const y = wkv(w, u, kt, vt), yc = wkvClosed(w, u, kt, vt);
      const ref = wkvLoop(w, u, k, v, l, d);
      log(`rec=loop l=${l}`, assertClose(y, ref, {atol: 3e-5, rtol: 1e-4}));
      log(`closed=loop l=${l}`, assertClose(yc, ref, {atol: 3e-5, rtol: 1e-4}));
      log(`rec=closed l=${l}`, assertClose(y, yc, {atol: 3e-5, rtol: 1e-4}));
      tf.dispose([kt, vt, y, yc]);
    });
  }

  it("wkv stays finite where e^k overflows float32 (k ≈ 100) and still equals the loop", () => {
    const l = 40, d = 3;
    const {w, u, k, v} = random(l, d, 5, 20);
    const kBig = k.map((x) => x + 100); // e^{120} > float32 max ≈ 3.4e38
    const y = wkv(w, u, tf.tensor2d(kBig, [l, d]), tf.tensor2d(v, [l, d]));
    const yc = wkvClosed(w, u, tf.tensor2d(kBig, [l, d]), tf.tensor2d(v, [l, d]));
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
    const ref = wkvLoop(w, u, kBig, v, l, d);
    log("k≈100 rec", assertClose(y, ref, {atol: 3e-5, rtol: 1e-4}));
    log("k≈100 closed", assertClose(yc, ref, {atol: 3e-5, rtol: 1e-4}));
    tf.dispose([y, yc]);
  });

  it("wkv with a huge decay mixes only v_{t−1} (weight e^{k_{t−1}}) and v_t (weight e^{u+k_t}); with a huge bonus it returns v_t", () => {
    const l = 6, d = 2, {k, v} = random(l, d, 9);
    const kt = tf.tensor2d(k, [l, d]), vt = tf.tensor2d(v, [l, d]);
    const u = [0.3, -0.7];
    const y = wkv([1e4, 1e4], u, kt, vt); // e^{−w} = 0: only the last token before t is left
    const want = Array.from({length: l * d}, (_, i) => {
      const t = Math.floor(i / d), c = i % d, now = Math.exp(u[c] + k[i]);
      if (t === 0) return v[i];
      const prev = Math.exp(k[i - d]);
      return (prev * v[i - d] + now * v[i]) / (prev + now);
    });
    assertClose(y, want, {atol: 1e-5, rtol: 1e-5});
    const yb = wkvClosed([0.5, 0.5], [60, 60], kt, vt); // e^{u} swamps the past
    assertClose(yb, v, {atol: 1e-5, rtol: 1e-5});
    tf.dispose([y, yb, kt, vt]);
  });

  it("wkvStates(w, k, v) is the CUDA kernel's (o, p, q) after each step: e^o p = Σ e^{−(t−s)w + k_s} v_s", () => {
    const l = 25, d = 2, {w, k, v} = random(l, d, 3, 2);
    const {o, p, q} = wkvStates(w, tf.tensor2d(k, [l, d]), tf.tensor2d(v, [l, d]));
    const [od, pd, qd] = [o.dataSync(), p.dataSync(), q.dataSync()];
    for (let c = 0; c < d; c++) for (let t = 0; t < l; t++) {
      let a = 0, b = 0, m = -Infinity;
      for (let s = 0; s <= t; s++) m = Math.max(m, k[s * d + c] - (t - s) * w[c]);
      for (let s = 0; s <= t; s++) { const e = Math.exp(k[s * d + c] - (t - s) * w[c] - m); a += e * v[s * d + c]; b += e; }
      const i = t * d + c;
      expect(od[i]).toBeCloseTo(m, 4);
      expect(pd[i]).toBeCloseTo(a, 4);
      expect(qd[i]).toBeCloseTo(b, 4);
    }
    tf.dispose([o, p, q]);
  });

  it("wkv, wkvClosed and wkvStates leak no tensors (also when they throw)", () => {
    const {w, u, k, v} = random(9, 2, 1);
    const kt = tf.tensor2d(k, [9, 2]);
    expectNoLeak(() => wkv(w, u, kt, Array.from({length: 9}, (_, t) => [v[2 * t], v[2 * t + 1]])));
    kt.dispose();
    expectNoLeak(() => wkvClosed(w, u, Array.from({length: 9}, (_, t) => [k[2 * t], k[2 * t + 1]]), Array.from({length: 9}, (_, t) => [v[2 * t], v[2 * t + 1]])));
    expectNoLeak(() => { const s = wkvStates(w, [[1, 2]], [[3, 4]]); return [s.o, s.p, s.q]; });
    expectNoLeak(() => { try { wkv([1], [0], [[1, 2]], [[1, 2]]); } catch { /* expected */ } });
  });

  it("bad inputs throw messages naming the function and argument", () => {
    expect(() => wkv([1, 1], [0, 0], [1, 2], [1, 2])).toThrow(/wkv: k must be rank 2 \(l, d\)/);
    expect(() => wkv([1, 1], [0, 0], [[1, 2]], [[1, 2], [3, 4]])).toThrow(/wkv: v must have shape \(l, d\)/);
    expect(() => wkv([1, 1, 1], [0, 0], [[1, 2]], [[1, 2]])).toThrow(/wkv: w must be a number or have shape \(2\), but got \(3\)/);
    expect(() => wkvClosed([1, 1], [0], [[1, 2]], [[1, 2]])).toThrow(/wkvClosed: u must be a number or have shape \(2\)/);
    expect(() => wkv([1, NaN], [0, 0], [[1, 2]], [[1, 2]])).toThrow(/wkv: w must be finite, but entry 1 is NaN/);
    expect(() => wkv([1, 1], [0, 0], [[1, Infinity]], [[1, 2]])).toThrow(/wkv: k must be finite/);
    expect(() => wkvStates(1, [[]], [[]])).toThrow(/wkvStates: k must have shape \(l, d\) with l, d ≥ 1/);
  });
});
