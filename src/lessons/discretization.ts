// Page 2, discretization: the page's view. Everything /discretization draws, caches and says,
// as plain data; the rules themselves (maps, stability, error sweep, the tfjs run) are in
// lessons/discretizationRules.ts, re-exported here so the page and its tests import one module.
import {discretizeF64, fail, METHODS, type Method} from "../kernels/index.js";
import {afterRest, LruCache, runSliced} from "../runtime/schedule.js";
import {now} from "../runtime/timing.js";
import {
  discreteResponses, discretizeOrNull, eigenvalues, type ErrorVsDelta, errorVsDeltaSteps, heldInput, mixedRuleGap,
  mixedRuleGapScalar, runF64, stabilityInterval, zOfS
} from "./discretizationRules.js";
import type {SignalKind, SignalOptions} from "./signals.js";

export * from "./discretizationRules.js";

// ---------------------------------------------------------------- the page's view
//
// Everything page 2 draws, as plain data. A Δ move must redraw within a frame, so the live
// path is float64 JavaScript on 1x1/2x2 systems (microseconds): discretizeF64 per rule and a
// loop per rule. The site's tfjs kernels run the same samples after the paint (kernelCheck)
// and the readout prints how far the two are apart. What depends only on A and the input
// (the exact response, the error sweep, the mixed-rule curves) is cached by those.

/** The controls of page 2, as plain values. */
export interface DiscretizationParams {
  delta: number;
  /** "scalar": A = λ; "2x2": A = [[σ, 1], [−ω², σ]] (eigenvalues σ ± iω) */
  sys: string;
  lambda: number; sigma: number; omega: number;
  /** the ticked rules */
  methods: readonly string[];
  /** a signal kind, or the name of a real series */
  input: string; freq: number; seed: number;
  /** the time window */
  T: number;
}

export type SeriesData = Record<string, {values: number[]}>;

export const LABEL: Record<Method, string> = {zoh: "ZOH", bilinear: "bilinear", euler: "forward Euler", "backward-euler": "backward Euler", mamba: "Mamba mix"};
/** Short names for legends on narrow screens. */
export const SHORT: Record<Method, string> = {zoh: "ZOH", bilinear: "bilin.", euler: "Euler", "backward-euler": "bw Euler", mamba: "Mamba"};
export const COLOR: Record<Method, string> = {zoh: "#4e79a7", bilinear: "#f28e2b", euler: "#e15759", "backward-euler": "#76b7b2", mamba: "#59a14f"};
export const SYMBOL: Record<Method, "circle" | "diamond" | "square" | "triangle" | "x"> = {zoh: "circle", bilinear: "diamond", euler: "square", "backward-euler": "triangle", mamba: "x"};
export const METHOD_OPTIONS: readonly {value: Method; label: string}[] = [
  {value: "zoh", label: "ZOH"}, {value: "bilinear", label: "bilinear"}, {value: "euler", label: "forward Euler"},
  {value: "backward-euler", label: "backward Euler"}, {value: "mamba", label: "Mamba (ZOH Ā, Euler B̄)"}
];
/** Fine grid of the exact response; most steps of the live samples; the log-axis floor of errors and gaps. */
export const NF = 2000, LMAX = 2000, FLOOR = 1e-16;
/** The error sweep's range of Δ and its bound on the reference grid. */
export const SWEEP = {deltaMin: 1e-3, deltaMax: 10, maxRefSteps: 100_000};

/** The ranges of the A controls (min, max, step): the page's sliders and the s-plane drag share them. */
export const RANGES = {lambda: [-10, 2, 0.01], sigma: [-5, 1, 0.01], omega: [0, 10, 0.05]} as const;

const snap = ([lo, hi, step]: readonly [number, number, number], v: number) => +Math.min(hi, Math.max(lo, Math.round(v / step) * step)).toFixed(2);

/**
 * The controls' values for an eigenvalue placed at re + i·im in the s-plane: the scalar λ = re,
 * or the pair σ ± iω with σ = re, ω = |im| (a real 2×2 matrix has conjugate eigenvalues),
 * clamped to the sliders' ranges and snapped to their steps.
 */
