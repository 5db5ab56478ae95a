// Page 8 (/lab): renders clean (no console error, no request to another host), plotly is
// fetched only by this page and only once a figure is drawn, a small run (2 kernels × 2
// sizes, on cpu and on webgl switched to in the page after its self-check) completes and
// draws the time and memory figures and the tables, Stop stops a long run with nothing left
// alive, a run on webgl reads nothing back synchronously, the exports are real files (CSV and
// JSON of the rows, PNG of a plotly figure), and bad URL values are refused with a notice. Screenshots at 1280 and 390 px go to LAB_SHOTS
// (default /tmp/lab-shots) for looking at.
import {test} from "node:test";
import assert from "node:assert/strict";
import {mkdirSync, readFileSync} from "node:fs";
import {openPage, useSite} from "../../tools/browser/harness.mjs";
import {watchSyncReads} from "../../tools/browser/syncReads.mjs";

const site = useSite();
const SHOTS = process.env.LAB_SHOTS ?? "/tmp/lab-shots";
mkdirSync(SHOTS, {recursive: true});
const plotlyFetched = (page) => page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name).filter((u) => /plotly/i.test(u)));
const cells = (page) => page.evaluate(() => JSON.parse(document.querySelector(".lab-table")?.dataset.cells ?? "[]"));
const done = (page, want = "done") => page.waitForFunction((w) => document.querySelector(".lab-status")?.dataset.done === w, want, {timeout: 180_000});

async function download(page, figure, kind) {
  const fig = page.locator(`.ssm-figure[data-filename="${figure}"]`);
  await fig.locator(".ssm-export-toggle").click();
  const [dl] = await Promise.all([page.waitForEvent("download", {timeout: 60_000}), fig.locator(`button[data-export="${kind}"]`).click()]);
  const bytes = readFileSync(await dl.path());
  await fig.locator(".ssm-export-toggle").click();
  return {name: dl.suggestedFilename(), bytes};
}

test("/lab on cpu then webgl: a small run draws, exports real files, plotly only after the run", async () => {
  const {page, context, errors, foreign} = await openPage(site.browser, site.origin, "/lab?backend=cpu&kernels=ssmRecurrent,causalConvDirect&L=64,256&backends=webgl,cpu");
  try {
    await page.waitForSelector(".lab-go", {timeout: 90_000});
    assert.equal(await page.locator(".ssm-figure-plotly").count(), 0, "no plotly figure before a run");
    assert.deepEqual(await plotlyFetched(page), [], "plotly is not fetched before a figure is drawn");
    assert.ok((await page.locator(".lab-where-h200").textContent()).includes("H200"), "the reference rows say where they were measured");
    assert.ok(await page.locator(".ssm-figure[data-filename=lab-h200] tbody tr").count() > 0, "the H200 table of the chosen kernels");
    const t0 = Date.now();
    await page.click(".lab-go");
    await done(page);
    const cs = await cells(page);
    console.log(`lab: ${cs.length} cells in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${cs.map((c) => `${c.kernel}@${c.backend} L=${c.L} ${c.ms?.toFixed(2)} ms (JS ${c.jsMs?.toFixed(2)}, ${c.peakBytes} B)`).join("; ")}`);
    assert.equal(cs.length, 8, "2 kernels × 2 sizes × 2 backends");
    for (const c of cs) {
      assert.ok(c.ms > 0, `${c.kernel} on ${c.backend} at L = ${c.L} measured`);
      assert.ok(c.jsMs >= 0, "with its JS loop");
      assert.ok(c.peakBytes >= c.L * 4, "and its peak tensor bytes");
    }
    const status = await page.locator(".lab-status").textContent();
    console.log(`lab: ${status}`);
    const [before, afterRun] = status.match(/Tensors alive: (\d+) before, (\d+) after/).slice(1).map(Number);
    assert.equal(afterRun, before, "every tensor of the run disposed");
    await page.waitForSelector(".ssm-figure[data-filename=lab-time] .main-svg", {timeout: 60_000});
    await page.waitForSelector(".ssm-figure[data-filename=lab-memory] .main-svg", {timeout: 60_000});
    assert.ok((await plotlyFetched(page)).length > 0, "plotly fetched once a figure is drawn");
    assert.ok(await page.locator(".ssm-figure[data-filename=lab-time] .scatterlayer .trace").count() >= 6, "reader, JS and reference lines");
    assert.ok(await page.locator(".lab-crossovers tbody tr").count() >= 2, "crossover rows");
    assert.equal(await page.evaluate(() => document.querySelector(".ssm-badge, .ssm-backend-badge")?.textContent.includes("cpu") ?? true), true);

    const csv = await download(page, "lab-table", "csv");
    const text = csv.bytes.toString("utf8");
    assert.match(csv.name, /lab-table.*\.csv$/);
    const lines = text.trim().split(/\r?\n/);
    assert.match(lines[0], /where.*measured.*engine.*kernel.*L.*ms/);
    assert.equal(lines.filter((l) => l.includes("this device")).length, 8, "the reader's 8 rows");
    assert.ok(lines.some((l) => l.includes("reference") && l.includes("H200")), "H200 rows, marked as reference");
    const json = JSON.parse((await download(page, "lab-time", "json")).bytes.toString("utf8"));
    assert.ok(JSON.stringify(json).includes("numpy"), "the figure's JSON carries the numpy rows too");
    const png = await download(page, "lab-time", "png-1");
    assert.deepEqual([...png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], "plotly's PNG export");
    await page.screenshot({path: `${SHOTS}/lab-1280.png`, fullPage: true});
    assert.deepEqual(foreign, [], "no request to another host");
    assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), [], "no console errors");
  } finally {
    await context.close();
  }
});

