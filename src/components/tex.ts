// Our KaTeX wrapper. Import it as `tex` in a page (`import {tex} from "./components/tex.js"`)
// and it replaces Framework's built-in one, which would load KaTeX from a CDN; ```tex fences
// then render through it too (docs/toolchain.md). The stylesheet with inlined fonts is
// src/assets/generated/katex.css, imported by src/style.css.
//
// Interpolations are LaTeX: tex`\bar A = ${matrixTex(Ab)}` inserts the string as is, so live
// numbers go through num/matrixTex/vectorTex/complexTex. A bare number is formatted with
// num(x) (3 significant digits, NaN and ±∞ visible); any other value is inserted as String(v).
// Never interpolate text typed by a reader (it would be read as LaTeX; KaTeX's `trust` is off).
//
// A LaTeX error never throws: the source is shown in red (KaTeX's throwOnError: false) and the
// element gets the class "ssm-tex-error" with the message in its title.
import katex from "katex";

export interface TexOptions {
  macros?: Record<string, string>;
}

export interface Tex {
  (strings: TemplateStringsArray, ...values: unknown[]): HTMLElement;
  /** display mode, in a <div class="ssm-tex-block"> */
  block(strings: TemplateStringsArray, ...values: unknown[]): HTMLElement;
  /**
   * display-style math that may wrap: typeset inline with \displaystyle in a centred
   * <div class="ssm-tex-block ssm-tex-wrap">, so that on a narrow screen it breaks after a
   * top-level relation or operator (=, +, ",\allowbreak") instead of running off the page
   */
  wrap(strings: TemplateStringsArray, ...values: unknown[]): HTMLElement;
  /** a tex with extra KaTeX options (macros) */
  options(options: TexOptions): Tex;
}

/** Joins a template's raw strings with its interpolations (numbers through num()). */
export function texSource(strings: TemplateStringsArray | readonly string[], values: readonly unknown[]): string {
  const raw = (strings as TemplateStringsArray).raw ?? strings;
  let s = raw[0];
  for (let i = 0; i < values.length; i++) s += interpolate(values[i]) + raw[i + 1];
  return s;
}

function interpolate(v: unknown): string {
  return typeof v === "number" ? num(v) : String(v);
}

/** Renders LaTeX to an HTML string (no DOM needed); errors render in red, never throw. */
export function texToString(source: string, {displayMode = false, macros}: {displayMode?: boolean} & TexOptions = {}): {html: string; error?: string} {
  try {
    return {html: katex.renderToString(source, {displayMode, throwOnError: true, output: "htmlAndMathml", macros: {...macros}})};
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    let html: string;
    try {
      html = katex.renderToString(source, {displayMode, throwOnError: false, output: "htmlAndMathml", macros: {...macros}});
    } catch {
      html = `<span class="katex-error" style="color:#cc0000">${escapeHtml(source)}</span>`;
    }
    return {html, error};
  }
}

/** Smallest type a display equation is shrunk to on a narrow screen (the rest scrolls). */
export const MIN_FIT = 0.72;

/**
 * The font-size factor that makes a display equation `natural` px wide fit `available` px:
 * 1 when it fits, never below MIN_FIT (beyond that the block scrolls horizontally).
 */
export function fitScale(natural: number, available: number): number {
  if (!(natural > 0) || !(available > 0) || natural <= available) return 1;
  return Math.max(MIN_FIT, Math.floor((available / natural) * 100) / 100);
}

// One observer for every display equation: when a block is wider than its column (a phone),
// its type shrinks down to MIN_FIT and what still does not fit scrolls, with a shadow at the
// cut edge (src/style.css), so an equation is never silently clipped.
let fitObserver: ResizeObserver | null = null;
const fitWidths = new WeakMap<Element, number>();
function fit(block: HTMLElement): void {
  if (typeof ResizeObserver === "undefined") return;
  fitObserver ??= new ResizeObserver((entries) => {
    for (const e of entries) {
      const el = e.target as HTMLElement;
      const w = el.clientWidth;
      if (!w || fitWidths.get(el) === w) continue;
      fitWidths.set(el, w);
      el.style.fontSize = "";
      const k = fitScale(el.scrollWidth, w);
      if (k < 1) el.style.fontSize = `${k * 100}%`;
      el.toggleAttribute("data-scrolls", el.scrollWidth > el.clientWidth + 1);
    }
  });
  fitObserver.observe(block);
}

