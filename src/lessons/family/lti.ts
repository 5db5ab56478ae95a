// The miniatures of page 7's time-invariant members (Ā fixed): HiPPO, S4, DSS, S4D, S5, GSS,
// H3, Mega and S4++. Each takes the card's controls as plain numbers, runs the site's kernels
// (kernels/index.ts) and returns plain arrays; tensors are read back asynchronously and
// disposed before it returns.
import * as tf from "@tensorflow/tfjs";
import {
  causalConv, discretize, dssKernel, ema, emaKernel, emaRecurrent, gaussian, gss, gssInit, gssKernel, h3, hippoArrays,
  hippoStatesF64, mulberry32, reconstructF64, reconstructionError, s4dInit, s4dKernel, s4dRealSystem, s5, s5Init,
  selectiveScan, ssmKernel, ssmRecurrent, type S4DInit
} from "../../kernels/index.js";
import {sampleSignal} from "../signals.js";
import {allFinite, maxAbs, maxAbsDiff, normalTable, range, readAll, smoothSignal} from "./common.js";

// ------------------------------------------------------------------------------ HiPPO

export interface HippoMini {
  /** sample times s_k = (k + ½)/L of the window [0, 1] */
  s: Float64Array;
  u: Float64Array;
  /** the history read back from the final state c_L (N numbers) */
  recon: Float64Array;
  c: Float64Array;
  rms: number;
  max: number;
}

/**
 * HiPPO-LegS memory: the state after L samples of a smooth signal (the site's float64 LegS
 * recurrence, hippoStatesF64), read back over the whole history through the scaled Legendre
 * basis (reconstructF64), and the error of that reconstruction.
 */
export function hippoMiniature({N, seed = 3, L = 400}: {N: number; seed?: number; L?: number}): HippoMini {
  const u = smoothSignal(L, seed);
  const X = hippoStatesF64("legs", N, u, 1 / L);
  const c = X.slice((L - 1) * N, L * N);
  const s = Float64Array.from({length: L}, (_, k) => (k + 0.5) / L);
  const recon = reconstructF64("legs", c, 1, s);
  const {rms, max} = reconstructionError("legs", c, 1, s, u);
  return {s, u, recon, c, rms, max};
}

// ------------------------------------------------------------------------------ S4

export interface S4Mini { k: Float64Array; K: Float32Array; Krec: Float32Array; maxDiff: number; maxK: number }

/**
 * S4's convolution kernel for HiPPO-LegS (N states) discretized by the bilinear rule with step
 * Δ, computed as C Āᵏ B̄ (the site's ssmKernel) and as the impulse response of the recurrence
 * (ssmRecurrent): the two views of page 4, on S4's own A. C is seeded N(0, 1).
 */
export async function s4Miniature({N, delta, L = 256, seed = 1}: {N: number; delta: number; L?: number; seed?: number}): Promise<S4Mini> {
  const {A, B} = hippoArrays("legs", N);
  const C = normalTable(1, N, seed);
  const impulse = new Float32Array(L);
  impulse[0] = 1;
  const [K, Krec] = await readAll(tf.tidy(() => {
    const {Ab, Bb} = discretize(A, B, delta, "bilinear");
    return [ssmKernel(Ab, Bb, C, L), ssmRecurrent(Ab, Bb, C, impulse)];
  }));
  return {k: range(L), K, Krec, maxDiff: maxAbsDiff(K, Krec), maxK: maxAbs(K)};
}

// ------------------------------------------------------------------------------ DSS

export interface DssMini {
  k: Float64Array;
  Ksoftmax: Float32Array;
  /** null when Re λ > 0 (DSS_exp is defined for Re λ ≤ 0 only) */
  Kexp: Float32Array | null;
  maxDiff: number;
  maxK: number;
  lambda: {re: number[]; im: number[]};
  reLambda: number;
}

/**
 * DSS's two kernels for the same system: DSS_softmax with weights w (seeded), and DSS_exp with
 * the weights that make it the same kernel, w̃ = w / (e^{LλΔ} − 1) (computed in float64),
 * whenever Re λ ≤ 0. Λ: the eigenvalues of HiPPO's normal part (−½ + iω, as DSS initialises
 * it; s5Init computes them), each real part moved by `shift`.
 */
