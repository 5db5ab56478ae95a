// PhasePortrait: the vector field of x' = Ax (2x2) as arrows on a grid (normalised
// length, colour by speed), real eigen-directions, and a trajectory on top with start and
// end marks. Equal aspect.
import * as d3 from "d3";
import {
  type ChartSVG, clipRect, clipValues, createSVG, drawAxis, el, issueMessages, linearTicks,
  reportIssues, text, theme, PALETTE, type ChartOptions
} from "./common.js";

export interface PhasePortraitData {
  A: number[][];
  trajectory?: {x1: ArrayLike<number>; x2: ArrayLike<number>};
  /** symmetric clip level for the trajectory (values beyond it are drawn at the edge) */
  clip?: number;
  /** the real eigen-directions of A (unit vectors) and their eigenvalues, drawn as dashed lines */
  eigen?: {values: number[]; vectors: [number, number][]};
}

export interface PhasePortraitOptions extends ChartOptions {
  /** half-width of the square view; automatic from the trajectory by default */
  domain?: number;
  /** arrows across the view (default about one per 28px) */
  grid?: number;
  /** draw data.eigen (default true) */
  eigenvectors?: boolean;
  color?: string;
}

/** Half-width of the view: the trajectory's max |x| padded, at least 1. */
export function phaseRadius(x1: ArrayLike<number>, x2: ArrayLike<number>): number {
  let r = 0;
  for (const a of [x1, x2]) for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) r = Math.max(r, Math.abs(a[i]));
  return r > 0 ? r * 1.15 : 1;
}