test("/lab at 390 px: Stop stops a long run, nothing left alive, figures fit", async () => {
  const {page, context, errors} = await openPage(site.browser, site.origin, "/lab?backend=cpu&kernels=ssmRecurrent,causalConvDirect,linearAttentionRecurrent&L=64,256,1024,4096,16384&backends=cpu", {viewport: {width: 390, height: 844}});
  try {
    await page.waitForSelector(".lab-go", {timeout: 90_000});
    await page.click(".lab-go");
    await page.waitForFunction(() => JSON.parse(document.querySelector(".lab-table")?.dataset.cells ?? "[]").length >= 2, null, {timeout: 120_000});
    await page.click(".lab-stop");
    await done(page, "stopped");
    const cs = await cells(page);
    assert.ok(cs.length < 15, `stopped before the plan's 15 cells (${cs.length})`);
    const status = await page.locator(".lab-status").textContent();
    console.log(`lab 390: ${status}`);
    assert.match(status, /^Stopped/);
    const [before, afterRun] = status.match(/Tensors alive: (\d+) before, (\d+) after/).slice(1).map(Number);
    assert.equal(afterRun, before, "nothing left alive after Stop");
    assert.equal(await page.locator(".lab-go").isDisabled(), false, "Run can be pressed again");
    await page.waitForSelector(".ssm-figure[data-filename=lab-time] .main-svg", {timeout: 60_000});
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    console.log(`lab 390: horizontal overflow ${overflow} px`);
    await page.screenshot({path: `${SHOTS}/lab-390.png`, fullPage: true});
    assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);
  } finally {
    await context.close();
  }
});

test("/lab: bad URL values are refused with a notice, and Run with nothing picked says so", async () => {
  const {page, context, errors} = await openPage(site.browser, site.origin, "/lab?backend=cpu&L=banana&kernels=nope&backends=");
  try {
    await page.waitForSelector(".lab-go", {timeout: 90_000});
    const warnings = await page.locator(".ssm-url-warning").allTextContents();
    console.log(`lab bad URL: ${warnings.join(" | ")}`);
    assert.ok(warnings.some((w) => w.includes("banana")), "L=banana refused");
    assert.ok(warnings.some((w) => w.includes("nope")), "kernels=nope refused");
    assert.ok(await page.locator(".ssm-control[data-key=L] input:checked").count() > 0, "the default lengths are used");
    await page.click(".lab-go");
    await page.waitForSelector(".lab-notices .ssm-notice", {timeout: 10_000});
    assert.match(await page.locator(".lab-notices").textContent(), /pick at least one backend/);
    assert.deepEqual(await plotlyFetched(page), []);
    // the other H200 run: its table and its line under "What was measured where"
    await page.selectOption(".ssm-control[data-key=run] select", "h200-2026-12-02-run1");
    await page.waitForFunction(() => document.querySelector(".ssm-figure[data-filename=lab-h200] .ssm-figure-title")?.textContent.includes("run1"), null, {timeout: 10_000});
    assert.match(await page.locator(".lab-where-h200").textContent(), /run1/);
    assert.doesNotMatch(await page.locator(".lab-where-h200").textContent(), /run2/);
    assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);
  } finally {
    await context.close();
  }
});


test("/lab on webgl: a run reads nothing back synchronously", async () => {
  const {page, context, errors} = await openPage(site.browser, site.origin, "/lab?backend=webgl&kernels=ssmRecurrent,causalConvFFT,linearAttentionRecurrent&L=64,256&backends=webgl", {init: watchSyncReads});
  try {
    await page.waitForSelector(".lab-go", {timeout: 90_000});
    await page.click(".lab-go");
    await done(page);
    const cs = await cells(page);
    console.log(`lab webgl: ${cs.map((c) => `${c.kernel} L=${c.L} ${c.ms?.toFixed(1)} ms`).join("; ")}`);
    assert.equal(cs.filter((c) => c.ms > 0).length, 6);
    assert.deepEqual(await page.evaluate(() => window.__syncReads), [], "no synchronous GPU read during the run");
    assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);
  } finally {
    await context.close();
  }
});

test("plotly is fetched by no other page", async () => {
  const {page, context} = await openPage(site.browser, site.origin, "/");
  try {
    await page.waitForLoadState("networkidle");
    assert.deepEqual(await plotlyFetched(page), []);
  } finally {
    await context.close();
  }
});
