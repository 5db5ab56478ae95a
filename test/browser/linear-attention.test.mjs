// Page 6, /linear-attention, in headless Chromium against the built site: renders clean (no
// console error, no request to another host), math typeset, the two linear-attention forms
// agree and the SSD forms agree (printed differences small), a slider redraws its figure, the
// learned feature map is fitted once its section is on screen, tensors do not pile up across
// control moves, exports give real files, bad URL values are refused with a notice, and the
// forms also agree on webgl. Training sections: pressing Uptrain runs a few steps and Pause
// stops them.
import {test} from "node:test";
import assert from "node:assert/strict";
import {readFile} from "node:fs/promises";
import {openPage, useSite} from "../../tools/browser/harness.mjs";
import {moveSlider} from "../../tools/browser/slider.mjs";

const site = useSite();

const readout = (page, cls) => page.evaluate((cls) => {
  const r = document.querySelector(`.${cls}`);
  return r ? {...Object.fromEntries(Object.entries(r.dataset).map(([k, v]) => [k, JSON.parse(v)])), text: r.textContent.replace(/\s+/g, " ").trim()} : null;
}, cls);

async function open(path) {
  const s = await openPage(site.browser, site.origin, path);
  await s.page.waitForSelector(".la-forms-readout", {timeout: 120_000});
  await s.page.waitForSelector(".la-ssd-readout", {timeout: 120_000});
  return s;
}

const figure = (page, name) => page.evaluate((name) => document.querySelector(`.ssm-figure[data-filename="${name}"] .ssm-figure-chart`)?.innerHTML ?? "", name);

