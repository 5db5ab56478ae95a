// LineChart: several series on linear or log axes, with markers, bands, reference slopes
// and honest clipping. Non-finite values break the line; values beyond yClip are drawn at
// the edge; both are counted and reported on svg.issues (and data-issues).
// Labels of markers and reference lines are placed where no series passes (placeLabel over
// the series' pixels), with a halo that keeps them legible where that is impossible. Dots of
// a sampled series shrink when they are dense, so they never merge into a band that hides
// the lines (notably in talk style, whose dots are larger).
import * as d3 from "d3";
import {
  type Box, type ChartSVG, type ScaleType, PALETTE, clipRect, clipValues, computeDomain, createSVG,
  dashArray, defaultMargin, densify, drawAxis, drawLegend, el, finiteExtent, halo, issueMessages, makeScale,
  placeLabel, pointRadius, reportIssues, text, textWidth, theme, ticksFor, type ChartOptions
} from "./common.js";

export interface LineSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: string;
  /** true/"dash", "dot", "dashdot" or a raw stroke-dasharray */
  dash?: boolean | string;
  /** draw a dot at each point too */
  points?: boolean;
  /** line width in px (scaled up in talk style) */
  width?: number;
  /** draw this series as steps (overrides the chart's `stepped`) */
  stepped?: boolean;
  /** false: dots only, no line (implies points; the legend shows a dot) */
  line?: boolean;
}

export interface LineChartOptions extends ChartOptions {
  xType?: ScaleType;
  yType?: ScaleType;
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** symmetric clip level: |y| > yClip is drawn at ±yClip and counted */
  yClip?: number;
  legend?: boolean;
  /** vertical rules */
  markers?: {x: number; label?: string; color?: string}[];
  /** shaded x-intervals */
  bands?: {x0: number; x1: number; label?: string; color?: string}[];
  /** reference lines y = y0·(x/x0)^slope (straight on log-log axes), e.g. order slopes */
  refLines?: {slope: number; x0: number; y0: number; label?: string; color?: string}[];
  /** draw as steps (value held until the next sample) */
  stepped?: boolean;
}

