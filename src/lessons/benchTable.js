// The benchmark table, one definition for its two printers: `npm run bench` (bench/run.mjs,
// plain Node, which is why this file is plain JS: src/lessons/benchTable.d.ts types it) and
// the /lab page (src/lessons/lab.ts), which shows the reader's own cells in the same columns.
// A cell is what benchCell returns (src/lessons/benchCases.ts), with `env` saying where its
// plain JS loop ran ("node" for the cpu/wasm runner, "chromium" for a browser page).

const BACKEND_ORDER = ["cpu", "wasm", "webgl", "webgpu"];

/** Milliseconds as the tables print them: 3 significant digits at most, "—" for none. */
export function fmtMs(ms) {
  return ms == null ? "—" : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms > 0 ? ms.toFixed(2) : "<0.1";
}

/** A ratio backend time / JS time as the tables print it ("—" when either is missing). */
export function fmtRatio(ms, js) {
  return ms != null && js != null && js > 0 ? (ms / js).toFixed(ms / js >= 10 ? 0 : 1) + "x" : "—";
}

/**
 * The table: one row per (kernel, L), in the order the kernels first appear in `cells` and
 * `sizes` ascending; columns: kernel, L, ms per backend present, the JS loop in Node and in
 * Chromium (each only when some cell ran there), then backend / JS for each backend (against
 * the JS loop of the backend's own process). Returns {header, rows} of strings.
 */
export function benchTable(cells, sizes) {
  const backends = BACKEND_ORDER.filter((b) => cells.some((c) => c.backend === b));
  const kernels = [...new Set(cells.map((c) => c.kernel))];
  const Ls = sizes ?? [...new Set(cells.map((c) => c.L))].sort((a, b) => a - b);
  const get = (k, b, L) => cells.find((c) => c.kernel === k && c.backend === b && c.L === L);
  const js = (k, env, L) => cells.find((c) => c.kernel === k && (c.env ?? "chromium") === env && c.L === L && c.jsMs != null)?.jsMs ?? null;
  const envs = ["node", "chromium"].filter((e) => cells.some((c) => (c.env ?? "chromium") === e));
  const header = ["kernel", "L", ...backends.map((b) => `${b} ms`), ...envs.map((e) => `JS ${e} ms`), ...backends.map((b) => `${b}/JS`)];
  const rows = [];
  for (const k of kernels) {
    for (const L of Ls) {
      if (!backends.some((b) => get(k, b, L))) continue;
      const jn = js(k, "node", L);
      const jc = js(k, "chromium", L);
      rows.push([k, String(L), ...backends.map((b) => fmtMs(get(k, b, L)?.ms)), ...envs.map((e) => fmtMs(e === "node" ? jn : jc)),
        ...backends.map((b) => {
          const c = get(k, b, L);
          return fmtRatio(c?.ms, (c?.env ?? "chromium") === "chromium" ? jc : jn);
        })]);
    }
  }
  return {header, rows};
}

/** The table as fixed-width text (first column left-aligned, the others right-aligned). */
export function textTable({header, rows}) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((x, i) => (i < 1 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
