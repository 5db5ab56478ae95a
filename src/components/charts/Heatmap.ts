// Heatmap of a matrix: rects for small matrices, one <image> (a canvas data URL) for big
// ones; both export. Row 0 is at the top (matrix order). Non-finite cells are grey and
// counted.
import * as d3 from "d3";
import {
  type ChartSVG, createSVG, el, formatTick, linearTicks, reportIssues, text, theme, uniqueId,
  drawAxis, type ChartOptions
} from "./common.js";

export type MatrixInput = ArrayLike<number>[] | {values: ArrayLike<number>; rows: number; cols: number};

export interface HeatmapOptions extends ChartOptions {
  /** one label per row / column (e.g. the tokens of a sequence), shown where they fit */
  rowLabels?: readonly string[];
  colLabels?: readonly string[];
  /** outlined blocks drawn over the cells (matrix coordinates: row, col, size in cells) */
  overlays?: readonly HeatmapOverlay[];
  colorScale?: "diverging" | "sequential";
  /** diverging scales are symmetric around 0 by default */
  symmetric?: boolean;
  /** colour domain; automatic by default */
  domain?: [number, number];
  legend?: boolean;
  /** keep cells square (e.g. a matrix A) */
  square?: boolean;
  /** above this many cells draw an <image> instead of rects */
  maxRects?: number;
  /**
   * The x axis in data units (e.g. time): the columns span [x0, x1] evenly (column j covers
   * x0 + [j, j + 1]·(x1 − x0)/cols) and the axis gets nice ticks of that range instead of
   * column indices. Omitted: index ticks at the cell centres.
   */
  xDomain?: [number, number];
}

export interface HeatmapOverlay {
  row: number; col: number; rows: number; cols: number;
  color?: string;
  /** stroke width in px (scaled in talk style; default 1.5) */
  width?: number;
  dash?: boolean;
  /** a translucent fill of the block (0 = none, default) */
  fillOpacity?: number;
}

/** Normalises either matrix form to row-major values plus shape. */
export function matrixShape(m: MatrixInput): {values: ArrayLike<number>; rows: number; cols: number} {
  if (Array.isArray(m)) {
    const rows = m.length;
    const cols = rows ? Math.max(...m.map((r) => r.length)) : 0;
    const values = new Float64Array(rows * cols).fill(NaN);
    m.forEach((r, i) => { for (let j = 0; j < r.length; j++) values[i * cols + j] = r[j]; });
    return {values, rows, cols};
  }
  return m as {values: ArrayLike<number>; rows: number; cols: number};
}

/** Colour domain of the finite values: symmetric ±max|v| for diverging scales. */
export function colorDomain(values: ArrayLike<number>, {symmetric = true, diverging = true} = {}): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo <= hi)) return diverging ? [-1, 1] : [0, 1];
  if (diverging && symmetric) {
    const a = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    return [-a, a];
  }
  if (lo === hi) return [lo - 1, hi + 1];
  return [lo, hi];
}

const NAN_COLOR = "#bbbbbb";

/** Red for positive, blue for negative (RdBu reversed). */
const DIVERGING = (u: number) => d3.interpolateRdBu(1 - u);

const tables = new Map<(u: number) => string, {css: string[]; rgb: Uint8Array}>();
/** 256 colours of an interpolator on [0, 1], as CSS strings and packed RGB bytes (cached). */
export function colorTable(interp: (u: number) => string): {css: string[]; rgb: Uint8Array} {
  let table = tables.get(interp);
  if (!table) {
    const css: string[] = [], rgb = new Uint8Array(256 * 3);
    for (let i = 0; i < 256; i++) {
      const c = d3.rgb(interp(i / 255));
      css.push(c.formatHex());
      rgb[3 * i] = c.r; rgb[3 * i + 1] = c.g; rgb[3 * i + 2] = c.b;
    }
    table = {css, rgb};
    tables.set(interp, table);
  }
  return table;
}