export function LineChart(series: LineSeries[], options: LineChartOptions): ChartSVG {
  const {width, height, talk = false, xLabel, yLabel, xType = "linear", yType = "linear", yClip, legend = series.length > 1, markers = [], bands = [], refLines = [], stepped = false, title} = options;
  const t = theme(talk, width, height);
  const svg = createSVG(width, height, t, "line-chart", title);
  const m = defaultMargin(t, {xLabel: !!xLabel, yLabel: !!yLabel});

  // Clean values: breaks, clipping, counting.
  let nonFinite = 0, clipped = 0, nonPositiveY = 0, nonPositiveX = 0;
  const cleaned = series.map((s, i) => {
    const n = Math.min(s.x.length, s.y.length);
    const xs = clipValues(Array.prototype.slice.call(s.x, 0, n), {type: xType});
    const ys = clipValues(Array.prototype.slice.call(s.y, 0, n), {type: yType, clip: yClip});
    nonFinite += xs.nonFinite + ys.nonFinite;
    clipped += ys.clipped;
    nonPositiveY += ys.nonPositive;
    nonPositiveX += xs.nonPositive;
    return {s, i, x: xs.values, y: ys.values, color: s.color ?? PALETTE[i % PALETTE.length]};
  });

  const xDomain = options.xDomain ?? computeDomain(finiteExtent(cleaned.map((c) => c.x), xType), xType, 0);
  let yExt = finiteExtent(cleaned.map((c) => c.y), yType);
  if (yClip !== undefined && yExt && clipped > 0) yExt = [Math.max(yExt[0], -yClip), Math.min(yExt[1], yClip)];
  let yDomain = options.yDomain ?? computeDomain(yExt, yType);
  // Clipped points sit exactly on the edge of the plot, not inside a niced margin.
  if (!options.yDomain && yClip !== undefined && clipped > 0) yDomain = [Math.max(yDomain[0], yType === "log" ? yDomain[0] : -yClip), Math.min(yDomain[1], yClip)];

  // Title and legend above the plot.
  let top = m.top;
  if (title) {
    text(svg, title, {x: m.left, y: top + t.titleSize * 0.8, "font-size": t.titleSize, "font-weight": 600, fill: t.text});
    top += t.titleSize * 1.5;
  }
  if (legend && series.length) {
    // A series with an empty name is drawn but not listed (e.g. the 2nd … nth of a bundle of runs).
    const h = drawLegend(svg, t, cleaned.filter((c) => c.s.name !== "").map((c) => ({name: c.s.name, color: c.color, dash: dashArray(c.s.dash, t.lineWidth), kind: c.s.line === false ? "point" as const : "line" as const})), m.left, top, width - m.left - m.right, {maxHeight: height * 0.26});
    top += h + t.fontSize * 0.4;
  }
  const ny = Math.max(2, Math.round((height - m.bottom - top) / (t.fontSize * (talk ? 3 : 4))));
  const yTicks = ticksFor(yDomain, yType, ny);
  // Room for the widest y tick label (long ones such as −2.5×10⁻⁵ would run off the edge).
  const widest = Math.max(0, ...yTicks.filter((k) => k.label).map((k) => textWidth(k.label, t.fontSize)));
  m.left = Math.max(m.left, Math.round(widest + t.fontSize * 1.2 + (yLabel ? t.labelSize * 1.6 : 0)));
  const x0 = m.left, x1 = Math.max(m.left + 10, width - m.right);
  const y0 = top, y1 = Math.max(top + 10, height - m.bottom);
  const x = makeScale(xType, xDomain, [x0, x1]);
  const y = makeScale(yType, yDomain, [y1, y0]);

  // Log-axis labels are short (1, 20, 10⁻³): they may sit closer than linear ones.
  const nx = Math.max(2, Math.round((x1 - x0) / (t.fontSize * (xType === "log" ? 4.5 : 7))));
  drawAxis(svg, t, {orient: "bottom", scale: x, ticks: ticksFor(xDomain, xType, nx), x0, x1, y0, y1, label: xLabel});
  drawAxis(svg, t, {orient: "left", scale: y, ticks: yTicks, x0, x1, y0, y1, label: yLabel});

  // Where the series run, in px: what labels must avoid (computed only when there are labels).
  let obstacles: number[] | null = null;
  const seriesPixels = () => obstacles ??= cleaned.flatMap((c) => {
    const xy: number[] = [];
    for (let i = 0; i < c.x.length; i++) xy.push(x(c.x[i]), y(c.y[i]));
    return densify(xy);
  });
  const taken: Box[] = [];
  const fs = t.fontSize;
  const clip = clipRect(svg, x0, y0 - 1, x1 - x0, y1 - y0 + 2);
  const plot = el("g", {"clip-path": clip, class: "ssm-plot"}, svg);

  // Bands (shaded x-intervals) under everything.
  for (const b of bands) {
    const a = x(Math.min(b.x0, b.x1)), c = x(Math.max(b.x0, b.x1));
    if (!Number.isFinite(a) || !Number.isFinite(c)) continue;
    el("rect", {x: a, y: y0, width: Math.max(0, c - a), height: y1 - y0, fill: b.color ?? t.band, "fill-opacity": 0.15, class: "ssm-band"}, plot);
    if (b.label) text(svg, b.label, {x: (a + c) / 2, y: y0 + t.fontSize * 1.1, "text-anchor": "middle", fill: t.mutedText, "font-size": t.fontSize});
  }

  // Reference slopes.
  const refPixels: number[] = [];
  for (const r of refLines) {
    const n = 64;
    const pts: [number, number][] = [];
    for (let k = 0; k <= n; k++) {
      const xv = xType === "log" ? xDomain[0] * (xDomain[1] / xDomain[0]) ** (k / n) : xDomain[0] + (xDomain[1] - xDomain[0]) * k / n;
      const yv = r.y0 * (xv / r.x0) ** r.slope;
      if (yv > 0 || yType !== "log") pts.push([x(xv), y(yv)]);
    }
    const color = r.color ?? "#888";
    el("path", {d: d3.line()(pts) ?? "", fill: "none", stroke: color, "stroke-width": t.lineWidth * 0.7, "stroke-dasharray": `${t.lineWidth * 3},${t.lineWidth * 2.5}`, class: "ssm-refline"}, plot);
    const inside = pts.filter(([px, py]) => px >= x0 && px <= x1 && py >= y0 && py <= y1);
    for (const [px, py] of inside) refPixels.push(px, py);
    if (r.label && inside.length) {
      // Candidates along the line, from its right end (the old place) leftwards, above then below it.
      const w = textWidth(r.label, fs);
      const cands: Box[] = [];
      for (let k = inside.length - 1; k >= 0; k -= 3) {
        const [px, py] = inside[k];
        const lx = Math.max(x0 + 2, Math.min(px - (k === inside.length - 1 ? 0 : w / 2), x1 - w));
        for (const ly of [py - fs * 0.5, py + fs * 1.4]) cands.push({x: lx, y: Math.max(y0 + fs, Math.min(ly, y1 - 2)) - fs * 0.85, w, h: fs});
      }
      const b = cands[Math.max(0, placeLabel(cands, seriesPixels(), taken))];
      taken.push(b);
      text(svg, r.label, {x: b.x, y: b.y + fs * 0.85, fill: color, "font-size": fs, class: "ssm-refline-label", ...halo(t)});
    }
  }

  // Series.
  let outside = 0;
  for (const c of cleaned) {
    const idx = d3.range(c.x.length);
    const line = d3.line<number>().defined((i) => Number.isFinite(c.x[i]) && Number.isFinite(c.y[i]))
      .x((i) => x(c.x[i])).y((i) => y(c.y[i])).curve((c.s.stepped ?? stepped) ? d3.curveStepAfter : d3.curveLinear);
    const lw = c.s.width ? c.s.width * (talk ? 2 : 1) : t.lineWidth;
    if (c.s.line !== false) el("path", {
      d: line(idx) ?? "", fill: "none", stroke: c.color, "stroke-width": lw, "stroke-linejoin": "round", "stroke-linecap": "round",
      "stroke-dasharray": dashArray(c.s.dash, lw), class: "ssm-series", "data-series": c.s.name
    }, plot);
    if (c.s.points || c.s.line === false) {
      // Dots no wider than about a third of their spacing (they would merge into a band).
      const finite = idx.filter((i) => Number.isFinite(c.x[i]) && Number.isFinite(c.y[i]));
      const span = finite.length > 1 ? Math.abs(x(c.x[finite[finite.length - 1]]) - x(c.x[finite[0]])) / (finite.length - 1) : Infinity;
      // One path of circles per series (a DOM node per dot made redraws slow), data-count = dots.
      const r = pointRadius(t, span), d: string[] = [];
      for (const i of finite) d.push(`M${(x(c.x[i]) - r).toFixed(2)},${y(c.y[i]).toFixed(2)}a${r.toFixed(2)},${r.toFixed(2)} 0 1,0 ${(2 * r).toFixed(2)},0a${r.toFixed(2)},${r.toFixed(2)} 0 1,0 ${(-2 * r).toFixed(2)},0`);
      el("path", {d: d.join(""), fill: c.color, class: "ssm-points", "data-series": c.s.name, "data-count": finite.length, "data-r": r.toFixed(2), ...(talk ? {"fill-opacity": 0.8} : {})}, plot);
    }
    if (options.yDomain) {
      const [lo, hi] = [Math.min(...options.yDomain), Math.max(...options.yDomain)];
      for (let i = 0; i < c.y.length; i++) if (Number.isFinite(c.y[i]) && (c.y[i] < lo || c.y[i] > hi)) outside++;
    }
  }

  // Vertical rules on top; each label where no series (or reference line) passes, top first.
  for (const mk of markers) {
    const px = x(mk.x);
    if (!Number.isFinite(px) || px < x0 || px > x1) continue;
    el("line", {x1: px, x2: px, y1: y0, y2: y1, stroke: mk.color ?? "#666", "stroke-width": t.axisWidth, "stroke-dasharray": `${t.axisWidth * 4},${t.axisWidth * 3}`, class: "ssm-marker"}, svg);
    if (!mk.label) continue;
    const w = textWidth(mk.label, fs), first = y0 + fs * (bands.some((b) => b.label) ? 2.3 : 1.1);
    const cands: Box[] = [];
    for (let ly = first; ly <= y1 - 4; ly += fs * 1.2) {
      for (const lx of [px + fs * 0.3, px - fs * 0.3 - w]) if (lx >= x0 && lx + w <= x1 + fs) cands.push({x: lx, y: ly - fs * 0.85, w, h: fs});
    }
    if (!cands.length) cands.push({x: Math.max(x0, Math.min(px + fs * 0.3, x1 - w)), y: first - fs * 0.85, w, h: fs});
    const b = cands[Math.max(0, placeLabel(cands, [...seriesPixels(), ...refPixels], taken))];
    taken.push(b);
    text(svg, mk.label, {x: b.x, y: b.y + fs * 0.85, fill: mk.color ?? t.mutedText, "font-size": fs, class: "ssm-marker-label", ...halo(t)});
  }

  return reportIssues(svg, issueMessages({nonFinite, clipped, clip: yClip, clipLog: yType === "log", nonPositive: nonPositiveX + nonPositiveY, axis: nonPositiveX && !nonPositiveY ? "x" : nonPositiveY && !nonPositiveX ? "y" : "", outside}));
}
