import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {
  decayMask, segsum, ssdFused, selectiveScan, selectiveToSsd, semiseparableMask, ssd, ssdLoop, ssdMatrix, ssdQuadratic, ssdRecurrent, ssdSteps
} from "../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, loadFixture, maxAbs, printAccuracy, recordAccuracy, useBackend} from "./helpers.js";

interface SsdCase {
  name: string; b: number; l: number; h: number; p: number; n: number;
  x: number[]; a: number[]; B: number[]; C: number[]; initialState: number[] | null; y: number[]; finalState: number[];
}
interface StepsCase extends SsdCase {chunk: number; yDiag: number[]; yOff: number[]; chunkStates: number[]; startStates: number[]; L: number[]}
const fx = loadFixture<{ssd: SsdCase[]; ssdSteps: StepsCase; semiseparable: {l: number; a: number[]; L: number[]}}>("linattn");

/** Chunk lengths every equivalence is checked for (l and beyond l added per case). */
const CHUNKS = [1, 2, 3, 7, 16, 64];

function tensors(c: SsdCase) {
  return {
    x: tf.tensor(c.x, [c.b, c.l, c.h, c.p]), a: tf.tensor(c.a, [c.b, c.l, c.h]),
    B: tf.tensor(c.B, [c.b, c.l, c.h, c.n]), C: tf.tensor(c.C, [c.b, c.l, c.h, c.n]),
    S0: c.initialState ? tf.tensor(c.initialState, [c.b, c.h, c.p, c.n]) : null
  };
}

/** A seeded random SSD problem: a = −softplus(·)·exp(·) ≤ 0 like Mamba-2's Δ·A. */
function randomCase(nb: number, l: number, h: number, p: number, n: number, seed: number, withS0 = true): SsdCase {
  const r = lcg(seed);
  const u = (count: number) => Array.from({length: count}, () => 2 * r() - 1);
  const a = Array.from({length: nb * l * h}, () => -Math.log1p(Math.exp(2 * r() - 2)) * Math.exp(r() - 0.5));
  const x = u(nb * l * h * p), B = u(nb * l * h * n), C = u(nb * l * h * n);
  const S0 = withS0 ? u(nb * h * p * n) : null;
  const ref = ssdLoop(x, a, B, C, nb, l, h, p, n, S0);
  return {name: `random b=${nb} l=${l} h=${h} p=${p} n=${n}`, b: nb, l, h, p, n, x, a, B, C, initialState: S0, y: Array.from(ref.y), finalState: Array.from(ref.finalState)};
}

