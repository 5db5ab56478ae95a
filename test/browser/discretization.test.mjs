// Page 2, /discretization, in headless Chromium against the built site (SSM_OUT, default
// dist): renders clean (math typeset, six figures, no console error, no foreign request, no
// NaN/Infinity in any SVG), moving Δ redraws the samples, the z-plane and the markers but not
// the error sweep, tensors do not leak, the URL mirrors Δ, an unstable rule and a tiny Δ give
// their notices, bad URL values are refused with the notice, a method subset from the URL is
// honoured, and the first figure exports a real PNG and CSV. Prints the time from a slider
// input to the last redrawn figure (a measurement, not an assertion).
import {after, before, test} from "node:test";
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {launch, openPage, serve} from "../../tools/browser/harness.mjs";

const ROOT = process.env.SSM_OUT ?? "dist";
const FIGURES = 6;
let server, browser, shared;

// The three tests on the default view share one page load (each load costs several seconds);
// they run in file order: render checks first, then the slider moves, then the exports.
const defaultPage = () => (shared ??= open("/discretization?backend=cpu"));

before(async () => {
  server = await serve(ROOT);
  browser = await launch();
});
after(async () => {
  if (shared) await (await shared).context.close();
  await browser?.close();
  await server?.close();
});

async function open(path) {
  const s = await openPage(browser, server.origin, path);
  await s.page.waitForFunction((n) => document.querySelectorAll(".ssm-figure .ssm-figure-chart svg").length === n, FIGURES, {timeout: 90_000});
  return s;
}

/**
 * Sets a slider's value, dispatches `input`, resolves with ms until the last DOM mutation that
 * redrew a figure (a node holding a .ssm-figure added, or a change inside one), once figures
 * have been quiet for 400 ms: {all, rest}, `rest` leaving out the figures named (data-filename)
 * in `skip` (e.g. the deliberately deferred error sweep). Readouts such as the live matrices,
 * which are typeset after the paint on purpose, do not count.
 */
function moveSlider(page, key, value, {skip = []} = {}) {
  return page.evaluate(([key, value, skip]) => new Promise((resolve) => {
    const input = document.querySelector(`.ssm-control[data-key="${key}"] input[type=range]`);
    if (!input) throw new Error(`no slider ${key}`);
    const figsIn = (n) => n.nodeType !== 1 ? [] : n.matches(".ssm-figure") ? [n] : [...n.querySelectorAll(".ssm-figure")];
    let all = null, rest = null, timer;
    const t0 = performance.now();
    const obs = new MutationObserver((records) => {
      const figs = records.flatMap((r) => {
        const host = (r.target.nodeType === 1 ? r.target : r.target.parentElement)?.closest(".ssm-figure");
        return [...(host ? [host] : []), ...[...r.addedNodes].flatMap(figsIn)];
      });
      if (!figs.length) return;
      const now = performance.now();
      all = now - t0;
      if (figs.some((f) => !skip.includes(f.getAttribute("data-filename")))) rest = now - t0;
      clearTimeout(timer);
      timer = setTimeout(done, 400);
    });
    const done = () => {
      obs.disconnect();
      requestAnimationFrame(() => resolve({all, rest}));
    };
    obs.observe(document.querySelector("main") ?? document.body, {childList: true, subtree: true, characterData: true, attributes: true});
    timer = setTimeout(done, 3000);
    input.value = String(value);
    input.dispatchEvent(new Event("input", {bubbles: true}));
  }), [key, value, skip]);
}

const figureSVGs = (page) => page.$$eval(".ssm-figure .ssm-figure-chart svg", (svgs) => svgs.map((s) => s.outerHTML));
const titles = (page) => page.$$eval(".ssm-figure .ssm-figure-title", (els) => els.map((e) => e.textContent));

test("/discretization renders: math, six figures, badge, no NaN, no error, no foreign request", async () => {
  const {page, errors, foreign} = await defaultPage();
  {
    assert.ok(await page.locator(".katex").count() > 40, "KaTeX typeset the math");
    assert.equal(await page.locator(".ssm-tex-error, .katex-error").count(), 0, "no LaTeX errors");
    assert.equal(await page.locator(".ssm-backend-badge").getAttribute("data-backend"), "cpu");
    // The live matrices: one row per ticked rule, with Ā and B̄.
    const live = await page.locator(".katex-display", {hasText: "Mamba mix"}).innerText();
    assert.match(live, /ZOH/);
    for (const s of await figureSVGs(page)) assert.ok(!/NaN|Infinity/.test(s), "no NaN or Infinity in a figure");
    // Measured slopes appear in the error figure's legend (default: sine input).
    const errSvg = (await figureSVGs(page))[3];
    for (const m of [/forward Euler \(slope 1\.0\d\)|forward Euler \(slope 0\.9\d\)/, /bilinear \(slope 2\.0\d\)|bilinear \(slope 1\.9\d\)/]) assert.match(errSvg, m);
    assert.deepEqual(errors, []);
    assert.deepEqual(foreign, []);
  }
});

