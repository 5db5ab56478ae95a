// Shared scaffolding for the chart components: theme (screen vs talk), domains, ticks,
// clipping and counting, and SVG helpers. Everything above the "DOM helpers" line is pure
// and unit-tested in Node (test/components/charts.test.ts).
//
// Charts use SVG attributes only (no classes that need CSS, no currentColor, no CSS
// variables) and carry their font family on the root, so a serialised chart is a
// standalone file that looks the same as on screen.
import * as d3 from "d3";
import {ensureThemeStyle, paint} from "./colors.js";

export const SVG_NS = "http://www.w3.org/2000/svg";

/** Framework's own sans-serif stack, embedded in every chart so exports stand alone. */
export const FONT_FAMILY =
  '-apple-system, BlinkMacSystemFont, "avenir next", avenir, helvetica, "helvetica neue", ubuntu, roboto, noto, "segoe ui", arial, sans-serif';

/** A calm categorical palette (Tableau 10). */
export const PALETTE: readonly string[] = d3.schemeTableau10;

export interface Theme {
  talk: boolean;
  fontFamily: string;
  fontSize: number; // tick labels
  labelSize: number; // axis labels, legend
  titleSize: number;
  lineWidth: number; // series lines
  gridWidth: number;
  axisWidth: number;
  markerRadius: number;
  text: string;
  mutedText: string;
  axis: string;
  grid: string;
  background: string;
  band: string;
  stable: string; // shading of a stable region
}

/**
 * How much talk style scales with the chart's size: 1 up to 640 px wide (the sizes below;
 * a narrow chart is enlarged on the slide, so its type must not shrink), growing with the
 * width for wide slide exports (a 16:9 export at 1280 px gets about twice the type, ticks,
 * lines and markers); a short strip (height under 300 px) grows less. At most 1.8.
 */
export function talkScale(width?: number, height?: number): number {
  if (!(width && width > 0)) return 1;
  const byWidth = width / 640;
  const byHeight = height && height > 0 ? height / 300 : byWidth;
  return Math.max(1, Math.min(1.8, Math.min(byWidth, Math.max(byHeight, 1))));
}

/**
 * Screen style (12–13px type, thin lines) or talk style (about 20px type, thick lines at
 * 640 px wide, scaled with the chart's size: talkScale). Colours are the light theme's;
 * el() turns them into theme variables (charts/colors.ts).
 */
export function theme(talk = false, width?: number, height?: number): Theme {
  if (!talk) {
    return {talk, fontFamily: FONT_FAMILY, fontSize: 12, labelSize: 13, titleSize: 14, lineWidth: 1.75, gridWidth: 1,
      axisWidth: 1, markerRadius: 3.5, text: "#222", mutedText: "#555", axis: "#555", grid: "#ececec",
      background: "#ffffff", band: "#9aa7b8", stable: "#59a14f"};
  }
  const k = talkScale(width, height);
  const r = (v: number) => Math.round(v * k * 10) / 10;
  return {talk, fontFamily: FONT_FAMILY, fontSize: r(19), labelSize: r(21), titleSize: r(24), lineWidth: r(3.5), gridWidth: r(1.2),
    axisWidth: r(2), markerRadius: r(5), text: "#111", mutedText: "#333", axis: "#222", grid: "#d9d9d9",
    background: "#ffffff", band: "#9aa7b8", stable: "#59a14f"};
}

export interface Margin { top: number; right: number; bottom: number; left: number }

/** Margins that leave room for tick labels and axis labels at the theme's type size. */
export function defaultMargin(t: Theme, {xLabel = true, yLabel = true} = {}): Margin {
  const f = t.fontSize;
  return {
    top: Math.round(f * 1.2),
    right: Math.round(f * 1.6),
    bottom: Math.round(f * 2.2 + (xLabel ? t.labelSize * 1.4 : 0)),
    left: Math.round(f * 3.6 + (yLabel ? t.labelSize * 1.5 : 0))
  };
}

export type ScaleType = "linear" | "log";

/** Whether a value can be placed on an axis of this type. */
export function plottable(v: number, type: ScaleType = "linear"): boolean {
  return Number.isFinite(v) && (type !== "log" || v > 0);
}

