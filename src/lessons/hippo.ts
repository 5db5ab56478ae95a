// Page 3 (/hippo), HiPPO and Legendre memory: what the page computes and keeps, as plain data.
//
// Gu, Dao, Ermon, Rudra, Ré, "HiPPO: Recurrent Memory with Optimal Polynomial Projections"
// (NeurIPS 2020); Voelker, Kajić, Eliasmith, "Legendre Memory Units" (NeurIPS 2019). The math
// is in kernels/lti/hippo.ts (A, B) and kernels/lti/legendre.ts (states, read-out bases).
//
// - The input u is held on l = T/Δ steps (capped at LMAX, with a notice) and sampled at the
//   midpoints tₖ = (k + ½)Δ; state k is the memory of [0, (k + 1)Δ].
// - Every state is computed by the float64 loop (hippoStatesF64) on every backend: at the
//   page's sizes (N ≤ 64, l ≤ 4000, at most 16M multiply-adds) it is faster than any tensor
//   path, exact in its order of operations, and allocates nothing on a GPU. The contract's
//   `discretize` and the log-depth scan `ssmStates` run the same recurrence on the page's
//   backend afterwards (`scanCheck`), on the first CHECK_L steps with N padded (to 64 on a GPU
//   backend): one set of tensor shapes for a whole session, so tfjs's buffer or texture pool,
//   which keeps every size it has seen, stays as it was after the first redraw.
// - Results are cached by what they were computed from (LruCache), and eigenvalues for the
//   other N are computed in idle time (`warmStep`), so dragging back and forth never redoes work.
import * as tf from "@tensorflow/tfjs";
import {
  discretize, eigvalsF64, hippoArrays, hippoStatesF64, inWindow, reconstructF64, reconstructionError, ssmStates,
  FOUT_WINDOW, type Measure
} from "../kernels/index.js";
import {LruCache} from "../runtime/schedule.js";
import {now} from "../runtime/timing.js";
import {sampleSignal, type SignalKind} from "./signals.js";

export type {Measure};
export interface Note { level: "info" | "warn" | "error"; text: string }

/** The controls of page 3 as plain values (the cursor is separate: it moves most). */
export interface HippoParams {
  measure: Measure;
  /** the state size asked for (FouT rounds it to an even number) */
  N: number;
  /** LegT's window */
  theta: number;
  delta: number;
  T: number;
  /** "tones", a signal kind, or the name of a real series */
  input: string;
  freq: number;
  seed: number;
}

/** Steps computed at most and at least; read-back points; the error-vs-N sizes. */
export const LMAX = 4000, LMIN = 8, RECON_POINTS = 400, NS = [1, 2, 4, 8, 16, 32, 64];
/** Input samples drawn as steps up to this many; beyond, a min/max envelope of ENVELOPE_BUCKETS. */
export const MAX_STEPPED = 1200, ENVELOPE_BUCKETS = 600;
/** Columns of the coefficient heatmap, and the steps the tensor check runs. */
export const HEAT_COLS = 400, CHECK_L = 256;

// ---------------------------------------------------------------- sizes and notices

/** The state size for a measure: FouT pairs cos and sin, so N is made even (with a note). */
export function stateSize(measure: Measure, Nraw: number): {N: number; notes: Note[]} {
  if (measure !== "fout" || Nraw % 2 === 0) return {N: Nraw, notes: []};
  const N = Nraw < 64 ? Nraw + 1 : Nraw - 1;
  return {N, notes: [{level: "info", text: `FouT pairs a cosine with a sine, so N must be even: using N = ${N} instead of ${Nraw}.`}]};
}

/** Steps L = T/Δ (bounded to [LMIN, LMAX], with notes), the step h = Δ and the span L·h. */
export function stepsOf(T: number, delta: number): {L: number; h: number; TEff: number; notes: Note[]} {
  const notes: Note[] = [];
  let L = Math.round(T / delta);
  if (L > LMAX) {
    notes.push({level: "warn", text: `T/Δ = ${L} steps is more than this page computes (${LMAX}); the time span is cut to ${(LMAX * delta).toPrecision(3)} so each redraw stays fast.`});
    L = LMAX;
  }
  if (L < LMIN) {
    notes.push({level: "warn", text: `T/Δ = ${L} steps is too few to show a history; using ${LMIN} steps.`});
    L = LMIN;
  }
  return {L, h: delta, TEff: L * delta, notes};
}

// ---------------------------------------------------------------- the input

