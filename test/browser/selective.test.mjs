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
  const {page, context, errors, foreign} = await openPage(site.browser, site.origin, "/selective?backend=cpu&costd=16&costn=4"); // a small cost figure: Stop waits for the current call
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

test("/selective learning live on wasm: shipped runs first, Train runs steps and the loss moves, Pause stops, Reset frees every tensor, the test strip edits", async () => {
  const {page, context, errors, foreign} = await openPage(site.browser, site.origin, "/selective?backend=wasm&tmodel=mamba&tsteps=100&blockl=16");
  try {
    await page.waitForSelector(".selective-train-readout", {timeout: 120_000});
    await page.waitForSelector(".selective-test-readout", {timeout: 60_000});
    const r0 = await data(page, "selective-train-readout");
    assert.equal(r0.status, "shipped", "first paint shows the shipped run");
    assert.match(await page.locator(".selective-train-readout .ssm-readout-main").textContent(), /Mamba \(selective\): 100\.0 % held-out accuracy/);
    assert.ok(await page.locator(".ssm-figure[data-filename=selective-train-accuracy] .ssm-series").count() >= 1, "the shipped curves are drawn");
    const t0 = Number(r0.tensors);

    // The test strip: a click on a noise token makes it a colour; the readout follows.
    const tokens0 = (await data(page, "selective-test-readout")).tokens;
    await page.locator('.ssm-figure[data-filename=selective-test-strip] .ssm-token[data-index="0"]').click();
    await page.waitForFunction((t) => document.querySelector(".selective-test-readout")?.dataset.tokens !== t, tokens0, {timeout: 30_000});
    assert.match((await data(page, "selective-test-readout")).tokens, /^1 /);
    assert.equal(await page.locator(".ssm-figure[data-filename=selective-test-strip] .ssm-strip-row").count(), 2, "Mamba: Δ and its predictions");

    // Train a few steps, then pause.
    await page.locator(".selective-train").click();
    await page.waitForFunction(() => /^Step ([3-9]|\d\d)/.test(document.querySelector(".selective-train-status")?.textContent ?? ""), null, {timeout: 120_000});
    await page.locator(".selective-pause").click();
    await page.waitForFunction(() => /^Paused at step/.test(document.querySelector(".selective-train-status")?.textContent ?? ""), null, {timeout: 60_000});
    const r1 = await data(page, "selective-train-readout");
    assert.equal(r1.status, "paused");
    const [first] = JSON.parse(r1.first), [last] = JSON.parse(r1.loss);
    assert.ok(Number.isFinite(first) && Number.isFinite(last) && first !== last, `the loss moved (${first} → ${last})`);
    const step = Number(r1.step);
    await page.waitForTimeout(1500);
    assert.equal(Number((await data(page, "selective-train-readout")).step), step, "paused: no more steps");
    assert.equal(await page.locator(".selective-train").textContent(), "Resume");
    console.log(`selective live training (wasm): ${await page.locator(".selective-train-status").textContent()} first loss ${first}, last ${last}`);

    // Reset: the shipped run is back and no tensor is left behind.
    await page.locator(".selective-reset").click();
    await page.waitForFunction(() => document.querySelector(".selective-train-readout")?.dataset.status === "shipped", null, {timeout: 30_000});
    assert.equal(Number((await data(page, "selective-train-readout")).tensors), t0, "tf.memory().numTensors is back where it was");
    const png = await exportAs(page, "selective-train-loss", "png-2");
    assert.deepEqual([...png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], "the loss figure exports a PNG");
    assert.deepEqual(foreign, []);
    assert.deepEqual(clean(errors), []);
  } finally {
    await context.close();
  }
});

test("/selective learning live with another seed: trains to Done, says which seed, and the readout after each colour is finite", async () => {
  const {page, context, errors} = await openPage(site.browser, site.origin, "/selective?backend=wasm&tmodel=mamba&tsteps=20&tseed=3&blockl=16");
  try {
    await page.waitForSelector(".selective-train-readout", {timeout: 120_000});
    assert.equal(await page.locator("select").filter({has: page.locator('option[value="9"]')}).last().inputValue(), "3", "the seed control reads tseed");
    await page.locator(".selective-train").click();
    await page.waitForFunction(() => /^Done: 20 steps in .* of training\.$/.test(document.querySelector(".selective-train-status")?.textContent ?? ""), null, {timeout: 120_000});
    await page.waitForFunction(() => document.querySelector(".selective-train-readout")?.dataset.status === "done", null, {timeout: 30_000});
    assert.match(await page.locator(".selective-train-readout").textContent(), /seed 3, trained in this browser/);
    const strip = await page.locator(".selective-test-readout").textContent();
    const after = /After each colour: ([\d.]+) at \+0, ([\d.]+) at \+1, ([\d.]+) at \+2, ([\d.]+) at \+3; ([\d.]+) elsewhere\./.exec(strip);
    assert.ok(after, `the strip readout gives Δ after each colour: ${strip}`);
    assert.ok(after.slice(1).every((x) => Number(x) > 0), "Δ is a softplus: positive");
    assert.deepEqual(clean(errors), []);
  } finally {
    await context.close();
  }
});

test("/selective induction heads: the shipped run's extrapolation is drawn; impossible settings are refused", async () => {
  const {page, context, errors} = await openPage(site.browser, site.origin, "/selective?backend=cpu&ttask=induction-heads&tmodel=mamba&tsteps=800&blockl=16&tlen=abc&tcopy=12");
  try {
    await page.waitForSelector(".selective-ext-readout", {timeout: 120_000});
    assert.ok(await page.locator('.ssm-control[data-key=tlen] .ssm-url-warning').count() === 1, "a bad length is refused");
    assert.match(await page.locator(".selective-ext-readout").textContent(), /Trained at l = 32\. Mamba \(selective\): 100 % at 32, 100 % at 64, 100 % at 128/);
    await page.selectOption('.ssm-control[data-key=ttask] select', "selective-copying");
    await page.selectOption('.ssm-control[data-key=tlen] select', "16");
    await page.waitForFunction(() => /Cannot train: the tokens to copy/.test(document.querySelector(".selective-train-box")?.textContent ?? ""), null, {timeout: 30_000});
    assert.ok(await page.locator(".selective-train").isDisabled(), "Train is off for settings that cannot be trained");
    assert.deepEqual(clean(errors), []);
  } finally {
    await context.close();
  }
});
