// Training started and stopped many times, in headless Chromium against dist/ (issue 16's
// "the same for training runs started and stopped 20 times"). For each training section:
// N times press Train (or Uptrain), wait until at least one more step has run, press Pause,
// wait until the page says it paused; then Reset where the section has one. Prints, per
// section: tensors alive (window.ssmDebug.memory().numTensors) at the first pause, after the
// N-th pause and after Reset, the JS heap, DOM nodes and listeners (after a forced garbage
// collection, tools/browser/longuse.mjs's snapshot) and console errors.
//   node bench/trainstop.mjs [--cycles 20] [--backend wasm] [--sections selective,recall,supra]
import {openPage, serve, launch} from "../tools/browser/harness.mjs";
import {snapshot} from "../tools/browser/longuse.mjs";

const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : dflt; };
const CYCLES = Number(arg("cycles", 20));
const BACKEND = arg("backend", "wasm");
const ONLY = arg("sections", "selective,recall,supra").split(",");

/** Polls `check` (async, in Node) every 100 ms until it is true; throws `what` after `ms`. */
async function until(check, ms, what) {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error(what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The sections: their page, buttons, and how to read the step and the paused state. */
const SECTIONS = {
  selective: {
    // the largest step budget, so 20 short runs never reach the end
    path: "/selective", query: "tmodel=mamba&tsteps=800&blockl=16",
    ready: ".selective-train-readout", train: ".selective-train", pause: ".selective-pause", reset: ".selective-reset",
    status: ".selective-train-status",
    step: () => Number((document.querySelector(".selective-train-status")?.textContent ?? "").match(/^(?:Step|Paused at step) (\d+)/)?.[1] ?? NaN),
    paused: () => document.querySelector(".selective-train-readout")?.dataset.status === "paused" && /^Paused at step/.test(document.querySelector(".selective-train-status")?.textContent ?? ""),
    resetDone: () => document.querySelector(".selective-train-readout")?.dataset.status === "shipped"
  },
  recall: {
    path: "/linear-attention", query: "rsteps=1200",
    ready: ".la-recall-train", train: ".la-recall-train", pause: ".la-recall-pause", status: ".la-recall-status",
    step: () => Number((document.querySelector(".la-recall-status")?.textContent ?? "").match(/step (\d+) of/)?.[1] ?? NaN),
    paused: () => /^Paused/.test(document.querySelector(".la-recall-status")?.textContent ?? "")
  },
  supra: {
    path: "/linear-attention", query: "usteps=600",
    ready: ".la-uptrain", train: ".la-uptrain", pause: ".la-uptrain-pause", status: ".la-uptrain-status",
    // the section loads its model once it is on screen
    loaded: () => /Swapped/.test(document.querySelector(".la-uptrain-status")?.textContent ?? ""),
    step: () => Number((document.querySelector(".la-uptrain-status")?.textContent ?? "").match(/step (\d+)/)?.[1] ?? NaN),
    paused: () => /^Paused at step/.test(document.querySelector(".la-uptrain-status")?.textContent ?? "")
  }
};

const mb = (x) => (x == null ? "—" : (x / 1e6).toFixed(1));
const server = await serve(process.env.SSM_OUT ?? "dist");
const browser = await launch();
const rows = [];
try {
  for (const name of ONLY) {
    const s = SECTIONS[name];
    const {page, context, errors} = await openPage(browser, server.origin, `${s.path}?backend=${BACKEND}&${s.query}`);
    try {
      await page.waitForSelector(s.ready, {timeout: 180_000});
      await page.locator(s.train).scrollIntoViewIfNeeded();
      if (s.loaded) await page.waitForFunction(s.loaded, null, {timeout: 240_000});
      await page.waitForFunction((sel) => !document.querySelector(sel).disabled, s.train, {timeout: 60_000});
      await page.waitForTimeout(2000);
      const used = await page.$eval(".ssm-backend-badge", (b) => b.dataset.backend);
      const before = await snapshot(page);
      const t0 = Date.now();
      let first = null, lastStep = 0;
      for (let i = 0; i < CYCLES; i++) {
        // the step before this press: what the status shows now, or (where a paused status shows
        // no step) the last step seen while it ran
        const now = await page.evaluate(s.step), from = Number.isFinite(now) ? now : lastStep;
        await page.locator(s.train).click();
        // at least one step more than before the press (the status shows the step it is at; for
        // recall the step of the model being trained, so this needs the first model's budget)
        await until(async () => { const n = await page.evaluate(s.step); return Number.isFinite(n) && n > from; }, 180_000, `${name}: no step after Train (cycle ${i + 1})`);
        lastStep = Math.max(lastStep, await page.evaluate(s.step));
        await page.locator(s.pause).click();
        await page.waitForFunction(s.paused, null, {timeout: 120_000});
        await page.waitForFunction((sel) => !document.querySelector(sel).disabled, s.train, {timeout: 60_000}); // the run has returned
        const paused = await page.evaluate(s.step);
        if (Number.isFinite(paused)) lastStep = paused;
        if (i === 0) { await page.waitForTimeout(1000); first = await snapshot(page); }
      }
      await page.waitForTimeout(1000);
      const after = await snapshot(page);
      const status = (await page.locator(s.status).textContent()).trim();
      let reset = null;
      if (s.reset) {
        await page.locator(s.reset).click();
        await page.waitForFunction(s.resetDone, null, {timeout: 60_000});
        await page.waitForTimeout(1000);
        reset = await snapshot(page);
      }
      const row = {section: name, path: s.path, backend: used, cycles: CYCLES, step: lastStep, seconds: (Date.now() - t0) / 1000, before, first, after, reset, status, errors: errors.slice(0, 3), errorCount: errors.length};
      rows.push(row);
      const t = (x) => (x ? x.numTensors : "—"), f = (k, g = (v) => v) => `${g(before[k])}→${g(first[k])}→${g(after[k])}${reset ? `→${g(reset[k])}` : ""}`;
      console.log(`${name.padEnd(10)} ${s.path.padEnd(17)} ${used.padEnd(5)} ${CYCLES}× to step ${String(lastStep).padEnd(4)} tensors ${t(before)}→${t(first)}→${t(after)}${reset ? `→${t(reset)}` : ""}  ` +
        `heap ${f("jsHeap", mb)} MB  nodes ${f("nodes")}  listeners ${f("listeners")}  errors ${errors.length}  (${row.seconds.toFixed(0)} s)`);
      for (const e of errors.slice(0, 3)) console.log(`  error: ${e.slice(0, 300)}`);
    } finally {
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
console.log("columns: before the first Train → at the first pause → at the last pause → after Reset (where there is one)");
process.stdout.write(JSON.stringify(rows) + "\n");
