import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {discretizeF64, s5, s5Discretize, s5Init, s5Loop, s5States, ssmRecurrent, type S5Arrays} from "../../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, loadFixture, maxAbs, printAccuracy, recordAccuracy, useBackend} from "../helpers.js";

type C = {re: number[]; im: number[]};
interface Case {name: string; L: number; H: number; P: number; conj: boolean; Lambda: C; B: C; C: C; D: number[]; delta: number[]; u: number[]; y: number[]}
const fx = loadFixture<{s5: Case[]; hippoN: {P: number; re: number; im: number[]}}>("family");

const rows = (x: number[], r: number, c: number) => Array.from({length: r}, (_, i) => x.slice(i * c, (i + 1) * c));
const paramsOf = (c: Case) => ({
  Lambda: c.Lambda, B: {re: rows(c.B.re, c.P, c.H), im: rows(c.B.im, c.P, c.H)}, C: {re: rows(c.C.re, c.H, c.P), im: rows(c.C.im, c.H, c.P)}, D: c.D, delta: c.delta
});
const flatParams = (p: S5Arrays) => ({Lambda: p.Lambda, B: {re: p.B.re.flat(), im: p.B.im.flat()}, C: {re: p.C.re.flat(), im: p.C.im.flat()}, D: p.D, delta: p.delta});

/** The equivalent dense real system of 2P states: blocks [[a, −ω], [ω, a]], ZOH with Δ per mode (float64). */
function realSystem(p: S5Arrays, conj: boolean) {
  const P = p.Lambda.re.length, H = p.D.length, n = 2 * P;
  const A = Array.from({length: n}, () => new Array(n).fill(0)), B = Array.from({length: n}, () => new Array(H).fill(0));
  for (let i = 0; i < P; i++) {
    const d = p.delta[i], a = p.Lambda.re[i], w = p.Lambda.im[i];
    A[2 * i][2 * i] = d * a; A[2 * i][2 * i + 1] = -d * w; A[2 * i + 1][2 * i] = d * w; A[2 * i + 1][2 * i + 1] = d * a; // ΔA
    for (let h = 0; h < H; h++) { B[2 * i][h] = d * p.B.re[i][h]; B[2 * i + 1][h] = d * p.B.im[i][h]; } // ΔB
  }
  const {Ab, Bb} = discretizeF64(A, B, 1, "zoh"); // = exp(ΔA), A⁻¹(exp(ΔA) − I)B per block
  const s = conj ? 2 : 1;
  const Cr = p.C.re.map((row, h) => row.flatMap((c, i) => [s * c, -s * p.C.im[h][i]])); // s·[Re c, −Im c]
  return {Ab, Bb, C: Cr};
}

describe("s5Init (plain numbers)", () => {
  it("s5Init's Λ are HiPPO-N's eigenvalues −½ + iω (numpy eigh, one of each pair)", () => {
    const p = s5Init(fx.hippoN.P, 2, {seed: 1});
    expect(p.Lambda.re).toEqual(new Array(fx.hippoN.P).fill(-0.5));
    assertClose(p.Lambda.im, fx.hippoN.im, {atol: 1e-9, rtol: 1e-8}); // 9 digits in the JSON
    expect(p.delta.every((d) => d >= 0.001 && d <= 0.1)).toBe(true);
    expect(s5Init(4, 2, {seed: 1})).toEqual(p);
  });
  it("s5Init rejects bad sizes naming the argument", () => {
    expect(() => s5Init(0, 2)).toThrow(/s5Init: P must be an integer/);
    expect(() => s5Init(2, 2, {dtMin: 0.1, dtMax: 0.01})).toThrow(/s5Init: dtMax must be ≥ dtMin/);
  });
});