export function pickedEigenvalue(sys: string, re: number, im: number): Partial<Record<"lambda" | "sigma" | "omega", number>> {
  return sys === "scalar" ? {lambda: snap(RANGES.lambda, re)} : {sigma: snap(RANGES.sigma, re), omega: snap(RANGES.omega, Math.abs(im))};
}

/** 3 significant digits, exponent outside [0.01, 1e4) (as the Δ slider shows it). */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x !== 0 && (Math.abs(x) < 0.01 || Math.abs(x) >= 1e4) ? x.toExponential(1) : x.toPrecision(3);
}

const SERIES_INPUTS = ["co2", "seattle"];

export interface System {
  A: number[][]; B: number[][]; C: number[][]; n: number;
  eig: {re: number[]; im: number[]};
  /** largest |λ| and largest Re λ */
  rhoA: number; abscissa: number;
  /** a complex pair (an oscillation) */
  complex: boolean;
  key: string;
}

/** A, B, C of the controls: A = λ (B = C = 1) or A = [[σ, 1], [−ω², σ]], B = (0, 1)ᵀ, C = (1, 0). */
export function systemOf(p: Pick<DiscretizationParams, "sys" | "lambda" | "sigma" | "omega">): System {
  const scalar = p.sys === "scalar";
  const A = scalar ? [[p.lambda]] : [[p.sigma, 1], [-(p.omega ** 2), p.sigma]];
  const eig = eigenvalues(A);
  const rhoA = Math.max(...eig.re.map((r, i) => Math.hypot(r, eig.im[i])));
  return {A, B: scalar ? [[1]] : [[0], [1]], C: scalar ? [[1]] : [[1, 0]], n: A.length, eig, rhoA, abscissa: Math.max(...eig.re),
    complex: eig.im.some((v) => v !== 0), key: JSON.stringify(A)};
}

/** The signal kind and options of the input control (a real series is stretched over [0, T]). */
export function signalOf(p: DiscretizationParams, series: SeriesData): {kind: SignalKind; opts: SignalOptions & {T: number}; key: string} {
  const real = SERIES_INPUTS.includes(p.input);
  if (real && !series[p.input]) fail("signalOf", `the series ${JSON.stringify(p.input)} is not loaded`);
  const kind = (real ? "series" : p.input) as SignalKind;
  const opts = {freq: p.freq, seed: p.seed, series: real ? series[p.input].values : undefined, T: p.T};
  // Only what changes the signal is in the key (freq for sine/square, seed for noise).
  const key = JSON.stringify([p.input, kind === "sine" || kind === "square" ? p.freq : 0, kind === "noise" ? p.seed : 0, p.T]);
  return {kind, opts, key};
}

export interface Exact {
  /** t_k = k·h and y(t_k), k = 0..NF, h = T/NF */
  t: Float64Array; y: Float64Array; h: number;
}

const exactCache = new LruCache<Exact>(24);

/**
 * The exact output for the continuous input, as on page 1: ZOH at the fine step h = T/NF is
 * exact for the input held on that grid (float64 loop, cached per A and input).
 */
export function exactResponse(sys: System, p: DiscretizationParams, series: SeriesData): Exact {
  const sig = signalOf(p, series);
  return exactCache.get(`${sys.key} ${sig.key}`, () => {
    const h = p.T / NF;
    const {Ab, Bb} = discretizeF64(sys.A, sys.B, h, "zoh");
    const y = new Float64Array(NF + 1);
    y.set(runF64(Ab, Bb, sys.C, heldInput(sig.kind, NF, h, sig.opts), Number.MAX_VALUE), 1);
    return {t: Float64Array.from({length: NF + 1}, (_, k) => k * h), y, h};
  });
}

export interface Rule {
  method: Method;
  /** Ā (n, n) and B̄ (n, 1) in float64, or null where the rule is singular at this Δ */
  Ab: number[][] | null; Bb: number[][] | null;
  /** eigenvalues z = f(Δλ) of Ā (null when singular) and the spectral radius ρ(Ā) */
  z: {re: number[]; im: number[]} | null;
  rho: number;
  /** why there is no Ā (backward Euler at Δλ = 1, bilinear at Δλ = 2), or null */
  singular: string | null;
}

