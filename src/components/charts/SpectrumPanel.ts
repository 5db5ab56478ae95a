// SpectrumPanel: the eigenvalues of A in the s-plane, with scales of its own: Re λ linear
// (0 always in view, the stable half shaded); Im λ linear, or on a symmetric log scale
// (linear within ±1) when the frequencies span more than a factor of 30, as S4D-Inv's do.
// Equal axes (ComplexPlane) would let the largest |Im λ| squash a panel into a vertical line.
import * as d3 from "d3";
import {clipRect, createSVG, drawAxis, el, formatTick, issueMessages, linearTicks, PALETTE, reportIssues, theme, type ChartSVG} from "./common.js";

export interface SpectrumPanelOptions {
  width: number;
  height: number;
  talk?: boolean;
  color?: string;
}

/** Im λ needs a symmetric log axis when its non-zero magnitudes span more than a factor of 30. */
export function needsSymlog(im: ArrayLike<number>): boolean {
  const mags = Array.from(im, Math.abs).filter((v) => v > 0);
  return mags.length > 0 && Math.max(...mags) / Math.min(...mags) > 30;
}

export function SpectrumPanel(eig: {re: ArrayLike<number>; im: ArrayLike<number>}, {width, height, talk = false, color = PALETTE[0]}: SpectrumPanelOptions): ChartSVG {
  const t = theme(talk, width, height);
  const svg = createSVG(width, height, t, "spectrum-panel");
  const re = Array.from(eig.re), im = Array.from(eig.im);
  const x0 = t.fontSize * 3.2 + t.labelSize * 1.5, x1 = width - t.fontSize, y0 = t.fontSize * 0.8, y1 = height - t.fontSize * 2.2 - t.labelSize * 1.4;
  const finiteRe = re.filter(Number.isFinite);
  const lo = Math.min(0, ...finiteRe), hi = Math.max(0, ...finiteRe), pad = 0.15 * Math.max(hi - lo, 1e-9);
  const x = d3.scaleLinear().domain([lo - pad, hi + pad]).range([x0, x1]);
  const big = Math.max(0, ...im.map(Math.abs).filter(Number.isFinite));
  const symlog = needsSymlog(im.filter(Number.isFinite));
  let y: d3.ScaleContinuousNumeric<number, number>, yTicks;
  if (symlog) {
    const R = big * 1.4;
    y = d3.scaleSymlog().constant(1).domain([-R, R]).range([y1, y0]);
    const decades = d3.range(0, Math.floor(Math.log10(R)) + 1).map((k) => 10 ** k); // 1, 10, 100, …
    const mags = (R < 20 ? decades.flatMap((p) => [p, 2 * p, 5 * p]) : decades).filter((v) => v <= R);
    yTicks = [0, ...mags, ...mags.map((v) => -v)].sort((a, b) => a - b).map((v) => ({value: v, label: formatTick(v), major: true}));
  } else {
    const R = big > 0 ? big * 1.15 : 1;
    y = d3.scaleLinear().domain([-R, R]).range([y1, y0]);
    yTicks = linearTicks([-R, R], Math.max(3, Math.round((y1 - y0) / (t.fontSize * 3))));
  }
  const clip = clipRect(svg, x0, y0, x1 - x0, y1 - y0);
  el("rect", {x: x0, y: y0, width: Math.max(0, x(0) - x0), height: y1 - y0, fill: t.stable, "fill-opacity": 0.12, class: "ssm-stable", "clip-path": clip}, svg);
  drawAxis(svg, t, {orient: "bottom", scale: x, ticks: linearTicks(x.domain() as [number, number], Math.max(2, Math.round((x1 - x0) / (t.fontSize * 5)))), x0, x1, y0, y1, label: "Re λ"});
  drawAxis(svg, t, {orient: "left", scale: y, ticks: yTicks, x0, x1, y0, y1, label: symlog ? "Im λ (symlog)" : "Im λ"});
  const plot = el("g", {"clip-path": clip, class: "ssm-plot"}, svg);
  el("line", {x1: x(0), x2: x(0), y1: y0, y2: y1, stroke: "#999", "stroke-width": t.axisWidth}, plot);
  el("line", {x1: x0, x2: x1, y1: y(0), y2: y(0), stroke: "#999", "stroke-width": t.axisWidth}, plot);
  const g = el("g", {class: "ssm-series", fill: color, stroke: color, "fill-opacity": 0.85, "stroke-width": t.axisWidth * 0.8}, plot);
  let nonFinite = 0;
  re.forEach((r, n) => {
    if (!Number.isFinite(r) || !Number.isFinite(im[n])) { nonFinite++; return; }
    el("circle", {cx: x(r), cy: y(im[n]), r: t.markerRadius}, g);
  });
  return reportIssues(svg, issueMessages({nonFinite}));
}
