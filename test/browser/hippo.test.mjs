// Page 3 (/hippo) in the built site: renders with no console error, no tfjs synchronous-read
// warning and no foreign request; math typeset; the five figures appear (the error-vs-N one
// when scrolled to); moving the cursor, N and Δ redraws the figures that depend on them; play
// moves the cursor; FouT reads its history back; the coefficient heatmap's x axis is in time;
// the tensor check agrees and leaves no tensor; export gives real PNG and CSV files; bad URL
// values and extreme settings are answered with notices; and 50 moves on webgl and webgpu
// leave tensors and GPU memory where they were. Redraw times live in bench/redraw.mjs.
import {test} from "node:test";
import assert from "node:assert/strict";
import {readFile} from "node:fs/promises";
import {openPage, useSite} from "../../tools/browser/harness.mjs";
import {makeMoves, randomMoves, settle, snapshot} from "../../tools/browser/longuse.mjs";

const site = useSite();

async function open(path, viewport) {
  const s = await openPage(site.browser, site.origin, path, viewport ? {viewport} : undefined);
  s.warnings = [];
  s.page.on("console", (m) => { if (/synchronously reading/i.test(m.text())) s.warnings.push(m.text()); });
  await s.page.waitForSelector(".ssm-figure .ssm-figure-chart svg .ssm-series", {timeout: 90_000});
  return s;
}

/** Quiet, and the deferred tensor check is done for the state on screen (no tensor in flight). */
async function settled(page) {
  await settle(page);
  await page.waitForFunction(() => {
    const main = document.querySelector('.ssm-readout[data-readout="main"]'), check = document.querySelector('.ssm-readout[data-readout="check"]');
    return main && check && main.dataset.key === check.dataset.key;
  }, null, {timeout: 60_000});
}

/** A fingerprint of each figure's drawing (by file stem) and of the main readout. */
const drawing = (page) => page.evaluate(() => Object.fromEntries([
  ...[...document.querySelectorAll(".ssm-figure")].map((f) => [f.dataset.filename, f.querySelector(".ssm-figure-chart")?.innerHTML.length + ":" +
    [...f.querySelectorAll("path.ssm-series, image")].map((p) => (p.getAttribute("d") ?? p.getAttribute("href") ?? "").length + (p.getAttribute("d") ?? "").slice(-40)).join("|")]),
  ["readout", document.querySelector('.ssm-readout[data-readout="main"]')?.textContent ?? ""]]));

/** Sets a control (range or select), fires input, and waits until the named figures changed. */
async function move(page, key, value, changes, {select = false} = {}) {
  const before = await drawing(page);
  await page.locator(`.ssm-control[data-key="${key}"] ${select ? "select" : "input"}`).evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event("input", {bubbles: true}));
  }, value);
  await page.waitForFunction(({before, changes}) => {
    const now = Object.fromEntries([...document.querySelectorAll(".ssm-figure")].map((f) => [f.dataset.filename, f.querySelector(".ssm-figure-chart")?.innerHTML.length + ":" +
      [...f.querySelectorAll("path.ssm-series, image")].map((p) => (p.getAttribute("d") ?? p.getAttribute("href") ?? "").length + (p.getAttribute("d") ?? "").slice(-40)).join("|")]));
    now.readout = document.querySelector('.ssm-readout[data-readout="main"]')?.textContent ?? "";
    return changes.every((c) => now[c] !== undefined && now[c] !== before[c]);
  }, {before, changes}, {timeout: 30_000});
}

