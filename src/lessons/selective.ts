// Page 5, the selective scan (Gu & Dao 2023, "Mamba: Linear-Time Sequence Modeling with
// Selective State Spaces"): what the page computes, as plain data. No DOM.
//
//   tokens      the reader's token strip: digits 0–9, "~" marks a token as noise
//   theorem1    Theorem 1 of the paper, numerically: N = 1, A = −1, B = 1, Δ = softplus(z):
//               ZOH gives Ā = 1 − σ(z), B̄ = σ(z), a gated RNN; Mamba's Euler B̄ = Δ does not
//   strip       a selective SSM with readable weights beside an LTI SSM on the same tokens
//   scan        the strip's recurrence hₜ = aₜhₜ₋₁ + bₜ by Hillis–Steele and by Blelloch,
//               every level checked against its definition (loops in float64)
//   block       the Mamba block's boxes and their live shapes (kernels' mambaBlock)
//
// The measured cost of the scan (fused, composite, loop) is in selectiveCost.ts.
import * as tf from "@tensorflow/tfjs";
import {
  blellochLevels, causalConv, discretizeF64, hillisSteeleLevels, mambaBlock, mambaBlockShapes, mambaConfig, mambaInit,
  mambaParamShapes, mulberry32, readFinite, selectiveScan, selectiveScanPath, softplus, ssmKernel, MAMBA_PARAM_NAMES,
  type MambaConfig, type ScanLevel
} from "../kernels/index.js";

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

// ---------------------------------------------------------------- tokens

export interface Token {
  /** the token's value u (its digit) */
  value: number;
  /** marked as noise: the selective model's Δ-projection sees salience 0 */
  noise: boolean;
}

export const MAX_TOKENS = 16;
export const DEFAULT_TOKENS = "7 ~3 ~1 ~4 2 ~8 ~6 ~9 5 ~2 ~0 ~3";

/**
 * Parses a token strip: digits 0–9, each optionally preceded by "~" (noise); spaces are
 * ignored. Returns the tokens, or an error sentence naming what is wrong.
 */
export function parseTokens(s: string): {tokens: Token[]; error?: undefined} | {tokens?: undefined; error: string} {
  if (typeof s !== "string") return {error: "the token strip must be text"};
  const tokens: Token[] = [];
  let noise = false, tilde = -1;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === " " || ch === "\t") {
      if (noise) return {error: `"~" at position ${tilde} must be followed by a digit`};
      continue;
    }
    if (ch === "~") {
      if (noise) return {error: `"~~" at position ${tilde}: mark a token once`};
      noise = true;
      tilde = i;
      continue;
    }
    if (ch >= "0" && ch <= "9") {
      tokens.push({value: ch.charCodeAt(0) - 48, noise});
      noise = false;
      continue;
    }
    return {error: `only digits 0–9, each optionally marked "~" for noise, are tokens: got ${JSON.stringify(ch)} at position ${i}`};
  }
  if (noise) return {error: `the strip ends with "~" and no digit after it`};
  if (tokens.length < 2) return {error: `the strip needs at least 2 tokens, got ${tokens.length}`};
  if (tokens.length > MAX_TOKENS) return {error: `the strip holds at most ${MAX_TOKENS} tokens, got ${tokens.length}`};
  return {tokens};
}

/** The text form of a strip: "7 ~3 5". parseTokens(formatTokens(t)).tokens equals t. */
export function formatTokens(tokens: readonly Token[]): string {
  return tokens.map((t) => `${t.noise ? "~" : ""}${t.value}`).join(" ");
}

/** The strip with token i's noise mark flipped (i outside the strip: unchanged). */
export function toggleNoise(s: string, i: number): string {
  const p = parseTokens(s);
  if (!p.tokens || i < 0 || i >= p.tokens.length) return s;
  return formatTokens(p.tokens.map((t, j) => (j === i ? {...t, noise: !t.noise} : t)));
}

/** A seeded random strip of `count` tokens, each kept with probability `keep`. */
export function randomTokens(seed: number, count = 12, keep = 0.3): string {
  const r = mulberry32(seed);
  const tokens = Array.from({length: count}, () => ({value: Math.min(9, Math.floor(r() * 10)), noise: r() >= keep}));
  if (tokens.every((t) => t.noise)) tokens[Math.floor(count / 2)].noise = false;
  return formatTokens(tokens);
}

// ---------------------------------------------------------------- Theorem 1

