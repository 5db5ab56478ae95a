// The miniatures of page 7's selective members (Ā depends on the input): Mamba (Theorem 1, a
// gated RNN), Mamba-2's state space duality in its forms. TimeMachine is in timemachine.ts.
import * as tf from "@tensorflow/tfjs";
import {gaussian, mulberry32, selectiveScan, ssd, ssdMatrix, ssdQuadratic, ssdRecurrent} from "../../kernels/index.js";
import {maxAbs, maxAbsDiff, range, readAll, smoothSignal, softplus} from "./common.js";

// ------------------------------------------------------------------------------ Mamba

export interface MambaMini {
  t: Float64Array;
  /** the values and the marker channel of the token stream */
  u: Float64Array;
  marker: Uint8Array;
  /** the gate g_t = 1 − e^{−Δ_t} = σ(z_t) at the chosen selectivity and at 0 (LTI) */
  gate: Float64Array;
  /** selective scan outputs at the chosen selectivity and at selectivity 0 (LTI) */
  y: Float64Array;
  yLti: Float64Array;
  /** the last marked value at each step (what a selective memory should hold) */
  target: Float64Array;
  rmsSel: number;
  rmsLti: number;
  /** max |selectiveScan − the gated RNN loop| (Theorem 1) */
  gatedDiff: number;
}

/** logit(0.1): the LTI gate keeps 90 % of the state at every step. */
export const LTI_LOGIT = Math.log(0.1 / 0.9);

/** The pre-softplus step z_t: LTI_LOGIT at selectivity 0, ±6 on marked/unmarked tokens at 1. */
export function mambaLogit(selectivity: number, marked: boolean): number {
  return (1 - selectivity) * LTI_LOGIT + selectivity * (marked ? 6 : -6);
}

/**
 * Mamba's Theorem 1 run on the site's selectiveScan: N = 1, A = −1, Δ_t = softplus(z_t) and
 * B_t = (1 − e^{−Δ_t})/Δ_t (so that the Euler B̄ of Mamba's code, Δ_t B_t, equals the ZOH value
 * 1 − e^{−Δ_t} of the theorem), C = 1: then x_t = (1 − g_t) x_{t−1} + g_t u_t, g_t = σ(z_t).
 * The token stream carries a value u_t and a marker; z_t leans on the marker as the selectivity
 * goes from 0 (one fixed gate, an LTI system) to 1 (open on marked tokens, shut elsewhere).
 */
export async function mambaMiniature({selectivity, L = 120, seed = 13}: {selectivity: number; L?: number; seed?: number}): Promise<MambaMini> {
  const r = mulberry32(seed);
  const u = Float64Array.from({length: L}, () => 2 * r() - 1);
  const marker = Uint8Array.from({length: L}, (_, t) => (t === 2 || r() < 0.07 ? 1 : 0));
  const inputs = [selectivity, 0].map((s) => {
    const z = Float64Array.from(marker, (m) => mambaLogit(s, m === 1));
    const delta = z.map((x) => softplus(x));
    return {z, delta, B: delta.map((d) => -Math.expm1(-d) / d)};
  });
  const uB = inputs.map(() => Array.from(u, (v) => [v]));
  const dB = inputs.map((i) => Array.from(i.delta, (d) => [d]));
  const BB = inputs.map((i) => Array.from(i.B, (b) => [b])), CB = inputs.map(() => Array.from({length: L}, () => [1]));
  const [Y] = await readAll([selectiveScan(uB, dB, [[-1]], BB, CB)]);
  const y = Float64Array.from(Y.subarray(0, L)), yLti = Float64Array.from(Y.subarray(L, 2 * L));
  const gate = inputs[0].z.map((z) => 1 / (1 + Math.exp(-z)));
  // Theorem 1's gated RNN, step by step
  const loop = new Float64Array(L);
  let x = 0;
  for (let t = 0; t < L; t++) { x = (1 - gate[t]) * x + gate[t] * u[t]; loop[t] = x; }
  const target = new Float64Array(L);
  let last = 0;
  for (let t = 0; t < L; t++) { if (marker[t]) last = u[t]; target[t] = last; }
  const rms = (a: Float64Array) => Math.sqrt(a.reduce((s, v, t) => s + (v - target[t]) ** 2, 0) / L);
  return {t: range(L), u, marker, gate, y, yLti, target, rmsSel: rms(y), rmsLti: rms(yLti), gatedDiff: maxAbsDiff(y, loop)};
}

