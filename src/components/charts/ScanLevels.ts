// ScanLevels: a parallel prefix scan drawn level by level. Each row is the array after one
// level (every position, left to right); the cells written at that level are filled, the others
// are drawn faint with the value they still hold, and a line runs from each cell a written
// cell read in the row above. Each cell shows the b-part of its pair (and the a-part when there
// is room); a mark at the row's end says whether the level agreed with its definition.
import {type ChartSVG, PALETTE, createSVG, el, reportIssues, text, textWidth, theme} from "./common.js";

export interface ScanRow {
  name: string;
  /** the pairs at every position after this level */
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  /** the positions written at this level */
  written: readonly boolean[];
  /** per position: the positions of the row above it read (empty: not written or an input) */
  from: readonly (readonly number[])[];
  /** whether the level agreed with its definition */
  ok?: boolean;
  /** a note after the row name ("max |Δ| 6e-8") */
  note?: string;
}

export interface ScanLevelsOptions {
  width: number;
  talk?: boolean;
  /** positions ≥ padFrom are padding (drawn dashed) */
  padFrom?: number;
  /** show the a-part under the b-part when a cell is wide enough */
  showA?: boolean;
}

const fmt = (v: number, room: number) => {
  if (!Number.isFinite(v)) return "—";
  const s = Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
  return s.length <= room ? s : v.toFixed(1).length <= room ? v.toFixed(1) : v.toFixed(0);
};

/** Geometry shared by the chart and its height. */
function layout(rows: readonly ScanRow[], width: number, talk: boolean) {
  const nRows = rows.length;
  const t = theme(talk);
  const side = width >= 700;
  const longest = Math.max(0, ...rows.map((r) => textWidth(`✓ ${r.name}`, t.labelSize)));
  const labelW = side ? Math.min(width * 0.3, longest + t.fontSize) : 0;
  const caption = side ? 0 : t.labelSize * 1.5;
  const cellH = t.fontSize * (talk ? 2.6 : 2.9);
  const gapY = t.fontSize * 1.5;
  const rowH = caption + cellH + gapY;
  return {t, side, labelW, caption, cellH, gapY, rowH, height: Math.round(t.fontSize * 1.2 + nRows * rowH - gapY)};
}

export function scanLevelsHeight(rows: readonly ScanRow[], width: number, talk = false): number {
  return layout(rows, width, talk).height;
}

export function ScanLevels(rows: readonly ScanRow[], options: ScanLevelsOptions): ChartSVG {
  const {width, talk = false, padFrom = Infinity, showA = true} = options;
  const {t, side, labelW, caption, cellH, rowH, height} = layout(rows, width, talk);
  const svg = createSVG(width, height, t, "scan-levels");
  const cols = Math.max(1, ...rows.map((r) => r.b.length));
  const x0 = labelW + t.fontSize * 0.4, x1 = width - t.fontSize * 0.4;
  const cellW = (x1 - x0) / cols;
  const gap = Math.min(3, cellW * 0.08);
  const room = Math.max(1, Math.floor(cellW / (t.fontSize * 0.58 * 0.9)));
  const withA = showA && cellW >= t.fontSize * 3;
  const issues: string[] = [];
  const cx = (i: number) => x0 + (i + 0.5) * cellW;
  const top = (r: number) => t.fontSize * 0.6 + r * rowH + caption;
  rows.forEach((row, r) => {
    const g = el("g", {class: "ssm-scan-row", "data-row": r, "data-series": row.name}, svg);
    const y = top(r);
    const mark = row.ok == null ? "" : row.ok ? "✓ " : "✗ ";
    const label = `${mark}${row.name}${row.note ? `  ${row.note}` : ""}`;
    const color = row.ok === false ? "#d62728" : t.text;
    if (side) {
      text(g, `${mark}${row.name}`, {x: labelW, y: y + cellH * (row.note ? 0.36 : 0.5), "text-anchor": "end", "dominant-baseline": "central", "font-size": t.labelSize, fill: color});
      if (row.note) text(g, row.note, {x: labelW, y: y + cellH * 0.78, "text-anchor": "end", "dominant-baseline": "central", "font-size": t.fontSize * 0.85, fill: t.mutedText});
    } else {
      text(g, label.length * t.labelSize * 0.58 > width ? `${mark}${row.name}` : label, {x: x0, y: y - caption * 0.35, "font-size": t.labelSize, fill: color});
    }
    // Lines from what each written cell read.
    if (r > 0) {
      const yPrev = top(r - 1) + cellH;
      row.from.forEach((src, i) => {
        if (!row.written[i]) return;
        for (const j of src) {
          el("line", {x1: cx(j), y1: yPrev, x2: cx(i), y2: y, stroke: j === i ? "#9aa7b8" : PALETTE[0], "stroke-width": t.axisWidth * (j === i ? 1 : 1.4), "stroke-opacity": 0.85, class: "ssm-scan-edge"}, g);
        }
      });
    }
    for (let i = 0; i < row.b.length; i++) {
      const x = x0 + i * cellW, w = row.written[i], padded = i >= padFrom;
      el("rect", {x: x + gap / 2, y, width: Math.max(1, cellW - gap), height: cellH, rx: 3,
        fill: w ? (row.ok === false ? "#f6d5d5" : "#dbe7f5") : "#ffffff", stroke: w ? PALETTE[0] : "#d0d0d0",
        "stroke-width": t.axisWidth * (w ? 1.2 : 0.8), "stroke-dasharray": padded ? "3,2" : undefined,
        class: w ? "ssm-scan-cell ssm-scan-written" : "ssm-scan-cell", "data-index": i, "data-b": row.b[i], "data-a": row.a[i]}, g);
      const bv = Number(row.b[i]), av = Number(row.a[i]);
      if (!Number.isFinite(bv) || !Number.isFinite(av)) issues.push(`${row.name}: position ${i} is not finite`);
      if (room >= 2) {
        text(g, fmt(bv, room), {x: cx(i), y: y + cellH * (withA ? 0.36 : 0.5), "text-anchor": "middle", "dominant-baseline": "central",
          "font-size": Math.min(t.fontSize, cellW / 3), "font-weight": w ? 600 : 400, fill: w ? t.text : "#9a9a9a"});
        if (withA) text(g, `a ${fmt(av, room - 2)}`, {x: cx(i), y: y + cellH * 0.76, "text-anchor": "middle", "dominant-baseline": "central", "font-size": t.fontSize * 0.75, fill: w ? t.mutedText : "#b0b0b0"});
      }
    }
  });
  if (cols > 0 && room < 2) issues.push(`cells are ${cellW.toFixed(0)} px wide: values are not printed (widen the window or export at talk size)`);
  return reportIssues(svg, issues);
}
