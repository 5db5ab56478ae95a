// FamilyMap: the family of state space models on a grid of the two axes that matter (how A is
// structured, across; whether Ā is fixed or selective, down), with the lineage drawn as arrows
// and each model coloured by how it is computed (or by how it is discretized). Narrow screens
// get the grid transposed (structures down, the two rows across).
//
// Every model is an SVG link (<a href="#card-<id>">): focusable with Tab, followed with Enter,
// and, when `onSelect` is given, handled by it instead (the page scrolls to the card and
// highlights it). Plain data in, SVG out; no tensors, no kernels. Exports like every chart.
import {type ChartSVG, PALETTE, createSVG, el, text, textWidth, theme, type ChartOptions} from "./common.js";

export interface FamilyMapNode {
  id: string; name: string; year: number;
  structure: string; selectivity: string; compute: string; discretization: string;
  parents: readonly string[];
  /** a line for the tooltip */
  miniature?: string;
}

export interface FamilyMapOptions extends ChartOptions {
  /** the columns (structures of A) and rows (selectivity), in order */
  columns: readonly {id: string; label: string; short?: string}[];
  rows: readonly {id: string; label: string}[];
  /** what the fill colour shows, and the categories of each */
  colorBy?: "compute" | "discretization";
  computes: readonly {id: string; label: string}[];
  discretizations: readonly {id: string; label: string}[];
  selected?: string | null;
  onSelect?: (id: string) => void;
  hrefPrefix?: string;
}

const SHORT: Record<string, string> = {
  recurrence: "rec", convolution: "conv", scan: "scan", chunked: "chunk",
  bilinear: "bilin", zoh: "ZOH", "zoh-euler": "ZOH+E", none: "—"
};

/** Where each node goes: cell (column, row) and its slot in the cell (by year, then name). */
export function familyLayout(nodes: readonly FamilyMapNode[], columns: readonly {id: string}[], rows: readonly {id: string}[]): Map<string, {col: number; row: number; slot: number}> {
  const out = new Map<string, {col: number; row: number; slot: number}>();
  const cells = new Map<string, FamilyMapNode[]>();
  for (const n of nodes) {
    const col = columns.findIndex((c) => c.id === n.structure), row = rows.findIndex((r) => r.id === n.selectivity);
    if (col < 0 || row < 0) throw new Error(`FamilyMap: node ${n.id} has an unknown structure or selectivity (${n.structure}, ${n.selectivity})`);
    const key = `${col},${row}`;
    cells.set(key, [...(cells.get(key) ?? []), n]);
  }
  for (const [key, list] of cells) {
    const [col, row] = key.split(",").map(Number);
    [...list].sort((a, b) => a.year - b.year || a.name.localeCompare(b.name)).forEach((n, slot) => out.set(n.id, {col, row, slot}));
  }
  return out;
}

/** The grid's geometry for a width (screen sizes; talk style only thickens lines and text up to 15 px). */
/** Where the legend's swatches go (rows wrap at the width); the head text comes first. */
function legendLayout(width: number, x0: number, fontSize: number, categories: readonly {label: string}[], head = "colour: how it is trained —"): {rows: number; items: {x: number; row: number}[]; headWidth: number} {
  const size = fontSize * 0.95, headWidth = textWidth(head, size) + 8;
  let x = x0 + headWidth, row = 0;
  const items = categories.map((c) => {
    const w = 16 + textWidth(c.label, size) + 14;
    if (x + w > width) { row++; x = x0; }
    const item = {x, row};
    x += w;
    return item;
  });
  return {rows: row + 1, items, headWidth};
}