/** Each rule's Ā, B̄ and eigenvalues at Δ (a singular rule is reported, not thrown). */
export function rulesOf(sys: System, delta: number, methods: readonly Method[]): Rule[] {
  return methods.map((method) => {
    const d = discretizeOrNull(sys.A, sys.B, delta, method);
    if (!d) return {method, Ab: null, Bb: null, z: null, rho: Infinity, singular: singularReason(sys, delta, method)};
    const z = sys.eig.re.map((r, i) => zOfS(method, delta * r, delta * sys.eig.im[i]));
    const re = z.map((q) => q[0]), im = z.map((q) => q[1]);
    return {method, Ab: d.Ab, Bb: d.Bb, z: {re, im}, rho: Math.max(...re.map((r, i) => Math.hypot(r, im[i]))), singular: null};
  });
}

/** The sentence for a rule that has no Ā at Δ. */
export function singularReason(sys: System, delta: number, method: Method): string {
  const [s, f] = method === "bilinear" ? [2, "(1 + s/2)/(1 − s/2)"] : [1, "1/(1 − s)"];
  const lam = sys.eig.re.find((r, i) => sys.eig.im[i] === 0 && Math.abs(delta * r - s) < 1e-6 * s) ?? s / delta;
  return `${LABEL[method]} has no Ā at Δ = ${fmt(delta)}: Δλ = ${s} for the eigenvalue λ = ${fmt(lam)} of A, the pole of its map z = ${f}` +
    ` (I − ${method === "bilinear" ? "ΔA/2" : "ΔA"} is singular). It is left out at this Δ; the other rules are drawn.`;
}

export interface Samples {
  /** steps that cover the window, and the steps computed (≤ LMAX) */
  steps: number; L: number;
  /** the window drawn: t ≤ W */
  W: number;
  /** t_k = kΔ, k = 1..L, and the held input u_k */
  t: Float64Array; u: Float64Array;
  /** y_k per non-singular rule, cut where the rule blew up (|x| > 1e30) */
  y: Partial<Record<Method, Float64Array>>;
  /** the time at which a rule blew up */
  blowUp: Partial<Record<Method, number>>;
}

/** The live samples y_k = C x_k of each rule (float64 loops), for the current Δ. */
export function samplesOf(sys: System, p: DiscretizationParams, series: SeriesData, rules: readonly Rule[]): Samples {
  const valid = Number.isFinite(p.delta) && p.delta > 0;
  const steps = valid ? Math.floor(p.T / p.delta + 1e-9) : 0;
  const L = Math.min(steps, LMAX);
  const sig = signalOf(p, series);
  const u = L >= 1 ? heldInput(sig.kind, L, p.delta, sig.opts) : new Float64Array(0);
  const t = Float64Array.from({length: L}, (_, k) => (k + 1) * p.delta);
  const y: Samples["y"] = {}, blowUp: Samples["blowUp"] = {};
  for (const r of rules) {
    if (!r.Ab || !r.Bb || L < 1) continue;
    const yr = runF64(r.Ab, r.Bb, sys.C, u);
    const bad = yr.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) blowUp[r.method] = t[bad];
    y[r.method] = bad >= 0 ? yr.slice(0, bad) : yr;
  }
  return {steps, L, W: L >= 1 ? Math.min(p.T, L * p.delta) : p.T, t, u, y, blowUp};
}

export interface DiscretizationView {
  p: DiscretizationParams;
  methods: Method[];
  sys: System;
  valid: boolean;
  exact: Exact;
  rules: Rule[];
  samples: Samples;
  /** the Δ > 0 where each rule is stable (null: none) */
  intervals: Record<Method, {lo: number; hi: number} | null>;
  ms: number;
}

