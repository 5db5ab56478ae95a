// Page 8's lesson (src/lessons/lab.ts): slope fits, crossovers, the plan, the measuring loop
// (stops, leaks nothing, goes back to its backend) and the tables, with the reference rows of
// bench/gpu/reference.mjs (the module the page's data loader and bench/gpu/summarize.mjs share).
import * as tf from "@tensorflow/tfjs";
import {describe, expect, it} from "vitest";
import {
  crossoverRows, crossovers, exportRows, fitSlope, labPlan, labSkip, numpySeries, planSize, readerSeries, readerTable,
  referenceSeries, referenceTable, runFor, runLab, runSummary, type LabData, type LabCell
} from "../../src/lessons/lab.js";
import {benchTable, textTable} from "../../src/lessons/benchTable.js";
import {cases} from "../../src/lessons/benchCases.js";
import {WEBGPU_DEFAULTS} from "../../src/kernels/index.js";
// @ts-expect-error plain JS module without types (Node only)
import {CURRENT_SELECTIVE_TUNING, readRuns, summaryTables} from "../../bench/gpu/reference.mjs";
import {readFileSync} from "node:fs";

const root = new URL("../../", import.meta.url).pathname;
const data: LabData = {
  runs: readRuns(`${root}bench/gpu/results`).map(({meta, rows}: any) => ({meta, rows})),
  numpy: {...JSON.parse(readFileSync(`${root}bench/results/numpy-lab.json`, "utf8")), file: "bench/results/numpy-lab.json"}
};
const power = (c: number, k: number, Ls: number[]) => Ls.map((L) => ({L, y: c * L ** k}));

