// Page 3 (/hippo) in the built site: renders with no console error and no foreign request,
// math typeset, the five figures appear (the error-vs-N one when scrolled to), moving the
// cursor and N redraws the reconstruction (time from the input event to the redraw is
// printed, never asserted), play moves the cursor, bad URL values are refused with a
// warning, FouT with odd N shows the notice, tensors do not grow across slider moves, and
// export of the first figure gives a PNG.
import {test} from "node:test";
import assert from "node:assert/strict";
import {openPage, useSite} from "../../tools/browser/harness.mjs";

const site = useSite();

/**
 * Sets a range control to `value`, fires input, and returns ms until the *last* figure
 * redraw: {first, last}. A figure redraw is a figure (.ssm-figure) entering the page or
 * changing inside; it is timed at the first animation frame after it (so the time includes
 * the frame that paints it), and the wait ends after 10 quiet frames. Readouts and notices
 * outside the figures (e.g. the deferred conditioning notice) do not count.
 */
async function moveSlider(page, key, value) {
  return page.evaluate(async ({key, value}) => {
    const input = document.querySelector(`.ssm-control[data-key="${key}"] input[type=range]`);
    // Redrawn = any figure's drawing or the readout changed (N may leave figure 1's path
    // unchanged to the pixel once the error is at its floor, but never the heatmaps).
    const fig = () => [...document.querySelectorAll(".ssm-figure-chart")].map((e) => e.innerHTML.length + ":" + (e.querySelector("path.ssm-series")?.getAttribute("d") ?? "")).join("|") + document.querySelector(".ssm-readout")?.textContent;
    const before = fig();
    const isFig = (n) => n.nodeType === 1 && (n.matches(".ssm-figure") || !!n.querySelector(".ssm-figure"));
    let figPending = false, anyMut = 0, first = 0, last = 0;
    const mo = new MutationObserver((records) => {
      anyMut++;
      if (records.some((r) => r.target.closest?.(".ssm-figure") || [...r.addedNodes].some(isFig))) figPending = true;
    });
    mo.observe(document.querySelector("main") ?? document.body, {childList: true, subtree: true, attributes: true, characterData: true});
    const t0 = performance.now();
    input.value = String(value);
    input.dispatchEvent(new Event("input", {bubbles: true}));
    let quiet = 0, seen = 0;
    while (performance.now() - t0 < 20000) {
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now() - t0;
      if (figPending) { figPending = false; last = now; if (!first) first = now; }
      quiet = anyMut === seen ? quiet + 1 : 0;
      seen = anyMut;
      if (quiet >= 10 && (last > 0 || fig() !== before)) break;
    }
    mo.disconnect();
    if (!last) last = first = performance.now() - t0; // only the readout changed
    return {first, last};
  }, {key, value});
}

/** Plays for `ms` and counts figure-1 redraws and animation frames per second. */
async function playRate(page, ms) {
  return page.evaluate(async (ms) => {
    const host = document.querySelector('.ssm-figure[data-filename="hippo-reconstruction"]').parentElement.parentElement;
    let redraws = 0, frames = 0;
    const mo = new MutationObserver((records) => { if (records.some((r) => [...r.addedNodes].some((n) => n.nodeType === 1 && (n.matches(".ssm-figure") || n.querySelector(".ssm-figure"))))) redraws++; });
    mo.observe(host, {childList: true, subtree: true});
    const btn = document.querySelector('button[data-role="play"]');
    btn.click();
    const t0 = performance.now();
    while (performance.now() - t0 < ms) { await new Promise((r) => requestAnimationFrame(r)); frames++; }
    btn.click();
    const s = (performance.now() - t0) / 1000;
    mo.disconnect();
    return {redrawsPerSec: redraws / s, framesPerSec: frames / s};
  }, ms);
}