/** Everything the page draws for the current controls that must follow a drag (float64, no tensors). */
export function discretizationView(p: DiscretizationParams, series: SeriesData): DiscretizationView {
  const t0 = now();
  const methods = METHODS.filter((m) => p.methods.includes(m));
  const sys = systemOf(p);
  const valid = Number.isFinite(p.delta) && p.delta > 0;
  const exact = exactResponse(sys, p, series);
  const rules = valid ? rulesOf(sys, p.delta, methods) : [];
  const samples = samplesOf(sys, p, series, rules);
  const intervals = Object.fromEntries(METHODS.map((m) => [m, stabilityInterval(sys.A, m)])) as DiscretizationView["intervals"];
  return {p, methods, sys, valid, exact, rules, samples, intervals, ms: now() - t0};
}

/** Plain data for LineChart: the exact curve on the window and each rule's samples, with the y range of the exact curve. */
export function responseFigure(v: DiscretizationView, {short = false} = {}) {
  const {exact, samples} = v;
  const nW = Math.min(NF + 1, Math.ceil((samples.W / v.p.T) * NF) + 1);
  const tEx = Array.from(exact.t.subarray(0, nW)), yEx = Array.from(exact.y.subarray(0, nW));
  let lo = Infinity, hi = -Infinity;
  for (const y of yEx) if (Number.isFinite(y)) { lo = Math.min(lo, y); hi = Math.max(hi, y); }
  const pad = 0.25 * Math.max(hi - lo, 1e-6 * Math.max(1, Math.abs(hi)));
  const points = samples.L <= 250;
  const series = [
    {name: "exact y(t)", x: tEx, y: yEx, color: "#222", width: 2},
    ...v.methods.filter((m) => samples.y[m]).map((m) => ({name: short ? SHORT[m] : LABEL[m], x: samples.t.subarray(0, samples.y[m]!.length), y: samples.y[m]!, color: COLOR[m], points, width: points ? 0.9 : 1.4}))
  ];
  const issues = v.methods.filter((m) => samples.blowUp[m] !== undefined).map((m) => `${LABEL[m]} blew up (|x| > 10³⁰) at t = ${fmt(samples.blowUp[m]!)}: its later samples are not drawn`);
  const rows = () => ({exact: tEx.map((t, k) => ({t, y: yEx[k]})),
    samples: Array.from(samples.t, (t, k) => Object.fromEntries([["t", t], ...v.methods.map((m) => [m, samples.y[m]?.[k] ?? null])]))});
  return {series, xDomain: [0, samples.W] as [number, number], yDomain: [lo - pad, hi + pad] as [number, number], issues, rows};
}

/** A circle for ComplexPlane (drawn exactly at any zoom). */
const circle = (re: number, im: number, r: number) => ({circle: {re, im, r}});

/** The s-plane: eigenvalues of A and, for the Euler rules, the λ they keep stable at this Δ. */
export function sPlaneFigure(v: DiscretizationView, {short = false} = {}) {
  const {sys, methods, p} = v;
  const curves = !v.valid ? [] : [
    ...(methods.includes("euler") ? [{name: short ? "Euler: |1 + Δλ| < 1" : "Euler stable inside: |1 + Δλ| < 1", ...circle(-1 / p.delta, 0, 1 / p.delta), color: COLOR.euler}] : []),
    ...(methods.includes("backward-euler") ? [{name: short ? "bw Euler: outside" : "backward Euler stable outside", ...circle(1 / p.delta, 0, 1 / p.delta), color: COLOR["backward-euler"], dash: true}] : [])
  ];
  return {points: [{name: short ? "λ of A" : "eigenvalues λ of A", re: sys.eig.re, im: sys.eig.im, color: "#222"}], curves, domain: Math.max(1, 1.4 * sys.rhoA),
    rows: () => sys.eig.re.map((re, i) => ({re, im: sys.eig.im[i]}))};
}

/**
 * A zoom box around the eigenvalues of Ā that sit too close together to tell apart: the
 * z's within domain/8 of ZOH's exact e^{Δλ} (upper half-plane), when at least two of them
 * differ and their spread is below domain/6. Returns {re, im, r} (centre and half-width) or null.
 */