test("/discretization: Δ moves the samples, z-plane and markers, not the error sweep; no tensor leak; URL mirrors Δ", async () => {
  const {page, errors} = await defaultPage();
  {
    const tensors = () => page.evaluate(() => globalThis.ssmDebug.memory().numTensors);
    const start = await tensors();
    const times = [];
    const sweep = async () => page.$$eval(".ssm-figure .ssm-figure-chart svg", (s) => s[3].querySelectorAll(".ssm-series")[0].getAttribute("d"));
    const sweep0 = await sweep();
    // Slider positions are log10(Δ).
    for (const logDelta of [-1.3, -1.6, -0.7, -2.2, -1.0]) {
      const before = await figureSVGs(page);
      times.push((await moveSlider(page, "delta", logDelta)).all);
      const now = await figureSVGs(page);
      assert.notEqual(now[0], before[0], "the samples change with Δ");
      assert.notEqual(now[2], before[2], "the z-plane changes with Δ");
    }
    assert.equal(await sweep(), sweep0, "the measured error curves do not depend on the current Δ");
    assert.match((await titles(page))[0], /Δ = 0\.100/);
    console.log(`/discretization Δ slider input → last figure redrawn (cpu, ms): ${times.map((t) => t?.toFixed(0)).join(", ")}`);
    const aTimes = [];
    for (const [key, v] of [["sigma", -0.8], ["omega", 4]]) aTimes.push(await moveSlider(page, key, v, {skip: ["discretization-error"]}));
    console.log(`/discretization σ, ω slider input → last figure redrawn, before the deferred error sweep (cpu, ms): ${aTimes.map((t) => t.rest?.toFixed(0)).join(", ")}`);
    console.log(`/discretization σ, ω slider input → last figure redrawn, incl. the error sweep (cpu, ms): ${aTimes.map((t) => t.all?.toFixed(0)).join(", ")}`);
    assert.notEqual(await sweep(), sweep0, "the error sweep follows A");
    console.log(`readout: ${await page.locator(".ssm-readout").innerText()}`);
    assert.equal(await tensors(), start, "tf.memory().numTensors is unchanged after seven slider moves");
    await page.waitForFunction(() => location.search.includes("delta=0.1"));
    assert.deepEqual(errors, []);
  }
});

test("/discretization: an unstable rule and a tiny Δ give notices; plots stay finite", async () => {
  const {page, context, errors} = await open("/discretization?backend=cpu&delta=0.5&input=step&T=60");
  try {
    const warn = page.locator(".ssm-notice-warn", {hasText: "forward Euler is unstable"});
    await warn.waitFor();
    assert.match(await warn.innerText(), /stable only for Δ < 0\.108/);
    for (const s of await figureSVGs(page)) assert.ok(!/NaN|Infinity/.test(s), "no NaN with an exploding rule");
    assert.ok(await page.locator(".ssm-figure-issues:not([hidden])").count() > 0, "a figure says what it did not draw");
    await moveSlider(page, "delta", -4);
    await page.locator(".ssm-notice", {hasText: "only the first 2000"}).waitFor();
    for (const s of await figureSVGs(page)) assert.ok(!/NaN|Infinity/.test(s));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/discretization: bad URL values are refused with a notice; a method subset from the URL is honoured", async () => {
  const {page, context, errors} = await open("/discretization?backend=cpu&delta=-1&sigma=abc&methods=euler,bilinear&sys=scalar&lambda=-3");
  try {
    const warnings = await page.locator(".ssm-url-warning").allInnerTexts();
    assert.ok(warnings.some((w) => /delta=-1 ignored/.test(w)), "Δ ≤ 0 is refused");
    assert.ok(warnings.some((w) => /sigma=abc ignored/.test(w)));
    assert.ok(await page.locator(".ssm-notice-warn", {hasText: "delta=-1"}).count() > 0, "the page-level notice lists it");
    assert.match((await titles(page))[0], /Δ = 0\.100/, "the default Δ is used");
    const legend = await page.locator(".ssm-figure").first().locator(".ssm-legend").evaluate((g) => g.textContent);
    assert.match(legend, /forward Euler/);
    assert.doesNotMatch(legend, /ZOH|Mamba/);
    // Scalar λ = −3: Euler is stable for Δ < 2/3.
    assert.match(await page.locator(".ssm-figure", {hasText: "Where each rule is stable"}).innerText(), /Δ < 0\.667/);
    await page.goto(server.origin + "/discretization?backend=cpu&delta=NaN");
    await page.locator(".ssm-url-warning", {hasText: "delta=NaN ignored"}).waitFor({timeout: 60_000});
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/discretization: the first figure exports a real PNG and CSV", async () => {
  const {page, errors} = await defaultPage();
  {
    const fig = page.locator(".ssm-figure").first();
    const grab = async (kind) => {
      if (!(await fig.locator(".ssm-export-menu").isVisible())) await fig.locator(".ssm-export-toggle").click();
      const [d] = await Promise.all([page.waitForEvent("download", {timeout: 30_000}), fig.locator(`button[data-export="${kind}"]`).click()]);
      return readFileSync(await d.path());
    };
    const png = await grab("png-2");
    assert.equal(png.subarray(1, 4).toString("latin1"), "PNG");
    assert.ok(png.readUInt32BE(16) > 1000, "2x width");
    const csv = (await grab("csv")).toString("utf8");
    assert.match(csv.split("\n")[0], /t/);
    assert.ok(csv.split("\n").length > 100, "the CSV holds the data");
    assert.deepEqual(errors, []);
  }
});
