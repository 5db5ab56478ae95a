// ComplexPlane: eigenvalues (poles) in the s-plane or z-plane, equal aspect, with the
// stable region shaded (left half-plane or unit disk), the unit circle and extra curves.
// Curves may be given as exact circles (drawn as the visible arc, correct at any zoom), and
// an inset can magnify a small square of the plane where points crowd (e.g. the rules' z
// near 1 at a small Δ): it sits in the corner farthest from the points, with a frame and a
// leader line to the region it shows.
import * as d3 from "d3";
import {
  type ChartSVG, type SymbolName, PALETTE, circleArc, clipRect, createSVG, drawAxis, drawLegend, el, formatLevel, halo, isStrokeSymbol,
  issueMessages, linearTicks, reportIssues, symbolType, symmetricRadius, text, theme, type Theme
} from "./common.js";
import {frozenMapping, makePickable, type PickOptions} from "./pick.js";

export interface ComplexPoints {
  name: string;
  re: ArrayLike<number>;
  im: ArrayLike<number>;
  color?: string;
  symbol?: SymbolName;
}

export interface ComplexCurve {
  name?: string;
  re?: ArrayLike<number>;
  im?: ArrayLike<number>;
  circle?: {re: number; im: number; r: number};
  color?: string;
  dash?: boolean;
}

export interface ComplexPlaneOptions {
  width: number;
  height: number;
  talk?: boolean;
  title?: string;
  unitCircle?: boolean;
  /** shade the stable region: Re s < 0 (continuous) or |z| < 1 (discrete) */
  shade?: "left-half" | "unit-disk" | null;
  /** polylines (re, im) or exact circles (circle: centre and radius) */
  curves?: ComplexCurve[];
  /** a magnified inset of the square of half-width r around (re, im) */
  inset?: {re: number; im: number; r: number} | null;
  /** let the reader move a point (pointer or arrow keys); see pick.ts */
  pick?: PickOptions | null;
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
  // While the reader drags a point, the view keeps the domain the drag started with.
  const frozen = options.pick ? frozenMapping(options.pick.id) : null;
  const r = frozen ? frozen.xDomain[1] : options.domain ?? symmetricRadius(points.map((p) => p.re), points.map((p) => p.im), {min: needsUnit ? 1.15 : 0});

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
  drawCurves(plot, t, curves, x, y, [0, 0], r);
  const counts = drawPoints(plot, t, points, x, y, r);

  if (options.pick) {
    const area = el("rect", {x: x0, y: y0, width: side, height: side, fill: "transparent", class: "ssm-pick-area"}, svg);
    svg.insertBefore(area, plot); // under the marks, over the shading; the marks let presses through
    plot.setAttribute("pointer-events", "none");
    makePickable(svg, area, {x0, y0, w: side, h: side, xDomain: [-r, r], yDomain: [-r, r]}, options.pick);
  }
  const inset = options.inset;
  if (inset && inset.r > 0 && Number.isFinite(inset.re) && Number.isFinite(inset.im)) drawInset(svg, t, {points, curves, inset, needsUnit, unitCircle, shade, x, y, x0, y0, side});
  // On a narrow screen the width sets the square: the page gets no blank band under the axis
  // (an export keeps the size it asked for).
  const used = Math.ceil(y1 + bottom);
  if (!talk && used < height - 1) {
    svg.setAttribute("height", String(used));
    svg.setAttribute("viewBox", `0 0 ${width} ${used}`);
  }
  return reportIssues(svg, issueMessages(counts));
}

type Scale = (v: number) => number;

/** The curves, each a polyline or the visible arc of an exact circle (within distance R√2 of `center`). */
function drawCurves(parent: Element, t: Theme, curves: readonly ComplexCurve[], x: Scale, y: Scale, center: [number, number], R: number): void {
  for (const c of curves) {
    const arc = c.circle ? circleArc(c.circle.re - center[0], c.circle.im - center[1], c.circle.r, R * Math.SQRT2 * 1.05) : null;
    const re = arc ? arc.re.map((v) => v + center[0]) : c.re ?? [], im = arc ? arc.im.map((v) => v + center[1]) : c.im ?? [];
    const idx = d3.range(Math.min(re.length, im.length));
    const line = d3.line<number>().defined((i) => Number.isFinite(re[i]) && Number.isFinite(im[i])).x((i) => x(re[i])).y((i) => y(im[i]));
    el("path", {d: line(idx) ?? "", fill: "none", stroke: c.color ?? "#888", "stroke-width": t.lineWidth, "stroke-dasharray": c.dash ? `${t.lineWidth * 3},${t.lineWidth * 2}` : undefined, class: "ssm-curve"}, parent);
  }
}

