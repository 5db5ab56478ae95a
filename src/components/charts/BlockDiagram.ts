// BlockDiagram: boxes on a grid joined by arrows, each box with a label, a shape line and a
// note (for the Mamba block: every operation with the shape of what it outputs). Columns are
// fractional (0, 0.5, 1 …) so a box can sit between two branches; an arrow between boxes of
// one column that skips rows is routed around the boxes in between.
import {type ChartSVG, PALETTE, createSVG, el, reportIssues, text, theme, uniqueId} from "./common.js";

export interface DiagramBox {
  id: string;
  label: string;
  /** the second line, e.g. "(1, 64, 128)" */
  shape?: string;
  note?: string;
  col: number;
  row: number;
  kind?: "tensor" | "op" | "scan" | "param";
  /** drawn in red (e.g. a shape that disagrees with what ran) */
  wrong?: boolean;
}

export interface BlockDiagramOptions {
  width: number;
  talk?: boolean;
}

const FILL = {tensor: "#f3f6fa", op: "#ffffff", scan: "#fff4dc", param: "#eef7ee"} as const;
const STROKE = {tensor: "#8a9bb3", op: "#33415c", scan: PALETTE[1], param: PALETTE[4]} as const;

function geometry(boxes: readonly DiagramBox[], width: number, talk: boolean) {
  const t = theme(talk);
  const cols = Math.max(1, ...boxes.map((b) => b.col)) + 1;
  const rows = Math.max(0, ...boxes.map((b) => b.row)) + 1;
  const margin = t.fontSize * 2.2; // room for routed arrows on the left
  const colGap = t.fontSize * 1.2;
  const boxW = Math.min(340, (width - 2 * margin - (cols - 1) * colGap) / cols);
  const notes = boxW >= t.fontSize * 14;
  const boxH = t.fontSize * (notes ? 5 : 3.3);
  const rowGap = t.fontSize * 1.6;
  const span = cols * boxW + (cols - 1) * colGap;
  const left = (width - span) / 2;
  const x = (col: number) => left + col * (boxW + colGap);
  const y = (row: number) => t.fontSize * 0.8 + row * (boxH + rowGap);
  return {t, boxW, boxH, notes, x, y, height: Math.round(y(rows) - rowGap + t.fontSize * 0.8)};
}

export function blockDiagramHeight(boxes: readonly DiagramBox[], width: number, talk = false): number {
  return geometry(boxes, width, talk).height;
}

/** Cuts a note into at most two lines that fit `chars` characters each. */
function lines(s: string, chars: number): string[] {
  if (s.length <= chars) return [s];
  const words = s.split(" ");
  const out = [""];
  for (const w of words) {
    const cur = out[out.length - 1];
    if ((cur + " " + w).trim().length <= chars) out[out.length - 1] = (cur + " " + w).trim();
    else if (out.length < 2) out.push(w);
    else { out[1] = `${out[1].slice(0, Math.max(0, chars - 1))}…`; break; }
  }
  return out.map((l) => (l.length > chars ? `${l.slice(0, chars - 1)}…` : l));
}

