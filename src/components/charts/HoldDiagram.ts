// HoldDiagram: the indexing of a discretized state space model in one picture. Top: a smooth
// input u(t) and the value u_k held over the k-th step [t_{k−1}, t_k); bottom: the states
// x_k = x(t_k) at the grid points t_k = kΔ, each reached from x_{k−1} over one step while
// u_k is held (x_k = Ā x_{k−1} + B̄ u_k). Static data in (a few steps), SVG out.
import * as d3 from "d3";
import {type ChartSVG, createSVG, el, halo, reportIssues, text, theme} from "./common.js";

export interface HoldDiagramData {
  /** a smooth input over [0, steps] (in units of Δ) */
  t: readonly number[];
  u: readonly number[];
  /** the held value of each step, u_1 … u_steps */
  held: readonly number[];
}

const SUB = "₀₁₂₃₄₅₆₇₈₉";
const sub = (k: number) => String(k).split("").map((d) => SUB[+d]).join("");

export function HoldDiagram(data: HoldDiagramData, {width, height, talk = false}: {width: number; height: number; talk?: boolean}): ChartSVG {
  // Never laid out in less than a minimal box (Framework's width can be 0 for a moment).
  width = Number.isFinite(width) ? Math.max(240, width) : 240;
  height = Number.isFinite(height) ? Math.max(120, height) : 120;
  const t = theme(talk), fs = t.fontSize, n = data.held.length;
  const svg = createSVG(width, height, t, "hold-diagram");
  svg.setAttribute("aria-label", "The k-th step runs from t_(k−1) to t_k; the input is held at u_k over it; x_k is the state at t_k.");
  const caption = width >= 34 * fs;
  const x0 = fs * 2.5, x1 = width - fs * 3;
  const x = d3.scaleLinear().domain([0, n]).range([x0, x1]);
  const uMax = Math.max(...data.u, ...data.held), uMin = Math.min(0, ...data.u, ...data.held);
  const top = fs * (caption ? 3.4 : 1.8), axisY = height * 0.56;
  const y = d3.scaleLinear().domain([uMin, uMax]).range([axisY - fs * 0.4, top]);
  const accent = "#4e79a7", state = "#222";
  // The held input: one bar per step, labelled u_k, over the smooth u(t).
  for (let k = 1; k <= n; k++) {
    const a = x(k - 1), b = x(k), v = data.held[k - 1];
    el("rect", {x: a, y: y(v), width: b - a, height: y(uMin) - y(v), fill: accent, "fill-opacity": 0.13, stroke: "none"}, svg);
    el("line", {x1: a, x2: b, y1: y(v), y2: y(v), stroke: accent, "stroke-width": t.lineWidth * 1.4}, svg);
    text(svg, `u${sub(k)}`, {x: (a + b) / 2, y: y(v) - fs * 0.45, "text-anchor": "middle", fill: accent, "font-size": fs * 1.1, ...halo(t)});
  }
  el("path", {d: d3.line()(data.t.map((tv, i) => [x(tv), y(data.u[i])])) ?? "", fill: "none", stroke: "#999", "stroke-width": t.lineWidth, "stroke-dasharray": "4,3"}, svg);
  text(svg, "u(t)", {x: x(n) + fs * 0.2, y: y(data.u[data.u.length - 1]), "font-size": fs, fill: "#777", "dominant-baseline": "central"});
  // The time axis with the grid points t_k = kΔ.
  el("line", {x1: x0 - fs, x2: x1 + fs * 0.5, y1: axisY, y2: axisY, stroke: t.axis, "stroke-width": t.axisWidth}, svg);
  const stateY = height - fs * 1.6;
  for (let k = 0; k <= n; k++) {
    const px = x(k);
    el("line", {x1: px, x2: px, y1: axisY - fs * 0.3, y2: axisY + fs * 0.3, stroke: t.axis, "stroke-width": t.axisWidth}, svg);
    text(svg, k === 0 ? "t₀ = 0" : `t${sub(k)} = ${k === 1 ? "" : k}Δ`, {x: px, y: axisY + fs * 1.3, "text-anchor": "middle", "font-size": fs, fill: t.mutedText});
    el("circle", {cx: px, cy: stateY, r: t.markerRadius * 1.3, fill: state}, svg);
    text(svg, `x${sub(k)}`, {x: px, y: stateY + fs * 1.35, "text-anchor": "middle", "font-size": fs * 1.1, fill: state});
    if (k > 0) {
      // x_{k−1} → x_k over one step, while u_k is held.
      const a = x(k - 1) + t.markerRadius * 2, b = px - t.markerRadius * 2, mid = (a + b) / 2;
      el("path", {d: `M${a},${stateY} Q${mid},${stateY - fs * 1.6} ${b},${stateY}`, fill: "none", stroke: state, "stroke-width": t.axisWidth, "marker-end": "none"}, svg);
      el("path", {d: `M${b - fs * 0.45},${stateY - fs * 0.4} L${b},${stateY} L${b - fs * 0.55},${stateY + fs * 0.15}`, fill: "none", stroke: state, "stroke-width": t.axisWidth}, svg);
    }
  }
  if (caption) text(svg, "step k: u is held at uₖ from tₖ₋₁ to tₖ, and xₖ = Ā xₖ₋₁ + B̄ uₖ is the state at tₖ", {x: x0 - fs, y: fs * 0.9, "font-size": fs, fill: t.text});
  return reportIssues(svg, []);
}