/** The page's own smooth input: two tones, sin(2πft) + 0.4 cos(2π·2.7f·t + 0.3), at the midpoints. */
export function tones(L: number, h: number, freq: number): Float32Array {
  return Float32Array.from({length: L}, (_, k) => {
    const s = (k + 0.5) * h;
    return Math.sin(2 * Math.PI * freq * s) + 0.4 * Math.cos(2 * Math.PI * 2.7 * freq * s + 0.3);
  });
}

/** The held input on L steps of h: two tones, a synthetic signal, or a real series stretched over the span. */
export function inputOf(p: Pick<HippoParams, "input" | "freq" | "seed">, series: Record<string, {values: number[]}>, L: number, h: number): Float32Array {
  if (p.input === "tones") return tones(L, h, p.freq);
  const real = series[p.input];
  return sampleSignal((real ? "series" : p.input) as SignalKind, L, h, {freq: p.freq, seed: p.seed, series: real?.values});
}

/** What the input depends on (its cache key). */
export function inputKey(p: Pick<HippoParams, "input" | "freq" | "seed">, series: Record<string, unknown>, L: number, h: number): string {
  const what = p.input === "noise" ? p.seed : series[p.input] ? "" : p.freq;
  return `${p.input}|${what}|${h}|${L}`;
}

/** A line drawn with at most ~2 points per bucket: each bucket's min and max, in time order. */
export function envelope(x: ArrayLike<number>, y: ArrayLike<number>, buckets: number): {x: number[]; y: number[]} {
  const xs: number[] = [], ys: number[] = [], n = y.length;
  for (let b = 0; b < buckets; b++) {
    const i0 = Math.floor((b * n) / buckets), i1 = Math.floor(((b + 1) * n) / buckets);
    if (i1 <= i0) continue;
    let lo = i0, hi = i0;
    for (let i = i0; i < i1; i++) { if (y[i] < y[lo]) lo = i; if (y[i] > y[hi]) hi = i; }
    for (const i of lo === hi ? [lo] : lo < hi ? [lo, hi] : [hi, lo]) { xs.push(x[i]); ys.push(y[i]); }
  }
  return {x: xs, y: ys};
}

export interface Trace { x: ArrayLike<number>; y: ArrayLike<number>; stepped: boolean }

/**
 * The input split at state k (time tc = (k + 1)h): what the memory has seen, u₀ … u_k, and
 * what is still to come (drawn faded). Up to MAX_STEPPED samples each value is drawn held on
 * its interval [jh, (j + 1)h) (steps that end at tc and at L·h); beyond, min/max envelopes of
 * the samples at their midpoints. The future starts where the past ends.
 */
export function inputTraces(u: ArrayLike<number>, h: number, k: number): {past: Trace; future: Trace} {
  const L = u.length, split = Math.max(1, Math.min(L, k + 1));
  if (L <= MAX_STEPPED) {
    const held = (i0: number, i1: number, from?: number): Trace => {
      const x: number[] = [], y: number[] = [];
      if (from !== undefined) { x.push(i0 * h); y.push(from); } // the jump at the split
      for (let j = i0; j < i1; j++) { x.push(j * h); y.push(u[j]); }
      x.push(i1 * h); y.push(u[i1 - 1]);
      return {x, y, stepped: true};
    };
    return {past: held(0, split), future: split < L ? held(split, L, u[split - 1]) : {x: [], y: [], stepped: true}};
  }
  const part = (i0: number, i1: number): Trace => {
    const x = Array.from({length: i1 - i0}, (_, j) => (i0 + j + 0.5) * h), y = Array.prototype.slice.call(u, i0, i1) as number[];
    return {...envelope(x, y, Math.max(1, Math.round((ENVELOPE_BUCKETS * (i1 - i0)) / L))), stepped: false};
  };
  return {past: part(0, split), future: part(split - 1, L)};
}

// ---------------------------------------------------------------- states

export interface HippoStates {
  measure: Measure; N: number; theta: number;
  L: number; h: number; TEff: number;
  u: Float32Array;
  /** sample midpoints (k + ½)h */
  tGrid: Float64Array;
  /** every state, row-major (L, N): row k is the memory of [0, (k + 1)h] */
  X: Float64Array;
  key: string;
  /** time of the float64 loop (ms), and whether this came from the cache */
  ms: number; cached: boolean;
  notes: Note[];
}

/** The window each measure reads back at time t: [lo, t] and its label. */
export function windowAt(measure: Measure, t: number, theta: number): {lo: number; label: string} {
  if (measure === "legt") return {lo: Math.max(0, t - theta), label: `window θ = ${theta}`};
  if (measure === "fout") return {lo: Math.max(0, t - FOUT_WINDOW), label: `window ${FOUT_WINDOW}`};
  if (measure === "legs") return {lo: 0, label: "window [0, t]"};
  return {lo: 0, label: ""}; // LagT: all the past, fading (no band)
}

