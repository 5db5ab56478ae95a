// /lab (page 8): the site's benchmark cases (lessons/benchCases.ts, the ones `npm run bench`
// times) run on the reader's own device, on the backends the reader picks, beside reference
// rows committed in the repository: an NVIDIA H200 (tfjs-webgpu through Dawn in Node, and
// PyTorch on CUDA: bench/gpu/results/, read at build time by src/data/lab.json.js) and numpy
// on the site's development machine (bench/results/numpy-lab.json). What this module does:
// the plan (which cases, sizes, backends), the measuring loop (stoppable, yielding between
// calls, every tensor disposed), and plain data for the page: series against L with fitted
// log-log slopes, crossover lengths, the tables. No DOM.
import * as tf from "@tensorflow/tfjs";
import {SHAPES, benchCell, cases, type CaseDef, type Cell, type StopSignal} from "./benchCases.js";
import {benchTable, fmtMs, type Table} from "./benchTable.js";
import {BACKENDS, type BackendName} from "../runtime/backend.js";

// ---- what can be run

export interface LabKernel {value: string; label: string; family: string}

/** The cases a reader can pick, by the family of results they compute (crossovers are within a family). */
export const LAB_KERNELS: readonly LabKernel[] = [
  {value: "ssmRecurrent", label: "recurrence (LTI, n = 16)", family: "lti"},
  {value: "ssmConvolution", label: "kernel K̄ + FFT convolution", family: "lti"},
  {value: "causalConvFFT", label: "FFT convolution (given K)", family: "conv"},
  {value: "causalConvDirect", label: "direct convolution, O(L²)", family: "conv"},
  {value: "linearScan", label: "parallel scan (d = 64)", family: "scan"},
  {value: "selectiveScanComposite", label: "selective scan, composite (d = 64)", family: "selective"},
  {value: "selectiveScan", label: "selective scan, fused (d = 64)", family: "selective"},
  {value: "softmaxAttention", label: "softmax attention (d = 16)", family: "mixer"},
  {value: "linearAttention", label: "linear attention, parallel", family: "mixer"},
  {value: "linearAttentionRecurrent", label: "linear attention, recurrent", family: "mixer"},
  {value: "ssd", label: "SSD (Mamba-2), chunks of 64", family: "mixer"},
  {value: "dplrKernel", label: "S4's DPLR kernel (LegS, N = 64)", family: "kernel"},
  {value: "ssmKernelLegS", label: "kernel K̄ by powers of Ā (LegS, N = 64)", family: "kernel"}
];
export const LAB_SIZES: readonly number[] = [64, 256, 1024, 4096, 16384];
export const DEFAULT_KERNELS: readonly string[] = ["ssmRecurrent", "ssmConvolution", "causalConvDirect", "linearAttentionRecurrent"];
export const DEFAULT_SIZES: readonly number[] = [256, 1024, 4096];
export const LAB_BACKENDS: readonly BackendName[] = BACKENDS;

const labelOf = (kernel: string) => LAB_KERNELS.find((k) => k.value === kernel)?.label ?? kernel;
const familyOf = (kernel: string) => LAB_KERNELS.find((k) => k.value === kernel)?.family ?? kernel;

export interface LabPlan {kernels: string[]; sizes: number[]; backends: string[]}

/** The plan from the controls' values: known names only, sizes ascending; what is missing, said. */
export function labPlan(values: {kernels: readonly string[]; sizes: readonly (string | number)[]; backends: readonly string[]}): {plan: LabPlan; problems: string[]} {
  const kernels = LAB_KERNELS.map((k) => k.value).filter((k) => values.kernels.includes(k));
  const sizes = [...new Set(values.sizes.map(Number))].filter((L) => LAB_SIZES.includes(L)).sort((a, b) => a - b);
  const backends = LAB_BACKENDS.filter((b) => values.backends.includes(b));
  const problems = [
    ...(kernels.length ? [] : ["pick at least one kernel"]),
    ...(sizes.length ? [] : ["pick at least one length L"]),
    ...(backends.length ? [] : ["pick at least one backend"])
  ];
  return {plan: {kernels, sizes, backends}, problems};
}

