// The systems of page 4 (/views), as plain float64 arrays: for each choice of A
// the dense real system (for the recurrence and the dense kernel) and, where A is diagonal,
// its complex modes (for the Vandermonde kernel, ./s4d.ts). Seeded, so a URL reproduces a
// figure exactly. recurrentView and convolutionView run the two views on tensors.
//
//   "legs"    HiPPO-LegS (dense, lower triangular; eigenvalues −1 … −N), B_n = √(2n+1),
//             C_h ~ N(0, 1)^N. No stable diagonalisation (S4's reason for DPLR): modes = null.
//   "lin", "inv", "real"  the S4D initialisations (./s4d.ts), B = 1, C_h,n ~ CN(0, 1)
//             (real N(0, 1) for "real"); dense = the block-diagonal real system.
//   "random"  N/2 random stable pairs λ = −a + iω, a log-uniform in [0.05, 1], ω uniform in
//             [0, πN/2], B = 1; dense = Q (block form) Qᵀ with Q a random orthogonal matrix,
//             so A is dense but its spectrum is known exactly.
import * as tf from "@tensorflow/tfjs";
import {costMethods, measureCost, type CostPoint} from "./viewsCost.js";
import {legsDplr} from "./dplrCost.js";
import {causalConv, DIRECT_MAX_L, DIRECT_MAX_L_DEFAULT, pathKey, discretizeF64, convolveReal, hippoArrays, ssmKernel, ssmRecurrent, s4dInit, s4dKernel, s4dRealSystem, type Complex, type Modes, fail, shapeString, toTensor, type TensorLike, mulberry32, gaussian, cpuValues} from "../kernels/index.js";

export type ViewInit = "legs" | "lin" | "inv" | "real" | "random";
export const VIEW_INITS: readonly ViewInit[] = ["legs", "lin", "inv", "real", "random"];

export interface ViewSystem {
  init: ViewInit;
  N: number;
  /** eigenvalues of A (conjugates included) */
  eig: {re: number[]; im: number[]};
  /** diagonal modes, or null for the dense LegS */
  modes: Modes | null;
  /** per channel: C of the modes (null for LegS) */
  Cmodes: Complex<Float64Array>[] | null;
  /** dense real system: A (N, N), B (N, 1), C per channel (1, N) */
  dense: {A: number[][]; B: number[][]; C: number[][][]};
  /**
   * The spectrum the page draws for this choice: the eigenvalues of A itself, except for LegS,
   * where it is Λ, the eigenvalues of its normal part A + PPᵀ (what S4 diagonalises; dplr.ts).
   */
  spectrum: {re: number[]; im: number[]; what: string};
  /** whether every channel reads the state with the same C (channel 1's) */
  sharedC: boolean;
}


/** A random orthogonal N×N matrix: modified Gram–Schmidt on Gaussian columns. */
export function randomOrthogonal(N: number, g: () => number): number[][] {
  const cols: number[][] = [];
  for (let j = 0; j < N; j++) {
    let v = Array.from({length: N}, g);
    for (const q of cols) {
      const d = v.reduce((s, x, i) => s + x * q[i], 0);
      v = v.map((x, i) => x - d * q[i]);
    }
    const nv = Math.hypot(...v);
    cols.push(v.map((x) => x / nv));
  }
  return Array.from({length: N}, (_, i) => cols.map((c) => c[i])); // Q[i][j] = cols[j][i]
}

function matMul(A: number[][], B: number[][]): number[][] {
  return A.map((row) => B[0].map((_, j) => row.reduce((s, a, k) => s + a * B[k][j], 0)));
}
function transpose(A: number[][]): number[][] {
  return A[0].map((_, j) => A.map((row) => row[j]));
}

/**
 * The system for `init` with real state size N (even) and H channels: their own C, or with
 * sharedC every channel reads the state with channel 1's C (then channels differ only in Δ).
 */