export async function dssMiniature({delta, shift, N = 8, L = 256, seed = 2}: {delta: number; shift: number; N?: number; L?: number; seed?: number}): Promise<DssMini> {
  const lam = s5Init(N, 1).Lambda;
  const re = lam.re.map((r) => r + shift), im = lam.im;
  const g = gaussian(seed);
  const w = {re: [Array.from({length: N}, () => g())], im: [Array.from({length: N}, () => g())]};
  const reLambda = re[0];
  let Kexp: Float32Array | null = null;
  const [Ksoftmax] = await readAll([dssKernel({re, im}, w, delta, L, {variant: "softmax"})]);
  if (reLambda <= 0) {
    // w̃_i = w_i / (e^{Lλ_iΔ} − 1)
    const wt = {re: [new Array<number>(N)], im: [new Array<number>(N)]};
    for (let i = 0; i < N; i++) {
      const mag = Math.exp(L * re[i] * delta), ph = L * im[i] * delta;
      const dr = mag * Math.cos(ph) - 1, di = mag * Math.sin(ph), den = dr * dr + di * di;
      wt.re[0][i] = (w.re[0][i] * dr + w.im[0][i] * di) / den;
      wt.im[0][i] = (w.im[0][i] * dr - w.re[0][i] * di) / den;
    }
    [Kexp] = await readAll([dssKernel({re, im}, wt, delta, L, {variant: "exp"})]);
  }
  return {k: range(L), Ksoftmax, Kexp, maxDiff: Kexp ? maxAbsDiff(Ksoftmax, Kexp) : NaN, maxK: maxAbs(Ksoftmax), lambda: {re, im}, reLambda};
}

// ------------------------------------------------------------------------------ S4D

export interface S4dMini { k: Float64Array; K: Float32Array; Krec: Float32Array; maxDiff: number; maxK: number; lambda: {re: number[]; im: number[]} }

/**
 * S4D's kernel by its Vandermonde form (the site's s4dKernel) for an initialisation, and the
 * impulse response of the equivalent real system run as a recurrence (ssmRecurrent).
 */
export async function s4dMiniature({init, N, delta, L = 256, seed = 4}: {init: S4DInit; N: number; delta: number; L?: number; seed?: number}): Promise<S4dMini> {
  const modes = s4dInit(init, N);
  const m = modes.A.re.length, g = gaussian(seed);
  const C = {re: Array.from({length: m}, () => g()), im: modes.conj ? Array.from({length: m}, () => g()) : new Array<number>(m).fill(0)};
  const real = s4dRealSystem(modes, [C]);
  const impulse = new Float32Array(L);
  impulse[0] = 1;
  const [K, Krec] = await readAll(tf.tidy(() => {
    const {Ab, Bb} = discretize(real.A, real.B, delta, "zoh");
    return [s4dKernel(modes.A, modes.B, C, delta, L, {conj: modes.conj}), ssmRecurrent(Ab, Bb, real.C[0], impulse)];
  }));
  return {k: range(L), K, Krec, maxDiff: maxAbsDiff(K, Krec), maxK: maxAbs(K), lambda: {re: Array.from(modes.A.re), im: Array.from(modes.A.im)}};
}

// ------------------------------------------------------------------------------ S5

export interface S5Mini {
  k: Float64Array;
  /** the two inputs and the two outputs (L each) */
  u: [Float64Array, Float64Array];
  y: [Float64Array, Float64Array];
  /** Λ̄ = e^{ΔΛ} of the P modes (float64) */
  lambdaBar: {re: number[]; im: number[]};
  delta: number[];
  levels: number;
}

/**
 * S5: one MIMO system, H = 2 inputs (a sine and a square wave) sharing P complex modes, run by
 * the site's parallel scan (s5). Parameters from s5Init (HiPPO-N eigenvalues, seeded B̃, C̃, D = 0
 * here so the outputs are the state's alone), every Δ multiplied by `deltaScale`.
 */