/** Number of cells a plan measures (each kernel × size × backend). */
export const planSize = (p: LabPlan) => p.kernels.length * p.sizes.length * p.backends.length;

// ---- the measuring loop

export interface LabCell extends Cell {
  /** where the plain JS loop ran: always this page's browser */
  env: "chromium";
}

export interface BackendUse {name: string; ok: boolean; reason: string; software: boolean | null; description: string}

export interface LabProgress {done: number; total: number; label: string}

export interface RunOptions {
  signal: StopSignal;
  /** makes a backend current after the site's self-check (runtime/backend.ts useBackend) */
  switchBackend: (name: string) => Promise<BackendUse>;
  onCell?: (cell: LabCell, progress: LabProgress) => void;
  onProgress?: (progress: LabProgress) => void;
  /** a size is skipped when the last call took more than this, or the next is predicted over 4·capMs */
  capMs?: number;
  /** the case definitions (tests pass small ones); default: benchCases' cases() */
  defs?: CaseDef[];
}

export interface LabRun {cells: LabCell[]; backends: BackendUse[]; notes: string[]; stopped: boolean; tensorsBefore: number; tensorsAfter: number; date: string}

/** Budgets of one cell on the page: shorter than `npm run bench`'s, the median of up to 5 calls. */
export const PAGE_BUDGET = {kernel: {budgetMs: 400, maxReps: 5}, js: {budgetMs: 200, maxReps: 3}};

/** Kernels whose work grows as L² (the skip rule predicts them with exponent 2). */
const QUADRATIC = ["softmaxAttention", "linearAttention", "causalConvDirect"];

/**
 * Why the next size L is not run after a cell at prevL took `ms` per call (its first call
 * `firstMs`), or "". The first call compiles the GPU programs (seconds on a software GPU), so
 * it stops the sizes after it only when it is far over the cap.
 */
export function labSkip(kernel: string, prevL: number, ms: number, firstMs: number, L: number, capMs: number): string {
  const predicted = ms * (L / prevL) ** (QUADRATIC.includes(kernel) ? 2 : 1);
  if (ms > capMs) return `skipped: L = ${prevL} already took ${fmtMs(ms)} ms per call`;
  if (firstMs > 20 * capMs) return `skipped: the first call at L = ${prevL} (compiling its programs) took ${(firstMs / 1000).toFixed(0)} s`;
  if (predicted > 4 * capMs) return `skipped: predicted ${fmtMs(predicted)} ms per call`;
  return "";
}

/**
 * Runs the plan, backend by backend (each made current, after its self-check, by
 * switchBackend; the one in use before is made current again at the end), kernel by kernel,
 * sizes ascending. Every call ends with a readback; the loop yields between calls and stops
 * at the next call once signal.aborted is set. The plain JS loop of a (kernel, L) is timed
 * once, on the first backend, and its time given to the other backends' cells.
 */