export function zoomBox(points: readonly {re: ArrayLike<number>; im: ArrayLike<number>}[], anchor: [number, number], domain: number): {re: number; im: number; r: number} | null {
  const near: [number, number][] = [];
  for (const p of points) {
    for (let i = 0; i < p.re.length; i++) {
      const re = p.re[i], im = p.im[i];
      if (Number.isFinite(re) && Number.isFinite(im) && im >= -1e-12 && Math.hypot(re - anchor[0], im - anchor[1]) <= domain / 8) near.push([re, im]);
    }
  }
  if (near.length < 2) return null;
  const xs = near.map((q) => q[0]), ys = near.map((q) => q[1]);
  const half = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) / 2;
  const size = Math.hypot(anchor[0], anchor[1]);
  if (!(half > 1e-12 * Math.max(1, size)) || half > domain / 12) return null;
  return {re: (Math.max(...xs) + Math.min(...xs)) / 2, im: (Math.max(...ys) + Math.min(...ys)) / 2, r: 1.8 * half};
}

/** The z-plane: each rule's z = f(Δλ) (the eigenvalues of its Ā), the images of the stable region, and a zoom inset. */
export function zPlaneFigure(v: DiscretizationView, {short = false} = {}) {
  const {sys, methods, p} = v;
  const points = v.rules.filter((r) => r.z).map((r) => ({name: `${short ? SHORT[r.method] : LABEL[r.method]} z`, re: r.z!.re, im: r.z!.im, color: COLOR[r.method], symbol: SYMBOL[r.method]}));
  const zMax = Math.max(1, ...points.flatMap((q) => q.re.map((r, i) => Math.hypot(r, q.im[i]))).filter(Number.isFinite));
  const domain = Math.min(3, Math.max(1.3, 1.15 * zMax));
  const curves = [
    ...(methods.includes("euler") ? [{name: short ? "Euler: Re z < 1" : "image under Euler: Re z < 1", re: [1, 1], im: [-10, 10], color: COLOR.euler}] : []),
    ...(methods.includes("backward-euler") ? [{name: short ? "bw Euler: |z − ½| < ½" : "under backward Euler: |z − ½| < ½", ...circle(0.5, 0, 0.5), color: COLOR["backward-euler"], dash: true}] : [])
  ];
  // Anchor the zoom on ZOH's z for the eigenvalue in the upper half-plane.
  const i = sys.eig.im[0] >= 0 ? 0 : sys.eig.im.length - 1;
  const anchor = v.valid ? zOfS("zoh", p.delta * sys.eig.re[i], p.delta * Math.abs(sys.eig.im[i])) : [1, 0] as [number, number];
  const inset = v.valid ? zoomBox(points, anchor, domain) : null;
  return {points, curves, domain, inset, rows: () => points.flatMap((q) => Array.from(q.re, (re, k) => ({method: q.name, re, im: q.im[k]})))};
}

/** Rows for IntervalChart: where each ticked rule is stable (short: the note without "stable: ", for narrow screens). */
export function stabilityRows(v: DiscretizationView, {short = false} = {}) {
  const text = (iv: {lo: number; hi: number} | null) => !iv ? "never" : iv.lo === 0 && iv.hi === Infinity ? "every Δ" : iv.lo === 0 ? `Δ < ${fmt(iv.hi)}`
    : iv.hi === Infinity ? `Δ > ${fmt(iv.lo)}` : `${fmt(iv.lo)} < Δ < ${fmt(iv.hi)}`;
  return v.methods.map((m) => ({name: LABEL[m], color: COLOR[m], intervals: v.intervals[m] ? [[v.intervals[m]!.lo, v.intervals[m]!.hi] as [number, number]] : [], note: short ? text(v.intervals[m]) : `stable: ${text(v.intervals[m])}`}));
}