export interface CursorView {
  /** the state index and its time (k + 1)h */
  k: number; tc: number;
  c: Float64Array;
  lo: number;
  /** read-back times and values (RECON_POINTS of them over [lo, tc]) */
  s: Float64Array; rec: Float64Array;
  /** rms and largest error over the input samples in the window */
  err: {rms: number; max: number; count: number};
}

/** At the cursor (a fraction of the span): the state, the history read back from it, and its error. */
export function cursorView(v: HippoStates, cursor: number): CursorView {
  const {L, N, h, X, tGrid, u, measure, theta} = v;
  const k = Math.max(0, Math.min(L - 1, Math.round(cursor * L) - 1));
  const tc = (k + 1) * h;
  const c = X.subarray(k * N, (k + 1) * N);
  const {lo} = windowAt(measure, tc, theta);
  const s = Float64Array.from({length: RECON_POINTS}, (_, i) => lo + ((tc - lo) * i) / (RECON_POINTS - 1));
  const rec = reconstructF64(measure, c, tc, s, {theta});
  const sw: number[] = [], uw: number[] = [];
  for (let j = 0; j <= k; j++) if (inWindow(measure, tc, tGrid[j], {theta})) { sw.push(tGrid[j]); uw.push(u[j]); }
  return {k, tc, c, lo, s, rec, err: reconstructionError(measure, c, tc, sw, uw, {theta})};
}

/**
 * The states as a heatmap: N rows, at most `cols` columns evenly spaced over the span (column
 * j shows the state at step ⌊j·L/cols⌋). The columns cover times [0, L·h] (the x domain).
 */
export function coefficientGrid(v: Pick<HippoStates, "X" | "L" | "N" | "h">, cols = HEAT_COLS): {values: Float64Array; rows: number; cols: number; steps: number[]; domain: [number, number]} {
  const {X, L, N, h} = v;
  const nc = Math.min(L, cols), stride = L / nc;
  const values = new Float64Array(N * nc), steps: number[] = [];
  for (let j = 0; j < nc; j++) {
    const kk = Math.min(L - 1, Math.floor(j * stride));
    steps.push(kk);
    for (let n = 0; n < N; n++) values[n * nc + j] = X[kk * N + n];
  }
  return {values, rows: N, cols: nc, steps, domain: [0, L * h]};
}

// ---------------------------------------------------------------- error against N

/** Measures in the error-vs-N sweep and their sizes (FouT at even N only). */
export const SWEEP_SIZES: Readonly<Record<string, readonly number[]>> = {legt: NS, legs: NS, fout: NS.filter((n) => n % 2 === 0)};

/**
 * The reconstruction error (rms over each memory's window) at the end of the span, t = L·h,
 * for N in SWEEP_SIZES: one recurrence per measure and N, on the same input.
 */
export function errorSweep(u: Float32Array, tGrid: Float64Array, h: number, theta: number): Record<string, number[]> {
  const L = u.length, tEnd = L * h, out: Record<string, number[]> = {};
  for (const [m, sizes] of Object.entries(SWEEP_SIZES) as [Measure, readonly number[]][]) {
    out[m] = sizes.map((n) => {
      const x = hippoStatesF64(m, n, u, h, {theta}).subarray((L - 1) * n, L * n);
      const s: number[] = [], v: number[] = [];
      for (let j = 0; j < L; j++) if (inWindow(m, tEnd, tGrid[j], {theta})) { s.push(tGrid[j]); v.push(u[j]); }
      return reconstructionError(m, x, tEnd, s, v, {theta}).rms;
    });
  }
  return out;
}

// ---------------------------------------------------------------- eigenvalues

/** LegS and LagT are lower triangular: their eigenvalues are the diagonal. */
export const isTriangular = (measure: Measure): boolean => measure === "legs" || measure === "lagt";

/** Eigenvalues of A (float64 QR for LegT and FouT, the diagonal for the triangular ones). */
export function eigenvaluesOf(measure: Measure, N: number, theta: number): {re: number[]; im: number[]} {
  const {A} = hippoArrays(measure, N, {theta});
  return isTriangular(measure) ? {re: A.map((r, i) => r[i]), im: A.map(() => 0)} : eigvalsF64(A);
}

/**
 * A conditioning check: the eigenvalues of Aᵀ are those of A in exact arithmetic; the largest
 * distance from an eigenvalue of A to the nearest one of Aᵀ measures how much rounding moves them.
 */
