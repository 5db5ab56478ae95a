// ComplexPlane: eigenvalues (poles) in the s-plane or z-plane, equal aspect, with the
// stable region shaded (left half-plane or unit disk), the unit circle and extra curves.
import * as d3 from "d3";
import {
  type ChartSVG, type SymbolName, PALETTE, clipRect, createSVG, drawAxis, drawLegend, el, isStrokeSymbol,
  issueMessages, linearTicks, reportIssues, symbolType, symmetricRadius, text, theme
} from "./common.js";

export interface ComplexPoints {
  name: string;
  re: ArrayLike<number>;
  im: ArrayLike<number>;
  color?: string;
  symbol?: SymbolName;
}

export interface ComplexPlaneOptions {
  width: number;
  height: number;
  talk?: boolean;
  title?: string;
  unitCircle?: boolean;
  /** shade the stable region: Re s < 0 (continuous) or |z| < 1 (discrete) */
  shade?: "left-half" | "unit-disk" | null;
  curves?: {name?: string; re: ArrayLike<number>; im: ArrayLike<number>; color?: string; dash?: boolean}[];
  /** half-width of the square view around the origin; automatic (symmetric) by default */
  domain?: number;
  legend?: boolean;
  xLabel?: string;
  yLabel?: string;
}

export function ComplexPlane(points: ComplexPoints[], options: ComplexPlaneOptions): ChartSVG {
  const {width, height, talk = false, title, unitCircle = false, shade = null, curves = [], legend = points.length > 1 || curves.some((c) => c.name), xLabel = "Re", yLabel = "Im"} = options;
  const t = theme(talk, width, height);
  const svg = createSVG(width, height, t, "complex-plane", title);
  const needsUnit = unitCircle || shade === "unit-disk";
  const r = options.domain ?? symmetricRadius(points.map((p) => p.re), points.map((p) => p.im), {min: needsUnit ? 1.15 : 0});

  let top = t.fontSize * 0.8;
  if (title) {
    text(svg, title, {x: width / 2, y: top + t.titleSize * 0.8, "text-anchor": "middle", "font-size": t.titleSize, "font-weight": 600});
    top += t.titleSize * 1.5;
  }
  const items = [
    ...points.map((p, i) => ({name: p.name, color: p.color ?? PALETTE[i % PALETTE.length], symbol: p.symbol, kind: "point" as const})),
    ...curves.filter((c) => c.name).map((c) => ({name: c.name!, color: c.color ?? "#888", kind: "line" as const}))
  ];
  const left = t.fontSize * 3.2 + t.labelSize * 1.5;
  const bottom = t.fontSize * 2.2 + t.labelSize * 1.4;
  if (legend && items.length) top += drawLegend(svg, t, items, left, top, width - left - t.fontSize, {maxHeight: height * 0.26}) + t.fontSize * 0.4;

  // Equal aspect: a square plot area centred horizontally.
  const side = Math.max(20, Math.min(width - left - t.fontSize * 1.5, height - top - bottom));
  const x0 = left + Math.max(0, (width - left - t.fontSize * 1.5 - side) / 2);
  const x1 = x0 + side, y0 = top, y1 = top + side;
  const x = d3.scaleLinear().domain([-r, r]).range([x0, x1]);
  const y = d3.scaleLinear().domain([-r, r]).range([y1, y0]);
  const n = Math.max(3, Math.round(side / (t.fontSize * 5)));
  const ticks = linearTicks([-r, r], n);

  const clip = clipRect(svg, x0, y0, side, side);
  const under = el("g", {"clip-path": clip}, svg);
  if (shade === "left-half") el("rect", {x: x0, y: y0, width: x(0) - x0, height: side, fill: t.stable, "fill-opacity": 0.12, class: "ssm-stable"}, under);
  if (shade === "unit-disk") el("circle", {cx: x(0), cy: y(0), r: x(1) - x(0), fill: t.stable, "fill-opacity": 0.12, class: "ssm-stable"}, under);
  drawAxis(svg, t, {orient: "bottom", scale: x, ticks, x0, x1, y0, y1, label: xLabel});
  drawAxis(svg, t, {orient: "left", scale: y, ticks, x0, x1, y0, y1, label: yLabel});
  const plot = el("g", {"clip-path": clip, class: "ssm-plot"}, svg);
  // Axes through the origin.
  el("line", {x1: x(0), x2: x(0), y1: y0, y2: y1, stroke: "#999", "stroke-width": t.axisWidth}, plot);
  el("line", {x1: x0, x2: x1, y1: y(0), y2: y(0), stroke: "#999", "stroke-width": t.axisWidth}, plot);
  if (needsUnit) el("circle", {cx: x(0), cy: y(0), r: x(1) - x(0), fill: "none", stroke: "#666", "stroke-width": t.axisWidth, "stroke-dasharray": unitCircle ? undefined : "3,3", class: "ssm-unit-circle"}, plot);

  let nonFinite = 0;
  for (const c of curves) {
    const m = Math.min(c.re.length, c.im.length);
    const idx = d3.range(m);
    const line = d3.line<number>().defined((i) => Number.isFinite(c.re[i]) && Number.isFinite(c.im[i])).x((i) => x(c.re[i])).y((i) => y(c.im[i]));
    el("path", {d: line(idx) ?? "", fill: "none", stroke: c.color ?? "#888", "stroke-width": t.lineWidth, "stroke-dasharray": c.dash ? `${t.lineWidth * 3},${t.lineWidth * 2}` : undefined, class: "ssm-curve"}, plot);
  }
  let outside = 0;
  points.forEach((p, i) => {
    const color = p.color ?? PALETTE[i % PALETTE.length];
    const stroke = isStrokeSymbol(p.symbol);
    const g = el("g", {class: "ssm-series", "data-series": p.name, fill: stroke ? "none" : color, stroke: color, "stroke-width": stroke ? t.axisWidth * 1.8 : t.axisWidth * 0.8, "fill-opacity": stroke ? undefined : 0.85}, plot);
    const path = d3.symbol(symbolType(p.symbol), (t.markerRadius * 2.6) ** 2)() ?? "";
    const m = Math.min(p.re.length, p.im.length);
    for (let k = 0; k < m; k++) {
      const re = p.re[k], im = p.im[k];
      if (!Number.isFinite(re) || !Number.isFinite(im)) { nonFinite++; continue; }
      if (Math.abs(re) > r || Math.abs(im) > r) outside++;
      el("path", {d: path, transform: `translate(${x(re)},${y(im)})`}, g);
    }
  });
  return reportIssues(svg, issueMessages({nonFinite, outside}));
}