test("/hippo renders clean, typesets math, redraws on every slider, plays, reads FouT back and exports real files", async () => {
  const {page, context, errors, foreign, warnings} = await open("/hippo?backend=cpu");
  assert.ok(await page.locator(".katex").count() > 10, "math is typeset");
  assert.equal(await page.locator(".ssm-tex-error").count(), 0, "no LaTeX error");
  assert.ok(await page.locator(".ssm-figure").count() >= 4, "reconstruction, coefficients, A, eigenvalues");
  await page.locator("text=Reconstruction error against N").scrollIntoViewIfNeeded();
  await page.waitForSelector('.ssm-figure[data-filename="hippo-error-vs-N"] svg .ssm-series', {timeout: 60_000});
  assert.equal(await page.locator(".ssm-figure").count(), 5);
  const errFig = page.locator('.ssm-figure[data-filename="hippo-error-vs-N"] svg');
  assert.equal(await errFig.getAttribute("data-issues"), null, "error vs N draws every value");
  assert.equal(await errFig.locator(".ssm-series").count(), 3, "LegT, LegS and FouT");
  const nTicks = await errFig.locator(".ssm-axis-x text").allTextContents();
  assert.ok(["1", "2", "5", "10", "20", "50"].every((t) => nTicks.includes(t)), `error vs N ticks: ${nTicks}`);
  // The coefficient heatmap's x axis is time (0 … T = 6), not column indices.
  const heatTicks = await page.locator('.ssm-figure[data-filename="hippo-coefficients"] .ssm-axis-x text').allTextContents();
  assert.ok(heatTicks.includes("0") && heatTicks.includes("6") && !heatTicks.some((t) => +t > 6), `heatmap time ticks: ${heatTicks}`);
  await page.evaluate(() => window.scrollTo(0, 0));

  // The tensor check ran after the paint, agrees with the float64 loop, and left no tensor.
  const check = page.locator('.ssm-readout[data-readout="check"]');
  await check.waitFor({state: "attached", timeout: 60_000});
  assert.equal(await check.getAttribute("data-tensors"), "0");
  assert.ok(Number(await check.getAttribute("data-rel-err")) < 1e-4, await check.textContent());

  // Each control redraws what depends on it.
  await move(page, "tc", 0.3, ["hippo-reconstruction", "readout"]);
  await move(page, "N", 8, ["hippo-reconstruction", "hippo-coefficients", "hippo-A", "hippo-eigenvalues", "readout"]);
  assert.match(await page.locator('.ssm-readout[data-readout="main"]').textContent(), /8 numbers/);
  await move(page, "delta", Math.log10(0.02), ["hippo-reconstruction", "hippo-coefficients", "readout"]);
  await page.locator('.ssm-figure[data-filename="hippo-error-vs-N"]').scrollIntoViewIfNeeded(); // its work waits until it is seen
  await move(page, "T", 8, ["hippo-error-vs-N", "hippo-coefficients"]);
  await page.evaluate(() => window.scrollTo(0, 0));
  await move(page, "theta", 2, ["hippo-reconstruction", "hippo-A"]);
  await move(page, "input", "square", ["hippo-reconstruction", "hippo-coefficients"], {select: true});

  // The input after the cursor is drawn apart (faded) from the past.
  const inputs = await page.locator('.ssm-figure[data-filename="hippo-reconstruction"] path.ssm-series').evaluateAll((ps) => ps.map((p) => [p.dataset.series, p.getAttribute("stroke")]));
  assert.equal(inputs.length, 3, `seen, to come, memory: ${JSON.stringify(inputs)}`);
  assert.notEqual(inputs[0][1], inputs[1][1], "future input in another colour");

  // Play moves the cursor; pause stops it.
  const cursor = () => page.locator('.ssm-control[data-key="tc"] input').inputValue();
  const c0 = await cursor();
  await page.locator('button[data-role="play"]').click();
  await page.waitForTimeout(700);
  await page.locator('button[data-role="play"]').click();
  const c1 = await cursor();
  assert.notEqual(c0, c1, "play moved the cursor");
  await page.waitForTimeout(300);
  assert.equal(await cursor(), c1, "pause stopped it");

  // Every measure reads its history back, FouT included (its figure used to be empty).
  await move(page, "input", "tones", ["hippo-reconstruction"], {select: true});
  for (const m of ["legs", "lagt", "fout"]) {
    await move(page, "measure", m, ["hippo-reconstruction", "hippo-A"], {select: true});
    const memory = page.locator('.ssm-figure[data-filename="hippo-reconstruction"] path.ssm-series').nth(2);
    assert.ok((await memory.getAttribute("d")).length > 100, `${m}: the memory is drawn`);
    const rms = Number(await page.locator('.ssm-readout[data-readout="main"]').getAttribute("data-rms"));
    assert.ok(Number.isFinite(rms) && (m !== "fout" || rms < 0.5), `${m}: rms ${rms}`);
  }

  // Export of the first figure gives a real PNG and a CSV with the data.
  const fig = page.locator(".ssm-figure").first();
  const download = async (kind) => {
    if (!(await fig.locator(".ssm-export-menu").isVisible())) await fig.locator(".ssm-export-toggle").click();
    const [d] = await Promise.all([page.waitForEvent("download", {timeout: 30_000}), fig.locator(`button[data-export="${kind}"]`).click()]);
    return {name: d.suggestedFilename(), bytes: await readFile(await d.path())};
  };
  const png = await download("png-2");
  assert.match(png.name, /hippo-reconstruction.*\.png$/);
  assert.deepEqual([...png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], "PNG signature");
  const csv = await download("csv");
  assert.match(csv.name, /\.csv$/);
  assert.ok(csv.bytes.toString("utf8").split("\n").length > 100, "CSV rows");

  assert.deepEqual(errors, [], "no console errors");
  assert.deepEqual(warnings, [], "no synchronous GPU read");
  assert.deepEqual(foreign, [], "no request to another host");
  await context.close();
});