export interface Theorem1Row {
  t: number;
  x: number;
  /** z = w·x + c: the Δ-projection s_Δ(x) = Linear(x) */
  z: number;
  /** Δ = softplus(z) */
  delta: number;
  /** Ā and B̄ of A = −1, B = 1 with step Δ by the site's ZOH (discretizeF64, augmented exponential) */
  AbZoh: number;
  BbZoh: number;
  /** the gate g = σ(z) and 1 − g */
  gate: number;
  oneMinusGate: number;
  /** Mamba's kernel: B̄ = Δ·B (Euler for B) */
  BbEuler: number;
}

export interface Theorem1View {
  rows: Theorem1Row[];
  /** hₜ = (1 − gₜ) hₜ₋₁ + gₜ xₜ, float64 loop */
  hGate: Float64Array;
  /** the site's selectiveScan with ZOH for B (Bₜ = B̄ₜ/Δₜ so that ΔₜBₜ = B̄ₜ), on the active backend */
  hZoh: Float32Array;
  /** the site's selectiveScan as Mamba runs it: B = 1, B̄ = Δ */
  hEuler: Float32Array;
  /** max |Ā − (1 − σ)|, max |B̄ − σ| (the identity) and max |h_ZOH scan − h_gate| (the kernel) */
  maxAbDiff: number;
  maxBbDiff: number;
  maxScanDiff: number;
  /** max |h_Euler − h_gate| (not zero: Euler's B̄ = softplus(z) ≠ σ(z)) */
  maxEulerDiff: number;
  backend: string;
}

/** The seeded input sequence x of the Theorem 1 figure (L values in [−1, 1]). */
export function theorem1Input(seed = 3, L = 24): number[] {
  const r = mulberry32(seed);
  let v = 0;
  return Array.from({length: L}, () => (v = Math.max(-1, Math.min(1, 0.55 * v + 1.1 * (r() - 0.5)))));
}

/**
 * Theorem 1 of Gu & Dao (2023), numerically: N = 1, A = −1, B = 1, s_Δ(x) = w·x + c,
 * τ_Δ = softplus. With ZOH, Ā = exp(−softplus(z)) = 1 − σ(z) and B̄ = 1 − Ā = σ(z), so the
 * recurrence is the gated RNN hₜ = (1 − gₜ)hₜ₋₁ + gₜxₜ with gₜ = σ(zₜ). Runs the site's
 * discretization and selective scan to show it, and Mamba's own Euler B̄ to show the difference.
 */
export async function theorem1View(x: readonly number[], w: number, c: number): Promise<Theorem1View> {
  for (const [k, v] of Object.entries({w, c})) if (!Number.isFinite(v)) throw new Error(`theorem1View: ${k} must be finite, got ${v}`);
  if (!x.length || x.some((v) => !Number.isFinite(v))) throw new Error("theorem1View: x must be a non-empty list of finite numbers");
  const L = x.length;
  const rows: Theorem1Row[] = x.map((xt, t) => {
    const z = w * xt + c;
    const delta = softplus(z);
    const {Ab, Bb} = discretizeF64([[-1]], [[1]], delta, "zoh");
    const gate = sigmoid(z);
    return {t, x: xt, z, delta, AbZoh: Ab[0][0], BbZoh: Bb[0][0], gate, oneMinusGate: 1 - gate, BbEuler: delta};
  });
  const hGate = new Float64Array(L);
  let h = 0;
  rows.forEach((r, t) => { h = (1 - r.gate) * h + r.gate * r.x; hGate[t] = h; });
  const [zoh, euler] = tf.tidy(() => {
    const u = tf.tensor3d(x as number[], [1, L, 1]);
    const z = tf.tensor3d(rows.map((r) => r.z), [1, L, 1]);
    const A = tf.tensor2d([[-1]]);
    const C = tf.ones([1, L, 1]);
    const Bzoh = tf.tensor3d(rows.map((r) => r.BbZoh / r.delta), [1, L, 1]); // Δ·B = B̄_ZOH
    return [selectiveScan(u, z, A, Bzoh, C, null, {deltaSoftplus: true}), selectiveScan(u, z, A, tf.ones([1, L, 1]), C, null, {deltaSoftplus: true})];
  });
  let hZoh: Float32Array, hEuler: Float32Array;
  try {
    [hZoh, hEuler] = await Promise.all([readFinite(zoh, "theorem1View", "the ZOH scan"), readFinite(euler, "theorem1View", "the Euler scan")]);
  } finally {
    tf.dispose([zoh, euler]);
  }
  const maxOf = (f: (t: number) => number) => rows.reduce((m, _, t) => Math.max(m, f(t)), 0);
  return {
    rows, hGate, hZoh, hEuler,
    maxAbDiff: maxOf((t) => Math.abs(rows[t].AbZoh - rows[t].oneMinusGate)),
    maxBbDiff: maxOf((t) => Math.abs(rows[t].BbZoh - rows[t].gate)),
    maxScanDiff: maxOf((t) => Math.abs(hZoh[t] - hGate[t])),
    maxEulerDiff: maxOf((t) => Math.abs(hEuler[t] - hGate[t])),
    backend: tf.getBackend()
  };
}