export async function s5Miniature({P, deltaScale, L = 200, seed = 5}: {P: number; deltaScale: number; L?: number; seed?: number}): Promise<S5Mini> {
  const p = s5Init(P, 2, {seed, dtMin: 0.01, dtMax: 0.1});
  const delta = p.delta.map((d) => d * deltaScale);
  const u0 = sampleSignal("sine", L, 1, {freq: 3 / L}), u1 = sampleSignal("square", L, 1, {freq: 2 / L});
  const u = Array.from({length: L}, (_, k) => [u0[k], u1[k]]);
  const [Y] = await readAll([s5({...p, D: [0, 0], delta}, u)]);
  const y0 = new Float64Array(L), y1 = new Float64Array(L);
  for (let k = 0; k < L; k++) { y0[k] = Y[2 * k]; y1[k] = Y[2 * k + 1]; }
  const lambdaBar = {re: [] as number[], im: [] as number[]};
  p.Lambda.re.forEach((r, i) => {
    const mag = Math.exp(r * delta[i]), ph = p.Lambda.im[i] * delta[i];
    lambdaBar.re.push(mag * Math.cos(ph));
    lambdaBar.im.push(mag * Math.sin(ph));
  });
  return {k: range(L), u: [Float64Array.from(u0), Float64Array.from(u1)], y: [y0, y1], lambdaBar, delta, levels: Math.ceil(Math.log2(L))};
}

// ------------------------------------------------------------------------------ GSS

export interface GssMini {
  k: Float64Array;
  /** channel 1 of the input and of the layer's contribution o − x */
  x0: Float64Array;
  added0: Float64Array;
  /** the H reduced kernels (each L) */
  K: Float32Array[];
  E: number; H: number; F: number; N: number;
  /** SSM work (H·N·L) against DSS on all E channels (E·N·L) */
  ssmShare: number;
  finite: boolean;
}

/** The GSS layer (the site's gss) on E = 8 smooth channels, with a reduced SSM width H. */
export async function gssMiniature({H, E = 8, N = 16, L = 128, seed = 6}: {H: number; E?: number; N?: number; L?: number; seed?: number}): Promise<GssMini> {
  const F = 4 * E;
  const params = gssInit(E, {F, H, N, seed});
  const chans = Array.from({length: E}, (_, c) => smoothSignal(L, seed + 10 + c));
  const x = Array.from({length: L}, (_, k) => chans.map((ch) => ch[k]));
  const [O, Kflat] = await readAll(tf.tidy(() => [gss(x, params), gssKernel(params.LambdaLog, params.C, L)]));
  const x0 = chans[0], added0 = new Float64Array(L);
  for (let k = 0; k < L; k++) added0[k] = O[k * E] - x0[k];
  const K = Array.from({length: H}, (_, h) => Kflat.slice(h * L, (h + 1) * L));
  return {k: range(L), x0, added0, K, E, H, F, N, ssmShare: H / E, finite: allFinite(O)};
}

// ------------------------------------------------------------------------------ H3

export const H3_VOCAB = ["a", "b", "c", "d", "e", "f"] as const;

export interface H3Mini {
  tokens: number[];
  /** the layer's output at the last position, one score per vocabulary symbol */
  scores: Float64Array;
  /** the same, counted in plain JavaScript: Σ_s e^{−(t−s)Δ} [token_{s−1} = query][token_s = j] */
  expected: Float64Array;
  maxDiff: number;
  /** the symbol with the highest score */
  answer: number;
  query: number;
}

/**
 * An induction head made of H3 (the site's h3 kernel) with hand-set weights: q = k = v =
 * one-hot tokens, one head of width p = 6; the shift SSM is a delay by one step (B = e₁,
 * C = e₂, so K̃_t = K_{t−1}), the diagonal SSM one real mode whose kernel is e^{−kΔ}
 * (C chosen so that K̄₀ = 1), no skips. Then at the last position t the output is
 *   O_j = Σ_s e^{−(t−s)Δ} [token_{s−1} = token_t][token_s = j]:
 * which symbols followed earlier occurrences of the current one, the recent ones counting most.
 */
