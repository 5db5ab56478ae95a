// Chart style: the theme (screen or talk style, scaled with the chart's size), margins, the
// palette and font, dot radius and text halo, and the options every chart takes.
import * as d3 from "d3";

export const SVG_NS = "http://www.w3.org/2000/svg";

/** Framework's own sans-serif stack, embedded in every chart so exports stand alone. */
export const FONT_FAMILY =
  '-apple-system, BlinkMacSystemFont, "avenir next", avenir, helvetica, "helvetica neue", ubuntu, roboto, noto, "segoe ui", arial, sans-serif';

/** A calm categorical palette (Tableau 10). */
export const PALETTE: readonly string[] = d3.schemeTableau10;

export interface Theme {
  talk: boolean;
  fontFamily: string;
  fontSize: number; // tick labels
  labelSize: number; // axis labels, legend
  titleSize: number;
  lineWidth: number; // series lines
  gridWidth: number;
  axisWidth: number;
  markerRadius: number;
  text: string;
  mutedText: string;
  axis: string;
  grid: string;
  background: string;
  band: string;
  stable: string; // shading of a stable region
}

/**
 * How much talk style scales with the chart's size: 1 up to 640 px wide (the sizes below;
 * a narrow chart is enlarged on the slide, so its type must not shrink), growing with the
 * width for wide slide exports (a 16:9 export at 1280 px gets about twice the type, ticks,
 * lines and markers); a short strip (height under 300 px) grows less. At most 1.8.
 */
export function talkScale(width?: number, height?: number): number {
  if (!(width && width > 0)) return 1;
  const byWidth = width / 640;
  const byHeight = height && height > 0 ? height / 300 : byWidth;
  return Math.max(1, Math.min(1.8, Math.min(byWidth, Math.max(byHeight, 1))));
}

/**
 * Screen style (12–13px type, thin lines) or talk style (about 20px type, thick lines at
 * 640 px wide, scaled with the chart's size: talkScale). Colours are the light theme's;
 * el() turns them into theme variables (charts/colors.ts).
 */
export function theme(talk = false, width?: number, height?: number): Theme {
  if (!talk) {
    return {talk, fontFamily: FONT_FAMILY, fontSize: 12, labelSize: 13, titleSize: 14, lineWidth: 1.75, gridWidth: 1,
      axisWidth: 1, markerRadius: 3.5, text: "#222", mutedText: "#555", axis: "#555", grid: "#ececec",
      background: "#ffffff", band: "#9aa7b8", stable: "#59a14f"};
  }
  const k = talkScale(width, height);
  const r = (v: number) => Math.round(v * k * 10) / 10;
  return {talk, fontFamily: FONT_FAMILY, fontSize: r(19), labelSize: r(21), titleSize: r(24), lineWidth: r(3.5), gridWidth: r(1.2),
    axisWidth: r(2), markerRadius: r(5), text: "#111", mutedText: "#333", axis: "#222", grid: "#d9d9d9",
    background: "#ffffff", band: "#9aa7b8", stable: "#59a14f"};
}

export interface Margin { top: number; right: number; bottom: number; left: number }

/** Margins that leave room for tick labels and axis labels at the theme's type size. */
export function defaultMargin(t: Theme, {xLabel = true, yLabel = true} = {}): Margin {
  const f = t.fontSize;
  return {
    top: Math.round(f * 1.2),
    right: Math.round(f * 1.6),
    bottom: Math.round(f * 2.2 + (xLabel ? t.labelSize * 1.4 : 0)),
    left: Math.round(f * 3.6 + (yLabel ? t.labelSize * 1.5 : 0))
  };
}

/** Radius of the dots of a sampled series: the theme's, reduced so that dots `spacing` px apart do not merge. */
export function pointRadius(t: Theme, spacing: number): number {
  return Math.max(t.talk ? 1.6 : 1.2, Math.min(t.markerRadius, 0.38 * spacing));
}

/** SVG attributes that draw a light halo behind a text, so it reads over lines. */
export function halo(t: Theme): Record<string, string | number> {
  return {"paint-order": "stroke", stroke: t.background, "stroke-width": t.talk ? 5 : 3.5, "stroke-linejoin": "round"};
}

/** Options every chart takes: its box, the talk style, a title and axis labels. */
export interface ChartOptions {
  width: number;
  height: number;
  /** large type, thick lines, white background (for slides and exports) */
  talk?: boolean;
  title?: string;
  xLabel?: string;
  yLabel?: string;
}
