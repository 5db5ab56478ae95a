// TokenStrip: a row of tokens with rows of bars under them, one bar per token (Δₜ, how much of
// each token is in the final state, a model's prediction …). Tokens can be drawn muted
// (noise) or marked (a position that matters); every token cell carries data-index, so a page
// can make the strip an editor by listening for clicks on `.ssm-token` (the component itself
// holds no state). Bars share one scale per row: [0, max of the row] unless a domain is given.
import {type ChartSVG, PALETTE, createSVG, el, reportIssues, text, textWidth, theme} from "./common.js";

export interface StripToken {
  /** what the cell shows */
  label: string;
  /** drawn grey (a noise token) */
  muted?: boolean;
  /** drawn with an outline (e.g. a position the task scores) */
  marked?: boolean;
  /** a small line under the glyph (e.g. "noise", the target) */
  sub?: string;
}

export interface StripRow {
  name: string;
  values: ArrayLike<number>;
  color?: string;
  /** [0, max] by default */
  domain?: [number, number];
  /** how a value is printed over its bar (default: 2 significant digits) */
  format?: (v: number) => string;
  /** per-token bar colours (overrides color) */
  colors?: readonly string[];
  /** per-token text over the bars (overrides format; "" prints nothing) */
  labels?: readonly string[];
}

export interface TokenStripOptions {
  width: number;
  talk?: boolean;
  /** height of each bar row (px, screen style) */
  barHeight?: number;
  /** whether token cells look clickable */
  editable?: boolean;
}

/** The height the strip needs for `rows` bar rows. */
export function tokenStripHeight(rows: number, {talk = false, barHeight = 44}: {talk?: boolean; barHeight?: number} = {}): number {
  const t = theme(talk);
  const cell = t.fontSize * 3.4, caption = t.labelSize * 1.6, bar = barHeight * (talk ? 1.4 : 1) + t.fontSize * 1.2;
  return Math.round(cell + t.fontSize * 1.4 + rows * (caption + bar) + t.fontSize * 0.6);
}

const twoDigits = (v: number) => (!Number.isFinite(v) ? "—" : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(2) : v.toExponential(0));

export function TokenStrip(tokens: readonly StripToken[], rows: readonly StripRow[], options: TokenStripOptions): ChartSVG {
  const {width, talk = false, barHeight = 44, editable = false} = options;
  const t = theme(talk);
  const height = tokenStripHeight(rows.length, {talk, barHeight});
  const svg = createSVG(width, height, t, "token-strip");
  const n = Math.max(1, tokens.length);
  const pad = t.fontSize * 0.5;
  const cellW = (width - 2 * pad) / n;
  const cellH = t.fontSize * 3.4;
  const gap = Math.min(4, cellW * 0.08);
  const glyph = Math.min(cellH * 0.5, cellW * 0.6, t.fontSize * 1.8);
  const issues: string[] = [];
  const g = el("g", {class: "ssm-token-row"}, svg);
  tokens.forEach((tok, i) => {
    const x = pad + i * cellW;
    const cell = el("g", {class: `ssm-token${tok.muted ? " ssm-token-muted" : ""}`, "data-index": i, ...(editable ? {cursor: "pointer", tabindex: 0, role: "button", "aria-label": `token ${i + 1}: ${tok.label}${tok.muted ? " (noise)" : ""}`} : {})}, g);
    el("rect", {x: x + gap / 2, y: pad, width: Math.max(1, cellW - gap), height: cellH - pad, rx: 4,
      fill: tok.muted ? "#eeeeee" : "#33415c", stroke: tok.marked ? PALETTE[2] : tok.muted ? "#cccccc" : "#33415c", "stroke-width": tok.marked ? t.axisWidth * 2.5 : t.axisWidth}, cell);
    text(cell, tok.label, {x: x + cellW / 2, y: pad + (cellH - pad) * (tok.sub ? 0.42 : 0.5), "text-anchor": "middle", "dominant-baseline": "central",
      "font-size": glyph, "font-weight": tok.muted ? 400 : 700, fill: tok.muted ? "#777" : "#ffffff"});
    if (tok.sub && cellW > t.fontSize * 1.6) {
      text(cell, tok.sub, {x: x + cellW / 2, y: pad + (cellH - pad) * 0.8, "text-anchor": "middle", "dominant-baseline": "central",
        "font-size": Math.min(t.fontSize * 0.85, cellW / Math.max(2, tok.sub.length) * 1.6), fill: tok.muted ? "#777" : "#dfe6f3"});
    }
  });
  // Position numbers under the cells (every cell when they fit, else every few).
  const every = Math.max(1, Math.ceil(textWidth("00", t.fontSize) * 1.4 / cellW));
  for (let i = 0; i < tokens.length; i += every) {
    text(svg, String(i + 1), {x: pad + (i + 0.5) * cellW, y: cellH + t.fontSize * 0.9, "text-anchor": "middle", "font-size": t.fontSize * 0.85, fill: t.mutedText});
  }
  let y = cellH + t.fontSize * 1.4;
  const caption = t.labelSize * 1.6, barH = barHeight * (talk ? 1.4 : 1);
  rows.forEach((row, r) => {
    const color = row.color ?? PALETTE[r % PALETTE.length];
    const rg = el("g", {class: "ssm-strip-row", "data-series": row.name}, svg);
    const nameSize = Math.min(t.labelSize, (width - 2 * pad) / Math.max(1, row.name.length * 0.58));
    text(rg, row.name, {x: pad, y: y + caption * 0.62, "font-size": nameSize, fill: t.text});
    const y0 = y + caption, base = y0 + barH + t.fontSize * 1.1;
    let lo = row.domain?.[0] ?? 0, hi = row.domain?.[1] ?? 0;
    let bad = 0;
    if (!row.domain) for (let i = 0; i < row.values.length; i++) { const v = row.values[i]; if (Number.isFinite(v)) { hi = Math.max(hi, v); lo = Math.min(lo, v); } }
    if (!(hi > lo)) hi = lo + 1;
    const scale = (v: number) => ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * barH;
    el("line", {x1: pad, x2: width - pad, y1: base, y2: base, stroke: t.axis, "stroke-width": t.axisWidth * 0.6}, rg);
    const fmt = row.format ?? twoDigits;
    for (let i = 0; i < Math.min(n, row.values.length); i++) {
      const v = row.values[i];
      if (!Number.isFinite(v)) { bad++; continue; }
      const h = scale(v), x = pad + i * cellW;
      el("rect", {x: x + cellW * 0.18, y: base - h, width: Math.max(1, cellW * 0.64), height: Math.max(h, v !== lo ? 0.8 : 0),
        fill: row.colors?.[i] ?? color, "fill-opacity": 0.85, class: "ssm-bar", "data-value": v}, rg);
      const label = row.labels ? row.labels[i] ?? "" : fmt(v);
      if (label && textWidth(label, t.fontSize * 0.85) <= cellW * 1.05) {
        text(rg, label, {x: x + cellW / 2, y: base - h - t.fontSize * 0.3, "text-anchor": "middle", "font-size": t.fontSize * 0.85, fill: t.text})
      }
    }
    if (bad) issues.push(`${row.name}: ${bad} value${bad > 1 ? "s are" : " is"} not finite and not drawn`);
    y = base + t.fontSize * 0.1;
  });
  return reportIssues(svg, issues);
}
