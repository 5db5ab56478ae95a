// DataTable: a plain HTML table of rows (numbers or text) with an export button for CSV and
// JSON, for tables that are data rather than pictures (so no PNG/SVG: use Figure for those).
//
// Markup (for tests and CSS):
//   <figure class="ssm-table" data-filename="stem">
//     <div class="ssm-table-head"><div class="ssm-table-title">…</div>
//       <div class="ssm-table-export"><button data-export="csv">CSV</button><button data-export="json">JSON</button></div></div>
//     <div class="ssm-table-scroll"><table>…</table></div>
//     <figcaption>…</figcaption>?
//   </figure>
// After an export the figure carries data-last-export="stem.csv" (or .json).
import {type Cell, type Row, MIME, exportFilename, toCSV, toJSON} from "./export.js";
import {downloadBlob} from "./figure.js";

export interface DataTableOptions {
  title?: string;
  caption?: string | Node;
  /** file stem of exports (default: the title) */
  filename?: string;
  /** columns to show, in order (default: every key of the rows); exports always hold every key */
  columns?: readonly string[];
  /** how a cell is shown (default: numbers with up to 4 significant digits) */
  format?: (value: Cell, column: string, row: Row) => string | Node;
  /** the column whose cells are row headers (th scope=row) */
  rowHeader?: string;
  /** a class for each row (e.g. to highlight one) */
  rowClass?: (row: Row, index: number) => string;
}

function defaultFormat(v: Cell): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
  return v === null || v === undefined ? "" : String(v);
}

export function DataTable(rows: readonly Row[], options: DataTableOptions = {}): HTMLElement {
  const {title, caption, columns, format = defaultFormat, rowHeader, rowClass} = options;
  const stem = options.filename ?? title ?? "table";
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const root = document.createElement("figure");
  root.className = "ssm-table";
  root.dataset.filename = stem;
  const head = root.appendChild(document.createElement("div"));
  head.className = "ssm-table-head";
  const t = head.appendChild(document.createElement("div"));
  t.className = "ssm-table-title";
  t.textContent = title ?? "";
  const exp = head.appendChild(document.createElement("div"));
  exp.className = "ssm-table-export";
  const status = document.createElement("span");
  status.className = "ssm-table-status";
  status.setAttribute("role", "status");
  for (const kind of ["csv", "json"] as const) {
    const b = exp.appendChild(document.createElement("button"));
    b.type = "button";
    b.dataset.export = kind;
    b.textContent = kind.toUpperCase();
    b.title = `Download this table as ${kind.toUpperCase()}`;
    b.addEventListener("click", () => {
      const name = exportFilename(stem, kind);
      const data = rows.map((r) => ({...r}));
      downloadBlob(new Blob([kind === "csv" ? toCSV(data) : toJSON(data)], {type: MIME[kind]}), name, root);
      root.dataset.lastExport = name;
      status.textContent = `Saved ${name}`;
    });
  }
  exp.appendChild(status);
  const scroll = root.appendChild(document.createElement("div"));
  scroll.className = "ssm-table-scroll";
  scroll.tabIndex = 0; // a scrollable region must be reachable by keyboard
  const table = scroll.appendChild(document.createElement("table"));
  const thead = table.appendChild(document.createElement("thead")).appendChild(document.createElement("tr"));
  for (const c of cols) {
    const th = thead.appendChild(document.createElement("th"));
    th.scope = "col";
    th.textContent = c;
  }
  const tbody = table.appendChild(document.createElement("tbody"));
  rows.forEach((r, i) => {
    const tr = tbody.appendChild(document.createElement("tr"));
    if (rowClass) tr.className = rowClass(r, i);
    for (const c of cols) {
      const cell = tr.appendChild(document.createElement(c === rowHeader ? "th" : "td"));
      if (c === rowHeader) (cell as HTMLTableCellElement).scope = "row";
      const v = format(r[c], c, r);
      if (typeof v === "string") cell.textContent = v; else cell.append(v);
      if (typeof r[c] === "number") cell.classList.add("ssm-table-number");
    }
  });
  if (caption) {
    const fc = root.appendChild(document.createElement("figcaption"));
    fc.className = "ssm-table-caption";
    fc.append(caption);
  }
  return root;
}