// ---------------------------------------------------------------- the token strip's two SSMs

/** The readable weights of the strip's models. */
export interface StripParams {
  /** the Δ-projection's weight on the salience feature (1 for a kept token, 0 for noise) */
  wDelta: number;
  /** its bias: Δ = softplus(wDelta·s + bDelta) */
  bDelta: number;
  /** the LTI model's one step Δ (the same for every token) */
  ltiDelta: number;
  /** how B̄ is formed from Δ: "zoh" B̄ = (1 − e^{−aΔ})/a (Theorem 1), "euler" B̄ = Δ (Mamba's kernel) */
  rule: "zoh" | "euler";
  /** A = −a */
  a: number;
}

export const STRIP_DEFAULTS: StripParams = {wDelta: 8, bDelta: -5, ltiDelta: 0.5, rule: "zoh", a: 1};

export interface StripModel {
  /** Δₜ, Āₜ = e^{−aΔₜ}, B̄ₜ, per token */
  delta: Float64Array;
  Ab: Float64Array;
  Bb: Float64Array;
  /** the states hₜ (C = 1, so yₜ = hₜ) from the site's kernels */
  h: Float32Array;
  /** the same from a float64 loop */
  hLoop: Float64Array;
  /** kept[t]: how much of token t is in the final state, B̄ₜ ∏_{s>t} Ā_s (h_final = Σ kept·u) */
  kept: Float64Array;
}

export interface StripView {
  tokens: Token[];
  u: Float64Array;
  /** the salience feature sₜ (1: kept, 0: noise) */
  s: Float64Array;
  params: StripParams;
  sel: StripModel;
  /** the LTI model, run as a convolution with its kernel K̄ₖ = Āᵏ B̄ */
  lti: StripModel & {K: Float32Array};
  /** max |kernel − loop| over both models */
  maxLoopDiff: number;
  backend: string;
  /** how the selective scan ran (fused kernel or composite ops) */
  path: string;
}

/** B̄ for a step Δ with A = −a. */
export function barB(delta: number, a: number, rule: "zoh" | "euler"): number {
  return rule === "euler" ? delta : -Math.expm1(-a * delta) / a;
}

/** kept[t] = B̄ₜ ∏_{s>t} Ā_s: the weight of token t in the final state. */
export function keptWeights(Ab: ArrayLike<number>, Bb: ArrayLike<number>): Float64Array {
  const L = Ab.length, kept = new Float64Array(L);
  let carry = 1;
  for (let t = L - 1; t >= 0; t--) {
    kept[t] = Bb[t] * carry;
    carry *= Ab[t];
  }
  return kept;
}

function loop(Ab: ArrayLike<number>, Bb: ArrayLike<number>, u: ArrayLike<number>): Float64Array {
  const h = new Float64Array(u.length);
  let x = 0;
  for (let t = 0; t < u.length; t++) h[t] = x = Ab[t] * x + Bb[t] * u[t];
  return h;
}

function checkStrip(fn: string, p: StripParams): void {
  for (const k of ["wDelta", "bDelta", "ltiDelta", "a"] as const) {
    if (!Number.isFinite(p[k])) throw new Error(`${fn}: params.${k} must be finite, got ${p[k]}`);
  }
  if (!(p.ltiDelta > 0)) throw new Error(`${fn}: params.ltiDelta must be > 0, got ${p.ltiDelta}`);
  if (!(p.a > 0)) throw new Error(`${fn}: params.a must be > 0 (A = −a stable), got ${p.a}`);
  if (p.rule !== "zoh" && p.rule !== "euler") throw new Error(`${fn}: params.rule must be "zoh" or "euler", got ${JSON.stringify(p.rule)}`);
}

/**
 * The strip through a selective SSM (Δₜ = softplus(w·sₜ + b), the site's selectiveScan) and an
 * LTI SSM (one Δ, run as a causal convolution with K̄), both with N = 1, A = −a, C = 1.
 */