/**
 * Extent of the plottable values of several arrays (non-finite values, and non-positive
 * ones on a log axis, are ignored). Returns undefined when nothing is plottable.
 */
export function finiteExtent(arrays: Iterable<ArrayLike<number>>, type: ScaleType = "linear"): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (!plottable(v, type)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/**
 * A domain for an axis: the extent padded by `pad` of its span (in log space on a log
 * axis), widened when degenerate, defaulting to [0, 1] (linear) or [1, 10] (log) when
 * there is no data. Linear domains are then niced.
 */
export function computeDomain(extent: [number, number] | undefined, type: ScaleType = "linear", pad = 0.04): [number, number] {
  if (!extent) return type === "log" ? [1, 10] : [0, 1];
  let [lo, hi] = extent;
  if (type === "log") {
    let a = Math.log10(lo);
    let b = Math.log10(hi);
    if (a === b) { a -= 0.5; b += 0.5; } else { const p = (b - a) * pad; a -= p; b += p; }
    return [10 ** a, 10 ** b];
  }
  if (lo === hi) {
    const w = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= w; hi += w;
  } else {
    const p = (hi - lo) * pad;
    // Do not pad across zero: a series that starts at 0 keeps 0 at the edge.
    lo = extent[0] >= 0 && lo - p < 0 ? 0 : lo - p;
    hi = extent[1] <= 0 && hi + p > 0 ? 0 : hi + p;
  }
  const niced = d3.scaleLinear().domain([lo, hi]).nice(6).domain() as [number, number];
  return niced;
}

/** Symmetric half-width around 0 that holds every finite point, padded; at least `min`. */
export function symmetricRadius(res: Iterable<ArrayLike<number>>, ims: Iterable<ArrayLike<number>>, {pad = 0.15, min = 0} = {}): number {
  let r = 0;
  for (const arrs of [res, ims]) {
    for (const a of arrs) {
      for (let i = 0; i < a.length; i++) {
        const v = Math.abs(a[i]);
        if (Number.isFinite(v) && v > r) r = v;
      }
    }
  }
  r = Math.max(r * (1 + pad), min);
  return r > 0 ? r : 1;
}

export interface ClipResult {
  /** The values with non-finite ones as NaN (a break) and clipped ones at ±clip. */
  values: Float64Array;
  nonFinite: number;
  clipped: number;
  nonPositive: number;
}

/**
 * Prepares values for plotting: non-finite values become NaN (the line breaks there),
 * values with |v| > clip are set to ±clip (drawn at the edge), and on a log axis values
 * ≤ 0 become NaN. Each case is counted, so the figure can say what it did.
 */
export function clipValues(v: ArrayLike<number>, {clip, type = "linear"}: {clip?: number; type?: ScaleType} = {}): ClipResult {
  const values = new Float64Array(v.length);
  let nonFinite = 0;
  let clipped = 0;
  let nonPositive = 0;
  const c = clip !== undefined && clip > 0 && Number.isFinite(clip) ? clip : Infinity;
  for (let i = 0; i < v.length; i++) {
    let x = Number(v[i]);
    if (!Number.isFinite(x)) { nonFinite++; values[i] = NaN; continue; }
    if (x > c) { x = c; clipped++; } else if (x < -c) { x = -c; clipped++; }
    if (type === "log" && x <= 0) { nonPositive++; values[i] = NaN; continue; }
    values[i] = x;
  }
  return {values, nonFinite, clipped, nonPositive};
}

/** Counts of what a chart could not draw faithfully. */
export interface IssueCounts {
  nonFinite?: number;
  clipped?: number;
  clip?: number;
  /** the clipped axis is logarithmic (values are positive: "above" the level, not "beyond ±") */
  clipLog?: boolean;
  nonPositive?: number;
  axis?: string; // "x" or "y", for the non-positive message
  outside?: number;
}

const plural = (n: number, one: string, many = one + "s") => `${n} ${n === 1 ? one : many}`;

/** Human sentences for the counts, e.g. "4 NaN values not plotted" (empty when all is well). */
export function issueMessages(c: IssueCounts): string[] {
  const out: string[] = [];
  if (c.nonFinite) out.push(`${plural(c.nonFinite, "non-finite value")} (NaN or ±∞) not plotted`);
  const level = formatLevel(c.clip ?? NaN), verb = c.clipped === 1 ? "is" : "are";
  if (c.clipped) out.push(c.clipLog ? `${plural(c.clipped, "point")} above ${level} ${verb} drawn at the top edge` : `${plural(c.clipped, "point")} beyond the clip level ±${level} ${verb} drawn at the edge`);
  if (c.nonPositive) out.push(`${plural(c.nonPositive, "value")} ≤ 0 not plotted on the log ${c.axis ?? ""} axis`.replace("  ", " "));
  if (c.outside) out.push(`${plural(c.outside, "point")} outside the plotted range not shown`);
  return out;
}

const SUPERSCRIPT: Record<string, string> = {"-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹"};

/** 10 raised to an integer, written with Unicode superscripts: 10⁻³. */
export function powerOfTen(k: number): string {
  return "10" + String(k).split("").map((ch) => SUPERSCRIPT[ch] ?? ch).join("");
}

/** Compact tick label: 0.001, 1e+5 style avoided; uses SI-free short forms. */
export function formatTick(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) {
    const k = Math.floor(Math.log10(a) + 1e-9);
    const m = v / 10 ** k;
    const mm = +m.toPrecision(3);
    if (Math.abs(Math.abs(mm) - 1) < 1e-9) return (mm < 0 ? "−" : "") + powerOfTen(k);
    return `${String(mm).replace("-", "−")}×${powerOfTen(k)}`;
  }
  return String(+v.toPrecision(6)).replace("-", "−");
}

