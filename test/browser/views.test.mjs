// Page 4 (/views): renders clean on cpu (no console error, no foreign request, math typeset),
// the two views agree (printed max difference small) on cpu and on webgl, a slider drag
// redraws the kernels (time from input event to redraw printed, not asserted) and the deferred
// comparison then catches up with the slider, tensors do not pile up across slider moves, bad
// URL values are refused with a visible warning, a figure exports a PNG, the spectra panels
// have scales of their own, and the cost figure measures on a button press.
import {after, before, test} from "node:test";
import assert from "node:assert/strict";
import {openPage, useSite} from "../../tools/browser/harness.mjs";
import {watchSyncReads} from "../../tools/browser/syncReads.mjs";
import {makeMoves, randomMoves, settle, snapshot} from "../../tools/browser/longuse.mjs";

const site = useSite();

async function readout(page) {
  await page.waitForSelector(".views-readout", {timeout: 90_000});
  return page.evaluate(() => {
    const r = document.querySelector(".views-readout");
    return {maxDiff: Number(r.dataset.maxdiff), maxY: Number(r.dataset.maxy), backend: r.dataset.backend, tensors: Number(r.dataset.tensors), text: r.textContent.replace(/\s+/g, " ").trim()};
  });
}
// The comparison (both views, the readout) runs a frame after the kernel figure, for the value
// the slider rests at: wait until the readout is the one computed for `want` (a subset of its data-of).
const readoutFor = (page, want) => page.waitForFunction((want) => {
  const of = JSON.parse(document.querySelector(".views-readout")?.dataset.of ?? "{}");
  return Object.entries(want).every(([k, v]) => (typeof v === "number" ? Math.abs(of[k] / v - 1) < 0.01 : of[k] === v)); // the slider rounds Δ to 3 digits
}, want, {timeout: 30_000});
async function dplrReadout(page) {
  await page.waitForSelector(".views-dplr-readout", {timeout: 90_000});
  return page.evaluate(() => {
    const r = document.querySelector(".views-dplr-readout");
    return {maxDiff: Number(r.dataset.maxdiff), scale: Number(r.dataset.scale), backend: r.dataset.backend, text: r.textContent.replace(/\s+/g, " ").trim()};
  });
}
const kernelPath = (page) => page.evaluate(() => document.querySelector(".ssm-figure[data-filename=views-kernels] .ssm-series")?.getAttribute("d") ?? "");

