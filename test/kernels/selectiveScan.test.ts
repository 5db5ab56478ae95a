import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {selectiveScan, selectiveScanComposite, selectiveScanLoop} from "../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, loadFixture, maxAbs, printAccuracy, recordAccuracy, useBackend} from "./helpers.js";

interface SelCase {
  name: string; b: number; l: number; d: number; n: number;
  u: number[]; delta: number[]; A: number[]; B: number[]; C: number[]; D: number[] | null; y: number[];
}
const fixtures = loadFixture<{selectiveScan: SelCase[]}>("seq").selectiveScan;

function args(c: SelCase) {
  return [
    tf.tensor(c.u, [c.b, c.l, c.d]), tf.tensor(c.delta, [c.b, c.l, c.d]), tf.tensor(c.A, [c.d, c.n]),
    tf.tensor(c.B, [c.b, c.l, c.n]), tf.tensor(c.C, [c.b, c.l, c.n]), c.D ? tf.tensor(c.D, [c.d]) : undefined
  ] as const;
}

describe.each(BACKENDS)("selectiveScan on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`selectiveScan/${backend}`));

  it.each(fixtures.map((c) => [c.name, c] as const))("selectiveScan matches mamba-minimal's loop (numpy) for %s", (_, c) => {
    const a = args(c);
    const y = selectiveScan(...a);
    expect(y.shape).toEqual([c.b, c.l, c.d]);
    const scale = Math.max(1, maxAbs(c.y));
    recordAccuracy(`selectiveScan/${backend}`, backend, c.name, assertClose(y, c.y, {atol: 2e-5 * scale, rtol: 1e-4, label: `${c.name}: `}));
    tf.dispose([y, ...a.filter((t): t is tf.Tensor => t != null)]);
  });

  it("selectiveScan with Δ, B, C constant over time equals the LTI recurrence per channel", () => {
    const r = lcg(7);
    const [nb, l, d, n] = [2, 50, 3, 4];
    const delta = [0.05, 0.2, 0.7]; // per channel, constant in t and b
    const A = Array.from({length: d * n}, (_, i) => -(1 + (i % n)) * (0.5 + r())); // (d, n)
    const B = Array.from({length: n}, () => 2 * r() - 1); // (n), constant
    const C = Array.from({length: n}, () => 2 * r() - 1); // (n), constant
    const D = [0.3, -1, 0];
    const u = Float32Array.from({length: nb * l * d}, () => 2 * r() - 1);
    // Expected: per (batch, channel) the time-invariant SSM x_t = Ā x_{t−1} + B̄ u_t,
    // y_t = C x_t + D u_t with diagonal Ā = exp(ΔA), B̄ = ΔB (Mamba's discretisation).
    const expected = new Float64Array(nb * l * d);
    for (let ib = 0; ib < nb; ib++) {
      for (let c = 0; c < d; c++) {
        const x = new Float64Array(n);
        for (let t = 0; t < l; t++) {
          const ut = u[(ib * l + t) * d + c];
          let y = D[c] * ut;
          for (let k = 0; k < n; k++) {
            x[k] = Math.exp(delta[c] * A[c * n + k]) * x[k] + delta[c] * B[k] * ut;
            y += C[k] * x[k];
          }
          expected[(ib * l + t) * d + c] = y;
        }
      }
    }
    const deltaT = tf.tile(tf.tensor(delta, [1, 1, d]), [nb, l, 1]); // (b, l, d)
    const BT = tf.tile(tf.tensor(B, [1, 1, n]), [nb, l, 1]); // (b, l, n)
    const CT = tf.tile(tf.tensor(C, [1, 1, n]), [nb, l, 1]); // (b, l, n)
    const y = selectiveScan(tf.tensor(u, [nb, l, d]), deltaT, tf.tensor(A, [d, n]), BT, CT, D);
    assertClose(y, expected, {atol: 1e-5, rtol: 1e-4});
    tf.dispose([y, deltaT, BT, CT]);
  });

  it("selectiveScan equals the Float32Array loop reference (selectiveScanLoop) at b=2, l=300, d=4, n=8", () => {
    const r = lcg(11);
    const [nb, l, d, n] = [2, 300, 4, 8];
    const u = Float32Array.from({length: nb * l * d}, () => 2 * r() - 1);
    const delta = Float32Array.from({length: nb * l * d}, () => 0.01 + 0.3 * r());
    const A = Float32Array.from({length: d * n}, (_, i) => -(1 + (i % n)));
    const B = Float32Array.from({length: nb * l * n}, () => 2 * r() - 1);
    const C = Float32Array.from({length: nb * l * n}, () => 2 * r() - 1);
    const D = Float32Array.from({length: d}, () => r());
    const y = selectiveScan(tf.tensor(u, [nb, l, d]), tf.tensor(delta, [nb, l, d]), tf.tensor(A, [d, n]),
      tf.tensor(B, [nb, l, n]), tf.tensor(C, [nb, l, n]), tf.tensor(D));
    assertClose(y, selectiveScanLoop(u, delta, A, B, C, D, nb, l, d, n), {atol: 1e-4, rtol: 1e-4});
    y.dispose();
  });

  it("selectiveScan leaves no tensors behind", () => {
    const c = fixtures[0];
    const a = args(c);
    expectNoLeak(() => selectiveScan(...a));
    const Cbad = a[4].slice([0, 0, 0], [2, 8, 3]);
    expectNoLeak(() => { expect(() => selectiveScan(a[0], a[1], a[2], a[3], Cbad)).toThrow(); });
    const deltaNeg = tf.neg(a[1]);
    expectNoLeak(() => { expect(() => selectiveScan(a[0], deltaNeg, a[2], a[3], a[4])).toThrow(); });
    tf.dispose([Cbad, deltaNeg, ...a.filter((t): t is tf.Tensor => t != null)]);
  });

  it("selectiveScan rejects bad inputs with messages that name the argument", () => {
    const c = fixtures[0]; // b=2, l=8, d=3, n=4
    const [u, delta, A, B, C, D] = args(c);
    expect(() => selectiveScan(tf.zeros([8, 3]), delta, A, B, C, D)).toThrow("selectiveScan: u must be rank 3 (b,l,d), but got rank 2 with shape (8,3)");
    expect(() => selectiveScan(u, tf.ones([2, 8, 2]), A, B, C, D)).toThrow("selectiveScan: delta must have shape (b,l,d) = (2,8,3), but got (2,8,2)");
    expect(() => selectiveScan(u, delta, tf.ones([4, 4]), B, C, D)).toThrow("selectiveScan: A must have shape (d,n) = (3,any), but got (4,4)");
    expect(() => selectiveScan(u, delta, tf.ones([3]), B, C, D)).toThrow("selectiveScan: A must be rank 2 (d,n), but got rank 1 with shape (3)");
    expect(() => selectiveScan(u, delta, A, tf.ones([2, 8, 3]), C, D)).toThrow("selectiveScan: B must have shape (b,l,n) = (2,8,4), but got (2,8,3)");
    expect(() => selectiveScan(u, delta, A, B, tf.ones([1, 8, 4]), D)).toThrow("selectiveScan: C must have shape (b,l,n) = (2,8,4), but got (1,8,4)");
    expect(() => selectiveScan(u, delta, A, B, C, [1, 2])).toThrow("selectiveScan: D must have shape (d) = (3), but got (2)");
    const deltaBad = tf.tensor(c.delta.map((x, i) => (i === 5 ? 0 : x)), [2, 8, 3]);
    expect(() => selectiveScan(u, deltaBad, A, B, C, D)).toThrow("selectiveScan: delta must be finite and > 0, but entry 5 is 0");
    const deltaNeg = tf.neg(delta);
    expect(() => selectiveScan(u, deltaNeg, A, B, C, D)).toThrow(/^selectiveScan: delta must be finite and > 0, but entry 0 is -/);
    const uNaN = tf.tensor(c.u.map((x, i) => (i === 2 ? NaN : x)), [2, 8, 3]);
    expect(() => selectiveScan(uNaN, delta, A, B, C, D)).toThrow("selectiveScan: u must be finite, but entry 2 is NaN");
    const CInf = tf.tensor(c.C.map((x, i) => (i === 9 ? -Infinity : x)), [2, 8, 4]);
    expect(() => selectiveScan(u, delta, A, B, CInf, D)).toThrow("selectiveScan: C must be finite, but entry 9 is -Infinity");
    expect(() => selectiveScan(u, delta, A, B, C, [1, 2, NaN])).toThrow("selectiveScan: D must be finite, but entry 2 is NaN");
    tf.dispose([u, delta, A, B, C, D!, deltaBad, deltaNeg, uNaN, CInf]);
  });
});