// ------------------------------------------------------------------------------ Mamba-2

export interface Mamba2Mini {
  t: Float64Array;
  /** a_t = Δ_t·A ≤ 0 */
  a: Float64Array;
  /** the outputs (L, P) row-major by each form: the chunked SSD, its recurrence, its quadratic form, the selective scan */
  chunked: Float32Array;
  recurrent: Float32Array;
  quadratic: Float32Array;
  scan: Float32Array;
  /** output channel 1 of the chunked form */
  y0: Float64Array;
  diffRecurrent: number;
  diffQuadratic: number;
  diffScan: number;
  maxY: number;
  /** M = 𝓛 ∘ C Bᵀ (L, L) row-major: the "attention matrix" of the dual form (the site's ssdMatrix) */
  M: Float32Array;
  L: number; P: number; N: number; chunk: number; chunks: number;
}

/**
 * Mamba-2's SSD on one head (P = 2 channels, N = 4): Δ_t = softplus(−1 + s·3·(w·u_t)), a_t = Δ_t A
 * with the scalar A = −decay, x_t = Δ_t u_t, B_t = W_B u_t, C_t = W_C u_t (seeded). Four forms, all
 * the site's kernels: ssd (chunks of `chunk` steps), ssdRecurrent, ssdQuadratic, and selectiveScan
 * with every entry of A equal (a scalar A is Mamba-2's restriction of Mamba); and M = ssdMatrix.
 */
export async function mamba2Miniature({decay, selectivity, chunk = 8, L = 48, P = 2, N = 4, seed = 14}: {decay: number; selectivity: number; chunk?: number; L?: number; P?: number; N?: number; seed?: number}): Promise<Mamba2Mini> {
  const u = Array.from({length: P}, (_, p) => smoothSignal(L, seed + p));
  const g = gaussian(seed + 9);
  const WB = Array.from({length: N}, () => Array.from({length: P}, () => g())), WC = Array.from({length: N}, () => Array.from({length: P}, () => g()));
  const wd = Array.from({length: P}, () => g());
  const ut = Array.from({length: L}, (_, t) => u.map((ch) => ch[t]));
  const delta = ut.map((v) => softplus(-1 + selectivity * 3 * v.reduce((s, x, p) => s + wd[p] * x, 0)));
  const a = Float64Array.from(delta, (d) => -d * decay);
  const Bt = ut.map((v) => WB.map((row) => row.reduce((s, w, p) => s + w * v[p], 0)));
  const Ct = ut.map((v) => WC.map((row) => row.reduce((s, w, p) => s + w * v[p], 0)));
  // SSD's layout: x (1, L, 1 head, P), a (1, L, 1), B, C (1, L, 1, N)
  const xs = Float32Array.from(ut.flatMap((v, t) => v.map((e) => delta[t] * e)));
  const out = await readAll(tf.tidy(() => {
    const x = tf.tensor4d(xs, [1, L, 1, P]), aa = tf.tensor3d(Float32Array.from(a), [1, L, 1]);
    const BB = tf.tensor4d(Float32Array.from(Bt.flat()), [1, L, 1, N]), CC = tf.tensor4d(Float32Array.from(Ct.flat()), [1, L, 1, N]);
    const forms = [ssd(x, aa, BB, CC, {chunk}), ssdRecurrent(x, aa, BB, CC), ssdQuadratic(x, aa, BB, CC)];
    return [...forms.map((f) => f.y), ...forms.map((f) => f.finalState),
      selectiveScan([ut], [ut.map((_, t) => new Array<number>(P).fill(delta[t]))], Array.from({length: P}, () => new Array<number>(N).fill(-decay)), [Bt], [Ct]),
      ssdMatrix(aa, BB, CC)];
  }));
  const [chunked, recurrent, quadratic, , , , scan, M] = out;
  const c = Math.min(chunk, L);
  return {
    t: range(L), a, chunked, recurrent, quadratic, scan, y0: Float64Array.from({length: L}, (_, t) => chunked[t * P]),
    diffRecurrent: maxAbsDiff(chunked, recurrent), diffQuadratic: maxAbsDiff(chunked, quadratic), diffScan: maxAbsDiff(chunked, scan),
    maxY: maxAbs(chunked), M, L, P, N, chunk: c, chunks: Math.ceil(L / c)
  };
}