test("/views on cpu: renders clean, math typeset, the two views agree, slider drags redraw", async () => {
  const {page, context, errors, foreign} = await openPage(site.browser, site.origin, "/views?backend=cpu");
  try {
    const r = await readout(page);
    console.log(`views cpu: ${r.text}`);
    assert.equal(r.backend, "cpu");
    assert.ok(Number.isFinite(r.maxDiff) && r.maxY > 0, "a finite difference and a non-zero output");
    assert.ok(r.maxDiff <= 1e-4 * r.maxY, `recurrence and convolution agree on cpu (max diff ${r.maxDiff}, max |y| ${r.maxY})`);
    assert.ok(await page.locator(".katex").count() > 10, "math is typeset");
    assert.equal(await page.locator(".ssm-tex-error").count(), 0, "no LaTeX errors");
    assert.ok(await page.locator(".ssm-figure").count() >= 8, "kernel, outputs, difference, 5 spectra and time-scale figures");

    // Drag Δ: time from the input event to the redrawn kernel figure.
    const times = [];
    const tensors = [];
    for (const v of [-1.5, -2.5, -3, -1]) {
      await page.waitForTimeout(300); // let the page settle: time the redraw, not leftover work
      const before = await kernelPath(page);
      const {ms, readoutThen} = await page.evaluate(async (v) => {
        const input = document.querySelector('.ssm-control[data-key=delta] input[type=range]');
        const old = document.querySelector(".ssm-figure[data-filename=views-kernels] .ssm-series");
        const t0 = performance.now();
        input.value = String(v);
        input.dispatchEvent(new Event("input", {bubbles: true}));
        while (document.querySelector(".ssm-figure[data-filename=views-kernels] .ssm-series") === old) await new Promise((r) => requestAnimationFrame(r));
        return {ms: performance.now() - t0, readoutThen: JSON.parse(document.querySelector(".views-readout").dataset.of).delta};
      }, v);
      times.push(ms);
      assert.notEqual(await kernelPath(page), before, `the kernel figure changed for log10 Δ = ${v}`);
      assert.ok(Math.abs(readoutThen / 10 ** v - 1) > 0.01, `the kernel figure is redrawn before the recurrence runs (readout still for Δ = ${readoutThen})`);
      await readoutFor(page, {delta: 10 ** v}); // the deferred comparison catches up with the slider
      tensors.push((await readout(page)).tensors);
    }
    console.log(`views cpu: slider input → redrawn kernel figure: ${times.map((t) => t.toFixed(0)).join(", ")} ms`);
    assert.equal(new Set(tensors).size, 1, `tf.memory().numTensors stays the same across slider moves (${tensors.join(", ")})`);
    const r2 = await readout(page);
    console.log(`views cpu after the moves: ${r2.text}`);
    assert.ok(r2.maxDiff <= 1e-4 * r2.maxY, `still agree after the moves (${r2.text})`);

    // Every initialisation: the two views agree.
    for (const init of ["legs", "inv", "real", "random"]) {
      await page.selectOption(".ssm-control[data-key=A] select", init);
      await page.waitForFunction((name) => document.querySelector(".ssm-figure[data-filename=views-kernels] .ssm-figure-title")?.textContent.includes(name),
        {legs: "LegS", inv: "S4D-Inv", real: "S4D-Real", random: "random"}[init], {timeout: 30_000});
      await readoutFor(page, {init});
      const ri = await readout(page);
      console.log(`views cpu ${init}: max diff ${ri.maxDiff.toExponential(2)} (max |y| ${ri.maxY.toExponential(2)})`);
      assert.ok(ri.maxDiff <= 1e-4 * ri.maxY, `${init}: recurrence = convolution`);
    }

    // Spectra: each panel has scales of its own, so S4D-Inv's crowded low frequencies stay apart
    // (before, equal axes sized for its largest |Im λ| ≈ N²/π drew them on top of each other)
    // and the real parts stand off the imaginary axis.
    const inv = await page.evaluate(() => {
      const svg = document.querySelector(".ssm-figure[data-filename=views-spectrum-inv] svg");
      const cy = [...svg.querySelectorAll(".ssm-series circle")].map((c) => Number(c.getAttribute("cy"))).sort((a, b) => a - b);
      const cx = [...svg.querySelectorAll(".ssm-series circle")].map((c) => Number(c.getAttribute("cx")));
      const axisX = Number(svg.querySelector(".ssm-plot line").getAttribute("x1")); // the line Re λ = 0
      return {n: cy.length, minGap: Math.min(...cy.slice(1).map((y, i) => y - cy[i])), offAxis: Math.min(...cx.map((x) => Math.abs(x - axisX)))};
    });
    assert.equal(inv.n, 16, "S4D-Inv, N = 16: 16 eigenvalues drawn");
    assert.ok(inv.minGap >= 3, `S4D-Inv eigenvalues drawn at distinct heights (closest ${inv.minGap.toFixed(1)} px apart)`);
    assert.ok(inv.offAxis >= 20, `Re λ = −½ drawn clear of the imaginary axis (${inv.offAxis.toFixed(0)} px)`);

    // LegS's panel shows Λ of its normal part: complex, every Re λ = −½ (one x position), many heights.
    const legs = await page.evaluate(() => {
      const c = [...document.querySelectorAll(".ssm-figure[data-filename=views-spectrum-legs] svg .ssm-series circle")];
      return {n: c.length, xs: new Set(c.map((e) => Math.round(Number(e.getAttribute("cx"))))).size, ys: new Set(c.map((e) => Math.round(Number(e.getAttribute("cy"))))).size};
    });
    assert.equal(legs.n, 16);
    assert.equal(legs.xs, 1, "all of LegS's Λ on one vertical line Re λ = −½");
    assert.ok(legs.ys >= 12, `LegS's Λ spread over the imaginary axis (${legs.ys} heights)`);

    // Legends: one "convolution" entry on the outputs figure; a dot swatch for the time-scale dots.
    const legendText = (f) => page.$$eval(`.ssm-figure[data-filename=${f}] svg .ssm-legend text`, (ts) => ts.map((t) => t.textContent));
    assert.equal((await legendText("views-outputs")).filter((t) => /convolution/.test(t)).length, 1, "one legend entry for the convolutions");
    assert.ok(await page.locator(".ssm-figure[data-filename=views-timescale] svg .ssm-legend path").count() >= 1, "the measured lengths have a dot in the legend");

    // The sliding kernel: a step moves the highlighted row, and nothing else is recomputed.
    const stepBefore = await page.$eval("svg.ssm-sliding-kernel", (s) => Number(s.dataset.step));
    const tensorsBefore = (await readout(page)).tensors;
    await page.locator(".ssm-player-next").click();
    await page.locator(".ssm-player-next").click();
    assert.equal(await page.$eval("svg.ssm-sliding-kernel", (s) => Number(s.dataset.step)), stepBefore + 2);
    await page.locator(".ssm-player-play").click();
    await page.waitForFunction((s) => Number(document.querySelector("svg.ssm-sliding-kernel").dataset.step) > s, stepBefore + 2, {timeout: 10_000});
    await page.locator(".ssm-player-play").click();
    assert.equal((await readout(page)).tensors, tensorsBefore);

    // S4's DPLR kernel: computed, and equal to the dense kernel of the same system.
    const d = await dplrReadout(page);
    console.log(`views cpu DPLR: ${d.text}`);
    assert.equal(d.backend, "cpu");
    assert.ok(d.scale > 0 && d.maxDiff <= 1e-4 * d.scale, `DPLR = dense on cpu (${d.text})`);

    // Spread 0: the common Δ said once.
    await page.evaluate(() => { const i = document.querySelector(".ssm-control[data-key=spread] input[type=range]"); i.value = "0"; i.dispatchEvent(new Event("input", {bubbles: true})); });
    await page.waitForFunction(() => /all channels Δ = /.test(document.querySelector(".ssm-figure[data-filename=views-kernels] .ssm-figure-title")?.textContent ?? ""), null, {timeout: 30_000});
    assert.ok((await legendText("views-kernels")).every((t) => /^channel \d$/.test(t)), "channels named, not three identical Δ");

    // Export the kernel figure as PNG 2x.
    const fig = page.locator(".ssm-figure[data-filename=views-kernels]");
    await fig.locator(".ssm-export-toggle").click();
    const [dl] = await Promise.all([page.waitForEvent("download", {timeout: 30_000}), fig.locator('button[data-export="png-2"]').click()]);
    assert.match(dl.suggestedFilename(), /views-kernels@2x\.png$/);

    // The cost figure measures on a button press and names the backend.
    await page.locator(".views-measure").click();
    await page.waitForSelector(".views-cost .ssm-figure", {timeout: 60_000});
    assert.match(await page.locator(".views-cost .ssm-figure-title").textContent(), /on cpu/);
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);
  } finally {
    await context.close();
  }
});


