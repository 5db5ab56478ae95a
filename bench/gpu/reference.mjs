// The real-GPU results of one run (a folder of bench/gpu/results/) as one flat list of rows,
// each named after the site's benchmark case it measures (bench/cases.ts), and the pairings
// that say which rows compare with which. One module for the three readers of those files:
// bench/gpu/summarize.mjs (the Markdown tables of bench/gpu/README.md), the /lab page's data
// loader (src/data/lab.json.js) and the unit tests, so the page and the README cannot disagree.
//
// A row: {run, engine, method, kernel, comparable, d, L, ms, gpuMs?, tuning?, variant?, note?, file}
//   engine     "tfjs-webgpu" (the site's kernels through Dawn in Node) or "pytorch" (CUDA)
//   method     the name the file uses ("linearScan", "recurrence_torch_scan", "fused", …)
//   kernel     the site's case the row measures or is the peer of (bench/cases.ts), or null
//   comparable true when the shape is the case's own (d = 16 attention, n = 16 recurrence, …),
//              so the row can sit beside a reader's measurement of that case
// All times are medians of calls that each end with a readback (await y.data() / .cpu()).
import {existsSync, readFileSync, readdirSync} from "node:fs";
import {basename, join} from "node:path";

/** The files of a run and the commands that write them (bench/gpu/README.md, "How to run"). */
export const FILES = {
  "selective-webgpu.json": ".gpu/node --import ./.gpu/dawn-setup.mjs .gpu/bundle.mjs OUTDIR selective (bundle of bench/gpu/all.ts; selectiveScan benchmark: bench/gpu/selective.ts)",
  "attention-webgpu.json": ".gpu/node --import ./.gpu/dawn-setup.mjs .gpu/bundle.mjs OUTDIR attention (bundle of bench/gpu/all.ts; bench/gpu/attention.ts)",
  "lti-webgpu.json": ".gpu/node --import ./.gpu/dawn-setup.mjs .gpu/bundle.mjs OUTDIR lti (bundle of bench/gpu/all.ts; bench/gpu/lti.ts)",
  "lti-torch.json": "python3 bench/gpu/lti_torch.py --out OUTDIR/lti-torch.json",
  "selective-torch.json": "python3 bench/gpu/selective_torch.py > OUTDIR/selective-torch.json",
  "attention-torch.json": "python3 bench/gpu/attention_torch.py > OUTDIR/attention-torch.json",
  "dplr-webgpu.json": ".gpu/node --import ./.gpu/dawn-setup.mjs .gpu/bundle.mjs OUTDIR dplr (bundle of bench/gpu/all.ts; bench/gpu/dplr.ts)",
  "dplr-torch.json": "python3 bench/gpu/dplr.py > OUTDIR/dplr-torch.json"
};

/** dplr.ts's and dplr.py's methods → the site's cases (bench/cases.ts; those are HiPPO-LegS at N = 64). */
export const DPLR_CASES = {dplr: "dplrKernel", dense: "ssmKernelLegS"};

/** The selective scan's WebGPU tuning the site uses today (WEBGPU_DEFAULTS; a unit test keeps them equal). */
export const CURRENT_SELECTIVE_TUNING = {workgroupSize: 128, items: 16, stateGroup: 8};

/** attention.ts's kernel names → the site's cases (bench/cases.ts; same math and sizes at d = 16). */
export const ATTENTION_CASES = {
  softmax: "softmaxAttention", linearParallel: "linearAttention", linearScan: "linearAttentionRecurrent",
  linearChunked: "linearAttentionChunked", linearFused: "linearAttentionFused",
  ssdChunked: "ssd", ssdScan: "ssdRecurrent", ssdFused: "ssdFused"
};

/** PyTorch's methods → the case they are the peer of (what summarize.mjs sets side by side). */
export const TORCH_PEERS = {
  // attention_torch.py (one head, d_k = d_v = d; SSD p = n = d)
  softmax: "softmaxAttention", softmaxSdpa: "softmaxAttention", linearParallel: "linearAttention",
  linearCumsum: "linearAttention", linearScan: "linearAttentionRecurrent", linearChunked: "linearAttentionChunked",
  ssdChunked: "ssd", ssdScan: "ssdRecurrent", ssdLoop: "ssd",
  // lti_torch.py (n = 16, d = 16, u and K of length L)
  fftconv_torch_fft: "causalConvFFT", recurrence_torch_scan: "ssmRecurrent", recurrence_torch_loop: "ssmRecurrent",
  attention_torch_sdpa: "softmaxAttention", attention_torch_ops: "softmaxAttention",
  // dplr.py (HiPPO-LegS, bilinear Δ = 0.01; the cases are N = 64)
  dplr: "dplrKernel", dense: "ssmKernelLegS",
  // selective_torch.py (b = 1, n = 16)
  logdepth: "selectiveScan", compiled: "selectiveScan", loop: "selectiveScan"
};

