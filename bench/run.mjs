// `npm run bench`: times every contract kernel at L ∈ {256, 1024, 4096, 16384} on cpu and
// wasm (Node, via tsx) and on webgl and webgpu (headless Chromium, esbuild bundle), beside a
// plain JavaScript Float32Array loop in the same process. Prints a table and writes
// bench/results/latest.json. Numbers, never assertions.
//   node bench/run.mjs [--quick] [--only=cpu,webgl] [--kernels=PATTERN[,PATTERN…]] [--out=file.json]
// --kernels runs only the kernels whose name matches a pattern (case-insensitive): e.g.
// --kernels=selective runs the selective-scan rows (fused, composite; d = 64 and 1536), which
// also time a numpy loop over l (bench/numpy_selective.py) and print a summary table. A run of
// some kernels only is saved beside the full run (results/kernels-….json) or where --out says.
//   node bench/run.mjs --gpu [ARGS]   the Node + Dawn (WebGPU) entry instead: bench/gpu/lti-main.ts,
//                                     on this machine's GPU through the `webgpu` package (see there)
// The larger sizes of a kernel on a backend are skipped once a cell takes more than
// BENCH_CAP_MS per call (default 3000; first call with shader compiles: 4x that), or when
// the next size is predicted (linear or quadratic growth) to take more than 8 s; attention is not run above L = 4096 (l² memory).
import {spawnSync} from "node:child_process";
import {mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {rm} from "node:fs/promises";
import {cpus, totalmem} from "node:os";
import {launch, serve} from "../tools/browser/harness.mjs";
import {ROOT, buildPage} from "../tools/browser/bundle.mjs";
import {benchTable, fmtMs, textTable} from "../src/lessons/benchTable.js";

const args = process.argv.slice(2);
if (args.includes("--gpu")) {
  // Node + Dawn: needs the `webgpu` package (npm i --no-save webgpu@0.6.2) and a Vulkan driver.
  const rest = args.filter((a) => a !== "--gpu");
  const r = spawnSync(process.execPath, ["--import", "tsx", "--import", "./bench/gpu/dawn-setup.mjs", "bench/gpu/lti-main.ts", ...rest],
    {cwd: ROOT, stdio: "inherit"});
  process.exit(r.status ?? 1);
}
const quick = args.includes("--quick");
const only = args.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const SIZES = quick ? [256, 1024] : [256, 1024, 4096, 16384];
const CAP_MS = Number(process.env.BENCH_CAP_MS ?? 3000);
const from = args.find((a) => a.startsWith("--from="))?.slice(7); // re-print a saved run
const kernelsArg = args.find((a) => a.startsWith("--kernels="));
const kernelRe = kernelsArg ? new RegExp(kernelsArg.slice(10).split(",").join("|"), "i") : null;
const want = (b) => !from && (!only || only.includes(b));
const started = Date.now();
const cells = [];
const notes = [];

// ---- Node: cpu and wasm, one child process each (the JS loop is timed in the cpu run)
for (const backend of ["cpu", "wasm"].filter(want)) {
  console.error(`# ${backend} (Node ${process.version})`);
  const r = spawnSync(process.execPath, ["--import", "tsx", "bench/node.ts", backend, ...(backend === "cpu" || !want("cpu") ? ["--js"] : []), ...(quick ? ["--quick"] : []), ...(kernelsArg ? [kernelsArg] : [])],
    {cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 26, env: {...process.env, BENCH_CAP_MS: String(CAP_MS)}});
  if (r.status !== 0) { notes.push(`${backend}: runner failed (exit ${r.status})`); continue; }
  for (const c of JSON.parse(r.stdout)) cells.push({...c, env: "node"});
}

// ---- Chromium: webgl and webgpu (software: SwiftShader), one page per backend
const gpuBackends = ["webgl", "webgpu"].filter(want);
if (gpuBackends.length) {
  const dir = await buildPage("bench/browser-entry.ts", {title: "bench"});
  const server = await serve(dir);
  const browser = await launch();
  try {
    let jsDone = false;
    for (const backend of gpuBackends) {
      console.error(`# ${backend} (Chromium ${browser.version()})`);
      const page = await browser.newPage();
      page.setDefaultTimeout(300_000);
      await page.goto(`${server.origin}/index.html`);
      await page.waitForFunction(() => window.bench != null);
      const init = await page.evaluate((b) => window.bench.init(b), backend);
      if (!init.ok) {
        notes.push(`${backend}: rejected (${init.reason}); no numbers`);
        console.error(`  ${backend} rejected: ${init.reason}`);
        await page.close();
        continue;
      }
      for (const kernel of (await page.evaluate(() => window.bench.kernels())).filter((k) => !kernelRe || kernelRe.test(k))) {
        let stop = "";
        let prev = null;
        for (const L of SIZES) {
          if (!stop && prev?.ms != null) stop = await page.evaluate((a) => window.bench.skipReason(...a), [kernel, prev.L, prev.ms, prev.firstMs ?? 0, L, CAP_MS]);
          let cell;
          if (stop) cell = {kernel, backend, L, ms: null, reps: 0, firstMs: null, jsMs: null, note: stop};
          else {
            try {
              cell = await page.evaluate(([k, l, js]) => window.bench.cell(k, l, js), [kernel, L, !jsDone]);
            } catch (e) {
              cell = {kernel, backend, L, ms: null, reps: 0, firstMs: null, jsMs: null, note: `error: ${String(e.message).split("\n")[0].slice(0, 120)}`};
            }
          }
          cells.push({...cell, env: "chromium"});
          console.error(`  ${backend.padEnd(6)} ${kernel.padEnd(24)} L=${String(L).padEnd(5)} ${cell.ms == null ? "—" : cell.ms.toFixed(2) + " ms"}` +
            `${cell.jsMs != null ? ` (JS ${cell.jsMs.toFixed(2)} ms)` : ""}${cell.note ? ` ${cell.note}` : ""}`);
          prev = cell;
        }
      }
      jsDone = true;
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
    await rm(dir, {recursive: true, force: true});
  }
}

// ---- numpy: a loop over l, vectorised over (d, n), at the selective-scan sizes
let numpyCells = [];
if (!from && (!kernelRe || kernelRe.test("selectiveScan"))) {
  const want = [...SIZES.map((L) => `${L}:64`), ...SIZES.filter((L) => L <= 4096).map((L) => `${L}:1536`)];
  console.error("# numpy (python3 bench/numpy_selective.py)");
  const r = spawnSync("python3", ["bench/numpy_selective.py", ...want], {cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"]});
  if (r.status === 0) numpyCells = JSON.parse(r.stdout).cells;
  else notes.push(`numpy selective loop: failed (exit ${r.status})`);
}

// ---- table
let saved = null;
if (from) {
  saved = JSON.parse(readFileSync(from, "utf8"));
  cells.push(...saved.cells);
  notes.push(...saved.notes.filter((n) => !/ on \w+: /.test(n)));
}
const backends = ["cpu", "wasm", "webgl", "webgpu"].filter((b) => cells.some((c) => c.backend === b));
const get = (k, b, L) => cells.find((c) => c.kernel === k && c.backend === b && c.L === L);
const js = (k, env, L) => cells.find((c) => c.kernel === k && c.env === env && c.L === L && c.jsMs != null)?.jsMs ?? null;
const fmt = fmtMs;
// The same table as the /lab page's (src/lessons/benchTable.js)
const table = textTable(benchTable(cells, SIZES));
const cellNotes = [...new Set(cells.filter((c) => c.note).map((c) => `${c.kernel} on ${c.backend}: ${c.note}`))];
console.log(`\nMedian ms per call incl. readback; "b/JS" = backend time / plain JS loop time in the same process (< 1x: tfjs wins).` +
  `\nChromium's performance.now() is coarsened to 0.1 ms: small JS chromium times are quantised.`);
console.log(`Shapes: ${Object.entries({linearScan: "(L,64)", selectiveScan: "b=1,d=64,n=16", ssmRecurrent: "n=16", ssmKernel: "n=16", causalConv: "u,K (L)", attention: "d_k=d_v=16, causal; linearAttention elu1, decay 0.99", ssd: "b=1, h=1, p=n=16, a in [-0.05, 0]; chunked: chunk 64; fused: WebGPU scan with chunk about sqrt(L), a loop on cpu/wasm", "dplrKernel, ssmKernelLegS": "HiPPO-LegS N=64, bilinear Δ=0.01 (S4 DPLR vs powers of Ā)"}).map(([k, v]) => `${k} ${v}`).join("; ")}` +
  `\nNames: X = the fastest path per backend and L (what the site calls), XFused = the webgl/webgpu program, XComposite = tfjs ops; causalConvFFT is fused on webgl/webgpu.`);
console.log(table);
// The selective scan side by side: composite vs fused per backend, the JS loop, numpy's loop.
const selRows = [];
for (const d of [64, 1536]) {
  for (const L of SIZES) {
    const sfx = d === 64 ? "" : String(d);
    const np = (from ? saved?.numpy ?? [] : numpyCells).find((c) => c.L === L && c.d === d);
    const row = [String(L), String(d), ...backends.flatMap((b) => [fmt(get(`selectiveScanComposite${sfx}`, b, L)?.ms), fmt(get(`selectiveScan${sfx}`, b, L)?.ms)]),
      fmt(js(`selectiveScan${sfx}`, "node", L)), fmt(js(`selectiveScan${sfx}`, "chromium", L)), fmt(np?.ms)];
    if (row.slice(2).some((x) => x !== "—")) selRows.push(row);
  }
}
if (selRows.length) {
  const h = ["L", "d", ...backends.flatMap((b) => [`${b} comp`, `${b} fused`]), "JS node", "JS chromium", "numpy loop"];
  const w = h.map((x, i) => Math.max(x.length, ...selRows.map((r) => r[i].length)));
  const ln = (r) => r.map((x, i) => x.padStart(w[i])).join("  ");
  console.log(`\nSelective scan (b=1, n=16), median ms incl. readback: composite ops vs the fused kernel, the plain JS loop, numpy looping over l`);
  console.log([ln(h), w.map((x) => "-".repeat(x)).join("  "), ...selRows.map(ln)].join("\n"));
}
for (const n of [...notes, ...cellNotes]) console.log(`note: ${n}`);
const elapsed = (Date.now() - started) / 1000;
console.log(`total ${elapsed.toFixed(0)} s on ${cpus().length} cores`);

if (from) process.exit(0);
const outArg = args.find((a) => a.startsWith("--out="))?.slice(6);
mkdirSync(new URL("./results/", import.meta.url), {recursive: true});
// A run of some kernels only (--kernels) is saved beside the full run, not over it.
const outName = kernelRe ? `kernels-${kernelsArg.slice(10).replace(/[^\w-]+/g, "_")}` : "latest";
writeFileSync(outArg ?? new URL(`./results/${outName}.json`, import.meta.url), JSON.stringify({
  date: new Date().toISOString(), node: process.version, cores: cpus().length, memGiB: +(totalmem() / 2 ** 30).toFixed(1),
  sizes: SIZES, capMs: CAP_MS, elapsedS: elapsed, notes: [...notes, ...cellNotes], table, cells, numpy: numpyCells
}, null, 1));
