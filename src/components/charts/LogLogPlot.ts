// Many series of a measurement against L on log-log axes, drawn by plotly (zoom, hover,
// legend toggles, its own image export through the figure's menu): the /lab page's time and
// memory figures. Plain arrays in, a PlotlyFigure out; plotly itself loads on first draw.
import {PlotlyFigure, type FigureOptions, type RenderOptions} from "../figure.js";
import {PALETTE} from "./common.js";

export interface LogLogSeries {
  label: string;
  /** series with the same group share a colour (one kernel), styles tell sources apart */
  group: string;
  /** plotly line dash */
  style: "solid" | "dot" | "dash" | "longdash" | "dashdot";
  /** plotly marker symbol */
  symbol?: string;
  points: readonly {L: number; y: number}[];
  /** fitted log-log slope, shown in the legend and on hover */
  slope?: number | null;
}

export interface LogLogOptions extends FigureOptions {
  yLabel: string;
  /** unit on hover ("ms", "MB") */
  unit: string;
  /** vertical marks (crossover lengths), with a hover text */
  marks?: readonly {L: number; text: string}[];
}

/** plotly's {data, layout} for the series at one size and style (exported for tests). */
export function logLogSpec(series: readonly LogLogSeries[], o: LogLogOptions & RenderOptions) {
  const groups = [...new Set(series.map((s) => s.group))];
  const narrow = o.width < 560;
  const data = series.map((s) => ({
    type: "scatter", mode: "lines+markers", x: s.points.map((p) => p.L), y: s.points.map((p) => p.y),
    name: s.slope != null ? `${s.label} (slope ${s.slope.toFixed(2)})` : s.label,
    line: {color: PALETTE[groups.indexOf(s.group) % PALETTE.length], dash: s.style, width: o.talk ? 3 : 1.8},
    marker: {symbol: s.symbol ?? "circle", size: o.talk ? 9 : 6},
    hovertemplate: `%{y:.3g} ${o.unit} at L = %{x}<extra>${s.label.replace(/</g, "&lt;")}</extra>`
  }));
  const ys = series.flatMap((s) => s.points.map((p) => p.y)).filter((y) => y > 0);
  const marks = (o.marks ?? []).map((m) => ({
    type: "scatter", mode: "markers", x: [m.L], y: [ys.length ? Math.min(...ys) : 1], showlegend: false,
    marker: {symbol: "triangle-up", size: o.talk ? 12 : 9, color: "#444"}, hovertemplate: `${m.text.replace(/</g, "&lt;")}<extra>crossover</extra>`
  }));
  const layout = {
    xaxis: {type: "log", title: {text: "sequence length L"}, gridcolor: "#eee", zeroline: false},
    yaxis: {type: "log", title: {text: o.yLabel}, gridcolor: "#eee", zeroline: false, exponentformat: "power"},
    hovermode: "closest",
    showlegend: true,
    legend: narrow ? {orientation: "h", x: 0, y: -0.25, yanchor: "top", font: {size: o.talk ? 14 : 10}} : {x: 1.02, y: 1, font: {size: o.talk ? 16 : 11}},
    margin: narrow ? {l: 50, r: 10, t: 10, b: 40} : {l: 60, r: 10, t: 10, b: 45}
  };
  return {data: [...data, ...marks], layout};
}

/** The figure: a frame with the site's export menu (PNG/SVG through plotly, CSV/JSON of `data`). */
export function LogLogPlot(series: readonly LogLogSeries[], options: LogLogOptions): HTMLElement {
  return PlotlyFigure((r) => logLogSpec(series, {...options, ...r}), options);
}
