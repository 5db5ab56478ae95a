// Page 7 (/family) in headless Chromium against the built site: renders clean (no console
// error, no request to another host, math typeset), every card computes once scrolled into
// view and its forms agree (cpu), clicking the map (and Enter on a focused model) highlights
// the card, a miniature's control redraws it, exports give real files (the map as PNG, the
// table as CSV and JSON), bad URL values are refused with a notice, tensors do not pile up
// after moving controls, and on webgl every card computes with no synchronous GPU read.
import {test} from "node:test";
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {openPage, useSite} from "../../tools/browser/harness.mjs";
import {watchSyncReads} from "../../tools/browser/syncReads.mjs";
import {moveSlider} from "../../tools/browser/slider.mjs";

const site = useSite();
const CARDS = ["hippo", "s4", "dss", "s4d", "s5", "gss", "h3", "mega", "s4pp", "rwkv", "retnet", "mamba", "mamba2", "jamba", "timemachine", "vmamba"];

/** Walks down a card (its cells compute when they come into view) until its readout is there; returns the readout's data. */
async function runCard(page, id, timeout = 180_000) {
  await page.locator(`#card-${id}`).scrollIntoViewIfNeeded();
  const box = await page.locator(`#card-${id}`).boundingBox();
  for (let dy = 0; dy < box.height; dy += 450) { await page.mouse.wheel(0, 450); await page.waitForTimeout(150); }
  await page.waitForSelector(`#card-${id} .family-readout`, {timeout});
  return page.$eval(`#card-${id} .family-readout`, (r) => ({...r.dataset, text: r.textContent.replace(/\s+/g, " ").trim()}));
}

const num = (x) => Number(x);
const figureSVG = (page, name) => page.$eval(`.ssm-figure[data-filename="${name}"] .ssm-figure-chart svg`, (s) => s.outerHTML);