export async function runLab(plan: LabPlan, o: RunOptions): Promise<LabRun> {
  const capMs = o.capMs ?? 1500;
  const defs = o.defs ?? cases();
  const total = planSize(plan);
  const cells: LabCell[] = [];
  const uses: BackendUse[] = [];
  const notes: string[] = [];
  const tensorsBefore = tf.memory().numTensors;
  const original = tf.getBackend();
  const jsTimes = new Map<string, number | null>();
  let done = 0;
  const step = (label: string) => { done++; o.onProgress?.({done, total, label}); };
  const push = (c: LabCell, label: string) => { cells.push(c); step(label); o.onCell?.(c, {done, total, label}); };
  try {
    for (const backend of plan.backends) {
      if (o.signal.aborted) break;
      o.onProgress?.({done, total, label: `checking ${backend}`});
      const use = await o.switchBackend(backend);
      uses.push(use);
      if (!use.ok) {
        notes.push(`${backend}: not used (${use.reason})`);
        for (let i = 0; i < plan.kernels.length * plan.sizes.length; i++) step(`${backend} refused`);
        continue;
      }
      for (const kernel of plan.kernels) {
        const def = defs.find((d) => d.kernel === kernel);
        let prev: LabCell | null = null;
        let stop = def ? "" : "no such case";
        for (const L of plan.sizes) {
          if (o.signal.aborted) break;
          const base = {kernel, shape: SHAPES[kernel as keyof typeof SHAPES] ?? "", backend, L, env: "chromium" as const};
          if (!stop && def?.maxL && L > def.maxL) stop = `not run above L = ${def.maxL} (memory)`;
          if (!stop && prev?.ms != null) stop = labSkip(kernel, prev.L, prev.ms, prev.firstMs ?? 0, L, capMs);
          const label = `${kernel} on ${backend} at L = ${L}`;
          if (stop) { push({...base, ms: null, reps: 0, firstMs: null, jsMs: jsTimes.get(`${kernel}:${L}`) ?? null, note: stop}, label); continue; }
          o.onProgress?.({done, total, label: `measuring ${label}`});
          const key = `${kernel}:${L}`;
          const cell = await benchCell(def!, L, backend, {withJs: !jsTimes.has(key), memory: true,
            kernel: {...PAGE_BUDGET.kernel, signal: o.signal}, js: {...PAGE_BUDGET.js, signal: o.signal}});
          if (!jsTimes.has(key) && cell.jsMs != null) jsTimes.set(key, cell.jsMs);
          const c: LabCell = {...cell, env: "chromium", jsMs: cell.jsMs ?? jsTimes.get(key) ?? null};
          push(c, label);
          if (c.ms == null && !/runs on/.test(c.note ?? "")) stop = c.note ?? "failed";
          prev = c;
        }
      }
    }
  } finally {
    if (tf.getBackend() !== original) {
      const back = await o.switchBackend(original);
      if (!back.ok) notes.push(`could not go back to ${original}: ${back.reason}`);
    }
  }
  return {cells, backends: uses, notes, stopped: o.signal.aborted, tensorsBefore, tensorsAfter: tf.memory().numTensors, date: new Date().toISOString()};
}

// ---- fits and crossovers (pure)

export interface Point {L: number; y: number}
export interface Fit {slope: number; intercept: number; n: number}

/** Least-squares line through (log10 L, log10 y) for the points with y > 0: y ≈ 10^intercept · L^slope. Null under 2 distinct L. */
export function fitSlope(points: readonly Point[]): Fit | null {
  const ps = points.filter((p) => p.L > 0 && p.y > 0 && Number.isFinite(p.y));
  if (new Set(ps.map((p) => p.L)).size < 2) return null;
  const xs = ps.map((p) => Math.log10(p.L)), ys = ps.map((p) => Math.log10(p.y));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length, my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < xs.length; i++) { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) ** 2; }
  const slope = sxy / sxx;
  return {slope, intercept: my - slope * mx, n: ps.length};
}

export interface Crossing {
  /** the length where the two curves cross, interpolated on log-log axes between measured sizes */
  L: number;
  /** the series that is faster below L, and the one faster above */
  below: string; above: string;
}

/**
 * Where series a and b (times against L) cross: between consecutive sizes both were measured
 * at where the faster one changes, the crossing of the two straight log-log segments. A tie at
 * a measured size counts as a crossing there when the order differs on both sides.
 */
