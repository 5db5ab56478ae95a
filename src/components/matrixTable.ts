// MatrixTable: small live matrices as plain HTML (a CSS grid of numbers between bracket
// borders), one row per item, so a slider can update them in the same frame as the figures.
// KaTeX typesets the same content in about ten times as many DOM nodes, which made every
// redraw of /discretization wait for it. Rows wrap to two lines on a narrow screen.
//
//   MatrixTable([{label: "ZOH", color: "#4e79a7", items: [{symbol: "Ā", matrix: Ab}, {symbol: "ρ(Ā)", text: "0.951"}]}])
//
// CSS: the "Matrix table" section of src/style.css.

export interface MatrixItem {
  /** the name shown before " = " (plain text, e.g. "Ā", "B̄", "ρ(Ā)") */
  symbol: string;
  /** a matrix (rows of numbers), or a text value */
  matrix?: readonly ArrayLike<number>[];
  text?: string;
  /** significant digits of matrix entries (default 4) */
  digits?: number;
}

export interface MatrixRow {
  label: string;
  color?: string;
  items: readonly MatrixItem[];
  /** a sentence instead of items (e.g. "no Ā: singular at this Δ") */
  note?: string;
}

/** A number with `digits` significant digits, trailing zeros dropped, a true minus sign; exponent outside [1e-4, 1e5). */
export function formatEntry(x: number, digits = 4): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
  if (x === 0) return "0";
  const a = Math.abs(x);
  const s = a >= 1e-4 && a < 1e5 ? String(+x.toPrecision(digits)) : x.toExponential(Math.max(0, digits - 2)).replace(/\.?0+e/, "e").replace("e+", "e");
  return s.replace(/-/g, "−").replace(/e(−?)(\d+)/, (_, m, d) => `·10${sup(m + d)}`);
}

const SUP: Record<string, string> = {"−": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹"};
const sup = (s: string) => s.split("").map((c) => SUP[c] ?? c).join("");

function span(className: string, text?: string): HTMLSpanElement {
  const e = document.createElement("span");
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function matrix(M: readonly ArrayLike<number>[], digits: number): HTMLSpanElement {
  const m = span("ssm-matrix");
  const cols = Math.max(1, ...M.map((r) => r.length));
  m.style.gridTemplateColumns = `repeat(${cols}, auto)`;
  for (const row of M) for (let j = 0; j < cols; j++) m.append(span("ssm-matrix-entry", j < row.length ? formatEntry(row[j], digits) : ""));
  return m;
}

export function MatrixTable(rows: readonly MatrixRow[], {label = "live matrices"}: {label?: string} = {}): HTMLElement {
  const root = document.createElement("div");
  root.className = "ssm-matrix-table";
  root.setAttribute("role", "table");
  root.setAttribute("aria-label", label);
  for (const r of rows) {
    const row = root.appendChild(document.createElement("div"));
    row.className = "ssm-matrix-row";
    row.setAttribute("role", "row");
    const name = row.appendChild(span("ssm-matrix-label", r.label));
    name.setAttribute("role", "rowheader");
    if (r.color) name.style.color = r.color;
    if (r.note) row.append(span("ssm-matrix-note", r.note));
    else {
      for (const it of r.items) {
        const cell = row.appendChild(span("ssm-matrix-item"));
        cell.setAttribute("role", "cell");
        cell.append(span("ssm-matrix-symbol", it.symbol), " = ", it.matrix ? matrix(it.matrix, it.digits ?? 4) : it.text ?? "");
      }
    }
  }
  return root;
}
