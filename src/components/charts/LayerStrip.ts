// LayerStrip: a model's layers as a row of cells, coloured by the mixer (attention or Mamba),
// with a mark on the layers whose MLP is a mixture of experts. Wraps onto several rows when
// the width is small. Plain data in (one {mixer, mlp} per layer), SVG out.
import {type ChartSVG, createSVG, el, text, textWidth, theme, type ChartOptions} from "./common.js";

export interface StripLayer { index: number; mixer: string; mlp: string }

export interface LayerStripOptions extends ChartOptions {
  /** colour per mixer */
  colors?: Record<string, string>;
  /** layers per row (default: all on one row when they fit at 18 px each) */
  perRow?: number;
}

export function LayerStrip(layers: readonly StripLayer[], options: LayerStripOptions): ChartSVG {
  const {width, talk = false, colors = {attention: "#e15759", mamba: "#4e79a7"}} = options;
  const t = theme(talk, width);
  const n = layers.length;
  const perRow = options.perRow ?? Math.max(1, Math.min(n, Math.floor((width - 8) / (t.fontSize * 1.6))));
  const rows = Math.ceil(n / perRow);
  const cell = (width - 8) / perRow, cellH = t.fontSize * 2.4, rowGap = t.fontSize * 1.4;
  const legendH = t.labelSize * 2;
  const height = Math.ceil(rows * (cellH + rowGap) + legendH + 4);
  const svg = createSVG(width, height, t, "layer-strip");
  layers.forEach((l, i) => {
    const r = Math.floor(i / perRow), c = i % perRow;
    const x = 4 + c * cell, y = 2 + r * (cellH + rowGap);
    const color = colors[l.mixer] ?? "#999";
    const g = el("g", {class: `ssm-layer ssm-layer-${l.mixer}`, "data-mixer": l.mixer, "data-mlp": l.mlp}, svg);
    el("rect", {x: x + 1, y, width: Math.max(2, cell - 2), height: cellH, rx: 3, fill: color, "fill-opacity": 0.8}, g);
    if (l.mlp === "moe") el("circle", {cx: x + cell / 2, cy: y + cellH - t.fontSize * 0.55, r: Math.min(cell / 4, t.fontSize * 0.32), fill: "#fff"}, g);
    if (cell > t.fontSize * 1.3) text(g, String(l.index + 1), {x: x + cell / 2, y: y + t.fontSize * 0.85, "text-anchor": "middle", "font-size": t.fontSize * 0.8, fill: "#fff"});
  });
  const ly = height - legendH + t.fontSize * 0.3;
  let lx = 4;
  const lg = el("g", {class: "ssm-legend", "font-size": t.fontSize, fill: t.text}, svg);
  for (const [name, color] of Object.entries(colors)) {
    el("rect", {x: lx, y: ly, width: t.fontSize, height: t.fontSize, rx: 2, fill: color, "fill-opacity": 0.8}, lg);
    const label = `${name} layer`;
    text(lg, label, {x: lx + t.fontSize * 1.3, y: ly + t.fontSize * 0.5, "dominant-baseline": "central"});
    lx += t.fontSize * 1.3 + textWidth(label, t.fontSize) + t.fontSize * 1.2;
  }
  el("circle", {cx: lx + t.fontSize * 0.5, cy: ly + t.fontSize * 0.5, r: t.fontSize * 0.32, fill: "#fff", stroke: "#555"}, lg);
  text(lg, "MoE MLP (else dense MLP)", {x: lx + t.fontSize * 1.3, y: ly + t.fontSize * 0.5, "dominant-baseline": "central"});
  return svg;
}
