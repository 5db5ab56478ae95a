// Page 5 (/selective): renders clean on cpu (no console error, no foreign request, math
// typeset); Theorem 1's scan equals the gated RNN; editing the token strip (a click, typed text)
// redraws it and the scan levels, which agree with the loop at every level; the Mamba block's
// shapes follow the sliders; figures export real PNG and CSV files; the cost figure measures
// and stops; tensors do not pile up across edits; bad URL values are refused with a notice; and
// on webgl the strip, Theorem 1 and the scan levels agree with their loops too.
import {test} from "node:test";
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {openPage, useSite} from "../../tools/browser/harness.mjs";
import {moveSlider} from "../../tools/browser/slider.mjs";

const site = useSite();
const clean = (errors) => errors.filter((e) => !/favicon/.test(e));
const data = (page, cls) => page.evaluate((cls) => ({...document.querySelector(`.${cls}`)?.dataset}), cls);
const stripTokens = async (page) => (await data(page, "selective-strip-readout")).tokens;

/** Clicks an export item of the figure `filename` and returns the downloaded bytes and name. */
async function exportAs(page, filename, kind) {
  const fig = page.locator(`.ssm-figure[data-filename="${filename}"]`);
  await fig.locator(".ssm-export-toggle").click();
  const [dl] = await Promise.all([page.waitForEvent("download", {timeout: 30_000}), fig.locator(`button[data-export="${kind}"]`).click()]);
  await page.keyboard.press("Escape");
  return {name: dl.suggestedFilename(), bytes: readFileSync(await dl.path())};
}

async function ready(page) {
  await page.waitForSelector(".selective-block-readout", {timeout: 120_000});
  await page.waitForSelector(".selective-scan-readout", {timeout: 60_000});
}

test("/selective on cpu: renders clean, Theorem 1 holds, the strip edits, the scans agree level by level, the block's shapes follow", async () => {
  const {page, context, errors, foreign} = await openPage(site.browser, site.origin, "/selective?backend=cpu");
  try {
    await ready(page);
    assert.ok(await page.locator(".katex").count() > 40, "math is typeset");
    assert.equal(await page.locator(".ssm-tex-error").count(), 0, "no LaTeX errors");
    const thm = await data(page, "selective-theorem1");
    assert.ok(Number(thm.ab) < 1e-12 && Number(thm.bb) < 1e-12, `ZOH gives Ā = 1 − σ, B̄ = σ (${thm.ab}, ${thm.bb})`);
    assert.ok(Number(thm.scan) < 1e-5, `the selective scan with ZOH's B̄ is the gated RNN (${thm.scan})`);
    assert.ok(Number(thm.euler) > 1e-3, "Mamba's Euler B̄ differs visibly");

    // The strip: the default tokens, the selective state near the last kept digit (5).
    const s0 = await data(page, "selective-strip-readout");
    console.log(`selective cpu strip: ${(await page.locator(".selective-strip-readout .ssm-readout-main").textContent()).trim()}`);
    assert.ok(Math.abs(Number(s0.selfinal) - 5) < 0.5, `the selective state holds the last kept token (${s0.selfinal})`);
    assert.ok(Number(s0.loopdiff) < 1e-5, "kernels equal the loop");
    const scan0 = await data(page, "selective-scan-readout");
    assert.ok(Number(scan0.hillis) < 1e-5 && Number(scan0.blelloch) < 1e-5 && Number(scan0.final) < 1e-5, `scan levels agree with their definitions (${JSON.stringify(scan0)})`);
    assert.equal(await page.locator(".ssm-figure[data-filename=selective-blelloch] .ssm-scan-row").count(), 1 + 4 + 1 + 4 + 1, "Blelloch: input, 4 up, root, 4 down, inclusive (P = 16)");
    assert.equal(await page.locator(".ssm-figure[data-filename^=selective-] text:text-is('✗')").count(), 0);

    // Click the last kept token (5, position 9): it becomes noise; the strip, states and scans redraw.
    const before = await page.locator(".ssm-figure[data-filename=selective-states] .ssm-series").nth(1).getAttribute("d");
    await page.locator('.ssm-figure[data-filename=selective-strip] .ssm-token[data-index="8"]').click();
    await page.waitForFunction(() => document.querySelector(".selective-strip-readout")?.dataset.tokens?.includes("~5"), null, {timeout: 30_000});
    assert.equal(await stripTokens(page), "7 ~3 ~1 ~4 2 ~8 ~6 ~9 ~5 ~2 ~0 ~3");
    await page.waitForFunction(() => new URLSearchParams(location.search).get("tokens")?.includes("~5"), null, {timeout: 5_000}); // written after a throttle
    const s1 = await data(page, "selective-strip-readout");
    assert.ok(Math.abs(Number(s1.selfinal) - 2) < 0.5, `now the last kept token is 2 (${s1.selfinal})`);
    assert.notEqual(await page.locator(".ssm-figure[data-filename=selective-states] .ssm-series").nth(1).getAttribute("d"), before, "the state figure redrew");
    assert.ok(await page.locator('.ssm-figure[data-filename=selective-strip] .ssm-token-muted[data-index="8"]').count() === 1, "the token is drawn as noise");

    // Type a strip: 5 tokens, so the scans have P = 8.
    const field = page.locator('.ssm-control[data-key=tokens] input[type=text]');
    await field.fill("9 ~1 ~2 3 ~4");
    await page.waitForFunction(() => document.querySelector(".selective-strip-readout")?.dataset.tokens === "9 ~1 ~2 3 ~4", null, {timeout: 30_000});
    await page.waitForFunction(() => document.querySelectorAll(".ssm-figure[data-filename=selective-blelloch] .ssm-scan-row").length === 1 + 3 + 1 + 3 + 1, null, {timeout: 30_000});
    const scan1 = await data(page, "selective-scan-readout");
    assert.ok(Number(scan1.hillis) < 1e-5 && Number(scan1.blelloch) < 1e-5, "the new scans agree too");
    // A bad typed strip is not used, and says why.
    await field.fill("9 x 3");
    await page.waitForSelector(".ssm-control[data-key=tokens] .ssm-text-invalid", {timeout: 10_000});
    assert.match(await page.locator(".ssm-text-invalid").textContent(), /only digits 0–9/);
    assert.equal(await stripTokens(page), "9 ~1 ~2 3 ~4", "the last valid strip stays");
    const t1 = Number((await data(page, "selective-strip-readout")).tensors);

    // Δ's weights: a slider move redraws the strip; tensors stay the same across edits.
    await moveSlider(page, "bd", -2);
    await page.waitForFunction(() => document.querySelector(".selective-strip-readout")?.textContent.includes("Selective"), null, {timeout: 30_000});
    await field.fill("7 ~3 ~1 ~4 2");
    await page.waitForFunction(() => document.querySelector(".selective-strip-readout")?.dataset.tokens === "7 ~3 ~1 ~4 2", null, {timeout: 30_000});
    const t2 = Number((await data(page, "selective-strip-readout")).tensors);
    assert.equal(t2, t1, `tf.memory().numTensors stays the same across edits (${t1} → ${t2})`);

    // The Mamba block: d_model 32 → 64 doubles in_proj's output (2E = 256) and the diagram says so.
    const xzShape = () => page.locator('.ssm-figure[data-filename=selective-mamba-block] .ssm-diagram-box[data-id="xz"] .ssm-diagram-shape').textContent();
    assert.equal(await xzShape(), "(1, 64, 128)");
    await moveSlider(page, "dmodel", 64);
    await page.waitForFunction(() => document.querySelector('.ssm-diagram-box[data-id="xz"] .ssm-diagram-shape')?.textContent === "(1, 64, 256)", null, {timeout: 30_000});
    await page.waitForFunction(() => document.querySelector(".selective-block-readout")?.dataset.xz === "[1,64,256]", null, {timeout: 30_000});
    assert.equal((await data(page, "selective-block-readout")).agrees, "true", "mambaBlock made tensors of exactly the diagram's shapes");
    await page.selectOption('.ssm-control[data-key=blockl] select', "256");
    await page.waitForFunction(() => document.querySelector('.ssm-diagram-box[data-id="out"] .ssm-diagram-shape')?.textContent === "(1, 256, 64)", null, {timeout: 30_000});

    // Exports give real files.
    const png = await exportAs(page, "selective-strip", "png-2");
    assert.match(png.name, /selective-strip@2x\.png$/);
    assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG");
    const csv = await exportAs(page, "selective-blelloch", "csv");
    assert.match(csv.bytes.toString("utf8"), /^level,position,a,b,from,first,last,maxDiff\n/);
    const svg = await exportAs(page, "selective-mamba-block", "svg");
    assert.match(svg.bytes.toString("utf8"), /<svg[^>]*>[\s\S]*selective scan/);

    // The cost figure: Measure, then Stop.
    await page.locator(".selective-measure").click();
    await page.waitForSelector(".selective-cost .ssm-figure", {timeout: 90_000});
    assert.match(await page.locator(".selective-cost .ssm-figure-title").first().textContent(), /on cpu/);
    await page.locator(".selective-stop").click();
    await page.waitForFunction(() => /^Stopped\./.test(document.querySelector(".selective-cost-status")?.textContent ?? ""), null, {timeout: 90_000});
    assert.deepEqual(foreign, []);
    assert.deepEqual(clean(errors), []);
  } finally {
    await context.close();
  }
});