export function viewSystem(init: ViewInit, N: number, H: number, seed = 1, {sharedC = false}: {sharedC?: boolean} = {}): ViewSystem {
  const sys = viewSystemOwnC(init, N, H, seed);
  if (!sharedC || H === 1) return {...sys, sharedC: sharedC && H > 1};
  return {...sys, sharedC: true, Cmodes: sys.Cmodes ? sys.Cmodes.map(() => sys.Cmodes![0]) : null, dense: {...sys.dense, C: sys.dense.C.map(() => sys.dense.C[0])}};
}

function viewSystemOwnC(init: ViewInit, N: number, H: number, seed: number): ViewSystem {
  const fn = "viewSystem";
  if (!VIEW_INITS.includes(init)) fail(fn, `init must be one of ${VIEW_INITS.join(", ")}, got ${JSON.stringify(init)}`);
  if (!Number.isInteger(N) || N < 2 || N % 2 !== 0 || N > 1024) fail(fn, `N must be an even integer in [2, 1024], got ${N}`);
  if (!Number.isInteger(H) || H < 1 || H > 64) fail(fn, `H must be an integer in [1, 64], got ${H}`);
  const g = gaussian(seed * 7919 + N);
  if (init === "legs") {
    const {A, B} = hippoArrays("legs", N);
    const C = Array.from({length: H}, () => [Array.from({length: N}, g)]);
    const {Lambda} = legsDplr(N);
    const spectrum = {re: Array.from(Lambda.re), im: Array.from(Lambda.im), what: "Λ of the normal part A + PPᵀ"};
    return {init, N, eig: {re: A.map((_, n) => -(n + 1)), im: new Array(N).fill(0)}, modes: null, Cmodes: null, dense: {A, B, C}, spectrum, sharedC: false};
  }
  let modes: Modes;
  if (init === "random") {
    const m = N / 2, rand = mulberry32(seed * 104729 + N);
    const re = new Float64Array(m), im = new Float64Array(m);
    for (let n = 0; n < m; n++) {
      re[n] = -Math.exp(Math.log(0.05) + rand() * (Math.log(1) - Math.log(0.05)));
      im[n] = rand() * Math.PI * m;
    }
    modes = {A: {re, im}, B: {re: new Float64Array(m).fill(1), im: new Float64Array(m)}, conj: true};
  } else {
    modes = s4dInit(init, N);
  }
  const m = modes.A.re.length;
  const Cmodes = Array.from({length: H}, () => {
    const re = Float64Array.from({length: m}, () => (modes.conj ? Math.SQRT1_2 : 1) * g());
    const im = modes.conj ? Float64Array.from({length: m}, () => Math.SQRT1_2 * g()) : new Float64Array(m);
    return {re, im};
  });
  let dense = s4dRealSystem(modes, Cmodes);
  if (init === "random") {
    const Q = randomOrthogonal(N, g), Qt = transpose(Q);
    dense = {A: matMul(matMul(Q, dense.A), Qt), B: matMul(Q, dense.B), C: dense.C.map((c) => matMul(c, Qt))};
  }
  const eig = {re: [] as number[], im: [] as number[]};
  for (let n = 0; n < m; n++) {
    eig.re.push(modes.A.re[n]); eig.im.push(modes.A.im[n]);
    if (modes.conj) { eig.re.push(modes.A.re[n]); eig.im.push(-modes.A.im[n]); }
  }
  return {init, N, eig, modes, Cmodes, dense, spectrum: {...eig, what: "eigenvalues of A"}, sharedC: false};
}

/**
 * Per-channel steps, log-uniform around Δ: Δ_h = Δ · 10^{spread·(h/(H−1) − ½)}, h = 0 … H−1
 * (all Δ when H = 1). spread = 2 decades around Δ = 0.01 is S4D's [1e-3, 1e-1].
 */
export function channelDeltas(delta: number, spread: number, H: number): number[] {
  if (H === 1) return [delta];
  return Array.from({length: H}, (_, h) => delta * 10 ** (spread * (h / (H - 1) - 0.5)));
}