describe.each(BACKENDS)("ssd on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`ssd/${backend}`));

  it.each(fx.ssd.map((c) => [c.name, c] as const))("ssd(x, a, B, C) with every chunk length matches the numpy loop for %s", (_, c) => {
    const {x, a, B, C, S0} = tensors(c);
    const tol = {atol: 2e-6 * Math.max(1, maxAbs(c.y)), rtol: 1e-5};
    for (const chunk of [...CHUNKS, c.l, c.l + 3]) {
      const r = ssd(x, a, B, C, {chunk, initialState: S0});
      expect(r.y.shape).toEqual([c.b, c.l, c.h, c.p]);
      expect(r.finalState.shape).toEqual([c.b, c.h, c.p, c.n]);
      recordAccuracy(`ssd/${backend}`, backend, `${c.name} chunk ${chunk}`, assertClose(r.y, c.y, {...tol, label: `chunk ${chunk} y: `}));
      assertClose(r.finalState, c.finalState, {...tol, label: `chunk ${chunk} finalState: `});
      tf.dispose([r.y, r.finalState]);
    }
    tf.dispose([x, a, B, C, S0 ?? []].flat());
  });

  it.each(fx.ssd.map((c) => [c.name, c] as const))("ssdQuadratic and ssdRecurrent match the numpy loop for %s", (_, c) => {
    const {x, a, B, C, S0} = tensors(c);
    const tol = {atol: 2e-6 * Math.max(1, maxAbs(c.y)), rtol: 1e-5};
    for (const [name, f] of [["quadratic", ssdQuadratic], ["recurrent", ssdRecurrent]] as const) {
      const r = f(x, a, B, C, {initialState: S0});
      recordAccuracy(`ssd/${backend}`, backend, `${c.name} ${name}`, assertClose(r.y, c.y, {...tol, label: `${name} y: `}));
      assertClose(r.finalState, c.finalState, {...tol, label: `${name} finalState: `});
      tf.dispose([r.y, r.finalState]);
    }
    tf.dispose([x, a, B, C, S0 ?? []].flat());
  });

  it("ssdLoop (the plain-loop baseline) matches the numpy loop", () => {
    for (const c of fx.ssd) {
      const r = ssdLoop(c.x, c.a, c.B, c.C, c.b, c.l, c.h, c.p, c.n, c.initialState);
      assertClose(r.y, c.y, {atol: 1e-6, rtol: 1e-6});
      assertClose(r.finalState, c.finalState, {atol: 1e-6, rtol: 1e-6});
    }
  });

  it("ssd chunked = ssdRecurrent = ssdQuadratic = ssdLoop at odd l = 101 for chunk 1, 2, 3, 7, 16, 64, 101 and 128", () => {
    const c = randomCase(2, 101, 2, 4, 8, 7);
    const {x, a, B, C, S0} = tensors(c);
    const tol = {atol: 1e-5 * Math.max(1, maxAbs(c.y)), rtol: 1e-4};
    const rq = ssdQuadratic(x, a, B, C, {initialState: S0});
    const rr = ssdRecurrent(x, a, B, C, {initialState: S0});
    assertClose(rq.y, c.y, {...tol, label: "quadratic: "});
    assertClose(rr.y, c.y, {...tol, label: "recurrent: "});
    assertClose(rr.finalState, rq.finalState, {...tol, label: "recurrent vs quadratic state: "});
    for (const chunk of [...CHUNKS, 101, 128]) {
      const r = ssd(x, a, B, C, {chunk, initialState: S0});
      assertClose(r.y, rq.y, {...tol, label: `chunk ${chunk} vs quadratic: `});
      assertClose(r.y, rr.y, {...tol, label: `chunk ${chunk} vs recurrent: `});
      assertClose(r.finalState, c.finalState, {...tol, label: `chunk ${chunk} finalState: `});
      tf.dispose([r.y, r.finalState]);
    }
    tf.dispose([x, a, B, C, S0 ?? [], rq.y, rq.finalState, rr.y, rr.finalState].flat());
  });

  it("ssd(x, a, B, C) with the default chunk 64 equals the recurrence at l = 300 (5 chunks, a partial last one)", () => {
    const c = randomCase(1, 300, 3, 5, 6, 8, false);
    const {x, a, B, C} = tensors(c);
    const r = ssd(x, a, B, C);
    assertClose(r.y, c.y, {atol: 1e-5 * Math.max(1, maxAbs(c.y)), rtol: 1e-4});
    assertClose(r.finalState, c.finalState, {atol: 1e-5 * Math.max(1, maxAbs(c.finalState)), rtol: 1e-4});
    tf.dispose([x, a, B, C, r.y, r.finalState]);
  });

  it("ssdSteps(x, a, B, C) returns the numpy port's intermediates, and yDiag + yOff = y", () => {
    const c = fx.ssdSteps;
    const {x, a, B, C, S0} = tensors(c);
    const s = ssdSteps(x, a, B, C, {chunk: c.chunk, initialState: S0});
    expect([s.chunk, s.chunks, s.padded]).toEqual([c.chunk, c.l / c.chunk, 0]);
    const tol = {atol: 2e-6 * Math.max(1, maxAbs(c.y)), rtol: 1e-5};
    assertClose(s.y, c.y, {...tol, label: "y: "});
    assertClose(s.finalState, c.finalState, {...tol, label: "finalState: "});
    assertClose(s.yDiag, c.yDiag, {...tol, label: "yDiag: "});
    assertClose(s.yOff, c.yOff, {...tol, label: "yOff: "});
    expect(s.chunkStates.shape).toEqual([c.b, c.l / c.chunk, c.h, c.p, c.n]);
    assertClose(s.chunkStates, c.chunkStates, {...tol, label: "chunkStates: "});
    assertClose(s.startStates, c.startStates, {...tol, label: "startStates: "});
    expect(s.L.shape).toEqual([c.b, c.h, c.l / c.chunk, c.chunk, c.chunk]);
    assertClose(s.L, c.L, {atol: 1e-6, rtol: 1e-5, label: "L: "});
    const sum = tf.add(s.yDiag, s.yOff);
    assertClose(sum, s.y, {atol: 1e-6, rtol: 1e-6});
    // the inter-chunk recurrence by hand: start_{k+1} = chunkDecay_k · start_k + chunkState_k
    const [st, cs, cd] = [s.startStates.arraySync() as number[][][][][], s.chunkStates.arraySync() as number[][][][][], s.chunkDecay.arraySync() as number[][][]];
    for (let k = 0; k + 1 < s.chunks; k++) {
      const want = st[0][k].map((hh, ih) => hh.map((row, ip) => row.map((v, j) => cd[0][ih][k] * v + cs[0][k][ih][ip][j])));
      assertClose(st[0][k + 1], want, {atol: 1e-5, rtol: 1e-5, label: `start state of chunk ${k + 1}: `});
    }
    tf.dispose([x, a, B, C, S0 ?? [], sum, s.y, s.finalState, s.L, s.yDiag, s.yOff, s.chunkStates, s.startStates, s.chunkDecay].flat());
  });

  it("ssdSteps with l not a multiple of the chunk pads the last chunk and still sums to y", () => {
    const c = randomCase(1, 10, 2, 2, 3, 9);
    const {x, a, B, C, S0} = tensors(c);
    const s = ssdSteps(x, a, B, C, {chunk: 4, initialState: S0});
    expect([s.chunk, s.chunks, s.padded]).toEqual([4, 3, 2]);
    expect(s.yDiag.shape).toEqual([1, 10, 2, 2]);
    assertClose(s.y, c.y, {atol: 1e-5, rtol: 1e-5});
    const sum = tf.add(s.yDiag, s.yOff);
    assertClose(sum, c.y, {atol: 1e-5, rtol: 1e-5});
    tf.dispose([x, a, B, C, S0 ?? [], sum, s.y, s.finalState, s.L, s.yDiag, s.yOff, s.chunkStates, s.startStates, s.chunkDecay].flat());
  });

  it("semiseparableMask(a) is the product of exp(a) over each segment (numpy fixture), and RetNet's γ^(t−s) for constant a = log γ", () => {
    const {l, a, L} = fx.semiseparable;
    const M = semiseparableMask(a);
    expect(M.shape).toEqual([l, l]);
    assertClose(M, L, {atol: 1e-7, rtol: 1e-6});
    const g = semiseparableMask(new Array(9).fill(Math.log(0.8)));
    const D = decayMask(9, 0.8);
    assertClose(g, D, {atol: 1e-6, rtol: 1e-5});
    const batched = semiseparableMask([a, a.map((v) => v / 2)]);
    expect(batched.shape).toEqual([2, l, l]);
    assertClose(tf.slice(batched, [0, 0, 0], [1, l, l]), L, {atol: 1e-7, rtol: 1e-6});
    tf.dispose([M, g, D, batched]);
  });

  it("segsum(x) holds the segment sums below the diagonal, 0 on it and −∞ above it", () => {
    const s = segsum([-1, -2, -3, -4]);
    expect(s.arraySync()).toEqual([[0, -Infinity, -Infinity, -Infinity], [-2, 0, -Infinity, -Infinity], [-5, -3, 0, -Infinity], [-9, -7, -4, 0]]);
    s.dispose();
  });

  it("ssdMatrix(a, B, C) times x equals ssd's y (the masked-attention view of SSD)", () => {
    const c = randomCase(2, 12, 2, 3, 4, 10, false);
    const {x, a, B, C} = tensors(c);
    const M = ssdMatrix(a, B, C); // (b, h, l, l)
    expect(M.shape).toEqual([2, 2, 12, 12]);
    const y = tf.tidy(() => tf.transpose(tf.matMul(M, tf.transpose(x, [0, 2, 1, 3])), [0, 2, 1, 3]));
    assertClose(y, c.y, {atol: 1e-5, rtol: 1e-5});
    const upper = tf.tidy(() => tf.sub(M, tf.linalg.bandPart(M, -1, 0)));
    expect(maxAbs(upper.dataSync())).toBe(0);
    tf.dispose([x, a, B, C, M, y, upper]);
  });

  it("ssd with scalar-per-channel A equals selectiveScan (the duality): h = d heads, p = 1, x = Δ·u, a = Δ·A", () => {
    const [nb, l, d, n] = [2, 37, 3, 4];
    const r = lcg(11);
    const u = tf.tensor(Array.from({length: nb * l * d}, () => 2 * r() - 1), [nb, l, d]);
    const delta = tf.tensor(Array.from({length: nb * l * d}, () => 0.05 + 0.5 * r()), [nb, l, d]);
    const Ad = [-0.5, -1.3, -2.1];
    const B = tf.tensor(Array.from({length: nb * l * n}, () => 2 * r() - 1), [nb, l, n]);
    const C = tf.tensor(Array.from({length: nb * l * n}, () => 2 * r() - 1), [nb, l, n]);
    const Afull = tf.tensor(Ad.flatMap((v) => new Array(n).fill(v)), [d, n]); // every state of channel c has A_c
    const sel = selectiveScan(u, delta, Afull, B, C, null, {returnLastState: true});
    const m = selectiveToSsd(u, delta, Ad, B, C);
    expect(m.x.shape).toEqual([nb, l, d, 1]);
    for (const chunk of [1, 5, 16, 64]) {
      const s = ssd(m.x, m.a, m.B, m.C, {chunk});
      const y = tf.reshape(s.y, [nb, l, d]);
      assertClose(y, sel.y, {atol: 1e-5, rtol: 1e-4, label: `chunk ${chunk} y: `});
      const last = tf.reshape(s.finalState, [nb, d, n]);
      assertClose(last, sel.lastState, {atol: 1e-5, rtol: 1e-4, label: `chunk ${chunk} state: `});
      tf.dispose([s.y, s.finalState, y, last]);
    }
    tf.dispose([u, delta, B, C, Afull, sel.y, sel.lastState, m.x, m.a, m.B, m.C]);
  });

  it("ssd with h heads of p channels each (Δ shared by a head) equals selectiveScan over d = h·p channels", () => {
    const [nb, l, h, p, n] = [1, 29, 2, 3, 5];
    const d = h * p;
    const r = lcg(12);
    const dt = Array.from({length: nb * l * h}, () => 0.05 + 0.4 * r()); // (b, l, h)
    const Ah = [-0.7, -1.9];
    const u = Array.from({length: nb * l * d}, () => 2 * r() - 1); // (b, l, d), channel c = head·p + i
    const Bv = Array.from({length: nb * l * n}, () => 2 * r() - 1);
    const Cv = Array.from({length: nb * l * n}, () => 2 * r() - 1);
    // selectiveScan side: Δ repeated over each head's p channels, A_c = A_head for every state
    const delta = Array.from({length: nb * l * d}, (_, i) => dt[Math.floor(i / d) * h + Math.floor((i % d) / p)]);
    const A = Array.from({length: d * n}, (_, i) => Ah[Math.floor(Math.floor(i / n) / p)]);
    const sel = selectiveScan(tf.tensor(u, [nb, l, d]), tf.tensor(delta, [nb, l, d]), tf.tensor(A, [d, n]), tf.tensor(Bv, [nb, l, n]), tf.tensor(Cv, [nb, l, n]));
    // SSD side: x = Δ·u laid out (b, l, h, p); a = Δ_head·A_head; B, C repeated per head
    const x = tf.tensor(u.map((v, i) => v * delta[i]), [nb, l, h, p]);
    const a = tf.tensor(dt.map((v, i) => v * Ah[i % h]), [nb, l, h]);
    const rep = (v: number[]) => tf.tidy(() => tf.broadcastTo(tf.reshape(tf.tensor(v), [nb, l, 1, n]), [nb, l, h, n]));
    const [B, C] = [rep(Bv), rep(Cv)];
    const s = ssd(x, a, B, C, {chunk: 8});
    const y = tf.reshape(s.y, [nb, l, d]);
    assertClose(y, sel as tf.Tensor, {atol: 1e-5, rtol: 1e-4});
    tf.dispose([sel as tf.Tensor, x, a, B, C, s.y, s.finalState, y]);
  });

  it("ssd stays finite for strong decay (a = −1000: y_t = (C_t·B_t) x_t) and equals running sums for a = 0", () => {
    const [l, h, p, n] = [50, 1, 2, 3];
    const c = randomCase(1, l, h, p, n, 13, false);
    const {x, B, C} = tensors(c);
    const strong = tf.fill([1, l, h], -1000);
    const r1 = ssd(x, strong, B, C, {chunk: 16});
    const want = tf.tidy(() => tf.mul(tf.sum(tf.mul(B, C), 3, true), x)); // (1, l, h, p)
    assertClose(r1.y, want, {atol: 1e-6, rtol: 1e-5});
    const zero = tf.zeros([1, l, h]);
    const r0 = ssd(x, zero, B, C, {chunk: 7});
    const ref = ssdLoop(c.x, new Array(l * h).fill(0), c.B, c.C, 1, l, h, p, n);
    assertClose(r0.y, ref.y, {atol: 1e-5, rtol: 1e-5});
    tf.dispose([x, B, C, strong, r1.y, r1.finalState, want, zero, r0.y, r0.finalState]);
  });

  it("ssdFused(x, a, B, C) (the loop on cpu and wasm) matches the numpy loop, with and without an initial state", () => {
    for (const c of fx.ssd) {
      const {x, a, B, C, S0} = tensors(c);
      const r = ssdFused(x, a, B, C, {initialState: S0});
      const tol = {atol: 2e-6 * Math.max(1, maxAbs(c.y)), rtol: 1e-5};
      assertClose(r.y, c.y, {...tol, label: `${c.name} y: `});
      assertClose(r.finalState, c.finalState, {...tol, label: `${c.name} finalState: `});
      tf.dispose([x, a, B, C, S0 ?? [], r.y, r.finalState].flat());
    }
    const c = randomCase(2, 101, 2, 4, 8, 17);
    const {x, a, B, C, S0} = tensors(c);
    const r = ssdFused(x, a, B, C, {initialState: S0, chunk: 7});
    const q = ssd(x, a, B, C, {initialState: S0, chunk: 7});
    assertClose(r.y, q.y, {atol: 1e-5, rtol: 1e-4});
    assertClose(r.finalState, q.finalState, {atol: 1e-5, rtol: 1e-4});
    tf.dispose([x, a, B, C, S0 ?? [], r.y, r.finalState, q.y, q.finalState].flat());
  });

  it("ssd is differentiable: its gradient in x, a, B and C equals ssdRecurrent's", () => {
    const c = randomCase(1, 20, 2, 2, 3, 14, false);
    const {x, a, B, C} = tensors(c);
    const w = tf.tensor(Array.from({length: 20 * 2 * 2}, (_, i) => Math.sin(i)), [1, 20, 2, 2]);
    const loss = (f: typeof ssd) => (xx: tf.Tensor, aa: tf.Tensor, BB: tf.Tensor, CC: tf.Tensor) => tf.sum(tf.mul(f(xx, aa, BB, CC, {chunk: 6}).y, w));
    const g1 = tf.grads(loss(ssd))([x, a, B, C]);
    const g2 = tf.grads(loss(ssdRecurrent as typeof ssd))([x, a, B, C]);
    g1.forEach((g, i) => assertClose(g, g2[i], {atol: 1e-4, rtol: 1e-4, label: `gradient ${i}: `}));
    tf.dispose([x, a, B, C, w, ...g1, ...g2]);
  });

  it("ssd kernels leave no tensors behind", () => {
    const c = randomCase(1, 10, 2, 2, 3, 15);
    const {x, a, B, C, S0} = tensors(c);
    const pair = (r: {y: tf.Tensor; finalState: tf.Tensor}) => [r.y, r.finalState];
    expectNoLeak(() => pair(ssd(x, a, B, C, {chunk: 3, initialState: S0})));
    expectNoLeak(() => pair(ssd(x, a, B, C)));
    expectNoLeak(() => pair(ssdQuadratic(x, a, B, C, {initialState: S0})));
    expectNoLeak(() => pair(ssdRecurrent(x, a, B, C, {initialState: S0})));
    expectNoLeak(() => pair(ssdFused(x, a, B, C, {initialState: S0})));
    expectNoLeak(() => pair(ssdFused(x, a, B, C)));
    expectNoLeak(() => {
      const s = ssdSteps(x, a, B, C, {chunk: 4, initialState: S0});
      return [s.y, s.finalState, s.L, s.yDiag, s.yOff, s.chunkStates, s.startStates, s.chunkDecay];
    });
    expectNoLeak(() => semiseparableMask([-1, -2]));
    expectNoLeak(() => segsum([-1, -2]));
    expectNoLeak(() => ssdMatrix(a, B, C));
    expectNoLeak(() => { const m = selectiveToSsd([[[1]]], [[[0.1]]], [-1], [[[1, 2]]], [[[3, 4]]]); return [m.x, m.a, m.B, m.C]; });
    const aBad = tf.onesLike(a);
    expectNoLeak(() => { expect(() => ssd(x, aBad, B, C)).toThrow(); });
    expectNoLeak(() => { expect(() => ssd(x, a, B, C, {chunk: -1})).toThrow(); });
    aBad.dispose();
    tf.dispose([x, a, B, C, S0 ?? []].flat());
  });

  it("ssd kernels reject bad inputs with messages that name the function and the argument", () => {
    const c = randomCase(1, 4, 2, 2, 3, 16);
    const {x, a, B, C} = tensors(c);
    const aBad = [[[-1, -1], [-1, 0.5], [-1, -1], [-1, -1]]];
    expect(() => ssd(x, aBad, B, C)).toThrow("ssd: a must be finite and ≤ 0, but entry 3 is 0.5");
    expect(() => ssdQuadratic(x, [[[-1, -1], [-1, NaN], [-1, -1], [-1, -1]]], B, C)).toThrow("ssdQuadratic: a must be finite and ≤ 0, but entry 3 is NaN");
    expect(() => ssd([1, 2], a, B, C)).toThrow("ssd: x must be rank 4 (b,l,h,p), but got rank 1 with shape (2)");
    expect(() => ssd(x, tf.zeros([1, 4, 3]), B, C)).toThrow("ssd: a must have shape (b,l,h) = (1,4,2), but got (1,4,3)");
    expect(() => ssd(x, a, tf.zeros([1, 4, 2]), C)).toThrow("ssd: B must be rank 4 (b,l,h,n), but got rank 3 with shape (1,4,2)");
    expect(() => ssd(x, a, B, tf.zeros([1, 4, 2, 5]))).toThrow("ssd: C must have shape (b,l,h,n) = (1,4,2,3), but got (1,4,2,5)");
    expect(() => ssd(x, a, B, C, {initialState: tf.zeros([1, 2, 3, 3])})).toThrow("ssd: initialState must have shape (b,h,p,n) = (1,2,2,3), but got (1,2,3,3)");
    expect(() => ssd(x, a, B, C, {chunk: 0})).toThrow("ssd: chunk must be an integer in [1, 9007199254740991], got 0");
    expect(() => ssdSteps(x, a, B, C, {chunk: 2.5})).toThrow("ssdSteps: chunk must be an integer in [1, 9007199254740991], got 2.5");
    expect(() => ssd(x, a, B, C, 3 as any)).toThrow("ssd: opts must be an object, got number");
    expect(() => ssdFused(x, aBad, B, C)).toThrow("ssdFused: a must be finite and ≤ 0, but entry 3 is 0.5");
    expect(() => ssdFused(x, a, B, C, {chunk: 0})).toThrow("ssdFused: chunk must be an integer in [1, 9007199254740991], got 0");
    expect(() => ssdRecurrent(tf.zeros([1, 0, 2, 2]), tf.zeros([1, 0, 2]), tf.zeros([1, 0, 2, 3]), tf.zeros([1, 0, 2, 3]))).toThrow("ssdRecurrent: x must have b, l, h, p ≥ 1, but got shape (1,0,2,2)");
    expect(() => ssd(x, a, [[[[Infinity, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0]]]] as any, C)).toThrow("ssd: B must be finite, but entry 0 is Infinity");
    expect(() => semiseparableMask([-1, 2])).toThrow("semiseparableMask: a must be finite and ≤ 0, but entry 1 is 2");
    expect(() => ssdMatrix(a, B, tf.zeros([1, 4, 2, 2]))).toThrow("ssdMatrix: C must have shape (b,l,h,n) = (1,4,2,3), but got (1,4,2,2)");
    expect(() => selectiveToSsd([[[1]]], [[[0]]], [-1], [[[1]]], [[[1]]])).toThrow("selectiveToSsd: delta must be finite and > 0, but entry 0 is 0");
    expect(() => selectiveToSsd([[[1]]], [[[0.1]]], [[-1]], [[[1]]], [[[1]]])).toThrow("selectiveToSsd: A must have shape (d) = (1), but got (1,1)");
    tf.dispose([x, a, B, C]);
  });
});