export function crossovers(a: {key: string; points: readonly Point[]}, b: {key: string; points: readonly Point[]}): Crossing[] {
  const common = a.points.filter((p) => p.y > 0 && b.points.some((q) => q.L === p.L && q.y > 0)).map((p) => p.L).sort((x, y) => x - y);
  const d = common.map((L) => Math.log(a.points.find((p) => p.L === L)!.y / b.points.find((p) => p.L === L)!.y));
  const out: Crossing[] = [];
  let last = 0; // index of the last non-tie point
  for (let i = 1; i < common.length; i++) {
    if (d[i] === 0) continue;
    if (d[last] === 0) { last = i; continue; }
    if (Math.sign(d[i]) !== Math.sign(d[last])) {
      const x0 = Math.log(common[last]), x1 = Math.log(common[i]);
      const t = d[last] / (d[last] - d[i]);
      const L = Math.exp(x0 + t * (x1 - x0));
      out.push(d[last] < 0 ? {L, below: a.key, above: b.key} : {L, below: b.key, above: a.key});
    }
    last = i;
  }
  return out;
}

// ---- series for the figures

export type Source = "reader" | "reader-js" | "h200-tfjs" | "h200-torch" | "numpy";

export interface Series {
  key: string;
  label: string;
  kernel: string;
  source: Source;
  /** the backend or engine ("webgl", "plain JS", "PyTorch", "numpy") */
  engine: string;
  points: Point[];
  fit: Fit | null;
}

const series = (key: string, label: string, kernel: string, source: Source, engine: string, points: Point[]): Series =>
  ({key, label, kernel, source, engine, points: points.sort((p, q) => p.L - q.L), fit: fitSlope(points)});

/** The reader's series: one per (kernel, backend) measured, and one per kernel for its plain JS loop. */
export function readerSeries(cells: readonly Cell[], metric: "ms" | "peakBytes" = "ms"): Series[] {
  const out: Series[] = [];
  const kernels = [...new Set(cells.map((c) => c.kernel))];
  for (const kernel of kernels) {
    for (const backend of LAB_BACKENDS) {
      const pts = cells.filter((c) => c.kernel === kernel && c.backend === backend && c.ms != null && (metric === "ms" || c.peakBytes != null))
        .map((c) => ({L: c.L, y: metric === "ms" ? c.ms! : c.peakBytes!}));
      if (pts.length) out.push(series(`${kernel} · ${backend}`, `${labelOf(kernel)} · ${backend}`, kernel, "reader", backend, pts));
    }
    if (metric === "ms") {
      const js = new Map<number, number>();
      for (const c of cells) if (c.kernel === kernel && c.jsMs != null && !js.has(c.L)) js.set(c.L, c.jsMs);
      if (js.size) out.push(series(`${kernel} · plain JS`, `${labelOf(kernel)} · plain JS loop`, kernel, "reader-js", "plain JS", [...js].map(([L, y]) => ({L, y}))));
    }
  }
  return out;
}

/** A reference row (bench/gpu/reference.mjs). */
export interface RefRow {run: string; engine: string; method: string; kernel: string | null; comparable: boolean; d: number | null; L: number; ms: number | null; gpuMs?: number | null; variant?: boolean; note?: string; file: string}
export interface RefMeta {run: string; date: string | null; day: string | null; device: string | null; torch: string | null; tfjs: string | null; files: {file: string; date: string | null; command: string | null}[]; gpuTxt?: string | null}
export interface NumpyCell {kernel: string; L: number; ms: number; reps: number; method: string}
export interface LabData {runs: {meta: RefMeta; rows: RefRow[]}[]; numpy: {date: string; command: string; machine: string; numpy: string; file: string; cells: NumpyCell[]} | null}

/** The newest H200 run of the data. */
export const latestRun = (data: LabData) => data.runs[data.runs.length - 1] ?? null;

/** The newest run that measured `kernel` at the case's own shape (runs are oldest first), or null. */
export function runFor(data: LabData, kernel: string): LabData["runs"][number] | null {
  for (let i = data.runs.length - 1; i >= 0; i--) if (comparableRows(data.runs[i].rows, kernel).length) return data.runs[i];
  return null;
}

