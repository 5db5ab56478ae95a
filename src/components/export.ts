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

/**
 * The download name of an export: `continuous-output@2x.png`, `continuous-output-talk@2x.png`,
 * `continuous-output.svg`, `continuous-output.csv`.
 */
export function exportFilename(base: string, kind: ExportKind, {talk = false} = {}): string {
  const stem = slugify(base) + (talk && (kind.startsWith("png") || kind === "svg") ? "-talk" : "");
  if (kind.startsWith("png-")) return `${stem}@${kind.slice(4)}x.png`;
  return `${stem}.${kind}`;
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