/** What a PyTorch method is, in words (for the page's legend and table). */
export const TORCH_LABELS = {
  softmax: "softmax in torch ops", softmaxSdpa: "F.scaled_dot_product_attention", linearParallel: "parallel (masked matmul)",
  linearCumsum: "cumsum form (no decay)", linearScan: "scan over l", linearChunked: "chunks of 64",
  ssdChunked: "ssd_minimal chunks of 64", ssdScan: "scan over l", ssdLoop: "Python loop over l",
  fftconv_torch_fft: "torch.fft (cuFFT)", recurrence_torch_scan: "log-depth scan", recurrence_torch_loop: "Python loop over l",
  attention_torch_sdpa: "F.scaled_dot_product_attention", attention_torch_ops: "softmax in torch ops",
  logdepth: "log-depth scan", compiled: "torch.compile", loop: "Python loop over l",
  dplr: "DPLR (Cauchy + Woodbury + iFFT)", dense: "powers of Ā (dense)"
};

/** Which rows summarize.mjs (and so bench/gpu/README.md) sets side by side. */
export const PAIRS = {
  /** fused program → [its composite, PyTorch peers] */
  lti: [["causalConvFFT", "causalConvFFTComposite", ["fftconv_torch_fft"]],
    ["ssmRecurrentFused", "ssmRecurrentComposite", ["recurrence_torch_scan", "recurrence_torch_loop"]],
    ["softmaxAttentionFused", "softmaxAttentionComposite", ["attention_torch_sdpa", "attention_torch_ops"]]],
  /** attention.ts kernel → the PyTorch method it is compared with */
  attention: {softmax: "softmaxSdpa", linearParallel: "linearParallel", linearScan: "linearScan", linearChunked: "linearChunked",
    linearFused: "linearChunked", ssdChunked: "ssdChunked", ssdScan: "ssdScan", ssdFused: "ssdChunked"}
};

const sameTuning = (a, b) => a && b && a.workgroupSize === b.workgroupSize && a.items === b.items && a.stateGroup === b.stateGroup;
const tuningName = (t) => `${t.workgroupSize}×${t.items}×${t.stateGroup}`;
const num = (x) => (typeof x === "number" && Number.isFinite(x) ? x : null);

/**
 * Rows of one run from its parsed files ({"lti-webgpu.json": {...}, …}, any subset). Pure.
 * `run` names the folder ("h200-2026-12-02-run2"); `prefix` is the folder's path in the repository.
 */
