// SlidingKernel: the unrolled recurrence y = T u drawn as its lower-triangular Toeplitz matrix,
// T[k][j] = K̄_{k−j} (j ≤ k): every row holds the same numbers, the kernel reversed and slid one
// step to the right per row. Below the matrix, the input u_j under its column; to its right,
// the output y_k beside its row. svg.setStep(k) highlights row k and the outputs so far, with
// no redraw of the matrix (an animation calls it once per step). Plain arrays in.
import * as d3 from "d3";
import {type ChartSVG, createSVG, el, text, theme} from "./common.js";

export interface SlidingKernelData { K: ArrayLike<number>; u: ArrayLike<number>; y: ArrayLike<number> }
export interface SlidingKernelOptions { width: number; height: number; talk?: boolean; step?: number }
export type SlidingKernelSVG = ChartSVG & {setStep: (k: number) => void; step: number};

const fmt = (v: number) => (Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(3) : v.toExponential(2));

export function SlidingKernel({K, u, y}: SlidingKernelData, {width, height, talk = false, step = 0}: SlidingKernelOptions): SlidingKernelSVG {
  const t = theme(talk);
  const svg = createSVG(width, height, t, "sliding-kernel") as SlidingKernelSVG;
  const M = Math.min(K.length, u.length, y.length);
  const left = t.labelSize * 2.2, top = t.fontSize * 0.6, uBand = t.fontSize * 4.2, yBand = Math.max(60, width * 0.14), foot = t.labelSize * 2.6;
  const G = Math.max(40, Math.min(width - left - yBand - t.fontSize * 2, height - top - uBand - foot));
  const cell = G / Math.max(1, M), x0 = left, y0 = top;
  const kMax = Math.max(1e-30, ...Array.from({length: M}, (_, k) => Math.abs(K[k])));
  const color = (v: number) => d3.interpolateRdBu(0.5 - 0.5 * Math.max(-1, Math.min(1, v / kMax)));
  // The matrix: one rect per entry j ≤ k (M(M+1)/2 of them), drawn once.
  const grid = el("g", {class: "ssm-sliding-grid"}, svg);
  el("rect", {x: x0, y: y0, width: G, height: G, fill: "none", stroke: t.grid, "stroke-width": t.axisWidth}, grid);
  for (let k = 0; k < M; k++) for (let j = 0; j <= k; j++) {
    el("rect", {x: x0 + j * cell, y: y0 + k * cell, width: cell + 0.3, height: cell + 0.3, fill: color(K[k - j])}, grid);
  }
  text(svg, "input step j →", {x: x0, y: y0 + G + uBand - t.fontSize * 0.2, fill: t.mutedText, "font-size": t.fontSize});
  text(svg, "output step k →", {x: 0, y: 0, fill: t.mutedText, "font-size": t.fontSize, transform: `translate(${t.fontSize},${y0}) rotate(90)`});
  // The input under its columns (stems from a zero line).
  const uMax = Math.max(1e-30, ...Array.from({length: M}, (_, j) => Math.abs(u[j])));
  const uy0 = y0 + G + uBand * 0.45, us = (uBand * 0.38) / uMax;
  const ug = el("g", {class: "ssm-sliding-u", stroke: t.axis, "stroke-width": Math.max(1, Math.min(cell * 0.4, t.lineWidth))}, svg);
  el("line", {x1: x0, x2: x0 + G, y1: uy0, y2: uy0, stroke: t.grid}, ug);
  for (let j = 0; j < M; j++) el("line", {x1: x0 + (j + 0.5) * cell, x2: x0 + (j + 0.5) * cell, y1: uy0, y2: uy0 - u[j] * us}, ug);
  text(svg, "u", {x: x0 + G + t.fontSize * 0.4, y: uy0, "dominant-baseline": "central", fill: t.mutedText});
  // The output beside its rows (bars from a zero line); rows after the step are faint.
  const yMax = Math.max(1e-30, ...Array.from({length: M}, (_, k) => Math.abs(y[k])));
  const yx0 = x0 + G + t.fontSize + yBand / 2, ys = (yBand * 0.45) / yMax;
  const yg = el("g", {class: "ssm-sliding-y"}, svg);
  el("line", {x1: yx0, x2: yx0, y1: y0, y2: y0 + G, stroke: t.grid}, yg);
  const bars = Array.from({length: M}, (_, k) => {
    const w = y[k] * ys;
    return el("rect", {x: w >= 0 ? yx0 : yx0 + w, y: y0 + k * cell + cell * 0.1, width: Math.abs(w), height: Math.max(0.5, cell * 0.8), fill: t.axis}, yg);
  });
  text(svg, "y", {x: yx0, y: y0 + G + t.fontSize * 1.1, "text-anchor": "middle", fill: t.mutedText});
  // The highlighted row and the sentence under it.
  const hi = el("rect", {x: x0, y: y0, width: G, height: cell, fill: "none", stroke: t.text, "stroke-width": Math.max(1.5, t.axisWidth * 2), class: "ssm-sliding-row"}, svg);
  const hiY = el("rect", {x: x0 + G + t.fontSize, y: y0, width: yBand, height: cell, fill: "none", stroke: t.text, "stroke-width": Math.max(1, t.axisWidth * 1.5)}, svg);
  const say = text(svg, "", {x: x0, y: height - t.labelSize * 0.6, "font-size": t.labelSize, fill: t.text, class: "ssm-sliding-text"});
  svg.setStep = (k: number) => {
    const s = Math.max(0, Math.min(M - 1, Math.round(k)));
    svg.step = s;
    hi.setAttribute("y", String(y0 + s * cell));
    hi.setAttribute("width", String((s + 1) * cell));
    hiY.setAttribute("y", String(y0 + s * cell));
    bars.forEach((b, i) => b.setAttribute("fill-opacity", i <= s ? "1" : "0.12"));
    say.textContent = width < 480 ? `row k = ${s}: y_${s} = ${fmt(y[s])}`
      : `row k = ${s}: K̄${s > 0 ? `_${s} … K̄_0` : "_0"} (the kernel, reversed) under u_0 … u_${s};  y_${s} = ${fmt(y[s])}`;
    svg.dataset.step = String(s);
  };
  svg.setStep(step);
  return svg;
}