/** z/(eᶻ − 1) for complex z: the factor by which Mamba's ΔB differs from ZOH's B̄ on one mode; {mag, deg}. */
export function mixedRuleFactor(re: number, im: number): {mag: number; deg: number} {
  if (Math.hypot(re, im) < 1e-8) return {mag: 1, deg: 0};
  const er = Math.exp(re) * Math.cos(im) - 1, ei = Math.exp(re) * Math.sin(im), d = er * er + ei * ei;
  const qr = (re * er + im * ei) / d, qi = (im * er - re * ei) / d;
  return {mag: Math.hypot(qr, qi), deg: (Math.atan2(qi, qr) * 180) / Math.PI};
}

const gapCache = new LruCache<{xs: number[]; gapA: number[]; gapS: number[]}>(24);

/** The mixed-rule gap ‖ΔB − B̄_zoh‖/‖B̄_zoh‖ against Δ|λ| for this A (and the real-λ closed form); cached per A. */
export function mixedGapFigure(sys: System) {
  return gapCache.get(sys.key, () => {
    const xs = Array.from({length: 121}, (_, i) => 10 ** (-3 + (5 * i) / 120));
    const gapA = sys.rhoA > 0 ? Array.from(mixedRuleGap(sys.A, sys.B, xs.map((x) => x / sys.rhoA)), (g) => (Number.isFinite(g) ? Math.max(g, FLOOR) : NaN)) : [];
    return {xs, gapA, gapS: xs.map((x) => mixedRuleGapScalar(-x))};
  });
}

export interface Notice { level: "info" | "warn" | "error"; text: string }

/** What the reader should be told about the current view: bad Δ, long runs, unstable or singular rules, the mixed rule on an oscillation, aliasing. */
export function viewNotices(v: DiscretizationView): Notice[] {
  const {p, sys, samples, intervals} = v;
  const out: Notice[] = [];
  if (!v.valid) out.push({level: "error", text: `Δ must be a finite number > 0 (got ${p.delta}); nothing is computed.`});
  else if (samples.L < 1) out.push({level: "warn", text: `Δ = ${fmt(p.delta)} is longer than the window T = ${p.T}: no step ends inside it. Shorten Δ or lengthen T.`});
  if (samples.steps > LMAX) out.push({level: "info", text: `Δ = ${fmt(p.delta)} needs ${samples.steps.toLocaleString("en")} steps to cover T = ${p.T}; to stay responsive only the first ${LMAX} are computed, so Figure 1 shows t ≤ ${fmt(LMAX * p.delta)}.`});
  if (!v.methods.length) out.push({level: "info", text: "No rule is ticked: tick at least one to see its samples."});
  for (const r of v.rules) if (r.singular) out.push({level: "warn", text: r.singular});
  if (sys.abscissa >= 0) {
    out.push({level: "warn", text: (sys.abscissa > 0 ? `A itself is not stable (largest Re λ = ${sys.abscissa.toFixed(2)} > 0): the exact response grows, and so do the faithful discretizations.`
      : "A is on the edge of stability (largest Re λ = 0): its free response does not decay, and a held input can make the state grow.") +
      (intervals["backward-euler"] ? ` Backward Euler still reports ρ(Ā) < 1 for Δ > ${fmt(intervals["backward-euler"].lo)}: a stable-looking artefact.` : "")});
  } else {
    for (const r of v.rules) {
      if (r.singular || !(r.rho >= 1)) continue;
      const iv = intervals[r.method];
      out.push({level: "warn", text: `${LABEL[r.method]} is unstable at Δ = ${fmt(p.delta)}: its Ā has spectral radius ${r.rho < 1e4 ? r.rho.toFixed(3) : fmt(r.rho)} ≥ 1 although A is stable` +
        (iv ? ` (stable only for Δ < ${fmt(iv.hi)})` : "") + ". Its samples grow without bound; those outside the plot are counted, not drawn."});
    }
  }
  const w = Math.max(...sys.eig.im.map(Math.abs));
  if (v.valid && sys.complex && p.delta * w > Math.PI) {
    out.push({level: "info", text: `Δω = ${(p.delta * w).toFixed(2)} > π: a step is longer than half a period of the oscillation (ω = ${fmt(w)}), so every rule's samples alias, even ZOH's exact ones.`});
  }
  if (v.valid && sys.complex && v.methods.includes("mamba") && p.delta * w >= 1) {
    const i = sys.eig.im.findIndex((x) => x > 0), q = mixedRuleFactor(p.delta * sys.eig.re[i], p.delta * sys.eig.im[i]);
    out.push({level: "info", text: `Mamba's mixed rule on an oscillating mode at Δω = ${(p.delta * w).toFixed(2)}: per mode, ΔB is ${q.mag >= 0.01 && q.mag < 100 ? q.mag.toFixed(2) : fmt(q.mag)}× ZOH's B̄ and turned by ${Math.abs(q.deg).toFixed(0)}° ` +
      "(ZOH integrates the rotation over the step; ΔB ignores it), so its samples are far off. Mamba applies this rule to a real diagonal A, one decaying mode per state, where ΔB only over-weights the input: choose the scalar system to see one such mode."});
  }
  return out;
}