/** The fraction of the kernel's mass that defines its measured length: 1 − 1/e. */
export const LENGTH_FRACTION = 1 - Math.exp(-1);

/**
 * The kernel's measured length: the number of steps k by which a fraction `frac` (1 − 1/e by
 * default) of Σ|K̄_k| has arrived. For a single decaying mode |K̄_k| ∝ e^{−k/τ} this is τ
 * (to within a step), the same e⁻¹ decay time the time-scale figure's lines predict.
 */
export function kernelLength(K: ArrayLike<number>, frac = LENGTH_FRACTION): number {
  let total = 0;
  for (let k = 0; k < K.length; k++) total += Math.abs(K[k]);
  if (!(total > 0) || !Number.isFinite(total)) return NaN;
  let acc = 0;
  for (let k = 0; k < K.length; k++) {
    acc += Math.abs(K[k]);
    if (acc >= frac * total) return k + 1;
  }
  return K.length;
}

/** The slowest decay rate min_n |Re λ_n| (continuous time); the kernel lasts ~1/(Δ·rate) steps. */
export function slowestRate(eigRe: ArrayLike<number>): number {
  let r = Infinity;
  for (let i = 0; i < eigRe.length; i++) r = Math.min(r, Math.abs(eigRe[i]));
  return r;
}

/**
 * The recurrent view for every channel: x_k = Ā_h x_{k−1} + B̄_h u_k, y_{h,k} = C_h x_k, with
 * (Ā_h, B̄_h) the ZOH discretization of the dense real system at Δ_h (discretizeF64: the same
 * float64 computation as `discretize`, without a tensor round trip), then ssmRecurrent, the
 * contract's kernel. u (l), deltas (h) → y (h, l), float32.
 */
export function recurrentView(sys: ViewSystem, deltas: number[], u: TensorLike): tf.Tensor2D {
  const fn = "recurrentView";
  if (deltas.length !== sys.dense.C.length) fail(fn, `deltas must have one Δ per channel (${sys.dense.C.length}), got ${deltas.length}`);
  return tf.tidy(() => tf.stack(deltas.map((d, h) => {
    const {Ab, Bb} = discretizeF64(sys.dense.A, sys.dense.B, d);
    return ssmRecurrent(Ab, Bb, sys.dense.C[h], u); // u as given: a plain array is checked without a GPU readback
  })) as tf.Tensor2D);
}

/**
 * The kernel K̄_h of every channel: by the Vandermonde form (s4dKernel, one batched call)
 * when A is diagonal, by powers of the dense Ā (ssmKernel, per channel) for LegS.
 * deltas (h), L → K (h, L), float32.
 */
export function viewKernels(sys: ViewSystem, deltas: number[], L: number): tf.Tensor2D {
  const fn = "viewKernels";
  if (deltas.length !== sys.dense.C.length) fail(fn, `deltas must have one Δ per channel (${sys.dense.C.length}), got ${deltas.length}`);
  return tf.tidy(() => {
    if (sys.modes && sys.Cmodes) {
      const C = {re: sys.Cmodes.map((c) => Array.from(c.re)), im: sys.Cmodes.map((c) => Array.from(c.im))};
      return s4dKernel(sys.modes.A, sys.modes.B, C, deltas, L, {conj: sys.modes.conj}); // (h, L)
    }
    return tf.stack(deltas.map((d, h) => {
      const {Ab, Bb} = discretizeF64(sys.dense.A, sys.dense.B, d);
      return ssmKernel(Ab, Bb, sys.dense.C[h], L);
    })) as tf.Tensor2D;
  });
}

/** The largest l for which the cpu backend convolves by one matmul with the Toeplitz matrix of u (l² floats). */
export const TOEPLITZ_MAX_L = 512;