/** A level for a sentence: formatTick at 3 significant digits (1.48144 → 1.48, 1e30 → 10³⁰). */
export function formatLevel(v: number): string {
  return Number.isFinite(v) && v !== 0 ? formatTick(+v.toPrecision(3)) : formatTick(v);
}

export interface Tick { value: number; label: string; major: boolean }

/**
 * Ticks for a log axis: powers of ten (thinned to at most about `count` labels when the
 * domain spans many decades); within a span of less than about three decades also 2 and 5
 * times powers of ten, labelled too when there is room (at most `count` labels: 1-2-5, else
 * 1-5, else the powers alone; always within one decade). Minor ticks (unlabelled) carry
 * major = false.
 */
export function logTicks(domain: [number, number], count = 6): Tick[] {
  let [lo, hi] = domain;
  if (lo > hi) [lo, hi] = [hi, lo];
  if (!(lo > 0) || !Number.isFinite(hi)) return [];
  const a = Math.floor(Math.log10(lo) + 1e-12);
  const b = Math.ceil(Math.log10(hi) - 1e-12);
  const decades = b - a;
  const step = Math.max(1, Math.ceil(decades / count));
  // One style per axis: plain numbers (0.01 … 1000) or all powers of ten.
  const powers = a < -2 || b > 3;
  const ticks: Tick[] = [];
  const eps = 1e-9;
  const inside = (v: number) => v >= lo * (1 - eps) && v <= hi * (1 + eps);
  // Which multiples of the powers carry labels within a few decades (plain-number axes only,
  // where the labels are short): as many as fit in `count`.
  const fits = (ms: number[]) => {
    let n = 0;
    for (let k = a; k <= b; k++) for (const m of ms) if (inside(m * 10 ** k)) n++;
    return n <= Math.max(2, count);
  };
  const named = decades <= 1 ? [2, 5] : decades <= 3 && !powers ? (fits([1, 2, 5]) ? [2, 5] : fits([1, 5]) ? [5] : []) : [];
  for (let k = a; k <= b; k++) {
    const p = 10 ** k;
    // Labelled powers are multiples of the step (10⁻¹⁰, 10⁻⁵, 10⁰), not offsets from the edge.
    const labelled = ((k % step) + step) % step === 0;
    if (inside(p)) ticks.push({value: p, label: labelled ? logLabel(k, powers) : "", major: labelled});
    if (decades <= 3) {
      for (const m of [2, 5]) {
        const v = m * p, major = named.includes(m);
        if (inside(v)) ticks.push({value: v, label: major ? formatTick(v) : "", major});
      }
    } else if (decades <= 8 && step === 1) {
      for (let m = 2; m <= 9; m++) if (inside(m * p)) ticks.push({value: m * p, label: "", major: false});
    }
  }
  // Very narrow spans (inside one decade, no power of ten) fall back to linear ticks.
  if (ticks.filter((t) => t.label).length < 2) {
    return d3.ticks(lo, hi, Math.max(2, Math.round(count / 2))).filter((v) => v > 0).map((v) => ({value: v, label: formatTick(v), major: true}));
  }
  return ticks.sort((x, y) => x.value - y.value);
}

