// TimeMachine (Ahamed & Cheng 2024, "TimeMachine: A Time Series is Worth 4 Mambas for
// Long-term Forecasting") on a real multivariate series: Seattle's daily weather from the
// vega-datasets package (precipitation, daily high, daily low, wind; 2012–2015).
//
// What runs, honestly: TimeMachine's data flow in its channel-independent mode, as the
// official forward (Atik-Ahamed/TimeMachine, models/TimeMachine.py with ch_ind = 1):
//   z  = RevIN(window)                                  (L)    per channel, per window
//   x₁ = W₁ z                                           (n₁)   x_res1
//   x₄ = M₄(x₁ as n₁ tokens of width 1) + M₃(x₁ as 1 token of width n₁)
//   x₂ = W₂ x₁                                          (n₂)   x_res2
//   x  = M₁(x₂ as n₂ tokens of width 1) + x₂ + M₂(x₂ as 1 token of width n₂)
//   x  = W₃ x + x₁,   ŷ = RevIN⁻¹(W₄ [x, x₄])           (T)
// with each Mamba block M the site's mambaBlock (Gu & Dao 2023's block: projections, causal
// convolution, selective scan, gate) at Mamba's own random initialisation (mambaInit, seeded),
// sized as the official weather script (d_conv 2, expand 1) but smaller (d_state 16, not 256;
// n₁ = 32, not 128), and the linear maps W₁…W₃ random too. Only the last map W₄ (2n₁ + 1 → T) is fitted, by ridge
// regression in closed form on the training windows: a random-feature ("reservoir") version of
// the architecture, which a browser can fit in a fraction of a second. It is compared on the
// held-out last 30 % of the days with the same fit on the RevIN-normalised window itself
// (RevIN + linear, the RLinear baseline) and with repeating the last value.
import * as tf from "@tensorflow/tfjs";
import {gaussian, mambaBlock, mambaConfig, mambaInit, solveF64, type MambaConfig, type MambaParams} from "../../kernels/index.js";
import {now, readAll} from "./common.js";

export interface Weather {
  dates: string[];
  /** channel names, in order */
  channels: string[];
  /** values[c][t] */
  values: number[][];
}

export interface TimeMachineOptions {
  lookback: number;
  horizon: number;
  seed?: number;
  /** embedding sizes n₁, n₂ and the Mamba blocks' d_state and expand */
  n1?: number;
  n2?: number;
  dState?: number;
  expand?: number;
  /** share of the days used for training (the rest is the test period) */
  train?: number;
  /** days between window starts (1: every day) */
  stride?: number;
}

const RIDGE = 1e-2;
const EPS = 1e-5;

/** Seeded dense weights (rows, cols), N(0, 1/rows). */
function dense(g: () => number, rows: number, cols: number): Float32Array {
  return Float32Array.from({length: rows * cols}, () => g() / Math.sqrt(rows));
}

/** One of TimeMachine's Mamba blocks, for tokens of width w, at Mamba's random initialisation. */
function block(w: number, dState: number, expand: number, seed: number): {config: MambaConfig; params: MambaParams} {
  const config = mambaConfig(w, {dState, dConv: 2, expand});
  return {config, params: mambaInit(config, seed)};
}

/** A block on u (R, l, w) → (R, l, w). Call inside tf.tidy. */
function run(u: tf.Tensor3D, b: {config: MambaConfig; params: MambaParams}): tf.Tensor3D {
  return mambaBlock(u, b.config, b.params).out as tf.Tensor3D;
}

/** The standardised series (train mean and std per channel), as Float64Arrays. */
export function standardize(weather: Weather, trainDays: number): {z: Float64Array[]; mean: number[]; std: number[]} {
  const mean: number[] = [], std: number[] = [];
  const z = weather.values.map((col) => {
    let m = 0;
    for (let t = 0; t < trainDays; t++) m += col[t] / trainDays;
    let v = 0;
    for (let t = 0; t < trainDays; t++) v += (col[t] - m) ** 2 / trainDays;
    const s = Math.sqrt(v) || 1;
    mean.push(m); std.push(s);
    return Float64Array.from(col, (x) => (x - m) / s);
  });
  return {z, mean, std};
}