/**
 * The rows of a run that can sit beside a reader's measurement of `kernel`: the case's own
 * shape (`comparable`: d = 16 attention, n = 16 recurrence, the selective scan at the tuning
 * the site uses today, whether that run measured it as its default or as a variant).
 */
export function comparableRows(rows: readonly RefRow[], kernel: string): RefRow[] {
  return rows.filter((r) => r.kernel === kernel && r.comparable);
}

/** H200 series for the chosen kernels: the case's own shape only (`comparable`), each method its own series. */
export function referenceSeries(data: LabData, kernels: readonly string[]): Series[] {
  const out: Series[] = [];
  for (const kernel of kernels) {
    const run = runFor(data, kernel);
    if (!run) continue;
    const rows = comparableRows(run.rows, kernel).filter((r) => r.ms != null);
    const groups = new Map<string, RefRow[]>();
    for (const r of rows) {
      const g = `${r.engine}:${r.method}:${r.file}`;
      if (!groups.get(g)?.some((x) => x.L === r.L)) groups.set(g, [...(groups.get(g) ?? []), r]);
    }
    for (const rs of groups.values()) {
      const r = rs[0];
      if (r.engine !== "tfjs-webgpu" && r.engine !== "pytorch") continue;
      const tfjs = r.engine === "tfjs-webgpu";
      const engine = tfjs ? "H200 tfjs-webgpu (Dawn)" : "H200 PyTorch";
      const what = tfjs ? (r.method === kernel || r.method === "fused" ? "" : ` (${r.method})`) : ` (${r.method})`;
      out.push(series(`${kernel} · ${engine}${what} · ${r.file.split("/").pop()}`, `${labelOf(kernel)} · ${engine}${what}`, kernel, tfjs ? "h200-tfjs" : "h200-torch", engine,
        rs.map((x) => ({L: x.L, y: x.ms!}))));
    }
  }
  return out;
}

/** numpy series for the chosen kernels (bench/results/numpy-lab.json). */
export function numpySeries(data: LabData, kernels: readonly string[]): Series[] {
  const cells = data.numpy?.cells ?? [];
  return kernels.filter((k) => cells.some((c) => c.kernel === k)).map((k) =>
    series(`${k} · numpy`, `${labelOf(k)} · numpy (${cells.find((c) => c.kernel === k)!.method})`, k, "numpy", "numpy",
      cells.filter((c) => c.kernel === k).map((c) => ({L: c.L, y: c.ms}))));
}

export interface CrossoverRow {family: string; a: string; b: string; text: string; crossings: Crossing[]}

/**
 * Crossovers among the reader's time series that compute the same thing or are the same case:
 * the same kernel on two backends, a kernel against its plain JS loop, and two kernels of one
 * family (recurrence against convolution, softmax against linear attention …) on one backend.
 * Pairs with fewer than two sizes in common are left out.
 */
export function crossoverRows(all: readonly Series[]): CrossoverRow[] {
  const ss = all.filter((s) => s.source === "reader" || s.source === "reader-js");
  const out: CrossoverRow[] = [];
  for (let i = 0; i < ss.length; i++) {
    for (let j = i + 1; j < ss.length; j++) {
      const [a, b] = [ss[i], ss[j]];
      const sameKernel = a.kernel === b.kernel;
      const sameFamily = familyOf(a.kernel) === familyOf(b.kernel) && a.engine === b.engine && a.source === "reader";
      if (!sameKernel && !sameFamily) continue;
      const common = a.points.filter((p) => b.points.some((q) => q.L === p.L)).map((p) => p.L);
      if (common.length < 2) continue;
      const crossings = crossovers({key: a.label, points: a.points}, {key: b.label, points: b.points});
      out.push({family: sameKernel ? labelOf(a.kernel) : familyOf(a.kernel), a: a.label, b: b.label, crossings, text: crossingText(a, b, crossings, common)});
    }
  }
  return out;
}