export function BlockDiagram(boxes: readonly DiagramBox[], edges: readonly {from: string; to: string}[], options: BlockDiagramOptions): ChartSVG {
  const {width, talk = false} = options;
  const {t, boxW, boxH, notes, x, y, height} = geometry(boxes, width, talk);
  const svg = createSVG(width, height, t, "block-diagram");
  const defs = el("defs", {}, svg);
  const arrow = uniqueId("arrow");
  const marker = el("marker", {id: arrow, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse"}, defs);
  el("path", {d: "M 0 0 L 10 5 L 0 10 z", fill: "#555"}, marker);
  const byId = new Map(boxes.map((b) => [b.id, b]));
  const issues: string[] = [];
  const eg = el("g", {class: "ssm-diagram-edges"}, svg);
  for (const e of edges) {
    const a = byId.get(e.from), b = byId.get(e.to);
    if (!a || !b) { issues.push(`an arrow names a box that is not there (${e.from} → ${e.to})`); continue; }
    const ax = x(a.col) + boxW / 2, ay = y(a.row) + boxH, bx = x(b.col) + boxW / 2, by = y(b.row);
    let d: string;
    const between = boxes.some((c) => c !== a && c !== b && c.row > a.row && c.row < b.row && Math.abs(c.col - a.col) < 0.75 && Math.abs(c.col - b.col) < 0.75);
    if (b.row === a.row) {
      const [sx, tx] = a.col < b.col ? [x(a.col) + boxW, x(b.col)] : [x(a.col), x(b.col) + boxW];
      d = `M ${sx} ${y(a.row) + boxH / 2} L ${tx} ${y(b.row) + boxH / 2}`;
    } else if (a.col - b.col >= 1) {
      // Into the target's right side, down the gap between the columns (several arrows share it).
      const gapX = x(b.col) + boxW + (x(a.col) - x(b.col) - boxW) / 2;
      const sy = y(a.row) + boxH / 2, ty = y(b.row) + boxH * (0.35 + 0.3 * (a.row % 2));
      d = `M ${x(a.col)} ${sy} L ${gapX} ${sy} L ${gapX} ${ty} L ${x(b.col) + boxW} ${ty}`;
    } else if (between) {
      // Around the boxes in between, on the outer side of the source column.
      const leftSide = a.col <= 0.5;
      const side = leftSide ? x(Math.min(a.col, b.col)) - t.fontSize * 1.1 : x(Math.max(a.col, b.col)) + boxW + t.fontSize * 1.1;
      const sx = leftSide ? x(a.col) : x(a.col) + boxW, tx = leftSide ? x(b.col) : x(b.col) + boxW;
      const sy = y(a.row) + boxH / 2, ty = y(b.row) + boxH * 0.3;
      d = `M ${sx} ${sy} L ${side} ${sy} L ${side} ${ty} L ${tx} ${ty}`;
    } else {
      const my = (ay + by) / 2;
      d = `M ${ax} ${ay} C ${ax} ${my}, ${bx} ${my}, ${bx} ${by}`;
    }
    el("path", {d, fill: "none", stroke: "#555", "stroke-width": t.axisWidth * 1.2, "marker-end": `url(#${arrow})`, class: "ssm-diagram-edge", "data-from": e.from, "data-to": e.to}, eg);
  }
  const chars = Math.max(6, Math.floor(boxW / (t.fontSize * 0.8 * 0.56)));
  for (const b of boxes) {
    const kind = b.kind ?? "op";
    const g = el("g", {class: "ssm-diagram-box", "data-id": b.id}, svg);
    const bx = x(b.col), by = y(b.row);
    el("rect", {x: bx, y: by, width: boxW, height: boxH, rx: kind === "tensor" ? boxH / 2.4 : 6, fill: FILL[kind],
      stroke: b.wrong ? "#d62728" : STROKE[kind], "stroke-width": t.axisWidth * (kind === "scan" ? 2.2 : 1.3)}, g);
    const lab = b.label.length > chars * 0.9 ? `${b.label.slice(0, Math.floor(chars * 0.9) - 1)}…` : b.label;
    text(g, lab, {x: bx + boxW / 2, y: by + t.fontSize * 1.2, "text-anchor": "middle", "dominant-baseline": "central", "font-size": t.labelSize, "font-weight": 700, fill: t.text});
    if (b.shape) text(g, b.shape, {x: bx + boxW / 2, y: by + t.fontSize * 2.4, "text-anchor": "middle", "dominant-baseline": "central", "font-size": t.fontSize, "font-family": "ui-monospace, SFMono-Regular, Menlo, monospace", fill: b.wrong ? "#d62728" : PALETTE[0], class: "ssm-diagram-shape"});
    if (notes && b.note) lines(b.note, chars).forEach((l, i) => text(g, l, {x: bx + boxW / 2, y: by + t.fontSize * (3.4 + 0.95 * i), "text-anchor": "middle", "dominant-baseline": "central", "font-size": t.fontSize * 0.8, fill: t.mutedText}));
    if (b.wrong) issues.push(`${b.label}: the shape the block produced differs from the diagram's`);
  }
  return reportIssues(svg, issues);
}
