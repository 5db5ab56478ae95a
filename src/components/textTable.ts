// TextTable: a plain HTML table from a header and rows of strings (numbers right-aligned),
// for tables already formatted as text (the /lab page's benchmark tables, in the columns
// `npm run bench` prints; DataTable is for rows of values). Wrap it in Figure for the export
// menu (CSV/JSON of its rows).
export interface TableOptions {caption?: string; className?: string; /** cells matching are right-aligned (default: numbers, "—", ratios) */ numeric?: RegExp}

export function TextTable(table: {header: readonly string[]; rows: readonly (readonly string[])[]}, {caption, className = "", numeric = /^(—|<?[\d.,]+(x|×)?|[\d.]+e[-+]?\d+)$/}: TableOptions = {}): HTMLElement {
  const wrap = document.createElement("div");
  wrap.className = `ssm-texttable-wrap${className ? ` ${className}` : ""}`;
  const t = wrap.appendChild(document.createElement("table"));
  t.className = "ssm-texttable";
  if (caption) t.createCaption().textContent = caption;
  const tr = t.createTHead().insertRow();
  for (const h of table.header) tr.appendChild(document.createElement("th")).textContent = h;
  const body = t.createTBody();
  for (const r of table.rows) {
    const row = body.insertRow();
    for (const x of r) {
      const td = row.insertCell();
      td.textContent = x;
      if (numeric.test(x)) td.className = "num";
    }
  }
  return wrap;
}