function crossingText(a: Series, b: Series, crossings: Crossing[], common: number[]): string {
  const y = (s: Series, L: number) => s.points.find((p) => p.L === L)!.y;
  if (crossings.length) {
    return crossings.map((c) => `${c.below} is faster below L ≈ ${Math.round(c.L)}, ${c.above} above`).join("; then ");
  }
  const lo = common[0], hi = common[common.length - 1];
  const faster = y(a, hi) < y(b, hi) ? a : b, slower = faster === a ? b : a;
  const r = (L: number) => (y(slower, L) / y(faster, L));
  return `${faster.label} is faster at every length measured (${r(lo).toFixed(1)}× at L = ${lo}, ${r(hi).toFixed(1)}× at L = ${hi}): no crossover from ${lo} to ${hi}`;
}

// ---- tables

/** The reader's cells in the columns `npm run bench` prints (lessons/benchTable.js). */
export const readerTable = (cells: readonly LabCell[]): Table => benchTable(cells);

/** One flat row per measurement, the reader's and the reference ones, for the CSV/JSON export. */
export interface ExportRow {
  where: string; measured: string; engine: string; kernel: string; shape: string; L: number;
  ms: number | null; jsMs: number | null; peakBytes: number | null; reps: number | null; note: string; source: string;
}

/** Every row of the page's table: the reader's (with device and date), then the H200's and numpy's for the same kernels. */
export function exportRows(run: Pick<LabRun, "cells" | "date"> | null, data: LabData, device: string,
  kernels: readonly string[] = [...new Set(run?.cells.map((c) => c.kernel) ?? [])]): ExportRow[] {
  const mine: ExportRow[] = (run?.cells ?? []).map((c) => ({
    where: `this device (${device})`, measured: run!.date, engine: `tfjs-${c.backend}`, kernel: c.kernel, shape: c.shape, L: c.L,
    ms: c.ms, jsMs: c.jsMs, peakBytes: c.peakBytes ?? null, reps: c.reps, note: c.note ?? "", source: "measured on this page"
  }));
  const h200: ExportRow[] = kernels.flatMap((k) => {
    const ref = runFor(data, k);
    return ref ? comparableRows(ref.rows, k).map((r) => ({ref, r})) : [];
  }).map(({ref, r}) => ({
    where: `reference: ${ref.meta.device ?? "H200"}`, measured: ref.meta.files.find((f) => r.file.endsWith(f.file))?.date ?? ref.meta.day ?? "",
    engine: r.engine === "tfjs-webgpu" ? "tfjs-webgpu (Dawn, Node)" : r.engine === "pytorch" ? `PyTorch ${ref.meta.torch ?? ""}`.trim() : r.engine, kernel: r.kernel!,
    shape: r.engine === "tfjs-webgpu" && r.method !== r.kernel ? r.method : r.engine === "pytorch" ? r.method : SHAPES[r.kernel as keyof typeof SHAPES] ?? "",
    L: r.L, ms: r.ms, jsMs: null, peakBytes: null, reps: null, note: r.note ?? "", source: r.file
  }));
  const np: ExportRow[] = (data.numpy?.cells ?? []).filter((c) => kernels.includes(c.kernel)).map((c) => ({
    where: `reference: ${data.numpy!.machine}`, measured: data.numpy!.date, engine: `numpy ${data.numpy!.numpy}`, kernel: c.kernel, shape: c.method,
    L: c.L, ms: c.ms, jsMs: null, peakBytes: null, reps: c.reps, note: "", source: data.numpy!.file
  }));
  return [...mine, ...h200, ...np];
}

/** The reference rows only (H200 and numpy) of the given kernels, for the reference table's export. */
export const referenceRows = (data: LabData, kernels: readonly string[]): ExportRow[] => exportRows(null, data, "", kernels);

/**
 * The H200 rows of the chosen kernels side by side: per (kernel, L), the site's tfjs-webgpu
 * time, each PyTorch peer's, and the ratio tfjs / PyTorch (< 1: the site's program is faster).
 */