export async function h3Miniature({decay, query, seed = 7, l = 40}: {decay: number; query: number; seed?: number; l?: number}): Promise<H3Mini> {
  const p = H3_VOCAB.length, r = mulberry32(seed);
  const tokens = Array.from({length: l}, () => Math.floor(r() * p));
  tokens[l - 1] = query;
  const onehot = tokens.map((t) => Array.from({length: p}, (_, j) => (j === t ? 1 : 0)));
  const lam = -1; // one real mode λ = −1: kernel e^{−kΔ}
  const c = lam / (2 * Math.expm1(lam * decay)); // 2 Re(c B̄) = 1 with B̄ = (e^{Δλ} − 1)/λ
  const params = {
    shift: {B: Array.from({length: p}, () => [1, 0]), C: Array.from({length: p}, () => [0, 1]), D: new Array<number>(p).fill(0)},
    diag: {A: {re: [lam], im: [0]}, C: {re: [[c]], im: [[0]]}, delta: [decay], D: [0]},
    headDim: p
  };
  const [O] = await readAll([h3(onehot, onehot, onehot, params)]);
  const scores = Float64Array.from(O.subarray((l - 1) * p, l * p));
  const expected = new Float64Array(p);
  for (let s = 1; s < l; s++) if (tokens[s - 1] === tokens[l - 1]) expected[tokens[s]] += Math.exp(-(l - 1 - s) * decay);
  let answer = 0;
  for (let j = 1; j < p; j++) if (scores[j] > scores[answer]) answer = j;
  return {tokens, scores, expected, maxDiff: maxAbsDiff(scores, expected), answer, query};
}

// ------------------------------------------------------------------------------ Mega

export interface MegaMini { k: Float64Array; u: Float64Array; yConv: Float32Array; yRec: Float32Array; K: Float32Array; maxDiff: number; q: number }

/**
 * Mega's damped EMA on one channel with one EMA dimension (β = η = 1): by its kernel and an
 * FFT-or-Toeplitz convolution (the site's ema) and by its recurrence (emaRecurrent).
 */
export async function megaMiniature({alpha, delta, L = 200, seed = 8}: {alpha: number; delta: number; L?: number; seed?: number}): Promise<MegaMini> {
  const u = sampleSignal("noise", L, 1, {seed, hold: 12});
  const r = mulberry32(seed + 1);
  for (let k = 0; k < L; k++) u[k] += 0.3 * (2 * r() - 1);
  const params = {alpha: [[alpha]], delta: [[delta]], beta: [[1]], eta: [[1]]};
  const x = Array.from(u, (v) => [v]);
  const [yConv, yRec, K] = await readAll(tf.tidy(() => [ema(x, params), emaRecurrent(x, params), emaKernel(params, L)]));
  return {k: range(L), u: Float64Array.from(u), yConv, yRec, K, maxDiff: maxAbsDiff(yConv, yRec), q: 1 - alpha * delta};
}

// ------------------------------------------------------------------------------ S4++

/** The inputs the S4++ card compares: u, the SMR input, and two controls that separate its effects. */
export const S4PP_INPUTS = [
  {id: "u", label: "u (the plain input)"},
  {id: "smr", label: "u·(m∗u) (State Memory Reply)"},
  {id: "smr-centred", label: "u·(m∗u) minus its mean (control)"},
  {id: "u-shifted", label: "u shifted to the SMR input's mean (control)"}
] as const;
export type S4ppInput = typeof S4PP_INPUTS[number]["id"];

export interface S4ppRuns { input: Float64Array; uniform: Float64Array; jittered: Float64Array[]; spread: number }

export interface S4ppMini {
  k: Float64Array;
  /** per input (S4PP_INPUTS): the input, the output on the uniform grid and on each jittered grid, the relative spread */
  runs: Record<S4ppInput, S4ppRuns>;
  /** the steps of the jittered grids (runs × L) */
  steps: Float32Array[];
  nRuns: number;
}

/**
 * The Non-Stable-States effect of S4++ (Qi et al. 2023), measured: a diagonal SSM (S4D-Real,
 * N = 8, base step Δ = 0.05) driven by the same input on the uniform grid and on `runs` grids
 * whose steps are jittered, Δ_k = Δ(1 + jitter·ε_k), ε_k uniform in [−1, 1]. Per-step Δ is
 * what the site's selectiveScan takes (ZOH for A, Euler for B). The same for the State Memory
 * Reply input u'_k = u_k·(m ∗ u)_k (the causal convolution by the site's causalConv, m the
 * average of the last `window` inputs: an untrained stand-in for the learned m) and for two
 * controls: the SMR input with its mean removed, and u shifted to the SMR input's mean. All
 * 4·(runs + 1) sequences go through one selectiveScan call.
 */