export function eigenSpread(measure: Measure, N: number, theta: number, eig: {re: number[]; im: number[]}): number {
  if (isTriangular(measure)) return 0;
  const {A} = hippoArrays(measure, N, {theta});
  const e2 = eigvalsF64(A[0].map((_, j) => A.map((r) => r[j])));
  let spread = 0;
  for (let i = 0; i < N; i++) {
    let best = Infinity;
    for (let j = 0; j < N; j++) best = Math.min(best, Math.hypot(eig.re[i] - e2.re[j], eig.im[i] - e2.im[j]));
    spread = Math.max(spread, best);
  }
  return spread;
}

/** The largest |λ|. */
export function maxModulus(eig: {re: number[]; im: number[]}): number {
  return Math.max(...eig.re.map((r, i) => Math.hypot(r, eig.im[i])));
}

/** The notice of the conditioning check (empty when the eigenvalues are well conditioned). */
export function conditioningNotes(spread: number, maxMod: number): Note[] {
  if (!(spread > 1e-6 * Math.max(1, maxMod))) return [];
  return [{level: "info", text: `These eigenvalues are ill-conditioned: computing them from Aᵀ instead of A (the same numbers in exact arithmetic) moves them by up to ${spread.toExponential(1)} (largest |λ| = ${maxMod.toFixed(1)}). A is far from normal, so the scatter at large N is rounding, not structure.`}];
}

// ---------------------------------------------------------------- the tensor path, checked

/**
 * The tensor check's padded state size: on a GPU backend always 64 (the slider's largest N),
 * so tfjs's buffer or texture pool sees one set of shapes in a whole session; elsewhere the
 * power of two ≥ N, at least 8 (a smaller scan is faster on the cpu backend, which has no pool).
 */
export function bucket(N: number, gpu = false): number {
  let b = gpu ? 64 : 8;
  while (b < N) b *= 2;
  return b;
}

/** Whether a tfjs backend keeps tensors in a GPU buffer or texture pool. */
export const isGpuBackend = (name: string): boolean => name === "webgl" || name === "webgpu";

export interface ScanCheck {
  /** largest |scan − loop| over the steps checked, relative to the largest |state| */
  relErr: number;
  steps: number;
  /** the padded state size the tensors had */
  width: number;
  backend: string;
  ms: number;
}

/**
 * The same recurrence on the page's tfjs backend: the contract's `discretize` (bilinear) and
 * the log-depth scan `ssmStates`, on CHECK_L steps (the first min(L, CHECK_L) of u, zeros after)
 * with A, B padded by zeros to `bucket(N)` states (the padded states stay 0). Read asynchronously
 * and compared with the float64 states. LegS is time-varying (no single Ā): null.
 */
export async function scanCheck(v: HippoStates): Promise<ScanCheck | null> {
  if (v.measure === "legs") return null;
  const {A, B} = hippoArrays(v.measure, v.N, {theta: v.theta});
  const width = bucket(v.N, isGpuBackend(tf.getBackend())), steps = Math.min(v.L, CHECK_L);
  const pad = (M: number[][], cols: number) => Array.from({length: width}, (_, i) => Array.from({length: cols}, (_, j) => M[i]?.[j] ?? 0));
  const up = new Float32Array(CHECK_L);
  up.set(v.u.subarray(0, steps));
  const t0 = now();
  const Xt = tf.tidy(() => {
    const {Ab, Bb} = discretize(pad(A, width), pad(B, 1), v.h, "bilinear"); // (width, width), (width, 1)
    return ssmStates(Ab, Bb, tf.tensor1d(up)); // (CHECK_L, width)
  });
  const data = (await Xt.data()) as Float32Array;
  Xt.dispose();
  let diff = 0, scale = 0;
  for (let k = 0; k < steps; k++) {
    for (let n = 0; n < v.N; n++) {
      const x = v.X[k * v.N + n];
      diff = Math.max(diff, Math.abs(data[k * width + n] - x));
      scale = Math.max(scale, Math.abs(x));
    }
  }
  return {relErr: Number.isFinite(diff) ? diff / Math.max(scale, 1e-30) : Infinity, steps, width, backend: tf.getBackend(), ms: now() - t0};
}

// ---------------------------------------------------------------- play

/**
 * One frame of play: the cursor advances by the time since the last frame over `period` ms
 * (the whole span in 5 s), on the slider's grid, at most 100 ms per frame; past 1 it wraps to `min`.
 */
export function playStep(value: number, dtMs: number, {period = 5000, min = 0.01, grid = 0.001} = {}): number {
  if (value >= 1) return min;
  const step = Math.max(grid, Math.round(Math.min(100, Math.max(0, dtMs)) / period / grid) * grid);
  return Math.min(1, +(value + step).toFixed(3));
}

