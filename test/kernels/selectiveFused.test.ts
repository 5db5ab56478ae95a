// The fused selective scan (cpu and wasm kernels registered as "SelectiveScan") against the
// numpy port of Mamba's selective_scan_ref (reference/ref_selective.py), the composite ops
// and the plain loop; gradients through the fused path; bytes moved; leaks and messages.
import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {
  SELECTIVE_SCAN, selectiveScan, selectiveScanBytes, selectiveScanComposite, selectiveScanFused, selectiveScanLoop, selectiveScanPath
} from "../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, loadFixture, maxAbs, printAccuracy, recordAccuracy, useBackend} from "./helpers.js";

interface Case {
  name: string; b: number; l: number; d: number; n: number; deltaSoftplus: boolean;
  u: number[]; delta: number[]; A: number[]; B: number[]; C: number[];
  D: number[] | null; z: number[] | null; deltaBias: number[] | null; y: number[]; lastState: number[];
}
const fixtures = loadFixture<{selectiveScan: Case[]}>("selective").selectiveScan;

function tensors(c: Case) {
  return [tf.tensor(c.u, [c.b, c.l, c.d]), tf.tensor(c.delta, [c.b, c.l, c.d]), tf.tensor(c.A, [c.d, c.n]),
    tf.tensor(c.B, [c.b, c.l, c.n]), tf.tensor(c.C, [c.b, c.l, c.n])] as const;
}
const optsOf = (c: Case) => ({z: c.z ? tf.tensor(c.z, [c.b, c.l, c.d]) : null, deltaBias: c.deltaBias, deltaSoftplus: c.deltaSoftplus, returnLastState: true as const});

/** Random inputs drawn like Mamba's test_selective_scan (b=2, d=4, n=8 unless given). */
function draw(l: number, seed: number, {b = 2, d = 4, n = 8} = {}) {
  const r = lcg(seed);
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r());
  const arr = (m: number, f: () => number) => Float32Array.from({length: m}, f);
  return {
    b, l, d, n,
    u: arr(b * l * d, normal), delta: arr(b * l * d, () => 0.5 * r()), A: arr(d * n, () => -0.5 * r()),
    B: arr(b * l * n, normal), C: arr(b * l * n, normal), D: arr(d, normal), z: arr(b * l * d, normal), bias: arr(d, () => 0.5 * r())
  };
}