/** The eigenvalues of A as a short text: "−0.5 ± 3i", "0.8", "−0.5 (twice)" or "−1, −3". */
export function eigenText(eig: {re: number[]; im: number[]}): string {
  const n = (x: number) => String(+x.toPrecision(3)).replace("-", "−");
  if (eig.re.length === 1) return n(eig.re[0]);
  if (eig.im[0] !== 0) return `${n(eig.re[0])} ± ${n(Math.abs(eig.im[0]))}i`;
  return eig.re[0] === eig.re[1] ? `${n(eig.re[0])} (twice)` : `${n(eig.re[0])}, ${n(eig.re[1])}`;
}

/** Whether two parameter sets give the same A and input (the error sweep and the mixed-rule curves are the same). */
export function sameSystem(a: DiscretizationParams, b: DiscretizationParams): boolean {
  return a.sys === b.sys && (a.sys === "scalar" ? a.lambda === b.lambda : a.sigma === b.sigma && a.omega === b.omega) &&
    a.input === b.input && a.freq === b.freq && a.seed === b.seed && a.T === b.T;
}

/** Whether two parameter sets are the same view. */
export function sameParams(a: DiscretizationParams, b: DiscretizationParams): boolean {
  return sameSystem(a, b) && Object.is(a.delta, b.delta) && a.methods.join() === b.methods.join();
}

const sweepCache = new LruCache<ErrorVsDelta>(16);
const sweepKey = (v: DiscretizationView, series: SeriesData) => `${v.sys.key} ${signalOf(v.p, series).key}`;

/** The cached error sweep for this A and input, if it was computed. */
export function cachedSweep(v: DiscretizationView, series: SeriesData): ErrorVsDelta | undefined {
  const key = sweepKey(v, series);
  return sweepCache.has(key) ? sweepCache.get(key, () => { throw new Error("unreachable"); }) : undefined;
}

/**
 * The measured error against Δ for this A and input (every rule): from the cache, or computed
 * once the controls have rested (150 ms) and the current figures have been painted, in slices
 * (one per rule), and only while the controls still show this A and input (`fresh`). Null when
 * superseded.
 */
export async function errorSweep(v: DiscretizationView, series: SeriesData, {invalidation, fresh = () => true}: {invalidation?: Promise<unknown>; fresh?: () => boolean} = {}): Promise<(ErrorVsDelta & {ms: number}) | null> {
  const hit = cachedSweep(v, series);
  if (hit) return {...hit, ms: 0};
  if (!(await afterRest(invalidation, 150, fresh))) return null;
  let dead = false;
  invalidation?.then(() => { dead = true; });
  const t0 = now(), sig = signalOf(v.p, series);
  const steps = errorVsDeltaSteps(v.sys.A, v.sys.B, v.sys.C, {kind: sig.kind, signal: sig.opts, T: v.p.T, ...SWEEP});
  const r = await runSliced(steps, () => dead || !fresh());
  if (!r) return null;
  sweepCache.get(sweepKey(v, series), () => r);
  return {...r, ms: now() - t0};
}