describe.each(BACKENDS)("selectiveScan's whole interface on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  const r = lcg(23);
  const [nb, l, d, n] = [2, 37, 3, 5];
  const rnd = (m: number, lo = -1, hi = 1) => Float32Array.from({length: m}, () => lo + (hi - lo) * r());
  const u = rnd(nb * l * d), deltaRaw = rnd(nb * l * d, -3, 1), A = rnd(d * n, -2, -0.1);
  const B = rnd(nb * l * n), C = rnd(nb * l * n), D = rnd(d), z = rnd(nb * l * d, -2, 2), bias = rnd(d, -1, 0.5);
  const T = () => [tf.tensor(u, [nb, l, d]), tf.tensor(deltaRaw, [nb, l, d]), tf.tensor(A, [d, n]), tf.tensor(B, [nb, l, n]), tf.tensor(C, [nb, l, n])] as const;

  it.each([selectiveScan, selectiveScanComposite])("%o with z, deltaBias, softplus and the last state equals the loop", (f) => {
    const args = T();
    const last = new Float32Array(nb * d * n);
    const want = selectiveScanLoop(u, deltaRaw, A, B, C, D, nb, l, d, n, {z, deltaBias: bias, deltaSoftplus: true, lastState: last});
    const zt = tf.tensor(z, [nb, l, d]);
    const out = f(...args, D, {z: zt, deltaBias: bias, deltaSoftplus: true, returnLastState: true});
    expect(out.y.shape).toEqual([nb, l, d]);
    expect(out.lastState.shape).toEqual([nb, d, n]);
    assertClose(out.y, want, {atol: 1e-5, rtol: 1e-4});
    assertClose(out.lastState, last, {atol: 1e-5, rtol: 1e-4});
    tf.dispose([out.y, out.lastState, zt, ...args]);
  });

  it("selectiveScan takes null for an omitted D and accepts any finite Δ when softplus is on", () => {
    const args = T();
    const y = selectiveScan(...args, null, {deltaSoftplus: true});
    assertClose(y, selectiveScanLoop(u, deltaRaw, A, B, C, null, nb, l, d, n, {deltaSoftplus: true}), {atol: 1e-5, rtol: 1e-4});
    expect(() => selectiveScan(...args, null)).toThrow(/^selectiveScan: delta must be finite and > 0, but entry \d+ is -/);
    expect(() => selectiveScan(...args, null, {z: [1, 2]})).toThrow("selectiveScan: z must have shape (b,l,d) = (2,37,3), but got (2)");
    expect(() => selectiveScan(...args, null, {deltaSoftplus: true, deltaBias: [0, NaN, 0]})).toThrow("selectiveScan: deltaBias must be finite, but entry 1 is NaN");
    const zt = tf.tensor(z, [nb, l, d]);
    expectNoLeak(() => Object.values(selectiveScanComposite(...args, D, {z: zt, returnLastState: true, deltaSoftplus: true})));
    tf.dispose([y, zt, ...args]);
  });
});
