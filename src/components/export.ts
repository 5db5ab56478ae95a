// Pure helpers for figure export: CSV/JSON of a figure's data, file names, standalone SVG
// text, PNG header reading. No DOM here, so it is unit-tested in Node
// (test/components/export.test.ts); figure.ts does the browser part.

export type Cell = number | string | boolean | null | undefined;
export type Row = Record<string, Cell>;
/** A figure's data: one table of rows, or several named tables. */
export type FigureData = Row[] | Record<string, Row[]>;

export type ExportKind = "png-1" | "png-2" | "png-4" | "svg" | "csv" | "json";
export const EXPORT_KINDS: readonly ExportKind[] = ["png-1", "png-2", "png-4", "svg", "csv", "json"];

/**
 * A number written with enough digits to read back the same double (JavaScript's shortest
 * round-trip form); non-finite values (NaN, ±∞) and missing values become "".
 */
export function formatNumber(v: number): string {
  return Number.isFinite(v) ? String(v) : "";
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, CR/LF or edge spaces. */
export function csvField(v: Cell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return formatNumber(v);
  const s = String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Column names in order of first appearance across the rows. */
export function columnsOf(rows: Row[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

/** Whether the data is several named tables rather than one table. */
export function isNamedTables(data: FigureData): data is Record<string, Row[]> {
  return !Array.isArray(data);
}

/**
 * CSV text (header + rows, CRLF-free "\n" line ends, trailing newline). Several named
 * tables become one long table with a leading "table" column.
 */
export function toCSV(data: FigureData): string {
  let rows: Row[];
  if (isNamedTables(data)) {
    rows = [];
    for (const [name, table] of Object.entries(data)) for (const r of table) rows.push({table: name, ...r});
  } else {
    rows = data;
  }
  const cols = columnsOf(rows);
  if (isNamedTables(data) && !cols.includes("table")) cols.unshift("table");
  const lines = [cols.map(csvField).join(",")];
  for (const r of rows) lines.push(cols.map((c) => csvField(r[c])).join(","));
  return lines.join("\n") + "\n";
}

/** JSON text: typed arrays become arrays, non-finite numbers become null. */
export function toJSON(data: unknown): string {
  return JSON.stringify(data, (_k, v) => {
    if (typeof v === "number" && !Number.isFinite(v)) return null;
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
    return v;
  }, 1);
}

/**
 * Columns of equal length as rows: columnsToRows({t: [0, 1], y: [2, 3]}) →
 * [{t: 0, y: 2}, {t: 1, y: 3}]. Shorter columns leave empty cells.
 */
export function columnsToRows(cols: Record<string, ArrayLike<Cell>>): Row[] {
  const n = Math.max(0, ...Object.values(cols).map((c) => c.length));
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const r: Row = {};
    for (const [k, c] of Object.entries(cols)) r[k] = i < c.length ? c[i] : null;
    rows.push(r);
  }
  return rows;
}

/** A safe lowercase file stem: "Continuous output (A)" → "continuous-output-a". */
export function slugify(s: string): string {
  const slug = s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80);
  return slug || "figure";
}

/** Aspect presets of image exports: the figure as shown, or a slide shape. */
export type Aspect = "shown" | "16x9" | "4x3" | "square";
export const ASPECTS: readonly {id: Aspect; label: string; ratio?: number}[] = [
  {id: "shown", label: "as shown"}, {id: "16x9", label: "16:9", ratio: 16 / 9},
  {id: "4x3", label: "4:3", ratio: 4 / 3}, {id: "square", label: "square", ratio: 1}
];

/** Whether a string names an aspect preset. */
export function isAspect(s: unknown): s is Aspect {
  return ASPECTS.some((a) => a.id === s);
}

/** Narrowest box of a slide-shaped export (px): narrower figures are widened to it. */
export const SLIDE_MIN_WIDTH = 640;

/**
 * The whole exported image's size (CSS px) for a preset: the figure's own size "as shown";
 * for a slide shape the figure's width (at least SLIDE_MIN_WIDTH) and the height that
 * gives the ratio exactly, to the pixel.
 */
export function presetSize(aspect: Aspect, width: number, height: number): {width: number; height: number} {
  const a = ASPECTS.find((p) => p.id === aspect);
  if (!a?.ratio) return {width, height};
  const w = Math.max(Math.round(width), SLIDE_MIN_WIDTH);
  return {width: w, height: Math.round(w / a.ratio)};
}

export interface ExportNameOptions {
  talk?: boolean;
  /** the aspect preset ("shown" adds nothing to the name) */
  aspect?: Aspect;
  /** a dark-theme export */
  dark?: boolean;
}

/**
 * The download name of an export: `continuous-output@2x.png`, `continuous-output-talk@2x.png`,
 * `continuous-output-talk-16x9-dark@2x.png`, `continuous-output.svg`, `continuous-output.csv`.
 * Style, shape and theme only name image files (data files have none).
 */
export function exportFilename(base: string, kind: ExportKind, {talk = false, aspect = "shown", dark = false}: ExportNameOptions = {}): string {
  const image = kind.startsWith("png") || kind === "svg";
  const stem = slugify(base) + (image ? (talk ? "-talk" : "") + (aspect !== "shown" && isAspect(aspect) ? `-${aspect}` : "") + (dark ? "-dark" : "") : "");
  if (kind.startsWith("png-")) return `${stem}@${kind.slice(4)}x.png`;
  return `${stem}.${kind}`;
}

/** Text with the five XML special characters escaped (for SVG text and attributes). */
export function escapeXML(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})[c]!);
}

