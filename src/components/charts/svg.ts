// DOM helpers (browser): SVG elements with the theme's colours as variables (charts/colors.ts),
// the chart root with its accessible name, issues, clip paths, axes, legends, symbols, dashes.
import * as d3 from "d3";
import {ensureThemeStyle, paint} from "./colors.js";
import {SVG_NS, type Theme} from "./theme.js";
import type {Tick} from "./ticks.js";
import {legendPlan, textWidth} from "./layout.js";

// ---------------------------------------------------------------- DOM helpers (browser)

let uid = 0;
/** A document-unique id (for clipPaths and gradients; several figures share a page). */
export function uniqueId(prefix: string): string {
  return `ssm-${prefix}-${(++uid).toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

export type Issues = {issues?: string[]};
export type ChartSVG = SVGSVGElement & Issues;

const PAINTED = new Set(["fill", "stroke", "stop-color"]);

/**
 * An SVG element with attributes. Colours in fill/stroke/stop-color that have a dark form
 * are written as theme variables (charts/colors.ts), except on heatmap cells (data colours).
 */
export function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number | undefined | null> = {}, parent?: Element): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, name);
  const raw = attrs.class === "ssm-cell";
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    e.setAttribute(k, !raw && typeof v === "string" && v[0] === "#" && PAINTED.has(k) ? paint(v) : String(v));
  }
  if (parent) parent.appendChild(e);
  return e;
}

export function text(parent: Element, s: string, attrs: Record<string, string | number | undefined | null>): SVGTextElement {
  const t = el("text", attrs, parent);
  t.textContent = s;
  return t;
}

/** "line-chart" → "Line chart": the accessible name of a chart nobody named. */
export function kindName(kind: string): string {
  const s = kind.replace(/-/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The root <svg> of a chart: size, viewBox, namespaces, font, a class name, and an
 * accessible name (role="img", aria-label: the title when given, else the kind of chart;
 * Figure replaces it with the figure's title).
 */
export function createSVG(width: number, height: number, t: Theme, kind: string, title?: string): ChartSVG {
  ensureThemeStyle();
  const svg = el("svg", {
    xmlns: SVG_NS, width, height, viewBox: `0 0 ${width} ${height}`, class: `ssm-chart ssm-${kind}`,
    "font-family": t.fontFamily, "font-size": t.fontSize, fill: t.text, role: "img",
    "aria-label": title || kindName(kind), "data-talk": t.talk ? "true" : "false"
  }) as ChartSVG;
  svg.style.maxWidth = "100%";
  svg.style.height = "auto";
  svg.style.display = "block";
  svg.style.background = paint(t.background);
  return svg;
}

/** Attaches issue messages to the chart (property and data-issues attribute). */
export function reportIssues(svg: ChartSVG, issues: string[]): ChartSVG {
  svg.issues = issues;
  if (issues.length) svg.setAttribute("data-issues", JSON.stringify(issues));
  return svg;
}

/** A clipPath rectangle for the plot area; returns the url(#id) reference. */
export function clipRect(svg: SVGSVGElement, x: number, y: number, w: number, h: number): string {
  const defs = svg.querySelector("defs") ?? el("defs", {}, svg);
  const id = uniqueId("clip");
  const cp = el("clipPath", {id}, defs);
  el("rect", {x, y, width: Math.max(0, w), height: Math.max(0, h)}, cp);
  return `url(#${id})`;
}

type Scale = (v: number) => number;

/** Axis ticks, labels, grid lines and a frame line, drawn with plain SVG attributes. */
export function drawAxis(svg: SVGSVGElement, t: Theme, o: {
  orient: "bottom" | "left"; scale: Scale; ticks: Tick[]; x0: number; x1: number; y0: number; y1: number;
  label?: string; grid?: boolean;
}): void {
  const g = el("g", {class: `ssm-axis ssm-axis-${o.orient === "bottom" ? "x" : "y"}`, "font-size": t.fontSize, fill: t.mutedText}, svg);
  const tick = t.fontSize * 0.4;
  for (const tk of o.ticks) {
    const p = o.scale(tk.value);
    if (!Number.isFinite(p)) continue;
    if (o.orient === "bottom") {
      if (p < o.x0 - 0.5 || p > o.x1 + 0.5) continue;
      if (o.grid !== false) el("line", {x1: p, x2: p, y1: o.y0, y2: o.y1, stroke: t.grid, "stroke-width": tk.major ? t.gridWidth : t.gridWidth * 0.6}, g);
      el("line", {x1: p, x2: p, y1: o.y1, y2: o.y1 + (tk.major ? tick : tick * 0.6), stroke: t.axis, "stroke-width": t.axisWidth}, g);
      if (tk.label) text(g, tk.label, {x: p, y: o.y1 + tick + t.fontSize * 1.05, "text-anchor": "middle"});
    } else {
      if (p < o.y0 - 0.5 || p > o.y1 + 0.5) continue;
      if (o.grid !== false) el("line", {x1: o.x0, x2: o.x1, y1: p, y2: p, stroke: t.grid, "stroke-width": tk.major ? t.gridWidth : t.gridWidth * 0.6}, g);
      el("line", {x1: o.x0 - (tk.major ? tick : tick * 0.6), x2: o.x0, y1: p, y2: p, stroke: t.axis, "stroke-width": t.axisWidth}, g);
      if (tk.label) text(g, tk.label, {x: o.x0 - tick - t.fontSize * 0.3, y: p, "text-anchor": "end", "dominant-baseline": "central"});
    }
  }
  if (o.orient === "bottom") {
    el("line", {x1: o.x0, x2: o.x1, y1: o.y1, y2: o.y1, stroke: t.axis, "stroke-width": t.axisWidth}, g);
    if (o.label) text(g, o.label, {x: (o.x0 + o.x1) / 2, y: o.y1 + tick + t.fontSize * 1.2 + t.labelSize * 1.25, "text-anchor": "middle", "font-size": t.labelSize, fill: t.text});
  } else {
    el("line", {x1: o.x0, x2: o.x0, y1: o.y0, y2: o.y1, stroke: t.axis, "stroke-width": t.axisWidth}, g);
    if (o.label) {
      const widest = Math.max(0, ...o.ticks.filter((k) => k.label).map((k) => textWidth(k.label, t.fontSize)));
      const x = o.x0 - tick - t.fontSize * 0.6 - widest - t.labelSize * 0.5;
      const y = (o.y0 + o.y1) / 2;
      text(g, o.label, {x, y, transform: `rotate(-90 ${x} ${y})`, "text-anchor": "middle", "font-size": t.labelSize, fill: t.text});
    }
  }
}

/** Draws a legend (swatches and names) at (x, y); returns its height. */
export function drawLegend(svg: SVGSVGElement, t: Theme, items: {name: string; color: string; dash?: string; symbol?: string; kind?: "line" | "point" | "area"}[], x: number, y: number, width: number, {maxHeight}: {maxHeight?: number} = {}): number {
  const names = items.map((d) => d.name);
  const plan = legendPlan(names, width, t, maxHeight);
  const {size, sw, lay} = plan;
  const g = el("g", {class: "ssm-legend", "font-size": size, fill: t.text}, svg);
  items.forEach((d, i) => {
    const p = lay.items[i];
    const cx = x + p.x;
    const cy = y + p.y + size * 0.6;
    if (d.kind === "point") {
      const path = d3.symbol(symbolType(d.symbol), Math.min(t.markerRadius * 2.2, size * 0.95) ** 2)();
      el("path", {d: path, transform: `translate(${cx + sw / 2},${cy})`, fill: d.color, stroke: d.color}, g);
    } else if (d.kind === "area") {
      el("rect", {x: cx, y: cy - size * 0.4, width: sw, height: size * 0.8, fill: d.color, "fill-opacity": 0.25}, g);
    } else {
      el("line", {x1: cx, x2: cx + sw, y1: cy, y2: cy, stroke: d.color, "stroke-width": t.lineWidth * 1.2, "stroke-dasharray": d.dash}, g);
    }
    text(g, d.name, {x: cx + sw + size * 0.4, y: cy, "dominant-baseline": "central"});
  });
  return lay.height;
}

export type SymbolName = "circle" | "cross" | "x" | "diamond" | "square" | "triangle" | "star" | "wye";

export function symbolType(name?: string): d3.SymbolType {
  switch (name) {
    case "cross": return d3.symbolCross;
    case "x": return d3.symbolX;
    case "diamond": return d3.symbolDiamond;
    case "square": return d3.symbolSquare;
    case "triangle": return d3.symbolTriangle;
    case "star": return d3.symbolStar;
    case "wye": return d3.symbolWye;
    default: return d3.symbolCircle;
  }
}

/** Stroke-only symbols (x, plus) must be stroked; the others are filled. */
export function isStrokeSymbol(name?: string): boolean {
  return name === "x";
}

/** A named dash pattern or a raw dasharray, scaled to the line width. */
export function dashArray(dash: string | boolean | undefined, lw: number): string | undefined {
  if (!dash) return undefined;
  if (dash === true || dash === "dash") return `${lw * 4},${lw * 2.5}`;
  if (dash === "dot") return `${lw * 0.1},${lw * 2.2}`;
  if (dash === "dashdot") return `${lw * 4},${lw * 2},${lw * 0.1},${lw * 2}`;
  return dash;
}