/**
 * Causal convolution of one input with h kernels: y_{h,k} = Σ_{j≤k} K_{h,j} u_{k−j}.
 * u (l), K (h, l) → y (h, l), float32. The direct form where causalConv uses it
 * (l ≤ DIRECT_MAX_L[backend]), the site's FFT above, but batched over the channels:
 *   cpu, l ≤ TOEPLITZ_MAX_L  y = K · T(u), T[j, k] = u_{k−j} (k ≥ j): one (h, l)(l, l) matmul
 *                            with T filled row by row in JS (TypedArray.set), since the cpu
 *                            backend gathers (causalConv's direct form) element by element;
 *   l > DIRECT_MAX_L         convolveReal on all h rows at once (one pair of FFTs, not h);
 *   otherwise                causalConv per channel (its direct form: gathers and a matmul,
 *                            cheap on a GPU or wasm).
 * Measured in Node, cpu, h = 3, l = 512: 2 ms (Toeplitz) against 11 ms for causalConv × 3.
 */
export function convolveChannels(u: TensorLike, K: tf.Tensor2D): tf.Tensor2D {
  const fn = "convolveChannels";
  return tf.tidy(() => {
    const ut = toTensor(u, fn, "u");
    if (ut.rank !== 1) fail(fn, `u must be rank 1 (l), but got shape ${shapeString(ut.shape)}`);
    const l = ut.shape[0];
    if (K.rank !== 2 || K.shape[1] !== l) fail(fn, `K must have shape (h, l) with l = ${l} like u, but got ${shapeString(K.shape)}`);
    const h = K.shape[0];
    const backend = tf.getBackend();
    if (backend === "cpu" && l <= TOEPLITZ_MAX_L) {
      const uv = Float32Array.from(cpuValues(ut)); // (l): on cpu, in CPU memory already
      const T = new Float32Array(l * l);
      for (let j = 0; j < l; j++) T.set(uv.subarray(0, l - j), j * l + j); // row j: u shifted right by j
      return tf.matMul(K, tf.tensor2d(T, [l, l], "float32")) as tf.Tensor2D; // (h, l)
    }
    if (l > (DIRECT_MAX_L[pathKey()] ?? DIRECT_MAX_L_DEFAULT)) {
      return convolveReal(tf.tile(tf.reshape(ut, [1, l]), [h, 1]) as tf.Tensor2D, K, l); // (h, l)
    }
    return tf.stack(tf.unstack(K).map((Kh) => causalConv(u, Kh))) as tf.Tensor2D; // (h, l); u as given (see recurrentView)
  });
}

/**
 * The convolutional view for every channel: the kernels (viewKernels), then
 * y_h = K̄_h * u (convolveChannels). u (l), deltas (h) → {K (h, l), y (h, l)}, float32.
 */
export function convolutionView(sys: ViewSystem, deltas: number[], u: TensorLike): {K: tf.Tensor2D; y: tf.Tensor2D} {
  const fn = "convolutionView";
  if (deltas.length !== sys.dense.C.length) fail(fn, `deltas must have one Δ per channel (${sys.dense.C.length}), got ${deltas.length}`);
  return tf.tidy(() => {
    const K = viewKernels(sys, deltas, toTensor(u, fn, "u").shape[0]);
    return {K, y: convolveChannels(u, K)};
  });
}

// ---------------------------------------------------------------- what the page draws

/** The channels' kernels read back: one Float32Array (L) per channel, and how long they took. */
export async function kernelsOf(sys: ViewSystem, deltas: number[], L: number): Promise<{K: Float32Array[]; ms: number}> {
  const t0 = performance.now();
  const Kt = viewKernels(sys, deltas, L);
  const flat = (await Kt.data()) as Float32Array;
  Kt.dispose();
  return {K: deltas.map((_, h) => flat.subarray(h * L, (h + 1) * L)), ms: performance.now() - t0};
}

/** What the comparison of the two views was computed for (tests read it from the readout). */
export interface ViewsOf { init: ViewInit; N: number; H: number; L: number; delta: number; spread: number; input: string; seed: number }