export function runRows(run, files, prefix = `bench/gpu/results/${run}`) {
  const rows = [];
  const add = (file, r) => rows.push({run, file: `${prefix}/${file}`, ...r});
  const lw = files["lti-webgpu.json"];
  for (const c of lw?.cells ?? []) {
    add("lti-webgpu.json", {engine: "tfjs-webgpu", method: c.kernel, kernel: c.kernel, comparable: true, d: null, L: c.L, ms: num(c.ms), ...(c.note ? {note: c.note} : {})});
  }
  const lt = files["lti-torch.json"];
  for (const c of lt?.cells ?? []) {
    add("lti-torch.json", {engine: "pytorch", method: c.kernel, kernel: TORCH_PEERS[c.kernel] ?? null, comparable: true, d: null, L: c.L, ms: num(c.ms), ...(c.note ? {note: c.note} : {})});
  }
  const aw = files["attention-webgpu.json"];
  for (const c of aw?.cells ?? []) {
    add("attention-webgpu.json", {engine: "tfjs-webgpu", method: c.kernel, kernel: ATTENTION_CASES[c.kernel] ?? null, comparable: c.d === 16, d: c.d, L: c.L, ms: num(c.ms),
      ...(c.chunk ? {note: `chunk ${c.chunk}`} : {}), ...(c.note ? {note: c.note} : {})});
  }
  const at = files["attention-torch.json"];
  for (const c of at?.cells ?? []) {
    add("attention-torch.json", {engine: "pytorch", method: c.kernel, kernel: TORCH_PEERS[c.kernel] ?? null, comparable: c.d === 16, d: c.d, L: c.L, ms: num(c.ms),
      ...(c.kernel === "linearCumsum" ? {note: "no decay"} : {})});
  }
  // S4's DPLR kernel (dplr.ts / dplr.py): d holds N; the float64 JS rows ran on the GPU machine's CPU
  for (const [file, engine] of [["dplr-webgpu.json", "tfjs-webgpu"], ["dplr-torch.json", "pytorch"]]) {
    for (const c of files[file]?.cells ?? []) {
      const kernel = DPLR_CASES[c.method] ?? null;
      add(file, {engine: c.method.endsWith("F64") ? "node-js" : engine, method: c.method, kernel, comparable: kernel != null && c.N === 64, d: c.N, L: c.L, ms: num(c.ms),
        note: `HiPPO-LegS N = ${c.N}`});
    }
  }
  const sw = files["selective-webgpu.json"];
  for (const c of sw?.cells ?? []) {
    const sfx = c.d === 64 ? "" : String(c.d);
    const known = c.d === 64 || c.d === 1536;
    const base = {engine: "tfjs-webgpu", d: c.d, L: c.l};
    const fusedRow = (m, variant) => ({...base, method: "fused", kernel: known ? `selectiveScan${sfx}` : null, comparable: known && sameTuning(m.tuning, CURRENT_SELECTIVE_TUNING),
      ms: num(m.ms), gpuMs: num(m.kernelMs), tuning: m.tuning, variant, note: `tuning ${tuningName(m.tuning)}${variant ? "" : " (that run's default)"}`});
    if (c.fused) add("selective-webgpu.json", fusedRow(c.fused, false));
    for (const v of c.variants ?? []) add("selective-webgpu.json", fusedRow({...v, tuning: v.tuning}, true));
    if (c.composite) add("selective-webgpu.json", {...base, method: "composite", kernel: known ? `selectiveScanComposite${sfx}` : null, comparable: known, ms: num(c.composite.ms)});
    if (c.floor) add("selective-webgpu.json", {...base, method: "floor", kernel: null, comparable: false, ms: num(c.floor.ms), note: "one trivial op on y's size + readback"});
  }
  const st = files["selective-torch.json"];
  for (const c of st?.cells ?? []) {
    const sfx = c.d === 64 ? "" : String(c.d);
    for (const m of ["logdepth", "compiled", "loop", "floor"]) {
      if (!c[m]) continue;
      add("selective-torch.json", {engine: "pytorch", method: m, kernel: m === "floor" || !(c.d === 64 || c.d === 1536) ? null : `selectiveScan${sfx}`, comparable: m !== "floor" && (c.d === 64 || c.d === 1536),
        d: c.d, L: c.l, ms: num(c[m].ms), gpuMs: num(c[m].gpuMs)});
    }
  }
  return rows;
}

/** What the run's files say about where and when they were measured. */
export function runMeta(run, files) {
  const dates = Object.entries(files).map(([f, j]) => [f, j?.date ?? null]);
  const first = (k) => Object.values(files).map((j) => j?.[k]).find((x) => x != null) ?? null;
  const date = dates.map(([, d]) => d).filter(Boolean).sort()[0] ?? null;
  return {
    run,
    date,
    day: date ? date.slice(0, 10) : (/(\d{4}-\d{2}-\d{2})/.exec(run)?.[1] ?? null),
    device: files["selective-torch.json"]?.gpu ?? first("device") ?? null,
    torch: first("torch"),
    tfjs: first("tfjs"),
    adapter: first("adapter"),
    files: Object.keys(files).sort().map((f) => ({file: f, date: files[f]?.date ?? null, command: FILES[f] ?? null}))
  };
}

