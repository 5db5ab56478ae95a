// IntervalChart: one row per item, the x-intervals where something holds drawn as bars on a
// (log or linear) x axis, the rest of the row hatched-grey; optional vertical markers. Used
// for "the Δ where each discretization is stable". Intervals may be open-ended (±Infinity):
// they are drawn to the edge of the axis.
import {
  type ChartSVG, type ScaleType, PALETTE, createSVG, drawAxis, el, makeScale, reportIssues, text, textWidth, theme, ticksFor
} from "./common.js";

export interface IntervalRow {
  name: string;
  /** [lo, hi] pairs; lo may be 0 or −Infinity, hi may be Infinity */
  intervals: [number, number][];
  color?: string;
  /** text after the row (e.g. "Δ < 0.108") */
  note?: string;
}

export interface IntervalChartOptions {
  width: number;
  height: number;
  talk?: boolean;
  xType?: ScaleType;
  xDomain: [number, number];
  xLabel?: string;
  /** vertical rules, e.g. the current Δ */
  markers?: {x: number; label?: string; color?: string}[];
}

export function IntervalChart(rows: IntervalRow[], options: IntervalChartOptions): ChartSVG {
  const {width, height, talk = false, xType = "log", xDomain, xLabel, markers = []} = options;
  const t = theme(talk, width, height);
  const svg = createSVG(width, height, t, "interval-chart");
  const nameW = Math.max(0, ...rows.map((r) => textWidth(r.name, t.labelSize))) + t.fontSize;
  // Never narrower than 10 px (a figure drawn before its container has a width must not
  // produce negative rect sizes).
  const x0 = Math.round(nameW + t.fontSize * 0.5), x1 = Math.max(x0 + 10, width - t.fontSize * 1.6);
  const y0 = t.fontSize * (markers.some((m) => m.label) ? 2 : 0.8);
  const y1 = Math.max(y0 + 10, height - (t.fontSize * 2.2 + (xLabel ? t.labelSize * 1.4 : 0)));
  const x = makeScale(xType, xDomain, [x0, x1]);
  drawAxis(svg, t, {orient: "bottom", scale: x, ticks: ticksFor(xDomain, xType, Math.max(2, Math.round((x1 - x0) / (t.fontSize * 6)))), x0, x1, y0, y1, label: xLabel});
  const rowH = (y1 - y0) / Math.max(1, rows.length);
  const barH = Math.min(rowH * 0.62, t.fontSize * 2.2);
  const clampX = (v: number) => Math.max(x0, Math.min(x1, v <= 0 && xType === "log" ? x0 : !Number.isFinite(v) ? (v > 0 ? x1 : x0) : x(v)));
  rows.forEach((r, i) => {
    const color = r.color ?? PALETTE[i % PALETTE.length];
    const cy = y0 + rowH * (i + 0.5);
    const g = el("g", {class: "ssm-interval-row", "data-series": r.name}, svg);
    text(g, r.name, {x: x0 - t.fontSize * 0.5, y: cy, "text-anchor": "end", "dominant-baseline": "central", "font-size": t.labelSize, fill: t.text});
    el("rect", {x: x0, y: cy - barH / 2, width: x1 - x0, height: barH, fill: "#d62728", "fill-opacity": 0.08, stroke: "#d62728", "stroke-opacity": 0.25, "stroke-dasharray": "2,3"}, g);
    for (const [lo, hi] of r.intervals) {
      const a = clampX(lo), b = clampX(hi);
      if (b - a <= 0) continue;
      el("rect", {x: a, y: cy - barH / 2, width: b - a, height: barH, fill: color, "fill-opacity": 0.75, class: "ssm-interval"}, g);
    }
  });
  for (const mk of markers) {
    const px = x(mk.x);
    if (!Number.isFinite(px) || px < x0 || px > x1) continue;
    el("line", {x1: px, x2: px, y1: y0 - t.fontSize * 0.3, y2: y1, stroke: mk.color ?? "#222", "stroke-width": t.axisWidth * 1.5, class: "ssm-marker"}, svg);
    if (mk.label) text(svg, mk.label, {x: Math.min(px, x1 - textWidth(mk.label, t.fontSize)), y: y0 - t.fontSize * 0.6, "font-size": t.fontSize, fill: mk.color ?? t.text});
  }
  // Notes last, with their halo over the markers; a note that a marker would strike through
  // moves beside the marker (right of it, else left of it) where there is room.
  const pad = t.fontSize * 0.4;
  const marks = markers.map((mk) => x(mk.x)).filter((px) => Number.isFinite(px) && px >= x0 && px <= x1);
  rows.forEach((r, i) => {
    if (!r.note) return;
    const w = textWidth(r.note, t.fontSize), hit = (a: number) => marks.some((px) => px > a - pad && px < a + w + pad);
    let left = x1 - pad - w;
    if (hit(left)) {
      const beside = marks.flatMap((px) => [px + pad, px - pad - w]).find((a) => a >= x0 + pad && a + w <= x1 - pad && !hit(a));
      if (beside != null) left = beside;
    }
    text(svg, r.note, {x: left + w, y: y0 + rowH * (i + 0.5), "text-anchor": "end", "dominant-baseline": "central", "font-size": t.fontSize, fill: t.text, "paint-order": "stroke", stroke: "#fff", "stroke-width": 3, class: "ssm-interval-note"});
  });
  return reportIssues(svg, []);
}