export interface Comparison {
  sys: ViewSystem; deltas: number[]; L: number; u: Float32Array; K: Float32Array[];
  yRec: Float32Array[]; yConv: Float32Array[];
  maxDiff: number; maxY: number; finite: boolean;
  timing: {kernel: number; rec: number; conv: number};
  of: ViewsOf;
}

/**
 * Both views of the same system on the same input: the recurrence (ssmRecurrent on the dense
 * real system) and the convolution of u with the plotted kernels K (convolveChannels). Plain
 * arrays out, with their largest difference.
 */
export async function compareViews(sys: ViewSystem, deltas: number[], u: Float32Array, K: Float32Array[], kernelMs: number, of: ViewsOf): Promise<Comparison> {
  const H = deltas.length, L = u.length, t0 = performance.now();
  const yRecT = recurrentView(sys, deltas, u);
  const rec = (await yRecT.data()) as Float32Array;
  yRecT.dispose();
  const t1 = performance.now();
  const Kflat = new Float32Array(H * L);
  K.forEach((k, h) => Kflat.set(k, h * L));
  const yConvT = tf.tidy(() => convolveChannels(u, tf.tensor2d(Kflat, [H, L])));
  const conv = (await yConvT.data()) as Float32Array;
  yConvT.dispose();
  const t2 = performance.now();
  let maxDiff = 0, maxY = 0;
  for (let i = 0; i < rec.length; i++) { maxDiff = Math.max(maxDiff, Math.abs(rec[i] - conv[i])); maxY = Math.max(maxY, Math.abs(conv[i])); }
  const rows = (flat: Float32Array) => deltas.map((_, h) => flat.subarray(h * L, (h + 1) * L));
  return {sys, deltas, L, u, K, yRec: rows(rec), yConv: rows(conv), maxDiff, maxY,
    finite: [Kflat, rec, conv].every((a) => a.every(Number.isFinite)),
    timing: {kernel: kernelMs, rec: t1 - t0, conv: t2 - t1}, of};
}

/** The notices of the comparison: overflow, and LegS kernels that are a single spike. */
export function comparisonNotices(c: Comparison): {level: "info" | "error"; text: string}[] {
  const spike = c.of.delta * 10 ** (c.of.spread / 2) * c.of.N;
  return [
    ...(c.finite ? [] : [{level: "error" as const, text: "Some values overflowed float32 (non-finite); they are not plotted."}]),
    ...(c.of.init === "legs" && spike > 40 ? [{level: "info" as const, text: `HiPPO-LegS with Δ·N up to ${spike.toFixed(0)}: its fastest modes decay within one step, so the kernel is nearly a single spike.`}] : [])
  ];
}

/** Series for the kernel figure: K̄_k / Δ per channel against the step k or the time t = kΔ. */
export function kernelSeries(deltas: number[], K: Float32Array[], axis: "k" | "t"): {name: string; x: Float64Array; y: Float64Array}[] {
  const k0 = axis === "t" ? 1 : 0; // k = 0 has t = 0, off a log axis
  return deltas.map((d, h) => {
    const L = K[h].length, x = new Float64Array(L - k0), y = new Float64Array(L - k0);
    for (let i = 0; i < L - k0; i++) { x[i] = axis === "t" ? (i + k0) * d : i; y[i] = K[h][i + k0] / d; }
    return {name: `Δ = ${d.toPrecision(2)}`, x, y};
  });
}

/** The two lines of the time-scale figure: 1/(aΔ) for the slowest decay and 2π/(ωΔ) for the fastest oscillation. */
export function timescaleLines(sys: ViewSystem, grid: readonly number[]): {decay: number[]; period: number[] | null} {
  const rate = slowestRate(sys.eig.re), wmax = Math.max(...sys.eig.im.map(Math.abs));
  return {decay: grid.map((d) => 1 / (rate * d)), period: wmax > 0 ? grid.map((d) => (2 * Math.PI) / (wmax * d)) : null};
}

