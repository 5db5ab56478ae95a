// Long use: N slider moves on each page and backend, in headless Chromium against dist/.
// Prints, per page and backend: tensors alive before/after (tf.memory().numTensors), the
// backend's bytes (numBytes; numBytesInGPU and numBytesInGPUAllocated where the backend
// reports them, i.e. its buffer or texture pool), JS heap, DOM nodes and listeners (after a
// forced garbage collection), console errors and tfjs's synchronous-read warning.
//   node bench/longuse.mjs [--moves 500] [--warm 50] [--clicks 20] [--pages /continuous,/views] [--backends cpu,webgl,webgpu]
// Each row: tensors and heap after the warm-up → after the moves; GPU bytes allocated on load →
// after the warm-up → after; elements in the document and nodes in detached trees that JS still
// holds (DOM.getDetachedDomNodes), warm-up → after.
// Pages listed in SPECS get seeded moves over their own controls (selects included), each
// move waiting until the page is quiet, and "after" waits for the page's deferred work; other
// pages cycle through every range slider, a seeded random position one frame apart.
import {openPage, serve, launch} from "../tools/browser/harness.mjs";
import {makeMoves, randomMoves, settle, snapshot} from "../tools/browser/longuse.mjs";
import {walk} from "../src/walk.js";
import {existsSync} from "node:fs";

const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : dflt; };
const MOVES = Number(arg("moves", 500));
const PAGES = arg("pages", walk.map((s) => s.path).filter((p) => existsSync(`src${p}.md`)).join(",")).split(",");
const BACKENDS = arg("backends", "cpu,webgl,webgpu").split(",");

/** Pages with their own moves: controls ({min, max, step} of a range input, or {options}) and deferred work. */
export const SPECS = {
  "/discretization": {
    controls: {
      delta: {min: -4, max: 1, step: 0.01}, // the log slider's thumb (log10 Δ)
      sys: {options: ["scalar", "2x2"]},
      lambda: {min: -10, max: 2, step: 0.01},
      sigma: {min: -5, max: 1, step: 0.01},
      omega: {min: 0, max: 10, step: 0.05},
      input: {options: ["step", "impulse", "sine", "square", "noise", "co2", "seattle"]},
      T: {min: 1, max: 60, step: 1}
    },
    // in the page: the tensor check after a rest has caught up (it is the last thing drawn)
    done: () => !!document.querySelector('.ssm-readout[data-deferred="kernel check"]')
  },
  "/hippo": {
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

/**
 * Buttons pressed `--clicks` times after the moves (default 20), each press waiting until its
 * work is done: /views' cost measurement, /lab's Run on two kernels at two lengths. Training
 * buttons have their own script (bench/trainstop.mjs).
 */
export const BUTTONS = {
  "/views": {selector: ".views-measure",
    done: () => !document.querySelector(".views-measure").disabled && /^Measured on/.test(document.querySelector(".views-cost-status").textContent)},
  "/lab": {selector: ".lab-go", query: "&kernels=ssmRecurrent,causalConvDirect&L=64,256",
    done: () => ["done", "stopped"].includes(document.querySelector(".lab-status")?.dataset.done ?? "")}
};
const CLICKS = Number(arg("clicks", 20));
const WARM = Number(arg("warm", 50));

/** The snapshot with the field names of the first version of this script too (tensors, bytes, gpu, gpuAllocated, heap). */
const named = (s) => ({...s, tensors: s.numTensors, bytes: s.numBytes, gpu: s.numBytesInGPU, gpuAllocated: s.numBytesInGPUAllocated, heap: s.jsHeap});

async function settled(page, spec) {
  await settle(page);
  if (spec?.done) await page.waitForFunction(spec.done, null, {timeout: 120_000}).catch(() => console.error("  (the page's deferred work did not finish in 120 s)"));
}

/** Every range slider in turn, each to a seeded random position, one frame apart. */
function cycleSliders(page, moves, seed = 12345) {
  return page.evaluate(async ({moves, seed}) => {
    let s = seed;
    const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
    const sliders = [...document.querySelectorAll(".ssm-control input[type=range]")];
    for (let i = 0; i < moves && sliders.length; i++) {
      const el = sliders[i % sliders.length], lo = Number(el.min), hi = Number(el.max);
      el.value = String(lo + (hi - lo) * rand());
      el.dispatchEvent(new Event("input", {bubbles: true}));
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    }
  }, {moves, seed});
}

const server = await serve(process.env.SSM_OUT ?? "dist");
const browser = await launch();
const rows = [];
for (const path of PAGES) {
  const spec = SPECS[path];
  for (const backend of BACKENDS) {
    const button = BUTTONS[path];
    const {page, context, errors} = await openPage(browser, server.origin, `${path}?backend=${backend}${button?.query ?? ""}`);
    page.on("console", (m) => { if (/synchronously reading/.test(m.text())) errors.push(m.text()); });
    try {
      await page.waitForSelector(".ssm-figure, .lab-go", {timeout: 90_000});
      const used = await page.$eval(".ssm-backend-badge", (b) => b.dataset.backend);
      await page.waitForTimeout(2000);
      await settled(page, spec);
      // first: the page as loaded; warm: after WARM moves (every size and cache met once);
      // after: after MOVES more moves and CLICKS presses of the page's button.
      const first = named(await snapshot(page));
      const move = async (n, seed) => {
        if (spec) {
          const moves = randomMoves(spec.controls, n, seed);
          for (let i = 0; i < moves.length; i += 50) await makeMoves(page, moves.slice(i, i + 50)); // in batches
        } else {
          await cycleSliders(page, n, seed);
        }
      };
      await move(WARM, 7);
      await page.waitForTimeout(1000);
      await settled(page, spec);
      const before = named(await snapshot(page));
      const t0 = Date.now();
      await move(MOVES, 2026);
      let clicks = 0;
      if (button) {
        for (; clicks < CLICKS; clicks++) {
          await page.click(button.selector);
          await page.waitForTimeout(100);
          await page.waitForFunction(button.done, null, {timeout: 300_000});
        }
      }
      await page.waitForTimeout(3000);
      await settled(page, spec);
      const after = named(await snapshot(page));
      rows.push({path, backend: used, warm: WARM, moves: MOVES, clicks, seconds: (Date.now() - t0) / 1000, first, before, after, errors: errors.slice(0, 3)});
      const mb = (x) => (x == null ? "—" : (x / 1e6).toFixed(1));
      const gpu = (x) => mb(x.numBytesInGPUAllocated ?? x.numBytesInGPU);
      console.log(`${path.padEnd(18)} ${used.padEnd(7)} tensors ${before.numTensors}→${after.numTensors}  GPU ${gpu(first)}→${gpu(before)}→${gpu(after)} MB  ` +
        `heap ${mb(before.jsHeap)}→${mb(after.jsHeap)} MB  elements ${before.attached}→${after.attached}  detached ${before.detachedNodes}→${after.detachedNodes}  ` +
        `listeners ${before.listeners}→${after.listeners}  ${clicks ? `clicks ${clicks}  ` : ""}errors ${errors.length}  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    } finally {
      await context.close();
    }
  }
}
await browser.close();
await server.close();
process.stdout.write(JSON.stringify(rows) + "\n");