export async function stripView(tokens: readonly Token[], params: StripParams): Promise<StripView> {
  const fn = "stripView";
  checkStrip(fn, params);
  const L = tokens.length;
  if (L < 1) throw new Error(`${fn}: tokens must not be empty`);
  const {wDelta, bDelta, ltiDelta, rule, a} = params;
  const u = Float64Array.from(tokens, (t) => t.value);
  const s = Float64Array.from(tokens, (t) => (t.noise ? 0 : 1));
  const raw = Float64Array.from(s, (v) => wDelta * v + bDelta);
  const delta = raw.map(softplus);
  const Ab = delta.map((d) => Math.exp(-a * d));
  const Bb = delta.map((d) => barB(d, a, rule));
  const ltiAb = Math.exp(-a * ltiDelta), ltiBb = barB(ltiDelta, a, rule);
  const [hSel, hLti, Kt] = tf.tidy(() => {
    const ut = tf.tensor3d(Array.from(u), [1, L, 1]);
    // Mamba's kernel forms B̄u = Δ·B·u: B = B̄/Δ gives the chosen rule's B̄ exactly.
    const B = tf.tensor3d(Array.from(Bb, (b, t) => b / delta[t]), [1, L, 1]);
    const y = selectiveScan(ut, tf.tensor3d(Array.from(raw), [1, L, 1]), [[-a]], B, tf.ones([1, L, 1]), null, {deltaSoftplus: true});
    const K = ssmKernel([[ltiAb]], [[ltiBb]], [[1]], L);
    return [y, causalConv(Array.from(u), K), K];
  });
  let h: Float32Array, hl: Float32Array, K: Float32Array;
  try {
    [h, hl, K] = await Promise.all([readFinite(hSel, fn, "the selective scan"), readFinite(hLti, fn, "the LTI convolution"), Kt.data() as Promise<Float32Array>]);
  } finally {
    tf.dispose([hSel, hLti, Kt]);
  }
  const ltiAbs = new Float64Array(L).fill(ltiAb), ltiBbs = new Float64Array(L).fill(ltiBb);
  const sel: StripModel = {delta, Ab, Bb, h, hLoop: loop(Ab, Bb, u), kept: keptWeights(Ab, Bb)};
  const lti = {delta: new Float64Array(L).fill(ltiDelta), Ab: ltiAbs, Bb: ltiBbs, h: hl, hLoop: loop(ltiAbs, ltiBbs, u), kept: keptWeights(ltiAbs, ltiBbs), K};
  let maxLoopDiff = 0;
  for (let t = 0; t < L; t++) maxLoopDiff = Math.max(maxLoopDiff, Math.abs(sel.h[t] - sel.hLoop[t]), Math.abs(lti.h[t] - lti.hLoop[t]));
  return {tokens: [...tokens], u, s, params: {...params}, sel, lti, maxLoopDiff, backend: tf.getBackend(), path: selectiveScanPath(1, L, 1, 1).reason};
}

export interface StripSummary {
  /** the final states */
  selFinal: number;
  ltiFinal: number;
  /** the last kept token (index, value), or null */
  lastKept: {t: number; value: number} | null;
  /** share of the final state's weight on that token, on noise tokens (selective, LTI) */
  selOnLast: number;
  selOnNoise: number;
  ltiOnNoise: number;
  /** tokens (from the end) that carry 90 % of the LTI's weight */
  ltiWindow: number;
  /** the sentence under the strip */
  text: string;
}