function make(options: TexOptions): Tex {
  const render = (displayMode: boolean, strings: TemplateStringsArray, values: unknown[], wrap = false) => {
    const root = document.createElement(displayMode || wrap ? "div" : "span");
    root.className = wrap ? "ssm-tex ssm-tex-block ssm-tex-wrap" : displayMode ? "ssm-tex ssm-tex-block" : "ssm-tex";
    const {html, error} = texToString((wrap ? "\\displaystyle " : "") + texSource(strings, values), {displayMode, ...options});
    root.innerHTML = html;
    if (error != null) {
      root.classList.add("ssm-tex-error");
      root.title = error;
    }
    if (displayMode) fit(root);
    return root;
  };
  const tex = ((strings: TemplateStringsArray, ...values: unknown[]) => render(false, strings, values)) as Tex;
  tex.block = (strings: TemplateStringsArray, ...values: unknown[]) => render(true, strings, values);
  tex.wrap = (strings: TemplateStringsArray, ...values: unknown[]) => render(false, strings, values, true);
  tex.options = (more: TexOptions) => make({...options, ...more, macros: {...options.macros, ...more.macros}});
  return tex;
}

export const tex: Tex = make({});

/**
 * A number as LaTeX with `digits` significant digits, trailing zeros dropped:
 * 0.1 → 0.1, 1/3 → 0.333, 12345 → 1.23 \times 10^{4}, NaN → \text{NaN}, −∞ → -\infty.
 */
export function num(x: number, digits = 3): string {
  if (Number.isNaN(x)) return "\\text{NaN}";
  if (x === Infinity) return "\\infty";
  if (x === -Infinity) return "-\\infty";
  if (x === 0) return "0";
  const ax = Math.abs(x);
  if (Number.isInteger(x) && ax < 1e6) return String(x);
  if (ax >= 1e-3 && ax < 1e4) {
    const p = x.toPrecision(digits);
    if (!p.includes("e")) return trimZeros(p);
  }
  const [m, e] = x.toExponential(Math.max(0, digits - 1)).split("e");
  return `${trimZeros(m)} \\times 10^{${Number(e)}}`;
}

export interface TexNumberOptions { digits?: number }

/** A matrix (rows of numbers) as a bmatrix. */
export function matrixTex(M: readonly ArrayLike<number>[], {digits = 3}: TexNumberOptions = {}): string {
  if (M.length === 0) return "\\begin{bmatrix}\\,\\end{bmatrix}";
  const rows = M.map((row) => Array.from(row, (x) => num(x, digits)).join(" & "));
  return `\\begin{bmatrix} ${rows.join(" \\\\ ")} \\end{bmatrix}`;
}

/** A vector as a column bmatrix (or a row with {column: false}). */
export function vectorTex(v: ArrayLike<number>, {digits = 3, column = true}: TexNumberOptions & {column?: boolean} = {}): string {
  const items = Array.from(v, (x) => num(x, digits));
  if (items.length === 0) return "\\begin{bmatrix}\\,\\end{bmatrix}";
  return `\\begin{bmatrix} ${items.join(column ? " \\\\ " : " & ")} \\end{bmatrix}`;
}

/** re + im·i as LaTeX: 0.5 - 0.25i, 2i, -1; NaN parts stay visible. */
export function complexTex(re: number, im: number, {digits = 3}: TexNumberOptions = {}): string {
  if (Number.isNaN(re) || Number.isNaN(im)) {
    return `${num(re, digits)} + ${num(im, digits)}\\,i`;
  }
  if (im === 0) return num(re, digits);
  const mag = Math.abs(im);
  const imPart = mag === 1 ? "i" : `${num(mag, digits)}${Number.isFinite(mag) ? "" : "\\,"}i`;
  if (re === 0) return im < 0 ? `-${imPart}` : imPart;
  return `${num(re, digits)} ${im < 0 ? "-" : "+"} ${imPart}`;
}

function trimZeros(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