function logLabel(k: number, powers: boolean): string {
  return powers ? powerOfTen(k) : String(+(10 ** k).toPrecision(6));
}

/** Ticks for a linear axis: d3's nice ticks, labelled compactly. */
export function linearTicks(domain: [number, number], count = 6): Tick[] {
  return d3.ticks(Math.min(...domain), Math.max(...domain), count).map((v) => ({value: v, label: formatTick(v), major: true}));
}

/** A rough width in px of a text at a font size (for layout without measuring the DOM). */
export function textWidth(s: string, size: number): number {
  return s.length * size * 0.58;
}

/** Below this chart width (px) legends are compact: smaller type, shorter swatches, tighter rows. */
export const COMPACT_LEGEND_WIDTH = 480;

/** Lays legend items out in rows that fit `width`; returns positions and total height. */
export function legendLayout(names: string[], width: number, size: number, swatch: number, {compact = false} = {}): {items: {x: number; y: number}[]; height: number} {
  const gap = size * (compact ? 0.8 : 1.2);
  const rowH = size * (compact ? 1.3 : 1.5);
  let x = 0;
  let y = 0;
  const items: {x: number; y: number}[] = [];
  for (const n of names) {
    const w = swatch + size * 0.4 + textWidth(n, size);
    if (x > 0 && x + w > width) { x = 0; y += rowH; }
    items.push({x, y});
    x += w + gap;
  }
  return {items, height: names.length ? y + rowH : 0};
}

/** An axis-aligned box in px (x, y: top-left). */
export interface Box { x: number; y: number; w: number; h: number }

/**
 * Label placement: of the candidate boxes (in order of preference), the first that no
 * obstacle point (x, y pairs, flat) falls in and that overlaps no box in `taken`; if every
 * candidate is hit, the one with the fewest points inside. `pad` widens each box. Returns an
 * index into `candidates` (−1 when there are none).
 */
export function placeLabel(candidates: readonly Box[], obstacles: ArrayLike<number>, taken: readonly Box[] = [], pad = 2): number {
  let best = -1, bestScore = Infinity;
  candidates.forEach((b, i) => {
    if (bestScore === 0) return;
    const x0 = b.x - pad, x1 = b.x + b.w + pad, y0 = b.y - pad, y1 = b.y + b.h + pad;
    let score = taken.some((t) => x0 < t.x + t.w && t.x < x1 && y0 < t.y + t.h && t.y < y1) ? 1e9 : 0;
    for (let k = 0; k + 1 < obstacles.length && score < bestScore; k += 2) {
      const px = obstacles[k], py = obstacles[k + 1];
      if (px >= x0 && px <= x1 && py >= y0 && py <= y1) score++;
    }
    if (score < bestScore) { best = i; bestScore = score; }
  });
  return best;
}

/**
 * Points along a polyline (flat x, y pairs in px) no further apart than `step`: the obstacles
 * a label must avoid, including the straight pieces between sparse samples. Pairs with a
 * non-finite coordinate break the line.
 */