test("/hippo refuses bad URL values and answers FouT's odd N and the smallest Δ with the longest T with notices", async () => {
  const {page, context, errors} = await open("/hippo?backend=cpu&N=1e9&delta=-1&measure=fout&theta=abc");
  const warnings = await page.locator(".ssm-url-warning").allTextContents();
  for (const k of ["N=1e9", "delta=-1", "theta=abc"]) assert.ok(warnings.some((w) => w.includes(k)), `URL warning for ${k}: ${warnings}`);
  await move(page, "N", 7, ["hippo-A"]);
  await page.waitForFunction(() => /N must be even/.test(document.body.textContent), null, {timeout: 30_000});
  // Δ = 0.001 over T = 20 is 20000 steps: capped at 4000 with a notice, every measure, N = 64.
  await move(page, "T", 20, ["hippo-reconstruction"]);
  await move(page, "N", 64, ["hippo-A"]);
  for (const m of ["legs", "legt"]) {
    await move(page, "measure", m, ["hippo-A"], {select: true});
    await move(page, "delta", -3, ["hippo-reconstruction"]);
    await page.waitForFunction(() => /more than this page computes/.test(document.body.textContent), null, {timeout: 60_000});
    await move(page, "delta", -2, ["hippo-reconstruction"]);
  }
  assert.equal(await page.locator(".ssm-figure svg[data-issues*='non-finite']").count(), 0, "no non-finite values plotted");
  assert.deepEqual(errors, []);
  await context.close();
});

for (const backend of ["webgl", "webgpu"]) {
  test(`/hippo on ${backend}: 50 moves leave tensors and GPU memory where they were, with no error`, async () => {
    const {page, context, errors, warnings} = await open(`/hippo?backend=${backend}`);
    await settled(page);
    const before = await snapshot(page);
    assert.equal(before.backend, backend, `the page runs on ${backend}`);
    const controls = {tc: {min: 0.01, max: 1, step: 0.001}, N: {min: 1, max: 64, step: 1}, delta: {min: -3, max: -0.7, step: 0.01},
      T: {min: 1, max: 20, step: 0.5}, measure: {options: ["legt", "legs", "lagt", "fout"]}};
    await makeMoves(page, randomMoves(controls, 50, 7), {quietFrames: 12});
    await settled(page);
    const after = await snapshot(page);
    console.log(`/hippo ${backend}, 50 moves: tensors ${before.numTensors} → ${after.numTensors}, GPU allocated ${(before.numBytesInGPUAllocated / 2 ** 20).toFixed(2)} → ${(after.numBytesInGPUAllocated / 2 ** 20).toFixed(2)} MB, JS heap ${(before.jsHeap / 2 ** 20).toFixed(1)} → ${(after.jsHeap / 2 ** 20).toFixed(1)} MB`);
    assert.equal(after.numTensors, before.numTensors, "no tensor leak");
    // The tensor check always has the same shapes on a GPU backend: the pool should not grow at all.
    assert.ok(after.numBytesInGPUAllocated <= Math.max(2 * before.numBytesInGPUAllocated, before.numBytesInGPUAllocated + 2 ** 20),
      `GPU memory bounded: ${before.numBytesInGPUAllocated} → ${after.numBytesInGPUAllocated} bytes`);
    assert.deepEqual(errors, []);
    assert.deepEqual(warnings, [], "no synchronous GPU read");
    await context.close();
  });
}