function geometry(nodes: readonly FamilyMapNode[], width: number, columns: readonly {id: string; label: string}[], rows: readonly {id: string; label: string}[], computes: readonly {label: string}[]) {
  const s = theme(false);
  const narrow = width < 640;
  const layout = familyLayout(nodes, columns, rows);
  // Grid axes: across = columns (wide) or rows (narrow).
  const across = narrow ? rows : columns, down = narrow ? columns : rows;
  const cellOf = (id: string) => {
    const p = layout.get(id)!;
    return narrow ? {a: p.row, d: p.col, slot: p.slot} : {a: p.col, d: p.row, slot: p.slot};
  };
  const perCell = new Map<string, number>();
  for (const n of nodes) { const c = cellOf(n.id); perCell.set(`${c.a},${c.d}`, Math.max(perCell.get(`${c.a},${c.d}`) ?? 0, c.slot + 1)); }
  const rowSlots = down.map((_, d) => Math.max(1, ...across.map((_, a) => perCell.get(`${a},${d}`) ?? 0)));
  const nodeH = s.fontSize * 2.3, gap = s.fontSize * 0.55, pad = s.fontSize * 0.6;
  const labelW = narrow ? Math.min(92, width * 0.24) : s.labelSize * 2.2;
  const headH = s.labelSize * (narrow ? 3.2 : 2.6);
  const legendH = legendLayout(width, labelW, s.fontSize, computes).rows * s.labelSize * 1.5 + s.fontSize * 2.4;
  const colW = (width - labelW - 4) / across.length;
  const rowH = rowSlots.map((n) => n * (nodeH + gap) - gap + 2 * pad);
  const height = Math.ceil(headH + rowH.reduce((a, b) => a + b, 0) + legendH + 6);
  return {narrow, across, down, cellOf, nodeH, gap, pad, labelW, headH, legendH, colW, rowH, height};
}

/** The height FamilyMap draws at for this width (pass it to Figure). */
export function familyMapHeight(nodes: readonly FamilyMapNode[], {width, columns, rows, computes, discretizations}: {width: number; columns: readonly {id: string; label: string}[];
  rows: readonly {id: string; label: string}[]; computes: readonly {label: string}[]; discretizations: readonly {label: string}[]}): number {
  // room for the longer of the two legends, so the height does not depend on the colouring
  return Math.max(geometry(nodes, width, columns, rows, computes).height, geometry(nodes, width, columns, rows, discretizations).height);
}