export interface TimeMachineFeatures {
  lookback: number;
  /** windows w = 0 … starts − 1 start on day s = w·stride (input days s … s + L − 1) */
  starts: number;
  stride: number;
  M: number;
  /** per (start, channel) row: the RevIN window (L), its mean and std, and the features (2n₁) */
  window: Float64Array;
  mu: Float64Array;
  sigma: Float64Array;
  features: Float32Array;
  dim: number;
  ms: number;
  z: Float64Array[];
  trainDays: number;
}

/** Everything that does not depend on the horizon: the windows and the random-Mamba features. */
export async function timeMachineFeatures(weather: Weather, {lookback, seed = 1, n1 = 32, n2 = 16, dState = 16, expand = 1, train = 0.7, stride = 2}: Omit<TimeMachineOptions, "horizon">): Promise<TimeMachineFeatures> {
  const t0 = now();
  const days = weather.values[0].length, M = weather.values.length, L = lookback;
  const trainDays = Math.floor(train * days);
  const {z} = standardize(weather, trainDays);
  const starts = Math.ceil((days - L) / stride); // window w starts on day w·stride, with at least one day to forecast
  const R = starts * M;
  const window = new Float64Array(R * L), mu = new Float64Array(R), sigma = new Float64Array(R);
  for (let w = 0; w < starts; w++) for (let c = 0; c < M; c++) {
    const r = w * M + c, s = w * stride;
    let m = 0;
    for (let j = 0; j < L; j++) m += z[c][s + j] / L;
    let v = 0;
    for (let j = 0; j < L; j++) v += (z[c][s + j] - m) ** 2 / L;
    mu[r] = m; sigma[r] = Math.sqrt(v + EPS);
    for (let j = 0; j < L; j++) window[r * L + j] = (z[c][s + j] - m) / sigma[r];
  }
  const g = gaussian(seed);
  // mamba1 and mamba4 scan the n₂ and n₁ embedded tokens of width 1; mamba2 and mamba3 see one token of width n₂, n₁
  const M1 = block(1, dState, expand, seed + 1), M2 = block(n2, dState, expand, seed + 2), M3 = block(n1, dState, expand, seed + 3), M4 = block(1, dState, expand, seed + 4);
  const [features] = await readAll([tf.tidy(() => {
    const W1 = tf.tensor2d(dense(g, L, n1), [L, n1]), W2 = tf.tensor2d(dense(g, n1, n2), [n1, n2]), W3 = tf.tensor2d(dense(g, n2, n1), [n2, n1]);
    const x1 = tf.matMul(tf.tensor2d(Float32Array.from(window), [R, L]), W1) as tf.Tensor2D; // (R, n1)
    const tokens = (x: tf.Tensor2D, n: number) => tf.reshape(x, [R, n, 1]) as tf.Tensor3D; // n tokens of width 1
    const one = (x: tf.Tensor2D, n: number) => tf.reshape(x, [R, 1, n]) as tf.Tensor3D; // 1 token of width n
    const x4 = tf.add(tf.reshape(run(tokens(x1, n1), M4), [R, n1]), tf.reshape(run(one(x1, n1), M3), [R, n1]));
    const x2 = tf.matMul(x1, W2) as tf.Tensor2D; // (R, n2)
    const xs = tf.addN([tf.reshape(run(tokens(x2, n2), M1), [R, n2]), x2, tf.reshape(run(one(x2, n2), M2), [R, n2])]) as tf.Tensor2D;
    const x = tf.add(tf.matMul(xs, W3), x1); // (R, n1)
    return tf.concat([x, x4], 1); // (R, 2 n1)
  })]);
  return {lookback: L, starts, stride, M, window, mu, sigma, features, dim: 2 * n1, ms: now() - t0, z, trainDays};
}