describe("lab lesson: fits and crossovers", () => {
  it("fitSlope(points) recovers the exponent and constant of a power law", () => {
    const f = fitSlope(power(3e-4, 2, [64, 256, 1024, 4096]))!;
    expect(f.slope).toBeCloseTo(2, 10);
    expect(10 ** f.intercept).toBeCloseTo(3e-4, 12);
    expect(f.n).toBe(4);
  });

  it("fitSlope(points) ignores non-positive times and needs two lengths", () => {
    expect(fitSlope([{L: 64, y: 1}])).toBeNull();
    expect(fitSlope([{L: 64, y: 1}, {L: 64, y: 2}])).toBeNull();
    expect(fitSlope([{L: 64, y: 1}, {L: 128, y: 0}, {L: 256, y: 4}])!.slope).toBeCloseTo(1, 10);
  });

  it("crossovers(a, b) interpolates the crossing of L and L² on log-log axes", () => {
    // a = L (linear), b = L²/1000: equal at L = 1000; b is faster below
    const a = {key: "a", points: power(1, 1, [256, 1024, 4096])}, b = {key: "b", points: power(1e-3, 2, [256, 1024, 4096])};
    const c = crossovers(a, b);
    expect(c).toHaveLength(1);
    expect(c[0].L).toBeCloseTo(1000, 6);
    expect(c[0]).toMatchObject({below: "b", above: "a"});
  });

  it("crossovers(a, b) finds none when one is always faster, and uses only common lengths", () => {
    expect(crossovers({key: "a", points: power(1, 1, [256, 1024])}, {key: "b", points: power(2, 1, [256, 1024])})).toEqual([]);
    const c = crossovers({key: "a", points: power(1, 1, [256, 1024, 4096, 16384])}, {key: "b", points: power(1e-3, 2, [256, 16384])});
    expect(c[0].L).toBeCloseTo(1000, 6);
  });

  it("crossovers(a, b) steps over a tie at a measured length", () => {
    const a = {key: "a", points: [{L: 1, y: 1}, {L: 2, y: 2}, {L: 4, y: 3}]};
    const b = {key: "b", points: [{L: 1, y: 2}, {L: 2, y: 2}, {L: 4, y: 2}]};
    expect(crossovers(a, b)).toHaveLength(1);
  });

  it("crossoverRows pairs a kernel across backends, with its JS loop, and within its family on one backend", () => {
    const cell = (kernel: string, backend: string, L: number, ms: number, jsMs: number | null = null): LabCell =>
      ({kernel, shape: "", backend, L, ms, reps: 1, firstMs: ms, jsMs, env: "chromium"});
    const cells = [256, 1024, 4096].flatMap((L) => [
      cell("ssmRecurrent", "cpu", L, L / 200, L / 2000), cell("ssmConvolution", "cpu", L, 2 + L / 1000),
      cell("ssmRecurrent", "webgl", L, 5), cell("softmaxAttention", "cpu", L, L * L / 1e6)]);
    const rows = crossoverRows(readerSeries(cells));
    const pairs = rows.map((r) => `${r.a} | ${r.b}`);
    expect(pairs).toContain("recurrence (LTI, n = 16) · webgl | recurrence (LTI, n = 16) · cpu");
    expect(pairs).toContain("recurrence (LTI, n = 16) · cpu | recurrence (LTI, n = 16) · plain JS loop");
    expect(pairs).toContain("recurrence (LTI, n = 16) · cpu | kernel K̄ + FFT convolution · cpu");
    expect(pairs.some((p) => p.includes("softmax") && p.includes("recurrence"))).toBe(false);
    const recConv = rows.find((r) => r.b === "kernel K̄ + FFT convolution · cpu")!;
    expect(recConv.crossings).toHaveLength(1);
    expect(recConv.crossings[0].L).toBeGreaterThan(256);
    expect(recConv.crossings[0].L).toBeLessThan(1024);
    expect(recConv.text).toMatch(/recurrence .* faster below L ≈ \d+, kernel K̄/);
    const js = rows.find((r) => r.a.endsWith("· cpu") && r.b.includes("plain JS"))!;
    expect(js.text).toMatch(/plain JS loop is faster at every length measured \(10\.0× at L = 256/);
  });
});

describe("lab lesson: plan and measuring loop", () => {
  it("labPlan keeps known names in page order and says what is missing", () => {
    const {plan, problems} = labPlan({kernels: ["ssd", "ssmRecurrent", "nope"], sizes: ["4096", 256, 999], backends: ["cpu", "webgl"]});
    expect(plan).toEqual({kernels: ["ssmRecurrent", "ssd"], sizes: [256, 4096], backends: ["webgl", "cpu"]});
    expect(problems).toEqual([]);
    expect(planSize(plan)).toBe(8);
    expect(labPlan({kernels: [], sizes: [], backends: []}).problems).toHaveLength(3);
  });

  it("labSkip stops after a slow cell and before a predicted slow one", () => {
    expect(labSkip("ssmRecurrent", 256, 10, 20, 1024, 1500)).toBe("");
    expect(labSkip("ssmRecurrent", 256, 2000, 20, 1024, 1500)).toMatch(/already took 2000 ms per call/);
    expect(labSkip("ssmRecurrent", 64, 10, 19000, 256, 1500)).toBe(""); // a slow first call (shader compiles) alone does not stop
    expect(labSkip("ssmRecurrent", 64, 10, 40000, 256, 1500)).toMatch(/first call .* took 40 s/);
    expect(labSkip("causalConvDirect", 1024, 500, 600, 4096, 1500)).toMatch(/predicted 8000 ms/);
  });

  const switchBackend = async (name: string) => {
    const ok = await tf.setBackend(name);
    return {name, ok, reason: ok ? "ok" : "no", software: null, description: ""};
  };
  const small = () => cases().filter((d) => d.kernel === "ssmRecurrent" || d.kernel === "causalConvDirect");

  it("runLab measures every cell of a small plan on cpu, with JS loop and peak bytes, leaking nothing", async () => {
    await tf.setBackend("cpu");
    const progress: number[] = [];
    const run = await runLab({kernels: ["ssmRecurrent", "causalConvDirect"], sizes: [64, 128], backends: ["cpu"]},
      {signal: {aborted: false}, switchBackend, defs: small(), onProgress: (p) => progress.push(p.done)});
    expect(run.cells.map((c) => `${c.kernel}:${c.L}`)).toEqual(["ssmRecurrent:64", "ssmRecurrent:128", "causalConvDirect:64", "causalConvDirect:128"]);
    for (const c of run.cells) {
      expect(c.ms).toBeGreaterThan(0);
      expect(c.jsMs).toBeGreaterThanOrEqual(0);
      expect(c.peakBytes).toBeGreaterThanOrEqual(c.L * 4); // at least the output
    }
    expect(progress[progress.length - 1]).toBe(4);
    expect(run.stopped).toBe(false);
    expect(run.tensorsAfter).toBe(run.tensorsBefore);
    expect(runSummary(run)).toMatch(/^Done: 4 of 4 cells measured on cpu\./);
  });

  it("runLab stops at the next call once the signal is aborted, and goes back to its backend", async () => {
    await tf.setBackend("cpu");
    const signal = {aborted: false};
    const run = await runLab({kernels: ["ssmRecurrent", "causalConvDirect"], sizes: [64, 128, 256], backends: ["wasm-missing", "cpu"]},
      {signal, switchBackend: async (n) => (n === "cpu" ? switchBackend(n) : {name: n, ok: false, reason: "not registered", software: null, description: ""}),
        defs: small(), onCell: () => { signal.aborted = true; }});
    expect(run.stopped).toBe(true);
    expect(run.cells).toHaveLength(1);
    expect(run.notes).toEqual(["wasm-missing: not used (not registered)"]);
    expect(tf.getBackend()).toBe("cpu");
    expect(run.tensorsAfter).toBe(run.tensorsBefore);
  });
});

describe("lab lesson: tables and reference rows", () => {
  const cells: LabCell[] = [
    {kernel: "ssmRecurrent", shape: "n=16", backend: "cpu", L: 256, ms: 11, reps: 5, firstMs: 20, jsMs: 1.5, env: "chromium", peakBytes: 4096},
    {kernel: "ssmRecurrent", shape: "n=16", backend: "webgl", L: 256, ms: 30, reps: 5, firstMs: 90, jsMs: 1.5, env: "chromium"}];

  it("readerTable prints the columns and numbers of npm run bench's table", () => {
    const t = readerTable(cells);
    expect(t).toEqual(benchTable(cells));
    expect(t.header).toEqual(["kernel", "L", "cpu ms", "webgl ms", "JS chromium ms", "cpu/JS", "webgl/JS"]);
    expect(t.rows).toEqual([["ssmRecurrent", "256", "11.0", "30.0", "1.50", "7.3x", "20x"]]);
    // npm run bench's cells run their cpu/wasm rows in Node: both JS columns, each ratio against its own process
    const both = benchTable([{...cells[0], env: "node", jsMs: 2}, cells[1]]);
    expect(both.header).toEqual(["kernel", "L", "cpu ms", "webgl ms", "JS node ms", "JS chromium ms", "cpu/JS", "webgl/JS"]);
    expect(both.rows[0].slice(4)).toEqual(["2.00", "1.50", "5.5x", "20x"]);
    expect(textTable(t).split("\n")).toHaveLength(3);
  });

  it("the H200 reference: the selective scan tuning of the site is the one its rows call current", () => {
    expect(CURRENT_SELECTIVE_TUNING).toEqual({workgroupSize: WEBGPU_DEFAULTS.workgroupSize, items: WEBGPU_DEFAULTS.items, stateGroup: WEBGPU_DEFAULTS.stateGroup});
  });

  it("referenceSeries and referenceTable take the newest run's rows of the case's own shape", () => {
    const run = runFor(data, "ssmRecurrent")!;
    expect(run.meta.run).toBe("h200-2026-12-02-run2"); // run3 measured the DPLR kernels only
    expect(runFor(data, "dplrKernel")!.meta.run).toBe("h200-2026-12-02-run3");
    expect(runFor(data, "ssmConvolution")).toBeNull();
    const s = referenceSeries(data, ["ssmRecurrent", "softmaxAttention"]);
    expect(s.every((x) => x.source === "h200-tfjs" || x.source === "h200-torch")).toBe(true);
    expect(s.some((x) => x.engine === "H200 PyTorch" && x.label.includes("log-depth scan") === false && x.label.includes("recurrence_torch_scan"))).toBe(true);
    const rec = s.find((x) => x.kernel === "ssmRecurrent" && x.source === "h200-tfjs")!;
    const file = run.rows.filter((r: any) => r.file.endsWith("lti-webgpu.json") && r.method === "ssmRecurrent");
    expect(rec.points).toEqual(file.map((r: any) => ({L: r.L, y: r.ms})));
    const t = referenceTable(data, ["ssmRecurrent"]);
    expect(t.rows.length).toBe(2 * file.length); // two PyTorch peers per length
    const r = t.rows.find((x) => x[2] === "4096" && x[4] === "recurrence_torch_scan")!;
    expect(r[1]).toBe("h200-2026-12-02-run2");
    const torch = run.rows.find((x) => x.method === "recurrence_torch_scan" && x.L === 4096)!.ms!;
    expect(r[6]).toBe(`${(file.find((x) => x.L === 4096)!.ms! / torch).toFixed(2)}×`);
  });

  it("attention rows at d = 64 and selective rows of other tunings are not set beside the reader's", () => {
    const rows = data.runs.find((r) => r.meta.run.endsWith("run2"))!.rows;
    expect(rows.some((r: any) => r.d === 64 && r.kernel === "softmaxAttention" && !r.comparable)).toBe(true);
    const s = referenceSeries(data, ["selectiveScan"]);
    const pts = s.filter((x) => x.source === "h200-tfjs").flatMap((x) => x.points);
    expect(pts.length).toBeGreaterThan(0);
    expect(new Set(pts.map((p) => p.L)).size).toBe(pts.length); // one tuning: one time per length
  });

  it("summaryTables(rows) prints the README's three tables", () => {
    const md = summaryTables(data.runs.find((r) => r.meta.run.endsWith("run2"))!.rows);
    expect(md.match(/^### /gm)).toHaveLength(3);
    expect(md).toMatch(/\| causalConvFFT \| 4096 \|/);
  });

  it("the DPLR rows of run 3: N = 64 beside the reader's, the device named from gpu.txt", () => {
    const s = referenceSeries(data, ["dplrKernel", "ssmKernelLegS"]);
    expect(s.map((x) => x.label)).toEqual([
      "S4's DPLR kernel (LegS, N = 64) · H200 tfjs-webgpu (Dawn) (dplr)", "S4's DPLR kernel (LegS, N = 64) · H200 PyTorch (dplr)",
      "kernel K̄ by powers of Ā (LegS, N = 64) · H200 tfjs-webgpu (Dawn) (dense)", "kernel K̄ by powers of Ā (LegS, N = 64) · H200 PyTorch (dense)"]);
    expect(s.every((x) => x.points.length === 3)).toBe(true);
    expect(runFor(data, "dplrKernel")!.meta.device).toBe("NVIDIA H200");
  });

  it("exportRows keeps the reader's rows apart from the reference rows, each with where and when", () => {
    const rows = exportRows({cells, date: "2026-12-02T03:00:00Z"}, data, "Chromium, cpu");
    const mine = rows.filter((r) => r.where.startsWith("this device"));
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatchObject({measured: "2026-12-02T03:00:00Z", engine: "tfjs-cpu", peakBytes: 4096, source: "measured on this page"});
    const ref = rows.filter((r) => r.where.startsWith("reference"));
    expect(ref.length).toBeGreaterThan(0);
    expect(ref.every((r) => r.kernel === "ssmRecurrent" && r.measured.startsWith("2026-12-02"))).toBe(true);
    expect(ref.some((r) => r.engine.startsWith("numpy"))).toBe(true);
    expect(ref.some((r) => r.where.includes("H200"))).toBe(true);
    expect(numpySeries(data, ["ssmRecurrent", "ssmConvolution"]).map((s) => s.kernel)).toEqual(["ssmRecurrent"]);
  });
});