describe.each(BACKENDS)("fused selectiveScan on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`selectiveFused/${backend}`));

  it("selectiveScan runs the registered fused kernel (one SelectiveScan kernel, no composite ops)", async () => {
    const c = fixtures.find((f) => f.name === "l=64 D+z+bias+softplus")!;
    const a = tensors(c);
    const D = c.D!;
    const info = await tf.profile(() => selectiveScan(...a, D, {deltaSoftplus: true}));
    expect(info.kernelNames).toContain(SELECTIVE_SCAN);
    expect(info.kernelNames.filter((k) => k !== "unnamed scope")).toEqual([SELECTIVE_SCAN]);
    expect(selectiveScanPath(c.b, c.l, c.d, c.n)).toMatchObject({path: "fused", backend});
    info.result && tf.dispose(info.result as tf.Tensor);
    tf.dispose([...a]);
  });

  it.each(fixtures.map((c) => [c.name, c] as const))("selectiveScan, selectiveScanComposite and the loop match selective_scan_ref (numpy) for %s", (_, c) => {
    const a = tensors(c);
    const o = optsOf(c);
    const scale = Math.max(1, maxAbs(c.y));
    const tol = {atol: 2e-5 * scale, rtol: 1e-4};
    const fused = selectiveScan(...a, c.D, o);
    const comp = selectiveScanComposite(...a, c.D, o);
    const last = new Float32Array(c.b * c.d * c.n);
    const loop = selectiveScanLoop(c.u, c.delta, c.A, c.B, c.C, c.D, c.b, c.l, c.d, c.n, {z: c.z, deltaBias: c.deltaBias, deltaSoftplus: c.deltaSoftplus, lastState: last});
    expect(fused.y.shape).toEqual([c.b, c.l, c.d]);
    expect(fused.lastState.shape).toEqual([c.b, c.d, c.n]);
    recordAccuracy(`selectiveFused/${backend}`, backend, c.name, assertClose(fused.y, c.y, {...tol, label: `${c.name} fused y: `}));
    assertClose(fused.lastState, c.lastState, {atol: 2e-5 * Math.max(1, maxAbs(c.lastState)), rtol: 1e-4, label: `${c.name} fused lastState: `});
    assertClose(comp.y, c.y, {...tol, label: `${c.name} composite y: `});
    assertClose(comp.lastState, c.lastState, {atol: 2e-5 * Math.max(1, maxAbs(c.lastState)), rtol: 1e-4, label: `${c.name} composite lastState: `});
    assertClose(loop, c.y, {...tol, label: `${c.name} loop y: `});
    tf.dispose([fused.y, fused.lastState, comp.y, comp.lastState, o.z, ...a].filter((t): t is tf.Tensor => t != null));
  });

  // Mamba's own grid (tests/ops/test_selective_scan.py: seqlens up to 4096, b=2, d=4, n=8),
  // every option on and off in turn.
  const grid: [number, string][] = [];
  for (const l of [1, 2, 7, 64, 257, 1024]) for (const flags of ["plain", "D", "z", "bias", "softplus", "D+z+bias+softplus"]) grid.push([l, flags]);
  grid.push([4096, "D+z+bias+softplus"]);
  it.each(grid)("selectiveScan = selectiveScanComposite = loop at l=%i with %s (y and last state)", (l, flags) => {
    const s = draw(l, 1000 + l, {b: l > 1024 ? 1 : 2}); // the composite at b=2, l=4096 takes seconds on cpu
    const on = (f: string) => flags.includes(f);
    const sp = on("softplus");
    const D = on("D") ? s.D : null, z = on("z") ? s.z : null, bias = on("bias") ? s.bias : null;
    const last = new Float32Array(s.b * s.d * s.n);
    const want = selectiveScanLoop(s.u, s.delta, s.A, s.B, s.C, D, s.b, l, s.d, s.n, {z, deltaBias: bias, deltaSoftplus: sp, lastState: last});
    const args = [tf.tensor(s.u, [s.b, l, s.d]), tf.tensor(s.delta, [s.b, l, s.d]), tf.tensor(s.A, [s.d, s.n]), tf.tensor(s.B, [s.b, l, s.n]), tf.tensor(s.C, [s.b, l, s.n])] as const;
    const zt = z ? tf.tensor(z, [s.b, l, s.d]) : null;
    const opts = {z: zt, deltaBias: bias, deltaSoftplus: sp, returnLastState: true as const};
    const fused = selectiveScanFused(...args, D, opts);
    const comp = selectiveScanComposite(...args, D, opts);
    const scale = Math.max(1, maxAbs(want));
    assertClose(fused.y, want, {atol: 1e-5 * scale, rtol: 1e-4, label: "fused vs loop: "});
    assertClose(fused.y, comp.y, {atol: 2e-5 * scale, rtol: 1e-4, label: "fused vs composite: "});
    assertClose(fused.lastState, last, {atol: 1e-5 * Math.max(1, maxAbs(last)), rtol: 1e-4, label: "last state fused vs loop: "});
    assertClose(comp.lastState, last, {atol: 2e-5 * Math.max(1, maxAbs(last)), rtol: 1e-4, label: "last state composite vs loop: "});
    tf.dispose([fused.y, fused.lastState, comp.y, comp.lastState, ...args, ...(zt ? [zt] : [])]);
  });

  it("selectiveScan without the last state returns y alone, equal to the same call with it", () => {
    const s = draw(50, 7);
    const args = [tf.tensor(s.u, [2, 50, 4]), tf.tensor(s.delta, [2, 50, 4]), tf.tensor(s.A, [4, 8]), tf.tensor(s.B, [2, 50, 8]), tf.tensor(s.C, [2, 50, 8])] as const;
    const y = selectiveScan(...args, s.D, {deltaBias: s.bias, deltaSoftplus: true});
    const both = selectiveScan(...args, s.D, {deltaBias: s.bias, deltaSoftplus: true, returnLastState: true});
    expect(y).toBeInstanceOf(tf.Tensor);
    assertClose(y, both.y, {atol: 0, rtol: 0});
    tf.dispose([y, both.y, both.lastState, ...args]);
  });

  it("tf.grads through the fused selectiveScan equals tf.grads through selectiveScanComposite", () => {
    const s = draw(33, 3, {b: 2, d: 3, n: 5});
    const T = (x: Float32Array, shape: number[]) => tf.tensor(x, shape);
    const xs = [T(s.u, [2, 33, 3]), T(s.delta, [2, 33, 3]), T(s.A, [3, 5]), T(s.B, [2, 33, 5]), T(s.C, [2, 33, 5]),
      T(s.D, [3]), T(s.z, [2, 33, 3]), T(s.bias, [3])];
    const loss = (f: typeof selectiveScan) => (u: tf.Tensor, dl: tf.Tensor, A: tf.Tensor, B: tf.Tensor, C: tf.Tensor, D: tf.Tensor, z: tf.Tensor, bias: tf.Tensor) =>
      tf.sum(tf.mul(f(u, dl, A, B, C, D, {z, deltaBias: bias, deltaSoftplus: true}), tf.sin(tf.range(0, 2 * 33 * 3).reshape([2, 33, 3]))));
    const before = tf.memory().numTensors;
    const gF = tf.grads(loss(selectiveScan) as (...x: tf.Tensor[]) => tf.Tensor)(xs);
    const gC = tf.grads(loss(selectiveScanComposite as typeof selectiveScan) as (...x: tf.Tensor[]) => tf.Tensor)(xs);
    ["u", "delta", "A", "B", "C", "D", "z", "deltaBias"].forEach((name, i) => {
      expect(gF[i].shape).toEqual(xs[i].shape);
      assertClose(gF[i], gC[i], {atol: 1e-4 * Math.max(1, maxAbs(gC[i].dataSync())), rtol: 1e-4, label: `d/d${name}: `});
    });
    tf.dispose([...gF, ...gC]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(xs);
  });

  it("an optimizer trains through the fused selectiveScan (gradients reach A and the bias)", () => {
    const s = draw(20, 5, {b: 1, d: 2, n: 3});
    const A = tf.variable(tf.tensor(s.A, [2, 3]));
    const bias = tf.variable(tf.tensor(s.bias, [2]));
    const args = [tf.tensor(s.u, [1, 20, 2]), tf.tensor(s.delta, [1, 20, 2]), tf.tensor(s.B, [1, 20, 3]), tf.tensor(s.C, [1, 20, 3])];
    const opt = tf.train.sgd(0.05);
    const lossOf = () => tf.tidy(() => tf.mean(tf.square(selectiveScan(args[0], args[1], A, args[2], args[3], null, {deltaBias: bias, deltaSoftplus: true}))));
    const l0 = lossOf().dataSync()[0];
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) opt.minimize(lossOf as () => tf.Scalar);
    expect(tf.memory().numTensors).toBe(before);
    expect(lossOf().dataSync()[0]).toBeLessThan(l0);
    tf.dispose([A, bias, ...args]);
    opt.dispose();
  });

  it("selectiveScan (fused) leaves no tensors behind, returning y or {y, lastState}", () => {
    const c = fixtures.find((f) => f.name === "l=7 D+z+bias+softplus")!;
    const a = tensors(c);
    const z = tf.tensor(c.z!, [c.b, c.l, c.d]);
    expectNoLeak(() => selectiveScan(...a, c.D, {z, deltaBias: c.deltaBias, deltaSoftplus: true}));
    expectNoLeak(() => Object.values(selectiveScan(...a, c.D, {z, deltaBias: c.deltaBias, deltaSoftplus: true, returnLastState: true})));
    expectNoLeak(() => { expect(() => selectiveScanFused(a[0], a[1], a[2], a[3], a[4], [1, 2])).toThrow(); });
    tf.dispose([z, ...a]);
  });

  it("selectiveScanFused rejects bad inputs with messages that name itself and the argument", () => {
    const c = fixtures.find((f) => f.name === "l=7 plain")!; // b=2, l=7, d=4, n=8
    const [u, delta, A, B, C] = tensors(c);
    expect(() => selectiveScanFused(u, delta, A, B, C, [1, 2])).toThrow("selectiveScanFused: D must have shape (d) = (4), but got (2)");
    expect(() => selectiveScanFused(u, tf.neg(delta), A, B, C)).toThrow(/^selectiveScanFused: delta must be finite and > 0, but entry 0 is -/);
    expect(() => selectiveScanFused(u, delta, A, B, C, null, {z: tf.zeros([2, 7, 3])})).toThrow("selectiveScanFused: z must have shape (b,l,d) = (2,7,4), but got (2,7,3)");
    expect(() => selectiveScanFused(u, delta, A, B, C, null, {deltaSoftplus: true, deltaBias: [0, 0, Infinity, 0]})).toThrow("selectiveScanFused: deltaBias must be finite, but entry 2 is Infinity");
    tf.dispose([u, delta, A, B, C]);
  });
});