const pct = (x: number) => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)} %`;

/** What the two final states hold, in words and numbers. Weights are shares of Σ kept. */
export function stripSummary(v: StripView): StripSummary {
  const L = v.tokens.length;
  const share = (kept: Float64Array, pick: (t: number) => boolean) => {
    let s = 0, all = 0;
    for (let t = 0; t < L; t++) { all += kept[t]; if (pick(t)) s += kept[t]; }
    return all > 0 ? s / all : 0;
  };
  let last = -1;
  for (let t = L - 1; t >= 0; t--) if (!v.tokens[t].noise) { last = t; break; }
  const lastKept = last >= 0 ? {t: last, value: v.tokens[last].value} : null;
  const selOnLast = last >= 0 ? share(v.sel.kept, (t) => t === last) : 0;
  const selOnNoise = share(v.sel.kept, (t) => v.tokens[t].noise);
  const ltiOnNoise = share(v.lti.kept, (t) => v.tokens[t].noise);
  let acc = 0, ltiWindow = 0;
  const total = v.lti.kept.reduce((a, b) => a + b, 0);
  for (let t = L - 1; t >= 0 && acc < 0.9 * total; t--) { acc += v.lti.kept[t]; ltiWindow++; }
  const selFinal = v.sel.h[L - 1], ltiFinal = v.lti.h[L - 1];
  const sel = lastKept
    ? `Selective: the final state is ${selFinal.toFixed(2)}; ${pct(selOnLast)} of its weight is on the last kept token (${lastKept.value}, position ${lastKept.t + 1}) and ${pct(selOnNoise)} on noise.`
    : `Selective: no token is kept, so every Δ is small and the state stays near 0 (${selFinal.toFixed(2)}).`;
  const lti = `LTI (Δ = ${v.params.ltiDelta}): the final state is ${ltiFinal.toFixed(2)}; the last ${ltiWindow} token${ltiWindow > 1 ? "s" : ""} carry 90 % of its weight, and noise ${pct(ltiOnNoise)}.`;
  return {selFinal, ltiFinal, lastKept, selOnLast, selOnNoise, ltiOnNoise, ltiWindow, text: `${sel} ${lti}`};
}

// ---------------------------------------------------------------- the parallel scan, level by level

/** A level as the figure draws it: the whole array after the level, and what it wrote. */
export interface DrawnLevel {
  /** "input", "level 1: shift 1", "up 2", "down 1", "inclusive" … */
  name: string;
  /** the pairs at every position after this level (Blelloch: the in-place array of length P) */
  a: number[];
  b: number[];
  /** positions written at this level */
  written: boolean[];
  /** per position: the positions of the previous level's array it read, earlier first */
  from: number[][];
  /** per written position: the steps [i, j] its pair composes (j < i: the identity) */
  span: ([number, number] | null)[];
  /** max |value − definition| over the positions written (float64 loop over the span) */
  maxDiff: number;
}

export interface ScanLevelsView {
  L: number;
  P: number;
  hillisSteele: DrawnLevel[];
  blelloch: DrawnLevel[];
  /** h from the loop (float64) and from each scan's last level */
  hLoop: Float64Array;
  hHillis: Float32Array;
  hBlelloch: Float32Array;
  /** max difference of any level from its definition, per scan */
  maxHillis: number;
  maxBlelloch: number;
  /** max |h_scan − h_loop| */
  maxFinal: number;
  /** combines (a₂a₁, a₂b₁ + b₂) each scan does, and the loop's steps */
  combines: {hillisSteele: number; blelloch: number; loop: number};
  /** levels that depend on each other (the loop: one per step) */
  depth: {hillisSteele: number; blelloch: number; loop: number};
  backend: string;
}

/** The composite (A, B) of steps i … j of (a, b) applied in order, float64; (1, 0) when j < i. */
export function compositeOf(a: ArrayLike<number>, b: ArrayLike<number>, i: number, j: number): [number, number] {
  let A = 1, B = 0;
  for (let t = Math.max(0, i); t <= Math.min(j, a.length - 1); t++) { A = a[t] * A; B = a[t] * B + b[t]; }
  return [A, B];
}

async function readLevels(levels: ScanLevel[]): Promise<{a: Float32Array; b: Float32Array}[]> {
  try {
    return await Promise.all(levels.map(async (lv) => ({a: (await lv.a.data()) as Float32Array, b: (await lv.b.data()) as Float32Array})));
  } finally {
    tf.dispose(levels.flatMap((lv) => [lv.a, lv.b]));
  }
}

/** Builds levels of an in-place array: each step writes some positions, checked against their spans. */
class InPlace {
  levels: DrawnLevel[] = [];
  a: number[];
  b: number[];
  constructor(readonly steps: {a: ArrayLike<number>; b: ArrayLike<number>}, a0: ArrayLike<number>, b0: ArrayLike<number>) {
    this.a = Array.from(a0);
    this.b = Array.from(b0);
  }
  write(name: string, writes: {i: number; a: number; b: number; from: number[]; span: [number, number]}[]): void {
    const n = this.a.length;
    const written = new Array(n).fill(false), from: number[][] = Array.from({length: n}, () => []), span: ([number, number] | null)[] = new Array(n).fill(null);
    let maxDiff = 0;
    for (const w of writes) {
      this.a[w.i] = w.a;
      this.b[w.i] = w.b;
      written[w.i] = true;
      from[w.i] = w.from;
      span[w.i] = w.span;
      const [ea, eb] = compositeOf(this.steps.a, this.steps.b, w.span[0], w.span[1]);
      maxDiff = Math.max(maxDiff, Math.abs(w.a - ea), Math.abs(w.b - eb));
    }
    this.levels.push({name, a: [...this.a], b: [...this.b], written, from, span, maxDiff});
  }
}

/**
 * h = a·h + b by both parallel scans on the active backend (kernels hillisSteeleLevels and
 * blellochLevels), every level read back and checked against its definition: Hillis–Steele
 * level k at t composes steps t − 2^k + 1 … t; Blelloch's up-sweep node composes its block,
 * the down-sweep holds the exclusive prefix (steps before the node's block). Blelloch is
 * drawn as in his paper, in place in one array of length P (node j of level k at index
 * (j+1)·2^k − 1).
 */
export async function scanLevelsView(a: ArrayLike<number>, b: ArrayLike<number>): Promise<ScanLevelsView> {
  const L = a.length;
  if (L < 1 || b.length !== L) throw new Error(`scanLevelsView: a and b must have the same length ≥ 1, got ${a.length} and ${b.length}`);
  // The steps as the kernels see them (float32), so a level's difference is the scans' own rounding.
  const steps = {a: Float32Array.from(a), b: Float32Array.from(b)};
  const hs = await readLevels(hillisSteeleLevels(Array.from(a), Array.from(b)));
  const bl = blellochLevels(Array.from(a), Array.from(b));
  const P = bl.P, K = bl.up.length - 1;
  const [ups, downs, [inc]] = await Promise.all([readLevels(bl.up), readLevels(bl.down), readLevels([bl.inclusive])]);
  // Hillis–Steele: level k (shift s = 2^(k−1)) writes every t ≥ s from t − s and t.
  const H = new InPlace(steps, hs[0].a, hs[0].b);
  H.write("input (aₜ, bₜ)", Array.from({length: L}, (_, t) => ({i: t, a: hs[0].a[t], b: hs[0].b[t], from: [], span: [t, t] as [number, number]})));
  for (let k = 1; k < hs.length; k++) {
    const s = 2 ** (k - 1), w = 2 ** k;
    const writes = [];
    for (let t = s; t < L; t++) writes.push({i: t, a: hs[k].a[t], b: hs[k].b[t], from: [t - s, t], span: [Math.max(0, t - w + 1), t] as [number, number]});
    H.write(`level ${k}: shift ${s}`, writes);
  }
  // Blelloch, in place: the padded leaves, the up-sweep, the root set to the identity, the down-sweep.
  const B = new InPlace(steps, ups[0].a, ups[0].b);
  B.write(`input, padded to P = ${P}`, Array.from({length: P}, (_, t) => ({i: t, a: ups[0].a[t], b: ups[0].b[t], from: [], span: [t, t] as [number, number]})));
  for (let k = 1; k <= K; k++) {
    const h = 2 ** (k - 1);
    B.write(`up ${k}`, Array.from({length: P >> k}, (_, j) => {
      const i = (j + 1) * 2 ** k - 1;
      return {i, a: ups[k].a[j], b: ups[k].b[j], from: [i - h, i], span: [j * 2 ** k, i] as [number, number]};
    }));
  }
  B.write("root ← identity", [{i: P - 1, a: downs[K].a[0], b: downs[K].b[0], from: [], span: [0, -1]}]);
  for (let k = K - 1; k >= 0; k--) {
    const h = 2 ** k;
    B.write(`down ${K - k}`, Array.from({length: P >> k}, (_, j) => {
      const i = (j + 1) * h - 1; // node j of level k
      // a left child (j even) takes its parent's prefix (at i + h); a right child (at its parent's
      // index i) combines the parent's prefix with its left sibling's reduction (at i − h).
      return {i, a: downs[k].a[j], b: downs[k].b[j], from: j % 2 === 0 ? [i + h] : [i, i - h], span: [0, j * h - 1] as [number, number]};
    }));
  }
  B.write("inclusive = prefix ∘ own", Array.from({length: L}, (_, t) => ({i: t, a: inc.a[t], b: inc.b[t], from: [t], span: [0, t] as [number, number]})));
  const hLoop = Float64Array.from({length: L}, (_, t) => compositeOf(steps.a, steps.b, 0, t)[1]);
  const hHillis = hs[hs.length - 1].b, hBlelloch = inc.b;
  let maxFinal = 0;
  for (let t = 0; t < L; t++) maxFinal = Math.max(maxFinal, Math.abs(hHillis[t] - hLoop[t]), Math.abs(hBlelloch[t] - hLoop[t]));
  const hsCombines = Array.from({length: hs.length - 1}, (_, k) => L - 2 ** k).reduce((x, y) => x + y, 0);
  return {
    L, P, hillisSteele: H.levels, blelloch: B.levels, hLoop, hHillis, hBlelloch,
    maxHillis: Math.max(...H.levels.map((lv) => lv.maxDiff)),
    maxBlelloch: Math.max(...B.levels.map((lv) => lv.maxDiff)),
    maxFinal,
    combines: {hillisSteele: hsCombines, blelloch: 2 * (P - 1) + L, loop: L},
    depth: {hillisSteele: hs.length - 1, blelloch: 2 * K + 1, loop: L},
    backend: tf.getBackend()
  };
}

// ---------------------------------------------------------------- the Mamba block

export interface BlockBox {
  id: string;
  /** the operation */
  label: string;
  /** a second line: what it is in Mamba's code */
  note?: string;
  /** the shape of what it outputs */
  shape: number[];
  /** grid position (column 0 the x branch, 1 the z branch; rows top to bottom) */
  col: number;
  row: number;
  kind: "tensor" | "op" | "scan" | "param";
}

export interface BlockDiagram {
  config: MambaConfig;
  b: number;
  l: number;
  boxes: BlockBox[];
  edges: {from: string; to: string}[];
  /** parameters of the block, and the recurrent state carried per sequence at inference (E·N + E·(K−1)) */
  params: number;
  state: number;
  /** floats of the (b, l, E, N) states an unfused scan would materialise */
  materialised: number;
}

export interface BlockSizes { dModel: number; expand: number; dState: number; L: number }

/** The Mamba block as boxes with the shapes of mambaBlockShapes for these sizes (b = 1). */
export function blockDiagram({dModel, expand, dState, L}: BlockSizes): BlockDiagram {
  const config = mambaConfig(dModel, {expand, dState});
  const s = mambaBlockShapes(config, 1, L);
  const {dInner: E, dState: N, dConv: K, dtRank: R} = config;
  const boxes: BlockBox[] = [
    {id: "input", label: "x", note: "the block's input", shape: s.input, col: 0.5, row: 0, kind: "tensor"},
    {id: "xz", label: "in_proj", note: `linear M → 2E (${dModel} → ${2 * E}), split`, shape: s.xz, col: 0.5, row: 1, kind: "op"},
    {id: "conv", label: "conv1d", note: `depthwise, causal, width ${K}`, shape: s.xConv, col: 0, row: 2, kind: "op"},
    {id: "silu1", label: "SiLU", note: "x ← x·σ(x)", shape: s.xAct, col: 0, row: 3, kind: "op"},
    {id: "xproj", label: "x_proj", note: `linear E → R + 2N (R = ${R}, N = ${N})`, shape: s.xDbl, col: 0, row: 4, kind: "op"},
    {id: "dtproj", label: "dt_proj → Δ", note: `linear R → E, then softplus(· + bias)`, shape: s.delta, col: 0, row: 5, kind: "op"},
    {id: "BC", label: "B, C", note: "input-dependent, shared by the E channels", shape: s.B, col: 1, row: 4, kind: "tensor"},
    {id: "A", label: "A = −exp(A_log)", note: "per channel, not input-dependent", shape: s.A, col: 1, row: 5, kind: "param"},
    {id: "scan", label: "selective scan", note: "hₜ = exp(ΔₜA)hₜ₋₁ + ΔₜBₜxₜ, yₜ = Cₜhₜ + Dxₜ", shape: s.y, col: 0, row: 6, kind: "scan"},
    {id: "z", label: "z", note: "the gate branch of in_proj", shape: s.z, col: 1, row: 2, kind: "tensor"},
    {id: "silu2", label: "SiLU(z)", note: "the gate", shape: s.z, col: 1, row: 6, kind: "op"},
    {id: "gate", label: "y ⊙ SiLU(z)", note: "multiplicative gate", shape: s.y, col: 0.5, row: 7, kind: "op"},
    {id: "out", label: "out_proj", note: `linear E → M (${E} → ${dModel})`, shape: s.out, col: 0.5, row: 8, kind: "op"}
  ];
  const edges = [["input", "xz"], ["xz", "conv"], ["xz", "z"], ["conv", "silu1"], ["silu1", "xproj"], ["xproj", "dtproj"], ["xproj", "BC"],
    ["dtproj", "scan"], ["BC", "scan"], ["A", "scan"], ["silu1", "scan"], ["z", "silu2"], ["scan", "gate"], ["silu2", "gate"], ["gate", "out"]]
    .map(([from, to]) => ({from, to}));
  const shapes = mambaParamShapes(config);
  const params = MAMBA_PARAM_NAMES.reduce((n, k) => n + shapes[k].reduce((x, y) => x * y, 1), 0);
  return {config, b: 1, l: L, boxes, edges, params, state: E * N + E * (K - 1), materialised: L * E * N};
}

export interface BlockRun {
  /** the shapes of the tensors mambaBlock actually produced, by box id */
  shapes: Record<string, number[]>;
  /** whether every box's shape equals the diagram's */
  agrees: boolean;
  ms: number;
  /** max |out| (a finite number: the forward ran) */
  maxOut: number;
  path: string;
}

/** Runs mambaBlock once (seeded weights, random input) and reads the shapes it made. */
export async function runBlock(d: BlockDiagram, seed = 1): Promise<BlockRun> {
  const {config, l} = d;
  const params = mambaInit(config, seed);
  const r = mulberry32(seed + 1);
  const x = Float32Array.from({length: l * config.dModel}, () => 2 * r() - 1);
  const t0 = now();
  const xt = tf.tensor3d(x, [1, l, config.dModel]);
  const res = mambaBlock(xt, config, params, {intermediates: true});
  xt.dispose();
  const i = res.intermediates!;
  const shapes: Record<string, number[]> = {
    input: [1, l, config.dModel], xz: i.xz.shape, conv: i.xConv.shape, silu1: i.xAct.shape, xproj: i.xDbl.shape, dtproj: i.delta.shape,
    BC: i.B.shape, A: i.A.shape, scan: i.y.shape, z: i.z.shape, silu2: i.z.shape, gate: i.y.shape, out: res.out.shape
  };
  let out: Float32Array;
  try {
    out = await readFinite(res.out, "runBlock", "the block's output");
  } finally {
    tf.dispose([res.out, ...Object.values(i)]);
  }
  const ms = now() - t0;
  const agrees = d.boxes.every((b) => shapes[b.id]?.join() === b.shape.join());
  let maxOut = 0;
  for (const v of out) maxOut = Math.max(maxOut, Math.abs(v));
  return {shapes, agrees, ms, maxOut, path: selectiveScanPath(1, l, config.dInner, config.dState).reason};
}

/** "(1, 64, 32)" */
export function shapeText(shape: readonly number[]): string {
  return `(${shape.join(", ")})`;
}

// ---------------------------------------------------------------- what the figures draw (plain data)

/** The strip's token cells and bar rows (for components/charts/TokenStrip). */
export function stripFigure(v: StripView): {tokens: {label: string; muted: boolean; sub: string}[]; rows: {name: string; values: Float64Array; color: string; domain?: [number, number]}[]} {
  return {
    tokens: v.tokens.map((t) => ({label: String(t.value), muted: t.noise, sub: t.noise ? "noise" : "kept"})),
    rows: [
      {name: `Δₜ, selective (LTI: Δ = ${v.params.ltiDelta} for every token)`, values: v.sel.delta, color: "#f28e2b"},
      {name: "selective: share of each token in the final state", values: v.sel.kept, color: "#4e79a7", domain: [0, 1]},
      {name: "LTI: share of each token in the final state", values: v.lti.kept, color: "#9c755f", domain: [0, 1]}
    ]
  };
}

/** The rows ScanLevels draws for a scan's levels, each marked by its check against the definition. */
export function scanRows(levels: readonly DrawnLevel[], tol = 1e-4): {name: string; a: number[]; b: number[]; written: boolean[]; from: number[][]; ok: boolean; note: string}[] {
  return levels.map((lv) => {
    const scale = Math.max(1, ...lv.b.map(Math.abs));
    return {name: lv.name, a: lv.a, b: lv.b, written: lv.written, from: lv.from, ok: lv.maxDiff <= tol * scale, note: `max |Δ| ${lv.maxDiff.toExponential(0)}`};
  });
}

/** CSV/JSON rows of a scan's levels: one row per written cell. */
export function scanExport(levels: readonly DrawnLevel[]): {level: string; position: number; a: number; b: number; from: string; first: number; last: number; maxDiff: number}[] {
  return levels.flatMap((lv) => lv.written.flatMap((w, i) => (w ? [{level: lv.name, position: i, a: lv.a[i], b: lv.b[i], from: lv.from[i].join(" "), first: lv.span[i]![0], last: lv.span[i]![1], maxDiff: lv.maxDiff}] : [])));
}