/** The points (symbols); counts those not finite and those outside the view of half-width r around `center`. */
function drawPoints(parent: Element, t: Theme, points: readonly ComplexPoints[], x: Scale, y: Scale, r: number, center: [number, number] = [0, 0], skipOutside = false): {nonFinite: number; outside: number} {
  let nonFinite = 0, outside = 0;
  points.forEach((p, i) => {
    const color = p.color ?? PALETTE[i % PALETTE.length];
    const stroke = isStrokeSymbol(p.symbol);
    const g = el("g", {class: "ssm-series", "data-series": p.name, fill: stroke ? "none" : color, stroke: color, "stroke-width": stroke ? t.axisWidth * 1.8 : t.axisWidth * 0.8, "fill-opacity": stroke ? undefined : 0.85}, parent);
    const path = d3.symbol(symbolType(p.symbol), (t.markerRadius * 2.6) ** 2)() ?? "";
    const m = Math.min(p.re.length, p.im.length);
    for (let k = 0; k < m; k++) {
      const re = p.re[k], im = p.im[k];
      if (!Number.isFinite(re) || !Number.isFinite(im)) { nonFinite++; continue; }
      if (Math.abs(re - center[0]) > r || Math.abs(im - center[1]) > r) {
        outside++;
        if (skipOutside && (Math.abs(re - center[0]) > 1.5 * r || Math.abs(im - center[1]) > 1.5 * r)) continue;
      }
      el("path", {d: path, transform: `translate(${x(re)},${y(im)})`}, g);
    }
  });
  return {nonFinite, outside};
}

/** The inset: a framed square in the corner farthest from the points, showing (re ± r, im ± r) magnified. */
function drawInset(svg: SVGSVGElement, t: Theme, o: {
  points: readonly ComplexPoints[]; curves: readonly ComplexCurve[]; inset: {re: number; im: number; r: number};
  needsUnit: boolean; unitCircle: boolean; shade: ComplexPlaneOptions["shade"]; x: Scale; y: Scale; x0: number; y0: number; side: number;
}): void {
  const {inset, x, y, x0, y0, side} = o;
  const size = Math.round(side * 0.42), gap = t.fontSize * 0.5;
  // Corner farthest from every finite point (and from the zoomed region).
  const pts = o.points.flatMap((p) => Array.from({length: Math.min(p.re.length, p.im.length)}, (_, k) => [x(p.re[k]), y(p.im[k])])).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  pts.push([x(inset.re), y(inset.im)]);
  const corners = [[x0 + gap, y0 + gap], [x0 + side - size - gap, y0 + gap], [x0 + gap, y0 + side - size - gap], [x0 + side - size - gap, y0 + side - size - gap]];
  const dist = ([cx, cy]: number[]) => Math.min(...pts.map(([a, b]) => Math.hypot(Math.max(cx - a, 0, a - cx - size), Math.max(cy - b, 0, b - cy - size))));
  const [bx, by] = corners.reduce((best, c) => (dist(c) > dist(best) ? c : best));
  const ix = d3.scaleLinear().domain([inset.re - inset.r, inset.re + inset.r]).range([bx, bx + size]);
  const iy = d3.scaleLinear().domain([inset.im - inset.r, inset.im + inset.r]).range([by + size, by]);
  const g = el("g", {class: "ssm-inset"}, svg);
  // Where the inset looks: a small frame (at least 6 px) and a leader line to the inset.
  const half = Math.max(3, x(inset.re + inset.r) - x(inset.re));
  el("rect", {x: x(inset.re) - half, y: y(inset.im) - half, width: 2 * half, height: 2 * half, fill: "none", stroke: t.mutedText, "stroke-width": t.axisWidth}, g);
  el("line", {x1: x(inset.re), y1: y(inset.im), x2: bx + size / 2, y2: by + size / 2, stroke: t.mutedText, "stroke-width": t.axisWidth * 0.8, "stroke-dasharray": "2,3"}, g);
  el("rect", {x: bx, y: by, width: size, height: size, fill: t.background, stroke: t.axis, "stroke-width": t.axisWidth, class: "ssm-inset-frame"}, g);
  const clip = clipRect(svg, bx, by, size, size);
  const inner = el("g", {"clip-path": clip}, g);
  const R = inset.r * Math.SQRT2 * 1.05;
  if (o.shade === "unit-disk" || o.needsUnit) {
    const arc = circleArc(-inset.re, -inset.im, 1, R);
    const xs = arc.re.map((v) => ix(v + inset.re)), ys = arc.im.map((v) => iy(v + inset.im));
    if (o.shade === "unit-disk" && xs.length) {
      // The disk's visible part: the arc, closed through points pulled toward the centre.
      const k = Math.min(1, (3 * R) / 1), pull = (a: number, b: number): [number, number] => [ix(inset.re + a + (0 - inset.re - a) * k), iy(inset.im + b + (0 - inset.im - b) * k)];
      const e0 = pull(arc.re[0], arc.im[0]), e1 = pull(arc.re[arc.re.length - 1], arc.im[arc.im.length - 1]);
      const poly = [...xs.map((v, i) => `${v},${ys[i]}`), `${e1[0]},${e1[1]}`, `${e0[0]},${e0[1]}`].join(" ");
      el("polygon", {points: poly, fill: t.stable, "fill-opacity": 0.12, class: "ssm-stable"}, inner);
    }
    if (xs.length) el("path", {d: d3.line()(xs.map((v, i) => [v, ys[i]])) ?? "", fill: "none", stroke: "#666", "stroke-width": t.axisWidth, "stroke-dasharray": o.unitCircle ? undefined : "3,3"}, inner);
  }
  drawCurves(inner, t, o.curves, ix, iy, [inset.re, inset.im], inset.r);
  drawPoints(inner, t, o.points, ix, iy, inset.r, [inset.re, inset.im], true);
  const magnification = (ix(1) - ix(0)) / (x(1) - x(0));
  text(g, `×${formatLevel(magnification)}`, {x: bx + size - t.fontSize * 0.3, y: by + t.fontSize * 1.05, "text-anchor": "end", "font-size": t.fontSize, fill: t.mutedText, ...halo(t)});
}