describe("selectiveScanBytes", () => {
  it("selectiveScanBytes({b:1, l:4, d:2, n:3}) counts the composite's (b,l,d,n) writes and the fused reads and writes", () => {
    // levels s = 1, 2: (5·4 + 2·3) + (5·4 + 2·2) = 50 length-units; plus exp(ΔA) 2·4, ΔBu 4, h·C 4 → 66
    expect(selectiveScanBytes({b: 1, l: 4, d: 2, n: 3})).toEqual({
      states: 4 * 24, fusedRead: 4 * (16 + 24 + 6 + 2), fusedWrite: 4 * 8, levels: 2, compositeStateTensors: 66 / 4, compositeWrite: 4 * 6 * 66
    });
  });

  it("selectiveScanBytes at Mamba-130M's d = 1536, l = 4096 gives the header's numbers (403 MB states, ~35 GB composite, ~100 MB fused)", () => {
    const r = selectiveScanBytes({b: 1, l: 4096, d: 1536, n: 16, z: true, deltaBias: true, lastState: true});
    expect(r.states).toBe(4 * 4096 * 1536 * 16);
    expect(r.levels).toBe(12);
    expect(r.compositeWrite / 1e9).toBeCloseTo(34.6, 1);
    expect((r.fusedRead + r.fusedWrite) / 1e6).toBeGreaterThan(95);
    expect((r.fusedRead + r.fusedWrite) / 1e6).toBeLessThan(105);
    expect(selectiveScanBytes({b: 1, l: 1, d: 1, n: 1}).levels).toBe(0);
  });

  it("selectiveScanBytes rejects sizes that are not positive integers", () => {
    expect(() => selectiveScanBytes({b: 1, l: 0, d: 2, n: 3})).toThrow("selectiveScanBytes: l must be an integer ≥ 1, got 0");
    expect(() => selectiveScanBytes({b: 1.5, l: 4, d: 2, n: 3})).toThrow("selectiveScanBytes: b must be an integer ≥ 1, got 1.5");
  });
});
