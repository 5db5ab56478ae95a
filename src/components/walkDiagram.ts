// The home page's picture: the walk from the continuous state equation to Mamba and linear
// attention, one box per page. Boxes of pages that exist are links; the others are drawn
// dashed as "coming". Plain data in, SVG out.

export interface WalkStep {
  path: string;
  title: string;
  /** One line of math or a short phrase under the title. */
  gist: string;
  exists: boolean;
}

import {ensureThemeStyle, paint} from "./charts/colors.js";

const SVG = "http://www.w3.org/2000/svg";

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, parent?: Element): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  // Colours become theme variables (charts/colors.ts) so the diagram follows the dark theme.
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, (k === "fill" || k === "stroke") && typeof v === "string" && v[0] === "#" ? paint(v) : String(v));
  parent?.appendChild(node);
  return node;
}

/** Lays the steps out in rows (a "snake": left to right, then right to left) with arrows. */
export function WalkDiagram(steps: WalkStep[], {width = 800}: {width?: number} = {}): SVGSVGElement {
  ensureThemeStyle();
  const perRow = width >= 900 ? 4 : width >= 560 ? 3 : 2;
  const gap = 28, boxH = 84, rowGap = 36;
  const boxW = (width - gap * (perRow - 1) - 2) / perRow;
  const rows = Math.ceil(steps.length / perRow);
  const height = rows * boxH + (rows - 1) * rowGap + 2;
  const svg = el("svg", {width, height, viewBox: `0 0 ${width} ${height}`, role: "img",
    "aria-label": "The walk: " + steps.map((s) => s.title).join(" → "), "font-family": "system-ui, sans-serif"});
  const defs = el("defs", {}, svg);
  const marker = el("marker", {id: "walk-arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse"}, defs);
  el("path", {d: "M0,0 L10,5 L0,10 z", fill: "#888"}, marker);
  const pos = steps.map((_, i) => {
    const row = Math.floor(i / perRow);
    const col = row % 2 === 0 ? i % perRow : perRow - 1 - (i % perRow);
    return {x: 1 + col * (boxW + gap), y: 1 + row * (boxH + rowGap)};
  });
  // Arrows first, under the boxes.
  for (let i = 0; i + 1 < steps.length; i++) {
    const a = pos[i], b = pos[i + 1];
    let d: string;
    if (a.y === b.y) {
      const leftToRight = b.x > a.x;
      const y = a.y + boxH / 2;
      d = leftToRight ? `M${a.x + boxW},${y} L${b.x - 2},${y}` : `M${a.x},${y} L${b.x + boxW + 2},${y}`;
    } else {
      const x = a.x + boxW / 2;
      d = `M${x},${a.y + boxH} L${x},${b.y - 2}`;
    }
    el("path", {d, stroke: "#888", "stroke-width": 1.5, fill: "none", "marker-end": "url(#walk-arrow)"}, svg);
  }
  steps.forEach((s, i) => {
    const {x, y} = pos[i];
    const parent = s.exists ? el("a", {href: s.path}, svg) : svg;
    const g = el("g", {transform: `translate(${x},${y})`, class: s.exists ? "walk-step" : "walk-step walk-coming"}, parent);
    el("rect", {width: boxW, height: boxH, rx: 8, fill: s.exists ? "#eef4fb" : "#fafafa",
      stroke: s.exists ? "#4e79a7" : "#bbb", "stroke-width": 1.5, "stroke-dasharray": s.exists ? "" : "5 4"}, g);
    const title = el("text", {x: 10, y: 24, "font-size": 14, "font-weight": 600, fill: s.exists ? "#1d3f66" : "#777"}, g);
    title.textContent = `${i + 1}. ${s.title}`;
    // The gist wraps onto two lines (width estimated at ~6.6 px per character at 12.5 px).
    wrap(s.gist, Math.max(8, Math.floor((boxW - 20) / 6.6))).slice(0, 2).forEach((line, j) => {
      const gist = el("text", {x: 10, y: 46 + j * 16, "font-size": 12.5, fill: "#444"}, g);
      gist.textContent = line;
    });
    if (!s.exists) {
      const soon = el("text", {x: boxW - 10, y: boxH - 7, "font-size": 11, fill: "#999", "font-style": "italic", "text-anchor": "end"}, g);
      soon.textContent = "coming";
    }
  });
  return svg;
}

/** Greedy word wrap to at most `width` characters per line (a long word gets its own line). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