export function FamilyMap(nodes: readonly FamilyMapNode[], options: FamilyMapOptions): ChartSVG {
  const {width, talk = false, columns, rows, colorBy = "compute", computes, discretizations, selected = null, onSelect, hrefPrefix = "#card-"} = options;
  const t0 = theme(talk, width);
  const t = {...t0, fontSize: Math.min(15, t0.fontSize), labelSize: Math.min(16, t0.labelSize)};
  const {narrow, across, down, cellOf, nodeH, gap, pad, labelW, headH, colW, rowH} = geometry(nodes, width, columns, rows, colorBy === "compute" ? computes : discretizations);
  const height = familyMapHeight(nodes, {width, columns, rows, computes, discretizations});
  const svg = createSVG(width, height, t, "family-map");
  svg.setAttribute("aria-label", "Map of the state space model family: structure of A across, fixed or selective Ā down; arrows show lineage. Each model links to its card.");
  const y0 = rowH.map((_, d) => headH + rowH.slice(0, d).reduce((a, b) => a + b, 0));
  const x0 = (a: number) => labelW + a * colW;

  const categories = colorBy === "compute" ? computes : discretizations;
  const colorOf = (n: FamilyMapNode) => PALETTE[Math.max(0, categories.findIndex((c) => c.id === (colorBy === "compute" ? n.compute : n.discretization))) % PALETTE.length];

  // Grid: alternating bands for the rows, column headers, row labels.
  const grid = el("g", {class: "family-grid"}, svg);
  down.forEach((r, d) => {
    el("rect", {x: labelW, y: y0[d], width: width - labelW - 2, height: rowH[d], fill: d % 2 ? "#ffffff" : "#f6f7f9", stroke: "#e2e4e8"}, grid);
    wrapText(grid, r.label, {x: labelW - 6, y: y0[d] + rowH[d] / 2, anchor: "end", size: t.fontSize * (narrow ? 0.95 : 1), color: t.text, maxWidth: labelW - 10, vertical: !narrow, weight: 600});
  });
  across.forEach((c, a) => {
    if (a > 0) el("line", {x1: x0(a), x2: x0(a), y1: headH, y2: headH + rowH.reduce((p, q) => p + q, 0), stroke: "#e2e4e8"}, grid);
    wrapText(grid, c.label, {x: x0(a) + colW / 2, y: headH / 2, anchor: "middle", size: t.labelSize * 0.92, color: t.text, maxWidth: colW - 6, weight: 600});
  });

  // Node boxes.
  const nodeW = Math.max(40, colW - 2 * pad);
  const box = new Map<string, {x: number; y: number}>();
  for (const n of nodes) {
    const c = cellOf(n.id);
    box.set(n.id, {x: x0(c.a) + pad, y: y0[c.d] + pad + c.slot * (nodeH + gap)});
  }
  // Lineage arrows first (under the boxes). Between columns an arrow leaves the parent's right
  // side and enters the child's left side, turning in the gap between the cells; when it skips a
  // column it runs along the lane above the first row of boxes. Within a column it arcs along
  // the lane on the right of the boxes.
  const defs = el("defs", {}, svg);
  const aw = talk ? 10 : 7;
  const marker = el("marker", {id: "family-arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: aw, markerHeight: aw, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse"}, defs);
  el("path", {d: "M0,0 L10,5 L0,10 z", fill: "#8a8f98"}, marker);
  const edges = el("g", {class: "family-edges", fill: "none"}, svg);
  for (const n of nodes) for (const p of n.parents) {
    const a = box.get(p), b = box.get(n.id);
    if (!a || !b) continue;
    const ca = cellOf(p), cb = cellOf(n.id);
    const ay = a.y + nodeH / 2, by = b.y + nodeH / 2;
    let path: string;
    if (ca.a === cb.a) {
      const sx = a.x + nodeW, bulge = Math.min(pad * 1.6, 3 + 2.2 * Math.abs(ca.d * 10 + ca.slot - (cb.d * 10 + cb.slot)));
      path = `M${sx},${ay} C${sx + bulge},${ay} ${sx + bulge},${by} ${sx + 1},${by}`;
    } else {
      const right = cb.a > ca.a, sx = right ? a.x + nodeW : a.x, ex = right ? b.x : b.x + nodeW, dir = right ? 1 : -1;
      if (Math.abs(cb.a - ca.a) === 1) {
        const mx = (sx + ex) / 2;
        path = `M${sx},${ay} C${mx},${ay} ${mx},${by} ${ex},${by}`;
      } else {
        const lane = y0[cb.d] + pad * 0.45, g2 = pad;
        path = `M${sx},${ay} C${sx + dir * g2},${ay} ${sx + dir * g2},${lane} ${sx + dir * 2 * g2},${lane} L${ex - dir * 2 * g2},${lane} C${ex - dir * g2},${lane} ${ex - dir * g2},${by} ${ex},${by}`;
      }
    }
    const on = selected === n.id || selected === p;
    el("path", {d: path, stroke: on ? "#1d3f66" : "#8a8f98", "stroke-width": (on ? 2 : 1.2) * (talk ? 1.6 : 1), "stroke-opacity": on ? 1 : 0.85,
      "marker-end": "url(#family-arrow)", class: "family-edge", "data-from": p, "data-to": n.id}, edges);
  }
  const nodeLayer = el("g", {class: "family-nodes"}, svg);
  for (const n of nodes) {
    const {x, y} = box.get(n.id)!;
    const other = colorBy === "compute" ? n.discretization : n.compute;
    const a = el("a", {href: `${hrefPrefix}${n.id}`, class: "family-node", "data-model": n.id,
      "aria-label": `${n.name} (${n.year}): ${labelOf(columns, n.structure)}, ${labelOf(rows, n.selectivity)}, ${labelOf(computes, n.compute)}, discretization ${labelOf(discretizations, n.discretization)}. Go to its card.`,
      ...(selected === n.id ? {"aria-current": "true"} : {})}, nodeLayer);
    const title = el("title", {}, a);
    title.textContent = `${n.name} (${n.year}) — ${n.miniature ?? ""}`;
    const fill = colorOf(n);
    el("rect", {x, y, width: nodeW, height: nodeH, rx: 5, fill: "#ffffff"}, a);
    el("rect", {x, y, width: nodeW, height: nodeH, rx: 5, fill, "fill-opacity": 0.18, stroke: selected === n.id ? "#1d3f66" : fill,
      "stroke-width": (selected === n.id ? 2.6 : 1.3) * (talk ? 1.5 : 1), class: "family-node-box"}, a);
    el("rect", {x, y, width: 5, height: nodeH, rx: 2, fill}, a);
    const nameSize = t.fontSize * 1.02;
    const tagSize = t.fontSize * 0.8;
    const tag = SHORT[other] ?? other;
    const roomForTag = nodeW - 14 - textWidth(n.name, nameSize) - textWidth(tag, tagSize) > 4;
    // name over year when both fit the box (screen style); the name alone, centred, otherwise (talk style)
    const twoLines = nameSize + tagSize * 1.15 <= nodeH * 0.9;
    const ny = y + nodeH * (twoLines ? 0.43 : 0.5);
    text(a, n.name, {x: x + 10, y: ny, "font-size": nameSize, "font-weight": 600, "dominant-baseline": "central", fill: t.text});
    if (twoLines) text(a, String(n.year), {x: x + 10, y: y + nodeH * 0.8, "font-size": tagSize, "dominant-baseline": "central", fill: t.mutedText});
    if (roomForTag) text(a, tag, {x: x + nodeW - 5, y: ny, "font-size": tagSize, "text-anchor": "end", "dominant-baseline": "central", fill: t.mutedText});
    if (onSelect) a.addEventListener("click", (e) => { e.preventDefault(); onSelect(n.id); });
  }

  // Legend: the colours, and what the small tag on each box means.
  const gridBottom = headH + rowH.reduce((p, q) => p + q, 0);
  const ly = gridBottom + t.fontSize * 0.9;
  const lg = el("g", {class: "ssm-legend", "font-size": t.fontSize * 0.95, fill: t.text}, svg);
  const head = colorBy === "compute" ? "colour: how it is trained —" : "colour: discretization —";
  const lay = legendLayout(width, labelW, theme(false).fontSize, categories, head);
  const rowStep = theme(false).labelSize * 1.5;
  text(lg, head, {x: labelW, y: ly + t.fontSize * 0.6, "dominant-baseline": "central", fill: t.mutedText});
  categories.forEach((c, i) => {
    const {x, row} = lay.items[i], yy = ly + row * rowStep;
    el("rect", {x, y: yy, width: 12, height: t.fontSize * 1.1, rx: 2, fill: PALETTE[i % PALETTE.length], "fill-opacity": 0.6}, lg);
    text(lg, c.label, {x: x + 16, y: yy + t.fontSize * 0.6, "dominant-baseline": "central"});
  });
  const note = colorBy === "compute" ? "small tag: discretization; arrows: builds on" : "small tag: how it is trained; arrows: builds on";
  text(lg, note, {x: width - 4, y: ly + lay.rows * rowStep + t.fontSize * 0.7, "text-anchor": "end", "font-size": t.fontSize * 0.85, fill: t.mutedText});
  return svg;
}