test("/selective: bad URL values are refused with a visible warning and the page still computes", async () => {
  const {page, context, errors} = await openPage(site.browser, site.origin, "/selective?backend=cpu&tokens=7x3&wd=abc&rule=nope&dmodel=7");
  try {
    await ready(page);
    assert.ok(await page.locator(".ssm-url-warning").count() >= 4, "one warning per bad value");
    assert.ok(await page.locator(".ssm-notice-warn").count() >= 1, "the warnings are listed in a notice");
    assert.match(await page.locator('.ssm-control[data-key=tokens] .ssm-url-warning').textContent(), /only digits 0–9/);
    assert.equal(await stripTokens(page), "7 ~3 ~1 ~4 2 ~8 ~6 ~9 5 ~2 ~0 ~3", "the default strip is used");
    assert.deepEqual(clean(errors), []);
  } finally {
    await context.close();
  }
});

test("/selective on webgl: the strip, Theorem 1 and every scan level agree with their loops", async () => {
  const {page, context, errors} = await openPage(site.browser, site.origin, "/selective?backend=webgl&blockl=16");
  try {
    await ready(page);
    const thm = await data(page, "selective-theorem1");
    const strip = await data(page, "selective-strip-readout");
    const scan = await data(page, "selective-scan-readout");
    console.log(`selective webgl: theorem scan ${thm.scan}, strip ${strip.loopdiff}, scans ${scan.hillis} / ${scan.blelloch} on ${scan.backend}`);
    assert.equal(scan.backend, "webgl");
    assert.ok(Number(thm.scan) < 1e-4 && Number(strip.loopdiff) < 1e-4, "fused kernel = loop on webgl");
    assert.ok(Number(scan.hillis) < 1e-4 && Number(scan.blelloch) < 1e-4, "scan levels on webgl");
    assert.equal((await data(page, "selective-block-readout")).agrees, "true");
    assert.deepEqual(clean(errors), []);
  } finally {
    await context.close();
  }
});