/**
 * Ridge regression W = (FᵀΩF + λ I)⁻¹ FᵀΩY with a bias column appended, λ relative to the mean
 * diagonal; Ω = diag(weights²) (default: all 1). F rows `rows` (dim each), Y (rows.length, T).
 */
export function ridgeFit(F: ArrayLike<number>, rows: number[], dim: number, Y: Float64Array, T: number, weights?: ArrayLike<number>): Float64Array {
  const n = dim + 1, G = new Float64Array(n * n), R = new Float64Array(n * T);
  const f = new Float64Array(n);
  rows.forEach((r, i) => {
    const w = weights ? weights[i] : 1;
    for (let a = 0; a < dim; a++) f[a] = w * F[r * dim + a];
    f[dim] = w;
    for (let a = 0; a < n; a++) {
      const fa = f[a];
      for (let b = 0; b < n; b++) G[a * n + b] += fa * f[b];
      for (let h = 0; h < T; h++) R[a * T + h] += fa * w * Y[i * T + h];
    }
  });
  let tr = 0;
  for (let a = 0; a < n; a++) tr += G[a * n + a] / n;
  for (let a = 0; a < dim; a++) G[a * n + a] += RIDGE * tr;
  return solveF64(G, R, n, T, "ridgeFit");
}

function predict(F: ArrayLike<number>, r: number, dim: number, W: Float64Array, T: number, out: Float64Array): void {
  for (let h = 0; h < T; h++) {
    let acc = W[dim * T + h];
    for (let a = 0; a < dim; a++) acc += F[r * dim + a] * W[a * T + h];
    out[h] = acc;
  }
}

export type Forecaster = "timemachine" | "linear" | "persistence";
export const FORECASTERS: readonly {id: Forecaster; label: string}[] = [
  {id: "timemachine", label: "TimeMachine flow (random Mamba blocks, fitted W₄)"},
  {id: "linear", label: "RevIN + linear on the window (RLinear)"},
  {id: "persistence", label: "repeat the last value"}
];

export interface TimeMachineFit {
  horizon: number;
  lookback: number;
  nTrain: number;
  nTest: number;
  /** test MSE on the standardised series, per forecaster: overall and per channel */
  mse: Record<Forecaster, {all: number; perChannel: number[]}>;
  /** one test window: the history, the truth and each forecast, per channel (standardised units) */
  example: {start: number; dates: string[]; history: Float64Array[]; truth: Float64Array[]; forecast: Record<Forecaster, Float64Array[]>};
  ms: number;
  featureMs: number;
}

/**
 * Fits W₄ (and the linear baseline) for one horizon on the training windows (every window
 * whose forecast ends inside the training days), and scores every test window (input from
 * the test start on). `example` is the test window number `exampleIndex` (clamped).
 */