export function PhasePortrait(data: PhasePortraitData, options: PhasePortraitOptions): ChartSVG {
  const {width, height, talk = false, title, xLabel = "x₁", yLabel = "x₂", eigenvectors = true} = options;
  const t = theme(talk, width, height);
  const svg = createSVG(width, height, t, "phase-portrait", title);
  const A = data.A;
  if (!Array.isArray(A) || A.length !== 2 || A.some((r) => !Array.isArray(r) || r.length !== 2)) {
    throw new Error(`PhasePortrait: A must be a 2x2 array, got ${JSON.stringify(A)?.slice(0, 60)}`);
  }
  const traj = data.trajectory;
  const c1 = clipValues(traj?.x1 ?? [], {clip: data.clip});
  const c2 = clipValues(traj?.x2 ?? [], {clip: data.clip});
  const r = options.domain ?? phaseRadius(c1.values, c2.values);

  let top = t.fontSize * 0.8;
  if (title) {
    text(svg, title, {x: width / 2, y: top + t.titleSize * 0.8, "text-anchor": "middle", "font-size": t.titleSize, "font-weight": 600});
    top += t.titleSize * 1.5;
  }
  const left = t.fontSize * 3.2 + t.labelSize * 1.5;
  const bottom = t.fontSize * 2.2 + t.labelSize * 1.4;
  const side = Math.max(20, Math.min(width - left - t.fontSize * 1.5, height - top - bottom));
  const x0 = left + Math.max(0, (width - left - t.fontSize * 1.5 - side) / 2);
  const x1 = x0 + side, y0 = top, y1 = top + side;
  const x = d3.scaleLinear().domain([-r, r]).range([x0, x1]);
  const y = d3.scaleLinear().domain([-r, r]).range([y1, y0]);
  const ticks = linearTicks([-r, r], Math.max(3, Math.round(side / (t.fontSize * 5))));
  drawAxis(svg, t, {orient: "bottom", scale: x, ticks, x0, x1, y0, y1, label: xLabel});
  drawAxis(svg, t, {orient: "left", scale: y, ticks, x0, x1, y0, y1, label: yLabel});
  const clip = clipRect(svg, x0, y0, side, side);
  const plot = el("g", {"clip-path": clip, class: "ssm-plot"}, svg);

  // Vector field: arrows of fixed length, colour by log speed.
  const n = options.grid ?? Math.max(7, Math.min(25, Math.round(side / (talk ? 40 : 28))));
  const cell = side / n;
  const len = cell * 0.72;
  const head = Math.max(3, len * 0.32);
  const samples: {px: number; py: number; dx: number; dy: number; speed: number}[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const px = x0 + (i + 0.5) * cell, py = y0 + (j + 0.5) * cell;
      const u = x.invert(px), v = y.invert(py);
      const du = A[0][0] * u + A[0][1] * v, dv = A[1][0] * u + A[1][1] * v;
      samples.push({px, py, dx: du, dy: -dv, speed: Math.hypot(du, dv)});
    }
  }
  const speeds = samples.map((s) => s.speed).filter((s) => s > 0 && Number.isFinite(s));
  const sc = d3.scaleSequentialLog((u: number) => d3.interpolateBlues(0.3 + 0.6 * u))
    .domain(speeds.length ? [d3.min(speeds)!, Math.max(d3.max(speeds)!, d3.min(speeds)! * 1.0001)] : [1, 2]).clamp(true);
  const field = el("g", {class: "ssm-field", "stroke-width": talk ? 2 : 1.1, "stroke-linecap": "round"}, plot);
  for (const s of samples) {
    if (!(s.speed > 0) || !Number.isFinite(s.speed)) continue;
    const ux = s.dx / s.speed, uy = s.dy / s.speed;
    const ax = s.px - ux * len / 2, ay = s.py - uy * len / 2;
    const bx = s.px + ux * len / 2, by = s.py + uy * len / 2;
    const col = sc(s.speed);
    // Shaft plus a filled head (no <marker>, so each arrow keeps its own colour in every viewer).
    const hx = bx - ux * head, hy = by - uy * head;
    el("line", {x1: ax, y1: ay, x2: hx, y2: hy, stroke: col}, field);
    const px = -uy * head * 0.45, py = ux * head * 0.45;
    el("path", {d: `M${bx},${by}L${hx + px},${hy + py}L${hx - px},${hy - py}Z`, fill: col}, field);
  }

  // Real eigen-directions (invariant lines).
  if (eigenvectors && data.eigen) {
    const e = data.eigen;
    e.vectors.forEach((v, k) => {
      el("line", {x1: x(-v[0] * r * 2), y1: y(-v[1] * r * 2), x2: x(v[0] * r * 2), y2: y(v[1] * r * 2), stroke: "#999", "stroke-width": t.axisWidth, "stroke-dasharray": `${t.axisWidth * 5},${t.axisWidth * 4}`, class: "ssm-eigenvector", "data-eigenvalue": e.values[k]}, plot);
    });
  }

  // Trajectory.
  let nonFinite = 0;
  if (traj) {
    const color = options.color ?? PALETTE[1];
    nonFinite = c1.nonFinite + c2.nonFinite;
    const m = Math.min(c1.values.length, c2.values.length);
    const idx = d3.range(m);
    const ok = (i: number) => Number.isFinite(c1.values[i]) && Number.isFinite(c2.values[i]);
    const line = d3.line<number>().defined(ok).x((i) => x(c1.values[i])).y((i) => y(c2.values[i]));
    el("path", {d: line(idx) ?? "", fill: "none", stroke: color, "stroke-width": t.lineWidth * 1.2, "stroke-linejoin": "round", class: "ssm-series", "data-series": "trajectory"}, plot);
    const first = idx.find(ok), last = [...idx].reverse().find(ok);
    if (first !== undefined) el("circle", {cx: x(c1.values[first]), cy: y(c2.values[first]), r: t.markerRadius * 1.4, fill: "#fff", stroke: color, "stroke-width": t.lineWidth, class: "ssm-start"}, plot);
    if (last !== undefined) el("circle", {cx: x(c1.values[last]), cy: y(c2.values[last]), r: t.markerRadius * 1.4, fill: color, class: "ssm-end"}, plot);
  }
  return reportIssues(svg, issueMessages({nonFinite, clipped: c1.clipped + c2.clipped, clip: data.clip}));
}