/** Reads one run folder: {meta, rows}. */
export function readRun(dir, prefix) {
  const files = {};
  for (const f of Object.keys(FILES)) if (existsSync(join(dir, f))) files[f] = JSON.parse(readFileSync(join(dir, f), "utf8"));
  const gpu = existsSync(join(dir, "gpu.txt")) ? readFileSync(join(dir, "gpu.txt"), "utf8").trim() : null;
  const run = basename(dir);
  const meta = runMeta(run, files);
  const named = gpu && /NVIDIA [^,(\n]+/.exec(gpu)?.[0].trim(); // nvidia-smi -L or --query-gpu=name
  return {meta: {...meta, device: named || meta.device, gpuTxt: gpu}, rows: runRows(run, files, prefix), files};
}

/** Every run folder under `root` (bench/gpu/results), oldest first. */
export function readRuns(root, prefix = "bench/gpu/results") {
  return readdirSync(root, {withFileTypes: true}).filter((e) => e.isDirectory()).map((e) => e.name).sort()
    .map((name) => readRun(join(root, name), `${prefix}/${name}`));
}

// ---- the tables of bench/gpu/README.md, from the rows

const f = (x) => (x == null ? "—" : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const r = (a, b) => (a != null && b != null ? `${(a / b).toFixed(2)}×` : "—");

/** The Markdown tables of one run (what summarize.mjs prints). */
export function summaryTables(rows) {
  const out = [];
  const pick = (pred) => rows.filter(pred);
  const one = (pred) => rows.find(pred) ?? null;
  const selFused = pick((x) => x.engine === "tfjs-webgpu" && x.method === "fused" && !x.variant);
  if (selFused.length && rows.some((x) => x.file.endsWith("selective-torch.json"))) {
    out.push("### Selective scan (b = 1, n = 16), ms per call with readback", "",
      "| l | d | tfjs fused (default) | its GPU time | best tuning | tfjs composite | readback floor (tfjs) | torch log-depth | its GPU time | torch.compile | torch loop | fused / torch log-depth |",
      "|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (const c of selFused) {
      const at = (x) => x.d === c.d && x.L === c.L;
      const tfjs = (m) => one((x) => at(x) && x.engine === "tfjs-webgpu" && x.method === m);
      const torch = (m) => one((x) => at(x) && x.engine === "pytorch" && x.method === m);
      const best = pick((x) => at(x) && x.engine === "tfjs-webgpu" && x.method === "fused").reduce((a, b) => (b.ms < a.ms ? b : a));
      const bt = best.tuning ?? c.tuning;
      out.push(`| ${c.L} | ${c.d} | ${f(c.ms)} | ${f(c.gpuMs)} | ${f(best.ms)} (${bt.workgroupSize}×${bt.items}×${bt.stateGroup}) | ${f(tfjs("composite")?.ms)} | ${f(tfjs("floor")?.ms)} | ${f(torch("logdepth")?.ms)} | ${f(torch("logdepth")?.gpuMs)} | ${f(torch("compiled")?.ms)} | ${f(torch("loop")?.ms)} | ${r(c.ms, torch("logdepth")?.ms)} |`);
    }
    out.push("");
  }
  const lti = pick((x) => x.file.endsWith("lti-webgpu.json"));
  if (lti.length && rows.some((x) => x.file.endsWith("lti-torch.json"))) {
    const ms = (k, L) => one((x) => x.file.endsWith("lti-webgpu.json") && x.method === k && x.L === L)?.ms ?? null;
    const tms = (k, L) => one((x) => x.file.endsWith("lti-torch.json") && x.method === k && x.L === L)?.ms ?? null;
    const sizes = [...new Set(lti.map((x) => x.L))];
    out.push("### LTI kernels and softmax attention, ms per call with readback", "",
      "| kernel | L | tfjs fused | tfjs composite | fused / composite | torch peer | torch | fused / torch |", "|---|---|---|---|---|---|---|---|");
    for (const [fused, comp, peers] of PAIRS.lti) {
      for (const L of sizes) {
        for (const p of peers) out.push(`| ${fused} | ${L} | ${f(ms(fused, L))} | ${f(ms(comp, L))} | ${r(ms(fused, L), ms(comp, L))} | ${p} | ${f(tms(p, L))} | ${r(ms(fused, L), tms(p, L))} |`);
      }
    }
    out.push("");
  }
  const aw = pick((x) => x.file.endsWith("attention-webgpu.json"));
  if (aw.length && rows.some((x) => x.file.endsWith("attention-torch.json"))) {
    const tm = (k, d, L) => one((x) => x.file.endsWith("attention-torch.json") && x.method === k && x.d === d && x.L === L)?.ms ?? null;
    out.push("### Attention, linear attention and SSD (one head, d_k = d_v = d), ms per call with readback", "",
      "| kernel | d | L | tfjs webgpu | torch peer | torch | tfjs / torch |", "|---|---|---|---|---|---|---|");
    for (const c of aw) {
      const p = PAIRS.attention[c.method];
      if (c.ms == null) continue;
      out.push(`| ${c.method} | ${c.d} | ${c.L} | ${f(c.ms)} | ${p ?? "—"} | ${f(p ? tm(p, c.d, c.L) : null)} | ${r(c.ms, p ? tm(p, c.d, c.L) : null)} |`);
    }
    out.push("");
  }
  return out.join("\n");
}