test("/hippo renders clean, typesets math, shows its figures, responds to sliders and play", async () => {
  const {page, context, errors, foreign} = await openPage(site.browser, site.origin, "/hippo?backend=cpu");
  await page.waitForSelector(".ssm-figure .ssm-figure-chart svg .ssm-series", {timeout: 90_000});
  assert.ok(await page.locator(".katex").count() > 10, "math is typeset");
  // Figures 1–3 at once; figure 4 waits until it is scrolled into view.
  assert.ok(await page.locator(".ssm-figure").count() >= 4, "reconstruction, coefficients, A, eigenvalues");
  await page.locator("text=Reconstruction error against N").scrollIntoViewIfNeeded();
  await page.waitForSelector('.ssm-figure[data-filename="hippo-error-vs-N"] svg .ssm-series', {timeout: 60_000});
  assert.equal(await page.locator(".ssm-figure").count(), 5);
  const errs = await page.evaluate(() => document.querySelector('.ssm-figure[data-filename="hippo-error-vs-N"] svg')?.getAttribute("data-issues"));
  assert.ok(!errs || !/non-finite/.test(errs), `error-vs-N has no non-finite values: ${errs}`);
  await page.evaluate(() => window.scrollTo(0, 0));

  const tensors = () => page.evaluate(() => Number(document.querySelector(".ssm-tensors")?.textContent));
  const tf0 = await tensors();
  // Let the page settle (scrolling back, idle-time cache warm-up) so the first timing is a slider move's own.
  await page.waitForTimeout(1500);
  const fmt = (ts) => ts.map((t) => t.last.toFixed(0)).join(", ") + ` ms (first figure: ${ts.map((t) => t.first.toFixed(0)).join(", ")} ms)`;
  const times = [];
  for (const v of [0.3, 0.5, 0.7]) times.push(await moveSlider(page, "tc", v));
  console.log(`/hippo cursor move → last figure redraw (cpu, N = 16): ${fmt(times)}`);
  const nTimes = [];
  for (const v of [64, 8]) nTimes.push(await moveSlider(page, "N", v));
  console.log(`/hippo N move → last figure redraw (cpu, N = 64, 8): ${fmt(nTimes)}`);
  const tTimes = [];
  for (const v of [2, 1.5]) tTimes.push(await moveSlider(page, "theta", v));
  console.log(`/hippo θ move → last figure redraw (cpu, θ = 2, 1.5): ${fmt(tTimes)}`);
  const readout = await page.locator(".ssm-readout").first().textContent();
  console.log(`/hippo readout: ${readout.replace(/\s+/g, " ").trim()}`);
  assert.match(readout, /N = 8/);
  const tf1 = await tensors();
  assert.ok(Number.isFinite(tf0) && tf1 <= tf0, `tensors do not grow across slider moves (${tf0} → ${tf1})`);
  const play = await playRate(page, 2000);
  console.log(`/hippo play (cpu, N = 8): ${play.redrawsPerSec.toFixed(1)} figure-1 redraws/s, ${play.framesPerSec.toFixed(1)} frames/s`);

  // Play moves the cursor; pause stops it.
  const c0 = await page.locator('.ssm-control[data-key="tc"] input').inputValue();
  await page.locator('button[data-role="play"]').click();
  await page.waitForTimeout(600);
  await page.locator('button[data-role="play"]').click();
  const c1 = await page.locator('.ssm-control[data-key="tc"] input').inputValue();
  assert.notEqual(c0, c1, "play moved the cursor");

  // LegS and LagT read back too; FouT shows the state but explains why there is no read-back.
  const allPaths = () => page.evaluate(() => [...document.querySelectorAll(".ssm-figure .ssm-figure-chart svg path.ssm-series")].map((p) => p.getAttribute("d")).join("|"));
  for (const m of ["legs", "lagt"]) {
    const before = await allPaths();
    await page.locator('.ssm-control[data-key="measure"] select').selectOption(m);
    await page.waitForFunction((b) => [...document.querySelectorAll(".ssm-figure .ssm-figure-chart svg path.ssm-series")].map((p) => p.getAttribute("d")).join("|") !== b, before, {timeout: 30_000});
    assert.ok(await page.locator(".ssm-figure").first().locator(".ssm-series").count() >= 2, `${m}: input and memory drawn`);
  }
  // Export of the first figure gives a real PNG download.
  const fig = page.locator(".ssm-figure").first();
  await fig.locator(".ssm-export-toggle").click();
  const [download] = await Promise.all([page.waitForEvent("download", {timeout: 30_000}), fig.locator('button[data-export="png-2"]').click()]);
  assert.match(download.suggestedFilename(), /hippo-reconstruction.*\.png$/);
  assert.deepEqual(errors, [], "no console errors");
  assert.deepEqual(foreign, [], "no request to another host");
  await context.close();
});

test("/hippo refuses bad URL values and explains FouT's even N and the step cap", async () => {
  const {page, context, errors} = await openPage(site.browser, site.origin, "/hippo?backend=cpu&N=1e9&delta=-1&measure=fout&theta=abc");
  await page.waitForSelector(".ssm-figure .ssm-figure-chart svg", {timeout: 90_000});
  const warnings = await page.locator(".ssm-url-warning").allTextContents();
  assert.ok(warnings.some((w) => /N=1e9/.test(w)) && warnings.some((w) => /delta=-1/.test(w)) && warnings.some((w) => /theta=abc/.test(w)), `URL warnings: ${warnings}`);
  await page.locator('.ssm-control[data-key="N"] input').evaluate((el) => { el.value = "7"; el.dispatchEvent(new Event("input", {bubbles: true})); });
  await page.waitForFunction(() => /N must be even/.test(document.body.textContent), null, {timeout: 30_000});
  // Tiny Δ with a long span is capped, with a notice; the page stays responsive.
  await page.locator('.ssm-control[data-key="T"] input').evaluate((el) => { el.value = "20"; el.dispatchEvent(new Event("input", {bubbles: true})); });
  await page.locator('.ssm-control[data-key="delta"] input').evaluate((el) => { el.value = String(Math.log10(0.001)); el.dispatchEvent(new Event("input", {bubbles: true})); });
  await page.waitForFunction(() => /more than this page computes/.test(document.body.textContent), null, {timeout: 30_000});
  assert.equal(await page.locator(".ssm-figure svg[data-issues*='non-finite']").count(), 0, "no non-finite values plotted");
  assert.deepEqual(errors, []);
  await context.close();
});