// ---------------------------------------------------------------- the page's lesson (caches)

type Series = Record<string, {values: number[]}>;

/** The error-vs-N sweep: rms errors by measure (over NS), its steps and span, its time. */
export interface Sweep { errN: Record<string, number[]>; L: number; TEff: number; ms: number }

/**
 * A `fresh` test for afterPaint that holds until `frames` frames have been painted with no
 * newer value (a drag moves the control every frame, so deferred work waits for a pause).
 */
export function rested(frames = 3): () => boolean {
  let n = 0;
  return () => ++n >= frames;
}

/** The matrix A of a measure (for the page's matrix figure and its equation). */
export function matrixA(measure: Measure, N: number, theta: number): number[][] {
  return hippoArrays(measure, N, {theta}).A;
}

/** One per page: the caches that make dragging back and forth cheap. */
export class HippoLesson {
  readonly states = new LruCache<HippoStates>(6); // at most 6 × (4000 × 64) float64 states
  readonly eig = new LruCache<{re: number[]; im: number[]}>(400);
  readonly spread = new LruCache<number>(400);
  readonly sweeps = new LruCache<Sweep>(12);
  readonly checks = new LruCache<Promise<ScanCheck | {error: string} | null>>(24);

  /** Every state for the current controls (the float64 loop), cached by what it depends on. */
  statesFor(p: HippoParams, series: Series): HippoStates {
    const {N, notes: nNotes} = stateSize(p.measure, p.N);
    const {L, h, TEff, notes} = stepsOf(p.T, p.delta);
    const theta = p.theta, measure = p.measure;
    const key = `${measure}|${N}|${measure === "legt" ? theta : ""}|${inputKey(p, series, L, h)}`;
    const cached = this.states.has(key);
    const v = this.states.get(key, () => {
      const u = inputOf(p, series, L, h);
      const tGrid = Float64Array.from({length: L}, (_, k) => (k + 0.5) * h);
      const t0 = now();
      const X = hippoStatesF64(measure, N, u, h, {theta});
      return {measure, N, theta, L, h, TEff, u, tGrid, X, key, ms: now() - t0, cached: false, notes: [...nNotes, ...notes]};
    });
    return cached ? {...v, cached: true} : v;
  }

  eigenvalues(measure: Measure, N: number, theta: number): {re: number[]; im: number[]} {
    return this.eig.get(eigKey(measure, N, theta), () => eigenvaluesOf(measure, N, theta));
  }

  spreadOf(measure: Measure, N: number, theta: number): number {
    return this.spread.get(eigKey(measure, N, theta), () => eigenSpread(measure, N, theta, this.eigenvalues(measure, N, theta)));
  }

  /** The error-vs-N sweep for the input of `p` (it does not depend on the measure, N or the cursor). */
  sweep(p: Omit<HippoParams, "measure" | "N"> & Partial<HippoParams>, series: Series): Sweep {
    const {L, h, TEff} = stepsOf(p.T, p.delta);
    return this.sweeps.get(`${inputKey(p, series, L, h)}|${p.theta}`, () => {
      const u = inputOf(p, series, L, h), tGrid = Float64Array.from({length: L}, (_, k) => (k + 0.5) * h);
      const t0 = now();
      const errN = errorSweep(u, tGrid, h, p.theta);
      return {errN, L, TEff, ms: now() - t0};
    });
  }

  /** The tensor check of `v` (cached: one run per state); a failure is returned as its message, never thrown. */
  check(v: HippoStates): Promise<ScanCheck | {error: string} | null> {
    return this.checks.get(`${v.key}|${tf.getBackend()}`, () => scanCheck(v).catch((e: unknown) => ({error: e instanceof Error ? e.message : String(e)})));
  }

  /**
   * Idle-time work for whenIdle: fills the eigenvalue caches for every other N of this measure
   * and θ, nearest first, while the deadline leaves time. Returns false when done.
   */
  warmStep(measure: Measure, N: number, theta: number): (deadline: {timeRemaining(): number}) => boolean {
    const todo = Array.from({length: 64}, (_, i) => i + 1).filter((n) => measure !== "fout" || n % 2 === 0)
      .sort((a, b) => Math.abs(a - N) - Math.abs(b - N));
    return (deadline) => {
      while (todo.length && deadline.timeRemaining() > 8) {
        const n = todo.shift()!;
        this.eigenvalues(measure, n, theta);
        this.spreadOf(measure, n, theta);
      }
      return todo.length > 0;
    };
  }
}

const eigKey = (measure: Measure, N: number, theta: number) => `${measure}|${N}|${measure === "legt" ? theta : ""}`;
