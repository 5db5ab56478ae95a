// Long use: N slider moves on each page and backend, in headless Chromium against dist/.
// Prints, per page and backend: tensors alive before/after (tf.memory().numTensors), the
// backend's bytes (numBytes; numBytesInGPU and numBytesInGPUAllocated where the backend
// reports them), JS heap (performance.memory), DOM nodes, console errors.
//   node bench/longuse.mjs [--moves 500] [--pages /continuous,/views] [--backends cpu,webgl,webgpu]
import {openPage, serve, launch} from "../tools/browser/harness.mjs";
import {walk} from "../src/walk.js";
import {existsSync} from "node:fs";

const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : dflt; };
const MOVES = Number(arg("moves", 500));
const PAGES = arg("pages", walk.map((s) => s.path).filter((p) => existsSync(`src${p}.md`)).join(",")).split(",");
const BACKENDS = arg("backends", "cpu,webgl,webgpu").split(",");

const server = await serve(process.env.SSM_OUT ?? "dist");
const browser = await launch();
const mem = (page) => page.evaluate(() => {
  const m = window.ssmDebug.tf.memory();
  return {tensors: m.numTensors, bytes: m.numBytes, gpu: m.numBytesInGPU ?? null, gpuAllocated: m.numBytesInGPUAllocated ?? m.numBytesAllocatedInGPU ?? null,
    heap: performance.memory?.usedJSHeapSize ?? null, nodes: document.getElementsByTagName("*").length};
});
const rows = [];
for (const path of PAGES) {
  for (const backend of BACKENDS) {
    const {page, context, errors} = await openPage(browser, server.origin, `${path}?backend=${backend}`);
    try {
      await page.waitForSelector(".ssm-figure", {timeout: 90_000});
      const used = await page.$eval(".ssm-backend-badge", (b) => b.dataset.backend);
      await page.waitForTimeout(2000);
      const before = await mem(page);
      const t0 = Date.now();
      // Cycle through every range slider, each move to a seeded random position, one frame apart.
      await page.evaluate(async (moves) => {
        let s = 12345;
        const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
        const sliders = [...document.querySelectorAll(".ssm-control input[type=range]")];
        for (let i = 0; i < moves && sliders.length; i++) {
          const el = sliders[i % sliders.length], lo = Number(el.min), hi = Number(el.max);
          el.value = String(lo + (hi - lo) * rand());
          el.dispatchEvent(new Event("input", {bubbles: true}));
          await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        }
      }, MOVES);
      await page.waitForTimeout(3000);
      const after = await mem(page);
      rows.push({path, backend: used, moves: MOVES, seconds: (Date.now() - t0) / 1000, before, after, errors: errors.slice(0, 3)});
      const mb = (x) => (x == null ? "—" : (x / 1e6).toFixed(1));
      console.log(`${path.padEnd(18)} ${used.padEnd(7)} tensors ${before.tensors}→${after.tensors}  bytes ${mb(before.bytes)}→${mb(after.bytes)} MB  ` +
        `GPU ${mb(before.gpuAllocated ?? before.gpu)}→${mb(after.gpuAllocated ?? after.gpu)} MB  heap ${mb(before.heap)}→${mb(after.heap)} MB  ` +
        `nodes ${before.nodes}→${after.nodes}  errors ${errors.length}  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    } finally {
      await context.close();
    }
  }
}
await browser.close();
await server.close();
process.stdout.write(JSON.stringify(rows) + "\n");