export function Heatmap(matrix: MatrixInput, options: HeatmapOptions): ChartSVG {
  const {width, height, talk = false, title, xLabel, yLabel, colorScale = "diverging", legend = true, square = false, maxRects = 2500} = options;
  const t = theme(talk, width, height);
  const svg = createSVG(width, height, t, "heatmap", title);
  const {values, rows, cols} = matrixShape(matrix);
  const diverging = colorScale === "diverging";
  const domain = options.domain ?? colorDomain(values, {symmetric: options.symmetric ?? true, diverging});
  const interp = diverging ? DIVERGING : d3.interpolateViridis;
  // A 256-entry colour table: per cell only an index is computed (a d3 scale plus a colour
  // string parse per cell cost 10-30 ms for a 64 x 400 heatmap on every redraw).
  const lut = colorTable(interp);
  const lutIndex = (v: number) => {
    const u = domain[1] > domain[0] ? (v - domain[0]) / (domain[1] - domain[0]) : 0.5;
    return Math.max(0, Math.min(255, Math.round(u * 255)));
  };

  let top = t.fontSize * 0.8;
  if (title) {
    text(svg, title, {x: width / 2, y: top + t.titleSize * 0.8, "text-anchor": "middle", "font-size": t.titleSize, "font-weight": 600});
    top += t.titleSize * 1.5;
  }
  const left = t.fontSize * 2.8 + (yLabel ? t.labelSize * 1.5 : 0);
  const bottom = t.fontSize * 2.2 + (xLabel ? t.labelSize * 1.4 : 0);
  const legendW = legend ? t.fontSize * 5.5 : t.fontSize;
  let pw = Math.max(10, width - left - legendW);
  let ph = Math.max(10, height - top - bottom);
  if (square && rows && cols) {
    const cell = Math.min(pw / cols, ph / rows);
    pw = cell * cols; ph = cell * rows;
  }
  const x0 = left, x1 = left + pw, y0 = top, y1 = top + ph;
  const x = d3.scaleLinear().domain([0, cols]).range([x0, x1]);
  const y = d3.scaleLinear().domain([0, rows]).range([y0, y1]);

  let nonFinite = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) nonFinite++;

  const g = el("g", {class: "ssm-plot"}, svg);
  if (rows * cols <= maxRects) {
    const cw = pw / Math.max(1, cols), chh = ph / Math.max(1, rows);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const v = values[i * cols + j];
        // Slight overlap hides anti-aliasing seams between cells.
        el("rect", {x: x(j), y: y(i), width: cw + 0.3, height: chh + 0.3, fill: Number.isFinite(v) ? lut.css[lutIndex(v)] : NAN_COLOR, class: "ssm-cell"}, g);
      }
    }
  } else {
    const canvas = document.createElement("canvas");
    canvas.width = cols; canvas.height = rows;
    // A software canvas: toDataURL of a GPU-backed one reads the pixels back from the GPU
    // process synchronously (measured: most of an N move on /hippo, ~100 ms under SwiftShader).
    const ctx = canvas.getContext("2d", {willReadFrequently: true})!;
    const img = ctx.createImageData(cols, rows);
    for (let k = 0; k < rows * cols; k++) {
      const v = values[k];
      const c = Number.isFinite(v) ? 3 * lutIndex(v) : -1; // NaN: grey
      img.data[4 * k] = c < 0 ? 0xbb : lut.rgb[c]; img.data[4 * k + 1] = c < 0 ? 0xbb : lut.rgb[c + 1];
      img.data[4 * k + 2] = c < 0 ? 0xbb : lut.rgb[c + 2]; img.data[4 * k + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    el("image", {x: x0, y: y0, width: pw, height: ph, preserveAspectRatio: "none", href: canvas.toDataURL("image/png"), style: "image-rendering: pixelated; image-rendering: crisp-edges", class: "ssm-cells"}, g);
  }
  el("rect", {x: x0, y: y0, width: pw, height: ph, fill: "none", stroke: "#888", "stroke-width": t.axisWidth * 0.8}, svg);
  for (const o of options.overlays ?? []) {
    const sw = (o.width ?? 1.5) * (talk ? 2 : 1);
    el("rect", {x: x(o.col), y: y(o.row), width: Math.max(0, x(o.col + o.cols) - x(o.col)), height: Math.max(0, y(o.row + o.rows) - y(o.row)),
      fill: o.fillOpacity ? (o.color ?? "#111") : "none", "fill-opacity": o.fillOpacity || undefined, stroke: o.color ?? "#111", "stroke-width": sw,
      "stroke-dasharray": o.dash ? `${sw * 3},${sw * 2}` : undefined, class: "ssm-overlay"}, svg);
  }

  // Index axes at cell centres, no grid.
  const idxTicks = (n: number, px: number, labels?: readonly string[]) => {
    if (labels && labels.length === n && px / n >= t.fontSize * 0.7) {
      return labels.map((label, v) => ({value: v + 0.5, label, major: true}));
    }
    const count = Math.max(2, Math.min(n, Math.round(px / (t.fontSize * 3.5))));
    return d3.ticks(0, Math.max(0, n - 1), count).filter(Number.isInteger).map((v) => ({value: v + 0.5, label: labels?.length === n ? labels[v] : String(v), major: true}));
  };
  const xd = options.xDomain;
  if (xd && Number.isFinite(xd[0]) && Number.isFinite(xd[1]) && xd[1] !== xd[0]) {
    const xs = d3.scaleLinear().domain(xd).range([x0, x1]);
    drawAxis(svg, t, {orient: "bottom", scale: xs, ticks: linearTicks(xd, Math.max(2, Math.round(pw / (t.fontSize * 6)))), x0, x1, y0, y1, label: xLabel, grid: false});
  } else {
    drawAxis(svg, t, {orient: "bottom", scale: x, ticks: idxTicks(cols, pw, options.colLabels), x0, x1, y0, y1, label: xLabel, grid: false});
  }
  drawAxis(svg, t, {orient: "left", scale: y, ticks: idxTicks(rows, ph, options.rowLabels), x0, x1, y0, y1, label: yLabel, grid: false});

  if (legend) {
    const lx = x1 + t.fontSize * 1.2, lw = t.fontSize * 0.9;
    const lh = Math.min(ph, Math.max(60, ph));
    const id = uniqueId("grad");
    const defs = svg.querySelector("defs") ?? el("defs", {}, svg);
    const grad = el("linearGradient", {id, x1: 0, x2: 0, y1: 1, y2: 0}, defs);
    for (let k = 0; k <= 10; k++) el("stop", {offset: `${k * 10}%`, "stop-color": interp(k / 10)}, grad);
    el("rect", {x: lx, y: y0, width: lw, height: lh, fill: `url(#${id})`, stroke: "#888", "stroke-width": 0.5, class: "ssm-colorbar"}, svg);
    const ly = d3.scaleLinear().domain(domain).range([y0 + lh, y0]);
    const lg = el("g", {"font-size": t.fontSize * 0.92, fill: t.mutedText}, svg);
    for (const tk of linearTicks(domain, Math.max(2, Math.round(lh / (t.fontSize * 3))))) {
      el("line", {x1: lx + lw, x2: lx + lw + 4, y1: ly(tk.value), y2: ly(tk.value), stroke: t.axis}, lg);
      text(lg, formatTick(tk.value), {x: lx + lw + 6, y: ly(tk.value), "dominant-baseline": "central"});
    }
  }
  return reportIssues(svg, nonFinite ? [`${nonFinite} non-finite ${nonFinite === 1 ? "cell is" : "cells are"} drawn grey`] : []);
}
