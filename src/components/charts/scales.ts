// Domains, clipping and counting for chart axes: which values can be placed, padded extents,
// clipping to a level with counts of what was clipped, the sentences that say so, d3 scales.
import * as d3 from "d3";
import {formatLevel, linearTicks, logTicks, type Tick} from "./ticks.js";

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

/** Ticks for a scale type. */
export function ticksFor(domain: [number, number], type: ScaleType, count: number): Tick[] {
  return type === "log" ? logTicks(domain, count) : linearTicks(domain, count);
}

/** A d3 scale of the given type. */
export function makeScale(type: ScaleType, domain: [number, number], range: [number, number]): d3.ScaleContinuousNumeric<number, number> {
  return (type === "log" ? d3.scaleLog() : d3.scaleLinear()).domain(domain).range(range);
}