export async function s4ppMiniature({jitter, window, runs = 6, L = 200, seed = 9}: {jitter: number; window: number; runs?: number; L?: number; seed?: number}): Promise<S4ppMini> {
  const N = 8, base = 0.05;
  const u = Float64Array.from(sampleSignal("noise", L, 1, {seed, hold: 10}));
  const m = new Float32Array(L);
  for (let j = 0; j < Math.min(window, L); j++) m[j] = 1 / window;
  const [mu] = await readAll([causalConv(Float32Array.from(u), m)]);
  const smr = Float64Array.from(u, (v, k) => v * mu[k]);
  const mean = (a: Float64Array) => a.reduce((acc, v) => acc + v, 0) / a.length;
  const inputs: Record<S4ppInput, Float64Array> = {
    u, smr, "smr-centred": smr.map((v) => v - mean(smr)), "u-shifted": u.map((v) => v - mean(u) + mean(smr))
  };
  const r = mulberry32(seed + 100);
  const steps = Array.from({length: runs + 1}, (_, b) => Float32Array.from({length: L}, () => base * (1 + (b === 0 ? 0 : jitter * (2 * r() - 1)))));
  const A = [Array.from({length: N}, (_, n) => -(n + 1))];
  const Bc = Array.from({length: N}, () => 1), Cc = normalTable(1, N, seed + 3)[0];
  const ids = S4PP_INPUTS.map((x) => x.id);
  const uB = ids.flatMap((id) => steps.map(() => Array.from(inputs[id], (v) => [v])));
  const dB = ids.flatMap(() => steps.map((st) => Array.from(st, (v) => [v])));
  const BB = uB.map(() => Array.from({length: L}, () => Bc)), CB = uB.map(() => Array.from({length: L}, () => Cc));
  const [Y] = await readAll([selectiveScan(uB, dB, A, BB, CB)]);
  const out = {} as Record<S4ppInput, S4ppRuns>;
  ids.forEach((id, i) => {
    const ys = steps.map((_, b) => Float64Array.from(Y.subarray((i * (runs + 1) + b) * L, (i * (runs + 1) + b + 1) * L)));
    const rr = {uniform: ys[0], jittered: ys.slice(1)};
    out[id] = {input: inputs[id], ...rr, spread: relativeSpread(rr)};
  });
  return {k: range(L), runs: out, steps: steps.slice(1), nRuns: runs};
}

/** rms_k of the standard deviation across the jittered runs, divided by rms_k of the uniform run. */
export function relativeSpread({uniform, jittered}: {uniform: ArrayLike<number>; jittered: ArrayLike<number>[]}): number {
  const L = uniform.length, R = jittered.length;
  let num = 0, den = 0;
  for (let k = 0; k < L; k++) {
    let mean = 0;
    for (const y of jittered) mean += y[k] / R;
    let v = 0;
    for (const y of jittered) v += (y[k] - mean) ** 2 / R;
    num += v;
    den += uniform[k] ** 2;
  }
  return den > 0 ? Math.sqrt(num / den) : NaN;
}

/** The sentence under the S4++ card: the four spreads, and what the controls say about them. */
export function s4ppVerdict(sp: S4ppMini): string {
  const s = (id: S4ppInput) => sp.runs[id].spread;
  const f = (x: number) => x.toFixed(3);
  const head = `Spread across the jittered grids, relative to the output: u ${f(s("u"))}, SMR ${f(s("smr"))}, SMR minus its mean ${f(s("smr-centred"))}, u shifted to SMR's mean ${f(s("u-shifted"))}.`;
  if (!(s("u") > 0)) return `${head} With no jitter the grids agree.`;
  if (s("smr") >= 0.9 * s("u")) return `${head} Here SMR does not reduce the spread.`;
  if (s("smr-centred") >= 0.8 * s("u")) {
    return `${head} SMR reduces the spread, but the reduction is gone once the SMR input's mean is removed${s("u-shifted") < 0.9 * s("u") ? ", and a constant offset alone reduces it too" : ""}: ` +
      "with this untrained m, what helps is the steady part that u·(m∗u) adds (the response to a steady input depends little on the step), not the memory of past inputs.";
  }
  return `${head} SMR reduces the spread even with its mean removed.`;
}