export function timeMachineFit(weather: Weather, feats: TimeMachineFeatures, horizon: number, exampleIndex = 0): TimeMachineFit {
  const t0 = now();
  const {M, starts, stride, lookback: L, z, trainDays, window, mu, sigma, features, dim} = feats;
  const T = horizon, days = z[0].length;
  const last = days - L - T; // last start with a full horizon
  if (last < 0) throw new Error(`timeMachineFit: lookback + horizon must leave a window in ${days} days, got ${L} + ${T}`);
  // windows (by index w, starting on day w·stride) whose forecast lies in the training days, and in the test days
  const trainWindows: number[] = [], testWindows: number[] = [];
  for (let w = 0; w < starts && w * stride <= last; w++) {
    const s = w * stride;
    if (s + L + T <= trainDays) trainWindows.push(w);
    else if (s + L >= trainDays) testWindows.push(w);
  }
  const trainRows = trainWindows.flatMap((w) => Array.from({length: M}, (_, c) => w * M + c));
  // targets in each window's RevIN units
  const Y = new Float64Array(trainRows.length * T);
  trainRows.forEach((r, i) => {
    const s = Math.floor(r / M) * stride, c = r % M;
    for (let h = 0; h < T; h++) Y[i * T + h] = (z[c][s + L + h] - mu[r]) / sigma[r];
  });
  // Each window's error is counted in the series' units, as the official loss (on the de-normalised
  // forecast) counts it: weights σ_r, so a nearly constant window (σ ≈ 0, e.g. a dry spell) cannot
  // dominate the fit through its huge normalised targets.
  const sig = trainRows.map((r) => sigma[r]);
  const Wtm = ridgeFit(features, trainRows, dim, Y, T, sig);
  const Wlin = ridgeFit(window, trainRows, L, Y, T, sig);
  const sums: Record<Forecaster, number[]> = {timemachine: new Array(M).fill(0), linear: new Array(M).fill(0), persistence: new Array(M).fill(0)};
  const out = new Float64Array(T);
  const forecastOf = (f: Forecaster, r: number, s: number, c: number): Float64Array => {
    const y = new Float64Array(T);
    if (f === "persistence") y.fill(z[c][s + L - 1]);
    else {
      predict(f === "timemachine" ? features : window, r, f === "timemachine" ? dim : L, f === "timemachine" ? Wtm : Wlin, T, out);
      for (let h = 0; h < T; h++) y[h] = mu[r] + sigma[r] * out[h];
    }
    return y;
  };
  for (const w of testWindows) for (let c = 0; c < M; c++) {
    const r = w * M + c, s = w * stride;
    for (const f of ["timemachine", "linear", "persistence"] as const) {
      const y = forecastOf(f, r, s, c);
      let e = 0;
      for (let h = 0; h < T; h++) e += (y[h] - z[c][s + L + h]) ** 2;
      sums[f][c] += e / T;
    }
  }
  const mse = Object.fromEntries((Object.keys(sums) as Forecaster[]).map((f) => {
    const perChannel = sums[f].map((x) => x / Math.max(1, testWindows.length));
    return [f, {all: perChannel.reduce((a, b) => a + b, 0) / M, perChannel}];
  })) as TimeMachineFit["mse"];
  const wx = testWindows[Math.max(0, Math.min(testWindows.length - 1, exampleIndex))], ex = wx * stride;
  const example = {
    start: ex,
    dates: weather.dates.slice(ex, ex + L + T),
    history: z.map((col) => col.slice(ex, ex + L)),
    truth: z.map((col) => col.slice(ex + L, ex + L + T)),
    forecast: Object.fromEntries((["timemachine", "linear", "persistence"] as const).map((f) =>
      [f, z.map((_, c) => forecastOf(f, wx * M + c, ex, c))])) as Record<Forecaster, Float64Array[]>
  };
  return {horizon: T, lookback: L, nTrain: trainWindows.length, nTest: testWindows.length, mse, example, ms: now() - t0, featureMs: feats.ms};
}

/** The sentence under the TimeMachine card: the three test errors, and what they say. */
export function timeMachineVerdict(tm: TimeMachineFit): string {
  const {timemachine: a, linear: b, persistence: c} = tm.mse;
  const head = `Test MSE over all channels, ${tm.horizon} day${tm.horizon > 1 ? "s" : ""} ahead from ${tm.lookback} days: untrained TimeMachine flow ${a.all.toFixed(3)}, RevIN + linear ${b.all.toFixed(3)}, last value ${c.all.toFixed(3)}.`;
  const gain = (b.all - a.all) / b.all;
  const tail = " Either way this is a random-feature read-out, not TimeMachine's result: the paper trains its four blocks end to end, which this card does not attempt.";
  if (gain > 0.02) return `${head} Here the random Mamba features give the linear read-out ${(100 * gain).toFixed(0)} % less error than the window itself.${tail}`;
  if (gain < -0.02) return `${head} Here the random Mamba features do ${(-100 * gain).toFixed(0)} % worse than a linear map on the window itself.${tail}`;
  return `${head} Here the random Mamba features and the window itself do about as well.${tail}`;
}
