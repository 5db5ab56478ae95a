// Layout without the DOM: text widths, legend rows, label placement off the series, densified
// polylines and circle arcs for the complex plane.
import type {Theme} from "./theme.js";

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