/** A rough width in px of a text at a font size (the charts' own estimate). */
const estimateWidth = (s: string, size: number) => s.length * size * 0.55;

/** Greedy word wrap of `s` into lines of at most `maxWidth` px at `size` (a word longer than a line gets one of its own). */
export function wrapText(s: string, maxWidth: number, size: number): string[] {
  const words = s.replace(/\s+/g, " ").trim().split(" ").filter(Boolean);
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    const next = line ? `${line} ${w}` : w;
    if (line && estimateWidth(next, size) > maxWidth) { lines.push(line); line = w; } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

export interface SlideOptions {
  /** the whole image's size (CSS px) */
  width: number;
  height: number;
  title?: string;
  caption?: string;
  talk?: boolean;
  /** "shown": the chart keeps `height` and the title and caption add to it; else the total is fixed */
  aspect?: Aspect;
}

export interface SlideLayout {
  width: number;
  /** the whole image */
  height: number;
  /** where the chart goes and how tall it is drawn */
  chartY: number;
  chartHeight: number;
  pad: number;
  titleSize: number;
  captionSize: number;
  titleLines: string[];
  captionLines: string[];
}

/**
 * Where a burned-in title (above) and caption (below) go and how much height the chart
 * keeps. Type is larger in talk style and grows with the image like the charts' own
 * (about 24/18 px at 640 wide in talk style, 16/12.5 px otherwise). At most two title
 * lines and five caption lines (the rest is cut with "…"); the chart keeps at least 40 %
 * of a fixed-shape image.
 */
export function slideLayout({width, height, title = "", caption = "", talk = false, aspect = "shown"}: SlideOptions): SlideLayout {
  const k = talk ? Math.max(1, Math.min(1.8, width / 640)) : 1;
  const titleSize = Math.round((talk ? 24 : 16) * Math.min(k, 1.4)), captionSize = Math.round((talk ? 18 : 12.5) * k * 10) / 10;
  const pad = Math.round((talk ? 14 : 8) * k);
  const cut = (lines: string[], n: number) => (lines.length > n ? [...lines.slice(0, n - 1), lines[n - 1].replace(/\s*\S*$/, "") + " …"] : lines);
  const titleLines = title.trim() ? cut(wrapText(title, width - 2 * pad, titleSize), 2) : [];
  let captionLines = caption.trim() ? cut(wrapText(caption, width - 2 * pad, captionSize), 5) : [];
  const titleH = titleLines.length ? pad + titleLines.length * titleSize * 1.25 : 0;
  const captionHeight = (n: number) => (n ? pad * 0.75 + n * captionSize * 1.35 + pad * 0.5 : 0);
  if (aspect !== "shown") {
    // Fewer caption lines until the chart keeps 40 % of the image.
    let n = captionLines.length;
    while (n > 0 && height - titleH - captionHeight(n) < height * 0.4) n--;
    if (n < captionLines.length) captionLines = n ? cut(captionLines, n) : [];
  }
  const captionH = captionHeight(captionLines.length);
  const chartY = Math.round(titleH);
  const chartHeight = aspect === "shown" ? height : Math.max(1, Math.round(height - titleH - captionH));
  const total = aspect === "shown" ? Math.round(titleH + height + captionH) : height;
  return {width, height: total, chartY, chartHeight, pad, titleSize, captionSize, titleLines, captionLines};
}

/**
 * One standalone SVG of a chart with its title above and caption below, on a background:
 * the chart's own <svg> is nested at (0, chartY) and keeps its viewBox. Colours are
 * given plainly (the caller resolves theme variables afterwards or before).
 */
export function composeSlideSVG(chartMarkup: string, lay: SlideLayout, {background = "#ffffff", text = "#222", muted = "#555", fontFamily = "sans-serif"} = {}): string {
  let chart = chartMarkup.trim().replace(/^<\?xml[^>]*>\s*/, "");
  const open = chart.match(/^<svg\b[^>]*>/);
  if (!open) throw new Error("composeSlideSVG: the chart markup does not start with an <svg> element");
  let tag = setAttr(setAttr(setAttr(open[0], "y", String(lay.chartY)), "x", "0"), "width", String(lay.width));
  tag = setAttr(tag, "height", String(lay.chartHeight));
  chart = tag + chart.slice(open[0].length);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${lay.width}" height="${lay.height}" viewBox="0 0 ${lay.width} ${lay.height}" font-family="${escapeXML(fontFamily)}">`);
  parts.push(`<rect class="ssm-background" x="0" y="0" width="100%" height="100%" fill="${background}"/>`);
  lay.titleLines.forEach((line, i) => {
    parts.push(`<text class="ssm-burned-title" x="${lay.pad}" y="${Math.round(lay.pad + (i + 0.85) * lay.titleSize * 1.25)}" font-size="${lay.titleSize}" font-weight="600" fill="${text}">${escapeXML(line)}</text>`);
  });
  parts.push(chart);
  const capTop = lay.chartY + lay.chartHeight + lay.pad * 0.75;
  lay.captionLines.forEach((line, i) => {
    parts.push(`<text class="ssm-burned-caption" x="${lay.pad}" y="${Math.round(capTop + (i + 0.85) * lay.captionSize * 1.35)}" font-size="${lay.captionSize}" fill="${muted}">${escapeXML(line)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n");
}

/** The pixel scale of a PNG export kind (png-2 → 2). */
export function pngScale(kind: ExportKind): number {
  return kind.startsWith("png-") ? Number(kind.slice(4)) : 1;
}

export const MIME: Record<string, string> = {
  png: "image/png", svg: "image/svg+xml;charset=utf-8", csv: "text/csv;charset=utf-8", json: "application/json;charset=utf-8"
};

/**
 * Makes serialised SVG markup a standalone file: XML declaration, the SVG (and xlink when
 * used) namespace on the root, and explicit width/height.
 */
export function standaloneSVG(markup: string, {width, height}: {width?: number; height?: number} = {}): string {
  let s = markup.trim().replace(/^<\?xml[^>]*>\s*/, "");
  const open = s.match(/^<svg\b[^>]*>/);
  if (!open) throw new Error("standaloneSVG: the markup does not start with an <svg> element");
  let tag = open[0];
  if (!/\sxmlns="/.test(tag)) tag = tag.replace(/^<svg/, '<svg xmlns="http://www.w3.org/2000/svg"');
  if (/xlink:/.test(s) && !/\sxmlns:xlink="/.test(tag)) tag = tag.replace(/^<svg/, '<svg xmlns:xlink="http://www.w3.org/1999/xlink"');
  if (width !== undefined) tag = setAttr(tag, "width", String(width));
  if (height !== undefined) tag = setAttr(tag, "height", String(height));
  s = tag + s.slice(open[0].length);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${s}\n`;
}

function setAttr(tag: string, name: string, value: string): string {
  const re = new RegExp(`\\s${name}="[^"]*"`);
  const attr = ` ${name}="${value}"`;
  return re.test(tag) ? tag.replace(re, attr) : tag.replace(/^<svg/, `<svg${attr}`);
}

/** Width and height from a PNG's IHDR chunk (throws when the bytes are not a PNG). */
export function pngSize(bytes: Uint8Array): {width: number; height: number} {
  const magic = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || magic.some((b, i) => bytes[i] !== b)) throw new Error("pngSize: not a PNG file");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== "IHDR") throw new Error("pngSize: IHDR chunk missing");
  return {width: dv.getUint32(16), height: dv.getUint32(20)};
}

/** Collects the issue messages of a figure: the page's own plus the chart's, deduplicated. */
export function mergeIssues(...lists: (readonly string[] | undefined | null)[]): string[] {
  const out: string[] = [];
  for (const l of lists) for (const s of l ?? []) if (s && !out.includes(s)) out.push(s);
  return out;
}

/** Reads issues from a chart element's data-issues attribute (JSON array or plain text). */
export function parseIssuesAttribute(attr: string | null | undefined): string[] {
  if (!attr) return [];
  try {
    const v = JSON.parse(attr);
    return Array.isArray(v) ? v.map(String) : [String(v)];
  } catch {
    return [attr];
  }
}