test("/views on webgl: the two views and S4's DPLR kernel agree with their references, with no synchronous GPU read", async () => {
  const {page, context, errors} = await openPage(site.browser, site.origin, "/views?backend=webgl", {init: watchSyncReads});
  try {
    const r = await readout(page);
    console.log(`views webgl: ${r.text}`);
    assert.equal(r.backend, "webgl");
    assert.ok(r.maxDiff <= 1e-3 * r.maxY, `recurrence and convolution agree on webgl (max diff ${r.maxDiff}, max |y| ${r.maxY})`);
    const d = await dplrReadout(page);
    console.log(`views webgl DPLR: ${d.text}`);
    assert.equal(d.backend, "webgl");
    assert.ok(d.scale > 0 && d.maxDiff <= 1e-3 * d.scale, `DPLR = dense on webgl (${d.text})`);
    // a move of the DPLR section's Δ recomputes both kernels on the GPU
    await page.evaluate(() => { const i = document.querySelector(".ssm-control[data-key=dDelta] input[type=range]"); i.value = "-1"; i.dispatchEvent(new Event("input", {bubbles: true})); });
    await page.waitForFunction(() => Math.abs(JSON.parse(document.querySelector(".views-dplr-readout").dataset.of).delta - 0.1) < 1e-3, null, {timeout: 60_000});
    const d2 = await dplrReadout(page);
    assert.ok(d2.maxDiff <= 1e-3 * d2.scale, `DPLR = dense on webgl at Δ = 0.1 (${d2.text})`);
    // Long use, short: 40 seeded moves of N, H, L and Δ spread (each a new set of tensor sizes).
    // Without the pool cap (src/runtime/gpuPool.ts) tfjs kept every size: 5.4 → 28.6 MB per 100 moves.
    const before = await snapshot(page);
    await makeMoves(page, randomMoves({N: {min: 2, max: 64, step: 2}, H: {min: 1, max: 6, step: 1}, L: {options: ["64", "128", "256", "512", "1024"]}, spread: {min: 0, max: 3, step: 0.1}}, 40, 11), {quietFrames: 6});
    await settle(page, 20);
    const after = await snapshot(page);
    const pool = await page.evaluate(() => window.ssmDebug.gpuPool());
    console.log(`views webgl, 40 moves: tensors ${before.numTensors} → ${after.numTensors}, GPU allocated ${(before.numBytesInGPUAllocated / 2 ** 20).toFixed(1)} → ${(after.numBytesInGPUAllocated / 2 ** 20).toFixed(1)} MiB, pool trims ${pool.trims}, free ${(pool.free / 2 ** 20).toFixed(1)} MiB`);
    assert.equal(after.numTensors, before.numTensors, "no tensor leak");
    assert.ok(pool.cap > 0 && pool.free <= pool.cap, `the GPU pool is capped (free ${pool.free} ≤ cap ${pool.cap})`);
    // left alone, the page gives the free pool back (GPU_POOL_IDLE_MS after the last release)
    await page.waitForTimeout(pool.idleMs + 800);
    const idle = await snapshot(page);
    const poolIdle = await page.evaluate(() => window.ssmDebug.gpuPool());
    console.log(`views webgl, idle: GPU allocated ${(idle.numBytesInGPUAllocated / 2 ** 20).toFixed(1)} MiB, free ${(poolIdle.free / 2 ** 20).toFixed(1)} MiB, idle releases ${poolIdle.idleTrims}`);
    assert.equal(poolIdle.free, 0, "the free pool was given back once the page was idle");
    assert.ok(idle.numBytesInGPUAllocated <= 2 * before.numBytesInGPUAllocated, `GPU memory after the moves and a pause within 2× of the first redraw's (${idle.numBytesInGPUAllocated} vs ${before.numBytesInGPUAllocated})`);
    assert.deepEqual(await page.evaluate(() => window.__syncReads), [], "no synchronous GPU read");
    assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);
  } finally {
    await context.close();
  }
});

test("/views: bad URL values are refused with a visible warning and the page still computes", async () => {
  const {page, context, errors} = await openPage(site.browser, site.origin, "/views?backend=cpu&N=abc&delta=-5&A=nonsense&L=7");
  try {
    const r = await readout(page);
    assert.ok(await page.locator(".ssm-url-warning").count() >= 4, "one warning per bad value");
    assert.ok(await page.locator(".ssm-notice-warn").count() >= 1, "the warnings are listed in a notice");
    assert.ok(Number.isFinite(r.maxDiff) && r.maxDiff <= 1e-4 * r.maxY, "defaults used, views agree");
    assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);
  } finally {
    await context.close();
  }
});