/** Plain data for the error figure: the curves (singular points left out), reference slopes, and what the figure must say. */
export function errorFigure(v: DiscretizationView, sweep: ErrorVsDelta, {short = false} = {}) {
  const top = 10 * Math.max(sweep.scale, 1e-6);
  const series = v.methods.map((m) => {
    const keep = Array.from(sweep.deltas.keys()).filter((j) => !Number.isNaN(sweep.errors[m][j]));
    const s = sweep.slopes[m], exact = Math.max(...keep.map((j) => sweep.errors[m][j])) < 1e-12;
    const what = s == null ? (exact ? "exact: rounding" : "no fit") : `slope ${s.toFixed(2)}`;
    return {name: short ? `${SHORT[m]} ${s == null ? (exact ? "exact" : "—") : s.toFixed(2)}` : `${LABEL[m]} (${what})`, color: COLOR[m], points: true,
      x: keep.map((j) => sweep.deltas[j]), y: keep.map((j) => { const e = sweep.errors[m][j]; return e === Infinity ? Number.MAX_VALUE : Math.max(e, FLOOR); })};
  });
  const jRef = Math.min(3, sweep.deltas.length - 1), dRef = sweep.deltas[jRef];
  const anchor = (m: Method, f: number) => (Number.isFinite(sweep.errors[m][jRef]) && sweep.errors[m][jRef] > 1e-14 ? sweep.errors[m][jRef] * f : sweep.scale * dRef ** (m === "euler" ? 1 : 2));
  const refLines = [{slope: 1, x0: dRef, y0: anchor("euler", 3), label: "slope 1"}, {slope: 2, x0: dRef, y0: anchor("bilinear", 1 / 4), label: "slope 2"}];
  const issues = v.methods.filter((m) => sweep.singular[m].length).map((m) => `${LABEL[m]} has no Ā at Δ = ${sweep.singular[m].map(fmt).join(", ")} (singular): left out of its curve`);
  if (sweep.bounded) issues.push(`For T = ${v.p.T} the sweep starts at Δ = ${fmt(sweep.deltaMin)} (not ${fmt(SWEEP.deltaMin)}), so that its reference solution stays at ${SWEEP.maxRefSteps.toLocaleString("en")} steps.`);
  const rows = () => Array.from(sweep.deltas, (d, j) => Object.fromEntries([["delta", d], ...v.methods.map((m) => [m, Number.isFinite(sweep.errors[m][j]) ? sweep.errors[m][j] : null])]));
  return {series, top, refLines, issues, rows};
}

/**
 * The live samples again, by the site's tfjs kernels (discretize per rule, one ssmStates scan
 * over the block-diagonal system, float32, asynchronous read): the largest difference from
 * the float64 loops, relative to max(1, |y|), over the samples both have. Null without samples.
 */
export async function kernelCheck(v: DiscretizationView): Promise<{maxDiff: number; ms: number; L: number; rules: number} | null> {
  const ms = v.rules.filter((r) => !r.singular && v.samples.y[r.method]).map((r) => r.method);
  if (!ms.length || v.samples.L < 1) return null;
  const t0 = now();
  const r = await discreteResponses(v.sys.A, v.sys.B, v.sys.C, v.samples.u, v.p.delta, ms);
  let maxDiff = 0;
  ms.forEach((m, i) => {
    const ref = v.samples.y[m]!;
    for (let k = 0; k < ref.length; k++) {
      const d = Math.abs(r.y[i][k] - ref[k]) / Math.max(1, Math.abs(ref[k]));
      if (Number.isFinite(d)) maxDiff = Math.max(maxDiff, d);
    }
  });
  return {maxDiff, ms: now() - t0, L: v.samples.L, rules: ms.length};
}

/** The held-input picture: a smooth u(t) over four steps, the held values u_1..u_4 and the grid t_k = kΔ. */
export function holdPicture(): {t: number[]; u: number[]; held: number[]} {
  const f = (t: number) => 0.55 + 0.35 * Math.sin(1.3 * t + 0.4) + 0.1 * Math.sin(3.1 * t);
  const t = Array.from({length: 161}, (_, i) => (4 * i) / 160);
  return {t, u: t.map(f), held: [0.5, 1.5, 2.5, 3.5].map(f)};
}