export function referenceTable(data: LabData, kernels: readonly string[]): Table {
  const header = ["kernel", "run", "L", "tfjs-webgpu ms", "PyTorch method", "PyTorch ms", "tfjs / PyTorch"];
  const rows: string[][] = [];
  for (const kernel of kernels) {
    const run = runFor(data, kernel);
    if (!run) continue;
    const mine = comparableRows(run.rows, kernel);
    const tfjsRows = mine.filter((r) => r.engine === "tfjs-webgpu");
    const torchRows = mine.filter((r) => r.engine === "pytorch");
    for (const L of [...new Set(mine.map((r) => r.L))].sort((a, b) => a - b)) {
      const t = tfjsRows.find((r) => r.L === L && r.ms != null);
      const peers = torchRows.filter((r) => r.L === L);
      const at = [kernel, run.meta.run, String(L), fmtMs(t?.ms)];
      if (!peers.length) rows.push([...at, "—", "—", "—"]);
      for (const p of peers) rows.push([...at, p.method, fmtMs(p.ms), t?.ms != null && p.ms ? `${(t.ms / p.ms).toFixed(2)}×` : "—"]);
    }
  }
  return {header, rows};
}

/** One sentence for the status line after a run. */
export function runSummary(run: LabRun): string {
  const measured = run.cells.filter((c) => c.ms != null).length;
  const used = run.backends.filter((b) => b.ok).map((b) => b.name + (b.software ? " (software GPU)" : ""));
  return `${run.stopped ? "Stopped" : "Done"}: ${measured} of ${run.cells.length} cells measured on ${used.join(", ") || "no backend"}` +
    `${run.notes.length ? `; ${run.notes.join("; ")}` : ""}. Tensors alive: ${run.tensorsBefore} before, ${run.tensorsAfter} after.`;
}

// ---- what the figures draw (plain data for components/charts/LogLogPlot.ts)

export interface PlotSeries {label: string; group: string; style: "solid" | "dot" | "dash" | "longdash" | "dashdot"; symbol: string; points: Point[]; slope: number | null}

const STYLE: Record<Source, PlotSeries["style"]> = {"reader": "solid", "reader-js": "dot", "h200-tfjs": "dash", "h200-torch": "longdash", "numpy": "dashdot"};
const SYMBOLS: Record<string, string> = {webgpu: "circle", webgl: "square", wasm: "diamond", cpu: "x", "plain JS": "cross", numpy: "star"};

/**
 * The series of the time figure (metric "ms": the reader's, then, when `reference`, the H200's
 * and numpy's for the same kernels) or of the memory figure ("peakBytes", in MB: the reader's
 * only, as no reference run recorded memory). One colour per kernel, one line style per source.
 */
export function plotSeries(cells: readonly Cell[], data: LabData, {reference, metric, kernels = [...new Set(cells.map((c) => c.kernel))]}:
  {reference: boolean; metric: "ms" | "peakBytes"; kernels?: readonly string[]}): PlotSeries[] {
  const all = [...readerSeries(cells, metric), ...(reference && metric === "ms" ? [...referenceSeries(data, kernels), ...numpySeries(data, kernels)] : [])];
  return all.map((s) => ({
    label: s.label, group: s.kernel, style: STYLE[s.source], symbol: SYMBOLS[s.engine] ?? (s.source === "h200-torch" ? "triangle-up" : "circle-open"),
    points: metric === "peakBytes" ? s.points.map((p) => ({L: p.L, y: p.y / 2 ** 20})) : s.points, slope: s.fit?.slope ?? null
  }));
}

/** The crossover lengths as marks on the time figure. */
export function crossoverMarks(rows: readonly CrossoverRow[]): {L: number; text: string}[] {
  return rows.flatMap((r) => r.crossings.map((c) => ({L: c.L, text: `L ≈ ${Math.round(c.L)}: ${c.below} faster below, ${c.above} above`})));
}
