// Long use: 500 seeded control moves per page and backend in headless Chromium against the
// built site (dist/, or SSM_OUT). Prints what the page holds after its first redraw and after
// the moves (after a forced GC): tf.memory() numTensors, numBytes and the GPU bytes the
// backend reports (in use / allocated, i.e. its buffer or texture pool), the JS heap, DOM
// nodes and listeners, and any console error. Numbers, never assertions.
//   node bench/longuse.mjs [--page=hippo] [--moves=500] [--backends=cpu,webgl,webgpu] [--json=out.json]
import {writeFileSync} from "node:fs";
import {launch, serve} from "../test/browser/harness.mjs";
import {makeMoves, randomMoves, settle, snapshot} from "../test/browser/longuse.mjs";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const MOVES = Number(args.moves ?? 500);
const BACKENDS = (args.backends ?? "cpu,webgl,webgpu").split(",");

/** Per page: its path, what to wait for, and the controls the moves are drawn from. */
export const PAGES = {
  hippo: {
    path: "/hippo",
    ready: ".ssm-figure .ssm-figure-chart svg .ssm-series",
    controls: {
      tc: {min: 0.01, max: 1, step: 0.001},
      N: {min: 1, max: 64, step: 1},
      delta: {min: -3, max: Math.log10(0.2), step: 0.01}, // the log slider's thumb (log10 Δ)
      T: {min: 1, max: 20, step: 0.5},
      theta: {min: 0.2, max: 5, step: 0.1},
      measure: {options: ["legt", "legs", "lagt", "fout"]}
    },
    // in the page: true once the deferred tensor check has caught up with the state on screen
    done: () => {
      const main = document.querySelector('.ssm-readout[data-readout="main"]'), check = document.querySelector('.ssm-readout[data-readout="check"]');
      return !main || !main.dataset.key || (check && main.dataset.key === check.dataset.key);
    }
  }
};

async function settled(page, spec) {
  await settle(page);
  if (spec.done) await page.waitForFunction(spec.done, null, {timeout: 120_000}).catch(() => console.error("    (the page's deferred work did not finish in 120 s)"));
}

const MB = (b) => (b == null ? "—" : (b / 2 ** 20).toFixed(2));
const pages = args.page ? [args.page] : Object.keys(PAGES);
const server = await serve(process.env.SSM_OUT ?? "dist");
const browser = await launch();
const report = {moves: MOVES, chromium: browser.version(), runs: []};
try {
  for (const name of pages) {
    const spec = PAGES[name];
    for (const backend of BACKENDS) {
      const context = await browser.newContext({viewport: {width: 1280, height: 900}});
      const page = await context.newPage();
      const errors = [];
      page.on("console", (m) => { if (m.type() === "error" || /synchronously reading/.test(m.text())) errors.push(m.text()); });
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`${server.origin}${spec.path}?backend=${backend}`);
      await page.waitForSelector(spec.ready, {timeout: 120_000});
      await settled(page, spec);
      const before = await snapshot(page);
      const moves = randomMoves(spec.controls, MOVES, 2026), run = {moves: 0, ms: 0, slowest: 0};
      for (let i = 0; i < moves.length; i += 50) { // in batches, with progress
        const r = await makeMoves(page, moves.slice(i, i + 50));
        run.moves += r.moves; run.ms += r.ms; run.slowest = Math.max(run.slowest, r.slowest);
        console.error(`    ${name} ${backend}: ${run.moves} moves, ${(run.ms / 1000).toFixed(0)} s`);
      }
      await settled(page, spec);
      const after = await snapshot(page);
      report.runs.push({page: name, backend, before, after, run, errors});
      console.error(`  ${name} ${backend} (${before.backend}): ${run.moves} moves in ${(run.ms / 1000).toFixed(0)} s, slowest ${run.slowest.toFixed(0)} ms`);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}

console.log(`\nLong use: ${MOVES} seeded moves per page (before = after the first redraw, after = after the moves; MB after a forced GC)`);
const head = ["page", "backend", "tensors", "numBytes MB", "GPU in use MB", "GPU allocated MB", "JS heap MB", "DOM nodes", "listeners", "slowest ms", "errors"];
console.log(head.join(" | "));
for (const r of report.runs) {
  const pair = (f) => `${f(r.before)} → ${f(r.after)}`;
  console.log([r.page, r.before.backend ?? r.backend, pair((s) => s.numTensors), pair((s) => MB(s.numBytes)), pair((s) => MB(s.numBytesInGPU)),
    pair((s) => MB(s.numBytesInGPUAllocated)), pair((s) => MB(s.jsHeap)), pair((s) => s.nodes), pair((s) => s.listeners),
    r.run.slowest.toFixed(0), r.errors.length ? `${r.errors.length}: ${r.errors[0].slice(0, 100)}` : "0"].join(" | "));
}
if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2));