function labelOf(list: readonly {id: string; label: string}[], id: string): string {
  return list.find((x) => x.id === id)?.label ?? id;
}

/** Text wrapped to lines of at most maxWidth px (estimated), centred on (x, y); optionally rotated. */
function wrapText(parent: Element, s: string, {x, y, anchor, size, color, maxWidth, vertical = false, weight = 400}:
  {x: number; y: number; anchor: "start" | "middle" | "end"; size: number; color: string; maxWidth: number; vertical?: boolean; weight?: number}): void {
  const words = s.split(/\s+/);
  const lines: string[] = [];
  let line = "";
  const limit = vertical ? Infinity : maxWidth;
  for (const w of words) {
    const next = line ? `${line} ${w}` : w;
    if (line && textWidth(next, size) > limit) { lines.push(line); line = w; } else line = next;
  }
  if (line) lines.push(line);
  const g = el("text", {x, y, "text-anchor": vertical ? "middle" : anchor, "font-size": size, "font-weight": weight, fill: color,
    ...(vertical ? {transform: `rotate(-90 ${x - size * 0.2} ${y})`} : {})}, parent);
  lines.forEach((ln, i) => {
    const ts = el("tspan", {x: vertical ? x - size * 0.2 : x, dy: i === 0 ? `${-(lines.length - 1) * 0.6 + 0.35}em` : "1.2em"}, g);
    ts.textContent = ln;
  });
}