export function densify(xy: ArrayLike<number>, step = 4): number[] {
  const out: number[] = [];
  for (let k = 0; k + 1 < xy.length; k += 2) {
    const x = xy[k], y = xy[k + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const px = xy[k - 2], py = xy[k - 1];
    if (k >= 2 && Number.isFinite(px) && Number.isFinite(py)) {
      const n = Math.min(200, Math.floor(Math.hypot(x - px, y - py) / step));
      for (let j = 1; j < n; j++) out.push(px + ((x - px) * j) / n, py + ((y - py) * j) / n);
    }
    out.push(x, y);
  }
  return out;
}

/**
 * The part of the circle |z − c| = r that can be seen within distance R of the origin,
 * sampled at n + 1 points (the whole circle when it fits): exact at any zoom, where a circle
 * sampled once at a coarse step would show chords.
 */
export function circleArc(cx: number, cy: number, r: number, R: number, n = 96): {re: number[]; im: number[]} {
  const d = Math.hypot(cx, cy);
  let from = 0, to = 2 * Math.PI;
  if (d > 0 && r > 0) {
    const c = (d * d + r * r - R * R) / (2 * d * r);
    if (c >= 1) return {re: [], im: []};
    if (c > -1) {
      const half = Math.acos(c), toward = Math.atan2(-cy, -cx);
      from = toward - half; to = toward + half;
    }
  }
  const re: number[] = [], im: number[] = [];
  for (let i = 0; i <= n; i++) {
    const a = from + ((to - from) * i) / n;
    re.push(cx + r * Math.cos(a)); im.push(cy + r * Math.sin(a));
  }
  return {re, im};
}

/** Radius of the dots of a sampled series: the theme's, reduced so that dots `spacing` px apart do not merge. */
export function pointRadius(t: Theme, spacing: number): number {
  return Math.max(t.talk ? 1.6 : 1.2, Math.min(t.markerRadius, 0.38 * spacing));
}

/** SVG attributes that draw a light halo behind a text, so it reads over lines. */
export function halo(t: Theme): Record<string, string | number> {
  return {"paint-order": "stroke", stroke: t.background, "stroke-width": t.talk ? 5 : 3.5, "stroke-linejoin": "round"};
}

// ---------------------------------------------------------------- DOM helpers (browser)

let uid = 0;
/** A document-unique id (for clipPaths and gradients; several figures share a page). */
export function uniqueId(prefix: string): string {
  return `ssm-${prefix}-${(++uid).toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

export type Issues = {issues?: string[]};
export type ChartSVG = SVGSVGElement & Issues;

const PAINTED = new Set(["fill", "stroke", "stop-color"]);

/**
 * An SVG element with attributes. Colours in fill/stroke/stop-color that have a dark form
 * are written as theme variables (charts/colors.ts), except on heatmap cells (data colours).
 */
export function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number | undefined | null> = {}, parent?: Element): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, name);
  const raw = attrs.class === "ssm-cell";
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    e.setAttribute(k, !raw && typeof v === "string" && v[0] === "#" && PAINTED.has(k) ? paint(v) : String(v));
  }
  if (parent) parent.appendChild(e);
  return e;
}

export function text(parent: Element, s: string, attrs: Record<string, string | number | undefined | null>): SVGTextElement {
  const t = el("text", attrs, parent);
  t.textContent = s;
  return t;
}

/** "line-chart" → "Line chart": the accessible name of a chart nobody named. */
export function kindName(kind: string): string {
  const s = kind.replace(/-/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The root <svg> of a chart: size, viewBox, namespaces, font, a class name, and an
 * accessible name (role="img", aria-label: the title when given, else the kind of chart;
 * Figure replaces it with the figure's title).
 */
export function createSVG(width: number, height: number, t: Theme, kind: string, title?: string): ChartSVG {
  ensureThemeStyle();
  const svg = el("svg", {
    xmlns: SVG_NS, width, height, viewBox: `0 0 ${width} ${height}`, class: `ssm-chart ssm-${kind}`,
    "font-family": t.fontFamily, "font-size": t.fontSize, fill: t.text, role: "img",
    "aria-label": title || kindName(kind), "data-talk": t.talk ? "true" : "false"
  }) as ChartSVG;
  svg.style.maxWidth = "100%";
  svg.style.height = "auto";
  svg.style.display = "block";
  svg.style.background = paint(t.background);
  return svg;
}

/** Attaches issue messages to the chart (property and data-issues attribute). */
export function reportIssues(svg: ChartSVG, issues: string[]): ChartSVG {
  svg.issues = issues;
  if (issues.length) svg.setAttribute("data-issues", JSON.stringify(issues));
  return svg;
}

/** A clipPath rectangle for the plot area; returns the url(#id) reference. */
export function clipRect(svg: SVGSVGElement, x: number, y: number, w: number, h: number): string {
  const defs = svg.querySelector("defs") ?? el("defs", {}, svg);
  const id = uniqueId("clip");
  const cp = el("clipPath", {id}, defs);
  el("rect", {x, y, width: Math.max(0, w), height: Math.max(0, h)}, cp);
  return `url(#${id})`;
}

type Scale = (v: number) => number;

/** Axis ticks, labels, grid lines and a frame line, drawn with plain SVG attributes. */
export function drawAxis(svg: SVGSVGElement, t: Theme, o: {
  orient: "bottom" | "left"; scale: Scale; ticks: Tick[]; x0: number; x1: number; y0: number; y1: number;
  label?: string; grid?: boolean;
}): void {
  const g = el("g", {class: `ssm-axis ssm-axis-${o.orient === "bottom" ? "x" : "y"}`, "font-size": t.fontSize, fill: t.mutedText}, svg);
  const tick = t.fontSize * 0.4;
  for (const tk of o.ticks) {
    const p = o.scale(tk.value);
    if (!Number.isFinite(p)) continue;
    if (o.orient === "bottom") {
      if (p < o.x0 - 0.5 || p > o.x1 + 0.5) continue;
      if (o.grid !== false) el("line", {x1: p, x2: p, y1: o.y0, y2: o.y1, stroke: t.grid, "stroke-width": tk.major ? t.gridWidth : t.gridWidth * 0.6}, g);
      el("line", {x1: p, x2: p, y1: o.y1, y2: o.y1 + (tk.major ? tick : tick * 0.6), stroke: t.axis, "stroke-width": t.axisWidth}, g);
      if (tk.label) text(g, tk.label, {x: p, y: o.y1 + tick + t.fontSize * 1.05, "text-anchor": "middle"});
    } else {
      if (p < o.y0 - 0.5 || p > o.y1 + 0.5) continue;
      if (o.grid !== false) el("line", {x1: o.x0, x2: o.x1, y1: p, y2: p, stroke: t.grid, "stroke-width": tk.major ? t.gridWidth : t.gridWidth * 0.6}, g);
      el("line", {x1: o.x0 - (tk.major ? tick : tick * 0.6), x2: o.x0, y1: p, y2: p, stroke: t.axis, "stroke-width": t.axisWidth}, g);
      if (tk.label) text(g, tk.label, {x: o.x0 - tick - t.fontSize * 0.3, y: p, "text-anchor": "end", "dominant-baseline": "central"});
    }
  }
  if (o.orient === "bottom") {
    el("line", {x1: o.x0, x2: o.x1, y1: o.y1, y2: o.y1, stroke: t.axis, "stroke-width": t.axisWidth}, g);
    if (o.label) text(g, o.label, {x: (o.x0 + o.x1) / 2, y: o.y1 + tick + t.fontSize * 1.2 + t.labelSize * 1.25, "text-anchor": "middle", "font-size": t.labelSize, fill: t.text});
  } else {
    el("line", {x1: o.x0, x2: o.x0, y1: o.y0, y2: o.y1, stroke: t.axis, "stroke-width": t.axisWidth}, g);
    if (o.label) {
      const widest = Math.max(0, ...o.ticks.filter((k) => k.label).map((k) => textWidth(k.label, t.fontSize)));
      const x = o.x0 - tick - t.fontSize * 0.6 - widest - t.labelSize * 0.5;
      const y = (o.y0 + o.y1) / 2;
      text(g, o.label, {x, y, transform: `rotate(-90 ${x} ${y})`, "text-anchor": "middle", "font-size": t.labelSize, fill: t.text});
    }
  }
}

/** Ticks for a scale type. */
export function ticksFor(domain: [number, number], type: ScaleType, count: number): Tick[] {
  return type === "log" ? logTicks(domain, count) : linearTicks(domain, count);
}

/** A d3 scale of the given type. */
export function makeScale(type: ScaleType, domain: [number, number], range: [number, number]): d3.ScaleContinuousNumeric<number, number> {
  return (type === "log" ? d3.scaleLog() : d3.scaleLinear()).domain(domain).range(range);
}

/** Draws a legend (swatches and names) at (x, y); returns its height. */
export function drawLegend(svg: SVGSVGElement, t: Theme, items: {name: string; color: string; dash?: string; symbol?: string; kind?: "line" | "point" | "area"}[], x: number, y: number, width: number, {maxHeight}: {maxHeight?: number} = {}): number {
  const names = items.map((d) => d.name);
  const plan = legendPlan(names, width, t, maxHeight);
  const {size, sw, lay} = plan;
  const g = el("g", {class: "ssm-legend", "font-size": size, fill: t.text}, svg);
  items.forEach((d, i) => {
    const p = lay.items[i];
    const cx = x + p.x;
    const cy = y + p.y + size * 0.6;
    if (d.kind === "point") {
      const path = d3.symbol(symbolType(d.symbol), Math.min(t.markerRadius * 2.2, size * 0.95) ** 2)();
      el("path", {d: path, transform: `translate(${cx + sw / 2},${cy})`, fill: d.color, stroke: d.color}, g);
    } else if (d.kind === "area") {
      el("rect", {x: cx, y: cy - size * 0.4, width: sw, height: size * 0.8, fill: d.color, "fill-opacity": 0.25}, g);
    } else {
      el("line", {x1: cx, x2: cx + sw, y1: cy, y2: cy, stroke: d.color, "stroke-width": t.lineWidth * 1.2, "stroke-dasharray": d.dash}, g);
    }
    text(g, d.name, {x: cx + sw + size * 0.4, y: cy, "dominant-baseline": "central"});
  });
  return lay.height;
}

/**
 * Legend type size, swatch and layout for a chart: compact (smaller type and swatches,
 * tighter rows) below COMPACT_LEGEND_WIDTH, and smaller still, step by step, while the
 * legend is taller than `maxHeight` (a share of the chart: a legend must not take most of
 * it, as it did at 390 px and in slide exports). Never below 9 px type.
 */
export function legendPlan(names: string[], width: number, t: Theme, maxHeight?: number): {size: number; sw: number; lay: ReturnType<typeof legendLayout>} {
  let compact = !t.talk && width < COMPACT_LEGEND_WIDTH;
  let factor = compact ? 0.8 : 0.92;
  for (;;) {
    const size = Math.max(9, t.labelSize * factor);
    const sw = size * (compact ? 1.1 : 1.6);
    const lay = legendLayout(names, width, size, sw, {compact});
    if (maxHeight === undefined || lay.height <= maxHeight || size <= 9 || factor < 0.6) return {size, sw, lay};
    compact = true;
    factor -= 0.08;
  }
}

export type SymbolName = "circle" | "cross" | "x" | "diamond" | "square" | "triangle" | "star" | "wye";

export function symbolType(name?: string): d3.SymbolType {
  switch (name) {
    case "cross": return d3.symbolCross;
    case "x": return d3.symbolX;
    case "diamond": return d3.symbolDiamond;
    case "square": return d3.symbolSquare;
    case "triangle": return d3.symbolTriangle;
    case "star": return d3.symbolStar;
    case "wye": return d3.symbolWye;
    default: return d3.symbolCircle;
  }
}

/** Stroke-only symbols (x, plus) must be stroked; the others are filled. */
export function isStrokeSymbol(name?: string): boolean {
  return name === "x";
}

/** A named dash pattern or a raw dasharray, scaled to the line width. */
export function dashArray(dash: string | boolean | undefined, lw: number): string | undefined {
  if (!dash) return undefined;
  if (dash === true || dash === "dash") return `${lw * 4},${lw * 2.5}`;
  if (dash === "dot") return `${lw * 0.1},${lw * 2.2}`;
  if (dash === "dashdot") return `${lw * 4},${lw * 2},${lw * 0.1},${lw * 2}`;
  return dash;
}

/** Options every chart takes: its box, the talk style, a title and axis labels. */
export interface ChartOptions {
  width: number;
  height: number;
  /** large type, thick lines, white background (for slides and exports) */
  talk?: boolean;
  title?: string;
  xLabel?: string;
  yLabel?: string;
}
