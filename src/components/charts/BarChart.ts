// BarChart: one bar per category (optionally several series side by side), with an optional
// marker per category (e.g. the value a second computation expects) and a highlighted bar.
// Plain SVG attributes only, so it exports as it looks. Non-finite values are left out and counted.
import * as d3 from "d3";
import {
  type ChartSVG, PALETTE, createSVG, defaultMargin, drawAxis, drawLegend, el, linearTicks, reportIssues, text, theme, type ChartOptions
} from "./common.js";

export interface BarSeries { name: string; values: ArrayLike<number>; color?: string }

export interface BarChartOptions extends ChartOptions {
  categories: readonly string[];
  /** markers drawn as short horizontal ticks over each bar group (one value per category) */
  markers?: {name: string; values: ArrayLike<number>; color?: string};
  /** index of the category to highlight (drawn with a darker outline) */
  highlight?: number | null;
  yDomain?: [number, number];
  legend?: boolean;
}

export function BarChart(series: readonly BarSeries[], options: BarChartOptions): ChartSVG {
  const {width, height, talk = false, xLabel, yLabel, categories, markers, highlight = null, legend = series.length > 1 || !!markers} = options;
  const t = theme(talk, width, height);
  const svg = createSVG(width, height, t, "bar-chart", options.title);
  const m = defaultMargin(t, {xLabel: !!xLabel, yLabel: !!yLabel});
  let nonFinite = 0;
  const all: number[] = [0];
  for (const s of series) for (let i = 0; i < s.values.length; i++) { const v = s.values[i]; if (Number.isFinite(v)) all.push(v); else nonFinite++; }
  if (markers) for (let i = 0; i < markers.values.length; i++) if (Number.isFinite(markers.values[i])) all.push(markers.values[i]);
  const lo = Math.min(...all), hi = Math.max(...all);
  const domain: [number, number] = options.yDomain ?? [lo, hi > lo ? hi + (hi - lo) * 0.05 : lo + 1];
  const items = [...series.map((s, i) => ({name: s.name, color: s.color ?? PALETTE[i % PALETTE.length], kind: "area" as const})),
    ...(markers ? [{name: markers.name, color: markers.color ?? "#222", kind: "line" as const}] : [])];
  const legendH = legend ? drawLegend(svg, t, items, m.left, t.fontSize * 0.3, width - m.left - m.right, {maxHeight: height * 0.26}) + t.fontSize * 0.5 : 0;
  const x0 = m.left, x1 = width - m.right, y0 = m.top + legendH, y1 = height - m.bottom;
  const y = d3.scaleLinear().domain(domain).range([y1, y0]);
  const band = (x1 - x0) / Math.max(1, categories.length);
  drawAxis(svg, t, {orient: "left", scale: y, ticks: linearTicks(domain, Math.max(2, Math.round((y1 - y0) / (t.fontSize * 3)))), x0, x1, y0, y1, label: yLabel});
  const g = el("g", {class: "ssm-plot"}, svg);
  const inner = band * 0.8, bw = inner / Math.max(1, series.length);
  categories.forEach((c, i) => {
    const bx = x0 + i * band + (band - inner) / 2;
    series.forEach((s, j) => {
      const v = s.values[i];
      if (!Number.isFinite(v)) return;
      const color = s.color ?? PALETTE[j % PALETTE.length];
      el("rect", {x: bx + j * bw, y: Math.min(y(v), y(0)), width: Math.max(1, bw - 1), height: Math.abs(y(v) - y(0)), fill: color, "fill-opacity": 0.75,
        stroke: highlight === i ? "#111" : color, "stroke-width": highlight === i ? t.lineWidth : 0.5, class: "ssm-bar"}, g);
    });
    if (markers && Number.isFinite(markers.values[i])) {
      const my = y(markers.values[i]);
      el("line", {x1: bx - 2, x2: bx + inner + 2, y1: my, y2: my, stroke: markers.color ?? "#222", "stroke-width": t.lineWidth * 1.2, "stroke-dasharray": `${t.lineWidth * 3},${t.lineWidth * 1.5}`, class: "ssm-bar-marker"}, g);
    }
    text(g, c, {x: x0 + (i + 0.5) * band, y: y1 + t.fontSize * 1.3, "text-anchor": "middle", "font-size": t.fontSize, fill: highlight === i ? t.text : t.mutedText, "font-weight": highlight === i ? 700 : 400});
  });
  el("line", {x1: x0, x2: x1, y1: y(0), y2: y(0), stroke: t.axis, "stroke-width": t.axisWidth}, svg);
  if (xLabel) text(svg, xLabel, {x: (x0 + x1) / 2, y: height - t.fontSize * 0.5, "text-anchor": "middle", "font-size": t.labelSize});
  return reportIssues(svg, nonFinite ? [`${nonFinite} non-finite ${nonFinite === 1 ? "value is" : "values are"} left out`] : []);
}