describe.each(BACKENDS)("s5 on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`s5/${backend}`));
  const log = (name: string, r: ReturnType<typeof assertClose>) => recordAccuracy(`s5/${backend}`, backend, name, r);

  it.each(fx.s5.map((c) => [c.name, c] as const))("s5(params, u) matches numpy's discretize_zoh + sequential apply_ssm for %s", (_, c) => {
    const y = s5(paramsOf(c), tf.tensor2d(c.u, [c.L, c.H]), {conj: c.conj});
    expect(y.shape).toEqual([c.L, c.H]);
    log(c.name, assertClose(y, c.y, {atol: 2e-5 * Math.max(1, maxAbs(c.y)), rtol: 1e-4}));
    y.dispose();
  });

  for (const [L, H, P] of [[1, 1, 1], [9, 2, 3], [200, 3, 4], [1025, 2, 8]] as const) {
    it(`s5 (parallel scan) = the loop, and = the dense real 2P-state system run by ssmRecurrent, for L = ${L}, H = ${H}, P = ${P}`, () => {
      const p = s5Init(P, H, {seed: L + P, dtMin: 0.01, dtMax: 0.3});
      const r = lcg(L);
      const u = Float32Array.from({length: L * H}, () => 2 * r() - 1);
      const y = s5(p, tf.tensor2d(u, [L, H]));
      const ref = s5Loop(flatParams(p), u, L, H, P, true);
      const tol = {atol: 5e-5 * Math.max(1, maxAbs(ref)), rtol: 1e-4};
      log(`scan=loop L=${L}`, assertClose(y, ref, tol));
      // MIMO = Σ over inputs of SISO systems: y_j = Σ_h ssmRecurrent(Ā, B̄[:, h], C_j, u_h) + D_j u_j
      const sys = realSystem(p, true);
      const dense = new Float64Array(L * H);
      for (let j = 0; j < H; j++) for (let h = 0; h < H; h++) {
        const yh = ssmRecurrent(sys.Ab, sys.Bb.map((row) => [row[h]]), [sys.C[j]], Float32Array.from({length: L}, (_, t) => u[t * H + h]));
        yh.dataSync().forEach((v, t) => { dense[t * H + j] += v; });
        yh.dispose();
      }
      for (let t = 0; t < L; t++) for (let j = 0; j < H; j++) dense[t * H + j] += p.D[j] * u[t * H + j];
      log(`scan=dense L=${L}`, assertClose(y, dense, tol));
      y.dispose();
    });
  }

  it("s5 with conj: false is Re(C x) + D u (no factor 2), and s5States are the complex states of the loop", () => {
    const L = 30, H = 2, P = 3, p = s5Init(P, H, {seed: 4, dtMin: 0.05, dtMax: 0.5});
    const r = lcg(3), u = Float32Array.from({length: L * H}, () => 2 * r() - 1);
    const y = s5(p, tf.tensor2d(u, [L, H]), {conj: false});
    assertClose(y, s5Loop(flatParams(p), u, L, H, P, false), {atol: 3e-5, rtol: 1e-4});
    const X = s5States(p, tf.tensor2d(u, [L, H]));
    expect(X.re.shape).toEqual([L, P]);
    const reLoop = new Float64Array(L * P), imLoop = new Float64Array(L * P);
    { // the complex recurrence itself, float64
      const xr = new Float64Array(P), xi = new Float64Array(P);
      for (let t = 0; t < L; t++) for (let n = 0; n < P; n++) {
        const d = p.delta[n], a = p.Lambda.re[n], w = p.Lambda.im[n], ea = Math.exp(d * a);
        const Ar = ea * Math.cos(d * w), Ai = ea * Math.sin(d * w), den = a * a + w * w;
        const fr = ((Ar - 1) * a + Ai * w) / den, fi = (Ai * a - (Ar - 1) * w) / den;
        let br = 0, bi = 0;
        for (let h = 0; h < H; h++) { br += p.B.re[n][h] * u[t * H + h]; bi += p.B.im[n][h] * u[t * H + h]; }
        const nr = Ar * xr[n] - Ai * xi[n] + fr * br - fi * bi, ni = Ar * xi[n] + Ai * xr[n] + fr * bi + fi * br;
        xr[n] = nr; xi[n] = ni; reLoop[t * P + n] = nr; imLoop[t * P + n] = ni;
      }
    }
    assertClose(X.re, reLoop, {atol: 2e-5, rtol: 1e-4});
    assertClose(X.im, imLoop, {atol: 2e-5, rtol: 1e-4});
    tf.dispose([y, X.re, X.im]);
  });

  it("s5Discretize gives Λ̄ = exp(ΔΛ) and B̄ = (Λ̄ − 1)/Λ · B̃, accurate for tiny Δ (no cancellation)", () => {
    const Lambda = {re: [-0.5, -0.5], im: [-3, -0.2]}, B = {re: [[1], [2]], im: [[0], [-1]]}, delta = [1e-4, 0.7];
    const {Lambdabar, Bbar} = s5Discretize(Lambda, B, delta);
    const want = Lambda.re.map((a, i) => {
      const w = Lambda.im[i], d = delta[i], ea = Math.exp(d * a), Ar = ea * Math.cos(d * w), Ai = ea * Math.sin(d * w), den = a * a + w * w;
      const fr = ((Ar - 1) * a + Ai * w) / den, fi = (Ai * a - (Ar - 1) * w) / den;
      return {Ar, Ai, br: fr * B.re[i][0] - fi * B.im[i][0], bi: fr * B.im[i][0] + fi * B.re[i][0]};
    });
    assertClose(Lambdabar.re, want.map((z) => z.Ar), {atol: 1e-7, rtol: 1e-6});
    assertClose(Lambdabar.im, want.map((z) => z.Ai), {atol: 1e-7, rtol: 1e-5});
    assertClose(Bbar.re, want.map((z) => [z.br]), {atol: 1e-9, rtol: 1e-5}); // B̄ ≈ ΔB̃ = 1e-4 for the first mode
    assertClose(Bbar.im, want.map((z) => [z.bi]), {atol: 1e-9, rtol: 1e-4});
    tf.dispose([Lambdabar.re, Lambdabar.im, Bbar.re, Bbar.im]);
  });

  it("s5, s5States and s5Discretize leak no tensors (also when they throw)", () => {
    const p = s5Init(2, 2, {seed: 2}), u = [[1, 2], [3, 4], [5, 6]];
    expectNoLeak(() => s5(p, u));
    expectNoLeak(() => { const X = s5States(p, u); return [X.re, X.im]; });
    expectNoLeak(() => { const z = s5Discretize(p.Lambda, p.B, p.delta); return [z.Lambdabar.re, z.Lambdabar.im, z.Bbar.re, z.Bbar.im]; });
    expectNoLeak(() => { try { s5({...p, delta: [0, 1]}, u); } catch { /* expected */ } });
  });

  it("bad inputs throw messages naming the function and argument", () => {
    const p = s5Init(2, 2, {seed: 2}), u = [[1, 2]];
    expect(() => s5(p, [1, 2])).toThrow(/s5: u must be rank 2 \(L, H\)/);
    expect(() => s5(p, [[1, 2, 3]])).toThrow(/s5: u must have shape \(L, H\)/);
    expect(() => s5({...p, Lambda: {re: [-0.5, 0], im: [1, 0]}}, u)).toThrow(/s5: Lambda must have λ ≠ 0/);
    expect(() => s5({...p, Lambda: {re: [-0.5], im: [1, 2]}}, u)).toThrow(/s5: Lambda.re and Lambda.im must have the same shape/);
    expect(() => s5({...p, delta: [0.1, -1]}, u)).toThrow(/s5: delta must be finite and > 0, but entry 1 is -1/);
    expect(() => s5({...p, B: {re: [[1, 2]], im: [[0, 0]]}}, u)).toThrow(/s5: B must have shape \(P, H\)/);
    expect(() => s5({...p, C: {re: [[1, 2]], im: [[0, 0]]}}, u)).toThrow(/s5: C must have shape \(H, P\)/);
    expect(() => s5({...p, D: [1, 2, 3]}, u)).toThrow(/s5: D must be a number or have shape \(2\)/);
    expect(() => s5States(null as never, u)).toThrow(/s5States: params must be/);
  });
});