test("/linear-attention on cpu: clean render, math, both forms agree, SSD forms agree, a slider redraws, no leak", async () => {
  const {page, context, errors, foreign} = await open("/linear-attention?backend=cpu");
  try {
    assert.ok(await page.locator(".katex").count() > 40, "KaTeX typeset the math");
    assert.equal(await page.locator(".ssm-tex-error, .katex-error").count(), 0, "no LaTeX errors");
    const forms = await readout(page, "la-forms-readout");
    console.log(`linear-attention cpu: ${forms.text}`);
    assert.ok(forms.diff < 1e-5 * Math.max(1, forms.maxabs), `masked matrix = recurrence (max diff ${forms.diff})`);
    assert.ok(forms.diffchunked < 1e-5 * Math.max(1, forms.maxabs), `masked matrix = chunks (max diff ${forms.diffchunked})`);
    const ssd = await readout(page, "la-ssd-readout");
    console.log(`linear-attention cpu SSD: ${ssd.text}`);
    for (const k of ["quadratic", "recurrent", "selective"]) assert.ok(ssd[k] < 1e-5 * Math.max(1, ssd.maxy), `SSD chunked = ${k} (${ssd[k]})`);

    const tensors = () => page.evaluate(() => globalThis.ssmDebug.memory().numTensors);
    const start = await tensors();
    for (const [key, value, fig] of [["gamma", 0.8, "linear-attention-decay-mask"], ["beta", 1, "linear-attention-softmax"], ["chunk", 4, "linear-attention-ssd-mask"], ["A", -1.5, "linear-attention-ssd-outputs"]]) {
      const before = await figure(page, fig);
      await moveSlider(page, key, value);
      await page.waitForFunction(([f, b]) => document.querySelector(`.ssm-figure[data-filename="${f}"] .ssm-figure-chart`)?.innerHTML !== b, [fig, before], {timeout: 30_000});
    }
    await page.waitForTimeout(500);
    assert.equal(await tensors(), start, "tf.memory().numTensors is unchanged after four control moves");
    const ssd2 = await readout(page, "la-ssd-readout");
    assert.equal(ssd2.chunks, 6, "l = 24 in chunks of 4");
    for (const k of ["quadratic", "recurrent", "selective"]) assert.ok(ssd2[k] < 1e-5 * Math.max(1, ssd2.maxy), `after the moves: SSD chunked = ${k}`);
    await page.waitForFunction(() => location.search.includes("gamma=0.8"));
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/linear-attention: the learned map is fitted on screen and lands beside softmax", async () => {
  const {page, context, errors} = await open("/linear-attention?backend=cpu&l=16");
  try {
    await page.locator(".la-gallery").scrollIntoViewIfNeeded();
    await page.waitForFunction(() => JSON.parse(document.querySelector(".la-maps-readout")?.dataset.fitstep ?? "0") >= 25, null, {timeout: 120_000});
    const maps = await readout(page, "la-maps-readout");
    console.log(`linear-attention maps: ${maps.text}`);
    assert.ok(Number.isFinite(maps.distances.learned), "the learned map has a distance");
    for (const k of ["elu1", "relu", "random"]) assert.ok(maps.distances[k] > 0 && maps.distances[k] <= 1, `${k}: a distance in (0, 1]`);
    assert.ok(await page.locator('.ssm-figure[data-filename="linear-attention-map-learned"]').count() === 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/linear-attention: exports give real files (PNG and CSV)", async () => {
  const {page, context, errors} = await open("/linear-attention?backend=cpu");
  try {
    const fig = page.locator('.ssm-figure[data-filename="linear-attention-softmax"]');
    for (const [kind, pattern] of [["png-2", /linear-attention-softmax@2x\.png$/], ["csv", /linear-attention-softmax\.csv$/]]) {
      await fig.locator(".ssm-export-toggle").click();
      const [dl] = await Promise.all([page.waitForEvent("download", {timeout: 30_000}), fig.locator(`button[data-export="${kind}"]`).click()]);
      assert.match(dl.suggestedFilename(), pattern);
      const body = await readFile(await dl.path());
      assert.ok(body.length > 500, `${kind}: a real file (${body.length} bytes)`);
      if (kind === "csv") assert.match(body.toString("utf8").split("\n")[0], /t,s,weight/);
      if (kind === "png-2") assert.equal(body.subarray(1, 4).toString("latin1"), "PNG");
      await page.keyboard.press("Escape");
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/linear-attention: bad URL values are refused with a notice, and the defaults are used", async () => {
  const {page, context, errors} = await open("/linear-attention?backend=cpu&l=abc&gamma=7&map=nonsense&chunk=0.5&A=1&swap=nope&usteps=7");
  try {
    const warnings = await page.locator(".ssm-url-warning").allInnerTexts();
    assert.ok(warnings.length >= 7, `seven refused values, got ${warnings.length}: ${warnings.join(" | ")}`);
    assert.equal(await page.locator('.ssm-control[data-key="swap"]').evaluate((el) => el.value), "supra");
    assert.equal(await page.locator('.ssm-control[data-key="usteps"]').evaluate((el) => el.value), "300");
    assert.ok(await page.locator(".ssm-notice-warn").count() >= 1, "listed in a notice");
    assert.equal(await page.locator('.ssm-control[data-key="l"]').evaluate((el) => el.value), 32);
    assert.equal(await page.locator('.ssm-control[data-key="map"]').evaluate((el) => el.value), "elu1");
    const forms = await readout(page, "la-forms-readout");
    assert.ok(forms.diff < 1e-5 * Math.max(1, forms.maxabs), "defaults used: the forms agree");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/linear-attention on webgl: both linear-attention forms and the SSD forms agree", async () => {
  const {page, context, errors} = await open("/linear-attention?backend=webgl");
  try {
    assert.equal(await page.locator(".ssm-backend-badge").getAttribute("data-backend"), "webgl");
    const forms = await readout(page, "la-forms-readout");
    const ssd = await readout(page, "la-ssd-readout");
    console.log(`linear-attention webgl: ${forms.text} | ${ssd.text}`);
    assert.ok(forms.diff < 1e-4 * Math.max(1, forms.maxabs), `masked matrix = recurrence on webgl (${forms.diff})`);
    for (const k of ["quadratic", "recurrent", "selective"]) assert.ok(ssd[k] < 1e-4 * Math.max(1, ssd.maxy), `SSD chunked = ${k} on webgl (${ssd[k]})`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/linear-attention: Uptrain runs steps and Pause stops them; recall trains and pauses too", async () => {
  const {page, context, errors} = await open("/linear-attention?backend=wasm&usteps=100&rsteps=100");
  try {
    await page.locator(".la-uptrain").scrollIntoViewIfNeeded();
    await page.waitForFunction(() => /Swapped/.test(document.querySelector(".la-uptrain-status")?.textContent ?? ""), null, {timeout: 180_000});
    const r0 = await readout(page, "la-supra-readout");
    console.log(`linear-attention SUPRA: ${r0.text}`);
    assert.ok(r0.swapped > r0.pretrained, `the swap raises the perplexity (${r0.pretrained} → ${r0.swapped})`);
    const status = () => page.locator(".la-uptrain-status").textContent();
    const stepOf = async () => Number((await status()).match(/step (\d+)/)?.[1] ?? NaN);
    await page.locator(".la-uptrain").click();
    await page.waitForFunction(() => Number(document.querySelector(".la-uptrain-status").textContent.match(/step (\d+) of/)?.[1] ?? 0) >= 3, null, {timeout: 120_000});
    console.log(`linear-attention SUPRA: ${await status()}`);
    await page.locator(".la-uptrain-pause").click();
    await page.waitForFunction(() => /Paused at step/.test(document.querySelector(".la-uptrain-status").textContent), null, {timeout: 60_000});
    const at = await stepOf();
    await page.waitForTimeout(2000);
    assert.equal(await stepOf(), at, "no step after Pause");
    await page.waitForFunction((at) => JSON.parse(document.querySelector(".la-supra-readout").dataset.step) === at, at, {timeout: 60_000});
    const r1 = await readout(page, "la-supra-readout");
    assert.ok(Number.isFinite(r1.uptrained) && Number.isFinite(r1.scratch), `perplexities at the pause (${r1.text})`);
    assert.ok(await page.locator(".la-sample").count() >= 24, "samples from the four models");

    // Resume, pause again: the models and optimizers are all that is held, so no tensor piles up.
    const tensors = () => page.evaluate(() => globalThis.ssmDebug.memory().numTensors);
    await page.waitForTimeout(1000);
    const held = await tensors();
    await page.locator(".la-uptrain").click();
    await page.waitForFunction((at) => Number(document.querySelector(".la-uptrain-status").textContent.match(/step (\d+) of/)?.[1] ?? 0) >= at + 3, at, {timeout: 120_000});
    await page.locator(".la-uptrain-pause").click();
    await page.waitForFunction(() => /Paused at step/.test(document.querySelector(".la-uptrain-status").textContent), null, {timeout: 60_000});
    const at2 = await stepOf();
    assert.ok(at2 >= at + 3, `resumed from ${at} to ${at2}`);
    await page.waitForFunction((at) => JSON.parse(document.querySelector(".la-supra-readout").dataset.step) === at, at2, {timeout: 60_000});
    await page.waitForFunction((at) => (document.querySelector(".la-samples-col:last-child h4")?.textContent ?? "").endsWith(`step ${at}`), at2, {timeout: 60_000});
    await page.waitForTimeout(1000);
    assert.equal(await tensors(), held, "tf.memory().numTensors is the same at two pauses");

    await page.locator(".la-recall-train").scrollIntoViewIfNeeded();
    await page.locator(".la-recall-train").click();
    await page.waitForFunction(() => Number(document.querySelector(".la-recall-status").textContent.match(/step (\d+) of/)?.[1] ?? 0) >= 2, null, {timeout: 120_000});
    console.log(`linear-attention recall: ${await page.locator(".la-recall-status").textContent()}`);
    await page.locator(".la-recall-pause").click();
    await page.waitForFunction(() => /Paused/.test(document.querySelector(".la-recall-status").textContent), null, {timeout: 60_000});
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