test("/family on cpu: renders clean, math typeset, every card computes and its forms agree", {timeout: 900_000}, async () => {
  const {page, context, errors, foreign} = await openPage(site.browser, site.origin, "/family?backend=cpu");
  try {
    await page.waitForSelector(".ssm-figure[data-filename=family-map] svg .family-node", {timeout: 90_000});
    assert.equal(await page.locator(".family-node").count(), CARDS.length, "one box per model on the map");
    assert.equal(await page.locator(".family-card").count(), CARDS.length, "one card per model");
    assert.equal(await page.locator(".ssm-table[data-filename=family-table] tbody tr").count(), CARDS.length, "one table row per model");
    const r = {};
    for (const id of CARDS) {
      r[id] = await runCard(page, id);
      console.log(`family cpu ${id}: ${r[id].text}`);
    }
    assert.ok(num(r.hippo.rms) < 0.1, "HiPPO reads the history back");
    assert.ok(num(r.s4.maxdiff) <= 1e-4 * Math.max(1, num(r.s4.maxk)), "S4: kernel = recurrence");
    assert.ok(num(r.dss.maxdiff) < 1e-4, "DSS: softmax = exp");
    assert.ok(num(r.s4d.maxdiff) <= 1e-4 * Math.max(1, num(r.s4d.maxk)), "S4D: Vandermonde = recurrence");
    assert.equal(r.gss.finite, "true");
    assert.ok(num(r.h3.maxdiff) < 1e-4, "H3 = count by hand");
    assert.ok(num(r.mega.maxdiff) < 1e-4, "Mega: convolution = recurrence");
    assert.ok(num(r.rwkv.maxdiff) < 1e-4, "RWKV: scan = closed form");
    assert.ok(num(r.retnet.recurrent) < 1e-4 * num(r.retnet.maxy) && num(r.retnet.chunked) < 1e-4 * num(r.retnet.maxy), "RetNet: three forms agree");
    assert.ok(num(r.mamba.gated) < 1e-4 && num(r.mamba.sel) < num(r.mamba.lti), "Mamba: Theorem 1, selective holds the marked value");
    for (const k of ["recurrent", "quadratic", "scan"]) assert.ok(num(r.mamba2[k]) < 1e-4 * Math.max(1, num(r.mamba2.maxy)), `Mamba-2: ${k} = chunked`);
    assert.deepEqual(JSON.parse(r.jamba.table1), [128, 32, 32, 4], "Jamba: Table 1 recomputed");
    assert.ok(num(r.timemachine.tm) > 0 && num(r.timemachine.linear) > 0 && num(r.timemachine.persistence) > 0, "TimeMachine: three test errors");
    assert.ok(num(r.vmamba.merge) < 1e-4 && num(r.vmamba.route) < 1e-5, "VMamba: merged = Σ directions");
    assert.ok(await page.locator(".katex").count() > 60, "KaTeX typeset the math");
    assert.equal(await page.locator(".ssm-tex-error, .katex-error").count(), 0, "no LaTeX errors");
    const svgs = await page.$$eval(".ssm-figure .ssm-figure-chart svg", (s) => s.map((x) => x.outerHTML));
    for (const s of svgs) assert.ok(!/NaN|Infinity/.test(s), "no NaN or Infinity in a figure");
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/family: clicking a model on the map (or Enter on it) scrolls to its card and highlights it", async () => {
  const {page, context, errors} = await openPage(site.browser, site.origin, "/family?backend=cpu");
  try {
    await page.waitForSelector(".family-node[data-model=rwkv]", {timeout: 90_000});
    await page.locator(".family-node[data-model=rwkv]").click();
    await page.waitForFunction(() => document.querySelector("#card-rwkv")?.classList.contains("family-card-selected"));
    assert.equal(await page.evaluate(() => location.hash), "#card-rwkv");
    await page.waitForFunction(() => { const r = document.querySelector("#card-rwkv").getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }, null, {timeout: 20_000});
    assert.equal(await page.locator(".family-card-selected").count(), 1, "one card is highlighted");
    await page.waitForTimeout(2000); // the miniatures above may still be growing: the card stays in view
    assert.ok(await page.evaluate(() => { const r = document.querySelector("#card-rwkv").getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }), "the card is still in view");
    // keyboard: focus another model and press Enter
    await page.locator(".family-node[data-model=s5]").focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector("#card-s5")?.classList.contains("family-card-selected"));
    assert.equal(await page.locator(".family-card-selected").count(), 1, "the highlight moved");
    assert.equal(await page.evaluate(() => document.activeElement?.closest(".family-card")?.id), "card-s5", "focus moved into the card");
    // the map's colour control redraws the map
    const before = await figureSVG(page, "family-map");
    await page.selectOption(".ssm-control[data-key=color] select", "discretization");
    await page.waitForFunction((b) => document.querySelector('.ssm-figure[data-filename="family-map"] svg').outerHTML !== b, before);
    assert.match(await figureSVG(page, "family-map"), /discretization/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/family: a miniature's controls redraw it, and tensors do not pile up", {timeout: 300_000}, async () => {
  const {page, context, errors} = await openPage(site.browser, site.origin, "/family?backend=cpu");
  try {
    const tensors = () => page.evaluate(() => globalThis.ssmDebug.memory().numTensors);
    await page.waitForSelector(".ssm-backend-badge", {timeout: 60_000});
    for (const id of ["retnet", "rwkv", "mamba2", "s4pp"]) await runCard(page, id);
    await page.waitForTimeout(500);
    const start = await tensors();
    const times = [];
    for (const [key, value, fig] of [["retgamma", 0.6, "family-retnet-scores"], ["retchunk", 5, "family-retnet"], ["rwkvw", 2, "family-rwkv"], ["rwkvu", -2, "family-rwkv-weights"],
      ["m2decay", Math.log10(3), "family-mamba2-matrix"], ["m2chunk", 5, "family-mamba2"], ["s4ppjitter", 0.2, "family-s4pp"], ["retgamma", 0.95, "family-retnet-scores"]]) {
      await page.locator(`.ssm-control[data-key=${key}]`).scrollIntoViewIfNeeded();
      const before = await figureSVG(page, fig);
      const moved = await moveSlider(page, key, value, {quietMs: 500});
      times.push(moved.last);
      assert.notEqual(await figureSVG(page, fig), before, `moving ${key} redraws ${fig}`);
    }
    console.log(`/family slider input → last figure redrawn (cpu, ms): ${times.map((t) => t?.toFixed(0)).join(", ")}`);
    const ret = await page.$eval("#card-retnet .family-readout", (r) => ({...r.dataset}));
    assert.ok(Number(ret.chunked) < 1e-4 * Number(ret.maxy), "the forms still agree after the moves");
    await page.waitForTimeout(500);
    assert.equal(await tensors(), start, "tf.memory().numTensors is unchanged after eight control moves");
    await page.waitForFunction(() => location.search.includes("retgamma=0.95"));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/family: exports give real files (the map as PNG and CSV, the table as CSV and JSON)", async () => {
  const {page, context, errors} = await openPage(site.browser, site.origin, "/family?backend=cpu");
  try {
    const fig = page.locator(".ssm-figure[data-filename=family-map]");
    await fig.locator(".ssm-figure-chart svg").waitFor({timeout: 90_000});
    await fig.locator(".ssm-export-toggle").click();
    const [png] = await Promise.all([page.waitForEvent("download"), fig.locator('button[data-export="png-2"]').click()]);
    const bytes = readFileSync(await png.path());
    assert.equal(png.suggestedFilename(), "family-map@2x.png");
    assert.deepEqual([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join(""), "PNG");
    const width = bytes.readUInt32BE(16), svgWidth = Number(await fig.locator(".ssm-figure-chart svg").getAttribute("width"));
    assert.equal(width, 2 * svgWidth, "PNG 2× is twice the figure's width");
    const [svg] = await Promise.all([page.waitForEvent("download"), fig.locator('button[data-export="svg"]').click()]);
    const svgText = readFileSync(await svg.path(), "utf8");
    assert.match(svgText, /^<\?xml/);
    assert.equal((svgText.match(/class="family-node"/g) ?? []).length, CARDS.length, "the SVG holds every model");
    const table = page.locator(".ssm-table[data-filename=family-table]");
    const [csv] = await Promise.all([page.waitForEvent("download"), table.locator('button[data-export="csv"]').click()]);
    const lines = readFileSync(await csv.path(), "utf8").trim().split("\n");
    assert.equal(csv.suggestedFilename(), "family-table.csv");
    assert.equal(lines.length, CARDS.length + 1, "a header and one line per model");
    assert.match(lines[0], /^model,year,paper,structure of A/);
    assert.match(lines.find((l) => l.startsWith("Mamba-2,")), /scalar × I/);
    const [json] = await Promise.all([page.waitForEvent("download"), table.locator('button[data-export="json"]').click()]);
    const rows = JSON.parse(readFileSync(await json.path(), "utf8"));
    assert.equal(rows.length, CARDS.length);
    assert.equal(rows[0].model, "HiPPO");
    assert.equal(await table.getAttribute("data-last-export"), "family-table.json");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/family: bad URL values are refused with a visible notice and the defaults used", async () => {
  const {page, context, errors} = await openPage(site.browser, site.origin, "/family?backend=cpu&color=rainbow&s4N=abc&retgamma=7&vmorder=9&tmhorizon=-3");
  try {
    await page.waitForSelector(".ssm-figure[data-filename=family-map] svg", {timeout: 90_000});
    assert.ok(await page.locator(".ssm-url-warning").count() >= 5, "one warning per bad value");
    assert.match(await page.locator(".ssm-notice-warn").first().textContent(), /URL value/);
    const r = await runCard(page, "retnet");
    assert.match(r.text, /chunkwise/);
    assert.equal(await page.locator(".ssm-control[data-key=retgamma] output").textContent(), "0.900", "the default γ is used");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});


test("/family on webgl: every card computes, the forms agree, no synchronous GPU read", {timeout: 900_000}, async (t) => {
  const {page, context, errors} = await openPage(site.browser, site.origin, "/family?backend=webgl", {init: watchSyncReads});
  try {
    await page.waitForSelector(".ssm-backend-badge", {timeout: 60_000});
    if (await page.$eval(".ssm-backend-badge", (b) => b.dataset.backend) !== "webgl") { t.skip("webgl is not available here"); return; }
    const r = {};
    for (const id of CARDS) r[id] = await runCard(page, id, 300_000);
    console.log(`family webgl: ${CARDS.map((id) => `${id}: ${r[id].text.slice(0, 90)}`).join("\n  ")}`);
    assert.ok(num(r.rwkv.maxdiff) < 1e-3 && num(r.mega.maxdiff) < 1e-3 && num(r.h3.maxdiff) < 1e-3, "RWKV, Mega, H3 agree on webgl");
    assert.ok(num(r.retnet.chunked) < 1e-3 * num(r.retnet.maxy) && ["recurrent", "quadratic", "scan"].every((k) => num(r.mamba2[k]) < 1e-3 * Math.max(1, num(r.mamba2.maxy))), "RetNet, Mamba-2 agree on webgl");
    assert.ok(num(r.s4d.maxdiff) <= 1e-3 * Math.max(1, num(r.s4d.maxk)) && num(r.vmamba.merge) < 1e-3, "S4D, VMamba agree on webgl");
    assert.deepEqual(await page.evaluate(() => window.__syncReads), [], "no synchronous read of a GPU tensor");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