/** Which way to the output was fastest at each measured L (a sentence for the cost figure). */
export function fastestToOutput(points: readonly {method: string; L: number; ms: number}[]): string {
  const names: Record<string, string> = {rec: "recurrence", fft: "FFT", direct: "direct", spectral: "tf.spectral"};
  const outs = points.filter((p) => p.method in names);
  const byL = [...new Set(outs.map((p) => p.L))].map((L) => {
    const best = outs.filter((p) => p.L === L).sort((a, b) => a.ms - b.ms)[0];
    return `L = ${L}: ${names[best.method]}`;
  });
  return byL.length ? `Fastest to y: ${byL.join(", ")}.` : "";
}

/** The lengths the cost figure measures. */
export const COST_LENGTHS = [64, 256, 1024, 4096, 16384];

/**
 * The cost figure's measurement for one channel of the system the controls describe: every
 * method timed at each length (with readbacks, yielding between calls), `onPoint` after each.
 * Resolves with the points and the methods this backend cannot run (with why).
 */
export async function measureViewsCost({init, N, seed, delta}: {init: ViewInit; N: number; seed: number; delta: number}, backend: string,
  {signal, onPoint}: {signal?: {aborted: boolean}; onPoint?: (p: CostPoint) => void} = {}): Promise<{points: CostPoint[]; unavailable: string[]}> {
  const s0 = viewSystem(init, N, 1, seed);
  const {Ab, Bb} = discretizeF64(s0.dense.A, s0.dense.B, delta);
  const modes = s0.modes && s0.Cmodes ? {A: s0.modes.A as Complex<Float64Array>, B: s0.modes.B as Complex<Float64Array>, C: s0.Cmodes[0], conj: s0.modes.conj, delta} : null;
  const {methods, dispose} = costMethods({Ab, Bb, C: s0.dense.C[0], modes}, backend);
  try {
    const points = await measureCost(methods, COST_LENGTHS, {signal, onPoint});
    return {points, unavailable: methods.filter((m) => m.unavailable).map((m) => `${m.label}: ${m.unavailable}`)};
  } finally {
    dispose();
  }
}

// ---------------------------------------------------------------- labels and the sliding picture

/**
 * Legend names of the channels: "Δ = …" each, or, when every channel has the same Δ (spread 0),
 * "channel 1", "channel 2", … with the common step said once ({common: "all channels Δ = 0.50"}).
 */
export function channelNames(deltas: readonly number[]): {names: string[]; common: string | null} {
  const labels = deltas.map((d) => d.toPrecision(2));
  if (deltas.length > 1 && labels.every((l) => l === labels[0])) {
    return {names: deltas.map((_, h) => `channel ${h + 1}`), common: `all channels Δ = ${labels[0]}`};
  }
  return {names: labels.map((l) => `Δ = ${l}`), common: null};
}

/** What the sliding-kernel picture draws: the first M steps of K̄, u and y = K̄ * u. */
export interface SlidingWindow { M: number; K: Float64Array; u: Float64Array; y: Float64Array }

/**
 * The first M steps of the unrolled recurrence: y_k = Σ_{j≤k} K̄_{k−j} u_j for k < M, in plain
 * JS (M² multiply-adds; M is a few dozen), from a kernel and an input already read back.
 */
export function slidingWindow(K: ArrayLike<number>, u: ArrayLike<number>, M: number): SlidingWindow {
  const m = Math.max(1, Math.min(M, K.length, u.length));
  const Kw = Float64Array.from({length: m}, (_, k) => K[k]), uw = Float64Array.from({length: m}, (_, k) => u[k]);
  const y = new Float64Array(m);
  for (let k = 0; k < m; k++) { let s = 0; for (let j = 0; j <= k; j++) s += Kw[k - j] * uw[j]; y[k] = s; }
  return {M: m, K: Kw, u: uw, y};
}
